"""Chord text: parsing every symbol form, errors that point at the symbol, and the inverse."""

from __future__ import annotations

import pytest

from studio.core.chord_text import format_chords, parse_chords, parse_symbol
from studio.core.chords import QUALITIES, Chord, ChordSpan
from studio.errors import ChordTextError, StudioError

BAR = 96  # 4/4 at 24 ticks per quarter


def test_bars_and_even_split() -> None:
    spans = parse_chords("C | G | Am F | F", BAR)
    assert [(s.symbol, s.start, s.duration) for s in spans] == [
        ("C", 0, 96), ("G", 96, 96), ("Am", 192, 48), ("F", 240, 48), ("F", 288, 96),
    ]


def test_three_chords_split_a_bar_without_gaps() -> None:
    spans = parse_chords("C F G", 72)
    assert [s.start for s in spans] == [0, 24, 48]
    assert sum(s.duration for s in spans) == 72


@pytest.mark.parametrize("quality", list(QUALITIES))
def test_every_quality_parses(quality: str) -> None:
    (span,) = parse_chords(f"Eb{quality}", BAR)
    assert span.chord == Chord(3, quality)


@pytest.mark.parametrize("text, chord", [
    ("C#", Chord(1)), ("Db", Chord(1)), ("Bbm7", Chord(10, "m7")), ("C/E", Chord(0, "", 4)),
    ("F#m7b5/C", Chord(6, "m7b5", 0)), ("Cmin", Chord(0, "m")), ("C-7", Chord(0, "m7")),
    ("CM7", Chord(0, "maj7")), ("C\u00b0", Chord(0, "dim")), ("C+", Chord(0, "aug")),
    ("Csus", Chord(0, "sus4")), ("Cb", Chord(11)), ("E#", Chord(5)), ("am", Chord(9, "m")),
])
def test_spellings(text: str, chord: Chord) -> None:
    assert parse_symbol(text) == chord


def test_no_chord_repeat_and_whitespace() -> None:
    spans = parse_chords("  |C  G|%|N  Dm |\n", BAR)
    assert [s.symbol for s in spans] == ["C", "G", "C", "G", "N", "Dm"]
    assert spans[2].start == 96 and spans[4].chord is None


def test_empty_text_is_no_chords() -> None:
    assert parse_chords("", BAR) == ()
    assert parse_chords("  | ", BAR) == ()


@pytest.mark.parametrize("text, bar, position, symbol, words", [
    ("C | G | Hm", 3, 8, "Hm", "is not a chord (roots are A-G with # or b)"),
    ("C | Cxyz", 2, 4, "Cxyz", 'unknown chord quality "xyz"'),
    ("C/H", 1, 0, "C/H", 'bass "H"'),
    ("% | C", 1, 0, "%", "no bar before"),
    ("C | C %", 2, 6, "%", "must stand alone"),
    ("C || G", 2, 3, "", "the bar is empty"),
])
def test_errors_point_at_the_symbol(text: str, bar: int, position: int, symbol: str,
                                    words: str) -> None:
    with pytest.raises(ChordTextError) as caught:
        parse_chords(text, BAR)
    error = caught.value
    assert isinstance(error, StudioError)
    assert (error.bar, error.position, error.symbol) == (bar, position, symbol)
    assert f"bar {bar}" in str(error) and words in str(error)
    if symbol:
        assert text[position:position + len(symbol)] == symbol


def test_hostile_text_is_refused_with_a_reason() -> None:
    with pytest.raises(ChordTextError, match="characters long"):
        parse_chords("C " * 50_000, BAR)
    with pytest.raises(ChordTextError, match="bars"):
        parse_chords("C|" * 2000, BAR)
    with pytest.raises(ChordTextError, match="at most 16"):
        parse_chords("C " * 17, BAR)
    with pytest.raises(ChordTextError):
        parse_chords("\x00\x01", BAR)


@pytest.mark.parametrize("text", [
    "C | G | Am F | F", "C/E G7 Bbmaj7 N | F#m7b5 Ebdim7 Caug Dsus2 | Esus4 A6 Bm6 C9",
    "N | C C | Dm G C", "Am",
])
def test_format_is_the_inverse(text: str) -> None:
    spans = parse_chords(text, BAR)
    assert format_chords(spans, BAR) == text
    assert parse_chords(format_chords(spans, BAR), BAR) == spans


def test_format_spans_across_bars_and_gaps() -> None:
    spans = (ChordSpan(Chord(0), 0, 192), ChordSpan(Chord(7, "7"), 240, 48))
    assert format_chords(spans, BAR) == "C | C | N G7"
    assert format_chords((), BAR) == ""
