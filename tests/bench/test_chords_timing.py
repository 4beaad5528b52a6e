"""``bench chords --timing-only``: the timing of galleries over chords after adaptation as the
studio runs them (the calibration at the adaptation's end, then the gallery), with the tiny
test model so it runs anywhere."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import pytest

import studio.domains.melody.generator as generator_module
from studio.bench import chords as bench
from studio.core.chord_text import parse_chords
from studio.domains.melody.generator import MelodyGenerator
from tests.domains.melody.conftest import TINY_NAME, tiny_models, tune  # noqa: F401 (fixture)


def test_timing_calibrates_at_the_adaptations_end_not_in_the_first_gallery(tiny_models: Path,  # noqa: F811
                                                                           monkeypatch) -> None:
    gen = MelodyGenerator(TINY_NAME, tiny_models, threads=1)
    chords = parse_chords("D | G | A7 | D | D | G | A7 | D", 96)
    songs = [replace(tune(seed, bars=bench.PHRASE_BARS), chords=chords) for seed in range(bench.SUPPORT + 1)]
    calls: list[int] = []
    real = generator_module.calibrate_density
    monkeypatch.setattr(generator_module, "calibrate_density", lambda *a, **k: calls.append(1) or real(*a, **k))
    result = bench.timing(gen, songs, 1, 0)
    assert set(result["median_seconds"]) == {"adapt", "calibrate_at_adaptation_end", "first_over_chords",
                                             "next_over_chords", "first_without_chords", "cold_first_over_chords",
                                             "cold_first_without_chords"}
    assert all(len(v) == 1 for v in result["seconds"].values())
    assert result["one_calibration_serves_without_chords"] is True
    # the warm-up gallery, then in the run: the adaptation's end and the two cold galleries; none in the
    # first, next and chordless galleries after the adaptation
    assert len(calls) == 1 + 3


@pytest.mark.slow
@pytest.mark.skipif(not Path("../shared/data/leadsheets").is_dir(), reason="the lead sheets are not on this machine")
def test_the_timing_only_command_reports_the_goal() -> None:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    result = bench.run(parser.parse_args(["--timing-only", "--timing-runs", "1"]))
    assert "median_12_over_chords_under_1_s" in result["goals"] and "overall" not in result
