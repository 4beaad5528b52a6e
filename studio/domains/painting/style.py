"""Style features of a set of paintings: the fixed "prototype" the generator is conditioned on.

A sample set is summarised by the mean, over its images, of a 64-number descriptor: colour
mean and spread, per-channel colour histograms, a luminance histogram, saturation, the
energy of each Laplacian band per channel (brushwork scale), and a histogram of gradient
orientations (stroke direction). The network maps it to FiLM scales and shifts, which is what
gives an instant, no-gradient-step preview; adaptation then refines the weights themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from studio.domains.painting.losses import laplacian_pyramid

STYLE_DIM = 64
_BANDS = 5
_HIST_BINS = 8
_ORIENTATIONS = 8


def _histogram(values: Tensor, bins: int) -> Tensor:
    hist = torch.histc(values.clamp(0, 1), bins=bins, min=0.0, max=1.0)
    return hist / hist.sum().clamp_min(1.0)


def image_features(image: Tensor) -> Tensor:
    """The descriptor of one ``1x3xHxW`` image in ``[0, 1]`` (``STYLE_DIM`` numbers)."""
    x = image[0]
    flat = x.reshape(3, -1)
    mean, std = flat.mean(dim=1), flat.std(dim=1)
    colour_hist = torch.cat([_histogram(flat[c], _HIST_BINS) for c in range(3)])
    luminance = 0.299 * flat[0] + 0.587 * flat[1] + 0.114 * flat[2]
    lum_hist = _histogram(luminance, _HIST_BINS)
    saturation = flat.max(dim=0).values - flat.min(dim=0).values
    sat = torch.stack([saturation.mean(), saturation.std()])
    depth = min(_BANDS, max(1, _max_depth(*x.shape[-2:])))
    bands = laplacian_pyramid(image, depth)
    energy = torch.zeros(_BANDS, 3)
    for i, band in enumerate(bands[:-1] if depth > 1 else bands):
        energy[i] = band[0].reshape(3, -1).std(dim=1)
    energy = torch.log(energy + 1e-3)
    lum = luminance.view(1, 1, *x.shape[-2:])
    gy = lum[..., 1:, :-1] - lum[..., :-1, :-1]
    gx = lum[..., :-1, 1:] - lum[..., :-1, :-1]
    magnitude = (gx.pow(2) + gy.pow(2)).sqrt().flatten()
    angle = (torch.atan2(gy, gx).flatten() % torch.pi) / torch.pi  # orientation in [0, 1)
    orient = torch.zeros(_ORIENTATIONS)
    index = (angle * _ORIENTATIONS).long().clamp(0, _ORIENTATIONS - 1)
    orient.index_add_(0, index, magnitude)
    orient = orient / orient.sum().clamp_min(1e-6)
    parts = [mean, std, colour_hist, lum_hist, sat, energy.flatten(), orient]
    feats = torch.cat(parts)
    return torch.cat([feats, torch.ones(STYLE_DIM - len(feats))])


def _max_depth(h: int, w: int) -> int:
    depth = 1
    while min(h, w) >= 32:
        h, w, depth = h // 2, w // 2, depth + 1
    return depth


def style_features(images: Sequence[Tensor]) -> Tensor:
    """The set's descriptor: the mean of :func:`image_features` over ``images`` (``STYLE_DIM``)."""
    if not images:
        raise ValueError("style features need at least one image")
    with torch.no_grad():
        return torch.stack([image_features(im) for im in images]).mean(dim=0)
