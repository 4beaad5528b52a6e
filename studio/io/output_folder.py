"""The folder a headless ``generate`` run writes into: all of its works and ``report.json``, or none.

Works are staged in a hidden folder inside the output folder (same filesystem, so moving them
is a rename) named by :func:`studio.core.atomic.temp_path`; :meth:`OutputFolder.commit` moves
them into place under their numbered names and the report last, so a reader who finds
``report.json`` finds every work it lists. :meth:`OutputFolder.discard` removes everything this
run wrote (the staging folder, works already moved, the output folder itself if the run made it
and it is empty). A killed run cannot clean up: its staging folder carries its process id, and
the next run into the folder removes it (:func:`~studio.core.atomic.remove_stale_temps`).

A folder that already holds something is refused unless ``overwrite`` is set; then only what the
studio wrote is cleared at commit time: ``report.json``, the files an earlier report lists, and
numbered works (``001.mid``, ``002.png``, ...). Other files and every folder stay.

Every problem is a :class:`~studio.errors.StudioError` naming the path and the reason.
Pure standard library.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from pathlib import Path

from studio.core.atomic import fsync_directory, remove_stale_temps, temp_path
from studio.errors import StudioError

REPORT_NAME = "report.json"
WORK_EXTENSIONS = ("mid", "png")  # every extension a generate run writes (a rerun clears both kinds)
_NUMBERED = re.compile(r"[0-9]{3,}\.(?:" + "|".join(WORK_EXTENSIONS) + r")")


def work_name(index: int, count: int, extension: str) -> str:
    """The file name of work ``index`` (1-based) of ``count``: ``001.mid`` ... (at least 3 digits)."""
    return f"{index:0{max(3, len(str(count)))}d}.{extension}"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def studio_files(folder: Path) -> list[Path]:
    """The files in ``folder`` an earlier run wrote: its report, the works that report lists and
    any numbered work. Never a folder, never a name with a folder part."""
    names: set[str] = set()
    report = folder / REPORT_NAME
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        for entry in json.loads(report.read_text(encoding="utf-8")).get("works", []):
            name = entry.get("file") if isinstance(entry, dict) else None
            if isinstance(name, str) and name == Path(name).name and name not in ("", ".", ".."):
                names.add(name)
    with contextlib.suppress(OSError):
        names.update(n for n in os.listdir(folder) if _NUMBERED.fullmatch(n) or n == REPORT_NAME)
    found = []
    for name in sorted(names):
        path = folder / name
        if path.is_symlink() or path.is_file():  # a link is removed, never what it points to
            found.append(path)
    return found


class OutputFolder:
    """One run's output folder; use :meth:`prepare`, :meth:`stage` per work, then :meth:`commit`
    (or :meth:`discard` on any failure)."""

    def __init__(self, folder: str | os.PathLike[str], overwrite: bool = False) -> None:
        self.folder = Path(folder)
        self.overwrite = overwrite
        self.staging: Path | None = None
        self._created = False
        self._moved: list[Path] = []

    def prepare(self, names: list[str]) -> None:
        """Create the folder if needed, remove staging folders of dead runs, refuse a folder that
        is not empty (unless ``overwrite``) or where one of ``names`` (the planned work files and the
        report) is a folder, and create this run's staging folder.

        Raises StudioError naming the folder or file and the reason.
        """
        folder = self.folder
        if folder.exists() and not folder.is_dir():
            raise StudioError("this is not a folder; choose a folder for --out", str(folder))
        try:
            self._created = not folder.exists()
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudioError(f"cannot create the output folder ({_reason(exc)})", str(folder)) from exc
        remove_stale_temps(folder)
        try:
            entries = sorted(os.listdir(folder))
        except OSError as exc:
            raise StudioError(f"cannot read the output folder ({_reason(exc)})", str(folder)) from exc
        if entries and not self.overwrite:
            shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
            raise StudioError(f"the output folder is not empty ({len(entries)} entries: {shown}); pass "
                              "--overwrite to replace the works the studio wrote there, or choose an "
                              "empty folder", str(folder))
        for name in [*names, REPORT_NAME]:
            path = folder / name
            if path.exists() and not path.is_symlink() and not path.is_file():
                raise StudioError("a folder (or other non-file) has the name of a work this run writes; "
                                  "move it away or choose another --out", str(path))
        staging = temp_path(folder / "generate")
        try:
            staging.mkdir()
        except OSError as exc:
            raise StudioError(f"cannot write in the output folder ({_reason(exc)})", str(folder)) from exc
        self.staging = staging

    def stage(self, name: str, data: bytes) -> None:
        """Write one file into the staging folder (flushed to disk). Raises StudioError."""
        assert self.staging is not None, "prepare() first"
        path = self.staging / name
        try:
            with open(path, "xb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise StudioError(f"cannot write this work ({_reason(exc)})", str(self.folder / name)) from exc

    def commit(self, moves: list[tuple[str, str]], report: bytes) -> list[str]:
        """Move staged files into place (``(staged name, final name)`` pairs), then the report.

        With ``overwrite``, first clears the files an earlier run wrote (the old report first, so no
        report ever lists works that are gone). Returns the final names. Raises StudioError; the
        caller then calls :meth:`discard`.
        """
        assert self.staging is not None, "prepare() first"
        self.stage(REPORT_NAME, report)
        if self.overwrite:
            for path in sorted(studio_files(self.folder), key=lambda p: p.name != REPORT_NAME):
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    raise StudioError(f"cannot remove this earlier work ({_reason(exc)})", str(path)) from exc
        for staged, final in [*moves, (REPORT_NAME, REPORT_NAME)]:
            target = self.folder / final
            try:
                os.replace(self.staging / staged, target)
            except OSError as exc:
                raise StudioError(f"cannot move this work into place ({_reason(exc)})", str(target)) from exc
            self._moved.append(target)
        fsync_directory(self.folder)
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging = None
        return [final for _, final in moves]

    def discard(self) -> None:
        """Remove everything this run wrote; never raises."""
        for path in self._moved:
            with contextlib.suppress(OSError):
                path.unlink()
        self._moved.clear()
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._created:
            with contextlib.suppress(OSError):
                self.folder.rmdir()  # only if empty
