"""PaintingGenerator.draft / finish_drafts: drafting up to the network, brushwork only on the works
chosen, gives exactly the works ``generate`` makes (the curated gallery's speed, issue 18)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.domains.painting.params import PaintingParams
from studio.progress import RecordingProgress

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _requests() -> list[tuple[PaintingParams, int, int]]:
    return [(PaintingParams(long_side=64, composition=0.3, texture=1.3, brushwork=0.8), 2, 11),
            (PaintingParams(long_side=64, composition=0.0, texture=0.7, brushwork=1.0), 2, 12),
            (PaintingParams(long_side=64, composition=0.5, texture=1.0, brushwork=0.0), 1, 13)]


def _generated(generator, adapted, samples, requests, exclude=frozenset()):
    """What drafting used to do: one generate call per request, each skipping the seeds before it."""
    used, out = set(exclude), []
    for params, count, seed in requests:
        works = generator.generate(adapted, samples, params, count, seed, exclude_seeds=frozenset(used))
        used.update(w.seed for w in works)
        out += works
    return out


def test_finished_drafts_are_exactly_the_generated_works(generator, samples):
    adapted = generator.instant(samples)
    expected = _generated(generator, adapted, samples, _requests(), frozenset({1, 2}))
    progress = RecordingProgress()
    drafts = generator.draft(adapted, samples, _requests(), progress, exclude_seeds=frozenset({1, 2}))
    assert len(progress.partials) == len(drafts) == len(expected)
    # the drafts come back in request order; finish them in another order: each is its own
    finished = generator.finish_drafts(samples, drafts[::-1])[::-1]
    for work, want, draft in zip(finished, expected, drafts):
        assert work.seed == want.seed and work.title == want.title
        assert work.provenance == want.provenance
        assert np.array_equal(work.image, want.image)
        assert draft.work.seed == want.seed and draft.work.image.shape == want.image.shape
    brushed = [i for i, (params, count, _) in enumerate(_requests()) for _ in range(count) if params.brushwork > 0]
    # the draft is the network's painting alone: the brushwork changes it
    assert any(not np.array_equal(drafts[i].work.image, finished[i].image) for i in brushed)
    # a draft without brushwork is already the finished work
    assert np.array_equal(drafts[-1].work.image, finished[-1].image)


def test_batched_network_pass_matches_one_at_a_time(generator, samples):
    adapted = generator.instant(samples)
    one = generator.draft(adapted, samples, _requests(), batch=1)
    many = generator.draft(adapted, samples, _requests(), batch=4)
    assert [d.work.seed for d in one] == [d.work.seed for d in many]
    for a, b in zip(one, many):
        assert float((a.painted - b.painted).abs().max()) < 1e-5
        assert int(np.abs(a.work.image.astype(int) - b.work.image.astype(int)).max()) <= 1


def test_drafting_stops_when_asked(generator, samples):
    adapted = generator.instant(samples)
    drafts = generator.draft(adapted, samples, _requests(), RecordingProgress(stop_after_partials=2), batch=1)
    assert len(drafts) == 2


def test_layouts_made_while_the_network_paints_change_nothing(generator, samples):
    adapted = generator.instant(samples)
    overlapped = generator.draft(adapted, samples, _requests())
    generator.draft_overlap = False
    try:
        in_turn = generator.draft(adapted, samples, _requests())
    finally:
        generator.draft_overlap = True
    assert [d.work.seed for d in overlapped] == [d.work.seed for d in in_turn]
    assert all(torch.equal(a.painted, b.painted) for a, b in zip(overlapped, in_turn))
