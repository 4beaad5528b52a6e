"""The taste model: scores from kept and rejected prototypes, uncertainty, explanations, summaries."""

from __future__ import annotations

import time

import numpy as np
import pytest

from studio.taste.embedding import identity_embedder
from studio.taste.features import FeatureSpec
from studio.taste.model import TasteModel
from studio.taste.people import Standardiser

pytestmark = pytest.mark.usefixtures("one_torch_thread")
SPEC = FeatureSpec("melody", ("register", "density", "leaps"), ("higher", "busier", "leapier"),
                   ("lower", "calmer", "smoother"), raw_size=4)


def embedder():
    return identity_embedder("melody", Standardiser.unit(3, 4), SPEC)


def works(*interp_rows: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    interp = np.array(interp_rows, np.float32).reshape(-1, 3)
    return interp, np.zeros((len(interp), 4), np.float32)


KEPT = works((2.0, 0.1, 0.0), (2.2, -0.1, 0.1), (1.8, 0.0, -0.1))  # high register
REJECTED = works((-2.0, 0.0, 0.0), (-1.8, 0.1, 0.1), (-2.2, -0.1, 0.0))  # low register
SAMPLES = works((0.5, 0.0, 0.0), (0.3, 0.2, 0.0))


def test_a_work_near_the_kept_scores_above_one_near_the_rejected() -> None:
    model = TasteModel.fit(embedder(), KEPT, REJECTED, SAMPLES)
    s = model.score(*works((1.9, 0.0, 0.0), (-1.9, 0.0, 0.0), (0.0, 0.0, 0.0)))
    assert s.score[0] > 0 > s.score[1]
    assert s.p_like[0] > 0.5 > s.p_like[1]
    assert np.all((0 <= s.uncertainty) & (s.uncertainty <= 1))
    assert s.uncertainty[2] > s.uncertainty[0]  # between kept and rejected: unsure
    assert s.nearest_kept.tolist()[:2] != [-1, -1] and s.nearest_rejected[1] in (0, 1, 2)
    assert s.nearest_sample[0] in (0, 1)


def test_explanation_names_the_separating_feature() -> None:
    model = TasteModel.fit(embedder(), KEPT, REJECTED, SAMPLES)
    high = model.explain(*(a[0] for a in works((2.0, 0.0, 0.0))))
    assert high.words.startswith("higher than what you reject")
    assert "closest to a work you kept" in high.words
    assert high.contrasts[0] == ("register", "more") and high.score > 0
    low = model.explain(*(a[0] for a in works((-2.0, 0.0, 0.0))))
    assert "lower than what you keep" in low.words and "rejected" in low.words


def test_summary_says_what_was_learnt_and_when_nothing_was() -> None:
    model = TasteModel.fit(embedder(), KEPT, REJECTED, SAMPLES)
    summary = model.summary()
    assert (summary.liked, summary.rejected, summary.samples) == (3, 3, 2)
    assert summary.words[0] == "You keep higher melodies and reject lower ones."
    empty = TasteModel.fit(embedder(), None, None, SAMPLES)
    assert not empty.has_feedback and empty.summary().words[0].startswith("Nothing learnt yet")


def test_only_kept_only_rejected_only_samples_and_nothing() -> None:
    probe = works((2.0, 0.0, 0.0), (-2.0, 0.0, 0.0))
    only_kept = TasteModel.fit(embedder(), KEPT, None, None)
    assert only_kept.has_feedback and only_kept.score(*probe).score[0] > only_kept.score(*probe).score[1]
    assert "nothing rejected yet" in only_kept.summary().words[0]
    only_rejected = TasteModel.fit(embedder(), None, REJECTED, None)
    assert only_rejected.score(*probe).score[0] > only_rejected.score(*probe).score[1]
    only_samples = TasteModel.fit(embedder(), None, None, works((2.0, 0.0, 0.0)))
    assert not only_samples.has_feedback and only_samples.score(*probe).score[0] > 0
    nothing = TasteModel.fit(embedder(), None, None, None)
    s = nothing.score(*probe)
    assert np.all(s.score == 0) and np.all(s.uncertainty == 1) and np.all(s.nearest_kept == -1)
    assert nothing.explain(*(a[0] for a in probe)).words == "no keeps or rejects yet"


def test_empty_arrays_are_handled() -> None:
    empty = works()
    model = TasteModel.fit(embedder(), empty, empty, empty)
    assert not model.has_feedback
    s = model.score(*empty)
    assert s.score.shape == (0,) and s.nearest_sample.shape == (0,)
    assert TasteModel.fit(embedder(), KEPT, REJECTED, SAMPLES).score(*empty).p_like.shape == (0,)
    with pytest.raises(ValueError):
        TasteModel.fit(embedder(), (np.zeros((2, 3)), np.zeros((1, 4))), None, None)


def test_fit_and_score_48_candidates_is_quick_enough_to_not_need_a_benchmark_to_notice() -> None:
    rng = np.random.default_rng(0)
    candidates = (rng.normal(size=(48, 3)).astype(np.float32), np.zeros((48, 4), np.float32))
    start = time.perf_counter()
    TasteModel.fit(embedder(), KEPT, REJECTED, SAMPLES).score(*candidates)
    assert time.perf_counter() - start < 2.0  # generous: the 20 ms target is measured in bench taste


def test_explaining_many_works_at_once_says_the_same_as_one_by_one() -> None:
    model = TasteModel.fit(embedder(), KEPT, REJECTED, SAMPLES)
    probe = works((2.0, 0.0, 0.0), (-2.0, 0.0, 0.0), (0.4, 0.1, 0.0))
    many = model.explain_many(*probe)
    assert many == [model.explain(probe[0][i], probe[1][i]) for i in range(3)]
    assert many[2].words.endswith("closest to one of your samples")


def test_words_that_are_not_comparatives_still_read_as_english() -> None:
    spec = FeatureSpec("melody", ("ending", "register", "contour"), ("ends at home", "higher", "rising"),
                       ("ends open", "lower", "falling"), raw_size=4)
    e = identity_embedder("melody", Standardiser.unit(3, 4), spec)
    kept = works((2.0, 1.0, 0.0), (2.1, 1.1, 0.0), (1.9, 0.9, 0.0))
    rejected = works((-2.0, -1.0, 0.0), (-2.1, -1.1, 0.0), (-1.9, -0.9, 0.0))
    model = TasteModel.fit(e, kept, rejected, None)
    words = model.explain(*(a[0] for a in works((2.0, 1.0, 0.0)))).words
    assert "higher than what you reject" in words and "ends at home, like what you keep" in words
    assert "ends at home than" not in words
    summary = model.summary().words[0]
    assert summary == "The melodies you keep: ends at home, higher. The ones you reject: ends open, lower."
