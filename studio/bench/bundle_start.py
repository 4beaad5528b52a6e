"""Bundle start: seconds from launching the desktop bundle to its first shown window, against
``python main.py`` from the checkout in the same run (goal: the bundle within 3 s).

Both are launched the way a person starts them, with no project and no demo (``--no-demo``),
in a bare environment (fresh HOME, settings and autosaves in a temporary folder), and timed
by the parent from the launch to the ``first-window-shown`` line the app prints when
``STUDIO_EXIT_AFTER_SHOW=1`` (see :mod:`studio.bench.cold_start`, whose launcher this uses).
Launches alternate between the two, after unmeasured warm-up launches that fill the file
cache: the numbers are warm starts; with ``--cold`` each launch first drops the program's own
files from the page cache (``posix_fadvise``, nothing else on the machine), as a first launch
after an install does. Platforms: ``offscreen``, and ``xvfb`` (a real X server
with the xcb platform plugin, so the X libraries load too) where ``Xvfb`` is installed.
The bundle is built by ``make bundle`` (dist/meta-creation-studio).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from studio.bench.cold_start import launch
from studio.errors import StudioError

DESCRIPTION = "Seconds from launching the desktop bundle to its first window, vs python main.py (goal <= 3 s)"
GOAL_S = 3.0
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BUNDLE = ROOT / "dist" / "meta-creation-studio"
EXECUTABLE = "meta-creation-studio"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE,
                        help="the built bundle folder (default dist/meta-creation-studio, from make bundle)")
    parser.add_argument("--runs", type=int, default=5, help="measured launches of each (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured launches of each first (default 1)")
    parser.add_argument("--platforms", nargs="+", choices=("offscreen", "xvfb"), default=None,
                        help="Qt platforms to measure on (default: offscreen, and xvfb if Xvfb is installed)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a launch counts as hung")
    parser.add_argument("--cold", action="store_true",
                        help="before each launch, drop the launched program's own files (the bundle folder; for "
                             "the source run its packages and the checkout's studio/) from the page cache, as after "
                             "an install or a reboot (Linux; other files on the machine are left alone)")


class _Xvfb:
    """A private X server on a free display number for the length of a ``with`` block."""

    def __init__(self) -> None:
        self.display = next(f":{n}" for n in range(91, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        self.proc = subprocess.Popen(["Xvfb", self.display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{self.display[1:]}").exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise StudioError(f"Xvfb {self.display} did not start (exit status {self.proc.poll()})")
            time.sleep(0.05)
        return self.display

    def __exit__(self, *_: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def _env(home: str, platform: str, display: str | None) -> dict[str, str]:
    env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": os.environ.get("LANG", "C.UTF-8"),
           "XDG_RUNTIME_DIR": home, "STUDIO_EXIT_AFTER_SHOW": "1", "PYTHONUNBUFFERED": "1",
           "STUDIO_SETTINGS_PATH": str(Path(home) / "settings.ini"),
           "STUDIO_RECOVERY_DIR": str(Path(home) / "recovery")}
    if platform == "xvfb":
        env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display or "")
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def evict(folders: list[Path]) -> int:
    """Ask the kernel to drop the cached pages of every file under ``folders`` (posix_fadvise
    DONTNEED; pages mapped by running processes stay). The bytes asked for."""
    total = 0
    for folder in folders:
        files = [Path(folder)] if Path(folder).is_file() else Path(folder).rglob("*")
        for path in (p for p in files if p.is_file() and not p.is_symlink()):
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                total += os.fstat(fd).st_size
            finally:
                os.close(fd)
    return total


def source_files() -> list[Path]:
    """What ``python main.py`` reads at start: the interpreter's library and standard library (the
    bundle carries its own copies, which it drops), the checkout's studio/ and the packages it
    imports before the window shows."""
    import importlib.util
    import sysconfig

    libdir = Path(sysconfig.get_config_var("LIBDIR") or "/nonexistent")
    folders = [Path(sysconfig.get_path("stdlib")), *libdir.glob("libpython3*.so*"), ROOT / "studio"]
    for name in ("PySide6", "shiboken6", "numpy", "PIL"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            folders.append(Path(next(iter(spec.submodule_search_locations))))
    return folders


def _summary(times: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3)}


def measure(argvs: dict[str, list[str]], platform: str, runs: int, warmup: int, timeout: float,
            display: str | None = None, cold: dict[str, list[Path]] | None = None) -> dict[str, Any]:
    """Launch each command ``warmup + runs`` times, alternating; the measured first-window times.
    With ``cold`` ({command: folders}), those folders leave the page cache before each launch."""
    shown: dict[str, list[float]] = {name: [] for name in argvs}
    exits: dict[str, list[float]] = {name: [] for name in argvs}
    with tempfile.TemporaryDirectory(prefix="studio-bundle-start-") as home:
        env = _env(home, platform, display)
        for i in range(warmup + runs):
            for name, argv in argvs.items():
                if cold:
                    evict(cold[name])
                outcome = launch(argv, env, True, timeout)
                if i >= warmup:
                    shown[name].append(outcome["shown_s"])
                    exits[name].append(outcome["exit_s"])
    return {name: {**_summary(shown[name]), "exit_median_s": round(statistics.median(exits[name]), 3),
                   "runs_s": [round(t, 3) for t in shown[name]]} for name in argvs}


def run(args: argparse.Namespace) -> dict[str, Any]:
    exe = Path(args.bundle) / EXECUTABLE
    if not exe.is_file():
        raise StudioError(f"{exe}: no built bundle there; build it with `make bundle` (or give --bundle)")
    platforms = args.platforms or (["offscreen", "xvfb"] if shutil.which("Xvfb") else ["offscreen"])
    if "xvfb" in platforms and not shutil.which("Xvfb"):
        raise StudioError("Xvfb is not installed (Debian: apt-get install xvfb); measure with --platforms offscreen")
    argvs = {"bundle": [str(exe.resolve()), "--no-demo"],
             "source: python main.py": [sys.executable, str(ROOT / "main.py"), "--no-demo"]}
    cold = {"bundle": [Path(args.bundle)], "source: python main.py": source_files()} if args.cold else None
    results: dict[str, Any] = {}
    for platform in platforms:
        if platform == "xvfb":
            with _Xvfb() as display:
                results[platform] = measure(argvs, platform, args.runs, args.warmup, args.timeout, display, cold)
        else:
            results[platform] = measure(argvs, platform, args.runs, args.warmup, args.timeout, cold=cold)
    worst = max(r["bundle"]["median_s"] for r in results.values())
    return {"benchmark": "bundle_start", "bundle": str(exe), "runs": args.runs, "warmup_runs": args.warmup,
            "cache": "cold (the app's files dropped before each launch)" if args.cold else "warm",
            "goal_s": GOAL_S, "goal_met": worst <= GOAL_S, "platforms": results}


if __name__ == "__main__":
    import json

    parser = argparse.ArgumentParser(description=DESCRIPTION)
    add_arguments(parser)
    print(json.dumps(run(parser.parse_args()), indent=2))
