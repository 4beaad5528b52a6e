"""Is a painting's composition new, or a crop of a sample? The measure of issue 19, point 5.

A work's composition is its luminance at 32 px (long side, aspect kept). It is compared with
every crop of every sample at the work's aspect ratio: :data:`SCALES` crop sizes (the largest
such crop, then down to two thirds of its side, the smallest crop a sample-made layout takes), :data:`POSITIONS` x :data:`POSITIONS` positions spread
evenly over the sample (36), each also mirrored left to right; every crop is reduced to the
work's 32-px size (area-averaged) and the Pearson correlation of the two luminance grids taken.
:func:`best_crop_correlation` is the best over all of them; :func:`crop_match_share` the share
of works whose best passes :data:`THRESHOLD` (0.8). A painting that is a sample cut up and
repainted scores near 1; another painting by the same artist typically 0.4-0.7.

The same search, at a smaller size and with fewer crops, ranks candidate layouts by how much
they resemble the samples (:func:`crop_correlations`, used by :mod:`.library`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F

SIDE = 32  # px of the compared luminance grids' long side
SCALES = 5  # crop sizes: the largest crop at the work's aspect, down to MIN_SCALE of its side
MIN_SCALE = 0.67  # the smallest crop the layouts take (layout.MIN_CROP_AREA 0.45 of the area: 0.67 of the side)
POSITIONS = 6  # per axis: 6 x 6 = 36 positions
THRESHOLD = 0.8


def _luminance(rgb: np.ndarray) -> torch.Tensor:
    """``HxWx3`` (uint8, or float in [0, 1]) to a ``1x1xHxW`` float luminance in [0, 1]."""
    arr = np.asarray(rgb)
    t = torch.from_numpy(np.ascontiguousarray(arr, dtype=np.float32)).permute(2, 0, 1)[None]
    if arr.dtype == np.uint8:
        t = t / 255.0
    return (0.299 * t[:, 0] + 0.587 * t[:, 1] + 0.114 * t[:, 2])[:, None]


def grid_size(height: int, width: int, side: int = SIDE) -> tuple[int, int]:
    """``(h, w)`` of a work's luminance grid: ``side`` px on its long side, aspect kept."""
    scale = side / max(height, width)
    return max(2, round(height * scale)), max(2, round(width * scale))


def _area(t: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    return F.interpolate(t, size=size, mode="bilinear", align_corners=False, antialias=True)


def _standardised(rows: torch.Tensor) -> torch.Tensor:
    rows = rows - rows.mean(dim=1, keepdim=True)
    norm = rows.norm(dim=1, keepdim=True)
    return torch.where(norm > 1e-6, rows / norm.clamp_min(1e-6), torch.zeros_like(rows))


def _crops(sample: torch.Tensor, size: tuple[int, int], scales: int, positions: int,
           min_scale: float = MIN_SCALE) -> torch.Tensor:
    """Every crop of ``sample`` (``1x1xHxW``) at the aspect of ``size``, reduced to ``size``,
    mirrored too: ``N x (h * w)``."""
    h, w = size
    sh, sw = sample.shape[-2:]
    aspect = w / h
    if sw / sh > aspect:
        ch0, cw0 = float(sh), sh * aspect
    else:
        ch0, cw0 = sw / aspect, float(sw)
    out = []
    for scale in np.linspace(1.0, min_scale, scales):
        ch, cw = ch0 * scale, cw0 * scale
        # resize the whole sample so this crop becomes h x w, then cut windows of that size
        factor = h / ch
        rh, rw = max(h, round(sh * factor)), max(w, round(sw * factor))
        resized = _area(sample, (rh, rw))
        ys = np.unique(np.linspace(0, rh - h, positions).round().astype(int))
        xs = np.unique(np.linspace(0, rw - w, positions).round().astype(int))
        for y in ys:
            for x in xs:
                out.append(resized[0, 0, y:y + h, x:x + w].reshape(-1))
                out.append(resized[0, 0, y:y + h, x:x + w].flip(-1).reshape(-1))
    return torch.stack(out)


def crop_correlations(works: Sequence[np.ndarray], samples: Sequence[np.ndarray], *, side: int = SIDE,
                      scales: int = SCALES, positions: int = POSITIONS) -> np.ndarray:
    """For each work, the best luminance correlation at ``side`` px with any crop of any sample."""
    if not samples:
        raise ValueError("the crop measure needs at least one sample")
    lum_samples = [_luminance(s) for s in samples]
    best = np.full(len(works), -1.0)
    by_size: dict[tuple[int, int], list[int]] = {}
    for i, work in enumerate(works):
        height, width = np.asarray(work).shape[:2]
        by_size.setdefault(grid_size(height, width, side=side), []).append(i)
    with torch.no_grad():
        for size, indices in by_size.items():
            queries = _standardised(torch.cat([_area(_luminance(works[i]), size).reshape(1, -1) for i in indices]))
            for sample in lum_samples:
                keys = _standardised(_crops(sample, size, scales, positions))
                scores = (queries @ keys.T).amax(dim=1).numpy()
                best[indices] = np.maximum(best[indices], scores)
    return best


def best_crop_correlation(work: np.ndarray, samples: Sequence[np.ndarray]) -> float:
    """The best 32-px luminance correlation of ``work`` with a crop of a sample (see the docstring)."""
    return float(crop_correlations([work], samples)[0])


def crop_match_share(works: Sequence[np.ndarray], samples: Sequence[np.ndarray],
                     threshold: float = THRESHOLD) -> float:
    """The share of ``works`` whose best crop correlation with the samples exceeds ``threshold``."""
    if not works:
        raise ValueError("the crop measure needs at least one work")
    return float((crop_correlations(works, samples) > threshold).mean())
