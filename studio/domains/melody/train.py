"""Meta-training the melody network (Reptile, first-order MAML, Meta-SGD) and its plain
multi-task baseline, with checkpoints, resume and the export of shipped weights.

``python main.py train-melody --method reptile --minutes 30`` (:func:`add_train_arguments` /
:func:`run_train`) draws episodes of 8-bar phrases from the training tasks of the prepared
corpus (``data/melody``, held-out collections never seen), meta-trains with
:class:`studio.meta.trainer.MetaTrainer` (checkpoint every ``--checkpoint-every`` steps under
``--run-dir``; ``--resume`` continues exactly) and writes ``models/melody-<method>`` (weights
as safetensors plus a JSON card with the data, command, steps and metrics).

``--method multitask`` is the non-meta baseline: the same network and episodes, trained with
Adam on every phrase of each episode (support and query, conditioned on the support's style),
with as many gradient evaluations as a meta-run of the same ``--iterations`` x
``--meta-batch`` x ``--inner-steps`` makes, so both see the same data and compute.

A stored model is loaded by :func:`load_model`: ``(MelodyNet, params, card)``; the card's
``adapt`` entry gives the run-time learning rate, and Meta-SGD's learned rates are kept as
``meta_lrs/<name>`` tensors.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from studio.domains.melody.cache import mixture_targets
from studio.domains.melody.corpus import EpisodeSampler, MelodyCorpus, load_corpus
from studio.domains.melody.options import ALL_METHODS, TrainSettings, add_train_arguments
from studio.domains.melody.model import (
    MelodyNet, MelodyNetConfig, build_batch, parameter_count, sequence_loss, style_features,
)
from studio.errors import CheckpointError, StudioError
from studio.meta import checkpoint as ckpt
from studio.meta import functional as F
from studio.meta.algorithms import AlgorithmConfig
from studio.meta.episodes import Task
from studio.meta.inner import InnerConfig, inner_loop
from studio.meta.trainer import MetaTrainer, TrainerConfig
from studio.progress import NULL_PROGRESS, Progress

MODELS_DIR = Path(__file__).resolve().parents[3] / "models"
MODEL_KIND = "melody-generator"


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


# --- stored models ----------------------------------------------------------------------------

def save_model(stem: str | os.PathLike, params: dict[str, Tensor], net: MelodyNetConfig,
               card: dict[str, Any], meta_lrs: dict[str, Tensor] | None = None) -> None:
    """Write shipped weights (params, plus ``meta_lrs/`` tensors for Meta-SGD) and the card."""
    tensors = {n: t.detach().contiguous() for n, t in params.items()}
    if meta_lrs:
        tensors.update({f"meta_lrs/{n}": t.detach().contiguous() for n, t in meta_lrs.items()})
    ckpt.save_checkpoint(stem, tensors, {"kind": MODEL_KIND, "config": net.to_dict(), **card})


def load_model(stem: str | os.PathLike) -> tuple[MelodyNet, dict[str, Tensor], dict[str, Tensor] | None, dict]:
    """``(model, params, meta_lrs or None, card)`` of a stored melody model.

    Raises CheckpointError for missing or damaged files, another kind of model, or weights
    that do not fit the config in the card.
    """
    tensors, card = ckpt.load_checkpoint(stem)
    if card.get("kind") != MODEL_KIND:
        raise CheckpointError(f"not a melody model (kind {card.get('kind')!r})", str(stem))
    try:
        model = MelodyNet(MelodyNetConfig.from_dict(card["config"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"the card's model config is malformed: {exc}", str(stem)) from exc
    params = {n: t for n, t in tensors.items() if not n.startswith("meta_lrs/")}
    reference = dict(model.named_parameters())
    ckpt.check_matches(params, reference, str(stem), "melody network")
    meta_lrs = ckpt.split_prefix(tensors, "meta_lrs") or None
    model.load_state_dict(params)
    model.eval()
    return model, params, meta_lrs, card


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


# --- command line ------------------------------------------------------------------------------

def run_train(args: argparse.Namespace) -> int:
    """Train, evaluate on held-out episodes and export; returns an exit code."""
    torch.set_num_threads(max(1, args.threads))
    try:
        corpus = load_corpus(args.corpus)
    except StudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = TrainSettings(method=args.method, iterations=args.iterations, meta_batch=args.meta_batch,
                             inner_steps=args.inner_steps, inner_lr=args.inner_lr, outer_lr=args.outer_lr,
                             seed=args.seed, adapt_lr=args.adapt_lr, adapt_steps=args.adapt_steps,
                             support=(args.support[0], args.support[1]), query=args.query,
                             exclude_tasks=tuple(args.exclude_tasks))
    net = MelodyNetConfig(embed=args.embed, hidden=args.hidden)
    run_stem = str(Path(args.run_dir) / args.method)
    started = time.monotonic()
    deadline = _Deadline(None if args.minutes is None else args.minutes * 60)
    params, meta_lrs, steps, metrics = train(corpus, settings, net, run_stem, args.checkpoint_every,
                                             args.resume, deadline, args.init)
    seconds = time.monotonic() - started
    model = MelodyNet(net)
    episodes = heldout_episodes(corpus, args.eval_episodes)
    if args.select_adaptation:
        lr, adapt_steps, table = select_adaptation(model, params, corpus, meta_lrs,
                                                   exclude=settings.exclude_tasks, cache_loss=settings.cache_loss)
        settings = dataclasses.replace(settings, adapt_lr=lr, adapt_steps=adapt_steps)
    else:
        table = {}
    evaluation = {
        f"heldout_query_loss_{k}_steps": round(adapted_query_loss(model, params, episodes, k, settings.adapt_lr,
                                                                  meta_lrs=meta_lrs,
                                                                  cache_loss=settings.cache_loss), 4)
        for k in (0, 5, settings.adapt_steps)
    }
    stem = args.out or str(MODELS_DIR / f"melody-{args.method}")
    card = {
        "name": Path(stem).name,
        "description": f"Melody GRU ({parameter_count(model)} parameters), {args.method} over corpus tasks",
        "method": "reptile" if args.method == "multitask" else args.method,
        "training_method": args.method,
        "data": {"corpus": str(args.corpus), "prepared_by": "python main.py prepare-melodies --out data/melody",
                 "train_tasks": [t for t in corpus.tasks("train") if t not in settings.exclude_tasks],
                 "excluded_tasks": list(settings.exclude_tasks), "heldout_tasks": list(corpus.heldout),
                 "episodes": f"{settings.support[0]}-{settings.support[1]} support + {settings.query} query "
                             f"phrases of {settings.bars} bars, transposed -5..+6"},
        "command": "python main.py train-melody " + shlex.join(_command_arguments()),
        "settings": _settings_dict(settings),
        "steps": steps,
        "init": _init_record(args.init),
        "gradient_evaluations": steps if args.method == "multitask" else steps * settings.meta_batch
        * settings.inner_steps,
        "train_seconds": round(seconds, 1),
        "metrics": {**{k: round(v, 4) for k, v in metrics.items() if math.isfinite(v)}, **evaluation},
        "adapt": {"lr": settings.adapt_lr, "steps": settings.adapt_steps, "clip": settings.clip,
                  "selected_on": "validation query loss, 8 episodes of 4 support phrases from training tasks"
                  if table else "command-line settings", "validation_query_loss": table},
    }
    if args.resume and ckpt.paths(stem)[1].exists():  # keep the history of a resumed run's commands
        try:
            _, previous = ckpt.load_checkpoint(stem)
            card["previous_commands"] = [*previous.get("previous_commands", []), previous.get("command")]
            card["train_seconds"] = round(card["train_seconds"] + float(previous.get("train_seconds", 0.0)), 1)
        except CheckpointError:
            pass
    save_model(stem, params, net, card, meta_lrs)
    print(json.dumps({"model": stem, "steps": steps, "seconds": round(seconds), **evaluation}))
    return 0


def _init_record(init: str | None) -> dict[str, Any] | None:
    if init is None:
        return None
    _, card = ckpt.load_checkpoint(init)
    return {"from": str(init), "kind": card.get("kind"), "step": card.get("step", card.get("steps"))}


def _command_arguments() -> list[str]:
    argv = sys.argv
    return argv[argv.index("train-melody") + 1:] if "train-melody" in argv else argv[1:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="train-melody", description=__doc__.splitlines()[0])
    add_train_arguments(parser)
    return run_train(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
