"""The engine's taste facade (issue 18): state in the project, feedback by round and Reset, the switch,
summary and explanations, curated generation, and saving / reopening the project."""

from __future__ import annotations

from dataclasses import replace

import pytest

from studio import engine
from studio.core.project import Project
from studio.core.samples import Domain
from studio.core.taste import TASTE_KEY, TasteState
from studio.core.works import WorkStatus
from studio.domains.melody.params import MelodyParams

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def made():
    samples = list(engine.import_samples(engine.demo_sample_paths(Domain.MELODY)[:3]).samples)
    adapted = engine.instant(samples)
    return samples, adapted, engine.generate(adapted, samples, MelodyParams(), 8, 4)


def project_with(made, judged: dict[int, WorkStatus]) -> Project:
    samples, _, works = made
    project = Project()
    for s in samples:
        project.samples.append(s)
    for w in works[:4]:
        project.gallery.append(w)
    engine.record_gallery(project, works[:4])
    for w in works[4:]:
        project.gallery.append(w)
    engine.record_gallery(project, works[4:])
    for index, status in judged.items():
        project.gallery.replace(index, replace(project.gallery[index], status=status))
    return project


def test_without_feedback_nothing_is_learnt(made) -> None:
    project = project_with(made, {})
    assert engine.taste_feedback(project) is None and not engine.curating(project)
    assert engine.explain_works(project, list(project.gallery)) == {}
    summary = engine.taste_summary(project)
    assert summary.liked == 0 and summary.rejected == 0
    assert engine.taste_summary(Project()).samples == 0  # an empty project too


def test_feedback_is_grouped_by_gallery_round(made) -> None:
    K, R = WorkStatus.KEPT, WorkStatus.REJECTED
    project = project_with(made, {0: K, 1: R, 5: K, 6: K, 7: R})
    assert engine.taste_state(project).round == 2 and engine.curating(project)
    fb = engine.taste_feedback(project)
    assert fb is not None and fb.round == 3 and len(fb.liked) == 3 and len(fb.rejected) == 2
    assert [(list(h.kept), list(h.rejected)) for h in fb.history] == [([0], [1]), ([1, 2], [3])]
    works = list(project.gallery)
    assert fb.liked_names == (works[0].id, works[5].id, works[6].id)
    assert fb.seeds == {works[i].seed for i in (0, 1, 5, 6, 7)}
    summary = engine.taste_summary(project)
    assert (summary.liked, summary.rejected, summary.samples) == (3, 2, 3) and summary.words
    explained = engine.explain_works(project, works[2:4])
    assert set(explained) == {works[2].id, works[3].id}
    assert all(isinstance(e.words, str) and -1 <= e.nearest_kept < 3 for e in explained.values())


def test_reset_forgets_earlier_galleries_but_keeps_the_statuses(made) -> None:
    project = project_with(made, {0: WorkStatus.KEPT, 1: WorkStatus.REJECTED})
    state = engine.taste_state(project)
    state.reset()
    engine.set_taste_state(project, state)
    assert engine.taste_feedback(project) is None and not engine.curating(project)
    assert project.gallery[0].status is WorkStatus.KEPT
    _, _, works = made
    engine.record_gallery(project, [])  # the next gallery: its works count again
    state = engine.taste_state(project)
    state.mark_shown([works[7].id], state.round)
    engine.set_taste_state(project, state)
    project.gallery.replace(7, replace(project.gallery[7], status=WorkStatus.KEPT))
    fb = engine.taste_feedback(project)
    assert fb is not None and fb.liked_names == (works[7].id,) and not fb.rejected


def test_the_switch_overrides_the_automatic_default(made) -> None:
    project = project_with(made, {0: WorkStatus.KEPT})
    state = engine.taste_state(project)
    state.enabled = False
    engine.set_taste_state(project, state)
    assert not engine.curating(project)
    state.enabled = True
    engine.set_taste_state(project, state)
    assert engine.curating(project)


def test_generate_with_taste_is_curated_and_without_is_unchanged(made) -> None:
    samples, adapted, works = made
    project = project_with(made, {0: WorkStatus.KEPT, 1: WorkStatus.KEPT, 2: WorkStatus.REJECTED})
    fb = engine.taste_feedback(project)
    curated = engine.generate(adapted, samples, MelodyParams(), 3, 9, taste=fb)
    assert len(curated) == 3 and all(w.provenance["taste"]["round"] == 3 for w in curated)
    plain = engine.generate(adapted, samples, MelodyParams(), 3, 9, taste=None)
    again = engine.generate(adapted, samples, MelodyParams(), 3, 9)
    assert [w.seed for w in plain] == [w.seed for w in again] and "taste" not in plain[0].provenance


def test_the_state_saves_and_reopens_with_the_project(made, tmp_path) -> None:
    project = project_with(made, {0: WorkStatus.KEPT, 3: WorkStatus.REJECTED})
    state = engine.taste_state(project)
    state.enabled = True
    state.reset()
    engine.set_taste_state(project, state)
    path = tmp_path / "p.mcs"
    engine.save_project(project, path)
    reopened = engine.open_project(path)
    assert engine.taste_state(reopened) == state
    project.settings[TASTE_KEY] = {"enabled": "hostile", "rounds": {"x": -1}, "round": "many"}
    engine.save_project(project, path)
    assert engine.taste_state(engine.open_project(path)) == TasteState()
