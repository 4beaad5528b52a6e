"""studio.model_registry: the shipped models, the one models folder, and how names resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studio import model_registry
from studio.core.samples import Domain
from studio.model_registry import MODELS, MODELS_DIR, ModelInfo, default_model, model_stem

ROOT = Path(__file__).resolve().parent.parent


def test_a_bare_name_lives_in_the_models_folder_and_a_path_is_kept() -> None:
    assert model_stem("painting-reptile") == MODELS_DIR / "painting-reptile"
    assert model_stem("melody-tiny", Path("/tmp/models")) == Path("/tmp/models/melody-tiny")
    assert model_stem("runs/painting/best") == Path("runs/painting/best")
    assert model_stem(Path("/abs/m"), Path("/elsewhere")) == Path("/abs/m")


def test_every_registered_model_names_a_generator_module_and_its_files() -> None:
    for name, info in MODELS.items():
        assert info.name == name
        assert info.generator_module.startswith(f"studio.domains.{info.domain.value}.")
        assert info.weights_path == MODELS_DIR / f"{name}.safetensors"
        assert info.card_path == MODELS_DIR / f"{name}.json"
        assert info.methods


def test_default_model_is_the_first_installed_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(model_registry, "MODELS_DIR", tmp_path)
    assert default_model(Domain.MELODY) is None
    first = next(m for m in MODELS.values() if m.domain is Domain.MELODY)
    (tmp_path / f"{first.name}.safetensors").write_bytes(b"")
    (tmp_path / f"{first.name}.json").write_text("{}")
    assert default_model(Domain.MELODY) == first and isinstance(first, ModelInfo)


def test_no_other_module_names_the_models_folder() -> None:
    """One constant: a second copy drifts (a test that moves one misses the other)."""
    pattern = re.compile(r"""/\s*["']models["']""")
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "studio").rglob("*.py"))
                 if path.name != "model_registry.py" and pattern.search(path.read_text())]
    assert offenders == [], f"use studio.model_registry.MODELS_DIR / model_stem in {offenders}"


def test_no_other_module_repeats_the_bare_name_or_path_rule() -> None:
    """``model_stem`` decides where a model name points; a second copy of the rule drifts."""
    pattern = re.compile(r"""\.parent\s*[=!]=\s*Path\(["']\.["']\)""")
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "studio").rglob("*.py"))
                 if path.name != "model_registry.py" and pattern.search(path.read_text())]
    assert offenders == [], f"use studio.model_registry.model_stem in {offenders}"
