"""End to end through the window with the shipped melody model (no fakes): drop the demo tunes,
Adapt, and the gallery fills with valid melodies in the samples' meter."""

from __future__ import annotations

import pytest

from studio import engine
from studio.core.samples import Domain
from studio.io.midi import read_midi, write_midi
from tests.ui.conftest import wait_for_import

pytestmark = pytest.mark.skipif(not engine.generator_available(Domain.MELODY),
                                reason="the shipped melody model is not installed")


def test_adapt_with_the_shipped_model_fills_the_gallery(qtbot, make_window) -> None:
    w = make_window()
    wait_for_import(qtbot, w, w.files.import_paths(engine.demo_sample_paths(Domain.MELODY)))
    assert len(w.session.project.samples) == 4
    with qtbot.waitSignal(w.runner.sig_busy_changed, timeout=60000, check_params_cb=lambda busy: not busy):
        w.generation.adapt("reptile", "steps", 5)
    works = list(w.session.project.gallery)
    assert len(works) == 12
    assert len({work.seed for work in works}) == 12
    for work in works:
        assert work.provenance["model"] == "melody-reptile" and work.provenance["method"] == "reptile"
        melody = work.melody
        assert melody is not None and len(melody.notes) >= 8
        assert read_midi("roundtrip.mid", write_midi(melody)).notes == melody.notes
    assert w.generation.current_model() is not None and w.generation.current_model().steps == 5
