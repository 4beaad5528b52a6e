"""Simulated people with hidden tastes: who judges the galleries of meta-training and the benchmark.

Role: the stand-in for real people that taste learning is meta-trained and measured on. A
:class:`Person` has a hidden utility over works' descriptors (higher = likes more); shown a
gallery, they keep the best and reject the worst (:func:`judge`). A work counts as *liked* when
its utility is above :func:`like_threshold`, the 75th percentile of the collection's genuine
works under that taste (issue 18's measure).

Tastes come in families of different *kinds*, so that a learner tested on the held-out
families meets tastes whose shape it never trained on, not just other weights:

- train (:data:`TRAIN_FAMILIES`): ``linear`` (a sparse linear taste on 1-3 interpretable
  features), ``anchor`` (likes what resembles one or two works of the collection in the raw
  descriptor), ``band`` (likes a band of one feature, e.g. a middle register), ``raw_linear``
  (a direction over a few raw-descriptor dimensions: aspects no interpretable feature names),
  ``either`` (a soft "or": likes works high on either of two features);
- held out (:data:`HELDOUT_FAMILIES`): ``both`` (a conjunction of two thresholds: needs both),
  ``anchor_linear`` (a mixture of resemblance to one work in every feature and a linear term),
  ``extremes`` (dislikes works far from the collection's usual on two or three features: a
  quadratic).

Every taste is drawn for one pool (its anchors, bands and thresholds come from that pool's
works) and redrawn until it is of realistic strength: between :data:`MIN_SHARE` and
:data:`MAX_SHARE` of the pool's drafts are liked, so that "above the 75th percentile of the
genuine works" neither holds for no draft nor for all. Descriptors go in in natural units;
a person standardises them with the :class:`Standardiser` they were drawn with (the same one
the learned embedding's card stores). numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

TRAIN_FAMILIES: tuple[str, ...] = ("linear", "anchor", "band", "raw_linear", "either")
HELDOUT_FAMILIES: tuple[str, ...] = ("both", "anchor_linear", "extremes")
LIKE_PERCENTILE = 75.0  # liked = above this percentile of the genuine works' utility
MIN_SHARE, MAX_SHARE = 0.08, 0.55  # a drawn taste must like this share of the pool's drafts
DRAW_TRIES = 24  # redraws before keeping the taste whose share is nearest TARGET_SHARE
TARGET_SHARE = 0.25
Z_CLIP = 10.0  # standardised values are clipped: one absurd feature must not decide a taste


@dataclass(frozen=True, eq=False)
class Standardiser:
    """Per-dimension mean and spread of descriptors over the training pools (float32 arrays)."""

    interp_mean: np.ndarray
    interp_std: np.ndarray
    raw_mean: np.ndarray
    raw_std: np.ndarray

    def apply(self, interp: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(interp_z, raw_z)`` float32: standardised, non-finite values at 0, clipped to +-Z_CLIP."""
        return _z(interp, self.interp_mean, self.interp_std), _z(raw, self.raw_mean, self.raw_std)

    def to_dict(self) -> dict[str, list[float]]:
        """JSON-safe lists (stored in the weights' cards)."""
        return {name: [float(v) for v in getattr(self, name)]
                for name in ("interp_mean", "interp_std", "raw_mean", "raw_std")}

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> Standardiser:
        """Inverse of :meth:`to_dict`. Raises ValueError for missing keys, non-finite values,
        spreads that are not positive or means and spreads of different lengths."""
        try:
            arrays = {name: np.asarray(obj[name], dtype=np.float32)
                      for name in ("interp_mean", "interp_std", "raw_mean", "raw_std")}
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a standardiser: {exc}") from exc
        for name, a in arrays.items():
            if a.ndim != 1 or not np.all(np.isfinite(a)):
                raise ValueError(f"standardiser {name} must be a list of finite numbers")
        for part in ("interp", "raw"):
            mean, std = arrays[f"{part}_mean"], arrays[f"{part}_std"]
            if mean.shape != std.shape or np.any(std <= 0):
                raise ValueError(f"standardiser {part}: mean and std differ in length or std is not positive")
        return cls(**arrays)

    @classmethod
    def unit(cls, interp_size: int, raw_size: int) -> Standardiser:
        """Mean 0 and spread 1 everywhere (descriptors taken as they are)."""
        return cls(np.zeros(interp_size, np.float32), np.ones(interp_size, np.float32),
                   np.zeros(raw_size, np.float32), np.ones(raw_size, np.float32))


