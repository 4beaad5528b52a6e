"""The main window end to end: drops, imports and their errors, undo, projects, recovery."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from studio import engine
from studio.core.samples import Domain
from studio.core.works import Work, WorkStatus
from studio.io.recovery import default_recovery_dir


def drop_event(paths: list[Path]) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    event._mime = mime  # keep the mime data alive as long as the event
    return event


def names(window) -> list[str]:
    return [s.name for s in window.session.sample_model.samples()]


def test_dropping_files_on_the_window_imports_them_as_one_undoable_step(make_window, paintings, qtbot):
    window = make_window()
    window.dropEvent(drop_event(paintings))
    qtbot.waitUntil(lambda: window.session.sample_model.rowCount() == 3, timeout=10000)
    stack = window.session.undo_stack
    assert (stack.count(), stack.text(0)) == (1, "Import 3 samples")
    assert window.isWindowModified() and window.windowTitle().startswith("Untitled")
    assert window.adaptation_panel.adapt_button.isEnabled() is engine.generator_available(Domain.PAINTING)


def test_dropping_a_folder_on_the_bin_imports_its_samples_and_ignores_other_files(make_window, paintings, qtbot):
    folder = paintings[0].parent
    (folder / "README.txt").write_text("not a sample")
    window = make_window()
    window.sample_bin.view.dropEvent(drop_event([folder]))
    qtbot.waitUntil(lambda: not window.files.is_importing(), timeout=10000)
    assert names(window) == ["p0.png", "p1.png", "p2.png"]
    assert "ignored 1 other file" in window.statusBar().currentMessage()
    assert not window.feedback.has_shown_problems()  # nothing went wrong


def test_import_errors_list_each_file_and_reason(make_window, paintings, tmp_path, import_and_wait):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    text = tmp_path / "notes.png"
    text.write_text("this is a shopping list, not a picture\n")
    window = make_window()
    import_and_wait(window, [empty, paintings[0], text])
    assert names(window) == ["p0.png"]
    dialog = window.feedback.error_dialog
    assert dialog.isVisible() and not dialog.isModal()
    rows = dict(dialog.rows())
    assert set(rows) == {str(empty), str(text)}
    assert "empty" in rows[str(empty)]
    assert "2 files could not be imported" in dialog.summary.text()


def test_mixing_paintings_and_melodies_is_refused_with_a_clear_message(make_window, paintings, melodies,
                                                                       import_and_wait):
    window = make_window()
    import_and_wait(window, paintings)
    import_and_wait(window, melodies)
    assert window.session.sample_model.rowCount() == 3
    assert window.session.undo_stack.count() == 1  # the refused import added no command
    summary = window.feedback.error_dialog.summary.text()
    assert "cannot be mixed" in summary and "scale.mid" in summary and "arpeggio.mid" in summary
    assert "holds paintings" in summary
    assert {Path(f).name for f, _ in window.feedback.error_dialog.rows()} == {"scale.mid", "arpeggio.mid"}


def test_a_sample_already_in_the_project_is_skipped(make_window, paintings, import_and_wait):
    window = make_window()
    import_and_wait(window, paintings[:2])
    import_and_wait(window, paintings[1:])
    assert names(window) == ["p0.png", "p1.png", "p2.png"]
    assert "already in this project" in dict(window.feedback.error_dialog.rows())[str(paintings[1])]


def test_a_second_drop_during_an_import_imports_both(make_window, paintings, qtbot):
    window = make_window()
    window.files.import_paths([str(p) for p in paintings[:2]])
    last = window.files.import_paths([str(paintings[2])])
    qtbot.waitUntil(lambda: not window.files.is_importing(last), timeout=10000)
    assert names(window) == ["p0.png", "p1.png", "p2.png"]
    assert window.session.undo_stack.text(0) == "Import 3 samples"


def test_cancelled_import_adds_nothing(make_window, paintings, qtbot):
    window = make_window()
    task = window.files.import_paths([str(p) for p in paintings])
    assert window.adaptation_panel.cancel_button.isEnabled()
    window.adaptation_panel.cancel_button.click()
    qtbot.waitUntil(lambda: not window.files.is_importing(task), timeout=10000)
    assert window.session.sample_model.rowCount() == 0
    assert window.session.undo_stack.count() == 0
    assert "cancelled" in window.statusBar().currentMessage()


def test_undo_and_redo_of_import_remove_and_reorder(make_window, paintings, import_and_wait):
    window = make_window()
    stack = window.session.undo_stack
    import_and_wait(window, paintings)
    window.sample_bin.select_rows([0])
    window.edit.remove_selected_samples()
    assert names(window) == ["p1.png", "p2.png"]
    stack.undo()
    assert names(window) == ["p0.png", "p1.png", "p2.png"]
    window.sample_bin.select_rows([0])
    window.edit.move_selected(1)
    assert names(window) == ["p1.png", "p0.png", "p2.png"]
    assert window.sample_bin.selected_rows() == [1]  # the selection follows the moved sample
    window.edit.move_rows_to([2], 0)  # what an internal drag of the last row to the top requests
    assert names(window) == ["p2.png", "p1.png", "p0.png"]
    stack.undo()
    stack.undo()
    assert names(window) == ["p0.png", "p1.png", "p2.png"]
    stack.redo()
    assert names(window) == ["p1.png", "p0.png", "p2.png"]
    while stack.canUndo():
        stack.undo()
    assert names(window) == [] and not window.isWindowModified()
    assert window.adaptation_panel.adapt_button.toolTip().startswith("Add a few samples")


def test_save_new_open_round_trip(make_window, paintings, tmp_path, import_and_wait):
    window = make_window()
    import_and_wait(window, paintings)
    digests = [s.digest for s in window.session.sample_model.samples()]
    path = tmp_path / "My Monets.mcs"
    assert window.files.save_to(str(path))
    assert not window.isWindowModified() and window.windowTitle().startswith("My Monets")
    assert window.files.new_project()
    assert window.session.sample_model.rowCount() == 0 and window.session.path is None
    assert window.files.open_path(str(path))
    assert [s.digest for s in window.session.sample_model.samples()] == digests
    assert window.files.recent.paths() == [str(path.resolve())]
    assert not window.isWindowModified()


def test_failed_save_and_open_change_nothing_and_say_why(make_window, paintings, tmp_path, import_and_wait):
    window = make_window()
    import_and_wait(window, paintings)
    assert not window.files.save_to(str(tmp_path / "no-such-folder" / "x.mcs"))
    assert window.isWindowModified() and window.session.path is None
    assert window.feedback.error_dialog.windowTitle() == "Could not save the project"
    bogus = tmp_path / "bogus.mcs"
    bogus.write_text("not a zip")
    assert not window.files.open_path(str(bogus), confirmed=True)
    assert window.session.sample_model.rowCount() == 3
    assert window.feedback.error_dialog.rows()[0][0] == str(bogus)


def test_unsaved_changes_can_cancel_new_project(make_window, paintings, import_and_wait):
    window = make_window(unsaved="cancel")
    import_and_wait(window, paintings)
    assert not window.files.new_project()
    assert window.session.sample_model.rowCount() == 3
    assert window.prompts.asked == ["unsaved:Untitled"]


def test_recovery_is_offered_after_a_crash_and_restores_the_samples(make_window, paintings, qtbot,
                                                                    import_and_wait):
    crashed = make_window()
    import_and_wait(crashed, paintings)
    recovery_dir = default_recovery_dir()
    # The debounced autosave follows the edit without being asked.
    qtbot.waitUntil(lambda: any(recovery_dir.glob("*.mcs")), timeout=5000)
    for lock in recovery_dir.glob("*.lock"):  # a lock-less autosave reads as a crashed session's
        lock.unlink()
    window = make_window(restore=True)
    window.startup(demo=False)
    assert window.prompts.asked == ["restore:Untitled"]
    assert names(window) == ["p0.png", "p1.png", "p2.png"]
    assert window.isWindowModified()


def test_first_launch_opens_on_the_demo_paintings_once(make_window, qtbot):
    demo = engine.demo_sample_paths(Domain.PAINTING)
    window = make_window()
    window.startup()
    qtbot.waitUntil(lambda: not window.files.is_importing(), timeout=20000)
    assert window.session.sample_model.rowCount() == len(demo) > 0
    assert not window.isWindowModified()  # the demo is the starting point, not an unsaved edit
    window.files.load_demo(Domain.MELODY)  # asks to start a new project, since this one holds paintings
    qtbot.waitUntil(lambda: not window.files.is_importing(), timeout=20000)
    assert window.session.project.domain is Domain.MELODY
    assert any(q.startswith("yes_no:This project holds paintings") for q in window.prompts.asked)
    second = make_window()
    second.startup()
    assert not second.files.is_importing() and second.session.sample_model.rowCount() == 0


def test_gallery_keep_reject_are_undoable_and_export_writes_files(make_window, paintings, tmp_path,
                                                                  import_and_wait):
    window = make_window()
    import_and_wait(window, paintings[:1])
    gallery = window.session.gallery_model
    image = np.full((24, 32, 3), 90, dtype=np.uint8)
    gallery.insert_works(0, [Work(Domain.PAINTING, seed=s, image=image) for s in (1, 2)])
    selection = window.gallery_panel.view.selectionModel()
    selection.select(gallery.index(1), selection.SelectionFlag.Select)
    window.edit.reject_selected()
    assert gallery.work_at(1).status is WorkStatus.REJECTED and gallery.gallery.rejected_seeds == {2}
    window.session.undo_stack.undo()
    assert gallery.work_at(1).status is WorkStatus.NEW and gallery.gallery.rejected_seeds == set()
    window.edit.keep_selected()
    window.gallery_panel.view.clearSelection()
    window.sample_bin.select_rows([0])
    out = tmp_path / "out"
    out.mkdir()
    written = window.files.export_to(str(out))
    assert sorted(p.name for p in written) == ["p0.png", "work-seed2.png"]
    assert (out / "p0.png").read_bytes() == paintings[0].read_bytes()


def test_worker_failures_reach_the_problems_window(make_window, qtbot):
    window = make_window()

    def broken(progress):
        raise RuntimeError("the disk caught fire")

    handle = window.runner.start("Broken task", broken)  # started by no controller: still shown
    with qtbot.waitSignal(handle.sig_failed, timeout=5000):
        pass
    assert window.feedback.error_dialog.windowTitle() == "Broken task failed"
    assert "the disk caught fire" in window.feedback.error_dialog.summary.text()
    assert "Traceback" in window.feedback.error_dialog.details.toPlainText()
    assert "see the problems window" in window.statusBar().currentMessage()


def test_zoom_changes_thumbnail_sizes_and_is_remembered(make_window):
    window = make_window()
    before = window.sample_bin.view.iconSize().width()
    window.edit.zoom(1)
    assert window.sample_bin.view.iconSize().width() > before
    assert make_window().sample_bin.view.iconSize().width() == window.sample_bin.view.iconSize().width()


def test_every_menu_action_has_a_tooltip(make_window):
    window = make_window()
    for action in window.menu_actions.all():
        assert action.toolTip() and action.toolTip() != action.text().replace("&", ""), action.text()


def test_closing_with_unsaved_changes_can_save_first(make_window, paintings, tmp_path, import_and_wait):
    target = tmp_path / "kept.mcs"
    window = make_window(unsaved="save", save=str(target))
    import_and_wait(window, paintings[:1])
    assert window.close()
    assert target.is_file() and window.prompts.asked == ["unsaved:Untitled"]
    assert not list(default_recovery_dir().glob("*.mcs"))  # a clean exit leaves no autosave


def test_closing_is_refused_when_the_user_cancels(make_window, paintings, import_and_wait):
    window = make_window(unsaved="cancel")
    import_and_wait(window, paintings[:1])
    assert not window.close() and window.isVisible()


def test_recent_menu_and_shortcuts_dialog(make_window, paintings, tmp_path, import_and_wait):
    window = make_window()
    window.files.fill_recent_menu(window.menu_actions.recent_menu)
    assert [a.text() for a in window.menu_actions.recent_menu.actions()] == ["No recent projects"]
    import_and_wait(window, paintings[:1])
    window.files.save_to(str(tmp_path / "a.mcs"))
    window.files.fill_recent_menu(window.menu_actions.recent_menu)
    assert window.menu_actions.recent_menu.actions()[0].text() == "a.mcs"
    dialog = window.show_shortcuts()
    shown = {dialog.table.topLevelItem(i).text(0): dialog.table.topLevelItem(i).text(1)
             for i in range(dialog.table.topLevelItemCount())}
    assert shown["Import\u2026"] == "Ctrl+I" and shown["Save As\u2026"] == "Ctrl+Shift+S"
    dialog.close()
