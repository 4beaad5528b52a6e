"""Meta-training the melody network (Reptile, first-order MAML, Meta-SGD) and its plain
multi-task baseline, with checkpoints and resume, and the evaluations training and the benchmark
share (held-out query loss after k steps, the choice of the run-time learning rate and steps).

``python main.py train-melody --method reptile --minutes 30`` (:mod:`.train_cli`) draws episodes
of 8-bar phrases from the training tasks of the prepared corpus (``data/melody``, held-out
collections never seen), meta-trains with :class:`studio.meta.trainer.MetaTrainer` (checkpoint
every ``--checkpoint-every`` steps under ``--run-dir``; ``--resume`` continues exactly) and
writes ``models/melody-<method>`` (weights as safetensors plus a JSON card with the data,
command, steps and metrics).

``--method multitask`` is the non-meta baseline: the same network and episodes, trained with
Adam on every phrase of each episode (support and query, conditioned on the support's style),
with as many gradient evaluations as a meta-run of the same ``--iterations`` x
``--meta-batch`` x ``--inner-steps`` makes, so both see the same data and compute.

Stored models are read and written by :mod:`.weights`.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any

import numpy as np
import torch
from torch import Tensor

from studio.domains.melody.cache import mixture_targets
from studio.domains.melody.corpus import EpisodeSampler, MelodyCorpus
from studio.domains.melody.options import ALL_METHODS, TrainSettings
from studio.domains.melody.model import MelodyNet, MelodyNetConfig, build_batch, sequence_loss, style_features
from studio.domains.melody.weights import MODEL_KIND
from studio.errors import CheckpointError
from studio.meta import checkpoint as ckpt
from studio.meta import functional as F
from studio.meta.algorithms import AlgorithmConfig
from studio.meta.episodes import Task
from studio.meta.inner import InnerConfig, inner_loop
from studio.meta.trainer import MetaTrainer, TrainerConfig
from studio.progress import NULL_PROGRESS, Progress


def episode_task(support: list[list[int]], query: list[list[int]], cache_loss: float = 0.0) -> Task:
    """An episode as an engine :class:`Task`: every phrase conditioned on the support's style,
    support and query padded to one length (Reptile concatenates them). With ``cache_loss`` > 0
    the targets carry the support cache's probabilities, so the loss is the sampler's mixture
    (:func:`studio.domains.melody.cache.mixture_targets`)."""
    inputs, targets = build_batch(support + query, style_features(support))
    if cache_loss > 0:
        targets = torch.from_numpy(mixture_targets(targets.numpy(), support + query, support, cache_loss))
    k = len(support)
    return Task(tuple(t[:k] for t in inputs), targets[:k], tuple(t[k:] for t in inputs), targets[k:])


class EpisodeTasks:
    """A :class:`studio.meta.episodes.TaskSampler` over corpus episodes: the generator picks
    which episode, so a run is reproducible from its seed and resumes exactly."""

    def __init__(self, sampler: EpisodeSampler, cache_loss: float = 0.0) -> None:
        self.sampler = sampler
        self.cache_loss = cache_loss

    def sample(self, generator: torch.Generator) -> Task:
        index = int(torch.randint(0, 2**62, (1,), generator=generator))
        episode = self.sampler.sample_at(index)
        return episode_task(episode.support, episode.query, self.cache_loss)


class _Deadline:
    """A Progress that asks to stop after ``seconds`` and prints a line now and then."""

    def __init__(self, seconds: float | None, every: int = 25) -> None:
        self.end = None if seconds is None else time.monotonic() + seconds
        self.every, self.count, self.started = every, 0, time.monotonic()

    def report_progress(self, fraction: float, message: str = "") -> None:
        self.count += 1
        if self.count % self.every == 0:
            print(f"[{time.monotonic() - self.started:7.0f}s] {message}", flush=True)

    def report_partial(self, obj: object) -> None:
        pass

    def should_stop(self) -> bool:
        return self.end is not None and time.monotonic() >= self.end


def _trainer_config(s: TrainSettings, run_stem: str | None, checkpoint_every: int) -> TrainerConfig:
    inner = InnerConfig(steps=s.inner_steps, lrs=(s.inner_lr,), clip_grad_norm=s.clip)
    return TrainerConfig(algorithm=AlgorithmConfig(method=s.method, inner=inner), iterations=s.iterations,
                         meta_batch_size=s.meta_batch, outer_optimizer="adam", outer_lr=s.outer_lr,
                         metasgd_init_lr=s.inner_lr, seed=s.seed, checkpoint_every=checkpoint_every,
                         checkpoint_path=run_stem)


def train(corpus: MelodyCorpus, settings: TrainSettings, net: MelodyNetConfig, run_stem: str | None = None,
          checkpoint_every: int = 100, resume: bool = False, progress: Progress = NULL_PROGRESS,
          init: str | None = None) -> tuple[dict[str, Tensor], dict[str, Tensor] | None, int, dict[str, float]]:
    """Train and return ``(params, meta_lrs or None, steps done, last metrics)``. ``init`` (a
    stored model or a training checkpoint) gives the starting weights of a fresh run.

    Raises ValueError for an unknown method; CheckpointError for a resume that does not fit.
    """
    if settings.method not in ALL_METHODS:
        raise ValueError(f"method must be one of {ALL_METHODS}, got {settings.method!r}")
    torch.manual_seed(settings.seed)
    model = MelodyNet(net)
    if init is not None and not (resume and run_stem and ckpt.paths(run_stem)[1].exists()):
        with torch.no_grad():
            for name, value in initial_params(init).items():
                model.get_parameter(name).copy_(value)
    sampler = EpisodeSampler(corpus, "train", settings.support, settings.query, settings.bars,
                             settings.seed, augment=True, exclude=settings.exclude_tasks)
    tasks = EpisodeTasks(sampler, settings.cache_loss)
    if settings.method == "multitask":
        return _train_multitask(model, tasks, settings, run_stem, checkpoint_every, resume, progress)
    config = _trainer_config(settings, run_stem, checkpoint_every)
    if resume and run_stem and ckpt.paths(run_stem)[1].exists():
        trainer = MetaTrainer.from_checkpoint(model, tasks, sequence_loss, run_stem, iterations=settings.iterations)
    else:
        trainer = MetaTrainer(model, tasks, sequence_loss, config)
    result = trainer.train(progress)
    params = F.detach(trainer.params)
    meta_lrs = F.detach(trainer.meta_lrs) if trainer.meta_lrs is not None else None
    return params, meta_lrs, result.steps_done, result.metrics


def _train_multitask(model: MelodyNet, tasks: EpisodeTasks, s: TrainSettings, run_stem: str | None,
                     checkpoint_every: int, resume: bool, progress: Progress
                     ) -> tuple[dict[str, Tensor], None, int, dict[str, float]]:
    from studio.meta.episodes import step_seed

    params = F.params_of(model)
    optimizer = torch.optim.Adam(params.values(), lr=s.outer_lr)
    total = s.gradient_evaluations()
    step = 0
    if resume and run_stem and ckpt.paths(run_stem)[1].exists():
        tensors, card = ckpt.load_checkpoint(run_stem)
        if card.get("kind") != "multitask-trainer":
            raise CheckpointError("not a multi-task checkpoint", run_stem)
        with torch.no_grad():
            for n, p in params.items():
                p.copy_(tensors[f"params/{n}"])
        for n, p in params.items():
            optimizer.state[p] = {k: v.clone() for k, v in ckpt.split_prefix(tensors, f"optim/{n}").items()}
        step = int(card["step"])

    def save() -> None:
        if not run_stem:
            return
        tensors = {f"params/{n}": p.detach() for n, p in params.items()}
        for n, p in params.items():
            for k, v in optimizer.state.get(p, {}).items():
                tensors[f"optim/{n}/{k}"] = v if isinstance(v, Tensor) else torch.tensor(v)
        ckpt.save_checkpoint(run_stem, tensors, {"kind": "multitask-trainer", "step": step,
                                                 "settings": _settings_dict(s)})

    metrics: dict[str, float] = {}
    buffers = F.buffers_of(model)
    while step < total and not progress.should_stop():
        generator = torch.Generator().manual_seed(step_seed(s.seed, step))
        task = tasks.sample(generator)
        loss = F.loss_at(model, params, buffers, task.all_x, task.all_y, sequence_loss)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(params.values()), s.clip)
        optimizer.step()
        step += 1
        metrics = {"train_loss": float(loss.detach())}
        progress.report_progress(step / total, f"step {step}/{total}, loss {metrics['train_loss']:.4f}")
        if checkpoint_every and step % checkpoint_every == 0:
            save()
    save()
    return F.detach(params), None, step, metrics


def _settings_dict(s: TrainSettings) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(s)


def initial_params(stem: str | os.PathLike) -> dict[str, Tensor]:
    """The network weights of a stored model or of a meta-/multi-task training checkpoint."""
    tensors, card = ckpt.load_checkpoint(stem)
    if card.get("kind") == MODEL_KIND:
        return {n: t for n, t in tensors.items() if not n.startswith("meta_lrs/")}
    params = ckpt.split_prefix(tensors, "params")
    if not params:
        raise CheckpointError("neither a melody model nor a training checkpoint", str(stem))
    return params


# --- evaluation used by training and the benchmark -----------------------------------------------

def heldout_episodes(corpus: MelodyCorpus, count: int, seed: int = 1, support: int = 4,
                     bars: int = 8, query: int = 4) -> list:
    """Fixed held-out episodes with ``support`` phrases (never seen in meta-training)."""
    sampler = EpisodeSampler(corpus, "heldout", (support, support), query, bars, seed)
    return [sampler.sample_at(i) for i in range(count)]


def adapted_query_loss(model: MelodyNet, params: dict[str, Tensor], episodes: list, steps: int, lr: float,
                       clip: float = 5.0, meta_lrs: dict[str, Tensor] | None = None,
                       cache_loss: float = 0.0) -> float:
    """Mean query loss after ``steps`` SGD steps on each episode's support (0: conditioning only)."""
    losses = []
    for episode in episodes:
        task = episode_task(episode.support, episode.query, cache_loss)
        phi = params
        if steps:
            phi, _ = inner_loop(model, F.detach(params), {}, task.support_x, task.support_y, sequence_loss,
                                InnerConfig(steps=steps, lrs=(lr,), clip_grad_norm=clip),
                                track_params=False, meta_lrs=meta_lrs)
        with torch.no_grad():
            losses.append(float(F.loss_at(model, phi, {}, task.query_x, task.query_y, sequence_loss)))
    return float(np.mean(losses))


