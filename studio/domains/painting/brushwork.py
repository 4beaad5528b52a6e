"""Brushwork from the samples: example-based detail transfer over a painted work.

The network paints palette, masses and composition well, but its own fine detail is a grain of
isolated dots (see docs/BENCHMARKS.md). This module replaces that detail with the artist's: a
work keeps its low-pass (``octaves`` octaves down) and its detail band is rebuilt from patches
of the samples' detail bands, each chosen where the sample's low-pass looks most like the
work's there (the example-based recipe of Freeman, Jones & Pasztor 2002 and Hertzmann et al.'s
image analogies, with the work's own low-pass as the guide; GPNN's completeness normalisation
spreads the choice over the bank). Patches of ``patch`` px are laid every ``stride`` px and
cross-faded where they overlap, the blended band's overall contrast is restored, and a share
(``keep_own``) of the work's own detail stays on top, so no sample patch is pasted whole and
flat regions do not turn into exact copies of a sample's blank paper.

Two choices thin the grid that this leaves at 100 % (measured by ``python main.py bench surface``
against genuine paintings). Each query takes at random one of its ``choices`` nearest sample patches
that fit about as well as the nearest (within ``tolerance``): on a flat ground many patches match
about equally well, and always taking the nearest one tiled the same patch every ``stride`` px, a
lattice of light dots; where one patch fits clearly best it is still taken, so strokes stay whole
(a freer draw clears the dots on the darkest grounds too, but costs fine-level fidelity). And the
cross-fade weights are normalised by their sum (``blend="linear"``), which keeps whatever
neighbouring patches share (their mean, a gradient) at its level; weights over the root of their
sum of squares (variance-preserving, Heitz & Neyret 2018) keep independent patches' contrast along
seams but multiply a shared part by 1.1-1.9 with the period of the stride, drawing the lattice again.

:class:`DetailBank` holds the samples' (guide, detail) patch pairs at one scale; the generator
builds one per sample set and picture size. :func:`transfer` is deterministic: the same work,
bank and strength give the same picture (the random choices are seeded by the work's pixels).
Everything is ``1x3xHxW`` float in ``[0, 1]``.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from studio.domains.painting.gpnn import nearest_keys
from studio.domains.painting.losses import blur


@dataclass(frozen=True)
class BrushworkConfig:
    """How detail is transferred (defaults chosen on tasks of the training artists)."""

    patch: int = 8  # px of a transferred detail patch
    stride: int = 4  # px between two patches of a work (patch - stride px are cross-faded)
    octaves: int = 3  # the work keeps its structure coarser than 2**octaves px; the samples give the rest
    max_keys: int = 4_000  # sample patches searched per bank (a random, seeded subset)
    key_pool: int = 4  # guides are compared at patch / key_pool resolution (the low-pass is smooth there)
    completeness: float = 0.001  # GPNN's alpha: favour sample patches no other query matches better (0: off)
    restore_contrast: bool = True  # undo the blending's loss of contrast (one gain per channel)
    blend: str = "linear"  # cross-fade weights over their sum: what neighbouring patches share keeps its level
    # ("variance": over the root of their squares, so seams between independent patches keep their contrast,
    # but a shared part is multiplied by 1.1-1.9 with the stride's period: a lattice, bench surface)
    choices: int = 8  # each query takes one of its this many nearest sample patches at random (1: the nearest;
    # on flat grounds it tiled the same patch every stride px, bench surface) ...
    tolerance: float = 0.1  # ... among those within (1 + tolerance) x the nearest one's distance, so the choice is
    # free where patches fit as well (flat grounds) and strokes stay whole where one fits best: 0.3 or no limit
    # clean dark grounds more but cost guided paintings' fine-level SWD (1.02 -> 1.14 / 1.38, bench guided)
    keep_own: float = 0.35  # share of the work's own detail kept on top of the transferred detail

    def __post_init__(self) -> None:
        if self.patch < 2 or not 1 <= self.stride <= self.patch or self.patch % self.key_pool:
            raise ValueError(f"patch, stride and key_pool do not fit: {self}")
        if self.octaves < 1 or self.max_keys < 1 or self.choices < 1:
            raise ValueError(f"octaves, max_keys and choices must be >= 1: {self}")
        if self.tolerance < 0:
            raise ValueError(f"tolerance must be >= 0: {self}")
        if self.blend not in ("linear", "variance"):
            raise ValueError(f"blend must be 'linear' or 'variance': {self}")


DEFAULT = BrushworkConfig()
SEARCH_CHUNK = 2048  # queries per distance block: 256 made a 1024-px render's search 3.7x slower (bench guided)
KEEP_DISTANCES = 24_000_000  # distances (96 MB) kept between the search's two passes (a 256-px work: 17 M)


def low_pass(image: Tensor, octaves: int = DEFAULT.octaves) -> Tensor:
    """``image`` without its finest ``octaves`` octaves: blurred and halved ``octaves`` times, then
    enlarged back (bilinear both ways, pixel centres aligned, so edges stay where they are)."""
    coarse = image
    for _ in range(octaves):
        h, w = coarse.shape[-2:]
        if min(h, w) < 4:
            break
        coarse = F.interpolate(blur(coarse), size=(h // 2, w // 2), mode="bilinear", align_corners=False)
    return F.interpolate(coarse, size=image.shape[-2:], mode="bilinear", align_corners=False)


def _guides(low: Tensor, config: BrushworkConfig) -> Tensor:
    """Guide vectors of ``[N, 3 * patch * patch]`` low-pass patches (average-pooled by ``key_pool``)."""
    p = config.patch
    return F.avg_pool2d(low.reshape(low.shape[0], 3, p, p), config.key_pool).flatten(1)


def _gather(plane: Tensor, rows: Tensor, cols: Tensor) -> Tensor:
    """Patches of a ``[3, H, W]`` plane at ``[n, p]`` row and column indices, as ``[n, 3 * p * p]``
    in ``F.unfold``'s order (channel-major)."""
    return plane[:, rows[:, :, None], cols[:, None, :]].permute(1, 0, 2, 3).reshape(rows.shape[0], -1)


