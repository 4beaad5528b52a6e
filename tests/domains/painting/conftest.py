"""Small synthetic paintings shared by the painting tests (no dataset needed)."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.samples import Domain, ImageFacts, Sample


def painting(seed: int, size: tuple[int, int] = (48, 64)) -> np.ndarray:
    """Smooth colour masses with stripes on top: a tiny stand-in for a painting."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[: size[0], : size[1]]
    base = rng.uniform(40, 215, 3)
    wave = np.sin((x + y * rng.uniform(0.5, 2)) / rng.uniform(2, 4))[..., None]
    img = base + 40 * wave * rng.uniform(-1, 1, 3) + rng.normal(0, 6, size + (3,))
    return np.clip(img, 0, 255).astype(np.uint8)


def as_sample(rgb: np.ndarray, name: str = "p.png") -> Sample:
    facts = ImageFacts(width=rgb.shape[1], height=rgb.shape[0], mode="RGB", format="PNG", palette=())
    return Sample(name=name, path=name, domain=Domain.PAINTING, data=rgb.tobytes()[:64], facts=facts, image=rgb)


@pytest.fixture
def samples() -> list[Sample]:
    return [as_sample(painting(i), f"p{i}.png") for i in range(3)]
