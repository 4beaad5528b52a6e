"""The File commands: the demo question's wording, and project files dropped on the window."""

from __future__ import annotations

from studio.core.samples import Domain
from tests.ui.test_main_window import drop_event


def test_switching_to_the_demo_melodies_asks_in_plain_english(make_window, import_and_wait, paintings, qtbot):
    window = make_window()
    import_and_wait(window, paintings)
    window.files.load_demo(Domain.MELODY)
    qtbot.waitUntil(lambda: not window.files.is_importing(), timeout=20000)
    question = next(q for q in window.prompts.asked if q.startswith("yes_no:"))
    assert "demo melodies?" in question and "melodys" not in question
    assert window.session.project.domain is Domain.MELODY


def test_domain_plurals():
    assert (Domain.MELODY.plural, Domain.PAINTING.plural) == ("melodies", "paintings")


def test_a_project_file_dropped_on_the_window_or_the_bin_opens_it(make_window, import_and_wait, paintings, tmp_path,
                                                                   qtbot):
    window = make_window()
    import_and_wait(window, paintings)
    path = tmp_path / "Saved.mcs"
    assert window.files.save_to(str(path)) and window.files.new_project()
    window.dropEvent(drop_event([path]))
    assert window.session.path == str(path) and window.session.sample_model.rowCount() == 3
    assert not window.files.is_importing() and not window.feedback.has_shown_problems()  # opened, not "imported" as a bad sample
    assert window.files.new_project()
    window.sample_bin.view.dropEvent(drop_event([path]))
    assert window.session.path == str(path)


def test_melody_panel_shows_only_for_melody_projects(qtbot, make_window, paintings, melodies) -> None:
    from tests.ui.conftest import wait_for_import

    w = make_window()
    melody_dock = w.docks()[3]
    wait_for_import(qtbot, w, w.files.import_paths([str(p) for p in paintings]))
    assert not melody_dock.isVisible()
    w.files.new_project()
    wait_for_import(qtbot, w, w.files.import_paths([str(p) for p in melodies]))
    assert melody_dock.isVisible()
