"""Tasks, seeded samplers, meta-batches and shards; the sinusoid task distribution."""

from __future__ import annotations

import math

import pytest
import torch

from studio.meta.episodes import MetaBatch, TaskSampler, concat, fixed_tasks, meta_batch
from studio.meta.sinusoid import SineMLP, SinusoidConfig, SinusoidSampler


def test_meta_batches_are_reproducible_and_differ_by_step_and_seed():
    sampler = SinusoidSampler(SinusoidConfig(k_support=5, k_query=7))
    assert isinstance(sampler, TaskSampler)
    a, b = meta_batch(sampler, 4, seed=3, step=10), meta_batch(sampler, 4, seed=3, step=10)
    for s, t in zip(a.tasks, b.tasks):
        assert torch.equal(s.support_x, t.support_x) and torch.equal(s.query_y, t.query_y)
    assert not torch.equal(a.tasks[0].support_x, meta_batch(sampler, 4, seed=3, step=11).tasks[0].support_x)
    assert not torch.equal(a.tasks[0].support_x, meta_batch(sampler, 4, seed=4, step=10).tasks[0].support_x)
    assert not torch.equal(fixed_tasks(sampler, 2, 3).tasks[0].support_x, a.tasks[0].support_x)
    with pytest.raises(ValueError):
        meta_batch(sampler, 0, 0, 0)


def test_sinusoid_tasks_follow_the_published_distribution():
    sampler = SinusoidSampler(SinusoidConfig(k_support=5, k_query=7))
    batch = meta_batch(sampler, 50, seed=0, step=0)
    for task in batch.tasks:
        assert task.support_x.shape == (5, 1) and task.query_x.shape == (7, 1)
        assert 0.1 <= task.amplitude <= 5.0 and 0.0 <= task.phase <= math.pi
        assert float(task.all_x.abs().max()) <= 5.0
        expected = task.amplitude * torch.sin(task.all_x.double() - task.phase)
        torch.testing.assert_close(task.all_y.double(), expected, atol=1e-6, rtol=1e-5)
    assert SineMLP()(batch.stacked().support_x).shape == (50, 5, 1)
    assert sum(p.numel() for p in SineMLP().parameters()) == 40 + 40 + 1600 + 40 + 40 + 1


def test_shards_partition_the_batch_in_order():
    batch = fixed_tasks(SinusoidSampler(), 5, seed=0)
    shards = [batch.shard(r, 2) for r in range(2)]
    assert [len(s) for s in shards] == [2, 3]
    joined = concat(shards)
    assert all(s is t for s, t in zip(joined.tasks, batch.tasks))
    assert len(MetaBatch(batch.tasks[:1]).shard(1, 2)) == 1 and len(MetaBatch(batch.tasks[:1]).shard(0, 2)) == 0
    with pytest.raises(ValueError):
        batch.shard(2, 2)


def test_stacking_needs_equal_shapes():
    a = SinusoidSampler(SinusoidConfig(k_support=3)).sample(torch.Generator().manual_seed(0))
    b = SinusoidSampler(SinusoidConfig(k_support=4)).sample(torch.Generator().manual_seed(0))
    assert MetaBatch((a, a)).stacked().support_x.shape == (2, 3, 1)
    with pytest.raises(ValueError, match="shapes"):
        MetaBatch((a, b)).stacked()
    with pytest.raises(ValueError):
        MetaBatch(()).stacked()