def _z(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float32)
    if x.ndim != 2 or x.shape[1] != len(mean):
        raise ValueError(f"expected descriptors of shape (N, {len(mean)}), got {x.shape}")
    with np.errstate(invalid="ignore", over="ignore"):
        z = np.clip((x - mean) / std, -Z_CLIP, Z_CLIP).astype(np.float32, copy=False)  # +-inf clip to +-Z_CLIP
    z[np.isnan(z)] = 0.0
    return z


def _spread(x: np.ndarray) -> np.ndarray:
    finite = np.where(np.isfinite(x), x, np.nan)
    std = np.nanstd(finite, axis=0) if len(x) else np.ones(x.shape[1])
    std = np.nan_to_num(std, nan=1.0)
    return np.where(std > 1e-6, std, 1.0).astype(np.float32)


def fit_standardiser(pools: Sequence[Any]) -> Standardiser:
    """The mean and spread of every descriptor dimension over all rows of ``pools`` (anything
    with ``interp`` and ``raw`` arrays). Dimensions that do not vary get spread 1.
    Raises ValueError when there are no rows."""
    interp = np.concatenate([np.asarray(p.interp, np.float64) for p in pools]) if pools else np.zeros((0, 0))
    raw = np.concatenate([np.asarray(p.raw, np.float64) for p in pools]) if pools else np.zeros((0, 0))
    if len(interp) == 0:
        raise ValueError("fit_standardiser needs at least one pool with works")
    def mean(x: np.ndarray) -> np.ndarray:
        return np.nan_to_num(np.nanmean(np.where(np.isfinite(x), x, np.nan), axis=0)).astype(np.float32)
    return Standardiser(mean(interp), _spread(interp), mean(raw), _spread(raw))


# -- the families: each a (draw, utility) pair over standardised descriptors ----------------------

Params = dict[str, np.ndarray]


def _signed_weights(rng: np.random.Generator, size: int, count: int) -> np.ndarray:
    w = np.zeros(size, np.float32)
    idx = rng.choice(size, size=min(count, size), replace=False)
    w[idx] = rng.choice([-1.0, 1.0], size=len(idx)) * rng.uniform(0.5, 1.5, size=len(idx))
    return w


def _draw_linear(zi: np.ndarray, zr: np.ndarray, rng: np.random.Generator) -> Params:
    return {"w": _signed_weights(rng, zi.shape[1], int(rng.integers(1, 4)))}


def _u_linear(p: Params, zi: np.ndarray, zr: np.ndarray) -> np.ndarray:
    return zi @ p["w"]


def _draw_anchor(zi: np.ndarray, zr: np.ndarray, rng: np.random.Generator) -> Params:
    rows = rng.choice(len(zr), size=min(len(zr), int(rng.integers(1, 3))), replace=False)
    return {"anchors": zr[rows].copy()}


def _u_anchor(p: Params, zi: np.ndarray, zr: np.ndarray) -> np.ndarray:
    d = ((zr[:, None, :] - p["anchors"][None]) ** 2).mean(2)  # (N, anchors)
    return -np.sqrt(d.min(1))


def _draw_band(zi: np.ndarray, zr: np.ndarray, rng: np.random.Generator) -> Params:
    f = int(rng.integers(zi.shape[1]))
    column = zi[:, f]
    centre = float(np.quantile(column, rng.uniform(0.15, 0.85)))
    width = float(max(0.15, np.std(column) * rng.uniform(0.3, 0.8)))
    return {"feature": np.array(f), "centre": np.array(centre, np.float32), "width": np.array(width, np.float32)}


def _u_band(p: Params, zi: np.ndarray, zr: np.ndarray) -> np.ndarray:
    return -np.abs(zi[:, int(p["feature"])] - p["centre"]) / p["width"]


def _draw_raw_linear(zi: np.ndarray, zr: np.ndarray, rng: np.random.Generator) -> Params:
    size = zr.shape[1]
    v = np.zeros(size, np.float32)
    idx = rng.choice(size, size=min(size, int(rng.integers(4, 13))), replace=False)
    v[idx] = rng.normal(size=len(idx))
    return {"v": v / max(1e-6, float(np.linalg.norm(v)))}


def _u_raw_linear(p: Params, zi: np.ndarray, zr: np.ndarray) -> np.ndarray:
    return zr @ p["v"]


