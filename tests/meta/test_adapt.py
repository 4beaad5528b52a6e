"""Run-time adaptation: purity, determinism, progress, clean stops, budgets, deltas as bytes."""

from __future__ import annotations

import pytest
import torch

from studio.errors import AdaptationError, CheckpointError
from studio.meta import functional as F
from studio.meta.adapt import AdaptResult, adapt, apply_delta, delta_from_bytes, delta_to_bytes
from studio.progress import RecordingProgress


@pytest.fixture
def support(tiny_batch):
    task = tiny_batch.tasks[0]
    return task.support_x, task.support_y


def test_module_and_base_are_untouched_and_same_objects(tiny_model, support):
    ids = [id(p) for p in tiny_model.parameters()]
    before = [p.detach().clone() for p in tiny_model.parameters()]
    base = F.params_of(tiny_model, requires_grad=False)
    base_copy = {n: t.clone() for n, t in base.items()}
    result = adapt(tiny_model, base, support, F.mse_loss, method="maml", steps=4, lr=0.1)
    assert [id(p) for p in tiny_model.parameters()] == ids
    assert all(torch.equal(p, b) and p.grad is None for p, b in zip(tiny_model.parameters(), before))
    assert all(torch.equal(base[n], base_copy[n]) for n in base)
    assert isinstance(result, AdaptResult) and result.steps_done == 4 and not result.stopped_early
    assert result.losses[-1] < result.losses[0] and result.seconds > 0
    assert set(result.delta) == set(base)


def test_same_seed_identical_delta_with_minibatches_and_dropout(tiny_batch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Dropout(0.5), torch.nn.Linear(8, 1)).double()
    task = tiny_batch.tasks[1]
    data = (torch.cat([task.support_x, task.query_x]), torch.cat([task.support_y, task.query_y]))
    base = F.params_of(model, requires_grad=False)
    runs = [adapt(model, base, data, F.mse_loss, method="fomaml", steps=5, seed=s, batch_size=4) for s in (3, 3, 4)]
    assert all(torch.equal(runs[0].delta[n], runs[1].delta[n]) for n in base)
    assert not all(torch.equal(runs[0].delta[n], runs[2].delta[n]) for n in base)


def test_reports_progress_and_stops_cleanly(tiny_model, support):
    progress = RecordingProgress(stop_after_partials=3)
    result = adapt(tiny_model, F.params_of(tiny_model), support, F.mse_loss, steps=10, progress=progress)
    assert result.stopped_early and result.steps_done == 3 and len(result.losses) == 3
    assert progress.partials == result.losses
    assert progress.fractions == [0.1, 0.2, 0.3]
    assert progress.messages[0].startswith("step 1, loss ")
    assert result.delta  # the work so far is kept


def test_time_budget_ends_an_open_ended_run(tiny_model, support):
    progress = RecordingProgress()
    result = adapt(tiny_model, F.params_of(tiny_model), support, F.mse_loss, time_budget_s=0.05, progress=progress)
    assert result.steps_done >= 1 and not result.stopped_early
    # the budget ends a run that has no step count (how closely it holds is a benchmark's
    # business, `bench cancel --budgets`; a busy CI machine's jitter must not fail this test)
    assert result.seconds < 2.0 and all(0 < f <= 1 for f in progress.fractions)


def test_anil_changes_only_the_head_and_metasgd_uses_learned_rates(tiny_model, support):
    base = F.params_of(tiny_model)
    anil = adapt(tiny_model, base, support, F.mse_loss, method="anil", steps=2)
    assert set(anil.delta) == {"2.weight", "2.bias"}
    lrs = {n: torch.zeros_like(p) for n, p in base.items()}
    lrs["0.bias"] = torch.full_like(base["0.bias"], 0.1)
    meta = adapt(tiny_model, base, support, F.mse_loss, method="metasgd", steps=2, meta_lrs=lrs)
    assert set(meta.delta) == {"0.bias"}
    with pytest.raises(AdaptationError, match="meta_lrs"):
        adapt(tiny_model, base, support, F.mse_loss, method="metasgd")
    with pytest.raises(AdaptationError, match="do not fit"):
        adapt(tiny_model, base, support, F.mse_loss, method="metasgd", meta_lrs={"0.bias": torch.zeros(7)})


def test_bad_requests_raise_adaptation_errors(tiny_model, support):
    base = F.params_of(tiny_model)
    with pytest.raises(AdaptationError, match="not a gradient-based"):
        adapt(tiny_model, base, support, F.mse_loss, method="hypernet")
    with pytest.raises(AdaptationError, match="not a gradient-based"):
        adapt(tiny_model, base, support, F.mse_loss, method="sgd")
    with pytest.raises(AdaptationError, match="parameters to adapt"):
        adapt(tiny_model, base, support, F.mse_loss, method="anil", head=("decoder",))
    with pytest.raises(AdaptationError, match="loss became"):
        adapt(tiny_model, base, support, F.mse_loss, steps=50, lr=1e6)
    with pytest.raises(AdaptationError):
        adapt(tiny_model, base, support, F.mse_loss, steps=-1)


def test_delta_bytes_round_trip_and_apply(tiny_model, support):
    base = F.params_of(tiny_model, requires_grad=False)
    result = adapt(tiny_model, base, support, F.mse_loss, method="anil", steps=3, lr=0.1)
    data = delta_to_bytes(result.delta, {"method": "anil"})
    delta = delta_from_bytes(data, reference=base)
    adapted = apply_delta(base, delta)
    for name in base:
        expected = base[name] + result.delta[name] if name in result.delta else base[name]
        assert torch.equal(adapted[name], expected)
    final = adapt(tiny_model, base, support, F.mse_loss, method="anil", steps=3, lr=0.1).delta
    assert torch.equal(F.add(base, final)["2.bias"], adapted["2.bias"])
    with pytest.raises(CheckpointError, match="corrupt"):
        delta_from_bytes(data[:20])
    with pytest.raises(CheckpointError, match="does not fit"):
        delta_from_bytes(delta_to_bytes({"2.bias": torch.zeros(5, dtype=torch.float64)}), reference=base)
    with pytest.raises(CheckpointError, match="does not fit"):
        apply_delta(base, {"nope": torch.zeros(1)})


def test_per_step_learning_rates_and_task_support(tiny_model, tiny_batch):
    base = F.params_of(tiny_model)
    task = tiny_batch.tasks[2]
    scheduled = adapt(tiny_model, base, task, F.mse_loss, method="reptile", steps=3, lrs=(0.1, 0.0))
    single = adapt(tiny_model, base, (task.support_x, task.support_y), F.mse_loss, method="reptile", steps=1, lr=0.1)
    assert scheduled.steps_done == 3 and scheduled.losses[1] == scheduled.losses[2]
    for name in base:
        assert torch.equal(scheduled.delta[name], single.delta[name])


def test_a_stop_between_the_forward_and_the_backward_pass_discards_that_step(tiny_model, support):
    class StopInsideThirdStep(RecordingProgress):
        asked = 0

        def should_stop(self) -> bool:  # asked before each step and once inside it
            self.asked += 1
            return self.asked == 6
    base = F.params_of(tiny_model)
    result = adapt(tiny_model, base, support, F.mse_loss, steps=10, progress=StopInsideThirdStep())
    two = adapt(tiny_model, base, support, F.mse_loss, steps=2)
    assert result.stopped_early and result.steps_done == 2 and len(result.losses) == 2
    assert all(torch.equal(result.delta[n], two.delta[n]) for n in two.delta)  # the third step left no trace
