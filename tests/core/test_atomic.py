"""Atomic writes: whole files or none, temporaries removed on failure, stale ones cleaned up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from studio.core import atomic
from studio.core.atomic import (TEMP_SUFFIX, atomic_write, atomic_write_with, pid_alive, remove_stale_temps,
                                temp_path)


def _dead_pid() -> int:
    """A pid that surely runs no process: one of a child that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    atomic_write(target, b"new bytes")
    assert target.read_bytes() == b"new bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin"]


def test_atomic_write_keeps_the_old_files_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    os.chmod(target, 0o600)
    atomic_write(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), ValueError("bad"), KeyboardInterrupt()])
def test_a_failed_write_keeps_the_old_file_removes_the_temporary_and_reraises(tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")

    def write(f) -> None:
        f.write(b"half")
        raise error

    with pytest.raises(type(error)):
        atomic_write_with(target, write)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin"]


def test_a_missing_folder_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        atomic_write(tmp_path / "no" / "a.bin", b"x")


def test_temp_names_are_hidden_beside_the_target_and_name_our_pid(tmp_path: Path) -> None:
    tmp = temp_path(tmp_path / "song.v2.mcs")
    assert tmp.parent == tmp_path
    assert tmp.name.startswith(f".song.v2.mcs.{os.getpid()}.") and tmp.name.endswith(TEMP_SUFFIX)
    assert atomic.is_temp_name(tmp.name)
    assert temp_path(tmp_path / "x") != temp_path(tmp_path / "x")


def test_remove_stale_temps_removes_only_dead_writers_temporaries(tmp_path: Path) -> None:
    dead = _dead_pid()
    stale_file = tmp_path / f".p.mcs.{dead}.0123abcd{TEMP_SUFFIX}"
    stale_folder = tmp_path / f".out.{dead}.89abcdef{TEMP_SUFFIX}"
    live = tmp_path / f".p.mcs.{os.getpid()}.0123abcd{TEMP_SUFFIX}"
    stale_file.write_bytes(b"x")
    stale_folder.mkdir()
    (stale_folder / "001.mid").write_bytes(b"x")
    # Names that are not exactly ours are never touched, whatever their pid.
    others = [f"p.mcs.{dead}.0123abcd{TEMP_SUFFIX}", f".p.mcs.{dead}.0123abcd.tmp",
              f".p.mcs.{dead}.XYZ{TEMP_SUFFIX}", f".p.mcs.{dead}.0123abcd{TEMP_SUFFIX}.keep",
              "project.mcs"]
    live.write_bytes(b"x")
    for name in others:
        (tmp_path / name).write_bytes(b"x")
    removed = remove_stale_temps(tmp_path)
    assert sorted(removed) == sorted([stale_file, stale_folder])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, *others])


def test_remove_stale_temps_removes_a_live_pids_temporary_after_a_day(tmp_path: Path) -> None:
    old = tmp_path / f".p.mcs.{os.getpid()}.0123abcd{TEMP_SUFFIX}"
    old.write_bytes(b"x")
    assert remove_stale_temps(tmp_path, now=time.time() + atomic.STALE_AFTER_S - 60) == []
    assert remove_stale_temps(tmp_path, now=time.time() + atomic.STALE_AFTER_S + 60) == [old]


@pytest.mark.skipif(sys.platform == "win32", reason="no process check there: every pid counts as alive")
def test_pid_alive_tells_running_from_gone_and_absurd_pids() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(_dead_pid())
    assert not pid_alive(0) and not pid_alive(-1)
    assert not pid_alive(2**80)  # too large for the OS call: not a process


def test_remove_stale_temps_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert remove_stale_temps(tmp_path / "missing") == []


def test_a_writer_killed_mid_write_leaves_a_temporary_the_next_clean_up_removes(tmp_path: Path) -> None:
    target = tmp_path / "big.bin"
    script = textwrap.dedent(f"""
        import sys, time
        from studio.core.atomic import atomic_write_with
        def write(f):
            f.write(b"x" * 100_000)
            f.flush()
            print("writing", flush=True)
            time.sleep(60)
        atomic_write_with({str(target)!r}, write)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                             cwd=Path(__file__).resolve().parents[2])
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"writing"
        left = [p for p in tmp_path.iterdir() if atomic.is_temp_name(p.name)]
        assert len(left) == 1  # a live writer's temporary is kept
        assert remove_stale_temps(tmp_path) == []
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    assert remove_stale_temps(tmp_path) == left
    assert list(tmp_path.iterdir()) == []
