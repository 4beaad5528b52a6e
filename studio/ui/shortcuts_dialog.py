"""Help > Keyboard Shortcuts: every menu command with its shortcut and its menu keys, read from
the window's menu bar itself (so the list cannot drift from the menus), then the keys the panels
handle themselves (:func:`panel_keys`).

A command's "menu keys" are the path through the menus' &-accelerators: ``Alt+F, I`` opens File
and picks Import. Entries of lists filled at run time (recent projects, MIDI ports, languages)
have neither a shortcut nor a menu key of their own and are left out; their menu is listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QMenu, QMenuBar, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from studio.ui.i18n import translate


def on_keyboards(sequence: QKeySequence) -> bool:
    """False for the keys standard shortcuts add that laptop keyboards lack (F13-F35, Help,
    and media keys such as Open, Undo or Zoom In): listing them reads like noise."""
    key = sequence[0].key().value if sequence.count() else 0  # type: ignore[index]  # the stubs lack __getitem__
    unusual = Qt.Key.Key_F13.value <= key <= Qt.Key.Key_F35.value or key >= Qt.Key.Key_Help.value
    return bool(key) and not unusual


def mnemonic(text: str) -> str:
    """The letter after the single ``&`` of a menu text ("Save &As" -> "A"; "" when there is none)."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].upper()
            i += 1
        i += 1
    return ""


def shortcut_text(action: QAction) -> str:
    """The action's shortcuts as the platform writes them, keys laptops lack left out."""
    native = QKeySequence.SequenceFormat.NativeText
    return ", ".join(k.toString(native) for k in action.shortcuts() if on_keyboards(k))


def plain(text: str) -> str:
    """A menu text without its ``&`` markers, and without the "(&F)" that marks a menu key in
    Chinese ("文件(&F)" -> "文件")."""
    text = re.sub(r"\s*[(\uff08]&[^&][)\uff09]", "", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


@dataclass(frozen=True)
class MenuEntry:
    """One command as the menus offer it."""

    action: QAction
    path: tuple[str, ...]  # the menus' plain titles, outermost first
    keys: str  # the menu keys ("Alt+F, I"), "" when some step has no accelerator
    shortcut: str


def menu_entries(bar: QMenuBar) -> list[MenuEntry]:
    """Every visible command of ``bar``'s menus (submenus included), in menu order."""
    entries: list[MenuEntry] = []

    def walk(menu: QMenu, path: tuple[str, ...], keys: str) -> None:
        for action in menu.actions():
            if action.isSeparator() or not action.isVisible():
                continue
            letter = mnemonic(action.text())
            step = f"{keys}, {letter}" if keys and letter else ""
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                entries.append(MenuEntry(action, path, step, ""))
                walk(submenu, (*path, plain(action.text())), step)
            else:
                entries.append(MenuEntry(action, path, step, shortcut_text(action)))

    for top in bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu) and top.isVisible():
            letter = mnemonic(top.text())
            walk(menu, (plain(top.text()),), f"Alt+{letter}" if letter else "")
    return entries


def panel_keys() -> list[tuple[str, str, str]]:
    """(where, keys, what they do) for the keys the panels handle themselves, not the menus."""
    t = translate
    return [
        (t("Shortcuts", "Any panel"), t("Shortcuts", "Tab, Shift+Tab"),
         t("Shortcuts", "Move to the next or previous control")),
        (t("Shortcuts", "Samples, gallery"), t("Shortcuts", "Arrow keys, Shift+arrows"),
         t("Shortcuts", "Move through the list, extend the selection")),
        (t("Shortcuts", "Samples, gallery"), t("Shortcuts", "Enter"),
         t("Shortcuts", "Open the sample or work in the inspector")),
        (t("Shortcuts", "Piano roll"), t("Shortcuts", "Left, Right, Shift+Left, Shift+Right, Home, End"),
         t("Shortcuts", "Choose bars for \u201cRegenerate bars\u201d; Esc clears them")),
        (t("Shortcuts", "Picture"), t("Shortcuts", "Arrow keys, Ctrl++, Ctrl+-"),
         t("Shortcuts", "Pan and zoom the picture")),
    ]





class ShortcutsDialog(QDialog):
    """The list described in the module docstring: columns Command (a submenu's entries with the
    submenu's name: "Go to Panel > Samples"), Shortcut, Menu keys, What it does."""

    def __init__(self, bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        table = QTreeWidget()
        table.setHeaderLabels([self.tr("Command"), self.tr("Shortcut"), self.tr("Menu keys"), self.tr("What it does")])
        table.setRootIsDecorated(False)
        table.setAlternatingRowColors(True)
        table.setAccessibleName(self.tr("Keyboard shortcuts"))
        for entry in menu_entries(bar):
            if not entry.keys and not entry.shortcut:
                continue  # an entry of a list filled at run time: its menu is listed
            name = " > ".join((*entry.path[1:], plain(entry.action.text())))  # "Go to Panel > Samples"
            item = QTreeWidgetItem([name, entry.shortcut, entry.keys, entry.action.toolTip()])
            item.setToolTip(0, " > ".join((*entry.path, plain(entry.action.text()))))
            item.setToolTip(3, entry.action.toolTip())
            table.addTopLevelItem(item)
        for where, keys, what in panel_keys():
            table.addTopLevelItem(QTreeWidgetItem([where, keys, "", what]))
        table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.header().setStretchLastSection(True)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(860, 560)

    def rows(self) -> dict[str, tuple[str, str]]:
        """Command -> (shortcut, menu keys), as shown."""
        items = [self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount())]
        return {item.text(0): (item.text(1), item.text(2)) for item in items if item is not None}
