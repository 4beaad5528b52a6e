"""The generator protocols of studio.domains.base: both shipped generators fulfil everything the
engine calls on them, and each has exactly its domain's optional operations."""

from __future__ import annotations

import importlib.util
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.domains.base import CanvasEditor, ClipEditor, Generator
from studio.domains.melody.generator import MelodyGenerator
from studio.domains.painting.generator import PaintingGenerator

ROOT = Path(__file__).resolve().parents[2]
GENERATORS = {"melody": (MelodyGenerator, ClipEditor), "painting": (PaintingGenerator, CanvasEditor)}


def _protocol_methods(protocol: type) -> list[str]:
    return [name for name, value in vars(protocol).items() if inspect.isfunction(value) and not name.startswith("_")]


def _assert_accepts_the_protocols_calls(cls: type, protocol: type) -> None:
    """Each protocol method exists on ``cls`` with the same parameters in the same order and kind;
    parameters ``cls`` adds come after them and have defaults, so every call the engine makes fits."""
    for name in _protocol_methods(protocol):
        assert callable(getattr(cls, name, None)), f"{cls.__name__} lacks {name}"
        wanted = list(inspect.signature(getattr(protocol, name)).parameters.values())
        given = list(inspect.signature(getattr(cls, name)).parameters.values())
        assert [(p.name, p.kind) for p in given[:len(wanted)]] == [(p.name, p.kind) for p in wanted], (
            f"{cls.__name__}.{name} takes {given}, the protocol {wanted}")
        for have, want in zip(given, wanted):
            if want.default is not inspect.Parameter.empty:
                assert have.default == want.default, f"{cls.__name__}.{name}: default of {have.name} differs"
        extra = given[len(wanted):]
        assert all(p.default is not inspect.Parameter.empty or p.kind is p.VAR_KEYWORD for p in extra), (
            f"{cls.__name__}.{name} adds parameters without defaults: {extra}")


@pytest.mark.parametrize("domain", GENERATORS)
def test_each_generator_accepts_every_call_of_the_generator_protocol(domain: str) -> None:
    cls, editor = GENERATORS[domain]
    _assert_accepts_the_protocols_calls(cls, Generator)
    _assert_accepts_the_protocols_calls(cls, editor)
    assert set(_protocol_methods(Generator)) >= {"instant", "adapt", "more_like_these", "generate", "vary", "blend"}


def test_each_domain_has_exactly_its_own_optional_operations() -> None:
    assert issubclass(MelodyGenerator, ClipEditor) and not issubclass(MelodyGenerator, CanvasEditor)
    assert issubclass(PaintingGenerator, CanvasEditor) and not issubclass(PaintingGenerator, ClipEditor)


CONFORMANCE = '''
from studio.domains.base import CanvasEditor, ClipEditor, Generator
from studio.domains.melody.generator import MelodyGenerator
from studio.domains.painting.generator import PaintingGenerator


def check(melody: MelodyGenerator, painting: PaintingGenerator) -> None:
    a: Generator = melody
    b: ClipEditor = melody
    c: Generator = painting
    d: CanvasEditor = painting
'''


def test_the_generators_type_check_against_the_protocols(tmp_path: Path) -> None:
    """Statically, attributes and argument types included (mypy; torch and the rest are skipped)."""
    if importlib.util.find_spec("mypy") is None:
        pytest.fail("mypy is not installed: install the test extra (.venv/bin/pip install -e '.[test]')")
    check = tmp_path / "conformance.py"
    check.write_text(CONFORMANCE)
    sources = ["studio/domains/base.py", "studio/domains/melody/generator.py", "studio/domains/painting/generator.py"]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=skip", "--config-file", os.devnull,
         "--cache-dir", str(tmp_path / "cache"), str(check), *sources],
        cwd=ROOT, capture_output=True, text=True)
    ours = [line for line in result.stdout.splitlines() if line.startswith(str(check))]
    assert not ours, "\n".join(ours)
    assert "error: Cannot find" not in result.stdout + result.stderr
