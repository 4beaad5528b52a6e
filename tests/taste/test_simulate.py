"""The simulation of galleries: deterministic, fair to every chooser, drafting near kept works."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from studio.taste import settings as taste_settings
from studio.taste.baselines import NoFeedback
from studio.taste.simulate import (RoundFeedback, RoundView, check_choice, draft_candidates, feedback_arrays,
                                   settings_from_vector, simulate)
from studio.taste.synthetic import synthetic_pools


def _standardiser(pools):
    interp = np.concatenate([p.interp for p in pools])
    return SimpleNamespace(mean=interp.mean(0), std=interp.std(0) + 1e-6)


class _Person:
    """Likes more of feature 0 (standardised): a taste an oracle can read."""

    family = "feature0"

    def __init__(self, std):
        self.std = std

    def utility(self, interp, raw):
        return (np.asarray(interp)[:, 0] - self.std.mean[0]) / self.std.std[0]


def _judge(person, interp, raw, keep=3, reject=3, noise=0.0, rng=None):
    order = np.argsort(-person.utility(interp, raw), kind="stable")
    return [int(i) for i in order[:keep]], [int(i) for i in order[::-1][:reject]]


#: a stand-in for studio.taste.people with one known taste (the real people are tested with it below)
PEOPLE = SimpleNamespace(
    fit_standardiser=_standardiser,
    sample_person=lambda family, pool, std, rng: _Person(std),
    like_threshold=lambda person, pool: float(np.percentile(person.utility(pool.interp[pool.genuine], None), 75)),
    judge=_judge,
)


class Oracle:
    """Knows the stand-in taste: shows the candidates highest on feature 0."""

    name = "oracle"

    def choose(self, view, rng):
        return [int(i) for i in np.argsort(-view.candidates_interp[:, 0])[:view.n_show]]


class Duplicates:
    name = "broken"

    def choose(self, view, rng):
        return [0] * view.n_show


@pytest.fixture(scope="module")
def pools():
    return synthetic_pools(3, seed=3)


def test_same_seed_same_galleries_and_people(pools) -> None:
    a = simulate(pools, ["feature0"], NoFeedback(), 4, seed=7, people=PEOPLE)
    b = simulate(pools, ["feature0"], NoFeedback(), 4, seed=7, people=PEOPLE)
    np.testing.assert_array_equal(a.liked_share, b.liked_share)
    assert all(np.array_equal(x, y) for pa, pb in zip(a.shown, b.shown) for x, y in zip(pa, pb))
    c = simulate(pools, ["feature0"], NoFeedback(), 4, seed=8, people=PEOPLE)
    assert not np.array_equal(a.liked_share, c.liked_share)


def test_galleries_show_unseen_drafts_and_judge_among_them(pools) -> None:
    res = simulate(pools, ["feature0"], Oracle(), 3, rounds=3, people=PEOPLE)
    assert res.liked_share.shape == (9, 3) and res.spread is not None and res.spread.shape == (9, 3)
    for p, spec in enumerate(res.people):
        pool = pools[spec.pool]
        shown = np.concatenate(res.shown[p])
        assert len(shown) == 36 and len(set(shown.tolist())) == 36  # never the same work twice
        assert not pool.genuine[shown].any()  # galleries show drafts, never the collection's own works
        for r in range(3):
            assert set(res.kept[p][r]) <= set(res.shown[p][r]) and len(res.kept[p][r]) == 3
            assert set(res.rejected[p][r]) <= set(res.shown[p][r]) and len(res.rejected[p][r]) == 3
            assert set(res.shown[p][r]) <= set(res.candidates[p][r]) and len(res.candidates[p][r]) == 36


def test_no_feedback_is_the_base_rate_and_an_oracle_does_better() -> None:
    pools = synthetic_pools(3, seed=3, drafts=200)  # enough liked drafts for three galleries
    none = simulate(pools, ["feature0"], NoFeedback(), 12, people=PEOPLE)
    oracle = simulate(pools, ["feature0"], Oracle(), 12, people=PEOPLE)
    base = []
    for spec in none.people:
        pool = pools[spec.pool]
        person = _Person(_standardiser(pools))
        u = person.utility(pool.interp, None)
        base.append((u[~pool.genuine] > PEOPLE.like_threshold(person, pool)).mean())
    assert abs(none.liked_share.mean() - np.mean(base)) < 0.06
    lift, se = oracle.lift(none)
    assert (lift > 0.2).all() and (se < lift).all()
    np.testing.assert_allclose(none.lift(none)[0], 0.0)


def test_the_real_people_play_too(pools) -> None:
    from studio.taste.people import HELDOUT_FAMILIES, TRAIN_FAMILIES

    res = simulate(pools, TRAIN_FAMILIES + HELDOUT_FAMILIES, NoFeedback(), 8, rounds=2)
    assert res.liked_share.shape == (24, 2)
    assert 0.05 < res.liked_share.mean() < 0.6
    assert {p.family for p in res.people} == set(TRAIN_FAMILIES + HELDOUT_FAMILIES)


def test_a_bad_choice_is_refused_by_name(pools) -> None:
    with pytest.raises(ValueError, match="broken"):
        simulate(pools, ["feature0"], Duplicates(), 1, people=PEOPLE)


def test_later_rounds_draft_near_the_kept_settings() -> None:
    pool = synthetic_pools(1, seed=5, drafts=300)[0]
    used = np.zeros(len(pool), bool)
    drafts = np.flatnonzero(~pool.genuine)
    centre = pool.settings[drafts[:1]]
    near = draft_candidates(pool, 36, used, np.random.default_rng(0), around=centre)
    plain = draft_candidates(pool, 36, used, np.random.default_rng(0))
    assert len(set(near.tolist())) == 36 and not pool.genuine[near].any()

    def dist(rows):
        return np.sqrt(((pool.settings[rows] - centre) ** 2).sum(1))
    assert np.median(dist(near)) < np.median(dist(plain))
    assert (dist(near) < np.median(dist(plain))).mean() > 0.5


def test_settings_vectors_map_back() -> None:
    for domain in ("melody", "painting"):
        s = taste_settings.draft_settings(domain, 5, np.random.default_rng(1))
        v = taste_settings.settings_vector(domain, s)
        back = [settings_from_vector(domain, row) for row in v]
        np.testing.assert_allclose(taste_settings.settings_vector(domain, back), v, atol=1e-5)


def test_feedback_arrays_and_choice_checks() -> None:
    rng = np.random.default_rng(0)
    shown = (rng.normal(size=(12, 3)).astype(np.float32), rng.normal(size=(12, 5)).astype(np.float32),
             np.zeros((12, 2), np.float32))
    fb = RoundFeedback(shown, [0, 1, 2], [9, 10, 11])  # the design's form: a (interp, raw, settings) tuple
    view = RoundView("melody", shown[0], shown[1], shown[2], shown[0][:2], shown[1][:2], (fb, fb), 4)
    (ki, kr, ks), (ri, rr, rs) = feedback_arrays(view)
    assert ki.shape == (6, 3) and kr.shape == (6, 5) and ks.shape == (6, 2) and ri.shape == (6, 3)
    np.testing.assert_array_equal(ki[:3], shown[0][:3])
    empty = RoundView("melody", shown[0], shown[1], shown[2], shown[0][:2], shown[1][:2], (), 4)
    (ki, _, _), _ = feedback_arrays(empty)
    assert ki.shape == (0, 3)
    assert check_choice([3, 1, 2, 0], view, "x") == [3, 1, 2, 0]
    for bad in ([0, 1, 2], [0, 1, 2, 2], [0, 1, 2, 12], [-1, 0, 1, 2]):
        with pytest.raises(ValueError):
            check_choice(bad, view, "x")
