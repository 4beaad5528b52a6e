"""The one bridge from long engine work to Qt: a worker thread, queued signals, cooperative cancel.

Engine functions take a :class:`studio.progress.Progress` and know nothing of Qt (Orange3's
``concurrent.py`` split). :class:`TaskRunner` runs them, one at a time, in a single long-lived
worker ``QThread`` and turns their reports into signals that reach the main thread queued:

* :meth:`TaskRunner.start` returns a :class:`TaskHandle`, a main-thread QObject with the task's
  own signals and its own ``cancel()`` (Orange3's per-task watcher): a listener connects to the
  one task it cares about, so nothing filters a broadcast by task id. The runner itself only
  says that a task was added (``sig_task_added``, for a progress display that follows every
  task) and whether it is busy;
* every worker report is emitted by ``_Worker``, a QObject living in the worker thread, and
  received by ``@Slot`` methods of the runner, which lives in the main thread (a lambda
  connected to a worker signal would run in the worker thread); the runner re-emits it on the
  task's handle, so handle listeners run in the main thread too;
* once a task is cancelled or superseded the runner drops its progress and partial results,
  and its handle's only remaining signal is ``sig_cancelled``;
* progress is throttled to ~30 signals per second in the worker; the latest suppressed value
  is delivered before the task's next partial or end, or by the runner's flush timer when the
  task goes quiet, so the last progress always shows. Partial results are never throttled;
* every exception raised by a task ends as its handle's ``sig_failed``; the window connects
  every handle's ``sig_failed`` to one place that shows it (``sig_task_added``);
* :meth:`TaskRunner.shutdown` (also run on the application's ``aboutToQuit``) cancels every
  task, quits the worker thread and waits for it; no handle signal follows it, and a thread
  whose task ignores the cancel is kept referenced so it is never destroyed while it runs.

torch is never imported here (cold start stays fast): the worker sets ``torch.set_num_threads``
when torch is already loaded at task start or the task loads it before its first report.
"""

from __future__ import annotations

import functools
import itertools
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QMetaMethod, QObject, Qt, QThread, QTimer, Signal, Slot

from studio.errors import Cancelled, StudioError
from studio.progress import Progress

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 1 / 30  # at most ~30 progress signals per second per task
FLUSH_INTERVAL_MS = 50  # how soon a suppressed progress value shows when the task goes quiet

# QThreads whose task ignored shutdown: kept referenced so they are never destroyed while running.
_ORPHANED: list[QObject] = []


class EtaEstimator:
    """Seconds remaining from elapsed time and completed fraction, smoothed so it does not jump.

    ``update`` returns -1 while there is not enough evidence (no progress yet, or less than
    ``min_elapsed_s`` of work); a fraction that goes backwards (a new phase) restarts the estimate.
    """

    def __init__(self, start: float, smoothing: float = 0.3, min_elapsed_s: float = 0.5) -> None:
        self._start = start
        self._alpha = smoothing
        self._min_elapsed = min_elapsed_s
        self._eta = -1.0
        self._last_time = start
        self._last_fraction = 0.0

    def update(self, fraction: float, now: float) -> float:
        if fraction < self._last_fraction:
            self._start, self._eta = now, -1.0
        self._last_fraction = fraction
        elapsed = now - self._start
        if fraction >= 1.0:
            self._eta = 0.0
        elif fraction <= 0.0 or elapsed < self._min_elapsed:
            self._eta = -1.0
        else:
            raw = elapsed * (1.0 - fraction) / fraction
            if self._eta < 0:
                self._eta = raw
            else:
                predicted = max(0.0, self._eta - (now - self._last_time))
                self._eta = predicted + self._alpha * (raw - predicted)
        self._last_time = now
        return self._eta


def _configure_torch(num_threads: int) -> bool:
    """Set torch's intra-op threads in the calling (worker) thread if torch is loaded."""
    torch = sys.modules.get("torch")
    if torch is None or not hasattr(torch, "set_num_threads"):
        return False
    try:
        if torch.get_num_threads() != num_threads:
            torch.set_num_threads(num_threads)
    except Exception:  # noqa: BLE001 - torch half-imported elsewhere: try again at the next report
        return False
    return True


