"""Crash recovery: autosave, a crashed session's work offered back, live sessions left alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from studio.core import Melody, Note, Project, Work, WorkStatus
from studio.core.samples import Domain
from studio.core.works import Gallery
from studio.errors import ProjectError
from studio.io import recovery
from studio.io.recovery import RecoveryStore, default_recovery_dir

HAS_PROC = Path("/proc/self/stat").exists()


def project(title: str = "Sketches") -> Project:
    works = [Work(Domain.PAINTING, seed=3, image=np.full((4, 5, 3), 200, np.uint8), status=WorkStatus.KEPT),
             Work(Domain.PAINTING, seed=4, image=np.zeros((4, 5, 3), np.uint8), status=WorkStatus.REJECTED)]
    return Project(gallery=Gallery(works), settings={"steps": 3}, weights={"w": b"123"}, title=title)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()  # reaped: the pid names no process now
    return child.pid


def crash(store: RecoveryStore, **lock_changes) -> None:
    """Make ``store``'s session look like one whose process died (by default: a dead pid)."""
    path = store._file(store.session, ".lock")
    lock = json.loads(path.read_text())
    lock.update(lock_changes or {"pid": dead_pid()})
    path.write_text(json.dumps(lock))


def files(directory: Path) -> list[str]:
    return sorted(os.listdir(directory)) if directory.exists() else []


def test_autosave_crash_restore(tmp_path):
    crashed = RecoveryStore(tmp_path / "rec")
    saved = crashed.autosave(project(), "/home/u/sketches.mcs")
    crashed.autosave(project("Sketches v2"), "/home/u/sketches.mcs")  # overwrites, leaves no temp
    assert saved.is_file() and len(files(tmp_path / "rec")) == 3

    fresh = RecoveryStore(tmp_path / "rec")
    assert fresh.pending() is None  # the owner (this very process) is alive
    crash(crashed)
    info = fresh.pending()
    assert (info.title, info.source_path) == ("Sketches v2", "/home/u/sketches.mcs")
    assert info.session == crashed.session

    restored, source = fresh.restore()
    assert source == "/home/u/sketches.mcs"
    original = project("Sketches v2")
    assert (restored.title, restored.settings) == (original.title, original.settings)
    assert restored.weights == original.weights
    assert [(w.seed, w.status) for w in restored.gallery] == [(3, WorkStatus.KEPT), (4, WorkStatus.REJECTED)]
    np.testing.assert_array_equal(restored.gallery[0].image, original.gallery[0].image)
    # the restored session is now this session's own, protected by its live lock
    assert all(name.startswith(f"session-{fresh.session}.") for name in files(tmp_path / "rec"))
    assert RecoveryStore(tmp_path / "rec").pending() is None
    fresh.discard()
    assert files(tmp_path / "rec") == []


def test_declining_discards_the_orphan_but_not_live_sessions(tmp_path):
    crashed, live = RecoveryStore(tmp_path), RecoveryStore(tmp_path)
    crashed.autosave(project("lost"), None)
    live.autosave(project("open elsewhere"), None)
    crash(crashed)
    me = RecoveryStore(tmp_path)
    info = me.pending()
    assert (info.title, info.source_path) == ("lost", None)
    me.discard()
    assert RecoveryStore(tmp_path).pending() is None
    assert all(name.startswith(f"session-{live.session}.") for name in files(tmp_path))


def test_newest_orphan_is_offered_first(tmp_path):
    older, newer = RecoveryStore(tmp_path), RecoveryStore(tmp_path)
    older.autosave(project("older"), None)
    newer.autosave(project("newer"), None)
    crash(older)
    crash(newer)
    me = RecoveryStore(tmp_path)
    assert me.pending().title == "newer"
    me.discard()
    assert me.pending().title == "older"


@pytest.mark.skipif(not HAS_PROC, reason="needs /proc (Linux)")
def test_reused_pid_and_reboot_count_as_dead(tmp_path):
    crashed = RecoveryStore(tmp_path)
    crashed.autosave(project(), None)
    me = RecoveryStore(tmp_path)
    crash(crashed, start=recovery._process_start(os.getpid()) - 1)  # our pid, but an older process
    assert me.pending() is not None
    crash(crashed, start=recovery._process_start(os.getpid()), boot_id="a-previous-boot")
    assert me.pending() is not None
    crash(crashed, boot_id=recovery._boot_id())
    assert me.pending() is None


def test_a_lock_from_another_host_hides_the_recovery(tmp_path):
    crashed = RecoveryStore(tmp_path)
    crashed.autosave(project(), None)
    crash(crashed, pid=dead_pid(), host="some-other-machine")
    assert RecoveryStore(tmp_path).pending() is None


def test_stale_locks_and_temp_files_are_cleaned(tmp_path):
    crashed = RecoveryStore(tmp_path)
    crashed._ensure_lock()  # crashed before its first autosave finished
    (tmp_path / f".session-{crashed.session}.mcs.1234.tmp").write_bytes(b"PK half")
    crash(crashed)
    assert RecoveryStore(tmp_path).pending() is None
    assert files(tmp_path) == []


