"""The surface of a painting at 100 %: a patch lattice and light specks, measured.

Two faults a painter sees up close in generated paintings and a genuine painting does not have
(issue 19, point 5):

* **the lattice**: a grid of period ``stride`` px (4, with a weaker 8-px tile) that patch-based
  synthesis can leave when its overlapping patches are blended with position-dependent weights.
  :func:`lattice_strength` is the power of the detail band (luminance minus a blur) at the
  lattice's frequencies (``k / period`` cycles per px along rows and columns, averaged over the
  lines of the picture) over the median power of the neighbouring frequencies: about 1 for a
  painting without a grid, 2 when the grid doubles the power at its frequencies.
* **the specks**: isolated dots a few levels to tens of levels off their surroundings on a flat
  ground (a dark background, a sky). :func:`speck_density` counts the pixels more than
  ``levels`` off the median of their 5x5 neighbourhood where that neighbourhood is otherwise
  flat (its median absolute deviation at most ``flat`` levels), per megapixel; light and dark
  separately.

Both work on ``H x W x 3`` uint8 RGB (any size of at least 32 px a side) and are calibrated on the
painters' genuine works (``python main.py bench surface``). Pure numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

LATTICE_PERIOD = 8  # px: the tile (8-px patches) and its harmonics, which include the 4-px stride
SPECK_LEVELS = 24.0  # levels (0..255) off the 5x5 median that make a pixel a speck
FLAT_LEVELS = 3.0  # the ground around it is flat: median absolute deviation at most this
NEIGHBOURS = 6  # frequency bins each side of a lattice frequency that set its expected power (2 skipped)


@dataclass(frozen=True)
class Surface:
    """One picture's (or a set's mean) lattice and specks."""

    lattice: float  # mean over the lattice frequencies and both axes of power / neighbours' (1: none)
    lattice_max: float  # the strongest single lattice frequency and axis
    lattice_by_frequency: dict[str, float]  # "1/4" -> ratio, both axes averaged
    light_specks: float  # per megapixel
    dark_specks: float  # per megapixel

    def to_dict(self) -> dict[str, object]:
        return {"lattice": self.lattice, "lattice_max": self.lattice_max,
                "lattice_by_frequency": dict(self.lattice_by_frequency),
                "light_specks": self.light_specks, "dark_specks": self.dark_specks}


def luminance(image: np.ndarray) -> np.ndarray:
    """Rec. 601 luminance of ``H x W x 3`` uint8 RGB as float64 levels 0..255."""
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"expected an H x W x 3 RGB picture, got shape {image.shape}")
    rgb = image.astype(np.float64)
    return rgb @ np.array([0.299, 0.587, 0.114])


def _box_blur(plane: np.ndarray, radius: int) -> np.ndarray:
    """A separable box blur of ``2 * radius + 1`` px, edges replicated."""
    size = 2 * radius + 1
    kernel = np.full(size, 1.0 / size)
    padded = np.pad(plane, radius, mode="edge")
    rows = np.apply_along_axis(lambda r: np.convolve(r, kernel, mode="valid"), 1, padded)
    return np.apply_along_axis(lambda c: np.convolve(c, kernel, mode="valid"), 0, rows)


def detail_band(plane: np.ndarray) -> np.ndarray:
    """``plane`` minus a smooth version of it (two 5-px box blurs: a tent about 9 px wide), which
    keeps every frequency of 1/8 cycle per px and finer."""
    return plane - _box_blur(_box_blur(plane, 2), 2)


def _line_spectrum(detail: np.ndarray) -> np.ndarray:
    """Power spectrum along axis 1 (a Hann window per line), averaged over the lines."""
    n = detail.shape[1]
    window = np.hanning(n)
    spectrum = np.fft.rfft((detail - detail.mean(axis=1, keepdims=True)) * window, axis=1)
    return (np.abs(spectrum) ** 2).mean(axis=0)


def _peak_ratios(power: np.ndarray, n: int, period: int) -> dict[int, float]:
    """Power at ``m / period`` cycles per px (m = 1 .. period / 2) over the median of its
    neighbours (``NEIGHBOURS`` bins each side, skipping the 2 nearest, which a Hann window
    shares with the peak)."""
    out = {}
    for m in range(1, period // 2 + 1):
        k = round(n * m / period)
        near = [j for j in range(k - NEIGHBOURS - 2, k + NEIGHBOURS + 3) if 2 < abs(j - k) and 0 < j < len(power)]
        out[m] = float(power[k] / max(np.median(power[near]), 1e-12))
    return out


def lattice_ratios(image: np.ndarray, period: int = LATTICE_PERIOD) -> dict[str, float]:
    """Per lattice frequency ("1/8", "1/4", ...), the power ratio of the luminance's detail band
    averaged over rows and columns (see the module docstring). The picture is cut to a multiple
    of ``period`` on each side, so the frequencies fall on exact bins."""
    plane = luminance(image)
    h, w = (plane.shape[0] // period) * period, (plane.shape[1] // period) * period
    if min(h, w) < 4 * period:
        raise ValueError(f"the picture is too small for the lattice measure: {image.shape[:2]}, "
                         f"at least {4 * period} px a side")
    detail = detail_band(plane[:h, :w])
    along_rows = _peak_ratios(_line_spectrum(detail), w, period)
    along_cols = _peak_ratios(_line_spectrum(detail.T), h, period)
    names = {m: _frequency_name(m, period) for m in along_rows}
    return {names[m]: 0.5 * (along_rows[m] + along_cols[m]) for m in along_rows} | {
        f"{names[m]} rows": along_rows[m] for m in along_rows} | {f"{names[m]} cols": along_cols[m] for m in along_cols}


def _frequency_name(m: int, period: int) -> str:
    g = np.gcd(m, period)
    return f"{m // g}/{period // g}"


def speck_mask(image: np.ndarray, levels: float = SPECK_LEVELS, flat: float = FLAT_LEVELS) -> np.ndarray:
    """``H x W`` int8: +1 on light specks, -1 on dark ones, 0 elsewhere (a 2-px border is 0)."""
    plane = luminance(image)
    windows = sliding_window_view(plane, (5, 5)).reshape(plane.shape[0] - 4, plane.shape[1] - 4, 25)
    median = np.median(windows, axis=2)
    spread = np.median(np.abs(windows - median[..., None]), axis=2)
    off = plane[2:-2, 2:-2] - median
    mask = np.zeros(plane.shape, np.int8)
    inner = mask[2:-2, 2:-2]
    on_flat = spread <= flat
    inner[(off > levels) & on_flat] = 1
    inner[(off < -levels) & on_flat] = -1
    return mask


def measure(image: np.ndarray, period: int = LATTICE_PERIOD, levels: float = SPECK_LEVELS,
            flat: float = FLAT_LEVELS) -> Surface:
    """The lattice and specks of one ``H x W x 3`` uint8 picture."""
    ratios = lattice_ratios(image, period)
    both = {k: v for k, v in ratios.items() if " " not in k}
    single = [v for k, v in ratios.items() if " " in k]
    mask = speck_mask(image, levels, flat)
    megapixels = image.shape[0] * image.shape[1] / 1e6
    return Surface(float(np.mean(list(both.values()))), float(max(single)), both,
                   float((mask > 0).sum() / megapixels), float((mask < 0).sum() / megapixels))


def measure_set(images: Sequence[np.ndarray], period: int = LATTICE_PERIOD, levels: float = SPECK_LEVELS,
                flat: float = FLAT_LEVELS) -> Surface:
    """The mean :class:`Surface` of a set of pictures."""
    if not images:
        raise ValueError("no pictures to measure")
    each = [measure(im, period, levels, flat) for im in images]
    keys = each[0].lattice_by_frequency.keys()
    return Surface(float(np.mean([s.lattice for s in each])), float(np.mean([s.lattice_max for s in each])),
                   {k: float(np.mean([s.lattice_by_frequency[k] for s in each])) for k in keys},
                   float(np.mean([s.light_specks for s in each])), float(np.mean([s.dark_specks for s in each])))
