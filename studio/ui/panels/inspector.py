"""The inspector: a larger preview and every fact of the selected sample or work.

A painting shows as a zoomable picture (:class:`~studio.ui.widgets.image_view.ImageView`) with
its palette and, for a gallery painting, the mask brush that "Repaint region" uses and the
variation closeness slider, and for a guided painting its guide's thumbnail and closeness
(:meth:`set_guide_lookup` finds the guide's pixels by digest); a melody as a full piano roll
(:class:`~studio.ui.widgets.piano_roll.PianoRollWidget`) with a transport row: Play / Stop
and the playback tempo. The panel only asks for playback (``sig_play_requested``); the window
owns the player and moves the playhead with :meth:`set_playhead`. Bars chosen in a gallery
melody's piano roll are what "Regenerate bars" rewrites (``sig_bars_selected``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import numpy as np

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPushButton, QScrollArea, QSlider, QSpinBox, QStackedWidget, QVBoxLayout, QWidget,
)

from studio.core.melody import Melody
from studio.core.samples import ImageFacts, Sample
from studio.core.works import Work
from studio.io.palette import dominant_palette
from studio.ui.audio import TEMPO_RANGE
from studio.ui.i18n import QT_TRANSLATE_NOOP
from studio.ui.facts import fact_rows, work_rows, work_title
from studio.ui.pixmaps import picture_pixmap, rgb_to_pixmap, scaled_image_pixmap
from studio.ui.widgets.image_view import ImageView
from studio.ui.widgets.piano_roll import PianoRollWidget
from studio.ui.widgets.swatches import PaletteSwatches

NOTHING = QT_TRANSLATE_NOOP("InspectorPanel", "Select a sample or a work to see it here with its facts.")


GUIDE_THUMB = 48  # px of the guide thumbnail's long side
TASTE_THUMB = 56  # px of the taste explanation's neighbour thumbnails


def guide_info(work: Work) -> tuple[str, str, float | None] | None:
    """(name, digest, closeness) of the guide ``work`` was painted from, from its provenance
    (a generated work's own entries, or its generation params); None for an unguided work."""
    provenance = work.provenance
    raw = provenance.get("params")
    params: dict = raw if isinstance(raw, dict) else {}
    guide = provenance.get("guide") or params.get("guide")
    if not isinstance(guide, dict):
        return None
    closeness = provenance.get("guide_closeness", params.get("closeness") if params.get("guide") else None)
    if closeness is None and provenance.get("operation") == "generate":
        closeness = provenance.get("closeness")
    return (str(guide.get("name", "guide")), str(guide.get("digest", "")),
            float(closeness) if isinstance(closeness, (int, float)) else None)


def _related(before: Work | None, after: Work) -> bool:
    """Whether ``after`` is ``before`` repainted (or the way back): its mask still applies."""
    if before is None or before.image is None or after.image is None:
        return False
    return before.image.shape == after.image.shape and (
        before.id == after.id or after.provenance.get("parent") == before.id
        or before.provenance.get("parent") == after.id)


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:8px'><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
        for k, v in rows)
    return f"<table cellspacing='2'>{cells}</table>"


