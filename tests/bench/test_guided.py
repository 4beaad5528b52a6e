"""bench guided's baselines (Reinhard et al. 2001 colour transfer, guided patch synthesis) and its
table; the whole benchmark and bench compositions run with --run-slow."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from studio.bench import compositions, guided
from studio.domains.painting.dataset import default_root
from studio.domains.painting.guided import guide_correlation

from tests.domains.painting.conftest import painting


def _photo() -> np.ndarray:
    y, x = np.mgrid[:64, :96]
    img = np.zeros((64, 96, 3), np.uint8)
    img[:] = (200, 220, 250)
    img[y > 30 + 6 * np.sin(x / 7)] = (40, 90, 30)
    return img


def test_lab_round_trip_and_reinhard_takes_the_samples_statistics():
    photo = _photo()
    back = guided._lab_to_rgb(guided._rgb_to_lab(photo))
    assert np.abs(back.astype(int) - photo).max() <= 2
    samples = [painting(i, (48, 64)) for i in range(2)]
    out = guided.reinhard_transfer(photo, samples)
    assert out.shape == photo.shape and guide_correlation(out, photo) > 0.9
    lab_out = guided._rgb_to_lab(out).reshape(-1, 3)
    lab_samples = np.concatenate([guided._rgb_to_lab(s).reshape(-1, 3) for s in samples])
    assert np.allclose(lab_out.mean(0), lab_samples.mean(0), atol=0.05)


def test_patch_synthesis_follows_the_guide_with_the_samples_patches():
    samples = [painting(i, (64, 80)) for i in range(2)]
    out = guided.patch_synthesis(_photo(), samples, seed=0, keys=2000)
    assert out.shape == (64, 96, 3) and out.dtype == np.uint8
    assert guide_correlation(out, _photo()) > 0.7
    assert np.array_equal(out, guided.patch_synthesis(_photo(), samples, seed=0, keys=2000))


def test_diversity_is_the_mean_pairwise_distance_within_each_guides_works():
    flat = np.full((32, 48, 3), 100, np.uint8)
    assert guided.diversity([flat, flat, flat, flat], 2, 32) == 0.0
    other = flat.copy()
    other[:, :24] = 200  # half the picture lighter by 100/255: opponent luminance differs by that much
    pair = guided.diversity([flat, other], 2, 32)
    assert abs(pair - np.sqrt(0.5) * 100 / 255) < 0.01
    # pairs are taken within groups only: two groups of identical works score 0
    assert guided.diversity([flat, flat, other, other], 2, 32) == 0.0
    assert guided.diversity([flat, other, flat, other], 2, 64) > 0.2


def test_tables_format():
    row = {"tasks": 1, "swd_ratio": 1.0, "swd_ratio_fine": 1.1, "swd_ratio_256": 1.0, "swd_ratio_128": 1.0,
           "swd_ratio_64": 1.2, "copy": 0.0, "seconds_per_work": 0.3,
           "diversity_32": 0.1234, "diversity_64": 0.2346}
    result = {"artists": ["degas"], "tasks_per_artist": 1, "guides_per_task": 2, "works_per_guide": 2,
              "closeness": 0.6, "threads": 2, "timing": {"first_guided_256_s": 0.5, "render_1024_s": 8.0, "runs": 3},
              "rows": [{"row": "guided", "guide_corr": 0.9, "guide_corr_min": 0.8, **row}, {"row": "unguided", **row}]}
    table = guided.format_table(result)
    assert "guided" in table and "0.90" in table and "1024-px render: 8.00 s" in table
    assert "div32" in table and "0.123" in table and "0.235" in table
    crow = {"sets": 8, "crop_share": 0.12, "crop_share_range": [0.06, 0.19], "crop_median": 0.5, "swd_ratio": 1.0,
            "swd_ratio_16": 1.0, "swd_ratio_32": 1.0, "copy": 0.0, "diversity": 1.1, "seconds": 5.0}
    text = compositions.format_table({"artists": ["degas"], "tasks_per_artist": 4, "works_per_row": 16,
                                      "composition": 0.25, "threads": 1, "rows": [{"row": "library", **crow}]})
    assert "12%" in text and "6%-19%" in text


@pytest.mark.slow
@pytest.mark.skipif(not (default_root().parent / "photos").is_dir(), reason="needs ../shared/data")
@pytest.mark.parametrize("module", [guided, compositions])
def test_the_quick_runs(module):
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    args = parser.parse_args(["--quick", "--artists", "degas", "--threads", "1"])
    result = module.run(args)
    assert result["rows"] and result["table"]
