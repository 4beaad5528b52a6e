"""Calibration of the painting metrics (issue 5, section 7) on held-out artists.

For each artist (default degas and renoir) and each of ``--tasks`` seeded tasks
(:func:`studio.domains.painting.dataset.eval_tasks`: ``--samples`` paintings as the "user's"
samples, the artist's other paintings as reference), three sets of ``--count`` works are
scored against the same reference:

* **genuine**: other paintings of the artist. The others are split in two by a seeded
  shuffle: up to ``--count`` (at most half of them) play the generated works, the rest is the
  reference for every row of the task, so no image is ever scored against itself;
* **crops**: random crops of the samples (work i from sample i mod k), each keeping a
  uniform 50-90 % of both sides, at the samples' own pixel scale: literal copies;
* **crops_resized**: the same crops enlarged back to the working resolution (long side 256),
  which changes the scale of the brushwork by 1.1-2x and breaks pixel-exact copying;
* **gpnn**: :mod:`studio.domains.painting.gpnn` (no training), work i seeded ``i`` and started
  from sample i mod k's layout, at that sample's working size.

Every row reports the SWD ratio (overall and at the coarse 16 and 32 px levels), the copy
score, SinGAN diversity, the mean pairwise L1 distance and seconds, averaged over tasks (with
the standard error of the ratio). Images are at the working resolution (long side 256).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.domains.painting import metrics
from studio.domains.painting.dataset import CALIBRATION_ARTISTS, EvalTask, default_root, eval_tasks, load_many
from studio.domains.painting.gpnn import GPNNConfig, PatchSource, describe

DESCRIPTION = "Painting metrics calibration on held-out artists: genuine works, crops of the samples, GPNN"

METHODS = ("genuine", "crops", "crops_resized", "gpnn")
# Issue 5, section 7: "Calibration on degas and renoir (4 tasks, 16 images each, 2 cores)".
ISSUE = {"genuine": {"swd_ratio": 0.70}, "crops": {"swd_ratio": 1.0, "copy": 0.62},
         "gpnn": {"swd_ratio": 1.21, "copy": 0.28, "seconds": 30.0}}
QUICK = {"tasks": 1, "count": 4, "patches": 1024}


def add_task_arguments(parser: argparse.ArgumentParser, count_help: str) -> None:
    """The held-out tasks' options shared by the painting benchmarks: data, artists, tasks, samples, count."""
    parser.add_argument("--data", type=Path, default=None,
                        help="folder of one image folder per artist (default ../shared/data/paintings)")
    parser.add_argument("--artists", nargs="+", default=list(CALIBRATION_ARTISTS))
    parser.add_argument("--tasks", type=int, default=4, help="tasks per artist")
    parser.add_argument("--samples", type=int, default=4, help="samples per task (the user's paintings)")
    parser.add_argument("--count", type=int, default=16, help=count_help)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_task_arguments(parser, "works per row and task")
    parser.add_argument("--long-side", type=int, default=metrics.DEFAULT_LONG_SIDE, help="working resolution")
    parser.add_argument("--patches", type=int, default=metrics.PATCHES_PER_SET,
                        help="SWD neighbourhoods per set and level")
    parser.add_argument("--normalize", nargs="+", choices=metrics.NORMALIZATIONS, default=["reference"],
                        help="SWD descriptor normalisation(s); the first is the main one, the others "
                             "add a swd_ratio_<name> column (per_set is ProGAN's own)")
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sheet", type=Path, default=None,
                        help="write a contact sheet (PNG) of each artist's first task here")
    parser.add_argument("--quick", action="store_true", help="1 task, 4 works per row: checks that it works")


def apply_quick(args: argparse.Namespace, quick: dict[str, float]) -> None:
    """With ``--quick``, lower each option named in ``quick`` to at most its value there."""
    if args.quick:
        for name, most in quick.items():
            setattr(args, name, min(getattr(args, name), most))


