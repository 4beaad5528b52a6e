"""Responsiveness of the Draw-a-guide canvas: how long one pen or mouse move takes to paint and show.

A 512 x 384 :class:`~studio.ui.widgets.sketch_canvas.SketchCanvas` (shown, offscreen unless a
display is set) receives strokes of ``--moves`` move events 12 px apart, the pace of a fast
drag, for brushes of 8, 64 and 256 px, soft (hardness 0.3) and hard (1.0). Each event's time
covers the dabs it paints and a synchronous repaint of the widget. The baseline, in the same
run, is the inspector's repaint-mask brush (:meth:`ImageView.paint_stroke`, one round-capped
line per event) at the same sizes and pace. Also timed: a bucket fill of the blank canvas and of
a sketched one, and "Use as guide" (the canvas to a :class:`Guide`). Medians over ``--runs``.
Goal: p95 of a move event <= 16 ms (one frame at 60 Hz) at every brush.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

DESCRIPTION = "Draw-a-guide canvas: ms per pen move (brush 8-256 px) vs the inspector's mask brush; fill, Use as guide"
GOAL_P95_MS = 16.0
SIZES = (8, 64, 256)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--moves", type=int, default=60, help="move events per stroke (default 60)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions, medians reported (default 5)")
    parser.add_argument("--quick", action="store_true", help="10 moves, 1 run")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))]


def _path(moves: int) -> list[tuple[float, float]]:
    """A zigzag across the canvas, 12 px per move."""
    points, x, y, dx = [], 20.0, 60.0, 12.0
    for _ in range(moves + 1):
        points.append((x, y))
        x += dx
        if not 20 <= x <= 492:
            dx, y = -dx, y + 40
            x += 2 * dx
    return points


def run(args: argparse.Namespace) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    from studio.domains.painting.guide import guide_from_array
    from studio.ui.pixmaps import rgb_to_pixmap
    from studio.ui.widgets.image_view import ImageView
    from studio.ui.widgets.sketch_canvas import SketchCanvas

    import numpy as np

    app = QApplication.instance() or QApplication([])
    moves, runs = (10, 1) if args.quick else (args.moves, args.runs)
    path = [QPointF(x, y) for x, y in _path(moves)]

    def canvas_stroke(size: int, hardness: float) -> list[float]:
        canvas = SketchCanvas(4 / 3)
        canvas.resize(514, 386)
        canvas.show()
        app.processEvents()
        canvas.set_brush_size(size)
        canvas.set_hardness(hardness)
        canvas.begin_stroke(path[0])
        times = []
        for point in path[1:]:
            start = time.perf_counter()
            canvas.continue_stroke(point)
            canvas.repaint()
            times.append(time.perf_counter() - start)
        canvas.end_stroke()
        canvas.close()
        return times

    def mask_stroke(size: int) -> list[float]:
        view = ImageView()
        view.resize(514, 386)
        view.set_source(rgb_to_pixmap(np.full((384, 512, 3), 200, np.uint8)))
        view.set_brush_mode(True)
        view.set_brush_size(size)
        view.show()
        app.processEvents()
        times = []
        for a, b in zip(path, path[1:]):
            start = time.perf_counter()
            view.paint_stroke(a, b)
            view.repaint()
            times.append(time.perf_counter() - start)
        view.close()
        return times

    def summary(samples: list[list[float]]) -> dict[str, float]:
        return {"p50_ms": round(statistics.median(1000 * _percentile(s, 50) for s in samples), 2),
                "p95_ms": round(statistics.median(1000 * _percentile(s, 95) for s in samples), 2)}

    rows = []
    for size in SIZES:
        for label, hardness in (("soft", 0.3), ("hard", 1.0)):
            rows.append({"brush": f"sketch canvas {size} px {label}",
                         **summary([canvas_stroke(size, hardness) for _ in range(runs)])})
        rows.append({"brush": f"baseline: inspector mask brush {size} px",
                     **summary([mask_stroke(size) for _ in range(runs)])})

    def timed(fn: Any) -> float:
        values = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            values.append(time.perf_counter() - start)
        return round(1000 * statistics.median(values), 1)

    blank = SketchCanvas(4 / 3)
    sketched = SketchCanvas(4 / 3)
    sketched.set_brush_size(24)
    for i in range(8):  # eight strokes across: nine bands to fill around
        sketched.begin_stroke(QPointF(0, 40 + 40 * i))
        sketched.continue_stroke(QPointF(511, 50 + 40 * i))
        sketched.end_stroke()

    def fill(canvas: SketchCanvas) -> None:
        canvas.set_colour("#3366cc" if canvas.colour().name() != "#3366cc" else "#cc6633")
        canvas.fill_at(QPointF(256, 20))

    ops = {"bucket fill, blank canvas (ms)": timed(lambda: fill(blank)),
           "bucket fill, sketched canvas (ms)": timed(lambda: fill(sketched)),
           "use as guide (ms)": timed(lambda: guide_from_array(sketched.to_array(), "sketch"))}
    worst = max(row["p95_ms"] for row in rows if row["brush"].startswith("sketch"))
    return {"moves_per_stroke": moves, "runs": runs, "strokes": rows, **ops,
            "worst_canvas_p95_ms": worst, "goal_p95_ms": GOAL_P95_MS, "goal_met": worst <= GOAL_P95_MS}
