"""The non-meta choosers: valid galleries, and each learns an obvious taste from keeps and rejects."""

from __future__ import annotations

import numpy as np
import pytest

from studio.taste.baselines import (LogisticChooser, NearestFeatures, NoFeedback, PrototypeChooser, ThompsonChooser,
                                    UCBChooser, all_baselines)
from studio.taste.simulate import RoundFeedback, RoundView, simulate
from studio.taste.synthetic import synthetic_pools
from tests.taste.test_simulate import PEOPLE


def _view(history: int, n: int = 36, seed: int = 0) -> RoundView:
    rng = np.random.default_rng(seed)
    cand = (rng.normal(size=(n, 6)).astype(np.float32), rng.normal(size=(n, 9)).astype(np.float32),
            rng.uniform(-1, 1, size=(n, 4)).astype(np.float32))
    hist = []
    for h in range(history):
        shown = tuple(a[12 * h:12 * h + 12] for a in cand)
        hist.append(RoundFeedback(shown, [0, 1, 2], [9, 10, 11]))
    return RoundView("melody", *cand, cand[0][:4], cand[1][:4], tuple(hist), 12)


@pytest.mark.parametrize("chooser", all_baselines(), ids=lambda c: c.name)
@pytest.mark.parametrize("history", [0, 1, 2])
def test_every_baseline_returns_n_show_distinct_candidates(chooser, history: int) -> None:
    view = _view(history)
    choice = chooser.choose(view, np.random.default_rng(1))
    assert len(choice) == 12 and len(set(choice)) == 12 and all(0 <= i < 36 for i in choice)
    small = RoundView(view.domain, *(a[:5] for a in (view.candidates_interp, view.candidates_raw,
                                                     view.candidates_settings)),
                      view.samples_interp, view.samples_raw, view.history, 12)
    assert sorted(chooser.choose(small, np.random.default_rng(1))) == [0, 1, 2, 3, 4]  # fewer than a gallery


def test_no_feedback_shows_the_first_drafts_and_drafts_neutrally() -> None:
    assert NoFeedback().choose(_view(2), np.random.default_rng(0)) == list(range(12))
    assert NoFeedback.uses_feedback is False


@pytest.mark.parametrize("chooser", [PrototypeChooser(), LogisticChooser(), UCBChooser(), ThompsonChooser(),
                                     NearestFeatures()], ids=lambda c: c.name)
def test_each_learner_picks_up_an_obvious_taste(chooser) -> None:
    # the stand-in person likes more of feature 0 and keeps / rejects by it, without noise
    pools = synthetic_pools(4, seed=21, drafts=200)
    none = simulate(pools, ["feature0"], NoFeedback(), 6, people=PEOPLE)
    learnt = simulate(pools, ["feature0"], chooser, 6, people=PEOPLE)
    later = (learnt.liked_share - none.liked_share)[:, 1:].mean(1)  # galleries 2 and 3, per person
    se = later.std(ddof=1) / np.sqrt(len(later))
    assert later.mean() > 0.1 and later.mean() > 3 * se, (later.mean(), se)
