"""Dominant colours of an image: a small, deterministic, weighted k-means in OKLab.

The painting side shows these as swatches and the style metrics compare them, so the result
must be stable (same pixels and seed, same palette) and fast (well under 50 ms for 512x512):
at most ``MAX_SAMPLES`` pixels are drawn, identical colours are merged and weighted, and
k-means runs on the distinct colours only. Distances are measured in OKLab, where equal
steps look roughly equally different; the colour reported for a cluster is the mean sRGB
of its pixels, so a flat colour comes back exactly.
"""

from __future__ import annotations

import numpy as np

MAX_SAMPLES = 10_000  # pixels drawn from the image; shares are then within ~1 % of exact
_MAX_ITERATIONS = 20
_SETTLED = 1e-3  # OKLab units; a just-noticeable difference is about 0.02

# sRGB (linear) -> LMS and LMS' -> OKLab, from Björn Ottosson's OKLab definition.
_M1 = np.array(
    [
        [0.4122214708, 0.5363325363, 0.0514459929],
        [0.2119034982, 0.6806995451, 0.1073969566],
        [0.0883024619, 0.2817188376, 0.6299787005],
    ]
)
_M2 = np.array(
    [
        [0.2104542553, 0.7936177850, -0.0040720468],
        [1.9779984951, -2.4285922050, 0.4505937099],
        [0.0259040371, 0.7827717662, -0.8086757660],
    ]
)


def check_rgb(rgb: np.ndarray, *, allow_empty: bool = False) -> None:
    """Raise ``ValueError`` unless ``rgb`` is an ``HxWx3`` uint8 array (non-empty if asked)."""
    if not isinstance(rgb, np.ndarray) or rgb.ndim != 3 or rgb.shape[2] != 3:
        shape = getattr(rgb, "shape", type(rgb).__name__)
        raise ValueError(f"expected an HxWx3 array, got {shape}")
    if rgb.dtype != np.uint8:
        raise ValueError(f"expected a uint8 array, got dtype {rgb.dtype}")
    if not allow_empty and (rgb.shape[0] == 0 or rgb.shape[1] == 0):
        raise ValueError(f"expected a non-empty image, got shape {rgb.shape}")


def srgb_to_oklab(colours: np.ndarray) -> np.ndarray:
    """Convert ``Nx3`` sRGB values in 0..255 to ``Nx3`` OKLab (L in 0..1)."""
    c = np.asarray(colours, dtype=np.float64) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return np.cbrt(linear @ _M1.T) @ _M2.T


def _squared_distances(points: np.ndarray, centre: np.ndarray) -> np.ndarray:
    diff = points - centre
    return np.einsum("ij,ij->i", diff, diff)


def _nearest(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    # argmin of |p - c|^2 over c needs only |c|^2 - 2 p.c: one small matrix product.
    scores = np.einsum("ij,ij->i", centres, centres)[None, :] - 2.0 * (points @ centres.T)
    return np.argmin(scores, axis=1)


def _kmeans_plus_plus(points: np.ndarray, weights: np.ndarray, k: int,
                      rng: np.random.Generator) -> np.ndarray:
    """Pick ``k`` distinct starting centres, each with probability ~ weight * distance²."""
    chosen = [int(rng.choice(len(points), p=weights / weights.sum()))]
    nearest = _squared_distances(points, points[chosen[0]])
    for _ in range(1, k):
        score = nearest * weights
        total = score.sum()
        if total <= 0.0:  # fewer distinct colours than k (callers handle that case first)
            break
        chosen.append(int(rng.choice(len(points), p=score / total)))
        nearest = np.minimum(nearest, _squared_distances(points, points[chosen[-1]]))
    return points[chosen].copy()


def _weighted_kmeans(points: np.ndarray, weights: np.ndarray, k: int,
                     rng: np.random.Generator) -> np.ndarray:
    """Return the cluster index of every point after Lloyd iterations from k-means++."""
    centres = _kmeans_plus_plus(points, weights, k, rng)
    labels = np.full(len(points), -1)
    for _ in range(_MAX_ITERATIONS):
        new_labels = _nearest(points, centres)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        mass = np.bincount(labels, weights=weights, minlength=len(centres))
        previous = centres.copy()
        for axis in range(3):
            sums = np.bincount(labels, weights=weights * points[:, axis], minlength=len(centres))
            # An emptied cluster keeps its old centre; it simply ends up with no share.
            centres[:, axis] = np.where(mass > 0, sums / np.maximum(mass, 1e-12), centres[:, axis])
        if np.abs(centres - previous).max() < _SETTLED:
            labels = _nearest(points, centres)
            break
    return labels


def dominant_palette(rgb: np.ndarray, k: int = 6, seed: int = 0) -> tuple[tuple[str, float], ...]:
    """Return up to ``k`` dominant colours of ``rgb`` as ``("#rrggbb", share)``, largest first.

    ``rgb`` is an ``HxWx3`` uint8 array. Shares sum to 1 (an empty image gives ``()``). An
    image with at most ``k`` distinct colours (in the sampled pixels) returns exactly those
    colours. The same pixels and ``seed`` always give the same palette.

    Raises ``ValueError`` for an array of the wrong shape or dtype, or ``k < 1``.
    """
    check_rgb(rgb, allow_empty=True)
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    pixels = rgb.reshape(-1, 3)
    if len(pixels) == 0:
        return ()
    rng = np.random.default_rng(seed)
    if len(pixels) > MAX_SAMPLES:
        pixels = pixels[rng.integers(0, len(pixels), MAX_SAMPLES)]
    packed = (pixels[:, 0].astype(np.uint32) << 16) | (pixels[:, 1].astype(np.uint32) << 8) | pixels[:, 2]
    unique, counts = np.unique(packed, return_counts=True)
    colours = np.stack([(unique >> 16) & 255, (unique >> 8) & 255, unique & 255], axis=1).astype(np.float64)
    weights = counts.astype(np.float64)

    if len(unique) <= k:
        labels = np.arange(len(unique))
    else:
        labels = _weighted_kmeans(srgb_to_oklab(colours).astype(np.float32), weights, k, rng)

    mass = np.bincount(labels, weights=weights)
    shares: dict[str, float] = {}
    for cluster in np.flatnonzero(mass > 0):
        members = labels == cluster
        mean = (colours[members] * weights[members, None]).sum(axis=0) / mass[cluster]
        r, g, b = (int(v) for v in np.clip(np.rint(mean), 0, 255))
        hex_colour = f"#{r:02x}{g:02x}{b:02x}"
        shares[hex_colour] = shares.get(hex_colour, 0.0) + float(mass[cluster])
    total = sum(shares.values())
    ranked = sorted(shares.items(), key=lambda item: (-item[1], item[0]))
    return tuple((hex_colour, weight / total) for hex_colour, weight in ranked)
