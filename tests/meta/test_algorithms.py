"""Meta-gradients checked against finite differences and against what theory says they are."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn

from studio.meta import functional as F
from studio.meta.algorithms import (METHODS, AlgorithmConfig, init_meta_lrs, meta_gradients, reptile_direction,
                                    reptile_update)
from studio.meta.episodes import MetaBatch
from studio.meta.inner import InnerConfig, inner_loop

INNER = InnerConfig(steps=2, lrs=(0.1, 0.05))


def outer_loss(model, theta, batch, inner, meta_lrs=None) -> float:
    """The MAML objective evaluated plainly (no meta-gradient machinery)."""
    total = 0.0
    for task in batch.tasks:
        phi, _ = inner_loop(model, theta, None, task.support_x, task.support_y, F.mse_loss, inner,
                            track_params=False, meta_lrs=meta_lrs)
        total += float(F.loss_at(model, phi, None, task.query_x, task.query_y, F.mse_loss))
    return total / len(batch)


def finite_difference(fn, tensors: dict, eps: float = 1e-6) -> dict:
    grads = {}
    for name, t in tensors.items():
        g = torch.zeros_like(t)
        for i in range(t.numel()):
            old = t.view(-1)[i].item()
            with torch.no_grad():
                t.view(-1)[i] = old + eps
            up = fn()
            with torch.no_grad():
                t.view(-1)[i] = old - eps
            down = fn()
            with torch.no_grad():
                t.view(-1)[i] = old
            g.view(-1)[i] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


@pytest.mark.parametrize("vectorize", [False, True])
def test_maml_meta_gradient_matches_finite_differences(tiny_model, tiny_batch, vectorize):
    theta = F.params_of(tiny_model)
    got = meta_gradients(tiny_model, theta, None, tiny_batch, F.mse_loss, AlgorithmConfig("maml", INNER),
                         vectorize=vectorize)
    numeric = finite_difference(lambda: outer_loss(tiny_model, theta, tiny_batch, INNER), theta)
    for name in theta:
        torch.testing.assert_close(got.params[name], numeric[name], atol=1e-8, rtol=1e-6)
    assert got.query_loss == pytest.approx(outer_loss(tiny_model, theta, tiny_batch, INNER))


@pytest.mark.parametrize("vectorize", [False, True])
def test_metasgd_gradients_of_params_and_learning_rates_match_finite_differences(tiny_model, tiny_batch, vectorize):
    theta = F.params_of(tiny_model)
    lrs = init_meta_lrs(theta, 0.1)
    with torch.no_grad():
        for t in lrs.values():
            t.add_(torch.linspace(0.0, 0.05, t.numel(), dtype=t.dtype).view_as(t))
    got = meta_gradients(tiny_model, theta, None, tiny_batch, F.mse_loss, AlgorithmConfig("metasgd", INNER),
                         meta_lrs=lrs, vectorize=vectorize)
    fn = lambda: outer_loss(tiny_model, theta, tiny_batch, INNER, lrs)  # noqa: E731
    for mine, numeric in ((got.params, finite_difference(fn, theta)), (got.meta_lrs, finite_difference(fn, lrs))):
        for name in numeric:
            torch.testing.assert_close(mine[name], numeric[name], atol=1e-8, rtol=1e-6)


def test_first_order_gradient_is_the_query_gradient_at_the_adapted_params(tiny_model, tiny_batch):
    theta = F.params_of(tiny_model)
    fo = meta_gradients(tiny_model, theta, None, tiny_batch, F.mse_loss, AlgorithmConfig("fomaml", INNER))
    expected = []
    for task in tiny_batch.tasks:
        phi, _ = inner_loop(tiny_model, theta, None, task.support_x, task.support_y, F.mse_loss, INNER,
                            track_params=False)
        phi = {n: p.requires_grad_() for n, p in phi.items()}
        loss = F.loss_at(tiny_model, phi, None, task.query_x, task.query_y, F.mse_loss)
        expected.append(dict(zip(phi, torch.autograd.grad(loss, list(phi.values())))))
    for name, value in F.mean(expected).items():
        torch.testing.assert_close(fo.params[name], value)


def test_second_minus_first_order_is_the_hessian_term(tiny_model, tiny_batch):
    """One inner step: maml - fomaml = -lr * H_support(theta) @ grad_query(phi)."""
    inner = InnerConfig(steps=1, lrs=(0.1,))
    batch = MetaBatch(tiny_batch.tasks[:1])
    task = batch.tasks[0]
    theta = F.params_of(tiny_model)
    so = meta_gradients(tiny_model, theta, None, batch, F.mse_loss, AlgorithmConfig("maml", inner))
    fo = meta_gradients(tiny_model, theta, None, batch, F.mse_loss, AlgorithmConfig("fomaml", inner))
    support = F.loss_at(tiny_model, theta, None, task.support_x, task.support_y, F.mse_loss)
    grads = torch.autograd.grad(support, list(theta.values()), create_graph=True)
    dot = sum((g * fo.params[n]).sum() for g, n in zip(grads, theta))
    hvp = dict(zip(theta, torch.autograd.grad(dot, list(theta.values()))))
    for name in theta:
        assert not torch.allclose(so.params[name], fo.params[name])
        torch.testing.assert_close(so.params[name] - fo.params[name], -0.1 * hvp[name])


def test_first_and_second_order_agree_when_the_inner_loss_is_linear_in_the_parameters(tiny_batch):
    model = nn.Linear(2, 1).double()
    theta = F.params_of(model)
    linear_loss = lambda out, y: (out * y).mean()  # noqa: E731  (zero Hessian in the parameters)
    so = meta_gradients(model, theta, None, tiny_batch, linear_loss, AlgorithmConfig("maml", INNER))
    fo = meta_gradients(model, theta, None, tiny_batch, linear_loss, AlgorithmConfig("fomaml", INNER))
    for name in theta:
        torch.testing.assert_close(so.params[name], fo.params[name])


def test_reptile_direction_is_theta_minus_sgd_adapted_weights(tiny_model, tiny_batch):
    inner = InnerConfig(steps=3, lrs=(0.1,))
    theta = F.params_of(tiny_model)
    got = meta_gradients(tiny_model, theta, None, tiny_batch, F.mse_loss, AlgorithmConfig("reptile", inner))
    adapted = []
    for task in tiny_batch.tasks:
        clone = copy.deepcopy(tiny_model)
        opt = torch.optim.SGD(clone.parameters(), lr=0.1)
        for _ in range(3):
            opt.zero_grad()
            F.mse_loss(clone(task.all_x), task.all_y).backward()
            opt.step()
        adapted.append({n: p.detach() for n, p in clone.named_parameters()})
    direction = reptile_direction(F.detach(theta), adapted)
    for name in theta:
        torch.testing.assert_close(got.params[name], -direction[name])
    moved = reptile_update(F.detach(theta), adapted, 0.5)
    torch.testing.assert_close(moved["0.weight"], theta["0.weight"].detach() + 0.5 * direction["0.weight"])


def test_one_step_reptile_is_the_scaled_joint_gradient(tiny_model, tiny_batch):
    theta = F.params_of(tiny_model)
    got = meta_gradients(tiny_model, theta, None, tiny_batch, F.mse_loss,
                         AlgorithmConfig("reptile", InnerConfig(steps=1, lrs=(0.1,))))
    total = sum(F.loss_at(tiny_model, theta, None, t.all_x, t.all_y, F.mse_loss) for t in tiny_batch.tasks)
    joint = torch.autograd.grad(total / len(tiny_batch), list(theta.values()))
    for name, g in zip(theta, joint):
        torch.testing.assert_close(got.params[name], 0.1 * g)


def test_anil_adapts_only_the_head_but_meta_trains_everything(tiny_model, tiny_batch):
    theta = F.params_of(tiny_model)
    anil = meta_gradients(tiny_model, theta, None, tiny_batch, F.mse_loss, AlgorithmConfig("anil", INNER))
    full = meta_gradients(tiny_model, theta, None, tiny_batch, F.mse_loss,
                          AlgorithmConfig("maml", InnerConfig(2, (0.1, 0.05), only=("2",))))
    assert AlgorithmConfig("anil").inner_for(tiny_model).only == ("2",)
    for name in theta:
        torch.testing.assert_close(anil.params[name], full.params[name])
        assert anil.params[name].abs().sum() > 0


@pytest.mark.parametrize("method", METHODS)
def test_vectorized_equals_loop_and_module_is_untouched(tiny_model, tiny_batch, method):
    before = {n: (id(p), p.detach().clone()) for n, p in tiny_model.named_parameters()}
    theta = F.params_of(tiny_model)
    lrs = init_meta_lrs(theta, 0.05)
    cfg = AlgorithmConfig(method, INNER)
    loop = meta_gradients(tiny_model, theta, None, tiny_batch, F.mse_loss, cfg, meta_lrs=lrs)
    vec = meta_gradients(tiny_model, theta, None, tiny_batch, F.mse_loss, cfg, meta_lrs=lrs, vectorize=True)
    for name in theta:
        torch.testing.assert_close(loop.params[name], vec.params[name])
    assert (loop.meta_lrs is None) == (method != "metasgd")
    assert loop.query_loss == pytest.approx(vec.query_loss)
    for n, p in tiny_model.named_parameters():
        assert id(p) == before[n][0] and torch.equal(p, before[n][1]) and p.grad is None


def test_methods_are_the_registry_gradient_based_methods():
    from studio.meta.registry import ADAPTATION_METHODS

    assert set(METHODS) == {name for name, info in ADAPTATION_METHODS.items() if info.gradient_based}


def test_meta_gradients_reject_bad_input(tiny_model, tiny_batch):
    theta = F.params_of(tiny_model)
    with pytest.raises(ValueError, match="meta_lrs"):
        meta_gradients(tiny_model, theta, None, tiny_batch, F.mse_loss, AlgorithmConfig("metasgd"))
    with pytest.raises(ValueError, match="empty"):
        meta_gradients(tiny_model, theta, None, MetaBatch(()), F.mse_loss, AlgorithmConfig())
    with pytest.raises(ValueError, match="unknown"):
        AlgorithmConfig("protonet")


class TwoInputs(nn.Module):
    """A module with two positional inputs, to check tuple inputs flow through everything."""

    def __init__(self) -> None:
        super().__init__()
        self.a, self.b = nn.Linear(2, 1), nn.Linear(1, 1)

    def forward(self, x, c):
        return torch.tanh(self.a(x)) + self.b(c)


@pytest.mark.parametrize("method", METHODS)
def test_tuple_inputs(method, tiny_batch):
    from studio.meta.episodes import Task

    model = TwoInputs().double()
    tasks = tuple(Task((t.support_x, t.support_y), t.support_y, (t.query_x, t.query_y), t.query_y)
                  for t in tiny_batch.tasks)
    theta = F.params_of(model)
    lrs = init_meta_lrs(theta, 0.1)
    cfg = AlgorithmConfig(method, INNER)
    loop = meta_gradients(model, theta, None, MetaBatch(tasks), F.mse_loss, cfg, meta_lrs=lrs)
    vec = meta_gradients(model, theta, None, MetaBatch(tasks), F.mse_loss, cfg, meta_lrs=lrs, vectorize=True)
    for name in theta:
        torch.testing.assert_close(loop.params[name], vec.params[name])
