"""Measures the main thread's event-loop lag for ``python main.py bench ui_lag``.

A 10 ms precise timer on the main thread records how late each tick fires, idle or while a
task runs in the worker through :class:`studio.tasks.TaskRunner`. The benchmark module
(:mod:`studio.bench.ui_lag`) supplies the CPU-heavy job; this module holds the Qt side.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication

from studio.progress import Progress
from studio.tasks import TaskRunner, warm_up_torch

TIMER_MS = 10


def ensure_app() -> QApplication:
    """The running QApplication, created if there is none."""
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication([])


class LagProbe:
    """Collects the lateness of a repeating main-thread timer."""

    def __init__(self) -> None:
        class Probe(QObject):
            def __init__(self) -> None:
                super().__init__()
                self.lags: list[float] = []
                self.last = 0.0
                self.timer = QTimer(self)
                self.timer.setTimerType(Qt.TimerType.PreciseTimer)
                self.timer.setInterval(TIMER_MS)
                self.timer.timeout.connect(self.tick)

            @Slot()
            def tick(self) -> None:
                now = time.perf_counter()
                self.lags.append(max(0.0, now - self.last - TIMER_MS / 1000))
                self.last = now

            def begin(self) -> None:
                self.lags.clear()
                self.last = time.perf_counter()
                self.timer.start()

            def end(self) -> list[float]:
                self.timer.stop()
                return list(self.lags)

        self.probe = Probe()


def measure_phase(seconds: float, torch_threads: int | None, job: Callable[[Progress], int] | None = None) -> dict[str, Any]:
    """One phase: idle when ``torch_threads`` is None, else ``job`` (a task that returns its
    step count) running through a TaskRunner for about ``seconds``."""
    probe = LagProbe().probe
    loop = QEventLoop()
    if torch_threads is None:
        probe.begin()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        return {"lags": probe.end(), "steps_per_s": None}
    if job is None:
        raise ValueError("measure_phase needs a job when torch_threads is set")
    runner = TaskRunner(torch_threads=torch_threads)
    outcome: dict[str, Any] = {}
    try:
        warm = runner.start("warm up", warm_up_torch)  # the app does this at start-up, off the clock
        warm.sig_finished.connect(loop.quit)
        warm.sig_failed.connect(loop.quit)
        warm.sig_failed.connect(lambda msg, tb: outcome.update(error=tb))
        loop.exec()
        probe.begin()
        t0 = time.perf_counter()
        train = runner.start("train", job)
        train.sig_finished.connect(lambda steps: outcome.update(steps=steps))
        train.sig_finished.connect(loop.quit)
        train.sig_failed.connect(lambda msg, tb: outcome.update(error=tb))
        train.sig_failed.connect(loop.quit)
        train.sig_progress.connect(lambda f, m: outcome.update(fraction=f))  # a UI would draw it
        loop.exec()
        elapsed = time.perf_counter() - t0
        lags = probe.end()
    finally:
        runner.shutdown(10_000)
    if "error" in outcome:
        raise RuntimeError(f"the training task failed:\n{outcome['error']}")
    return {"lags": lags, "steps_per_s": outcome.get("steps", 0) / elapsed}
