"""The training loss of the painting generator: a sliced Wasserstein distance between the
7x7 patches of generated and target images, on every level of a Laplacian pyramid.

It is the differentiable sibling of the benchmark's metric (:mod:`.metrics`, Karras et al.
2018) and of the patch-distribution losses of Heitz et al. (2021) and GPDM (Elnekave & Weiss,
2022), but on raw pixels, since no pretrained network may be downloaded. For each level:
random patches of both sets, normalised per channel by the target's statistics, projected on
random unit directions; the loss is the mean squared difference of the sorted projections
(the 1-D optimal transport), with the target's quantiles interpolated when the counts differ.

Everything works on ``Bx3xHxW`` float tensors in ``[0, 1]``; sizes need not match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from studio.errors import Cancelled

PATCH = 7
_BINOMIAL = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0]) / 16.0


def blur(x: Tensor) -> Tensor:
    """5x5 binomial low-pass with mirrored borders on ``BxCxHxW``."""
    c = x.shape[1]
    k = _BINOMIAL.to(x)
    mode = "reflect" if min(x.shape[-2:]) > 2 else "replicate"
    x = F.pad(x, (2, 2, 2, 2), mode=mode)
    x = F.conv2d(x, k.view(1, 1, 5, 1).expand(c, 1, 5, 1), groups=c)
    return F.conv2d(x, k.view(1, 1, 1, 5).expand(c, 1, 1, 5), groups=c)


def downsample(x: Tensor) -> Tensor:
    """One Gaussian-pyramid step: blur, keep every second pixel."""
    return blur(x)[..., ::2, ::2]


def laplacian_pyramid(x: Tensor, levels: int) -> list[Tensor]:
    """``levels`` bands of ``x``, finest first; the last is the low-pass residual."""
    bands = []
    current = x
    for _ in range(levels - 1):
        coarse = downsample(current)
        up = F.interpolate(coarse, size=current.shape[-2:], mode="bilinear", align_corners=False)
        bands.append(current - up)
        current = coarse
    bands.append(current)
    return bands


def pyramid_depth(height: int, width: int, min_side: int = 16) -> int:
    """How many levels fit while the long side stays at least ``min_side`` and patches fit."""
    depth, h, w = 1, height, width
    while max(h, w) // 2 >= min_side and min(h, w) // 2 >= PATCH:
        h, w = (h + 1) // 2, (w + 1) // 2
        depth += 1
    return depth


def random_patches(x: Tensor, count: int, generator: torch.Generator, size: int = PATCH) -> Tensor:
    """``count`` random ``size x size`` patches of ``x`` (any batch) as ``count x (C*size*size)``.

    Positions draw from ``generator`` (a CPU generator, whatever ``x``'s device), so a seed picks
    the same patches on every device.
    """
    b, _, h, w = x.shape
    if h < size or w < size:
        x = F.pad(x, (0, max(0, size - w), 0, max(0, size - h)), mode="replicate")
        b, _c, h, w = x.shape
    bi = torch.randint(0, b, (count,), generator=generator).to(x.device)
    yi = torch.randint(0, h - size + 1, (count,), generator=generator).to(x.device)
    xi = torch.randint(0, w - size + 1, (count,), generator=generator).to(x.device)
    offsets = torch.arange(size, device=x.device)
    rows = (yi[:, None] + offsets[None])[:, :, None].expand(count, size, size)
    cols = (xi[:, None] + offsets[None])[:, None, :].expand(count, size, size)
    patches = x[bi[:, None, None], :, rows, cols]  # count x size x size x C
    return patches.permute(0, 3, 1, 2).reshape(count, -1)


def _quantiles(sorted_values: Tensor, count: int) -> Tensor:
    """``count`` evenly spaced quantiles of each column of ``sorted_values`` (linear interpolation)."""
    n = sorted_values.shape[0]
    if n == count:
        return sorted_values
    pos = (torch.arange(count, dtype=sorted_values.dtype, device=sorted_values.device) + 0.5) * (n / count) - 0.5
    pos = pos.clamp(0, n - 1)
    lo = pos.floor().long()
    hi = (lo + 1).clamp(max=n - 1)
    frac = (pos - lo.to(pos.dtype))[:, None]
    return sorted_values[lo] * (1 - frac) + sorted_values[hi] * frac


def sliced_wasserstein(a: Tensor, b: Tensor, directions: Tensor) -> Tensor:
    """Mean squared 1-D transport cost of rows ``a`` to rows ``b`` along ``directions`` (D x K)."""
    pa = torch.sort(a @ directions, dim=0).values
    pb = torch.sort(b @ directions, dim=0).values
    return (pa - _quantiles(pb, pa.shape[0])).pow(2).mean()


def patch_swd_loss(generated: Tensor, targets: Sequence[Tensor], generator: torch.Generator, *,
                   patches: int = 1024, directions: int = 64, levels: int | None = None,
                   level_weights: Sequence[float] | None = None,
                   should_stop: Callable[[], bool] | None = None) -> Tensor:
    """Sliced Wasserstein distance between the 7x7 Laplacian-pyramid patches of ``generated``
    (``Bx3xHxW``) and of ``targets`` (a list of ``1x3xhxw`` images of any size), summed over levels.

    ``levels`` defaults to what fits the generated images (down to 16 px). Directions and patch
    positions draw from ``generator``, so a fixed seed gives a fixed loss. Target patches carry
    no gradient; each level is normalised per channel by the targets' statistics.
    ``should_stop`` is read before each level: when it turns true, Cancelled is raised.
    """
    depth = levels or pyramid_depth(*generated.shape[-2:])
    gen_bands = laplacian_pyramid(generated, depth)
    with torch.no_grad():
        tgt_bands = [laplacian_pyramid(t, depth) for t in targets]
    weights = list(level_weights) if level_weights is not None else [1.0] * depth
    total = generated.new_zeros(())
    dim = 3 * PATCH * PATCH
    per_target = max(1, patches // len(targets))
    for level in range(depth):
        if should_stop is not None and should_stop():
            raise Cancelled()
        with torch.no_grad():
            ref = torch.cat([random_patches(bands[level], per_target, generator) for bands in tgt_bands])
            per_channel = ref.view(len(ref), 3, -1)
            mean = per_channel.mean(dim=(0, 2))
            std = per_channel.std(dim=(0, 2)).clamp_min(1e-3)
            mean = mean.repeat_interleave(PATCH * PATCH)
            std = std.repeat_interleave(PATCH * PATCH)
            ref = (ref - mean) / std
            dirs = torch.randn(dim, directions, generator=generator).to(generated.device)
            dirs = dirs / dirs.norm(dim=0, keepdim=True)
        gen = (random_patches(gen_bands[level], patches, generator) - mean) / std
        total = total + weights[level] * sliced_wasserstein(gen, ref, dirs)
    return total / sum(weights)
