"""Prototypical Networks: prototypes, logits, loss, the Conv-4 embedding and episodic training."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from studio.errors import Cancelled
from studio.meta.protonet import (ConvEmbedding, ConvEmbeddingConfig, EpisodicTrainConfig, prototypes,
                                  protonet_logits, protonet_loss, squared_distances, train_episodic)
from studio.progress import RecordingProgress


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_conv_embedding_shapes_for_glyphs_and_paintings() -> None:
    torch.manual_seed(0)
    glyph = ConvEmbedding(ConvEmbeddingConfig(in_channels=1, hidden=8, groups=2))
    assert glyph(torch.rand(3, 1, 28, 28)).shape == (3, 8) == (3, glyph.output_dim(28, 28))
    paint = ConvEmbedding(ConvEmbeddingConfig(in_channels=3, hidden=8, norm="none"))
    assert paint(torch.rand(2, 3, 64, 64)).shape == (2, paint.output_dim(64, 64)) == (2, 8 * 16)


def test_embedding_of_an_image_does_not_depend_on_its_batch() -> None:
    torch.manual_seed(0)
    net = ConvEmbedding(ConvEmbeddingConfig(hidden=8, groups=2)).eval()
    x = torch.rand(4, 1, 28, 28)
    torch.testing.assert_close(net(x)[1:2], net(x[1:2]))


@pytest.mark.parametrize("kwargs", [{"norm": "batch"}, {"hidden": 10, "groups": 4}, {"blocks": 0}])
def test_conv_config_rejects_bad_values(kwargs) -> None:
    with pytest.raises(ValueError):
        ConvEmbeddingConfig(**kwargs)


def test_prototypes_are_class_means() -> None:
    emb = torch.tensor([[0.0, 0.0], [2.0, 0.0], [10.0, 10.0], [1.0, 1.0]])
    y = torch.tensor([0, 0, 1, 0])
    protos = prototypes(emb, y, 2)
    torch.testing.assert_close(protos, torch.tensor([[1.0, 1.0 / 3.0], [10.0, 10.0]]))


def test_prototypes_reject_a_class_without_support() -> None:
    with pytest.raises(ValueError, match="missing \\[1\\]"):
        prototypes(torch.zeros(2, 3), torch.tensor([0, 0]), 2)
    with pytest.raises(ValueError, match="0..1"):
        prototypes(torch.zeros(2, 3), torch.tensor([0, 2]), 2)


def test_logits_are_negative_squared_distances_and_loss_is_cross_entropy() -> None:
    g = torch.Generator().manual_seed(0)
    sx, qx = torch.randn(6, 5, generator=g), torch.randn(4, 5, generator=g)
    sy, qy = torch.tensor([0, 1, 2, 0, 1, 2]), torch.tensor([2, 0, 1, 1])
    logits = protonet_logits(lambda x: x, sx, sy, qx, 3)
    protos = torch.stack([sx[sy == c].mean(0) for c in range(3)])
    torch.testing.assert_close(logits, -torch.cdist(qx, protos) ** 2, atol=1e-4, rtol=1e-4)
    loss, acc = protonet_loss(lambda x: x, sx, sy, qx, qy, 3)
    torch.testing.assert_close(loss, F.cross_entropy(logits, qy))
    assert acc == (logits.argmax(1) == qy).float().mean()


def test_squared_distances_never_negative() -> None:
    a = torch.full((3, 4), 1e4)
    assert (squared_distances(a, a) >= 0).all()


def _clusters(g: torch.Generator):
    """An episode of 3 Gaussian clusters in 6-D whose means differ only in the last 3 dimensions."""
    means = torch.cat([torch.zeros(3, 3), 3 * torch.randn(3, 3, generator=g)], 1)
    noise = torch.cat([torch.full((1, 3), 4.0), torch.full((1, 3), 0.3)], 1)  # first dims are loud noise
    x = means.repeat_interleave(6, 0) + noise * torch.randn(18, 6, generator=g)
    y = torch.arange(3).repeat_interleave(6)
    pick = torch.arange(18) % 6 < 2

    class Ep:
        support_x, support_y, query_x, query_y, n_way = x[pick], y[pick], x[~pick], y[~pick], 3

    return Ep


def test_episodic_training_learns_to_ignore_noise_dimensions() -> None:
    torch.manual_seed(0)
    embed = nn.Linear(6, 6)
    history = train_episodic(embed, protonet_loss, _clusters, EpisodicTrainConfig(episodes=150, lr=0.02))
    first = sum(a for _, a in history[:20]) / 20
    last = sum(a for _, a in history[-20:]) / 20
    assert last > first + 0.1
    assert last > 0.85


def test_episodic_training_stops_when_asked() -> None:
    progress = RecordingProgress()
    progress.request_stop()
    with pytest.raises(Cancelled):
        train_episodic(nn.Linear(6, 6), protonet_loss, _clusters, EpisodicTrainConfig(episodes=5), progress)
