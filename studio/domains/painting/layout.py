"""Compositions: the coarse colour layouts the painting generator paints over.

A fully convolutional generator fed only noise paints formless texture fields (the issue's
SinGAN-from-scratch observation). Ours paints over a *layout*: a blurred, low-resolution
colour image that fixes where the masses, the horizon and the light sit. New layouts are made
from the user's samples the way SinGAN and GPNN make variations of one image: a random crop
at the target aspect ratio, a flip, and often a soft-masked mix with a second crop, all
reduced to ``coarse_side`` pixels (16-64) and enlarged again; the generator invents every
detail finer than that. Variations, blends, repaints and larger renders build their layouts
from an existing work instead (:func:`from_image`, :func:`mix`).

Tensors are ``1x3xHxW`` floats in ``[0, 1]``; randomness comes from a numpy Generator.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

DEFAULT_COARSE_SIDE = 32
MIN_CROP_AREA = 0.45


def to_tensor(rgb: np.ndarray) -> Tensor:
    """``HxWx3`` uint8 to a ``1x3xHxW`` float tensor in ``[0, 1]``."""
    rgb = np.asarray(rgb)
    if not rgb.flags.writeable:  # a read-only picture (a Guide's): torch wants a writable buffer
        rgb = rgb.copy()
    return torch.from_numpy(np.ascontiguousarray(rgb)).permute(2, 0, 1)[None].float() / 255.0


def to_rgb(image: Tensor) -> np.ndarray:
    """``1x3xHxW`` (any range) to ``HxWx3`` uint8, clipped."""
    return (image[0].detach().clamp(0, 1).permute(1, 2, 0) * 255.0 + 0.5).to(torch.uint8).numpy()


def size_for(aspect: float, long_side: int) -> tuple[int, int]:
    """``(height, width)`` with the given width/height ``aspect`` and long side (even numbers)."""
    if aspect >= 1:
        h, w = long_side / aspect, long_side
    else:
        h, w = long_side, long_side * aspect
    return max(16, round(h / 2) * 2), max(16, round(w / 2) * 2)


def resize(image: Tensor, size: tuple[int, int]) -> Tensor:
    """Area-antialiased downscale or bicubic upscale to ``size = (h, w)``."""
    if tuple(image.shape[-2:]) == tuple(size):
        return image
    down = size[0] < image.shape[-2] or size[1] < image.shape[-1]
    return F.interpolate(image, size=size, mode="bilinear" if down else "bicubic",
                         align_corners=False, antialias=down).clamp(0, 1)


def blurred(image: Tensor, coarse_side: int, size: tuple[int, int] | None = None) -> Tensor:
    """``image`` reduced to a long side of ``coarse_side`` and enlarged to ``size`` (default: its own)."""
    h, w = image.shape[-2:]
    scale = coarse_side / max(h, w)
    small = resize(image, (max(2, round(h * scale)), max(2, round(w * scale))))
    return resize(small, size or (h, w))


def _crop(image: Tensor, aspect: float, rng: np.random.Generator, min_area: float) -> Tensor:
    """A random crop of ``image`` with width/height ``aspect`` and a random share of the largest one."""
    h, w = image.shape[-2:]
    if w / h > aspect:
        ch, cw = h, h * aspect
    else:
        ch, cw = w / aspect, w
    side = float(np.sqrt(rng.uniform(min_area, 1.0)))
    ch, cw = max(2, int(ch * side)), max(2, int(cw * side))
    y = int(rng.integers(0, h - ch + 1))
    x = int(rng.integers(0, w - cw + 1))
    out = image[..., y:y + ch, x:x + cw]
    return out.flip(-1) if rng.random() < 0.5 else out


def soft_mask(size: tuple[int, int], rng: np.random.Generator, cells: int = 3, softness: float = 0.12) -> Tensor:
    """A smooth random ``1x1xHxW`` mask in ``[0, 1]``: low-frequency noise through a soft threshold."""
    grid = torch.from_numpy(rng.standard_normal((1, 1, cells, cells)).astype(np.float32))
    field = F.interpolate(grid, size=size, mode="bicubic", align_corners=False)
    return torch.sigmoid(field / softness)


def mix(a: Tensor, b: Tensor, rng: np.random.Generator) -> Tensor:
    """``a`` and ``b`` (same size) joined along a soft random boundary."""
    m = soft_mask(tuple(a.shape[-2:]), rng)
    return a * m + b * (1 - m)


def sample_layout(samples: Sequence[Tensor], size: tuple[int, int], rng: np.random.Generator, *,
                  coarse_side: int = DEFAULT_COARSE_SIDE, mix_chance: float = 0.5,
                  min_area: float = MIN_CROP_AREA) -> Tensor:
    """A new composition of ``size = (h, w)`` from the samples (see the module docstring)."""
    if not samples:
        raise ValueError("a layout needs at least one sample")
    aspect = size[1] / size[0]
    first = samples[int(rng.integers(len(samples)))]
    layout = resize(_crop(first, aspect, rng, min_area), size)
    if rng.random() < mix_chance:
        second = samples[int(rng.integers(len(samples)))]
        layout = mix(layout, resize(_crop(second, aspect, rng, min_area), size), rng)
    return blurred(layout, coarse_side)


def from_image(image: Tensor, size: tuple[int, int], coarse_side: int) -> Tensor:
    """The layout of an existing work at ``size``, keeping detail down to ``coarse_side`` px."""
    return blurred(resize(image, size), coarse_side)


def closeness_side(closeness: float, long_side: int) -> int:
    """How much of a work a variation keeps: closeness 0 keeps a 12-px layout, 1 a quarter-size one."""
    c = min(1.0, max(0.0, closeness))
    return round(12 * (max(16, long_side // 4) / 12) ** c)
