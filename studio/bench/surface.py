"""The surface of paintings at 100 % (issue 19, point 5): ``python main.py bench surface``.

The patch lattice and the light specks that the brushwork (:mod:`studio.domains.painting.brushwork`)
left on flat grounds, measured by :mod:`studio.domains.painting.surface` on galleries of the
held-out painters (degas and renoir by default; ``--tasks`` tasks of 4 samples each, 16 works,
instant start, default settings, 256 px) and on the same painters' other genuine works, which set
what "no lattice" and "no more specks than a painting" read as. Rows, all over the same network
paintings (the same seeds; only the brushwork differs):

* **genuine**: up to 16 of the painter's other works (the rest is the SWD reference);
* **before**: the brushwork as shipped until 2026-12-08 (:data:`BEFORE`: the nearest sample patch
  for every query, cross-faded with variance-preserving weights);
* **shipped**: the default :class:`~studio.domains.painting.brushwork.BrushworkConfig`.

Per row: the lattice strength (1: none; per frequency 1/8 .. 1/2 cycle per px), light and dark
specks per megapixel, the SWD ratio overall and at 16 and 32 px against the painter's other works
and the copy score (as ``bench painting`` scores them). The transfer's own cost is timed on the
same pictures, before and shipped alternately (medians of ``--timing-runs``), at 256 px and on a
1024-px render. ``--sheet`` writes 64-px crops of the works' darkest and flattest grounds at 300 %,
one row per brushwork, side by side.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.bench.painting_calibration import add_task_arguments, apply_quick, genuine_and_reference, score_works
from studio.domains.painting import layout as L
from studio.domains.painting import metrics, surface
from studio.domains.painting.brushwork import BrushworkConfig, DetailBank, transfer
from studio.domains.painting.dataset import default_root, eval_tasks, load_many
from studio.domains.painting.generator import PaintingGenerator
from studio.domains.painting.params import PaintingParams
from studio.io.samples import load_sample
from studio.model_registry import MODELS_DIR

DESCRIPTION = "Painting surface at 100 %%: the brushwork's patch lattice and specks vs genuine works, with SWD and copies"
BEFORE = BrushworkConfig(blend="variance", choices=1)
ROWS = ("genuine", "before", "shipped")
QUICK = {"tasks": 1, "count": 4, "patches": 512, "timing_runs": 1}
CROP = 64  # px of a contact-sheet crop
ZOOM = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_task_arguments(parser, "works per row and task")
    parser.set_defaults(tasks=2)
    parser.add_argument("--patches", type=int, default=metrics.PATCHES_PER_SET, help="SWD neighbourhoods per set")
    parser.add_argument("--timing-runs", type=int, default=5, help="timed transfers per brushwork and size")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", type=Path, default=MODELS_DIR, help="folder of the stored models")
    parser.add_argument("--sheet", type=Path, default=None,
                        help="write crops of dark and flat grounds at 300 %%, before and shipped, here (PNG)")
    parser.add_argument("--quick", action="store_true", help="1 task, 4 works: checks that it works")


def _flat_crops(works: list[np.ndarray], count: int) -> list[tuple[int, int, int]]:
    """``(work, top, left)`` of the ``count`` darkest-and-flattest ``CROP``-px windows, one per work."""
    found = []
    for i, work in enumerate(works):
        lum = surface.luminance(work)
        best = None
        for top in range(0, lum.shape[0] - CROP + 1, CROP // 4):
            for left in range(0, lum.shape[1] - CROP + 1, CROP // 4):
                window = lum[top:top + CROP, left:left + CROP]
                score = float(window.mean() + 2 * window.std())
                if best is None or score < best[0]:
                    best = (score, top, left)
        if best is not None:
            found.append((best[0], i, best[1], best[2]))
    return [(i, top, left) for _, i, top, left in sorted(found)[:count]]


def _time_transfer(images: list[torch.Tensor], banks: dict[str, DetailBank], runs: int) -> dict[str, float]:
    """Median seconds of one transfer per brushwork, the brushworks timed alternately."""
    times: dict[str, list[float]] = {name: [] for name in banks}
    for r in range(runs):
        for name, bank in banks.items():
            image = images[r % len(images)]
            started = time.perf_counter()
            transfer(image, bank)
            times[name].append(time.perf_counter() - started)
    return {name: float(np.median(t)) for name, t in times.items()}


def run(args: argparse.Namespace) -> dict[str, Any]:
    apply_quick(args, QUICK)
    args.long_side, args.normalize = 256, ["reference"]
    root = args.data if args.data is not None else default_root()
    previous = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    generator = PaintingGenerator(models_dir=args.models, threads=args.threads)
    configs = {"before": BEFORE, "shipped": BrushworkConfig()}
    per_task: list[dict[str, Any]] = []
    sheet_rows: dict[str, list[np.ndarray]] = {"before": [], "shipped": []}
    timing: dict[str, list[dict[str, float]]] = {"256": [], "1024": []}
    try:
        for artist in args.artists:
            for task in eval_tasks(root, artist, n_tasks=args.tasks, k=args.samples, seed=args.seed):
                images = load_many(task.samples, 256)
                samples = [load_sample(str(p)) for p in task.samples]
                genuine, reference = genuine_and_reference(task, args.count, 256,
                                                           [args.seed, task.index, len(per_task)])
                adapted = generator.instant(samples)
                record: dict[str, Any] = {"artist": artist, "task": task.index, "scores": {}}
                made: dict[str, list[np.ndarray]] = {"genuine": genuine}
                for name, config in configs.items():
                    generator.brushwork = config
                    made[name] = [w.image for w in generator.generate(adapted, samples, PaintingParams(),
                                                                       args.count, args.seed)]
                for row in ROWS:
                    works = made[row]
                    found = surface.measure_set(works)
                    scores = {**found.to_dict(), **score_works(works, reference, images, args)}
                    record["scores"][row] = scores
                    print(f"[surface] {artist} task {task.index} {row}: lattice {found.lattice:.3f} "
                          f"(1/4 {found.lattice_by_frequency['1/4']:.2f}, 1/2 {found.lattice_by_frequency['1/2']:.2f}) "
                          f"specks {found.light_specks:.0f}/{found.dark_specks:.0f} per Mpx, ratio "
                          f"{scores['swd_ratio']:.3f} (16 px {scores['swd_ratio_16']:.2f}, 32 px "
                          f"{scores['swd_ratio_32']:.2f}) copy {scores['copy']:.3f}", file=sys.stderr, flush=True)
                for i, top, left in _flat_crops(made["before"], 3):
                    for name in sheet_rows:
                        crop = made[name][i][top:top + CROP, left:left + CROP]
                        sheet_rows[name].append(np.kron(crop, np.ones((ZOOM, ZOOM, 1), np.uint8)))
                if args.timing_runs > 0:  # the transfer alone, on the painted works as input
                    inputs = [L.to_tensor(w) for w in made["before"][:args.timing_runs]]
                    size = tuple(inputs[0].shape[-2:])
                    banks = {}
                    for name, config in configs.items():
                        generator.brushwork = config
                        banks[name] = generator.brushwork_bank(samples, size)
                    timing["256"].append(_time_transfer(inputs, banks, args.timing_runs))
                    if len(timing["1024"]) == 0:
                        big = [L.resize(inputs[0], (inputs[0].shape[-2] * 4, inputs[0].shape[-1] * 4))]
                        for name, config in configs.items():
                            generator.brushwork = config
                            banks[name] = generator.brushwork_bank(samples, tuple(big[0].shape[-2:]))
                        timing["1024"].append(_time_transfer(big, banks, max(1, args.timing_runs // 2)))
                per_task.append(record)
    finally:
        generator.brushwork = BrushworkConfig()
        torch.set_num_threads(previous)
    rows = []
    for row in ROWS:
        scores = [t["scores"][row] for t in per_task]
        keys = [k for k, v in scores[0].items() if isinstance(v, float)]
        mean = {k: float(np.mean([s[k] for s in scores])) for k in keys}
        mean["lattice_by_frequency"] = {f: float(np.mean([s["lattice_by_frequency"][f] for s in scores]))
                                        for f in scores[0]["lattice_by_frequency"]}
        rows.append({"row": row, "sets": len(scores), **mean})
    seconds = {size: {name: float(np.median([t[name] for t in runs])) for name in configs}
               for size, runs in timing.items() if runs}
    result: dict[str, Any] = {
        "benchmark": "surface", "artists": list(args.artists), "tasks_per_artist": args.tasks,
        "samples_per_task": args.samples, "works_per_row": args.count, "threads": args.threads,
        "rows": rows, "transfer_seconds": seconds, "per_task": per_task,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.sheet is not None and sheet_rows["before"]:
        from PIL import Image

        args.sheet.parent.mkdir(parents=True, exist_ok=True)
        gap = np.full((CROP * ZOOM, 4, 3), 255, np.uint8)
        lines = [np.concatenate([x for crop in sheet_rows[name] for x in (crop, gap)], 1) for name in sheet_rows]
        band = np.full((4, lines[0].shape[1], 3), 255, np.uint8)
        Image.fromarray(np.concatenate([lines[0], band, lines[1]], 0)).save(args.sheet)
        result["sheet"] = str(args.sheet)
    result["table"] = format_table(result).splitlines()
    return result


def format_table(result: dict[str, Any]) -> str:
    lines = [f"surface: {', '.join(result['artists'])}, {result['tasks_per_artist']} sets each x "
             f"{result['works_per_row']} works, {result['threads']} thread(s); lattice 1 = none",
             f"{'row':<9}{'sets':>5}{'lattice':>8}{'1/8':>6}{'1/4':>6}{'3/8':>6}{'1/2':>6}{'light/Mpx':>10}"
             f"{'dark/Mpx':>9}{'ratio':>7}{'r@16':>7}{'r@32':>7}{'copy':>7}"]
    for r in result["rows"]:
        f = r["lattice_by_frequency"]
        lines.append(f"{r['row']:<9}{r['sets']:>5}{r['lattice']:>8.3f}{f['1/8']:>6.2f}{f['1/4']:>6.2f}{f['3/8']:>6.2f}"
                     f"{f['1/2']:>6.2f}{r['light_specks']:>10.1f}{r['dark_specks']:>9.1f}{r['swd_ratio']:>7.3f}"
                     f"{r['swd_ratio_16']:>7.3f}{r['swd_ratio_32']:>7.3f}{r['copy']:>7.3f}")
    for size, by in result.get("transfer_seconds", {}).items():
        lines.append(f"transfer at {size} px (median): before {by['before'] * 1000:.0f} ms, shipped "
                     f"{by['shipped'] * 1000:.0f} ms ({by['shipped'] / by['before']:.2f}x)")
    return "\n".join(lines)
