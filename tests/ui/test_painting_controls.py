"""The painting controls alone (params, settings, reasons), and in the window: shown for painting
projects, their buttons and the Paintings menu disabled with a reason until a painting is chosen."""

from __future__ import annotations

import pytest

from studio import engine
from studio.core.samples import Domain
from studio.domains.painting.params import ASPECTS, PaintingParams
from studio.ui.panels.painting_controls import ACTIONS, PaintingControlsPanel, sample_defaults
from tests.ui.conftest import wait_for_import


@pytest.fixture
def panel(qtbot):
    p = PaintingControlsPanel()
    qtbot.addWidget(p)
    return p


def test_defaults_read_as_params(panel):
    assert panel.params() == PaintingParams()
    assert panel.generate_count() == 12 and panel.render_side() == 512
    assert panel.closeness_value() == pytest.approx(0.7) and panel.variation_count() == 4


def test_settings_round_trip_into_params(qtbot, panel):
    panel.count.setValue(5)
    panel.size_box.setCurrentIndex(panel.size_box.findData(512))
    panel.aspect.setCurrentIndex(list(ASPECTS).index("wide 16:9"))
    panel.composition.setValue(20)
    panel.texture.setValue(150)
    panel.brushwork.setValue(40)
    panel.closeness.setValue(30)
    panel.render_size.setCurrentIndex(panel.render_size.findData(1024))
    assert panel.params() == PaintingParams(long_side=512, aspect=16 / 9, composition=0.2, texture=1.5,
                                            brushwork=0.4)
    assert panel.brushwork_label.text() == "40 %"
    saved = panel.settings()
    other = PaintingControlsPanel()
    qtbot.addWidget(other)
    other.apply_settings({**saved, "unknown": 1, "texture": "oops"})
    assert other.params() == PaintingParams(long_side=512, aspect=16 / 9, composition=0.2, texture=1.0,
                                            brushwork=0.4)
    assert other.generate_count() == 5 and other.render_side() == 1024 and other.closeness_value() == 0.3


def test_buttons_show_why_they_are_off_and_like_the_samples_shows_the_aspect(panel, paintings):
    panel.set_availability({**dict.fromkeys(ACTIONS), "vary": "Select a painting in the gallery"})
    assert panel.buttons["generate"].isEnabled() and not panel.buttons["vary"].isEnabled()
    assert panel.buttons["vary"].toolTip().endswith("Select a painting in the gallery.")
    samples = engine.import_samples(paintings).samples
    assert sample_defaults(samples) == {"aspect": pytest.approx(40 / 30)}
    panel.set_sample_defaults(sample_defaults(samples))
    assert panel.aspect.itemText(0) == "like the samples (1.33:1 landscape)"


def test_minimum_size_is_sane(qtbot, panel):
    panel.show()
    qtbot.waitExposed(panel)
    hint = panel.minimumSizeHint().expandedTo(panel.minimumSize())
    assert 200 <= hint.width() <= 420 and hint.height() <= 600


@pytest.mark.skipif(not engine.generator_available(Domain.PAINTING), reason="no painting model installed")
def test_in_the_window_painting_controls_show_for_paintings_and_explain_what_is_off(qtbot, make_window,
                                                                                    paintings):
    w = make_window()
    wait_for_import(qtbot, w, w.files.import_paths([str(p) for p in paintings]))
    melody_dock, painting_dock = w.docks()[3], w.docks()[4]
    assert painting_dock.isVisible() and not melody_dock.isVisible()
    assert w.painting_actions.menu.menuAction().isVisible()
    buttons, actions = w.painting_controls.buttons, w.painting_actions
    assert buttons["generate"].isEnabled() and actions.generate.isEnabled()
    reasons = {"vary": "Select a painting in the gallery", "blend": "Select exactly two paintings",
               "render": "Select a painting in the gallery", "more": "Keep at least one painting first",
               "repaint": "brush the region to repaint"}
    for name, reason in reasons.items():
        assert not buttons[name].isEnabled() and reason in buttons[name].toolTip(), name
        assert not getattr(actions, name).isEnabled() and reason in getattr(actions, name).toolTip()
    assert not w.inspector.repaint_button.isEnabled()
    for button in w.melody_controls.buttons.values():
        assert "This project holds paintings" in button.toolTip()
    w.sample_bin.select_rows([0])  # a sample shows zoomable, but only a gallery painting takes a mask
    assert w.inspector.preview.source() is not None and not w.inspector.brush_button.isEnabled()
