"""The root of the studio's error hierarchy; imports nothing so every layer can use it.

Every error carries the file it concerns (when there is one) and a reason a user can act on.
``str(error)`` is the message shown in the GUI and printed by the CLI.
"""

from __future__ import annotations


class StudioError(Exception):
    """Base class of every error the studio reports to a user."""

    def __init__(self, reason: str, path: str | None = None) -> None:
        self.reason = reason
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


class SampleLoadError(StudioError):
    """A sample file could not be read: missing, empty, corrupt, too large or unsupported."""


class UnsupportedFormatError(SampleLoadError):
    """The file is not a format the studio reads (judged by content, not only by name)."""


class MixedDomainError(StudioError):
    """Paintings and melodies were put into one sample set."""


class ProjectError(StudioError):
    """A project file could not be read or written."""


class CheckpointError(StudioError):
    """Model weights or their JSON card are missing, malformed or do not match the model."""


class AdaptationError(StudioError):
    """Adapting a model to the user's samples failed."""


class Cancelled(StudioError):
    """Long work stopped because the user (or a newer request) asked it to."""

    def __init__(self, reason: str = "cancelled") -> None:
        super().__init__(reason)


class ChordTextError(StudioError):
    """Chord text (``C | G | Am F``) could not be read; points at the bad symbol.

    ``position`` is the symbol's character offset in the text (0-based), ``bar`` its bar
    (1-based) and ``symbol`` its text; each is ``None`` when the problem is the whole text.
    """

    def __init__(
        self, reason: str, *, position: int | None = None, bar: int | None = None,
        symbol: str | None = None, path: str | None = None,
    ) -> None:
        self.position = position
        self.bar = bar
        self.symbol = symbol
        super().__init__(reason, path)


class ScaleError(StudioError):
    """A key or scale name (``D dorian``, ``F# blues``) could not be read."""
