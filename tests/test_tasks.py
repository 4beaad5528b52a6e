"""TaskRunner and its per-task handles: life cycle, cancel latency, supersession, errors, throttling,
shutdown, signal regression."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from studio.errors import Cancelled, SampleLoadError
from studio.tasks import _ORPHANED, EtaEstimator, TaskHandle, TaskRunner, warm_up_torch

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner(qtbot):
    r = TaskRunner()
    yield r
    assert r.shutdown(5000)


class Recorder:
    """Collects the signals of every handle the runner starts, as (name, task_id, *args) in
    arrival order, and the runner's busy changes as ("busy_changed", busy)."""

    NAMES = ("started", "progress", "eta", "partial", "finished", "cancelled", "failed")

    def __init__(self, runner: TaskRunner) -> None:
        self.events: list[tuple] = []
        runner.sig_task_added.connect(self._watch)
        runner.sig_busy_changed.connect(lambda busy: self.events.append(("busy_changed", busy)))

    def _watch(self, handle: TaskHandle) -> None:
        for name in self.NAMES:
            getattr(handle, f"sig_{name}").connect(
                lambda *args, _n=name, _id=handle.task_id: self.events.append((_n, _id, *args)))

    def of(self, name: str) -> list[tuple]:
        return [e[1:] for e in self.events if e[0] == name]


def wait_until_stopped(progress, step_s: float = 0.05, limit_s: float = 10.0) -> None:
    """A cooperative busy task: sleeps in steps, checking should_stop between them."""
    end = time.monotonic() + limit_s
    while not progress.should_stop():
        if time.monotonic() > end:
            raise AssertionError("the task was never asked to stop")
        time.sleep(step_s)
    raise Cancelled()


def test_life_cycle_in_strict_order(qtbot, runner):
    def job(progress):
        progress.report_progress(0.5, "half way")
        progress.report_partial("first")
        return 42

    rec = Recorder(runner)
    handle = runner.start("Job", job)
    task_id = handle.task_id
    assert handle.label == "Job" and not handle.is_done()
    signals = [handle.sig_started, handle.sig_progress, handle.sig_partial, handle.sig_finished]
    with qtbot.waitSignals(signals, order="strict", timeout=5000):
        pass
    assert handle.is_done()
    assert rec.of("started") == [(task_id,)]
    assert rec.of("progress") == [(task_id, 0.5, "half way")]
    assert len(rec.of("eta")) == 1
    assert rec.of("partial") == [(task_id, "first")]
    assert rec.of("finished") == [(task_id, 42)]
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=2000)
    assert rec.of("busy_changed") == [(True,), (False,)]
    assert runner.current_label() is None


def test_every_partial_arrives_in_order(qtbot, runner):
    def job(progress):
        for i in range(500):
            progress.report_partial(i)
        return "done"

    rec = Recorder(runner)
    handle = runner.start("Many", job)
    with qtbot.waitSignal(handle.sig_finished, timeout=5000):
        pass
    assert [p[1] for p in rec.of("partial")] == list(range(500))


def test_cancel_takes_effect_promptly(qtbot, runner):
    handle = runner.start("Busy", wait_until_stopped)
    with qtbot.waitSignal(handle.sig_started, timeout=5000):
        pass
    assert runner.is_busy() and runner.current_label() == "Busy"
    with qtbot.waitSignal(handle.sig_cancelled, timeout=2000):
        t0 = time.perf_counter()
        runner.cancel()
    latency = time.perf_counter() - t0
    # the 200 ms target is a benchmark's (`bench cancel`); here only "at once, not at the task's end"
    assert latency < 1.0, f"cancel took {latency * 1000:.0f} ms"
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=2000)


def test_task_returning_after_stop_counts_as_cancelled(qtbot, runner):
    def job(progress):
        while not progress.should_stop():
            time.sleep(0.01)
        return "ignored"

    rec = Recorder(runner)
    handle = runner.start("Busy", job)
    task_id = handle.task_id
    with qtbot.waitSignal(handle.sig_started, timeout=5000):
        pass
    with qtbot.waitSignal(handle.sig_cancelled, timeout=2000):
        handle.cancel()
    assert rec.of("finished") == []
    assert rec.of("cancelled") == [(task_id,)]


