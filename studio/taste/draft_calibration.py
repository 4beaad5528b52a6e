"""The draft calibration: descriptors of painting drafts without brushwork, mapped to the finished works'.

Role: curated painting galleries draft their candidates up to the network only and brush only the
works shown (:mod:`studio.taste.drafting`). The samples' brushwork changes a painting's detail finer
than 8 px, so a few named features (busyness, fine detail) of a draft read differently from its
finished work's. A per-feature affine map ``finished ~ shift + scale * draft``, fitted by least
squares on drafts of the training painters (``python main.py bench painting_drafts --write``), puts
the drafts' descriptors where the finished works' would be before the taste model and the curator
read them. It ships as ``models/taste-painting-drafts.json`` with its card; without that file the
drafts are read as they are (the identity).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

FILE_NAME = "taste-painting-drafts.json"


@dataclass(frozen=True)
class DraftCalibration:
    """Per-column ``shift + scale * x`` for the interpretable (F) and raw (R) descriptors."""

    interp_scale: np.ndarray
    interp_shift: np.ndarray
    raw_scale: np.ndarray
    raw_shift: np.ndarray
    card: dict[str, Any] = field(default_factory=dict)

    def apply(self, interp: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Draft descriptors ``(N, F)``, ``(N, R)`` as the finished works' would read (float32 copies)."""
        i = np.asarray(interp, np.float32)
        r = np.asarray(raw, np.float32)
        if i.shape[-1] != self.interp_scale.size or r.shape[-1] != self.raw_scale.size:
            return i.copy(), r.copy()  # another descriptor layout: leave the drafts as they are
        return ((self.interp_shift + self.interp_scale * i).astype(np.float32),
                (self.raw_shift + self.raw_scale * r).astype(np.float32))

    @property
    def is_identity(self) -> bool:
        return bool(np.all(self.interp_scale == 1) and np.all(self.interp_shift == 0)
                    and np.all(self.raw_scale == 1) and np.all(self.raw_shift == 0))

    @staticmethod
    def identity(interp_size: int, raw_size: int, reason: str = "") -> DraftCalibration:
        card = {"fallback_reason": reason} if reason else {}
        return DraftCalibration(np.ones(interp_size, np.float32), np.zeros(interp_size, np.float32),
                                np.ones(raw_size, np.float32), np.zeros(raw_size, np.float32), card)

    def write(self, card: dict[str, Any], models_dir: str | Path | None = None) -> Path:
        """Store this calibration with ``card`` as ``models/taste-painting-drafts.json`` (atomically: a
        reader never sees half a file); returns the path."""
        from studio.core.atomic import atomic_write

        path = _path(models_dir)
        data = {"card": card, "interp_scale": self.interp_scale.tolist(), "interp_shift": self.interp_shift.tolist(),
                "raw_scale": self.raw_scale.tolist(), "raw_shift": self.raw_shift.tolist()}
        atomic_write(path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))
        return path


def _path(models_dir: str | Path | None) -> Path:
    from studio.model_registry import MODELS_DIR

    return Path(models_dir if models_dir is not None else MODELS_DIR) / FILE_NAME


def _affine(draft: np.ndarray, final: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column, least-squares ``final ~ shift + scale * draft`` (scale 1 where a column is constant)."""
    d = np.asarray(draft, np.float64)
    f = np.asarray(final, np.float64)
    dm, fm = d.mean(0), f.mean(0)
    var = ((d - dm) ** 2).mean(0)
    cov = ((d - dm) * (f - fm)).mean(0)
    scale = np.where(var > 1e-12, cov / np.maximum(var, 1e-12), 1.0)
    return scale.astype(np.float32), (fm - scale * dm).astype(np.float32)


def fit_calibration(draft_interp: Sequence[np.ndarray], draft_raw: Sequence[np.ndarray],
                    final_interp: Sequence[np.ndarray], final_raw: Sequence[np.ndarray]) -> DraftCalibration:
    """The calibration from paired draft / finished descriptors (lists of ``(N, F)`` / ``(N, R)`` arrays)."""
    if not draft_interp or sum(len(x) for x in draft_interp) < 3:
        raise ValueError("the draft calibration needs at least 3 paired drafts")
    i_scale, i_shift = _affine(np.concatenate(draft_interp), np.concatenate(final_interp))
    r_scale, r_shift = _affine(np.concatenate(draft_raw), np.concatenate(final_raw))
    return DraftCalibration(i_scale, i_shift, r_scale, r_shift)


def load_calibration(models_dir: str | Path | None = None) -> DraftCalibration:
    """The shipped calibration, or the identity (its ``card["fallback_reason"]`` says why) when the
    file is missing or unreadable."""
    from studio.taste.describe import spec_for

    spec = spec_for("painting")
    path = _path(models_dir)
    if not path.is_file():
        return DraftCalibration.identity(spec.size, spec.raw_size, f"{path.name} is not installed")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        out = DraftCalibration(*(np.asarray(data[k], np.float32) for k in
                                 ("interp_scale", "interp_shift", "raw_scale", "raw_shift")), dict(data.get("card", {})))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return DraftCalibration.identity(spec.size, spec.raw_size, f"{path.name} is unreadable ({exc})")
    if out.interp_scale.size != spec.size or out.raw_scale.size != spec.raw_size:
        return DraftCalibration.identity(spec.size, spec.raw_size,
                                         f"{path.name} fits another descriptor layout: refit it")
    return out
