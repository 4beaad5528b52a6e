"""The optimisation-based meta-learners as pure functions: MAML, FOMAML, Reptile, ANIL, Meta-SGD.

:func:`meta_gradients` takes a model, its parameter dict ``theta``, a meta-batch of tasks and a
loss, and returns what an outer optimiser needs, averaged over the tasks:

* ``maml``: d/dtheta of the query loss after the inner loop, differentiated *through* the inner
  gradients (``create_graph=True``): ``(I - lr H_support) grad_query(phi)`` for one step.
* ``fomaml``: the same with the inner gradients treated as constants: ``grad_query(phi)``.
* ``anil``: second-order MAML whose inner loop adapts only the head (``AlgorithmConfig.head``).
* ``metasgd``: second-order MAML with learned per-parameter inner learning rates ``meta_lrs``;
  it also returns their gradients so the outer optimiser learns them (Li et al. 2017).
* ``reptile``: ``theta - mean(phi)``, with ``phi`` from SGD on all the task's data, so a plain
  SGD outer step of size eps moves ``theta`` eps of the way towards the adapted weights.

Buffers (batch norm) are passed through unchanged; see :mod:`studio.meta.functional` for why
group or layer norm is the better choice. With ``vectorize=True`` the tasks are stacked and
adapted at once under ``torch.func.vmap`` (tasks must share shapes); the result equals the
per-task loop up to rounding.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

from studio.meta import functional as F
from studio.meta.episodes import MetaBatch, Task
from studio.meta.inner import InnerConfig, inner_loop, inner_loop_vmappable

METHODS = ("maml", "fomaml", "reptile", "anil", "metasgd")


@dataclass(frozen=True)
class AlgorithmConfig:
    """Which meta-learner, and how it adapts inside a task."""

    method: str = "maml"  # one of METHODS
    inner: InnerConfig = field(default_factory=InnerConfig)
    head: tuple[str, ...] = ()  # ANIL: parameter-name prefixes of the head; () = last layer

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown meta-learning method {self.method!r}; choose one of {METHODS}")

    @property
    def second_order(self) -> bool:
        return self.method in ("maml", "anil", "metasgd")

    def inner_for(self, model: nn.Module) -> InnerConfig:
        """The inner config with ANIL's head filter filled in."""
        if self.method != "anil":
            return self.inner
        return dataclasses.replace(self.inner, only=self.head or F.default_head(model))


@dataclass(frozen=True)
class MetaGradients:
    """Task-averaged meta-gradients and the losses seen on the way (plain floats)."""

    params: dict[str, Tensor]
    meta_lrs: dict[str, Tensor] | None
    query_loss: float  # mean query loss at the adapted params
    support_loss: float  # mean support loss before adaptation


def init_meta_lrs(params: Mapping[str, Tensor], value: float) -> dict[str, Tensor]:
    """Meta-SGD's per-parameter learning rates, all starting at ``value``."""
    return {n: torch.full_like(p.detach(), value).requires_grad_() for n, p in params.items()}


def reptile_direction(theta: Mapping[str, Tensor], adapted: list[Mapping[str, Tensor]]) -> dict[str, Tensor]:
    """``mean(phi) - theta``: the direction a Reptile step moves ``theta`` along."""
    return F.sub(F.mean(adapted), theta)


def reptile_update(theta: Mapping[str, Tensor], adapted: list[Mapping[str, Tensor]],
                   epsilon: float) -> dict[str, Tensor]:
    """The classic Reptile step ``theta + epsilon * (mean(phi) - theta)``."""
    return F.add(dict(theta), F.scale(reptile_direction(theta, adapted), epsilon))


