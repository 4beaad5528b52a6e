"""The inspector: a larger preview and every fact of the selected sample or work."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from studio.core.samples import ImageFacts, Sample
from studio.core.works import Work
from studio.io.palette import dominant_palette
from studio.ui.facts import fact_rows, work_rows, work_title
from studio.ui.pixmaps import piano_roll_pixmap, rgb_to_pixmap
from studio.ui.widgets.preview import FitPixmapLabel
from studio.ui.widgets.swatches import PaletteSwatches

ROLL_SIZE = (640, 320)  # piano-roll preview pixels; the label scales it to fit
NOTHING = "Select a sample or a work to see it here with its facts."


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:8px'><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
        for k, v in rows)
    return f"<table cellspacing='2'>{cells}</table>"


class InspectorPanel(QWidget):
    """Shows one sample (:meth:`show_sample`), one work (:meth:`show_work`) or a hint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = FitPixmapLabel(NOTHING)
        self.preview.setToolTip("Preview of the selected sample or work")
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
        layout.addWidget(self.preview, 3)
        layout.addWidget(self.swatches_label)
        layout.addWidget(self.swatches)
        layout.addWidget(facts_scroll, 2)
        self.setMinimumSize(200, 260)
        self.show_nothing()

    def show_nothing(self) -> None:
        self.title.setText("<b>Inspector</b>")
        self.preview.set_source(None)
        self._set_palette(None)
        self.facts.setText("")

    def show_sample(self, sample: Sample) -> None:
        self.title.setText(f"<b>{html.escape(sample.name)}</b><br><small>{html.escape(sample.path)}</small>")
        if sample.image is not None:
            self.preview.set_source(rgb_to_pixmap(sample.image))
        elif sample.melody is not None:
            self.preview.set_source(piano_roll_pixmap(sample.melody, *ROLL_SIZE))
        else:
            self.preview.set_source(None)
        facts = sample.facts
        self._set_palette(facts.palette if isinstance(facts, ImageFacts) else None)
        self.facts.setText(_table(fact_rows(facts)))

    def show_work(self, work: Work) -> None:
        self.title.setText(f"<b>{html.escape(work_title(work))}</b>")
        if work.image is not None:
            self.preview.set_source(rgb_to_pixmap(work.image))
            self._set_palette(dominant_palette(work.image))
        else:
            self.preview.set_source(piano_roll_pixmap(work.melody, *ROLL_SIZE) if work.melody else None)
            self._set_palette(None)
        self.facts.setText(_table(work_rows(work)))

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
