"""The shared adaptation loop: cancel at once, budgets as ceilings, finite losses, checkpoints.

Time is a :class:`FakeClock` passed as ``run_steps(clock=...)``: the fake steps and checks advance
it by whole seconds, so every test asserts the exact budget logic (what started, when the loop
ended, what it kept) with no sleeps and no wall-clock bounds. How closely a real run holds its
budget is a benchmark's business (``bench cancel --budgets``); one loose real-time smoke test
checks that the default clock is the real one.
"""

from __future__ import annotations

import time

import pytest

from studio.errors import AdaptationError, Cancelled
from studio.meta.loop import Verdict, run_steps
from studio.progress import RecordingProgress


class FakeClock:
    """The loop's time source: it moves only when a fake step or check spends time on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.spent: list[tuple[str, float, float]] = []  # (what, started, ended), in order

    def __call__(self) -> float:
        return self.now

    def spend(self, what: str, seconds: float) -> None:
        self.spent.append((what, self.now, self.now + seconds))
        self.now += seconds


class Scripted:
    """A checkpointer that answers from a script, records when it was asked and spends
    ``seconds`` of the fake clock on each check."""

    def __init__(self, verdicts=(), every: int = 2, seconds: float = 0.0, stop_inside=None,
                 clock: FakeClock | None = None) -> None:
        self.verdicts = list(verdicts)
        self.every = every
        self.seconds = seconds
        self.stop_inside = stop_inside  # a check index at which it raises Cancelled (should_stop inside)
        self.clock = clock
        self.asked: list[int] = []

    def check(self, step, should_stop):
        self.asked.append(step)
        if self.stop_inside == len(self.asked) - 1:
            raise Cancelled()
        if self.clock is not None:
            self.clock.spend("check", self.seconds)
        return self.verdicts.pop(0) if self.verdicts else Verdict(kept=True)


class StopAfter(RecordingProgress):
    """Asks to stop once ``steps`` losses were reported."""

    def __init__(self, steps: int) -> None:
        super().__init__()
        self.steps = steps

    def should_stop(self) -> bool:
        return len(self.partials) >= self.steps


def constant_step(clock: FakeClock | None = None, seconds: float = 0.0, value: float = 1.0):
    """A step that returns ``value`` after spending ``seconds`` of the fake clock (or of each
    entry of a list of costs, one per step)."""
    def step(i: int, should_stop) -> float:
        if clock is not None:
            clock.spend("step", seconds[i] if isinstance(seconds, list) else seconds)
        return value
    return step


def test_steps_progress_and_the_final_weights_without_a_checkpointer():
    progress = RecordingProgress()
    result = run_steps(lambda i, stop: 1.0 / (i + 1), steps=4, progress=progress)
    assert result.losses == [1.0, 0.5, 1 / 3, 0.25] and result.kept_steps == 4
    assert result.ended_by == "steps" and not result.stopped_early and result.checks == 0
    assert progress.fractions == [0.25, 0.5, 0.75, 1.0] and progress.partials == result.losses
    assert progress.messages[0] == "step 1, loss 1.0000"
    assert run_steps(constant_step(), progress=progress).losses == []  # neither steps nor budget: nothing


def test_a_stop_after_step_k_returns_at_once_and_runs_no_further_check():
    clock = FakeClock()
    checker = Scripted(every=2, seconds=5.0, clock=clock)
    result = run_steps(constant_step(clock, 1.0), steps=50, progress=StopAfter(3), checkpointer=checker,
                       clock=clock)
    assert result.stopped_early and result.ended_by == "stop" and len(result.losses) == 3
    assert checker.asked == [0, 2]  # not at 3 (the steps since the last check stay unjudged)
    assert result.kept_steps == 2  # the last kept checkpoint stands
    assert clock.spent == [("check", 0, 5), ("step", 5, 6), ("step", 6, 7), ("check", 7, 12), ("step", 12, 13)]
    assert result.seconds == 13  # at once: nothing ran after the third step


def test_a_stop_inside_a_step_or_a_check_ends_the_loop_with_what_was_kept():
    class Flag(RecordingProgress):
        stop = False

        def should_stop(self) -> bool:
            return self.stop

    def stepper(flag):
        def step(i: int, should_stop) -> float:
            if i == 3:
                flag.stop = True  # Cancel pressed while step 4 runs: read after its forward pass
                assert should_stop()
                raise Cancelled()
            return 1.0
        return step
    flag = Flag()
    inside_step = run_steps(stepper(flag), steps=10, progress=flag, checkpointer=Scripted(every=2))
    assert inside_step.stopped_early and len(inside_step.losses) == 3 and inside_step.kept_steps == 2
    flag = Flag()
    plain = run_steps(stepper(flag), steps=10, progress=flag)
    assert plain.stopped_early and plain.kept_steps == 3
    checker = Scripted(every=2, stop_inside=2)  # the check at step 4 is interrupted
    flag = Flag()
    original = checker.check

    def pressed(step, should_stop):
        flag.stop = checker.stop_inside == len(checker.asked)
        return original(step, should_stop)
    checker.check = pressed
    inside_check = run_steps(constant_step(), steps=10, progress=flag, checkpointer=checker)
    assert inside_check.stopped_early and inside_check.kept_steps == 2 and checker.asked == [0, 2, 4]
    assert inside_check.checks == 2


def test_the_checkpointer_keeps_refuses_and_stops():
    verdicts = [Verdict(True), Verdict(True), Verdict(False), Verdict(True), Verdict(False), Verdict(False)]
    checker = Scripted(verdicts, every=2)
    result = run_steps(constant_step(), steps=9, checkpointer=checker)
    assert checker.asked == [0, 2, 4, 6, 8, 9]  # before the first step, every 2, after the last
    assert result.kept_steps == 6 and len(result.losses) == 9 and result.checks == 6
    stopper = Scripted([Verdict(True), Verdict(False, stop=True)], every=3)
    stopped = run_steps(constant_step(), steps=20, checkpointer=stopper)
    assert stopped.ended_by == "checkpointer" and len(stopped.losses) == 3 and stopped.kept_steps == 0
    assert not stopped.stopped_early


def test_a_time_budget_ends_before_the_step_that_would_overrun_and_drives_the_progress():
    clock = FakeClock()
    progress = RecordingProgress()
    result = run_steps(constant_step(clock, 3.0), time_budget_s=10.0, progress=progress, clock=clock)
    # steps end at 3, 6 and 9; a fourth (3 s, as long as the last) would end at 12
    assert result.ended_by == "budget" and len(result.losses) == 3 and result.kept_steps == 3
    assert result.seconds == 9 and not result.stopped_early
    assert progress.fractions == [0.3, 0.6, 0.9]  # of the time budget
    clock = FakeClock()
    progress = RecordingProgress()
    both = run_steps(constant_step(clock, 3.0), steps=2, time_budget_s=10.0, progress=progress, clock=clock)
    assert both.ended_by == "steps" and both.seconds == 6
    assert progress.fractions == [0.5, 1.0]  # whichever is further: the steps here


def test_a_time_budget_is_a_ceiling_even_with_slow_checks():
    # a check costs as much as 8 steps; a step is started only when it and the check after it fit
    clock = FakeClock()
    checker = Scripted(every=5, seconds=8.0, clock=clock)
    result = run_steps(constant_step(clock, 1.0), time_budget_s=43.0, checkpointer=checker, clock=clock)
    # checks at 0-8, 13-21 and 26-34; the 11th step (34-35) leaves 8 s: no 12th step (1 + 8 > 8),
    # but the 8 s check of the 11th step still fits and ends exactly on the budget
    assert result.ended_by == "budget" and len(result.losses) == 11 and not result.stopped_early
    assert checker.asked == [0, 5, 10, 11] and result.checks == 4
    assert result.kept_steps == 11  # the last steps were still judged
    assert clock.spent[-2:] == [("step", 34, 35), ("check", 35, 43)]
    assert result.seconds == 43 and all(ended <= 43 for _, _, ended in clock.spent)
    clock = FakeClock()
    checker = Scripted(every=5, seconds=8.0, clock=clock)
    tighter = run_steps(constant_step(clock, 1.0), time_budget_s=42.0, checkpointer=checker, clock=clock)
    # after the check at 26-34, 8 s are left: the 11th step and its check (9 s) would overrun
    assert tighter.ended_by == "budget" and len(tighter.losses) == 10 and tighter.kept_steps == 10
    assert checker.asked == [0, 5, 10] and tighter.seconds == 34


def test_a_check_that_would_overrun_is_not_started():
    clock = FakeClock()
    checker = Scripted(every=1, seconds=15.0, clock=clock)
    result = run_steps(constant_step(clock, 0.0), time_budget_s=20.0, checkpointer=checker, clock=clock)
    # the start's check takes 15 s; a step and its check would end at 30 s: neither is started
    assert checker.asked == [0] and result.losses == [] and result.ended_by == "budget"
    assert result.seconds == 15 and result.kept_steps == 0
    clock = FakeClock()
    checker = Scripted(every=1, seconds=5.0, clock=clock)
    # the second step takes 6 s where the first took 1: the check after it (5 s) no longer fits
    slower = run_steps(constant_step(clock, [1.0, 6.0]), time_budget_s=20.0, checkpointer=checker, clock=clock)
    assert clock.spent == [("check", 0, 5), ("step", 5, 6), ("check", 6, 11), ("step", 11, 17)]
    assert checker.asked == [0, 1] and len(slower.losses) == 2 and slower.ended_by == "budget"
    assert slower.kept_steps == 1 and slower.checks == 2 and slower.seconds == 17  # the unjudged step is not kept


def test_a_loss_that_is_not_finite_raises_with_the_callers_hint():
    with pytest.raises(AdaptationError, match=r"the loss became nan at step 2; adapt again with fewer steps"):
        run_steps(lambda i, stop: float("nan") if i == 1 else 1.0, steps=5,
                  diverged_hint="adapt again with fewer steps")
    with pytest.raises(AdaptationError, match="the loss became inf at step 1; lower the learning rate"):
        run_steps(lambda i, stop: float("inf"), steps=5)
    with pytest.raises(AdaptationError, match="steps must be >= 0"):
        run_steps(constant_step(), steps=-1)
    with pytest.raises(AdaptationError, match="time budget positive"):
        run_steps(constant_step(), time_budget_s=0.0)


def test_a_check_or_step_of_unknown_cost_is_abandoned_when_the_budget_ends():
    clock = FakeClock()

    def poll_until_stopped(should_stop) -> None:  # a long check or step that reads the flag every second
        for _ in range(100):
            if should_stop():
                raise Cancelled()
            clock.spend("poll", 1.0)
        raise AssertionError("should_stop() never turned true at the budget's end")

    class Slow:
        every = 3

        def __init__(self) -> None:
            self.asked = []

        def check(self, step, should_stop):
            self.asked.append(step)
            if step == 0:
                return Verdict(kept=True)
            poll_until_stopped(should_stop)  # e.g. the first copy-guard pass
    checker = Slow()
    result = run_steps(constant_step(clock, 1.0), time_budget_s=30.0, checkpointer=checker, clock=clock)
    assert checker.asked == [0, 3] and result.ended_by == "budget" and not result.stopped_early
    assert len(result.losses) == 3 and result.checks == 1
    assert result.seconds == 30 and result.kept_steps == 0  # abandoned on the budget's end; it kept nothing

    clock = FakeClock()
    step_run = run_steps(lambda i, should_stop: poll_until_stopped(should_stop), time_budget_s=10.0, clock=clock)
    assert step_run.ended_by == "budget" and step_run.losses == [] and step_run.seconds == 10


def test_the_default_clock_is_the_real_one():
    def step(i: int, should_stop) -> float:
        time.sleep(0.01)
        return 1.0
    result = run_steps(step, steps=100, time_budget_s=0.1)
    # each step sleeps at least 10 ms, so at most 10 start within 0.1 s; the seconds bound only
    # catches a loop that ignores the budget (a loaded machine's jitter must not fail this test)
    assert result.ended_by == "budget" and len(result.losses) <= 10 and 0 < result.seconds < 2.0
