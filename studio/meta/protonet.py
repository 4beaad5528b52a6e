"""Prototypical Networks (Snell et al. 2017) and the small conv embedding they share.

Role: the metric-based way to compare a user's few samples with each other and with
generated works. A class prototype is the mean embedding of its support examples; a query's
logit for a class is the negative squared Euclidean distance to its prototype, and an episode
is trained with cross-entropy on its queries. Everything here is a function of an
``embed_fn`` (any callable ``x -> (N, D)``: a module, or a ``functional_call`` closure over a
parameter dict) and support/query tensors, so it composes with the optimisation-based code.

:class:`ConvEmbedding` is the usual "Conv-4" backbone: four blocks of 3x3 convolution ->
GroupNorm (or no norm) -> ReLU -> 2x2 max-pool, flattened. GroupNorm rather than BatchNorm so
that an embedding never depends on which other images share its batch (support and query are
embedded separately, and the studio embeds one candidate at a time).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from studio.progress import NULL_PROGRESS, Progress, check_stop

EmbedFn = Callable[[Tensor], Tensor]


@dataclass(frozen=True)
class ConvEmbeddingConfig:
    """Shape of the Conv-4 embedding network."""

    in_channels: int = 1  # 1 for glyphs, 3 for paintings
    hidden: int = 32  # channels of every block
    blocks: int = 4  # each halves the resolution: 28 px -> 1x1, 64 px -> 4x4
    norm: str = "group"  # "group" (GroupNorm) or "none"
    groups: int = 4  # GroupNorm groups; must divide ``hidden``

    def __post_init__(self) -> None:
        if self.norm not in ("group", "none"):
            raise ValueError(f"norm must be 'group' or 'none', not {self.norm!r}")
        if self.norm == "group" and self.hidden % self.groups:
            raise ValueError(f"groups ({self.groups}) must divide hidden ({self.hidden})")
        if self.blocks < 1 or self.hidden < 1 or self.in_channels < 1:
            raise ValueError("blocks, hidden and in_channels must be positive")


class ConvEmbedding(nn.Module):
    """Conv-4 embedding: images ``(N, C, H, W)`` -> vectors ``(N, hidden * h * w)``."""

    def __init__(self, config: ConvEmbeddingConfig = ConvEmbeddingConfig()) -> None:
        super().__init__()
        self.config = config
        layers: list[nn.Module] = []
        channels = config.in_channels
        for _ in range(config.blocks):
            layers.append(nn.Conv2d(channels, config.hidden, 3, padding=1))
            if config.norm == "group":
                layers.append(nn.GroupNorm(config.groups, config.hidden))
            layers += [nn.ReLU(), nn.MaxPool2d(2)]
            channels = config.hidden
        self.net = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x).flatten(1)

    def output_dim(self, height: int, width: int) -> int:
        """Embedding size for ``height x width`` inputs."""
        h, w = height, width
        for _ in range(self.config.blocks):
            h, w = h // 2, w // 2
        return self.config.hidden * h * w


def check_support_labels(support_y: Tensor, n_way: int) -> None:
    """Raise ValueError unless ``support_y`` is 1-D, in ``0..n_way-1`` and covers every class."""
    if support_y.dim() != 1:
        raise ValueError(f"support labels must be 1-D, got shape {tuple(support_y.shape)}")
    if support_y.numel() and (int(support_y.min()) < 0 or int(support_y.max()) >= n_way):
        raise ValueError(f"support labels must be in 0..{n_way - 1}")
    counts = torch.bincount(support_y, minlength=n_way)
    if bool((counts == 0).any()):
        missing = [i for i, c in enumerate(counts.tolist()) if c == 0]
        raise ValueError(f"every class needs at least one support example; missing {missing}")


def prototypes(support_emb: Tensor, support_y: Tensor, n_way: int) -> Tensor:
    """Mean embedding of each class: ``(n_way, D)``. Raises ValueError if a class is empty."""
    check_support_labels(support_y, n_way)
    one_hot = F.one_hot(support_y, n_way).to(support_emb.dtype)  # (S, n_way)
    return (one_hot.t() @ support_emb) / one_hot.sum(0, keepdim=True).t()


def squared_distances(a: Tensor, b: Tensor) -> Tensor:
    """Pairwise squared Euclidean distances ``(len(a), len(b))``, never negative."""
    d = (a * a).sum(1, keepdim=True) - 2 * a @ b.t() + (b * b).sum(1).unsqueeze(0)
    return d.clamp_min(0.0)


def protonet_logits(embed_fn: EmbedFn, support_x: Tensor, support_y: Tensor, query_x: Tensor,
                    n_way: int) -> Tensor:
    """Logits ``(Q, n_way)`` = minus squared distance of each query to each prototype."""
    protos = prototypes(embed_fn(support_x), support_y, n_way)
    return -squared_distances(embed_fn(query_x), protos)


def protonet_loss(embed_fn: EmbedFn, support_x: Tensor, support_y: Tensor, query_x: Tensor,
                  query_y: Tensor, n_way: int) -> tuple[Tensor, Tensor]:
    """Episode loss (cross-entropy over queries) and accuracy (a detached scalar)."""
    logits = protonet_logits(embed_fn, support_x, support_y, query_x, n_way)
    loss = F.cross_entropy(logits, query_y)
    accuracy = (logits.argmax(1) == query_y).float().mean().detach()
    return loss, accuracy


EpisodeLoss = Callable[[EmbedFn, Tensor, Tensor, Tensor, Tensor, int], tuple[Tensor, Tensor]]


@dataclass(frozen=True)
class EpisodicTrainConfig:
    """Episodic meta-training of an embedding (ProtoNet or MatchingNet loss)."""

    episodes: int = 2000
    lr: float = 1e-3
    lr_halve_every: int = 0  # halve the learning rate every this many episodes (0: never)
    seed: int = 0


def train_episodic(embedding: nn.Module, loss_fn: EpisodeLoss, sample: Callable[[torch.Generator], object],
                   config: EpisodicTrainConfig = EpisodicTrainConfig(), progress: Progress = NULL_PROGRESS
                   ) -> list[tuple[float, float]]:
    """Meta-train ``embedding`` in place with Adam, one episode per step.

    ``sample(generator)`` returns an episode with ``support_x, support_y, query_x, query_y`` and
    ``n_way`` attributes (:class:`studio.meta.fewshot_data.Episode`); ``loss_fn`` is
    :func:`protonet_loss` or :func:`studio.meta.matching.matching_loss`. Returns
    ``(loss, accuracy)`` per episode. Raises Cancelled when ``progress`` asks to stop.
    """
    optimiser = torch.optim.Adam(embedding.parameters(), lr=config.lr)
    schedule = (torch.optim.lr_scheduler.StepLR(optimiser, config.lr_halve_every, 0.5)
                if config.lr_halve_every else None)
    generator = torch.Generator().manual_seed(config.seed)
    history: list[tuple[float, float]] = []
    embedding.train()
    for step in range(config.episodes):
        check_stop(progress)
        ep = sample(generator)
        loss, acc = loss_fn(embedding, ep.support_x, ep.support_y, ep.query_x, ep.query_y, ep.n_way)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if schedule is not None:
            schedule.step()
        history.append((float(loss.detach()), float(acc)))
        if step % 10 == 9 or step == config.episodes - 1:
            progress.report_progress((step + 1) / config.episodes,
                                     f"episode {step + 1}: loss {history[-1][0]:.3f}, accuracy {history[-1][1]:.2f}")
    embedding.eval()
    return history
