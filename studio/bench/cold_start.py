"""Cold start: seconds from launching ``python main.py`` to its first shown main window.

Contract with the app (studio.ui.app): with ``STUDIO_EXIT_AFTER_SHOW=1`` in its environment it
prints one stdout line ``first-window-shown [SECONDS] torch-imported=<true|false>`` right after
the main window is first shown (from a zero-timer queued after ``show()``), flushes, and quits.
The benchmark times, from the parent, the moment that line arrives (so interpreter start-up is
included and teardown is not) and the whole process until exit. Baselines measured in the same
run, interleaved with it: ``python -c pass``, ``import PySide6.QtWidgets``, and a bare
``QMainWindow`` shown the same way. Goal: the studio's first window within 2.5 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from studio.errors import StudioError

DESCRIPTION = "Seconds from `python main.py` to the first shown window, with Python/Qt baselines (goal <= 2.5 s)"
GOAL_S = 2.5
ROOT = Path(__file__).resolve().parents[2]
MARKER = "first-window-shown"
_LINE = re.compile(r"^first-window-shown(?:\s+(?P<seconds>[0-9.]+))?(?:.*?\btorch-imported=(?P<torch>\w+))?")




def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=7, help="measured launches of each command (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured launches first, to warm the file cache")
    parser.add_argument("--script", default=str(ROOT / "main.py"), help="the app's entry script (default main.py)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a launch counts as hung")
    parser.add_argument("--quick", action="store_true", help="3 runs, no warm-up")


def parse_marker(line: str) -> dict[str, Any] | None:
    """The fields of a ``first-window-shown`` line, or None for any other line."""
    m = _LINE.match(line.strip())
    if not m:
        return None
    torch = m.group("torch")
    return {
        "child_seconds": float(m.group("seconds")) if m.group("seconds") else None,
        "torch_imported": None if torch is None else torch.lower() in ("true", "1", "yes"),
    }


def launch(argv: list[str], env: dict[str, str], expect_marker: bool, timeout: float) -> dict[str, Any]:
    """Run one process; seconds until the marker line (if expected) and until exit."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        with subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=err, text=True) as proc:
            watchdog = threading.Timer(timeout, proc.kill)  # a hung app must not hang the benchmark
            watchdog.start()
            shown_at, fields = None, None
            try:
                assert proc.stdout is not None
                for line in proc.stdout:
                    if expect_marker and shown_at is None and (fields := parse_marker(line)) is not None:
                        shown_at = time.perf_counter() - t0
                rc = proc.wait()
                exited_at = time.perf_counter() - t0
            finally:
                hung = not watchdog.is_alive()
                watchdog.cancel()
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if hung or rc != 0 or (expect_marker and shown_at is None):
        what = f"was killed after {timeout:.0f} s" if hung else f"exited with status {rc}"
        if not hung and rc == 0:
            what = f"never printed '{MARKER}' (does the app honour STUDIO_EXIT_AFTER_SHOW=1?)"
        raise StudioError(f"{' '.join(argv[:2])} {what}; its stderr ends with:\n{stderr[-2000:]}")
    return {"shown_s": shown_at, "exit_s": exited_at, **(fields or {})}


def commands(script: str) -> list[tuple[str, list[str], bool]]:
    py = sys.executable
    return [
        ("python -c pass", [py, "-c", "pass"], False),
        ("import PySide6.QtWidgets", [py, "-c", "import PySide6.QtWidgets"], False),
        ("bare QMainWindow shown", [py, "-m", "studio.ui.bare_window"], True),
        (f"studio: python {Path(script).name}", [py, script], True),
    ]


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Launch every command ``runs`` times, interleaved; medians, min and max."""
    if args.quick:
        args.runs, args.warmup = 3, 0
    env = {**os.environ, "STUDIO_EXIT_AFTER_SHOW": "1", "PYTHONUNBUFFERED": "1"}
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    plan = commands(args.script)
    results: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in plan}
    for i in range(args.warmup + args.runs):
        for name, argv, expect in plan:
            outcome = launch(argv, env, expect, args.timeout)
            if i >= args.warmup:
                results[name].append(outcome)
    rows = []
    for name, _, expect in plan:
        runs = results[name]
        key = "shown_s" if expect else "exit_s"
        times = [r[key] for r in runs]
        row: dict[str, Any] = {"command": name, "measures": "first window" if expect else "exit",
                               "median_s": _median(times), "min_s": round(min(times), 3), "max_s": round(max(times), 3)}
        if expect:
            row["exit_median_s"] = _median([r["exit_s"] for r in runs])
            flags = [r.get("torch_imported") for r in runs]
            row["torch_imported"] = None if all(f is None for f in flags) else any(bool(f) for f in flags)
        rows.append(row)
    studio = rows[-1]
    return {
        "benchmark": "cold_start",
        "runs": args.runs,
        "warmup_runs": args.warmup,
        "qt_platform": env.get("QT_QPA_PLATFORM", "default"),
        "goal_s": GOAL_S,
        "goal_met": studio["median_s"] <= GOAL_S,
        "studio_over_bare_window_s": round(studio["median_s"] - rows[2]["median_s"], 3),
        "commands": rows,
    }


if __name__ == "__main__":
    import json

    parser = argparse.ArgumentParser(description=DESCRIPTION)
    add_arguments(parser)
    print(json.dumps(run(parser.parse_args()), indent=2))
