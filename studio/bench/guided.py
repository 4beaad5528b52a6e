"""Guided painting (issue 19, points 4 and 7): ``python main.py bench guided``.

For each held-out painter (default degas and renoir) and each of ``--tasks`` seeded tasks of 4
samples (the painter's other works are the SWD reference, as in ``bench painting``), ``--guides``
landscape photos from ``../shared/data/photos`` (test material, never shipped; a different set
per task) guide ``--per-guide`` works each, at the default Closeness unless ``--closeness``. Rows,
all from the same samples and guides in the same run:

* **guided** (shipped): the generator with the guide (:mod:`studio.domains.painting.guided`);
* **plain**: the same without the gallery's variety (``PaintingGenerator.guide_variety`` off:
  every work at the chosen closeness, no warp, one palette; the guided gallery before 2026-12-07);
* **unguided**: the default gallery of the same samples, the same number of works (the fidelity
  line guided works must hold);
* **reinhard**: colour transfer of each guide to the samples' statistics (Reinhard, Ashikhmin,
  Gooch & Shirley 2001: mean and standard deviation per channel in l-alpha-beta space);
* **patches**: a guided patch-synthesis baseline (:func:`patch_synthesis`: every 8-px patch of the
  guide, its luminance matched to the samples', replaced by the sample patch whose luminance
  is nearest, overlapping patches averaged: the image-analogies recipe reduced to one level).

Scores per row: the 32-px luminance correlation with the guide (goal at least 0.8 for guided),
the SWD ratio against the painter's other works at the fine levels (256, 128 and 64 px; goal: no
higher than unguided and clearly below reinhard and patches) and overall, and the copy score
(goal at most 0.01), and the gallery's **diversity** (:func:`diversity`: the mean pairwise
distance between works of the same guide, at 32 and 64 px, luminance and colour; for unguided,
between works in groups of the same size; higher: more real choices). Timing (``--timing-runs``, medians, on the first task): the first guided
256-px painting with the generator loaded and every cache cold (style features, palette,
brushwork banks; goal 1 s) and a 1024-px render of a guided work (goal 10 s).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from studio.bench.painting_calibration import add_task_arguments, apply_quick, genuine_and_reference
from studio.domains.painting import layout as L
from studio.domains.painting import metrics
from studio.domains.painting.dataset import default_root, eval_tasks, load_many
from studio.domains.painting.generator import PaintingGenerator
from studio.domains.painting.gpnn import nearest_keys
from studio.domains.painting.guide import DEFAULT_CLOSENESS, Guide, load_guide
from studio.domains.painting.guided import guide_correlation, luminance, to_opponent
from studio.domains.painting.params import PaintingParams
from studio.io.samples import load_sample
from studio.model_registry import MODELS_DIR

DESCRIPTION = "Guided painting vs unguided, Reinhard colour transfer and guided patch synthesis (issue 19.4)"
ROWS = ("guided", "plain", "unguided", "reinhard", "patches")
DIVERSITY_SIDES = (32, 64)
FINE_LEVELS = (256, 128, 64)
QUICK = {"tasks": 1, "guides": 2, "per_guide": 2, "patches": 512, "timing_runs": 1}


def photos_root() -> Path:
    """``../shared/data/photos`` beside the checkout (test material, never shipped)."""
    return default_root().parent / "photos"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_task_arguments(parser, "unused: works per task are --guides x --per-guide")
    parser.add_argument("--photos", type=Path, default=None, help="folder of guide photos (default ../shared/data/photos)")
    parser.add_argument("--guides", type=int, default=4, help="guide photos per task")
    parser.add_argument("--per-guide", type=int, default=4, help="works per guide")
    parser.add_argument("--closeness", type=float, default=DEFAULT_CLOSENESS)
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=list(ROWS))
    parser.add_argument("--patches", type=int, default=metrics.PATCHES_PER_SET, help="SWD neighbourhoods per set")
    parser.add_argument("--timing-runs", type=int, default=5, help="timed runs (median) on the first task; 0: none")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads (the app's 2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", type=Path, default=MODELS_DIR, help="folder of the stored models")
    parser.add_argument("--sheet", type=Path, default=None, help="write guides and works of each artist's first task here")
    parser.add_argument("--quick", action="store_true", help="1 task, 2 guides x 2 works: checks that it works")


# ------------------------------------------------------------------ baselines


def _rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """``HxWx3`` uint8 to Reinhard et al.'s l-alpha-beta (via LMS and log10)."""
    x = np.clip(rgb.astype(np.float64) / 255.0, 1 / 255.0, 1.0)
    lms = x @ np.array([[0.3811, 0.5783, 0.0402], [0.1967, 0.7244, 0.0782], [0.0241, 0.1288, 0.8444]]).T
    log = np.log10(np.clip(lms, 1e-6, None))
    mix = np.array([[1, 1, 1], [1, 1, -2], [1, -1, 0]], np.float64)
    scale = np.diag([1 / np.sqrt(3), 1 / np.sqrt(6), 1 / np.sqrt(2)])
    return log @ (scale @ mix).T


