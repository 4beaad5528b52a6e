"""A list view that shows a helpful hint in its empty viewport instead of a blank area."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QListView, QWidget


class HintListView(QListView):
    """QListView painting ``empty_hint`` (wrapped, centred, muted) while its model has no rows."""

    def __init__(self, empty_hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hint = empty_hint

    def empty_hint(self) -> str:
        return self._hint

    def set_empty_hint(self, text: str) -> None:
        self._hint = text
        self.viewport().update()

    def is_showing_hint(self) -> bool:
        model = self.model()
        return bool(self._hint) and (model is None or model.rowCount() == 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.is_showing_hint():
            return
        painter = QPainter(self.viewport())
        colour = self.palette().color(self.foregroundRole())
        colour.setAlpha(150)
        painter.setPen(colour)
        rect = self.viewport().rect().adjusted(16, 16, -16, -16)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._hint)
