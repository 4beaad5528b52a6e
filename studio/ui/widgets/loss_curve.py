"""A live loss curve: one point per adaptation step, scaled to fit, with the latest value.

Fed by the adaptation task's partial results (a ``float`` per step). Non-finite losses are
counted as steps but not drawn, so one diverged step does not flatten the rest of the curve.
Losses measured on a fresh random draw each step (the painting generator's) are noisy, so a
bias-corrected moving average is drawn over the faint raw points once there are enough of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.ui.i18n import QT_TRANSLATE_NOOP

EMPTY_TEXT = QT_TRANSLATE_NOOP("LossCurve", "The adaptation loss appears here, step by step.")  # shown translated
_LINE = QColor("#2c6fbb")
_RAW = QColor(44, 111, 187, 90)
SMOOTHING = 0.15  # weight of the newest step in the moving average
SMOOTH_FROM = 8  # steps before the average is drawn
_AXIS = QColor("#b8b2a7")
MARGIN = 6
LABEL_HEIGHT = 16


class LossCurve(QWidget):
    """:meth:`add_point` appends a step's loss; :meth:`set_points` replaces the curve."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[float] = []
        self._caption = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(120, 60)
        self.setToolTip(self.tr("Adaptation loss per step: lower means the model fits your samples better"))
        self.setAccessibleName(self.tr("Adaptation loss curve"))

    def points(self) -> list[float]:
        return list(self._points)

    def clear(self, caption: str = "") -> None:
        self._points.clear()
        self._caption = caption
        self.update()

    def set_points(self, losses: Iterable[float], caption: str = "") -> None:
        self._points = [float(x) for x in losses]
        self._caption = caption
        self.update()

    def add_point(self, loss: float) -> None:
        self._points.append(float(loss))
        self.update()

    def smoothed(self) -> list[tuple[int, float]]:
        """``(step, moving average)`` over the finite losses, bias-corrected like Adam's moments."""
        out, average, weight = [], 0.0, 0.0
        for i, y in enumerate(self._points):
            if math.isfinite(y):
                average = (1 - SMOOTHING) * average + SMOOTHING * y
                weight = (1 - SMOOTHING) * weight + SMOOTHING
                out.append((i, average / weight))
        return out

    def summary(self) -> str:
        """The text under the curve: steps and the first and latest finite losses."""
        finite = [x for x in self._points if math.isfinite(x)]
        if not finite:
            if self._caption:
                return self._caption
            if not self._points:
                return self.tr(EMPTY_TEXT)
            return self.tr("{n} steps").format(n=len(self._points))
        steps = self.tr("1 step") if len(self._points) == 1 else self.tr("{n} steps").format(n=len(self._points))
        text = self.tr("{steps}: loss {first} \u2192 {last}").format(steps=steps, first=f"{finite[0]:.3f}",
                                                                      last=f"{finite[-1]:.3f}")
        return f"{self._caption} \u2014 {text}" if self._caption else text

    def label_text(self) -> str:
        """:meth:`summary` as drawn: elided to the widget's width rather than cut mid-letter."""
        width = max(0, self.width() - 2 * MARGIN)
        return self.fontMetrics().elidedText(self.summary(), Qt.TextElideMode.ElideRight, width)

    def sizeHint(self) -> QSize:
        return QSize(240, 110)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = QRectF(MARGIN, MARGIN, self.width() - 2 * MARGIN, self.height() - 2 * MARGIN - LABEL_HEIGHT)
        painter.setPen(QPen(_AXIS, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        text_colour = self.palette().color(self.foregroundRole())
        painter.setPen(text_colour)
        label = QRectF(MARGIN, self.height() - MARGIN - LABEL_HEIGHT, self.width() - 2 * MARGIN, LABEL_HEIGHT)
        painter.drawText(label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.label_text())
        finite = [(i, y) for i, y in enumerate(self._points) if math.isfinite(y)]
        if len(finite) < 1 or plot.width() < 4 or plot.height() < 4:
            return
        low, high = min(y for _, y in finite), max(y for _, y in finite)
        span = (high - low) or 1.0
        last = max(1, len(self._points) - 1)
        stride = max(1, len(finite) // int(plot.width()))  # at most about one point per pixel
        shown = finite[::stride] + ([finite[-1]] if (len(finite) - 1) % stride else [])
        smooth = len(finite) >= SMOOTH_FROM
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(_RAW if smooth else _LINE, 1.2 if smooth else 1.6))
        path = self._path(shown, plot, low, span, last)
        painter.drawPath(path)
        if smooth:
            trend = self.smoothed()
            painter.setPen(QPen(_LINE, 2.0))
            painter.drawPath(self._path(trend[::stride] + [trend[-1]], plot, low, span, last))
        if len(shown) == 1:
            painter.setBrush(_LINE)
            painter.drawEllipse(path.currentPosition(), 2.5, 2.5)

    @staticmethod
    def _path(points: list[tuple[int, float]], plot: QRectF, low: float, span: float, last: int) -> QPainterPath:
        path = QPainterPath()
        for n, (i, y) in enumerate(points):
            point = QPointF(plot.left() + plot.width() * i / last,
                            plot.bottom() - plot.height() * (y - low) / span)
            path.moveTo(point) if n == 0 else path.lineTo(point)
        return path
