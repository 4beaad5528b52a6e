"""The choosers the RL² curator is measured against (issue 18 point 3): none of them is meta-trained.

Role: every non-meta way to pick a gallery from the drafted candidates, as
:class:`studio.taste.simulate.Chooser` objects that ``bench taste`` and the curator's training
report run on the same people, rounds and budget:

* :class:`NoFeedback` - the first ``n_show`` drafts, drafted neutrally every round (the gallery as
  it is without taste learning; ``uses_feedback = False`` tells the simulation not to draft near
  kept works).
* :class:`PrototypeChooser` - the taste model alone (:class:`studio.taste.model.TasteModel`: the
  prototypes of kept and rejected works, samples as a weak liked prior): the top scores.
* :class:`LogisticChooser` - a non-meta preference model: L2-regularised logistic regression on the
  interpretable features (kept 1, rejected 0, samples a weak 1), the top probabilities.
* :class:`UCBChooser` and :class:`ThompsonChooser` - linear bandits over the same candidates: each
  candidate is an arm described by its standardised interpretable features; the reward of a shown
  work is 1 when kept, 0 when rejected and 0.5 otherwise (the person keeps the best 3 and rejects the
  worst 3, so the rest sit in between); samples are weak rewards of 1. UCB is LinUCB (ridge mean +
  ``alpha`` x its standard deviation); Thompson draws a weight vector from the ridge posterior for
  each slot of the gallery. Bins of the settings were the other option; with 6 judged works a round
  and 4-5 settings, bins would each see less than one observation, so the bandits share strength
  through features instead.
* :class:`NearestFeatures` - the issue's "plain learner": nearest the kept and farthest from the
  rejected in the simple (standardised interpretable) features.

Until there is feedback, the learners that cannot use the samples alone (logistic regression,
nearest features) show the first drafts like :class:`NoFeedback`.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from studio.taste.simulate import RoundView, feedback_arrays

SAMPLE_WEIGHT = 0.3  # a sample counts as this much of a kept work (the design's weak "liked" prior)


def first(view: RoundView) -> list[int]:
    return list(range(min(view.n_show, view.n_candidates)))


def top(scores: np.ndarray, n: int) -> list[int]:
    """Indices of the ``n`` highest scores (ties by index: stable)."""
    return [int(i) for i in np.argsort(-np.asarray(scores, np.float64), kind="stable")[:n]]


def standardised_interp(view: RoundView) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidates, samples, kept and rejected interpretable features, standardised by the statistics
    of everything the view holds (so a learner needs no stored statistics)."""
    (k_i, _, _), (r_i, _, _) = feedback_arrays(view)
    allx = np.concatenate([view.candidates_interp, view.samples_interp, k_i, r_i]).astype(np.float64)
    mean, std = allx.mean(0), allx.std(0)
    std = np.where(std > 1e-8, std, 1.0)

    def z(x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, np.float64) - mean) / std

    return z(view.candidates_interp), z(view.samples_interp), z(k_i), z(r_i)


class NoFeedback:
    """The first ``n_show`` drafts, drafted neutrally every round: the no-feedback control."""

    name = "no feedback"
    uses_feedback = False

    def choose(self, view: RoundView, rng: np.random.Generator) -> list[int]:
        return first(view)


class PrototypeChooser:
    """The top taste-model scores (prototypes and matching attention, no agent).

    ``embedder`` is a :class:`studio.taste.embedding.Embedder`; None uses the interpretable
    features alone, standardised by the view's own statistics."""

    name = "prototypes"
    uses_feedback = True

    def __init__(self, embedder: Any = None, sample_weight: float = SAMPLE_WEIGHT) -> None:
        self.embedder = embedder
        self.sample_weight = sample_weight

    def choose(self, view: RoundView, rng: np.random.Generator) -> list[int]:
        model = fit_taste_model(view, self.embedder, self.sample_weight)
        scores = model.score(view.candidates_interp, view.candidates_raw)
        return top(scores.score, min(view.n_show, view.n_candidates))


