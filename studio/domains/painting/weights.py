"""The painting network's weights files: shipped models and training checkpoints.

A stored painting model is a safetensors file of the :class:`~.model.PaintNet` weights (plus,
for a Meta-SGD model, its learned step sizes under ``meta_lrs/``) beside a JSON card with
``kind`` ``painting-generator`` and the network's ``config`` (nanoGPT's habit: a file can rebuild
its model). :func:`save_model` writes one, :func:`load_model` reads and checks one. Training
checkpoints (:mod:`.train`) use the same format with optimiser state under ``opt/``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import torch

from studio.domains.painting.model import PaintNet, PaintNetConfig
from studio.errors import CheckpointError
from studio.meta import checkpoint as ckpt

MODEL_KIND = "painting-generator"
STEP_SIZES = "meta_lrs"  # name prefix of Meta-SGD's learned step sizes in a weights file


def save_model(stem: str | os.PathLike, params: dict[str, torch.Tensor], net: PaintNetConfig,
               card: dict[str, Any], step_sizes: Mapping[str, torch.Tensor] | None = None) -> None:
    """Write shipped weights (plus Meta-SGD's step sizes, if any) and their card (``kind``,
    ``config`` plus the given card)."""
    tensors = {n: t.detach().contiguous() for n, t in params.items()}
    tensors.update(ckpt.with_prefix({n: t.detach().contiguous() for n, t in (step_sizes or {}).items()}, STEP_SIZES))
    ckpt.save_checkpoint(stem, tensors, {"kind": MODEL_KIND, "config": net.to_dict(), **card})


def _network_tensors(tensors: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The network's weights among a file's tensors (not optimiser state or step sizes)."""
    return {n: t for n, t in tensors.items() if not n.startswith(("opt/", STEP_SIZES + "/"))}


def load_model(stem: str | os.PathLike) -> tuple[PaintNet, dict[str, torch.Tensor], dict[str, torch.Tensor], dict]:
    """``(network, params, step sizes, card)`` of stored painting weights (a shipped model or a
    checkpoint); the step sizes are Meta-SGD's per-parameter ones, empty for other models.

    Raises CheckpointError for missing or damaged files, another kind of model, or weights that
    do not fit the card's config.
    """
    tensors, card = ckpt.load_checkpoint(stem)
    if card.get("kind") != MODEL_KIND:
        raise CheckpointError(f"not a painting model (kind {card.get('kind')!r})", str(stem))
    try:
        net = PaintNet(PaintNetConfig.from_dict(card["config"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"the card's model config is malformed: {exc}", str(stem)) from exc
    params = _network_tensors(tensors)
    ckpt.check_matches(params, dict(net.named_parameters()), str(stem), "painting network")
    net.load_state_dict(params)
    net.eval()
    step_sizes = ckpt.split_prefix(tensors, STEP_SIZES)
    for name, sizes in step_sizes.items():
        if name not in params or sizes.shape != params[name].shape or not bool(torch.isfinite(sizes).all()):
            raise CheckpointError(f"the Meta-SGD step sizes of {name!r} do not fit the network", str(stem))
    return net, params, step_sizes, card
