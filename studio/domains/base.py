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
from typing import Any, ClassVar, Protocol, Sequence, runtime_checkable

import numpy as np

from studio.core.melody import Melody
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

    PROJECT_KEY: ClassVar[str] = "adapted"  # its entry in project.settings (metadata) and project.weights (delta)

    def to_project(self) -> tuple[dict[str, Any], bytes]:
        """``(metadata, delta)``: the JSON-safe entry for ``project.settings[PROJECT_KEY]`` and the
        bytes for ``project.weights[PROJECT_KEY]``; :meth:`from_project` reads them back."""
        meta = {"domain": self.domain.value, "model_name": self.model_name, "method": self.method,
                "steps": self.steps, "seconds": self.seconds, "losses": list(self.losses),
                "sample_digests": list(self.sample_digests), "stopped_early": self.stopped_early,
                "notes": list(self.notes)}
        return meta, self.delta

    @classmethod
    def from_project(cls, meta: object, delta: object) -> AdaptedModel | None:
        """The model that :meth:`to_project` wrote, or None when either part is missing or
        malformed (a project file is untrusted input: a bad entry reopens the project unadapted)."""
        if not isinstance(meta, dict) or not isinstance(delta, (bytes, bytearray)):
            return None
        try:
            return cls(
                domain=Domain(meta["domain"]), model_name=str(meta["model_name"]), method=str(meta["method"]),
                delta=bytes(delta), steps=int(meta.get("steps", 0)), seconds=float(meta.get("seconds", 0.0)),
                losses=tuple(float(x) for x in meta.get("losses", ())),
                sample_digests=tuple(str(d) for d in meta.get("sample_digests", ())),
                stopped_early=bool(meta.get("stopped_early", False)),
                notes=tuple(str(n) for n in meta.get("notes", ())))
        except (KeyError, TypeError, ValueError, OverflowError):  # OverflowError: int(Infinity)
            return None


class Generator(Protocol):
    """What the engine needs from every domain. Implementations live in ``studio.domains.<name>``
    and are loaded by ``load_generator(info)`` in the module a registry entry names
    (:mod:`studio.model_registry`).

    Operations only some domains have are separate protocols the engine asks for with
    ``isinstance``: :class:`ClipEditor` (melodies: continue a clip, rewrite chosen bars) and
    :class:`CanvasEditor` (paintings: repaint a region, render larger).
    """

    domain: Domain
    model_name: str  # the registry name of the stored base weights
    default_steps: int  # the adaptation steps the model's card asks for

    def instant(self, samples: Sequence[Sample]) -> AdaptedModel:
        """Condition on the samples with no gradient steps (well under a second)."""
        ...

    def adapt(self, samples: Sequence[Sample], config: AdaptConfig,
              progress: Progress = NULL_PROGRESS, start: AdaptedModel | None = None,
              preview_every_s: float | None = None) -> AdaptedModel:
        """Gradient steps on the samples from the meta-trained (or ``start``) weights. A generator
        that can show a work made with the weights so far streams one that often (an
        ``AdaptPreview`` partial) when ``preview_every_s`` is given; others ignore it."""
        ...

    def more_like_these(self, samples: Sequence[Sample], kept: Sequence[Work], config: AdaptConfig,
                        progress: Progress = NULL_PROGRESS, start: AdaptedModel | None = None) -> AdaptedModel:
        """Adapt again with the kept works as extra samples."""
        ...

    def generate(self, adapted: AdaptedModel, samples: Sequence[Sample], params: Any, count: int,
                 seed: int, progress: Progress = NULL_PROGRESS,
                 exclude_seeds: frozenset[int] = frozenset()) -> list[Work]:
        """``count`` new works, one seed each (never one of ``exclude_seeds``), streamed as partials;
        fewer when asked to stop. ``params`` is the domain's parameter dataclass (or None: defaults)."""
        ...

    def vary(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, closeness: float,
             count: int, seed: int, progress: Progress = NULL_PROGRESS) -> list[Work]:
        """Variations of ``work``: ``closeness`` 1.0 keeps nearly everything, 0.0 keeps little."""
        ...

    def blend(self, adapted: AdaptedModel, samples: Sequence[Sample], a: Work, b: Work,
              seed: int, progress: Progress = NULL_PROGRESS) -> Work:
        """A new work mixing two works."""
        ...


@runtime_checkable
class ClipEditor(Protocol):
    """Edits along time, for generators of sequences (melodies)."""

    def continue_clip(self, adapted: AdaptedModel, samples: Sequence[Sample], source: Work | Melody,
                      bars: int, seed: int, count: int = 1,
                      progress: Progress = NULL_PROGRESS, params: Any = None) -> list[Work]:
        """``count`` alternatives of the clip followed by ``bars`` new bars; fewer when asked to stop.
        ``params`` (optional): the person's current settings, e.g. chords and a scale lock."""
        ...

    def regenerate_bars(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work,
                        bars: Sequence[int], seed: int, progress: Progress = NULL_PROGRESS,
                        params: Any = None) -> Work:
        """``work`` with the chosen bars (0-based) written anew, the others kept (``params`` as
        for :meth:`continue_clip`)."""
        ...


@runtime_checkable
class CanvasEditor(Protocol):
    """Edits in space, for generators of pictures (paintings)."""

    def repaint(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, mask: np.ndarray,
                seed: int, progress: Progress = NULL_PROGRESS) -> Work:
        """``work`` with the region where ``mask`` (HxW, nonzero = repaint) is set painted anew."""
        ...

    def render(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, long_side: int,
               progress: Progress = NULL_PROGRESS) -> Work:
        """``work`` painted again with ``long_side`` pixels on its long side, same composition."""
        ...


def work_seeds(seed: int, count: int, exclude: frozenset[int] = frozenset()) -> list[int]:
    """``count`` distinct work seeds drawn from ``seed``, none in ``exclude`` (deterministic)."""
    rng = np.random.default_rng([seed, 7919])
    seeds: list[int] = []
    while len(seeds) < count:
        candidate = int(rng.integers(0, 2**31 - 1))
        if candidate not in exclude and candidate not in seeds:
            seeds.append(candidate)
    return seeds
