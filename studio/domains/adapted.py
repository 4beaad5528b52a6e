"""Reading an :class:`~studio.domains.base.AdaptedModel`'s delta back inside a domain generator.

Both generators store the adapted weights' delta and the samples' style features under
:data:`STYLE_KEY` in one safetensors blob; this module splits it again and refuses a delta that
belongs to another domain or model. It imports torch (through :mod:`studio.meta.adapt`), which
:mod:`studio.domains.base` must not.
"""

from __future__ import annotations

from torch import Tensor

from studio.core.samples import Domain
from studio.domains.base import AdaptedModel
from studio.errors import AdaptationError
from studio.meta import adapt as meta_adapt

STYLE_KEY = "style/features"


def weight_delta(adapted: AdaptedModel) -> dict[str, Tensor]:
    """The adapted weights' delta alone (no style features)."""
    stored = meta_adapt.delta_from_bytes(adapted.delta)
    return {n: t for n, t in stored.items() if n != STYLE_KEY}


def delta_and_style(adapted: AdaptedModel, domain: Domain, model_name: str) -> tuple[dict[str, Tensor], Tensor]:
    """``(weight delta, style features)`` of an adaptation of ``model_name`` in ``domain``.

    Raises AdaptationError for another domain's or model's adaptation, or one without style features.
    """
    if adapted.domain is not domain or adapted.model_name != model_name:
        raise AdaptationError(f"this adaptation belongs to {adapted.model_name}, not {model_name}")
    stored = meta_adapt.delta_from_bytes(adapted.delta)
    if STYLE_KEY not in stored:
        raise AdaptationError("the stored adaptation has no style features; adapt again")
    features = stored.pop(STYLE_KEY)
    return stored, features
