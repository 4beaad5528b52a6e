"""The patch-SWD training loss: zero for identical sets, ordered by similarity, differentiable."""

from __future__ import annotations

import pytest
import torch

from studio.domains.painting import layout as L
from studio.domains.painting import losses
from tests.domains.painting.conftest import painting

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _t(seed: int, size=(48, 64)) -> torch.Tensor:
    return L.to_tensor(painting(seed, size))


def _loss(a: torch.Tensor, targets: list[torch.Tensor], seed: int = 0) -> float:
    return float(losses.patch_swd_loss(a, targets, torch.Generator().manual_seed(seed), patches=2048))


def test_laplacian_bands_sum_back_to_the_image():
    x = _t(1)
    bands = losses.laplacian_pyramid(x, 3)
    rebuilt = bands[-1]
    for band in reversed(bands[:-1]):
        rebuilt = torch.nn.functional.interpolate(rebuilt, size=band.shape[-2:], mode="bilinear",
                                                  align_corners=False) + band
    assert torch.allclose(rebuilt, x, atol=1e-5)


def test_random_patches_are_real_windows_of_the_image():
    x = torch.arange(2 * 3 * 10 * 12, dtype=torch.float32).view(2, 3, 10, 12)
    p = losses.random_patches(x, 5, torch.Generator().manual_seed(0), size=3)
    assert p.shape == (5, 27)
    windows = torch.nn.functional.unfold(x, 3).transpose(1, 2).reshape(-1, 27)
    for row in p:
        assert (windows == row).all(dim=1).any()


def test_identical_sets_score_near_zero_and_other_styles_score_higher():
    same = _loss(_t(1), [_t(1)])
    similar = _loss(_t(2), [_t(1)])
    blurred = _loss(L.blurred(_t(1), 8), [_t(1)])
    assert same < 0.02
    assert blurred > same and similar > same


def test_quantile_matching_handles_unequal_counts():
    a = torch.linspace(0, 1, 100)[:, None]
    b = torch.linspace(0, 1, 37)[:, None]
    assert float(losses.sliced_wasserstein(a, b, torch.ones(1, 1))) < 1e-4


def test_loss_is_differentiable_and_seeded():
    x = _t(3).requires_grad_(True)
    loss = losses.patch_swd_loss(x, [_t(1)], torch.Generator().manual_seed(5))
    loss.backward()
    assert x.grad is not None and float(x.grad.abs().sum()) > 0
    assert _loss(_t(3), [_t(1)], 9) == _loss(_t(3), [_t(1)], 9)


def test_pyramid_depth_stops_at_16_px():
    assert losses.pyramid_depth(256, 256) == 5
    assert losses.pyramid_depth(128, 128) == 4
    assert losses.pyramid_depth(20, 200) >= 2
