"""Benchmark: the preview synth's render time for a 16-bar melody, with and without its chords.

The synth's module promises a 16-bar melody "in well under 50 ms"; the window's preview adds the
chords in a soft tone underneath (``studio.ui.audio.render_preview``). Baseline in the same run:
the melody alone. Runs are interleaved and reported as medians (the machine is shared).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from studio.core.chord_text import parse_chords
from studio.core.melody import Melody, Note

DESCRIPTION = "Preview synth: a 16-bar melody rendered alone and with its chords (goal well under 50 ms)"
GOAL_S = 0.05


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each (interleaved)")
    parser.add_argument("--rate", type=int, default=22050, help="sample rate in Hz")


def sixteen_bars() -> Melody:
    """A fixed random 16-bar melody at 110 BPM over 24 chords (``C | G7 | Am F | Dm7 G7`` x 4)."""
    rng = np.random.default_rng(3)
    notes, tick = [], 0
    while tick < 16 * 96:
        duration = int(rng.choice([12, 24, 36, 48]))
        notes.append(Note(int(rng.integers(60, 84)), tick, duration, int(rng.integers(60, 110))))
        tick += duration
    chords = parse_chords(" | ".join(["C | G7 | Am F | Dm7 G7"] * 4), 96)
    return Melody(tuple(notes), 110.0, chords=chords)


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(args: argparse.Namespace) -> dict[str, Any]:
    from studio.domains.melody.synth import render
    from studio.ui.audio import render_preview

    melody = sixteen_bars()
    rate = args.rate
    cases: dict[str, Callable[[], Any]] = {
        "melody alone (synth.render, baseline)": lambda: render(melody, rate),
        "preview, chords on": lambda: render_preview(melody, rate, chords=True),
        "preview, chords off": lambda: render_preview(melody, rate, chords=False),
    }
    for fn in cases.values():  # warm-up: first-call costs are not the preview's
        fn()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(max(1, args.runs)):
        for name, fn in cases.items():
            times[name].append(_timed(fn))
    rows = {name: {"median_ms": round(statistics.median(t) * 1000, 1), "min_ms": round(min(t) * 1000, 1)}
            for name, t in times.items()}
    alone = statistics.median(times["melody alone (synth.render, baseline)"])
    return {"notes": len(melody.notes), "chords": len(melody.chords), "seconds_of_audio": round(melody.seconds, 1),
            "runs": args.runs, "rows": rows, "goal_ms": GOAL_S * 1000, "goal_met": alone < GOAL_S}
