"""Help > Getting Started: the two workflows (paintings, melodies) in a few steps, each with a
screenshot of this app.

The pictures live in ``assets/help/`` (the Chinese window's in ``assets/help/zh_CN/``) and are
real screenshots taken by :mod:`studio.ui.help_shots` (``python -m studio.ui.help_shots``), which
drives the window offscreen with the demo samples; :data:`PICTURES` names them. A missing or unreadable picture
shows its file name and the reason in its place, never a crash. The dialog is not modal, closes
with Esc, and offers a "Show at start" check box (saved in the settings) that the window reads
at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFrame, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget,
)

from studio.engine import ASSETS_DIR
from studio.ui.i18n import ENGLISH, resolve, saved_choice

HELP_DIR = ASSETS_DIR / "help"
KEY_SHOW_AT_START = "help/show_getting_started"
PICTURE_WIDTH = 640  # shown width in pixels: the files are saved at this width (no scaling)


@dataclass(frozen=True)
class Step:
    title: str
    text: str  # rich text
    picture: str  # file name under HELP_DIR, "" for none


PICTURES = {
    "paintings-samples": "paintings-samples.png",
    "paintings-gallery": "paintings-gallery.png",
    "paintings-kept": "paintings-kept.png",
    "melodies-samples": "melodies-samples.png",
    "melodies-gallery": "melodies-gallery.png",
    "melodies-play": "melodies-play.png",
}


def picture_folder(language: str, base: Path = HELP_DIR, must_exist: bool = True) -> Path:
    """Where the screenshots of the window in ``language`` are: ``base`` for English, ``base /
    language`` for another (``base`` again when ``must_exist`` and that folder is missing)."""
    if language == ENGLISH:
        return base
    folder = base / language
    return folder if folder.is_dir() or not must_exist else base


def show_at_start(settings: QSettings) -> bool:
    """Whether Getting Started opens when the studio starts (yes until the user unticks it)."""
    value = settings.value(KEY_SHOW_AT_START, True)
    return value not in (False, "false", "0", 0)


class GettingStartedDialog(QDialog):
    """See the module docstring: one tab per workflow, each step a heading, its text and its picture."""

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None,
                 folder: Path | None = None) -> None:
        """``folder`` holds the pictures (default: those of the language ``settings`` choose)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Getting started"))
        self.setModal(False)
        self._settings = settings
        language = resolve(saved_choice(settings)) if settings is not None else ENGLISH
        self._folder = folder if folder is not None else picture_folder(language)
        self.pictures: list[QLabel] = []  # one per step with a picture, in order
        self.problems: list[str] = []  # "file: reason" for pictures that could not be shown
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Workflows"))
        self.tabs.addTab(self._page(self._painting_steps()), self.tr("&Paintings"))
        self.tabs.addTab(self._page(self._melody_steps()), self.tr("&Melodies"))
        self.at_start = QCheckBox(self.tr("&Show at start"))
        self.at_start.setToolTip(self.tr("Open this guide each time the studio starts (Help > Getting Started "
                                         "opens it any time, F1)"))
        self.at_start.setChecked(show_at_start(settings) if settings is not None else True)
        self.at_start.toggled.connect(self._remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.at_start)
        layout.addWidget(buttons)
        self.resize(PICTURE_WIDTH + 120, 720)

    def _painting_steps(self) -> list[Step]:
        return [
            Step(self.tr("1. Add 3\u20138 paintings"),
                 self.tr("Drop pictures (PNG, JPEG, \u2026) or a folder on the window, or use <b>File &gt; "
                         "Import</b> (Ctrl+I). <b>Help &gt; Load Demo Paintings</b> adds five public-domain "
                         "paintings to try. The inspector shows each one's size and palette."),
                 PICTURES["paintings-samples"]),
            Step(self.tr("2. Generate"),
                 self.tr("Press <b>Generate</b> in the Painting panel (Ctrl+G). <b>Adapt</b> first, in the "
                         "Adaptation panel, for works closer to your samples. New paintings fill the "
                         "gallery as they are made; Esc stops."),
                 PICTURES["paintings-gallery"]),
            Step(self.tr("3. Keep, reject, vary"),
                 self.tr("Select a work with the arrow keys or the mouse: <b>K</b> keeps it, <b>R</b> rejects "
                         "it (its seed never comes back). <b>Variations</b> (Ctrl+Shift+V) makes new works "
                         "close to the selected one; <b>Closeness</b> sets how close."),
                 PICTURES["paintings-kept"]),
            self._taste_step(),
            Step(self.tr("5. Export"),
                 self.tr("<b>File &gt; Export Kept\u2026</b> writes every kept painting as a PNG file; "
                         "<b>File &gt; Export\u2026</b> (Ctrl+E) writes the selected ones. You can also drag a "
                         "card out of the gallery. <b>File &gt; Save</b> keeps the whole project."),
                 ""),
        ]

    def _taste_step(self) -> Step:
        """The step both workflows share: keeps and rejects teach the studio (issue 18)."""
        return Step(self.tr("4. Let it learn your taste"),
                    self.tr("Every keep and reject teaches the studio what you like: the next <b>Generate</b> "
                            "shows the works it chose for you from more drafts, the <b>Taste</b> panel (Ctrl+6) "
                            "says what it has learnt, and the inspector says why a work scores as it does. "
                            "<b>Taste &gt; Let the Studio Choose</b> (Ctrl+Shift+T) turns it off."),
                    "")

    def _melody_steps(self) -> list[Step]:
        return [
            Step(self.tr("1. Add melody clips"),
                 self.tr("Drop MIDI, MusicXML or ABC files on the window, or use <b>File &gt; Import</b> "
                         "(Ctrl+I); a MIDI keyboard can record one (File &gt; Record from MIDI Keyboard). "
                         "<b>Help &gt; Load Demo Melodies</b> adds public-domain tunes to try. The inspector "
                         "shows each clip as a piano roll with its key, meter and tempo."),
                 PICTURES["melodies-samples"]),
            Step(self.tr("2. Generate"),
                 self.tr("Set the length, key and meter in the Melody panel if you like, then press "
                         "<b>Generate</b> (Ctrl+G). <b>Adapt</b> first for melodies closer to your clips."),
                 PICTURES["melodies-gallery"]),
            Step(self.tr("3. Play, continue, keep"),
                 self.tr("<b>Space</b> plays or stops the selected melody. <b>Continue</b> adds bars to it; "
                         "choose bars in the piano roll (click, or Left and Right) and <b>Regenerate "
                         "bars</b> writes them anew. K keeps, R rejects."),
                 PICTURES["melodies-play"]),
            self._taste_step(),
            Step(self.tr("5. Export"),
                 self.tr("<b>File &gt; Export Kept\u2026</b> writes every kept melody as a MIDI file and, "
                         "beside it, a MusicXML lead sheet for notation programs; <b>File &gt; Export\u2026</b> "
                         "(Ctrl+E) writes the selected ones. Drag a card out to drop it into your DAW."),
                 ""),
        ]

    def _page(self, steps: list[Step]) -> QScrollArea:
        page = QWidget()
        column = QVBoxLayout(page)
        for step in steps:
            heading = QLabel(f"<h3>{step.title}</h3>")
            text = QLabel(step.text)
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            column.addWidget(heading)
            column.addWidget(text)
            if step.picture:
                column.addWidget(self._picture(step))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        scroll.setAccessibleName(self.tr("Steps"))
        return scroll

    def _picture(self, step: Step) -> QLabel:
        label = QLabel()
        path = self._folder / step.picture
        pixmap = QPixmap(str(path)) if path.is_file() else QPixmap()
        if pixmap.isNull():
            reason = self.tr("missing") if not path.is_file() else self.tr("not a readable picture")
            self.problems.append(f"{path}: {reason}")
            label.setText(self.tr("(picture {file}: {reason})").format(file=path.name, reason=reason))
        else:
            if pixmap.width() > PICTURE_WIDTH:
                pixmap = pixmap.scaledToWidth(PICTURE_WIDTH, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
        label.setFrameShape(QFrame.Shape.StyledPanel)
        label.setAccessibleName(self.tr("Screenshot: {step}").format(step=step.title))
        self.pictures.append(label)
        return label

    def _remember(self, checked: bool) -> None:
        if self._settings is not None:
            self._settings.setValue(KEY_SHOW_AT_START, checked)


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    dialog = GettingStartedDialog()
    dialog.show()
    sys.exit(app.exec())
