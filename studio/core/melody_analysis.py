"""What the studio can tell of a melody at a glance: its key and its facts (numpy, no torch).

The readers (:mod:`studio.io.midi` fills a sample's facts), the domains (the melody
representation works relative to the key) and the UI (an exported melody gets its key) all use
it, so it lives in the core. The key comes from the Krumhansl-Kessler probe-tone profiles: the
duration-weighted histogram of the melody's pitch classes is correlated (Pearson) with all 24
rotations of the major and minor profiles and the best one wins.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from studio.core.melody import KeySignature, Melody
from studio.core.samples import MelodyFacts

MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
# A key signature in the file is reported instead of the estimate when its correlation is this
# close to the best: signatures are often right where the profiles hesitate between relatives.
SIGNATURE_MARGIN = 0.05
MODAL_FIT = 0.95  # share of note time on the signature's scale that makes a modal tune agree with it

_KEYS = [KeySignature(tonic, mode) for mode in ("major", "minor") for tonic in range(12)]
_PROFILES = np.stack(
    [np.roll(MAJOR_PROFILE, tonic) for tonic in range(12)]
    + [np.roll(MINOR_PROFILE, tonic) for tonic in range(12)]
)


def pitch_class_histogram(melody: Melody) -> np.ndarray:
    """Total duration in ticks of each pitch class 0..11 (C=0)."""
    histogram = np.zeros(12)
    for note in melody.notes:
        histogram[note.pitch % 12] += note.duration
    return histogram


def key_correlations(melody: Melody) -> list[tuple[KeySignature, float]]:
    """All 24 keys with their profile correlation, best first (C major before C minor in a tie).

    Without notes, or with every pitch class equally long, every correlation is 0.
    """
    return histogram_correlations(pitch_class_histogram(melody))


def histogram_correlations(histogram: np.ndarray) -> list[tuple[KeySignature, float]]:
    """All 24 keys with their correlation to a pitch-class histogram, best first."""
    histogram = np.asarray(histogram, dtype=float)
    centred = histogram - histogram.mean()
    norm = np.linalg.norm(centred)
    if norm == 0:
        return [(key, 0.0) for key in _KEYS]
    profiles = _PROFILES - _PROFILES.mean(axis=1, keepdims=True)
    scores = profiles @ centred / (np.linalg.norm(profiles, axis=1) * norm)
    order = sorted(range(24), key=lambda i: -scores[i])  # stable: ties keep C major first
    return [(_KEYS[i], float(scores[i])) for i in order]


def key_of_histogram(histogram: np.ndarray) -> KeySignature:
    """The Krumhansl-Kessler key of a 12-bin pitch-class histogram (C major when it is flat)."""
    return histogram_correlations(histogram)[0][0]


def pooled_histogram(melodies: Sequence[Melody]) -> np.ndarray:
    """The melodies' pitch-class histograms, each normalised to sum 1, added: every sample
    counts equally, however long it is."""
    total = np.zeros(12)
    for melody in melodies:
        histogram = pitch_class_histogram(melody)
        if histogram.sum() > 0:
            total += histogram / histogram.sum()
    return total


def pooled_key(melodies: Sequence[Melody]) -> KeySignature:
    """The one key that fits all the melodies' notes together (their pooled histogram), not the
    first melody's: four reels in G, B, F# and E minor pool to the key their notes share."""
    return key_of_histogram(pooled_histogram(melodies))


def in_scale_share(melodies: Sequence[Melody], pitch_classes: frozenset[int]) -> float:
    """Share of the melodies' note duration on ``pitch_classes`` (NaN without notes)."""
    inside = total = 0
    for melody in melodies:
        for note in melody.notes:
            total += note.duration
            inside += note.duration * (note.pitch % 12 in pitch_classes)
    return inside / total if total else float("nan")


def estimate_key(melody: Melody) -> tuple[KeySignature, float]:
    """The Krumhansl-Kessler key of ``melody`` and its correlation in -1..1."""
    return key_correlations(melody)[0]


def melody_facts(melody: Melody) -> MelodyFacts:
    """Summarise ``melody`` for the sample bin; ``key`` is ``"unknown"`` when it has no notes.

    The key is the estimate, unless the melody carries a key signature whose correlation is
    within :data:`SIGNATURE_MARGIN` of the best; a notice tells when the two disagree, except
    for a modal tune whose notes keep to the signature's scale (D dorian under a C major
    signature: :data:`MODAL_FIT`).
    """
    notices = list(melody.notices)
    if melody.notes:
        ranked = key_correlations(melody)
        key, confidence = ranked[0]
        if melody.key is not None and melody.key != key:
            signed = dict(ranked)[melody.key]
            if signed >= confidence - SIGNATURE_MARGIN:
                key, confidence = melody.key, signed
            elif in_scale_share([melody], melody.key.scale()) < MODAL_FIT:
                notices.append(
                    f"the key signature says {melody.key.name}, the notes suggest {key.name}"
                )
        key_name = key.name
    else:
        key_name, confidence = "unknown", 0.0
    lowest, highest = melody.pitch_range
    num, den = melody.time_signature
    return MelodyFacts(
        key=key_name, key_confidence=confidence, tempo_bpm=melody.tempo_bpm,
        meter=f"{num}/{den}", bars=melody.bars, notes=len(melody.notes), lowest=lowest,
        highest=highest, seconds=melody.seconds, notices=tuple(notices), pickup=bool(melody.pickup),
    )
