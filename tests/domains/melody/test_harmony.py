"""Harmony: metric classes, implied chords, the samples' chord style, progressions fitted to a
length, chord-tone shares, the progression's key."""

from __future__ import annotations

import math

import pytest

from studio.core.chord_text import format_chords, parse_chords
from studio.core.chords import Chord, ChordSpan
from studio.core.melody import KeySignature, Melody, Note
from studio.domains.melody.harmony import (
    BEAT, DEFAULT_STYLE, OFFBEAT, STRONG, beat_ticks, body_chords, chord_style, chord_tone_shares, fit_to_bars,
    implied_chords, metric_class, place_on_melody, progression_key,
)

BAR = 96


def arpeggios(text: str, passing: bool = False, key: KeySignature = KeySignature(0)) -> Melody:
    """Eighth notes over the major chords of ``text`` (one chord per bar): the chord's tones up
    and down; with ``passing`` the scale steps between them (every second note a passing tone)."""
    chords = parse_chords(text, BAR)
    notes = []
    for span in chords:
        assert span.chord is not None
        root = 60 + span.chord.root
        _, third, fifth = span.chord.intervals[:3]
        line = (0, 2, 4, 5, 7, 5, 4, 2) if passing else (0, third, fifth, third, 0, third, fifth, 12)
        for k, step in enumerate(line):
            notes.append(Note(root + step, span.start + 12 * k, 12))
    return Melody(tuple(notes), 100, (4, 4), key, 0, "arp", chords=chords)


def test_metric_classes() -> None:
    assert [metric_class(t, (4, 4)) for t in (0, 24, 48, 12, 6)] == [STRONG, BEAT, BEAT, OFFBEAT, OFFBEAT]
    assert beat_ticks((6, 8)) == 36 and metric_class(36, (6, 8)) == BEAT and metric_class(12, (6, 8)) == OFFBEAT
    assert beat_ticks((2, 2)) == 48 and metric_class(24, (2, 2)) == OFFBEAT
    assert beat_ticks((3, 4)) == 24


def test_implied_chords_hear_arpeggios() -> None:
    melody = arpeggios("C | F | G | Am")
    implied = implied_chords(melody, KeySignature(0))
    assert format_chords(implied, BAR) == "C | F | G | Am"


def test_implied_chords_split_a_bar_that_changes_halfway() -> None:
    notes = [Note(p, 12 * k, 12) for k, p in enumerate([60, 64, 67, 64, 65, 69, 72, 69])]
    implied = implied_chords(Melody(tuple(notes), key=KeySignature(0)))
    assert format_chords(implied, BAR) == "C F"


def test_chord_style_of_own_chords_and_implied() -> None:
    pure = chord_style([arpeggios("C | F | G | C")])
    assert not pure.implied and pure.notes == 32
    assert min(pure.chord_rate) > 0.85  # every note a chord tone (the prior keeps it below 1)
    passing = chord_style([arpeggios("C | F | G | C", passing=True)])
    assert passing.chord_rate[OFFBEAT] < 0.3 and passing.chord_rate[STRONG] > 0.85
    assert passing.step_in > 0.8 and passing.resolve > 0.8
    implied = chord_style([Melody(arpeggios("C | F | G | C").notes, key=KeySignature(0))])
    assert implied.implied and min(implied.chord_rate) > 0.85
    assert chord_style([]) == DEFAULT_STYLE  # nothing measured: the prior
    assert "chord_tones_downbeat" in pure.as_dict() and "chord_tones_by_duration" in pure.as_dict()


def test_chord_style_measures_the_share_of_all_the_time_on_chord_tones() -> None:
    """Half the time on passing tones: the overall rate sits near a half while the downbeat's is
    near 1, and it pools the per-position counts (the classes' priors pooled)."""
    passing = chord_style([arpeggios("C | F | G | C", passing=True)])
    assert passing.duration_rate == pytest.approx((16 + 4 * 2.0) / (32 + 12))
    assert passing.chord_rate[STRONG] - passing.duration_rate > 0.3
    pure = chord_style([arpeggios("C | F | G | C")])
    assert pure.duration_rate > 0.9


def test_chord_tone_shares() -> None:
    melody = arpeggios("C | F", passing=True)
    shares = chord_tone_shares(melody)
    assert shares["duration"] == pytest.approx(0.5)  # beats: 0 4 7 4, offbeats: 2 5 5 2
    assert shares["strong"] == pytest.approx(1.0)  # beats hold chord tones, the offbeats pass
    assert math.isnan(chord_tone_shares(melody, ())["duration"])


def test_fit_to_bars_repeats_and_cuts() -> None:
    spans = parse_chords("C | G | Am F", BAR)
    assert format_chords(fit_to_bars(spans, 8, BAR), BAR) == "C | G | Am F | C | G | Am F | C | G"
    assert format_chords(fit_to_bars(spans, 2, BAR), BAR) == "C | G"
    assert fit_to_bars((), 4, BAR) == ()
    half = (ChordSpan(Chord(0), 0, 48),)  # half a bar: rounds up to a bar, the rest is no chord
    assert format_chords(fit_to_bars(half, 2, BAR), BAR) == "C N | C N"


def test_place_on_melody_and_back() -> None:
    spans = parse_chords("C | G", BAR)
    placed = place_on_melody(spans, 24)
    assert placed[0].start == 24
    melody = Melody((Note(60, 0, 24), Note(62, 24, 96)), pickup=24, chords=placed)
    assert body_chords(melody) == spans


@pytest.mark.parametrize("text, key", [
    ("C | F | G7 | C", KeySignature(0)), ("Am | Dm | E7 | Am", KeySignature(9, "minor")),
    ("G | D | Em | C", KeySignature(7)), ("N", None),
])
def test_progression_key(text: str, key: KeySignature | None) -> None:
    assert progression_key(parse_chords(text, BAR)) == key
