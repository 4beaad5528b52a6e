"""The adaptation's copy guard: what it measures, what it allows, when it gives up; and how the
generator uses it (refused checkpoints are not kept, the steps end, the notes say so)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from studio.domains.base import AdaptConfig
from studio.domains.painting import copyguard
from studio.domains.painting import layout as L
from studio.domains.painting.adaptation import CHECK_EVERY
from studio.domains.painting.copyguard import COPY_LIMIT, PATIENCE, CopyGuard
from studio.domains.painting.model import PaintNet, PaintNetConfig
from tests.domains.painting.conftest import painting

pytestmark = pytest.mark.usefixtures("one_torch_thread")
SIZE = (48, 64)


class Paints(nn.Module):
    """A stand-in network that paints one fixed picture whatever it is given."""

    def __init__(self, picture: np.ndarray) -> None:
        super().__init__()
        self.picture = L.to_tensor(picture)
        self.real = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))

    def make_noise(self, *args, **kwargs):
        return self.real.make_noise(*args, **kwargs)

    def forward(self, layout, noise, style):
        return self.picture.expand(layout.shape[0], -1, -1, -1)


def _guard(net, samples: list[np.ndarray]) -> CopyGuard:
    return CopyGuard(net, [L.to_tensor(s) for s in samples], samples, SIZE, None, 0.0, seed=0)


def test_a_painting_identical_to_a_sample_is_all_copy_and_noise_is_none():
    samples = [painting(0), painting(1)]
    style = torch.zeros(1, 64)
    assert _guard(Paints(samples[1]), samples).share(Paints(samples[1]), style) == 1.0
    noise = np.random.default_rng(5).integers(0, 256, SIZE + (3,), dtype=np.uint8)
    assert _guard(Paints(noise), samples).share(Paints(noise), style) == 0.0
    shifted = np.clip(samples[1].astype(int) + 12, 0, 255).astype(np.uint8)  # a uniform shift of 12 levels
    assert _guard(Paints(shifted), samples).share(Paints(shifted), style) == 0.0


def test_the_same_weights_measure_the_same_share_at_the_same_positions():
    samples = [painting(0), painting(1)]
    net = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))
    guard = _guard(net, samples)
    style = torch.zeros(1, 64)
    first = guard.paintings(net, style)
    assert all(np.array_equal(a, b) for a, b in zip(first, guard.paintings(net, style)))
    assert guard.share(net, style) == guard.share(net, style)


def test_the_start_is_allowed_later_weights_only_up_to_the_start_or_the_limit(monkeypatch):
    guard = _guard(Paints(painting(0)), [painting(0)])
    shares = iter([0.02, 0.02, 0.03, 0.019, 0.5, 0.6, 0.7])
    monkeypatch.setattr(CopyGuard, "share", lambda self, net, style: next(shares))
    assert guard.limit is None
    assert guard.allows(None, None) == (True, 0.02) and guard.limit == 0.02  # the start, whatever it copies
    assert guard.allows(None, None)[0] and not guard.allows(None, None)[0]
    assert guard.allows(None, None)[0] and guard.refused_in_a_row == 0  # an allowed one resets the count
    for _ in range(PATIENCE - 1):
        assert not guard.allows(None, None)[0] and not guard.exhausted
    assert not guard.allows(None, None)[0] and guard.exhausted

    low = _guard(Paints(painting(0)), [painting(0)])
    shares = iter([0.0, COPY_LIMIT, COPY_LIMIT + 0.004])
    assert low.allows(None, None)[0] and low.limit == COPY_LIMIT  # below the limit: the limit applies
    assert low.allows(None, None)[0] and not low.allows(None, None)[0]


@pytest.fixture
def guarded(tmp_path):
    from studio.domains.painting.generator import PaintingGenerator
    from studio.domains.painting.weights import save_model

    torch.manual_seed(0)
    net = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))
    save_model(tmp_path / "tiny", dict(net.named_parameters()), net.config,
               {"adapt": {"lr": 1e-3, "early_stopping": True}})
    gen = PaintingGenerator("tiny", tmp_path)
    gen.objective = type(gen.objective)(batch=1, crop=32, patches=256, directions=16)
    return gen


def _script(monkeypatch, module, name, values):
    calls = iter(values)
    monkeypatch.setattr(module, name, lambda self, net, style: next(calls))


def test_adaptation_keeps_the_best_checkpoint_the_guard_allows_and_stops_after_refusals(guarded, samples,
                                                                                        monkeypatch):
    from studio.domains.adapted import weight_delta
    from studio.domains.painting import generator as module

    # holdout scores improve at every check; the copy share jumps after step 10
    _script(monkeypatch, module.HoldoutCheck, "score", [5.0, 4.0, 3.0, 2.0, 1.0, 0.5])
    _script(monkeypatch, CopyGuard, "share", [0.0, 0.0, 0.2, 0.3, 0.4])
    adapted = guarded.adapt(samples, AdaptConfig(steps=100, seed=0))
    assert adapted.steps == 10  # the last allowed checkpoint, not the best holdout score
    assert len(adapted.losses) == 10 + PATIENCE * CHECK_EVERY  # the steps ended after the refusals
    assert len(adapted.notes) == 1 and adapted.notes[0].startswith("Copy guard: 3 checkpoints refused")
    assert "40.0%" in adapted.notes[0] and "step 10 and stopped" in adapted.notes[0]
    assert weight_delta(adapted)  # step 10's weights, not the start's

    _script(monkeypatch, module.HoldoutCheck, "score", [5.0, 4.0, 3.0])
    _script(monkeypatch, CopyGuard, "share", [0.0, 0.0, 0.0])
    clean = guarded.adapt(samples, AdaptConfig(steps=20, seed=0))
    assert clean.steps == 20 and clean.notes == ()


def test_without_a_held_back_sample_the_latest_allowed_weights_are_kept(guarded, samples, monkeypatch):
    from studio.domains.adapted import weight_delta

    _script(monkeypatch, CopyGuard, "share", [0.05, 0.04, 0.06, 0.05])  # steps 0, 10, 20, end (25)
    adapted = guarded.adapt(samples[:1], AdaptConfig(steps=25, seed=0))
    assert adapted.steps == 25 and len(adapted.losses) == 25
    assert "refused (the last at step 20)" in adapted.notes[0]

    _script(monkeypatch, CopyGuard, "share", [0.0, 0.5])  # steps 0 and the end: the start is kept
    start = guarded.adapt(samples[:1], AdaptConfig(steps=5, seed=0))
    assert start.steps == 0 and not weight_delta(start) and len(start.losses) == 5


def test_a_card_can_turn_the_guard_off_and_no_brushwork_needs_none(guarded, samples, monkeypatch, tmp_path):
    from studio.domains.painting import generator as module
    from studio.domains.painting.params import PaintingParams
    from studio.domains.painting.weights import save_model

    net = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))
    save_model(tmp_path / "off", dict(net.named_parameters()), net.config, {"adapt": {"copy_guard": False}})
    assert guarded.copy_guard and not module.PaintingGenerator("off", tmp_path).copy_guard

    made = []
    original = copyguard.CopyGuard.__init__
    monkeypatch.setattr(module.CopyGuard, "__init__", lambda self, *a, **k: made.append(1) or original(self, *a, **k))
    guarded.adapt(samples, AdaptConfig(steps=1, seed=0))
    assert made == [1]
    guarded.copy_guard = False
    guarded.adapt(samples, AdaptConfig(steps=1, seed=0))
    guarded.copy_guard = True
    monkeypatch.setattr(module, "PaintingParams", lambda: PaintingParams(brushwork=0.0))
    guarded.adapt(samples, AdaptConfig(steps=1, seed=0))
    assert made == [1]


def test_the_guard_costs_nothing_while_no_checkpoint_beats_the_start(guarded, samples, monkeypatch):
    from studio.domains.painting import generator as module

    measured = []
    _script(monkeypatch, module.HoldoutCheck, "score", [1.0, 2.0, 3.0])  # no step helps
    monkeypatch.setattr(CopyGuard, "share", lambda self, net, style: measured.append(1) or 0.0)
    adapted = guarded.adapt(samples, AdaptConfig(steps=20, seed=0))
    assert adapted.steps == 0 and measured == []
    _script(monkeypatch, module.HoldoutCheck, "score", [3.0, 2.0, 1.0])  # each checkpoint is a candidate
    guarded.adapt(samples, AdaptConfig(steps=20, seed=0))
    assert len(measured) == 3  # the start (measured with its own weights, once), steps 10 and 20


def test_the_start_is_measured_with_the_starts_weights(guarded, samples, monkeypatch):
    from studio.domains.painting import generator as module

    seen = []
    _script(monkeypatch, module.HoldoutCheck, "score", [2.0, 1.0])  # steps 0 and the end (10)
    monkeypatch.setattr(CopyGuard, "share",
                        lambda self, net, style: seen.append(net.film_out.weight.detach().clone()) or 0.0)
    start = guarded.net.film_out.weight.detach().clone()
    guarded.adapt(samples, AdaptConfig(steps=10, seed=0))
    assert torch.equal(seen[0], start) and not torch.equal(seen[1], start)


def test_the_guards_share_is_metrics_copy_score_and_a_stop_interrupts_it():
    from studio.domains.painting.metrics import copy_score
    from studio.errors import Cancelled

    samples = [painting(0), painting(3)]
    net = Paints(painting(0))
    guard = _guard(net, samples)
    works = guard.paintings(net, None)
    share = guard.share(net, None)
    assert share > 0 and share == copy_score(works, samples, per_image=guard.per_image, seed=guard.seed)
    asked = []
    guard.should_stop = lambda: asked.append(1) or len(asked) >= 4  # in the search, after both paintings
    with pytest.raises(Cancelled):
        guard.share(net, None)
    assert len(asked) == 4
