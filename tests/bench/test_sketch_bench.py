"""A smoke run of ``bench sketch`` (10 moves, one run): every brush and the baseline are timed."""

from __future__ import annotations

import argparse

from studio.bench import sketch


def test_sketch_bench_times_every_brush_against_the_mask_brush(qapp):
    parser = argparse.ArgumentParser()
    sketch.add_arguments(parser)
    result = sketch.run(parser.parse_args(["--quick"]))
    brushes = [row["brush"] for row in result["strokes"]]
    assert len(brushes) == 3 * len(sketch.SIZES)
    assert sum(b.startswith("baseline") for b in brushes) == len(sketch.SIZES)
    for row in result["strokes"]:
        assert 0 < row["p50_ms"] <= row["p95_ms"]
    assert result["use as guide (ms)"] > 0 and isinstance(result["goal_met"], bool)
