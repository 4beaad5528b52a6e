"""Gallery cards: buttons drawn on each card (play, keep, reject), and dragging cards out as files.

:class:`WorkCardDelegate` paints the model's thumbnail and title as usual, then, on the
hovered, selected or playing card, a row of small round buttons; a click on one is found by
:func:`card_buttons` (hit-testing) and announced as ``sig_card_action(row, name)`` with
``name`` in ``"play"``, ``"keep"``, ``"reject"``. The playing melody's card shows the playhead.

:class:`GalleryListView` starts a drag with the selected works written as files (a ``.mid``
per melody, a ``.png`` per painting) into a folder that lives until the studio exits, so a
DAW or a file manager can copy them after the drop.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel, QEvent, QMimeData, QModelIndex, QPersistentModelIndex, QPointF, QRect, Qt, QUrl, Signal,
)
from PySide6.QtGui import QColor, QDrag, QHelpEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from studio.core.atomic import atomic_write
from studio.core.works import Work, WorkStatus
from studio.errors import StudioError
from studio.ui.exporting import unique_path, work_file
from studio.ui.i18n import QT_TRANSLATE_NOOP
from studio.ui.models.gallery_model import WorkRole
from studio.ui.widgets.hint_view import HintListView

BUTTON = 22  # diameter of a card button
_COLOURS = {"play": QColor("#2c6fbb"), "keep": QColor("#27ae60"), "reject": QColor("#c0392b")}
_TIPS = {"play": QT_TRANSLATE_NOOP("WorkCardDelegate", "Play or stop this melody (Space)"),
         "keep": QT_TRANSLATE_NOOP("WorkCardDelegate", "Keep this work (K)"),
         "reject": QT_TRANSLATE_NOOP("WorkCardDelegate", "Reject this work (R)")}  # shown translated


def card_buttons(rect: QRect, melody: bool) -> dict[str, QRect]:
    """Where a card's buttons are, in the card's coordinates: left to right along its top."""
    names = ("play", "keep", "reject") if melody else ("keep", "reject")
    return {name: QRect(rect.left() + 4 + i * (BUTTON + 3), rect.top() + 4, BUTTON, BUTTON)
            for i, name in enumerate(names)}


class WorkCardDelegate(QStyledItemDelegate):
    """Paints card buttons and the playhead; see the module docstring."""

    sig_card_action = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._playing_id = ""
        self._fraction: float | None = None

    def set_playing(self, work_id: str, fraction: float | None) -> None:
        """Mark ``work_id`` as playing with the playhead at ``fraction`` of it ("" for none)."""
        self._playing_id, self._fraction = work_id, fraction

    def playing_id(self) -> str:
        return self._playing_id

    def _shows_buttons(self, option: QStyleOptionViewItem, work: Work) -> bool:
        state = option.state
        return bool(state & QStyle.StateFlag.State_MouseOver or state & QStyle.StateFlag.State_Selected) \
            or work.id == self._playing_id

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        work = index.data(WorkRole)
        if not isinstance(work, Work):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if work.id == self._playing_id and self._fraction is not None:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            style = opt.widget.style() if opt.widget is not None else None
            decoration = QStyle.SubElement.SE_ItemViewItemDecoration
            icon = style.subElementRect(decoration, opt, opt.widget) if style is not None else option.rect
            x = icon.left() + icon.width() * min(1.0, max(0.0, self._fraction))
            painter.setPen(QPen(QColor("#c0392b"), 2))
            painter.drawLine(QPointF(x, icon.top()), QPointF(x, icon.bottom()))
        if self._shows_buttons(option, work):
            for name, rect in card_buttons(option.rect, work.melody is not None).items():
                self._paint_button(painter, rect, name, work)
        painter.restore()

    def _paint_button(self, painter: QPainter, rect: QRect, name: str, work: Work) -> None:
        active = (name == "keep" and work.status is WorkStatus.KEPT) or \
                 (name == "reject" and work.status is WorkStatus.REJECTED) or \
                 (name == "play" and work.id == self._playing_id)
        colour = QColor(_COLOURS[name])
        if not active:
            colour.setAlpha(185)
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(colour)
        painter.drawEllipse(rect)
        painter.setBrush(QColor("white"))
        c = QPointF(rect.center()) + QPointF(0.5, 0.5)
        r = rect.width() * 0.22
        pen = QPen(QColor("white"), 2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        if name == "play" and work.id == self._playing_id:
            painter.drawRect(QRect(int(c.x() - r), int(c.y() - r), int(2 * r), int(2 * r)))
        elif name == "play":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPolygon([c + QPointF(-r * 0.8, -r * 1.1), c + QPointF(r * 1.2, 0),
                                 c + QPointF(-r * 0.8, r * 1.1)])
        elif name == "keep":
            painter.drawPolyline([c + QPointF(-r, 0), c + QPointF(-r * 0.2, r * 0.8), c + QPointF(r, -r * 0.8)])
        else:
            painter.drawLine(c + QPointF(-r * 0.8, -r * 0.8), c + QPointF(r * 0.8, r * 0.8))
            painter.drawLine(c + QPointF(r * 0.8, -r * 0.8), c + QPointF(-r * 0.8, r * 0.8))

    def button_at(self, option_rect: QRect, index: QModelIndex | QPersistentModelIndex, pos: QPointF) -> str | None:
        """The name of the card button under ``pos`` (viewport coordinates), or None."""
        work = index.data(WorkRole)
        if not isinstance(work, Work):
            return None
        for name, rect in card_buttons(option_rect, work.melody is not None).items():
            if rect.contains(pos.toPoint()):
                return name
        return None

    def editorEvent(self, event: QEvent, model: QAbstractItemModel, option: QStyleOptionViewItem,
                    index: QModelIndex | QPersistentModelIndex) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick) \
                and isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.LeftButton:
            name = self.button_at(option.rect, index, event.position())
            if name is not None:
                if kind == QEvent.Type.MouseButtonRelease:
                    self.sig_card_action.emit(index.row(), name)
                return True  # the click is the button's, not a selection change
        return super().editorEvent(event, model, option, index)

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,
                  index: QModelIndex | QPersistentModelIndex) -> bool:
        if event is not None and event.type() == QEvent.Type.ToolTip:
            name = self.button_at(option.rect, index, QPointF(event.pos()))
            if name is not None:
                from PySide6.QtWidgets import QToolTip

                QToolTip.showText(event.globalPos(), self.tr(_TIPS[name]), view)
                return True
        return super().helpEvent(event, view, option, index)


class DragFolder:
    """A temporary folder for dragged-out files, removed when the studio exits."""

    def __init__(self) -> None:
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    def path(self) -> Path:
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="studio-drag-")
        return Path(self._dir.name)

    def write(self, work: Work) -> Path:
        """Write ``work`` as its export file (``.mid`` or ``.png``); its path."""
        name, data = work_file(work)
        path = unique_path(self.path(), name)
        atomic_write(path, data)  # a failed write leaves no half file to drag
        return path

    def cleanup(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None


def works_mime_data(works: list[Work], folder: DragFolder) -> QMimeData:
    """Mime data holding a local file URL for each work (written now into ``folder``).

    Raises StudioError (from :func:`~studio.ui.exporting.work_file`) or OSError when a file cannot
    be written.
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder.write(work))) for work in works])
    return mime


