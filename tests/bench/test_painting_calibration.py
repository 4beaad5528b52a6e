"""A tiny end-to-end run of the painting calibration benchmark on synthetic 'artists'."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.bench import painting_calibration as bench


def parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    return parser.parse_args(list(argv))


def make_artist(root: Path, name: str, colours: tuple, count: int = 10) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    rng = np.random.default_rng(len(name))
    for i in range(count):
        y, x = np.mgrid[:40, :52]
        wave = (np.sin((x + y * rng.uniform(0.2, 1.0) + rng.uniform(0, 9)) / 3.0) > 0)[..., None]
        img = np.where(wave, colours[0], colours[1]) + rng.normal(0, 5, (40, 52, 3))
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(folder / f"{i:02d}.png")


def test_random_crops_keep_or_change_the_scale():
    samples = [np.zeros((40, 60, 3), np.uint8)]
    native = bench.random_crops(samples, 3, np.random.default_rng(0))
    assert all(20 <= c.shape[0] <= 36 and 30 <= c.shape[1] <= 54 for c in native)
    resized = bench.random_crops(samples, 3, np.random.default_rng(0), long_side=64)
    assert all(max(c.shape[:2]) == 64 for c in resized)


def test_quick_run_on_synthetic_artists(tmp_path):
    make_artist(tmp_path, "alpha", ((200, 50, 40), (240, 220, 200)))
    args = parsed("--data", str(tmp_path), "--artists", "alpha", "--quick", "--count", "2", "--threads", "1",
                  "--sheet", str(tmp_path / "sheet.png"), "--normalize", "reference", "per_set")
    result = bench.run(args)
    rows = {row["method"]: row for row in result["rows"]}
    assert set(rows) == set(bench.METHODS)
    assert rows["crops"]["copy"] == 1.0  # literal crops are copies
    assert rows["genuine"]["copy"] < 0.5
    for row in rows.values():
        assert np.isfinite(row["swd_ratio"]) and row["swd_ratio"] > 0
    assert (tmp_path / "sheet.png").is_file()
    assert any(line.startswith("gpnn") for line in result["table"])
    assert "per_set normalisation" in result["table"][-1] and "swd_ratio_per_set" in rows["gpnn"]


def test_unknown_artist_is_an_error(tmp_path):
    make_artist(tmp_path, "alpha", ((0, 0, 0), (255, 255, 255)))
    from studio.errors import StudioError

    with pytest.raises(StudioError):
        bench.run(parsed("--data", str(tmp_path), "--artists", "nobody", "--quick"))
