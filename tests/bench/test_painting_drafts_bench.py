"""``bench painting_drafts``: its table, and (slow) a quick run on tiny pool folders built here: the
fit on a training pool, the measure on held-out pools, every row and feature."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import pytest

from studio.bench import painting_drafts as bench
from studio.errors import StudioError
from studio.taste.pools import load_pool, save_pool
from tests.bench.test_taste_bench import painting_pool


def parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_the_table_reads_every_feature_and_choice() -> None:
    cell = [0.5, 0.02]
    result = {"drafts": 36, "fit_pools": ["painting:monet#0"], "heldout_pools": ["painting:degas#0"], "people": 6,
              "chooser": "rl2", "features": [{"feature": "busyness", "corr": 0.93, "shift_sd": 1.17,
                                              "shift_sd_calibrated": 0.05, "mad_sd": 1.23, "mad_sd_calibrated": 0.32}],
              "summary": {"liked_finished": cell, "liked_drafts": [0.48, 0.02], "liked_calibrated": [0.49, 0.02],
                          "liked_drafts_minus_finished": [-0.02, 0.009], "liked_calibrated_minus_finished": [-0.01, 0.008],
                          "overlap_drafts": [0.85, 0.01], "overlap_calibrated": [0.88, 0.01],
                          "utility_rho": [0.85, 0.01], "utility_rho_calibrated": [0.93, 0.01]}}
    text = bench.format_table(result)
    assert "| busyness | 0.930 | +1.17 | +0.05 | 1.23 | 0.32 |" in text
    assert "| calibrated drafts | 0.490 ±0.020 | -0.010 ±0.008 | 0.88 | 0.930 |" in text


@pytest.fixture(scope="module")
def painting_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("painting_drafts")
    painting_pool(root, "painting:tiny#0", 1)
    return root


def test_without_training_pools_it_says_how_to_build_them(tmp_path: Path) -> None:
    painting_pool(tmp_path, "painting:tiny#0", 1)
    with pytest.raises(StudioError, match="prepare-taste"):
        bench.run(parsed("--quick", "--root", str(tmp_path), "--quiet"))


@pytest.mark.slow
def test_a_quick_run_fits_on_training_pools_and_measures_on_held_out_ones(painting_root: Path) -> None:
    trained = painting_pool(painting_root, "painting:other#0", 3)
    folder = painting_root / "painting" / "painting_other_0"
    save_pool(replace(load_pool(folder), split="train"), painting_root)
    assert trained.collection == "painting:other#0"
    result = bench.run(parsed("--quick", "--root", str(painting_root), "--quiet"))
    assert result["fit_pools"] == ["painting:other#0"] and result["heldout_pools"] == ["painting:tiny#0"]
    assert result["people"] == 2 and len(result["features"]) == 13
    for key in ("liked_finished", "liked_drafts", "liked_calibrated"):
        assert 0.0 <= result["summary"][key][0] <= 1.0
    assert "written" not in result and any("calibrated drafts" in line for line in result["table"])
