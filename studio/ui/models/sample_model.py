"""A list model over the project's :class:`~studio.core.samples.SampleSet` for the sample bin.

Views never change the set themselves: edits go through :mod:`studio.ui.commands` (undoable),
which call the mutators here so that every view hears the matching model signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QByteArray, QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QPixmap

from studio.core.samples import Sample, SampleSet
from studio.ui.facts import sample_tooltip, summary
from studio.ui.pixmaps import sample_thumbnail

SampleRole = Qt.ItemDataRole.UserRole + 1  # the Sample object
ROWS_MIME = "application/x-studio-sample-rows"  # internal drag-move: the dragged row numbers

Index = QModelIndex | QPersistentModelIndex


class SampleListModel(QAbstractListModel):
    """Rows are the set's samples in order: name and summary, thumbnail, facts tooltip."""

    def __init__(self, samples: SampleSet | None = None, thumbnail_size: int = 96,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._samples = samples if samples is not None else SampleSet()
        self._thumb_size = thumbnail_size
        self._thumbs: dict[str, QPixmap] = {}

    # -- reading -------------------------------------------------------------------------------

    @property
    def sample_set(self) -> SampleSet:
        return self._samples

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._samples)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._samples):
            return None
        sample = self._samples[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{sample.name}\n{summary(sample)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(sample)
        if role == Qt.ItemDataRole.ToolTipRole:
            return sample_tooltip(sample)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{sample.name}, {summary(sample)}"
        if role == SampleRole:
            return sample
        return None

    def sample_at(self, row: int) -> Sample:
        return self._samples[row]

    def samples(self) -> list[Sample]:
        return list(self._samples)

    def _thumbnail(self, sample: Sample) -> QPixmap:
        pixmap = self._thumbs.get(sample.digest)
        if pixmap is None:
            pixmap = self._thumbs[sample.digest] = sample_thumbnail(sample, self._thumb_size)
        return pixmap

    # -- drag and drop -------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [ROWS_MIME, "text/uri-list"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime.setData(ROWS_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return mime

    # -- mutators (called by undo commands) ----------------------------------------------------

    def set_sample_set(self, samples: SampleSet) -> None:
        self.beginResetModel()
        self._samples = samples
        self._thumbs.clear()
        self.endResetModel()

    def set_thumbnail_size(self, size: int) -> None:
        if size != self._thumb_size:
            self._thumb_size = size
            self._thumbs.clear()
            if len(self._samples):
                self.dataChanged.emit(self.index(0), self.index(len(self._samples) - 1),
                                      [Qt.ItemDataRole.DecorationRole])

    def insert_samples(self, row: int, samples: list[Sample]) -> None:
        """Insert ``samples`` at ``row``. Raises MixedDomainError (and inserts none) on a mix."""
        for sample in samples:
            self._samples.check_domain(sample)
        if samples and self._samples.domain is None and len({s.domain for s in samples}) > 1:
            probe = SampleSet([samples[0]])
            for sample in samples[1:]:
                probe.check_domain(sample)
        self.beginInsertRows(QModelIndex(), row, row + len(samples) - 1)
        for offset, sample in enumerate(samples):
            self._samples.insert(row + offset, sample)
        self.endInsertRows()

    def take_at(self, row: int) -> Sample:
        self.beginRemoveRows(QModelIndex(), row, row)
        sample = self._samples.pop(row)
        self.endRemoveRows()
        return sample

    def reorder(self, order: list[int]) -> None:
        """Rearrange rows: the sample at old row ``order[i]`` goes to row ``i``. Selection follows."""
        if sorted(order) != list(range(len(self._samples))):
            raise ValueError(f"order must be a permutation of 0..{len(self._samples) - 1}, got {order}")
        self.layoutAboutToBeChanged.emit()
        new_row = {old: new for new, old in enumerate(order)}
        old_indexes = self.persistentIndexList()
        self.changePersistentIndexList(old_indexes, [self.index(new_row[i.row()]) for i in old_indexes])
        current = list(self._samples)
        self._samples.clear()
        for old in order:
            self._samples.append(current[old])
        self.layoutChanged.emit()