def test_new_start_cancels_previous_and_drops_its_progress(qtbot, runner):
    def old(progress):
        i = 0
        while not progress.should_stop():
            i += 1
            progress.report_progress(0.001 * (i % 1000), "old")
            progress.report_partial(("old", i))
            time.sleep(0.002)
        raise Cancelled()

    def new(progress):
        progress.report_progress(0.5, "new")
        progress.report_partial("new result")
        return "new"

    rec = Recorder(runner)
    old_handle = runner.start("Old", old)
    old_id = old_handle.task_id
    with qtbot.waitSignal(old_handle.sig_partial, timeout=5000):
        pass
    mark = len(rec.events)
    new_handle = runner.start("New", new)
    new_id = new_handle.task_id
    assert runner.current_label() == "New"
    with qtbot.waitSignals([old_handle.sig_cancelled, new_handle.sig_finished], order="strict", timeout=5000):
        pass
    after = rec.events[mark:]
    assert not [e for e in after if e[0] in ("progress", "partial", "eta") and e[1] == old_id]
    assert ("cancelled", old_id) in after
    assert ("finished", new_id, "new") in after
    assert ("partial", new_id, "new result") in after
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=2000)
    assert rec.of("busy_changed") == [(True,), (False,)]


def test_superseded_task_that_never_ran_is_cancelled_without_starting(qtbot, runner):
    rec = Recorder(runner)
    first_handle = runner.start("First", wait_until_stopped)
    first = first_handle.task_id
    with qtbot.waitSignal(first_handle.sig_started, timeout=5000):
        pass
    second = runner.start("Second", lambda p: "second").task_id
    third_handle = runner.start("Third", lambda p: "third")
    third = third_handle.task_id
    with qtbot.waitSignal(third_handle.sig_finished, timeout=5000) as blocker:
        pass
    assert blocker.args == ["third"]
    assert rec.of("cancelled") == [(first,), (second,)]
    assert [s[0] for s in rec.of("started")] == [first, third]


def _listen(handle: TaskHandle) -> list[tuple]:
    """Every signal of ``handle`` as (name, *args), in arrival order."""
    got: list[tuple] = []
    for name in Recorder.NAMES:
        getattr(handle, f"sig_{name}").connect(lambda *args, _n=name: got.append((_n, *args)))
    return got


def test_each_handle_gets_only_its_own_tasks_signals(qtbot, runner):
    def job(tag):
        def run(progress):
            progress.report_progress(0.5, tag)
            progress.report_partial(tag)
            return tag
        return run

    first = runner.start("A", job("a"))
    got_a = _listen(first)
    with qtbot.waitSignal(first.sig_finished, timeout=5000):
        pass
    second = runner.start("B", job("b"))
    got_b = _listen(second)
    with qtbot.waitSignal(second.sig_finished, timeout=5000):
        pass
    assert first.task_id != second.task_id
    assert [e for e in got_a if e[0] != "eta"] == [("started",), ("progress", 0.5, "a"), ("partial", "a"),
                                                  ("finished", "a")]
    assert [e for e in got_b if e[0] != "eta"] == [("started",), ("progress", 0.5, "b"), ("partial", "b"),
                                                  ("finished", "b")]


def test_a_new_tasks_listeners_never_hear_the_old_task(qtbot, runner):
    def old(progress):
        i = 0
        while not progress.should_stop():
            i += 1
            progress.report_progress(0.5, "old")
            progress.report_partial("old")
            time.sleep(0.002)
        return "old result"  # returned after the stop: counts as cancelled

    def new(progress):
        progress.report_partial("new")
        return "new"

    old_handle = runner.start("Old", old)
    got_old = _listen(old_handle)
    with qtbot.waitSignal(old_handle.sig_partial, timeout=5000):
        pass
    new_handle = runner.start("New", new)
    got_new = _listen(new_handle)
    with qtbot.waitSignals([old_handle.sig_cancelled, new_handle.sig_finished], order="strict", timeout=5000):
        pass
    assert "old" not in [arg for event in got_new for arg in event[1:]]
    assert got_new == [("started",), ("partial", "new"), ("finished", "new")]
    assert got_old[-1] == ("cancelled",) and ("finished", "old result") not in got_old
    assert old_handle.is_done() and new_handle.is_done()


def test_cancel_through_the_handle_takes_effect_promptly(qtbot, runner):
    handle = runner.start("Busy", wait_until_stopped)
    got = _listen(handle)
    with qtbot.waitSignal(handle.sig_started, timeout=5000):
        pass
    with qtbot.waitSignal(handle.sig_cancelled, timeout=2000):
        t0 = time.perf_counter()
        handle.cancel()
    latency = time.perf_counter() - t0
    # the 200 ms target is a benchmark's (`bench cancel`); here only "at once, not at the task's end"
    assert latency < 1.0, f"cancel took {latency * 1000:.0f} ms"
    assert got == [("started",), ("cancelled",)]
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=2000)
    handle.cancel()  # after the end: nothing happens
    later = runner.start("Later", lambda p: "later")
    with qtbot.waitSignal(later.sig_finished, timeout=5000) as blocker:
        pass
    assert blocker.args == ["later"]


