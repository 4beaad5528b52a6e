"""Chord files for ``generate --chords-file``: chord text, MIDI chord tracks, lead sheets, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.chord_text import format_chords, parse_chords
from studio.core.melody import Melody, Note
from studio.errors import ChordTextError, SampleLoadError
from studio.io.chord_files import read_chords_file
from studio.io.midi import write_midi

LEADSHEETS = Path(__file__).resolve().parents[3] / "shared" / "data" / "leadsheets"


def test_chord_text_file(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text("\ufeffC | G |\nAm F | F\n", encoding="utf-8")
    found = read_chords_file(str(path), 96)
    assert (format_chords(found.chords, 96), found.time_signature, found.kind) == ("C | G | Am F | F", None, "text")


def test_midi_chord_track_counts_from_bar_1(tmp_path: Path) -> None:
    spans = parse_chords("Dm7 | G7 | Cmaj7", 72)
    melody = Melody((Note(67, 0, 24), Note(69, 24, 72)), 120.0, (3, 4), None, 24, "w",
                    chords=tuple(type(s)(s.chord, s.start + 24, s.duration) for s in spans))
    path = tmp_path / "w.mid"
    path.write_bytes(write_midi(melody))
    found = read_chords_file(str(path), 96)
    assert (format_chords(found.chords, 72), found.time_signature, found.kind) == ("Dm7 | G7 | Cmaj7", (3, 4), "midi")


@pytest.mark.parametrize("content, error, words", [
    (b"", SampleLoadError, "is empty"),
    (b"   \n", SampleLoadError, "is empty"),
    (bytes(range(256)), SampleLoadError, "neither chord text"),
    (b"C | G | Q7", ChordTextError, '"Q7" is not a chord'),
    (b"C " * 40_000, SampleLoadError, "too large for chord text"),
])
def test_bad_files_name_the_file_and_the_reason(tmp_path: Path, content: bytes, error: type, words: str) -> None:
    path = tmp_path / "bad.chords"
    path.write_bytes(content)
    with pytest.raises(error, match=words) as caught:
        read_chords_file(str(path), 96)
    assert "bad.chords" in str(caught.value)


@pytest.mark.skipif(not LEADSHEETS.is_dir(), reason="the lead sheets are not on this machine")
def test_a_lead_sheets_chord_symbols() -> None:
    path = next(LEADSHEETS.glob("*/*/*.mxl"))
    found = read_chords_file(str(path), 96)
    assert found.kind == "musicxml" and any(span.chord for span in found.chords)
    assert found.time_signature is not None and all(span.start >= 0 for span in found.chords)