def view_embedder(view: RoundView, embedder: Any = None) -> Any:
    """``embedder``, or the identity embedder over the view's own feature statistics."""
    if embedder is not None:
        return embedder
    people = importlib.import_module("studio.taste.people")
    embedding = importlib.import_module("studio.taste.embedding")
    (k_i, k_r, _), (r_i, r_r, _) = feedback_arrays(view)
    interp = np.concatenate([view.candidates_interp, view.samples_interp, k_i, r_i]).astype(np.float32)
    raw = np.concatenate([view.candidates_raw, view.samples_raw, k_r, r_r]).astype(np.float32)
    std_i, std_r = interp.std(0), raw.std(0)
    standardiser = people.Standardiser(interp.mean(0), np.where(std_i > 1e-8, std_i, 1.0).astype(np.float32),
                                       raw.mean(0), np.where(std_r > 1e-8, std_r, 1.0).astype(np.float32))
    return identity_for(view.domain, standardiser)


def identity_for(domain: str, standardiser: Any) -> Any:
    """The identity embedder with ``standardiser``, under the domain's feature spec when the sizes
    match it, else a numbered one (synthetic descriptors)."""
    embedding = importlib.import_module("studio.taste.embedding")
    size, raw_size = len(standardiser.interp_mean), len(standardiser.raw_mean)
    try:
        spec = embedding.domain_spec(domain)
    except Exception:  # noqa: BLE001 - no describer for this domain: numbered features
        spec = None
    if spec is None or (spec.size, spec.raw_size) != (size, raw_size):
        spec = embedding.generic_spec(domain, size, raw_size)
    return embedding.identity_embedder(domain, standardiser, spec)


def fit_taste_model(view: RoundView, embedder: Any = None, sample_weight: float = SAMPLE_WEIGHT) -> Any:
    """A :class:`studio.taste.model.TasteModel` fitted on the view's kept, rejected and samples."""
    model_mod = importlib.import_module("studio.taste.model")
    (k_i, k_r, _), (r_i, r_r, _) = feedback_arrays(view)
    return model_mod.TasteModel.fit(view_embedder(view, embedder), (k_i, k_r), (r_i, r_r),
                                    (view.samples_interp, view.samples_raw), sample_weight=sample_weight)


class LogisticChooser:
    """L2-regularised logistic regression on the standardised interpretable features."""

    name = "logistic regression"
    uses_feedback = True

    def __init__(self, l2: float = 1.0, sample_weight: float = SAMPLE_WEIGHT, steps: int = 25) -> None:
        self.l2, self.sample_weight, self.steps = l2, sample_weight, steps

    def probabilities(self, view: RoundView) -> np.ndarray | None:
        cand, samples, kept, rejected = standardised_interp(view)
        if not len(kept) and not len(rejected):
            return None
        x = np.concatenate([kept, rejected, samples])
        y = np.concatenate([np.ones(len(kept)), np.zeros(len(rejected)), np.ones(len(samples))])
        w = np.concatenate([np.ones(len(kept) + len(rejected)), np.full(len(samples), self.sample_weight)])
        x1 = np.concatenate([x, np.ones((len(x), 1))], 1)
        theta = np.zeros(x1.shape[1])
        reg = np.full(x1.shape[1], self.l2)
        reg[-1] = 1e-3  # the intercept is barely regularised
        for _ in range(self.steps):  # Newton (IRLS)
            p = 1.0 / (1.0 + np.exp(-np.clip(x1 @ theta, -30, 30)))
            grad = x1.T @ (w * (p - y)) + reg * theta
            hess = (x1 * (w * p * (1 - p))[:, None]).T @ x1 + np.diag(reg)
            step = np.linalg.solve(hess, grad)
            theta -= step
            if np.abs(step).max() < 1e-6:
                break
        c1 = np.concatenate([cand, np.ones((len(cand), 1))], 1)
        return 1.0 / (1.0 + np.exp(-np.clip(c1 @ theta, -30, 30)))

    def choose(self, view: RoundView, rng: np.random.Generator) -> list[int]:
        p = self.probabilities(view)
        return first(view) if p is None else top(p, min(view.n_show, view.n_candidates))


