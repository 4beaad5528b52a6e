"""Procedural painting styles: task-level style transforms that multiply meta-training's artists.

Meta-training sees four artists, and a few-shot learner generalises to new artists only as far
as its task distribution reaches (Yao et al. 2021 and Ni et al. 2021 on task augmentation for
meta-learning). A :class:`StyleTransform` turns a training task into a new "artist" by changing
what a style is made of, the same way for every painting of the task: the palette (a rotation
of the hue plane, saturation, a tint), the tonal curve (contrast and gamma), flat colour
(posterisation) and the stroke (a directional smear along one angle, or sharpened edges).
Compositions and drawing stay those of the real paintings. Training uses them through
``TrainingTaskSampler(style_chance=...)`` (``train-painting --styles P``); nothing here runs in
the app.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

# RGB <-> YIQ (luma and two chroma axes): hue rotates, saturation scales the chroma plane
_TO_YIQ = np.array([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]])
_FROM_YIQ = np.linalg.inv(_TO_YIQ)


@dataclass(frozen=True)
class StyleTransform:
    """One procedural style; :func:`identity` changes nothing."""

    hue: float = 0.0  # radians the chroma plane turns
    saturation: float = 1.0  # chroma scale
    tint: tuple[float, float, float] = (0.0, 0.0, 0.0)  # added to RGB in [0, 1]
    contrast: float = 1.0  # around the picture's mean
    gamma: float = 1.0
    posterize: int = 0  # levels per channel (0: off)
    stroke_angle: float = 0.0  # radians of the directional smear
    stroke_length: int = 0  # px of the smear (0 or 1: off)
    sharpen: float = 0.0  # unsharp-mask amount (0: off)


def identity() -> StyleTransform:
    return StyleTransform()


def random_style(rng: np.random.Generator) -> StyleTransform:
    """A random procedural style: every change drawn independently, some often left out."""
    stroke = rng.random() < 0.4
    return StyleTransform(
        hue=float(rng.uniform(-math.pi, math.pi)) if rng.random() < 0.7 else 0.0,
        saturation=float(np.exp(rng.uniform(math.log(0.35), math.log(1.6)))),
        tint=tuple(float(t) for t in rng.normal(0.0, 0.04, 3)),
        contrast=float(np.exp(rng.uniform(math.log(0.7), math.log(1.4)))),
        gamma=float(np.exp(rng.uniform(math.log(0.7), math.log(1.5)))),
        posterize=int(rng.integers(4, 9)) if rng.random() < 0.15 else 0,
        stroke_angle=float(rng.uniform(0.0, math.pi)) if stroke else 0.0,
        stroke_length=int(rng.integers(3, 8)) if stroke else 0,
        sharpen=float(rng.uniform(0.5, 1.5)) if not stroke and rng.random() < 0.3 else 0.0,
    )


def _line_kernel(angle: float, length: int) -> torch.Tensor:
    """A normalised ``length``-px line at ``angle``, anti-aliased, as a 2-D kernel."""
    size = length if length % 2 else length + 1
    c = (size - 1) / 2
    y, x = np.mgrid[:size, :size] - c
    along = x * math.cos(angle) + y * math.sin(angle)
    across = -x * math.sin(angle) + y * math.cos(angle)
    weight = np.clip(1.0 - np.abs(across), 0.0, None) * (np.abs(along) <= length / 2)
    weight /= weight.sum()
    return torch.from_numpy(weight.astype(np.float32))


def _filter(image: np.ndarray, kernel: torch.Tensor) -> np.ndarray:
    t = torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1), dtype=np.float32))[None]
    pad = kernel.shape[-1] // 2
    padded = F.pad(t, (pad, pad, pad, pad), mode="reflect" if min(image.shape[:2]) > pad else "replicate")
    out = F.conv2d(padded, kernel.expand(3, 1, -1, -1).contiguous(), groups=3)
    return out[0].numpy().transpose(1, 2, 0)


def apply_style(rgb: np.ndarray, style: StyleTransform) -> np.ndarray:
    """``rgb`` (``HxWx3`` uint8) in ``style``, as uint8 of the same size."""
    x = rgb.astype(np.float64) / 255.0
    if style.stroke_length > 1:
        x = _filter(x, _line_kernel(style.stroke_angle, style.stroke_length)).astype(np.float64)
    if style.sharpen > 0:
        blurred = _filter(x, torch.tensor([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=torch.float32) / 16)
        x = x + style.sharpen * (x - blurred)
    yiq = x @ _TO_YIQ.T
    c, s = math.cos(style.hue), math.sin(style.hue)
    i, q = yiq[..., 1].copy(), yiq[..., 2].copy()
    yiq[..., 1] = style.saturation * (c * i - s * q)
    yiq[..., 2] = style.saturation * (s * i + c * q)
    x = yiq @ _FROM_YIQ.T + np.asarray(style.tint)
    x = (x - x.mean()) * style.contrast + x.mean()
    x = np.clip(x, 0.0, 1.0) ** style.gamma
    if style.posterize > 1:
        x = np.round(x * (style.posterize - 1)) / (style.posterize - 1)
    return np.clip(np.round(x * 255.0), 0, 255).astype(np.uint8)
