"""The loss curve's caption fits its width."""

from __future__ import annotations

from studio.ui.widgets.loss_curve import EMPTY_TEXT, MARGIN, LossCurve


def test_a_caption_too_wide_for_the_curve_is_elided_not_cut_mid_word(qtbot):
    curve = LossCurve()
    qtbot.addWidget(curve)
    curve.resize(200, 80)
    text = curve.label_text()
    assert text != EMPTY_TEXT and text.endswith("\u2026")
    assert curve.fontMetrics().horizontalAdvance(text) <= 200 - 2 * MARGIN
    curve.resize(800, 80)
    assert curve.label_text() == EMPTY_TEXT
    curve.grab()
