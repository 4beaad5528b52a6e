"""The one adaptation loop: steps under a budget, cancel, finite losses, progress, checkpoints.

Both domains adapt through :func:`run_steps`; what a step is (functional SGD on a parameter
dict, Adam on a module) stays with the caller, as a ``step(index) -> loss`` function. The loop
owns what every adaptation must get right:

* **Budget**: at most ``steps`` steps and/or ``time_budget_s`` seconds. The budget is a ceiling,
  not a target: a step is started only when the previous step's duration (its ``after_step``
  preview included; plus, with a checkpointer, the next check's, so the step can still be
  judged) fits in what is left, and
  a check that would overrun is not started (its cost: the checkpointer's ``estimate_s()``, else
  the previous check's). A step or check whose cost was unknown and that is still running when
  the budget ends is abandoned at its next stop point, like a cancel: the budget holds within
  the stop latency, and the last kept weights stand.
* **Cancel**: ``progress.should_stop()`` is read before every step and every check; steps and
  checks get a ``should_stop`` (the caller's stop or the budget's end) to read from inside (after
  a forward pass, between the paintings a check scores) and raise
  :class:`~studio.errors.Cancelled`, so a stop takes effect within a fraction of a step. A stop
  never waits for a check: the result keeps what the checkpointer last kept.
* **Finite losses**: a NaN or infinite loss raises :class:`~studio.errors.AdaptationError`.
* **Progress**: each step reports its fraction (of the steps, or of the time budget, whichever is
  further), ``"step N, loss L"``, and the loss as a partial result; ``after_step`` may add more
  (a preview painting).
* **Checkpoints**: a :class:`Checkpointer` judges the weights before the first step, every
  ``every`` steps, and after the last step; it keeps or refuses them (it holds the kept weights
  itself) and may say that further steps are not worth taking (early stopping, the copy guard).

Without a checkpointer the weights after the last completed step are the result.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from studio.errors import AdaptationError, Cancelled
from studio.progress import NULL_PROGRESS, Progress


@dataclass(frozen=True)
class Verdict:
    """A checkpointer's judgement of the weights after some steps."""

    kept: bool  # these weights are now the result (the checkpointer holds them)
    stop: bool = False  # further steps are not worth taking


class Checkpointer(Protocol):
    """Judges the weights every ``every`` steps (and before the first, and after the last).

    ``check`` may raise :class:`~studio.errors.Cancelled` when ``should_stop()`` turns true
    while it works: the loop then ends at once and the last kept weights stand.
    """

    every: int

    def check(self, step: int, should_stop: Callable[[], bool]) -> Verdict:
        """Judge the weights after ``step`` steps."""

    # Optional: ``estimate_s() -> float | None``, the most seconds the next check may take (a
    # check whose cost varies, e.g. one that consults a slower judge only for promising weights);
    # without it, or when it returns None, the previous check's duration is the estimate.


@dataclass(frozen=True)
class LoopResult:
    """What :func:`run_steps` did."""

    losses: list[float]  # one per completed step
    kept_steps: int  # steps behind the result's weights: the last kept checkpoint's, else all of them
    seconds: float
    stopped_early: bool  # the caller asked to stop (not the budget, not the checkpointer)
    ended_by: str  # "steps", "budget", "stop" or "checkpointer"
    checks: int  # checks completed, the one before the first step included


def run_steps(step: Callable[[int, Callable[[], bool]], float], *, steps: int | None = None,
              time_budget_s: float | None = None,
              progress: Progress = NULL_PROGRESS, checkpointer: Checkpointer | None = None,
              after_step: Callable[[int, float], None] | None = None,
              diverged_hint: str = "lower the learning rate",
              clock: Callable[[], float] = time.perf_counter) -> LoopResult:
    """Call ``step(i, should_stop)`` for ``i = 0, 1, ...`` until ``steps`` are done, the time
    budget is spent, the caller asks to stop or the checkpointer says stop; see the module docstring.

    ``step`` returns the step's loss (before its update) and may raise Cancelled when
    ``should_stop()`` (the caller's stop or the budget's end) turns true inside it. With neither
    ``steps`` nor ``time_budget_s`` no step is taken. ``after_step(n, loss)`` runs after step
    ``n`` (1-based) was reported. Raises AdaptationError for a negative step count, a budget that
    is not positive, or a loss that is not finite (``diverged_hint`` says what to do about it).

    ``clock() -> seconds`` is the loop's only time source (the budget, the steps' and checks' costs,
    ``LoopResult.seconds``, the progress fraction): tests pass a fake one that their steps and
    checks advance, so the budget logic is checked exactly, without sleeps or wall-clock bounds.
    """
    if (steps is not None and steps < 0) or (time_budget_s is not None and time_budget_s <= 0):
        raise AdaptationError("steps must be >= 0 and the time budget positive")
    if checkpointer is not None and checkpointer.every < 1:
        raise AdaptationError("a checkpointer must check every 1 or more steps")
    started = clock()
    losses: list[float] = []
    kept = 0
    checks = 0
    checked = -1  # step count at the last completed check
    step_cost = check_cost = 0.0  # durations of the last step and the last check: the next ones' estimates
    ended = "steps"

    def left() -> float:
        return math.inf if time_budget_s is None else time_budget_s - (clock() - started)

    asked_to_stop = False

    def should_stop() -> bool:  # what steps and checks read from inside
        nonlocal asked_to_stop
        asked_to_stop = asked_to_stop or progress.should_stop()
        return asked_to_stop or left() <= 0

    def next_check_s() -> float:
        estimate = getattr(checkpointer, "estimate_s", None)
        value = estimate() if estimate is not None else None
        return check_cost if value is None else value

    def judge() -> Verdict:
        nonlocal checks, checked, check_cost, kept
        t0 = clock()
        verdict = checkpointer.check(len(losses), should_stop)
        check_cost = clock() - t0
        checks += 1
        checked = len(losses)
        if verdict.kept:
            kept = len(losses)
        return verdict

    try:
        while True:
            if progress.should_stop():
                asked_to_stop = True
                raise Cancelled()
            done = len(losses)
            if checkpointer is not None and done % checkpointer.every == 0 and checked != done:
                if checks and left() < next_check_s():  # it would overrun: the kept weights stand
                    ended = "budget"
                    break
                if judge().stop:
                    ended = "checkpointer"
                    break
            if (steps is None and time_budget_s is None) or (steps is not None and done >= steps):
                break
            reserve = next_check_s() if checkpointer is not None else 0.0  # time to judge the step afterwards
            if left() <= 0 or left() < step_cost + reserve:
                ended = "budget"
                break
            t0 = clock()
            value = float(step(done, should_stop))
            if not math.isfinite(value):
                raise AdaptationError(f"the loss became {value} at step {done + 1}; {diverged_hint}")
            losses.append(value)
            fraction = len(losses) / steps if steps else 0.0
            if time_budget_s is not None:
                fraction = max(fraction, (clock() - started) / time_budget_s)
            progress.report_progress(min(fraction, 1.0), f"step {len(losses)}, loss {value:.4f}")
            progress.report_partial(value)
            if after_step is not None:
                after_step(len(losses), value)
            step_cost = clock() - t0  # a preview after the step is part of what the next step costs
        if checkpointer is not None and checked != len(losses) and left() >= next_check_s():
            judge()  # the steps since the last check
    except Cancelled:
        ended = "budget" if not asked_to_stop and left() <= 0 else "stop"
    if checkpointer is None:
        kept = len(losses)
    return LoopResult(losses, kept, clock() - started, ended == "stop", ended, checks)
