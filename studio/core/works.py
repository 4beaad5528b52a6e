"""Generated works and the gallery that holds them, with keep / reject state."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterator

from studio.core.melody import Melody
from studio.core.samples import Domain


class WorkStatus(str, enum.Enum):
    NEW = "new"
    KEPT = "kept"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Work:
    """One generated painting or melody with the seed and provenance that reproduce it.

    ``provenance`` records how it was made: model, method, sample digests, parent work ids,
    generation parameters; it is JSON-serialisable.
    """

    domain: Domain
    seed: int
    image: Any = field(default=None, repr=False, compare=False)  # HxWx3 uint8 numpy array
    melody: Melody | None = field(default=None, repr=False, compare=False)
    provenance: dict[str, Any] = field(default_factory=dict, compare=False)
    status: WorkStatus = WorkStatus.NEW
    title: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


class Gallery:
    """An ordered list of works; remembers rejected seeds so they never come back."""

    def __init__(self, works: list[Work] | None = None) -> None:
        self._works: list[Work] = list(works or [])
        self.rejected_seeds: set[int] = {w.seed for w in self._works if w.status is WorkStatus.REJECTED}

    def insert(self, index: int, work: Work) -> None:
        self._works.insert(index, work)

    def append(self, work: Work) -> None:
        self._works.append(work)

    def pop(self, index: int) -> Work:
        return self._works.pop(index)

    def replace(self, index: int, work: Work) -> Work:
        """Put ``work`` at ``index`` and return the one it replaces."""
        old, self._works[index] = self._works[index], work
        if work.status is WorkStatus.REJECTED:
            self.rejected_seeds.add(work.seed)
        return old

    def index_of(self, work_id: str) -> int:
        for i, w in enumerate(self._works):
            if w.id == work_id:
                return i
        return -1

    def kept(self) -> list[Work]:
        return [w for w in self._works if w.status is WorkStatus.KEPT]

    def clear(self) -> None:
        self._works.clear()

    def __len__(self) -> int:
        return len(self._works)

    def __getitem__(self, index: int) -> Work:
        return self._works[index]

    def __iter__(self) -> Iterator[Work]:
        return iter(list(self._works))
