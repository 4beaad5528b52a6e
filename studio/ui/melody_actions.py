"""The Melodies menu: the melody controls' commands with shortcuts, for keyboard users.

The Paintings menu's twin (same keys: Ctrl+G generates, Ctrl+Shift+V varies, ...); it shows
only for melody projects, when the Paintings menu hides, so the keys never collide. Each action
presses its button in the Melody panel, which stays the one place that knows whether the command
can run: a command that cannot says why in the status bar (the button's tooltip carries the
reason), and the open menu greys such commands out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from studio.ui.i18n import translate

# name in MelodyControlsPanel.buttons -> (menu text, shortcut); the texts are built in menu_texts()
KEYS = {"generate": "Ctrl+G", "vary": "Ctrl+Shift+V", "blend": "Ctrl+Shift+B", "continue": "Ctrl+Shift+C",
        "regenerate": "Ctrl+Shift+R", "more": "Ctrl+Shift+M"}


def menu_texts() -> dict[str, str]:
    """Each command's menu text, with its menu key, in the window's language."""
    return {"generate": translate("MelodyActions", "&Generate Melodies"),
            "vary": translate("MelodyActions", "&Variations"),
            "blend": translate("MelodyActions", "&Blend Two"),
            "continue": translate("MelodyActions", "&Continue"),
            "regenerate": translate("MelodyActions", "&Regenerate Bars"),
            "more": translate("MelodyActions", "&More Like These")}


@dataclass
class MelodyActions:
    actions: dict[str, QAction]
    menu: QMenu

    def all(self) -> list[QAction]:
        return list(self.actions.values())


def _press(button: QPushButton, say: Callable[[str], None]) -> None:
    if button.isEnabled():
        button.click()
    else:
        say(button.toolTip())  # what it does, then why it cannot now


def build_melody_actions(window: QWidget, buttons: dict[str, QPushButton], say: Callable[[str], None]) -> MelodyActions:
    """The Melodies menu (not yet in a menu bar) over the melody panel's ``buttons``; ``say``
    shows a message in the status bar."""
    menu = QMenu(translate("MelodyActions", "&Melodies"), window)
    menu.setToolTipsVisible(True)
    actions: dict[str, QAction] = {}
    for name, text in menu_texts().items():
        action = QAction(text, window)
        action.setShortcut(QKeySequence(KEYS[name]))
        button = buttons[name]
        action.triggered.connect(lambda _checked=False, b=button: _press(b, say))
        actions[name] = action
        menu.addAction(action)

    def sync() -> None:  # the open menu shows what can run now, and why not
        for name, action in actions.items():
            action.setEnabled(buttons[name].isEnabled())
            action.setToolTip(buttons[name].toolTip())
            action.setStatusTip(buttons[name].toolTip())

    def release() -> None:  # closed, every key works again (a blocked one says why)
        for action in actions.values():
            action.setEnabled(True)

    menu.aboutToShow.connect(sync)
    menu.aboutToHide.connect(release)
    menu.menuAction().setVisible(False)  # until the window holds melodies
    return MelodyActions(actions, menu)
