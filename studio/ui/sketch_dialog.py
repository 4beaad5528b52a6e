"""Draw a guide: the sketch canvas with its tools, the samples' palette and "Use as guide".

:class:`SketchDialog` puts a :class:`~studio.ui.widgets.sketch_canvas.SketchCanvas` at the
painting's aspect ratio under a tool row (Brush, Eraser, Fill; size, hardness; Undo, Redo,
Clear) and a palette row: the samples' own colours (:func:`samples_palette`, from their facts)
as swatches to pick from, plus any colour. Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo on
the canvas; B, E and F pick the tools; [ and ] change the brush size. "Use as guide" accepts;
:meth:`SketchDialog.guide` then turns the drawing into a
:class:`~studio.domains.painting.guide.Guide` with ``guide_from_array``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup, QColorDialog, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QSlider,
    QSpinBox, QToolButton, QVBoxLayout, QWidget,
)

from studio.core.samples import ImageFacts, Sample
from studio.domains.painting.guide import Guide, guide_from_array
from studio.domains.painting.params import ASPECTS
from studio.ui.panels.painting_controls import aspect_label, aspect_text
from studio.ui.widgets.sketch_canvas import BRUSH_SIZES, SketchCanvas
from studio.ui.widgets.swatches import PaletteSwatches

MAX_SWATCHES = 16  # more would make each swatch too narrow to hit
MERGE_DISTANCE = 24  # colours closer than this (max channel difference) are one swatch


def samples_palette(samples: Sequence[Sample]) -> tuple[tuple[str, float], ...]:
    """The samples' dominant colours (from their :class:`ImageFacts`), near-duplicates merged,
    largest total share first, at most :data:`MAX_SWATCHES`; each share is of all the samples."""
    merged: list[tuple[np.ndarray, float, str]] = []
    facts = [s.facts for s in samples if isinstance(s.facts, ImageFacts)]
    for fact in facts:
        for colour, share in fact.palette:
            q = QColor(colour)
            rgb = np.array((q.red(), q.green(), q.blue()), dtype=np.int16)
            for i, (other, total, name) in enumerate(merged):
                if np.abs(other - rgb).max() <= MERGE_DISTANCE:
                    merged[i] = (other, total + share, name)
                    break
            else:
                merged.append((rgb, share, QColor(colour).name()))
    count = max(1, len(facts))
    ranked = sorted(merged, key=lambda item: -item[1])[:MAX_SWATCHES]
    return tuple((name, total / count) for _, total, name in ranked)


class SketchDialog(QDialog):
    """See the module docstring. ``start`` (an ``HxWx3`` array, e.g. the current guide) is
    drawn over; otherwise the canvas starts on the palette's lightest colour at ``aspect``."""

    def __init__(self, palette: Sequence[tuple[str, float]], aspect: float = 4 / 3,
                 start: np.ndarray | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Draw a guide"))
        self._palette = tuple(palette)
        self._aspect_default = float(aspect)
        self.canvas = SketchCanvas(aspect, ground=self._ground_colour())
        if start is not None:
            self.canvas.load_array(start)
            self.canvas.reset_history()  # the start is the first state, not an edit to undo
        self._build_tools()
        self._build_palette()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.use_button = self.buttons.addButton(self.tr("Use as guide"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.use_button.setToolTip(self.tr("Paint the next gallery from this drawing's composition"))
        self.use_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("Lay in the big masses (sky, ground, shapes) in their colours and values; the "
                              "studio paints the detail in your samples' manner."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._tool_row)
        layout.addLayout(self._palette_row)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self._add_shortcuts()
        self.canvas.sig_changed.connect(self._update_buttons)
        self.canvas.sig_brush_size_changed.connect(self.size_box.setValue)
        self._update_buttons()
        self.resize(720, 640)
        self.canvas.setFocus()

    def _ground_colour(self) -> str:
        """The lightest palette colour (paper of the samples' own tone), else white."""
        if not self._palette:
            return "#ffffff"
        return max((QColor(c) for c, _ in self._palette), key=lambda q: q.lightness()).name()

    def _build_tools(self) -> None:
        self.tool_buttons: dict[str, QToolButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        tips = {"brush": self.tr("Brush (B): paint round strokes in the chosen colour"),
                "eraser": self.tr("Eraser (E): paint back the ground colour"),
                "fill": self.tr("Fill (F): fill the region of similar colour under the click, for big masses")}
        labels = {"brush": self.tr("Brush"), "eraser": self.tr("Eraser"), "fill": self.tr("Fill")}
        row = QHBoxLayout()
        for name in ("brush", "eraser", "fill"):
            button = QToolButton()
            button.setText(labels[name])
            button.setCheckable(True)
            button.setToolTip(tips[name])
            button.setAccessibleName(labels[name])
            button.toggled.connect(functools.partial(self._tool_toggled, name))
            group.addButton(button)
            self.tool_buttons[name] = button
            row.addWidget(button)
        self.tool_buttons["brush"].setChecked(True)
        self.size_box = QSpinBox()
        self.size_box.setRange(1, BRUSH_SIZES[-1])
        self.size_box.setValue(self.canvas.brush_size())
        self.size_box.setSuffix(self.tr(" px"))
        self.size_box.setToolTip(self.tr("Brush size in the canvas's pixels ([ smaller, ] larger)"))
        self.size_box.valueChanged.connect(self.canvas.set_brush_size)
        self.hardness = QSlider(Qt.Orientation.Horizontal)
        self.hardness.setRange(0, 100)
        self.hardness.setValue(round(self.canvas.hardness() * 100))
        self.hardness.setToolTip(self.tr("Hardness: left a soft airbrush edge, right a hard-edged disc"))
        self.hardness.valueChanged.connect(lambda value: self.canvas.set_hardness(value / 100))
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Undo the last stroke, fill or clear (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.canvas.undo)
        self.redo_button = QPushButton(self.tr("Redo"))
        self.redo_button.setToolTip(self.tr("Redo what was undone (Ctrl+Shift+Z)"))
        self.redo_button.clicked.connect(self.canvas.redo)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Fill the whole canvas with the ground colour (undoable)"))
        self.clear_button.clicked.connect(self.canvas.clear)
        row.addSpacing(8)
        row.addWidget(QLabel(self.tr("Size")))
        row.addWidget(self.size_box)
        row.addWidget(QLabel(self.tr("Hardness")))
        row.addWidget(self.hardness, 1)
        row.addSpacing(8)
        for push in (self.undo_button, self.redo_button, self.clear_button):
            row.addWidget(push)
        self._tool_row = row

    def _build_palette(self) -> None:
        self.swatches = PaletteSwatches()
        self.swatches.set_pickable(True)
        self.swatches.set_palette(self._palette)
        self.swatches.setToolTip(self.tr("Your samples' colours: click one to paint with it"))
        self.swatches.setAccessibleName(self.tr("Samples' palette"))
        self.swatches.setMinimumHeight(26)
        self.swatches.sig_colour_picked.connect(self.set_colour)
        self.colour_chip = QPushButton(self.tr("Colour\u2026"))
        self.colour_chip.setToolTip(self.tr("Choose any colour to paint with"))
        self.colour_chip.clicked.connect(self._choose_colour)
        self.aspect_box = QComboBox()
        for label, value in ASPECTS.items():
            if value is None:  # "like the samples" here means the shape the dialog was opened at
                label = self.tr("as opened ({shape})").format(shape=aspect_text(self._aspect_default))
            else:
                label = aspect_label(label)
            self.aspect_box.addItem(label, value if value is not None else self._aspect_default)
        index = next((i for i in range(self.aspect_box.count())
                      if abs(float(self.aspect_box.itemData(i)) - self.canvas.aspect()) < 0.02), 0)
        self.aspect_box.setCurrentIndex(index)
        self.aspect_box.setToolTip(self.tr("The canvas's shape: the paintings made from the guide take it"))
        self.aspect_box.currentIndexChanged.connect(
            lambda _i: self.canvas.set_aspect(float(self.aspect_box.currentData())))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Palette")))
        row.addWidget(self.swatches, 1)
        row.addWidget(self.colour_chip)
        row.addWidget(QLabel(self.tr("Shape")))
        row.addWidget(self.aspect_box)
        self._palette_row = row
        if self._palette:  # start with the darkest sample colour: lines and shadows first
            self.set_colour(min((QColor(c) for c, _ in self._palette), key=lambda q: q.lightness()).name())
        else:
            self.set_colour(self.canvas.colour().name())

    def _add_shortcuts(self) -> None:
        def shortcut(keys: Sequence[QKeySequence | QKeySequence.StandardKey | str], slot: Callable[[], object]) -> None:
            action = QAction(self)
            sequences = {QKeySequence(k).toString(): QKeySequence(k) for k in keys}  # no duplicates: ambiguous
            action.setShortcuts(list(sequences.values()))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        shortcut([QKeySequence.StandardKey.Undo, "Ctrl+Z"], self.canvas.undo)
        shortcut([QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z", "Ctrl+Y"], self.canvas.redo)
        for key, tool in (("B", "brush"), ("E", "eraser"), ("F", "fill")):
            shortcut([key], self.tool_buttons[tool].click)
        shortcut(["["], self.canvas.smaller_brush)
        shortcut(["]"], self.canvas.larger_brush)

    # -- state ------------------------------------------------------------------------------------------

    def _tool_toggled(self, tool: str, on: bool) -> None:
        if on:
            self.canvas.set_tool(tool)

    def set_colour(self, colour: str) -> None:
        """Paint with ``colour`` ("#rrggbb"); the chip shows it."""
        self.canvas.set_colour(colour)
        self.swatches.set_picked(colour if colour in {c for c, _ in self._palette} else None)
        qcolour = QColor(colour)
        text = "#000000" if qcolour.lightness() > 140 else "#ffffff"
        self.colour_chip.setStyleSheet(f"QPushButton {{ background: {qcolour.name()}; color: {text}; }}")

    def _choose_colour(self) -> None:
        colour = QColorDialog.getColor(self.canvas.colour(), self, self.tr("Brush colour"))
        if colour.isValid():
            self.set_colour(colour.name())

    def _update_buttons(self) -> None:
        index = next((i for i in range(self.aspect_box.count())  # an undone reshape shows its shape again
                      if abs(float(self.aspect_box.itemData(i)) - self.canvas.aspect()) < 0.02), -1)
        if index >= 0 and abs(float(self.aspect_box.currentData()) - self.canvas.aspect()) >= 0.02:
            self.aspect_box.blockSignals(True)
            self.aspect_box.setCurrentIndex(index)
            self.aspect_box.blockSignals(False)
        self.undo_button.setEnabled(self.canvas.can_undo())
        self.redo_button.setEnabled(self.canvas.can_redo())
        blank = self.canvas.is_blank()
        self.use_button.setEnabled(not blank)
        self.use_button.setToolTip(self.tr("Draw something first: a blank canvas has no composition") if blank
                                   else self.tr("Paint the next gallery from this drawing's composition"))

    def guide(self, name: str = "sketch") -> Guide:
        """The drawing as a guide (raises GuideError only if the canvas were degenerate)."""
        return guide_from_array(self.canvas.to_array(), name)


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    dialog = SketchDialog((("#2b4a6f", 0.4), ("#d9c58b", 0.3), ("#5d7a3a", 0.2), ("#f2efe6", 0.1)))
    if dialog.exec():
        print(dialog.guide())
