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
