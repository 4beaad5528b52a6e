"""Taste in the window, end to end with the real engine (the shipped describers, embedding and
curator, or their documented fallbacks): the Taste panel after keeps and rejects, Reset and the
switch as undo steps, sort by taste, the inspector's explanation, a curated gallery, and the
state saved with the project."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QItemSelectionModel

from studio import engine
from studio.core.melody import Melody
from studio.core.samples import Domain
from studio.core.works import Work, WorkStatus
from studio.ui.commands import AddWorksCommand, SetWorkStatusCommand
from studio.ui.facts import work_title
from studio.ui.main_window import MainWindow
from studio.ui.models.gallery_model import WorkRole
from studio.ui.taste_controller import snapshot
from tests.ui.conftest import wait_for_import
from tests.ui.test_i18n import chinese, qm_folder  # noqa: F401 - fixtures

TIMEOUT = 60000  # the first use loads torch and the taste weights


def _shifted(melody: Melody, semitones: int, stretch: int = 1) -> Melody:
    notes = tuple(replace(n, pitch=min(120, max(20, n.pitch + semitones)), start=n.start * stretch,
                          duration=n.duration * stretch) for n in melody.notes)
    return replace(melody, notes=notes)


@pytest.fixture
def studio(make_window, qtbot) -> MainWindow:
    """A window on the demo melodies with a first gallery of eight: four high, four low."""
    w = make_window()
    paths = engine.demo_sample_paths(Domain.MELODY)[:4]
    if len(paths) < 2 or not engine.generator_available(Domain.MELODY):
        pytest.skip("the demo melodies or the melody generator are not installed")
    wait_for_import(qtbot, w, w.files.import_paths(paths), timeout=TIMEOUT)
    samples = list(w.session.project.samples)
    works = [Work(Domain.MELODY, seed=10 + i, melody=_shifted(samples[i % len(samples)].melody, 12 if i < 4 else -12,
                                                             1 if i < 4 else 2))
             for i in range(8)]
    for work in works:
        w.session.push(AddWorksCommand(w.session.gallery_model, "test", "Generate", work))
    w.taste.gallery_made([work.id for work in works])
    w.session.undo_stack.clear()
    return w


def _mark(w: MainWindow, rows: list[int], status: WorkStatus) -> None:
    w.session.push(SetWorkStatusCommand(w.session.gallery_model, rows, status))


def _learnt(w: MainWindow, qtbot) -> None:
    qtbot.waitUntil(lambda: w.taste.is_learning(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not w.taste.is_learning(), timeout=TIMEOUT)


def test_the_panel_says_what_it_learnt_from_keeps_and_rejects(studio, qtbot):
    panel = studio.taste_panel
    assert "Nothing learnt yet" in panel.summary.text()
    assert not panel.choose.isChecked() and "Automatic" in panel.mode.text()  # automatic, off without feedback
    assert studio.taste.refresh_now() is None  # nothing to learn from: no worker (and no torch) is started
    _mark(studio, [0, 1], WorkStatus.KEPT)
    _mark(studio, [4, 5], WorkStatus.REJECTED)
    _learnt(studio, qtbot)
    assert "2 kept and 2 rejected melodies" in panel.counts.text()
    assert panel.summary.text() and "Nothing learnt yet" not in panel.summary.text()
    assert panel.choose.isChecked() and studio.taste_actions.choose.isChecked()  # automatic: on with feedback
    scores = studio.session.gallery_model.taste_scores()
    assert set(scores) == {w.id for w in studio.session.gallery_model.gallery}
    high = [scores[studio.session.gallery_model.work_at(r).id] for r in (2, 3)]
    low = [scores[studio.session.gallery_model.work_at(r).id] for r in (6, 7)]
    assert min(high) > max(low)  # unmarked works like the kept ones score above those like the rejected


def test_reset_forgets_the_feedback_and_undo_brings_it_back(studio, qtbot):
    _mark(studio, [0], WorkStatus.KEPT)
    _mark(studio, [4], WorkStatus.REJECTED)
    _learnt(studio, qtbot)
    panel = studio.taste_panel
    panel.reset.click()
    assert engine.taste_state(studio.session.project).reset_at == 2
    assert "Nothing learnt yet" in panel.summary.text() and not panel.reset.isEnabled()
    assert studio.session.gallery_model.work_at(0).status is WorkStatus.KEPT  # the marks stay
    assert studio.session.undo_stack.undoText() == "Reset taste"
    _learnt(studio, qtbot)
    assert studio.session.gallery_model.taste_scores() == {}
    studio.session.undo_stack.undo()
    assert engine.taste_state(studio.session.project).reset_at == 0
    _learnt(studio, qtbot)
    assert "1 kept and 1 rejected" in panel.counts.text() and studio.session.gallery_model.taste_scores()


def test_the_switch_is_automatic_until_turned_and_each_turn_undoes(studio, qtbot):
    panel = studio.taste_panel
    _mark(studio, [0], WorkStatus.KEPT)
    assert engine.taste_state(studio.session.project).enabled is None and panel.choose.isChecked()
    panel.choose.click()  # off by hand
    assert engine.taste_state(studio.session.project).enabled is False and not studio.taste.choosing()
    assert studio.taste.curation_snapshot() is None and "Turned off by you" in panel.mode.text()
    studio.taste_actions.choose.trigger()  # the menu turns it on again
    assert engine.taste_state(studio.session.project).enabled is True and panel.choose.isChecked()
    studio.session.undo_stack.undo()
    assert engine.taste_state(studio.session.project).enabled is False and not panel.choose.isChecked()
    studio.session.undo_stack.undo()
    assert engine.taste_state(studio.session.project).enabled is None and panel.choose.isChecked()


def test_sort_by_taste_orders_the_gallery_by_score_and_back(studio, qtbot):
    _mark(studio, [1], WorkStatus.KEPT)
    _mark(studio, [6], WorkStatus.REJECTED)
    _learnt(studio, qtbot)
    made = [w.id for w in studio.session.gallery_model.gallery]
    scores = studio.session.gallery_model.taste_scores()
    studio.taste_actions.sort.trigger()
    proxy = studio.gallery_panel.proxy
    shown = [proxy.index(r, 0).data(WorkRole).id for r in range(proxy.rowCount())]
    assert shown == sorted(made, key=lambda i: -scores[i]) and studio.taste_panel.is_sorted()
    assert [w.id for w in studio.session.gallery_model.gallery] == made
    studio.taste_panel.order.setCurrentIndex(0)
    assert [proxy.index(r, 0).data(WorkRole).id for r in range(proxy.rowCount())] == made
    assert not studio.taste_actions.sort.isChecked()


def test_the_inspector_explains_the_selected_work(studio, qtbot):
    _mark(studio, [0, 1], WorkStatus.KEPT)
    _mark(studio, [4], WorkStatus.REJECTED)
    _learnt(studio, qtbot)
    view = studio.gallery_panel.view
    view.selectionModel().select(studio.session.gallery_model.index(2), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    text = studio.inspector.taste_shown() or ""
    assert "Taste " in text and ("your taste" in text or "unsure" in text)
    assert "than what you" in text or "closest to" in text  # the engine's words, said again
    captions = [c.text() for _, c in studio.inspector.taste_thumbs if c.isVisibleTo(studio.inspector)]
    assert any("Nearest kept" in c for c in captions) and any("Nearest sample" in c for c in captions)
    view.selectionModel().select(studio.session.gallery_model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    kept = studio.session.gallery_model.work_at(0)
    assert studio.inspector.taste_shown() is not None
    shown = [c.text() for _, c in studio.inspector.taste_thumbs if c.isVisibleTo(studio.inspector)]
    assert not any(work_title(kept) in c for c in shown if "Nearest kept" in c)  # a kept work is not its own neighbour
    studio.sample_bin.view.selectionModel().select(studio.session.sample_model.index(0),
                                                   QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert studio.inspector.taste_shown() is None  # a sample has no taste explanation


def test_a_curated_gallery_is_chosen_from_drafts_with_feedback(studio, qtbot):
    studio.melody_controls.count.setValue(3)
    _mark(studio, [0, 1], WorkStatus.KEPT)
    _mark(studio, [5], WorkStatus.REJECTED)
    messages: list[str] = []
    studio.statusBar().messageChanged.connect(messages.append)
    handle = studio.generation.generate()
    assert handle is not None and "chosen for your taste" in handle.label
    qtbot.waitUntil(lambda: not studio.generation.is_generating(), timeout=120000)
    new = [w for w in studio.session.gallery_model.gallery if "taste" in w.provenance]
    assert len(new) == 3 and all(w.provenance["taste"]["drafts"] >= 3 for w in new)
    assert any("chose them from" in m for m in messages)
    state = engine.taste_state(studio.session.project)
    assert state.round == 2 and all(state.round_of(w.id) == 2 for w in new)  # a new round
    kept = {w.seed for w in studio.session.gallery_model.gallery if w.status is WorkStatus.KEPT}
    assert not kept & {w.seed for w in new}


def test_a_plain_gallery_without_feedback_is_not_curated(studio, qtbot):
    assert studio.taste.curation_snapshot() is None
    _mark(studio, [0], WorkStatus.KEPT)
    copy = studio.taste.curation_snapshot()
    assert copy is not None and copy is not studio.session.project and len(copy.gallery) == 8
    _mark(studio, [1], WorkStatus.KEPT)
    assert studio.session.gallery_model.work_at(1).status is WorkStatus.KEPT
    assert copy.gallery[1].status is WorkStatus.NEW  # a snapshot: later edits do not reach the worker


def test_the_state_is_saved_with_the_project_and_restored(studio, qtbot, tmp_path):
    _mark(studio, [0], WorkStatus.KEPT)
    studio.taste.set_choosing(False)
    studio.taste.reset()
    path = tmp_path / "taste.mcs"
    studio.session.save(str(path))
    studio.session.new()
    assert engine.taste_state(studio.session.project).enabled is None
    studio.session.open(str(path))
    state = engine.taste_state(studio.session.project)
    assert state.enabled is False and state.reset_at == 2 and state.round == 1
    panel = studio.taste_panel
    assert not panel.choose.isChecked() and "Turned off by you" in panel.mode.text()
    assert "Nothing learnt yet" in panel.summary.text()  # the keep before Reset no longer counts


def test_the_taste_panel_and_the_explanation_speak_chinese(chinese, studio, qtbot):  # noqa: F811
    _mark(studio, [0, 1], WorkStatus.KEPT)
    _mark(studio, [4, 5], WorkStatus.REJECTED)
    _learnt(studio, qtbot)
    from tests.ui.test_i18n import latin_leftovers

    panel = studio.taste_panel
    for text in (panel.summary.text(), panel.counts.text(), panel.mode.text(), panel.choose.text()):
        assert latin_leftovers(text) == [], text
    studio.gallery_panel.view.selectionModel().select(studio.session.gallery_model.index(2),
                                                      QItemSelectionModel.SelectionFlag.ClearAndSelect)
    text = studio.inspector.taste_shown() or ""
    assert "品味" in text and latin_leftovers(text) == [], text


def test_the_taste_worker_reads_a_snapshot(studio):
    copy = snapshot(studio.session.project)
    assert copy.gallery is not studio.session.project.gallery and len(copy.samples) == len(studio.session.project.samples)
    assert copy.settings["taste"] == studio.session.project.settings["taste"]
    assert copy.settings["taste"] is not studio.session.project.settings["taste"]


def test_learning_waits_while_the_window_runs_a_task(studio, qtbot):
    import threading

    _mark(studio, [0], WorkStatus.KEPT)
    gate = threading.Event()
    studio.runner.start("a long generation", lambda progress: gate.wait(20))
    assert studio.taste.refresh_now() is None and studio.taste.is_learning()  # deferred, not started
    assert "Learning from your marks" in studio.taste_panel.summary.text()
    gate.set()
    qtbot.waitUntil(lambda: not studio.taste.is_learning(), timeout=TIMEOUT)
    assert studio.session.gallery_model.taste_scores()  # learnt once the task ended


def test_the_taste_controller_alone_follows_its_session_and_panel(qtbot):
    from PySide6.QtWidgets import QWidget

    from studio.io.recovery import RecoveryStore, default_recovery_dir
    from studio.tasks import TaskRunner
    from studio.ui.panels.gallery_panel import GalleryPanel
    from studio.ui.panels.inspector import InspectorPanel
    from studio.ui.panels.taste_panel import TastePanel
    from studio.ui.session import ProjectSession
    from studio.ui.taste_controller import TasteController
    from tests.ui.test_controllers import FakeMessages

    host = QWidget()
    qtbot.addWidget(host)
    session = ProjectSession(RecoveryStore(default_recovery_dir()), host)
    panel, messages = TastePanel(host), FakeMessages()
    runner = TaskRunner()
    controller = TasteController(session, panel, GalleryPanel(session.gallery_model, host), InspectorPanel(host),
                                 messages, host, runner=runner)
    assert controller.refresh_now() is None and not controller.is_learning()  # an empty project: nothing to learn
    assert "Nothing learnt yet" in panel.summary.text() and not panel.reset.isEnabled()
    panel.choose.click()  # on by hand, one undo step
    assert engine.taste_state(session.project).enabled is True and session.undo_stack.count() == 1
    session.new()  # another project: the default state, the panel follows
    assert engine.taste_state(session.project).enabled is None and not panel.choose.isChecked()
    controller.reset()
    assert messages.messages and "Undo" in messages.messages[-1]
    controller.shutdown()
