"""The layering rules of STYLE.md, checked: the engine never imports Qt, the UI never torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE_MODULES = [
    "studio.engine", "studio.cli", "studio.core", "studio.io.samples", "studio.io.images",
    "studio.io.midi", "studio.io.project_file", "studio.io.recovery", "studio.meta.registry",
    "studio.progress", "studio.errors",
]


@pytest.mark.parametrize("module", ENGINE_MODULES)
def test_engine_module_does_not_import_pyside6(module: str) -> None:
    code = f"import sys, {module}; bad = [m for m in sys.modules if m.startswith('PySide6')]; print(bad); sys.exit(1 if bad else 0)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"{module} imports Qt: {result.stdout} {result.stderr}"


def test_engine_facade_does_not_import_torch_eagerly() -> None:
    """Cold start depends on torch being imported only when a model is needed."""
    code = "import sys, studio.engine, studio.cli; sys.exit(1 if 'torch' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    if not lint.exists():
        pytest.skip("import-linter is not installed in this environment")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
