"""The notation benchmark on tiny folders made in the test, and its skips when data is absent."""

from __future__ import annotations

import argparse
from pathlib import Path

from studio.bench import notation
from studio.core.chords import Chord, ChordSpan
from studio.core.melody import Melody, Note
from studio.io.musicxml_write import write_musicxml


def parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    notation.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_counts_imports_refusals_and_chords(tmp_path: Path) -> None:
    sheets = tmp_path / "sheets" / "Some_Writer" / "Song"
    sheets.mkdir(parents=True)
    melody = Melody((Note(60, 0, 48), Note(62, 48, 48)), chords=(ChordSpan(Chord(0), 0, 48), ChordSpan(Chord(7), 48, 48)))
    (sheets / "Song.musicxml").write_bytes(write_musicxml(melody))
    (sheets / "Broken.mxl").write_bytes(b"PK\x03\x04 not really a zip")
    books = tmp_path / "abc"
    books.mkdir()
    tunes = "".join(f'X:{i}\nT:Tune {i}\nM:4/4\nL:1/8\nK:G\n"G"GABc d4|"D"A8|]\n\n' for i in range(1, 121))
    (books / "big.abc").write_text(tunes + "X:999\nT:Bad\nK:C\nC ? D\n")
    result = notation.run(parsed("--leadsheets", str(tmp_path / "sheets"), "--abc-dir", str(books), "--runs", "1"))
    sheets_result = result["leadsheets"]
    assert (sheets_result["files"], sheets_result["imported"], sheets_result["refused"]) == (2, 1, 1)
    assert sheets_result["with_chord_symbols"] == 1 and sheets_result["chord_symbols"] == 2
    assert sheets_result["round_trip_same"] == 1 and sheets_result["round_trip_different"] == []
    [example] = sheets_result["refusal_examples"].values()
    assert "Broken.mxl" in example and "damaged" in example
    assert result["abc_books"]["tunes_imported"] == 120 and result["abc_books"]["tunes_refused"] == 1
    assert result["abc_books"]["tunes_with_chord_symbols"] == 120
    book = result["book_of_100"]
    assert book["samples"] == 100 and book["refused"] == 0 and isinstance(book["goal_met"], bool)


def test_skips_cleanly_without_data(tmp_path: Path) -> None:
    result = notation.run(parsed("--leadsheets", str(tmp_path / "none"), "--abc-dir", str(tmp_path), "--quick"))
    assert result["leadsheets"].startswith("skipped:")
    assert result["abc_books"].startswith("skipped:") and result["book_of_100"].startswith("skipped:")
