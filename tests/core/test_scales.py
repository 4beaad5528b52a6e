"""Scales: the eight scales, tolerant parsing, errors naming the problem, key signatures."""

from __future__ import annotations

import pytest

from studio.core.melody import KeySignature
from studio.core.scales import SCALE_NAMES, Scale, parse_scale
from studio.errors import ScaleError, StudioError


def test_scale_names_cover_the_issue() -> None:
    assert SCALE_NAMES == ("major", "natural minor", "harmonic minor", "dorian", "mixolydian",
                           "major pentatonic", "minor pentatonic", "blues")


@pytest.mark.parametrize("name, pcs", [
    ("major", {2, 4, 6, 7, 9, 11, 1}), ("natural minor", {2, 4, 5, 7, 9, 10, 0}),
    ("harmonic minor", {2, 4, 5, 7, 9, 10, 1}), ("dorian", {2, 4, 5, 7, 9, 11, 0}),
    ("mixolydian", {2, 4, 6, 7, 9, 11, 0}), ("major pentatonic", {2, 4, 6, 9, 11}),
    ("minor pentatonic", {2, 5, 7, 9, 0}), ("blues", {2, 5, 7, 8, 9, 0}),
])
def test_pitch_classes_of_d(name: str, pcs: set[int]) -> None:
    scale = Scale(2, name)
    assert scale.pitch_classes() == frozenset(pcs)
    assert all(scale.contains(pc + 60) for pc in pcs)


@pytest.mark.parametrize("text, tonic, name", [
    ("D dorian", 2, "dorian"), ("Dm", 2, "natural minor"), ("D minor", 2, "natural minor"),
    ("d dorian", 2, "dorian"), ("F# blues", 6, "blues"), ("B blues", 11, "blues"),
    ("Bb", 10, "major"), ("bb major", 10, "major"), ("Eb blues", 3, "blues"),
    ("  A  harmonic   minor ", 9, "harmonic minor"), ("G Mixolydian", 7, "mixolydian"),
    ("C major pentatonic", 0, "major pentatonic"), ("Am pentatonic", 9, "minor pentatonic"),
    ("E aeolian", 4, "natural minor"), ("F ionian", 5, "major"), ("f#m", 6, "natural minor"),
    ("D\u266d", 1, "major"),
])
def test_parse_is_tolerant(text: str, tonic: int, name: str) -> None:
    assert parse_scale(text) == Scale(tonic, name)


@pytest.mark.parametrize("text, words", [
    ("H dorian", "note A-G"), ("D lydian", 'unknown scale "lydian"'), ("", "no key given"),
    ("x" * 500, "characters long"), ("7", "note A-G"),
])
def test_errors_name_the_problem(text: str, words: str) -> None:
    with pytest.raises(ScaleError, match=words) as caught:
        parse_scale(text)
    assert isinstance(caught.value, StudioError)


def test_display_name_round_trips() -> None:
    for tonic in range(12):
        for name in SCALE_NAMES:
            scale = Scale(tonic, name)
            assert parse_scale(scale.display_name) == scale


def test_key_signature_has_the_scale_accidentals() -> None:
    assert Scale(2, "dorian").key_signature() == KeySignature(0, "major")
    assert Scale(7, "mixolydian").key_signature() == KeySignature(0, "major")
    assert Scale(9, "natural minor").key_signature() == KeySignature(9, "minor")
    for tonic in range(12):
        for name in SCALE_NAMES:
            scale = Scale(tonic, name)
            signature = scale.key_signature().scale()
            if name in ("major", "natural minor", "dorian", "mixolydian", "major pentatonic",
                        "minor pentatonic"):
                assert scale.pitch_classes() <= signature


def test_from_key() -> None:
    assert Scale.from_key(KeySignature(7, "minor")) == Scale(7, "natural minor")
    assert Scale.from_key(KeySignature(7, "minor")).pitch_classes() == KeySignature(7, "minor").scale()
