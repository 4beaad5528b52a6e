"""Chords and chord progressions on the melody's tick grid: the one chord type of the studio.

A :class:`Chord` is a root pitch class, a quality from :data:`QUALITIES` and an optional slash
bass. A :class:`ChordSpan` places a chord (or "no chord", ``None``) on the grid of
:mod:`studio.core.melody` (ticks at ``TICKS_PER_QUARTER`` per quarter). A melody's chords are a
tuple of spans sorted by start that do not overlap. Parsing chord text (``C | G | Am F``) and
reading chord symbols from files live elsewhere and build these objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from studio.core.melody import PITCH_NAMES

#: Quality suffix -> intervals above the root (semitones, the 9th folded into the octave).
QUALITIES: dict[str, tuple[int, ...]] = {
    "": (0, 4, 7),
    "m": (0, 3, 7),
    "7": (0, 4, 7, 10),
    "maj7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10),
    "dim": (0, 3, 6),
    "dim7": (0, 3, 6, 9),
    "aug": (0, 4, 8),
    "sus2": (0, 2, 7),
    "sus4": (0, 5, 7),
    "6": (0, 4, 7, 9),
    "m6": (0, 3, 7, 9),
    "9": (0, 4, 7, 10, 2),
    "m7b5": (0, 3, 6, 10),
}


@dataclass(frozen=True)
class Chord:
    """A chord: root pitch class 0..11, a quality suffix of :data:`QUALITIES`, optional bass."""

    root: int
    quality: str = ""
    bass: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.root <= 11:
            raise ValueError(f"chord root must be a pitch class 0..11, got {self.root}")
        if self.quality not in QUALITIES:
            raise ValueError(f"unknown chord quality {self.quality!r}")
        if self.bass is not None and not 0 <= self.bass <= 11:
            raise ValueError(f"chord bass must be a pitch class 0..11, got {self.bass}")

    @property
    def intervals(self) -> tuple[int, ...]:
        return QUALITIES[self.quality]

    def pitch_classes(self) -> frozenset[int]:
        """The chord tones as pitch classes (the slash bass included)."""
        tones = {(self.root + i) % 12 for i in self.intervals}
        if self.bass is not None:
            tones.add(self.bass)
        return frozenset(tones)

    @property
    def symbol(self) -> str:
        """The chord as text, e.g. ``"F#m7"`` or ``"C/E"`` (sharps and flats as in PITCH_NAMES)."""
        text = PITCH_NAMES[self.root] + self.quality
        if self.bass is not None:
            text += "/" + PITCH_NAMES[self.bass]
        return text


@dataclass(frozen=True)
class ChordSpan:
    """A chord (``None``: no chord) from ``start`` for ``duration`` ticks."""

    chord: Chord | None
    start: int
    duration: int

    def __post_init__(self) -> None:
        if self.start < 0:
            raise ValueError(f"chord start must be >= 0, got {self.start}")
        if self.duration <= 0:
            raise ValueError(f"chord duration must be > 0, got {self.duration}")

    @property
    def end(self) -> int:
        return self.start + self.duration

    @property
    def symbol(self) -> str:
        return "N" if self.chord is None else self.chord.symbol


def validate_progression(spans: tuple[ChordSpan, ...]) -> None:
    """Raise ``ValueError`` unless ``spans`` are sorted by start and do not overlap."""
    previous_end = 0
    for span in spans:
        if span.start < previous_end:
            raise ValueError("chords must be sorted and must not overlap")
        previous_end = span.end


def spans_from_onsets(onsets: Iterable[tuple[int, Chord | None]], end: int) -> tuple[ChordSpan, ...]:
    """Chord symbols at onsets (ticks, in order) as spans: each lasts until the next onset or
    ``end``; two symbols at one onset keep the later one; a closing "no chord" is dropped (it only
    says where the last chord stops)."""
    placed: list[tuple[int, Chord | None]] = []
    for tick, chord in onsets:
        if placed and placed[-1][0] == tick:
            placed[-1] = (tick, chord)
        else:
            placed.append((tick, chord))
    spans = []
    for i, (tick, chord) in enumerate(placed):
        stop = placed[i + 1][0] if i + 1 < len(placed) else end
        if stop > tick:
            spans.append(ChordSpan(chord, tick, stop - tick))
    while spans and spans[-1].chord is None:
        spans.pop()
    return tuple(spans)


def chord_at(spans: tuple[ChordSpan, ...], tick: int) -> Chord | None:
    """The chord sounding at ``tick`` (``None`` outside every span or under "no chord")."""
    for span in spans:
        if span.start <= tick < span.end:
            return span.chord
        if span.start > tick:
            break
    return None
