"""The small protocol through which long engine work reports to whoever runs it.

Engine functions take a :class:`Progress` and call ``report_progress``, ``report_partial`` and
``should_stop`` (or :func:`check_stop`) between steps. They know nothing of Qt: the GUI passes
the queued-signal implementation in :mod:`studio.tasks`, the CLI a :class:`ConsoleProgress`,
tests a :class:`RecordingProgress` or :data:`NULL_PROGRESS`.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, Protocol, TextIO, runtime_checkable

from studio.errors import Cancelled


@runtime_checkable
class Progress(Protocol):
    """What a long-running engine function may tell its caller, and ask of it."""

    def report_progress(self, fraction: float, message: str = "") -> None:
        """Report completion in [0, 1] with a short human-readable status line."""

    def report_partial(self, result: Any) -> None:
        """Hand over a partial result (one imported sample, one generated work, a loss value)."""

    def should_stop(self) -> bool:
        """True once the caller asked the work to stop; check it between steps."""


def check_stop(progress: Progress) -> None:
    """Raise :class:`Cancelled` if ``progress`` asks the work to stop."""
    if progress.should_stop():
        raise Cancelled()


class NullProgress:
    """Ignores everything and never asks to stop."""

    def report_progress(self, fraction: float, message: str = "") -> None:
        pass

    def report_partial(self, result: Any) -> None:
        pass

    def should_stop(self) -> bool:
        return False


NULL_PROGRESS = NullProgress()


class StopOnly:
    """Passes ``outer``'s stop requests on and keeps every report to itself (inner work whose
    progress lines the caller does not show: calibration pilots, a pool's drafting batches)."""

    def __init__(self, outer: Progress) -> None:
        self._outer = outer

    def report_progress(self, fraction: float, message: str = "") -> None:
        pass

    def report_partial(self, result: Any) -> None:
        pass

    def should_stop(self) -> bool:
        return self._outer.should_stop()


class RecordingProgress:
    """Keeps every report; can be told to stop. Thread-safe; used by tests and benchmarks."""

    def __init__(self, stop_after_partials: int | None = None) -> None:
        self.fractions: list[float] = []
        self.messages: list[str] = []
        self.partials: list[Any] = []
        self._stop = threading.Event()
        self._stop_after = stop_after_partials

    def report_progress(self, fraction: float, message: str = "") -> None:
        self.fractions.append(fraction)
        self.messages.append(message)

    def report_partial(self, result: Any) -> None:
        self.partials.append(result)
        if self._stop_after is not None and len(self.partials) >= self._stop_after:
            self._stop.set()

    def request_stop(self) -> None:
        self._stop.set()

    def should_stop(self) -> bool:
        return self._stop.is_set()


class ConsoleProgress:
    """Prints throttled progress lines to a stream (stderr by default) for the CLI."""

    def __init__(self, stream: TextIO | None = None, interval_s: float = 0.5, quiet: bool = False) -> None:
        self._stream = stream or sys.stderr
        self._interval = interval_s
        self._last = 0.0
        self._quiet = quiet

    def report_progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if self._quiet or (now - self._last < self._interval and fraction < 1.0):
            return
        self._last = now
        print(f"[{100 * max(0.0, min(1.0, fraction)):5.1f}%] {message}", file=self._stream, flush=True)

    def report_partial(self, result: Any) -> None:
        pass

    def should_stop(self) -> bool:
        return False
