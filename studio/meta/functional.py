"""Parameter dicts and the functional forward pass every meta-learning algorithm builds on.

A model's weights live outside the module in a ``dict[str, Tensor]`` (names as in
``named_parameters``); :func:`forward` evaluates the module at those weights with
``torch.func.functional_call``, so adapting or meta-training never mutates the module.
Dict arithmetic here (:func:`add`, :func:`sub`, :func:`scale`, :func:`mean`) is what Reptile and
delta handling are written in.

Buffers and normalisation layers: buffers are passed through ``functional_call`` alongside the
parameters. Take them with :func:`buffers_of`, which *clones* them, so a batch-norm layer in
training mode updates the clones' running statistics (and the module's stay untouched). Batch
norm in training mode normalises with the statistics of the support (or query) batch itself,
which couples the examples of a task and differs between adaptation and generation; under
``torch.func.vmap`` (the vectorised meta-batch) its in-place running-stat update is not allowed
at all. Prefer ``GroupNorm``/``LayerNorm`` (no running statistics) in meta-learned networks, or
put batch-norm layers in ``eval()`` mode so they act as fixed affine maps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import torch
from torch import Tensor, nn
from torch.func import functional_call

Params = dict[str, Tensor]
LossFn = Callable[[object, Tensor], Tensor]  # (model output, targets) -> scalar loss
Inputs = Tensor | tuple[Tensor, ...]


def params_of(model: nn.Module, *, requires_grad: bool = True) -> Params:
    """Detached copies of the model's parameters (leaf tensors, ready for an optimiser)."""
    return {n: p.detach().clone().requires_grad_(requires_grad) for n, p in model.named_parameters()}


def buffers_of(model: nn.Module) -> Params:
    """Detached copies of the model's buffers (batch-norm statistics, ...); see module notes."""
    return {n: b.detach().clone() for n, b in model.named_buffers()}


def forward(model: nn.Module, params: Mapping[str, Tensor], buffers: Mapping[str, Tensor] | None,
            inputs: Inputs) -> object:
    """Evaluate ``model`` at ``params`` (and ``buffers``) on ``inputs`` (a tensor or a tuple of them).

    ``params`` may hold only some parameters; the module's own are used for the rest. Raises
    ValueError for a name the module does not have (``functional_call`` would ignore it).
    """
    args = inputs if isinstance(inputs, tuple) else (inputs,)
    weights = dict(params) if not buffers else {**buffers, **params}
    known = {n for n, _ in model.named_parameters()} | {n for n, _ in model.named_buffers()}
    unknown = weights.keys() - known
    if unknown:
        raise ValueError(f"{type(model).__name__} has no parameters or buffers named {sorted(unknown)}")
    return functional_call(model, weights, args, strict=False)


def loss_at(model: nn.Module, params: Mapping[str, Tensor], buffers: Mapping[str, Tensor] | None,
            inputs: Inputs, targets: Tensor, loss_fn: LossFn) -> Tensor:
    """The scalar loss of ``model`` at ``params`` on one batch ``(inputs, targets)``."""
    return loss_fn(forward(model, params, buffers, inputs), targets)


def mse_loss(output: object, targets: Tensor) -> Tensor:
    """Mean squared error (sinusoid regression, reconstruction losses)."""
    return torch.nn.functional.mse_loss(output, targets)  # type: ignore[arg-type]


def cross_entropy(output: object, targets: Tensor) -> Tensor:
    """Cross-entropy of logits ``(..., classes)`` against integer targets ``(...)`` (token models)."""
    logits: Tensor = output  # type: ignore[assignment]
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def select(names: Iterable[str], prefixes: Sequence[str]) -> list[str]:
    """The names that start with one of ``prefixes`` (all of them when ``prefixes`` is empty)."""
    names = list(names)
    if not prefixes:
        return names
    chosen = [n for n in names if any(n == p or n.startswith(p.rstrip(".") + ".") for p in prefixes)]
    if not chosen:
        raise ValueError(f"no parameter matches the prefixes {list(prefixes)}; names are {names}")
    return chosen


def default_head(model: nn.Module) -> tuple[str, ...]:
    """The prefix of the last module that owns parameters: ANIL's "head" when none is named."""
    owners = [name for name, m in model.named_modules() if any(True for _ in m.parameters(recurse=False))]
    if not owners or owners[-1] == "":
        raise ValueError("cannot infer a head: name the head's parameter prefixes explicitly")
    return (owners[-1],)


def add(a: Mapping[str, Tensor], b: Mapping[str, Tensor]) -> Params:
    """``a + b`` name by name (names of ``b`` must be in ``a``); untouched names of ``a`` are kept."""
    return {n: a[n] + b[n] if n in b else a[n] for n in a}


def sub(a: Mapping[str, Tensor], b: Mapping[str, Tensor]) -> Params:
    """``a - b`` over the names of ``a``."""
    return {n: a[n] - b[n] for n in a}


def scale(a: Mapping[str, Tensor], factor: float) -> Params:
    """``factor * a``."""
    return {n: factor * t for n, t in a.items()}


def mean(dicts: Sequence[Mapping[str, Tensor]]) -> Params:
    """The element-wise mean of several dicts with the same names."""
    if not dicts:
        raise ValueError("mean of no dicts")
    return {n: torch.stack([d[n] for d in dicts]).mean(0) for n in dicts[0]}


def detach(a: Mapping[str, Tensor]) -> Params:
    """Detached views (no autograd history)."""
    return {n: t.detach() for n, t in a.items()}


def global_norm(tensors: Iterable[Tensor]) -> Tensor:
    """The L2 norm of all tensors taken together."""
    return torch.sqrt(sum((t * t).sum() for t in tensors))  # type: ignore[arg-type]
