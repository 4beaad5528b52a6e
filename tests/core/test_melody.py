"""studio.core.melody: the timing a melody's tempo gives (playback and MIDI ports use it)."""

from __future__ import annotations

import pytest

from studio.core.melody import TICKS_PER_QUARTER, Melody, Note


def test_seconds_per_tick_follows_the_tempo_and_its_scale():
    melody = Melody((Note(60, 0, TICKS_PER_QUARTER),), tempo_bpm=120.0)
    assert melody.seconds_per_tick() == pytest.approx(0.5 / TICKS_PER_QUARTER)
    assert melody.seconds_per_tick(2.0) == pytest.approx(0.25 / TICKS_PER_QUARTER)
    assert melody.seconds == pytest.approx(TICKS_PER_QUARTER * melody.seconds_per_tick())
