"""A curated painting gallery in the window, end to end with the real engine: after keeps and rejects
Generate drafts paintings without their brushwork, the curator chooses, and the works shown arrive
finished (the samples' brushwork, their taste provenance, never a judged seed)."""

from __future__ import annotations

import pytest

from studio import engine
from studio.core.samples import Domain
from studio.core.works import WorkStatus
from studio.ui.commands import SetWorkStatusCommand
from tests.ui.conftest import wait_for_import

TIMEOUT = 120000  # the first use loads torch, the painting model and the taste weights


@pytest.mark.slow
def test_a_curated_painting_gallery_shows_finished_works_chosen_from_drafts(make_window, qtbot):
    w = make_window()
    paths = engine.demo_sample_paths(Domain.PAINTING)[:3]
    if len(paths) < 2 or not engine.generator_available(Domain.PAINTING):
        pytest.skip("the demo paintings or the painting generator are not installed")
    wait_for_import(qtbot, w, w.files.import_paths(paths), timeout=TIMEOUT)
    w.painting_controls.count.setValue(4)
    assert w.generation.generate() is not None
    qtbot.waitUntil(lambda: not w.generation.is_generating(), timeout=TIMEOUT)
    first = list(w.session.gallery_model.gallery)
    assert len(first) == 4 and not any("taste" in x.provenance for x in first)
    w.session.push(SetWorkStatusCommand(w.session.gallery_model, [0, 1], WorkStatus.KEPT))
    w.session.push(SetWorkStatusCommand(w.session.gallery_model, [3], WorkStatus.REJECTED))
    w.painting_controls.count.setValue(3)
    handle = w.generation.generate()
    assert handle is not None and "chosen for your taste" in handle.label
    qtbot.waitUntil(lambda: not w.generation.is_generating(), timeout=TIMEOUT)
    new = [x for x in w.session.gallery_model.gallery if "taste" in x.provenance]
    assert len(new) == 3 and all(x.provenance["taste"]["drafts"] >= 3 for x in new)
    assert not {x.seed for x in new} & {x.seed for x in first}
    for work in new:
        assert work.image is not None and work.image.dtype.name == "uint8"
        assert work.provenance["operation"] == "generate"
        assert work.provenance["taste"]["settings"]["texture"] == 1.0  # no longer drafted
        assert work.provenance["brushwork"] > 0  # drafted without it, shown with it
