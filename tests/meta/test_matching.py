"""Matching Networks and ranking generated works against a user's samples."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from studio.meta.matching import (Ranking, cosine_attention, matching_loss, matching_probs,
                                  rank_against_support)
from studio.meta.protonet import ConvEmbedding, ConvEmbeddingConfig


def identity(x: torch.Tensor) -> torch.Tensor:
    return x


def test_attention_rows_sum_to_one_and_prefer_the_most_similar_sample() -> None:
    support = torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    query = torch.tensor([[0.9, 0.1], [0.0, 5.0]])
    a = cosine_attention(query, support)
    torch.testing.assert_close(a.sum(1), torch.ones(2))
    assert a.argmax(1).tolist() == [0, 1]


def test_probabilities_are_attention_weighted_labels() -> None:
    g = torch.Generator().manual_seed(0)
    sx, qx = torch.randn(6, 4, generator=g), torch.randn(3, 4, generator=g)
    sy = torch.tensor([0, 1, 2, 0, 1, 2])
    p = matching_probs(identity, sx, sy, qx, 3, scale=2.0)
    cos = F.normalize(qx, dim=1) @ F.normalize(sx, dim=1).t()
    expected = torch.softmax(2.0 * cos, 1) @ F.one_hot(sy, 3).float()
    torch.testing.assert_close(p, expected)
    torch.testing.assert_close(p.sum(1), torch.ones(3))


def test_large_scale_is_cosine_nearest_neighbour() -> None:
    g = torch.Generator().manual_seed(1)
    sx, qx = torch.randn(10, 5, generator=g), torch.randn(7, 5, generator=g)
    sy = torch.arange(5).repeat(2)
    p = matching_probs(identity, sx, sy, qx, 5, scale=1e4)
    nearest = (F.normalize(qx, dim=1) @ F.normalize(sx, dim=1).t()).argmax(1)
    assert p.argmax(1).tolist() == sy[nearest].tolist()


def test_loss_is_differentiable_through_the_embedding() -> None:
    torch.manual_seed(0)
    net = ConvEmbedding(ConvEmbeddingConfig(hidden=8, groups=2))
    sx, qx = torch.rand(4, 1, 28, 28), torch.rand(2, 1, 28, 28)
    loss, acc = matching_loss(net, sx, torch.tensor([0, 1, 0, 1]), qx, torch.tensor([1, 0]), 2)
    loss.backward()
    assert all(p.grad is not None for p in net.parameters())
    assert 0.0 <= float(acc) <= 1.0


def test_matching_rejects_a_class_without_support() -> None:
    with pytest.raises(ValueError, match="missing"):
        matching_probs(identity, torch.randn(2, 3), torch.tensor([0, 0]), torch.randn(1, 3), 2)


def test_rank_explains_which_sample_each_candidate_resembles() -> None:
    g = torch.Generator().manual_seed(2)
    samples = torch.randn(4, 8, generator=g)
    candidates = torch.stack([samples[2] + 0.01, samples[0] * 1.1, samples.mean(0), -samples[1]])
    ranking = rank_against_support(identity, samples, candidates)
    assert isinstance(ranking, Ranking)
    scores, attention = ranking  # unpacks as the (scores, attention) pair
    assert attention.shape == (4, 4)
    torch.testing.assert_close(attention.sum(1), torch.ones(4))
    assert ranking.closest[:2].tolist() == [2, 0]
    assert ranking.order()[0] == 2  # the centre of the samples is the best match to the style as a whole


def test_rank_is_invariant_to_the_order_of_the_samples() -> None:
    g = torch.Generator().manual_seed(3)
    samples, candidates = torch.randn(5, 6, generator=g), torch.randn(3, 6, generator=g)
    perm = torch.tensor([3, 0, 4, 1, 2])
    for metric in ("prototype", "matching"):
        a = rank_against_support(identity, samples, candidates, metric=metric)
        b = rank_against_support(identity, samples[perm], candidates, metric=metric)
        torch.testing.assert_close(a.scores, b.scores)
        torch.testing.assert_close(a.attention[:, perm], b.attention)


def test_matching_metric_rewards_closeness_to_any_one_sample() -> None:
    samples = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    candidates = torch.tensor([[1.0, 0.02], [0.7, 0.7]])
    by_sample = rank_against_support(identity, samples, candidates, metric="matching", scale=20.0)
    by_style = rank_against_support(identity, samples, candidates, metric="prototype")
    assert by_sample.order()[0] == 0
    assert by_style.order()[0] == 1


def test_rank_works_on_images_with_a_conv_embedding() -> None:
    torch.manual_seed(0)
    net = ConvEmbedding(ConvEmbeddingConfig(in_channels=3, hidden=8, groups=2)).eval()
    with torch.no_grad():
        ranking = rank_against_support(net, torch.rand(3, 3, 32, 32), torch.rand(5, 3, 32, 32))
    assert ranking.scores.shape == (5,) and ranking.closest.shape == (5,)


@pytest.mark.parametrize("support,candidates,metric", [(0, 2, "prototype"), (2, 0, "prototype"), (2, 2, "mean")])
def test_rank_rejects_bad_input(support: int, candidates: int, metric: str) -> None:
    with pytest.raises(ValueError):
        rank_against_support(identity, torch.randn(support, 3), torch.randn(candidates, 3), metric=metric)
