"""The taste words as structure and their one English rendering: every phrase kind and form is said
exactly as the studio has always written it (the CLI's report.json and the benchmarks read it),
and the taste model hands out the structure beside the English."""

from __future__ import annotations

import numpy as np
import pytest

from studio.taste import words as w
from studio.taste.embedding import identity_embedder
from studio.taste.features import FeatureSpec
from studio.taste.model import TasteModel
from studio.taste.people import Standardiser
from studio.taste.words import FeatureWord, Phrase, english, english_explanation
from tests.taste.phrase_cases import ENGLISH, HIGHER, HOME, M, P, WARMER

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.mark.parametrize("phrase, text", ENGLISH, ids=[f"{p.kind}-{i}" for i, (p, _) in enumerate(ENGLISH)])
def test_every_phrase_is_said_in_english_as_before(phrase: Phrase, text: str) -> None:
    assert english(phrase) == text


def test_the_table_covers_every_kind_and_form() -> None:
    kinds = {p.kind for p, _ in ENGLISH}
    assert kinds == set(w.EXPLANATION_KINDS) | set(w.SUMMARY_KINDS)
    forms = {(p.kind, p.listed, p.than_samples) for p, _ in ENGLISH if p.kind in (w.KEEP_ONLY, w.REJECT_ONLY)}
    assert len(forms) == 8


def test_an_explanation_joins_its_phrases_with_semicolons() -> None:
    phrases = [Phrase(w.THAN_REJECTED, (WARMER,)), Phrase(w.LIKE_KEPT, (HOME,)), Phrase(w.CLOSEST_KEPT)]
    assert english_explanation(phrases) == ("warmer than what you reject; ends at home, like what you keep; "
                                            "closest to a work you kept")
    assert english_explanation([]) == ""


def test_phrases_refuse_unknown_kinds_and_directions() -> None:
    with pytest.raises(ValueError, match="kind"):
        Phrase("warmest")
    with pytest.raises(ValueError, match="direction"):
        FeatureWord("warmth", "most", "warmest")


def test_comparatives_read_before_than_and_the_rest_with_like() -> None:
    phrases = w.compared([HIGHER, HOME, WARMER], w.THAN_REJECTED, w.LIKE_KEPT)
    assert phrases == [Phrase(w.THAN_REJECTED, (HIGHER, WARMER)), Phrase(w.LIKE_KEPT, (HOME,))]
    assert w.compared([HIGHER], None, w.LIKE_KEPT) == [Phrase(w.LIKE_KEPT, (HIGHER,))]
    assert w.before_noun("more muted") and w.before_noun("warmer") and not w.before_noun("ends at home")


def _model(spec: FeatureSpec, kept: bool, rejected: bool, samples: bool) -> TasteModel:
    e = identity_embedder(spec.domain, Standardiser.unit(spec.size, spec.raw_size), spec)
    rng = np.random.default_rng(spec.size)
    shift = np.zeros(spec.size, np.float32)
    shift[:3] = (2.0, -1.5, 1.0)

    def group(on: bool, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        if not on:
            return None
        return ((centre + 0.2 * rng.normal(size=(3, spec.size))).astype(np.float32),
                np.zeros((3, spec.raw_size), np.float32))
    return TasteModel.fit(e, group(kept, shift), group(rejected, -shift), group(samples, 0.2 * shift))


@pytest.mark.parametrize("spec", [M, P], ids=["melody", "painting"])
def test_the_model_gives_its_words_as_structure_and_in_english(spec: FeatureSpec) -> None:
    for kept, rejected, samples in ((1, 1, 1), (1, 0, 1), (0, 1, 0), (0, 0, 1)):
        model = _model(spec, bool(kept), bool(rejected), bool(samples))
        summary = model.summary()
        assert summary.words == tuple(english(p) for p in summary.phrases) and summary.phrases
        assert summary.phrases[-1].kind == (w.LEARNT_FROM if kept or rejected else w.NOTHING_LEARNT)
        probe = np.zeros((2, spec.size), np.float32)
        probe[0, :3], probe[1, :3] = (2.0, -1.5, 1.0), (-2.0, 1.5, -1.0)
        for e in model.explain_many(probe, np.zeros((2, spec.raw_size), np.float32)):
            assert e.words == english_explanation(e.phrases) and e.phrases
            named = [(f.feature, f.direction) for p in e.phrases for f in p.words]
            assert sorted(named) == sorted(e.contrasts)  # the features the words name drive the score
            assert all(f.word == (spec.more if f.direction == "more" else spec.less)[spec.names.index(f.feature)]
                       for p in e.phrases for f in p.words)


def test_the_models_structure_for_a_high_kept_low_rejected_melody() -> None:
    model = _model(M, True, True, True)
    probe = np.zeros((1, M.size), np.float32)
    probe[0, :3] = (2.0, -1.5, 1.0)
    e = model.explain(probe[0], np.zeros(M.raw_size, np.float32))
    assert e.phrases[0].kind == w.THAN_REJECTED and e.phrases[-1].kind == w.CLOSEST_KEPT
    assert e.words.startswith(english(e.phrases[0]))
    s = model.summary()
    assert s.phrases[0].kind == w.KEEP_REJECT and s.phrases[0].domain == "melody"
    assert [f.feature for f in s.phrases[0].words] == [f.feature for f in s.phrases[0].rejected]
    assert s.phrases[1] == Phrase(w.LEARNT_FROM, domain="melody", counts=(3, 3, 3))
