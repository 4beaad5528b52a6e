"""Meta-training the painting generator: the trainer and its config, and the export of a run to
``models/`` (the command line is :mod:`.train_cli`, the weights files :mod:`.weights`).

Two ways to train the same :class:`~.model.PaintNet` on the same tasks and loss
(:mod:`.objective`), so the benchmark can tell what meta-learning adds:

* ``reptile`` (the shipped model): for each task, ``inner_steps`` Adam steps from the current
  weights, then Reptile's outer update ``theta += eps * (adapted - theta)`` with ``eps``
  annealed from ``outer_lr`` to 10 % of it (Nichol et al. 2018, serial version);
* ``multitask``: plain joint training, one Adam step per task on the same loss (the
  "fine-tune a non-meta-trained model" baseline), with ``inner_steps`` times as many steps so
  both see the same number of gradient evaluations.

(A third, Meta-SGD's learned step sizes for run-time adaptation, did not ship and was removed:
research/README.md.)

Tasks are single paintings and small same-artist sets of the training artists
(:class:`~.dataset.TrainingTaskSampler`, augmented crops and flips); held-out artists are never
read. The inner steps are run-time adaptation's own (:mod:`.adaptation`). Checkpoints
(safetensors + JSON, no pickle, :mod:`.weights`' format) are written every ``checkpoint_every`` steps
and a run resumes from its checkpoint; the step's seed is derived from (seed, step), so a
resumed run draws the same tasks it would have drawn.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.domains.painting import dataset
from studio.domains.painting import layout as L
from studio.domains.painting.model import PaintNet, PaintNetConfig
from studio.domains.painting.adaptation import adapt_steps
from studio.domains.painting.objective import ObjectiveConfig, Task, task_loss
from studio.domains.painting.style import style_features
from studio.domains.painting.weights import MODEL_KIND, _network_tensors, load_model, save_model
from studio.errors import CheckpointError
from studio.meta import checkpoint as ckpt
from studio.model_registry import MODELS_DIR
from studio.progress import NULL_PROGRESS, Progress, check_stop

METHODS = ("reptile", "multitask")
DEFAULT_ADAPT_PARAMS = {"reptile": ("film_",), "multitask": ()}  # docs/BENCHMARKS.md


@dataclass(frozen=True)
class PaintTrainConfig:
    method: str = "reptile"
    steps: int = 2000  # outer steps (multitask: steps * inner_steps Adam steps)
    inner_steps: int = 5
    inner_lr: float = 1e-3  # Adam, inner loop (and multitask's learning rate)
    outer_lr: float = 0.5  # Reptile's eps at step 0, annealed linearly to a tenth
    max_k: int = 6  # paintings per task: uniform in 1..max_k
    seed: int = 0
    time_limit_s: float | None = None
    checkpoint_every: int = 50
    device: str = "cpu"  # "cuda" trains on a GPU; the weights and checkpoints are the same either way
    objective: ObjectiveConfig = field(default_factory=ObjectiveConfig)
    net: PaintNetConfig = field(default_factory=PaintNetConfig)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        if self.steps < 1 or self.inner_steps < 1:
            raise ValueError("steps and inner_steps must be at least 1")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_task(images: list[np.ndarray], device: torch.device | str | None = None) -> Task:
    tensors = [L.to_tensor(im) for im in images]
    return Task(tensors, style_features(tensors), device)


class PaintTrainer:
    """Runs one training configuration with checkpoints; see the module docstring."""

    def __init__(self, config: PaintTrainConfig, root: str | Path, run_stem: str | Path) -> None:
        self.config = config
        self.sampler = dataset.TrainingTaskSampler(root, max_k=config.max_k)
        self.root = Path(root)
        self.run_stem = Path(run_stem)
        torch.manual_seed(config.seed)
        self.device = torch.device(config.device)
        self.net = PaintNet(config.net).to(self.device)
        self.step = 0
        self.seconds = 0.0
        self.history: list[tuple[int, float]] = []
        self.optimizer = None
        if config.method == "multitask":
            self.optimizer = torch.optim.Adam(self.net.parameters(), lr=config.inner_lr)
        if ckpt.paths(self.run_stem)[1].exists():
            self._resume()

    # --- checkpoints ---------------------------------------------------------------------------

    def _optimized(self) -> list[torch.Tensor]:
        """The tensors the optimiser steps, in a fixed order (its state is saved by position)."""
        if self.optimizer is None:
            return []
        return [p for group in self.optimizer.param_groups for p in group["params"]]

    def _tensors(self) -> dict[str, torch.Tensor]:
        tensors = {n: p.detach().cpu() for n, p in self.net.named_parameters()}
        if self.optimizer is not None:
            for i, p in enumerate(self._optimized()):
                state = self.optimizer.state.get(p)
                if state:
                    tensors[f"opt/{i}/exp_avg"] = state["exp_avg"].cpu()
                    tensors[f"opt/{i}/exp_avg_sq"] = state["exp_avg_sq"].cpu()
                    tensors[f"opt/{i}/step"] = torch.as_tensor(state["step"], dtype=torch.float32).cpu().view(1)
        return tensors

    def save(self) -> None:
        ckpt.save_checkpoint(self.run_stem, self._tensors(), {
            "kind": MODEL_KIND, "config": self.config.net.to_dict(), "train": self.config.to_dict(),
            "step": self.step, "seconds": round(self.seconds, 1), "history": self.history[-400:],
            "data_root": str(self.root), "artists": {a: len(p) for a, p in self.sampler.images.items()}})

    def _resume(self) -> None:
        tensors, card = ckpt.load_checkpoint(self.run_stem)
        if card.get("train", {}).get("method") != self.config.method:
            raise CheckpointError("the checkpoint was trained with another method", str(self.run_stem))
        params = _network_tensors(tensors)
        ckpt.check_matches(params, dict(self.net.named_parameters()), str(self.run_stem), "painting network")
        self.net.load_state_dict(params)
        if self.optimizer is not None:
            for i, p in enumerate(self._optimized()):
                if f"opt/{i}/exp_avg" in tensors:
                    self.optimizer.state[p] = {"exp_avg": tensors[f"opt/{i}/exp_avg"].to(self.device, copy=True),
                                               "exp_avg_sq": tensors[f"opt/{i}/exp_avg_sq"].to(self.device, copy=True),
                                               "step": tensors[f"opt/{i}/step"].view(()).clone()}
        self.step = int(card.get("step", 0))
        self.seconds = float(card.get("seconds", 0.0))
        self.history = [tuple(h) for h in card.get("history", [])]

    # --- training --------------------------------------------------------------------------------

    def _task(self, rng: np.random.Generator) -> Task:
        """A training task: paintings of one training artist (:class:`~.dataset.TrainingTaskSampler`)."""
        return make_task(list(self.sampler.sample(rng).images), self.device)

    def _reptile_step(self, task: Task, rng: np.random.Generator, generator: torch.Generator) -> float:
        cfg = self.config
        theta = {n: p.detach().clone() for n, p in self.net.named_parameters()}
        losses = adapt_steps(self.net, task, cfg.inner_steps, cfg.inner_lr, cfg.objective, rng, generator)
        eps = cfg.outer_lr * (1.0 - 0.9 * min(1.0, self.step / cfg.steps))
        with torch.no_grad():
            for n, p in self.net.named_parameters():
                p.copy_(theta[n] + eps * (p - theta[n]))
        return float(np.mean(losses))

    def _multitask_step(self, task: Task, rng: np.random.Generator, generator: torch.Generator) -> float:
        losses = []
        for _ in range(self.config.inner_steps):
            loss = task_loss(self.net, task, self.config.objective, rng, generator)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.net.parameters(), 1.0)
            self.optimizer.step()
            losses.append(float(loss.detach()))
        return float(np.mean(losses))

    def train(self, progress: Progress = NULL_PROGRESS, until: int | None = None) -> None:
        """Train to ``config.steps`` (or to step ``until``, or the time limit), then checkpoint."""
        cfg = self.config
        last = cfg.steps if until is None else min(until, cfg.steps)
        started = time.perf_counter()
        base_seconds = self.seconds
        running = None
        while self.step < last:
            check_stop(progress)
            if cfg.time_limit_s is not None and time.perf_counter() - started >= cfg.time_limit_s:
                break
            rng = np.random.default_rng([cfg.seed, self.step])
            generator = torch.Generator().manual_seed(int(rng.integers(2**62)))
            step_fn = self._reptile_step if cfg.method == "reptile" else self._multitask_step
            loss = step_fn(self._task(rng), rng, generator)
            self.step += 1
            running = loss if running is None else 0.98 * running + 0.02 * loss
            self.seconds = base_seconds + time.perf_counter() - started
            if self.step % 10 == 0:
                self.history.append((self.step, round(running, 5)))
            progress.report_progress(self.step / cfg.steps, f"step {self.step}/{cfg.steps}, loss {running:.4f}, "
                                                            f"{self.seconds:.0f} s")
            if self.step % cfg.checkpoint_every == 0:
                self.save()
        self.save()


def export(run_stem: str | Path, name: str, command: str, models_dir: Path | None = None,
           metrics: dict[str, Any] | None = None, adapt_params: tuple[str, ...] = ()) -> None:
    """Write a checkpoint's weights to ``models/NAME`` with a model card; ``adapt_params`` are
    the name prefixes of the parameters run-time adaptation changes (empty: all)."""
    net, params, card = load_model(run_stem)
    train_cfg = card.get("train", {})
    adapt: dict[str, Any] = {"lr": train_cfg.get("inner_lr", 1e-3), "optimizer": "adam(beta1=0)",
                             "params": list(adapt_params)}
    description = ("Painting generator meta-trained with Reptile" if train_cfg.get("method") == "reptile"
                   else "Painting generator trained multi-task (plain baseline, not meta-learned)")
    save_model((models_dir or MODELS_DIR) / name, params, net.config, {
        "description": description,
        "data": {"root": card.get("data_root", "../shared/data/paintings"),
                 "readme": "../shared/data/paintings/README.md",
                 "artists": card.get("artists", list(dataset.TRAIN_ARTISTS)),
                 "held_out": list(dataset.EVAL_ARTISTS),
                 "tasks": "1-6 paintings of one training artist, random crops (60-100 % per side) and flips, "
                          "256 px"},
        "command": command, "train": train_cfg, "steps": card.get("step"), "train_seconds": card.get("seconds"),
        "history": card.get("history", [])[-50:], "adapt": adapt, "metrics": metrics or {}})
