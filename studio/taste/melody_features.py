"""The melody describer: what a taste learner sees of a melody (numpy only, no torch).

Role: turns a :class:`~studio.core.melody.Melody` into a :class:`~studio.taste.features.Descriptor`
for the taste model, the simulated people, the curator and ``bench taste``. ``interp`` holds
twelve features in natural units that an explanation can put into words (register in MIDI
semitones, notes per bar, 0..1 shares, ...: :data:`SPEC`); ``raw`` holds a longer descriptor
only the learned embedding reads (:data:`RAW_PARTS`): the duration-weighted pitch classes
relative to the key's tonic, the interval histogram, the note-length classes, where in the bar
notes start and a coarse contour. Every value is finite for every melody, including an empty
one, a single note or a melody of one repeated pitch; a melody takes well under 2 ms.

The key is the melody's own (:attr:`Melody.key`, set by the generator and by files with a key
signature), else the Krumhansl-Kessler estimate (:func:`studio.core.melody_analysis.estimate_key`).
"""

from __future__ import annotations

import numpy as np

from studio.core.melody import TICKS_PER_QUARTER, KeySignature, Melody
from studio.core.melody_analysis import estimate_key
from studio.domains.melody.metrics import NOTE_LENGTH_CLASSES
from studio.taste.features import Descriptor, FeatureSpec

# name, the word for more of it, the word for less of it (each feature's unit in its comment)
_FEATURES = (
    ("register", "higher", "lower"),  # duration-weighted mean MIDI pitch
    ("range", "wider", "narrower"),  # highest minus lowest pitch, semitones
    ("density", "busier", "calmer"),  # notes per bar
    ("steps", "smoother", "jumpier"),  # share of intervals of 1-2 semitones
    ("leaps", "leapier", "with fewer leaps"),  # share of intervals of 5 semitones or more
    ("syncopation", "more syncopated", "squarer"),  # share of notes off the beat held over the next beat
    ("rests", "airier", "more continuous"),  # share of the melody's span that is silence
    ("ending", "ends at home", "ends open"),  # last note: 1 the tonic, 0.5 the third or fifth, else 0
    ("contour", "rising", "falling"),  # fitted pitch drift from start to end, semitones
    ("repetition", "more repetitive", "more varied"),  # share of 4-note figures heard before
    ("chromatic", "more chromatic", "more diatonic"),  # share of note time outside the key's scale
    ("rhythm", "more varied in rhythm", "plainer in rhythm"),  # entropy of note-length classes, bits
)
INTERVAL_BINS = 17  # <= -8, -7 .. -1, 0, 1 .. 7, >= 8 semitones
ONSET_BINS = 12  # the bar in twelve equal parts
CONTOUR_POINTS = 8  # pitch relative to the mean at eight evenly spaced times, in octaves
RAW_PARTS = (("pitch_classes", 12), ("intervals", INTERVAL_BINS), ("lengths", len(NOTE_LENGTH_CLASSES)),
             ("onsets", ONSET_BINS), ("contour", CONTOUR_POINTS))

SPEC = FeatureSpec(
    domain="melody",
    names=tuple(f[0] for f in _FEATURES),
    more=tuple(f[1] for f in _FEATURES),
    less=tuple(f[2] for f in _FEATURES),
    raw_size=sum(size for _, size in RAW_PARTS),
    version=1,
)
EMPTY_REGISTER = 60.0  # the register of a melody without notes (middle C): a neutral value, not 0
REPEAT_FIGURE = 3  # transitions (interval, inter-onset interval) in a repeated figure: 4 notes

_LENGTHS = np.array(NOTE_LENGTH_CLASSES, dtype=float)
_INDEX = {name: i for i, name in enumerate(SPEC.names)}