def _lab_to_rgb(lab: np.ndarray) -> np.ndarray:
    mix = np.array([[1, 1, 1], [1, 1, -1], [1, -2, 0]], np.float64)
    scale = np.diag([np.sqrt(3) / 3, np.sqrt(6) / 6, np.sqrt(2) / 2])
    lms = 10 ** (lab @ (mix @ scale).T)
    rgb = lms @ np.array([[4.4679, -3.5873, 0.1193], [-1.2186, 2.3809, -0.1624], [0.0497, -0.2439, 1.2045]]).T
    return (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)


def reinhard_transfer(guide: np.ndarray, samples: list[np.ndarray]) -> np.ndarray:
    """``guide`` with each l-alpha-beta channel's mean and standard deviation set to the samples'."""
    source = _rgb_to_lab(guide)
    target = np.concatenate([_rgb_to_lab(s).reshape(-1, 3) for s in samples])
    mean_s, std_s = source.reshape(-1, 3).mean(0), source.reshape(-1, 3).std(0) + 1e-6
    out = (source - mean_s) / std_s * target.std(0) + target.mean(0)
    return _lab_to_rgb(out)


def patch_synthesis(guide: np.ndarray, samples: list[np.ndarray], seed: int, patch: int = 8, stride: int = 4,
                    keys: int = 20_000) -> np.ndarray:
    """A guided patch-synthesis baseline (see the module docstring): ``guide``'s size, the samples' patches."""
    g = L.to_tensor(guide)
    y = luminance(g)
    pooled = torch.cat([luminance(L.to_tensor(s)).flatten() for s in samples]).sort().values
    ranks = y.flatten().argsort().argsort().float() / max(1, y.numel() - 1)
    y = pooled[(ranks * (pooled.numel() - 1)).round().long()].view_as(y)  # the samples' tones
    lum, col = [], []
    for s in samples:
        t = L.to_tensor(s)
        if min(t.shape[-2:]) < patch:
            continue
        lum.append(F.unfold(luminance(t), patch, stride=2)[0].T)
        col.append(F.unfold(t, patch, stride=2)[0].T)
    lum_all, col_all = torch.cat(lum), torch.cat(col)
    chosen = torch.randperm(len(lum_all), generator=torch.Generator().manual_seed(seed))[:keys]
    lum_keys, col_keys = lum_all[chosen], col_all[chosen]
    h, w = y.shape[-2:]
    pad_h, pad_w = (-(h - patch)) % stride, (-(w - patch)) % stride
    padded = F.pad(y, (0, pad_w, 0, pad_h), mode="replicate")
    queries = F.unfold(padded, patch, stride=stride)[0].T
    values = col_keys[nearest_keys(queries, lum_keys, 0.0, 256, queries.shape[1])]
    size = padded.shape[-2:]
    summed = F.fold(values.T[None], size, patch, stride=stride)
    counts = F.fold(torch.ones(1, patch * patch, values.shape[0]), size, patch, stride=stride)
    return L.to_rgb((summed / counts.clamp_min(1))[..., :h, :w])


# ------------------------------------------------------------------ the run


def _guides(folder: Path, count: int, offset: int) -> list[Guide]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    if not files:
        raise FileNotFoundError(f"no photos in {folder}")
    return [load_guide(files[(offset + i) % len(files)]) for i in range(count)]


def _fit(image: np.ndarray, long_side: int = 256) -> np.ndarray:
    h, w = image.shape[:2]
    if max(h, w) == long_side:
        return image
    return L.to_rgb(L.resize(L.to_tensor(image), L.size_for(w / h, long_side)))


