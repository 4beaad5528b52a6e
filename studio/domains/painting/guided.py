"""Guided compositions: the user's guide, mapped into the samples' palette and masses, as a layout.

A guided painting is painted like any other (network over a layout, then the samples' brushwork,
:mod:`.generator`), but its layout comes from the guide instead of crops of the samples:

1. **Palette and masses** (:func:`map_to_samples`). In an opponent colour space (luminance
   ``Y`` and two chroma axes), the guide's luminance is histogram-matched to the samples'
   pooled luminance (the guide's light and dark keep their order, so its composition reads the
   same, but the tonal masses become the samples'); its chroma becomes the samples' mean chroma
   at that luminance (the samples' palette: what colour their lights, mid-tones and darks are)
   plus the guide's own chroma deviation rescaled to the samples' spread (Reinhard et al. 2001
   per channel), so a red roof in the photo stays a warmer note within the samples' palette.
2. **How closely** (:func:`guided_layout`). ``closeness`` (0..1) sets the long side of the
   guide detail kept in the layout, from :data:`LOOSE_SIDE` px (loosely recomposing: only the
   big masses) to :data:`TRACE_SIDE` px (tracing), and how far each work's copy of the guide is
   shifted, scaled and tilted (a gallery of loose recompositions differs work to work; a trace
   does not move). Everything finer than the kept side is the network's and the brushwork's.
3. **Pinning** (:func:`pin`). After painting, the coarse levels of the painting are pulled back
   to the layout's: the painting's low-pass below the kept side is replaced by the layout's,
   with a strength rising with closeness, so the network and the transferred brushwork cannot
   drift the composition away.

Tensors are ``1x3xHxW`` floats in ``[0, 1]`` (as in :mod:`.layout`); randomness comes from a
numpy Generator. No Qt; torch only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from studio.domains.painting import layout as L

LOOSE_SIDE = 10  # px of the guide layout's long side at closeness 0
TRACE_SIDE = 96  # ... and at closeness 1
LUMA_BINS = 16  # luminance bins of the samples' palette
CHROMA_KEEP = 0.7  # share of the guide's own chroma deviation kept (rescaled to the samples' spread)
MAX_SHIFT = 0.12  # share of the picture a work's guide may shift at closeness 0
MAX_TILT_DEG = 4.0  # degrees a work's guide may turn at closeness 0
MAX_ZOOM = 0.15  # share a work's guide may be enlarged at closeness 0
_SAMPLE_PIXELS = 65_536  # pixels of the samples read for their palette


def to_opponent(rgb: Tensor) -> Tensor:
    """``1x3xHxW`` RGB in [0, 1] to (Y, red-green, yellow-blue) in the same layout."""
    r, g, b = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    return torch.stack([y, r - g, 0.5 * (r + g) - b], dim=1)


def from_opponent(opp: Tensor) -> Tensor:
    """The inverse of :func:`to_opponent` (not clipped)."""
    y, a, c = opp[:, 0], opp[:, 1], opp[:, 2]
    # r - g = a; (r + g) / 2 - b = c; y = .299 r + .587 g + .114 b
    # r = g + a; b = g + a / 2 - c; y = g + .299 a + .114 (a / 2 - c)
    g = y - 0.299 * a - 0.114 * (0.5 * a - c)
    return torch.stack([g + a, g, g + 0.5 * a - c], dim=1)


def luminance(rgb: Tensor) -> Tensor:
    """``1x1xHxW`` luminance of a ``1x3xHxW`` RGB tensor."""
    return to_opponent(rgb)[:, :1]


class SamplePalette:
    """The samples' pooled luminance distribution and their mean chroma per luminance bin."""

    def __init__(self, samples: Sequence[Tensor]) -> None:
        if not samples:
            raise ValueError("a palette needs at least one sample")
        pixels = torch.cat([to_opponent(s).flatten(2)[0] for s in samples], dim=1)  # 3 x N
        if pixels.shape[1] > _SAMPLE_PIXELS:
            step = pixels.shape[1] // _SAMPLE_PIXELS + 1
            pixels = pixels[:, ::step]
        y = pixels[0]
        self.sorted_y = y.sort().values
        edges = torch.quantile(y, torch.linspace(0, 1, LUMA_BINS + 1))
        index = torch.bucketize(y, edges[1:-1].contiguous())
        centres, chroma = [], []
        for i in range(LUMA_BINS):
            chosen = index == i
            if bool(chosen.any()):
                centres.append(float(y[chosen].mean()))
                chroma.append(pixels[1:, chosen].mean(dim=1))
        self.centres = torch.tensor(centres)
        self.chroma = torch.stack(chroma)  # bins x 2
        self.chroma_std = pixels[1:].std(dim=1).clamp_min(1e-3)

    def match_luminance(self, y: Tensor) -> Tensor:
        """``y`` histogram-matched to the samples' luminance (rank order kept)."""
        flat = y.flatten().contiguous()
        ordered = flat.sort().values
        # equal values share one quantile (the middle of their run), so a flat sky stays flat
        left = torch.searchsorted(ordered, flat, right=False).float()
        right = torch.searchsorted(ordered, flat, right=True).float()
        quantiles = (left + right) / (2 * flat.numel())
        positions = (quantiles * (self.sorted_y.numel() - 1)).round().long()
        return self.sorted_y[positions].view_as(y)

    def chroma_at(self, y: Tensor) -> Tensor:
        """The samples' mean chroma at luminance ``y`` (``1x1xHxW``), interpolated between bins: ``1x2xHxW``."""
        if len(self.centres) == 1:
            return self.chroma[0].view(1, 2, 1, 1).expand(1, 2, *y.shape[-2:])
        flat = y.flatten().clamp(float(self.centres[0]), float(self.centres[-1]))
        hi = torch.bucketize(flat, self.centres).clamp(1, len(self.centres) - 1)
        lo = hi - 1
        span = (self.centres[hi] - self.centres[lo]).clamp_min(1e-6)
        t = ((flat - self.centres[lo]) / span).clamp(0, 1)[:, None]
        out = self.chroma[lo] * (1 - t) + self.chroma[hi] * t
        return out.T.reshape(1, 2, *y.shape[-2:])