def test_autosave_without_lock_or_sidecar_is_still_offered(tmp_path):
    crashed = RecoveryStore(tmp_path)
    crashed.autosave(project("bare"), None)
    crashed._file(crashed.session, ".lock").unlink()
    crashed._file(crashed.session, ".json").unlink()
    info = RecoveryStore(tmp_path).pending()
    assert info.title == "Untitled" and info.saved_at > 0


def test_two_windows_cannot_both_restore(tmp_path):
    crashed = RecoveryStore(tmp_path)
    crashed.autosave(project(), None)
    crash(crashed)
    first, second = RecoveryStore(tmp_path), RecoveryStore(tmp_path)
    assert first.pending() and second.pending()
    first.restore()
    with pytest.raises(ProjectError, match="already restored"):
        second.restore()


def test_nothing_to_restore_and_damaged_recovery(tmp_path):
    with pytest.raises(ProjectError, match="no crashed session"):
        RecoveryStore(tmp_path).restore()
    crashed = RecoveryStore(tmp_path)
    crashed.autosave(project(), None)
    crashed._file(crashed.session, ".mcs").write_bytes(b"garbage")
    crash(crashed)
    me = RecoveryStore(tmp_path)
    with pytest.raises(ProjectError, match="not a project file"):
        me.restore()
    me.discard()
    assert files(tmp_path) == []


def test_autosave_into_an_unwritable_place_raises_project_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(ProjectError):
        RecoveryStore(blocker / "rec").autosave(project(), None)


def test_melody_project_survives_a_crash(tmp_path):
    melody = Melody(notes=(Note(60, 0, 12), Note(64, 12, 12)), tempo_bpm=90.0, name="hum")
    crashed = RecoveryStore(tmp_path)
    crashed.autosave(Project(gallery=Gallery([Work(Domain.MELODY, seed=1, melody=melody)])), None)
    crash(crashed)
    restored, _ = RecoveryStore(tmp_path).restore()
    assert restored.gallery[0].melody == melody


def test_default_recovery_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("STUDIO_RECOVERY_DIR", str(tmp_path / "r"))
    assert default_recovery_dir() == tmp_path / "r"
    monkeypatch.delenv("STUDIO_RECOVERY_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert default_recovery_dir() == tmp_path / "state" / "meta-creation-studio" / "recovery"
    monkeypatch.setenv("XDG_STATE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    home_state = tmp_path / "home" / ".local" / "state"
    assert default_recovery_dir() == home_state / "meta-creation-studio" / "recovery"


def _sidecar_source(tmp_path: Path, source: object) -> str | None:
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    crashed = RecoveryStore(folder)
    crashed.autosave(project(), None)
    side = crashed._file(crashed.session, ".json")
    side.write_text(json.dumps({"source_path": source, "title": "t", "saved_at": 1.0}))
    crash(crashed)
    return RecoveryStore(folder).pending().source_path


def test_a_sensible_source_path_is_kept(tmp_path):
    saved = tmp_path / "song.mcs"
    recovery.save_project(project(), saved)
    assert _sidecar_source(tmp_path, str(saved)) == str(saved)
    moved = str(tmp_path / "moved away.mcs")  # deleted or moved since: still where to save
    assert _sidecar_source(tmp_path, moved) == moved


@pytest.mark.parametrize("source", [
    42, ["/a"], {"p": 1}, True, "", "relative/song.mcs", "song.mcs",
    "/home/u/so\x00ng.mcs", "/home/u/so\nng.mcs", "/home/u/\x1b[31m.mcs",
    "/" + "a" * 5000,
])
def test_a_damaged_source_path_is_ignored(tmp_path, source):
    assert _sidecar_source(tmp_path, source) is None


def test_a_source_path_naming_a_folder_or_a_foreign_file_is_ignored(tmp_path):
    assert _sidecar_source(tmp_path, str(tmp_path)) is None
    rc = tmp_path / ".bashrc"
    rc.write_text("export PATH=...\n")  # a save to the restored project's path would clobber it
    assert _sidecar_source(tmp_path, str(rc)) is None
    assert _sidecar_source(tmp_path, "/dev/null") is None


def test_restore_hands_back_only_a_checked_source_path(tmp_path):
    crashed = RecoveryStore(tmp_path / "rec")
    crashed.autosave(project(), "/home/u/ok.mcs")
    crashed._file(crashed.session, ".json").write_text(
        json.dumps({"source_path": "/etc/\x00passwd", "title": "x" * 10_000}))
    crash(crashed)
    fresh = RecoveryStore(tmp_path / "rec")
    assert len(fresh.pending().title) == recovery.MAX_TITLE_CHARS
    _, source = fresh.restore()
    assert source is None


def test_an_autosave_killed_mid_write_leaves_nothing_after_the_next_start(tmp_path):
    from studio.core.atomic import TEMP_SUFFIX

    crashed = RecoveryStore(tmp_path)
    crashed.autosave(project(), None)
    dead = dead_pid()
    leftover = tmp_path / f".session-{crashed.session}.mcs.{dead}.0123abcd{TEMP_SUFFIX}"
    leftover.write_bytes(b"PK half")
    other = tmp_path / f".session-9-live.mcs.{dead}.89abcdef{TEMP_SUFFIX}"  # another session's, dead writer
    other.write_bytes(b"PK half")
    fresh = RecoveryStore(tmp_path)
    fresh.pending()
    assert not leftover.exists() and not other.exists()
