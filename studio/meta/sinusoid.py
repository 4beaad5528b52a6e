"""The sinusoid regression task distribution of Finn et al. (2017) and its 1-40-40-1 MLP.

A task is ``y = A sin(x - phase)`` with ``A ~ U[0.1, 5]``, ``phase ~ U[0, pi]`` and inputs
``x ~ U[-5, 5]``; the model sees ``k_support`` points to adapt and is scored on ``k_query``.
It is the standard sanity benchmark for optimisation-based meta-learning
(:mod:`studio.bench.sinusoid`) and the tiny workload of the meta-learning tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from studio.meta.episodes import Task


@dataclass(frozen=True)
class SinusoidConfig:
    """The task distribution (defaults: Finn et al. 2017, section 5.1)."""

    k_support: int = 10  # points given to adapt on (the "K" of K-shot)
    k_query: int = 10  # points the adapted model is scored on
    amplitude: tuple[float, float] = (0.1, 5.0)
    phase: tuple[float, float] = (0.0, math.pi)
    x_range: tuple[float, float] = (-5.0, 5.0)
    dtype: str = "float32"


@dataclass(frozen=True)
class SinusoidTask(Task):
    """A sinusoid task that also remembers its amplitude and phase."""

    amplitude: float = 0.0
    phase: float = 0.0


class SinusoidSampler:
    """A :class:`~studio.meta.episodes.TaskSampler` over sinusoids."""

    def __init__(self, config: SinusoidConfig = SinusoidConfig()) -> None:
        if config.k_support < 1 or config.k_query < 1:
            raise ValueError("k_support and k_query must be >= 1")
        self.config = config
        self._dtype = getattr(torch, config.dtype)

    def _uniform(self, lo_hi: tuple[float, float], n: int, generator: torch.Generator) -> Tensor:
        lo, hi = lo_hi
        return lo + (hi - lo) * torch.rand(n, generator=generator, dtype=torch.float64)

    def sample(self, generator: torch.Generator) -> SinusoidTask:
        c = self.config
        amplitude = float(self._uniform(c.amplitude, 1, generator))
        phase = float(self._uniform(c.phase, 1, generator))
        x = self._uniform(c.x_range, c.k_support + c.k_query, generator).unsqueeze(-1)
        y = amplitude * torch.sin(x - phase)
        x, y = x.to(self._dtype), y.to(self._dtype)
        k = c.k_support
        return SinusoidTask(x[:k], y[:k], x[k:], y[k:], amplitude=amplitude, phase=phase)


@dataclass(frozen=True)
class SineMLPConfig:
    """The regressor of Finn et al.: 1 -> 40 -> 40 -> 1 with ReLU."""

    hidden: tuple[int, ...] = (40, 40)
    inputs: int = 1
    outputs: int = 1


class SineMLP(nn.Module):
    """A plain ReLU MLP; its last ``nn.Linear`` is ``head`` (what ANIL adapts)."""

    def __init__(self, config: SineMLPConfig = SineMLPConfig()) -> None:
        super().__init__()
        self.config = config
        layers: list[nn.Module] = []
        width = config.inputs
        for h in config.hidden:
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(width, config.outputs)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.body(x))
