"""Tiny float64 models and tasks shared by the meta-learning tests."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from studio.meta.episodes import MetaBatch, Task


def make_task(seed: int, n_support: int = 4, n_query: int = 5, dim: int = 2) -> Task:
    g = torch.Generator().manual_seed(seed)
    sx = torch.randn(n_support, dim, generator=g, dtype=torch.float64)
    qx = torch.randn(n_query, dim, generator=g, dtype=torch.float64)
    w = torch.randn(dim, 1, generator=g, dtype=torch.float64)
    return Task(sx, torch.sin(sx @ w), qx, torch.sin(qx @ w))


@pytest.fixture
def tiny_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)).double()


@pytest.fixture
def tiny_batch() -> MetaBatch:
    return MetaBatch((make_task(1), make_task(2), make_task(3)))
