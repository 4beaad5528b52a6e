"""Checkpoints as a safetensors file of tensors plus a JSON card, never pickle.

``save_checkpoint("runs/sine", tensors, card)`` writes ``runs/sine.safetensors`` and
``runs/sine.json``. The card is any JSON object (the typed config, the step, a description);
this module adds a ``"tensors"`` manifest (name -> dtype and shape) and checks it on load, so a
truncated, swapped or hand-edited pair is reported as a :class:`~studio.errors.CheckpointError`
that names the file and what is wrong. Both files are written atomically (temp file + rename).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from safetensors import SafetensorError
from safetensors.torch import load_file, save
from torch import Tensor

from studio.core.atomic import atomic_write, remove_stale_temps
from studio.errors import CheckpointError

FORMAT = "studio-checkpoint"
VERSION = 1


def paths(path_stem: str | os.PathLike[str]) -> tuple[Path, Path]:
    """The ``(.safetensors, .json)`` pair of a checkpoint stem."""
    stem = Path(path_stem)
    return stem.with_name(stem.name + ".safetensors"), stem.with_name(stem.name + ".json")


def _manifest(tensors: Mapping[str, Tensor]) -> dict[str, dict[str, Any]]:
    return {n: {"dtype": str(t.dtype).removeprefix("torch."), "shape": list(t.shape)}
            for n, t in sorted(tensors.items())}


def _atomic_write(path: Path, data: bytes) -> None:
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise CheckpointError(f"cannot write the checkpoint: {exc.strerror or exc}", path) from exc


def save_checkpoint(path_stem: str | os.PathLike[str], tensors: Mapping[str, Tensor], card: Mapping[str, Any]) -> None:
    """Write ``tensors`` and the JSON ``card`` next to each other; creates missing folders.

    Raises CheckpointError if the card is not JSON-serialisable or the files cannot be written.
    """
    weights_path, card_path = paths(path_stem)
    if "tensors" in card or "format" in card:
        raise CheckpointError("the card keys 'tensors' and 'format' are reserved", card_path)
    full_card = {"format": FORMAT, "version": VERSION, **card, "tensors": _manifest(tensors)}
    try:
        text = json.dumps(full_card, indent=2, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise CheckpointError(f"the card is not plain JSON: {exc}", card_path) from exc
    plain = {n: t.detach().cpu().contiguous().clone() for n, t in tensors.items()}
    try:
        weights_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CheckpointError(f"cannot create the folder: {exc.strerror or exc}", weights_path.parent) from exc
    remove_stale_temps(weights_path.parent)  # left by saves killed mid-write
    _atomic_write(weights_path, save(plain, metadata={"format": FORMAT}))
    _atomic_write(card_path, (text + "\n").encode("utf-8"))


def load_checkpoint(path_stem: str | os.PathLike[str]) -> tuple[dict[str, Tensor], dict[str, Any]]:
    """Read a checkpoint written by :func:`save_checkpoint`; returns ``(tensors, card)``.

    The returned card no longer holds the ``format``/``version``/``tensors`` bookkeeping keys.
    Raises CheckpointError if a file is missing or unreadable, the card is not a studio card, or
    the tensors differ from the card's manifest (names, dtypes or shapes).
    """
    weights_path, card_path = paths(path_stem)
    for p in (weights_path, card_path):
        if not p.is_file():
            raise CheckpointError("file not found: the checkpoint needs both the .safetensors and the .json file", p)
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"the card is not readable JSON: {exc}", card_path) from exc
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        raise CheckpointError(f"not a studio checkpoint card (expected format {FORMAT!r})", card_path)
    if card.get("version") != VERSION:
        raise CheckpointError(f"checkpoint version {card.get('version')!r} is not supported (expected {VERSION})",
                              card_path)
    try:
        tensors = load_file(str(weights_path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"the weights file is corrupt or not safetensors: {exc}", weights_path) from exc
    expected, found = card.get("tensors"), _manifest(tensors)
    if expected != found:
        missing = sorted(set(expected or {}) - set(found))
        extra = sorted(set(found) - set(expected or {}))
        differ = sorted(n for n in set(found) & set(expected or {}) if found[n] != expected[n])
        raise CheckpointError(f"weights do not match the card: missing {missing}, unexpected {extra}, "
                              f"different dtype/shape {differ}", weights_path)
    body = {k: v for k, v in card.items() if k not in ("format", "version", "tensors")}
    return tensors, body


def check_matches(tensors: Mapping[str, Tensor], reference: Mapping[str, Tensor], path: str | os.PathLike[str],
                  what: str = "model") -> None:
    """Raise CheckpointError unless ``tensors`` has exactly ``reference``'s names and shapes."""
    missing = sorted(set(reference) - set(tensors))
    extra = sorted(set(tensors) - set(reference))
    shapes = sorted(n for n in set(reference) & set(tensors) if tuple(reference[n].shape) != tuple(tensors[n].shape))
    if missing or extra or shapes:
        raise CheckpointError(f"the weights do not fit the {what}: missing {missing}, unexpected {extra}, "
                              f"wrong shape {shapes}", str(path))


def split_prefix(tensors: Mapping[str, Tensor], prefix: str) -> dict[str, Tensor]:
    """The tensors named ``prefix/NAME``, keyed by ``NAME``."""
    start = prefix + "/"
    return {n[len(start):]: t for n, t in tensors.items() if n.startswith(start)}


def with_prefix(tensors: Mapping[str, Tensor], prefix: str) -> dict[str, Tensor]:
    """``tensors`` renamed to ``prefix/NAME`` (to keep several dicts in one file)."""
    return {f"{prefix}/{n}": t for n, t in tensors.items()}

