"""The numpy piano-roll thumbnail of a melody (drawn for the sample bin and the gallery)."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.melody import Melody, Note
from studio.ui.piano_roll_pixels import piano_roll


def tune(notes: list[tuple[int, int]]) -> Melody:
    """A melody of consecutive (pitch, ticks) notes."""
    built, now = [], 0
    for pitch, ticks in notes:
        built.append(Note(pitch, now, ticks))
        now += ticks
    return Melody(tuple(built))


C_MAJOR_SCALE = tune([(p, 24) for p in (60, 62, 64, 65, 67, 69, 71, 72)])
G_MAJOR_TUNE = tune([(67, 48), (71, 24), (74, 24), (72, 12), (71, 12), (69, 24), (66, 24), (67, 48),
                     (74, 24), (71, 24), (69, 24), (66, 24), (67, 72)])


def test_piano_roll_shape_and_determinism():
    image = piano_roll(G_MAJOR_TUNE, 96, 40)
    assert image.shape == (40, 96, 3) and image.dtype == np.uint8
    assert np.array_equal(image, piano_roll(G_MAJOR_TUNE, 96, 40))


def test_piano_roll_draws_notes_high_up_for_high_pitches():
    image = piano_roll(tune([(60, 48), (72, 48)]), 64, 30)
    dark = image.sum(axis=2) < 400
    low_rows = np.nonzero(dark[:, 5])[0]  # inside the first note
    high_rows = np.nonzero(dark[:, 40])[0]  # inside the second
    assert low_rows.size and high_rows.size
    assert high_rows.max() < low_rows.min()
    assert image[0, 0].tolist() == [246, 244, 239]  # light background


def test_piano_roll_of_an_empty_melody_is_background():
    image = piano_roll(Melody(()), 8, 4)
    assert (image == image[0, 0]).all()


@pytest.mark.parametrize("width, height", [(1, 1), (3, 200), (500, 2)])
def test_piano_roll_tiny_and_odd_sizes(width, height):
    assert piano_roll(G_MAJOR_TUNE, width, height).shape == (height, width, 3)


def test_piano_roll_rejects_empty_size():
    with pytest.raises(ValueError, match="at least 1x1"):
        piano_roll(C_MAJOR_SCALE, 0, 10)


def test_a_melody_with_chords_gets_a_chord_strip_along_the_bottom():
    from dataclasses import replace

    from studio.core.chord_text import parse_chords
    from studio.ui.piano_roll_pixels import chord_strip_height

    plain = tune([(p, 24) for p in (60, 62, 64, 65, 67, 69, 71, 72)] * 2)  # 4 bars of 4/4
    with_chords = replace(plain, chords=parse_chords("C | G | N | F", 96))
    image = piano_roll(with_chords, 96, 40)
    strip = chord_strip_height(40)
    bottom = image[-1]
    assert strip >= 2 and bottom[5].tolist() != [246, 244, 239]  # under the C chord
    assert bottom[5].tolist() != bottom[24 + 5].tolist()  # the next chord's tint differs
    assert bottom[48 + 5].tolist() == [246, 244, 239]  # N: no chord, no strip
    assert bottom[72 + 5].tolist() != [246, 244, 239]
    notes = image[:-strip].sum(axis=2) < 400
    assert notes.any() and not (image[-strip:].sum(axis=2) < 400).any()  # the notes stay above it
    tints = {tuple(bottom[5]), tuple(bottom[24 + 5])}
    assert not tints & {tuple(pixel) for pixel in piano_roll(plain, 96, 40)[-1]}  # no chords, no strip
    assert chord_strip_height(16) == 0  # too small a thumbnail for one
