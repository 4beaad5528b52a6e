"""Atomic file writes, and the clean-up of what a killed writer leaves behind.

Every file the studio saves (projects, recovery files, checkpoints, corpora, generated works)
goes through :func:`atomic_write` or :func:`atomic_write_with`: the bytes go to a temporary
file in the target's folder, are flushed and synced to disk, then renamed over the target with
``os.replace``. A reader sees the old file or the whole new one, never half of one.

A process killed mid-write (``kill -9``, a power cut) cannot remove its temporary file, so the
temporary's name records the writer's process id::

    .{target name}.{pid}.{random hex}.studio-tmp

and :func:`remove_stale_temps` deletes, in one folder, those whose writer is no longer running
or that are older than :data:`STALE_AFTER_S`. Savers call it before writing and openers before
reading, so a killed save costs disk space only until the next save or open in that folder.
Nothing else is ever touched: only names that parse exactly as ours.

Pure standard library: no Qt, no torch. Errors are re-raised as they came (``OSError`` and
whatever ``write`` raised); callers turn them into the :class:`~studio.errors.StudioError`
their user understands.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".studio-tmp"
# A temporary this old is stale even if its pid is alive: pids are reused, and no save runs a day.
STALE_AFTER_S = 24 * 3600

_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]{1,10})\.(?P<token>[0-9a-f]{8,32})"
                        + re.escape(TEMP_SUFFIX))


def temp_path(target: str | os.PathLike[str]) -> Path:
    """A fresh temporary path beside ``target`` (same folder, so the rename stays atomic).

    Use it for a temporary *folder* too (e.g. a staging folder renamed into place when
    complete): :func:`remove_stale_temps` removes such folders the same way.
    """
    target = Path(target)
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, flush, fsync, rename).

    On any failure the temporary file is removed, ``path`` is unchanged and the error is
    re-raised (``OSError`` for a disk problem).
    """
    atomic_write_with(path, lambda f: f.write(data))


def atomic_write_with(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(file)`` on a temporary binary file beside ``path``, then rename it over ``path``.

    ``write`` streams the content (a zip writer, ``json.dump`` through a text wrapper, ...);
    it must not close the file. The new file keeps the permission bits of the file it replaces.
    On any failure, ``KeyboardInterrupt`` included, the temporary file is removed, ``path`` is
    unchanged and the error is re-raised.
    """
    target = Path(path)
    tmp = temp_path(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):  # keep the permissions a user gave the old file
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_directory(target.parent)


def fsync_directory(directory: str | os.PathLike[str]) -> None:
    """Sync a folder so a rename in it survives a power cut (best effort; a no-op on Windows)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def is_temp_name(name: str) -> bool:
    """Whether ``name`` (a file or folder name, no folder part) is one of our temporaries."""
    return _TEMP_NAME.fullmatch(name) is not None


def remove_stale_temps(folder: str | os.PathLike[str], *, now: float | None = None) -> list[Path]:
    """Delete our temporary files and folders in ``folder`` whose writer is gone; return them.

    A temporary is stale when the process id in its name is not running on this machine, or
    when it is older than :data:`STALE_AFTER_S`. Temporaries of live writers (another window
    saving right now, this process's other threads) stay. Names that are not exactly ours are
    never touched. Never raises: an unreadable folder or a file that cannot be removed is
    skipped (the next call tries again).
    """
    folder = Path(folder)
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if pid_alive(int(match["pid"])) and now - info.st_mtime < STALE_AFTER_S:
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (when unsure: yes)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return True  # os.kill would terminate it there; the age limit still applies
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except (OSError, OverflowError):
        return False
    return True
