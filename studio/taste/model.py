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
them, as :class:`~studio.taste.words.Phrase` structure that :mod:`studio.taste.words` says in
English (``Explanation.words``, ``TasteSummary.words``) and the window in its own language. torch is used for the arithmetic only (no gradients); :func:`prototype_pair` is shared with
the meta-trainer so that training and use build prototypes the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from studio.meta.matching import cosine_attention
from studio.meta.protonet import squared_distances
from studio.taste import words as said
from studio.taste.embedding import Embedder
from studio.taste.words import Explanation, FeatureWord, Phrase, TasteSummary

PRIOR = 0.5  # each prototype starts as this many works at the background
ATTENTION_SCALE = 10.0  # Matching Networks' cosine scale (studio.meta.matching.DEFAULT_SCALE)
SEPARATES = 0.35  # a feature separates kept from rejected when their means differ by this (standardised)
MAX_WORDS = 2  # features an explanation names

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


def _rows(arrays: Arrays | None, embedder: Embedder) -> Arrays:
    if arrays is None:
        return np.zeros((0, embedder.spec.size), np.float32), np.zeros((0, embedder.spec.raw_size), np.float32)
    interp = np.asarray(arrays[0], np.float32).reshape(-1, embedder.spec.size)
    raw = np.asarray(arrays[1], np.float32).reshape(-1, embedder.spec.raw_size)
    if len(interp) != len(raw):
        raise ValueError(f"{len(interp)} interpretable rows but {len(raw)} raw rows")
    return interp, raw


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

    def _word(self, feature: int, more: bool) -> FeatureWord:
        spec = self.embedder.spec
        return FeatureWord(spec.names[feature], "more" if more else "less",
                           spec.more[feature] if more else spec.less[feature])

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
        nearest_kinds = {0: said.CLOSEST_KEPT, 1: said.CLOSEST_REJECTED, 2: said.CLOSEST_SAMPLE}
        out: list[Explanation] = []
        for i in range(len(interp)):
            phrases: list[Phrase] = []
            contrasts: list[tuple[str, str]] = []
            if like is not None and rej is not None and self.has_feedback:
                toward_liked: list[FeatureWord] = []
                toward_rejected: list[FeatureWord] = []
                for f in self._separating[:MAX_WORDS]:
                    liked_more = like[f] > rej[f]
                    if (z[i, f] > 0.5 * (like[f] + rej[f])) == liked_more:  # on the liked side of this feature
                        more = bool(z[i, f] > rej[f])
                        toward_liked.append(self._word(f, more))
                    else:
                        more = bool(z[i, f] > like[f])
                        toward_rejected.append(self._word(f, more))
                    contrasts.append((self.embedder.spec.names[f], "more" if more else "less"))
                phrases += said.compared(toward_liked, said.THAN_REJECTED if mode != "kept" else None, said.LIKE_KEPT)
                phrases += said.compared(toward_rejected, said.THAN_KEPT if mode != "rejected" else None,
                                         said.LIKE_REJECTED)
            if int(group[i]) in nearest_kinds:
                phrases.append(Phrase(nearest_kinds[int(group[i])]))
            if not self.has_feedback:
                phrases.insert(0, Phrase(said.NO_FEEDBACK))
            out.append(Explanation(float(s.score[i]), int(s.nearest_kept[i]), int(s.nearest_rejected[i]),
                                   int(s.nearest_sample[i]), said.english_explanation(phrases), tuple(contrasts),
                                   tuple(phrases)))
        return out

    def summary(self) -> TasteSummary:
        """What it has learnt so far: sentences as structure, and in English."""
        phrases = self._summary_phrases()
        return TasteSummary(*self._counts, tuple(said.english(p) for p in phrases), tuple(phrases))

    def _summary_phrases(self) -> list[Phrase]:
        nl, nr, ns = self._counts
        domain = self.embedder.domain
        if not self.has_feedback:
            return [Phrase(said.NOTHING_LEARNT, domain=domain)]
        like, rej, mode = self._sides()
        assert like is not None and rej is not None
        feats = self._separating[:MAX_WORDS + 1]
        liked_words = tuple(self._word(f, bool(like[f] > rej[f])) for f in feats)
        rejected_words = tuple(self._word(f, bool(rej[f] > like[f])) for f in feats)
        listed = not all(said.before_noun(w.word) for w in liked_words + rejected_words)  # "warmer, calmer paintings"
        if not feats:
            first = Phrase(said.NO_SINGLE_FEATURE, domain=domain)
        elif mode == "both":
            first = Phrase(said.KEEP_REJECT, liked_words, rejected_words, domain, listed)
        elif mode == "kept":
            first = Phrase(said.KEEP_ONLY, liked_words, (), domain, listed, bool(ns))
        else:
            first = Phrase(said.REJECT_ONLY, (), rejected_words, domain, listed, bool(ns))
        return [first, Phrase(said.LEARNT_FROM, domain=domain, counts=(nl, nr, ns))]
