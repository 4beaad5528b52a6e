"""The painting controls: what to paint (count, size, aspect ratio, composition, texture,
brushwork) and how to refine (variations, blend two, repaint region, render larger, more like these).

Like the melody controls, the panel only asks: each button emits a signal and :meth:`params`
reads the settings as a :class:`~studio.domains.painting.params.PaintingParams`. The window's
generation controller runs the work and tells the panel, through :meth:`set_availability`,
which buttons can act now and why the others cannot (the reason becomes the button's tooltip).
"Like the samples" shows the samples' own aspect ratio once :meth:`set_sample_defaults` has it.

The Guide group shows the guide the next gallery follows (:meth:`set_guide`: a thumbnail that
takes dropped files) with Choose, Draw and Clear, and the guide's Closeness, from loosely
recomposing it to tracing it. It only asks too: a dropped or chosen file, Draw and Clear are
signals that the guide controller (:mod:`~studio.ui.guide_controller`) acts on, undoably.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from studio.core.samples import Sample
from studio.domains.painting.guide import DEFAULT_CLOSENESS, Guide
from studio.domains.painting.params import ASPECTS, SIZES, PaintingParams, median_aspect
from studio.ui.i18n import QT_TRANSLATE_NOOP, translate
from studio.ui.panels.controls_base import (
    ControlsPanel, count_box, number_setting, restore_combo, restore_numbers, slider, variations_box,
)
from studio.ui.widgets.guide_drop import GuideDrop

ACTIONS = ("generate", "vary", "blend", "repaint", "render", "more")
RENDER_SIZES = tuple(s for s in SIZES if s > SIZES[0])  # 512, 1024: larger than the working size
LIKE_SAMPLES = next(label for label, value in ASPECTS.items() if value is None)
TIPS = {  # English sources; the panel shows them translated
    "generate": QT_TRANSLATE_NOOP("ControlsPanel", "Generate a gallery of new paintings in your samples' style (Ctrl+G)"),
    "vary": QT_TRANSLATE_NOOP("ControlsPanel", "Variations of the selected gallery painting: its composition kept, "
                              "the detail new (Closeness sets how much is kept) (Ctrl+Shift+V)"),
    "blend": QT_TRANSLATE_NOOP("ControlsPanel", "A new painting joining the compositions of the two selected gallery "
                               "paintings (Ctrl+Shift+B)"),
    "repaint": QT_TRANSLATE_NOOP("ControlsPanel", "Paint the region brushed in the inspector anew, blending it into "
                                 "the rest (Ctrl+Shift+R)"),
    "render": QT_TRANSLATE_NOOP("ControlsPanel", "Paint the selected gallery painting again at a larger size; the "
                                "render lands after it (Ctrl+Shift+L)"),
    "more": QT_TRANSLATE_NOOP("ControlsPanel", "Adapt again with the kept paintings as extra samples, then generate "
                              "(Ctrl+Shift+M)")}
# The engine's aspect names as the window shows them
_ASPECT_LABELS = {"like the samples": QT_TRANSLATE_NOOP("PaintingControlsPanel", "like the samples"),
                  "square 1:1": QT_TRANSLATE_NOOP("PaintingControlsPanel", "square 1:1"),
                  "landscape 4:3": QT_TRANSLATE_NOOP("PaintingControlsPanel", "landscape 4:3"),
                  "portrait 3:4": QT_TRANSLATE_NOOP("PaintingControlsPanel", "portrait 3:4"),
                  "wide 16:9": QT_TRANSLATE_NOOP("PaintingControlsPanel", "wide 16:9"),
                  "tall 9:16": QT_TRANSLATE_NOOP("PaintingControlsPanel", "tall 9:16")}


def aspect_label(name: str) -> str:
    """An aspect of :data:`ASPECTS` in the window's language."""
    return translate("PaintingControlsPanel", _ASPECT_LABELS.get(name, name))


def sample_defaults(samples: Sequence[Sample]) -> dict[str, Any]:
    """The samples' median aspect ratio (width / height; None without pictures)."""
    return {"aspect": median_aspect(samples)}


