"""User samples (a painting or a melody) and the sample set, which never mixes the two."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterator

from studio.core.melody import Melody
from studio.errors import MixedDomainError


class Domain(str, enum.Enum):
    """What a sample or a work is."""

    PAINTING = "painting"
    MELODY = "melody"

    @property
    def plural(self) -> str:
        """For messages: "paintings", "melodies" (not "melodys")."""
        return "melodies" if self is Domain.MELODY else f"{self.value}s"


@dataclass(frozen=True)
class ImageFacts:
    """What the studio knows of an imported image."""

    width: int  # of the original file
    height: int
    format: str  # e.g. "PNG", "JPEG"
    mode: str  # the original Pillow mode, e.g. "RGBA", "CMYK", "I;16"
    palette: tuple[tuple[str, float], ...]  # dominant colours as ("#rrggbb", share), largest first
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class MelodyFacts:
    """What the studio knows of an imported melody."""

    key: str  # e.g. "G major"
    key_confidence: float  # correlation of the best Krumhansl-Kessler profile, -1..1
    tempo_bpm: float
    meter: str  # e.g. "6/8"
    bars: int
    notes: int
    lowest: int  # MIDI pitch
    highest: int
    seconds: float
    notices: tuple[str, ...] = ()
    pickup: bool = False  # the first of ``bars`` is a pickup (anacrusis), not a full bar

    def bar_text(self, unit: bool = True) -> str:
        """Bars as a musician counts them, a pickup apart: "8 bars + pickup" ("8 + pickup")."""
        return bar_text(self.bars, self.pickup, unit)


def bar_text(bars: int, pickup: bool, unit: bool = True) -> str:
    """``bars`` (a pickup counted as one) as a musician says it: "8 bars + pickup", "1 bar";
    without ``unit`` just "8 + pickup"."""
    full = bars - 1 if pickup else bars
    text = f"{full} bar{'s' if full != 1 else ''}" if unit else str(full)
    return f"{text} + pickup" if pickup else text


@dataclass(frozen=True)
class Sample:
    """One imported file: its original bytes (kept untouched) and a working copy.

    ``image`` is an ``HxWx3`` uint8 numpy array downscaled for work; ``melody`` the parsed
    line. Exactly one of them is set, matching ``domain``.
    """

    name: str
    path: str
    domain: Domain
    data: bytes = field(repr=False)
    facts: ImageFacts | MelodyFacts
    image: Any = field(default=None, repr=False, compare=False)
    melody: Melody | None = field(default=None, repr=False, compare=False)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:16]


class SampleSet:
    """An ordered list of samples of one domain (paintings or melodies, never both)."""

    def __init__(self, samples: list[Sample] | None = None) -> None:
        self._samples: list[Sample] = []
        for sample in samples or []:
            self.append(sample)

    @property
    def domain(self) -> Domain | None:
        return self._samples[0].domain if self._samples else None

    def check_domain(self, sample: Sample) -> None:
        """Raise :class:`MixedDomainError` if ``sample`` cannot join this set."""
        if self.domain is not None and sample.domain is not self.domain:
            raise MixedDomainError(
                f"this project holds {self.domain.plural}; a {sample.domain.value} cannot join "
                f"them. Start a new project (File > New) to work on {sample.domain.plural}.",
                sample.path,
            )

    def append(self, sample: Sample) -> None:
        self.insert(len(self._samples), sample)

    def insert(self, index: int, sample: Sample) -> None:
        self.check_domain(sample)
        self._samples.insert(index, sample)

    def pop(self, index: int) -> Sample:
        return self._samples.pop(index)

    def move(self, source: int, destination: int) -> None:
        """Move the sample at ``source`` so that it ends up at index ``destination``."""
        self._samples.insert(destination, self._samples.pop(source))

    def index_of(self, digest: str) -> int:
        for i, s in enumerate(self._samples):
            if s.digest == digest:
                return i
        return -1

    def clear(self) -> None:
        self._samples.clear()

    def __len__(self) -> int:
        return len(self._samples)

    def __getitem__(self, index: int) -> Sample:
        return self._samples[index]

    def __iter__(self) -> Iterator[Sample]:
        return iter(list(self._samples))
