"""The training command line of the melody generator: ``python main.py train-melody``.

:func:`run_train` trains (or resumes) a run with :func:`.train.train`, evaluates it on held-out
episodes, optionally selects the run-time learning rate and steps on validation episodes, and
writes ``models/melody-<method>`` (:mod:`.weights`). Its arguments live in :mod:`.options`
(re-exported here as :func:`add_train_arguments`), so building the parser does not import torch.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import torch

from studio.domains.melody.corpus import load_corpus
from studio.domains.melody.model import MelodyNet, MelodyNetConfig, parameter_count
from studio.domains.melody.options import TrainSettings, add_train_arguments
from studio.domains.melody.train import (
    _Deadline, _settings_dict, adapted_query_loss, heldout_episodes, select_adaptation, train,
)
from studio.domains.melody.weights import save_model
from studio.errors import CheckpointError, StudioError
from studio.meta import checkpoint as ckpt
from studio.model_registry import MODELS_DIR

__all__ = ["add_train_arguments", "main", "run_train"]


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