def _linear_posterior(view: RoundView, ridge: float, sample_weight: float
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ridge regression of the rewards on the standardised features (with an intercept):
    ``(candidates with a 1 column, mean weights, inverse design matrix)``."""
    cand, samples, _, _ = standardised_interp(view)
    allx = np.concatenate([view.candidates_interp, view.samples_interp]
                          + [fb.shown_interp for fb in view.history]).astype(np.float64)
    mean, std = allx.mean(0), allx.std(0)
    std = np.where(std > 1e-8, std, 1.0)
    xs, ys, ws = [samples], [np.ones(len(samples))], [np.full(len(samples), sample_weight)]
    for fb in view.history:
        x = (np.asarray(fb.shown_interp, np.float64) - mean) / std
        y = np.full(len(x), 0.5)
        y[list(fb.kept)] = 1.0
        y[list(fb.rejected)] = 0.0
        xs.append(x)
        ys.append(y)
        ws.append(np.ones(len(x)))
    x = np.concatenate(xs)
    x1 = np.concatenate([x, np.ones((len(x), 1))], 1)
    y, w = np.concatenate(ys), np.concatenate(ws)
    a = (x1 * w[:, None]).T @ x1 + ridge * np.eye(x1.shape[1])
    a_inv = np.linalg.inv(a)
    theta = a_inv @ (x1.T @ (w * y))
    c = (np.asarray(view.candidates_interp, np.float64) - mean) / std
    return np.concatenate([c, np.ones((len(c), 1))], 1), theta, a_inv


class UCBChooser:
    """LinUCB: the ridge estimate of each candidate's reward plus ``alpha`` standard deviations."""

    name = "UCB (linear)"
    uses_feedback = True

    def __init__(self, alpha: float = 0.5, ridge: float = 1.0, sample_weight: float = SAMPLE_WEIGHT) -> None:
        self.alpha, self.ridge, self.sample_weight = alpha, ridge, sample_weight

    def choose(self, view: RoundView, rng: np.random.Generator) -> list[int]:
        c1, theta, a_inv = _linear_posterior(view, self.ridge, self.sample_weight)
        width = np.sqrt(np.maximum(np.einsum("nd,de,ne->n", c1, a_inv, c1), 0.0))
        return top(c1 @ theta + self.alpha * width, min(view.n_show, view.n_candidates))


class ThompsonChooser:
    """Linear Thompson sampling: one posterior draw of the weights per gallery slot."""

    name = "Thompson (linear)"
    uses_feedback = True

    def __init__(self, scale: float = 0.3, ridge: float = 1.0, sample_weight: float = SAMPLE_WEIGHT) -> None:
        self.scale, self.ridge, self.sample_weight = scale, ridge, sample_weight

    def choose(self, view: RoundView, rng: np.random.Generator) -> list[int]:
        c1, theta, a_inv = _linear_posterior(view, self.ridge, self.sample_weight)
        chol = np.linalg.cholesky(a_inv + 1e-9 * np.eye(len(a_inv)))
        n = min(view.n_show, view.n_candidates)
        free = np.ones(len(c1), bool)
        out: list[int] = []
        for _ in range(n):
            w = theta + self.scale * chol @ rng.standard_normal(len(theta))
            s = c1 @ w
            s[~free] = -np.inf
            j = int(np.argmax(s))
            free[j] = False
            out.append(j)
        return out


class NearestFeatures:
    """Nearest the kept and farthest from the rejected works in the standardised interpretable
    features (the issue's plain learner): score = distance to the nearest rejected - distance to
    the nearest kept."""

    name = "nearest features"
    uses_feedback = True

    def choose(self, view: RoundView, rng: np.random.Generator) -> list[int]:
        cand, _, kept, rejected = standardised_interp(view)
        if not len(kept) and not len(rejected):
            return first(view)
        score = np.zeros(len(cand))
        if len(kept):
            score -= np.sqrt(((cand[:, None] - kept[None]) ** 2).sum(-1)).min(1)
        if len(rejected):
            score += np.sqrt(((cand[:, None] - rejected[None]) ** 2).sum(-1)).min(1)
        return top(score, min(view.n_show, view.n_candidates))


def all_baselines(embedder: Any = None) -> list[Any]:
    """Every baseline chooser, the no-feedback control first."""
    return [NoFeedback(), PrototypeChooser(embedder), LogisticChooser(), UCBChooser(), ThompsonChooser(),
            NearestFeatures()]
