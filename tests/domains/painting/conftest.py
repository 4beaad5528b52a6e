"""Small synthetic paintings and a tiny generator shared by the painting tests (no dataset, no shipped weights)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.core.samples import Domain, ImageFacts, Sample
from studio.domains.painting.generator import PaintingGenerator
from studio.domains.painting.model import PaintNet, PaintNetConfig
from studio.domains.painting.weights import save_model


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


@pytest.fixture(scope="module")
def generator(tmp_path_factory: pytest.TempPathFactory) -> PaintingGenerator:
    """A generator over a tiny random network saved as the model "tiny" (a test file may override it)."""
    folder = tmp_path_factory.mktemp("models")
    torch.manual_seed(0)
    net = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))
    save_model(folder / "tiny", dict(net.named_parameters()), net.config, {"adapt": {"lr": 1e-3}})
    return PaintingGenerator("tiny", folder)
