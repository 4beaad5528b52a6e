"""Curated paintings chosen from drafts without their brushwork (issue 18's 4-s painting gallery).

A curated painting gallery drafts 36 works and shows 12 (:mod:`studio.taste.drafting`). The drafts
are painted up to the network only (:meth:`PaintingGenerator.draft`) and only the 12 chosen get the
samples' brushwork (:meth:`~PaintingGenerator.finish_drafts`: exactly the works the full pipeline
makes). This benchmark measures what the curator loses by choosing on drafts:

* per named feature (:mod:`studio.taste.painting_features`), the correlation between a draft's
  value and its finished painting's, and the mean shift (in SDs of the finished values), before and
  after the draft calibration (a per-feature affine map from draft to finished descriptors, fitted
  on drafts of the *training* painters' pools, never on the held-out ones it is measured on);
* for simulated people with held-out tastes (:mod:`studio.taste.people`) on the held-out painters'
  pools: the rank agreement of their utility on drafts and on finished works, and the liked share
  of the finished works the curator chooses when it sees the finished works (what drafting with
  brushwork gave), the raw drafts, or the calibrated drafts (paired differences, SE over people).

``--write`` stores the calibration in ``models/taste-painting-drafts.json`` (with its card: data,
command, metrics) where live drafting reads it.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import numpy as np

from studio.errors import StudioError

DESCRIPTION = ("curated paintings drafted without brushwork (issue 18): draft vs finished features, the "
               "curator's choice on drafts, calibrated drafts and finished works; fits the draft calibration")
CHOICES = ("finished", "drafts", "calibrated")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", default=None, help="pool folder written by prepare-taste (default: runs/taste)")
    parser.add_argument("--fit-pools", type=int, default=1, help="training pools per training painter for the fit")
    parser.add_argument("--pools", type=int, default=None, help="at most this many held-out pools (default: all)")
    parser.add_argument("--people", type=int, default=6, help="simulated people per held-out pool")
    parser.add_argument("--drafts", type=int, default=36, help="drafts per gallery (groups of 3 share a setting)")
    parser.add_argument("--show", type=int, default=12, help="works shown per gallery")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--write", action="store_true",
                        help="write the fitted calibration to models/taste-painting-drafts.json")
    parser.add_argument("--texture", action="store_true",
                        help="only measure what the texture setting changes in finished paintings (0.6, 1.0, 1.4)")
    parser.add_argument("--quick", action="store_true", help="one pool each way, two people: checks that it runs")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def _log(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(f"[painting_drafts] {text}", file=sys.stderr, flush=True)


def drafted_pairs(live: Any, index: int, pool: Any, count: int, seed: int) -> dict[str, Any]:
    """``count`` drafts of ``pool``'s samples as live drafting makes them (groups of 3 sharing uniformly
    drawn settings), each with its finished work: images, descriptors and settings."""
    from studio.domains.painting.params import PaintingParams
    from studio.taste import drafting
    from studio.taste import settings as taste_settings

    samples = live.samples(index, pool)
    adapted = live.engine.instant(samples)
    rng = np.random.default_rng([seed, index, 41])
    groups = taste_settings.draft_settings("painting", -(-count // drafting.PAINTING_GROUP), rng)
    base = PaintingParams(long_side=256)
    sizes = [min(drafting.PAINTING_GROUP, count - g * drafting.PAINTING_GROUP) for g in range(len(groups))]
    requests = [(taste_settings.painting_params(base, s), n, seed * 1009 + g) for g, (s, n) in enumerate(zip(groups, sizes))]
    drafts = live.generator.draft(adapted, samples, requests)
    finished = live.generator.finish_drafts(samples, drafts)
    per = [s for s, n in zip(groups, sizes) for _ in range(n)]
    draft_images = [taste_settings.painting_post(d.work.image, s) for d, s in zip(drafts, per)]
    final_images = [taste_settings.painting_post(w.image, s) for w, s in zip(finished, per)]
    di, dr = drafting.describe_items("painting", draft_images)
    fi, fr = drafting.describe_items("painting", final_images)
    return {"samples": samples, "adapted": adapted, "settings": per, "draft": (di, dr), "final": (fi, fr)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    from studio.bench._taste_live import LiveGenerator
    from studio.bench.taste import heldout_pools
    from studio.domains.painting.params import PaintingParams
    from studio.taste import drafting, people
    from studio.taste import settings as taste_settings
    from studio.taste.describe import spec_for
    from studio.taste.draft_calibration import fit_calibration
    from studio.taste.pools import DEFAULT_ROOT, list_pools

    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    root = args.root or str(DEFAULT_ROOT)
    quick = bool(args.quick)
    heldout = heldout_pools(root, "painting", 1 if quick else args.pools)
    if args.texture:
        return texture_effect(args, heldout, started)
    training = [p for p in list_pools(root, "painting") if p.split != "heldout" and int(p.sample.sum()) > 0]
    per_painter: dict[str, list[Any]] = {}
    for p in training:
        per_painter.setdefault(p.collection.split("#")[0], []).append(p)
    fit_pools = [p for ps in per_painter.values() for p in ps[:1 if quick else args.fit_pools]][:1 if quick else None]
    if not fit_pools:
        raise StudioError(f"no training painting pools under {root} to fit the draft calibration on: build them "
                          f"with `python main.py prepare-taste --domain painting`", root)
    live = LiveGenerator("painting", args.threads)
    live.generator.threads = args.threads
    count = 6 if quick else args.drafts
    # the fit: drafts of the training painters
    fit_d: list[tuple[np.ndarray, np.ndarray]] = []
    fit_f: list[tuple[np.ndarray, np.ndarray]] = []
    for k, pool in enumerate(fit_pools):
        pairs = drafted_pairs(live, 1000 + k, pool, count, args.seed)
        fit_d.append(pairs["draft"])
        fit_f.append(pairs["final"])
        _log(args, f"fit: {pool.collection} ({count} drafts)")
    calibration = fit_calibration([d[0] for d in fit_d], [d[1] for d in fit_d], [f[0] for f in fit_f],
                                  [f[1] for f in fit_f])
    # the measure: held-out painters and tastes
    standardiser = people.fit_standardiser(heldout)
    embedder = drafting.embedder_for("painting")
    chooser, note = drafting.chooser_for("painting", embedder)
    names = spec_for("painting").names
    rows: list[dict[str, Any]] = []
    all_d, all_c, all_f = [], [], []
    n_people = 2 if quick else args.people
    for k, pool in enumerate(heldout):
        pairs = drafted_pairs(live, k, pool, count, args.seed)
        di, dr = pairs["draft"]
        fi, fr = pairs["final"]
        ci, cr = calibration.apply(di, dr)
        all_d.append(di)
        all_c.append(ci)
        all_f.append(fi)
        samples, adapted = pairs["samples"], pairs["adapted"]
        first = live.engine.generate(adapted, samples, PaintingParams(long_side=256), args.show, args.seed + 7 + k)
        first_i, first_r = drafting.describe_items("painting", first)
        sample_desc = drafting.describe_items("painting", [s for s in samples if s.image is not None])
        settings = taste_settings.settings_vector("painting", pairs["settings"])
        for j in range(n_people):
            family = people.HELDOUT_FAMILIES[j % len(people.HELDOUT_FAMILIES)]
            person = people.sample_person(family, pool, standardiser, np.random.default_rng([args.seed, k, j]))
            liked = person.utility(fi, fr) > people.like_threshold(person, pool)
            kept, rejected = people.judge(person, first_i, first_r)
            feedback = drafting.feedback_from_items("painting", [first[i] for i in kept], [first[i] for i in rejected],
                                                    seeds=[w.seed for w in first])
            row: dict[str, Any] = {"pool": pool.collection, "family": family,
                                   "utility_rho": _spearman(person.utility(di, dr), person.utility(fi, fr)),
                                   "utility_rho_calibrated": _spearman(person.utility(ci, cr), person.utility(fi, fr))}
            chosen: dict[str, list[int]] = {}
            for name, (interp, raw) in zip(CHOICES, ((fi, fr), (di, dr), (ci, cr))):
                view = drafting.view_of("painting", feedback, interp, raw, settings, sample_desc,
                                        min(args.show, len(interp)))
                chosen[name] = [int(i) for i in chooser.choose(view, np.random.default_rng([args.seed, k, j, 5]))]
                row[f"liked_{name}"] = float(np.mean(liked[chosen[name]]))
            row["overlap_drafts"] = len(set(chosen["drafts"]) & set(chosen["finished"])) / max(1, len(chosen["finished"]))
            row["overlap_calibrated"] = (len(set(chosen["calibrated"]) & set(chosen["finished"]))
                                         / max(1, len(chosen["finished"])))
            rows.append(row)
        _log(args, f"measure: {pool.collection}: liked " + " / ".join(
            f"{name} {np.mean([r[f'liked_{name}'] for r in rows if r['pool'] == pool.collection]):.3f}"
            for name in CHOICES))
    d_all, c_all, f_all = np.concatenate(all_d), np.concatenate(all_c), np.concatenate(all_f)
    features = []
    for j, name in enumerate(names):
        sd = float(f_all[:, j].std()) or 1.0
        features.append({"feature": name, "corr": _corr(d_all[:, j], f_all[:, j]),
                         "shift_sd": float((d_all[:, j] - f_all[:, j]).mean() / sd),
                         "shift_sd_calibrated": float((c_all[:, j] - f_all[:, j]).mean() / sd),
                         "mad_sd": float(np.abs(d_all[:, j] - f_all[:, j]).mean() / sd),
                         "mad_sd_calibrated": float(np.abs(c_all[:, j] - f_all[:, j]).mean() / sd)})
    summary: dict[str, Any] = {}
    for key in ("utility_rho", "utility_rho_calibrated", "overlap_drafts", "overlap_calibrated",
                *(f"liked_{n}" for n in CHOICES)):
        summary[key] = _mean_se([r[key] for r in rows])
    for name in ("drafts", "calibrated"):
        summary[f"liked_{name}_minus_finished"] = _mean_se([r[f"liked_{name}"] - r["liked_finished"] for r in rows])
    metrics = {"heldout_pools": [p.collection for p in heldout], "people": len(rows),
               **{k: [round(v[0], 4), round(v[1], 4)] for k, v in summary.items()}}
    result: dict[str, Any] = {"benchmark": "painting_drafts", "quick": quick, "drafts": count,
                              "fit_pools": [p.collection for p in fit_pools], "heldout_pools": metrics["heldout_pools"],
                              "people": len(rows), "chooser": str(getattr(chooser, "name", type(chooser).__name__)),
                              "features": features, "summary": metrics, "notes": [note] if note else []}
    if args.write and not quick:
        card = {"data": f"{count} drafts (groups of 3 sharing uniformly drawn settings, 256 px) of each of "
                        + ", ".join(result["fit_pools"]) + " (training painters)",
                "command": "python main.py bench painting_drafts --write"
                           + (f" --fit-pools {args.fit_pools}" if args.fit_pools != 1 else ""),
                "metrics": metrics}
        path = calibration.write(card)
        result["written"] = str(path)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["table"] = format_table(result).splitlines()
    return result


TEXTURES = (0.6, 1.0, 1.01, 1.4)  # the range settings.PAINTING_SETTINGS drafted texture over, its middle, and
# a control a hair from the middle: the brushwork's random patch draws are seeded by the painting's pixels, so
# any change of the network's painting draws other patches; the control shows how much of a change that alone is


def texture_effect(args: argparse.Namespace, pools: list[Any], started: float) -> dict[str, Any]:
    """What the texture setting changes in finished 256-px paintings: the same seeds and layouts at
    texture 0.6, 1.0, 1.01 (the control: any change at all) and 1.4 (composition and brushwork at the
    drafting ranges' middle): mean absolute pixel difference from texture 1.0 against that between two
    different works, and the named features' change in SDs of the features over the works."""
    from studio.bench._taste_live import LiveGenerator
    from studio.domains.painting.params import PaintingParams
    from studio.taste import drafting
    from studio.taste.describe import spec_for

    live = LiveGenerator("painting", args.threads)
    live.generator.threads = args.threads
    names = spec_for("painting").names
    count = 2 if args.quick else 6
    rows = []
    for k, pool in enumerate(pools[:1 if args.quick else 3]):
        samples = live.samples(k, pool)
        adapted = live.engine.instant(samples)
        images = {t: [w.image.astype(np.float32) for w in live.engine.generate(
            adapted, samples, PaintingParams(long_side=256, texture=t, composition=0.4, brushwork=0.8), count,
            args.seed + 31 + k)] for t in TEXTURES}
        features = {t: drafting.describe_items("painting", [im.astype(np.uint8) for im in ims])[0]
                    for t, ims in images.items()}
        sd = np.concatenate(list(features.values())).std(0) + 1e-9
        base = images[1.0]
        between = float(np.mean([np.abs(base[i] - base[(i + 1) % count]).mean() for i in range(count)]))
        for t in (0.6, 1.01, 1.4):
            change = np.abs(features[t] - features[1.0]).mean(0) / sd
            top = np.argsort(-change)[:3]
            rows.append({"pool": pool.collection, "texture": t,
                         "pixels": float(np.mean([np.abs(a - b).mean() for a, b in zip(images[t], base)])),
                         "between_works": between, "feature_sd_mean": float(change.mean()),
                         "largest": [[names[j], round(float(change[j]), 3)] for j in top]})
        _log(args, f"texture: {pool.collection} done")
    lines = ["| pool | texture vs 1.0 | mean abs pixel diff (of 255) | between two works | named features: mean change "
             "(SD) | largest |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['pool']} | {r['texture']} | {r['pixels']:.2f} | {r['between_works']:.2f} | "
                     f"{r['feature_sd_mean']:.3f} | " + ", ".join(f"{n} {v:.2f}" for n, v in r["largest"]) + " |")
    return {"benchmark": "painting_drafts", "texture": rows, "seconds": round(time.perf_counter() - started, 1),
            "table": lines}


def format_table(result: dict[str, Any]) -> str:
    s = result["summary"]
    lines = [f"Painting drafts without brushwork: {result['drafts']} drafts per pool; calibration fitted on "
             f"{', '.join(result['fit_pools'])}; measured on {', '.join(result['heldout_pools'])} with "
             f"{result['people']} simulated people (held-out tastes), chooser {result['chooser']}",
             "| feature | corr draft/finished | shift (SD) | shift calibrated | mean abs diff (SD) | calibrated |",
             "|---|---|---|---|---|---|"]
    for f in result["features"]:
        lines.append(f"| {f['feature']} | {f['corr']:.3f} | {f['shift_sd']:+.2f} | {f['shift_sd_calibrated']:+.2f} | "
                     f"{f['mad_sd']:.2f} | {f['mad_sd_calibrated']:.2f} |")
    lines += ["", "| curator chooses on | liked share of the finished works shown | minus finished | overlap with "
              "the finished choice | utility rank corr |", "|---|---|---|---|---|"]
    lines.append(f"| finished works (drafting with brushwork) | {_fmt(s['liked_finished'])} | - | - | - |")
    lines.append(f"| drafts | {_fmt(s['liked_drafts'])} | {_fmt(s['liked_drafts_minus_finished'], True)} | "
                 f"{s['overlap_drafts'][0]:.2f} | {s['utility_rho'][0]:.3f} |")
    lines.append(f"| calibrated drafts | {_fmt(s['liked_calibrated'])} | {_fmt(s['liked_calibrated_minus_finished'], True)} "
                 f"| {s['overlap_calibrated'][0]:.2f} | {s['utility_rho_calibrated'][0]:.3f} |")
    if "written" in result:
        lines.append(f"Calibration written to {result['written']}")
    return "\n".join(lines)


def _fmt(v: list[float], sign: bool = False) -> str:
    return f"{v[0]:+.3f} ±{v[1]:.3f}" if sign else f"{v[0]:.3f} ±{v[1]:.3f}"


def _mean_se(values: list[float]) -> tuple[float, float]:
    x = np.asarray(values, np.float64)
    se = float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0
    return float(x.mean()), se


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if float(a.std()) == 0.0 or float(b.std()) == 0.0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    return _corr(np.argsort(np.argsort(a)).astype(np.float64), np.argsort(np.argsort(b)).astype(np.float64))
