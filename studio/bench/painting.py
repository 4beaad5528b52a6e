"""The painting generator against its baselines on held-out artists (issue 5, section 7).

For each artist (default degas and renoir) and each of ``--tasks`` seeded tasks
(:func:`studio.domains.painting.dataset.eval_tasks`: ``--samples`` paintings as the user's, the
artist's other paintings as reference), ``--count`` works per method, all at the working
resolution (long side 256), scored as in :mod:`.painting_calibration` (SWD ratio overall and at
16 and 32 px, copy score and its textured part, SinGAN diversity, mean pairwise L1):

* **meta**: the shipped Reptile-meta-trained generator, adapted for ``--budget`` seconds;
* **meta_short**: the same adapted for ``--short-budget`` seconds only (does it converge?);
* **instant**: the same with no gradient step (FiLM conditioning on the style features only);
* **unadapted** and **multitask_instant** (on request only, ablations of the conditioning): the
  shipped network conditioned on the *average* style of 64 seeded meta-training tasks instead
  of the samples' (it knows nothing of the user's paintings beyond the layouts and brushwork
  every row shares), and the plain multi-task network conditioned on the samples, no step;
* **multitask**: the same network trained multi-task on the same data and steps (plain, not
  meta-learned; ``models/painting-multitask``), adapted for the same budget;
* **scratch**: the same network from a random initialisation, adapted for the same budget;
* **scratch_long**: scratch with ``--long-budget`` seconds (default 600: "the scratch baseline's
  10-minute quality") on the first ``--long-tasks`` tasks of each artist only;
* **gpnn**: patch nearest neighbours, no training (:mod:`studio.domains.painting.gpnn`);
* **genuine** and **crops_resized**: the calibration rows (other works of the artist; crops of
  the samples enlarged to 256 px), the yardsticks of the goals.

Every trained method paints over the same layouts (same seeds), so rows differ only by weights,
and adapts by the same procedure: with early stopping when the model cards ask for it (scratch
follows the meta card, its check margin too; ``--early-stopping on|off`` and ``--check-margin``
override every card) and with the copy guard (:mod:`studio.domains.painting.copyguard`) unless a
card turns it off (``--copy-guard on|off``).
With ``--timing-runs N`` the first task also times the instant preview N times (median): the
style features plus the first painting, and plus a gallery of 12, beside one GPNN painting of
the same size as the no-training baseline.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.bench.painting_calibration import (
    add_task_arguments, apply_quick, genuine_and_reference, mean_scores, random_crops, score_works, write_sheet,
)
from studio.core.samples import Sample
from studio.domains.base import AdaptConfig
from studio.domains.painting import metrics
from studio.domains.painting import layout as L
from studio.domains.painting.copyguard import NOTE_PREFIX
from studio.domains.painting.dataset import TrainingTaskSampler, default_root, eval_tasks, load_many
from studio.domains.painting.generator import PaintingGenerator
from studio.domains.painting.gpnn import GPNNConfig, PatchSource
from studio.domains.painting.model import PaintNet
from studio.domains.painting.params import PaintingParams
from studio.domains.painting.style import style_features
from studio.domains.painting.weights import save_model
from studio.io.samples import load_sample
from studio.model_registry import MODELS_DIR

DESCRIPTION = "Painting generator vs scratch, multi-task fine-tuning, GPNN on held-out artists"

METHODS = ("meta", "meta_short", "instant", "multitask", "scratch", "scratch_long", "gpnn", "genuine", "crops_resized",
           "unadapted", "multitask_instant")
DEFAULT_METHODS = METHODS[:-2]  # the two ablations run on request (docs/BENCHMARKS.md)
TRAINED = {"meta": "painting-reptile", "meta_short": "painting-reptile", "instant": "painting-reptile", "multitask": "painting-multitask",
           "scratch": "scratch", "scratch_long": "scratch",
           "unadapted": "painting-reptile", "multitask_instant": "painting-multitask"}
CONDITIONED_ONLY = ("instant", "unadapted", "multitask_instant")  # rows without a gradient step
AVERAGE_STYLE_TASKS = 64  # training tasks whose style features average to the un-adapted row's conditioning
QUICK = {"tasks": 1, "count": 2, "patches": 512, "budget": 2.0, "long_budget": 4.0, "short_budget": 1.0}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_task_arguments(parser, "works per method and task")
    parser.add_argument("--budget", type=float, default=60.0, help="adaptation seconds per task and method")
    parser.add_argument("--long-budget", type=float, default=600.0, help="scratch_long's adaptation seconds")
    parser.add_argument("--long-tasks", type=int, default=1, help="tasks per artist that run scratch_long")
    parser.add_argument("--adapt-lr", type=float, default=None,
                        help="Adam learning rate of every adaptation (default: each model card's)")
    parser.add_argument("--short-budget", type=float, default=15.0, help="meta_short's adaptation seconds")
    parser.add_argument("--early-stopping", choices=("card", "on", "off"), default="card",
                        help="hold one sample back during adaptation and keep the weights that paint closest "
                             "to it (default: as each model card says)")
    parser.add_argument("--copy-guard", choices=("card", "on", "off"), default="card",
                        help="refuse adaptation checkpoints whose paintings copy the samples more than the start's "
                             "(default: as each model card says, on unless it says otherwise)")
    parser.add_argument("--check-margin", type=float, default=None, metavar="SHARE",
                        help="early stopping keeps a checkpoint only if its held-back check beats the start's "
                             "by this share, e.g. 0.05 (default: as each model card says)")
    parser.add_argument("--texture", type=float, default=PaintingParams().texture,
                        help="strength of the invented detail (the Texture control, 0..2) for trained rows")
    parser.add_argument("--composition", type=float, default=PaintingParams().composition,
                        help="how freely layouts recompose the samples (the Composition control, 0..1) for "
                             "trained rows")
    parser.add_argument("--brushwork", type=float, default=PaintingParams().brushwork,
                        help="share of the fine detail rebuilt from the samples' brushwork (the Brushwork "
                             "control, 0..1) for trained rows; 0: the network's own detail")
    parser.add_argument("--timing-runs", type=int, default=0,
                        help="time the instant preview this many times on the first task (median)")
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(DEFAULT_METHODS))
    parser.add_argument("--patches", type=int, default=metrics.PATCHES_PER_SET,
                        help="SWD neighbourhoods per set and level")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", type=Path, default=MODELS_DIR, help="folder of the stored models")
    parser.add_argument("--sheet", type=Path, default=None,
                        help="write a contact sheet (JPEG/PNG) of each artist's first task here")
    parser.add_argument("--quick", action="store_true", help="tiny settings: checks that it works")


def _generators(args: argparse.Namespace, scratch_dir: Path) -> dict[str, PaintingGenerator]:
    torch.manual_seed(args.seed)
    net = PaintNet()
    product = args.models / f"{TRAINED['meta']}.json"  # scratch adapts by the product's procedure
    card = json.loads(product.read_text()).get("adapt", {}) if product.is_file() else {}
    save_model(scratch_dir / "scratch", {n: p.detach() for n, p in net.named_parameters()}, net.config,
               {"description": "random initialisation (benchmark baseline)",
                "adapt": {"lr": 1e-3, "early_stopping": bool(card.get("early_stopping")),
                          "check_margin": float(card.get("check_margin", 0.0))}})
    out = {}
    for method in args.methods:
        name = TRAINED.get(method)
        if name is not None:
            folder = scratch_dir if name == "scratch" else args.models
            out[method] = PaintingGenerator(name, folder)
            if args.adapt_lr is not None:
                out[method].lr = args.adapt_lr
            if args.early_stopping != "card":
                out[method].early_stopping = args.early_stopping == "on"
            if args.copy_guard != "card":
                out[method].copy_guard = args.copy_guard == "on"
            if args.check_margin is not None:
                out[method].check_margin = args.check_margin
    return out


def _trained_works(generator: PaintingGenerator, method: str, samples: list[Sample], budget: float,
                   args: argparse.Namespace) -> tuple[list[np.ndarray], dict[str, float]]:
    started = time.perf_counter()
    if method in CONDITIONED_ONLY:
        adapted = generator.instant(samples, args.average_style if method == "unadapted" else None)
    else:
        adapted = generator.adapt(samples, AdaptConfig(method="reptile", steps=None, time_budget_s=budget,
                                                       seed=args.seed))
    adapt_seconds = time.perf_counter() - started
    t0 = time.perf_counter()
    params = PaintingParams(texture=args.texture, brushwork=args.brushwork, composition=args.composition)
    works = generator.generate(adapted, samples, params, args.count, args.seed)
    for note in adapted.notes:  # e.g. the copy guard's refusals
        print(f"[painting] {method}: {note}", file=sys.stderr, flush=True)
    guarded = any(note.startswith(NOTE_PREFIX) for note in adapted.notes)
    return [w.image for w in works], {"seconds": adapt_seconds, "steps": adapted.steps,
                                      "steps_taken": len(adapted.losses), "guard_refused": float(guarded),
                                      "generation_seconds": time.perf_counter() - t0}


def _other_works(method: str, images: list[np.ndarray], genuine: list[np.ndarray],
                 args: argparse.Namespace, seed: list[int]) -> tuple[list[np.ndarray], dict[str, float]]:
    started = time.perf_counter()
    if method == "genuine":
        works = genuine
    elif method == "crops_resized":
        works = random_crops(images, args.count, np.random.default_rng(seed), 256)
    else:
        source = PatchSource(images, GPNNConfig())
        works = [source.generate(images[i % len(images)].shape[:2], seed=args.seed + i, init=i % len(images))
                 for i in range(args.count)]
    return works, {"seconds": time.perf_counter() - started, "steps": 0, "generation_seconds": 0.0}


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Score every method on every task; returns per-task scores and the mean rows."""
    apply_quick(args, QUICK)
    args.long_side, args.normalize = 256, ["reference"]  # what score_works reads
    root = args.data if args.data is not None else default_root()
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    per_task: list[dict[str, Any]] = []
    sheets = []
    timing_result = None
    try:
        args.average_style = average_training_style(root, args.seed) if "unadapted" in args.methods else None
        with tempfile.TemporaryDirectory() as tmp:
            generators = _generators(args, Path(tmp))
            for artist in args.artists:
                for task in eval_tasks(root, artist, n_tasks=args.tasks, k=args.samples, seed=args.seed):
                    images = load_many(task.samples, 256)
                    samples = [load_sample(str(p)) for p in task.samples]  # as the app imports them
                    genuine, reference = genuine_and_reference(task, args.count, 256,
                                                               [args.seed, task.index, len(per_task)])
                    record: dict[str, Any] = {"artist": artist, "task": task.index,
                                              "samples": [p.name for p in task.samples], "scores": {}}
                    shown = [("samples", images)]
                    for method in args.methods:
                        if method == "scratch_long" and task.index >= args.long_tasks:
                            continue
                        if method in generators:
                            budget = {"scratch_long": args.long_budget, "meta_short": args.short_budget}.get(
                                method, args.budget)
                            works, timing = _trained_works(generators[method], method, samples, budget, args)
                        else:
                            works, timing = _other_works(method, images, genuine, args,
                                                         [args.seed, len(per_task), 0xC5])
                        scores = {**score_works(works, reference, images, args), **timing}
                        record["scores"][method] = scores
                        shown.append((method, works[:8]))
                        print(f"[painting] {artist} task {task.index} {method}: ratio {scores['swd_ratio']:.2f} "
                              f"(16 px {scores['swd_ratio_16']:.2f}, 32 px {scores['swd_ratio_32']:.2f}) "
                              f"copy {scores['copy']:.3f} (textured {scores['copy_textured']:.3f}) div {scores['diversity']:.2f} "
                              f"{timing['seconds']:.1f} s, {timing['steps']} steps", file=sys.stderr, flush=True)
                    timed = generators.get("meta") or generators.get("instant")
                    if args.timing_runs and not per_task and timed is not None:
                        timing_result = time_preview(timed, samples, images, args)
                    per_task.append(record)
                    if task.index == 0:
                        sheets.append((artist, shown))
    finally:
        torch.set_num_threads(previous_threads)
    rows = []
    for method in args.methods:
        scores = [t["scores"][method] for t in per_task if method in t["scores"]]
        if scores:
            rows.append({"method": method, "tasks": len(scores), **mean_scores(scores)})
    paired = _paired(per_task, "meta", "scratch_long")
    result: dict[str, Any] = {
        "benchmark": "painting", "artists": list(args.artists), "tasks_per_artist": args.tasks,
        "samples_per_task": args.samples, "works_per_method": args.count, "budget_s": args.budget,
        "long_budget_s": args.long_budget, "texture": args.texture, "brushwork": args.brushwork,
        "composition": args.composition, "early_stopping": args.early_stopping, "copy_guard": args.copy_guard,
        "check_margin": args.check_margin,
        "threads": args.threads, "patches_per_set": args.patches,
        "rows": rows, "meta_vs_scratch_long": paired, "preview_timing": timing_result, "per_task": per_task,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.sheet is not None:
        result["sheet"] = str(write_sheet(args.sheet, sheets))
    result["table"] = format_table(result).splitlines()
    return result


def average_training_style(root: Path, seed: int, tasks: int = AVERAGE_STYLE_TASKS) -> torch.Tensor:
    """The mean style features of ``tasks`` seeded meta-training tasks: the conditioning of a
    network that knows nothing of the user's paintings (the un-adapted row). Raises StudioError
    when the training artists are not under ``root``."""
    sampler = TrainingTaskSampler(root, max_k=6)
    rng = np.random.default_rng([seed, 0xA5])
    features = [style_features([L.to_tensor(im) for im in sampler.sample(rng).images]) for _ in range(tasks)]
    return torch.stack([f.reshape(-1) for f in features]).mean(dim=0)


def time_preview(generator: PaintingGenerator, samples: list[Sample], images: list[np.ndarray],
                 args: argparse.Namespace) -> dict[str, Any]:
    """Median seconds (over ``--timing-runs``) from the samples to the first instant painting and to
    a gallery of 12 (the samples' brushwork gathered anew each time), and of one GPNN painting at
    the first sample's size (the no-training baseline)."""
    first, gallery, gpnn = [], [], []
    params = PaintingParams(texture=args.texture, brushwork=args.brushwork, composition=args.composition)
    for run in range(args.timing_runs):
        generator.forget_brushwork()  # new samples: their brushwork is gathered again
        t0 = time.perf_counter()
        adapted = generator.instant(samples)
        generator.generate(adapted, samples, params, 1, run)
        first.append(time.perf_counter() - t0)
        generator.forget_brushwork()
        t0 = time.perf_counter()
        adapted = generator.instant(samples)
        generator.generate(adapted, samples, params, 12, run)
        gallery.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        PatchSource(images, GPNNConfig()).generate(images[0].shape[:2], seed=run, init=0)
        gpnn.append(time.perf_counter() - t0)
    return {"runs": args.timing_runs, "threads": args.threads, "first_painting_s": float(np.median(first)),
            "gallery_12_s": float(np.median(gallery)), "gpnn_one_painting_s": float(np.median(gpnn)),
            "all_first_s": [round(x, 3) for x in first], "all_gallery_s": [round(x, 3) for x in gallery]}


def _paired(per_task: list[dict[str, Any]], a: str, b: str) -> dict[str, float] | None:
    """Mean SWD ratios of ``a`` and ``b`` over the tasks that ran both."""
    both = [t["scores"] for t in per_task if a in t["scores"] and b in t["scores"]]
    if not both:
        return None
    return {"tasks": len(both), a: float(np.mean([s[a]["swd_ratio"] for s in both])),
            b: float(np.mean([s[b]["swd_ratio"] for s in both]))}


def format_table(result: dict[str, Any]) -> str:
    lines = [(f"painting: {', '.join(result['artists'])}, {result['tasks_per_artist']} tasks x "
              f"{result['works_per_method']} works, {result['samples_per_task']} samples, 256 px, budget "
              f"{result['budget_s']:.0f} s (scratch_long {result['long_budget_s']:.0f} s), "
              f"{result['threads']} thread(s)"),
             (f"{'method':<14}{'tasks':>6}{'ratio':>13}{'r@16':>7}{'r@32':>7}{'copy':>7}{'tex cp':>7}{'div':>7}"
              f"{'L1':>7}{'adapt s':>9}{'steps':>7}")]
    for row in result["rows"]:
        se = row["swd_ratio_se"] if not math.isnan(row["swd_ratio_se"]) else 0.0
        lines.append(f"{row['method']:<14}{row['tasks']:>6}{row['swd_ratio']:>7.2f} +-{se:.2f}"
                     f"{row['swd_ratio_16']:>7.2f}{row['swd_ratio_32']:>7.2f}{row['copy']:>7.3f}"
                     f"{row.get('copy_textured', math.nan):>7.3f}{row['diversity']:>7.2f}{row['pairwise_l1']:>7.3f}{row['seconds']:>9.1f}{row['steps']:>7.0f}")
    timing = result.get("preview_timing")
    if timing:
        lines.append(f"instant preview (median of {timing['runs']}, {timing['threads']} thread(s)): first painting "
                     f"{timing['first_painting_s']:.2f} s, gallery of 12 {timing['gallery_12_s']:.2f} s; "
                     f"one GPNN painting {timing['gpnn_one_painting_s']:.2f} s")
    paired = result.get("meta_vs_scratch_long")
    if paired:
        lines.append(f"same {paired['tasks']} task(s): meta ({result['budget_s']:.0f} s) ratio {paired['meta']:.2f} "
                     f"vs scratch_long ({result['long_budget_s']:.0f} s) {paired['scratch_long']:.2f}")
    return "\n".join(lines)
