"""The painting network's weights files: shipped models and training checkpoints.

A stored painting model is a safetensors file of the :class:`~.model.PaintNet` weights beside a
JSON card with ``kind`` ``painting-generator`` and the network's ``config`` (nanoGPT's habit: a
file can rebuild its model). :func:`save_model` writes one, :func:`load_model` reads and checks
one. Training checkpoints (:mod:`.train`) use the same format with optimiser state under ``opt/``.
A painting Meta-SGD model (learned step sizes under ``meta_lrs/``, card ``adapt.optimizer``
``meta-sgd``) did not ship and is refused with a pointer to research/README.md.
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
REMOVED_STEP_SIZES = "meta_lrs/"  # where the removed painting Meta-SGD kept its learned step sizes


def save_model(stem: str | os.PathLike, params: dict[str, torch.Tensor], net: PaintNetConfig,
               card: dict[str, Any]) -> None:
    """Write shipped weights and their card (``kind``, ``config`` plus the given card)."""
    tensors = {n: t.detach().contiguous() for n, t in params.items()}
    ckpt.save_checkpoint(stem, tensors, {"kind": MODEL_KIND, "config": net.to_dict(), **card})


def _network_tensors(tensors: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The network's weights among a file's tensors (not optimiser state)."""
    return {n: t for n, t in tensors.items() if not n.startswith("opt/")}


def load_model(stem: str | os.PathLike) -> tuple[PaintNet, dict[str, torch.Tensor], dict]:
    """``(network, params, card)`` of stored painting weights (a shipped model or a checkpoint).

    Raises CheckpointError for missing or damaged files, another kind of model, a painting
    Meta-SGD model (removed: research/README.md), or weights that do not fit the card's config.
    """
    tensors, card = ckpt.load_checkpoint(stem)
    if card.get("kind") != MODEL_KIND:
        raise CheckpointError(f"not a painting model (kind {card.get('kind')!r})", str(stem))
    adapt = card.get("adapt")
    if (isinstance(adapt, dict) and adapt.get("optimizer") == "meta-sgd") or any(
            n.startswith(REMOVED_STEP_SIZES) for n in tensors):
        raise CheckpointError("the model adapts with learned Meta-SGD step sizes, which no longer ship for "
                              "paintings; use painting-reptile, or see research/README.md", str(stem))
    try:
        net = PaintNet(PaintNetConfig.from_dict(card["config"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"the card's model config is malformed: {exc}", str(stem)) from exc
    params = _network_tensors(tensors)
    ckpt.check_matches(params, dict(net.named_parameters()), str(stem), "painting network")
    net.load_state_dict(params)
    net.eval()
    return net, params, card
