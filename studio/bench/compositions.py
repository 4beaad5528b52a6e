"""New compositions, not crops of the samples (issue 19, point 5): ``python main.py bench compositions``.

The issue's protocol: the held-out painters degas and renoir, 4 tasks each of 4 samples (8 sets),
16 works per row and task at default settings (instant start, 256 px); the same painters' other
genuine works are the yardstick. Rows:

* **crops**: layouts from crops of the samples only (the gallery before the layout library; the
  generator with its library switched off);
* **library** (shipped): layouts from the shipped library (:mod:`studio.domains.painting.library`);
* **genuine**: up to 16 of the painter's other works (the rest is the SWD reference).

Per row: the composition measure (:mod:`studio.domains.painting.crop_match`: the share of works
whose 32-px luminance correlation with the best crop of a sample passes 0.8, goal at most 20 %,
and the median per set), the SWD ratio overall and at 16 and 32 px against the painter's other
works (goal: no more than 10 % worse than the crops row), copy score and SinGAN diversity, as
``bench painting`` scores them. ``--sheet`` writes samples next to works at 100 % (256 px).
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
from studio.domains.painting import metrics
from studio.domains.painting.crop_match import THRESHOLD, crop_correlations
from studio.domains.painting.dataset import default_root, eval_tasks, load_many
from studio.domains.painting.generator import PaintingGenerator
from studio.domains.painting.params import PaintingParams
from studio.io.samples import load_sample
from studio.model_registry import MODELS_DIR

DESCRIPTION = "Painting compositions: share of works that are crops of a sample (issue 19.5), with SWD ratios"
ROWS = ("crops", "library", "genuine")
QUICK = {"tasks": 1, "count": 4, "patches": 512}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_task_arguments(parser, "works per row and task")
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=list(ROWS))
    parser.add_argument("--composition", type=float, default=PaintingParams().composition,
                        help="the Composition control for the generated rows (default: the shipped default)")
    parser.add_argument("--patches", type=int, default=metrics.PATCHES_PER_SET, help="SWD neighbourhoods per set")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", type=Path, default=MODELS_DIR, help="folder of the stored models")
    parser.add_argument("--sheet", type=Path, default=None,
                        help="write samples and works of each artist's first task at 100 %% here (PNG)")
    parser.add_argument("--quick", action="store_true", help="1 task, 4 works: checks that it works")


def run(args: argparse.Namespace) -> dict[str, Any]:
    apply_quick(args, QUICK)
    args.long_side, args.normalize = 256, ["reference"]
    root = args.data if args.data is not None else default_root()
    previous = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    generator = PaintingGenerator(models_dir=args.models, threads=args.threads)
    params = PaintingParams(composition=args.composition)
    per_task: list[dict[str, Any]] = []
    sheet_rows: list[tuple[str, list[np.ndarray]]] = []
    try:
        for artist in args.artists:
            for task in eval_tasks(root, artist, n_tasks=args.tasks, k=args.samples, seed=args.seed):
                images = load_many(task.samples, 256)
                samples = [load_sample(str(p)) for p in task.samples]
                genuine, reference = genuine_and_reference(task, args.count, 256,
                                                           [args.seed, task.index, len(per_task)])
                adapted = generator.instant(samples)
                record: dict[str, Any] = {"artist": artist, "task": task.index, "scores": {}}
                for row in args.rows:
                    t0 = time.perf_counter()
                    if row == "genuine":
                        works = genuine
                    else:
                        generator.use_library = row == "library"
                        works = [w.image for w in generator.generate(adapted, samples, params, args.count, args.seed)]
                    seconds = time.perf_counter() - t0
                    best = crop_correlations(works, images)
                    scores = {"crop_share": float((best > THRESHOLD).mean()), "crop_median": float(np.median(best)),
                              **score_works(works, reference, images, args), "seconds": seconds}
                    record["scores"][row] = scores
                    print(f"[compositions] {artist} task {task.index} {row}: crops > {THRESHOLD} "
                          f"{scores['crop_share']:.0%} (median {scores['crop_median']:.2f}) ratio "
                          f"{scores['swd_ratio']:.2f} (16 px {scores['swd_ratio_16']:.2f}, 32 px "
                          f"{scores['swd_ratio_32']:.2f}) copy {scores['copy']:.3f}", file=sys.stderr, flush=True)
                    if task.index == 0:
                        sheet_rows.append((f"{artist} {row}", works[:6]))
                if task.index == 0:
                    sheet_rows.insert(len(sheet_rows) - len(args.rows), (f"{artist} samples", images))
                per_task.append(record)
    finally:
        generator.use_library = True
        torch.set_num_threads(previous)
    rows = []
    for row in args.rows:
        scores = [t["scores"][row] for t in per_task]
        keys = scores[0].keys()
        mean = {k: float(np.mean([s[k] for s in scores])) for k in keys}
        mean["crop_share_range"] = [float(min(s["crop_share"] for s in scores)),
                                    float(max(s["crop_share"] for s in scores))]
        rows.append({"row": row, "sets": len(scores), **mean})
    result: dict[str, Any] = {
        "benchmark": "compositions", "artists": list(args.artists), "tasks_per_artist": args.tasks,
        "samples_per_task": args.samples, "works_per_row": args.count, "composition": args.composition,
        "threshold": THRESHOLD, "threads": args.threads, "rows": rows, "per_task": per_task,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.sheet is not None:
        from PIL import Image

        args.sheet.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(metrics.contact_sheet(sheet_rows, thumb=256)).save(args.sheet)
        result["sheet"] = str(args.sheet)
    result["table"] = format_table(result).splitlines()
    return result


def format_table(result: dict[str, Any]) -> str:
    lines = [f"compositions: {', '.join(result['artists'])}, {result['tasks_per_artist']} sets each x "
             f"{result['works_per_row']} works, composition {result['composition']:g}, {result['threads']} thread(s)",
             f"{'row':<9}{'sets':>5}{'crop>0.8':>10}{'(range)':>12}{'median':>8}{'ratio':>7}{'r@16':>7}{'r@32':>7}"
             f"{'copy':>7}{'div':>6}{'s/set':>7}"]
    for r in result["rows"]:
        lo, hi = r["crop_share_range"]
        lines.append(f"{r['row']:<9}{r['sets']:>5}{r['crop_share']:>10.0%}{f'{lo:.0%}-{hi:.0%}':>12}"
                     f"{r['crop_median']:>8.2f}{r['swd_ratio']:>7.2f}{r['swd_ratio_16']:>7.2f}{r['swd_ratio_32']:>7.2f}"
                     f"{r['copy']:>7.3f}{r['diversity']:>6.2f}{r['seconds']:>7.1f}")
    return "\n".join(lines)