class _TaskProgress:
    """The Progress a task receives; called in the worker thread, read by the runner's flush."""

    def __init__(self, task: _Task, worker: _Worker, torch_threads: int) -> None:
        self._task = task
        self._worker = worker
        self._torch_threads = torch_threads
        self._torch_ready = False
        self._lock = threading.Lock()
        self._pending: tuple[float, str, float] | None = None  # (fraction, message, eta) not yet sent
        self._last_sent = -1.0
        self._eta = EtaEstimator(time.monotonic())
        self.sent = 0  # progress and partial signals emitted; compared with the runner's received

    def _torch_check(self) -> None:
        if not self._torch_ready:
            self._torch_ready = _configure_torch(self._torch_threads)

    def report_progress(self, fraction: float, message: str = "") -> None:
        self._torch_check()
        if self._task.stop.is_set():
            return
        fraction = min(1.0, max(0.0, float(fraction)))
        now = time.monotonic()
        with self._lock:
            eta = self._eta.update(fraction, now)
            if now - self._last_sent < PROGRESS_INTERVAL_S:
                self._pending = (fraction, message, eta)
                return
            self._pending = None
            self._last_sent = now
            self.sent += 1
        self._worker.sig_progress.emit(self._task.task_id, fraction, message, eta)

    def report_partial(self, result: Any) -> None:
        self._torch_check()
        if self._task.stop.is_set():
            return
        self.flush()
        with self._lock:
            self.sent += 1
        self._worker.sig_partial.emit(self._task.task_id, result)

    def should_stop(self) -> bool:
        self._torch_check()
        return self._task.stop.is_set()

    def flush(self) -> None:
        """Send the suppressed progress value, if any (worker thread)."""
        with self._lock:
            pending, self._pending = self._pending, None
            if pending is None:
                return
            self._last_sent = time.monotonic()
            self.sent += 1
        self._worker.sig_progress.emit(self._task.task_id, *pending)

    def take_pending_if_drained(self, received: int) -> tuple[float, str, float] | None:
        """The suppressed value, for the runner to show itself (main thread).

        Only when every signal the task sent has been received, so a value never overtakes a
        partial result still queued before it.
        """
        with self._lock:
            if self._pending is None or self.sent != received:
                return None
            pending, self._pending = self._pending, None
            self._last_sent = time.monotonic()
            return pending


class TaskHandle(QObject):
    """One task's own signals and its cancel; made by :meth:`TaskRunner.start` (main thread).

    Exactly one of ``sig_finished``, ``sig_cancelled`` or ``sig_failed`` ends every task; one
    superseded before it ran gets only ``sig_cancelled``, and after :meth:`cancel` (or a newer
    start) ``sig_cancelled`` is the only signal still to come. The runner keeps the handle alive
    until its task ends, so a caller may drop it; after the last signal it disconnects every
    listener, so a listener that holds the handle (a ``functools.partial``, a lambda) does not
    keep it alive in a cycle through Qt that Python's collector cannot see.
    """

    sig_started = Signal()
    sig_progress = Signal(float, str)  # fraction 0..1, message
    sig_eta = Signal(float)  # seconds remaining, or -1 when unknown
    sig_partial = Signal(object)
    sig_finished = Signal(object)  # the task's return value
    sig_cancelled = Signal()
    sig_failed = Signal(str, str)  # user message, traceback text

    def __init__(self, task_id: int, label: str, stop: threading.Event) -> None:
        super().__init__()
        self.task_id = task_id
        self.label = label
        self._stop = stop
        self._done = False

    def cancel(self) -> None:
        """Ask this task (running or waiting) to stop; ``sig_cancelled`` follows when it does."""
        self._stop.set()

    def is_done(self) -> bool:
        """Whether the task's last signal has been emitted."""
        return self._done

    def connect_outcomes(self, partial: Callable[..., object], finished: Callable[..., object],
                         cancelled: Callable[..., object], failed: Callable[..., object]) -> None:
        """Connect ``sig_partial`` and the three endings to methods of a main-thread object that
        keeps per-task state: each is called with this handle first (``finished(handle, result)``,
        ``failed(handle, message, traceback)``, ...)."""
        self.sig_partial.connect(functools.partial(partial, self))
        self.sig_finished.connect(functools.partial(finished, self))
        self.sig_cancelled.connect(functools.partial(cancelled, self))
        self.sig_failed.connect(functools.partial(failed, self))

    def __repr__(self) -> str:
        return f"<TaskHandle {self.task_id} {self.label!r}{' done' if self._done else ''}>"

    def _close(self) -> None:
        """Mark done and drop every listener (main thread, after the last signal)."""
        self._done = True
        meta = self.metaObject()
        for index in range(meta.methodOffset(), meta.methodCount()):
            method = meta.method(index)
            # QMetaMethod.fromSignal would keep a reference to self (PySide 6.11): read the table instead
            if method.methodType() == QMetaMethod.MethodType.Signal and self.isSignalConnected(method):
                getattr(self, bytes(method.name().data()).decode()).disconnect()


