"""One entry point that describes any work or sample, whatever its domain.

Role: the dispatch the taste model, live drafting, the engine facade and the benchmark call so
that they never need to know which describer a domain has: a melody goes to
:func:`studio.taste.melody_features.describe_melody`, a painting to
:func:`studio.taste.painting_features.describe_image` (each imported on first use).
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from studio.errors import StudioError
from studio.taste.features import Descriptor, FeatureSpec, stack


def spec_for(domain: str) -> FeatureSpec:
    """The interpretable features of ``domain`` ("melody" or "painting"; ValueError otherwise)."""
    domain = getattr(domain, "value", domain)
    if domain == "melody":
        from studio.taste.melody_features import SPEC
        return SPEC
    if domain == "painting":
        from studio.taste.painting_features import SPEC as PAINTING_SPEC
        return PAINTING_SPEC
    raise ValueError(f"unknown domain {domain!r}: expected 'melody' or 'painting'")


def describe_work(item: Any) -> Descriptor:
    """The descriptor of a :class:`~studio.core.works.Work` or :class:`~studio.core.samples.Sample`
    (anything with a ``melody`` or an ``image``). Raises StudioError when it has neither."""
    melody = getattr(item, "melody", None)
    if melody is not None:
        from studio.taste.melody_features import describe_melody
        return describe_melody(melody)
    image = getattr(item, "image", None)
    if image is not None:
        from studio.taste.painting_features import describe_image
        return describe_image(np.asarray(image))
    where = getattr(item, "path", None) or getattr(item, "id", None) or type(item).__name__
    raise StudioError("has no melody or picture to describe", str(where))


def describe_all(items: Iterable[Any], domain: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Stacked ``(interp (N, F), raw (N, R))`` float32 of works or samples. With ``domain`` an
    empty list still gets the domain's widths (``(0, F)``, ``(0, R)``), else ``(0, 0)``."""
    descriptors = [describe_work(item) for item in items]
    if not descriptors and domain is not None:
        spec = spec_for(domain)
        return np.zeros((0, spec.size), np.float32), np.zeros((0, spec.raw_size), np.float32)
    return stack(descriptors)
