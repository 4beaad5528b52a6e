"""Tasks (episodes) with a support and a query set, seeded task samplers and meta-batches.

A :class:`TaskSampler` draws one task from a ``torch.Generator``. :func:`meta_batch` seeds a fresh
generator from ``(seed, step)``, so the meta-batch of any training step can be rebuilt
exactly: a resumed run sees the same tasks as an uninterrupted one, and every process of a
distributed run draws the same global meta-batch and keeps its own :meth:`MetaBatch.shard`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import torch
from torch import Tensor

_MIX = 0x9E3779B97F4A7C15  # 64-bit golden-ratio constant: spreads nearby (seed, step) pairs apart


@dataclass(frozen=True)
class Task:
    """One episode: adapt on (support_x, support_y), evaluate on (query_x, query_y).

    Inputs may be a tensor or a tuple of tensors (passed to the model as positional arguments).
    """

    support_x: Tensor | tuple[Tensor, ...]
    support_y: Tensor
    query_x: Tensor | tuple[Tensor, ...]
    query_y: Tensor

    @property
    def all_x(self) -> Tensor | tuple[Tensor, ...]:
        """Support and query inputs concatenated (Reptile trains on all of a task's data)."""
        return _map2(lambda a, b: torch.cat([a, b]), self.support_x, self.query_x)

    @property
    def all_y(self) -> Tensor:
        return torch.cat([self.support_y, self.query_y])


def _map2(fn, a, b):
    if isinstance(a, tuple):
        return tuple(fn(x, y) for x, y in zip(a, b))
    return fn(a, b)


def _stack(items: list) -> Tensor | tuple[Tensor, ...]:
    if isinstance(items[0], tuple):
        return tuple(torch.stack(parts) for parts in zip(*items))
    return torch.stack(items)


@dataclass(frozen=True)
class MetaBatch:
    """Several tasks, in a fixed order."""

    tasks: tuple[Task, ...]

    def __len__(self) -> int:
        return len(self.tasks)

    def shard(self, rank: int, world_size: int) -> MetaBatch:
        """The contiguous slice process ``rank`` of ``world_size`` works on (may be empty)."""
        if not 0 <= rank < world_size:
            raise ValueError(f"rank must be in 0..{world_size - 1}, got {rank}")
        n = len(self.tasks)
        start, stop = rank * n // world_size, (rank + 1) * n // world_size
        return MetaBatch(self.tasks[start:stop])

    def stacked(self) -> Task:
        """One task whose tensors carry a leading task dimension (for ``vmap``); shapes must agree."""
        if not self.tasks:
            raise ValueError("cannot stack an empty meta-batch")
        try:
            return Task(*(_stack([getattr(t, f) for t in self.tasks])
                          for f in ("support_x", "support_y", "query_x", "query_y")))
        except RuntimeError as exc:
            raise ValueError(f"tasks of different shapes cannot be stacked: {exc}") from exc


@runtime_checkable
class TaskSampler(Protocol):
    """Draws tasks from a task distribution; all randomness comes from ``generator``."""

    def sample(self, generator: torch.Generator) -> Task:
        """One task."""


def step_seed(seed: int, step: int) -> int:
    """A 63-bit seed for the meta-batch of ``step`` in a run seeded with ``seed``."""
    return ((seed + 1) * _MIX + step * 0xBF58476D1CE4E5B9) % (2**63 - 1)


def meta_batch(sampler: TaskSampler, size: int, seed: int, step: int) -> MetaBatch:
    """The ``size`` tasks of training step ``step``; identical for identical arguments."""
    if size < 1:
        raise ValueError(f"meta-batch size must be >= 1, got {size}")
    generator = torch.Generator().manual_seed(step_seed(seed, step))
    return MetaBatch(tuple(sampler.sample(generator) for _ in range(size)))


def fixed_tasks(sampler: TaskSampler, count: int, seed: int) -> MetaBatch:
    """A fixed set of tasks (an evaluation set), reproducible from ``seed``."""
    generator = torch.Generator().manual_seed(step_seed(seed, -1))  # step -1: never a training step
    return MetaBatch(tuple(sampler.sample(generator) for _ in range(count)))


def concat(batches: Sequence[MetaBatch]) -> MetaBatch:
    """The tasks of several meta-batches, in order."""
    return MetaBatch(tuple(t for b in batches for t in b.tasks))
