"""The settings a curator may vary when it drafts candidates, per domain, and how they apply.

Role: one place that says which knobs a drafted candidate may turn (melodies: adventurousness,
rhythmic density, the samples' idioms, register; paintings: composition, brushwork, light and
warmth, with texture kept at 1.0: :data:`FIXED_SETTINGS`) and over what ranges, so that the pools the curator is meta-trained on
(``prepare-taste``), the benchmark and the live gallery all draft the same way. A setting is a
plain ``dict[str, float]`` (JSON-ready: it goes into a work's provenance and ``report.json``).

Ranges stay near the defaults on purpose: a candidate must still read as the samples' style
(issue 18: fidelity within 0.02 / 0.05 of the gallery without feedback).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

import numpy as np

# name -> (low, high) of the uniform draft; the person's current value is the centre when drafting near it
MELODY_SETTINGS: dict[str, tuple[float, float]] = {
    "temperature": (0.75, 1.35),  # adventurousness
    "density": (-0.5, 0.5),  # rhythmic density: sparser .. busier
    "idioms": (0.3, 0.8),  # reuse of the samples' rhythm and note patterns
    "register": (-5.0, 5.0),  # semitones the note range moves (rounded)
}
PAINTING_SETTINGS: dict[str, tuple[float, float]] = {
    "composition": (0.25, 0.6),  # from the default (library layouts) to freer compositions
    "texture": (0.6, 1.4),  # the network's painted detail: no longer drafted (FIXED_SETTINGS), kept for the vector's shape
    "brushwork": (0.6, 1.0),  # share of fine detail from the samples' brushwork
    "light": (-1.0, 1.0),  # a small global lightness shift (see painting_post)
    "warmth": (-1.0, 1.0),  # a small global warm / cool shift (see painting_post)
}
# Settings kept at one value when drafting (the settings vector keeps their column, which the curator's
# weights expect). Painting texture: texture 0.6 or 1.4 moves a finished 256-px painting from texture 1.0
# by at most 2.3 of 255 levels more than texture 1.01 does (any change redraws the brushwork's patches,
# which are seeded by the painting's pixels), and its named features no more than that control, but for
# fine detail in some pools (`python main.py bench painting_drafts --texture`): the samples' brushwork
# rebuilds the fine detail the network's noise makes, and works over library layouts get half the noise;
# side by side at 100 % the textures look the same. Drafting it only showed the curator a setting that
# changes nothing visible.
FIXED_SETTINGS: dict[str, dict[str, float]] = {"painting": {"texture": 1.0}}
LIGHT_STEP = 0.06  # at light = +-1 the luminance moves by this share of full scale
WARMTH_STEP = 0.05  # at warmth = +-1 red goes up / blue down by this share (and back)


def setting_ranges(domain: str) -> dict[str, tuple[float, float]]:
    """The draftable settings of ``domain`` ("melody" or "painting")."""
    if domain == "melody":
        return MELODY_SETTINGS
    if domain == "painting":
        return PAINTING_SETTINGS
    raise ValueError(f"unknown domain {domain!r}")


def neutral_settings(domain: str, params: Any = None) -> dict[str, float]:
    """The settings of a gallery without a curator: the person's own parameters where they map,
    zero shifts elsewhere."""
    if domain == "melody":
        return {"temperature": float(getattr(params, "temperature", 1.0)),
                "density": float(getattr(params, "density", 0.0)),
                "idioms": float(getattr(params, "idioms", 0.5)), "register": 0.0}
    return {"composition": float(getattr(params, "composition", 0.25)),
            "texture": float(getattr(params, "texture", 1.0)),
            "brushwork": float(getattr(params, "brushwork", 1.0)), "light": 0.0, "warmth": 0.0}


def draft_settings(domain: str, count: int, rng: np.random.Generator,
                   around: Sequence[Mapping[str, float]] = (), near_share: float = 0.5,
                   spread: float = 0.25) -> list[dict[str, float]]:
    """``count`` settings: uniform over the ranges, except that a ``near_share`` of them (when
    ``around`` is given: the settings of works the person kept) are drawn near a random one of
    ``around`` (Gaussian, ``spread`` of each range, clipped to it). Settings in :data:`FIXED_SETTINGS`
    take their fixed value (and draw nothing from ``rng``)."""
    ranges = setting_ranges(domain)
    fixed = FIXED_SETTINGS.get(domain, {})
    out: list[dict[str, float]] = []
    for i in range(count):
        near = around and (i < round(near_share * count))
        centre = around[int(rng.integers(len(around)))] if near else None
        s: dict[str, float] = {}
        for name, (lo, hi) in ranges.items():
            if name in fixed:
                s[name] = float(fixed[name])
                continue
            if centre is not None and name in centre:
                value = float(centre[name]) + float(rng.normal()) * spread * (hi - lo)
            else:
                value = float(rng.uniform(lo, hi))
            value = min(hi, max(lo, value))
            s[name] = float(round(value)) if name == "register" else round(value, 4)
        out.append(s)
    return out


def settings_vector(domain: str, settings: Sequence[Mapping[str, float]]) -> np.ndarray:
    """``(N, S)`` float32: each setting scaled to -1..1 over its range (missing ones at 0)."""
    ranges = setting_ranges(domain)
    out = np.zeros((len(settings), len(ranges)), np.float32)
    for i, s in enumerate(settings):
        for j, (name, (lo, hi)) in enumerate(ranges.items()):
            if name in s:
                out[i, j] = 2.0 * (float(s[name]) - lo) / (hi - lo) - 1.0
    return out


def melody_params(base: Any, settings: Mapping[str, float], default_range: tuple[int, int]) -> Any:
    """``base`` (a MelodyParams) with the settings applied. ``default_range`` is the range the
    generator would use (the samples' range with its margin); the register setting moves it,
    unless the person set the range themselves."""
    changes: dict[str, Any] = {}
    for name in ("temperature", "density", "idioms"):
        if name in settings:
            changes[name] = float(settings[name])
    shift = int(round(settings.get("register", 0.0)))
    if shift and base.range_is_default:
        low, high = default_range
        changes["lowest"] = int(min(127 - 5, max(0, low + shift)))
        changes["highest"] = int(min(127, max(changes["lowest"] + 5, high + shift)))
    return replace(base, **changes)


def painting_params(base: Any, settings: Mapping[str, float]) -> Any:
    """``base`` (a PaintingParams) with the composition, texture and brushwork settings applied
    (light and warmth apply to the finished image: :func:`painting_post`)."""
    changes = {name: float(settings[name]) for name in ("composition", "texture", "brushwork") if name in settings}
    return replace(base, **changes)


def painting_post(image: np.ndarray, settings: Mapping[str, float]) -> np.ndarray:
    """The finished HxWx3 uint8 painting with the light and warmth shifts applied (a copy; the
    image itself when both are zero). The shifts are small and global, so the brushwork stays."""
    light = float(settings.get("light", 0.0))
    warmth = float(settings.get("warmth", 0.0))
    if not light and not warmth:
        return image
    x = image.astype(np.float32) / 255.0
    x = x + light * LIGHT_STEP
    x[..., 0] += warmth * WARMTH_STEP
    x[..., 2] -= warmth * WARMTH_STEP
    return (np.clip(x, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
