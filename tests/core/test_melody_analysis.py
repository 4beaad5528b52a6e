"""Key estimation (Krumhansl-Kessler) and melody facts."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.melody import KeySignature, Melody, Note
from studio.core.samples import bar_text
from studio.core.melody_analysis import (
    MAJOR_PROFILE,
    MINOR_PROFILE,
    estimate_key,
    key_correlations,
    melody_facts,
    pitch_class_histogram,
)


def tune(notes: list[tuple[int, int]], **fields) -> Melody:
    """A melody of consecutive (pitch, ticks) notes."""
    built, now = [], 0
    for pitch, ticks in notes:
        built.append(Note(pitch, now, ticks))
        now += ticks
    return Melody(tuple(built), **fields)


C_MAJOR_SCALE = tune([(p, 24) for p in (60, 62, 64, 65, 67, 69, 71, 72)])
A_MINOR_TUNE = tune([(69, 48), (72, 24), (76, 24), (74, 12), (72, 12), (71, 24), (69, 48), (68, 24),
                     (69, 24), (71, 24), (72, 24), (76, 48), (64, 24), (69, 72)])
G_MAJOR_TUNE = tune([(67, 48), (71, 24), (74, 24), (72, 12), (71, 12), (69, 24), (66, 24), (67, 48),
                     (74, 24), (71, 24), (69, 24), (66, 24), (67, 72)])
# An arpeggio that the profiles find nearly as much C major as A minor.
AMBIGUOUS = tune([(p, 24) for p in (57, 60, 64, 69, 67, 64, 60, 72)])


def test_histogram_weighs_pitch_classes_by_duration():
    histogram = pitch_class_histogram(tune([(60, 24), (72, 12), (67, 6)]))
    assert histogram[0] == 36 and histogram[7] == 6 and histogram.sum() == 42


@pytest.mark.parametrize(
    "melody, expected",
    [(C_MAJOR_SCALE, "C major"), (A_MINOR_TUNE, "A minor"), (G_MAJOR_TUNE, "G major")],
    ids=["c-major-scale", "a-minor-tune", "g-major-tune"],
)
def test_estimate_key(melody, expected):
    key, confidence = estimate_key(melody)
    assert key.name == expected
    assert 0.8 < confidence <= 1.0


def test_correlations_are_pearson_against_rotated_profiles():
    histogram = pitch_class_histogram(A_MINOR_TUNE)
    scores = dict(key_correlations(A_MINOR_TUNE))
    for tonic in (0, 9):
        expected = np.corrcoef(histogram, np.roll(MINOR_PROFILE, tonic))[0, 1]
        assert scores[KeySignature(tonic, "minor")] == pytest.approx(expected)
    expected = np.corrcoef(histogram, np.roll(MAJOR_PROFILE, 4))[0, 1]
    assert scores[KeySignature(4, "major")] == pytest.approx(expected)


def test_transposition_moves_the_key():
    up_a_fifth = Melody(tuple(Note(n.pitch + 7, n.start, n.duration) for n in C_MAJOR_SCALE.notes))
    assert estimate_key(up_a_fifth)[0] == KeySignature(7, "major")


def test_key_correlations_rank_all_24_keys():
    ranked = key_correlations(A_MINOR_TUNE)
    assert len(ranked) == 24 and len({key for key, _ in ranked}) == 24
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)


def test_no_notes_gives_zero_correlations():
    assert estimate_key(Melody(())) == (KeySignature(0, "major"), 0.0)


def test_melody_facts():
    melody = tune([(62, 36), (66, 12), (69, 24), (74, 72)], tempo_bpm=96.0, time_signature=(6, 8),
                  notices=("chords reduced to the top line",))
    facts = melody_facts(melody)
    assert facts.key == "D major" and facts.key_confidence > 0.5
    assert (facts.tempo_bpm, facts.meter, facts.bars, facts.notes) == (96.0, "6/8", 2, 4)
    assert (facts.lowest, facts.highest) == (62, 74)
    assert facts.seconds == pytest.approx(144 / 24 * 60 / 96)
    assert facts.notices == ("chords reduced to the top line",)
    assert not facts.pickup and facts.bar_text() == "2 bars" and facts.bar_text(unit=False) == "2"
    lifted = melody_facts(Melody((Note(60, 0, 12),) + tuple(Note(n.pitch, n.start + 12, n.duration)
                                                             for n in melody.notes), time_signature=(6, 8),
                                 pickup=12))
    assert lifted.pickup and lifted.bars == 3 and lifted.bar_text() == "2 bars + pickup"
    assert bar_text(2, True) == "1 bar + pickup" and bar_text(1, False, unit=False) == "1"


def test_a_plausible_key_signature_is_preferred():
    assert estimate_key(AMBIGUOUS)[0].name == "A minor"
    facts = melody_facts(Melody(AMBIGUOUS.notes, key=KeySignature(0, "major")))
    assert facts.key == "C major"
    assert facts.notices == ()


def test_an_implausible_key_signature_is_reported_in_a_notice():
    facts = melody_facts(Melody(C_MAJOR_SCALE.notes, key=KeySignature(3, "major")))
    assert facts.key == "C major"
    assert facts.notices == ("the key signature says Eb major, the notes suggest C major",)


def test_facts_of_an_empty_melody():
    facts = melody_facts(Melody(()))
    assert (facts.key, facts.key_confidence, facts.notes, facts.bars) == ("unknown", 0.0, 0, 0)



def test_a_modal_tune_on_its_signatures_notes_gets_no_disagreement_notice():
    # D dorian (D E F G A B C) under a C major signature: the notes suggest D minor, but every
    # note is on the signature's scale, so the signature is right for the tune.
    from studio.core.melody import KeySignature, Melody, Note
    from studio.core.melody_analysis import melody_facts

    line = [62, 65, 69, 67, 65, 64, 62, 60, 62, 69, 71, 72, 69, 65, 64, 62]
    notes = tuple(Note(p, i * 12, 12) for i, p in enumerate(line))
    facts = melody_facts(Melody(notes=notes, key=KeySignature(0, "major")))
    assert not any("the notes suggest" in n for n in facts.notices)
    off_scale = tuple(Note(p + (1 if p == 65 else 0), i * 12, 12) for i, p in enumerate(line))
    facts = melody_facts(Melody(notes=off_scale, key=KeySignature(0, "major")))
    assert any("the notes suggest" in n for n in facts.notices)
