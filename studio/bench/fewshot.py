"""Few-shot classification: Prototypical and Matching Networks vs nearest-neighbour baselines.

Two task families (:mod:`studio.meta.fewshot_data`), both evaluated on classes never seen in
meta-training:

* **glyphs** (main): characters rendered in the installed fonts, 28 px, each instance a font
  plus a random rotation/zoom/shift, classes split 70/30 into meta-train/meta-test characters;
  5-way 1-shot and 5-way 5-shot, 10 queries per class (the fonts give 16-22 instances per
  character, so Omniglot's 15 queries do not fit 5-shot).
* **painters** (secondary): 64 px crops; meta-train on monet, ukiyo_e, cezanne, degas;
  test 3-way on gauguin, renoir, sargent (the only three left, so every test episode is the
  same three-class problem with different images; 30 works each).

One Conv-4 embedding is trained per method and dataset, with the shot drawn from 1..5 per
training episode so a single model serves both test settings. Baselines: 1-nearest-neighbour
on raw pixels and an untrained (randomly initialised) Conv-4 with prototypes. Every method is
scored on the same fixed test episodes: accuracy mean with a 95% CI (1.96 standard errors).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
import math
import time
from typing import Any, Callable

import torch
from torch import Tensor

from studio.meta.checkpoint import save_checkpoint
from studio.meta.fewshot_data import (GLYPH_DISTORTION, PAINTING_AUGMENT, PAINTINGS_DIR, Episode, GlyphConfig,
                                      ImageBank, PaintingConfig, augment_images, build_glyph_bank,
                                      build_painting_bank, sample_episode)
from studio.meta.matching import matching_loss, matching_probs
from studio.meta.protonet import (ConvEmbedding, ConvEmbeddingConfig, EpisodicTrainConfig, protonet_logits,
                                  protonet_loss, squared_distances, train_episodic)
from studio.progress import ConsoleProgress

DESCRIPTION = "Few-shot classification (glyphs, painters): ProtoNet and MatchingNet vs nearest-neighbour baselines"

TRAIN_PAINTERS = ("monet", "ukiyo_e", "cezanne", "degas")
TEST_PAINTERS = ("gauguin", "renoir", "sargent")
FULL = {"glyph_episodes": 2000, "painter_episodes": 600, "test_episodes": 600, "max_classes": None,
        "max_per_class": 200}
QUICK = {"glyph_episodes": 30, "painter_episodes": 10, "test_episodes": 25, "max_classes": 100,
         "max_per_class": 16}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="tiny run (< 1 minute) to check that it works")
    parser.add_argument("--datasets", default="glyphs,painters", help="comma-separated subset of glyphs,painters")
    parser.add_argument("--glyph-episodes", type=int, default=None, help=f"training episodes per glyph model "
                        f"(default {FULL['glyph_episodes']})")
    parser.add_argument("--painter-episodes", type=int, default=None,
                        help=f"training episodes per painter model (default {FULL['painter_episodes']})")
    parser.add_argument("--test-episodes", type=int, default=None, help="fixed test episodes per setting (default 600)")
    parser.add_argument("--train-way", type=int, default=10, help="classes per glyph training episode")
    parser.add_argument("--shots", default="1,5", help="comma-separated test shots")
    parser.add_argument("--hidden", type=int, default=32, help="channels of the Conv-4 blocks")
    parser.add_argument("--paintings", default=PAINTINGS_DIR, help="folder with one sub-folder per painter")
    parser.add_argument("--save", default=None, metavar="DIR", help="save the trained ProtoNet embeddings as "
                        "DIR/fewshot_<dataset>_protonet.{safetensors,json}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


Rule = Callable[[Tensor, Tensor, Tensor, int], Tensor]  # (support emb, support y, query emb, n_way) -> predictions


def _proto_rule(se: Tensor, sy: Tensor, qe: Tensor, n_way: int) -> Tensor:
    return protonet_logits(lambda e: e, se, sy, qe, n_way).argmax(1)


def _match_rule(se: Tensor, sy: Tensor, qe: Tensor, n_way: int) -> Tensor:
    return matching_probs(lambda e: e, se, sy, qe, n_way).argmax(1)


def _nn_rule(se: Tensor, sy: Tensor, qe: Tensor, n_way: int) -> Tensor:
    return sy[squared_distances(qe, se).argmin(1)]


def _evaluate(embed: Callable[[Tensor], Tensor], rule: Rule, test: ImageBank, way: int, shot: int, n_query: int,
              crop: int, augment: Any, episodes: int, seed: int) -> tuple[float, float]:
    """Accuracy (%) and 95% CI half-width over ``episodes`` fixed test episodes (same ``seed``: same episodes).

    Without augmentation every test image always looks the same, so the bank is embedded once and
    episodes are drawn over the embeddings (stored as 1x1 "images", which draws the same indices).
    """
    g = torch.Generator().manual_seed(seed)
    if augment is None:
        test = ImageBank(test.classes, tuple(embed(augment_images(x, crop, None, g))[:, :, None, None]
                                             for x in test.images))
        crop, embed = 1, lambda x: x.flatten(1)
    accs = []
    for _ in range(episodes):
        ep = sample_episode(test, way, shot, n_query, g, crop, augment)
        pred = rule(embed(ep.support_x), ep.support_y, embed(ep.query_x), ep.n_way)
        accs.append(float((pred == ep.query_y).float().mean()))
    t = torch.tensor(accs, dtype=torch.float64)
    return 100 * float(t.mean()), 100 * 1.96 * float(t.std()) / math.sqrt(len(t))


def _run_dataset(name: str, train: ImageBank, test: ImageBank, in_channels: int, crop: int, train_way: int,
                 train_query: int, test_way: int, n_query: int, shots: list[int], episodes: int, test_episodes: int,
                 args: argparse.Namespace) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Train ProtoNet and MatchingNet on ``train``, score all methods on ``test``."""
    progress = ConsoleProgress(quiet=args.quiet, interval_s=5.0)
    # Glyph instances are distorted at test time too (part of the task); paintings are only
    # augmented in training (random crops and mirrors: a mirrored painting is still the painter's).
    train_aug, test_aug = (GLYPH_DISTORTION, GLYPH_DISTORTION) if name == "glyphs" else (PAINTING_AUGMENT, None)

    def sample(g: torch.Generator) -> Episode:
        k = int(torch.randint(1, 6, (1,), generator=g))
        return sample_episode(train, train_way, k, train_query, g, crop, train_aug)

    cfg = ConvEmbeddingConfig(in_channels=in_channels, hidden=args.hidden)
    models, timings = {}, {}
    for method, loss_fn in (("ProtoNet", protonet_loss), ("MatchingNet", matching_loss)):
        torch.manual_seed(args.seed)
        model = ConvEmbedding(cfg)
        start, cpu = time.monotonic(), time.process_time()
        train_cfg = EpisodicTrainConfig(episodes=episodes, lr_halve_every=max(1, episodes // 2), seed=args.seed)
        train_episodic(model, loss_fn, sample, train_cfg, progress)
        timings[f"{method} train s"] = round(time.monotonic() - start, 1)
        timings[f"{method} train cpu s"] = round(time.process_time() - cpu, 1)
        models[method] = model
    torch.manual_seed(args.seed + 1)
    methods: dict[str, tuple[Callable[[Tensor], Tensor], Rule]] = {
        "ProtoNet": (models["ProtoNet"], _proto_rule),
        "MatchingNet": (models["MatchingNet"], _match_rule),
        "Random Conv-4 + prototypes": (ConvEmbedding(cfg).eval(), _proto_rule),
        "Pixel 1-NN": (lambda x: x.flatten(1), _nn_rule),
    }
    rows = []
    with torch.no_grad():
        for k in shots:
            for method, (embed, rule) in methods.items():
                start = time.monotonic()
                acc, ci = _evaluate(embed, rule, test, test_way, k, n_query, crop, test_aug, test_episodes,
                                    seed=10_000 + args.seed + k)
                rows.append({"dataset": name, "method": method, "way": test_way, "shot": k, "accuracy": round(acc, 2),
                             "ci95": round(ci, 2), "eval_s": round(time.monotonic() - start, 2)})
    if args.save:
        save_checkpoint(f"{args.save}/fewshot_{name}_protonet", models["ProtoNet"].state_dict(),
                        {"model": "ConvEmbedding", "config": asdict(cfg), "loss": "protonet", "dataset": name,
                         "train_episodes": episodes, "train_way": train_way, "input_px": crop,
                         "trained_on": list(train.classes)[:50], "seed": args.seed})
    return rows, timings


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build the task banks, train, evaluate; returns rows, timings and a printable table."""
    torch.set_num_threads(args.threads)
    wall, cpu = time.monotonic(), time.process_time()
    preset = QUICK if args.quick else FULL
    glyph_episodes = args.glyph_episodes or preset["glyph_episodes"]
    painter_episodes = args.painter_episodes or preset["painter_episodes"]
    test_episodes = args.test_episodes or preset["test_episodes"]
    shots = [int(s) for s in args.shots.split(",")]
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    unknown = set(datasets) - {"glyphs", "painters"}
    if unknown:
        raise ValueError(f"unknown datasets {sorted(unknown)}; choose from glyphs, painters")
    rows: list[dict[str, Any]] = []
    timings: dict[str, Any] = {}
    info: dict[str, Any] = {}
    if "glyphs" in datasets:
        start = time.monotonic()
        bank = build_glyph_bank(GlyphConfig(max_classes=preset["max_classes"], seed=args.seed))
        train, test = bank.split(0.7, seed=args.seed)
        timings["glyphs render s"] = round(time.monotonic() - start, 1)
        info["glyphs"] = {"classes": len(bank), "train_classes": len(train), "test_classes": len(test),
                          "train_episodes": glyph_episodes, "train_way": min(args.train_way, len(train))}
        r, t = _run_dataset("glyphs", train, test, 1, 28, min(args.train_way, len(train)), 5, 5, 10, shots,
                            glyph_episodes, test_episodes, args)
        rows += r
        timings.update({f"glyphs {k}": v for k, v in t.items()})
    if "painters" in datasets:
        start = time.monotonic()
        pcfg = PaintingConfig(root=args.paintings, max_per_class=preset["max_per_class"], seed=args.seed)
        train = build_painting_bank(pcfg, TRAIN_PAINTERS)
        test = build_painting_bank(pcfg, TEST_PAINTERS)
        timings["painters load s"] = round(time.monotonic() - start, 1)
        info["painters"] = {"train": {c: int(x.shape[0]) for c, x in zip(train.classes, train.images)},
                            "test": {c: int(x.shape[0]) for c, x in zip(test.classes, test.images)},
                            "train_episodes": painter_episodes, "train_way": 3}
        r, t = _run_dataset("painters", train, test, 3, 64, 3, 5, 3, 10, shots, painter_episodes, test_episodes,
                            args)
        rows += r
        timings.update({f"painters {k}": v for k, v in t.items()})
    timings["total s"] = round(time.monotonic() - wall, 1)
    timings["total cpu s"] = round(time.process_time() - cpu, 1)
    result = {"benchmark": "fewshot", "quick": bool(args.quick), "test_episodes": test_episodes, "datasets": info,
              "rows": rows, "timings_s": timings, "threads": args.threads}
    result["table"] = format_table(result).splitlines()
    return result


def format_table(result: dict[str, Any]) -> str:
    """Markdown table: accuracy (%) +- 95% CI per dataset, method and shot."""
    settings = sorted({(r["dataset"], r["way"], r["shot"]) for r in result["rows"]},
                      key=lambda s: (s[0] != "glyphs", s[2]))
    head = "| method | " + " | ".join(f"{d} {w}-way {k}-shot" for d, w, k in settings) + " |"
    lines = [f"Few-shot accuracy (%), mean +- 95% CI over {result['test_episodes']} test episodes", head,
             "|---|" + "---|" * len(settings)]
    for method in dict.fromkeys(r["method"] for r in result["rows"]):
        cells = []
        for d, w, k in settings:
            row = next((r for r in result["rows"]
                        if (r["method"], r["dataset"], r["way"], r["shot"]) == (method, d, w, k)), None)
            cells.append("-" if row is None else f"{row['accuracy']:.1f} +- {row['ci95']:.1f}")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