@dataclass(frozen=True)
class DetailBank:
    """The samples' patches at one scale: low-pass guides and the detail each one carries."""

    guides: Tensor  # [N, 3 * (patch / key_pool) ** 2]
    details: Tensor  # [N, 3 * patch * patch]
    config: BrushworkConfig = DEFAULT

    @classmethod
    def from_images(cls, images: Sequence[Tensor], config: BrushworkConfig = DEFAULT, seed: int = 0) -> DetailBank:
        """A bank of ``config.max_keys`` patches drawn at random (seeded) from every position
        of ``images`` on a 2-px grid, each image in proportion to its positions; only the drawn
        patches are gathered, so memory stays small at any picture size. Raises ValueError when
        no image is one patch or larger."""
        p = config.patch
        usable = [im for im in images if min(im.shape[-2:]) >= p]
        if not usable:
            raise ValueError(f"no sample is at least {p} px on each side")
        grids = [((im.shape[-2] - p) // 2 + 1, (im.shape[-1] - p) // 2 + 1) for im in usable]
        positions = torch.tensor([gh * gw for gh, gw in grids], dtype=torch.float64)
        total = int(positions.sum())
        generator = torch.Generator().manual_seed(seed)
        chosen = torch.randperm(total, generator=generator)[:config.max_keys].sort().values
        starts = torch.cumsum(positions, 0).long() - positions.long()
        offsets = torch.arange(p)
        guides, details = [], []
        for image, (_, gw), start, count in zip(usable, grids, starts, positions.long()):
            mine = chosen[(chosen >= start) & (chosen < start + count)] - start
            if len(mine) == 0:
                continue
            rows = (mine // gw * 2)[:, None] + offsets  # [n, p]
            cols = (mine % gw * 2)[:, None] + offsets
            low = low_pass(image, config.octaves)[0]
            guides.append(_guides(_gather(low, rows, cols), config))
            details.append(_gather(image[0] - low, rows, cols))
        return cls(torch.cat(guides).contiguous(), torch.cat(details).contiguous(), config)

    def __len__(self) -> int:
        return len(self.guides)


def _window(patch: int, stride: int) -> Tensor:
    """A 2-D blending window over one patch, flattened like ``F.unfold``'s columns (channel-major):
    1 in the middle, ramping down over the ``patch - stride`` px that the next patch overlaps (at
    the default half overlap, a tent: every pixel blends two patches along each axis)."""
    overlap = patch - stride
    x = torch.arange(patch, dtype=torch.float32) + 0.5
    w = torch.ones(patch) if overlap == 0 else torch.minimum(x / overlap, (patch - x) / overlap).clamp(max=1.0)
    return (w[:, None] * w[None, :]).flatten().repeat(3)


def choose_keys(queries: Tensor, keys: Tensor, config: BrushworkConfig, seed: int) -> Tensor:
    """Per query, the index of one of its ``config.choices`` nearest keys whose distance is within
    ``1 + config.tolerance`` times the nearest one's, drawn uniformly with a generator seeded by
    ``seed`` (distances with GPNN's completeness normalisation, as :func:`.gpnn.nearest_keys`,
    which this is with ``choices`` 1 or ``tolerance`` 0 and no ties). When the whole distance matrix
    fits in :data:`KEEP_DISTANCES` values (a 256-px work), the completeness pass's blocks are kept
    for the choice instead of computed twice."""
    dim = queries.shape[1]
    if config.choices == 1:
        return nearest_keys(queries, keys, config.completeness, SEARCH_CHUNK, dim)
    k = min(config.choices, keys.shape[0])
    k_sq = (keys * keys).sum(1)
    keys_t = keys.T.contiguous()
    blocks = range(0, queries.shape[0], SEARCH_CHUNK)
    kept: list[Tensor] = []
    q_sq = (queries * queries).sum(1, keepdim=True)
    if config.completeness > 0:
        keep = queries.shape[0] * keys.shape[0] <= KEEP_DISTANCES
        col_min = torch.full((keys.shape[0],), float("inf"))
        for s in blocks:
            part = torch.addmm(q_sq[s:s + SEARCH_CHUNK], queries[s:s + SEARCH_CHUNK], keys_t, alpha=-2.0)
            col_min = torch.minimum(col_min, part.amin(0))
            if keep:
                kept.append(part)
        inverse = 1.0 / (config.completeness * dim + (col_min + k_sq).clamp_min(0.0))
    draws = torch.rand(queries.shape[0], generator=torch.Generator().manual_seed(seed))
    out = torch.empty(queries.shape[0], dtype=torch.long)
    if config.completeness > 0 and not kept:  # (|q|^2 - 2 q.k + |k|^2) * inverse as one product
        rows = torch.cat([queries, q_sq, torch.ones_like(q_sq)], 1)
        scaled = torch.cat([-2.0 * keys * inverse[:, None], inverse[:, None], (k_sq * inverse)[:, None]], 1).T.contiguous()
    for i, s in enumerate(blocks):
        if config.completeness > 0 and kept:
            d = kept[i].add_(k_sq).clamp_min_(0.0).mul_(inverse)
        elif config.completeness > 0:
            d = rows[s:s + SEARCH_CHUNK] @ scaled
        else:  # plain squared distances (the tolerance compares them, so |q|^2 is needed)
            d = torch.addmm(q_sq[s:s + SEARCH_CHUNK], queries[s:s + SEARCH_CHUNK], keys_t, alpha=-2.0)
            d = d.add_(k_sq).clamp_min_(0.0)
        distance, nearest = d.topk(k, dim=1, largest=False)  # sorted, nearest first
        distance = distance.clamp_min(0.0)
        fit = (distance <= distance[:, :1] * (1.0 + config.tolerance)).sum(1)  # at least the nearest itself
        pick = (draws[s:s + SEARCH_CHUNK] * fit).long().clamp_(max=k - 1)
        out[s:s + SEARCH_CHUNK] = nearest.gather(1, pick[:, None])[:, 0]
    return out


def _seed_of(image: Tensor) -> int:
    """A seed from ``image``'s pixels (every 5th row and column): the same work, the same choices."""
    return zlib.crc32(image.detach()[..., ::5, ::5].contiguous().numpy().tobytes())


def transfer(image: Tensor, bank: DetailBank, strength: float = 1.0) -> Tensor:
    """``image`` with its detail band rebuilt from the bank's (``strength`` 0 keeps the image as it
    is; 1 puts the transferred band plus ``keep_own`` of the image's own band over its low-pass;
    in between, a mix of the two). Works at any size and aspect ratio."""
    c = bank.config
    if strength <= 0 or len(bank) == 0 or min(image.shape[-2:]) < c.patch:
        return image
    h, w = image.shape[-2:]
    # pad so that every pixel is covered by whole patches, then crop back
    pad_h, pad_w = c.patch + (-h) % c.stride, c.patch + (-w) % c.stride
    top = left = c.patch // 2
    mode = "reflect" if min(h, w) > c.patch else "replicate"
    padded = F.pad(image, (left, pad_w - left, top, pad_h - top), mode=mode)
    low = low_pass(padded, c.octaves)
    queries = _guides(F.unfold(low, c.patch, stride=c.stride)[0].T, c)
    chosen = bank.details[choose_keys(queries, bank.guides, c, _seed_of(image))]
    window = _window(c.patch, c.stride)
    size = padded.shape[-2:]
    summed = F.fold((chosen * window).T[None], size, c.patch, stride=c.stride)
    weights = window if c.blend == "linear" else window * window
    weight = F.fold(weights[None, :, None].expand(1, -1, chosen.shape[0]).contiguous(), size, c.patch,
                    stride=c.stride)
    detail = summed / (weight if c.blend == "linear" else weight.sqrt()).clamp_min(1e-6)
    if c.restore_contrast:  # blending overlapping patches averages their detail away: restore its energy
        energy = F.fold((chosen * chosen * weights).T[None], size, c.patch, stride=c.stride) / weight.clamp_min(1e-6)
        gain = (energy.mean(dim=(2, 3), keepdim=True) / (detail * detail).mean(dim=(2, 3), keepdim=True)
                .clamp_min(1e-12)).sqrt()
        detail = detail * gain
    s = min(float(strength), 1.0)
    own = padded - low
    out = low + s * (detail + c.keep_own * own) + (1.0 - s) * own
    return out[..., top:top + h, left:left + w].clamp(0.0, 1.0)
