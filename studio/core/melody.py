"""A monophonic melody on an integer grid that keeps both sixteenths and triplets.

Times are integer ticks at :data:`TICKS_PER_QUARTER` per quarter note (24: a sixteenth is 6,
an eighth-note triplet 8, a thirty-second 3). Rests are the gaps between notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studio.core.chords import ChordSpan

TICKS_PER_QUARTER = 24
PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


@dataclass(frozen=True)
class Note:
    """One note: MIDI pitch 0..127, start and duration in ticks, velocity 1..127."""

    pitch: int
    start: int
    duration: int
    velocity: int = 80

    def __post_init__(self) -> None:
        if not 0 <= self.pitch <= 127:
            raise ValueError(f"pitch must be in range 0..127, got {self.pitch}")
        if self.start < 0:
            raise ValueError(f"start must be >= 0, got {self.start}")
        if self.duration <= 0:
            raise ValueError(f"duration must be > 0, got {self.duration}")
        if not 1 <= self.velocity <= 127:
            raise ValueError(f"velocity must be in range 1..127, got {self.velocity}")

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass(frozen=True)
class KeySignature:
    """A key: tonic pitch class 0..11 (C=0) and mode ``"major"`` or ``"minor"``."""

    tonic: int
    mode: str = "major"

    def __post_init__(self) -> None:
        if not 0 <= self.tonic <= 11:
            raise ValueError(f"tonic must be a pitch class 0..11, got {self.tonic}")
        if self.mode not in ("major", "minor"):
            raise ValueError(f"mode must be 'major' or 'minor', got {self.mode!r}")

    @property
    def name(self) -> str:
        return f"{PITCH_NAMES[self.tonic]} {self.mode}"

    def scale(self) -> frozenset[int]:
        """Pitch classes of the key's scale (natural minor for minor keys)."""
        steps = (0, 2, 4, 5, 7, 9, 11) if self.mode == "major" else (0, 2, 3, 5, 7, 8, 10)
        return frozenset((self.tonic + s) % 12 for s in steps)


@dataclass(frozen=True)
class Melody:
    """A monophonic line with its tempo, meter and key.

    ``notes`` are sorted by start and do not overlap. ``pickup`` is the length in ticks of an
    anacrusis before the first full bar (0 when the melody starts on a downbeat). ``chords`` is
    the progression under the line (:mod:`studio.core.chords`; empty when there is none), on the
    same tick grid, sorted and not overlapping.
    """

    notes: tuple[Note, ...]
    tempo_bpm: float = 120.0
    time_signature: tuple[int, int] = (4, 4)
    key: KeySignature | None = None
    pickup: int = 0
    name: str = ""
    notices: tuple[str, ...] = field(default=(), compare=False)
    chords: tuple[ChordSpan, ...] = ()

    def __post_init__(self) -> None:
        if not 1.0 <= self.tempo_bpm <= 1000.0:
            raise ValueError(f"tempo_bpm must be in range 1..1000, got {self.tempo_bpm}")
        num, den = self.time_signature
        if num < 1 or den not in (1, 2, 4, 8, 16, 32):
            raise ValueError(f"bad time signature {num}/{den}")
        previous_end = 0
        for note in self.notes:
            if note.start < previous_end:
                raise ValueError("notes must be sorted and must not overlap (monophonic)")
            previous_end = note.end
        if self.chords:
            from studio.core.chords import validate_progression

            validate_progression(self.chords)

    @property
    def bar_ticks(self) -> int:
        num, den = self.time_signature
        return num * TICKS_PER_QUARTER * 4 // den

    @property
    def length_ticks(self) -> int:
        return self.notes[-1].end if self.notes else 0

    @property
    def bars(self) -> int:
        """Number of bars, counting a pickup as part of the first bar."""
        body = max(0, self.length_ticks - self.pickup)
        return (1 if self.pickup else 0) + -(-body // self.bar_ticks)

    @property
    def pitch_range(self) -> tuple[int, int]:
        if not self.notes:
            return (0, 0)
        pitches = [n.pitch for n in self.notes]
        return (min(pitches), max(pitches))

    @property
    def seconds(self) -> float:
        return self.length_ticks / TICKS_PER_QUARTER * 60.0 / self.tempo_bpm

    def seconds_per_tick(self, tempo_scale: float = 1.0) -> float:
        """Seconds one grid tick lasts at the melody's tempo times ``tempo_scale`` (> 0)."""
        return 60.0 / (self.tempo_bpm * tempo_scale * TICKS_PER_QUARTER)
