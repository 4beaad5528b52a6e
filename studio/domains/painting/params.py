"""Generation controls for paintings, shared by the GUI, the CLI and the generator (no torch here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from statistics import median
from typing import Any

from studio.domains.painting.guide import DEFAULT_CLOSENESS, Guide

SIZES = (256, 512, 1024)  # long sides offered for renders; 256 is the working resolution
ASPECTS = {"like the samples": None, "square 1:1": 1.0, "landscape 4:3": 4 / 3, "portrait 3:4": 3 / 4,
           "wide 16:9": 16 / 9, "tall 9:16": 9 / 16}
MIN_SIDE, MAX_SIDE = 64, 2048
LIBRARY_FROM = 0.25  # the default composition (see library_share)
LIBRARY_SHARE = 0.85  # share of library layouts at LIBRARY_FROM (bench compositions: crops of the samples
# keep the finer levels closer to the painter's; 0.85 keeps crop-like works under 20 %)
LIBRARY_CLOSENESS = 0.3  # how closely a library layout is followed at LIBRARY_FROM


def median_aspect(samples: Sequence[Any]) -> float | None:
    """The median width / height of the samples' pictures (``.image`` arrays); None without one."""
    aspects = [s.image.shape[1] / s.image.shape[0] for s in samples if getattr(s, "image", None) is not None]
    return float(median(aspects)) if aspects else None


@dataclass(frozen=True)
class PaintingParams:
    """What the user asks of a gallery of paintings. ``None`` means "like the samples"."""

    long_side: int = 256  # px of the longer side
    aspect: float | None = None  # width / height; default: the samples' median aspect ratio
    composition: float = 0.25  # 0 recomposes crops of the samples, from 0.25 (the default) new compositions
    # from the shipped layout library, followed less closely up to 1 (bench compositions)
    texture: float = 1.0  # strength of the invented detail (noise), 0..2
    brushwork: float = 1.0  # share of the fine detail taken from the samples' own brushwork (.brushwork), 0..1
    guide: Guide | None = None  # a photo or sketch whose composition every work follows (.guide)
    closeness: float = DEFAULT_CLOSENESS  # with a guide: 0 recomposes it loosely .. 1 traces it

    def __post_init__(self) -> None:
        if not MIN_SIDE <= self.long_side <= MAX_SIDE:
            raise ValueError(f"long_side must be in range {MIN_SIDE}..{MAX_SIDE} px, got {self.long_side}")
        if self.aspect is not None and not 0.2 <= self.aspect <= 5.0:
            raise ValueError(f"aspect must be in range 0.2..5 (width / height), got {self.aspect}")
        if not 0.0 <= self.composition <= 1.0:
            raise ValueError(f"composition must be in range 0..1, got {self.composition}")
        if not 0.0 <= self.texture <= 2.0:
            raise ValueError(f"texture must be in range 0..2, got {self.texture}")
        if not 0.0 <= self.brushwork <= 1.0:
            raise ValueError(f"brushwork must be in range 0..1, got {self.brushwork}")
        if self.guide is not None and not isinstance(self.guide, Guide):
            raise ValueError(f"guide must be a Guide or None, got {type(self.guide).__name__}")
        if not 0.0 <= self.closeness <= 1.0:
            raise ValueError(f"closeness must be in range 0..1, got {self.closeness}")

    def aspect_for(self, samples: Sequence[Any]) -> float:
        """Width / height of the works: the guide's with a guide, else ``aspect``, else the samples' median."""
        if self.guide is not None:
            return self.guide.aspect
        return self.aspect or median_aspect(samples) or 1.0

    def to_dict(self) -> dict[str, Any]:
        """The parameters as JSON (a work's provenance): the guide by name, size and digest, not its pixels."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "guide"}
        out["guide"] = None if self.guide is None else self.guide.describe()
        return out

    def coarse_side(self) -> int:
        """Long side (px) of the layouts: 48 keeps the samples' compositions, 16 invents more."""
        return round(48 - 32 * self.composition)

    def mix_chance(self) -> float:
        """How often a layout joins two crops of the samples."""
        return 0.2 + 0.6 * self.composition

    def library_share(self) -> float:
        """The share of unguided works composed from the shipped layout library (:mod:`.library`)
        rather than from crops of the samples: none at composition 0, LIBRARY_SHARE at LIBRARY_FROM
        (the default), all at 1."""
        if self.composition <= LIBRARY_FROM:
            return LIBRARY_SHARE * self.composition / LIBRARY_FROM
        return LIBRARY_SHARE + (1 - LIBRARY_SHARE) * (self.composition - LIBRARY_FROM) / (1 - LIBRARY_FROM)

    def library_closeness(self) -> float:
        """How closely a library layout is followed (as a guide's closeness): less as composition rises."""
        loose = max(0.0, self.composition - LIBRARY_FROM) / (1.0 - LIBRARY_FROM)
        return LIBRARY_CLOSENESS * (1.0 - loose)