def map_to_samples(guide: Tensor, palette: SamplePalette, chroma_keep: float = CHROMA_KEEP) -> Tensor:
    """``guide`` (``1x3xHxW``) recoloured into the samples' tones and palette (see the module docstring)."""
    opp = to_opponent(guide)
    y = palette.match_luminance(opp[:, :1])
    own = opp[:, 1:]
    mean = own.mean(dim=(2, 3), keepdim=True)
    std = own.std(dim=(2, 3), keepdim=True).clamp_min(1e-3)
    deviation = (own - mean) / std * palette.chroma_std.view(1, 2, 1, 1)
    chroma = palette.chroma_at(y) + chroma_keep * deviation
    return from_opponent(torch.cat([y, chroma], dim=1)).clamp(0, 1)


def kept_side(closeness: float) -> int:
    """Long side (px) of the guide detail a layout keeps at ``closeness`` (geometric in between)."""
    c = min(1.0, max(0.0, float(closeness)))
    return round(LOOSE_SIDE * (TRACE_SIDE / LOOSE_SIDE) ** c)


def _jitter(image: Tensor, closeness: float, rng: np.random.Generator) -> Tensor:
    """``image`` shifted, enlarged and turned a little (less the closer), borders reflected."""
    loose = 1.0 - min(1.0, max(0.0, closeness))
    if loose <= 0:
        return image
    zoom = 1.0 + MAX_ZOOM * loose * float(rng.random())
    angle = math.radians(MAX_TILT_DEG * loose * float(rng.uniform(-1, 1)))
    tx, ty = (MAX_SHIFT * loose * float(v) for v in rng.uniform(-1, 1, 2))
    cos, sin = math.cos(angle) / zoom, math.sin(angle) / zoom
    h, w = image.shape[-2:]
    theta = torch.tensor([[[cos, -sin * h / w, tx], [sin * w / h, cos, ty]]], dtype=torch.float32)
    grid = F.affine_grid(theta, list(image.shape), align_corners=False)
    return F.grid_sample(image, grid, mode="bilinear", padding_mode="reflection", align_corners=False)


def guided_layout(guide: Tensor, palette: SamplePalette, size: tuple[int, int], closeness: float,
                  rng: np.random.Generator | None = None) -> Tensor:
    """The layout of one guided work at ``size = (h, w)``: the guide in the samples' palette,
    moved a little per work (``rng``; None: not moved) and kept down to :func:`kept_side` px."""
    mapped = map_to_samples(L.resize(guide, size), palette)
    if rng is not None:
        mapped = _jitter(mapped, closeness, rng)
    return L.blurred(mapped, kept_side(closeness))


def pin_strength(closeness: float) -> float:
    """How strongly the painting's coarse levels are pulled back to the layout's (0.5 .. 1)."""
    return 0.5 + 0.5 * min(1.0, max(0.0, float(closeness)))


def pin(painted: Tensor, layout: Tensor, closeness: float) -> Tensor:
    """``painted`` with its structure coarser than :func:`kept_side` replaced by ``layout``'s,
    by :func:`pin_strength` (the finer levels, the brushwork, are untouched)."""
    side = kept_side(closeness)
    size = tuple(painted.shape[-2:])
    target = L.blurred(L.resize(layout, size), side)
    drift = target - L.blurred(painted, side)
    return (painted + pin_strength(closeness) * drift).clamp(0, 1)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two equal-shape arrays (0 when either is flat)."""
    a = np.asarray(a, np.float64).ravel()
    b = np.asarray(b, np.float64).ravel()
    a = a - a.mean()
    b = b - b.mean()
    denom = math.sqrt(float((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denom) if denom > 1e-12 else 0.0


def luminance_at(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``HxWx3`` uint8 to its luminance at ``size = (h, w)`` (area-averaged), a float array."""
    t = L.resize(L.to_tensor(np.asarray(rgb)), size)
    return luminance(t)[0, 0].numpy()


def guide_correlation(work: np.ndarray, guide: np.ndarray, side: int = 32) -> float:
    """Luminance correlation of a work with its guide, both at ``side`` px on the work's long side."""
    size = _small(work.shape[:2], side)
    return correlation(luminance_at(work, size), luminance_at(guide, size))


def _small(hw: tuple[int, int], side: int) -> tuple[int, int]:
    h, w = hw
    scale = side / max(h, w)
    return max(2, round(h * scale)), max(2, round(w * scale))
