"""The GUI entry point: first window timing line, arguments, and no torch at cold start."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from studio.ui.app import no_display_problem, parse_args

ROOT = Path(__file__).resolve().parents[2]


def test_exit_after_show_reports_the_first_window_without_torch(tmp_path):
    env = dict(os.environ, STUDIO_EXIT_AFTER_SHOW="1", STUDIO_T0=repr(time.time()), QT_QPA_PLATFORM="offscreen")
    code = "import sys; from studio.ui.app import main; sys.exit(main(['studio', '--no-demo']))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    match = re.search(r"^first-window-shown (\d+\.\d+) torch-imported=(True|False)$", result.stdout, re.M)
    assert match, result.stdout
    assert match.group(2) == "False" and 0 < float(match.group(1)) < 30


def test_arguments():
    args = parse_args(["--no-demo", "work.mcs"])
    assert args.no_demo and args.project == "work.mcs"
    assert parse_args([]).project is None


def test_without_a_display_the_gui_says_so_instead_of_letting_qt_abort():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "main.py", "--no-demo"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1 and "no display" in result.stderr, result.stderr
    assert no_display_problem({"DISPLAY": ":0"}, []) is None
    assert no_display_problem({"QT_QPA_PLATFORM": "offscreen"}, []) is None
    assert no_display_problem({}, ["studio", "-platform", "offscreen"]) is None
