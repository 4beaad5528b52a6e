"""A small paint canvas for drawing a painting's guide: round brushes, a bucket fill, an eraser, undo.

The picture is a :class:`QImage` at the painting's aspect ratio (long side :data:`CANVAS_SIDE`
px); the widget shows it fitted and centred. The left button (or a tablet pen, whose pressure
scales the brush) paints with the current tool:

* ``brush``: round dabs of :meth:`brush_size` px with a :meth:`hardness` from a soft airbrush
  (0) to a hard-edged disc (1), spaced along the stroke so fast strokes stay continuous;
* ``eraser``: the same dabs in the ground colour (:meth:`ground`);
* ``fill``: fills the region of similar colour around the click (:func:`flood_fill`): the
  quick way to lay in masses (sky, field, a wall).

Every stroke, fill and clear is one undo step (:meth:`undo` / :meth:`redo`, Ctrl+Z and
Ctrl+Shift+Z or Ctrl+Y on the canvas). ``[`` and ``]`` make the brush smaller or larger.
:meth:`to_array` gives the picture as an ``HxWx3`` uint8 array for
:func:`~studio.domains.painting.guide.guide_from_array`.
"""

from __future__ import annotations

import bisect

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush, QColor, QImage, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QPaintEvent, QPen, QRadialGradient,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

CANVAS_SIDE = 512  # px of the long side: finer than the coarse levels a guide feeds
BRUSH_SIZES = (2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)  # what [ and ] step through
MAX_UNDO = 40  # undo steps kept (each a copy of the canvas, ~1 MB at 512 px)
FILL_TOLERANCE = 32  # max per-channel difference a bucket fill treats as "the same colour"
TOOLS = ("brush", "eraser", "fill")


def canvas_size(aspect: float, side: int = CANVAS_SIDE) -> QSize:
    """The canvas size (width, height) of long side ``side`` at ``aspect`` (width / height)."""
    aspect = min(5.0, max(0.2, float(aspect)))
    if aspect >= 1:
        return QSize(side, max(1, round(side / aspect)))
    return QSize(max(1, round(side * aspect)), side)