def diversity(works: list[np.ndarray], group: int, side: int) -> float:
    """Mean pairwise distance between the works of each run of ``group`` consecutive works (the
    works of one guide), at ``side`` px on the long side: the RMS over pixels of the difference in
    opponent colour space (luminance and the two chroma axes, :func:`.guided.to_opponent`), in
    units of the [0, 1] range. 0: identical works."""
    distances = []
    for start in range(0, len(works) - group + 1, group):
        members = works[start:start + group]
        size = _side_size(members[0].shape[:2], side)
        small = [to_opponent(L.resize(L.to_tensor(w), size))[0] for w in members]
        for i in range(len(small)):
            for j in range(i + 1, len(small)):
                distances.append(float(((small[i] - small[j]) ** 2).sum(0).mean().sqrt()))
    return float(np.mean(distances)) if distances else 0.0


def _side_size(hw: tuple[int, int], side: int) -> tuple[int, int]:
    h, w = hw
    scale = side / max(h, w)
    return max(2, round(h * scale)), max(2, round(w * scale))


def _score(works: list[np.ndarray], guides: list[np.ndarray] | None, reference: list[np.ndarray],
           samples: list[np.ndarray], args: argparse.Namespace) -> dict[str, float]:
    ratio = metrics.swd_ratio(works, reference, samples, long_side=256, patches=args.patches, seed=args.seed)
    fine_gen = [ratio.generated.at(lv) for lv in FINE_LEVELS]
    fine_smp = [ratio.samples.at(lv) for lv in FINE_LEVELS]
    scores = {"swd_ratio": ratio.overall, "swd_ratio_fine": float(np.mean(fine_gen) / np.mean(fine_smp)),
              **{f"swd_ratio_{lv}": ratio.at(lv) for lv in (*FINE_LEVELS, 32, 16)},
              "copy": metrics.copy_score(works, samples, long_side=256, seed=args.seed),
              **{f"diversity_{side}": diversity(works, args.per_guide, side) for side in DIVERSITY_SIDES}}
    if guides is not None:
        scores["guide_corr"] = float(np.mean([guide_correlation(w, g) for w, g in zip(works, guides)]))
        scores["guide_corr_min"] = float(np.min([guide_correlation(w, g) for w, g in zip(works, guides)]))
    return scores


def _timing(generator_args: tuple, samples: list, guide: Guide, runs: int, closeness: float) -> dict[str, Any]:
    first, render = [], []
    for _ in range(runs):
        generator = PaintingGenerator(*generator_args)  # every cache cold; weights loaded beforehand (the preload)
        t0 = time.perf_counter()
        adapted = generator.instant(samples)
        work = generator.generate(adapted, samples, PaintingParams(guide=guide, closeness=closeness), 1, 0)[0]
        first.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        generator.render(adapted, samples, work, 1024)
        render.append(time.perf_counter() - t0)
    return {"runs": runs, "first_guided_256_s": statistics.median(first), "render_1024_s": statistics.median(render),
            "first_all_s": first, "render_all_s": render}