def aspect_text(aspect: float) -> str:
    """``1.333`` -> ``"1.33:1 landscape"``."""
    if abs(aspect - 1.0) < 0.02:
        shape = translate("PaintingControlsPanel", "square")
    elif aspect > 1:
        shape = translate("PaintingControlsPanel", "landscape")
    else:
        shape = translate("PaintingControlsPanel", "portrait")
    return f"{aspect:.2f}:1 {shape}"


class PaintingControlsPanel(ControlsPanel):
    """See the module docstring. Buttons: ``buttons[name]`` for every name in :data:`ACTIONS`."""

    tips = TIPS

    sig_generate = Signal()
    sig_vary = Signal()
    sig_blend = Signal()
    sig_repaint = Signal()
    sig_render = Signal()
    sig_more_like_these = Signal()
    sig_guide_file = Signal(str)  # a file dropped on the guide thumbnail
    sig_choose_guide = Signal()
    sig_draw_guide = Signal()
    sig_clear_guide = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = count_box(self.tr("How many paintings one Generate (or Adapt) makes"))
        self.size_box = QComboBox()
        for side in SIZES:
            text = self.tr("{side} px (fast)") if side == SIZES[0] else self.tr("{side} px")
            self.size_box.addItem(text.format(side=side), side)
        self.size_box.setToolTip(self.tr("Long side of new paintings; 256 px paints fastest on a laptop CPU, "
                                         "Render Larger repaints a chosen one at 512 or 1024 px"))
        self.aspect = QComboBox()
        for label, value in ASPECTS.items():
            self.aspect.addItem(aspect_label(label), value)
        self.aspect.setToolTip(self.tr("Shape of new paintings (width : height); default: the samples' median shape"))
        default = PaintingParams()
        self.composition = slider(0, 100, round(default.composition * 100),
                                  self.tr("Composition: left keeps the samples' compositions closely, right invents "
                                          "freely"))
        self.composition_label = QLabel()
        self.texture = slider(0, 200, round(default.texture * 100),
                              self.tr("Texture: the strength of the painted detail (brushwork, grain); left is "
                                      "smoother, right is busier"))
        self.texture_label = QLabel()
        self.brushwork = slider(0, 100, round(default.brushwork * 100),
                                self.tr("Brushwork: how much of the fine detail is rebuilt from your paintings' own "
                                        "strokes; left keeps the network's grain, right takes all of it from the "
                                        "samples"))
        self.brushwork_label = QLabel()
        self.closeness = slider(0, 100, 70, self.tr("Closeness of variations: right keeps the composition and most "
                                                    "detail, left keeps only a sketch of it"))
        self.variations = variations_box()
        self.render_size = QComboBox()
        for side in RENDER_SIZES:
            self.render_size.addItem(self.tr("{side} px").format(side=side), side)
        self.render_size.setToolTip(self.tr("Long side of the larger render"))
        labels = {"generate": self.tr("Generate"), "vary": self.tr("Variations"), "blend": self.tr("Blend Two"),
                  "repaint": self.tr("Repaint Region"), "render": self.tr("Render Larger"),
                  "more": self.tr("More Like These")}
        self._make_buttons(labels, {"generate": self.sig_generate, "vary": self.sig_vary, "blend": self.sig_blend,
                                    "repaint": self.sig_repaint, "render": self.sig_render,
                                    "more": self.sig_more_like_these})
        self.composition.valueChanged.connect(self._show_values)
        self.texture.valueChanged.connect(self._show_values)
        self.brushwork.valueChanged.connect(self._show_values)
        self._guide: Guide | None = None
        self._build_guide()
        self._layout()
        self._show_values()
        self.set_availability(dict.fromkeys(ACTIONS, self.tr("Add a few paintings first: the studio learns their style")))
        self.setMinimumWidth(220)  # the height follows the contents; the window scrolls it

    def _layout(self) -> None:
        def row(*widgets: QWidget, stretch: tuple[int, ...] = ()) -> QHBoxLayout:
            line = QHBoxLayout()
            for i, widget in enumerate(widgets):
                line.addWidget(widget, stretch[i] if i < len(stretch) else 0)
            return line

        form = QFormLayout()
        form.addRow(self.tr("Count"), row(self.count, self.size_box, stretch=(2, 3)))
        form.addRow(self.tr("Aspect"), self.aspect)
        form.addRow(self.tr("Composition"), row(self.composition, self.composition_label, stretch=(1,)))
        form.addRow(self.tr("Texture"), row(self.texture, self.texture_label, stretch=(1,)))
        form.addRow(self.tr("Brushwork"), row(self.brushwork, self.brushwork_label, stretch=(1,)))
        self._stack_groups(self.tr("New paintings"), form, row(self.closeness, self.variations, stretch=(3, 2)),
                           [row(self.buttons["vary"], self.buttons["blend"]), self.buttons["repaint"],
                            row(self.buttons["render"], self.render_size, stretch=(3, 2))])
        outer = self.layout()
        if isinstance(outer, QBoxLayout):
            outer.insertWidget(1, self.guide_group)  # between "New paintings" and the refine group

    def _build_guide(self) -> None:
        self._aspect_tip = self.aspect.toolTip()
        self._composition_tip = self.composition.toolTip()
        self.guide_drop = GuideDrop()
        self.guide_drop.setToolTip(self.tr("The guide: drop a photo or a sketch here, or click to choose one; "
                                           "every painting of the next gallery follows its composition"))
        self.guide_drop.sig_file_dropped.connect(self.sig_guide_file.emit)
        self.guide_drop.sig_clicked.connect(self.sig_choose_guide.emit)
        self.guide_info = QLabel()
        self.guide_info.setWordWrap(True)
        self.guide_problem = QLabel()
        self.guide_problem.setWordWrap(True)
        self.guide_problem.setStyleSheet("color: #c0392b;")
        self.guide_problem.setVisible(False)
        self.choose_guide_button = QPushButton(self.tr("Choose\u2026"))
        self.choose_guide_button.setToolTip(self.tr("Use a photo or a sketch file as the guide"))
        self.choose_guide_button.clicked.connect(self.sig_choose_guide.emit)
        self.draw_guide_button = QPushButton(self.tr("Draw\u2026"))
        self.draw_guide_button.setToolTip(self.tr("Draw the guide on a canvas with your samples' colours"))
        self.draw_guide_button.clicked.connect(self.sig_draw_guide.emit)
        self.clear_guide_button = QPushButton(self.tr("Clear"))
        self.clear_guide_button.setToolTip(self.tr("No guide: the next gallery composes anew (undoable)"))
        self.clear_guide_button.clicked.connect(self.sig_clear_guide.emit)
        self.guide_closeness = slider(0, 100, round(DEFAULT_CLOSENESS * 100), self.tr(
            "Closeness to the guide: right traces its shapes and values closely, left keeps only its big "
            "masses and loosely recomposes them (each painting then moves them a little)"))
        self.guide_closeness_label = QLabel()
        self.guide_closeness.valueChanged.connect(self._show_values)
        buttons = QHBoxLayout()
        for button in (self.choose_guide_button, self.draw_guide_button, self.clear_guide_button):
            buttons.addWidget(button)
        closeness = QHBoxLayout()
        closeness.addWidget(QLabel(self.tr("Loose")))
        closeness.addWidget(self.guide_closeness, 1)
        closeness.addWidget(QLabel(self.tr("Trace")))
        closeness.addWidget(self.guide_closeness_label)
        self.guide_group = QGroupBox(self.tr("Guide"))
        column = QVBoxLayout(self.guide_group)
        column.addWidget(self.guide_drop)
        column.addWidget(self.guide_info)
        column.addWidget(self.guide_problem)
        column.addLayout(buttons)
        form = QFormLayout()
        form.addRow(self.tr("Closeness"), closeness)
        column.addLayout(form)
        self.set_guide(None)

    # -- reading the controls ------------------------------------------------------------------------

    def params(self) -> PaintingParams:
        return PaintingParams(long_side=int(self.size_box.currentData()), aspect=self.aspect.currentData(),
                              composition=self.composition.value() / 100.0, texture=self.texture.value() / 100.0,
                              brushwork=self.brushwork.value() / 100.0, guide=self._guide,
                              closeness=self.guide_closeness.value() / 100.0)

    def guide(self) -> Guide | None:
        return self._guide

    def set_guide(self, guide: Guide | None) -> None:
        """Show ``guide`` as the one the next gallery follows (None: no guide). The controller
        calls this; the panel never sets its own guide."""
        self._guide = guide
        self.guide_drop.set_image(guide.image if guide is not None else None)
        self.clear_guide_button.setEnabled(guide is not None)
        self.aspect.setEnabled(guide is None)
        self.aspect.setToolTip(self._aspect_tip if guide is None else
                               self.tr("The guide sets the shape of new paintings; clear it to choose another"))
        self.composition.setEnabled(guide is None)
        self.composition.setToolTip(self._composition_tip if guide is None else
                                    self.tr("The guide gives the composition (Closeness sets how closely it is "
                                            "followed); clear it to compose anew"))
        if guide is None:
            self.guide_info.setText(self.tr("No guide: each painting gets a new composition."))
        else:
            height, width = guide.image.shape[:2]
            self.guide_info.setText(self.tr("{name}, {width} \u00d7 {height} px: the paintings take its shape")
                                    .format(name=guide.name, width=width, height=height))
        self.guide_info.setToolTip(self.guide_info.text())
        self.guide_drop.setAccessibleDescription(self.guide_info.text())
        self.show_guide_problem(None)

    def show_guide_problem(self, text: str | None) -> None:
        """Say under the thumbnail why a file could not be the guide (None: hide the message)."""
        self.guide_problem.setText(text or "")
        self.guide_problem.setVisible(bool(text))

    def render_side(self) -> int:
        return int(self.render_size.currentData())

    # -- state from the controller -------------------------------------------------------------------

    def set_sample_defaults(self, defaults: dict[str, Any]) -> None:
        """Show what "like the samples" means now (from :func:`sample_defaults`)."""
        aspect = defaults.get("aspect")
        like = aspect_label(LIKE_SAMPLES)
        self.aspect.setItemText(0, f"{like} ({aspect_text(aspect)})" if aspect else like)

    def settings(self) -> dict[str, Any]:
        return {"count": self.count.value(), "size": self.size_box.currentData(),
                "aspect": list(ASPECTS)[max(0, self.aspect.currentIndex())], "composition": self.composition.value(),
                "texture": self.texture.value(), "brushwork": self.brushwork.value(),
                "closeness": self.closeness.value(), "variations": self.variations.value(),
                "render_size": self.render_size.currentData(), "guide_closeness": self.guide_closeness.value()}

    def apply_settings(self, values: dict[str, Any]) -> None:
        """Restore :meth:`settings` (unknown or malformed entries are skipped)."""
        restore_numbers(values, (("count", self.count), ("composition", self.composition), ("texture", self.texture),
                                 ("brushwork", self.brushwork), ("closeness", self.closeness),
                                 ("variations", self.variations), ("guide_closeness", self.guide_closeness)))
        for name, combo in (("size", self.size_box), ("render_size", self.render_size)):
            restore_combo(combo, number_setting(values, name))
        aspect = values.get("aspect")
        if isinstance(aspect, str) and aspect in ASPECTS:
            self.aspect.setCurrentIndex(list(ASPECTS).index(aspect))

    def _show_values(self, *_: object) -> None:
        self.composition_label.setText(f"{self.composition.value()} %")
        self.texture_label.setText(f"{self.texture.value() / 100:.2f}")
        self.brushwork_label.setText(f"{self.brushwork.value()} %")
        self.guide_closeness_label.setText(f"{self.guide_closeness.value()} %")


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    panel = PaintingControlsPanel()
    panel.set_availability(dict.fromkeys(ACTIONS))
    panel.sig_generate.connect(lambda: print(panel.params()))
    panel.show()
    sys.exit(app.exec())
