"""The guide's drop target: a thumbnail of the current guide, or an invitation to drop one.

Dropping a file (from a file manager) emits ``sig_file_dropped(path)``; a click or Enter/Space
emits ``sig_clicked`` (the panel opens a file chooser). The widget only shows and asks: reading
the file and judging it is the guide controller's work.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QColor, QDragEnterEvent, QDragLeaveEvent, QDropEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.ui.pixmaps import scaled_image_pixmap

THUMB_SIDE = 128  # px of the thumbnail's long side


class GuideDrop(QWidget):
    """See the module docstring."""

    sig_file_dropped = Signal(str)
    sig_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmap: QPixmap | None = None
        self._hovering = False
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(self.tr("Guide picture"))
        self._empty_text = self.tr("Drop a photo or sketch here\n(or click to choose one)")

    def set_image(self, rgb: np.ndarray | None) -> None:
        """Show ``rgb``'s thumbnail (None: the invitation to drop one)."""
        self._pixmap = scaled_image_pixmap(rgb, THUMB_SIDE) if rgb is not None else None
        self.updateGeometry()
        self.update()

    def has_image(self) -> bool:
        return self._pixmap is not None

    def sizeHint(self) -> QSize:
        return QSize(200, 64 if self._pixmap is None else min(THUMB_SIDE, self._pixmap.height()) + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 56 if self._pixmap is None else 72)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = self.rect().adjusted(2, 2, -2, -2)
        accent = self.palette().color(self.palette().ColorRole.Highlight)
        if self._pixmap is not None:
            pixmap = self._pixmap
            if pixmap.width() > frame.width() or pixmap.height() > frame.height():
                pixmap = pixmap.scaled(frame.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
            x = frame.x() + (frame.width() - pixmap.width()) // 2
            y = frame.y() + (frame.height() - pixmap.height()) // 2
            painter.drawPixmap(x, y, pixmap)
        else:
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(frame, Qt.AlignmentFlag.AlignCenter, self._empty_text)
        if self._pixmap is None or self._hovering or self.hasFocus():
            pen = QPen(accent if self._hovering or self.hasFocus() else QColor(128, 128, 128), 1.5,
                       Qt.PenStyle.SolidLine if self._hovering else Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(frame, 6, 6)

    # -- drag and drop ---------------------------------------------------------------------------------

    def _path(self, event: QDragEnterEvent | QDropEvent) -> str | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        local = [u.toLocalFile() for u in urls if u.isLocalFile()]
        return local[0] if local else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._path(event) is not None:
            self._hovering = True
            self.update()
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: ARG002
        self._hovering = False
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:
        self._hovering = False
        self.update()
        path = self._path(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.sig_file_dropped.emit(path)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.sig_clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.sig_clicked.emit()
        else:
            super().keyPressEvent(event)
