"""One person's taste from their keeps and rejects: scores, uncertainty and explanations.

Role: the per-project taste model of issue 18. Given an :class:`~studio.taste.embedding.Embedder`
and the works a person kept and rejected (and their samples, a weak "liked" prior), it builds
two Prototypical-Network prototypes (the liked and the rejected side) and scores any work by how
much nearer it is to the liked one: ``score = a * (d_rejected - d_liked)`` with the squared
distances of :func:`studio.meta.protonet.squared_distances` and the calibration ``(a, b)`` that
came with the embedding, so ``p_like = sigmoid(score + b)`` estimates the chance that the person
likes the work. Both prototypes are shrunk toward the embedding's background (the average work)
with the weight of :data:`PRIOR` works, so a model with only kept, only rejected, only samples or
nothing at all still scores sensibly (nothing at all: every score 0).

The Matching-Network attention (:func:`studio.meta.matching.cosine_attention`, over the kept,
rejected and sample works, centred on the background) gives the uncertainty: high when the
attention is split between kept and rejected works, or when the candidate is far from everything
the person judged. The nearest kept, rejected and sample work of a candidate are found by the
prototypes' own squared distance, not by the cosine attention: a cosine ignores how far along a
direction a work lies, so a sample halfway to a kept work looked as near as the kept work itself.
Explanations put into words the interpretable features that most separate the kept from the
rejected works (the domain's ``FeatureSpec.more`` / ``less`` words) and where a work stands on
them. torch is used for the arithmetic only (no gradients); :func:`prototype_pair` is shared with
the meta-trainer so that training and use build prototypes the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch
from torch import Tensor

from studio.meta.matching import cosine_attention
from studio.meta.protonet import squared_distances
from studio.taste.embedding import Embedder

PRIOR = 0.5  # each prototype starts as this many works at the background
ATTENTION_SCALE = 10.0  # Matching Networks' cosine scale (studio.meta.matching.DEFAULT_SCALE)
SEPARATES = 0.35  # a feature separates kept from rejected when their means differ by this (standardised)
MAX_WORDS = 2  # features an explanation names
NOUNS = {"melody": "melodies", "painting": "paintings"}

Arrays = tuple[np.ndarray, np.ndarray]


def prototype_pair(liked: Tensor, rejected: Tensor, samples: Tensor, background: Tensor,
                   sample_weight: float = 0.3, prior: float = PRIOR) -> tuple[Tensor, Tensor]:
    """The liked and rejected prototypes ``(D,)`` from embeddings ``(n, D)`` (any n may be 0):
    weighted means of kept works (weight 1) and samples (``sample_weight``), and of rejected works,
    each with ``prior`` works' weight at ``background``. Differentiable (used in meta-training)."""
    like_sum = liked.sum(0) + sample_weight * samples.sum(0) + prior * background
    like_n = liked.shape[0] + sample_weight * samples.shape[0] + prior
    return like_sum / like_n, (rejected.sum(0) + prior * background) / (rejected.shape[0] + prior)


def distance_gap(query: Tensor, liked_proto: Tensor, rejected_proto: Tensor) -> Tensor:
    """``(N,)`` squared distance to the rejected prototype minus that to the liked one (> 0: liked side)."""
    d = squared_distances(query, torch.stack([liked_proto, rejected_proto]))
    return d[:, 1] - d[:, 0]


@dataclass(frozen=True)
class TasteScores:
    """Per-candidate results of :meth:`TasteModel.score` (indices into the arrays given to fit; -1: none)."""

    score: np.ndarray  # (N,) float: higher = more to the person's taste; 0 = neutral
    p_like: np.ndarray  # (N,) in 0..1: the chance they like it
    uncertainty: np.ndarray  # (N,) in 0..1: 1 = the model cannot tell
    nearest_kept: np.ndarray  # (N,) int
    nearest_rejected: np.ndarray  # (N,) int
    nearest_sample: np.ndarray  # (N,) int


@dataclass(frozen=True)
class Explanation:
    """Why one work scores as it does."""

    score: float
    nearest_kept: int
    nearest_rejected: int
    nearest_sample: int
    words: str  # "higher and busier than what you reject; closest to a work you kept"
    contrasts: tuple[tuple[str, str], ...]  # (feature name, "more" | "less") that drive it


@dataclass(frozen=True)
class TasteSummary:
    """What the taste model has learnt so far."""

    liked: int
    rejected: int
    samples: int
    words: tuple[str, ...]  # sentences: "You keep warmer, calmer paintings and reject busy, dark ones."


