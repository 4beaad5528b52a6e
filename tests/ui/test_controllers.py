"""Each controller built alone, with fakes for what it receives: no main window anywhere.

This is what "controllers receive what they use" buys: a file, edit, playback or generation
command can be tested with a session, a runner, a fake selection and a fake message sink.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QStatusBar, QWidget

from studio import engine
from studio.core.samples import Domain
from studio.core.works import Work, WorkStatus
from studio.domains.base import AdaptedModel
from studio.errors import StudioError
from studio.io.recovery import RecoveryStore, default_recovery_dir
from studio.tasks import TaskRunner
from studio.ui.audio import Player
from studio.ui.commands import AddWorksCommand, ImportSamplesCommand
from studio.ui.edit_controller import THUMB_SIZES, EditController
from studio.ui.feedback import Feedback
from studio.ui.file_controller import FileController
from studio.ui.generation import GenerationController
from studio.ui.panels.adaptation_panel import AdaptationPanel
from studio.ui.panels.gallery_panel import GalleryPanel
from studio.ui.panels.inspector import InspectorPanel
from studio.ui.panels.melody_controls import MelodyControlsPanel
from studio.ui.panels.painting_controls import PaintingControlsPanel
from studio.ui.playback_controller import PlaybackController
from studio.ui.session import ProjectSession
from studio.ui.settings import KEY_THUMB_SIZE, make_settings
from tests.ui.conftest import ScriptedPrompts
from tests.ui.melody_fakes import fake_generator, fake_melody  # noqa: F401 - a fixture


class FakeMessages:
    """Records what a controller tells the user."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.problems: list[tuple[str, str, list[tuple[str, str]]]] = []

    def show_message(self, text: str, timeout_ms: int = 0) -> None:
        self.messages.append(text)

    def show_problems(self, title, summary, rows, details="", rich=False) -> None:
        self.problems.append((title, summary, rows))


class FakeSelection:
    """A selection set by the test, with views that record thumbnail sizes."""

    class _View:
        def __init__(self) -> None:
            self.sizes: list[int] = []
            self.all_selected = False

        def set_thumbnail_size(self, size: int) -> None:
            self.sizes.append(size)

    def __init__(self, session: ProjectSession) -> None:
        self._session = session
        self.sample_row_list: list[int] = []
        self.work_row_list: list[int] = []
        self.focused_gallery = False
        self.sample_bin, self.gallery_panel = self._View(), self._View()

    def sample_rows(self) -> list[int]:
        return list(self.sample_row_list)

    def work_rows(self) -> list[int]:
        return list(self.work_row_list)

    def samples(self):
        return [self._session.sample_model.sample_at(r) for r in self.sample_row_list]

    def works(self):
        return [self._session.gallery_model.work_at(r) for r in self.work_row_list]

    def gallery_focused(self) -> bool:
        return self.focused_gallery

    def select_all(self) -> None:
        self.sample_bin.all_selected = True


