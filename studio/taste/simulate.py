"""Rounds of galleries shown to simulated people: how a curator (or a baseline) is measured and trained.

Role: the one simulation of issue 18's loop, shared by the curator's meta-training
(:mod:`studio.taste.train_curator`) and ``bench taste``. A *person* is a pool (one collection's
genuine works and generated drafts, :mod:`studio.taste.pools`), a hidden taste family
(:mod:`studio.taste.people`) and a seed. Each round:

1. **Drafting** (the rule the live gallery uses too): ``n_draft`` candidates are drawn from the
   pool's drafts that were never shown to this person. Round 1 - and every round of a chooser
   that learns nothing (``uses_feedback = False``, the no-feedback control) - takes a uniform
   random subset: the pool's drafts were drafted over the settings' full ranges, so this is the
   neutral spread. Later rounds draft half near the settings of the works the person kept:
   ``settings.draft_settings(..., around=kept settings)`` gives target settings and each target
   takes the unused draft nearest to it in settings space.
2. **Choice**: the chooser sees a :class:`RoundView` (the candidates, the samples, the earlier
   galleries with what was kept and rejected) and returns ``n_show`` distinct candidates.
3. **Judging**: the person keeps the best ``keep`` and rejects the worst ``reject`` of the shown
   works under their hidden utility. The *liked share* of the gallery is the share of shown works
   whose utility is above the person's like threshold (the 75th percentile of the pool's genuine
   works under that taste).

Candidates are drawn from a random stream that depends on the person and round only, so every
chooser faces the same first-round candidates and the same people (common random numbers).
The people's feature standardiser comes from the embedder when one is given (the statistics
the shipped embedding was trained with), else it is fitted over the pools: pass the same
``embedder`` / ``standardiser`` to every chooser that is compared.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

import numpy as np

from studio.taste import settings as taste_settings
from studio.taste.pools import Pool


@dataclass(frozen=True)
class RoundFeedback:
    """One earlier gallery: the works shown (descriptors and settings) and what the person did."""

    shown: tuple[np.ndarray, np.ndarray, np.ndarray]  # (interp (n, F), raw (n, R), settings (n, S); NaN = unknown)
    kept: Sequence[int]  # indices into the shown rows
    rejected: Sequence[int]

    @property
    def shown_interp(self) -> np.ndarray:
        return np.asarray(self.shown[0], np.float32)

    @property
    def shown_raw(self) -> np.ndarray:
        return np.asarray(self.shown[1], np.float32)

    @property
    def shown_settings(self) -> np.ndarray:
        """Settings rows with unknown entries at 0 (the middle of each range)."""
        return np.nan_to_num(np.asarray(self.shown[2], np.float32), nan=0.0)


@dataclass(frozen=True)
class RoundView:
    """What a chooser may see when it picks the next gallery."""

    domain: str
    candidates_interp: np.ndarray  # (M, F)
    candidates_raw: np.ndarray  # (M, R)
    candidates_settings: np.ndarray  # (M, S)
    samples_interp: np.ndarray  # (K, F)
    samples_raw: np.ndarray  # (K, R)
    history: tuple[RoundFeedback, ...]  # earlier galleries, oldest first (may be empty)
    n_show: int

    @property
    def n_candidates(self) -> int:
        return len(self.candidates_interp)

    @property
    def round(self) -> int:
        """0 for the first gallery."""
        return len(self.history)


def feedback_arrays(view: RoundView) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray],
                                              tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Every kept and every rejected work of the view's history: ``(interp, raw, settings)`` each."""
    f, r = view.candidates_interp.shape[1], view.candidates_raw.shape[1]
    s = view.candidates_settings.shape[1]
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    rejected: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for fb in view.history:
        si, sr, ss = fb.shown_interp, fb.shown_raw, fb.shown_settings
        for idx, out in ((fb.kept, kept), (fb.rejected, rejected)):
            for i in idx:
                out.append((si[i], sr[i], ss[i]))

    def pack(rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not rows:
            return np.zeros((0, f), np.float32), np.zeros((0, r), np.float32), np.zeros((0, s), np.float32)
        return tuple(np.stack([row[k] for row in rows]).astype(np.float32) for k in range(3))  # type: ignore[return-value]

    return pack(kept), pack(rejected)


class Chooser(Protocol):
    """Picks which drafted candidates a gallery shows."""

    name: str

    def choose(self, view: RoundView, rng: np.random.Generator) -> list[int]:
        """``view.n_show`` distinct indices into the candidates."""


def check_choice(choice: Sequence[int], view: RoundView, name: str) -> list[int]:
    """The choice as a list, or ValueError naming the chooser when it is not ``n_show`` distinct
    candidate indices."""
    out = [int(i) for i in choice]
    want = min(view.n_show, view.n_candidates)
    if len(out) != want or len(set(out)) != want or any(i < 0 or i >= view.n_candidates for i in out):
        raise ValueError(f"chooser {name!r} returned {out}: need {want} distinct indices below {view.n_candidates}")
    return out


@dataclass(frozen=True)
class PersonSpec:
    """One simulated person: a pool, a taste family and a seed."""

    pool: int  # index into the pools given to simulate
    collection: str
    family: str
    seed: int


@dataclass
class SimResult:
    """Per person and round: the liked share and what was shown, kept and rejected.

    Row indices (``shown``, ``kept``, ``rejected``, ``candidates``) index into the person's pool
    (``pools[people[p].pool]``), so fidelity and copy measures can open the works' files.
    """

    chooser: str
    people: list[PersonSpec]
    liked_share: np.ndarray  # (P, rounds)
    shown: list[list[np.ndarray]] = field(default_factory=list)  # [person][round] -> (n_show,) pool rows
    kept: list[list[np.ndarray]] = field(default_factory=list)
    rejected: list[list[np.ndarray]] = field(default_factory=list)
    candidates: list[list[np.ndarray]] = field(default_factory=list)
    spread: np.ndarray | None = None  # (P, rounds) mean pairwise distance of the shown works (standardised interp)

    def mean(self) -> np.ndarray:
        """Mean liked share per round ``(rounds,)``."""
        return self.liked_share.mean(0)

    def se(self) -> np.ndarray:
        """Standard error over people of the liked share per round."""
        return _se(self.liked_share)

    def lift(self, baseline: SimResult) -> tuple[np.ndarray, np.ndarray]:
        """Mean and paired standard error of (this - baseline) liked share per round; both runs
        must have simulated the same people."""
        if [p for p in self.people] != [p for p in baseline.people]:
            raise ValueError("lift needs two simulations of the same people (same pools, families, seeds)")
        diff = self.liked_share - baseline.liked_share
        return diff.mean(0), _se(diff)


def _se(values: np.ndarray) -> np.ndarray:
    n = values.shape[0]
    if n < 2:
        return np.zeros(values.shape[1:])
    return values.std(0, ddof=1) / math.sqrt(n)


def people_module() -> Any:
    """:mod:`studio.taste.people` (imported late: it is another part of issue 18)."""
    return importlib.import_module("studio.taste.people")


def settings_from_vector(domain: str, vector: np.ndarray) -> dict[str, float]:
    """The settings dict of a :func:`settings.settings_vector` row (the inverse map)."""
    ranges = taste_settings.setting_ranges(domain)
    out: dict[str, float] = {}
    for j, (name, (lo, hi)) in enumerate(ranges.items()):
        if j < len(vector) and np.isfinite(vector[j]):
            out[name] = float(lo + (float(vector[j]) + 1.0) * 0.5 * (hi - lo))
    return out


def draft_candidates(pool: Pool, n_draft: int, used: np.ndarray, rng: np.random.Generator,
                     around: np.ndarray | None = None, near_share: float = 0.5) -> np.ndarray:
    """Pool rows of ``n_draft`` drafts not in ``used`` (bool mask over the pool), in random order.

    Without ``around`` (settings vectors of kept works) a uniform random subset; with it, each of
    :func:`settings.draft_settings`'s targets (half of them near a kept work) takes the unused
    draft nearest in settings space."""
    free = np.flatnonzero(~pool.genuine & ~used)
    n = min(n_draft, len(free))
    if around is None or len(around) == 0:
        return rng.permutation(free)[:n]
    centres = [settings_from_vector(pool.domain, row) for row in around]
    targets = taste_settings.settings_vector(
        pool.domain, taste_settings.draft_settings(pool.domain, n, rng, around=centres, near_share=near_share))
    settings = np.nan_to_num(pool.settings[free], nan=0.0)
    taken = np.zeros(len(free), bool)
    picked: list[int] = []
    for target in targets:
        d = ((settings - target) ** 2).sum(1)
        d[taken] = np.inf
        j = int(np.argmin(d))
        taken[j] = True
        picked.append(int(free[j]))
    return np.array(picked, dtype=np.int64)[rng.permutation(len(picked))]


def person_rng(seed: int, pool_index: int, person: int, stream: int) -> np.random.Generator:
    """A random stream that depends on the person (and a stream number) only."""
    return np.random.default_rng([seed, pool_index, person, stream])


def make_people(pools: Sequence[Pool], families: Sequence[str], people_per_pool: int, seed: int) -> list[PersonSpec]:
    """``people_per_pool`` people per pool, the families taken in turn (every family meets every pool
    when ``people_per_pool`` is a multiple of the number of families)."""
    if not families:
        raise ValueError("no taste families given")
    out: list[PersonSpec] = []
    for pi, pool in enumerate(pools):
        for k in range(people_per_pool):
            out.append(PersonSpec(pi, pool.collection, families[(k + pi) % len(families)], seed * 1_000_003 + pi * 1009 + k))
    return out


def simulate(pools: Sequence[Pool], families: Sequence[str], chooser: Chooser, people_per_pool: int,
             rounds: int = 3, n_show: int = 12, n_draft: int = 36, seed: int = 0, embedder: Any = None,
             keep: int = 3, reject: int = 3, noise: float = 0.0, standardiser: Any = None,
             people: Any = None) -> SimResult:
    """Show ``rounds`` galleries of ``n_show`` (chosen from ``n_draft`` drafted candidates) to
    ``people_per_pool`` simulated people per pool and record what they would like.

    ``people`` is the module with ``fit_standardiser``, ``sample_person``, ``like_threshold`` and
    ``judge`` (default :mod:`studio.taste.people`). Raises ValueError when a chooser returns a bad
    choice or a pool has too few drafts.
    """
    people = people_module() if people is None else people
    if standardiser is None:
        standardiser = embedder.standardiser if embedder is not None else people.fit_standardiser(list(pools))
    specs = make_people(pools, families, people_per_pool, seed)
    result = SimResult(chooser=str(getattr(chooser, "name", type(chooser).__name__)), people=specs,
                       liked_share=np.zeros((len(specs), rounds)), spread=np.zeros((len(specs), rounds)))
    learns = bool(getattr(chooser, "uses_feedback", True))
    scale = {id(p): _interp_scale(p) for p in pools}
    for pi_, spec in enumerate(specs):
        pool = pools[spec.pool]
        if int((~pool.genuine).sum()) < n_show:
            raise ValueError(f"pool {pool.collection} has {int((~pool.genuine).sum())} drafts; a gallery needs {n_show}")
        person = people.sample_person(spec.family, pool, standardiser, person_rng(spec.seed, spec.pool, pi_, 0))
        episode = run_person(pool, person, chooser, rounds, n_show, n_draft, learns, keep, reject, noise,
                             people, spec.seed, spec.pool, pi_)
        result.liked_share[pi_] = episode.liked_share
        result.shown.append(episode.shown)
        result.kept.append(episode.kept)
        result.rejected.append(episode.rejected)
        result.candidates.append(episode.candidates)
        assert result.spread is not None
        result.spread[pi_] = [_spread(pool.interp[rows], scale[id(pool)]) for rows in episode.shown]
    return result


@dataclass
class Episode:
    """One person's rounds (pool rows)."""

    liked_share: np.ndarray
    shown: list[np.ndarray]
    kept: list[np.ndarray]
    rejected: list[np.ndarray]
    candidates: list[np.ndarray]
    liked: np.ndarray  # (N,) bool over the pool: above the person's like threshold


def samples_of(pool: Pool) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(pool.sample)
    return pool.interp[rows], pool.raw[rows]


def run_person(pool: Pool, person: Any, chooser: Chooser, rounds: int, n_show: int, n_draft: int, learns: bool,
               keep: int, reject: int, noise: float, people: Any, seed: int, pool_index: int, index: int) -> Episode:
    """Play ``rounds`` galleries for one person (see the module docstring)."""
    utility = np.asarray(person.utility(pool.interp, pool.raw), np.float64)
    liked = utility > float(people.like_threshold(person, pool))
    s_interp, s_raw = samples_of(pool)
    used = np.zeros(len(pool), bool)
    history: list[RoundFeedback] = []
    ep = Episode(np.zeros(rounds), [], [], [], [], liked)
    kept_settings: list[np.ndarray] = []
    for r in range(rounds):
        draft_rng = person_rng(seed, pool_index, index, 1 + r)
        around = np.stack(kept_settings) if (learns and kept_settings) else None
        cand = draft_candidates(pool, n_draft, used, draft_rng, around=around)
        view = RoundView(pool.domain, pool.interp[cand], pool.raw[cand], np.nan_to_num(pool.settings[cand], nan=0.0),
                         s_interp, s_raw, tuple(history), n_show)
        name = str(getattr(chooser, "name", type(chooser).__name__))
        choice = check_choice(chooser.choose(view, person_rng(seed, pool_index, index, 100 + r)), view, name)
        shown = cand[choice]
        used[shown] = True
        k, rj = people.judge(person, pool.interp[shown], pool.raw[shown], keep=keep, reject=reject, noise=noise,
                             rng=person_rng(seed, pool_index, index, 200 + r))
        k, rj = tuple(int(i) for i in k), tuple(int(i) for i in rj)
        history.append(RoundFeedback((pool.interp[shown], pool.raw[shown],
                                      np.nan_to_num(pool.settings[shown], nan=0.0)), k, rj))
        kept_settings.extend(np.nan_to_num(pool.settings[shown[list(k)]], nan=0.0))
        ep.liked_share[r] = float(liked[shown].mean())
        ep.shown.append(shown)
        ep.kept.append(shown[list(k)])
        ep.rejected.append(shown[list(rj)])
        ep.candidates.append(cand)
    return ep


def _interp_scale(pool: Pool) -> np.ndarray:
    std = pool.interp.std(0)
    return np.where(std > 1e-8, std, 1.0)


def _spread(interp: np.ndarray, scale: np.ndarray) -> float:
    """Mean pairwise Euclidean distance of the rows (features divided by the pool's spread)."""
    x = interp / scale
    if len(x) < 2:
        return 0.0
    d = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))
    n = len(x)
    return float(d.sum() / (n * (n - 1)))