def _task_terms(model: nn.Module, theta, buffers, task: Task, loss_fn, cfg: AlgorithmConfig, inner: InnerConfig,
                meta_lrs, vmappable: bool):
    """(outer loss or adapted params, query loss, first support loss) for one task."""
    loop = inner_loop_vmappable if vmappable else inner_loop
    if cfg.method == "reptile":
        phi, losses = loop(model, F.detach(theta), buffers, task.all_x, task.all_y, loss_fn, inner,
                           create_graph=False, track_params=False)
        query = F.loss_at(model, phi, buffers, task.query_x, task.query_y, loss_fn).detach()
        return phi, query, losses[0]
    phi, losses = loop(model, theta, buffers, task.support_x, task.support_y, loss_fn, inner,
                       create_graph=cfg.second_order, track_params=True,
                       meta_lrs=meta_lrs if cfg.method == "metasgd" else None)
    query = F.loss_at(model, phi, buffers, task.query_x, task.query_y, loss_fn)
    return query, query.detach(), losses[0]


def meta_gradients(model: nn.Module, theta: Mapping[str, Tensor], buffers: Mapping[str, Tensor] | None,
                   batch: MetaBatch, loss_fn: F.LossFn, cfg: AlgorithmConfig, *,
                   meta_lrs: Mapping[str, Tensor] | None = None, vectorize: bool = False) -> MetaGradients:
    """Meta-gradients of ``theta`` (and of ``meta_lrs`` for Meta-SGD), averaged over ``batch``.

    ``theta`` (and ``meta_lrs``) must be tensors that require grad. Raises ValueError for an empty
    batch, a missing ``meta_lrs`` for Meta-SGD or an inner loop without steps.
    """
    if len(batch) == 0:
        raise ValueError("meta-batch is empty")
    if cfg.method == "metasgd" and meta_lrs is None:
        raise ValueError("metasgd needs meta_lrs (see init_meta_lrs)")
    inner = cfg.inner_for(model)
    if inner.steps < 1:
        raise ValueError("meta-training needs at least one inner step")
    names = list(theta)
    lr_names = list(meta_lrs) if (cfg.method == "metasgd" and meta_lrs is not None) else []
    leaves = [theta[n] for n in names] + [meta_lrs[n] for n in lr_names]  # type: ignore[index]
    if vectorize:
        return _vectorized(model, theta, buffers, batch, loss_fn, cfg, inner, meta_lrs, names, lr_names, leaves)
    sums = [torch.zeros_like(t) for t in leaves]
    query_total = support_total = 0.0
    for task in batch.tasks:
        out, query, support = _task_terms(model, theta, buffers, task, loss_fn, cfg, inner, meta_lrs, False)
        if cfg.method == "reptile":
            grads = [theta[n].detach() - out[n] for n in names]
        else:
            grads = [g if g is not None else torch.zeros_like(t)
                     for g, t in zip(torch.autograd.grad(out, leaves, allow_unused=True), leaves)]
        sums = [s + g for s, g in zip(sums, grads)]
        query_total += float(query)
        support_total += float(support)
    n = len(batch)
    return _result([s / n for s in sums], names, lr_names, query_total / n, support_total / n)


def _vectorized(model, theta, buffers, batch, loss_fn, cfg, inner, meta_lrs, names, lr_names, leaves) -> MetaGradients:
    stacked = batch.stacked()

    def per_task(sx, sy, qx, qy):
        task = Task(sx, sy, qx, qy)
        return _task_terms(model, theta, buffers, task, loss_fn, cfg, inner, meta_lrs, True)

    out, query, support = torch.func.vmap(per_task)(stacked.support_x, stacked.support_y,
                                                     stacked.query_x, stacked.query_y)
    if cfg.method == "reptile":
        grads = [theta[n].detach() - out[n].mean(0) for n in names]
    else:
        raw = torch.autograd.grad(out.mean(), leaves, allow_unused=True)
        grads = [g if g is not None else torch.zeros_like(t) for g, t in zip(raw, leaves)]
    return _result(grads, names, lr_names, float(query.mean()), float(support.mean()))


def _result(grads: list[Tensor], names: list[str], lr_names: list[str], query: float, support: float) -> MetaGradients:
    params = {n: g.detach() for n, g in zip(names, grads)}
    lrs = {n: g.detach() for n, g in zip(lr_names, grads[len(names):])} if lr_names else None
    return MetaGradients(params, lrs, query, support)