@pytest.fixture
def host(qtbot) -> QWidget:
    """The parent of every widget and controller a test makes: qtbot deletes it, and them, in
    the main thread at teardown (a Qt object left to Python's collector may be freed in the
    worker thread, which crashes)."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def session(host):
    return ProjectSession(RecoveryStore(default_recovery_dir()), host)


@pytest.fixture
def runner(qtbot):
    r = TaskRunner()
    yield r
    assert r.shutdown(5000)


def _add_works(session: ProjectSession, count: int) -> list[Work]:
    works = [Work(Domain.MELODY, seed=i + 1, melody=fake_melody(i + 1)) for i in range(count)]
    for i, work in enumerate(works):
        session.push(AddWorksCommand(session.gallery_model, f"test:{i}", "Generate", work))  # one step each
    return works


# -- edit ------------------------------------------------------------------------------------------

def test_edit_controller_alone_keeps_rejects_deletes_and_undoes(qtbot, host, session):
    _add_works(session, 3)
    selection = FakeSelection(session)
    edit = EditController(session, selection, make_settings(), host)
    edit.keep_selected()  # nothing selected: nothing happens
    assert session.undo_stack.count() == 3
    selection.work_row_list = [0, 2]
    edit.keep_selected()
    selection.work_row_list = [1]
    edit.reject_selected()
    assert [w.status for w in session.gallery_model.gallery] == [WorkStatus.KEPT, WorkStatus.REJECTED,
                                                                  WorkStatus.KEPT]
    edit.delete_selected()  # no sample selected: the selected works go
    assert len(session.gallery_model.gallery) == 2
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert [w.status for w in session.gallery_model.gallery] == [WorkStatus.KEPT, WorkStatus.NEW, WorkStatus.KEPT]


def test_edit_controller_zoom_steps_sizes_reports_limits_and_remembers(qtbot, host, session):
    settings = make_settings()
    selection = FakeSelection(session)
    edit = EditController(session, selection, settings, host)
    limits: list[tuple[bool, bool]] = []
    edit.sig_zoom_limits.connect(lambda can_in, can_out: limits.append((can_in, can_out)))
    for _ in THUMB_SIZES:
        edit.zoom(1)
    assert edit.thumb_size == THUMB_SIZES[-1] and limits[-1] == (False, True)
    assert selection.gallery_panel.sizes[-1] == round(THUMB_SIZES[-1] * 1.6)
    assert int(settings.value(KEY_THUMB_SIZE)) == THUMB_SIZES[-1]
    assert EditController(session, selection, settings, host).thumb_size == THUMB_SIZES[-1]


# -- files -----------------------------------------------------------------------------------------

def _files(session, runner, host, **answers):
    messages = FakeMessages()
    files = FileController(session, runner, ScriptedPrompts(**answers), make_settings(),
                           FakeSelection(session), messages, host, lambda: {"melody": {"count": 3}})
    return files, messages


def test_file_controller_alone_imports_through_its_handle_and_saves(qtbot, host, session, runner, paintings, tmp_path):
    files, messages = _files(session, runner, host)
    handle = files.import_paths(paintings)
    assert files.is_importing(handle) and files.is_importing()
    with qtbot.waitSignal(handle.sig_finished, timeout=10000):
        pass
    assert not files.is_importing() and session.sample_model.rowCount() == 3
    assert messages.messages[-1] == "Imported 3 samples"
    path = tmp_path / "alone.mcs"
    assert files.save_to(str(path)) and session.path == str(path)
    assert session.project.settings["melody"] == {"count": 3}  # the panels' settings went with it
    assert files.recent.paths() == [str(path.resolve())]


def test_file_controller_reports_a_failed_save_and_keeps_the_project(qtbot, host, session, runner, tmp_path):
    files, messages = _files(session, runner, host)
    target = tmp_path / "missing" / "folder" / "p.mcs"
    (tmp_path / "missing").write_text("a file where a folder should be")
    assert not files.save_to(str(target))
    assert messages.problems and messages.problems[0][0] == "Could not save the project"
    assert session.path is None


def test_file_controller_asks_before_discarding_and_can_be_told_no(qtbot, host, session, runner, paintings, tmp_path):
    files, _messages = _files(session, runner, host, unsaved="cancel")
    with qtbot.waitSignal(files.import_paths(paintings[:1]).sig_finished, timeout=10000):
        pass
    assert session.is_modified()
    assert not files.new_project() and session.sample_model.rowCount() == 1
    files.prompts.answers["unsaved"] = "discard"
    assert files.new_project() and session.sample_model.rowCount() == 0


def test_a_superseded_import_is_folded_into_the_next_and_not_reported_cancelled(qtbot, host, session, runner,
                                                                                paintings):
    files, messages = _files(session, runner, host)
    first = files.import_paths(paintings[:1])
    second = files.import_paths(paintings[1:])
    assert not files.is_importing(first) and files.is_importing(second)
    with qtbot.waitSignal(second.sig_finished, timeout=10000):
        pass
    assert session.sample_model.rowCount() == 3  # both batches
    assert not any("cancelled" in m for m in messages.messages)


# -- playback --------------------------------------------------------------------------------------

def test_playback_controller_alone_saves_a_recording_and_imports_it(qtbot, host, session, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_RECORDINGS_DIR", str(tmp_path / "recordings"))
    imported: list[list[str]] = []
    messages = FakeMessages()
    player = Player(host, output_factory=lambda _parent: (None, "no audio in tests"))
    playback = PlaybackController(player, session, InspectorPanel(host), GalleryPanel(session.gallery_model, host),
                                  messages, imported.append, host)
    path = playback.add_recording(b"MThd-not-really")
    assert path is not None and Path(path).read_bytes() == b"MThd-not-really"
    assert imported == [[path]] and messages.messages[-1] == f"Recording saved as {path}"
    playback.play_selected()  # nothing shown in the inspector
    assert messages.messages[-1] == "Select a melody to play it."


def test_a_recording_whose_write_fails_leaves_no_file_and_is_not_imported(qtbot, host, session, tmp_path,
                                                                           monkeypatch):
    from studio.core import atomic

    folder = tmp_path / "recordings"
    monkeypatch.setenv("STUDIO_RECORDINGS_DIR", str(folder))

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", disk_full)  # the bytes are in the temporary: then it fails
    imported: list[list[str]] = []
    messages = FakeMessages()
    player = Player(host, output_factory=lambda _parent: (None, "no audio in tests"))
    playback = PlaybackController(player, session, InspectorPanel(host), GalleryPanel(session.gallery_model, host),
                                  messages, imported.append, host)
    assert playback.add_recording(b"MThd-not-really") is None
    assert list(folder.iterdir()) == [] and imported == []  # no half file, not even the temporary
    assert "could not be saved" in messages.messages[-1] and "No space left" in messages.messages[-1]


def test_playback_controller_card_buttons_toggle_marks_as_commands(qtbot, host, session):
    _add_works(session, 2)
    player = Player(host, output_factory=lambda _parent: (None, "no audio in tests"))
    playback = PlaybackController(player, session, InspectorPanel(host), GalleryPanel(session.gallery_model, host),
                                  FakeMessages(), lambda paths: None, host)
    playback.card_action(1, "keep")
    assert session.gallery_model.work_at(1).status is WorkStatus.KEPT
    playback.card_action(1, "keep")  # a second click unmarks
    assert session.gallery_model.work_at(1).status is WorkStatus.NEW
    playback.card_action(7, "reject")  # a row that is gone: ignored
    assert session.undo_stack.count() == 4


# -- generation ------------------------------------------------------------------------------------

def _generation(session, runner, host):
    messages = FakeMessages()
    generation = GenerationController(session, runner, FakeSelection(session), MelodyControlsPanel(host),
                                      PaintingControlsPanel(host), InspectorPanel(host), AdaptationPanel(runner, host),
                                      messages, host)
    return generation, messages


def test_generation_controller_alone_blocks_actions_with_reasons_on_an_empty_project(qtbot, host, session, runner):
    generation, _messages = _generation(session, runner, host)
    reasons: list[dict] = []
    generation.sig_painting_reasons.connect(reasons.append)
    generation.refresh()
    assert set(generation.reasons().values()) == {"Add a few melodies first: the studio learns their style"}
    assert reasons and all(r is not None for r in reasons[-1].values())
    assert generation.generate() is None and not generation.is_generating()


def test_generation_controller_generates_through_its_handle_and_stores_the_adapted_model(
        qtbot, host, session, runner, fake_generator, melodies):  # noqa: F811 - the fixture
    session.push(ImportSamplesCommand(session.sample_model, list(engine.import_samples(melodies).samples)))
    generation, messages = _generation(session, runner, host)
    generation.melody_controls.count.setValue(3)
    handle = generation.generate()
    assert handle is not None and generation.owns(handle)
    with qtbot.waitSignal(handle.sig_finished, timeout=10000):
        pass
    assert len(session.gallery_model.gallery) == 3 and not generation.is_generating()
    assert messages.messages[-1] == "Generating 3 melodies: done, 3 new melodies."
    model = AdaptedModel(Domain.MELODY, "fake", "reptile", b"delta", 4, 0.1, (1.0, 0.5), ("x",))
    generation.set_adapted(model)
    assert AdaptedModel.from_project(session.project.settings["adapted"], session.project.weights["adapted"]) == model


def test_a_failed_generation_is_tidied_by_the_controller_and_shown_once_by_feedback(
        qtbot, host, session, runner, fake_generator, melodies, monkeypatch):  # noqa: F811 - the fixture
    session.push(ImportSamplesCommand(session.sample_model, list(engine.import_samples(melodies).samples)))
    generation, messages = _generation(session, runner, host)
    feedback = Feedback(QStatusBar(host), host)
    runner.sig_task_added.connect(feedback.watch)
    shown: list[str] = []
    monkeypatch.setattr(feedback.error_dialog, "show_problems", lambda title, *a: shown.append(title))

    def broken(*args, **kwargs):
        raise StudioError("no ideas left")

    monkeypatch.setattr(fake_generator, "generate", broken)
    handle = generation.generate()
    with qtbot.waitSignal(handle.sig_failed, timeout=10000):
        pass
    assert shown == [f"{handle.label} failed"] and messages.problems == []  # the controller shows none itself
    assert not generation.is_generating()
