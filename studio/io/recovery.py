"""Crash recovery: autosave the open project, and offer a crashed session's work back at start.

Each studio session owns three files in the recovery folder, named after a session id that
joins the process id and a random token: ``session-<id>.lock`` (who owns the session: pid,
host, boot id and process start time), ``session-<id>.mcs`` (the last autosave, an ordinary
project file written atomically) and ``session-<id>.json`` (source path, title, time).

A recovery is *pending* when its lock's owner is no longer running: the pid is gone, the
machine has rebooted since, or the pid now belongs to a process that started later. A live
owner, or a lock written on another host, hides it, so two studio windows never take each
other's recovery. A clean exit calls :meth:`RecoveryStore.discard`.

The sidecar is read as untrusted input: its source path is handed back only if it passes
:func:`checked_source_path`, since the restored project would be saved there.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.atomic import TEMP_SUFFIX, atomic_write, pid_alive, remove_stale_temps
from studio.core.project import Project
from studio.errors import ProjectError
from studio.io.project_file import load_project, save_project

RECOVERY_DIR_ENV = "STUDIO_RECOVERY_DIR"
_PREFIX = "session-"
# The sidecar is read back as the path the restored project saves to, so a damaged or planted
# one must not aim a save at an arbitrary file: a source path is kept only if it is an absolute
# path of sane length without control characters that names nothing, or a zip file (a project).
MAX_SOURCE_PATH_CHARS = 4096  # Linux's PATH_MAX
MAX_TITLE_CHARS = 500  # a title is shown in the recovery dialog; longer ones are cut


def default_recovery_dir() -> Path:
    """``$STUDIO_RECOVERY_DIR``, else ``$XDG_STATE_HOME/meta-creation-studio/recovery``,
    else ``~/.local/state/meta-creation-studio/recovery``."""
    override = os.environ.get(RECOVERY_DIR_ENV)
    if override:
        return Path(override)
    state = os.environ.get("XDG_STATE_HOME", "")
    base = Path(state) if os.path.isabs(state) else Path.home() / ".local" / "state"  # XDG: ignore relative
    return base / "meta-creation-studio" / "recovery"


@dataclass(frozen=True)
class RecoveryInfo:
    """An autosave left by a session that did not exit cleanly."""

    session: str
    project_path: Path  # the autosaved project file
    source_path: str | None  # the file the user had open, None for an unsaved project
    title: str
    saved_at: float  # seconds since the epoch


class RecoveryStore:
    """This session's autosave and lock in ``directory``, and the orphans of crashed sessions."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)
        self.session = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._offered: RecoveryInfo | None = None

    def autosave(self, project: Project, source_path: str | None) -> Path:
        """Write ``project`` as this session's recovery file (atomically) and return its path.

        Raises:
            ProjectError: the recovery folder or file cannot be written.
        """
        self._ensure_lock()
        target = self._file(self.session, ".mcs")
        save_project(project, target)
        self._write_sidecar(source_path, project.title)
        return target

    def pending(self) -> RecoveryInfo | None:
        """The newest recovery whose session's owner is no longer running, or None.

        Leftovers of dead sessions that hold no recovery (stale locks, temporary files) are
        removed on the way.
        """
        found = []
        remove_stale_temps(self.directory)  # of autosaves killed mid-write
        for session in self._sessions():
            if session == self.session:
                continue
            lock = _read_json(self._file(session, ".lock"))
            if lock is not None and _owner_alive(lock):
                continue
            project_path = self._file(session, ".mcs")
            if not project_path.is_file():
                self._remove_session(session)
                continue
            found.append(self._info(session, project_path))
        self._offered = max(found, key=lambda info: info.saved_at, default=None)
        return self._offered

    def restore(self) -> tuple[Project, str | None]:
        """Adopt the pending recovery as this session's own and load it.

        Returns the project and the path of the file it came from (None if never saved).

        Raises:
            ProjectError: nothing to restore, another window took it, or the file is damaged
                (then :meth:`discard` removes it).
        """
        info = self._offered or self.pending()
        if info is None:
            raise ProjectError("there is no crashed session to restore", str(self.directory))
        self._ensure_lock()
        own = self._file(self.session, ".mcs")
        try:  # the rename claims the orphan atomically: a second window's rename then fails
            os.replace(info.project_path, own)
        except FileNotFoundError as exc:
            raise ProjectError("another studio window has already restored this session",
                               str(info.project_path)) from exc
        except OSError as exc:
            raise ProjectError(f"the recovery file could not be claimed ({exc.strerror or exc})",
                               str(info.project_path)) from exc
        self._offered = None
        self._write_sidecar(info.source_path, info.title)
        self._remove_session(info.session)
        return load_project(own), info.source_path

    def discard(self) -> None:
        """Forget this session's recovery and release its lock (clean exit), and delete the
        recovery last offered by :meth:`pending` (the user declined it)."""
        if self._offered is not None:
            self._remove_session(self._offered.session)
            self._offered = None
        self._remove_session(self.session)

    # ----------------------------------------------------------------------------- helpers

    def _file(self, session: str, suffix: str) -> Path:
        return self.directory / f"{_PREFIX}{session}{suffix}"

    def _sessions(self) -> set[str]:
        try:
            names = os.listdir(self.directory)
        except OSError:  # no folder yet, or unreadable: nothing to offer
            return set()
        return {name[len(_PREFIX):-len(suffix)] for name in names for suffix in (".lock", ".mcs", ".json")
                if name.startswith(_PREFIX) and name.endswith(suffix)}

    def _info(self, session: str, project_path: Path) -> RecoveryInfo:
        side = _read_json(self._file(session, ".json")) or {}
        source = side.get("source_path")
        title = side.get("title")
        saved_at = side.get("saved_at")
        if isinstance(saved_at, bool) or not isinstance(saved_at, (int, float)):
            with contextlib.suppress(OSError):
                saved_at = project_path.stat().st_mtime
        return RecoveryInfo(
            session=session, project_path=project_path,
            source_path=checked_source_path(source),
            title=title[:MAX_TITLE_CHARS] if isinstance(title, str) and title.strip() else "Untitled",
            saved_at=float(saved_at) if isinstance(saved_at, (int, float)) else 0.0,
        )

    def _ensure_lock(self) -> None:
        lock = self._file(self.session, ".lock")
        if lock.exists():
            return
        pid = os.getpid()
        _write_json_atomic(lock, {"pid": pid, "host": socket.gethostname(), "boot_id": _boot_id(),
                                  "start": _process_start(pid), "created": time.time()})

    def _write_sidecar(self, source_path: str | None, title: str) -> None:
        _write_json_atomic(self._file(self.session, ".json"),
                           {"source_path": source_path, "title": title, "saved_at": time.time()})

    def _remove_session(self, session: str) -> None:
        """Delete a session's files, its lock last (a lock-less autosave reads as orphaned)."""
        leftovers = []
        with contextlib.suppress(OSError):  # temporary files of a write the crash interrupted
            leftovers = [self.directory / n for n in os.listdir(self.directory)
                         if n.startswith(f".{_PREFIX}{session}.") and n.endswith((TEMP_SUFFIX, ".tmp"))]
        for path in [*leftovers, *(self._file(session, s) for s in (".mcs", ".json", ".lock"))]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def checked_source_path(value: object) -> str | None:
    """``value`` if it is a sensible path for a restored project to be saved back to, else None.

    Sensible: a string of at most :data:`MAX_SOURCE_PATH_CHARS` characters, absolute, without
    NUL or other control characters, and naming either nothing (the file was moved or deleted
    since) or a regular file that starts like a zip archive, as every project file does. Anything
    else (a folder, a device, ``~/.bashrc``, a relative path) is ignored: the restored project
    then counts as never saved, and saving it asks for a name.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_SOURCE_PATH_CHARS:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in value) or not os.path.isabs(value):
        return None
    try:
        info = os.stat(value)
    except FileNotFoundError:
        return value
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    try:
        with open(value, "rb") as f:
            head = f.read(4)
    except OSError:
        return None
    return value if head in (b"", b"PK\x03\x04") else None


def _write_json_atomic(path: Path, obj: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, json.dumps(obj).encode("utf-8"))
    except OSError as exc:
        raise ProjectError(f"the recovery file could not be written ({exc.strerror or exc})",
                           str(path)) from exc


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return obj if isinstance(obj, dict) else None


def _owner_alive(lock: dict[str, Any]) -> bool:
    """Whether the process that wrote ``lock`` may still be running (when unsure: yes)."""
    if lock.get("host") != socket.gethostname():
        return True  # another machine sharing this folder: its processes cannot be checked
    boot = _boot_id()
    if boot is not None and lock.get("boot_id") not in (None, boot):
        return False  # written before the last reboot
    pid = lock.get("pid")
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        return False
    if not pid_alive(pid):
        return False
    start, now = lock.get("start"), _process_start(pid)
    return start is None or now is None or start == now  # a different start: the pid was reused


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


def _process_start(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[19])  # field 22; the name may hold spaces or ')'
    except (OSError, IndexError, ValueError):
        return None
