"""Guided compositions: the user's guide, mapped into the samples' palette and masses, as a layout.

A guided painting is painted like any other (network over a layout, then the samples' brushwork,
:mod:`.generator`), but its layout comes from the guide instead of crops of the samples:

1. **Palette and masses** (:class:`SamplePalette`, :func:`map_to_samples`). At the scale the
   layout keeps, in an opponent colour space (luminance ``Y`` and two chroma axes), each channel
   of the guide is histogram-matched to the samples' (light and dark, warm and cool keep their
   order, so the composition reads the same, but the tonal masses and colour range become the
   samples'), then its chroma is pulled most of the way (:data:`SNAP`) to the nearest colour the
   samples hold at that scale: the layout is painted only with the samples' own colours.
2. **How closely** (:func:`guided_layout`). ``closeness`` (0..1) sets the long side of the
   guide detail kept in the layout, from :data:`LOOSE_SIDE` px (loosely recomposing: only the
   big masses) to :data:`TRACE_SIDE` px (tracing), and how far each work's copy of the guide is
   shifted, scaled and tilted (a gallery of loose recompositions differs work to work; a trace
   does not move). The structure finer than the kept side comes from a layout made of the
   samples (``strokes``: their own shapes and edges, :data:`STROKES_GAIN`), then the network and
   the samples' brushwork paint the detail (the generator halves the network's invented texture
   over these layouts). Below tracing, a gallery's works are each their own reading of the
   guide (``variety``, the generator's default): a closeness drawn around the chosen one
   (:func:`work_closeness`), the masses bent by a smooth warp of a few % of the side, and a
   palette leaning to some samples more than others (:meth:`SamplePalette.emphasised`); bench
   guided's diversity column measures it against the gallery without them.
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
SNAP = 0.6  # how far a layout's colours are pulled to the nearest colour the samples hold
_SNAP_COLOURS = 4096  # colours of the samples kept to snap to
MAX_SHIFT = 0.12  # share of the picture a work's guide may shift at closeness 0
MAX_TILT_DEG = 4.0  # degrees a work's guide may turn at closeness 0
MAX_ZOOM = 0.15  # share a work's guide may be enlarged at closeness 0
STROKES_GAIN = 2.0  # share of the samples' structure finer than the kept side lent to a layout
STROKES_SIDE = 96  # px: the finest structure of the samples a layout carries
# a guided gallery's variety (each work its own reading of the guide; all scale with 1 - closeness)
CLOSENESS_SPREAD = 0.5  # a work's closeness drawn within +- this x (1 - closeness) of the chosen one
MAX_WARP = 0.3  # smooth warp of the masses at closeness 0, grid units (2 = the side): up to 6 % of the side at 0.6
WARP_CELLS = 3  # the warp's control points per side (a smooth, few-bulge displacement)
EMPHASIS = 0.3  # Dirichlet concentration of a work's palette weights over the samples (lower: one sample dominates)
_SAMPLE_PIXELS = 65_536  # pixels of the samples read for their palette
_EMPHASIS_PIXELS = 16_384  # ... and drawn for one work's leaning palette (ample quantiles for a <= 96-px layout)


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


def _match(values: Tensor, sorted_target: Tensor) -> Tensor:
    """``values`` histogram-matched to the distribution whose sorted values are ``sorted_target``
    (rank order kept; equal values share one quantile, the middle of their run, so flat stays flat)."""
    flat = values.flatten().contiguous()
    ordered = flat.sort().values
    left = torch.searchsorted(ordered, flat, right=False).float()
    right = torch.searchsorted(ordered, flat, right=True).float()
    quantiles = (left + right) / (2 * flat.numel())
    positions = (quantiles * (sorted_target.numel() - 1)).round().long()
    return sorted_target[positions].view_as(values)


class SamplePalette:
    """The samples' colours at one scale (opponent space): each channel's distribution, and a
    subset of the colours themselves to snap to."""

    def __init__(self, samples: Sequence[Tensor], side: int | None = None) -> None:
        if not samples:
            raise ValueError("a palette needs at least one sample")
        if side is not None:  # the samples' colours at the scale of the layouts they will colour
            samples = [L.blurred(s, side) for s in samples]
        self._parts = [to_opponent(s).flatten(2)[0] for s in samples]  # each sample's 3 x N colours
        pixels = torch.cat(self._parts, dim=1)  # 3 x N
        if pixels.shape[1] > _SAMPLE_PIXELS:
            step = pixels.shape[1] // _SAMPLE_PIXELS + 1
            pixels = pixels[:, ::step]
        self._set(pixels)

    def _set(self, pixels: Tensor) -> None:
        self.sorted = [channel.sort().values for channel in pixels]
        step = max(1, pixels.shape[1] // _SNAP_COLOURS)
        self.colours = pixels[:, ::step].T.contiguous()  # K x 3
        self.sorted_y = self.sorted[0]

    def emphasised(self, rng: np.random.Generator, concentration: float = EMPHASIS) -> SamplePalette:
        """This palette with its samples weighted at random (Dirichlet, ``concentration``): one
        work's palette leans to one sample's colours and tones, another's to another's. Every
        colour still comes from the samples; with one sample, the same palette."""
        if len(self._parts) < 2:
            return self
        weights = rng.dirichlet([concentration] * len(self._parts))
        total = min(_EMPHASIS_PIXELS, sum(p.shape[1] for p in self._parts))
        chosen = []
        for part, weight in zip(self._parts, weights):
            n = int(round(weight * total))
            if n > 0:
                picks = torch.from_numpy(rng.integers(0, part.shape[1], n))
                chosen.append(part[:, picks])
        out = SamplePalette.__new__(SamplePalette)
        out._parts = self._parts
        out._set(torch.cat(chosen, dim=1) if chosen else torch.cat(self._parts, dim=1))
        return out

    def match_luminance(self, y: Tensor) -> Tensor:
        """``y`` histogram-matched to the samples' luminance."""
        return _match(y, self.sorted[0])

    def map(self, opp: Tensor, snap: float = SNAP) -> Tensor:
        """``1x3xHxW`` opponent colours mapped into the palette: every channel histogram-matched to
        the samples' (the guide's tonal and colour order kept, the samples' range), then the chroma
        pulled by ``snap`` to the nearest colour the samples hold (luminance weighted double)."""
        matched = torch.cat([_match(opp[:, i:i + 1], self.sorted[i]) for i in range(3)], dim=1)
        if snap <= 0:
            return matched
        flat = matched[0].flatten(1).T  # P x 3
        weights = torch.tensor([2.0, 1.0, 1.0])
        nearest = torch.cdist(flat * weights, self.colours * weights).argmin(dim=1)
        snapped = self.colours[nearest].T.reshape(matched.shape)
        chroma = matched[:, 1:] * (1 - snap) + snapped[:, 1:] * snap
        return torch.cat([matched[:, :1], chroma], dim=1)


