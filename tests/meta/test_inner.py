"""The inner loop: learning-rate schedule, clipping, parameter filter, both gradient backends."""

from __future__ import annotations

import pytest
import torch

from studio.meta import functional as F
from studio.meta.inner import InnerConfig, apply_update, inner_loop, inner_loop_vmappable


def test_per_step_learning_rates_and_filter(tiny_model, tiny_batch):
    task = tiny_batch.tasks[0]
    theta = F.params_of(tiny_model)
    cfg = InnerConfig(steps=3, lrs=(0.1, 0.0), only=("0",))
    phi, losses = inner_loop(tiny_model, theta, None, task.support_x, task.support_y, F.mse_loss, cfg,
                             track_params=False)
    one, _ = inner_loop(tiny_model, theta, None, task.support_x, task.support_y, F.mse_loss,
                        InnerConfig(steps=1, lrs=(0.1,), only=("0",)), track_params=False)
    assert len(losses) == 3 and losses[1] == losses[2]  # lr 0 after the first step
    for name in theta:
        torch.testing.assert_close(phi[name], one[name])
    assert torch.equal(phi["2.weight"], theta["2.weight"].detach())
    assert not torch.equal(phi["0.weight"], theta["0.weight"].detach())
    assert cfg.lr(0) == 0.1 and cfg.lr(7) == 0.0


def test_gradient_clipping_bounds_the_step():
    params = {"w": torch.zeros(2)}
    grads = {"w": torch.tensor([30.0, 40.0])}
    clipped = apply_update(params, grads, 1.0, clip_grad_norm=5.0)
    torch.testing.assert_close(clipped["w"], torch.tensor([-3.0, -4.0]))
    small = apply_update(params, {"w": torch.tensor([0.3, 0.4])}, 1.0, clip_grad_norm=5.0)
    torch.testing.assert_close(small["w"], torch.tensor([-0.3, -0.4]))
    per_param = apply_update(params, grads, 1.0, meta_lrs={"w": torch.tensor([0.1, 0.0])})
    torch.testing.assert_close(per_param["w"], torch.tensor([-3.0, 0.0]))


@pytest.mark.parametrize("create_graph", [False, True])
def test_vmappable_loop_equals_autograd_loop(tiny_model, tiny_batch, create_graph):
    task = tiny_batch.tasks[1]
    theta = F.params_of(tiny_model)
    cfg = InnerConfig(steps=2, lrs=(0.2, 0.1), clip_grad_norm=0.5)
    a, la = inner_loop(tiny_model, theta, None, task.support_x, task.support_y, F.mse_loss, cfg,
                       create_graph=create_graph)
    b, lb = inner_loop_vmappable(tiny_model, theta, None, task.support_x, task.support_y, F.mse_loss, cfg,
                                 create_graph=create_graph)
    for name in theta:
        torch.testing.assert_close(a[name], b[name])
    torch.testing.assert_close(torch.stack(la), lb)
    # both keep a differentiable path back to theta
    ga = torch.autograd.grad(sum(p.sum() for p in a.values()), list(theta.values()))
    gb = torch.autograd.grad(sum(p.sum() for p in b.values()), list(theta.values()))
    for x, y in zip(ga, gb):
        torch.testing.assert_close(x, y)


def test_adaptation_works_inside_no_grad(tiny_model, tiny_batch):
    task = tiny_batch.tasks[0]
    with torch.no_grad():
        phi, losses = inner_loop(tiny_model, F.params_of(tiny_model, requires_grad=False), None, task.support_x,
                                 task.support_y, F.mse_loss, InnerConfig(steps=5, lrs=(0.1,)), track_params=False)
    assert float(losses[-1]) < float(losses[0])


def test_config_validation():
    with pytest.raises(ValueError):
        InnerConfig(steps=-1)
    with pytest.raises(ValueError):
        InnerConfig(lrs=())
    with pytest.raises(ValueError):
        InnerConfig(clip_grad_norm=0.0)