def _two_features(zi: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    feats = rng.choice(zi.shape[1], size=2, replace=False)
    return feats.astype(np.int64), rng.choice([-1.0, 1.0], size=2).astype(np.float32)


def _draw_either(zi: np.ndarray, zr: np.ndarray, rng: np.random.Generator) -> Params:
    feats, signs = _two_features(zi, rng)
    return {"features": feats, "signs": signs}


def _u_either(p: Params, zi: np.ndarray, zr: np.ndarray) -> np.ndarray:
    a = zi[:, p["features"]] * p["signs"]  # (N, 2)
    return np.logaddexp(2.0 * a[:, 0], 2.0 * a[:, 1]) / 2.0  # a soft maximum: high on either


def _draw_both(zi: np.ndarray, zr: np.ndarray, rng: np.random.Generator) -> Params:
    feats, signs = _two_features(zi, rng)
    a = zi[:, feats] * signs
    thresholds = np.array([np.quantile(a[:, k], rng.uniform(0.3, 0.6)) for k in range(2)], np.float32)
    return {"features": feats, "signs": signs, "thresholds": thresholds}


def _u_both(p: Params, zi: np.ndarray, zr: np.ndarray) -> np.ndarray:
    a = zi[:, p["features"]] * p["signs"] - p["thresholds"]
    gate = 1.0 / (1.0 + np.exp(-np.clip(4.0 * a, -30, 30)))
    # needs both; a faint preference for more of each breaks ties inside and outside the corner
    return gate[:, 0] * gate[:, 1] + 0.03 * a.sum(1)


def _draw_anchor_linear(zi: np.ndarray, zr: np.ndarray, rng: np.random.Generator) -> Params:
    row = int(rng.integers(len(zi)))
    anchor = np.concatenate([zi[row], zr[row]])
    w = _signed_weights(rng, zi.shape[1], int(rng.integers(1, 3)))
    p: Params = {"anchor": anchor, "w": w, "mix": np.array(rng.uniform(0.3, 0.7), np.float32)}
    a, lin = _anchor_linear_terms(p, zi, zr)  # scale both terms to the pool, so the mixture means what it says
    p["scales"] = np.array([max(1e-6, float(np.std(a))), max(1e-6, float(np.std(lin)))], np.float32)
    return p


def _anchor_linear_terms(p: Params, zi: np.ndarray, zr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    both = np.concatenate([zi, zr], axis=1)
    return -np.sqrt(((both - p["anchor"]) ** 2).mean(1)), zi @ p["w"]


def _u_anchor_linear(p: Params, zi: np.ndarray, zr: np.ndarray) -> np.ndarray:
    a, lin = _anchor_linear_terms(p, zi, zr)
    scales = p.get("scales", np.ones(2, np.float32))
    return p["mix"] * a / scales[0] + (1.0 - p["mix"]) * lin / scales[1]


def _draw_extremes(zi: np.ndarray, zr: np.ndarray, rng: np.random.Generator) -> Params:
    feats = rng.choice(zi.shape[1], size=min(zi.shape[1], int(rng.integers(2, 4))), replace=False)
    column = zi[:, feats]
    return {"features": feats.astype(np.int64), "centre": np.median(column, 0).astype(np.float32),
            "scale": np.maximum(0.15, column.std(0)).astype(np.float32)}


def _u_extremes(p: Params, zi: np.ndarray, zr: np.ndarray) -> np.ndarray:
    d = (zi[:, p["features"]] - p["centre"]) / p["scale"]
    return -(d ** 2).sum(1)


Draw = Callable[[np.ndarray, np.ndarray, np.random.Generator], Params]
Utility = Callable[[Params, np.ndarray, np.ndarray], np.ndarray]
FAMILIES: dict[str, tuple[Draw, Utility]] = {
    "linear": (_draw_linear, _u_linear),
    "anchor": (_draw_anchor, _u_anchor),
    "band": (_draw_band, _u_band),
    "raw_linear": (_draw_raw_linear, _u_raw_linear),
    "either": (_draw_either, _u_either),
    "both": (_draw_both, _u_both),
    "anchor_linear": (_draw_anchor_linear, _u_anchor_linear),
    "extremes": (_draw_extremes, _u_extremes),
}


@dataclass(frozen=True, eq=False)
class Person:
    """A simulated person: a taste family, its drawn parameters and the standardiser they see with."""

    family: str
    standardiser: Standardiser
    params: Mapping[str, np.ndarray] = field(default_factory=dict)

    def utility(self, interp: np.ndarray, raw: np.ndarray) -> np.ndarray:
        """``(N,)`` float64 utility of works given in natural units (higher = likes more)."""
        interp = np.asarray(interp, np.float32)
        if len(interp) == 0:
            return np.zeros(0)
        zi, zr = self.standardiser.apply(interp, raw)
        return np.asarray(FAMILIES[self.family][1](dict(self.params), zi, zr), np.float64)


def _liked_share(person: Person, pool: Any) -> float:
    genuine = np.asarray(pool.genuine, bool)
    if genuine.all() or not genuine.any():
        return TARGET_SHARE  # nothing to compare: any taste will do
    u = person.utility(pool.interp, pool.raw)
    return float((u[~genuine] > np.percentile(u[genuine], LIKE_PERCENTILE)).mean())


def sample_person(family: str, pool: Any, standardiser: Standardiser, rng: np.random.Generator) -> Person:
    """A person of ``family`` whose taste is drawn for ``pool`` (anything with ``interp``, ``raw``
    and ``genuine`` arrays), redrawn until between MIN_SHARE and MAX_SHARE of its drafts are liked
    (else the draw nearest TARGET_SHARE). Raises ValueError for an unknown family or an empty pool."""
    if family not in FAMILIES:
        raise ValueError(f"unknown taste family {family!r}; known: {', '.join(FAMILIES)}")
    if len(pool.interp) == 0:
        raise ValueError("sample_person needs a pool with works")
    zi, zr = standardiser.apply(pool.interp, pool.raw)
    draw = FAMILIES[family][0]
    best: tuple[float, Person] | None = None
    for _ in range(DRAW_TRIES):
        person = Person(family, standardiser, draw(zi, zr, rng))
        share = _liked_share(person, pool)
        if MIN_SHARE <= share <= MAX_SHARE:
            return person
        if best is None or abs(share - TARGET_SHARE) < best[0]:
            best = (abs(share - TARGET_SHARE), person)
    assert best is not None
    return best[1]


def like_threshold(person: Person, pool: Any) -> float:
    """The 75th percentile of the utility of ``pool``'s genuine works (all works when it has none):
    a work above it is one the person would like."""
    genuine = np.asarray(pool.genuine, bool)
    rows = genuine if genuine.any() else np.ones(len(genuine), bool)
    u = person.utility(np.asarray(pool.interp)[rows], np.asarray(pool.raw)[rows])
    return float(np.percentile(u, LIKE_PERCENTILE))


def judge(person: Person, interp: np.ndarray, raw: np.ndarray, keep: int = 3, reject: int = 3,
          noise: float = 0.0, rng: np.random.Generator | None = None) -> tuple[list[int], list[int]]:
    """What ``person`` does with a gallery: the indices of the ``keep`` works they like best (best
    first) and of the ``reject`` they like least (worst first), never overlapping (a gallery smaller
    than keep + reject loses rejects first). ``noise`` adds Gaussian noise of that many standard
    deviations of the gallery's utilities (a person is not perfectly consistent)."""
    return judge_utilities(person.utility(interp, raw), keep, reject, noise, rng)


def judge_utilities(u: np.ndarray, keep: int = 3, reject: int = 3, noise: float = 0.0,
                    rng: np.random.Generator | None = None) -> tuple[list[int], list[int]]:
    """:func:`judge` on a gallery's utilities already computed."""
    u = np.asarray(u, np.float64)
    n = len(u)
    if noise > 0 and n > 1:
        rng = rng if rng is not None else np.random.default_rng()
        u = u + noise * max(1e-9, float(u.std())) * rng.normal(size=n)
    keep = max(0, min(keep, n))
    reject = max(0, min(reject, n - keep))
    order = np.argsort(-u, kind="stable")
    kept = [int(i) for i in order[:keep]]
    rejected = [int(i) for i in order[::-1][:reject]]
    return kept, rejected


def describe_person(person: Person, names: Sequence[str] = ()) -> str:
    """A short line saying a person's taste (for logs and benchmark notes)."""
    p = person.params
    def name(i: int) -> str:
        return names[i] if i < len(names) else f"feature {i}"
    if "w" in p and person.family == "linear":
        terms = [f"{'+' if p['w'][i] > 0 else '-'}{name(int(i))}" for i in np.flatnonzero(p["w"])]
        return f"linear: {', '.join(terms)}"
    if "features" in p:
        return f"{person.family}: {', '.join(name(int(i)) for i in p['features'])}"
    if "feature" in p:
        return f"band: {name(int(p['feature']))}"
    return person.family