def test_a_handle_cancelled_before_it_runs_never_starts(qtbot, runner):
    gate = threading.Event()
    first = runner.start("First", lambda p: gate.wait(5))
    with qtbot.waitSignal(first.sig_started, timeout=5000):
        pass
    ran = []
    # a second start supersedes the first; cancel the second before the worker reaches it
    second = runner.start("Second", lambda p: ran.append(True))
    got = _listen(second)
    second.cancel()
    gate.set()
    with qtbot.waitSignal(second.sig_cancelled, timeout=5000):
        pass
    assert got == [("cancelled",)] and ran == []


def test_task_added_announces_the_handle_before_start_returns(qtbot, runner):
    added: list[TaskHandle] = []
    runner.sig_task_added.connect(added.append)
    handle = runner.start("Job", lambda p: None)
    assert added == [handle]
    with qtbot.waitSignal(handle.sig_finished, timeout=5000):
        pass


def test_a_dropped_handle_still_ends_its_task(qtbot, runner):
    import gc

    runner.start("Dropped", lambda p: "x")  # nobody keeps the handle
    gc.collect()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)


def test_an_ended_handle_is_freed_even_when_its_listeners_hold_it(qtbot, runner):
    import functools
    import gc
    import weakref

    handle = runner.start("Job", lambda p: "x")
    got: list[str] = []
    handle.sig_finished.connect(functools.partial(lambda h, result: got.append(result), handle))  # a cycle
    ref = weakref.ref(handle)
    del handle
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)
    assert got == ["x"]
    gc.collect()
    assert ref() is None, "the runner disconnects an ended handle's listeners, so nothing keeps it"


def test_connect_outcomes_calls_each_slot_with_the_handle_first(qtbot, runner):
    heard: list[tuple] = []

    def record(name):
        return lambda *args: heard.append((name, *args))

    def fail(progress):
        raise SampleLoadError("empty", "/a.png")

    done = runner.start("Done", lambda p: (p.report_partial("half"), "whole")[1])
    done.connect_outcomes(record("partial"), record("finished"), record("cancelled"), record("failed"))
    qtbot.waitUntil(done.is_done, timeout=5000)
    failing = runner.start("Failing", fail)
    failing.connect_outcomes(record("partial"), record("finished"), record("cancelled"), record("failed"))
    qtbot.waitUntil(failing.is_done, timeout=5000)
    stopped = runner.start("Stopped", wait_until_stopped)
    stopped.connect_outcomes(record("partial"), record("finished"), record("cancelled"), record("failed"))
    stopped.cancel()
    qtbot.waitUntil(stopped.is_done, timeout=5000)
    assert heard[:2] == [("partial", done, "half"), ("finished", done, "whole")]
    assert heard[2][:3] == ("failed", failing, "/a.png: empty") and heard[3:] == [("cancelled", stopped)]


def test_studio_error_becomes_failed_with_its_message(qtbot, runner):
    def job(progress):
        raise SampleLoadError("the file is empty (0 bytes)", "/tmp/a.png")

    handle = runner.start("Import", job)
    with qtbot.waitSignal(handle.sig_failed, timeout=5000) as blocker:
        pass
    assert blocker.args[0] == "/tmp/a.png: the file is empty (0 bytes)"
    assert "SampleLoadError" in blocker.args[1]


def test_unexpected_error_becomes_failed_with_traceback(qtbot, runner):
    def exploding_job(progress):
        raise ValueError("boom")

    handle = runner.start("Explode", exploding_job)
    with qtbot.waitSignal(handle.sig_failed, timeout=5000) as blocker:
        pass
    message, details = blocker.args
    assert message == "Unexpected error: ValueError: boom"
    assert "Traceback" in details and "exploding_job" in details
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=2000)


def test_progress_is_throttled_and_last_value_is_delivered(qtbot, runner):
    def job(progress):
        for i in range(1, 2001):
            progress.report_progress(i / 2000, f"step {i}")
        return None

    rec = Recorder(runner)
    handle = runner.start("Fast", job)
    with qtbot.waitSignal(handle.sig_finished, timeout=5000):
        pass
    progress = rec.of("progress")
    assert 1 <= len(progress) < 100
    assert progress[-1][1:] == (1.0, "step 2000")


def test_suppressed_progress_shows_when_the_task_goes_quiet(qtbot, runner):
    shown = threading.Event()

    def job(progress):
        progress.report_progress(0.1, "loading")
        progress.report_progress(0.2, "training")  # suppressed by the throttle, then flushed
        while not shown.is_set() and not progress.should_stop():
            time.sleep(0.01)
        return None

    rec = Recorder(runner)
    runner.start("Quiet", job)
    try:
        qtbot.waitUntil(lambda: any(p[2] == "training" for p in rec.of("progress")), timeout=3000)
    finally:
        shown.set()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)
    assert [p[2] for p in rec.of("progress")] == ["loading", "training"]


