"""A painting as the taste learner sees it: a dozen named features and a longer raw descriptor.

Role: the painting domain's describer for taste learning (issue 18). :func:`describe_image`
turns an ``HxWx3`` uint8 picture of any size into a :class:`~studio.taste.features.Descriptor`:

* ``interp``: :data:`SPEC`'s twelve interpretable features in natural units (OKLab lightness
  and chroma, shares of the picture, -1..1 balances), the ones an explanation puts into words
  ("brighter and warmer than what you reject");
* ``raw``: :data:`RAW_SIZE` floats only the learned embedding reads: an 8x8 OKLab thumbnail, a
  chroma-weighted hue histogram, a gradient-orientation histogram, a lightness histogram and a
  4x4 map of where the edges are.

The picture is first reduced to :data:`WORK_SIDE` px on its long side by area averaging, so a
256-px painting takes a few milliseconds and any size (a 1x1 sliver, a 4000x100 strip) gives
finite values of the same meaning. Numpy only: no torch, no Qt.
"""

from __future__ import annotations

import numpy as np

from studio.io.palette import srgb_to_oklab
from studio.taste.features import Descriptor, FeatureSpec

WORK_SIDE = 64  # long side (px) the features are measured at
THUMB = 8  # the raw thumbnail is THUMB x THUMB OKLab
HUE_BINS = 12
ORIENTATION_BINS = 8
LIGHTNESS_BINS = 8
EDGE_GRID = 4
RAW_SIZE = THUMB * THUMB * 3 + HUE_BINS + ORIENTATION_BINS + LIGHTNESS_BINS + EDGE_GRID * EDGE_GRID
COLOURED = 0.03  # OKLab chroma above which a pixel counts as having a hue (greyish below)
GREEN_HUES = (100.0, 200.0)  # OKLab hue angles (degrees) read as green: yellow-green .. teal
BLUE_HUES = (200.0, 300.0)  # ... and as blue: cyan-blue .. violet-blue
DARK = 0.35  # OKLab lightness below which a pixel is shadow

# name, the word for more of it, the word for less of it
_FEATURES: tuple[tuple[str, str, str], ...] = (
    ("brightness", "brighter", "darker"),  # mean OKLab lightness, 0..1
    ("contrast", "more contrasted", "softer"),  # standard deviation of lightness
    ("saturation", "more saturated", "more muted"),  # mean OKLab chroma (0 grey .. ~0.3 vivid)
    ("warmth", "warmer", "cooler"),  # mean red minus blue, -1..1
    ("busyness", "busier", "calmer"),  # mean lightness gradient at 64 px (edge energy)
    ("fine_detail", "more finely detailed", "more broadly painted"),  # share of edge energy at the fine scale
    ("sky", "lighter at the top", "lighter at the bottom"),  # lightness of the top third minus the bottom third
    ("shadow", "more shadowed", "less shadowed"),  # share of dark pixels
    ("hue_spread", "more colourful", "more unified in colour"),  # chroma-weighted circular spread of hue, 0..1
    ("greenness", "greener", "less green"),  # share of green pixels
    ("blueness", "bluer", "less blue"),  # share of blue pixels
    ("centred", "more centred", "more spread out"),  # centre's lightness contrast minus the border's
    ("horizontal", "more horizontal", "more vertical"),  # horizontal minus vertical edges, -1..1
)

SPEC = FeatureSpec(domain="painting", names=tuple(f[0] for f in _FEATURES), more=tuple(f[1] for f in _FEATURES),
                   less=tuple(f[2] for f in _FEATURES), raw_size=RAW_SIZE, version=1)


def _check(image: np.ndarray) -> np.ndarray:
    """``image`` as an HxWx3 uint8 array (greyscale and RGBA accepted); ValueError otherwise."""
    if not isinstance(image, np.ndarray):
        raise ValueError(f"a painting must be an HxWx3 uint8 array, got {type(image).__name__}")
    if image.ndim == 2:
        image = image[:, :, None].repeat(3, axis=2)
    if image.ndim != 3 or image.shape[2] not in (3, 4):
        raise ValueError(f"a painting must be an HxWx3 uint8 array, got shape {image.shape}")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"a painting must have at least one pixel, got shape {image.shape}")
    if image.dtype != np.uint8:
        raise ValueError(f"a painting must be uint8 (0..255), got dtype {image.dtype}")
    return image[:, :, :3]


