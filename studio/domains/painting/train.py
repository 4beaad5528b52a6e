"""Meta-training the painting generator (``python main.py train-painting``), and its weights files.

Three ways to train the same :class:`~.model.PaintNet` on the same tasks and loss
(:mod:`.objective`), so the benchmark can tell what meta-learning adds:

* ``reptile`` (the shipped model): for each task, ``inner_steps`` Adam steps from the current
  weights, then Reptile's outer update ``theta += eps * (adapted - theta)`` with ``eps``
  annealed from ``outer_lr`` to 10 % of it (Nichol et al. 2018, serial version);
* ``multitask``: plain joint training, one Adam step per task on the same loss (the
  "fine-tune a non-meta-trained model" baseline), with ``inner_steps`` times as many steps so
  both see the same number of gradient evaluations;
* ``metasgd``: learns how run-time adaptation should step (Li et al. 2017, first-order). A task
  is a support set of an artist's paintings plus ``query`` other paintings of the same artist;
  ``inner_steps`` SGD steps on the support change the ``adapt_prefixes`` weights (the FiLM
  conditioning) by learned per-parameter step sizes, and the adapted weights are scored on
  paintings of the support's layouts against the query (the artist's other works, what the
  benchmark measures). Adam on the log step sizes follows the first-order meta-gradient
  ``-g_query * sum_t g_t``; with ``learn_init`` the weights themselves follow ``g_query``
  (first-order MAML). Usually started from the Reptile model with ``--init``.

Tasks are single paintings and small same-artist sets of the training artists
(:class:`~.dataset.TrainingTaskSampler`, augmented crops and flips); held-out artists are never
read. Checkpoints (safetensors + JSON, no pickle) are written every ``checkpoint_every`` steps
and a run resumes from its checkpoint; the step's seed is derived from (seed, step), so a
resumed run draws the same tasks it would have drawn.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.domains.painting import dataset
from studio.domains.painting import layout as L
from studio.domains.painting.model import PaintNet, PaintNetConfig
from studio.domains.painting.objective import ObjectiveConfig, Task, task_loss
from studio.domains.painting.style import style_features
from studio.errors import CheckpointError, StudioError
from studio.meta import checkpoint as ckpt
from studio.progress import NULL_PROGRESS, Progress, check_stop

MODEL_KIND = "painting-generator"
MODELS_DIR = Path(__file__).resolve().parents[3] / "models"
METHODS = ("reptile", "multitask", "metasgd")
DEFAULT_ADAPT_PARAMS = {"reptile": ("film_",), "multitask": (), "metasgd": ("film_",)}  # docs/BENCHMARKS.md
STEP_SIZES = "meta_lrs"  # name prefix of Meta-SGD's learned step sizes in a weights file


STYLE_STATISTICS_TASKS = 200  # style_norm: training tasks whose features give the mean and spread
STYLE_STATISTICS_STREAM = 7919  # style_norm: the random stream those tasks are drawn from


@dataclass(frozen=True)
class PaintTrainConfig:
    method: str = "reptile"
    steps: int = 2000  # outer steps (multitask: steps * inner_steps Adam steps)
    inner_steps: int = 5
    inner_lr: float = 1e-3  # Adam, inner loop (and multitask's learning rate)
    outer_lr: float = 0.5  # Reptile's eps at step 0, annealed linearly to a tenth
    max_k: int = 6  # paintings per task: uniform in 1..max_k
    style_chance: float = 0.0  # share of tasks given a procedural style (.styles: task augmentation)
    cross_chance: float = 0.0  # share of tasks painted over another task's layouts (the style from FiLM only)
    seed: int = 0
    time_limit_s: float | None = None
    checkpoint_every: int = 50
    device: str = "cpu"  # "cuda" trains on a GPU; the weights and checkpoints are the same either way
    query: int = 2  # metasgd: other paintings of the artist the adapted weights are scored on
    meta_lr: float = 1e-2  # metasgd: Adam's learning rate on the log step sizes
    init_step: float = 0.03  # metasgd: every step size at the start (SGD on gradients clipped to norm 1)
    step_shape: str = "element"  # metasgd: a step size per weight, or one per "row" (output unit)
    learn_init: bool = False  # metasgd: also meta-train the weights (first-order MAML), not only the steps
    adapt_prefixes: tuple[str, ...] = ("film_",)  # metasgd: the weights the inner steps change
    objective: ObjectiveConfig = field(default_factory=ObjectiveConfig)
    net: PaintNetConfig = field(default_factory=PaintNetConfig)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        if self.steps < 1 or self.inner_steps < 1:
            raise ValueError("steps and inner_steps must be at least 1")
        if self.query < 1 or self.meta_lr <= 0 or self.init_step <= 0:
            raise ValueError("query must be at least 1, meta_lr and init_step positive")
        if not 0.0 <= self.style_chance <= 1.0 or not 0.0 <= self.cross_chance <= 1.0:
            raise ValueError(f"style_chance and cross_chance must be in 0..1, got {self.style_chance} and "
                             f"{self.cross_chance}")
        if self.step_shape not in ("element", "row"):
            raise ValueError(f"step_shape must be element or row, got {self.step_shape!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_task(images: list[np.ndarray], device: torch.device | str | None = None) -> Task:
    tensors = [L.to_tensor(im) for im in images]
    return Task(tensors, style_features(tensors), device)


def _inner_adam(net: PaintNet, lr: float) -> torch.optim.Adam:
    return torch.optim.Adam(net.parameters(), lr=lr, betas=(0.0, 0.999))


class LearnedStepSGD(torch.optim.Optimizer):
    """Meta-SGD's step: every parameter moves by its own learned step sizes times its gradient
    (``p -= step_size * grad``, element by element). The gradients taken are summed in
    ``state[p]["grad_sum"]``: the first-order meta-gradient of the step sizes needs them."""

    def __init__(self, params: Sequence[torch.Tensor], step_sizes: Sequence[torch.Tensor]) -> None:
        params, step_sizes = list(params), list(step_sizes)
        if len(params) != len(step_sizes) or any(p.shape != s.shape for p, s in zip(params, step_sizes)):
            raise ValueError("every adapted parameter needs step sizes of its own shape")
        super().__init__([{"params": [p], "step_size": s.to(p)} for p, s in zip(params, step_sizes)], {})

    @torch.no_grad()
    def step(self, closure=None) -> None:  # closure: the Optimizer signature; never used
        for group in self.param_groups:
            param = group["params"][0]
            if param.grad is None:
                continue
            param.sub_(group["step_size"] * param.grad)
            state = self.state[param]
            state["grad_sum"] = state["grad_sum"] + param.grad if "grad_sum" in state else param.grad.clone()


def adapted_parameters(net: PaintNet, prefixes: Sequence[str]) -> list[tuple[str, torch.nn.Parameter]]:
    """``(name, parameter)`` of the weights adaptation changes (every one for no prefix)."""
    return [(n, p) for n, p in net.named_parameters() if not prefixes or n.startswith(tuple(prefixes))]


def adapt_steps(net: PaintNet, task: Task, steps: int, lr: float, objective: ObjectiveConfig,
                rng: np.random.Generator, generator: torch.Generator,
                optimizer: torch.optim.Optimizer | None = None) -> list[float]:
    """``steps`` Adam steps of ``net`` (in place) on ``task`` (a fresh Adam unless ``optimizer``
    is given, to continue one across calls); returns the losses."""
    opt = optimizer or _inner_adam(net, lr)
    losses = []
    for _ in range(steps):
        loss = task_loss(net, task, objective, rng, generator)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in net.parameters() if p.grad is not None], 1.0)
        opt.step()
        losses.append(float(loss.detach()))
    return losses


class PaintTrainer:
    """Runs one training configuration with checkpoints; see the module docstring."""

    def __init__(self, config: PaintTrainConfig, root: str | Path, run_stem: str | Path) -> None:
        self.config = config
        self.sampler = dataset.TrainingTaskSampler(root, max_k=config.max_k, style_chance=config.style_chance)
        self.root = Path(root)
        self.run_stem = Path(run_stem)
        torch.manual_seed(config.seed)
        self.device = torch.device(config.device)
        self.net = PaintNet(config.net).to(self.device)
        self.step = 0
        self.seconds = 0.0
        self.history: list[tuple[int, float]] = []
        self.gains: list[float] = []  # metasgd: query loss before minus after the inner steps, per step
        self.gain_history: list[tuple[int, float]] = []
        self.log_steps: dict[str, torch.Tensor] = {}  # metasgd: log of the learned step sizes
        self.optimizer = None
        if config.method == "multitask":
            self.optimizer = torch.optim.Adam(self.net.parameters(), lr=config.inner_lr)
        elif config.method == "metasgd":
            self.log_steps = {n: torch.full(self._step_shape(p), math.log(config.init_step), requires_grad=True)
                              for n, p in adapted_parameters(self.net, config.adapt_prefixes)}
            if not self.log_steps:
                raise ValueError(f"no weight of the network starts with {config.adapt_prefixes}")
            groups = [{"params": list(self.log_steps.values()), "lr": config.meta_lr}]
            if config.learn_init:
                groups.append({"params": list(self.net.parameters()), "lr": config.inner_lr * 0.1})
            self.optimizer = torch.optim.Adam(groups)
        if ckpt.paths(self.run_stem)[1].exists():
            self._resume()  # with style_norm, the statistics come back with the weights
        elif config.net.style_norm:
            self.net.set_style_statistics(self.style_statistics_features())

    def style_statistics_features(self, count: int | None = None) -> torch.Tensor:
        """The style features of ``count`` (default ``STYLE_STATISTICS_TASKS``) training tasks, from
        their own random stream so the training draws do not change: what ``style_norm`` standardises with."""
        count = STYLE_STATISTICS_TASKS if count is None else count
        rng = np.random.default_rng([self.config.seed, STYLE_STATISTICS_STREAM])
        return torch.stack([style_features([L.to_tensor(im) for im in self.sampler.sample(rng).images])
                            for _ in range(count)])

    # --- checkpoints ---------------------------------------------------------------------------

    def _optimized(self) -> list[torch.Tensor]:
        """The tensors the optimiser steps, in a fixed order (its state is saved by position)."""
        if self.optimizer is None:
            return []
        return [p for group in self.optimizer.param_groups for p in group["params"]]

    def _step_shape(self, param: torch.Tensor) -> tuple[int, ...]:
        """The shape of one parameter's step sizes: its own, or one per row (output unit)."""
        if self.config.step_shape == "row":
            return (param.shape[0], *[1] * (param.dim() - 1))
        return tuple(param.shape)

    def step_sizes(self) -> dict[str, torch.Tensor]:
        """Meta-SGD's learned step sizes, one per weight (empty for the other methods)."""
        params = dict(self.net.named_parameters())
        return {n: t.detach().exp().expand_as(params[n]).cpu().clone() for n, t in self.log_steps.items()}

    def _tensors(self) -> dict[str, torch.Tensor]:
        tensors = {n: p.detach().cpu() for n, p in self.net.named_parameters()}
        tensors.update(ckpt.with_prefix(self.step_sizes(), STEP_SIZES))
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
            "query_gain_history": self.gain_history[-400:],
            "data_root": str(self.root), "artists": {a: len(p) for a, p in self.sampler.images.items()}})

    def _resume(self) -> None:
        tensors, card = ckpt.load_checkpoint(self.run_stem)
        if card.get("train", {}).get("method") != self.config.method:
            raise CheckpointError("the checkpoint was trained with another method", str(self.run_stem))
        params = _network_tensors(tensors)
        ckpt.check_matches(params, dict(self.net.named_parameters()), str(self.run_stem), "painting network")
        self.net.load_state_dict(params)
        stored = ckpt.split_prefix(tensors, STEP_SIZES)
        if self.log_steps:
            ckpt.check_matches(stored, {n: p for n, p in self.net.named_parameters() if n in self.log_steps},
                               str(self.run_stem), "Meta-SGD step sizes")
            with torch.no_grad():
                for n, t in self.log_steps.items():  # per row: every row holds one value
                    t.copy_(stored[n].log()[tuple(slice(0, k) for k in t.shape)])
        if self.optimizer is not None:
            for i, p in enumerate(self._optimized()):
                if f"opt/{i}/exp_avg" in tensors:
                    self.optimizer.state[p] = {"exp_avg": tensors[f"opt/{i}/exp_avg"].to(self.device, copy=True),
                                               "exp_avg_sq": tensors[f"opt/{i}/exp_avg_sq"].to(self.device, copy=True),
                                               "step": tensors[f"opt/{i}/step"].view(()).clone()}
        self.step = int(card.get("step", 0))
        self.seconds = float(card.get("seconds", 0.0))
        self.history = [tuple(h) for h in card.get("history", [])]
        self.gain_history = [tuple(h) for h in card.get("query_gain_history", [])]

    # --- training --------------------------------------------------------------------------------

    def _task(self, rng: np.random.Generator) -> Task:
        """A training task; with ``cross_chance``, that often painted over the layouts of another
        task's paintings and scored only against its own (so the conditioning must carry the style)."""
        task = make_task(list(self.sampler.sample(rng).images), self.device)
        if self.config.cross_chance > 0 and rng.random() < self.config.cross_chance:
            foreign = [L.to_tensor(im) for im in self.sampler.sample(rng).images]
            return Task(foreign, task.style, self.device, targets=task.targets, faithful=False)
        return task

    def _reptile_step(self, task: Task, rng: np.random.Generator, generator: torch.Generator) -> float:
        cfg = self.config
        theta = {n: p.detach().clone() for n, p in self.net.named_parameters()}
        losses = adapt_steps(self.net, task, cfg.inner_steps, cfg.inner_lr, cfg.objective, rng, generator)
        eps = cfg.outer_lr * (1.0 - 0.9 * min(1.0, self.step / cfg.steps))
        with torch.no_grad():
            for n, p in self.net.named_parameters():
                p.copy_(theta[n] + eps * (p - theta[n]))
        return float(np.mean(losses))

    def _split_task(self, rng: np.random.Generator) -> tuple[Task, Task]:
        """Meta-SGD's task: ``(support, query)``, both painting the support's layouts in the
        support's style; the query scores them against other paintings of the same artist."""
        cfg = self.config
        drawn = self.sampler.sample(rng, k=int(rng.integers(1, cfg.max_k + 1)) + cfg.query)
        if len(drawn.images) < 2:
            raise StudioError(f"Meta-SGD needs two or more paintings of {drawn.artist}: support and query.")
        held = min(cfg.query, len(drawn.images) - 1)
        support = make_task(list(drawn.images[:-held]), self.device)
        query = [L.to_tensor(im) for im in drawn.images[-held:]]
        return support, Task(support.images, support.style, self.device, targets=query)

    def _query_loss(self, query: Task, seed: int) -> torch.Tensor:
        """The objective against the query, with layouts, noise and patches fixed by ``seed``."""
        return task_loss(self.net, query, self.config.objective, np.random.default_rng(seed),
                         torch.Generator().manual_seed(seed))

    def _metasgd_step(self, rng: np.random.Generator, generator: torch.Generator) -> float:
        cfg = self.config
        support, query = self._split_task(rng)
        named = adapted_parameters(self.net, cfg.adapt_prefixes)
        params = [p for _, p in named]
        adapted_ids = {id(p) for p in params}
        others = [p for p in self.net.parameters() if id(p) not in adapted_ids]
        theta = [p.detach().clone() for p in params]
        seed = int(rng.integers(2**62))
        with torch.no_grad():
            before = float(self._query_loss(query, seed))
        for p in others:
            p.requires_grad_(False)
        inner = LearnedStepSGD(params, [self.log_steps[n].detach().exp().expand_as(p) for n, p in named])
        try:
            losses = adapt_steps(self.net, support, cfg.inner_steps, cfg.inner_lr, cfg.objective, rng, generator,
                                 inner)
        finally:
            for p in others:
                p.requires_grad_(True)
        outer = params + (others if cfg.learn_init else [])
        after = self._query_loss(query, seed)
        grads = torch.autograd.grad(after, outer, allow_unused=True)
        grads = [torch.zeros_like(p) if g is None else g for g, p in zip(grads, outer)]
        norm = float(torch.sqrt(sum(g.pow(2).sum() for g in grads)))
        grads = [g / max(norm, 1.0) for g in grads]
        self.optimizer.zero_grad(set_to_none=True)
        for (name, p), g in zip(named, grads):  # d query / d log step = -g_query * sum_t g_t * step
            log_step = self.log_steps[name]
            log_step.grad = (-(g * inner.state[p]["grad_sum"]) * log_step.detach().exp()).sum_to_size(log_step.shape)
        with torch.no_grad():
            for p, t in zip(params, theta):
                p.copy_(t)
        if cfg.learn_init:  # first-order MAML: the query gradient at the adapted weights
            for p, g in zip(outer, grads):
                p.grad = g
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        for p in params:
            p.grad = None  # the last inner step's; clipping must not see them on the next task
        self.gains.append(before - float(after.detach()))
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
            if cfg.method == "metasgd":
                loss = self._metasgd_step(rng, generator)
            else:
                step_fn = self._reptile_step if cfg.method == "reptile" else self._multitask_step
                loss = step_fn(self._task(rng), rng, generator)
            self.step += 1
            running = loss if running is None else 0.98 * running + 0.02 * loss
            self.seconds = base_seconds + time.perf_counter() - started
            if self.step % 10 == 0:
                self.history.append((self.step, round(running, 5)))
                if self.gains:
                    self.gain_history.append((self.step, round(float(np.mean(self.gains[-50:])), 5)))
            progress.report_progress(self.step / cfg.steps, f"step {self.step}/{cfg.steps}, loss {running:.4f}, "
                                                            f"{self.seconds:.0f} s")
            if self.step % cfg.checkpoint_every == 0:
                self.save()
        self.save()


