"""Live drafting (studio.taste.drafting): the curator chooses distinct works from more drafts, each
with its taste provenance, never a copy of a liked work, and a stop request is honoured."""

from __future__ import annotations

import pytest

from studio import engine
from studio.core.samples import Domain
from studio.domains.melody.params import MelodyParams
from studio.errors import Cancelled
from studio.progress import RecordingProgress
from studio.taste.drafting import TasteFeedback, curate, curated_generate, feedback_from_items

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def GEN():  # noqa: N802 - the engine's generator, loaded once
    return engine.generator_for(Domain.MELODY)


@pytest.fixture(scope="module")
def melody_setup():
    report = engine.import_samples(engine.demo_sample_paths(Domain.MELODY)[:3])
    samples = list(report.samples)
    adapted = engine.instant(samples)
    plain = engine.generate(adapted, samples, MelodyParams(), 4, 11)
    return adapted, samples, plain


def test_curated_melodies_are_distinct_with_taste_provenance(melody_setup) -> None:
    adapted, samples, plain = melody_setup
    feedback = feedback_from_items("melody", plain[:2], plain[2:], seeds=[w.seed for w in plain])
    progress = RecordingProgress()
    works, report = curate(adapted, samples, MelodyParams(), 4, 5, feedback, progress, draft_factor=2, generator=GEN())
    assert len(works) == 4 and len({w.seed for w in works}) == 4
    assert not {w.seed for w in works} & {w.seed for w in plain}  # a judged work's seed is never drafted again
    assert report.drafts == 8 and report.chooser and report.summary
    for work in works:
        taste = work.provenance["taste"]
        assert set(taste) >= {"score", "p_like", "settings", "explanation", "chooser", "round"}
        assert 0.0 <= taste["p_like"] <= 1.0 and isinstance(taste["explanation"], str) and taste["explanation"]
        assert set(taste["settings"]) == {"temperature", "density", "idioms", "register"}
    assert [w.id for w in progress.partials] == [w.id for w in works]  # streamed, drafts not shown
    assert any(m.startswith("Drafting 8 candidates") for m in progress.messages)
    from studio.domains.melody.metrics import is_copy

    support = GEN().style_of(samples).melodies  # as the plain gallery, no copy of a sample is shown
    assert not any(is_copy(w.melody, support) for w in works)
    assert all(0.0 <= f <= 1.0 for f in progress.fractions) and progress.fractions[-1] == 1.0
    scores = [w.provenance["taste"]["score"] for w in works]
    assert scores == sorted(scores, reverse=True) or report.chooser != "prototypes"


def test_a_draft_that_copies_a_liked_work_is_never_shown(melody_setup) -> None:
    adapted, samples, _ = melody_setup
    first = curated_generate(adapted, samples, MelodyParams(), 3, 21,
                             feedback_from_items("melody", [samples[0]], []), draft_factor=2,
                             generator=GEN())
    # Like those very works without excluding their seeds: the same drafts come back and are all copies.
    liked = feedback_from_items("melody", first, [])
    works, report = curate(adapted, samples, MelodyParams(), 3, 21, liked, draft_factor=2, generator=GEN())
    assert report.copies_dropped >= len(first) and len(works) == 3  # topped up with fresh drafts
    from studio.domains.melody.metrics import is_copy

    assert not any(is_copy(w.melody, [f.melody for f in first]) for w in works)


def test_a_stop_request_cancels_before_anything_is_shown(melody_setup) -> None:
    adapted, samples, plain = melody_setup
    progress = RecordingProgress()
    progress.request_stop()
    with pytest.raises(Cancelled):
        curate(adapted, samples, MelodyParams(), 3, 1, feedback_from_items("melody", plain[:1], []), progress,
               generator=GEN())
    assert progress.partials == []


def test_feedback_from_items_is_one_gallery_of_liked_then_rejected(melody_setup) -> None:
    _, _, plain = melody_setup
    fb = feedback_from_items("melody", plain[:1], plain[1:3], [{"temperature": 1.1}], ["a.mid"], ["b.mid", "c.mid"])
    assert isinstance(fb, TasteFeedback) and fb.has_feedback
    assert len(fb.history) == 1 and list(fb.history[0].kept) == [0] and list(fb.history[0].rejected) == [1, 2]
    assert fb.liked_settings == ({"temperature": 1.1},) and fb.liked_names == ("a.mid",)
    assert not TasteFeedback("melody").has_feedback


def test_row_controls_sample_each_draft_as_if_alone() -> None:
    """The drafts' one batch (each row its own controls) gives each plan what sampling it alone gives."""
    import torch

    from studio.domains.melody.model import MelodyNet, style_features
    from studio.domains.melody.representation import encode
    from studio.domains.melody.sampling import Plan, SamplingControls, sample_sequences
    from tests.domains.melody.conftest import TINY, tune

    torch.manual_seed(1)
    net = MelodyNet(TINY)
    features = style_features([encode(tune(1)), encode(tune(2))])
    plans = [Plan((4, 4), "major", 2, seed=s) for s in (3, 5, 9)]
    controls = [SamplingControls(temperature=0.7, pitch_range=(0, 7)), SamplingControls(temperature=1.4, density=0.5),
                SamplingControls(pitch_range=(-5, 5), density=-0.5)]
    batch = sample_sequences(net, features, plans, row_controls=controls)
    assert batch == [sample_sequences(net, features, [p], c)[0] for p, c in zip(plans, controls)]
    with pytest.raises(ValueError):
        sample_sequences(net, features, plans, row_controls=controls[:2])


def test_the_painting_copy_guard_catches_a_liked_painting_and_passes_others() -> None:
    from studio.core.works import Work
    from studio.taste.drafting import _copies
    from tests.domains.painting.conftest import painting

    liked, other = painting(0, (64, 80)), painting(1, (64, 80))
    works = [Work(Domain.PAINTING, 1, image=liked.copy()), Work(Domain.PAINTING, 2, image=other)]
    assert _copies("painting", works, [liked]) == [True, False]
    assert _copies("painting", works, []) == [False, False]
