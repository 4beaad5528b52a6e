"""The inner loop: a few SGD steps on one task's support set, as a pure function of parameter dicts.

Two equivalent ways to take the gradient of a step:

* :func:`inner_step` uses ``torch.autograd.grad`` (``create_graph=True`` keeps the graph for
  second-order MAML); it is what per-task loops, :mod:`studio.meta.adapt` and the distributed
  trainer use.
* :func:`inner_step_vmappable` uses ``torch.func.grad``, so a whole meta-batch of tasks can be
  adapted at once under ``torch.func.vmap``; with ``create_graph=False`` the gradient is detached.

Both apply the same update (:func:`apply_update`): optional global-norm gradient clipping over the
adapted parameters, then ``p - lr * g`` with a scalar ``lr`` for the step or, for Meta-SGD,
a learned per-parameter ``meta_lrs[name] * g``. Only names selected by ``InnerConfig.only``
are adapted (ANIL adapts the head alone); the rest pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from studio.errors import Cancelled
from studio.meta.functional import Inputs, LossFn, Params, global_norm, loss_at, select


@dataclass(frozen=True)
class InnerConfig:
    """How a model adapts to one task."""

    steps: int = 1  # SGD steps on the support set
    lrs: tuple[float, ...] = (0.01,)  # learning rate of step i is lrs[min(i, len(lrs) - 1)]
    clip_grad_norm: float | None = None  # clip the global norm of each step's gradient
    only: tuple[str, ...] = ()  # adapt only parameters with these name prefixes; () = all

    def __post_init__(self) -> None:
        if self.steps < 0:
            raise ValueError(f"steps must be >= 0, got {self.steps}")
        if not self.lrs:
            raise ValueError("lrs must hold at least one learning rate")
        if self.clip_grad_norm is not None and self.clip_grad_norm <= 0:
            raise ValueError(f"clip_grad_norm must be positive, got {self.clip_grad_norm}")

    def lr(self, step: int) -> float:
        """The learning rate of step ``step`` (0-based); the last one repeats."""
        return self.lrs[min(step, len(self.lrs) - 1)]


def apply_update(params: Mapping[str, Tensor], grads: Mapping[str, Tensor], lr: float,
                 clip_grad_norm: float | None = None, meta_lrs: Mapping[str, Tensor] | None = None) -> Params:
    """One SGD update of the names in ``grads``; other names of ``params`` are kept as they are.

    The clipping factor ``min(1, max_norm / norm)`` is differentiable and branch-free, so it works
    under ``vmap`` and inside second-order graphs.
    """
    if clip_grad_norm is not None:
        factor = torch.clamp(clip_grad_norm / (global_norm(grads.values()) + 1e-12), max=1.0)
        grads = {n: g * factor for n, g in grads.items()}
    if meta_lrs is not None:
        return {n: params[n] - meta_lrs[n] * grads[n] if n in grads else params[n] for n in params}
    return {n: params[n] - lr * grads[n] if n in grads else params[n] for n in params}


def inner_step(model: nn.Module, params: Mapping[str, Tensor], buffers: Mapping[str, Tensor] | None,
               inputs: Inputs, targets: Tensor, loss_fn: LossFn, lr: float, *, names: list[str],
               create_graph: bool = False, clip_grad_norm: float | None = None,
               meta_lrs: Mapping[str, Tensor] | None = None,
               should_stop: Callable[[], bool] | None = None) -> tuple[Params, Tensor]:
    """One step with ``torch.autograd.grad``; returns the new params and the loss before the step.

    Adapted names that do not require grad are made differentiable leaves first. With
    ``create_graph=False`` the gradient is a constant, so the new params still depend on the old
    ones through the identity (first-order MAML) and on ``meta_lrs``. ``should_stop`` is read
    between the forward and the backward pass: when it turns true, Cancelled is raised (run-time
    adaptation's cancel need not wait for the gradient).
    """
    with torch.enable_grad():  # a caller's no_grad() must not silently break adaptation
        params = {n: p if (p.requires_grad or n not in names) else p.detach().requires_grad_()
                  for n, p in params.items()}
        loss = loss_at(model, params, buffers, inputs, targets, loss_fn)
        if should_stop is not None and should_stop():
            raise Cancelled()
        grads = torch.autograd.grad(loss, [params[n] for n in names], create_graph=create_graph, allow_unused=True)
        g = {n: torch.zeros_like(params[n]) if gr is None else gr for n, gr in zip(names, grads)}
        return apply_update(params, g, lr, clip_grad_norm, meta_lrs), loss


def inner_loop(model: nn.Module, params: Mapping[str, Tensor], buffers: Mapping[str, Tensor] | None,
               inputs: Inputs, targets: Tensor, loss_fn: LossFn, config: InnerConfig, *,
               create_graph: bool = False, track_params: bool = True,
               meta_lrs: Mapping[str, Tensor] | None = None) -> tuple[Params, list[Tensor]]:
    """``config.steps`` inner steps; returns the adapted params and each step's (pre-step) loss.

    ``track_params=False`` detaches the params after every step (Reptile, run-time adaptation):
    no graph back to the start is kept, so memory does not grow with the number of steps.
    """
    names = select(params, config.only)
    current: Params = dict(params)
    losses: list[Tensor] = []
    for i in range(config.steps):
        current, loss = inner_step(model, current, buffers, inputs, targets, loss_fn, config.lr(i), names=names,
                                   create_graph=create_graph, clip_grad_norm=config.clip_grad_norm,
                                   meta_lrs=meta_lrs)
        if not track_params:
            current = {n: t.detach() for n, t in current.items()}
        losses.append(loss.detach())
    return current, losses


def inner_step_vmappable(model: nn.Module, params: Mapping[str, Tensor], buffers: Mapping[str, Tensor] | None,
                         inputs: Inputs, targets: Tensor, loss_fn: LossFn, lr: float, *, names: list[str],
                         create_graph: bool = False, clip_grad_norm: float | None = None,
                         meta_lrs: Mapping[str, Tensor] | None = None) -> tuple[Params, Tensor]:
    """:func:`inner_step` written with ``torch.func.grad_and_value`` so that it composes with ``vmap``.

    With ``create_graph=True`` outer autograd differentiates through the gradient (second order);
    otherwise the gradient is detached (first order).
    """
    fixed = {n: p for n, p in params.items() if n not in names}

    def loss_of(adapted: Params) -> Tensor:
        return loss_at(model, {**fixed, **adapted}, buffers, inputs, targets, loss_fn)

    grads, loss = torch.func.grad_and_value(loss_of)({n: params[n] for n in names})
    if not create_graph:
        grads = {n: g.detach() for n, g in grads.items()}
    return apply_update(params, grads, lr, clip_grad_norm, meta_lrs), loss


def inner_loop_vmappable(model: nn.Module, params: Mapping[str, Tensor], buffers: Mapping[str, Tensor] | None,
                         inputs: Inputs, targets: Tensor, loss_fn: LossFn, config: InnerConfig, *,
                         create_graph: bool = False, track_params: bool = True,
                         meta_lrs: Mapping[str, Tensor] | None = None) -> tuple[Params, Tensor]:
    """:func:`inner_loop` for use under ``vmap``; the per-step losses come back as one tensor."""
    names = select(params, config.only)
    current: Params = dict(params)
    losses = []
    for i in range(config.steps):
        current, loss = inner_step_vmappable(model, current, buffers, inputs, targets, loss_fn, config.lr(i),
                                             names=names, create_graph=create_graph,
                                             clip_grad_norm=config.clip_grad_norm, meta_lrs=meta_lrs)
        if not track_params:
            current = {n: t.detach() for n, t in current.items()}
        losses.append(loss.detach())
    return current, torch.stack(losses) if losses else torch.zeros(0)
