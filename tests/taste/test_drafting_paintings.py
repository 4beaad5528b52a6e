"""Curated painting galleries (studio.taste.drafting): drafts are painted up to the network only,
and the works shown get their brushwork afterwards: exactly the works the full pipeline paints for
those seeds and settings (issue 18's 4-s painting gallery)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from studio.domains.painting.generator import PaintingGenerator
from studio.domains.painting.model import PaintNet, PaintNetConfig
from studio.domains.painting.params import PaintingParams
from studio.domains.painting.weights import save_model
from studio.progress import RecordingProgress
from studio.taste import settings as taste_settings
from studio.taste.drafting import curate, feedback_from_items
from tests.domains.painting.conftest import as_sample, painting

pytestmark = pytest.mark.usefixtures("one_torch_thread")
PARAMS = PaintingParams(long_side=64)


class Spy:
    """A painting generator that records the drafting requests it gets."""

    def __init__(self, inner: PaintingGenerator) -> None:
        self.inner = inner
        self.requests: list[tuple[Any, int, int]] = []
        self.excluded: frozenset[int] = frozenset()
        self.finished = 0

    def draft(self, adapted, samples, requests, progress, exclude_seeds=frozenset(), batch=1):
        self.requests += list(requests)
        self.excluded = exclude_seeds
        return self.inner.draft(adapted, samples, requests, progress, exclude_seeds=exclude_seeds, batch=batch)

    def finish_drafts(self, samples, drafts, progress=None):
        self.finished += len(drafts)
        return self.inner.finish_drafts(samples, drafts)


class Plain:
    """A painting generator that only generates (the drafting path without network-only drafts)."""

    def __init__(self, inner: PaintingGenerator) -> None:
        self.inner = inner

    def generate(self, *args, **kwargs):
        return self.inner.generate(*args, **kwargs)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("models")
    torch.manual_seed(0)
    net = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))
    save_model(folder / "tiny", dict(net.named_parameters()), net.config, {"adapt": {"lr": 1e-3}})
    generator = PaintingGenerator("tiny", folder)
    samples = [as_sample(painting(i, (64, 80)), f"p{i}.png") for i in range(3)]
    adapted = generator.instant(samples)
    plain = generator.generate(adapted, samples, PARAMS, 4, 3)
    return generator, samples, adapted, plain


def test_the_works_shown_are_exactly_the_full_pipelines(setup) -> None:
    generator, samples, adapted, plain = setup
    feedback = feedback_from_items("painting", plain[:2], plain[2:], seeds=[w.seed for w in plain])
    spy, progress = Spy(generator), RecordingProgress()
    works, report = curate(adapted, samples, PARAMS, 4, 9, feedback, progress, draft_factor=3, generator=spy)
    assert len(works) == 4 and report.drafts == 12 and spy.finished == 4  # only the works shown are brushed
    assert [w.id for w in progress.partials] == [w.id for w in works]
    # the full pipeline: one generate call per settings group, each skipping the seeds before it
    expected: dict[int, np.ndarray] = {}
    used = set(spy.excluded)
    for params, count, seed in spy.requests:
        made = generator.generate(adapted, samples, params, count, seed, exclude_seeds=frozenset(used))
        used.update(w.seed for w in made)
        settings = {k: params.to_dict()[k] for k in ("composition", "texture", "brushwork")}
        expected.update({w.seed: (w, settings) for w in made})
    for work in works:
        made, settings = expected[work.seed]
        taste = work.provenance["taste"]
        assert {k: taste["settings"][k] for k in settings} == pytest.approx(settings)
        assert np.array_equal(work.image, taste_settings.painting_post(made.image, taste["settings"]))
        assert {k: v for k, v in work.provenance.items() if k != "taste"} == made.provenance
        assert taste["explanation"] and 0.0 <= taste["p_like"] <= 1.0


def test_a_generator_without_drafts_still_curates(setup) -> None:
    generator, samples, adapted, plain = setup
    feedback = feedback_from_items("painting", plain[:1], plain[3:], seeds=[w.seed for w in plain])
    works, report = curate(adapted, samples, PARAMS, 3, 4, feedback, draft_factor=2, generator=Plain(generator))
    assert len(works) == 3 and report.drafts == 6 and report.finish_seconds == 0.0


def test_a_chosen_draft_copying_a_liked_painting_is_dropped_once_finished(setup) -> None:
    generator, samples, adapted, plain = setup
    judged = frozenset(w.seed for w in plain)
    feedback = feedback_from_items("painting", plain[:2], [], seeds=judged)
    first, _ = curate(adapted, samples, PARAMS, 3, 21, feedback, draft_factor=1, generator=generator)
    # like those very works without excluding their seeds: the same three drafts come back, all copies,
    # found on the finished works; fresh drafts take their place
    liked = feedback_from_items("painting", first, [])
    spy = Spy(generator)
    works, report = curate(adapted, samples, PARAMS, 3, 21, liked, exclude_seeds=judged, draft_factor=1,
                           generator=spy)
    assert report.copies_dropped == 3 and len(works) == 3
    assert not {w.seed for w in works} & {w.seed for w in first}
    assert spy.finished == 6  # the three copies, checked as finished works, and the three shown


def test_texture_is_no_longer_drafted_but_keeps_its_column() -> None:
    rng = np.random.default_rng(0)
    drafted = taste_settings.draft_settings("painting", 20, rng, around=[{"texture": 1.4, "composition": 0.3}])
    assert {s["texture"] for s in drafted} == {1.0}
    assert len({s["composition"] for s in drafted}) > 1  # the others still vary
    vectors = taste_settings.settings_vector("painting", drafted)
    assert vectors.shape == (20, len(taste_settings.PAINTING_SETTINGS))  # the curator's weights expect 5 columns
    column = list(taste_settings.PAINTING_SETTINGS).index("texture")
    assert np.allclose(vectors[:, column], 0.0)  # the middle of the range it was trained over


def test_the_draft_calibration_maps_drafts_to_finished_descriptors(tmp_path) -> None:
    from studio.taste.describe import spec_for
    from studio.taste.draft_calibration import fit_calibration, load_calibration

    spec = spec_for("painting")
    rng = np.random.default_rng(1)
    di, dr = rng.normal(size=(40, spec.size)), rng.normal(size=(40, spec.raw_size))
    fi, fr = 0.5 + 2.0 * di, dr - 1.0
    calibration = fit_calibration([di[:20], di[20:]], [dr[:20], dr[20:]], [fi[:20], fi[20:]], [fr[:20], fr[20:]])
    ci, cr = calibration.apply(di, dr)
    assert np.allclose(ci, fi, atol=1e-4) and np.allclose(cr, fr, atol=1e-4)
    missing = load_calibration(tmp_path)
    assert missing.is_identity and "not installed" in missing.card["fallback_reason"]
    calibration.write({"command": "test"}, tmp_path)
    loaded = load_calibration(tmp_path)
    assert not loaded.is_identity and loaded.card == {"command": "test"}
    assert np.allclose(loaded.apply(di, dr)[0], fi, atol=1e-4)


def test_the_curator_reads_calibrated_drafts_and_the_shown_works_finished(setup, monkeypatch) -> None:
    from studio.taste import drafting
    from studio.taste.describe import spec_for
    from studio.taste.draft_calibration import DraftCalibration

    generator, samples, adapted, plain = setup
    spec = spec_for("painting")
    shifted = DraftCalibration.identity(spec.size, spec.raw_size)
    shifted = DraftCalibration(shifted.interp_scale, shifted.interp_shift + 100.0, shifted.raw_scale,
                               shifted.raw_shift)
    monkeypatch.setattr(drafting, "_CALIBRATION", shifted)
    seen = []

    class First:
        name = "first"

        def choose(self, view, rng):
            seen.append(view.candidates_interp.copy())
            return list(range(view.n_show))

    monkeypatch.setattr(drafting, "chooser_for", lambda domain, embedder: (First(), None))
    feedback = feedback_from_items("painting", plain[:2], plain[2:], seeds=[w.seed for w in plain])
    works, report = curate(adapted, samples, PARAMS, 2, 5, feedback, draft_factor=2, generator=generator)
    assert len(works) == 2 and report.chooser == "first" and not report.notes
    assert seen and (seen[0] > 50).all()  # every draft read through the calibration
    finished, _ = drafting.describe_items("painting", works)
    assert (finished < 50).all()  # the shown works' own descriptors: no calibration
