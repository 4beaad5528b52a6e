"""A hypernetwork that adapts a target network to a support set in one forward pass (FiLM).

Role: the network-based ("instant", no gradient steps) adaptation method of the registry's
``hypernet`` entry. A DeepSets encoder embeds each support pair ``(x, y)``, pools the set
with a permutation-invariant mean or attention pooling, and a head maps the pooled vector to
FiLM modulations of every hidden layer of the target MLP:
``h_i = relu(scale_i * (W_i h_{i-1} + b_i) + shift_i)``.

The modulations are plain tensors named like the target's FiLM buffers (``film_scale_0``,
``film_shift_0``, ...), so :func:`modulated_params` returns one ``dict[str, Tensor]`` that
``torch.func.functional_call(target, params, (x,))`` evaluates; gradient-based inner loops
(see :func:`refine` here, or the MAML code) can then refine any subset of its keys. Both the
target and the modulations accept a leading task-batch dimension: ``x`` ``(B, N, in)`` with
scales ``(B, 1, H)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.func import functional_call

from studio.progress import NULL_PROGRESS, Progress, check_stop

TaskBatch = tuple[Tensor, Tensor, Tensor, Tensor]  # support_x, support_y, query_x, query_y: (B, N, d)


@dataclass(frozen=True)
class FiLMMLPConfig:
    """The target network: an MLP whose hidden layers take FiLM modulations."""

    in_dim: int = 1
    hidden: tuple[int, ...] = (40, 40)
    out_dim: int = 1


class FiLMMLP(nn.Module):
    """MLP with identity FiLM buffers (scale 1, shift 0) that ``functional_call`` can override."""

    def __init__(self, config: FiLMMLPConfig = FiLMMLPConfig()) -> None:
        super().__init__()
        self.config = config
        dims = (config.in_dim, *config.hidden)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.out = nn.Linear(dims[-1], config.out_dim)
        for i, width in enumerate(config.hidden):
            # Buffers, not parameters: the base network is trained without them; modulations
            # come from the hypernetwork or an inner loop through functional_call.
            self.register_buffer(f"film_scale_{i}", torch.ones(width), persistent=False)
            self.register_buffer(f"film_shift_{i}", torch.zeros(width), persistent=False)

    def film_keys(self) -> list[str]:
        return [f"film_{kind}_{i}" for i in range(len(self.config.hidden)) for kind in ("scale", "shift")]

    def forward(self, x: Tensor) -> Tensor:
        h = x
        for i, layer in enumerate(self.layers):
            h = F.relu(getattr(self, f"film_scale_{i}") * layer(h) + getattr(self, f"film_shift_{i}"))
        return self.out(h)


@dataclass(frozen=True)
class HyperNetConfig:
    """The set encoder and modulation head."""

    target: FiLMMLPConfig = field(default_factory=FiLMMLPConfig)
    set_hidden: int = 64  # width of the per-example encoder and the pooled set vector
    pooling: str = "mean"  # "mean" (DeepSets) or "attention" (one learned query, softmax weights)

    def __post_init__(self) -> None:
        if self.pooling not in ("mean", "attention"):
            raise ValueError(f"pooling must be 'mean' or 'attention', not {self.pooling!r}")


class HyperNetwork(nn.Module):
    """Support set ``(x, y)`` -> FiLM modulations of a :class:`FiLMMLP` with ``config.target``."""

    def __init__(self, config: HyperNetConfig = HyperNetConfig()) -> None:
        super().__init__()
        self.config = config
        t, h = config.target, config.set_hidden
        self.encoder = nn.Sequential(nn.Linear(t.in_dim + t.out_dim, h), nn.ReLU(),
                                     nn.Linear(h, h), nn.ReLU(), nn.Linear(h, h))
        if config.pooling == "attention":
            self.query = nn.Parameter(torch.randn(h) / math.sqrt(h))
            self.key = nn.Linear(h, h)
        self.head = nn.Sequential(nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 2 * sum(t.hidden)))
        # Zero-initialised last layer: an untrained hypernetwork is the identity modulation.
        nn.init.zeros_(self.head[-1].weight)
        nn.init.zeros_(self.head[-1].bias)

    def encode(self, support_x: Tensor, support_y: Tensor) -> Tensor:
        """Permutation-invariant set vector: ``(N, d) -> (set_hidden,)`` or ``(B, N, d) -> (B, set_hidden)``."""
        if support_x.shape[-2] == 0:
            raise ValueError("the support set is empty")
        e = self.encoder(torch.cat([support_x, support_y], dim=-1))
        if self.config.pooling == "mean":
            return e.mean(-2)
        weights = torch.softmax(self.key(e) @ self.query / math.sqrt(e.shape[-1]), dim=-1)
        return (weights.unsqueeze(-1) * e).sum(-2)

    def forward(self, support_x: Tensor, support_y: Tensor) -> dict[str, Tensor]:
        """FiLM tensors keyed like the target's buffers; batched inputs give ``(B, 1, H)`` tensors."""
        raw = self.head(self.encode(support_x, support_y))
        batched = support_x.dim() == 3
        out: dict[str, Tensor] = {}
        start = 0
        for i, width in enumerate(self.config.target.hidden):
            d_scale, d_shift = raw[..., start:start + width], raw[..., start + width:start + 2 * width]
            start += 2 * width
            out[f"film_scale_{i}"] = (1.0 + d_scale).unsqueeze(-2) if batched else 1.0 + d_scale
            out[f"film_shift_{i}"] = d_shift.unsqueeze(-2) if batched else d_shift
        return out