def map_to_samples(guide: Tensor, palette: SamplePalette, snap: float = SNAP) -> Tensor:
    """``guide`` (``1x3xHxW`` RGB) recoloured into the samples' tones and palette (see the module docstring)."""
    return from_opponent(palette.map(to_opponent(guide), snap)).clamp(0, 1)


def kept_side(closeness: float) -> int:
    """Long side (px) of the guide detail a layout keeps at ``closeness`` (geometric in between)."""
    c = min(1.0, max(0.0, float(closeness)))
    return int(round(LOOSE_SIDE * (TRACE_SIDE / LOOSE_SIDE) ** c))


def work_closeness(closeness: float, rng: np.random.Generator) -> float:
    """One work's closeness in a varied gallery: drawn around ``closeness``, within
    +- :data:`CLOSENESS_SPREAD` x (1 - closeness) (a trace stays a trace)."""
    c = min(1.0, max(0.0, float(closeness)))
    return min(1.0, max(0.0, c + CLOSENESS_SPREAD * (1.0 - c) * float(rng.uniform(-1, 1))))


def _warp_field(h: int, w: int, amplitude: float, rng: np.random.Generator) -> Tensor:
    """A smooth ``1xHxWx2`` displacement (grid units) from :data:`WARP_CELLS` x :data:`WARP_CELLS`
    random control points, bicubic in between, zero mean (the masses bend; the picture does not slide)."""
    cells = torch.from_numpy(rng.uniform(-1, 1, (1, 2, WARP_CELLS, WARP_CELLS))).float() * amplitude
    cells = cells - cells.mean(dim=(2, 3), keepdim=True)
    field = F.interpolate(cells, size=(h, w), mode="bicubic", align_corners=True)
    return field.permute(0, 2, 3, 1)


def _jitter(image: Tensor, closeness: float, rng: np.random.Generator, warp: bool = False) -> Tensor:
    """``image`` shifted, enlarged and turned a little (less the closer), borders reflected;
    with ``warp`` its masses also bent by a smooth field (:data:`MAX_WARP`)."""
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
    if warp:
        grid = grid + _warp_field(int(h), int(w), MAX_WARP * loose, rng)
    return F.grid_sample(image, grid, mode="bilinear", padding_mode="reflection", align_corners=False)


def guided_layout(guide: Tensor, palette: SamplePalette, size: tuple[int, int], closeness: float,
                  rng: np.random.Generator | None = None, strokes: Tensor | None = None,
                  variety: bool = False) -> Tensor:
    """The layout of one guided work at ``size = (h, w)``: the guide kept down to
    :func:`kept_side` px, in the samples' palette (``palette`` built at that side, so the masses
    get the samples' contrast at that scale), moved a little per work (``rng``; None: not moved).
    ``strokes`` (a layout made from the samples) lends its structure finer than the kept side.
    With ``variety`` (and ``rng``) each work is its own reading of the guide: its masses also
    bent by a smooth warp, and its palette leaning to some samples more than others
    (:meth:`SamplePalette.emphasised`); the caller varies ``closeness`` (:func:`work_closeness`)."""
    side = kept_side(closeness)
    guide = L.resize(guide, size)
    if rng is not None:
        guide = _jitter(guide, closeness, rng, warp=variety)
        if variety and closeness < 1:
            palette = palette.emphasised(rng)
    h, w = size
    scale = min(1.0, side / max(h, w))
    small = L.resize(guide, (max(2, round(h * scale)), max(2, round(w * scale))))
    out = L.resize(map_to_samples(small, palette), size)  # mapped at the kept side: cheap, and as blurred
    if strokes is not None:
        strokes = L.resize(strokes, size)
        out = out + STROKES_GAIN * (strokes - L.blurred(strokes, side))
    return out.clamp(0, 1)


def pin_strength(closeness: float) -> float:
    """How strongly the painting's coarse levels are pulled back to the layout's (0.5 .. 1)."""
    return 0.5 + 0.5 * min(1.0, max(0.0, float(closeness)))


def pin(painted: Tensor, layout: Tensor, closeness: float) -> Tensor:
    """``painted`` with its structure coarser than :func:`kept_side` replaced by ``layout``'s,
    by :func:`pin_strength` (the finer levels, the brushwork, are untouched)."""
    side = kept_side(closeness)
    size = (int(painted.shape[-2]), int(painted.shape[-1]))
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
