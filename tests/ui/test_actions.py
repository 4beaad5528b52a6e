"""The window's actions: Esc cancels the running task, and only while one runs."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from studio.progress import check_stop


def _until_stopped(progress) -> None:
    while True:
        check_stop(progress)
        time.sleep(0.005)


def test_escape_cancels_the_running_task(make_window, qtbot):
    window = make_window()
    assert not window.menu_actions.cancel.isEnabled()  # idle: Esc belongs to the focused widget
    handle = window.runner.start("Endless", _until_stopped)
    with qtbot.waitSignal(handle.sig_started, timeout=5000):
        pass
    assert window.menu_actions.cancel.isEnabled()
    window.activateWindow()
    qtbot.waitActive(window)
    with qtbot.waitSignal(handle.sig_cancelled, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.menu_actions.cancel.isEnabled(), timeout=2000)


def test_the_shortcut_list_names_escape_for_cancel(make_window):
    dialog = make_window().show_shortcuts()
    rows = {dialog.table.topLevelItem(i).text(0): dialog.table.topLevelItem(i).text(1)
            for i in range(dialog.table.topLevelItemCount())}
    dialog.close()
    assert rows["Cancel Task"] == "Esc"
