"""The adaptation panel says what the gradient steps buy (painting: nothing measurable yet)."""

from __future__ import annotations

import pytest

from studio import engine
from studio.core.samples import Domain
from studio.tasks import TaskRunner
from studio.ui.panels.adaptation_panel import STEPS_EFFECT, AdaptationPanel


@pytest.fixture
def panel(qtbot):
    runner = TaskRunner()
    widget = AdaptationPanel(runner)
    qtbot.addWidget(widget)
    yield widget
    runner.shutdown()


def test_painting_adapt_names_the_measured_effect_of_its_steps(panel):
    panel.show()
    panel.set_domain(Domain.PAINTING)
    if not engine.generator_available(Domain.PAINTING):
        pytest.skip("no painting model installed")
    text = STEPS_EFFECT[Domain.PAINTING]
    assert "+0.02 \u00b1 0.02" in text and "instant start" in text
    assert panel.effect.isVisible() and panel.effect.text() == text
    assert text in panel.adapt_button.toolTip()
    panel.set_domain(Domain.MELODY)  # melody steps were chosen on validation episodes: nothing to warn of
    assert not panel.effect.isVisible() and "instant start" not in panel.adapt_button.toolTip()
    panel.set_domain(None)
    assert not panel.effect.isVisible()