@dataclass(eq=False)
class _Task:
    task_id: int
    label: str
    fn: Callable[[Progress], Any]
    # detached when the task ends (main thread): the worker may drop the last reference to this
    # _Task, and a QObject must never be destroyed there
    handle: TaskHandle | None
    stop: threading.Event = field(default_factory=threading.Event)
    progress: _TaskProgress | None = None  # created by the worker when the task starts
    received: int = 0  # progress and partial signals the runner has handled (main thread)
    started: bool = False  # the runner has seen sig_started (main thread)


class _Worker(QObject):
    """Lives in the worker thread and runs tasks; every signal it emits reaches the runner queued."""

    sig_started = Signal(int)
    sig_progress = Signal(int, float, str, float)
    sig_partial = Signal(int, object)
    sig_finished = Signal(int, object)
    sig_cancelled = Signal(int)
    sig_failed = Signal(int, str, str)

    def __init__(self, torch_threads: int) -> None:
        super().__init__()
        self._torch_threads = torch_threads

    @Slot(object)
    def run(self, task: _Task) -> None:
        if task.stop.is_set():  # superseded or cancelled before it started
            self.sig_cancelled.emit(task.task_id)
            return
        progress = _TaskProgress(task, self, self._torch_threads)
        task.progress = progress
        self.sig_started.emit(task.task_id)
        _configure_torch(self._torch_threads)
        try:
            result = task.fn(progress)
        except Cancelled:
            self.sig_cancelled.emit(task.task_id)
        except BaseException as exc:  # noqa: BLE001 - every worker error must reach the UI
            text = traceback.format_exc()
            if task.stop.is_set():
                log.warning("task %r failed after it was cancelled:\n%s", task.label, text)
                self.sig_cancelled.emit(task.task_id)
            else:
                progress.flush()
                message = str(exc) if isinstance(exc, StudioError) else f"Unexpected error: {type(exc).__name__}: {exc}"
                self.sig_failed.emit(task.task_id, message, text)
        else:
            if task.stop.is_set():
                self.sig_cancelled.emit(task.task_id)
            else:
                progress.flush()
                self.sig_finished.emit(task.task_id, result)
        finally:
            _configure_torch(self._torch_threads)  # for a task that loaded torch without reporting


