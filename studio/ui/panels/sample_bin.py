"""The sample bin: the project's paintings or melodies as a thumbnail list.

Files and folders dropped on it are announced with ``sig_files_dropped``; an internal drag
announces ``sig_rows_dropped(rows, destination)``. The bin never edits the set itself: the
window turns these requests into undoable commands.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QListView, QWidget,
)

from studio.core.samples import Domain
from studio.ui.i18n import QT_TRANSLATE_NOOP
from studio.ui.panels.list_panel import ListPanel
from studio.ui.models.sample_model import ROWS_MIME, SampleListModel
from studio.ui.widgets.hint_view import HintListView

EMPTY_HINT = QT_TRANSLATE_NOOP(  # the English source; the list shows it translated
    "SampleBin", "Drop paintings (PNG, JPEG, ...) or MIDI melodies here, or a folder of them.\n\n"
    "File > Import... (Ctrl+I) works too. One project holds one kind: paintings or melodies.")


def local_paths(mime: QMimeData | None) -> list[str]:
    """The local files and folders in a drag's mime data (remote URLs are ignored)."""
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class SampleListView(HintListView):
    """The bin's list: accepts file drops and turns internal drags into move requests."""

    sig_files_dropped = Signal(list)  # paths of files and folders
    sig_rows_dropped = Signal(list, int)  # dragged rows, destination row (they land before it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("SampleBin", EMPTY_HINT), parent)
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setAcceptDrops(True)
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setSpacing(2)

    def _internal(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return event.source() is self and event.mimeData().hasFormat(ROWS_MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._internal(event):
            super().dragEnterEvent(event)
            event.accept()
        elif local_paths(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._internal(event):
            super().dragMoveEvent(event)
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        elif local_paths(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if self._internal(event):
            raw = bytes(mime.data(ROWS_MIME).data()).decode()
            rows = [int(r) for r in raw.split(",") if r.strip().isdigit()]
            # IgnoreAction: the move is ours to make (undoably); Qt must not remove the source rows.
            event.setDropAction(Qt.DropAction.IgnoreAction)
            event.accept()
            self._end_drag_state()
            if rows:
                self.sig_rows_dropped.emit(rows, self.drop_row_at(event.position().toPoint()))
        elif paths := local_paths(mime):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self._end_drag_state()
            self.sig_files_dropped.emit(paths)
        else:
            event.ignore()

    def _end_drag_state(self) -> None:
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()

    def drop_row_at(self, pos: QPoint) -> int:
        """The row a drop at ``pos`` (viewport coordinates) lands before."""
        index = self.indexAt(pos)
        if not index.isValid():
            return self.model().rowCount() if self.model() is not None else 0
        rect = self.visualRect(index)
        return index.row() + (1 if pos.y() > rect.center().y() else 0)

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.selectionModel().selectedIndexes()) if self.selectionModel() else []


class SampleBin(ListPanel):
    """Header, the list, and buttons for the actions the window hands over with ``set_actions``."""

    def __init__(self, model: SampleListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.view = SampleListView(self)
        self.view.setModel(model)
        self.view.setToolTip(self.tr("Your samples. Drag to reorder; Delete removes; hover for facts."))
        self.view.setAccessibleName(self.tr("Samples"))
        self._lay_out(self.view)
        self.set_thumbnail_size(72)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
            signal.connect(self._update_header)
        self._update_header()
        self.setMinimumSize(180, 200)

    @property
    def model(self) -> SampleListModel:
        return self._model

    def set_thumbnail_size(self, size: int) -> None:
        self.view.setIconSize(QSize(size, size))
        self._model.set_thumbnail_size(size)

    def selected_rows(self) -> list[int]:
        return self.view.selected_rows()

    def select_rows(self, rows: list[int]) -> None:
        selection = self.view.selectionModel()
        selection.clearSelection()
        for row in rows:
            index = self._model.index(row)
            selection.select(index, selection.SelectionFlag.Select)
        if rows:
            selection.setCurrentIndex(self._model.index(rows[0]), selection.SelectionFlag.NoUpdate)

    def _update_header(self, *_: object) -> None:
        count, domain = self._model.rowCount(), self._model.sample_set.domain
        if count == 0:
            text = self.tr("No samples yet")
        elif domain is Domain.PAINTING:
            text = self.tr("1 painting") if count == 1 else self.tr("{n} paintings").format(n=count)
        else:
            text = self.tr("1 melody") if count == 1 else self.tr("{n} melodies").format(n=count)
        self.header.setText(text)


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    from studio import engine

    app = QApplication(sys.argv)
    report = engine.import_samples(engine.demo_sample_paths(Domain.PAINTING))
    bin_model = SampleListModel()
    bin_model.insert_samples(0, list(report.samples))
    panel = SampleBin(bin_model)
    panel.view.sig_files_dropped.connect(lambda paths: print("dropped", paths))
    panel.view.sig_rows_dropped.connect(lambda rows, dest: print("move", rows, "before", dest))
    panel.resize(300, 500)
    panel.show()
    sys.exit(app.exec())