def _rows(arrays: Arrays | None, embedder: Embedder) -> Arrays:
    if arrays is None:
        return np.zeros((0, embedder.spec.size), np.float32), np.zeros((0, embedder.spec.raw_size), np.float32)
    interp = np.asarray(arrays[0], np.float32).reshape(-1, embedder.spec.size)
    raw = np.asarray(arrays[1], np.float32).reshape(-1, embedder.spec.raw_size)
    if len(interp) != len(raw):
        raise ValueError(f"{len(interp)} interpretable rows but {len(raw)} raw rows")
    return interp, raw


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _comparative(word: str) -> bool:
    """Whether a spec word reads before "than ...": "higher", "more chromatic", "lighter at the top"
    do; "rising", "ends at home" do not."""
    first = word.split()[0] if word.split() else ""
    return first in ("more", "less", "fewer", "with") or first.endswith("er")


def _before_noun(word: str) -> bool:
    """Whether a spec word reads before a noun: "warmer paintings", "more muted paintings"."""
    parts = word.split()
    return (len(parts) == 1 and _comparative(word)) or (len(parts) == 2 and parts[0] in ("more", "less"))


def _compare(words: Sequence[str], than: str | None, like: str) -> list[str]:
    """Phrases for the words of one side: comparatives with ``than`` ("higher and busier than what you
    reject"), the rest (and all of them without ``than``) with ``like`` ("ends at home, like what you keep")."""
    comparatives = [w for w in words if than and _comparative(w)]
    others = [w for w in words if w not in comparatives]
    out = [f"{_join(comparatives)} {than}"] if comparatives else []
    return out + ([f"{_join(others)}, {like}"] if others else [])