def flood_fill(rgb: np.ndarray, x: int, y: int, tolerance: int = FILL_TOLERANCE) -> np.ndarray:
    """The region (``HxW`` bool) 4-connected to ``(x, y)`` whose colour differs from that pixel's
    by at most ``tolerance`` in every channel. numpy cuts every row into runs of such pixels at
    once; the fill then walks runs, not pixels (a run joins the runs it overlaps in the rows
    above and below), so filling a whole 512-px canvas takes a few milliseconds."""
    height, width = rgb.shape[:2]
    filled = np.zeros((height, width), dtype=bool)
    if not (0 <= x < width and 0 <= y < height):
        return filled
    similar = np.ones((height, width), dtype=bool)
    for channel, value in enumerate(rgb[y, x].tolist()):  # range tests on uint8: no int16 copy
        plane = rgb[..., channel]
        similar &= (plane >= max(0, value - tolerance)) & (plane <= min(255, value + tolerance))
    edges = np.diff(np.pad(similar, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows_np, starts_np = np.nonzero(edges == 1)  # row-major: a row's runs in order
    ends_np = np.nonzero(edges == -1)[1]  # exclusive ends, paired with the starts
    first = np.searchsorted(rows_np, np.arange(height + 1)).tolist()  # runs of row r: first[r]..first[r+1]
    rows, starts, ends = rows_np.tolist(), starts_np.tolist(), ends_np.tolist()
    seed = bisect.bisect_right(starts, x, first[y], first[y + 1]) - 1
    seen = bytearray(len(starts))
    seen[seed] = 1
    stack = [seed]
    while stack:
        run = stack.pop()
        row, left, right = rows[run], starts[run], ends[run]
        filled[row, left:right] = True
        for other in (row - 1, row + 1):
            if 0 <= other < height:
                lo, hi = first[other], first[other + 1]
                j = bisect.bisect_right(ends, left, lo, hi)  # the first run there ending after ``left``
                while j < hi and starts[j] < right:
                    if not seen[j]:
                        seen[j] = 1
                        stack.append(j)
                    j += 1
    return filled


def grow(region: np.ndarray) -> np.ndarray:
    """``region`` (``HxW`` bool) grown by one pixel in the four directions."""
    grown = region.copy()
    grown[1:] |= region[:-1]
    grown[:-1] |= region[1:]
    grown[:, 1:] |= region[:, :-1]
    grown[:, :-1] |= region[:, 1:]
    return grown


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """An ``HxWx3`` uint8 copy of ``image``'s pixels."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    data = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return data[:, : width * 3].reshape(height, width, 3).copy()


def rgb_to_canvas(rgb: np.ndarray) -> QImage:
    """``rgb`` (``HxWx3`` uint8) as a canvas image (RGB32, owning its pixels)."""
    data = np.ascontiguousarray(rgb)
    height, width = data.shape[:2]
    image = QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.convertToFormat(QImage.Format.Format_RGB32)


class SketchCanvas(QWidget):
    """See the module docstring. ``sig_changed`` after every edit, undo and redo;
    ``sig_brush_size_changed(int)`` when ``[`` / ``]`` or :meth:`set_brush_size` change the size."""

    sig_changed = Signal()
    sig_brush_size_changed = Signal(int)

    def __init__(self, aspect: float = 4 / 3, ground: str = "#ffffff", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ground = QColor(ground)
        self._image = QImage(canvas_size(aspect), QImage.Format.Format_RGB32)
        self._image.fill(self._ground)
        self._undo: list[QImage] = []
        self._redo: list[QImage] = []
        self._tool = "brush"
        self._colour = QColor("#202020")
        self._size = 24
        self._hardness = 0.8
        self._last: QPointF | None = None  # the last dab of the stroke under way
        self._carry = 0.0  # distance walked since that dab
        self._cursor: QPointF | None = None
        self._pressure = 1.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 180)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(self.tr("Sketch canvas"))
        self.setToolTip(self.tr("Draw the composition: the left button (or a pen) paints with the chosen tool; "
                                "[ and ] change the brush size"))

    # -- the picture --------------------------------------------------------------------------------------

    def image(self) -> QImage:
        return self._image

    def to_array(self) -> np.ndarray:
        """The picture as an ``HxWx3`` uint8 RGB array."""
        return qimage_to_rgb(self._image)

    def aspect(self) -> float:
        return self._image.width() / self._image.height()

    def ground(self) -> QColor:
        return QColor(self._ground)

    def set_ground(self, colour: str | QColor) -> None:
        """The paper colour: what the eraser paints and Clear fills with."""
        self._ground = QColor(colour)

    def is_blank(self) -> bool:
        """Whether the canvas is one flat colour (nothing drawn on it)."""
        rgb = self.to_array()
        return bool((rgb == rgb[0, 0]).all())

    def set_aspect(self, aspect: float) -> None:
        """Change the canvas to ``aspect`` (width / height), rescaling what is drawn (undoable)."""
        size = canvas_size(aspect)
        if size == self._image.size():
            return
        self._checkpoint()
        self._image = self._image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation)
        self._changed()

    def load_array(self, rgb: np.ndarray) -> None:
        """Replace the picture by ``rgb`` (e.g. the current guide, to draw over it); undoable."""
        self._checkpoint()
        image = rgb_to_canvas(rgb)
        size = canvas_size(image.width() / image.height())
        self._image = image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self._changed()

    def clear(self) -> None:
        """Fill the canvas with the ground colour (undoable)."""
        self._checkpoint()
        self._image.fill(self._ground)
        self._changed()

    # -- tools ----------------------------------------------------------------------------------------------

    def tool(self) -> str:
        return self._tool

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(f"tool must be one of {', '.join(TOOLS)}, got {tool!r}")
        self._tool = tool
        self.update()

    def colour(self) -> QColor:
        return QColor(self._colour)

    def set_colour(self, colour: str | QColor) -> None:
        self._colour = QColor(colour)

    def brush_size(self) -> int:
        return self._size

    def set_brush_size(self, size: int) -> None:
        size = max(1, min(BRUSH_SIZES[-1], int(size)))
        if size != self._size:
            self._size = size
            self.sig_brush_size_changed.emit(size)
            self.update()

    def hardness(self) -> float:
        return self._hardness

    def set_hardness(self, hardness: float) -> None:
        """0: a soft airbrush fading from the centre; 1: a hard-edged disc."""
        self._hardness = min(1.0, max(0.0, float(hardness)))

    def smaller_brush(self) -> None:
        self.set_brush_size(max([s for s in BRUSH_SIZES if s < self._size], default=BRUSH_SIZES[0]))

    def larger_brush(self) -> None:
        self.set_brush_size(min([s for s in BRUSH_SIZES if s > self._size], default=BRUSH_SIZES[-1]))

    # -- undo -------------------------------------------------------------------------------------------------

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        if self._undo:
            self._redo.append(self._image)
            self._image = self._undo.pop()
            self._changed()

    def redo(self) -> None:
        if self._redo:
            self._undo.append(self._image)
            self._image = self._redo.pop()
            self._changed()

    def reset_history(self) -> None:
        """Forget every undo and redo step (the current picture becomes the first state)."""
        self._undo.clear()
        self._redo.clear()
        self._changed()

    def _checkpoint(self) -> None:
        self._undo.append(self._image.copy())
        del self._undo[:-MAX_UNDO]
        self._redo.clear()

    def _changed(self) -> None:
        self.update()
        self.sig_changed.emit()

    # -- painting ---------------------------------------------------------------------------------------------

    def _frame(self) -> tuple[float, QPointF]:
        """(scale, top-left) of the picture fitted and centred in the widget."""
        w, h = self._image.width(), self._image.height()
        scale = max(1e-6, min((self.width() - 2) / w, (self.height() - 2) / h))
        return scale, QPointF((self.width() - w * scale) / 2, (self.height() - h * scale) / 2)

    def to_image(self, point: QPointF) -> QPointF:
        """A widget point in picture pixels."""
        scale, origin = self._frame()
        return (point - origin) / scale

    def fill_at(self, point: QPointF) -> None:
        """Bucket-fill the region of similar colour at ``point`` (picture pixels); undoable."""
        x, y = int(point.x()), int(point.y())
        if not (0 <= x < self._image.width() and 0 <= y < self._image.height()):
            return
        rgb = self.to_array()
        region = grow(flood_fill(rgb, x, y))  # one pixel more: no halo left along antialiased edges
        colour = self._colour
        if not region.any() or (rgb[region] == (colour.red(), colour.green(), colour.blue())).all():
            return
        self._checkpoint()
        np.copyto(rgb, np.array((colour.red(), colour.green(), colour.blue()), np.uint8), where=region[..., None])
        self._image = rgb_to_canvas(rgb)
        self._changed()

    def begin_stroke(self, point: QPointF, pressure: float = 1.0) -> None:
        """Start a brush or eraser stroke at ``point`` (picture pixels) with one dab."""
        self._checkpoint()
        self._last, self._carry = point, 0.0
        self._dab(point, pressure)
        self._changed()

    def continue_stroke(self, point: QPointF, pressure: float = 1.0) -> None:
        """Paint dabs from the last one to ``point``, about a quarter brush apart."""
        if self._last is None:
            return
        step = max(1.0, self._size * max(0.1, pressure) * 0.25)
        delta = point - self._last
        length = (delta.x() ** 2 + delta.y() ** 2) ** 0.5
        if length < 1e-6:
            return
        along = step - self._carry  # where on this segment the next dab falls
        while along <= length:
            self._dab(self._last + delta * (along / length), pressure)
            along += step
        self._carry = length - (along - step)  # distance walked since the last dab
        self._last = point
        self._changed()

    def end_stroke(self) -> None:
        self._last = None

    def _dab(self, centre: QPointF, pressure: float) -> None:
        radius = max(0.5, self._size * max(0.1, min(1.0, pressure)) / 2)
        colour = self._ground if self._tool == "eraser" else self._colour
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        if self._hardness >= 0.99:
            painter.setBrush(colour)
        else:
            gradient = QRadialGradient(centre, radius)
            gradient.setColorAt(0.0, colour)
            gradient.setColorAt(max(0.0, self._hardness), colour)
            edge = QColor(colour)
            edge.setAlpha(0)
            gradient.setColorAt(1.0, edge)
            painter.setBrush(QBrush(gradient))
        painter.drawEllipse(centre, radius, radius)
        painter.end()

    # -- events ---------------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(560, 420)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(self.backgroundRole()).darker(115))
        scale, origin = self._frame()
        target = QRectF(origin.x(), origin.y(), self._image.width() * scale, self._image.height() * scale)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self._image)
        painter.setPen(QPen(QColor(0, 0, 0, 90), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target.adjusted(-0.5, -0.5, 0.5, 0.5))
        if self._cursor is not None and self._tool != "fill" and target.contains(self._cursor):
            radius = self._size * scale / 2
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(255, 255, 255, 200), 1.5))
            painter.drawEllipse(self._cursor, radius, radius)
            painter.setPen(QPen(QColor(0, 0, 0, 200), 1))
            painter.drawEllipse(self._cursor, radius, radius)

    def _press(self, position: QPointF, pressure: float) -> None:
        point = self.to_image(position)
        if self._tool == "fill":
            self.fill_at(point)
        else:
            self.begin_stroke(point, pressure)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press(event.position(), 1.0)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._cursor = event.position()
        if self._last is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.continue_stroke(self.to_image(event.position()), 1.0)
        else:
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.end_stroke()
        super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen: its pressure scales the brush (accepted, so Qt sends no mouse events for it)."""
        pressure = float(event.pressure()) if event.pressure() > 0 else 1.0
        kind = event.type()
        self._cursor = event.position()
        if kind == QTabletEvent.Type.TabletPress:
            self._press(event.position(), pressure)
        elif kind == QTabletEvent.Type.TabletMove and self._last is not None:
            self.continue_stroke(self.to_image(event.position()), pressure)
        elif kind == QTabletEvent.Type.TabletRelease:
            self.end_stroke()
        else:
            self.update()
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:  # noqa: ARG002
        self._cursor = None
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if event.matches(QKeySequence.StandardKey.Redo) or (ctrl and event.key() == Qt.Key.Key_Z and shift):
            self.redo()
        elif event.matches(QKeySequence.StandardKey.Undo) or (ctrl and event.key() == Qt.Key.Key_Z):
            self.undo()
        elif event.key() == Qt.Key.Key_BracketLeft:
            self.smaller_brush()
        elif event.key() == Qt.Key.Key_BracketRight:
            self.larger_brush()
        else:
            super().keyPressEvent(event)
