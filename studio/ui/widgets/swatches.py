"""A strip of colour swatches whose widths follow each colour's share of the picture.

In pick mode (:meth:`PaletteSwatches.set_pickable`: the sketch canvas's palette) every swatch
is equally wide, a click emits ``sig_colour_picked("#rrggbb")`` and the picked one is outlined."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class PaletteSwatches(QWidget):
    """Shows ``(("#rrggbb", share), ...)``; hovering a swatch tells its hex code and share."""

    sig_colour_picked = Signal(str)  # pick mode only: the clicked swatch's "#rrggbb"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._palette: tuple[tuple[str, float], ...] = ()
        self._pickable = False
        self._picked: str | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_palette(self, palette: tuple[tuple[str, float], ...]) -> None:
        self._palette = tuple(palette)
        self.setToolTip(", ".join(f"{c} ({share:.0%})" for c, share in self._palette))
        self.setAccessibleDescription(self.toolTip())
        self.update()

    def palette_colours(self) -> tuple[tuple[str, float], ...]:
        return self._palette

    def set_pickable(self, pickable: bool) -> None:
        """Pick mode: equal swatches, a click picks a colour (``sig_colour_picked``)."""
        self._pickable = pickable
        self.setCursor(Qt.CursorShape.PointingHandCursor if pickable else Qt.CursorShape.ArrowCursor)
        self.update()

    def picked(self) -> str | None:
        return self._picked

    def set_picked(self, colour: str | None) -> None:
        """Outline ``colour``'s swatch (None: none) without emitting."""
        self._picked = colour
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, 28)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, 20)

    def _rects(self) -> list[tuple[QRectF, str, float]]:
        total = sum(max(0.0, s) for _, s in self._palette) or 1.0
        width = self.width() - 1
        x, rects = 0.0, []
        for colour, share in self._palette:
            w = width / len(self._palette) if self._pickable else width * max(0.0, share) / total
            rects.append((QRectF(x, 0, w, self.height() - 1), colour, share))
            x += w
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        painter = QPainter(self)
        if not self._palette:
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("no palette"))
            return
        painter.setPen(QPen(QColor(0, 0, 0, 60), 1))
        for rect, colour, _ in self._rects():
            painter.setBrush(QColor(colour))
            painter.drawRect(rect)
        picked = [rect for rect, colour, _ in self._rects() if self._pickable and colour == self._picked]
        if picked:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for pen in (QPen(QColor(255, 255, 255), 3), QPen(QColor(0, 0, 0), 1)):
                painter.setPen(pen)
                painter.drawRect(picked[0].adjusted(1.5, 1.5, -1.5, -1.5))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        for rect, colour, share in self._rects():
            if rect.contains(event.position()):
                self.setToolTip(self.tr("{colour} \u2013 {share} of the picture").format(colour=colour, share=f"{share:.0%}"))
                break
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._pickable and event.button() == Qt.MouseButton.LeftButton:
            for rect, colour, _ in self._rects():
                if rect.contains(event.position()):
                    self.set_picked(colour)
                    self.sig_colour_picked.emit(colour)
                    event.accept()
                    return
        super().mousePressEvent(event)