class TasteModel:
    """Prototypes of the kept and rejected works plus matching attention; build with :meth:`fit`."""

    def __init__(self, embedder: Embedder, groups: dict[str, Arrays], sample_weight: float) -> None:
        self.embedder = embedder
        self.sample_weight = float(sample_weight)
        keys = ("liked", "rejected", "samples")
        sizes = [len(groups[k][0]) for k in keys]
        zi, zr = embedder.standardiser.apply(np.concatenate([groups[k][0] for k in keys]),
                                             np.concatenate([groups[k][1] for k in keys]))
        n_judged = sizes[0] + sizes[1]
        self._centre = zi[n_judged:].mean(0) if sizes[2] else None  # the samples: the person's collection
        emb = torch.from_numpy(embedder.embed_standardised(zi, zr, self._centre))  # one pass for all judged works
        bounds = np.cumsum([0, *sizes])
        self._z = {k: zi[bounds[i]:bounds[i + 1]] for i, k in enumerate(keys)}  # interpretable, standardised
        self._emb = {k: emb[bounds[i]:bounds[i + 1]] for i, k in enumerate(keys)}
        self._background = torch.from_numpy(embedder.background)
        self._like_proto, self._rej_proto = prototype_pair(
            self._emb["liked"], self._emb["rejected"], self._emb["samples"], self._background, self.sample_weight, PRIOR)
        self._support = torch.cat([self._emb["liked"], self._emb["rejected"], self._emb["samples"]]) - self._background
        self._counts = tuple(len(self._emb[k]) for k in ("liked", "rejected", "samples"))
        spread = (self._support ** 2).sum(1).mean() if len(self._support) else torch.tensor(1.0)
        self._spread = float(spread.clamp_min(1e-6))
        self._separating = self._separating_features()

    @classmethod
    def fit(cls, embedder: Embedder, liked: Arrays | None, rejected: Arrays | None, samples: Arrays | None,
            sample_weight: float = 0.3) -> TasteModel:
        """A taste model from ``(interp, raw)`` arrays of kept, rejected and sample works (natural
        units; any may be empty or None). Raises ValueError when widths do not fit the embedder."""
        if not 0.0 <= sample_weight <= 10.0 or not math.isfinite(sample_weight):
            raise ValueError("sample_weight must be in 0..10")
        groups = {"liked": _rows(liked, embedder), "rejected": _rows(rejected, embedder),
                  "samples": _rows(samples, embedder)}
        return cls(embedder, groups, sample_weight)

    @property
    def has_feedback(self) -> bool:
        """True once any work was kept or rejected."""
        return self._counts[0] + self._counts[1] > 0

    # -- scores ------------------------------------------------------------------------------------
    def score(self, interp: np.ndarray, raw: np.ndarray) -> TasteScores:
        """Scores of ``N`` works given as ``(interp (N, F), raw (N, R))`` in natural units (N may be 0)."""
        return self._score(interp, raw)[0]

    def _score(self, interp: np.ndarray, raw: np.ndarray) -> tuple[TasteScores, np.ndarray]:
        """The scores, and which judged work each candidate is nearest to overall (0 kept,
        1 rejected, 2 a sample, -1 none)."""
        interp, raw = _rows((interp, raw), self.embedder)
        emb = torch.from_numpy(self.embedder.embed_standardised(*self.embedder.standardiser.apply(interp, raw),
                                                                self._centre) if len(interp)
                               else np.zeros((0, self.embedder.dim), np.float32))
        n = len(emb)
        a, b = self.embedder.calibration
        if not self._counts[0] and not self._counts[1] and not self._counts[2]:
            score = torch.zeros(n)
        else:
            score = a * distance_gap(emb, self._like_proto, self._rej_proto)
        p_like = torch.sigmoid(score + b)
        none = np.full(n, -1, np.int64)
        if not len(self._support) or n == 0:
            return TasteScores(score.numpy().astype(np.float64), p_like.numpy().astype(np.float64),
                               np.ones(n), none, none.copy(), none.copy()), none.copy()
        centred = emb - self._background
        attention = cosine_attention(centred, self._support, ATTENTION_SCALE)  # (N, S)
        nl, nr, ns = self._counts
        parts = {"liked": attention[:, :nl], "rejected": attention[:, nl:nl + nr], "samples": attention[:, nl + nr:]}
        like_mass = parts["liked"].sum(1) + self.sample_weight * parts["samples"].sum(1)
        rej_mass = parts["rejected"].sum(1)
        q = like_mass / (like_mass + rej_mass).clamp_min(1e-9)
        split = 1.0 - (2.0 * q - 1.0).abs()  # 1 when the attention is shared evenly by kept and rejected
        distances = squared_distances(centred, self._support)
        nearest_d = distances.min(1).values
        novelty = nearest_d / (nearest_d + self._spread)  # far from every judged work: unsure
        uncertainty = 1.0 - (1.0 - split) * (1.0 - novelty) if nr and (nl or ns) else novelty.clamp_min(0.5)

        nearest = {k: distances[:, a:b] for k, (a, b) in
                   (("liked", (0, nl)), ("rejected", (nl, nl + nr)), ("samples", (nl + nr, nl + nr + ns)))}

        def argmin(part: torch.Tensor) -> np.ndarray:
            return part.argmin(1).numpy().astype(np.int64) if part.shape[1] else none.copy()
        best = distances.argmin(1).numpy()
        group = np.where(best < nl, 0, np.where(best < nl + nr, 1, 2)).astype(np.int64)
        return TasteScores(score.numpy().astype(np.float64), p_like.numpy().astype(np.float64),
                           uncertainty.clamp(0.0, 1.0).numpy().astype(np.float64),
                           argmin(nearest["liked"]), argmin(nearest["rejected"]), argmin(nearest["samples"])), group

    # -- words ----------------------------------------------------------------------------------------
    def _mean(self, key: str) -> np.ndarray | None:
        z = self._z[key]
        return z.mean(0) if len(z) else None

    def _sides(self) -> tuple[np.ndarray | None, np.ndarray | None, str]:
        """The liked-side and rejected-side mean interpretable features that words compare, and
        what the comparison is against: "both", "kept" (nothing rejected) or "rejected"."""
        kept, rejected, samples = self._mean("liked"), self._mean("rejected"), self._mean("samples")
        usual = np.zeros(self.embedder.spec.size, np.float32)  # the training collections' average
        if kept is not None and rejected is not None:
            return kept, rejected, "both"
        if kept is not None:
            return kept, samples if samples is not None else usual, "kept"
        if rejected is not None:
            return samples if samples is not None else usual, rejected, "rejected"
        return None, None, "none"

    def _separating_features(self) -> list[int]:
        like, rej, _ = self._sides()
        if like is None or rej is None:
            return []
        diff = like - rej
        order = np.argsort(-np.abs(diff), kind="stable")
        return [int(f) for f in order[:MAX_WORDS + 1] if abs(diff[f]) >= SEPARATES]

    def _word(self, feature: int, more: bool) -> str:
        spec = self.embedder.spec
        return spec.more[feature] if more else spec.less[feature]

    def explain(self, interp_row: np.ndarray, raw_row: np.ndarray) -> Explanation:
        """Why the work ``(interp (F,), raw (R,))`` scores as it does, in words."""
        return self.explain_many(np.asarray(interp_row, np.float32).reshape(1, -1),
                                 np.asarray(raw_row, np.float32).reshape(1, -1))[0]

    def explain_many(self, interp: np.ndarray, raw: np.ndarray) -> list[Explanation]:
        """:meth:`explain` for ``N`` works ``(interp (N, F), raw (N, R))`` at once."""
        interp, raw = _rows((interp, raw), self.embedder)
        s, group = self._score(interp, raw)
        z = self.embedder.standardiser.apply(interp, raw)[0] if len(interp) else np.zeros((0, self.embedder.spec.size))
        like, rej, mode = self._sides()
        nearest_words = {0: "closest to a work you kept", 1: "closest to a work you rejected",
                         2: "closest to one of your samples"}
        out: list[Explanation] = []
        for i in range(len(interp)):
            phrases: list[str] = []
            contrasts: list[tuple[str, str]] = []
            if like is not None and rej is not None and self.has_feedback:
                toward_liked: list[str] = []
                toward_rejected: list[str] = []
                for f in self._separating[:MAX_WORDS]:
                    liked_more = like[f] > rej[f]
                    if (z[i, f] > 0.5 * (like[f] + rej[f])) == liked_more:  # on the liked side of this feature
                        more = bool(z[i, f] > rej[f])
                        toward_liked.append(self._word(f, more))
                    else:
                        more = bool(z[i, f] > like[f])
                        toward_rejected.append(self._word(f, more))
                    contrasts.append((self.embedder.spec.names[f], "more" if more else "less"))
                phrases += _compare(toward_liked, "than what you reject" if mode != "kept" else None,
                                    "like what you keep")
                phrases += _compare(toward_rejected, "than what you keep" if mode != "rejected" else None,
                                    "like what you reject")
            if int(group[i]) in nearest_words:
                phrases.append(nearest_words[int(group[i])])
            if not self.has_feedback:
                phrases.insert(0, "no keeps or rejects yet")
            out.append(Explanation(float(s.score[i]), int(s.nearest_kept[i]), int(s.nearest_rejected[i]),
                                   int(s.nearest_sample[i]), "; ".join(phrases), tuple(contrasts)))
        return out

    def summary(self) -> TasteSummary:
        """What it has learnt so far, in sentences."""
        nl, nr, ns = self._counts
        noun = NOUNS.get(self.embedder.domain, "works")
        if not self.has_feedback:
            return TasteSummary(nl, nr, ns, ("Nothing learnt yet: keep or reject works and the studio "
                                             "learns what you like.",))
        like, rej, mode = self._sides()
        assert like is not None and rej is not None
        feats = self._separating[:MAX_WORDS + 1]
        liked_words = [self._word(f, bool(like[f] > rej[f])) for f in feats]
        rejected_words = [self._word(f, bool(rej[f] > like[f])) for f in feats]
        sentences: list[str] = []
        than = " than your samples" if ns else ""
        plain = all(_before_noun(w) for w in liked_words + rejected_words)  # "warmer, calmer paintings"
        if not feats:
            sentences.append(f"What you keep and reject differs in no single feature yet: the studio goes by "
                             f"which {noun} they resemble.")
        elif mode == "both":
            sentences.append(f"You keep {', '.join(liked_words)} {noun} and reject {', '.join(rejected_words)} ones."
                             if plain else f"The {noun} you keep: {', '.join(liked_words)}. "
                             f"The ones you reject: {', '.join(rejected_words)}.")
        elif mode == "kept":
            sentences.append(f"You keep {', '.join(liked_words)} {noun}{than}; nothing rejected yet." if plain
                             else f"The {noun} you keep{than.replace(' than', ', compared with')}: "
                             f"{', '.join(liked_words)}. Nothing rejected yet.")
        else:
            sentences.append(f"You reject {', '.join(rejected_words)} {noun}{than}; nothing kept yet." if plain
                             else f"The {noun} you reject{than.replace(' than', ', compared with')}: "
                             f"{', '.join(rejected_words)}. Nothing kept yet.")
        sentences.append(f"Learnt from {nl} kept and {nr} rejected {noun}"
                         + (f" and {ns} samples." if ns else "."))
        return TasteSummary(nl, nr, ns, tuple(sentences))