def _area_mean(x: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``x`` (HxW or HxWxC float) averaged over a ``rows`` x ``cols`` grid of near-equal cells;
    along an axis with fewer pixels than cells, pixels repeat instead."""
    for axis, n in ((0, rows), (1, cols)):
        size = x.shape[axis]
        starts = (np.arange(n) * size) // n
        if n <= size:  # cells of one or more whole pixels, covering the axis in order
            counts = np.diff(np.append(starts, size)).astype(np.float32)
            shape = [1] * x.ndim
            shape[axis] = n
            x = np.add.reduceat(x, starts, axis=axis) / counts.reshape(shape)
        else:
            x = np.take(x, starts, axis=axis)
    return x


def _reduce(image: np.ndarray) -> np.ndarray:
    """The picture at WORK_SIDE px on its long side (never enlarged), float 0..255."""
    h, w = image.shape[:2]
    scale = min(1.0, WORK_SIDE / max(h, w))
    rows, cols = max(1, round(h * scale)), max(1, round(w * scale))
    step = max(1, min(h // (4 * rows), w // (4 * cols)))  # a huge picture: thin it before the integral image
    x = image[::step, ::step].astype(np.float32)
    return x if x.shape[:2] == (rows, cols) else _area_mean(x, rows, cols)


def _gradients(lightness: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Central-difference gradients (edge-replicated) of an HxW array."""
    p = np.pad(lightness, 1, mode="edge")
    gx = 0.5 * (p[1:-1, 2:] - p[1:-1, :-2])
    gy = 0.5 * (p[2:, 1:-1] - p[:-2, 1:-1])
    return gx, gy


def _share(mask: np.ndarray) -> float:
    return float(mask.mean()) if mask.size else 0.0


def _band(x: np.ndarray, first: bool) -> np.ndarray:
    """The top (``first``) or bottom third of the rows (one row at least)."""
    n = max(1, -(-x.shape[0] // 3))
    return x[:n] if first else x[-n:]


def describe_image(image: np.ndarray) -> Descriptor:
    """The taste descriptor of one painting (``HxWx3`` uint8, any size; greyscale and RGBA are
    accepted). Raises ValueError for anything that is not a non-empty uint8 picture."""
    rgb = _reduce(_check(image))
    h, w = rgb.shape[:2]
    lab = srgb_to_oklab(rgb.reshape(-1, 3)).reshape(h, w, 3)
    light, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    chroma = np.hypot(a, b)
    hue = np.degrees(np.arctan2(b, a)) % 360.0
    coloured = chroma > COLOURED

    gx, gy = _gradients(light)
    magnitude = np.hypot(gx, gy)
    fine = float(magnitude.mean())
    coarse = _area_mean(light, max(1, h // 4), max(1, w // 4))
    cgx, cgy = _gradients(coarse)
    coarse_energy = float(np.hypot(cgx, cgy).mean()) / 4.0  # per fine pixel, as ``fine`` is
    fine_detail = fine / (fine + coarse_energy) if fine + coarse_energy > 1e-9 else 0.0

    weights = chroma.sum()
    if weights > 1e-9:
        resultant = np.abs(np.sum(chroma * np.exp(1j * np.radians(hue)))) / weights
        hue_spread = float(1.0 - resultant)
    else:
        hue_spread = 0.0

    def in_hues(lo: float, hi: float) -> np.ndarray:
        mask: np.ndarray = coloured & (hue >= lo) & (hue < hi)
        return mask

    mean_light = float(light.mean())
    r0, r1, c0, c1 = h // 4, h - h // 4, w // 4, w - w // 4
    centre = np.zeros((h, w), bool)
    centre[r0:r1, c0:c1] = True
    deviation = np.abs(light - mean_light)
    border = ~centre
    centred = float(deviation[centre].mean() - deviation[border].mean()) if border.any() and centre.any() else 0.0

    ex, ey = float(np.abs(gx).sum()), float(np.abs(gy).sum())
    horizontal = (ey - ex) / (ex + ey) if ex + ey > 1e-9 else 0.0  # horizontal edges change along y

    interp = np.array([
        mean_light,
        float(light.std()),
        float(chroma.mean()),
        float((rgb[..., 0] - rgb[..., 2]).mean() / 255.0),
        fine,
        fine_detail,
        float(_band(light, True).mean() - _band(light, False).mean()),
        _share(light < DARK),
        hue_spread,
        _share(in_hues(*GREEN_HUES)),
        _share(in_hues(*BLUE_HUES)),
        centred,
        horizontal,
    ], np.float32)
    return Descriptor(interp=np.nan_to_num(interp), raw=np.nan_to_num(_raw(lab, chroma, hue, gx, gy, magnitude)))


def _raw(lab: np.ndarray, chroma: np.ndarray, hue: np.ndarray, gx: np.ndarray, gy: np.ndarray,
         magnitude: np.ndarray) -> np.ndarray:
    """The longer descriptor: thumbnail, hue, orientation and lightness histograms, edge map."""
    thumb = _area_mean(lab, THUMB, THUMB).reshape(-1)
    hue_weight = np.bincount((hue.reshape(-1) * HUE_BINS / 360.0).astype(int) % HUE_BINS,
                             weights=chroma.reshape(-1), minlength=HUE_BINS)
    hue_hist = hue_weight / max(float(chroma.sum()), 1e-9)
    angle = np.arctan2(gy, gx) % np.pi  # an edge and its opposite are one orientation
    orient_weight = np.bincount((angle.reshape(-1) * ORIENTATION_BINS / np.pi).astype(int) % ORIENTATION_BINS,
                                weights=magnitude.reshape(-1), minlength=ORIENTATION_BINS)
    orient = orient_weight / max(float(magnitude.sum()), 1e-9)
    light_bins = np.clip((lab[..., 0].reshape(-1) * LIGHTNESS_BINS).astype(int), 0, LIGHTNESS_BINS - 1)
    light_hist = np.bincount(light_bins, minlength=LIGHTNESS_BINS) / light_bins.size
    edges = _area_mean(magnitude, EDGE_GRID, EDGE_GRID).reshape(-1) * 10.0  # ~0..1
    return np.concatenate([thumb, hue_hist, orient, light_hist, edges]).astype(np.float32)
