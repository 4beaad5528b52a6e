"""Benchmark: the taste describers' time per work (issue 18: < 2 ms a melody, < 10 ms a 256-px painting).

Every taste score, simulated judgement and curated gallery describes each work first
(:func:`studio.taste.painting_features.describe_image`, :func:`studio.taste.melody_features.describe_melody`),
so their cost is paid for every drafted candidate. The inputs are fixed synthetic works (no data
folder needed): smooth random paintings at 64, 256 and 1024 px and random melodies of 8 and 64
bars. Baseline in the same run, for paintings: reading the same 256-px painting from PNG bytes
(:func:`studio.io.images.load_image_sample`: decoding and its palette, what importing a painting
costs). Runs are interleaved and reported as medians (the machine is shared), with the CPU time
per call beside the wall time.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

DESCRIPTION = "Taste describers: time to describe a melody (goal < 2 ms) and a 256-px painting (goal < 10 ms)"
GOAL_MS = {"melody, 8 bars": 2.0, "painting, 256 px": 10.0}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=9, help="timed rounds (each describes every input once)")
    parser.add_argument("--works", type=int, default=20, help="inputs of each kind (default 20)")


def paintings(long_side: int, count: int, seed: int = 0) -> list[np.ndarray]:
    """``count`` smooth random 4:3 paintings (blocks of colour with noise) of ``long_side`` px."""
    rng = np.random.default_rng([seed, long_side])
    h, w = max(1, round(long_side * 3 / 4)), long_side
    out = []
    for _ in range(count):
        coarse = rng.uniform(0, 255, (6, 8, 3))
        rows = np.minimum((np.arange(h) * 6) // h, 5)
        cols = np.minimum((np.arange(w) * 8) // w, 7)
        image = coarse[rows][:, cols] + rng.normal(0, 12, (h, w, 3))
        out.append(np.clip(image, 0, 255).astype(np.uint8))
    return out


def melodies(bars: int, count: int, seed: int = 0) -> list[Any]:
    """``count`` random melodies of ``bars`` 4/4 bars (eighths to half notes, some rests)."""
    from studio.core.melody import TICKS_PER_QUARTER, Melody, Note

    rng = np.random.default_rng([seed, bars])
    out = []
    for _ in range(count):
        notes, tick, pitch = [], 0, 67
        while tick < bars * 4 * TICKS_PER_QUARTER:
            duration = int(rng.choice([12, 24, 36, 48]))
            if rng.random() > 0.1:
                pitch = int(np.clip(pitch + rng.integers(-4, 5), 55, 84))
                notes.append(Note(pitch, tick, duration))
            tick += duration
        out.append(Melody(tuple(notes), 120.0))
    return out


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def run(args: argparse.Namespace) -> dict[str, Any]:
    from studio.io.images import encode_png, load_image_sample
    from studio.taste.melody_features import describe_melody
    from studio.taste.painting_features import describe_image

    n = max(1, args.works)
    small, medium, large = paintings(64, n), paintings(256, n), paintings(1024, n)
    pngs = [encode_png(im, {}) for im in medium]
    short, long = melodies(8, n), melodies(64, n)
    def read(data: bytes) -> Any:
        return load_image_sample("bench.png", data, max_side=256)

    cases: dict[str, tuple[Callable[[Any], Any], list[Any]]] = {
        "reading a 256-px PNG as a sample (baseline)": (read, pngs),
        "painting, 64 px": (describe_image, small),
        "painting, 256 px": (describe_image, medium),
        "painting, 1024 px": (describe_image, large),
        "melody, 8 bars": (describe_melody, short),
        "melody, 64 bars": (describe_melody, long),
    }
    for fn, inputs in cases.values():  # warm-up: first-call costs (imports, caches) are not the describer's
        fn(inputs[0])
    wall: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(max(1, args.runs)):
        for name, (fn, inputs) in cases.items():
            w, c = _timed(lambda: [fn(x) for x in inputs])
            wall[name].append(w / len(inputs))
            cpu[name].append(c / len(inputs))
    rows = {name: {"median_ms": round(statistics.median(wall[name]) * 1000, 2),
                   "min_ms": round(min(wall[name]) * 1000, 2),
                   "cpu_median_ms": round(statistics.median(cpu[name]) * 1000, 2)} for name in cases}
    goals = {name: {"goal_ms": goal, "met": rows[name]["median_ms"] < goal,
                    "met_on_cpu_time": rows[name]["cpu_median_ms"] < goal} for name, goal in GOAL_MS.items()}
    return {"works_per_kind": n, "runs": args.runs, "rows": rows, "goals": goals,
            "goal_met": all(g["met"] for g in goals.values())}
