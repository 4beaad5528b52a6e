"""The type checker over the engine facade and the UI: ``mypy`` with pyproject's ``[tool.mypy]``.

It fails (never skips) when mypy is missing: it is in the ``test`` extra, and a type checker
that silently stops running checks nothing.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".pytest_cache" / "mypy"


def test_mypy_is_installed():
    assert importlib.util.find_spec("mypy") is not None, (
        "mypy is missing: install the test extra (pip install -e '.[test]') to type-check the UI")


def test_engine_and_ui_type_check(tmp_path):
    assert importlib.util.find_spec("mypy") is not None, "mypy is missing (see test_mypy_is_installed)"
    # the files and settings come from pyproject.toml; the cache sits in pytest's ignored folder
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(CACHE)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"mypy found errors:\n{result.stdout}{result.stderr}"
    assert "studio/engine.py" in _checked_files(), "pyproject's [tool.mypy] files must name the engine"


def test_the_settings_are_not_toothless(tmp_path):
    """An unannotated slot is an error, and so is a type error inside it."""
    assert importlib.util.find_spec("mypy") is not None, "mypy is missing (see test_mypy_is_installed)"
    bad = tmp_path / "bad_slot.py"
    bad.write_text("def on_clicked(checked):\n    count: int = 'three'\n    return count\n")
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                             "--cache-dir", str(tmp_path / "cache"), str(bad)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bad_slot.py:1: error: Function is missing a type annotation" in result.stdout
    assert "bad_slot.py:2: error: Incompatible types in assignment" in result.stdout


def _checked_files() -> str:
    text = (ROOT / "pyproject.toml").read_text()
    start = text.index("[tool.mypy]")
    return text[start:text.index("\n[", start + 1)]
