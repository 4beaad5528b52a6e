"""Keys and scales a melody can be locked to (``D dorian``, ``F# blues``), read from text.

A :class:`Scale` is a tonic pitch class and one of :data:`SCALE_NAMES`. :func:`parse_scale`
reads what people type ("Dm", "D minor", "d dorian", "Bb major pentatonic") and raises
:class:`~studio.errors.ScaleError` naming the problem. :meth:`Scale.key_signature` gives the
major or minor key whose signature has the scale's accidentals, for writing files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.core.melody import PITCH_NAMES, KeySignature
from studio.errors import ScaleError

#: Scale name -> semitones above the tonic.
SCALES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "natural minor": (0, 2, 3, 5, 7, 8, 10),
    "harmonic minor": (0, 2, 3, 5, 7, 8, 11),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "major pentatonic": (0, 2, 4, 7, 9),
    "minor pentatonic": (0, 3, 5, 7, 10),
    "blues": (0, 3, 5, 6, 7, 10),
}
SCALE_NAMES: tuple[str, ...] = tuple(SCALES)

#: Other names people type, mapped to a name of SCALES.
SCALE_ALIASES: dict[str, str] = {
    "": "major", "maj": "major", "ionian": "major", "m": "natural minor",
    "min": "natural minor", "minor": "natural minor", "aeolian": "natural minor",
    "natural": "natural minor", "harmonic": "harmonic minor", "m harmonic": "harmonic minor",
    "pentatonic": "major pentatonic", "maj pentatonic": "major pentatonic",
    "m pentatonic": "minor pentatonic", "min pentatonic": "minor pentatonic",
    "minor blues": "blues", "m blues": "blues", "mixo": "mixolydian", "dor": "dorian",
}

# Relative position of the signature's major key for scales that are modes of it.
_SIGNATURE: dict[str, tuple[int, str]] = {
    "major": (0, "major"), "major pentatonic": (0, "major"),
    "natural minor": (0, "minor"), "harmonic minor": (0, "minor"),
    "minor pentatonic": (0, "minor"), "blues": (0, "minor"),
    "dorian": (10, "major"), "mixolydian": (5, "major"),
}

_LETTERS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_MAX_CHARS = 100


@dataclass(frozen=True)
class Scale:
    """A scale: tonic pitch class 0..11 (C=0) and a name of :data:`SCALE_NAMES`."""

    tonic: int
    name: str = "major"

    def __post_init__(self) -> None:
        if not 0 <= self.tonic <= 11:
            raise ValueError(f"tonic must be a pitch class 0..11, got {self.tonic}")
        if self.name not in SCALES:
            raise ValueError(f"unknown scale {self.name!r} (known: {', '.join(SCALE_NAMES)})")

    def pitch_classes(self) -> frozenset[int]:
        return frozenset((self.tonic + step) % 12 for step in SCALES[self.name])

    def contains(self, pitch: int) -> bool:
        """Whether the MIDI pitch (or pitch class) is in the scale."""
        return (pitch - self.tonic) % 12 in SCALES[self.name]

    @property
    def display_name(self) -> str:
        """E.g. ``"D dorian"``, ``"F# blues"``."""
        return f"{PITCH_NAMES[self.tonic]} {self.name}"

    def key_signature(self) -> KeySignature:
        """The key whose signature has this scale's accidentals (D dorian -> C major)."""
        offset, mode = _SIGNATURE[self.name]
        return KeySignature((self.tonic + offset) % 12, mode)

    @classmethod
    def from_key(cls, key: KeySignature) -> Scale:
        """The major or natural minor scale of ``key``."""
        return cls(key.tonic, "major" if key.mode == "major" else "natural minor")


def parse_scale(text: str) -> Scale:
    """A key or scale as typed (``"D dorian"``, ``"Dm"``, ``"f# blues"``) to a Scale.

    A tonic alone is major; ``m``/``min``/``minor`` is natural minor. Raises ScaleError.
    """
    shown = text.strip()
    if len(shown) > _MAX_CHARS:
        raise ScaleError(f"the key is {len(shown)} characters long; write e.g. \"D dorian\"")
    cleaned = re.sub(r"[\s_:-]+", " ", shown.replace("\u266f", "#").replace("\u266d", "b")).strip()
    if not cleaned:
        raise ScaleError('no key given; write a tonic and a scale, e.g. "D dorian"')
    letter = cleaned[0].lower()
    if letter not in _LETTERS:
        raise ScaleError(
            f'"{shown}": the key must start with its tonic, a note A-G with # or b '
            '(e.g. "D dorian", "F# blues")'
        )
    tonic = _LETTERS[letter]
    rest = cleaned[1:]
    if rest[:1] == "#":
        tonic, rest = tonic + 1, rest[1:]
    elif rest[:1] == "b" and not rest.lower().startswith("blues"):
        tonic, rest = tonic - 1, rest[1:]  # "Bb", "Bbm", "eb blues"; "B blues" stays B
    if rest.strip() == "M":
        return Scale(tonic % 12, "major")  # the chord spelling of major
    name = rest.strip().lower()
    if name in SCALES:
        return Scale(tonic % 12, name)
    if name in SCALE_ALIASES:
        return Scale(tonic % 12, SCALE_ALIASES[name])
    raise ScaleError(
        f'"{shown}": unknown scale "{rest.strip()}" (known: {", ".join(SCALE_NAMES)})'
    )
