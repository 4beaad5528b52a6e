"""Adapt's task calibrates the melody density at the end of the adaptation, so the gallery that
follows it samples at once (issue 19: 12 melodies over chords within 1 s after adaptation)."""

from __future__ import annotations

from pathlib import Path

import pytest

import studio.domains.melody.generator as generator_module
from studio import engine
from studio.domains.base import AdaptConfig
from studio.domains.melody.generator import MelodyGenerator, MelodyParams
from studio.progress import RecordingProgress
from studio.ui.generation_tasks import Tagged, adapt_task
from tests.domains.melody.conftest import TINY_NAME, as_sample, tiny_models, tune  # noqa: F401 (fixture)


def test_the_gallery_after_adapting_finds_its_density_calibration(tiny_models: Path, monkeypatch) -> None:  # noqa: F811
    gen = MelodyGenerator(TINY_NAME, tiny_models, threads=1)
    monkeypatch.setattr(engine, "generator_for", lambda domain: gen)
    calibrations: list[int] = []
    real = generator_module.calibrate_density
    monkeypatch.setattr(generator_module, "calibrate_density",
                        lambda *a, **k: calibrations.append(1) or real(*a, **k))
    during: dict[str, int] = {}
    generate = gen.generate

    def counted(adapted, *args, **kwargs):
        before = len(calibrations)
        works = generate(adapted, *args, **kwargs)
        during[adapted.method] = len(calibrations) - before
        return works

    monkeypatch.setattr(gen, "generate", counted)
    samples = [as_sample(tune(seed, bars=4), f"clip{seed}") for seed in (1, 2, 3)]
    progress = RecordingProgress()
    outcome = adapt_task(samples, AdaptConfig(method="reptile", steps=2), MelodyParams(bars=3), 3, 7,
                         frozenset(), progress)
    assert len(outcome.works) == 3 and outcome.model is not None and outcome.model.method == "reptile"
    assert during == {"instant": 1, "reptile": 0}  # the adapted gallery's calibration was made before it
    assert len(calibrations) == 2
    assert any(isinstance(p, Tagged) and p.kind == "adapted" for p in progress.partials)