def modulated_params(hypernet: HyperNetwork, target: FiLMMLP, support_x: Tensor,
                     support_y: Tensor) -> dict[str, Tensor]:
    """The target's parameters plus the predicted FiLM tensors: ``functional_call(target, p, (x,))``."""
    return {**dict(target.named_parameters()), **hypernet(support_x, support_y)}


def refine(target: FiLMMLP, params: dict[str, Tensor], support_x: Tensor, support_y: Tensor,
           steps: int = 5, lr: float = 0.01, keys: list[str] | None = None) -> dict[str, Tensor]:
    """A few SGD steps on the support MSE, over ``keys`` (default: the FiLM tensors only).

    Works on one task or a task batch (each task's own MSE is followed). Returns a new dict;
    the input dict and the module are left untouched. Gradients do not flow back into
    ``params`` (first-order): this is test-time refinement, not meta-training.
    """
    keys = target.film_keys() if keys is None else keys
    current = {k: v.detach().clone().requires_grad_(k in keys) for k, v in params.items()}
    for _ in range(steps):
        err = (functional_call(target, current, (support_x,)) - support_y) ** 2
        loss = err.mean((-2, -1)).sum()  # sum over tasks of each task's MSE
        grads = torch.autograd.grad(loss, [current[k] for k in keys])
        with torch.no_grad():
            for k, g in zip(keys, grads):
                current[k] -= lr * g
    return {k: v.detach() for k, v in current.items()}


@dataclass(frozen=True)
class HyperTrainConfig:
    """Meta-training of the hypernetwork and the target jointly by query MSE."""

    steps: int = 300
    meta_batch: int = 16  # tasks per step
    lr: float = 1e-3
    seed: int = 0


def meta_train(target: FiLMMLP, hypernet: HyperNetwork | None,
               sample_tasks: Callable[[torch.Generator, int], TaskBatch],
               config: HyperTrainConfig = HyperTrainConfig(), progress: Progress = NULL_PROGRESS) -> list[float]:
    """Train ``target`` (and ``hypernet`` unless None: then the un-modulated base) on query MSE.

    ``sample_tasks(generator, batch)`` returns batched ``(support_x, support_y, query_x, query_y)``.
    Returns the loss of every step. Raises Cancelled when ``progress`` asks to stop.
    """
    modules = [target] + ([hypernet] if hypernet is not None else [])
    optimiser = torch.optim.Adam([p for m in modules for p in m.parameters()], lr=config.lr)
    generator = torch.Generator().manual_seed(config.seed)
    losses: list[float] = []
    for step in range(config.steps):
        check_stop(progress)
        sx, sy, qx, qy = sample_tasks(generator, config.meta_batch)
        loss = query_mse(target, hypernet, sx, sy, qx, qy)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(float(loss.detach()))
        progress.report_progress((step + 1) / config.steps, f"hypernetwork step {step + 1}: mse {losses[-1]:.3f}")
    return losses


def query_mse(target: FiLMMLP, hypernet: HyperNetwork | None, sx: Tensor, sy: Tensor, qx: Tensor, qy: Tensor) -> Tensor:
    """Mean query MSE of a task batch, modulated by ``hypernet`` (or not, when it is None)."""
    params = dict(target.named_parameters()) if hypernet is None else modulated_params(hypernet, target, sx, sy)
    return F.mse_loss(functional_call(target, params, (qx,)), qy)
