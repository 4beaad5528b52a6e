"""The model-agnostic meta-training loop: outer optimiser, callbacks, checkpoints, resume, DDP.

:class:`MetaTrainer` owns the meta-parameters (a dict, the module itself is never changed), draws
the meta-batch of each step with :func:`studio.meta.episodes.meta_batch`, asks
:func:`studio.meta.algorithms.meta_gradients` for the meta-gradients and steps an Adam or SGD
outer optimiser. After every step it calls ``callback.on_step_end(step, metrics)`` and reports
to a :class:`~studio.progress.Progress`; ``should_stop()`` ends training cleanly between steps.

Checkpoints (every ``checkpoint_every`` steps and at the end) hold the parameters, Meta-SGD's
learning rates, the optimiser state and the step as safetensors, and the config as JSON; since a
step's tasks depend only on ``(seed, step)``, :meth:`MetaTrainer.resume` continues exactly as an
uninterrupted run would.

Distributed: the same code runs under ``torchrun``. When ``torch.distributed`` is initialised,
every process draws the same global meta-batch, works on its contiguous shard, and the
meta-gradients are summed with one ``all_reduce`` (each shard is pre-weighted by its share of the
tasks, so the sum is the global mean). Only rank 0 writes checkpoints. :func:`init_distributed`
starts a gloo group from torchrun's environment variables.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import torch
import torch.distributed as dist
from torch import Tensor, nn

from studio.errors import CheckpointError
from studio.meta import checkpoint as ckpt
from studio.meta.algorithms import AlgorithmConfig, init_meta_lrs, meta_gradients
from studio.meta.episodes import TaskSampler, meta_batch
from studio.meta.functional import LossFn, buffers_of, params_of
from studio.meta.inner import InnerConfig
from studio.progress import NULL_PROGRESS, Progress


@dataclass(frozen=True)
class TrainerConfig:
    """Everything that determines a meta-training run (stored in every checkpoint card)."""

    algorithm: AlgorithmConfig = field(default_factory=AlgorithmConfig)
    iterations: int = 1000  # outer steps
    meta_batch_size: int = 25  # tasks per outer step (global, across all processes)
    outer_optimizer: str = "adam"  # "adam" or "sgd" (SGD with Reptile = classic Reptile)
    outer_lr: float = 1e-3
    metasgd_init_lr: float = 0.01  # Meta-SGD's per-parameter learning rates start here
    seed: int = 0  # picks every meta-batch
    vectorize: bool = False  # vmap over the tasks of a process (tasks must share shapes)
    checkpoint_every: int = 0  # steps between checkpoints; 0 = only at the end
    checkpoint_path: str | None = None  # checkpoint stem; None = never write

    def __post_init__(self) -> None:
        if self.iterations < 0 or self.meta_batch_size < 1 or self.checkpoint_every < 0:
            raise ValueError("iterations, meta_batch_size and checkpoint_every must be non-negative (batch >= 1)")
        if self.outer_optimizer not in ("adam", "sgd"):
            raise ValueError(f"outer_optimizer must be 'adam' or 'sgd', got {self.outer_optimizer!r}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainerConfig:
        """Rebuild a config from :meth:`to_dict` (JSON turns tuples into lists; this undoes it)."""
        alg = dict(data["algorithm"])
        inner = InnerConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in alg.pop("inner").items()})
        algorithm = AlgorithmConfig(inner=inner, **{k: tuple(v) if isinstance(v, list) else v for k, v in alg.items()})
        return cls(**{**data, "algorithm": algorithm})


class Callback(Protocol):
    """Anything with ``on_step_end``; e.g. the Qt task bridge or a logger."""

    def on_step_end(self, step: int, metrics: dict[str, float]) -> None:
        """Called after outer step ``step`` (1-based count of finished steps)."""


@dataclass(frozen=True)
class TrainResult:
    """How a call to :meth:`MetaTrainer.train` ended."""

    steps_done: int  # total outer steps taken, including those before a resume
    stopped_early: bool
    metrics: dict[str, float]  # of the last step


def init_distributed() -> bool:
    """Join torchrun's process group (gloo) if launched by torchrun; True if distributed."""
    if dist.is_initialized():
        return True
    if "RANK" not in os.environ or int(os.environ.get("WORLD_SIZE", "1")) < 2:
        return False
    dist.init_process_group("gloo")
    return True


def _rank_world() -> tuple[int, int]:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


