"""Melody JSON (project files): chords are kept, old files without them load, bad chords are named."""

from __future__ import annotations

import json

import pytest

from studio.core.chord_text import parse_chords
from studio.core.melody import KeySignature, Melody, Note
from studio.io.melody_json import melody_from_dict, melody_to_dict


def test_chords_round_trip_through_json() -> None:
    melody = Melody((Note(60, 0, 24), Note(64, 24, 72)), 90.0, (4, 4), KeySignature(9, "minor"), 0, "m",
                    chords=parse_chords("Am | F#m7b5/C N | E7 | %", 96))
    data = json.loads(json.dumps(melody_to_dict(melody)))
    assert data["chords"][0] == {"chord": "Am", "start": 0, "duration": 96}
    assert melody_from_dict(data) == melody


def test_a_file_from_before_chords_loads_without_them() -> None:
    data = melody_to_dict(Melody((Note(60, 0, 24),)))
    del data["chords"]
    assert melody_from_dict(data).chords == ()


@pytest.mark.parametrize("chords, words", [
    ("C", "must be a list"),
    ([{"chord": "Hm", "start": 0, "duration": 96}], 'chord 0: "Hm" is not a chord'),
    ([{"chord": "C", "start": "0", "duration": 96}], "chord 0 start must be an integer"),
    ([["C", 0, 96]], "chord 0 must be"),
    ([{"chord": "C", "start": 0, "duration": 96}, {"chord": "G", "start": 48, "duration": 96}], "overlap"),
    ([{"chord": "C", "start": 0, "duration": 0}], "duration"),
])
def test_bad_chords_are_refused_with_the_reason(chords, words: str) -> None:
    data = melody_to_dict(Melody((Note(60, 0, 24),)))
    data["chords"] = chords
    with pytest.raises(ValueError, match=words):
        melody_from_dict(data)
