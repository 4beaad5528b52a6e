"""Every panel alone: generic checks (shows cleanly, sane minimum size), then each one's job."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from studio import engine
from studio.core.samples import Domain, SampleSet
from studio.meta.registry import ADAPTATION_METHODS
from studio.tasks import TaskRunner
from studio.ui.models.gallery_model import GalleryModel
from studio.ui.models.sample_model import SampleListModel
from studio.ui.panels.adaptation_panel import AdaptationPanel, format_eta
from studio.ui.panels.gallery_panel import GalleryPanel
from studio.ui.panels.inspector import InspectorPanel
from studio.ui.panels.sample_bin import SampleBin


@pytest.fixture
def runner(qtbot):
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


PANELS = {
    "sample bin": lambda runner: SampleBin(SampleListModel()),
    "gallery": lambda runner: GalleryPanel(GalleryModel()),
    "inspector": lambda runner: InspectorPanel(),
    "adaptation": lambda runner: AdaptationPanel(runner),
}


@pytest.mark.parametrize("name", PANELS)
def test_every_panel_shows_cleanly_with_a_sane_minimum_size(qtbot, runner, name):
    panel = PANELS[name](runner)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    hint = panel.minimumSizeHint().expandedTo(panel.minimumSize())
    assert 100 <= hint.width() <= 420 and 100 <= hint.height() <= 480, hint
    panel.resize(hint)  # squeezed to its minimum it still lays out and paints
    panel.grab()


def test_adaptation_panel_lists_the_registry_and_explains_why_adapt_is_off(qtbot, runner):
    panel = AdaptationPanel(runner)
    qtbot.addWidget(panel)
    names = [panel.method.itemData(i) for i in range(panel.method.count())]
    assert sorted(names) == sorted(ADAPTATION_METHODS)
    for i, name in enumerate(names):
        assert panel.method.itemData(i, Qt.ItemDataRole.ToolTipRole) == ADAPTATION_METHODS[name].description
    panel.set_domain(None)
    assert not panel.adapt_button.isEnabled()
    assert "Add a few samples first" in panel.adapt_button.toolTip()
    assert panel.reason.text() == panel.adapt_button.toolTip()
    panel.set_domain(Domain.PAINTING)
    assert panel.adapt_button.isEnabled() is engine.generator_available(Domain.PAINTING)
    panel.set_domain(Domain.MELODY)  # the shipped melody model was meta-trained with Reptile
    assert panel.adapt_button.isEnabled()
    assert [panel.method.itemData(i) for i in range(panel.method.count())] == ["reptile", "anil"]
    panel.by_time.setChecked(True)
    assert panel.seconds.isEnabled() and not panel.steps.isEnabled()
    assert panel.settings()["budget"] == "seconds"
    panel.apply_settings({"method": "anil", "budget": "steps", "steps": 12})
    assert panel.settings() == {"method": "anil", "budget": "steps", "steps": 12, "seconds": 30.0}


def test_adaptation_panel_follows_any_task_and_cancels_it(qtbot, runner):
    panel = AdaptationPanel(runner)
    qtbot.addWidget(panel)

    def slow(progress):
        for i in range(200):
            progress.report_progress(i / 200, f"step {i}")
            if progress.should_stop():
                return
            time.sleep(0.005)

    handle = runner.start("Long task", slow)
    with qtbot.waitSignal(handle.sig_progress, timeout=5000):
        pass
    qtbot.waitUntil(lambda: panel.status.text().startswith("step"), timeout=5000)
    assert panel.cancel_button.isEnabled()
    with qtbot.waitSignal(handle.sig_cancelled, timeout=5000):
        panel.cancel_button.click()
    assert panel.status.text() == "Long task: cancelled; nothing was changed."
    assert not panel.cancel_button.isEnabled()


@pytest.mark.parametrize(("seconds", "text"), [(-1, ""), (0.2, "about 1 s left"), (42, "about 42 s left"),
                                                (125, "about 2 min 05 s left")])
def test_format_eta(seconds, text):
    assert format_eta(seconds) == text


def test_inspector_shows_a_paintings_facts_and_palette(qtbot, paintings):
    sample = engine.import_samples(paintings[:1]).samples[0]
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_sample(sample)
    text = panel.facts.text()
    assert "40 \u00d7 30 px" in text and "PNG" in text and "RGB" in text
    assert panel.swatches.palette_colours() == sample.facts.palette and panel.swatches.isVisible()
    assert panel.preview.source() is not None
    panel.show_nothing()
    assert panel.preview.source() is None and not panel.swatches.isVisible()


def test_inspector_shows_a_melodys_facts_and_piano_roll(qtbot, melodies):
    sample = engine.import_samples(melodies[:1]).samples[0]
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_sample(sample)
    text = panel.facts.text()
    for label in ("Key", "Tempo", "Meter", "Bars", "Notes", "Range"):
        assert f"<b>{label}</b>" in text
    assert "C major" in text and "100 BPM" in text and "C4 \u2013 C5" in text
    assert not panel.swatches.isVisible()
    assert panel.piano_roll.melody() is sample.melody and panel.piano_roll.isVisible()
    assert panel.play_button.isVisible() and panel.preview.source() is None


def test_sample_bin_header_and_empty_hint(qtbot, paintings):
    model = SampleListModel(SampleSet())
    panel = SampleBin(model)
    qtbot.addWidget(panel)
    assert panel.view.is_showing_hint() and panel.header.text() == "No samples yet"
    model.insert_samples(0, list(engine.import_samples(paintings).samples))
    assert not panel.view.is_showing_hint() and panel.header.text() == "3 paintings"
    panel.select_rows([0, 2])
    assert panel.selected_rows() == [0, 2]


def test_gallery_panel_empty_state_explains_what_comes(qtbot):
    panel = GalleryPanel(GalleryModel())
    qtbot.addWidget(panel)
    assert panel.view.is_showing_hint()
    assert "No meta-trained painting or melody generator is installed yet" in panel.view.empty_hint()


def test_adaptation_panel_shows_the_newest_task_not_the_one_it_superseded(qtbot, runner):
    import threading

    panel = AdaptationPanel(runner)
    qtbot.addWidget(panel)
    release = threading.Event()
    old = runner.start("Old task", lambda p: release.wait(5))
    with qtbot.waitSignal(old.sig_started, timeout=5000):
        pass
    new = runner.start("New task", lambda p: p.report_progress(0.5, "new half way"))
    release.set()
    with qtbot.waitSignals([old.sig_cancelled, new.sig_finished], order="strict", timeout=5000):
        pass
    assert panel.status.text() == "New task: done."  # the old task's cancel never showed over it
