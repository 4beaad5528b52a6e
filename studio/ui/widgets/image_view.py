"""A zoomable picture view with a mask brush: the inspector's view of a painting.

The view fits the picture by default; the wheel zooms around the cursor, Ctrl + / Ctrl - zoom
in and out, Ctrl 0 fits again and Ctrl 1 shows actual pixels. Dragging (or the middle button)
pans a zoomed picture, and so do the arrow keys. In brush mode (:meth:`set_brush_mode`) the left button paints the mask
and the right button erases it, in a circle of :meth:`brush_size` picture pixels; the mask is
drawn over the picture as a translucent red overlay and read with :meth:`mask`, an ``HxW``
uint8 array at the picture's own resolution (255 = repaint, 0 = keep).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush, QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent, QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 32.0
MASK_COLOUR = QColor(230, 40, 40)
MASK_OPACITY = 0.45
_ZOOM_KEYS = {Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_0, Qt.Key.Key_1}
_PAN_KEYS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}


class ImageView(QWidget):
    """See the module docstring. ``sig_mask_changed(bool)`` says whether any mask is painted;
    ``sig_zoom_changed(float)`` gives the scale (1.0 = actual pixels)."""

    sig_mask_changed = Signal(bool)
    sig_zoom_changed = Signal(float)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placeholder = placeholder
        self._source: QPixmap | None = None
        self._mask: QImage | None = None  # Format_Alpha8 at the picture's size: alpha 255 = masked
        self._mask_any = False
        self._fit = True
        self._scale = 1.0
        self._centre = QPointF()  # the picture point shown at the widget's centre
        self._brush_mode = False
        self._brush_size = 24
        self._drag: tuple[str, QPointF] | None = None  # ("pan" | "paint" | "erase", last point)
        self._cursor: QPointF | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 90)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Picture"))

    # -- the picture -----------------------------------------------------------------------------

    def set_source(self, pixmap: QPixmap | None, keep_mask: bool = False) -> None:
        """Show ``pixmap`` fitted to the view (None: the placeholder). The mask is cleared unless
        ``keep_mask`` and the new picture has the same size."""
        same_size = (pixmap is not None and self._source is not None and pixmap.size() == self._source.size())
        self._source = pixmap if pixmap is not None and not pixmap.isNull() else None
        if not (keep_mask and same_size):
            self._new_mask()
        self.fit()

    def source(self) -> QPixmap | None:
        return self._source

    def image_size(self) -> QSize:
        return self._source.size() if self._source is not None else QSize()

    def sizeHint(self) -> QSize:
        return QSize(320, 240)

    # -- zoom --------------------------------------------------------------------------------------

    def zoom(self) -> float:
        """The current scale: view pixels per picture pixel."""
        return self._scale

    def is_fitted(self) -> bool:
        return self._fit

    def fit(self) -> None:
        """Fit the whole picture in the view (and keep fitting it as the view is resized)."""
        self._fit = True
        self._apply_fit()
        self.update()
        self.sig_zoom_changed.emit(self._scale)

    def set_zoom(self, scale: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``scale``, keeping the picture point under ``anchor`` (a widget point) in place."""
        if self._source is None:
            return
        scale = min(MAX_ZOOM, max(MIN_ZOOM, float(scale)))
        anchor = anchor if anchor is not None else QPointF(self.width() / 2, self.height() / 2)
        fixed = self.to_image(anchor)
        self._fit = False
        self._scale = scale
        half = QPointF(self.width() / 2, self.height() / 2)
        self._centre = fixed - (anchor - half) / scale
        self._clamp_centre()
        self.update()
        self.sig_zoom_changed.emit(self._scale)

    def zoom_in(self, anchor: QPointF | None = None) -> None:
        self.set_zoom(self._scale * ZOOM_STEP, anchor)

    def zoom_out(self, anchor: QPointF | None = None) -> None:
        self.set_zoom(self._scale / ZOOM_STEP, anchor)

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def _apply_fit(self) -> None:
        if self._source is None:
            self._scale, self._centre = 1.0, QPointF()
            return
        w, h = self._source.width(), self._source.height()
        self._scale = max(MIN_ZOOM, min((self.width() - 4) / w, (self.height() - 4) / h))
        self._centre = QPointF(w / 2, h / 2)

    def _clamp_centre(self) -> None:
        if self._source is not None:
            self._centre = QPointF(min(max(self._centre.x(), 0.0), self._source.width()),
                                   min(max(self._centre.y(), 0.0), self._source.height()))

    # -- coordinates -------------------------------------------------------------------------------

    def to_image(self, point: QPointF) -> QPointF:
        """A widget point in picture pixels."""
        half = QPointF(self.width() / 2, self.height() / 2)
        return self._centre + (QPointF(point) - half) / self._scale

    def to_view(self, point: QPointF) -> QPointF:
        """A picture point in widget coordinates."""
        half = QPointF(self.width() / 2, self.height() / 2)
        return (QPointF(point) - self._centre) * self._scale + half

    def image_rect(self) -> QRectF:
        """Where the picture is drawn, in widget coordinates."""
        if self._source is None:
            return QRectF()
        return QRectF(self.to_view(QPointF(0, 0)), self.to_view(QPointF(self._source.width(), self._source.height())))

    # -- the mask brush ------------------------------------------------------------------------------

    def set_brush_mode(self, on: bool) -> None:
        self._brush_mode = bool(on)
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self.update()

    def brush_mode(self) -> bool:
        return self._brush_mode

    def set_brush_size(self, px: int) -> None:
        """Brush diameter in picture pixels."""
        self._brush_size = max(1, int(px))
        self.update()

    def brush_size(self) -> int:
        return self._brush_size

    def has_mask(self) -> bool:
        return self._mask_any

    def repaint_mask(self) -> np.ndarray | None:
        """The painted mask, ``HxW`` uint8 at the picture's resolution (255 = repaint), or None
        when no picture is shown."""
        if self._mask is None:
            return None
        w, h = self._mask.width(), self._mask.height()
        data = np.frombuffer(self._mask.constBits(), dtype=np.uint8, count=self._mask.sizeInBytes())
        rows = data.reshape(h, self._mask.bytesPerLine())[:, :w]
        return np.where(rows > 127, 255, 0).astype(np.uint8)

    def clear_mask(self) -> None:
        if self._mask is not None:
            self._mask.fill(0)
        self._set_mask_any(False)
        self.update()

    def paint_stroke(self, start: QPointF, end: QPointF, erase: bool = False) -> None:
        """Paint (or erase) the mask along a line between two picture points, brush-wide."""
        if self._mask is None:
            return
        painter = QPainter(self._mask)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if erase:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
        pen = QPen(QColor(0, 0, 0, 255), self._brush_size, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        if start == end:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(0, 0, 0, 255)))
            r = self._brush_size / 2
            painter.drawEllipse(start, r, r)
        else:
            painter.drawLine(start, end)
        painter.end()
        if erase:  # only erasing can empty the mask: painting never needs the (costly) look
            mask = self.repaint_mask()
            self._set_mask_any(bool(mask is not None and mask.any()))
        else:
            r = self._brush_size / 2
            stroke = QRectF(start, end).normalized().adjusted(-r, -r, r, r)
            if stroke.intersects(QRectF(self._mask.rect())):
                self._set_mask_any(True)
        self.update()

    def _new_mask(self) -> None:
        if self._source is None:
            self._mask = None
        else:
            self._mask = QImage(self._source.size(), QImage.Format.Format_Alpha8)
            self._mask.fill(0)
        self._set_mask_any(False)

    def _set_mask_any(self, value: bool) -> None:
        if value != self._mask_any:
            self._mask_any = value
            self.sig_mask_changed.emit(value)

    # -- events ----------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        painter = QPainter(self)
        if self._source is None:
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(self.rect().adjusted(8, 8, -8, -8),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder)
            return
        target = self.image_rect()
        smooth = self._scale < 2.0  # zoomed in, show the pixels as they are
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        painter.drawPixmap(target, self._source, QRectF(self._source.rect()))
        if self._mask is not None and self._mask_any:
            overlay = QImage(self._mask.size(), QImage.Format.Format_ARGB32_Premultiplied)
            overlay.fill(MASK_COLOUR)
            tint = QPainter(overlay)
            tint.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
            tint.drawImage(0, 0, self._mask)
            tint.end()
            painter.setOpacity(MASK_OPACITY)
            painter.drawImage(target, overlay)
            painter.setOpacity(1.0)
        if self._brush_mode and self._cursor is not None:
            r = self._brush_size * self._scale / 2
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(255, 255, 255, 220), 1.5))
            painter.drawEllipse(self._cursor, r, r)
            painter.setPen(QPen(QColor(0, 0, 0, 160), 1, Qt.PenStyle.DashLine))
            painter.drawEllipse(self._cursor, r, r)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self._apply_fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self._source is None:
            event.ignore()
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.set_zoom(self._scale * ZOOM_STEP ** steps, event.position())
        event.accept()

    def event(self, event: QEvent) -> bool:
        # Ctrl +/-/0/1 belong to the picture while it has focus, not to the window's shortcuts.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and \
                self._is_zoom_key(event):
            event.accept()
            return True
        return super().event(event)

    def _is_zoom_key(self, event: QKeyEvent) -> bool:
        return self._source is not None and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier) and \
            Qt.Key(event.key()) in _ZOOM_KEYS

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = _PAN_KEYS.get(Qt.Key(event.key()))
        if step is not None and self._source is not None and not self._fit and not event.modifiers():
            # the arrow keys pan a zoomed picture by an eighth of the view, as a drag would
            self._centre += QPointF(step[0] * self.width(), step[1] * self.height()) / (8 * self._scale)
            self._clamp_centre()
            self.update()
            event.accept()
            return
        if not self._is_zoom_key(event):
            super().keyPressEvent(event)
            return
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit()
        else:
            self.actual_size()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        button = event.button()
        if self._source is None:
            super().mousePressEvent(event)
            return
        if self._brush_mode and button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            mode = "paint" if button == Qt.MouseButton.LeftButton else "erase"
            at = self.to_image(point)
            self._drag = (mode, at)
            self.paint_stroke(at, at, erase=mode == "erase")
        elif button in (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton):
            self._drag = ("pan", point)
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        self._cursor = point
        if self._drag is not None:
            mode, last = self._drag
            if mode == "pan":
                if not self._fit:  # a fitted picture has nowhere to go
                    self._centre = self._centre - (point - last) / self._scale
                    self._clamp_centre()
                self._drag = (mode, point)
            else:
                at = self.to_image(point)
                self.paint_stroke(last, at, erase=mode == "erase")
                self._drag = (mode, at)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None and self._drag[0] == "pan":
            self.setCursor(Qt.CursorShape.CrossCursor if self._brush_mode else Qt.CursorShape.ArrowCursor)
        self._drag = None
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        self._cursor = None
        self.update()
        super().leaveEvent(event)


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    from studio.ui.pixmaps import rgb_to_pixmap

    app = QApplication(sys.argv)
    view = ImageView("No picture")
    yy, xx = np.mgrid[0:240, 0:320]
    view.set_source(rgb_to_pixmap(np.stack([xx % 256, yy % 256, (xx + yy) % 256], -1).astype(np.uint8)))
    view.set_brush_mode("--brush" in sys.argv)
    view.resize(480, 360)
    view.show()
    sys.exit(app.exec())
