"""Dialogs: the one error list every failure flows to, and :class:`Prompts` (the shortcut list is
:mod:`studio.ui.shortcuts_dialog`).

:class:`Prompts` gathers every blocking question the window asks (unsaved changes, file
choosers, restore after a crash). Tests hand the window a scripted subclass, so no test ever
waits on a modal dialog.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QHeaderView, QLabel, QMessageBox, QPlainTextEdit,
    QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from studio.core.samples import Sample
from studio.io.project_file import SUFFIX as PROJECT_SUFFIX
from studio.io.recovery import RecoveryInfo
from studio.io.samples import IMAGE_SUFFIXES, MIDI_SUFFIXES, NOTATION_SUFFIXES
from studio.ui.i18n import translate


def project_filter() -> str:
    return translate("Dialogs", "Meta-Creation Studio projects ({patterns})").format(patterns=f"*{PROJECT_SUFFIX}")


def _patterns(suffixes: frozenset[str]) -> str:
    return " ".join(f"*{s}" for s in sorted(suffixes))


def sample_filters() -> str:
    """The import dialog's file type filters, in the window's language."""
    return ";;".join([
        translate("Dialogs", "Paintings and melodies ({patterns})").format(
            patterns=_patterns(IMAGE_SUFFIXES | MIDI_SUFFIXES | NOTATION_SUFFIXES)),
        translate("Dialogs", "Paintings ({patterns})").format(patterns=_patterns(IMAGE_SUFFIXES)),
        translate("Dialogs", "Melodies ({patterns})").format(patterns=_patterns(MIDI_SUFFIXES | NOTATION_SUFFIXES)),
        translate("Dialogs", "All files (*)"),
    ])


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their text wrapped to the column's width: a QTreeView sizes rows for one
    line, which cut every long reason (the part saying what to do) down to an ellipsis."""

    PADDING = 6

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        width = self._view.columnWidth(index.column()) - self.PADDING
        text = str(index.data() or "")
        if width <= 0 or not text:
            return hint
        bounds = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000),
                                                 Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere, text)
        return QSize(hint.width(), max(hint.height(), bounds.height() + self.PADDING))


class ErrorListDialog(QDialog):
    """Non-modal: a summary, one row per file and reason, and optional technical details."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Problems"))
        self.setModal(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTreeWidget()
        self.table.setAccessibleName(self.tr("Problems"))  # what a screen reader calls the list
        self.table.setHeaderLabels([self.tr("File"), self.tr("Reason")])
        self.table.setRootIsDecorated(False)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setItemDelegate(_WrappingDelegate(self.table))
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(True)
        self.table.header().sectionResized.connect(lambda *_: self.table.doItemsLayout())  # re-wrap
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setToolTip(self.tr("Technical details for a bug report"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(720, 380)

    def show_problems(self, title: str, summary: str, rows: list[tuple[str, str]], details: str = "",
                      rich: bool = False) -> None:
        """Replace the contents and show (raise) the dialog without blocking.

        ``summary`` is plain text unless ``rich`` (then the caller has escaped what it quotes).
        """
        self.setWindowTitle(title)
        self.summary.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.summary.setText(summary)
        self.table.clear()
        for file, reason in rows:
            item = QTreeWidgetItem([file, reason])
            item.setToolTip(0, file)
            item.setToolTip(1, reason)
            self.table.addTopLevelItem(item)
        self.table.setVisible(bool(rows))
        self.details.setPlainText(details)
        self.details.setVisible(bool(details))
        self.show()
        self.raise_()

    def rows(self) -> list[tuple[str, str]]:
        items = [self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount())]
        return [(item.text(0), item.text(1)) for item in items if item is not None]


class Prompts:
    """The window's blocking questions; override methods to script them (tests do)."""

    def confirm_unsaved(self, parent: QWidget, name: str) -> str:
        """"save", "discard" or "cancel"."""
        box = QMessageBox(QMessageBox.Icon.Warning, translate("Prompts", "Unsaved changes"),
                          translate("Prompts", "Save the changes to \u201c{name}\u201d before closing it?").format(
                              name=name),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, parent)
        box.setInformativeText(translate("Prompts", "Your changes are lost if you don't save them."))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def ask_restore(self, parent: QWidget, info: RecoveryInfo) -> bool:
        when = datetime.datetime.fromtimestamp(info.saved_at).strftime("%Y-%m-%d %H:%M")
        source = (translate("Prompts", " (from {path})").format(path=info.source_path) if info.source_path
                  else translate("Prompts", " (never saved)"))
        answer = QMessageBox.question(
            parent, translate("Prompts", "Restore unsaved work?"),
            translate("Prompts", "The studio did not close properly last time. Restore \u201c{title}\u201d{source}, "
                      "autosaved {when}?\n\nIf you choose No, the autosave is deleted.").format(
                title=info.title, source=source, when=when))
        return answer == QMessageBox.StandardButton.Yes

    def pick_tunes(self, parent: QWidget, path: str, tunes: list[Sample]) -> list[Sample] | None:
        """The tunes of a large ABC book to import (:mod:`studio.ui.tune_picker`); None: none."""
        from studio.ui.tune_picker import pick_tunes

        return pick_tunes(parent, path, tunes)

    def ask_yes_no(self, parent: QWidget, title: str, text: str) -> bool:
        return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes

    def open_project_path(self, parent: QWidget, folder: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, translate("Prompts", "Open project"), folder, project_filter())
        return path or None

    def save_project_path(self, parent: QWidget, suggestion: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, translate("Prompts", "Save project as"), suggestion,
                                              project_filter())
        if path and not path.lower().endswith(PROJECT_SUFFIX):
            path += PROJECT_SUFFIX
        return path or None

    def import_paths(self, parent: QWidget, folder: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, translate("Prompts", "Import samples"), folder,
                                                sample_filters())
        return list(paths)

    def export_folder(self, parent: QWidget, folder: str) -> str | None:
        path = QFileDialog.getExistingDirectory(parent, translate("Prompts", "Export to folder"), folder)
        return path or None



class ScriptedPrompts(Prompts):
    """Answers the window's questions without a dialog, for scripts that drive the window (the smoke
    test, the Help and README screenshots): discard unsaved changes, never restore, yes to the rest."""

    def confirm_unsaved(self, parent: QWidget, name: str) -> str:  # noqa: ARG002
        return "discard"

    def ask_restore(self, parent: QWidget, info: RecoveryInfo) -> bool:  # noqa: ARG002
        return False

    def ask_yes_no(self, parent: QWidget, title: str, text: str) -> bool:  # noqa: ARG002
        return True

def suggested_project_path(folder: str, title: str) -> str:
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in title).strip() or "Untitled"
    return str(Path(folder) / f"{safe}{PROJECT_SUFFIX}")
