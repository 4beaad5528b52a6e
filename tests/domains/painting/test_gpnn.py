"""Tests for GPNN-style patch nearest-neighbour generation on tiny images."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from studio.domains.painting.gpnn import GPNNConfig, PatchSource, describe, gpnn_generate
from studio.errors import Cancelled
from studio.progress import RecordingProgress

TINY = GPNNConfig(coarse_side=12, iterations=3)


def painting(seed: int, size: tuple[int, int] = (40, 48)) -> np.ndarray:
    """A tiny 'painting': two colour fields with a random diagonal border and some grain."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[: size[0], : size[1]]
    left = (x + rng.uniform(0.3, 0.7) * y) < size[1] * rng.uniform(0.4, 0.6)
    img = np.where(left[..., None], [210, 180, 60], [40, 70, 150]).astype(float)
    img += rng.normal(0, 6, size + (3,))
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


SAMPLES = [painting(0), painting(1, (36, 52))]


def test_output_shape_and_type():
    out = gpnn_generate(SAMPLES, (33, 45), seed=0, config=TINY)
    assert out.shape == (33, 45, 3) and out.dtype == np.uint8 and out.flags.c_contiguous


def test_same_seed_same_work_other_seed_other_work():
    a = gpnn_generate(SAMPLES, (40, 48), seed=3, config=TINY)
    b = gpnn_generate(SAMPLES, (40, 48), seed=3, config=TINY)
    c = gpnn_generate(SAMPLES, (40, 48), seed=4, config=TINY)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_patch_source_reuses_its_tables_and_matches_the_shortcut():
    source = PatchSource(SAMPLES, TINY)
    first = source.generate((40, 48), seed=1, init=0)
    tables = len(source._levels)
    again = source.generate((40, 48), seed=1, init=0)
    assert np.array_equal(first, again) and len(source._levels) == tables
    assert np.array_equal(first, gpnn_generate(SAMPLES, (40, 48), seed=1, config=TINY, init=0))


def test_patchmatch_levels_work_and_are_deterministic():
    config = replace(TINY, exact_pairs=0, fine_iterations=2)  # every level after the first
    a = gpnn_generate(SAMPLES, (40, 48), seed=5, config=config)
    b = gpnn_generate(SAMPLES, (40, 48), seed=5, config=config)
    assert np.array_equal(a, b)
    assert a.shape == (40, 48, 3)


@pytest.mark.parametrize("pca_dims", [0, 8])
def test_works_are_made_of_the_samples_colours(pca_dims):
    out = gpnn_generate(SAMPLES, (40, 48), seed=2, config=replace(TINY, pca_dims=pca_dims)).astype(float)
    yellow, blue = np.array([210, 180, 60]), np.array([40, 70, 150])
    near = np.minimum(np.abs(out - yellow).max(-1), np.abs(out - blue).max(-1))
    assert np.mean(near < 40) > 0.8  # mostly the two fields, mixes only along borders


def test_single_sample_and_other_aspect_ratio():
    out = gpnn_generate([painting(7)], (30, 70), seed=0, config=TINY)
    assert out.shape == (30, 70, 3)


def test_a_sample_too_small_for_the_coarse_levels_is_used_only_where_it_fits():
    small = painting(9, (10, 12))
    config = replace(TINY, alpha=0.0)
    for samples, init in (([small, SAMPLES[0]], 1), ([SAMPLES[0], small], 0)):
        out = gpnn_generate(samples, (40, 48), seed=0, config=config, init=init)
        assert out.shape == (40, 48, 3)
    with pytest.raises(ValueError):
        gpnn_generate([small], (40, 48), seed=0, config=config)


def test_cancel_between_levels():
    progress = RecordingProgress()
    progress.request_stop()
    with pytest.raises(Cancelled):
        gpnn_generate(SAMPLES, (40, 48), seed=0, config=TINY, progress=progress)


def test_progress_is_reported_per_level():
    progress = RecordingProgress()
    gpnn_generate(SAMPLES, (40, 48), seed=0, config=TINY, progress=progress)
    assert progress.fractions[-1] == pytest.approx(1.0)
    assert progress.fractions == sorted(progress.fractions)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        gpnn_generate([], (40, 48), seed=0)
    with pytest.raises(ValueError):
        gpnn_generate(SAMPLES, (5, 48), seed=0, config=TINY)
    with pytest.raises(ValueError):
        gpnn_generate(SAMPLES, (40, 48), seed=0, config=TINY, init=2)
    with pytest.raises(ValueError):
        gpnn_generate([np.zeros((40, 48), np.uint8)], (40, 48), seed=0, config=TINY)


def test_describe_names_the_settings():
    assert "alpha 0.005" in describe()
