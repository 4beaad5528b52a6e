"""The inspector: a larger preview and every fact of the selected sample or work.

A painting shows as a picture with its palette; a melody as a full piano roll
(:class:`~studio.ui.widgets.piano_roll.PianoRollWidget`) with a transport row: Play / Stop
and the playback tempo. The panel only asks for playback (``sig_play_requested``); the window
owns the player and moves the playhead with :meth:`set_playhead`. Bars chosen in a gallery
melody's piano roll are what "Regenerate bars" rewrites (``sig_bars_selected``).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPushButton, QScrollArea, QSpinBox, QStackedWidget, QVBoxLayout, QWidget,
)

from studio.core.melody import Melody
from studio.core.samples import ImageFacts, Sample
from studio.core.works import Work
from studio.io.palette import dominant_palette
from studio.ui.audio import TEMPO_RANGE
from studio.ui.facts import fact_rows, work_rows, work_title
from studio.ui.pixmaps import rgb_to_pixmap
from studio.ui.widgets.piano_roll import PianoRollWidget
from studio.ui.widgets.preview import FitPixmapLabel
from studio.ui.widgets.swatches import PaletteSwatches

NOTHING = "Select a sample or a work to see it here with its facts."


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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._work: Work | None = None
        self._sample: Sample | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = FitPixmapLabel(NOTHING)
        self.preview.setToolTip("Preview of the selected sample or work")
        self.piano_roll = PianoRollWidget()
        self.piano_roll.sig_bars_selected.connect(self._bars_selected)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.preview)
        self._stack.addWidget(self.piano_roll)
        self.play_button = QPushButton("Play")
        self.play_button.setToolTip("Play or stop the melody with the built-in synth (Space in the gallery)")
        self.play_button.clicked.connect(self.sig_play_requested.emit)
        self.tempo = QSpinBox()
        self.tempo.setRange(*TEMPO_RANGE)
        self.tempo.setSingleStep(10)
        self.tempo.setValue(100)
        self.tempo.setSuffix(" % tempo")
        self.tempo.setToolTip("Playback speed, as a share of the melody's own tempo (exports keep the tempo)")
        self.tempo.valueChanged.connect(lambda value: self.sig_tempo_changed.emit(value / 100.0))
        self.bars_label = QLabel()
        self.bars_label.setToolTip("Bars chosen for \u201cRegenerate bars\u201d")
        self._transport = QWidget()
        transport = QHBoxLayout(self._transport)
        transport.setContentsMargins(0, 0, 0, 0)
        transport.addWidget(self.play_button)
        transport.addWidget(self.tempo)
        transport.addWidget(self.bars_label, 1)
        self.swatches = PaletteSwatches()
        self.swatches_label = QLabel("Dominant colours")
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
        layout.addWidget(self.swatches_label)
        layout.addWidget(self.swatches)
        layout.addWidget(facts_scroll, 2)
        self.setMinimumSize(200, 260)
        self.show_nothing()

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
        self.title.setText("<b>Inspector</b>")
        self.preview.set_source(None)
        self._show_melody(None)
        self._set_palette(None)
        self.facts.setText("")

    def show_sample(self, sample: Sample) -> None:
        self._work, self._sample = None, sample
        self.title.setText(f"<b>{html.escape(sample.name)}</b><br><small>{html.escape(sample.path)}</small>")
        self.preview.set_source(rgb_to_pixmap(sample.image) if sample.image is not None else None)
        self._show_melody(sample.melody, selectable=False)
        facts = sample.facts
        self._set_palette(facts.palette if isinstance(facts, ImageFacts) else None)
        self.facts.setText(_table(fact_rows(facts)))

    def show_work(self, work: Work) -> None:
        same = self._work is not None and self._work.id == work.id and self._work.melody is work.melody
        self._work, self._sample = work, None
        self.title.setText(f"<b>{html.escape(work_title(work))}</b>")
        if work.image is not None:
            self.preview.set_source(rgb_to_pixmap(work.image))
            self._set_palette(dominant_palette(work.image))
        else:
            self.preview.set_source(None)
            self._set_palette(None)
        if not same:  # a status change keeps the chosen bars
            self._show_melody(work.melody, selectable=True)
        self.facts.setText(_table(work_rows(work)))

    def _show_melody(self, melody: Melody | None, selectable: bool = True) -> None:
        self.piano_roll.set_melody(melody, selectable)
        self._stack.setCurrentWidget(self.piano_roll if melody is not None else self.preview)
        self._transport.setVisible(melody is not None)
        self._bars_selected([])

    # -- playback and bars ----------------------------------------------------------------------------

    def set_playing(self, playing: bool) -> None:
        self.play_button.setText("Stop" if playing else "Play")
        if not playing:
            self.piano_roll.set_playhead(None)

    def set_playhead(self, tick: float | None) -> None:
        self.piano_roll.set_playhead(tick)

    def _bars_selected(self, bars: list[int]) -> None:
        self.bars_label.setText(f"Bars {', '.join(str(b + 1) for b in bars)} chosen" if bars else "")
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
