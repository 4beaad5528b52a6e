"""The FiLM hypernetwork: identity start, permutation invariance, refinement and meta-training."""

from __future__ import annotations

import math

import pytest
import torch
from torch.func import functional_call

from studio.errors import Cancelled
from studio.meta.hypernet import (FiLMMLP, FiLMMLPConfig, HyperNetConfig, HyperNetwork, HyperTrainConfig,
                                  meta_train, modulated_params, query_mse, refine)
from studio.progress import RecordingProgress


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def sinusoids(g: torch.Generator, batch: int, k: int = 10, q: int = 10):
    """The sinusoid family of Finn et al.: amplitude U[0.1, 5], phase U[0, pi], x U[-5, 5]."""
    amp = 0.1 + 4.9 * torch.rand(batch, 1, 1, generator=g)
    phase = math.pi * torch.rand(batch, 1, 1, generator=g)
    x = 10 * torch.rand(batch, k + q, 1, generator=g) - 5
    y = amp * torch.sin(x - phase)
    return x[:, :k], y[:, :k], x[:, k:], y[:, k:]


def nets(pooling: str = "mean") -> tuple[FiLMMLP, HyperNetwork]:
    torch.manual_seed(0)
    return FiLMMLP(), HyperNetwork(HyperNetConfig(pooling=pooling))


def test_untrained_hypernetwork_is_the_identity_modulation() -> None:
    target, hyper = nets()
    sx, sy, qx, _ = sinusoids(torch.Generator().manual_seed(0), 1)
    params = modulated_params(hyper, target, sx[0], sy[0])
    assert set(dict(target.named_parameters())) < set(params)
    torch.testing.assert_close(functional_call(target, params, (qx[0],)), target(qx[0]))


def test_modulations_change_the_target_and_accept_a_task_batch() -> None:
    target, _ = nets()
    x = torch.linspace(-5, 5, 7).view(1, 7, 1).expand(2, 7, 1)
    film = {k: v.expand(2, 1, -1).clone() for k, v in target.named_buffers()}
    film["film_scale_0"][1] *= 2.0
    out = functional_call(target, {**dict(target.named_parameters()), **film}, (x,))
    torch.testing.assert_close(out[0], target(x[0]))
    assert not torch.allclose(out[1], out[0])


@pytest.mark.parametrize("pooling", ["mean", "attention"])
def test_modulations_are_invariant_to_the_order_of_the_support_set(pooling: str) -> None:
    target, hyper = nets(pooling)
    for p in hyper.head[-1].parameters():  # leave the identity start so the check means something
        torch.nn.init.normal_(p)
    sx, sy, _, _ = sinusoids(torch.Generator().manual_seed(1), 3)
    perm = torch.randperm(sx.shape[1], generator=torch.Generator().manual_seed(2))
    a, b = hyper(sx, sy), hyper(sx[:, perm], sy[:, perm])
    single = hyper(sx[1], sy[1])
    for key in a:
        torch.testing.assert_close(a[key], b[key])
        torch.testing.assert_close(a[key][1, 0], single[key])  # batched and single tasks agree
    assert not torch.allclose(a["film_scale_0"][0], a["film_scale_0"][1])


def test_empty_support_is_rejected() -> None:
    _, hyper = nets()
    with pytest.raises(ValueError, match="empty"):
        hyper(torch.zeros(0, 1), torch.zeros(0, 1))


def test_refine_lowers_the_support_loss_without_touching_its_input() -> None:
    target, hyper = nets()
    sx, sy, _, _ = sinusoids(torch.Generator().manual_seed(3), 1)
    params = modulated_params(hyper, target, sx[0], sy[0])
    before = {k: v.detach().clone() for k, v in params.items()}
    refined = refine(target, params, sx[0], sy[0], steps=20, lr=0.05)

    def mse(p: dict[str, torch.Tensor]) -> float:
        with torch.no_grad():
            return float(((functional_call(target, p, (sx[0],)) - sy[0]) ** 2).mean())

    assert mse(refined) < mse(params)
    for k in before:
        torch.testing.assert_close(params[k].detach(), before[k])
    for k in dict(target.named_parameters()):  # only the FiLM tensors moved
        torch.testing.assert_close(refined[k], before[k])


def test_meta_trained_hypernetwork_beats_the_unmodulated_base() -> None:
    cfg = HyperTrainConfig(steps=200, lr=3e-3, seed=0)
    target, hyper = nets("attention")
    meta_train(target, hyper, sinusoids, cfg)
    torch.manual_seed(0)
    base = FiLMMLP(FiLMMLPConfig())
    meta_train(base, None, sinusoids, cfg)
    sx, sy, qx, qy = sinusoids(torch.Generator().manual_seed(99), 100)
    with torch.no_grad():
        adapted = float(query_mse(target, hyper, sx, sy, qx, qy))
        plain = float(query_mse(base, None, sx, sy, qx, qy))
    assert adapted < 0.8 * plain, (adapted, plain)


def test_meta_training_stops_when_asked() -> None:
    target, hyper = nets()
    progress = RecordingProgress()
    progress.request_stop()
    with pytest.raises(Cancelled):
        meta_train(target, hyper, sinusoids, HyperTrainConfig(steps=3), progress)
