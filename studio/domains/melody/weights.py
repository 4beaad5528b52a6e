"""The melody network's weights files: ``models/melody-*`` and what training exports.

A stored melody model is a safetensors file of the :class:`~.model.MelodyNet` weights (plus, for
Meta-SGD, its learned rates as ``meta_lrs/<name>`` tensors) beside a JSON card with ``kind``
``melody-generator``, the network's ``config`` (so the file rebuilds its model) and the ``adapt``
entry that gives the run-time learning rate and steps. :func:`save_model` writes one,
:func:`load_model` reads and checks one.
"""

from __future__ import annotations

import os
from typing import Any

from torch import Tensor

from studio.domains.melody.model import MelodyNet, MelodyNetConfig
from studio.errors import CheckpointError
from studio.meta import checkpoint as ckpt

MODEL_KIND = "melody-generator"


def save_model(stem: str | os.PathLike, params: dict[str, Tensor], net: MelodyNetConfig,
               card: dict[str, Any], meta_lrs: dict[str, Tensor] | None = None) -> None:
    """Write shipped weights (params, plus ``meta_lrs/`` tensors for Meta-SGD) and the card."""
    tensors = {n: t.detach().contiguous() for n, t in params.items()}
    if meta_lrs:
        tensors.update({f"meta_lrs/{n}": t.detach().contiguous() for n, t in meta_lrs.items()})
    ckpt.save_checkpoint(stem, tensors, {"kind": MODEL_KIND, "config": net.to_dict(), **card})


def load_model(stem: str | os.PathLike) -> tuple[MelodyNet, dict[str, Tensor], dict[str, Tensor] | None, dict]:
    """``(model, params, meta_lrs or None, card)`` of a stored melody model.

    Raises CheckpointError for missing or damaged files, another kind of model, or weights
    that do not fit the config in the card.
    """
    tensors, card = ckpt.load_checkpoint(stem)
    if card.get("kind") != MODEL_KIND:
        raise CheckpointError(f"not a melody model (kind {card.get('kind')!r})", str(stem))
    try:
        model = MelodyNet(MelodyNetConfig.from_dict(card["config"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"the card's model config is malformed: {exc}", str(stem)) from exc
    params = {n: t for n, t in tensors.items() if not n.startswith("meta_lrs/")}
    reference = dict(model.named_parameters())
    ckpt.check_matches(params, reference, str(stem), "melody network")
    meta_lrs = ckpt.split_prefix(tensors, "meta_lrs") or None
    model.load_state_dict(params)
    model.eval()
    return model, params, meta_lrs, card