class TaskRunner(QObject):
    """Runs ``fn(progress)`` tasks one at a time in one worker thread; see the module docstring.

    Each task reports on the :class:`TaskHandle` that :meth:`start` returns.
    """

    sig_task_added = Signal(object)  # the TaskHandle of a task just started (before start returns)
    sig_busy_changed = Signal(bool)
    _sig_submit = Signal(object)

    def __init__(self, parent: QObject | None = None, torch_threads: int = 2) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._tasks: dict[int, _Task] = {}  # outstanding: submitted, no terminal signal handled yet
        self._latest: _Task | None = None
        self._thread = QThread()
        self._thread.setObjectName("studio-worker")
        self._worker = _Worker(torch_threads)
        self._worker.moveToThread(self._thread)
        queued = Qt.ConnectionType.QueuedConnection
        self._sig_submit.connect(self._worker.run, queued)
        self._worker.sig_started.connect(self._on_started, queued)
        self._worker.sig_progress.connect(self._on_progress, queued)
        self._worker.sig_partial.connect(self._on_partial, queued)
        self._worker.sig_finished.connect(self._on_finished, queued)
        self._worker.sig_cancelled.connect(self._on_cancelled, queued)
        self._worker.sig_failed.connect(self._on_failed, queued)
        self._flush_timer = QTimer(self)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self._flush_quiet_progress)
        self._shut_down = False
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:  # a safety net: a QThread destroyed while running aborts the process
            app.aboutToQuit.connect(self._on_about_to_quit)

    # -- public API (main thread) ------------------------------------------------------------

    def start(self, label: str, fn: Callable[[Progress], Any]) -> TaskHandle:
        """Run ``fn(progress)`` in the worker after cancelling whatever runs or waits; its handle.

        Connect to the handle's signals right away: none is emitted before control returns to
        the event loop.
        """
        if self._shut_down:
            raise RuntimeError("TaskRunner.start() after shutdown()")
        self._request_stop_all()
        task_id = next(self._ids)
        stop = threading.Event()
        handle = TaskHandle(task_id, label, stop)
        task = _Task(task_id, label, fn, handle, stop)
        was_busy = self.is_busy()
        self._tasks[task.task_id] = task
        self._latest = task
        if not was_busy:
            self._flush_timer.start()
            self.sig_busy_changed.emit(True)
        self.sig_task_added.emit(handle)
        self._sig_submit.emit(task)
        return handle

    def cancel(self) -> None:
        """Ask the running (and any waiting) task to stop; each handle's ``sig_cancelled`` follows."""
        self._request_stop_all()

    def is_busy(self) -> bool:
        return bool(self._tasks)

    def current_label(self) -> str | None:
        """The label of the newest task while it runs or waits, else None."""
        return self._latest.label if self._latest is not None else None

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel, stop the worker thread and wait for it; False if a task ignored the cancel.

        Call it after the event loop ends or from ``closeEvent`` (it also runs on the application's
        ``aboutToQuit``). A thread that does not stop in time is kept referenced so it is never
        destroyed while it runs.
        """
        if self._shut_down:
            return self._thread.isFinished()
        self._shut_down = True
        self._request_stop_all()
        self._flush_timer.stop()
        self._thread.quit()
        stopped = self._thread.wait(max(0, int(timeout_ms)))
        if not stopped:
            log.warning("worker thread still busy %d ms after shutdown(); leaving it to finish", timeout_ms)
            _ORPHANED.extend((self._thread, self._worker))
        was_busy = self.is_busy()
        for task_id in list(self._tasks):
            self._end(task_id)[1]._close()  # no signal follows shutdown
        self._tasks.clear()
        self._latest = None
        if was_busy:
            self.sig_busy_changed.emit(False)
        return stopped

    # -- internals (main thread) ---------------------------------------------------------------

    def _request_stop_all(self) -> None:
        for task in self._tasks.values():
            task.stop.set()

    def _live(self, task_id: int) -> tuple[_Task, TaskHandle] | None:
        """The task and its handle if its progress and results are still wanted."""
        task = self._tasks.get(task_id)
        if task is None or task.stop.is_set() or task.handle is None:
            return None
        return task, task.handle

    def _end(self, task_id: int) -> tuple[_Task, TaskHandle]:
        """Forget an outstanding task and detach its handle (which the caller then closes)."""
        task = self._tasks.pop(task_id)
        if task is self._latest:
            self._latest = None  # do not keep the task's function (and what it captured) alive
        if not self._tasks:
            self._flush_timer.stop()
        handle, task.handle, task.progress = task.handle, None, None  # progress <-> task is a cycle
        assert handle is not None
        return task, handle

    def _after_end(self) -> None:
        if not self._tasks:
            self.sig_busy_changed.emit(False)

    @Slot()
    def _on_about_to_quit(self) -> None:
        self.shutdown()

    @Slot(int)
    def _on_started(self, task_id: int) -> None:
        live = self._live(task_id)
        if live is not None:
            live[0].started = True
            live[1].sig_started.emit()

    @Slot(int, float, str, float)
    def _on_progress(self, task_id: int, fraction: float, message: str, eta: float) -> None:
        live = self._live(task_id)
        if live is not None:
            live[0].received += 1
            live[1].sig_progress.emit(fraction, message)
            live[1].sig_eta.emit(eta)

    @Slot(int, object)
    def _on_partial(self, task_id: int, result: object) -> None:
        live = self._live(task_id)
        if live is not None:
            live[0].received += 1
            live[1].sig_partial.emit(result)

    def _finish(self, task_id: int, outcome: str, *args: object) -> None:
        """End the task with ``sig_<outcome>`` (``sig_cancelled`` once it was asked to stop)."""
        if task_id not in self._tasks:
            return
        task, handle = self._end(task_id)
        handle._done = True
        if task.stop.is_set() or outcome == "cancelled":  # a result after a cancel is not wanted
            handle.sig_cancelled.emit()
        else:
            getattr(handle, f"sig_{outcome}").emit(*args)
        handle._close()
        self._after_end()

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        self._finish(task_id, "finished", result)

    @Slot(int)
    def _on_cancelled(self, task_id: int) -> None:
        self._finish(task_id, "cancelled")

    @Slot(int, str, str)
    def _on_failed(self, task_id: int, message: str, details: str) -> None:
        self._finish(task_id, "failed", message, details)

    @Slot()
    def _flush_quiet_progress(self) -> None:
        for task in list(self._tasks.values()):
            if task.stop.is_set() or not task.started or task.progress is None or task.handle is None:
                continue
            pending = task.progress.take_pending_if_drained(task.received)
            if pending is not None:
                fraction, message, eta = pending
                task.handle.sig_progress.emit(fraction, message)
                task.handle.sig_eta.emit(eta)


def warm_up_torch(progress: Progress) -> None:
    """Task: import torch and step a tiny Adam, so the UI never pays for it later.

    The first ``torch.optim.Adam`` lazily imports ``torch._dynamo``, which holds the GIL for
    ~150 ms; doing it here, in the worker, at start-up keeps that freeze off the main thread.
    """
    progress.report_progress(0.0, "Loading the learning engine")
    import torch

    layer = torch.nn.Linear(4, 2)
    optimizer = torch.optim.Adam(layer.parameters(), lr=1e-3)
    loss = layer(torch.zeros(1, 4)).sum()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    progress.report_progress(1.0, "Learning engine ready")
