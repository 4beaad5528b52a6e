"""Tests for the painting metrics: Laplacian SWD and its ratio, diversity, copying, contact sheets."""

from __future__ import annotations

import numpy as np
import pytest

from studio.domains.painting import metrics

SIDE = 64  # tiny working resolution: levels 64, 32, 16
FAST = {"long_side": SIDE, "patches": 512}


def stripes(seed: int, size: tuple[int, int] = (48, 64), period: float = 8.0,
            colours=((200, 60, 40), (30, 40, 160))) -> np.ndarray:
    """Diagonal stripes between two colours with a random phase and a little noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[: size[0], : size[1]]
    wave = 0.5 + 0.5 * np.sin(2 * np.pi * (x + y + rng.uniform(0, period)) / period)
    a, b = np.array(colours[0], float), np.array(colours[1], float)
    img = a * wave[..., None] + b * (1 - wave[..., None]) + rng.normal(0, 4, size + (3,))
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def blobs(seed: int, size: tuple[int, int] = (48, 64)) -> np.ndarray:
    """Smooth random colour blobs: a texture unlike the stripes."""
    rng = np.random.default_rng(seed)
    small = rng.uniform(0, 255, (6, 8, 3)).astype(np.uint8)
    return metrics.resize_rgb(small, size)


def noise(seed: int, size: tuple[int, int] = (48, 64)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size + (3,), dtype=np.uint8)


def shifted(img: np.ndarray, delta: tuple[int, int, int]) -> np.ndarray:
    return np.clip(img.astype(int) + np.array(delta), 0, 255).astype(np.uint8)


def test_pyramid_levels_halve_down_to_16_px():
    assert metrics.pyramid_levels(256) == (256, 128, 64, 32, 16)
    assert metrics.pyramid_levels(64) == (64, 32, 16)
    with pytest.raises(ValueError):
        metrics.pyramid_levels(8)


def test_laplacian_pyramid_shapes_and_flat_image():
    levels = metrics.laplacian_pyramid(stripes(0, (45, 61)), 3)
    assert [lv.shape for lv in levels] == [(3, 45, 61), (3, 23, 31), (3, 12, 16)]
    flat = np.full((32, 32, 3), 90, np.uint8)
    pyramid = metrics.laplacian_pyramid(flat, 3)
    assert np.allclose(pyramid[0], 0, atol=1e-3) and np.allclose(pyramid[1], 0, atol=1e-3)
    assert np.allclose(pyramid[-1], 90, atol=1e-3)  # the residual keeps the colour


def test_laplacian_pyramid_collapses_back_to_the_image():
    image = stripes(3, (45, 61))
    restored = metrics.collapse_pyramid(metrics.laplacian_pyramid(image, 4))
    assert np.allclose(restored, image, atol=1e-3)


def test_sliced_wasserstein_of_identical_descriptors_is_zero():
    desc = np.random.default_rng(0).normal(size=(256, 147)).astype(np.float32)
    dirs = np.random.default_rng(1).normal(size=(2, 147, 8)).astype(np.float32)
    assert metrics.sliced_wasserstein(desc, desc, dirs) == 0.0
    with pytest.raises(ValueError):
        metrics.sliced_wasserstein(desc, desc[:10], dirs)


def test_swd_of_a_set_with_itself_is_small_and_grows_with_a_colour_shift():
    images = [stripes(s) for s in range(4)]
    same = metrics.swd(images, images, **FAST).mean
    small_shift = metrics.swd([shifted(i, (20, 0, -20)) for i in images], images, **FAST).mean
    big_shift = metrics.swd([shifted(i, (60, 0, -60)) for i in images], images, **FAST).mean
    assert same < 0.25 * small_shift
    assert small_shift < big_shift


def test_per_set_normalisation_is_blind_to_a_colour_shift_but_the_default_is_not():
    images = [stripes(s) for s in range(4)]
    moved = [shifted(i, (30, 30, 30)) for i in images]
    ours = metrics.swd(moved, images, **FAST).at(16)
    progan = metrics.swd(moved, images, normalize="per_set", **FAST).at(16)
    same = metrics.swd(images, images, **FAST).at(16)
    assert progan < 2 * same < ours
    with pytest.raises(ValueError):
        metrics.swd(images, images, normalize="bogus", **FAST)


def test_swd_ratio_orders_textures():
    samples = [stripes(s) for s in range(3)]
    reference = [stripes(s) for s in range(10, 16)]
    similar = metrics.swd_ratio([stripes(s) for s in range(20, 26)], reference, samples, **FAST)
    unlike = metrics.swd_ratio([blobs(s) for s in range(6)], reference, samples, **FAST)
    assert similar.overall < 1.5 < unlike.overall
    assert len(similar.per_level) == len(similar.levels) == 3
    assert similar.at(16) == similar.per_level[-1]


def test_images_of_other_aspect_ratios_and_sizes_are_accepted():
    images = [stripes(0, (30, 80)), stripes(1, (80, 20)), stripes(2, (100, 150)), stripes(3, (5, 40))]
    result = metrics.swd(images, [stripes(s) for s in range(4)], **FAST)
    assert all(np.isfinite(result.values))
    assert metrics.working_image(stripes(0, (100, 150)), 64).shape == (43, 64, 3)
    assert metrics.working_image(stripes(0, (30, 40)), 64).shape == (30, 40, 3)  # never enlarged


def test_copy_score_is_one_for_copies_and_about_zero_for_noise():
    samples = [stripes(0), stripes(1)]
    assert metrics.copy_score(samples, samples, per_image=64, long_side=SIDE) == 1.0
    crop = [np.ascontiguousarray(samples[0][5:40, 10:50])]
    assert metrics.copy_score(crop, samples, per_image=64, long_side=SIDE) == 1.0
    assert metrics.copy_score([noise(5), noise(6)], [noise(7), noise(8)], per_image=64, long_side=SIDE) == 0.0


def test_copy_score_tolerates_only_tiny_differences():
    sample = stripes(0)
    jitter = np.random.default_rng(0).integers(-1, 2, sample.shape)
    slightly = np.clip(sample.astype(int) + jitter, 0, 255).astype(np.uint8)
    assert metrics.copy_score([slightly], [sample], per_image=64, long_side=SIDE) == 1.0
    assert metrics.copy_score([shifted(sample, (8, 8, 8))], [sample], per_image=64, long_side=SIDE) == 0.0


def test_copied_plain_patches_are_told_apart_from_copied_texture():
    textured = noise(3)
    plain = np.full_like(textured, 120)
    half = textured.copy()
    half[:, : half.shape[1] // 2] = 120  # left half blank "paper", right half texture
    other = noise(4)  # a sample that shares the blank colour but none of the texture
    other[:, : other.shape[1] // 2] = 120
    assert metrics.copy_scores([textured], [textured], long_side=SIDE) == (1.0, 1.0)
    assert metrics.copy_scores([plain], [plain], long_side=SIDE) == (1.0, 0.0)
    copy, copied_texture = metrics.copy_scores([half], [other], long_side=SIDE)
    assert 0.2 < copy < 0.6 and copied_texture == 0.0  # only the blank half repeats the sample
    contrast = metrics.patch_contrast([half], long_side=SIDE)
    rms = metrics.nearest_patch_rms([half], [other], long_side=SIDE)
    assert len(contrast) == len(rms) and np.all(contrast[rms < metrics.COPY_TOLERANCE] < 1.0)  # same patches


def test_singan_diversity_is_zero_for_identical_works_and_near_one_for_independent_ones():
    samples = [noise(0)]
    assert metrics.singan_diversity([noise(1)] * 3, samples) == pytest.approx(0.0, abs=1e-9)
    assert 0.8 < metrics.singan_diversity([noise(s) for s in range(1, 9)], samples) < 1.1
    with pytest.raises(ValueError):
        metrics.singan_diversity([noise(1)], samples)


def test_mean_pairwise_distance():
    assert metrics.mean_pairwise_distance([stripes(0)] * 3) == 0.0
    black, white = np.zeros((8, 8, 3), np.uint8), np.full((8, 8, 3), 255, np.uint8)
    assert metrics.mean_pairwise_distance([black, white]) == pytest.approx(1.0)
    assert metrics.mean_pairwise_distance([black, white, black]) == pytest.approx(2 / 3)


def test_float_images_are_accepted_and_bad_ones_refused():
    img = stripes(0)
    assert np.array_equal(metrics.working_image(img.astype(np.float32) / 255.0), img)
    with pytest.raises(ValueError):
        metrics.working_image(np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError):
        metrics.swd([], [img])


def test_contact_sheet_lays_out_labelled_rows():
    sheet = metrics.contact_sheet([("samples", [stripes(0), stripes(1, (80, 20))]),
                                   ("generated works with a long label", [blobs(s) for s in range(3)])],
                                  thumb=32)
    assert sheet.dtype == np.uint8 and sheet.ndim == 3
    assert sheet.shape[0] == 2 * (32 + 4) + 4
    assert sheet.shape[1] == 48 + 3 * (32 + 4) + 4
    with pytest.raises(ValueError):
        metrics.contact_sheet([])


def test_the_nearest_patch_search_reads_should_stop_every_chunk_and_raises_cancelled():
    from studio.errors import Cancelled

    works, samples = [noise(5)], [noise(6), noise(7), noise(8)]  # one chunk of patches per sample here
    calls: list[int] = []

    def stop_at_third() -> bool:
        calls.append(1)
        return len(calls) >= 3

    with pytest.raises(Cancelled):
        metrics.nearest_patch_rms(works, samples, long_side=SIDE, should_stop=stop_at_third)
    assert len(calls) == 3
    never = metrics.nearest_patch_rms(works, samples, long_side=SIDE, should_stop=lambda: False)
    assert np.array_equal(never, metrics.nearest_patch_rms(works, samples, long_side=SIDE))
    with pytest.raises(Cancelled):
        metrics.copy_score(works, samples, long_side=SIDE, should_stop=lambda: True)