class InspectorPanel(QWidget):
    """Shows one sample (:meth:`show_sample`), one work (:meth:`show_work`) or a hint."""

    sig_play_requested = Signal()  # play or stop what the inspector shows
    sig_tempo_changed = Signal(float)  # playback tempo as a factor of the melody's own
    sig_bars_selected = Signal(list)
    sig_mask_changed = Signal(bool)  # whether a mask is brushed on the shown gallery painting
    sig_repaint_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._work: Work | None = None
        self._sample: Sample | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = ImageView(self.tr(NOTHING))
        self.preview.setToolTip(self.tr("The selected sample or work: wheel or Ctrl +/- zooms, Ctrl 0 fits, "
                                        "drag pans; in brush mode the left button paints the repaint mask, the "
                                        "right button erases it"))
        self.preview.sig_mask_changed.connect(self.sig_mask_changed.emit)
        self.preview.sig_zoom_changed.connect(self._show_zoom)
        self._painting_tools = self._build_painting_tools()
        self._guide_row = self._build_guide_row()
        self._taste_row = self._build_taste_row()
        self.piano_roll = PianoRollWidget()
        self.piano_roll.sig_bars_selected.connect(self._bars_selected)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.preview)
        self._stack.addWidget(self.piano_roll)
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setToolTip(self.tr("Play or stop the melody with the built-in synth (Space in the gallery)"))
        self.play_button.clicked.connect(self.sig_play_requested.emit)
        self.tempo = QSpinBox()
        self.tempo.setRange(*TEMPO_RANGE)
        self.tempo.setSingleStep(10)
        self.tempo.setValue(100)
        self.tempo.setSuffix(self.tr(" % tempo"))
        self.tempo.setToolTip(self.tr("Playback speed, as a share of the melody's own tempo (exports keep the tempo)"))
        self.tempo.valueChanged.connect(lambda value: self.sig_tempo_changed.emit(value / 100.0))
        self.bars_label = QLabel()
        self.bars_label.setToolTip(self.tr("Bars chosen for \u201cRegenerate bars\u201d"))
        self._transport = QWidget()
        transport = QHBoxLayout(self._transport)
        transport.setContentsMargins(0, 0, 0, 0)
        transport.addWidget(self.play_button)
        transport.addWidget(self.tempo)
        transport.addWidget(self.bars_label, 1)
        self.swatches = PaletteSwatches()
        self.swatches_label = QLabel(self.tr("Dominant colours"))
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts_scroll = QScrollArea()
        facts_scroll.setWidgetResizable(True)
        facts_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        facts_scroll.setWidget(self.facts)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self._stack, 3)
        layout.addWidget(self._transport)
        layout.addWidget(self._painting_tools)
        layout.addWidget(self._guide_row)
        layout.addWidget(self._taste_row)
        layout.addWidget(self.swatches_label)
        layout.addWidget(self.swatches)
        layout.addWidget(facts_scroll, 2)
        self.setMinimumSize(200, 260)
        self.show_nothing()

    def _build_painting_tools(self) -> QWidget:
        self.brush_button = QPushButton(self.tr("Brush"))
        self.brush_button.setCheckable(True)
        self.brush_button.setToolTip(self.tr("Brush mode (B): paint the region to repaint with the left button, "
                                             "erase with the right button"))
        self.brush_button.toggled.connect(self.preview.set_brush_mode)
        self.brush_size = QSpinBox()
        self.brush_size.setRange(2, 256)
        self.brush_size.setValue(self.preview.brush_size())
        self.brush_size.setSuffix(self.tr(" px"))
        self.brush_size.setToolTip(self.tr("Brush diameter in the painting's pixels"))
        self.brush_size.valueChanged.connect(self.preview.set_brush_size)
        self.clear_mask_button = QPushButton(self.tr("Clear"))
        self.clear_mask_button.setToolTip(self.tr("Clear the repaint mask"))
        self.clear_mask_button.clicked.connect(self.preview.clear_mask)
        self.repaint_button = QPushButton(self.tr("Repaint"))
        self.repaint_button.clicked.connect(self.sig_repaint_requested.emit)
        self.set_repaint_reason(self.tr("Brush a region of a gallery painting first"))
        self.fit_button = QPushButton(self.tr("Fit"))
        self.fit_button.setToolTip(self.tr("Fit the picture to the view (Ctrl+0); the wheel or Ctrl +/- zooms"))
        self.fit_button.clicked.connect(self.preview.fit)
        self.zoom_label = QLabel()
        self.zoom_label.setToolTip(self.tr("Zoom: 100 % shows the painting's actual pixels"))
        self.closeness = QSlider(Qt.Orientation.Horizontal)
        self.closeness.setRange(0, 100)
        self.closeness.setValue(70)
        self.closeness.setToolTip(self.tr("Closeness of variations: right keeps the composition and most detail, "
                                          "left keeps only a sketch of it"))
        self.preview.sig_mask_changed.connect(lambda _any: self._update_mask_tools())
        tools = QWidget()
        column = QVBoxLayout(tools)
        column.setContentsMargins(0, 0, 0, 0)
        first = QHBoxLayout()
        for widget in (self.brush_button, self.brush_size, self.clear_mask_button, self.repaint_button):
            first.addWidget(widget)
        first.addStretch(1)
        first.addWidget(self.fit_button)
        first.addWidget(self.zoom_label)
        second = QHBoxLayout()
        second.addWidget(QLabel(self.tr("Variation closeness")))
        second.addWidget(self.closeness, 1)
        column.addLayout(first)
        column.addLayout(second)
        tools.setVisible(False)
        return tools

    # -- what is shown -------------------------------------------------------------------------------

    def current_work(self) -> Work | None:
        return self._work

    def current_sample(self) -> Sample | None:
        return self._sample

    def current_melody(self) -> tuple[str, Melody] | None:
        """(playback key, melody) of what is shown, or None: a work's id, a sample's digest."""
        if self._work is not None and self._work.melody is not None:
            return self._work.id, self._work.melody
        if self._sample is not None and self._sample.melody is not None:
            return self._sample.digest, self._sample.melody
        return None

    def show_nothing(self) -> None:
        self._work = self._sample = None
        self.title.setText(self.tr("<b>Inspector</b>"))
        self.preview.set_source(None)
        self._show_melody(None)
        self._set_palette(None)
        self._show_painting_tools(False)
        self.show_taste(None)
        self.facts.setText("")

    def show_sample(self, sample: Sample) -> None:
        self._work, self._sample = None, sample
        self.title.setText(f"<b>{html.escape(sample.name)}</b><br><small>{html.escape(sample.path)}</small>")
        self.preview.set_source(rgb_to_pixmap(sample.image) if sample.image is not None else None)
        self._show_melody(sample.melody, selectable=False)
        self._show_painting_tools(sample.image is not None)
        facts = sample.facts
        self._set_palette(facts.palette if isinstance(facts, ImageFacts) else None)
        self.show_taste(None)
        self.facts.setText(_table(fact_rows(facts)))

    def show_work(self, work: Work) -> None:
        before = self._work
        same = before is not None and before.id == work.id and before.melody is work.melody
        self._work, self._sample = work, None
        self.title.setText(f"<b>{html.escape(work_title(work))}</b>")
        if work.image is not None:
            if before is None or before.image is not work.image:
                self.preview.set_source(rgb_to_pixmap(work.image), keep_mask=_related(before, work))
            self._set_palette(dominant_palette(work.image))
        else:
            self.preview.set_source(None)
            self._set_palette(None)
        self._show_painting_tools(work.image is not None)
        self._show_guide(work)
        if before is None or before.id != work.id:
            self.show_taste(None)  # the taste controller shows the new work's explanation when it has it
        if not same:  # a status change keeps the chosen bars
            self._show_melody(work.melody, selectable=True)
        self.facts.setText(_table(work_rows(work)))

    def _show_melody(self, melody: Melody | None, selectable: bool = True) -> None:
        self.piano_roll.set_melody(melody, selectable)
        self._stack.setCurrentWidget(self.piano_roll if melody is not None else self.preview)
        self._transport.setVisible(melody is not None)
        self._bars_selected([])

    def _show_painting_tools(self, visible: bool) -> None:
        self._painting_tools.setVisible(visible)
        self._guide_row.setVisible(False)  # show_work shows it again for a guided painting
        if not visible or self._work is None:
            self.brush_button.setChecked(False)
        self._update_mask_tools()

    # -- a guided painting's guide -------------------------------------------------------------------

    def _build_guide_row(self) -> QWidget:
        self._guide_lookup: Callable[[str], np.ndarray | None] = lambda _digest: None
        self.guide_thumb = QLabel()
        self.guide_thumb.setFixedHeight(GUIDE_THUMB)
        self.guide_text = QLabel()
        self.guide_text.setWordWrap(True)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.guide_thumb)
        line.addWidget(self.guide_text, 1)
        row.setVisible(False)
        return row

    def set_guide_lookup(self, lookup: Callable[[str], np.ndarray | None]) -> None:
        """How to find a guide's pixels (``HxWx3``) from the digest a work's provenance records."""
        self._guide_lookup = lookup

    def _show_guide(self, work: Work) -> None:
        """For a guided painting: its guide (thumbnail when known) and the closeness it was made at."""
        info = guide_info(work)
        if info is None:
            return
        name, digest, closeness = info
        image = self._guide_lookup(digest) if digest else None
        self.guide_thumb.setVisible(image is not None)
        if image is not None:
            self.guide_thumb.setPixmap(scaled_image_pixmap(image, GUIDE_THUMB))
        text = self.tr("Guided by {name}").format(name=name)
        if closeness is not None:
            text += self.tr(", closeness {value} %").format(value=round(closeness * 100))
        self.guide_text.setText(text)
        self.guide_thumb.setToolTip(text)
        self._guide_row.setVisible(True)

    # -- a gallery work's taste explanation ----------------------------------------------------------

    def _build_taste_row(self) -> QWidget:
        self.taste_text = QLabel()
        self.taste_text.setWordWrap(True)
        self.taste_text.setTextFormat(Qt.TextFormat.RichText)
        self.taste_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.taste_thumbs: list[tuple[QLabel, QLabel]] = []
        thumbs = QHBoxLayout()
        thumbs.setContentsMargins(0, 0, 0, 0)
        for _ in range(3):
            picture, caption = QLabel(), QLabel()
            picture.setFixedHeight(TASTE_THUMB)
            caption.setWordWrap(True)
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(picture)
            cell.addWidget(caption)
            thumbs.addLayout(cell)
            self.taste_thumbs.append((picture, caption))
        thumbs.addStretch(1)
        row = QWidget()
        column = QVBoxLayout(row)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.taste_text)
        column.addLayout(thumbs)
        row.setVisible(False)
        return row

    def show_taste(self, text: str | None, neighbours: Sequence[tuple[str, Work | Sample]] = ()) -> None:
        """The shown work's taste explanation: ``text`` (rich text, translated; None hides the
        section) and up to three ``(caption, work or sample)`` neighbours shown as thumbnails."""
        if text is None:
            self._taste_row.setVisible(False)
            return
        self.taste_text.setText(text)
        for i, (picture, caption) in enumerate(self.taste_thumbs):
            if i < len(neighbours):
                label, item = neighbours[i]
                picture.setPixmap(picture_pixmap(item.image, item.melody, TASTE_THUMB))
                title = work_title(item) if isinstance(item, Work) else item.name
                caption.setText(f"<small>{html.escape(label)}<br>{html.escape(title)}</small>")
                picture.setToolTip(f"{label}: {title}")
            picture.setVisible(i < len(neighbours))
            caption.setVisible(i < len(neighbours))
        self._taste_row.setVisible(True)

    def taste_shown(self) -> str | None:
        """The taste explanation shown (rich text), or None."""
        return self.taste_text.text() if self._taste_row.isVisibleTo(self) else None

    def _update_mask_tools(self) -> None:
        brushable = self._work is not None and self._work.image is not None
        self.brush_button.setEnabled(brushable)
        self.brush_size.setEnabled(brushable)
        self.clear_mask_button.setEnabled(brushable and self.preview.has_mask())

    def _show_zoom(self, scale: float) -> None:
        self.zoom_label.setText(f"{scale * 100:.0f} %")

    # -- the repaint mask -----------------------------------------------------------------------------

    def repaint_mask(self) -> np.ndarray | None:
        """The brushed mask of the shown gallery painting (HxW uint8, 255 = repaint), or None when
        no gallery painting is shown or nothing is brushed."""
        if self._work is None or self._work.image is None or not self.preview.has_mask():
            return None
        return self.preview.repaint_mask()

    def has_mask(self) -> bool:
        return self._work is not None and self._work.image is not None and self.preview.has_mask()

    def set_repaint_reason(self, reason: str | None) -> None:
        """Enable the Repaint button (None) or disable it, saying why in its tooltip."""
        tip = self.tr("Paint the brushed region anew, blending it into the rest (Ctrl+Shift+R)")
        self.repaint_button.setEnabled(reason is None)
        self.repaint_button.setToolTip(tip if reason is None else self.tr("{tip}. {reason}.").format(tip=tip, reason=reason))

    # -- playback and bars ----------------------------------------------------------------------------

    def set_playing(self, playing: bool) -> None:
        self.play_button.setText(self.tr("Stop") if playing else self.tr("Play"))
        if not playing:
            self.piano_roll.set_playhead(None)

    def set_playhead(self, tick: float | None) -> None:
        self.piano_roll.set_playhead(tick)

    def _bars_selected(self, bars: list[int]) -> None:
        numbers = ", ".join(str(b + 1) for b in bars)
        self.bars_label.setText(self.tr("Bars {numbers} chosen").format(numbers=numbers) if bars else "")
        self.sig_bars_selected.emit(list(bars))

    def _set_palette(self, palette: tuple[tuple[str, float], ...] | None) -> None:
        visible = bool(palette)
        self.swatches.set_palette(palette or ())
        self.swatches.setVisible(visible)
        self.swatches_label.setVisible(visible)


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    from studio import engine
    from studio.core.samples import Domain

    app = QApplication(sys.argv)
    panel = InspectorPanel()
    domain = Domain.MELODY if "--melody" in sys.argv else Domain.PAINTING
    report = engine.import_samples(engine.demo_sample_paths(domain)[:1])
    if report.samples:
        panel.show_sample(report.samples[0])
    panel.resize(360, 560)
    panel.show()
    sys.exit(app.exec())
