"""The surface measure: a patch lattice and specks on flat grounds, found where they are and only there."""

from __future__ import annotations

import numpy as np
import pytest

from studio.domains.painting import surface


def _noise(seed: int, size: int = 128, level: float = 128.0, spread: float = 20.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    grey = np.clip(level + spread * rng.standard_normal((size, size)), 0, 255)
    return np.repeat(grey[..., None], 3, axis=2).astype(np.uint8)


def _smooth_painting(seed: int, size: int = 256) -> np.ndarray:
    """Smooth masses with a 1/f grain: a stand-in for a painting without a grid."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.fft2(rng.standard_normal((size, size)))
    fy, fx = np.meshgrid(np.fft.fftfreq(size), np.fft.fftfreq(size), indexing="ij")
    plane = np.real(np.fft.ifft2(spectrum / np.maximum(np.hypot(fy, fx), 1.0 / size)))
    plane = 128 + 10 * plane / plane.std()
    return np.repeat(np.clip(plane, 0, 255)[..., None], 3, axis=2).astype(np.uint8)


def test_a_picture_without_a_grid_scores_about_one() -> None:
    for seed in range(3):
        for image in (_noise(seed), _smooth_painting(seed)):
            found = surface.measure(image)
            assert 0.7 < found.lattice < 1.3, found
            assert set(found.lattice_by_frequency) == {"1/8", "1/4", "3/8", "1/2"}


def test_a_period_four_grid_of_dots_is_found() -> None:
    image = _smooth_painting(1).astype(np.float64)
    image[1::4, 2::4] += 12  # a faint light dot every 4 px, both axes
    found = surface.measure(np.clip(image, 0, 255).astype(np.uint8))
    assert found.lattice_by_frequency["1/4"] > 3 and found.lattice_by_frequency["1/2"] > 3, found
    assert found.lattice_by_frequency["1/8"] < 1.5 and found.lattice_by_frequency["3/8"] < 1.5, found
    rows_only = _smooth_painting(1).astype(np.float64)
    rows_only[:, ::8] += 12  # an 8-px tile's columns: every harmonic of 1/8 along the rows, nothing down the columns
    ratios = surface.lattice_ratios(np.clip(rows_only, 0, 255).astype(np.uint8))
    assert ratios["1/8 rows"] > 3 and ratios["1/8 cols"] < 1.5, ratios


def test_specks_are_counted_on_flat_grounds_only() -> None:
    flat = np.full((64, 64, 3), 40, np.uint8)
    flat[20, 30] = 120  # a light speck on a dark ground
    flat[40, 10] = 0
    flat[41, 10] = 0  # a dark one, two pixels
    mask = surface.speck_mask(flat)
    assert mask[20, 30] == 1 and mask[40, 10] == -1 and mask[41, 10] == -1
    assert int((mask != 0).sum()) == 3
    found = surface.measure(flat)
    assert found.light_specks == pytest.approx(1 / (64 * 64 / 1e6))
    assert found.dark_specks == pytest.approx(2 / (64 * 64 / 1e6))
    busy = _noise(0, 64, 128, 40)
    busy[20, 30] = 255  # on a busy ground a bright pixel is texture, not a speck
    assert surface.speck_mask(busy)[20, 30] == 0


def test_sets_are_averaged_and_bad_input_refused() -> None:
    images = [_noise(0), _smooth_painting(0)]
    one, two = surface.measure(images[0]), surface.measure(images[1])
    both = surface.measure_set(images)
    assert both.lattice == pytest.approx((one.lattice + two.lattice) / 2)
    assert both.to_dict()["light_specks"] == pytest.approx((one.light_specks + two.light_specks) / 2)
    with pytest.raises(ValueError, match="small"):
        surface.measure(np.zeros((16, 100, 3), np.uint8))
    with pytest.raises(ValueError, match="RGB"):
        surface.measure(np.zeros((64, 64), np.uint8))
    with pytest.raises(ValueError, match="no pictures"):
        surface.measure_set([])