def run(args: argparse.Namespace) -> dict[str, Any]:
    apply_quick(args, QUICK)
    root = args.data if args.data is not None else default_root()
    photos = args.photos if args.photos is not None else photos_root()
    previous = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    generator = PaintingGenerator(models_dir=args.models, threads=args.threads)
    count = args.guides * args.per_guide
    per_task: list[dict[str, Any]] = []
    sheets: list[tuple[str, list[np.ndarray]]] = []
    timing = None
    try:
        for artist in args.artists:
            for task in eval_tasks(root, artist, n_tasks=args.tasks, k=args.samples, seed=args.seed):
                images = load_many(task.samples, 256)
                samples = [load_sample(str(p)) for p in task.samples]
                _, reference = genuine_and_reference(task, count, 256, [args.seed, task.index, len(per_task)])
                guides = _guides(photos, args.guides, len(per_task) * args.guides)
                adapted = generator.instant(samples)
                record: dict[str, Any] = {"artist": artist, "task": task.index, "guides": [g.name for g in guides],
                                          "scores": {}}
                shown: list[tuple[str, list[np.ndarray]]] = [("samples", images), ("guides", [g.image for g in guides])]
                for row in args.rows:
                    t0 = time.perf_counter()
                    works, paired = [], []
                    if row == "unguided":
                        works = [w.image for w in generator.generate(adapted, samples, PaintingParams(), count,
                                                                     args.seed)]
                        paired = None
                    for gi, guide in enumerate(guides):
                        if row in ("guided", "plain"):
                            params = PaintingParams(guide=guide, closeness=args.closeness)
                            generator.guide_variety = row == "guided"
                            try:
                                made = [w.image for w in generator.generate(adapted, samples, params,
                                                                            args.per_guide, args.seed + gi)]
                            finally:
                                generator.guide_variety = True
                        elif row == "reinhard":
                            made = [_fit(reinhard_transfer(guide.image, images))] * args.per_guide
                        elif row == "patches":
                            made = [patch_synthesis(_fit(guide.image), images, args.seed + gi * 31 + i)
                                    for i in range(args.per_guide)]
                        else:
                            break
                        works += made
                        paired += [guide.image] * len(made)
                    seconds = (time.perf_counter() - t0) / count
                    scores = {**_score(works, paired, reference, images, args), "seconds_per_work": seconds}
                    record["scores"][row] = scores
                    shown.append((row, works[::args.per_guide]))
                    print(f"[guided] {artist} task {task.index} {row}: "
                          + (f"guide corr {scores['guide_corr']:.2f} (min {scores['guide_corr_min']:.2f}) "
                             if "guide_corr" in scores else "")
                          + f"fine ratio {scores['swd_ratio_fine']:.2f} (256 {scores['swd_ratio_256']:.2f}, "
                          f"128 {scores['swd_ratio_128']:.2f}, 64 {scores['swd_ratio_64']:.2f}) overall "
                          f"{scores['swd_ratio']:.2f} copy {scores['copy']:.3f} diversity "
                          f"{scores['diversity_32']:.3f} / {scores['diversity_64']:.3f}", file=sys.stderr, flush=True)
                if args.timing_runs and timing is None:
                    timing = _timing(("painting-reptile", args.models, args.threads), samples, guides[0],
                                     args.timing_runs, args.closeness)
                    print(f"[guided] timing: first guided 256-px painting {timing['first_guided_256_s']:.2f} s, "
                          f"1024-px render {timing['render_1024_s']:.2f} s", file=sys.stderr, flush=True)
                per_task.append(record)
                if task.index == 0:
                    sheets += [(f"{artist} {label}", ims) for label, ims in shown]
    finally:
        torch.set_num_threads(previous)
    rows = []
    for row in args.rows:
        scores = [t["scores"][row] for t in per_task]
        rows.append({"row": row, "tasks": len(scores),
                     **{k: float(np.mean([s[k] for s in scores])) for k in scores[0]}})
    result: dict[str, Any] = {
        "benchmark": "guided", "artists": list(args.artists), "tasks_per_artist": args.tasks,
        "samples_per_task": args.samples, "guides_per_task": args.guides, "works_per_guide": args.per_guide,
        "closeness": args.closeness, "threads": args.threads, "rows": rows, "timing": timing,
        "per_task": per_task, "seconds": round(time.perf_counter() - started, 1),
    }
    if args.sheet is not None:
        from PIL import Image

        args.sheet.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(metrics.contact_sheet(sheets, thumb=256)).save(args.sheet)
        result["sheet"] = str(args.sheet)
    result["table"] = format_table(result).splitlines()
    return result


def format_table(result: dict[str, Any]) -> str:
    lines = [f"guided: {', '.join(result['artists'])}, {result['tasks_per_artist']} tasks x "
             f"{result['guides_per_task']} guides x {result['works_per_guide']} works, closeness "
             f"{result['closeness']:g}, {result['threads']} thread(s)",
             f"{'row':<10}{'tasks':>6}{'corr32':>8}{'min':>6}{'fine':>7}{'r@256':>7}{'r@128':>7}{'r@64':>7}"
             f"{'ratio':>7}{'copy':>7}{'div32':>7}{'div64':>7}{'s/work':>8}"]
    for r in result["rows"]:
        corr = f"{r['guide_corr']:>8.2f}{r['guide_corr_min']:>6.2f}" if "guide_corr" in r else f"{'-':>8}{'-':>6}"
        lines.append(f"{r['row']:<10}{r['tasks']:>6}{corr}{r['swd_ratio_fine']:>7.2f}{r['swd_ratio_256']:>7.2f}"
                     f"{r['swd_ratio_128']:>7.2f}{r['swd_ratio_64']:>7.2f}{r['swd_ratio']:>7.2f}{r['copy']:>7.3f}"
                     f"{r.get('diversity_32', float('nan')):>7.3f}{r.get('diversity_64', float('nan')):>7.3f}"
                     f"{r['seconds_per_work']:>8.2f}")
    t = result.get("timing")
    if t:
        lines.append(f"first guided 256-px painting (generator loaded, caches cold): {t['first_guided_256_s']:.2f} s; "
                     f"1024-px render: {t['render_1024_s']:.2f} s (medians of {t['runs']})")
    return "\n".join(lines)
