"""Generators import no training module (nanoGPT's split): painting with a stored model loads its
weights (``weights``), adapts at run time (``adaptation``, ``studio.meta.loop``), and never pulls
in the trainer, its data sets or its command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

TRAINING_MODULES = {
    "studio.domains.painting.train", "studio.domains.painting.train_cli", "studio.domains.painting.dataset",
    "studio.domains.melody.train", "studio.domains.melody.train_cli",
    "studio.domains.melody.corpus", "studio.domains.melody.corpus_music21", "studio.meta.trainer",
    "studio.meta.algorithms",
}


def _imported_by(module: str) -> set[str]:
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("module", ["studio.domains.painting.generator", "studio.domains.melody.generator"])
def test_a_generator_imports_no_training_module(module: str):
    loaded = _imported_by(module)
    assert module in loaded
    assert not loaded & TRAINING_MODULES, sorted(loaded & TRAINING_MODULES)


def test_the_training_modules_exist_where_the_test_looks():
    """The list above names real modules (a rename would make the test pass vacuously)."""
    loaded = _imported_by("studio.domains.painting.train_cli, studio.domains.melody.train_cli")
    assert TRAINING_MODULES - {"studio.domains.melody.corpus_music21"} <= loaded