def test_shutdown_while_busy_does_not_hang(qtbot):
    r = TaskRunner()
    with qtbot.waitSignal(r.start("Busy", wait_until_stopped).sig_started, timeout=5000):
        pass
    t0 = time.perf_counter()
    assert r.shutdown(5000)
    assert time.perf_counter() - t0 < 1.0
    assert not r.is_busy()


def test_shutdown_with_uncooperative_task_returns_at_timeout(qtbot):
    r = TaskRunner()
    with qtbot.waitSignal(r.start("Stubborn", lambda p: time.sleep(0.5)).sig_started, timeout=5000):
        pass
    t0 = time.perf_counter()
    assert r.shutdown(50) is False
    assert time.perf_counter() - t0 < 0.4
    thread = r._thread
    assert thread in _ORPHANED
    qtbot.waitUntil(thread.isFinished, timeout=3000)


def test_torch_threads_set_in_worker_and_warm_up(qtbot):
    pytest.importorskip("torch")
    r = TaskRunner(torch_threads=1)
    try:
        with qtbot.waitSignal(r.start("Warm up", warm_up_torch).sig_finished, timeout=30000) as blocker:
            pass
        assert blocker.args[0] is None
        import torch

        with qtbot.waitSignal(r.start("Threads", lambda p: torch.get_num_threads()).sig_finished,
                              timeout=5000) as blocker:
            pass
        assert blocker.args[0] == 1
    finally:
        assert r.shutdown(5000)


@pytest.mark.parametrize(
    ("fractions", "expected"),
    [([0.0], -1.0), ([1.0], 0.0)],
)
def test_eta_edges(fractions, expected):
    eta = EtaEstimator(start=0.0, min_elapsed_s=0.0)
    assert [eta.update(f, 1.0) for f in fractions][-1] == expected


def test_eta_estimates_and_smooths():
    eta = EtaEstimator(start=0.0, smoothing=0.5, min_elapsed_s=0.5)
    assert eta.update(0.05, 0.1) == -1.0  # too early to tell
    assert eta.update(0.25, 1.0) == pytest.approx(3.0)  # 1 s for a quarter: 3 s left
    # a sudden slowdown moves the estimate only half way (predicted 2.0, raw 6.0)
    assert eta.update(0.25, 2.0) == pytest.approx(4.0)
    assert eta.update(0.1, 3.0) == -1.0  # fraction went back: a new phase, start over


def test_import_does_not_load_torch():
    code = "import sys, studio.tasks; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


REGRESSION_SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal, Slot
    from studio.tasks import TaskRunner

    N = 20_000
    app = QCoreApplication([])
    before = sys.getrefcount(True)

    def job(progress):
        for i in range(N):
            progress.report_progress((i + 1) / N, "x")
            progress.report_partial(i)
        return N

    runner = TaskRunner()
    got = []
    loop = QEventLoop()
    handle = runner.start("flood", job)
    handle.sig_partial.connect(lambda obj: got.append(obj))
    handle.sig_finished.connect(lambda result: loop.quit())
    handle.sig_failed.connect(lambda *a: (print("FAILED", a), loop.quit()))
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    assert runner.shutdown(5000)
    assert got == list(range(N)), len(got)

    class Emitter(QObject):
        flag = Signal(bool)

    class Sink(QObject):
        def __init__(self):
            super().__init__()
            self.count = 0

        @Slot(bool)
        def on_flag(self, value):
            self.count += value

    emitter, sink = Emitter(), Sink()
    emitter.flag.connect(sink.on_flag)
    for _ in range(N):
        emitter.flag.emit(True)
    assert sink.count == N, sink.count
    after = sys.getrefcount(True)
    print("refcount", before, after)
    """
)


def test_many_signal_emits_keep_true_alive():
    """PySide6 6.12.0 dropped a reference to True on each emit and aborted (bool_dealloc)."""
    out = subprocess.run(
        [sys.executable, "-c", REGRESSION_SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, f"rc={out.returncode}\n{out.stdout}\n{out.stderr}"
    assert "bool_dealloc" not in out.stderr
    before, after = (int(x) for x in out.stdout.split("refcount")[1].split())
    assert after >= before - 100, (before, after)


QUIT_SCRIPT = textwrap.dedent(
    """
    import time
    from PySide6.QtCore import QCoreApplication, QTimer
    from studio.tasks import TaskRunner

    app = QCoreApplication([])
    runner = TaskRunner()

    def busy(progress):
        while not progress.should_stop():
            time.sleep(0.02)

    runner.start("busy", busy)
    QTimer.singleShot(200, app.quit)
    app.exec()
    print("finished" if runner._thread.isFinished() else "still running")
    """
)


def test_application_quit_shuts_a_busy_runner_down():
    out = subprocess.run([sys.executable, "-c", QUIT_SCRIPT], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "finished"
    assert "Destroyed while thread" not in out.stderr
