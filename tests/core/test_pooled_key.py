"""The pooled key of several melodies (issue 19): every sample counts equally, the key that fits
all their notes wins, and the share of notes in a scale."""

from __future__ import annotations

import math

import numpy as np

from studio.core.melody import KeySignature, Melody, Note
from studio.core.melody_analysis import (
    estimate_key, in_scale_share, key_of_histogram, pooled_histogram, pooled_key,
)


def scale_run(tonic: int, mode: str, repeats: int = 1, length: int = 12) -> Melody:
    steps = (0, 2, 4, 5, 7, 9, 11, 12, 7, 4, 0) if mode == "major" else (0, 2, 3, 5, 7, 8, 10, 12, 7, 3, 0)
    notes = [Note(60 + tonic + s, length * i, length) for i, s in enumerate(steps * repeats)]
    return Melody(tuple(notes), key=KeySignature(tonic, mode))


def test_each_sample_counts_equally_however_long() -> None:
    long_c = scale_run(0, "major", repeats=20)
    short_g = scale_run(7, "major")
    histogram = pooled_histogram([long_c, short_g])
    assert math.isclose(histogram.sum(), 2.0)
    assert pooled_key([long_c]) == estimate_key(long_c)[0] == KeySignature(0, "major")


def test_the_pooled_key_fits_all_the_notes_not_the_first_sample() -> None:
    samples = [scale_run(7, "minor"), scale_run(11, "minor"), scale_run(6, "minor"), scale_run(4, "minor")]
    key = pooled_key(samples)
    assert key != KeySignature(7, "minor")
    shares = in_scale_share(samples, key.scale())
    assert shares > max(in_scale_share(samples, KeySignature(7, "minor").scale()), 0.75)


def test_key_of_histogram_and_in_scale_share_edge_cases() -> None:
    assert key_of_histogram(np.zeros(12)) == KeySignature(0, "major")  # flat: the first key
    assert math.isnan(in_scale_share([Melody(())], frozenset({0})))
    assert in_scale_share([scale_run(0, "major")], KeySignature(0).scale()) == 1.0