def genuine_and_reference(task: EvalTask, count: int, long_side: int,
                          seed: Sequence[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The task's other paintings, shuffled by ``seed`` and split in two: up to ``count`` (at least
    one, at most half of them) play genuine works, the rest is the reference."""
    rng = np.random.default_rng(list(seed))
    others = [task.reference[i] for i in rng.permutation(len(task.reference))]
    n_genuine = max(1, min(count, len(others) // 2))
    return load_many(others[:n_genuine], long_side), load_many(others[n_genuine:], long_side)


def random_crops(samples: list[np.ndarray], count: int, rng: np.random.Generator,
                 long_side: int | None = None) -> list[np.ndarray]:
    """``count`` random crops (50-90 % of each side) of the samples in turn; with ``long_side``
    each is resized to that long side, else it keeps the samples' pixel scale."""
    crops = []
    for i in range(count):
        image = samples[i % len(samples)]
        h, w = image.shape[:2]
        ch = max(1, round(h * rng.uniform(0.5, 0.9)))
        cw = max(1, round(w * rng.uniform(0.5, 0.9)))
        y = int(rng.integers(0, h - ch + 1))
        x = int(rng.integers(0, w - cw + 1))
        crop = np.ascontiguousarray(image[y:y + ch, x:x + cw])
        if long_side is not None:
            crop = metrics.resize_rgb(crop, metrics.working_size(ch, cw, long_side))
        crops.append(crop)
    return crops


def _works(method: str, samples: list[np.ndarray], genuine: list[np.ndarray], args: argparse.Namespace,
           crop_seed: list[int]) -> tuple[list[np.ndarray], float]:
    started = time.perf_counter()
    if method == "genuine":
        works = genuine
    elif method in ("crops", "crops_resized"):
        works = random_crops(samples, args.count, np.random.default_rng(crop_seed),  # same crops for both
                             args.long_side if method == "crops_resized" else None)
    else:
        source = PatchSource(samples, GPNNConfig())
        works = [source.generate(samples[i % len(samples)].shape[:2], seed=args.seed + i, init=i % len(samples))
                 for i in range(args.count)]
    return works, time.perf_counter() - started


def score_works(works: list[np.ndarray], reference: list[np.ndarray], samples: list[np.ndarray],
           args: argparse.Namespace) -> dict[str, float]:
    scores: dict[str, float] = {}
    for i, norm in enumerate(args.normalize):
        ratio = metrics.swd_ratio(works, reference, samples, long_side=args.long_side, patches=args.patches,
                                  seed=args.seed, normalize=norm)
        if i == 0:
            scores.update({"swd_ratio": ratio.overall, "swd_ratio_16": ratio.at(16), "swd_ratio_32": ratio.at(32)})
        else:
            scores[f"swd_ratio_{norm}"] = ratio.overall
    copy, copy_textured = metrics.copy_scores(works, samples, long_side=args.long_side, seed=args.seed)
    scores.update({"copy": copy, "copy_textured": copy_textured,
                   "diversity": metrics.singan_diversity(works, samples, long_side=args.long_side),
                   "pairwise_l1": metrics.mean_pairwise_distance(works, long_side=args.long_side)})
    return scores


def mean_scores(rows: list[dict[str, float]]) -> dict[str, float]:
    out = {key: float(np.mean([r[key] for r in rows])) for key in rows[0]}
    ratios = [r["swd_ratio"] for r in rows]
    out["swd_ratio_se"] = float(np.std(ratios, ddof=1) / math.sqrt(len(ratios))) if len(ratios) > 1 else 0.0
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Score every method on every task; returns per-task scores, means and the issue's numbers."""
    apply_quick(args, QUICK)
    root = args.data if args.data is not None else default_root()
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    per_task: list[dict[str, Any]] = []
    sheets = []
    try:
        for artist in args.artists:
            for task in eval_tasks(root, artist, n_tasks=args.tasks, k=args.samples, seed=args.seed):
                samples = load_many(task.samples, args.long_side)
                genuine, reference = genuine_and_reference(task, args.count, args.long_side,
                                                           [args.seed, task.index, len(per_task)])
                record: dict[str, Any] = {"artist": artist, "task": task.index,
                                          "samples": [p.name for p in task.samples],
                                          "genuine": len(genuine), "reference": len(reference), "scores": {}}
                shown = [("samples", samples)]
                for method in args.methods:
                    works, seconds = _works(method, samples, genuine, args, [args.seed, len(per_task), 0xC5])
                    scores = score_works(works, reference, samples, args)
                    scores["seconds"] = seconds
                    record["scores"][method] = scores
                    shown.append((method, works[:8]))
                    print(f"[painting_calibration] {artist} task {task.index} {method}: "
                          f"ratio {scores['swd_ratio']:.2f} copy {scores['copy']:.2f} "
                          f"{seconds:.1f} s", file=sys.stderr, flush=True)
                per_task.append(record)
                if task.index == 0:
                    sheets.append((f"{artist}", shown))
    finally:
        torch.set_num_threads(previous_threads)
    rows = []
    for method in args.methods:
        scores = [t["scores"][method] for t in per_task]
        row = {"method": method, **mean_scores(scores),
               "per_artist": {a: mean_scores([t["scores"][method] for t in per_task if t["artist"] == a])["swd_ratio"]
                              for a in args.artists}}
        rows.append(row)
    result: dict[str, Any] = {
        "benchmark": "painting_calibration", "artists": list(args.artists), "tasks_per_artist": args.tasks,
        "samples_per_task": args.samples, "works_per_row": args.count, "long_side": args.long_side,
        "patches_per_set": args.patches, "normalize": list(args.normalize), "threads": args.threads,
        "gpnn": describe(GPNNConfig()), "rows": rows, "issue": ISSUE, "per_task": per_task,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.sheet is not None:
        result["sheet"] = str(write_sheet(args.sheet, sheets))
    result["table"] = format_table(result).splitlines()
    return result


def write_sheet(path: Path, sheets: list[tuple[str, list[tuple[str, list[np.ndarray]]]]]) -> Path:
    """One contact sheet with, per artist, a row of samples and a row per method."""
    from PIL import Image

    rows = [(f"{artist}: {label}", images) for artist, shown in sheets for label, images in shown]
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(metrics.contact_sheet(rows, thumb=128)).save(path)
    return path


def format_table(result: dict[str, Any]) -> str:
    """A plain-text table: our mean scores with the issue's calibration numbers beside them."""
    lines = [f"painting calibration: {', '.join(result['artists'])}, {result['tasks_per_artist']} tasks x "
             f"{result['works_per_row']} works, {result['samples_per_task']} samples, long side "
             f"{result['long_side']}, SWD norm {result['normalize'][0]}, {result['threads']} thread(s)",
             f"{'method':<14}{'ratio':>13}{'r@16':>7}{'r@32':>7}{'copy':>7}{'div':>7}{'L1':>7}{'s/task':>8}"
             f"   issue (ratio / copy / s)"]
    for row in result["rows"]:
        issue = result["issue"].get(row["method"], {})
        theirs = " / ".join(f"{issue[k]:.2f}" if k in issue else "-" for k in ("swd_ratio", "copy", "seconds"))
        lines.append(f"{row['method']:<14}{row['swd_ratio']:>7.2f} +-{row['swd_ratio_se']:.2f}"
                     f"{row['swd_ratio_16']:>7.2f}{row['swd_ratio_32']:>7.2f}{row['copy']:>7.2f}"
                     f"{row['diversity']:>7.2f}{row['pairwise_l1']:>7.3f}{row['seconds']:>8.1f}   {theirs}")
    for norm in result["normalize"][1:]:
        lines.append(f"SWD ratio with {norm} normalisation: " + ", ".join(
            f"{row['method']} {row[f'swd_ratio_{norm}']:.2f}" for row in result["rows"]))
    return "\n".join(lines)