def query_loss_curve(model: MelodyNet, params: dict[str, Tensor], episodes: list, checkpoints: tuple[int, ...],
                     lr: float, clip: float = 5.0, meta_lrs: dict[str, Tensor] | None = None,
                     cache_loss: float = 0.0) -> dict[int, float]:
    """Mean query loss after each number of steps in ``checkpoints`` (one SGD run per episode)."""
    sums = {k: 0.0 for k in checkpoints}
    config = InnerConfig(steps=1, lrs=(lr,), clip_grad_norm=clip)
    for episode in episodes:
        task = episode_task(episode.support, episode.query, cache_loss)
        phi = F.detach(params)
        for step in range(max(checkpoints) + 1):
            if step in sums:
                with torch.no_grad():
                    sums[step] += float(F.loss_at(model, phi, {}, task.query_x, task.query_y, sequence_loss))
            if step < max(checkpoints):
                phi, _ = inner_loop(model, phi, {}, task.support_x, task.support_y, sequence_loss, config,
                                    track_params=False, meta_lrs=meta_lrs)
    return {k: v / len(episodes) for k, v in sums.items()}


def select_adaptation(model: MelodyNet, params: dict[str, Tensor], corpus: MelodyCorpus,
                      meta_lrs: dict[str, Tensor] | None = None, lrs: tuple[float, ...] = (0.05, 0.1, 0.2),
                      steps: tuple[int, ...] = (5, 10, 20, 30), episodes: int = 8, seed: int = 11,
                      exclude: tuple[str, ...] = (), cache_loss: float = 0.0) -> tuple[float, int, dict[str, float]]:
    """The run-time learning rate and step count with the lowest query loss on validation
    episodes of 4 support phrases drawn from the *training* tasks (the held-out collections stay
    untouched for the benchmark). Meta-SGD's learned rates ignore ``lrs``. Returns
    ``(lr, steps, {"lr=..,steps=..": loss})``."""
    sampler = EpisodeSampler(corpus, "train", (4, 4), 4, 8, seed, exclude=exclude)
    chosen = [sampler.sample_at(i) for i in range(episodes)]
    table: dict[str, float] = {}
    best = (math.inf, lrs[0], steps[0])
    for lr in (lrs if meta_lrs is None else lrs[:1]):
        for k, loss in query_loss_curve(model, params, chosen, (0, *steps), lr, meta_lrs=meta_lrs,
                                        cache_loss=cache_loss).items():
            table[f"lr={lr},steps={k}"] = round(loss, 4)
            if k and loss < best[0]:
                best = (loss, lr, k)
    return best[1], best[2], table
