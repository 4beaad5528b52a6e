"""The window's actions and menus: every command with its standard shortcut and a tooltip.

:func:`build_actions` connects each action to a method of the window's controllers (file,
edit, playback) or of the window itself, and lays out the menu bar; the panels show some of
the same actions as buttons and context-menu entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from studio.core.samples import Domain
from studio.ui.i18n import language_menu, translate

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow

Key = QKeySequence.StandardKey


@dataclass
class Actions:
    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    import_: QAction
    export: QAction
    export_kept: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    cancel: QAction
    delete: QAction
    select_all: QAction
    move_up: QAction
    move_down: QAction
    keep: QAction
    reject: QAction
    remove_works: QAction
    play: QAction
    zoom_in: QAction
    zoom_out: QAction
    about: QAction
    shortcuts: QAction
    getting_started: QAction
    demo_paintings: QAction
    demo_melodies: QAction
    record: QAction
    recent_menu: QMenu
    midi_menu: QMenu

    def all(self) -> list[QAction]:
        return [a for a in vars(self).values() if isinstance(a, QAction)]


def _action(window: MainWindow, text: str, tip: str, slot: Callable[[], object],
            keys: QKeySequence.StandardKey | str | list[str] | None = None) -> QAction:
    action = QAction(text, window)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    if isinstance(keys, QKeySequence.StandardKey):
        action.setShortcuts(keys)
    elif isinstance(keys, str):
        action.setShortcut(QKeySequence(keys))
    elif isinstance(keys, list):
        action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_actions(w: MainWindow) -> Actions:
    """Create the actions, connect them to ``w``'s controllers, and fill ``w``'s menu bar."""
    files, edit, play = w.files, w.edit, w.playback
    undo = w.session.undo_stack.createUndoAction(w, translate("Actions", "&Undo"))
    undo.setShortcuts(Key.Undo)
    undo.setToolTip(translate("Actions", "Undo the last edit of the samples or the gallery"))
    redo = w.session.undo_stack.createRedoAction(w, translate("Actions", "&Redo"))
    redo.setShortcuts(Key.Redo)
    redo.setToolTip(translate("Actions", "Redo the edit you undid"))
    a = Actions(
        new=_action(w, translate("Actions", "&New"),
                    translate("Actions", "Start a new, empty project"),
                    files.new_project, Key.New),
        open=_action(w, translate("Actions", "&Open\u2026"),
                     translate("Actions", "Open a saved project"),
                     files.open_project_dialog, Key.Open),
        save=_action(w, translate("Actions", "&Save"),
                     translate("Actions", "Save the project"),
                     files.save, Key.Save),
        save_as=_action(w, translate("Actions", "Save &As\u2026"),
                        translate("Actions", "Save the project under a new name"),
                        files.save_as, "Ctrl+Shift+S"),
        import_=_action(w, translate("Actions", "&Import\u2026"),
                        translate("Actions", "Add painting or MIDI melody files to the sample bin"),
                        files.import_dialog, "Ctrl+I"),
        export=_action(w, translate("Actions", "&Export\u2026"),
                       translate("Actions", "Copy the selected samples, and the "
                                            "selected (or kept) works, to a folder"),
                       files.export_dialog, "Ctrl+E"),
        export_kept=_action(w, translate("Actions", "Export &Kept\u2026"),
                            translate("Actions", "Write every kept work to a folder "
                                                 "(melodies as .mid, paintings as .png)"),
                            files.export_kept_dialog),
        quit=_action(w, translate("Actions", "&Quit"),
                     translate("Actions", "Close the studio"),
                     w.close, "Ctrl+Q"),
        undo=undo,
        redo=redo,
        cancel=_action(w, translate("Actions", "&Cancel Task"),
                       translate("Actions", "Stop the running task (import, adaptation or generation)"),
                       w.runner.cancel, "Esc"),
        delete=_action(w, translate("Actions", "&Delete"),
                       translate("Actions", "Remove the selected samples or works (undoable)"),
                       edit.delete_selected, Key.Delete),
        select_all=_action(w, translate("Actions", "Select &All"),
                           translate("Actions", "Select every sample (or every work in the gallery)"),
                           edit.select_all, Key.SelectAll),
        move_up=_action(w, translate("Actions", "M&ove Up"),
                        translate("Actions", "Move the selected samples one place up"),
                        lambda: edit.move_selected(-1), "Ctrl+Up"),
        move_down=_action(w, translate("Actions", "Move Do&wn"),
                          translate("Actions", "Move the selected samples one place down"),
                          lambda: edit.move_selected(1), "Ctrl+Down"),
        keep=_action(w, translate("Actions", "&Keep"),
                     translate("Actions", "Keep the selected works"),
                     edit.keep_selected, "K"),
        reject=_action(w, translate("Actions", "Re&ject"),
                       translate("Actions", "Reject the selected works: their seeds never come back"),
                       edit.reject_selected, "R"),
        remove_works=_action(w, translate("Actions", "Remo&ve Works"),
                             translate("Actions", "Remove the selected works from the gallery"),
                             edit.remove_selected_works),
        play=_action(w, translate("Actions", "&Play / Stop"),
                     translate("Actions", "Play or stop the selected melody with the built-in synth"),
                     play.play_selected, "Space"),
        zoom_in=_action(w, translate("Actions", "Bigger Thumbnails"),
                        translate("Actions", "Show larger thumbnails"),
                        lambda: edit.zoom(1), Key.ZoomIn),
        zoom_out=_action(w, translate("Actions", "Smaller Thumbnails"),
                         translate("Actions", "Show smaller thumbnails"),
                         lambda: edit.zoom(-1), Key.ZoomOut),
        about=_action(w, translate("Actions", "&About"),
                      translate("Actions", "About Meta-Creation Studio"),
                      w.show_about),
        shortcuts=_action(w, translate("Actions", "&Keyboard Shortcuts"),
                          translate("Actions", "List every keyboard shortcut and menu key"),
                          w.show_shortcuts, "Ctrl+/"),
        getting_started=_action(w, translate("Actions", "&Getting Started"),
                                translate("Actions", "The two workflows, paintings and melodies, step by step"),
                                w.show_getting_started, Key.HelpContents),
        demo_paintings=_action(w, translate("Actions", "Load Demo &Paintings"),
                               translate("Actions", "Add the bundled public-domain paintings"),
                               lambda: files.load_demo(Domain.PAINTING)),
        demo_melodies=_action(w, translate("Actions", "Load Demo &Melodies"),
                              translate("Actions", "Add the bundled public-domain melodies (in a new "
                                                   "project if this one holds paintings)"),
                              lambda: files.load_demo(Domain.MELODY)),
        record=_action(w, translate("Actions", "Record from &MIDI Keyboard\u2026"),
                       translate("Actions", "Record a clip from a MIDI keyboard and add it "
                                            "as a sample (needs python-rtmidi)"),
                       play.record_from_keyboard),
        recent_menu=QMenu(translate("Actions", "Open &Recent"), w),
        midi_menu=QMenu(translate("Actions", "Play &Through"), w),
    )
    a.recent_menu.setToolTipsVisible(True)
    a.cancel.setEnabled(w.runner.is_busy())  # idle, Esc stays with the widgets (e.g. the piano roll)
    w.runner.sig_busy_changed.connect(a.cancel.setEnabled)
    a.recent_menu.aboutToShow.connect(lambda: files.fill_recent_menu(a.recent_menu))
    a.midi_menu.setToolTipsVisible(True)
    a.midi_menu.aboutToShow.connect(lambda: play.fill_midi_menu(a.midi_menu))
    edit.sig_zoom_limits.connect(lambda can_in, _can_out: a.zoom_in.setEnabled(can_in))
    edit.sig_zoom_limits.connect(lambda _can_in, can_out: a.zoom_out.setEnabled(can_out))
    _menus(w, a)
    return a


def _dock_texts() -> dict[str, str]:
    """The View menu's entries for the docks, with their menu keys (the docks' titles have none)."""
    return {"dock-samples": translate("Actions", "&Samples"), "dock-adaptation": translate("Actions", "&Adaptation"),
            "dock-inspector": translate("Actions", "&Inspector"), "dock-melody": translate("Actions", "&Melody"),
            "dock-painting": translate("Actions", "&Painting"), "dock-taste": translate("Actions", "&Taste")}


def _menus(w: MainWindow, a: Actions) -> None:
    bar = w.menuBar()
    file = bar.addMenu(translate("Actions", "&File"))
    file.addActions([a.new, a.open])
    file.addMenu(a.recent_menu)
    file.addSeparator()
    file.addActions([a.save, a.save_as])
    file.addSeparator()
    file.addActions([a.import_, a.record, a.export, a.export_kept])
    file.addSeparator()
    file.addAction(a.quit)
    edit = bar.addMenu(translate("Actions", "&Edit"))
    edit.addActions([a.undo, a.redo, a.cancel])
    edit.addSeparator()
    edit.addActions([a.delete, a.select_all, a.move_up, a.move_down])
    edit.addSeparator()
    edit.addActions([a.play, a.keep, a.reject, a.remove_works])
    edit.addMenu(a.midi_menu)
    view = bar.addMenu(translate("Actions", "&View"))
    for dock in w.docks():
        toggle = dock.toggleViewAction()
        toggle.setToolTip(translate("Actions", "Show or hide the {panel} panel").format(panel=dock.windowTitle()))
        toggle.setText(_dock_texts().get(dock.objectName(), toggle.text()))
        view.addAction(toggle)
    view.addSeparator()
    view.addActions([a.zoom_in, a.zoom_out])
    view.addSeparator()
    view.addMenu(w.panel_focus.menu)
    view.addSeparator()
    view.addMenu(language_menu(w, w.settings))
    help_ = bar.addMenu(translate("Actions", "&Help"))
    help_.addActions([a.demo_paintings, a.demo_melodies])
    help_.addSeparator()
    help_.addActions([a.getting_started, a.shortcuts, a.about])
    for menu in (file, edit, view, help_):
        menu.setToolTipsVisible(True)