def describe_melody(melody: Melody) -> Descriptor:
    """The melody's interpretable features (:data:`SPEC`) and raw descriptor (:data:`RAW_PARTS`)."""
    interp = np.zeros(SPEC.size, np.float32)
    raw = np.zeros(SPEC.raw_size, np.float32)
    notes = melody.notes
    if not notes:
        interp[_INDEX["register"]] = EMPTY_REGISTER
        return Descriptor(interp, raw)
    pitch = np.array([n.pitch for n in notes], dtype=float)
    start = np.array([n.start for n in notes], dtype=float)
    duration = np.array([n.duration for n in notes], dtype=float)
    key = melody.key if melody.key is not None else estimate_key(melody)[0]
    bar = float(melody.bar_ticks)
    beat = _beat_ticks(melody.time_signature)
    intervals = np.diff(pitch)
    steps = np.abs(intervals)
    span = float(start[-1] + duration[-1] - start[0])
    relative = (pitch.astype(int) - key.tonic) % 12
    length_class = np.argmin(np.abs(_LENGTHS[None, :] - duration[:, None]), axis=1)

    values = {
        "register": float(np.average(pitch, weights=duration)),
        "range": float(pitch.max() - pitch.min()),
        "density": len(notes) / max(1, melody.bars),
        "steps": _share((steps >= 1) & (steps <= 2)),
        "leaps": _share(steps >= 5),
        "syncopation": _syncopation(start - melody.pickup, duration, beat),
        "rests": max(0.0, 1.0 - float(duration.sum()) / span) if span > 0 else 0.0,
        "ending": _ending(int(relative[-1]), key),
        "contour": _drift(start, pitch, span),
        "repetition": _repetition(intervals, np.diff(start)),
        "chromatic": float(duration[~np.isin(relative, _scale_steps(key))].sum() / duration.sum()),
        "rhythm": _entropy(np.bincount(length_class, minlength=len(_LENGTHS)).astype(float)),
    }
    for name, value in values.items():
        interp[_INDEX[name]] = value

    parts = (
        _normalised(np.bincount(relative, weights=duration, minlength=12)),
        _normalised(np.bincount(np.clip(intervals, -8, 8).astype(int) + 8, minlength=INTERVAL_BINS).astype(float)),
        _normalised(np.bincount(length_class, minlength=len(_LENGTHS)).astype(float)),
        _normalised(np.bincount(_onset_bins(start - melody.pickup, bar), minlength=ONSET_BINS).astype(float)),
        _contour(start, duration, pitch),
    )
    raw[:] = np.concatenate(parts)
    return Descriptor(interp, raw)


def _beat_ticks(time_signature: tuple[int, int]) -> float:
    """The beat: a dotted quarter in compound meters (6/8, 9/8, 12/8), else the denominator's note."""
    num, den = time_signature
    unit = TICKS_PER_QUARTER * 4 / den
    return unit * 3 if den >= 8 and num % 3 == 0 and num > 3 else unit


def _share(mask: np.ndarray) -> float:
    return float(mask.mean()) if len(mask) else 0.0


def _syncopation(onset: np.ndarray, duration: np.ndarray, beat: float) -> float:
    """Share of notes that start between beats and are still sounding at the next beat."""
    phase = np.mod(onset, beat)
    off_beat = phase > 1e-6
    held_over = phase + duration > beat + 1e-6
    return _share(off_beat & held_over)


def _ending(last_degree: int, key: KeySignature) -> float:
    if last_degree == 0:
        return 1.0
    third = 4 if key.mode == "major" else 3
    return 0.5 if last_degree in (third, 7) else 0.0


def _scale_steps(key: KeySignature) -> np.ndarray:
    """The key's scale degrees; minor counts the raised seventh (harmonic minor) as in the key."""
    return np.array((0, 2, 4, 5, 7, 9, 11) if key.mode == "major" else (0, 2, 3, 5, 7, 8, 10, 11))


def _drift(start: np.ndarray, pitch: np.ndarray, span: float) -> float:
    """The least-squares line's pitch change over the melody's span (0 for a single note)."""
    if len(pitch) < 2 or span <= 0:
        return 0.0
    t = start - start.mean()
    var = float((t * t).sum())
    if var <= 0:
        return 0.0
    return float((t * (pitch - pitch.mean())).sum() / var * span)


def _repetition(intervals: np.ndarray, iois: np.ndarray) -> float:
    """Share of the melody's figures (``REPEAT_FIGURE`` consecutive interval and inter-onset
    pairs: transposition-invariant) that already occurred earlier in it."""
    count = len(intervals) - REPEAT_FIGURE + 1
    if count < 2:
        return 0.0
    pairs = list(zip(intervals.tolist(), iois.tolist()))
    seen: set[tuple] = set()
    repeats = 0
    for figure in zip(*(pairs[k:] for k in range(REPEAT_FIGURE))):
        repeats += figure in seen
        seen.add(figure)
    return repeats / count


def _entropy(counts: np.ndarray) -> float:
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log2(p)).sum()) + 0.0  # + 0.0: never -0.0


def _normalised(counts: np.ndarray) -> np.ndarray:
    total = float(counts.sum())
    return counts / total if total > 0 else counts


def _onset_bins(onset: np.ndarray, bar: float) -> np.ndarray:
    return np.minimum((np.mod(onset, bar) / bar * ONSET_BINS).astype(int), ONSET_BINS - 1)


def _contour(start: np.ndarray, duration: np.ndarray, pitch: np.ndarray) -> np.ndarray:
    """The sounding (or last sounded) pitch at ``CONTOUR_POINTS`` evenly spaced times, minus the
    mean pitch, in octaves."""
    first, last = float(start[0]), float(start[-1] + duration[-1])
    times = first + (np.arange(CONTOUR_POINTS) + 0.5) / CONTOUR_POINTS * (last - first)
    index = np.clip(np.searchsorted(start, times, side="right") - 1, 0, len(pitch) - 1)
    mean = float(np.average(pitch, weights=duration))
    return (pitch[index] - mean) / 12.0


def feature_words(name: str) -> tuple[str, str]:
    """``(more, less)`` words of one interpretable feature (KeyError for an unknown name)."""
    i = _INDEX[name]
    return SPEC.more[i], SPEC.less[i]

