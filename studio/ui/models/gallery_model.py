"""A list model over the project's :class:`~studio.core.works.Gallery` for the gallery view.

Roles: the title, a thumbnail (the picture, or a piano roll for a melody) badged with the
keep/reject state, a tooltip with seed and provenance, :data:`StatusRole` and :data:`WorkRole`.
Edits come from :mod:`studio.ui.commands`, which call the mutators here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QPixmap

from studio.core.works import Gallery, Work, WorkStatus
from studio.ui.accessibility import card_name
from studio.ui.facts import work_title, work_tooltip
from studio.ui.pixmaps import work_thumbnail

WorkRole = Qt.ItemDataRole.UserRole + 1  # the Work object
StatusRole = Qt.ItemDataRole.UserRole + 2  # its WorkStatus

Index = QModelIndex | QPersistentModelIndex


class GalleryModel(QAbstractListModel):
    """Rows are the gallery's works in order."""

    def __init__(self, gallery: Gallery | None = None, thumbnail_size: int = 128,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gallery = gallery if gallery is not None else Gallery()
        self._thumb_size = thumbnail_size
        self._thumbs: dict[tuple[str, WorkStatus], QPixmap] = {}

    @property
    def gallery(self) -> Gallery:
        return self._gallery

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._gallery)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._gallery):
            return None
        work = self._gallery[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return work_title(work)
        if role == Qt.ItemDataRole.DecorationRole:
            key = (work.id, work.status)
            if key not in self._thumbs:
                self._thumbs[key] = work_thumbnail(work, self._thumb_size)
            return self._thumbs[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            return work_tooltip(work)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return card_name(work_title(work), work)  # title and state, translated
        if role == StatusRole:
            return work.status
        if role == WorkRole:
            return work
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def work_at(self, row: int) -> Work:
        return self._gallery[row]

    # -- mutators (called by undo commands and by generation when it lands) --------------------

    def set_gallery(self, gallery: Gallery) -> None:
        self.beginResetModel()
        self._gallery = gallery
        self._thumbs.clear()
        self.endResetModel()

    def set_thumbnail_size(self, size: int) -> None:
        if size != self._thumb_size:
            self._thumb_size = size
            self._thumbs.clear()
            if len(self._gallery):
                self.dataChanged.emit(self.index(0), self.index(len(self._gallery) - 1),
                                      [Qt.ItemDataRole.DecorationRole])

    def insert_works(self, row: int, works: list[Work]) -> None:
        if not works:
            return
        self.beginInsertRows(QModelIndex(), row, row + len(works) - 1)
        for offset, work in enumerate(works):
            self._gallery.insert(row + offset, work)
        self.endInsertRows()

    def append_work(self, work: Work) -> None:
        self.insert_works(len(self._gallery), [work])

    def take_at(self, row: int) -> Work:
        self.beginRemoveRows(QModelIndex(), row, row)
        work = self._gallery.pop(row)
        self.endRemoveRows()
        return work

    def replace_at(self, row: int, work: Work) -> Work:
        """Put ``work`` at ``row`` (e.g. the same work with a new status); returns the old one.

        A seed leaves the gallery's rejected set again when no rejected work carries it any more
        (so undoing a reject lets that seed come back).
        """
        old = self._gallery.replace(row, work)
        if old.status is WorkStatus.REJECTED and work.status is not WorkStatus.REJECTED:
            if not any(w.seed == old.seed and w.status is WorkStatus.REJECTED for w in self._gallery):
                self._gallery.rejected_seeds.discard(old.seed)
        index = self.index(row)
        self.dataChanged.emit(index, index)
        return old
