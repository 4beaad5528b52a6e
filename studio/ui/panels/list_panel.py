"""The shared frame of the sample bin and the gallery: a header, a list view, and a row of
buttons plus a context menu for the actions the window hands over with ``set_actions``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget


class ListPanel(QWidget):
    """Subclasses create ``self.view`` and then call :meth:`_lay_out`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context_actions: list[QAction] = []
        self.header = QLabel()
        self.header.setWordWrap(True)
        self._buttons = QHBoxLayout()
        self._buttons.setContentsMargins(0, 0, 0, 0)

    def _lay_out(self, view: QAbstractItemView) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(view, 1)
        layout.addLayout(self._buttons)

    def set_actions(self, button_actions: list[QAction], context_actions: list[QAction]) -> None:
        """Show ``button_actions`` as buttons under the list and ``context_actions`` on right-click."""
        for action in button_actions:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self._buttons.addWidget(button)
        self._buttons.addStretch(1)
        self._context_actions = list(context_actions)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if not self._context_actions:
            return
        menu = QMenu(self)
        menu.addActions(self._context_actions)
        menu.exec(event.globalPos())
