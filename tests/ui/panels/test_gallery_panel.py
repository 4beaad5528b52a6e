"""The empty gallery's text follows what is installed: never "nothing can be generated" while
melodies can."""

from __future__ import annotations

from studio.core.samples import Domain
from studio.ui.panels.gallery_panel import EMPTY_HINT, READY_HINT, STEPS_HINT, empty_hint

MELODY_ONLY = (Domain.MELODY,)


def test_a_painting_project_with_only_the_melody_generator_installed_points_to_melodies():
    text = empty_hint(Domain.PAINTING, MELODY_ONLY)
    assert "No meta-trained painting generator" in text and "paintings cannot be generated" in text
    assert "melody generator" not in text and "Load Demo Melodies" in text


def test_each_state_of_the_empty_gallery():
    assert empty_hint(Domain.MELODY, MELODY_ONLY) == READY_HINT
    assert "No meta-trained painting generator" in empty_hint(None, MELODY_ONLY)
    assert empty_hint(None, ()) == EMPTY_HINT and "painting or melody generator" in EMPTY_HINT
    assert empty_hint(None, tuple(Domain)) == STEPS_HINT
    assert empty_hint(Domain.PAINTING, tuple(Domain)) == STEPS_HINT


def test_the_window_shows_the_hint_for_its_project(make_window, import_and_wait, paintings, monkeypatch):
    from studio import engine

    monkeypatch.setattr(engine, "generator_available", lambda domain: domain is Domain.MELODY)
    window = make_window()
    import_and_wait(window, paintings)
    assert window.gallery_panel.view.empty_hint() == empty_hint(Domain.PAINTING, MELODY_ONLY)
