"""ABC tune books: one melody per tune, each tune refused alone with its X: and title."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.chords import Chord, ChordSpan
from studio.core.melody import KeySignature
from studio.errors import SampleLoadError
from studio.io.abc import parse_key, parse_meter, parse_tempo, read_abc, read_abc_book, sniff_abc

BOOK = """%abc-2.1
% a small book; L: here applies to every tune
L:1/8

X:1
T:The Kesh
R:jig
M:6/8
Q:3/8=100
K:G
D|"G"GAG GAB|"D"ABA ABd|]

X:2
T:Broken and tied
M:4/4
K:Ddor
"Dm"A>B c<d (3efg a2|[df]2 ^c2 c2 z2|d4-d4|]

X:3
T:Bad note
K:C
C D E ? F

X:4
T:No key
C D E
"""


def write(tmp_path: Path, text: str | bytes, name: str = "book.abc") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def notes(melody) -> list[tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    return [(n.pitch, n.start, n.duration) for n in melody.notes]


def test_a_book_gives_one_melody_per_tune_and_refuses_bad_tunes_alone(tmp_path: Path) -> None:
    path = write(tmp_path, BOOK)
    book = read_abc_book(path)
    assert [(t.number, t.title, t.key_text, t.meter_text) for t in book.tunes] == [
        ("1", "The Kesh", "G", "6/8"), ("2", "Broken and tied", "Ddor", "4/4")]
    assert [str(e) for e in book.refused] == [
        f"{path}: tune X:3 (Bad note), line 22: column 7: unexpected character '?'",
        f"{path}: tune X:4 (No key), line 24: has no K: line, so no body",
    ]
    assert [m.name for m in read_abc(path)] == ["The Kesh", "Broken and tied"]
    # each tune's own text (the book's header, then the tune) reads back as that tune alone
    alone = read_abc_book(write(tmp_path, book.tunes[1].text, "alone.abc"))
    assert alone.tunes[0].melody == book.tunes[1].melody and not alone.refused


def test_header_fields_pickup_and_chord_symbols(tmp_path: Path) -> None:
    kesh = read_abc(write(tmp_path, BOOK))[0]
    assert kesh.key == KeySignature(7, "major")
    assert kesh.time_signature == (6, 8)
    assert kesh.tempo_bpm == 150  # 100 dotted quarters a minute
    assert kesh.pickup == 12  # the D before the first bar line
    assert notes(kesh)[:4] == [(62, 0, 12), (67, 12, 12), (69, 24, 12), (67, 36, 12)]
    assert kesh.chords == (ChordSpan(Chord(7), 12, 72), ChordSpan(Chord(2), 84, 72))


def test_broken_rhythm_triplets_chords_accidentals_ties_and_modes(tmp_path: Path) -> None:
    tune = read_abc(write(tmp_path, BOOK))[1]
    assert tune.key == KeySignature(2, "minor")  # D dorian kept as D minor, its signature exact
    assert any("dor" in n for n in tune.notices)
    assert notes(tune) == [
        (69, 0, 18), (71, 18, 6), (72, 24, 6), (74, 30, 18),  # A>B c<d
        (76, 48, 8), (77, 56, 8), (79, 64, 8), (81, 72, 24),  # (3efg a2
        (77, 96, 24), (73, 120, 24), (73, 144, 24),  # [df]2 -> f; ^c keeps its sharp in the bar
        (74, 192, 96)]  # d4-d4 tied
    assert tune.chords == (ChordSpan(Chord(2, "m"), 0, 288),)


def test_octaves_lengths_accidentals_and_bar_reset(tmp_path: Path) -> None:
    text = "X:1\nT:t\nM:4/4\nL:1/4\nK:F\nC, c c' B ^F F | F =B B2 | C/ C// C3/2 C/4 z C>>C |]\n"
    melody = read_abc(write(tmp_path, text))[0]
    assert [n.pitch for n in melody.notes][:9] == [48, 72, 84, 70, 66, 66, 65, 71, 71]
    assert [n.duration for n in melody.notes][9:] == [12, 6, 36, 6, 42, 6]


def test_decorations_graces_annotations_voices_and_continuations(tmp_path: Path) -> None:
    text = ('X:7\nT:Deco\nM:2/4\nL:1/8\nK:Amix\nV:1\n!trill!A {g}B ~c "^Allegro"d "Fine"e |\\\n'
            ' "E7"TfuvH g2 |]\nV:2\nC,4|C,4|]\n')
    melody = read_abc(write(tmp_path, text))[0]
    assert [n.pitch for n in melody.notes] == [69, 71, 73, 74, 76, 78, 79]  # G natural in A mixolydian
    assert melody.chords == (ChordSpan(Chord(4, "7"), 60, 36),)
    assert any("grace" in n for n in melody.notices)
    assert any("not chords" in n for n in melody.notices)


@pytest.mark.parametrize(("text", "key", "sharps"), [
    ("G", KeySignature(7), {"F": 1}), ("Am", KeySignature(9, "minor"), {}),
    ("Bb", KeySignature(10), {"B": -1, "E": -1}), ("E dorian", KeySignature(4, "minor"), {"F": 1, "C": 1}),
    ("C# minor", KeySignature(1, "minor"), {"F": 1, "C": 1, "G": 1, "D": 1}), ("none", None, {}),
])
def test_keys(text: str, key: KeySignature | None, sharps: dict[str, int]) -> None:
    parsed, signature, _ = parse_key(text)
    assert parsed == key and signature == sharps


def test_meters_and_tempos() -> None:
    assert parse_meter("C")[0] == (4, 4) and parse_meter("C|")[0] == (2, 2)
    assert parse_meter("(2+3)/8")[0] == (5, 8)
    assert parse_meter("none")[0] is None
    assert parse_meter("FREI6/8") == ((6, 8), "free meter (M:FREI6/8) read as 6/8")
    assert parse_tempo("1/4=120", 1 / 8) == 120  # type: ignore[arg-type]
    assert parse_tempo('"Allegro" 1/2=60', 1 / 8) == 120  # type: ignore[arg-type]


def test_whole_file_refusals_name_the_file(tmp_path: Path) -> None:
    for text, match in [("just some text\n", "no tune found"), ("X:1\nT:a\nK:C\n?\n", "no tune could be read"),
                        (b"X:1\x00\x01", "binary")]:
        path = write(tmp_path, text)
        with pytest.raises(SampleLoadError, match=match) as caught:
            read_abc(path)
        assert caught.value.path == str(path)


def test_latin1_books_and_sniffing(tmp_path: Path) -> None:
    data = "X:1\nT:Caf\u00e9\nK:C\nCDEF|\n".encode("latin-1")
    assert sniff_abc(data) and sniff_abc(b"%abc-2.1\n") and not sniff_abc(b"K: only\n")
    melody = read_abc(write(tmp_path, data))[0]
    assert melody.name == "Caf\u00e9" and any("Latin-1" in n for n in melody.notices)
