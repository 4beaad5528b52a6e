"""bench describe: a tiny run reports every row and judges both goals."""

from __future__ import annotations

import argparse

from studio.bench import describe


def test_describe_bench_quick_run() -> None:
    parser = argparse.ArgumentParser()
    describe.add_arguments(parser)
    result = describe.run(parser.parse_args(["--runs", "1", "--works", "2"]))
    assert set(result["rows"]) == {"reading a 256-px PNG as a sample (baseline)", "painting, 64 px",
                                   "painting, 256 px", "painting, 1024 px", "melody, 8 bars", "melody, 64 bars"}
    for row in result["rows"].values():
        assert 0 < row["min_ms"] <= row["median_ms"] and row["cpu_median_ms"] >= 0
    assert set(result["goals"]) == {"melody, 8 bars", "painting, 256 px"}
    assert isinstance(result["goal_met"], bool)


def test_synthetic_inputs_have_the_asked_sizes() -> None:
    images = describe.paintings(256, 2)
    assert len(images) == 2 and images[0].shape == (192, 256, 3) and images[0].dtype.name == "uint8"
    tunes = describe.melodies(8, 2)
    assert len(tunes) == 2 and all(t.notes for t in tunes)
    assert max(n.start + n.duration for n in tunes[0].notes) <= 8 * 4 * 24 + 48