def save_model(stem: str | os.PathLike, params: dict[str, torch.Tensor], net: PaintNetConfig,
               card: dict[str, Any], step_sizes: Mapping[str, torch.Tensor] | None = None) -> None:
    """Write shipped weights (plus Meta-SGD's step sizes, if any) and their card (``kind``,
    ``config`` plus the given card)."""
    tensors = {n: t.detach().contiguous() for n, t in params.items()}
    tensors.update(ckpt.with_prefix({n: t.detach().contiguous() for n, t in (step_sizes or {}).items()}, STEP_SIZES))
    ckpt.save_checkpoint(stem, tensors, {"kind": MODEL_KIND, "config": net.to_dict(), **card})


def _network_tensors(tensors: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The network's weights among a file's tensors (not optimiser state or step sizes)."""
    return {n: t for n, t in tensors.items() if not n.startswith(("opt/", STEP_SIZES + "/"))}


def load_model(stem: str | os.PathLike) -> tuple[PaintNet, dict[str, torch.Tensor], dict[str, torch.Tensor], dict]:
    """``(network, params, step sizes, card)`` of stored painting weights (a shipped model or a
    checkpoint); the step sizes are Meta-SGD's per-parameter ones, empty for other models.

    Raises CheckpointError for missing or damaged files, another kind of model, or weights that
    do not fit the card's config.
    """
    tensors, card = ckpt.load_checkpoint(stem)
    if card.get("kind") != MODEL_KIND:
        raise CheckpointError(f"not a painting model (kind {card.get('kind')!r})", str(stem))
    try:
        net = PaintNet(PaintNetConfig.from_dict(card["config"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"the card's model config is malformed: {exc}", str(stem)) from exc
    params = _network_tensors(tensors)
    ckpt.check_matches(params, dict(net.named_parameters()), str(stem), "painting network")
    net.load_state_dict(params)
    net.eval()
    step_sizes = ckpt.split_prefix(tensors, STEP_SIZES)
    for name, sizes in step_sizes.items():
        if name not in params or sizes.shape != params[name].shape or not bool(torch.isfinite(sizes).all()):
            raise CheckpointError(f"the Meta-SGD step sizes of {name!r} do not fit the network", str(stem))
    return net, params, step_sizes, card


def add_train_arguments(parser) -> None:
    """Options of ``python main.py train-painting``."""
    parser.add_argument("--method", choices=METHODS, default="reptile",
                        help="reptile (the shipped model), multitask (the plain baseline) or metasgd "
                             "(learned step sizes for run-time adaptation; start it with --init)")
    parser.add_argument("--steps", type=int, default=PaintTrainConfig.steps, help="outer steps")
    parser.add_argument("--inner-steps", type=int, default=PaintTrainConfig.inner_steps)
    parser.add_argument("--inner-lr", type=float, default=PaintTrainConfig.inner_lr)
    parser.add_argument("--outer-lr", type=float, default=PaintTrainConfig.outer_lr)
    parser.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                        help="stop (with a checkpoint) after this long; run again to resume")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--device", default="cpu",
                        help="where the network trains: cpu (default) or cuda (a GPU, for bigger runs); "
                             "layouts and tasks are drawn on the CPU either way, with the same seeds")
    parser.add_argument("--batch", type=int, default=ObjectiveConfig.batch,
                        help="paintings per gradient step (each a 128 px crop)")
    parser.add_argument("--data", default=None, metavar="DIR",
                        help="paintings folder, one sub-folder per artist (default ../shared/data/paintings)")
    parser.add_argument("--run", default=None, metavar="STEM",
                        help="checkpoint stem (default runs/painting/METHOD)")
    parser.add_argument("--init", default=None, metavar="STEM",
                        help="start a fresh run from these weights (a model in models/ or a checkpoint)")
    parser.add_argument("--query", type=int, default=PaintTrainConfig.query,
                        help="metasgd: other paintings of the artist each adaptation is scored on")
    parser.add_argument("--meta-lr", type=float, default=PaintTrainConfig.meta_lr,
                        help="metasgd: Adam's learning rate on the log step sizes")
    parser.add_argument("--init-step", type=float, default=PaintTrainConfig.init_step,
                        help="metasgd: every step size at the start")
    parser.add_argument("--step-shape", choices=("element", "row"), default=PaintTrainConfig.step_shape,
                        help="metasgd: a step size per weight (Meta-SGD) or one per output unit")
    parser.add_argument("--learn-init", action="store_true",
                        help="metasgd: also meta-train the weights (first-order MAML), not only the step sizes")
    parser.add_argument("--styles", type=float, default=PaintTrainConfig.style_chance, metavar="P",
                        help="share of tasks given a procedural style (a task-level change of palette, tonal "
                             "curve and stroke: new 'artists' from the training artists' paintings; 0: none)")
    parser.add_argument("--cross-layouts", type=float, default=PaintTrainConfig.cross_chance, metavar="P",
                        help="share of tasks painted over the layouts of another task's paintings and scored "
                             "against their own (the conditioning has to carry the style; 0: none)")
    parser.add_argument("--noise-smoothing", type=int, default=0,
                        help="blur passes over the noise maps (0: white noise, the shipped model)")
    parser.add_argument("--style-norm", action="store_true",
                        help=f"standardise the style features with the mean and spread of {STYLE_STATISTICS_TASKS} "
                             "training tasks before the FiLM conditioning (a new network; --init needs one trained "
                             "so too)")
    parser.add_argument("--export", default=None, metavar="NAME",
                        help="when done, write models/NAME.safetensors and NAME.json from the checkpoint")
    parser.add_argument("--adapt-params", nargs="*", default=None, metavar="PREFIX",
                        help="name prefixes of the weights run-time adaptation changes, written to the card "
                             "(default: film_ for reptile, chosen on training-artist tasks; all for multitask); "
                             "for metasgd also the weights its inner steps change (default film_)")


def run_train(args) -> int:
    """``python main.py train-painting ...``: train (or resume), then optionally export."""
    from studio.progress import ConsoleProgress

    torch.set_num_threads(max(1, args.threads))
    if args.device != "cpu" and not _device_available(args.device):
        raise StudioError(f"the device {args.device!r} is not available to torch here; train with --device cpu.")
    if args.batch < 1:
        raise StudioError(f"--batch must be at least 1, got {args.batch}.")
    try:
        config = PaintTrainConfig(method=args.method, steps=args.steps, inner_steps=args.inner_steps,
                                  inner_lr=args.inner_lr, outer_lr=args.outer_lr, seed=args.seed,
                                  time_limit_s=args.time_limit, device=args.device, query=args.query,
                                  meta_lr=args.meta_lr, init_step=args.init_step, learn_init=args.learn_init,
                                  step_shape=args.step_shape, style_chance=args.styles,
                                  cross_chance=args.cross_layouts,
                                  **({"adapt_prefixes": tuple(args.adapt_params)}
                                     if args.method == "metasgd" and args.adapt_params else {}),
                                  objective=ObjectiveConfig(batch=args.batch),
                                  net=PaintNetConfig(noise_smoothing=args.noise_smoothing,
                                                     style_norm=int(args.style_norm)))
    except ValueError as error:
        raise StudioError(f"bad training option: {error}.") from error
    root = Path(args.data) if args.data else dataset.default_root()
    stem = Path(args.run) if args.run else Path("runs") / "painting" / args.method
    trainer = PaintTrainer(config, root, stem)
    if args.init and trainer.step == 0:
        init = Path(args.init) if Path(args.init).parent != Path(".") else MODELS_DIR / args.init
        _, params, _, _ = load_model(init)
        ckpt.check_matches(params, dict(trainer.net.named_parameters()), str(init), "painting network")
        trainer.net.load_state_dict(params)
        print(f"starting from the weights of {init}")
    print(f"training {config.method} from step {trainer.step} to {config.steps}; checkpoint {stem}")
    trainer.train(ConsoleProgress())
    print(f"stopped at step {trainer.step} after {trainer.seconds:.0f} s of training")
    if args.export:
        prefixes = args.adapt_params if args.adapt_params is not None else DEFAULT_ADAPT_PARAMS[args.method]
        export(stem, args.export, command="python main.py train-painting " + " ".join(
            f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items()
            if k in {"method", "steps", "inner_steps", "inner_lr", "outer_lr", "seed", "batch", "device", "query",
                     "meta_lr", "init_step", "step_shape", "init", "styles", "cross_layouts"} and v is not None)
            + (" --learn-init" if args.learn_init else "") + (" --style-norm" if args.style_norm else ""),
            adapt_params=tuple(prefixes))
        print(f"wrote {MODELS_DIR / args.export}.safetensors")
    return 0


def _device_available(device: str) -> bool:
    try:
        torch.empty(1, device=device)
    except (RuntimeError, AssertionError):
        return False
    return True


def export(run_stem: str | Path, name: str, command: str, models_dir: Path | None = None,
           metrics: dict[str, Any] | None = None, adapt_params: tuple[str, ...] = ()) -> None:
    """Write a checkpoint's weights to ``models/NAME`` with a model card; ``adapt_params`` are
    the name prefixes of the parameters run-time adaptation changes (empty: all)."""
    net, params, step_sizes, card = load_model(run_stem)
    train_cfg = card.get("train", {})
    method = train_cfg.get("method")
    adapt: dict[str, Any] = {"lr": train_cfg.get("inner_lr", 1e-3), "optimizer": "adam(beta1=0)",
                             "params": list(adapt_params)}
    if method == "metasgd":  # run-time adaptation takes the steps the step sizes were learned for
        adapt = {"optimizer": "meta-sgd", "steps": train_cfg.get("inner_steps", 5),
                 "params": list(train_cfg.get("adapt_prefixes", adapt_params)), "early_stopping": False}
    description = {"reptile": "Painting generator meta-trained with Reptile",
                   "metasgd": "Painting generator with Meta-SGD step sizes for its run-time adaptation",
                   }.get(method, "Painting generator trained multi-task (plain baseline, not meta-learned)")
    save_model((models_dir or MODELS_DIR) / name, params, net.config, {
        "description": description,
        "data": {"root": card.get("data_root", "../shared/data/paintings"),
                 "readme": "../shared/data/paintings/README.md",
                 "artists": card.get("artists", list(dataset.TRAIN_ARTISTS)),
                 "held_out": list(dataset.EVAL_ARTISTS),
                 "tasks": "1-6 paintings of one training artist, random crops (60-100 % per side) and flips, 256 px"
                          + (f"; {train_cfg['style_chance']:.0%} of tasks in a procedural style (studio/domains/"
                             "painting/styles.py)" if train_cfg.get("style_chance") else "")
                          + (f"; {train_cfg['cross_chance']:.0%} of tasks painted over another task's layouts"
                             if train_cfg.get("cross_chance") else "")},
        "command": command, "train": train_cfg, "steps": card.get("step"), "train_seconds": card.get("seconds"),
        "history": card.get("history", [])[-50:], "query_gain_history": card.get("query_gain_history", [])[-50:],
        "adapt": adapt, "metrics": metrics or {}}, step_sizes)
