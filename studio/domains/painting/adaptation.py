"""Run-time adaptation of the painting network: its steps and its checkpointer.

The painting generator adapts through the shared loop (:func:`studio.meta.loop.run_steps`:
budget, cancel, finite losses, progress) with two painting parts from here:

* :func:`adapt_step`: one optimiser step of the network, in place, on the meta-training
  objective (:mod:`.objective`) with Adam at ``beta1 = 0`` (:func:`inner_adam`). It reads
  ``should_stop`` after its forward pass (and between the loss's pyramid levels) and raises
  :class:`~studio.errors.Cancelled` before taking the step. Meta-training (:mod:`.train`) takes
  the same steps with :func:`adapt_steps`.
* :class:`Checkpoints`: the checkpointer. With a :class:`~.objective.HoldoutCheck` (early
  stopping: a sample the steps never see) it keeps the weights of the best score, the start's
  included; with a check margin a later score must beat the start's by that share (the best of
  many noisy checks beats it by chance). With a :class:`~.copyguard.CopyGuard` it refuses any
  checkpoint whose paintings copy the samples more than the start's, and says stop after the
  guard's patience runs out; without a held-back sample the latest allowed weights are kept.
  Both checks read ``should_stop`` between their parts, so a cancel never waits for them.

:func:`notes` says what the user should know about the kept weights.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
import torch

from studio.domains.painting.copyguard import NOTE_PREFIX, CopyGuard
from studio.domains.painting.model import PaintNet
from studio.domains.painting.objective import HoldoutCheck, ObjectiveConfig, Task, task_loss
from studio.errors import Cancelled
from studio.meta.loop import Verdict

CHECK_EVERY = 10  # steps between two checkpoints (held-back check, copy guard)
EARLY_STOPPING_NOTE = "Early stopping:"  # how the note begins when no checkpoint beat the start


def inner_adam(params, lr: float) -> torch.optim.Adam:
    """The adaptation's Adam: no momentum (``beta1 = 0``), as in meta-training's inner loop."""
    return torch.optim.Adam(params, lr=lr, betas=(0.0, 0.999))


def adapted_parameters(net: PaintNet, prefixes: Sequence[str]) -> list[tuple[str, torch.nn.Parameter]]:
    """``(name, parameter)`` of the weights adaptation changes (every one for no prefix)."""
    return [(n, p) for n, p in net.named_parameters() if not prefixes or n.startswith(tuple(prefixes))]


def adapt_step(net: PaintNet, task: Task, objective: ObjectiveConfig, rng: np.random.Generator,
               generator: torch.Generator, optimizer: torch.optim.Optimizer,
               should_stop: Callable[[], bool] | None = None) -> float:
    """One step of ``optimizer`` on ``net`` (in place) on ``task``; returns the loss before it.

    Raises Cancelled, with the weights unchanged, when ``should_stop()`` turns true before the
    backward pass.
    """
    loss = task_loss(net, task, objective, rng, generator, should_stop)
    if should_stop is not None and should_stop():
        raise Cancelled()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_([p for p in net.parameters() if p.grad is not None], 1.0)
    optimizer.step()
    return float(loss.detach())


def adapt_steps(net: PaintNet, task: Task, steps: int, lr: float, objective: ObjectiveConfig,
                rng: np.random.Generator, generator: torch.Generator) -> list[float]:
    """``steps`` steps of a fresh :func:`inner_adam` on ``net`` (in place) on ``task``; returns the losses."""
    opt = inner_adam(net.parameters(), lr)
    return [adapt_step(net, task, objective, rng, generator, opt) for _ in range(steps)]


class Checkpoints:
    """The painting adaptation's checkpointer (:class:`studio.meta.loop.Checkpointer`).

    ``trained`` are the parameters the steps change (the kept weights are copies of them);
    ``style`` the conditioning the checks paint with. :meth:`restore` puts the kept weights back
    into the network at the end. The copy guard measures the start lazily, when a checkpoint first
    needs it (it costs nothing while no checkpoint beats the start); :meth:`estimate_s` tells the
    loop what the next check may cost once each part has run.
    """

    def __init__(self, net: PaintNet, trained: Sequence[torch.nn.Parameter], style: torch.Tensor,
                 check: HoldoutCheck | None, guard: CopyGuard | None, margin: float = 0.0,
                 every: int = CHECK_EVERY) -> None:
        self.net, self.trained, self.style = net, list(trained), style
        self.holdout, self.guard, self.margin, self.every = check, guard, margin, every
        self.seconds: dict[str, float] = {}  # duration of the last held-back check ("holdout") and guard pass
        self.best: tuple[float, int, list[torch.Tensor]] | None = None  # score, step, weights
        self.bar = 0.0  # the score a checkpoint must beat besides the best one's: the start's less the margin
        self.checks = 0  # checks completed, the start's included
        self.refused: list[tuple[int, float]] = []  # (step, copy share) of checkpoints the guard refused

    def check(self, step: int, should_stop: Callable[[], bool]) -> Verdict:
        for part in (self.holdout, self.guard):
            if part is not None:
                part.should_stop = should_stop
        score = self._timed("holdout", self.holdout.score) if self.holdout is not None else -float(step)
        if self.best is None:  # the start
            self.checks += 1
            self.bar = score * (1.0 - self.margin) if self.holdout is not None else score
            self.best = (score, 0, self._weights())
            return Verdict(kept=True)
        self.checks += 1
        kept = score < min(self.best[0], self.bar) and self._allowed(step)
        if kept:
            self.best = (score, step, self._weights())
        return Verdict(kept=kept, stop=self.guard is not None and self.guard.exhausted)

    def estimate_s(self) -> float | None:
        """The most seconds the next check may take: the held-back check plus, when the copy guard
        may be consulted, a guard pass (two while the start's share is not measured yet); None
        while a part's cost is unknown."""
        total = 0.0
        for part, name in ((self.holdout, "holdout"), (self.guard, "guard")):
            if part is not None:
                if name not in self.seconds:
                    return None
                total += self.seconds[name] * (2 if part is self.guard and self.guard.start is None else 1)
        return total

    def restore(self) -> int:
        """Put the kept weights into the network; returns their step count."""
        if self.best is None:
            return 0
        self._swap_in(self.best[2])
        return self.best[1]

    def _allowed(self, step: int) -> bool:
        if self.guard is None:
            return True
        if self.guard.start is None:  # measure the start (still the kept weights) once a checkpoint needs it
            now = self._swap_in(self.best[2])
            try:
                self._timed("guard", self.guard.allows)
            finally:
                self._swap_in(now)
        ok, share = self._timed("guard", self.guard.allows)
        if not ok:
            self.refused.append((step, share))
        return ok

    def _timed(self, name: str, measure):
        started = time.perf_counter()
        result = measure(self.net, self.style)
        self.seconds[name] = time.perf_counter() - started
        return result

    def _weights(self) -> list[torch.Tensor]:
        return [p.detach().clone() for p in self.trained]

    def _swap_in(self, weights: list[torch.Tensor]) -> list[torch.Tensor]:
        current = self._weights()
        with torch.no_grad():
            for param, value in zip(self.trained, weights):
                param.copy_(value)
        return current


def notes(checkpoints: Checkpoints, kept_steps: int, from_instant: bool) -> tuple[str, ...]:
    """What the user reads about the kept weights: the copy guard's refusals, or that early
    stopping kept the start."""
    guard = checkpoints.guard
    if checkpoints.refused and guard is not None:
        return (_refusal_note(checkpoints.refused, guard.start, kept_steps, guard.exhausted),)
    if checkpoints.holdout is not None and kept_steps == 0 and checkpoints.checks > 1:
        return (_no_gain_note(checkpoints.checks - 1, checkpoints.margin, from_instant),)
    return ()


def _no_gain_note(checkpoints: int, margin: float, instant: bool) -> str:
    """What the user reads when early stopping kept the starting weights."""
    by = f" by the required {margin:.0%}" if margin > 0 else ""
    kept = "the instant start was kept" if instant else "the weights adaptation started from were kept"
    return (f"{EARLY_STOPPING_NOTE} none of {checkpoints} checkpoint{'s' if checkpoints != 1 else ''} painted closer "
            f"to your held-back painting than the start did{by}; {kept}.")


def _refusal_note(refused: list[tuple[int, float]], start: float | None, kept: int, exhausted: bool) -> str:
    """What the user reads when the copy guard refused checkpoints."""
    worst = max(share for _, share in refused)
    count = len(refused)
    return (f"{NOTE_PREFIX} {count} checkpoint{'s' if count != 1 else ''} refused (the last at step "
            f"{refused[-1][0]}): their paintings repeated up to {worst:.1%} of their patches almost exactly "
            f"from your samples, against {start or 0.0:.1%} at the start; kept the weights of step {kept}"
            f"{' and stopped' if exhausted else ''}.")
