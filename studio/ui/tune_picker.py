"""The tune picker: choose which tunes of a large ABC tune book become samples.

A book with more than :data:`PICK_ABOVE` tunes opens it (from :class:`~studio.ui.dialogs.Prompts`):
a search field over a list of the tunes, each with a checkbox, its title, key and meter. The
keyboard does everything: type to filter, Down moves into the list, Space ticks a tune,
Ctrl+Shift+T / Ctrl+Shift+A tick or clear every tune shown, Enter imports the ticked ones,
Escape imports none of the book.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from studio.core.samples import MelodyFacts, Sample
from studio.ui.facts import key_text

PICK_ABOVE = 8  # a book of up to this many tunes imports whole; a larger one asks which


class TunePicker(QDialog):
    """A searchable, checkable list of one book's tunes; :meth:`chosen` gives the ticked ones."""

    def __init__(self, path: str, tunes: list[Sample], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tunes = list(tunes)
        name = Path(path).name
        self.setWindowTitle(self.tr("Choose tunes from {book}").format(book=name))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(self.tr("\u201c{book}\u201d holds {n} tunes. Tick the ones to import as samples.").format(
            book=name, n=len(tunes)))
        intro.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search titles, keys and meters"))
        self.search.setAccessibleName(self.tr("Search tunes"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list = QTreeWidget()
        self.list.setAccessibleName(self.tr("Tunes"))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setHeaderLabels([self.tr("Title"), self.tr("Key"), self.tr("Meter")])
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._items: list[QTreeWidgetItem] = []
        for sample in self.tunes:
            row = QTreeWidgetItem([_title(sample), *_key_and_meter(sample)])
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(0, Qt.CheckState.Checked)
            self._items.append(row)
        self.list.addTopLevelItems(self._items)
        if self._items:
            self.list.setCurrentItem(self._items[0])
        self.list.itemChanged.connect(self._update_count)
        self.all_button = QPushButton(self.tr("Tick all shown"))
        self.none_button = QPushButton(self.tr("Clear all shown"))
        self.all_button.clicked.connect(lambda: self._tick_shown(True))
        self.none_button.clicked.connect(lambda: self._tick_shown(False))
        self.list.installEventFilter(self)
        self.all_button.setToolTip(self.tr("Tick every tune the search shows (Ctrl+Shift+T)"))
        self.none_button.setToolTip(self.tr("Clear every tune the search shows (Ctrl+Shift+A)"))
        self.count = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.all_button)
        buttons_row.addWidget(self.none_button)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons_row)
        layout.addWidget(self.buttons)
        self.resize(560, 480)
        self.search.setFocus()
        self._update_count()

    def items(self) -> list[QTreeWidgetItem]:
        """The rows, one per tune in book order."""
        return list(self._items)

    def chosen(self) -> list[Sample]:
        """The ticked tunes, in book order (hidden ones too: a search does not untick)."""
        return [s for s, item in zip(self.tunes, self.items()) if item.checkState(0) == Qt.CheckState.Checked]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if event.modifiers() == both and event.key() in (Qt.Key.Key_T, Qt.Key.Key_A):
            self._tick_shown(event.key() == Qt.Key.Key_T)
            return True
        if watched is self.search:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                self.list.setFocus()
                shown = [item for item in self.items() if not item.isHidden()]
                current = self.list.currentItem()
                if shown and (current is None or current.isHidden()):
                    self.list.setCurrentItem(shown[0])
                return True
        return super().eventFilter(watched, event)

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        first = None
        for item in self.items():
            haystack = " ".join(item.text(c) for c in range(3)).casefold()
            hidden = not all(w in haystack for w in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)
        self._update_count()

    def _tick_shown(self, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        for item in self.items():
            if not item.isHidden():
                item.setCheckState(0, state)

    def _update_count(self) -> None:
        shown = sum(not item.isHidden() for item in self.items())
        ticked = len(self.chosen())
        self.count.setText(self.tr("{ticked} of {n} ticked, {shown} shown").format(
            ticked=ticked, n=len(self.tunes), shown=shown))
        self.import_button.setText(self.tr("Import {n} tunes").format(n=ticked) if ticked != 1
                                   else self.tr("Import 1 tune"))
        self.import_button.setEnabled(ticked > 0)


def _title(sample: Sample) -> str:
    melody = sample.melody
    return melody.name if melody is not None and melody.name else sample.name


def _key_and_meter(sample: Sample) -> tuple[str, str]:
    facts = sample.facts
    if not isinstance(facts, MelodyFacts):
        return "", ""
    melody = sample.melody
    key = melody.key.name if melody is not None and melody.key is not None else facts.key
    return key_text(key), facts.meter  # "G major" in the window's language


def pick_tunes(parent: QWidget | None, path: str, tunes: list[Sample]) -> list[Sample] | None:
    """Ask which tunes of the book at ``path`` to import; None when the person cancels."""
    dialog = TunePicker(path, tunes, parent)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


if __name__ == "__main__":  # a quick look: python -m studio.ui.tune_picker BOOK.abc
    import sys

    from PySide6.QtWidgets import QApplication

    from studio.io.samples import read_samples

    app = QApplication(sys.argv)
    book = read_samples(sys.argv[1])
    print([s.name for s in pick_tunes(None, sys.argv[1], list(book.samples)) or []])
