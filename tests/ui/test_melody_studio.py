"""The melody studio in the window, end to end, against the in-test fake generator.

These tests check the GUI's WIRING (tasks, streaming, undoable commands, exclusion of rejected
seeds, export, drag-out, playback without audio) with :mod:`tests.ui.melody_fakes`; they do
not test the real meta-trained generator, whose own tests live in tests/domains/melody/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from studio.core.works import WorkStatus
from studio.io.midi import read_midi
from studio.io.recovery import RecoveryStore, default_recovery_dir
from studio.ui.audio import NO_AUDIO_MESSAGE, Player
from studio.ui.generation_tasks import Tagged
from studio.ui.main_window import MainWindow
from studio.ui.settings import make_settings
from tests.ui.conftest import ScriptedPrompts, wait_for_import
from tests.ui.melody_fakes import fake_generator  # noqa: F401 - fixture

TIMEOUT = 10000


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot, fake_generator, melodies, clock):  # noqa: F811 - the fixture above
    """A shown window on two imported melodies, with the fake generator and a silent player."""
    player = Player(output_factory=lambda parent: (None, "no audio in tests"), clock=clock)
    w = MainWindow(prompts=ScriptedPrompts(), settings=make_settings(),
                   recovery=RecoveryStore(default_recovery_dir()), player=player)
    w.show()
    qtbot.waitExposed(w)
    wait_for_import(qtbot, w, w.files.import_paths([str(p) for p in melodies]))
    w.adaptation_panel.steps.setValue(4)
    w.melody_controls.count.setValue(5)
    yield w
    w.prompts.answers["unsaved"] = "discard"
    w.close()
    w.runner.shutdown()
    w.deleteLater()


def gallery(w: MainWindow):
    return list(w.session.gallery_model.gallery)


def run_and_wait(qtbot, w: MainWindow, start):
    with qtbot.waitSignal(w.runner.sig_busy_changed, timeout=TIMEOUT, check_params_cb=lambda busy: not busy):
        handle = start()
    return handle


def select_works(w: MainWindow, rows: list[int]) -> None:
    view = w.gallery_panel.view
    view.clearSelection()
    selection = view.selectionModel()
    for row in rows:
        selection.select(w.session.gallery_model.index(row), selection.SelectionFlag.Select)


def test_adapt_shows_an_instant_gallery_then_a_live_loss_curve_then_the_adapted_gallery(qtbot, window):
    w = window
    assert w.adaptation_panel.adapt_button.isEnabled()
    arrivals: list[str] = []
    w.runner.sig_task_added.connect(lambda handle: handle.sig_partial.connect(
        lambda r: arrivals.append(f"{r.kind}:{r.wave}") if isinstance(r, Tagged) else None))
    inserted: list[int] = []
    w.session.gallery_model.rowsInserted.connect(lambda *_: inserted.append(w.session.gallery_model.rowCount()))
    run_and_wait(qtbot, w, w.adaptation_panel.adapt_button.click)
    assert arrivals == (["instant:"] + ["work:preview"] * 5 + ["loss:adapt"] * 4 + ["adapted:"]
                        + ["work:main"] * 5)
    assert inserted == [1, 2, 3, 4, 5]  # the instant gallery streamed in one card at a time
    works = gallery(w)
    assert len(works) == 5 and {wk.provenance["method"] for wk in works} == {"reptile"}
    assert w.adaptation_panel.loss_curve.points() == [2.0, 1.0, 2 / 3, 0.5]
    stack = w.session.undo_stack
    assert [stack.text(i) for i in range(1, stack.count())] == [
        "Instant gallery: 5 melodies", "Adapt (reptile, 4 steps)", "Adapted gallery: 5 melodies"]
    assert w.session.project.weights["adapted"] == b"delta:reptile:4"
    assert w.generation.current_model() is w.generation.adapted
    stack.undo()
    stack.undo()  # back to the instant gallery, and to no adapted model
    assert w.generation.adapted is None and "adapted" not in w.session.project.weights
    assert {wk.provenance["method"] for wk in gallery(w)} == {"instant"}


def test_the_adapted_model_is_saved_with_the_project_and_restored(qtbot, window, fake_generator, tmp_path):
    w = window
    run_and_wait(qtbot, w, w.adaptation_panel.adapt_button.click)
    path = tmp_path / "song.mcs"
    assert w.files.save_to(str(path))
    assert w.files.open_path(str(path))
    restored = w.generation.adapted
    assert restored is not None and restored.delta == b"delta:reptile:4" and restored.steps == 4
    assert w.adaptation_panel.loss_curve.points() == [2.0, 1.0, 2 / 3, 0.5]
    run_and_wait(qtbot, w, w.melody_controls.buttons["generate"].click)
    assert fake_generator.last("generate")["model"].delta == b"delta:reptile:4"  # no new adaptation needed


def test_cancel_mid_generation_keeps_the_melodies_that_arrived(qtbot, window, fake_generator):
    import threading

    w = window
    fake_generator.gate, fake_generator.gate_after = threading.Event(), 3
    handles: list = []
    w.runner.sig_task_added.connect(handles.append)
    w.melody_controls.buttons["generate"].click()
    qtbot.waitUntil(lambda: len(gallery(w)) == 3, timeout=TIMEOUT)
    with qtbot.waitSignal(handles[-1].sig_cancelled, timeout=TIMEOUT):
        w.adaptation_panel.cancel_button.click()
    assert len(gallery(w)) == 3
    assert "the 3 melodies that arrived stay in the gallery" in w.adaptation_panel.status.text()
    w.session.undo_stack.undo()  # the streamed works undo as one step
    assert gallery(w) == []


def test_keep_reject_and_a_rejected_melody_never_comes_back(qtbot, window, fake_generator):
    w = window
    run_and_wait(qtbot, w, w.melody_controls.buttons["generate"].click)
    first = gallery(w)
    assert [wk.seed for wk in first] == [1, 2, 3, 4, 5]
    w.gallery_panel.sig_card_action.emit(0, "reject")  # the card's reject button
    select_works(w, [1])
    w.menu_actions.keep.trigger()
    assert [wk.status for wk in gallery(w)[:3]] == [WorkStatus.REJECTED, WorkStatus.KEPT, WorkStatus.NEW]
    w.taste_panel.choose.click()  # the plain gallery (with feedback the studio would choose: test_taste_controller)
    w.melody_controls.count.setValue(3)
    run_and_wait(qtbot, w, w.melody_controls.buttons["generate"].click)
    assert 1 in fake_generator.last("generate")["exclude"]
    works = gallery(w)
    assert works[0].id == first[0].id and works[1].id == first[1].id  # marked works stay
    new = works[2:]
    assert len(new) == 3 and all(wk.seed != 1 for wk in new)
    assert {wk.id for wk in first[2:]}.isdisjoint({wk.id for wk in works})  # unmarked ones replaced


def test_refinements_land_in_the_gallery_as_undoable_steps(qtbot, window, fake_generator):
    w = window
    run_and_wait(qtbot, w, w.melody_controls.buttons["generate"].click)
    before = [wk.id for wk in gallery(w)]
    stack = w.session.undo_stack

    select_works(w, [1])
    assert w.melody_controls.buttons["vary"].isEnabled()
    w.melody_controls.variations.setValue(2)
    run_and_wait(qtbot, w, w.melody_controls.buttons["vary"].click)
    ids = [wk.id for wk in gallery(w)]
    assert len(ids) == 7 and ids[:2] == before[:2] and ids[4:] == before[2:]  # right after their source
    assert [gallery(w)[i].provenance["parent"] for i in (2, 3)] == [before[1]] * 2
    assert stack.text(stack.index() - 1) == "Variations: 2 melodies"
    stack.undo()
    assert [wk.id for wk in gallery(w)] == before

    select_works(w, [0, 3])
    assert w.melody_controls.buttons["blend"].isEnabled()
    run_and_wait(qtbot, w, w.melody_controls.buttons["blend"].click)
    assert fake_generator.last("blend") == {"a": before[0], "b": before[3]}
    assert gallery(w)[4].provenance["parents"] == [before[0], before[3]]
    stack.undo()

    w.gallery_panel.view.clearSelection()
    w.sample_bin.select_rows([0])
    run_and_wait(qtbot, w, w.melody_controls.buttons["continue"].click)
    assert fake_generator.last("continue")["source"].name == "scale"  # the clip of sample scale.mid
    assert fake_generator.last("continue")["bars"] == 8 and len(gallery(w)) == 6
    stack.undo()

    w.sample_bin.view.clearSelection()
    select_works(w, [2])
    roll = w.inspector.piano_roll
    assert not w.melody_controls.buttons["regenerate"].isEnabled()
    qtbot.mouseClick(roll, Qt.MouseButton.LeftButton, pos=roll.bar_centre(1).toPoint())
    qtbot.mouseClick(roll, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, roll.bar_centre(3).toPoint())
    assert roll.selected_bars() == [1, 3] and w.melody_controls.buttons["regenerate"].isEnabled()
    run_and_wait(qtbot, w, w.melody_controls.buttons["regenerate"].click)
    assert fake_generator.last("regenerate") == {"work": before[2], "bars": (1, 3)}
    works = gallery(w)
    assert len(works) == 5 and works[2].id != before[2] and works[2].provenance["parent"] == before[2]
    assert w.inspector.current_work().id == works[2].id  # the inspector follows the work in place
    stack.undo()
    assert [wk.id for wk in gallery(w)] == before


def test_more_like_these_readapts_with_the_kept_melodies(qtbot, window, fake_generator):
    w = window
    run_and_wait(qtbot, w, w.melody_controls.buttons["generate"].click)
    assert not w.melody_controls.buttons["more"].isEnabled()
    select_works(w, [0, 1])
    w.edit.keep_selected()
    assert w.melody_controls.buttons["more"].isEnabled()
    run_and_wait(qtbot, w, w.melody_controls.buttons["more"].click)
    adapt = fake_generator.last("adapt")
    assert len(adapt["samples"]) == 4  # two samples and the two kept melodies
    assert adapt["start"] is None  # nothing was gradient-adapted yet
    assert w.generation.adapted is not None and len(gallery(w)) == 7  # 5 new; the kept 2 stay
    assert [wk.status for wk in gallery(w)[:2]] == [WorkStatus.KEPT] * 2
    assert w.session.undo_stack.text(w.session.undo_stack.index() - 2) == "More like these"
    previous = w.generation.adapted
    run_and_wait(qtbot, w, w.melody_controls.buttons["more"].click)
    assert fake_generator.last("adapt")["start"] is previous  # goes on from the adapted model


def test_a_failed_generation_is_reported_once(qtbot, window, fake_generator, monkeypatch):
    from studio.errors import StudioError

    w = window

    def broken(*args, **kwargs):
        raise StudioError("the model ran out of ideas")

    monkeypatch.setattr(fake_generator, "generate", broken)
    shown: list[str] = []
    original = w.feedback.error_dialog.show_problems
    monkeypatch.setattr(w.feedback.error_dialog, "show_problems", lambda title, *a: (shown.append(title), original(title, *a)))
    handles: list = []
    w.runner.sig_task_added.connect(handles.append)
    w.melody_controls.buttons["generate"].click()
    with qtbot.waitSignal(handles[-1].sig_failed, timeout=TIMEOUT):
        pass
    assert shown == ["Generating 5 melodies failed"]  # once, by the one place for task failures
    assert w.feedback.error_dialog.summary.text() == "Generating 5 melodies failed: the model ran out of ideas"
    assert not w.generation.is_generating() and gallery(w) == []


def test_export_writes_a_midi_file_per_melody_and_the_kept_ones_to_a_folder(qtbot, window, tmp_path):
    w = window
    w.melody_controls.key.setCurrentIndex(1 + 7)  # G major
    run_and_wait(qtbot, w, w.melody_controls.buttons["generate"].click)
    select_works(w, [0, 2])
    w.edit.keep_selected()
    select_works(w, [4])
    out = tmp_path / "selected"
    out.mkdir()
    written = w.files.export_to(str(out))
    assert [p.name for p in written] == ["melody-seed5.mid", "melody-seed5.musicxml"]
    kept_dir = tmp_path / "kept"
    kept_dir.mkdir()
    w.prompts.answers["export"] = str(kept_dir)
    w.menu_actions.export_kept.trigger()
    files = sorted(kept_dir.iterdir())
    assert [p.name for p in files] == ["melody-seed1.mid", "melody-seed1.musicxml", "melody-seed3.mid",
                                       "melody-seed3.musicxml"]
    from studio.io.musicxml import read_musicxml  # the lead sheet next to each MIDI holds the same notes

    for path in files[::2]:
        assert read_musicxml(path.with_suffix(".musicxml"))[0].notes == read_midi(str(path), path.read_bytes()).notes
        melody = read_midi(str(path), path.read_bytes())
        assert melody.tempo_bpm == pytest.approx(110.0) and melody.time_signature == (4, 4)
        assert melody.key is not None and melody.name.startswith("Seed ")
        assert len(melody.notes) == 32  # 8 bars of quarter notes from the fake


def test_dragging_a_card_out_carries_a_midi_file_url(qtbot, window):
    w = window
    run_and_wait(qtbot, w, w.melody_controls.buttons["generate"].click)
    select_works(w, [1])
    mime = w.gallery_panel.view.drag_mime_data()
    assert mime is not None and len(mime.urls()) == 1
    url = mime.urls()[0]
    path = Path(url.toLocalFile())
    assert url.isLocalFile() and path.suffix == ".mid" and path.is_file()
    assert read_midi(str(path), path.read_bytes()).notes == gallery(w)[1].melody.notes
    w.gallery_panel.view.drag_folder.cleanup()
    assert not path.exists()


def test_playback_without_audio_says_so_once_and_the_playhead_follows_the_clock(qtbot, window, clock):
    w = window
    notices: list[str] = []
    w.player.sig_notice.connect(notices.append)
    w.sample_bin.select_rows([0])
    w.playback.play_selected()
    assert w.statusBar().currentMessage() == NO_AUDIO_MESSAGE and notices == [NO_AUDIO_MESSAGE]
    assert w.inspector.play_button.text() == "Stop" and w.player.audio_available() is False
    melody = w.inspector.current_melody()[1]  # 100 BPM: a quarter note (24 ticks) is 0.6 s
    clock.now += 0.6
    w.player.update_position()
    assert w.inspector.piano_roll.playhead() == pytest.approx(24.0)
    w.inspector.tempo.setValue(200)  # twice as fast from where it is
    clock.now += 0.3
    w.player.update_position()
    assert w.inspector.piano_roll.playhead() == pytest.approx(48.0)
    clock.now += 60
    w.player.update_position()
    assert not w.player.is_playing() and w.inspector.play_button.text() == "Play"
    assert w.inspector.piano_roll.playhead() is None and melody.length_ticks == 192
    w.playback.play_selected()
    w.playback.play_selected()
    assert notices == [NO_AUDIO_MESSAGE]  # said once


def test_a_gallery_card_plays_and_shows_its_playhead(qtbot, window, clock):
    w = window
    run_and_wait(qtbot, w, w.melody_controls.buttons["generate"].click)
    work = gallery(w)[0]
    w.gallery_panel.sig_card_action.emit(0, "play")
    assert w.player.is_playing(work.id) and w.gallery_panel.delegate.playing_id() == work.id
    clock.now += 1.0
    w.player.update_position()
    w.gallery_panel.view.viewport().grab()  # paints the card's playhead and buttons
    w.gallery_panel.sig_card_action.emit(0, "play")
    assert not w.player.is_playing() and w.gallery_panel.delegate.playing_id() == ""


def test_melody_controls_explain_why_they_are_off(qtbot, make_window, paintings, import_and_wait):
    w = make_window()
    assert "Add a few melodies" in w.melody_controls.buttons["generate"].toolTip()
    import_and_wait(w, paintings)
    assert not w.melody_controls.buttons["generate"].isEnabled()
    assert "holds paintings" in w.melody_controls.buttons["generate"].toolTip()


def test_space_plays_the_selected_gallery_melody(qtbot, window):
    w = window
    run_and_wait(qtbot, w, w.melody_controls.buttons["generate"].click)
    view = w.gallery_panel.view
    view.setFocus()
    select_works(w, [2])
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert w.player.is_playing(gallery(w)[2].id)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not w.player.is_playing()


def test_a_second_click_on_a_cards_keep_or_reject_unmarks_it(qtbot, window):
    w = window
    run_and_wait(qtbot, w, w.melody_controls.buttons["generate"].click)
    w.gallery_panel.sig_card_action.emit(3, "keep")
    assert gallery(w)[3].status is WorkStatus.KEPT and w.menu_actions.export_kept.isEnabled()
    w.gallery_panel.sig_card_action.emit(3, "keep")
    w.gallery_panel.sig_card_action.emit(4, "reject")
    w.gallery_panel.sig_card_action.emit(4, "reject")
    assert [wk.status for wk in gallery(w)[3:]] == [WorkStatus.NEW] * 2
    assert w.session.gallery_model.gallery.rejected_seeds == set()  # the unrejected seed may come back
    assert w.session.undo_stack.text(w.session.undo_stack.index() - 1) == "Unmark 1 work"
