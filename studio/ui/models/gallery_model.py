"""A list model over the project's :class:`~studio.core.works.Gallery` for the gallery view.

Roles: the title, a thumbnail (the picture, or a piano roll for a melody) badged with the
keep/reject state and, once the studio has learnt a taste, a small taste mark, a tooltip with
seed and provenance, :data:`StatusRole`, :data:`WorkRole` and :data:`TasteRole` (the work's
taste score, or None). Edits come from :mod:`studio.ui.commands`, which call the mutators here.
:class:`GallerySortProxy` shows the gallery as made or by taste (best first) without moving a
work in the gallery itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSortFilterProxyModel, Qt,
)
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap

from studio.core.works import Gallery, Work, WorkStatus
from studio.ui.accessibility import card_name
from studio.ui.facts import work_title, work_tooltip
from studio.ui.i18n import translate
from studio.ui.pixmaps import work_thumbnail

WorkRole = Qt.ItemDataRole.UserRole + 1  # the Work object
StatusRole = Qt.ItemDataRole.UserRole + 2  # its WorkStatus
TasteRole = Qt.ItemDataRole.UserRole + 3  # its taste score (float, higher = more to the person's taste) or None

Index = QModelIndex | QPersistentModelIndex


class GalleryModel(QAbstractListModel):
    """Rows are the gallery's works in order."""

    def __init__(self, gallery: Gallery | None = None, thumbnail_size: int = 128,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gallery = gallery if gallery is not None else Gallery()
        self._thumb_size = thumbnail_size
        self._thumbs: dict[tuple[str, WorkStatus, int | None], QPixmap] = {}
        self._taste: dict[str, float] = {}  # work id -> taste score, while the studio has learnt a taste

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
            base = (work.id, work.status, None)
            if base not in self._thumbs:
                self._thumbs[base] = work_thumbnail(work, self._thumb_size)
            score = self._taste.get(work.id)
            key = (work.id, work.status, taste_level(score))
            if key not in self._thumbs:  # a new mark is drawn on the thumbnail made before
                self._thumbs[key] = with_taste_mark(self._thumbs[base], score) if score is not None else self._thumbs[base]
            return self._thumbs[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            score = self._taste.get(work.id)
            tip = work_tooltip(work)
            return tip if score is None else f"{tip}\n{taste_words(score)}"
        if role == TasteRole:
            return self._taste.get(work.id)
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

    def taste_scores(self) -> dict[str, float]:
        return dict(self._taste)

    def set_taste_scores(self, scores: dict[str, float]) -> None:
        """The works' taste scores by id ({}: no taste learnt); the cards' marks and the taste
        order follow."""
        if scores == self._taste:
            return
        self._taste = dict(scores)
        if len(self._gallery):
            self.dataChanged.emit(self.index(0), self.index(len(self._gallery) - 1),
                                  [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, TasteRole])

    # -- mutators (called by undo commands and by generation when it lands) --------------------

    def set_gallery(self, gallery: Gallery) -> None:
        self.beginResetModel()
        self._gallery = gallery
        self._thumbs.clear()
        self._taste = {}
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


# -- taste marks and the taste order ---------------------------------------------------------------

TASTE_LEVELS = 5  # the marks' shades: from "likely not to your taste" to "likely to your taste"


def taste_level(score: float | None) -> int | None:
    """The mark's shade for ``score``: 0 (far below neutral) .. TASTE_LEVELS - 1 (far above); None: no mark."""
    if score is None:
        return None
    edges = (-1.5, -0.5, 0.5, 1.5)  # scores are calibrated log-odds of a like, centred on 0 (neutral)
    return sum(1 for edge in edges if score > edge)


def taste_verdict(score: float) -> str:
    """The mark's verdict in one word: "likely" (the two upper shades), "unlikely" (the two lower)
    or "unsure" (neutral): the card's tooltip and the inspector say the same."""
    level = taste_level(score)
    if level is not None and level >= 3:
        return "likely"
    if level is not None and level <= 1:
        return "unlikely"
    return "unsure"


_MARK_COLOURS = ("#c0392b", "#e08e79", "#9e9e9e", "#7fc99a", "#1e8449")


def with_taste_mark(pixmap: QPixmap, score: float) -> QPixmap:
    """``pixmap`` with a small taste mark in its lower left corner: a pill filled as far as the
    score reaches, green above neutral, red below."""
    level = taste_level(score)
    assert level is not None
    result = QPixmap(pixmap)
    painter = QPainter(result)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    side = min(result.width(), result.height())
    height = max(6.0, side * 0.08)
    width = height * 3.2
    pill = QRectF(3, result.height() - height - 3, width, height)
    painter.setPen(QPen(QColor("white"), 1.2))
    painter.setBrush(QColor(0, 0, 0, 110))
    painter.drawRoundedRect(pill, height / 2, height / 2)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(_MARK_COLOURS[level]))
    filled = QRectF(pill.x(), pill.y(), pill.width() * (level + 1) / TASTE_LEVELS, pill.height())
    painter.drawRoundedRect(filled, height / 2, height / 2)
    painter.end()
    return result


def taste_words(score: float) -> str:
    """A card's tooltip line for its taste score, in the window's language."""
    verdict = taste_verdict(score)
    if verdict == "likely":
        text = translate("GalleryModel", "Taste {score}: likely to your taste")
    elif verdict == "unlikely":
        text = translate("GalleryModel", "Taste {score}: likely not to your taste")
    else:
        text = translate("GalleryModel", "Taste {score}: the studio is unsure")
    return text.format(score=f"{score:+.2f}")


class GallerySortProxy(QSortFilterProxyModel):
    """The gallery as the view shows it: as made (the gallery's own order, row for row), or by
    taste (the highest :data:`TasteRole` first, works without a score last, ties as made)."""

    def __init__(self, source: GalleryModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(TasteRole)
        self.setDynamicSortFilter(True)
        self._by_taste = False

    def by_taste(self) -> bool:
        return self._by_taste

    def set_by_taste(self, on: bool) -> None:
        """Order by taste (True) or as made (False); the gallery itself never changes."""
        self._by_taste = bool(on)
        if self._by_taste:
            self.sort(0, Qt.SortOrder.AscendingOrder)
        else:
            self.sort(-1)  # back to the source's order

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt's name
        a, b = left.data(TasteRole), right.data(TasteRole)
        key_a = (0, -a) if isinstance(a, float) else (1, 0.0)
        key_b = (0, -b) if isinstance(b, float) else (1, 0.0)
        if key_a != key_b:
            return key_a < key_b
        return left.row() < right.row()

    def source_row(self, row: int) -> int:
        """The gallery row of the view's ``row`` (-1 when out of range)."""
        index = self.mapToSource(self.index(row, 0))
        return index.row() if index.isValid() else -1

    def view_row(self, source_row: int) -> int:
        source = self.sourceModel()
        index = self.mapFromSource(source.index(source_row, 0))
        return index.row() if index.isValid() else -1
