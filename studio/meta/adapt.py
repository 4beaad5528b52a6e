"""Run-time adaptation: a few SGD steps from a meta-trained start on the user's own samples.

:func:`adapt` is what the engine calls when a user asks the studio to learn their style. Every
gradient-based method of :data:`studio.meta.registry.ADAPTATION_METHODS` adapts the same way,
by inner-loop SGD from its meta-trained parameters; they differ in what is adapted (``anil``: the
head only) and how fast (``metasgd``: the learned per-parameter ``meta_lrs``). The result is
a *delta* (adapted minus base, only for changed parameters) so a project stores kilobytes, not a
model: :func:`delta_to_bytes` / :func:`delta_from_bytes` serialise it as safetensors, and
:func:`apply_delta` rebuilds the adapted parameters.

The steps run in the shared loop of :mod:`studio.meta.loop` (budget, cancel, finite losses,
progress): between steps :func:`adapt` reports progress and the step's loss, and honours
``progress.should_stop()`` by returning what it has with ``stopped_early=True``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch
from safetensors import SafetensorError
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save
from torch import Tensor, nn

from studio.errors import AdaptationError, CheckpointError
from studio.meta import functional as F
from studio.meta.episodes import Task
from studio.meta.inner import inner_step
from studio.meta.loop import run_steps
from studio.meta.registry import ADAPTATION_METHODS
from studio.progress import NULL_PROGRESS, Progress

DEFAULT_STEPS = 10  # used when neither steps nor a time budget is given


@dataclass(frozen=True)
class AdaptResult:
    """What :func:`adapt` did."""

    delta: dict[str, Tensor]  # adapted - base, only for parameters that changed
    steps_done: int
    losses: list[float]  # support loss before each step
    seconds: float
    stopped_early: bool  # True when progress.should_stop() ended it (not when the budget ran out)


def _batch(support: Task | tuple, batch_size: int | None, generator: torch.Generator):
    x, y = (support.support_x, support.support_y) if isinstance(support, Task) else support
    n = len(y)
    if batch_size is None or batch_size >= n:
        return x, y
    idx = torch.randperm(n, generator=generator)[:batch_size]
    return (tuple(t[idx] for t in x) if isinstance(x, tuple) else x[idx]), y[idx]


def _check_method(model: nn.Module, base: Mapping[str, Tensor], method: str, head: Sequence[str] | None,
                  meta_lrs: Mapping[str, Tensor] | None) -> list[str]:
    """The names to adapt; raises AdaptationError for unusable arguments."""
    info = ADAPTATION_METHODS.get(method)
    if info is None or not info.gradient_based:
        usable = [m for m, i in ADAPTATION_METHODS.items() if i.gradient_based]
        raise AdaptationError(f"{method!r} is not a gradient-based adaptation method; use one of {usable}")
    try:
        prefixes = tuple(head) if head else (F.default_head(model) if method == "anil" else ())
        names = F.select(base, prefixes)
    except ValueError as exc:
        raise AdaptationError(f"cannot choose the parameters to adapt: {exc}") from exc
    if method == "metasgd":
        if meta_lrs is None:
            raise AdaptationError("metasgd needs the learned learning rates (meta_lrs) stored with its model")
        missing = [n for n in names if n not in meta_lrs or meta_lrs[n].shape != base[n].shape]
        if missing:
            raise AdaptationError(f"the learned learning rates do not fit the model: {missing}")
    return names


def adapt(model: nn.Module, base_params: Mapping[str, Tensor], support: Task | tuple, loss_fn: F.LossFn, *,
          method: str = "reptile", steps: int | None = None, time_budget_s: float | None = None,
          lr: float = 0.01, lrs: Sequence[float] | None = None, clip_grad_norm: float | None = None,
          head: Sequence[str] | None = None, seed: int = 0, progress: Progress = NULL_PROGRESS,
          meta_lrs: Mapping[str, Tensor] | None = None, buffers: Mapping[str, Tensor] | None = None,
          batch_size: int | None = None) -> AdaptResult:
    """Adapt ``base_params`` to ``support`` (an ``(inputs, targets)`` pair or a Task's support set).

    Runs ``steps`` SGD steps (learning rate ``lrs[i]`` or ``lr``; Meta-SGD uses ``meta_lrs``),
    stopping earlier when ``time_budget_s`` runs out or the caller asks to stop; with a budget and
    no ``steps`` it steps until the budget is spent. ``batch_size`` draws a random minibatch of
    the support set each step. The same ``seed`` gives an identical delta (minibatches and any
    dropout draw from it); neither ``model`` nor ``base_params`` is modified.

    Raises AdaptationError for a method that is not gradient-based, missing/mismatched
    ``meta_lrs`` or ANIL head, bad step counts, or a loss that becomes NaN/inf.
    """
    names = _check_method(model, base_params, method, head, meta_lrs)
    if steps is None and time_budget_s is None:
        steps = DEFAULT_STEPS
    buffers = F.buffers_of(model) if buffers is None else buffers
    generator = torch.Generator().manual_seed(seed)
    params = {n: p.detach().clone() for n, p in base_params.items()}

    def step(i: int, should_stop) -> float:
        nonlocal params
        x, y = _batch(support, batch_size, generator)
        step_lr = lrs[min(i, len(lrs) - 1)] if lrs else lr
        new, loss = inner_step(model, params, buffers, x, y, loss_fn, step_lr, names=names,
                               clip_grad_norm=clip_grad_norm, meta_lrs=meta_lrs if method == "metasgd" else None,
                               should_stop=should_stop)
        value = float(loss.detach())
        if math.isfinite(value):  # a diverged step is reported by the loop and never kept
            params = F.detach(new)
        return value

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        run = run_steps(step, steps=steps, time_budget_s=time_budget_s, progress=progress)
    delta = {n: params[n] - base_params[n].detach() for n in names if not torch.equal(params[n], base_params[n])}
    return AdaptResult(delta, run.kept_steps, run.losses, run.seconds, run.stopped_early)


def apply_delta(base: Mapping[str, Tensor], delta: Mapping[str, Tensor]) -> dict[str, Tensor]:
    """``base + delta`` (names missing from ``delta`` are kept); raises CheckpointError if it does not fit."""
    bad = [n for n, d in delta.items() if n not in base or base[n].shape != d.shape]
    if bad:
        raise CheckpointError(f"the adaptation does not fit this model (parameters {bad})")
    return {n: (p.detach() + delta[n].to(p.dtype)) if n in delta else p.detach() for n, p in base.items()}


def delta_to_bytes(delta: Mapping[str, Tensor], metadata: Mapping[str, str] | None = None) -> bytes:
    """Serialise a delta as safetensors bytes (with optional string metadata), e.g. for a project."""
    return st_save({n: t.detach().cpu().contiguous().clone() for n, t in delta.items()},
                   metadata=dict(metadata) if metadata else None)


def delta_from_bytes(data: bytes, reference: Mapping[str, Tensor] | None = None) -> dict[str, Tensor]:
    """Read :func:`delta_to_bytes` output; with ``reference`` (the base params) check it fits.

    Raises CheckpointError for bytes that are not safetensors or a delta that does not fit.
    """
    try:
        delta = st_load(bytes(data))
    except (SafetensorError, ValueError, TypeError) as exc:
        raise CheckpointError(f"the stored adaptation is corrupt: {exc}") from exc
    if reference is not None:
        apply_delta(reference, delta)  # validates names and shapes
    return delta
