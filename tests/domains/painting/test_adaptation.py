"""The painting adaptation's checkpointer alone: keep the best allowed weights, restore them,
estimate what the next check costs; and one step that a stop interrupts leaves no trace."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.domains.painting import layout as L
from studio.domains.painting.adaptation import Checkpoints, adapt_step, inner_adam
from studio.domains.painting.model import PaintNet, PaintNetConfig
from studio.domains.painting.objective import ObjectiveConfig, Task
from studio.domains.painting.style import style_features
from studio.errors import Cancelled
from tests.domains.painting.conftest import painting


class Scores:
    """A held-back check that answers from a list."""

    def __init__(self, values):
        self.values = list(values)
        self.should_stop = lambda: False

    def score(self, net, style):
        return self.values.pop(0)


class Guard:
    """A copy guard that allows from a list (the first call measures the start)."""

    def __init__(self, allowed):
        self.allowed = list(allowed)
        self.start = None
        self.exhausted = False
        self.should_stop = lambda: False

    def allows(self, net, style):
        if self.start is None:
            self.start = 0.0
            return True, 0.0
        ok = self.allowed.pop(0)
        return ok, 0.0 if ok else 0.5


@pytest.fixture
def net():
    torch.manual_seed(0)
    return PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))


def _nudge(net):
    with torch.no_grad():
        net.film_out.bias.add_(1.0)


def test_the_best_allowed_weights_are_kept_and_restored(net):
    trained = [net.film_out.bias]
    points = Checkpoints(net, trained, torch.zeros(1, 64), Scores([5.0, 4.0, 3.0]), Guard([True, False]))
    never = lambda: False  # noqa: E731
    assert points.check(0, never).kept
    _nudge(net)
    assert points.check(10, never).kept  # better and allowed
    at_ten = net.film_out.bias.detach().clone()
    _nudge(net)
    verdict = points.check(20, never)  # better but refused by the guard
    assert not verdict.kept and points.refused == [(20, 0.5)]
    assert points.restore() == 10 and torch.equal(net.film_out.bias, at_ten)


def test_the_estimate_needs_each_part_measured_and_counts_the_guards_start_twice(net):
    points = Checkpoints(net, [net.film_out.bias], torch.zeros(1, 64), Scores([5.0, 4.0]), Guard([True]))
    assert points.estimate_s() is None
    points.check(0, lambda: False)
    assert points.estimate_s() is None  # the guard has not run yet
    points.seconds["guard"] = 0.5
    points.seconds["holdout"] = 0.25
    assert points.estimate_s() == pytest.approx(0.25 + 2 * 0.5)  # the start's share is still unmeasured
    _nudge(net)
    points.check(10, lambda: False)
    points.seconds.update(guard=0.5, holdout=0.25)
    assert points.estimate_s() == pytest.approx(0.75)


def test_a_step_stopped_after_its_forward_pass_leaves_the_weights_unchanged(net):
    images = [L.to_tensor(painting(i)) for i in range(2)]
    task = Task(images, style_features(images))
    objective = ObjectiveConfig(batch=1, crop=32, patches=128, directions=8)
    optimizer = inner_adam(net.parameters(), 1e-3)
    before = [p.detach().clone() for p in net.parameters()]
    with pytest.raises(Cancelled):
        adapt_step(net, task, objective, np.random.default_rng(0), torch.Generator().manual_seed(0), optimizer,
                   lambda: True)
    assert all(torch.equal(a, b) for a, b in zip(before, net.parameters()))
    loss = adapt_step(net, task, objective, np.random.default_rng(0), torch.Generator().manual_seed(0), optimizer)
    assert np.isfinite(loss) and not all(torch.equal(a, b) for a, b in zip(before, net.parameters()))
