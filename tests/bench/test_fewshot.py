"""The few-shot benchmark end to end on a tiny configuration (glyphs and stand-in paintings)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest
import torch

from studio.bench import fewshot
from studio.meta.checkpoint import load_checkpoint
from studio.meta.fewshot_data import find_fonts
from studio.meta.protonet import ConvEmbedding, ConvEmbeddingConfig


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    fewshot.add_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.fixture(autouse=True)
def restore_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def fake_paintings(root: Path) -> None:
    """Seven painter folders of 16 small images; each painter has its own dominant colour."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for p, name in enumerate(fewshot.TRAIN_PAINTERS + fewshot.TEST_PAINTERS):
        (root / name).mkdir(parents=True)
        for i in range(16):
            img = rng.integers(0, 80, (72, 72, 3)) + 20 * p
            Image.fromarray(img.astype(np.uint8)).save(root / name / f"{i}.png")


def test_fewshot_benchmark_runs_end_to_end_and_saves_a_loadable_embedding(tmp_path: Path) -> None:
    if len(find_fonts()) < 16:
        pytest.skip("fewer than 16 fonts installed")
    fake_paintings(tmp_path / "paintings")
    args = parse("--quick", "--glyph-episodes", "3", "--painter-episodes", "2", "--test-episodes", "3",
                 "--hidden", "8", "--paintings", str(tmp_path / "paintings"), "--save", str(tmp_path / "models"),
                 "--quiet")
    result = fewshot.run(args)
    settings = {(r["dataset"], r["shot"]) for r in result["rows"]}
    assert settings == {(d, k) for d in ("glyphs", "painters") for k in (1, 5)}
    assert {r["method"] for r in result["rows"]} == {"ProtoNet", "MatchingNet", "Random Conv-4 + prototypes",
                                                     "Pixel 1-NN"}
    assert all(0.0 <= r["accuracy"] <= 100.0 and r["ci95"] >= 0.0 for r in result["rows"])
    assert result["table"][1].startswith("| method |") and len(result["table"]) == 3 + 4
    tensors, card = load_checkpoint(tmp_path / "models" / "fewshot_painters_protonet")
    net = ConvEmbedding(ConvEmbeddingConfig(**card["config"]))
    net.load_state_dict(tensors)
    assert net(torch.rand(1, 3, 64, 64)).shape == (1, net.output_dim(64, 64))


def test_unknown_dataset_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown datasets"):
        fewshot.run(parse("--datasets", "omniglot"))
