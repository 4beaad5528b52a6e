"""TaskRunner: life cycle, cancel latency, supersession, errors, throttling, shutdown, signal regression."""

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
from studio.tasks import _ORPHANED, EtaEstimator, TaskRunner, warm_up_torch

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner(qtbot):
    r = TaskRunner()
    yield r
    assert r.shutdown(5000)


class Recorder:
    """Collects every runner signal as (name, args) in arrival order."""

    def __init__(self, runner: TaskRunner) -> None:
        self.events: list[tuple] = []
        for name in ("started", "progress", "eta", "partial", "finished", "cancelled", "failed", "busy_changed"):
            getattr(runner, f"sig_{name}").connect(lambda *args, _n=name: self.events.append((_n, *args)))

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
    signals = [runner.sig_started, runner.sig_progress, runner.sig_partial, runner.sig_finished]
    with qtbot.waitSignals(signals, order="strict", timeout=5000):
        task_id = runner.start("Job", job)
    assert rec.of("started") == [(task_id, "Job")]
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
    with qtbot.waitSignal(runner.sig_finished, timeout=5000):
        runner.start("Many", job)
    assert [p[1] for p in rec.of("partial")] == list(range(500))


def test_cancel_takes_effect_within_200_ms(qtbot, runner):
    with qtbot.waitSignal(runner.sig_started, timeout=5000):
        task_id = runner.start("Busy", wait_until_stopped)
    assert runner.is_busy() and runner.current_label() == "Busy"
    with qtbot.waitSignal(runner.sig_cancelled, timeout=2000) as blocker:
        t0 = time.perf_counter()
        runner.cancel()
    latency = time.perf_counter() - t0
    assert blocker.args == [task_id]
    assert latency < 0.2, f"cancel took {latency * 1000:.0f} ms"
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=2000)


def test_task_returning_after_stop_counts_as_cancelled(qtbot, runner):
    def job(progress):
        while not progress.should_stop():
            time.sleep(0.01)
        return "ignored"

    rec = Recorder(runner)
    with qtbot.waitSignal(runner.sig_started, timeout=5000):
        task_id = runner.start("Busy", job)
    with qtbot.waitSignal(runner.sig_cancelled, timeout=2000):
        runner.cancel()
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
    with qtbot.waitSignal(runner.sig_partial, timeout=5000):
        old_id = runner.start("Old", old)
    with qtbot.waitSignals([runner.sig_cancelled, runner.sig_finished], order="strict", timeout=5000):
        mark = len(rec.events)
        new_id = runner.start("New", new)
        assert runner.current_label() == "New"
    after = rec.events[mark:]
    assert not [e for e in after if e[0] in ("progress", "partial", "eta") and e[1] == old_id]
    assert ("cancelled", old_id) in after
    assert ("finished", new_id, "new") in after
    assert ("partial", new_id, "new result") in after
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=2000)
    assert rec.of("busy_changed") == [(True,), (False,)]


def test_superseded_task_that_never_ran_is_cancelled_without_starting(qtbot, runner):
    rec = Recorder(runner)
    with qtbot.waitSignal(runner.sig_started, timeout=5000):
        first = runner.start("First", wait_until_stopped)
    second = runner.start("Second", lambda p: "second")
    with qtbot.waitSignal(runner.sig_finished, timeout=5000) as blocker:
        third = runner.start("Third", lambda p: "third")
    assert blocker.args == [third, "third"]
    assert rec.of("cancelled") == [(first,), (second,)]
    assert [s[0] for s in rec.of("started")] == [first, third]


def test_studio_error_becomes_failed_with_its_message(qtbot, runner):
    def job(progress):
        raise SampleLoadError("the file is empty (0 bytes)", "/tmp/a.png")

    with qtbot.waitSignal(runner.sig_failed, timeout=5000) as blocker:
        task_id = runner.start("Import", job)
    assert blocker.args[0] == task_id
    assert blocker.args[1] == "/tmp/a.png: the file is empty (0 bytes)"
    assert "SampleLoadError" in blocker.args[2]


def test_unexpected_error_becomes_failed_with_traceback(qtbot, runner):
    def exploding_job(progress):
        raise ValueError("boom")

    with qtbot.waitSignal(runner.sig_failed, timeout=5000) as blocker:
        runner.start("Explode", exploding_job)
    _, message, details = blocker.args
    assert message == "Unexpected error: ValueError: boom"
    assert "Traceback" in details and "exploding_job" in details
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=2000)


def test_progress_is_throttled_and_last_value_is_delivered(qtbot, runner):
    def job(progress):
        for i in range(1, 2001):
            progress.report_progress(i / 2000, f"step {i}")
        return None

    rec = Recorder(runner)
    with qtbot.waitSignal(runner.sig_finished, timeout=5000):
        runner.start("Fast", job)
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
    with qtbot.waitSignal(r.sig_started, timeout=5000):
        r.start("Busy", wait_until_stopped)
    t0 = time.perf_counter()
    assert r.shutdown(5000)
    assert time.perf_counter() - t0 < 1.0
    assert not r.is_busy()


def test_shutdown_with_uncooperative_task_returns_at_timeout(qtbot):
    r = TaskRunner()
    with qtbot.waitSignal(r.sig_started, timeout=5000):
        r.start("Stubborn", lambda p: time.sleep(0.5))
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
        with qtbot.waitSignal(r.sig_finished, timeout=30000) as blocker:
            r.start("Warm up", warm_up_torch)
        assert blocker.args[1] is None
        import torch

        with qtbot.waitSignal(r.sig_finished, timeout=5000) as blocker:
            r.start("Threads", lambda p: torch.get_num_threads())
        assert blocker.args[1] == 1
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
    runner.sig_partial.connect(lambda tid, obj: got.append(obj))
    loop = QEventLoop()
    runner.sig_finished.connect(lambda tid, result: loop.quit())
    runner.sig_failed.connect(lambda *a: (print("FAILED", a), loop.quit()))
    QTimer.singleShot(60_000, loop.quit)
    runner.start("flood", job)
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
