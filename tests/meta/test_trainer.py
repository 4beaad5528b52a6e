"""The meta-trainer: determinism, callbacks, stopping, checkpoints, exact resume, 2-process DDP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from studio.errors import CheckpointError
from studio.meta import functional as F
from studio.meta.algorithms import AlgorithmConfig
from studio.meta.checkpoint import load_checkpoint
from studio.meta.episodes import meta_batch
from studio.meta.inner import InnerConfig, inner_loop
from studio.meta.trainer import MetaTrainer, TrainerConfig
from studio.progress import RecordingProgress
from tests.meta.dist_worker import build

ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, dict]] = []

    def on_step_end(self, step: int, metrics: dict) -> None:
        self.calls.append((step, metrics))


def assert_same_state(a: MetaTrainer, b: MetaTrainer) -> None:
    sa, sb = a.state_tensors(), b.state_tensors()
    assert sa.keys() == sb.keys()
    for name in sa:
        assert torch.equal(sa[name], sb[name]), name


def test_same_seed_same_run_and_module_untouched():
    a, b = build("maml"), build("maml")
    before = {n: p.detach().clone() for n, p in a.model.named_parameters()}
    a.train(), b.train()
    assert_same_state(a, b)
    assert all(torch.equal(p, before[n]) for n, p in a.model.named_parameters())
    assert not torch.equal(a.params["head.bias"], before["head.bias"])


def test_callbacks_progress_and_clean_stop():
    trainer = build("fomaml", iterations=5)
    recorder, progress = Recorder(), RecordingProgress(stop_after_partials=2)
    trainer.callbacks.append(recorder)
    result = trainer.train(progress)
    assert result.stopped_early and result.steps_done == 2  # asked to stop after step 2
    assert [s for s, _ in recorder.calls] == [1, 2]
    assert set(recorder.calls[0][1]) == {"query_loss", "support_loss", "seconds"}
    assert progress.fractions == [0.2, 0.4] and "query loss" in progress.messages[0]


@pytest.mark.parametrize("method", ["maml", "metasgd", "reptile"])
def test_resume_equals_uninterrupted(tmp_path, method):
    whole = build(method, iterations=6)
    whole.train()
    first = build(method, iterations=3, checkpoint_every=2, checkpoint_path=str(tmp_path / "run"))
    first.train()
    _, card = load_checkpoint(tmp_path / "run")
    assert card["step"] == 3 and card["config"]["algorithm"]["method"] == method
    resumed = build(method, iterations=6)
    resumed.resume(tmp_path / "run")
    assert resumed.step == 3
    resumed.train()
    assert_same_state(whole, resumed)
    rebuilt = MetaTrainer.from_checkpoint(build(method).model, resumed.sampler, F.mse_loss, tmp_path / "run",
                                          iterations=6)
    assert rebuilt.step == 3 and rebuilt.config.checkpoint_path == str(tmp_path / "run")
    rebuilt.train()
    assert_same_state(whole, rebuilt)


def test_resume_refuses_another_config(tmp_path):
    trainer = build("maml", checkpoint_path=str(tmp_path / "run"), iterations=1)
    trainer.train()
    with pytest.raises(CheckpointError, match="different config \\(algorithm\\)"):
        build("fomaml").resume(tmp_path / "run")


def test_sgd_outer_step_with_reptile_is_the_classic_reptile_update():
    trainer = build("reptile", iterations=1, outer_optimizer="sgd", outer_lr=0.5)
    cfg = trainer.config
    theta = F.detach({n: p.clone() for n, p in trainer.params.items()})
    batch = meta_batch(trainer.sampler, cfg.meta_batch_size, cfg.seed, 0)
    phis = [inner_loop(trainer.model, theta, None, t.all_x, t.all_y, F.mse_loss, cfg.algorithm.inner,
                       track_params=False)[0] for t in batch.tasks]
    trainer.train()
    expected = F.add(theta, F.scale(F.sub(F.mean(phis), theta), 0.5))
    for name in theta:
        torch.testing.assert_close(trainer.params[name].detach(), expected[name])


def test_config_round_trip_and_validation():
    cfg = TrainerConfig(algorithm=AlgorithmConfig("anil", InnerConfig(3, (0.1, 0.2), 1.0, ()), head=("head",)))
    assert TrainerConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError):
        TrainerConfig(outer_optimizer="lbfgs")


def test_two_processes_on_gloo_equal_one_process(tmp_path):
    stem = tmp_path / "ddp"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--standalone",
           str(ROOT / "tests" / "meta" / "dist_worker.py"), "metasgd", str(stem)]
    done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    tensors, card = load_checkpoint(stem)
    single = build("metasgd")
    single.train()
    assert card["step"] == single.step == 3
    mine = single.state_tensors()
    assert tensors.keys() == mine.keys()
    for name in mine:
        torch.testing.assert_close(tensors[name], mine[name], rtol=1e-9, atol=1e-12)
