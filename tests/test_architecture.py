"""The layering rules of STYLE.md, checked: the import-linter contracts in ``pyproject.toml``
hold (the layers, no Qt in the engine, no torch in the core or the UI), and each one would
catch a module that broke it. import-linter is in the ``test`` extra: without it these tests
fail rather than skip, so a missing linter never reads as a kept contract."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
ENGINE_MODULES = [
    "studio.engine", "studio.cli", "studio.core", "studio.io.samples", "studio.io.images",
    "studio.io.midi", "studio.io.project_file", "studio.io.recovery", "studio.meta.registry",
    "studio.progress", "studio.errors", "studio.model_registry",
]


def _lint_imports() -> str:
    """The ``lint-imports`` command of this environment; fails the test when it is missing."""
    lint = Path(sys.executable).parent / "lint-imports"
    if not lint.exists():
        found = shutil.which("lint-imports")
        if found is None:
            pytest.fail("import-linter is not installed: the layer rules went unchecked; "
                        "install the test extra (.venv/bin/pip install -e '.[test]')")
        return found
    return str(lint)


def _contracts() -> list[dict]:
    return tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]


def test_a_missing_linter_fails_the_suite_rather_than_skipping(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="import-linter is not installed"):
        _lint_imports()


def test_import_linter_contracts_hold() -> None:
    result = subprocess.run([_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_layers_contract_names_every_package_from_ui_down_to_errors() -> None:
    layers = [c for c in _contracts() if c["type"] == "layers"]
    assert len(layers) == 1
    contract = layers[0]
    assert contract["containers"] == ["studio"] and contract["exhaustive"] is True
    rows = [[name.strip() for name in row.replace(":", "|").split("|")] for row in contract["layers"]]
    depth = {name: i for i, row in enumerate(rows) for name in row}
    order = ["ui", "engine", "domains", "meta", "core", "errors"]
    assert [depth[name] for name in order] == sorted(depth[name] for name in order)
    assert len({depth[name] for name in order}) == len(order)  # each strictly above the next
    assert depth["meta"] == depth["io"]  # independent siblings


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the ``studio`` package and ``pyproject.toml`` with ``line`` added to ``module``."""
    shutil.copytree(ROOT / "studio", tmp_path / "studio",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    path = tmp_path / Path(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    path.write_text(path.read_text() + f"\n{line}\n")
    return tmp_path


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("studio.core.samples", "import studio.engine", "Each layer imports only the layers below it"),
    ("studio.io.midi", "import studio.meta.registry", "Each layer imports only the layers below it"),
    ("studio.domains.base", "import studio.engine", "Each layer imports only the layers below it"),
    ("studio.errors", "import studio.core", "Each layer imports only the layers below it"),
    ("studio.meta.registry", "import PySide6.QtCore", "The engine never imports Qt"),
    ("studio.core.melody", "import torch", "Core domain objects import neither Qt nor torch"),
    ("studio.ui.app", "import torch", "The UI reaches torch only through the engine"),
    ("studio.ui.app", "import studio.domains.painting.generator",
     "The front ends reach generators, networks and training only through the engine"),
])
def test_each_contract_catches_a_module_that_breaks_it(tmp_path: Path, module: str, line: str,
                                                       contract: str) -> None:
    copy = _copy_with(tmp_path, module, line)
    result = subprocess.run([_lint_imports(), "--no-cache"], cwd=copy, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken and module in broken, result.stdout


def test_a_new_top_level_module_must_be_placed_in_a_layer(tmp_path: Path) -> None:
    copy = _copy_with(tmp_path, "studio.errors", "")
    (copy / "studio" / "stray.py").write_text('"""A module no layer names."""\n')
    result = subprocess.run([_lint_imports(), "--no-cache"], cwd=copy, capture_output=True, text=True)
    assert result.returncode != 0 and "studio.stray" in result.stdout + result.stderr


@pytest.mark.parametrize("module", ENGINE_MODULES)
def test_engine_module_does_not_import_pyside6(module: str) -> None:
    code = f"import sys, {module}; bad = [m for m in sys.modules if m.startswith('PySide6')]; print(bad); sys.exit(1 if bad else 0)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"{module} imports Qt: {result.stdout} {result.stderr}"


def test_engine_facade_does_not_import_torch_eagerly() -> None:
    """Cold start depends on torch being imported only when a model is needed."""
    code = "import sys, studio.engine, studio.cli; sys.exit(1 if 'torch' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
