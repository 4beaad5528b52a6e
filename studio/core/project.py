"""A project: the samples, the gallery, settings and any adapted weights, saved as one file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studio.core.samples import Domain, SampleSet
from studio.core.works import Gallery


@dataclass
class Project:
    """Everything a user's session holds. ``weights`` maps a name to safetensors bytes."""

    samples: SampleSet = field(default_factory=SampleSet)
    gallery: Gallery = field(default_factory=Gallery)
    settings: dict[str, Any] = field(default_factory=dict)
    weights: dict[str, bytes] = field(default_factory=dict)
    title: str = "Untitled"

    @property
    def domain(self) -> Domain | None:
        return self.samples.domain

    def is_empty(self) -> bool:
        return len(self.samples) == 0 and len(self.gallery) == 0
