"""Command-line options and run settings of the melody commands, importable without torch.

``studio.cli`` builds every sub-parser at start-up; keeping the argument definitions here
means ``python main.py --help`` does not pay for importing torch. :class:`TrainSettings` is the
typed record of a training run (stored in the model card).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

DEFAULT_CORPUS = "data/melody"
META_METHODS = ("reptile", "fomaml", "metasgd")
ALL_METHODS = (*META_METHODS, "multitask")


@dataclass(frozen=True)
class TrainSettings:
    """One training run (recorded in the card)."""

    method: str = "reptile"  # one of ALL_METHODS
    iterations: int = 3000  # outer steps (multitask: converted to the same gradient count)
    meta_batch: int = 3  # tasks per outer step
    inner_steps: int = 4
    inner_lr: float = 0.1
    clip: float = 5.0  # inner-step gradient norm clip
    outer_lr: float = 1e-3
    support: tuple[int, int] = (3, 8)
    query: int = 4
    bars: int = 8
    seed: int = 0
    adapt_lr: float = 0.1  # run-time adaptation learning rate written to the card
    adapt_steps: int = 20  # run-time default step count written to the card
    exclude_tasks: tuple[str, ...] = ()  # training tasks kept out (a validation split for sampling choices)
    cache_loss: float = 0.0  # > 0: train on the mixture with the support cache at this share (see .cache)

    def gradient_evaluations(self) -> int:
        return self.iterations * self.meta_batch * self.inner_steps



def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    d = TrainSettings()
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help="prepared corpus folder (prepare-melodies)")
    parser.add_argument("--method", choices=ALL_METHODS, default=d.method)
    parser.add_argument("--iterations", type=int, default=d.iterations, help="outer steps")
    parser.add_argument("--minutes", type=float, default=None, help="stop (and export) after this wall time")
    parser.add_argument("--meta-batch", type=int, default=d.meta_batch)
    parser.add_argument("--inner-steps", type=int, default=d.inner_steps)
    parser.add_argument("--inner-lr", type=float, default=d.inner_lr)
    parser.add_argument("--outer-lr", type=float, default=d.outer_lr)
    parser.add_argument("--adapt-lr", type=float, default=d.adapt_lr)
    parser.add_argument("--adapt-steps", type=int, default=d.adapt_steps)
    parser.add_argument("--seed", type=int, default=d.seed)
    parser.add_argument("--support", type=int, nargs=2, default=list(d.support), metavar=("MIN", "MAX"),
                        help="support phrases per episode")
    parser.add_argument("--query", type=int, default=d.query, help="query phrases per episode")
    parser.add_argument("--embed", type=int, default=96)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--run-dir", default="runs/melody", help="training checkpoints go here")
    parser.add_argument("--checkpoint-every", type=int, default=50)
    parser.add_argument("--init", default=None, metavar="STEM",
                        help="start a fresh run from these weights (a model or a training checkpoint)")
    parser.add_argument("--resume", action="store_true", help="continue from the run's checkpoint")
    parser.add_argument("--out", default=None, help="model stem to write (default models/melody-<method>)")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--no-select-adaptation", dest="select_adaptation", action="store_false",
                        help="keep --adapt-lr/--adapt-steps instead of choosing them on validation episodes")
    parser.add_argument("--cache-loss", type=float, default=0.0, metavar="W",
                        help="train on the sampler's mixture with the support cache at share W (0: plain loss)")
    parser.add_argument("--exclude-tasks", nargs="*", default=[], metavar="TASK",
                        help="training tasks to keep out of this run (e.g. the bench's validation collections, "
                             "so that choices made on them are made on collections the model never saw)")
    parser.add_argument("--eval-episodes", type=int, default=8, help="held-out episodes for the card's metrics")
