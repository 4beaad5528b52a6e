"""The shared adaptation loop: cancel at once, budgets as ceilings, finite losses, checkpoints."""

from __future__ import annotations

import time

import pytest

from studio.errors import AdaptationError, Cancelled
from studio.meta.loop import Verdict, run_steps
from studio.progress import RecordingProgress


class Scripted:
    """A checkpointer that answers from a script and records when it was asked."""

    def __init__(self, verdicts=(), every: int = 2, seconds: float = 0.0, stop_inside=None) -> None:
        self.verdicts = list(verdicts)
        self.every = every
        self.seconds = seconds
        self.stop_inside = stop_inside  # a check index at which it raises Cancelled (should_stop inside)
        self.asked: list[int] = []

    def check(self, step, should_stop):
        self.asked.append(step)
        if self.stop_inside == len(self.asked) - 1:
            raise Cancelled()
        time.sleep(self.seconds)
        return self.verdicts.pop(0) if self.verdicts else Verdict(kept=True)


class StopAfter(RecordingProgress):
    """Asks to stop once ``steps`` losses were reported."""

    def __init__(self, steps: int) -> None:
        super().__init__()
        self.steps = steps
        self.asked_after = None

    def should_stop(self) -> bool:
        return len(self.partials) >= self.steps


def constant_step(seconds: float = 0.0, value: float = 1.0):
    def step(i: int, should_stop) -> float:
        time.sleep(seconds)
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
    checker = Scripted(every=2)
    progress = StopAfter(3)
    started = time.perf_counter()
    result = run_steps(constant_step(), steps=50, progress=progress, checkpointer=checker)
    assert time.perf_counter() - started < 0.2
    assert result.stopped_early and result.ended_by == "stop" and len(result.losses) == 3
    assert checker.asked == [0, 2]  # not at 3 (the steps since the last check stay unjudged)
    assert result.kept_steps == 2  # the last kept checkpoint stands


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


def test_a_time_budget_is_a_ceiling_even_with_slow_checks():
    checker = Scripted(every=5, seconds=0.08)  # a check costs as much as 8 steps
    budget = 0.4
    result = run_steps(constant_step(0.01), time_budget_s=budget, checkpointer=checker)
    assert result.ended_by == "budget" and result.losses
    assert result.seconds <= budget + 0.02  # no step or check was started that would overrun
    assert checker.asked[-1] == len(result.losses)  # the last steps were still judged
    assert result.kept_steps == len(result.losses)


def test_a_check_that_would_overrun_is_not_started():
    checker = Scripted(every=1, seconds=0.15)
    result = run_steps(constant_step(0.0), time_budget_s=0.2, checkpointer=checker)
    # the start's check takes 0.15 s; a second one would end at 0.3 s: neither a step nor it is started
    assert checker.asked == [0] and result.losses == [] and result.seconds < 0.2


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
    class Slow:
        every = 3

        def __init__(self) -> None:
            self.asked = []

        def check(self, step, should_stop):
            self.asked.append(step)
            if step == 0:
                return Verdict(kept=True)
            while not should_stop():  # a long check that reads the flag, e.g. the first copy-guard pass
                time.sleep(0.005)
            raise Cancelled()
    checker = Slow()
    result = run_steps(constant_step(0.01), time_budget_s=0.3, checkpointer=checker)
    assert checker.asked[:2] == [0, 3] and result.ended_by == "budget" and not result.stopped_early
    assert result.seconds <= 0.3 + 0.03 and result.kept_steps == 0  # the abandoned check kept nothing

    def endless(i: int, should_stop) -> float:
        while not should_stop():
            time.sleep(0.005)
        raise Cancelled()
    step_run = run_steps(endless, time_budget_s=0.1)
    assert step_run.ended_by == "budget" and step_run.losses == [] and step_run.seconds <= 0.1 + 0.03
