"""What a taste learner sees of a work: interpretable features and a raw descriptor.

Role: the one type every part of taste learning shares. A domain's describer
(:mod:`studio.taste.melody_features`, :mod:`studio.taste.painting_features`) turns a melody or
a painting into a :class:`Descriptor`: ``interp`` holds a few named, human-readable features
(register, density, brightness, warmth, ...) that explanations put into words; ``raw`` holds a
longer fixed-size descriptor (histograms, a tiny thumbnail, ...) that only the learned
embedding reads. :class:`FeatureSpec` names the interpretable features and the words an
explanation uses when a work has more or less of one ("higher" / "lower").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class FeatureSpec:
    """The interpretable features of one domain and how to say them."""

    domain: str  # "melody" or "painting"
    names: tuple[str, ...]  # e.g. ("register", "range", "density", ...)
    more: tuple[str, ...]  # the word for a work with more of it: "higher", "busier", "warmer"
    less: tuple[str, ...]  # ... and with less: "lower", "calmer", "cooler"
    raw_size: int  # length of Descriptor.raw
    version: int = 1  # bump when a feature changes meaning: shipped weights record it

    def __post_init__(self) -> None:
        if not (len(self.names) == len(self.more) == len(self.less)):
            raise ValueError("names, more and less must have the same length")
        if self.raw_size < 0:
            raise ValueError("raw_size must be >= 0")

    @property
    def size(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class Descriptor:
    """One work as the taste learner sees it (both arrays float32, finite)."""

    interp: np.ndarray  # (spec.size,)
    raw: np.ndarray  # (spec.raw_size,)


def stack(descriptors: Sequence[Descriptor]) -> tuple[np.ndarray, np.ndarray]:
    """``(interp (N, F), raw (N, R))`` float32 arrays of a list of descriptors (N may be 0)."""
    if not descriptors:
        return np.zeros((0, 0), np.float32), np.zeros((0, 0), np.float32)
    interp = np.stack([np.asarray(d.interp, np.float32) for d in descriptors])
    raw = np.stack([np.asarray(d.raw, np.float32) for d in descriptors])
    return interp, raw