class MetaTrainer:
    """Meta-trains ``model``'s parameters on tasks from ``sampler``; see the module notes."""

    def __init__(self, model: nn.Module, sampler: TaskSampler, loss_fn: LossFn, config: TrainerConfig,
                 callbacks: Sequence[Callback] = ()) -> None:
        self.model, self.sampler, self.loss_fn, self.config = model, sampler, loss_fn, config
        self.callbacks = list(callbacks)
        self.params = params_of(model)
        self.buffers = buffers_of(model)
        self.meta_lrs = (init_meta_lrs(self.params, config.metasgd_init_lr)
                         if config.algorithm.method == "metasgd" else None)
        self.step = 0
        leaves = self._leaves()
        self.optimizer = (torch.optim.Adam(leaves.values(), lr=config.outer_lr) if config.outer_optimizer == "adam"
                          else torch.optim.SGD(leaves.values(), lr=config.outer_lr))

    def _leaves(self) -> dict[str, Tensor]:
        leaves = {f"params/{n}": p for n, p in self.params.items()}
        if self.meta_lrs is not None:
            leaves.update({f"meta_lrs/{n}": p for n, p in self.meta_lrs.items()})
        return leaves

    def train(self, progress: Progress = NULL_PROGRESS) -> TrainResult:
        """Run the outer loop from the current step to ``config.iterations``."""
        cfg = self.config
        rank, world = _rank_world()
        leaves = list(self._leaves().values())
        metrics: dict[str, float] = {}
        stopped = False
        saved_at = -1
        while self.step < cfg.iterations:
            stop = torch.tensor([float(progress.should_stop())])
            if world > 1:
                dist.all_reduce(stop, op=dist.ReduceOp.MAX)  # every process stops at the same step
            if stop.item() > 0:
                stopped = True
                break
            started = time.perf_counter()
            batch = meta_batch(self.sampler, cfg.meta_batch_size, cfg.seed, self.step)
            shard = batch.shard(rank, world)
            share = len(shard) / len(batch)
            flat = torch.zeros(sum(t.numel() for t in leaves) + 2, dtype=torch.float64)
            if len(shard):
                g = meta_gradients(self.model, self.params, self.buffers, shard, self.loss_fn, cfg.algorithm,
                                   meta_lrs=self.meta_lrs, vectorize=cfg.vectorize)
                grads = list(g.params.values()) + list((g.meta_lrs or {}).values())
                flat[:-2] = torch.cat([t.reshape(-1).double() for t in grads]) * share
                flat[-2:] = torch.tensor([g.query_loss * share, g.support_loss * share], dtype=torch.float64)
            if world > 1:
                dist.all_reduce(flat)
            offset = 0
            for leaf in leaves:
                leaf.grad = flat[offset:offset + leaf.numel()].view_as(leaf).to(leaf.dtype)
                offset += leaf.numel()
            self.optimizer.step()
            self.step += 1
            metrics = {"query_loss": float(flat[-2]), "support_loss": float(flat[-1]),
                       "seconds": time.perf_counter() - started}
            for callback in self.callbacks:
                callback.on_step_end(self.step, metrics)
            progress.report_progress(self.step / max(cfg.iterations, 1),
                                     f"step {self.step}/{cfg.iterations}, query loss {metrics['query_loss']:.4f}")
            progress.report_partial(metrics)
            if cfg.checkpoint_path and cfg.checkpoint_every and self.step % cfg.checkpoint_every == 0:
                self.save(cfg.checkpoint_path)
                saved_at = self.step
        if cfg.checkpoint_path and saved_at != self.step:
            self.save(cfg.checkpoint_path)
        if world > 1:
            # Rank 0 may still be writing the checkpoint: a rank that tore its process group down
            # meanwhile aborted gloo ("terminate called without an active exception", seen in tests).
            dist.barrier()
        return TrainResult(self.step, stopped, metrics)

    def state_tensors(self) -> dict[str, Tensor]:
        """Parameters, Meta-SGD learning rates and optimiser state, as flat named tensors."""
        tensors = {name: leaf.detach() for name, leaf in self._leaves().items()}
        for name, leaf in self._leaves().items():
            for key, value in self.optimizer.state.get(leaf, {}).items():
                tensors[f"optim/{name}/{key}"] = value if isinstance(value, Tensor) else torch.tensor(value)
        return tensors

    def save(self, path_stem: str | os.PathLike[str]) -> None:
        """Write a checkpoint (rank 0 only; other ranks return at once)."""
        if _rank_world()[0] != 0:
            return
        card = {"kind": "meta-trainer", "step": self.step, "config": self.config.to_dict(),
                "model": type(self.model).__name__}
        ckpt.save_checkpoint(path_stem, self.state_tensors(), card)

    @classmethod
    def from_checkpoint(cls, model: nn.Module, sampler: TaskSampler, loss_fn: LossFn,
                        path_stem: str | os.PathLike[str], callbacks: Sequence[Callback] = (),
                        iterations: int | None = None) -> MetaTrainer:
        """A trainer rebuilt from a checkpoint's card and state, ready to continue (to ``iterations``)."""
        _, card = ckpt.load_checkpoint(path_stem)
        try:
            config = TrainerConfig.from_dict(card["config"])
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckpointError(f"the card's config is malformed: {exc}", str(path_stem)) from exc
        if iterations is not None:
            config = dataclasses.replace(config, iterations=iterations)
        trainer = cls(model, sampler, loss_fn, config, callbacks)
        trainer.resume(path_stem)
        return trainer

    def resume(self, path_stem: str | os.PathLike[str]) -> None:
        """Load a checkpoint of a run with the same config (the iteration count may differ).

        Raises CheckpointError if the files are invalid, the config differs or the tensors do
        not fit this model.
        """
        tensors, card = ckpt.load_checkpoint(path_stem)
        stem = str(path_stem)
        if card.get("kind") != "meta-trainer":
            raise CheckpointError("not a meta-trainer checkpoint", stem)
        try:
            saved = TrainerConfig.from_dict(card["config"])
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckpointError(f"the card's config is malformed: {exc}", stem) from exc
        free = {"iterations": 0, "checkpoint_every": 0, "checkpoint_path": None}
        a, b = dataclasses.replace(saved, **free), dataclasses.replace(self.config, **free)
        if a != b:
            differ = [f.name for f in dataclasses.fields(a) if getattr(a, f.name) != getattr(b, f.name)]
            raise CheckpointError(f"the checkpoint was trained with a different config ({', '.join(differ)}); "
                                  "resume with the config stored in its card", stem)
        leaves = self._leaves()
        state = {n: t for n, t in tensors.items() if not n.startswith("optim/")}
        ckpt.check_matches(state, leaves, stem, "model")
        with torch.no_grad():
            for name, leaf in leaves.items():
                leaf.copy_(state[name])
        for name, leaf in leaves.items():
            saved_state = ckpt.split_prefix(tensors, f"optim/{name}")
            self.optimizer.state[leaf] = {k: v.clone() for k, v in saved_state.items()}
        self.step = int(card["step"])
