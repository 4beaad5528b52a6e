"""The contract every domain generator (paintings, melodies) fulfils for the engine facade.

A generator is meta-trained offline; at run time it is adapted to the user's samples
(``instant`` gives a conditioning-only start with no gradient steps, ``adapt`` refines it
with a step or time budget) and then fills and refines the gallery. Everything crossing this
boundary is a plain dataclass: adapted weights travel as safetensors bytes, works as
:class:`~studio.core.works.Work`. Long calls take a :class:`~studio.progress.Progress`, check
``should_stop`` between steps and stream partial results (a loss as a ``float`` during
adaptation, each finished ``Work`` during generation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

import numpy as np

from studio.core.samples import Domain, Sample
from studio.core.works import Work
from studio.meta.registry import DEFAULT_METHOD
from studio.progress import NULL_PROGRESS, Progress


@dataclass(frozen=True)
class AdaptConfig:
    """How to adapt: a registry method name and a budget in steps or seconds (or both)."""

    method: str = DEFAULT_METHOD
    steps: int | None = 30  # gradient steps; None means "until the time budget runs out"
    time_budget_s: float | None = None  # wall-clock budget; None means "until the steps are done"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.steps is None and self.time_budget_s is None:
            raise ValueError("give a step budget, a time budget, or both")
        if self.steps is not None and self.steps < 0:
            raise ValueError(f"steps must be >= 0, got {self.steps}")
        if self.time_budget_s is not None and self.time_budget_s <= 0:
            raise ValueError(f"time_budget_s must be > 0, got {self.time_budget_s}")


@dataclass(frozen=True)
class AdaptedModel:
    """A generator adapted to a sample set: the base model's name plus a compact weight delta."""

    domain: Domain
    model_name: str  # the registry name of the shipped base weights
    method: str  # registry method, or "instant" for conditioning only
    delta: bytes = field(repr=False)  # safetensors bytes (adapted - base, plus any conditioning)
    steps: int = 0
    seconds: float = 0.0
    losses: tuple[float, ...] = ()
    sample_digests: tuple[str, ...] = ()
    stopped_early: bool = False
    notes: tuple[str, ...] = ()  # what the adaptation wants the user to know (e.g. refused checkpoints)


class Generator(Protocol):
    """What the engine needs from a domain. Implementations live in ``studio.domains.<name>``."""

    domain: Domain
    model_name: str

    def instant(self, samples: Sequence[Sample]) -> AdaptedModel:
        """Condition on the samples with no gradient steps (well under a second)."""

    def adapt(self, samples: Sequence[Sample], config: AdaptConfig,
              progress: Progress = NULL_PROGRESS, start: AdaptedModel | None = None,
              preview_every_s: float | None = None) -> AdaptedModel:
        """Gradient steps on the samples from the meta-trained (or ``start``) weights. A generator
        that can show a work made with the weights so far streams one that often (an
        ``AdaptPreview`` partial) when ``preview_every_s`` is given; others ignore it."""

    def generate(self, adapted: AdaptedModel, samples: Sequence[Sample], params: Any, count: int,
                 seed: int, progress: Progress = NULL_PROGRESS,
                 exclude_seeds: frozenset[int] = frozenset()) -> list[Work]:
        """``count`` new works, one seed each (never one of ``exclude_seeds``), streamed as partials."""

    def vary(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, closeness: float,
             count: int, seed: int, progress: Progress = NULL_PROGRESS) -> list[Work]:
        """Variations of ``work``: ``closeness`` 1.0 keeps nearly everything, 0.0 keeps little."""

    def blend(self, adapted: AdaptedModel, samples: Sequence[Sample], a: Work, b: Work,
              seed: int, progress: Progress = NULL_PROGRESS) -> Work:
        """A new work mixing two works."""


def work_seeds(seed: int, count: int, exclude: frozenset[int] = frozenset()) -> list[int]:
    """``count`` distinct work seeds drawn from ``seed``, none in ``exclude`` (deterministic)."""
    rng = np.random.default_rng([seed, 7919])
    seeds: list[int] = []
    while len(seeds) < count:
        candidate = int(rng.integers(0, 2**31 - 1))
        if candidate not in exclude and candidate not in seeds:
            seeds.append(candidate)
    return seeds
