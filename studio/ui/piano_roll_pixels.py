"""A melody's mini piano roll as numpy pixels, for the sample bin's and the gallery's thumbnails.

Presentation, not analysis: :mod:`studio.ui.pixmaps` turns the array into a pixmap. Plain
numpy (no Qt), so it is tested without a display.
"""

from __future__ import annotations

import numpy as np

from studio.core.melody import Melody

_BACKGROUND = np.array([246, 244, 239], dtype=np.uint8)
_BAR_LINE = np.array([222, 218, 210], dtype=np.uint8)
_NOTE = np.array([52, 86, 150], dtype=np.uint8)
_CHORDS = (np.array([150, 178, 214], dtype=np.uint8), np.array([196, 212, 232], dtype=np.uint8))  # alternating


def chord_strip_height(height: int) -> int:
    """Rows of the chord strip along the bottom of a thumbnail ``height`` px tall (0: too small)."""
    return 0 if height < 24 else max(2, height // 20)


def piano_roll(melody: Melody, width: int, height: int) -> np.ndarray:
    """A ``height x width x 3`` uint8 thumbnail: notes as dark bars on a light background.

    Time spans the whole bars of the melody (faint bar lines where they fit); pitch spans the
    melody's range padded by two semitones and widened to at least an octave. A melody with
    chords gets a thin strip along the bottom, one tint per chord in turn (blank for "no
    chord"), so the harmonic rhythm shows at a glance.
    Raises ValueError for a size under 1x1.
    """
    if width < 1 or height < 1:
        raise ValueError(f"piano roll size must be at least 1x1, got {width}x{height}")
    image = np.empty((height, width, 3), dtype=np.uint8)
    image[:] = _BACKGROUND
    if not melody.notes:
        return image
    bar = melody.bar_ticks
    total = melody.pickup + max(1, -(-(melody.length_ticks - melody.pickup) // bar)) * bar
    if width >= 4 * (total // bar + 1):
        for tick in range(melody.pickup or bar, total, bar):
            image[:, tick * width // total] = _BAR_LINE
    low, high = melody.pitch_range
    low, high = low - 2, high + 2
    if high - low < 12:
        grow = 12 - (high - low)
        low, high = low - grow // 2, high + grow - grow // 2
    strip = chord_strip_height(height) if melody.chords else 0
    for i, span in enumerate(melody.chords if strip else ()):
        if span.chord is not None and span.start < total:
            x0, x1 = span.start * width // total, min(total, span.end) * width // total
            image[height - strip:, x0:max(x0 + 1, x1 - 1)] = _CHORDS[i % 2]  # a pixel apart
    height -= strip
    rows = high - low + 1
    for note in melody.notes:
        x0 = note.start * width // total
        gap = 1 if note.duration * width >= 3 * total else 0  # keeps repeated notes apart
        x1 = max(x0 + 1, note.end * width // total - gap)
        y0 = (high - note.pitch) * height // rows
        y1 = max(y0 + 1, (high - note.pitch + 1) * height // rows)
        image[y0:y1, x0:x1] = _NOTE
    return image
