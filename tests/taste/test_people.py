"""Simulated people: families, strength of tastes, the like threshold and judging a gallery."""

from __future__ import annotations

import numpy as np
import pytest

from studio.taste.people import (FAMILIES, HELDOUT_FAMILIES, MAX_SHARE, MIN_SHARE, TRAIN_FAMILIES, Person,
                                 Standardiser, describe_person, fit_standardiser, judge, like_threshold,
                                 sample_person)
from studio.taste.synthetic import synthetic_pools


@pytest.fixture(scope="module")
def pools():
    return synthetic_pools(3, seed=7)


@pytest.fixture(scope="module")
def standardiser(pools):
    return fit_standardiser(pools)


def test_train_and_heldout_families_are_disjoint_and_known() -> None:
    assert not set(TRAIN_FAMILIES) & set(HELDOUT_FAMILIES)
    assert set(TRAIN_FAMILIES) | set(HELDOUT_FAMILIES) == set(FAMILIES)
    assert len(TRAIN_FAMILIES) >= 4 and len(HELDOUT_FAMILIES) >= 3


def test_standardiser_centres_and_round_trips(pools, standardiser) -> None:
    zi, zr = standardiser.apply(np.concatenate([p.interp for p in pools]), np.concatenate([p.raw for p in pools]))
    assert abs(zi.mean()) < 1e-3 and abs(zi.std() - 1) < 1e-2
    again = Standardiser.from_dict(standardiser.to_dict())
    np.testing.assert_allclose(again.raw_std, standardiser.raw_std)
    with pytest.raises(ValueError):
        Standardiser.from_dict({**standardiser.to_dict(), "interp_std": [0.0] * len(standardiser.interp_std)})
    with pytest.raises(ValueError):
        Standardiser.from_dict({"interp_mean": [1.0]})


def test_standardiser_survives_hostile_values(standardiser) -> None:
    interp = np.full((2, len(standardiser.interp_mean)), np.nan, np.float32)
    interp[1] = 1e30
    zi, _ = standardiser.apply(interp, np.zeros((2, len(standardiser.raw_mean)), np.float32))
    assert np.all(np.isfinite(zi)) and np.abs(zi).max() <= 10


@pytest.mark.parametrize("family", TRAIN_FAMILIES + HELDOUT_FAMILIES)
def test_every_family_gives_tastes_of_realistic_strength(family, pools, standardiser) -> None:
    rng = np.random.default_rng(1)
    shares = []
    for pool in pools:
        for _ in range(4):
            person = sample_person(family, pool, standardiser, rng)
            assert person.family == family
            u = person.utility(pool.interp, pool.raw)
            assert u.shape == (len(pool),) and np.all(np.isfinite(u))
            shares.append(float((u[~pool.genuine] > like_threshold(person, pool)).mean()))
    assert MIN_SHARE - 0.05 <= min(shares) and max(shares) <= MAX_SHARE + 0.05
    assert 0.12 < np.mean(shares) < 0.45
    assert describe_person(person)


def test_tastes_of_one_family_differ_between_people(pools, standardiser) -> None:
    rng = np.random.default_rng(2)
    a, b = (sample_person("linear", pools[0], standardiser, rng) for _ in range(2))
    ua, ub = a.utility(pools[0].interp, pools[0].raw), b.utility(pools[0].interp, pools[0].raw)
    assert abs(np.corrcoef(ua, ub)[0, 1]) < 0.99


def test_threshold_is_the_75th_percentile_of_the_genuine_works(pools, standardiser) -> None:
    pool = pools[0]
    person = sample_person("band", pool, standardiser, np.random.default_rng(3))
    u = person.utility(pool.interp, pool.raw)
    assert like_threshold(person, pool) == pytest.approx(np.percentile(u[pool.genuine], 75))
    assert (u[pool.genuine] > like_threshold(person, pool)).mean() == pytest.approx(0.25, abs=0.03)


def test_judge_keeps_the_best_and_rejects_the_worst(pools, standardiser) -> None:
    pool = pools[1]
    person = sample_person("linear", pool, standardiser, np.random.default_rng(4))
    rows = np.arange(40, 52)
    kept, rejected = judge(person, pool.interp[rows], pool.raw[rows])
    u = person.utility(pool.interp[rows], pool.raw[rows])
    order = list(np.argsort(-u))
    assert kept == order[:3] and rejected == order[::-1][:3]
    noisy = judge(person, pool.interp[rows], pool.raw[rows], noise=0.3, rng=np.random.default_rng(0))
    assert len(set(noisy[0])) == 3 and not set(noisy[0]) & set(noisy[1])


def test_judge_handles_small_and_empty_galleries(pools, standardiser) -> None:
    pool = pools[0]
    person = sample_person("anchor", pool, standardiser, np.random.default_rng(5))
    kept, rejected = judge(person, pool.interp[:4], pool.raw[:4])
    assert len(kept) == 3 and len(rejected) == 1 and not set(kept) & set(rejected)
    assert judge(person, pool.interp[:0], pool.raw[:0]) == ([], [])


def test_unknown_family_and_empty_pool_are_refused(pools, standardiser) -> None:
    with pytest.raises(ValueError, match="unknown taste family"):
        sample_person("nobody", pools[0], standardiser, np.random.default_rng(0))
    with pytest.raises(ValueError):
        fit_standardiser([])
    assert isinstance(sample_person("both", pools[0], standardiser, np.random.default_rng(0)), Person)
