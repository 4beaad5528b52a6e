"""The density calibration (issue 19's first gallery within 1 s): done at the end of an
adaptation (``MelodyGenerator.prepare``), remembered for what it depends on only (not the chords,
the scale lock or the density control), stoppable, and estimated from one batch of pilots."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import studio.domains.melody.generator as generator_module
from studio import engine
from studio.core.chord_text import parse_chords
from studio.domains.base import AdaptConfig
from studio.domains.melody.generator import MelodyGenerator, MelodyParams
from studio.domains.melody.representation import bar_ticks
from studio.progress import RecordingProgress

from .conftest import TINY_NAME


@pytest.fixture()
def gen(tiny_models: Path) -> MelodyGenerator:
    return MelodyGenerator(TINY_NAME, tiny_models, threads=1)


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the generator's density calibrations (the pilot melodies)."""
    counted: list[int] = []
    real = generator_module.calibrate_density
    monkeypatch.setattr(generator_module, "calibrate_density", lambda *a, **k: counted.append(1) or real(*a, **k))
    return counted


def test_the_first_gallery_after_adaptation_reuses_the_calibration_made_at_its_end(gen, samples, calls) -> None:
    adapted = gen.adapt(samples, AdaptConfig(steps=2, seed=0))
    params = MelodyParams(bars=3, temperature=0.9)
    assert gen.prepare(adapted, samples, params) is True
    assert len(calls) == 1
    first = gen.generate(adapted, samples, params, 2, seed=1)
    assert len(calls) == 1  # the first gallery found it
    gen.forget_calibrations()  # the same works as a gallery that calibrated itself
    again = gen.generate(adapted, samples, params, 2, seed=1)
    assert len(calls) == 2 and [w.melody for w in first] == [w.melody for w in again]


def test_chords_the_scale_lock_and_density_share_one_calibration(gen, samples, calls) -> None:
    adapted = gen.adapt(samples, AdaptConfig(steps=2, seed=0))
    params = MelodyParams(bars=4)
    gen.prepare(adapted, samples, params)
    chords = parse_chords("D | G | A7 | D", bar_ticks((4, 4)))  # in the samples' key (D major)
    for other in (replace(params, chords=chords), replace(params, scale_lock=True), replace(params, density=0.6),
                  replace(params, chords=chords, scale_lock=True, density=-0.4)):
        works = gen.generate(adapted, samples, other, 1, seed=2)
        assert works and works[0].provenance["density_calibration"] == \
            gen.generate(adapted, samples, params, 1, seed=2)[0].provenance["density_calibration"]
    assert len(calls) == 1
    gen.generate(adapted, samples, replace(params, bars=6), 1, seed=2)  # another length: its own pilots
    gen.generate(adapted, samples, replace(params, temperature=1.3), 1, seed=2)  # other pilots' controls
    assert len(calls) == 3


def test_a_stopped_preparation_keeps_nothing(gen, samples, calls) -> None:
    adapted = gen.adapt(samples, AdaptConfig(steps=2, seed=0))
    params = MelodyParams(bars=3)
    stop = RecordingProgress()
    stop.request_stop()
    assert gen.prepare(adapted, samples, params, stop) is False
    assert not stop.messages  # the pilots report nothing to the adaptation's progress
    works = gen.generate(adapted, samples, params, 2, seed=4)
    assert len(calls) == 2  # the gallery calibrated for itself
    gen.forget_calibrations()
    assert [w.melody for w in gen.generate(adapted, samples, params, 2, seed=4)] == [w.melody for w in works]


def test_engine_prepare_gallery_calls_the_generator_and_skips_one_without(gen, samples, calls, monkeypatch) -> None:
    adapted = gen.adapt(samples, AdaptConfig(steps=2, seed=0))
    monkeypatch.setattr(engine, "generator_for", lambda domain: gen)
    engine.prepare_gallery(adapted, samples, MelodyParams(bars=3))
    assert len(calls) == 1
    monkeypatch.setattr(engine, "generator_for", lambda domain: object())  # e.g. paintings: nothing to do
    engine.prepare_gallery(adapted, samples, MelodyParams(bars=3))
    assert len(calls) == 1


def test_the_calibration_samples_one_batch_of_pilots(gen, samples, monkeypatch) -> None:
    from studio.domains.melody import sampling

    batches: list[int] = []
    real = sampling.sample_sequences
    monkeypatch.setattr(sampling, "sample_sequences", lambda m, f, plans, *a, **k: batches.append(len(plans)) or
                        real(m, f, plans, *a, **k))
    adapted = gen.adapt(samples, AdaptConfig(steps=2, seed=0))
    gen.prepare(adapted, samples, MelodyParams(bars=3))
    assert batches == [sampling.CALIBRATION_PILOTS]