class GalleryListView(HintListView):
    """The gallery's icon grid: drags its selected works out as files (never moves them)."""

    sig_drag_failed = Signal(str)

    def __init__(self, empty_hint: str, parent: QWidget | None = None) -> None:
        super().__init__(empty_hint, parent)
        self.drag_folder = DragFolder()
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover)

    def selected_works(self) -> list[Work]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes()) if self.selectionModel() else []
        return [w for w in (self.model().index(r, 0).data(WorkRole) for r in rows) if isinstance(w, Work)]

    def drag_mime_data(self) -> QMimeData | None:
        """The mime data a drag of the selection carries, or None (reported) if it cannot be written."""
        works = self.selected_works()
        if not works:
            return None
        try:
            return works_mime_data(works, self.drag_folder)
        except (StudioError, OSError) as exc:
            self.sig_drag_failed.emit(self.tr("Could not drag the works out: {reason}").format(reason=exc))
            return None

    def startDrag(self, supportedActions: Qt.DropAction) -> None:  # noqa: ARG002, N803 - Qt's name
        mime = self.drag_mime_data()
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        current = self.currentIndex()
        icon = current.data(Qt.ItemDataRole.DecorationRole) if current.isValid() else None
        if icon is not None and hasattr(icon, "isNull") and not icon.isNull():
            drag.setPixmap(icon.scaledToWidth(min(96, icon.width())))
        drag.exec(Qt.DropAction.CopyAction)
