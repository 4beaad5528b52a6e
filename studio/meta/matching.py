"""Matching Networks (Vinyals et al. 2016) and ranking generated works against a user's samples.

Role: the attention-based metric learner. A query attends over the support set with
``a(x, x_i) = softmax_i(scale * cos(f(x), f(x_i)))`` and predicts
``p(y | x, S) = sum_i a(x, x_i) y_i`` (``y_i`` one-hot). The same attention is what lets the
studio *explain* a ranking: :func:`rank_against_support` returns, for every candidate work,
a score and its attention weights over the user's samples, so the UI can say "closest to
sample 3".

Simplifications, stated: the full-context embeddings (the bidirectional-LSTM ``g`` and the
attention-LSTM ``f``) are skipped; support and query share one embedding function. The
cosine is multiplied by a fixed ``scale`` (default 10) because a softmax over raw cosines in
[-1, 1] is nearly uniform and trains slowly; the paper's formula is ``scale=1``.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor

from studio.meta.protonet import EmbedFn, check_support_labels, squared_distances

DEFAULT_SCALE = 10.0


def cosine_attention(query_emb: Tensor, support_emb: Tensor, scale: float = DEFAULT_SCALE) -> Tensor:
    """Attention ``(Q, S)`` of each query over the support: softmax of scaled cosine similarity."""
    if support_emb.shape[0] == 0:
        raise ValueError("the support set is empty")
    cos = F.normalize(query_emb, dim=1) @ F.normalize(support_emb, dim=1).t()
    return torch.softmax(scale * cos, dim=1)


def matching_probs(embed_fn: EmbedFn, support_x: Tensor, support_y: Tensor, query_x: Tensor,
                   n_way: int, scale: float = DEFAULT_SCALE) -> Tensor:
    """Class probabilities ``(Q, n_way)``: attention-weighted sum of the support labels."""
    check_support_labels(support_y, n_way)
    attention = cosine_attention(embed_fn(query_x), embed_fn(support_x), scale)
    return attention @ F.one_hot(support_y, n_way).to(attention.dtype)


def matching_loss(embed_fn: EmbedFn, support_x: Tensor, support_y: Tensor, query_x: Tensor,
                  query_y: Tensor, n_way: int, scale: float = DEFAULT_SCALE) -> tuple[Tensor, Tensor]:
    """Episode loss (negative log-likelihood of the queries) and accuracy (detached)."""
    probs = matching_probs(embed_fn, support_x, support_y, query_x, n_way, scale)
    loss = F.nll_loss(torch.log(probs.clamp_min(1e-8)), query_y)
    accuracy = (probs.argmax(1) == query_y).float().mean().detach()
    return loss, accuracy


class Ranking(NamedTuple):
    """How close each candidate is to the user's samples, and to which of them.

    ``scores`` ``(C,)``: higher is closer to the samples as a whole. ``attention`` ``(C, S)``:
    each row sums to one over the support samples; its argmax is the sample a candidate
    resembles most (:attr:`closest`).
    """

    scores: Tensor
    attention: Tensor

    @property
    def closest(self) -> Tensor:
        """Index ``(C,)`` of the support sample each candidate attends to most."""
        return self.attention.argmax(1)

    def order(self) -> Tensor:
        """Candidate indices from best to worst score."""
        return torch.argsort(self.scores, descending=True)


def rank_against_support(embed_fn: EmbedFn, support_x: Tensor, candidates_x: Tensor,
                         metric: str = "prototype", scale: float = DEFAULT_SCALE) -> Ranking:
    """Score generated works (``candidates_x``) against a user's samples (``support_x``).

    ``metric="prototype"``: score = minus the squared distance to the mean embedding of the
    samples (the Prototypical-Network view of "the user's style" as one class).
    ``metric="matching"``: score = attention-weighted cosine similarity to the samples (a
    candidate close to any one sample scores high even if the samples are diverse).
    The attention over the samples is the Matching-Network attention in both cases. Gradients
    flow through; wrap the call in ``torch.no_grad()`` when only ranking.

    Raises ValueError for an empty support or candidate set or an unknown metric.
    """
    if metric not in ("prototype", "matching"):
        raise ValueError(f"metric must be 'prototype' or 'matching', not {metric!r}")
    if support_x.shape[0] == 0 or candidates_x.shape[0] == 0:
        raise ValueError("rank_against_support needs at least one sample and one candidate")
    support_emb = embed_fn(support_x)
    cand_emb = embed_fn(candidates_x)
    attention = cosine_attention(cand_emb, support_emb, scale)
    if metric == "prototype":
        scores = -squared_distances(cand_emb, support_emb.mean(0, keepdim=True))[:, 0]
    else:
        cos = F.normalize(cand_emb, dim=1) @ F.normalize(support_emb, dim=1).t()
        scores = (attention * cos).sum(1)
    return Ranking(scores, attention)
