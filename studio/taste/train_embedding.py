"""``train-taste``: meta-train the taste embedding on simulated people, measure it, ship it.

Role: the trainer of :class:`~studio.taste.embedding.TasteEmbedding` and the measurement of
what it adds over the interpretable features alone. An *episode* is one pool of works and one
simulated person of a training family (:data:`~studio.taste.people.TRAIN_FAMILIES`): the person
judges 1-3 random galleries of 12 drafts (keeps the 3 best, rejects the 3 worst, with a little
noise); the support is the kept works (liked), the pool's samples (a weak liked prior, weight
``sample_weight``) and the rejected works; the queries are other works of the pool, labelled
liked when the person's utility is above their like threshold (the 75th percentile of the
genuine works). The loss is the Prototypical-Network loss of the taste model's own prototypes
(:func:`studio.taste.model.prototype_pair`, logit = ``a * (d_rejected - d_liked) + b`` with a
learnt scale and bias) plus half the Matching-Network loss of the attention the model explains
with (:func:`studio.meta.matching.cosine_attention`).

Pools: ``runs/taste/<domain>/*`` (``prepare-taste``); train pools are split into training and
validation pools (the best validation checkpoint is kept, and the calibration of p_like is
fitted on validation episodes); held-out pools are never trained on. The final measurement is
on held-out pools x :data:`~studio.taste.people.HELDOUT_FAMILIES`: query AUC and accuracy of
the taste model with 1, 2 and 3 galleries of feedback, for the learned embedding and for the
identity embedder on the very same episodes. The winner (by mean held-out AUC) is what ships: when it is the identity,
``models/taste-<domain>`` holds no tensors, only the training pools' standardiser and the fitted
calibration, and the learned one stays in the work folder (``--ship-anyway`` ships it regardless).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from studio.errors import StudioError
from studio.meta.matching import cosine_attention
from studio.model_registry import model_stem
from studio.progress import NULL_PROGRESS, ConsoleProgress, Progress, check_stop
from studio.taste.embedding import (Embedder, TasteEmbedding, TasteEmbeddingConfig, domain_spec, generic_spec,
                                    identity_embedder, save_embedder)
from studio.taste.features import FeatureSpec
from studio.taste.model import ATTENTION_SCALE, PRIOR, TasteModel, distance_gap, prototype_pair
from studio.taste.people import (HELDOUT_FAMILIES, LIKE_PERCENTILE, TRAIN_FAMILIES, Person, Standardiser,
                                 fit_standardiser, judge_utilities, sample_person)
from studio.taste.pools import DEFAULT_ROOT, Pool, list_pools

GALLERY = 12
KEEP = REJECT = 3
JUDGE_NOISE = 0.1  # standard deviations of a gallery's utilities: people are not perfectly consistent
QUERIES = 64  # query works per training episode
MATCHING_WEIGHT = 0.5


@dataclass(frozen=True)
class TrainConfig:
    """What ``train-taste`` does (stored in the card)."""

    steps: int = 1500
    episodes_per_step: int = 8
    lr: float = 2e-3
    weight_decay: float = 1e-4
    sample_weight: float = 0.3
    residual_penalty: float = 0.0  # times the mean square of the learned part: stay near the features
    input_noise: float = 0.0  # Gaussian noise (standardised units) on the inputs: no memorising of pools' works
    eval_every: int = 150
    val_share: float = 0.25  # of the train pools, used for checkpoint choice and calibration
    eval_people: int = 4  # people per pool and family in every evaluation
    seed: int = 0


@dataclass(frozen=True)
class Episode:
    """Row indices into one pool: kept / rejected / samples support and labelled queries."""

    kept: np.ndarray
    rejected: np.ndarray
    samples: np.ndarray
    query: np.ndarray
    liked: np.ndarray  # (len(query),) bool
    family: str = ""


def make_episode(pool: Pool, person: Person, galleries: int, rng: np.random.Generator,
                 queries: int | None = QUERIES, noise: float = JUDGE_NOISE) -> Episode | None:
    """``galleries`` random galleries of drafts judged by ``person``, and queries from the rest of
    the pool (``None``: all of it). None when the pool has too few drafts or nothing to query."""
    drafts = np.flatnonzero(~pool.genuine)
    if len(drafts) < GALLERY * galleries + 4:
        return None
    shown = rng.choice(drafts, size=GALLERY * galleries, replace=False)
    utility = person.utility(pool.interp, pool.raw)
    kept: list[int] = []
    rejected: list[int] = []
    for g in range(galleries):
        rows = shown[g * GALLERY:(g + 1) * GALLERY]
        k, r = judge_utilities(utility[rows], KEEP, REJECT, noise, rng)
        kept += [int(rows[i]) for i in k]
        rejected += [int(rows[i]) for i in r]
    samples = np.flatnonzero(pool.sample)
    rest = np.setdiff1d(np.arange(len(pool)), np.concatenate([shown, samples]))
    if queries is not None and len(rest) > queries:
        rest = rng.choice(rest, size=queries, replace=False)
    if len(rest) < 2:
        return None
    genuine = pool.genuine if pool.genuine.any() else np.ones(len(pool), bool)
    threshold = np.percentile(utility[genuine], LIKE_PERCENTILE)  # like_threshold without recomputing
    return Episode(np.array(kept), np.array(rejected), samples, rest, utility[rest] > threshold, person.family)


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve (ties count half); NaN when one class is absent."""
    labels = np.asarray(labels, bool)
    npos, nneg = int(labels.sum()), int((~labels).sum())
    if not npos or not nneg:
        return float("nan")
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    sorted_scores = np.asarray(scores)[order]
    i = 0
    while i < len(order):  # average ranks over ties
        j = i
        while j + 1 < len(order) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = 0.5 * (i + j) + 1
        i = j + 1
    return float((ranks[labels].sum() - npos * (npos + 1) / 2) / (npos * nneg))


# -- training ---------------------------------------------------------------------------------------
class _Trainer:
    def __init__(self, module: TasteEmbedding, pools: Sequence[Pool], standardiser: Standardiser,
                 config: TrainConfig) -> None:
        self.module = module
        self.pools = list(pools)
        self.config = config
        self.standardiser = standardiser
        self.z = [tuple(torch.from_numpy(a) for a in standardiser.apply(p.interp, p.raw)) for p in self.pools]
        self.centres = [zi[torch.from_numpy(p.sample)].mean(0) if p.sample.any() else None
                        for (zi, _), p in zip(self.z, self.pools)]
        self.log_scale = torch.zeros((), requires_grad=True)
        self.bias = torch.tensor(math.log(0.25 / 0.75), requires_grad=True)
        params = [*module.parameters(), self.log_scale, self.bias]
        self.optimiser = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
        self.rng = np.random.default_rng(config.seed)
        self.background = self.mean_embedding()

    def mean_embedding(self) -> torch.Tensor:
        was = self.module.training
        self.module.eval()
        with torch.no_grad():
            total = sum((self.module(zi, zr, c).sum(0) for (zi, zr), c in zip(self.z, self.centres)),
                        torch.zeros(self.module.config.dim))
        self.module.train(was)
        return total / sum(len(zi) for zi, _ in self.z)

    def episode_loss(self, emb: torch.Tensor, ep: Episode) -> torch.Tensor:
        kept, rejected, samples, query = (emb[torch.from_numpy(ix).long()] for ix in
                                          (ep.kept, ep.rejected, ep.samples, ep.query))
        like_p, rej_p = prototype_pair(kept, rejected, samples, self.background, self.config.sample_weight, PRIOR)
        labels = torch.from_numpy(ep.liked.astype(np.float32))
        logits = self.log_scale.exp() * distance_gap(query, like_p, rej_p) + self.bias
        proto = F.binary_cross_entropy_with_logits(logits, labels)
        support = torch.cat([kept, rejected, samples]) - self.background
        attention = cosine_attention(query - self.background, support, ATTENTION_SCALE)
        nk, nr = len(kept), len(rejected)
        like_mass = attention[:, :nk].sum(1) + self.config.sample_weight * attention[:, nk + nr:].sum(1)
        q = like_mass / (like_mass + attention[:, nk:nk + nr].sum(1)).clamp_min(1e-9)
        matching = F.binary_cross_entropy(q.clamp(1e-4, 1 - 1e-4), labels)
        return proto + MATCHING_WEIGHT * matching

    def step(self) -> float:
        self.module.train()
        k = int(self.rng.integers(len(self.pools)))
        pool = self.pools[k]
        zi, zr = self.z[k]
        if self.config.input_noise:
            zi = zi + self.config.input_noise * torch.randn_like(zi)
            zr = zr + self.config.input_noise * torch.randn_like(zr)
        skip, learned = self.module.parts(zi, zr, self.centres[k])
        emb = skip + learned
        losses = []
        for _ in range(self.config.episodes_per_step):
            person = sample_person(str(self.rng.choice(TRAIN_FAMILIES)), pool, self.standardiser, self.rng)
            ep = make_episode(pool, person, int(self.rng.integers(1, 4)), self.rng)
            if ep is not None:
                losses.append(self.episode_loss(emb, ep))
        if not losses:
            return float("nan")
        loss = torch.stack(losses).mean()
        if self.config.residual_penalty:
            loss = loss + self.config.residual_penalty * (learned ** 2).sum(1).mean()
        self.optimiser.zero_grad()
        loss.backward()
        self.optimiser.step()
        return float(loss.detach())


# -- evaluation ---------------------------------------------------------------------------------------
def episodes_for(pools: Sequence[Pool], families: Sequence[str], standardiser: Standardiser, people: int,
                 galleries: Sequence[int] = (1, 2, 3), seed: int = 0) -> list[tuple[Pool, int, Episode]]:
    """Fixed evaluation episodes (the same for every embedder compared): per pool, family and
    person, one episode per number of galleries (the first k galleries of the same person)."""
    out: list[tuple[Pool, int, Episode]] = []
    for p_i, pool in enumerate(pools):
        for f_i, family in enumerate(families):
            for person_i in range(people):
                rng = np.random.default_rng([seed, p_i, f_i, person_i])
                person = sample_person(family, pool, standardiser, rng)
                state = rng.bit_generator.state
                for k in galleries:
                    rng.bit_generator.state = state  # gallery k extends galleries 1..k-1 of the same person
                    ep = make_episode(pool, person, k, rng, queries=None)
                    if ep is not None:
                        out.append((pool, k, ep))
    return out


def _fit(embedder: Embedder, pool: Pool, ep: Episode, sample_weight: float) -> TasteModel:
    def rows(ix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return pool.interp[ix], pool.raw[ix]
    return TasteModel.fit(embedder, rows(ep.kept), rows(ep.rejected), rows(ep.samples), sample_weight)


def evaluate(embedder: Embedder, episodes: Sequence[tuple[Pool, int, Episode]],
             sample_weight: float = 0.3, by_family: bool = False) -> dict[Any, dict[str, float]]:
    """Per number of galleries (or per (family, galleries) with ``by_family``): mean and standard
    error of query AUC and of the accuracy of ``p_like > 0.5``, over the episodes (NaN AUCs,
    one-class queries, are left out)."""
    per: dict[Any, dict[str, list[float]]] = {}
    for pool, k, ep in episodes:
        s = _fit(embedder, pool, ep, sample_weight).score(pool.interp[ep.query], pool.raw[ep.query])
        slot = per.setdefault((ep.family, k) if by_family else k, {"auc": [], "accuracy": [], "base": []})
        a = auc(s.score, ep.liked)
        if math.isfinite(a):
            slot["auc"].append(a)
        slot["accuracy"].append(float(((s.p_like > 0.5) == ep.liked).mean()))
        slot["base"].append(float((~ep.liked).mean()))
    out: dict[Any, dict[str, float]] = {}
    for k, slot in sorted(per.items()):
        row: dict[str, float] = {"episodes": float(len(slot["accuracy"]))}
        for name, values in slot.items():
            v = np.asarray(values)
            row[name] = float(v.mean()) if len(v) else float("nan")
            row[name + "_se"] = float(v.std(ddof=1) / math.sqrt(len(v))) if len(v) > 1 else float("nan")
        out[k] = row
    return out


def paired_difference(a: Embedder, b: Embedder, episodes: Sequence[tuple[Pool, int, Episode]],
                      sample_weight: float = 0.3) -> dict[str, dict[str, float | None]]:
    """Per number of galleries: mean and standard error over episodes of ``a``'s query AUC minus
    ``b``'s on the same episode (the paired comparison; much tighter than two separate means)."""
    diffs: dict[int, list[float]] = {}
    for pool, k, ep in episodes:
        aucs = [auc(_fit(e, pool, ep, sample_weight).score(pool.interp[ep.query], pool.raw[ep.query]).score, ep.liked)
                for e in (a, b)]
        if all(math.isfinite(v) for v in aucs):
            diffs.setdefault(k, []).append(aucs[0] - aucs[1])
    out: dict[str, dict[str, float | None]] = {}
    for k, values in sorted(diffs.items()):
        v = np.asarray(values)
        se = float(v.std(ddof=1) / math.sqrt(len(v))) if len(v) > 1 else float("nan")
        out[f"{k}_galleries"] = {"auc_gain": _finite(float(v.mean())), "se": _finite(se), "episodes": len(v)}
    return out


def calibrate(embedder: Embedder, episodes: Sequence[tuple[Pool, int, Episode]],
              sample_weight: float = 0.3) -> tuple[float, float]:
    """Platt scaling: ``(a, b)`` so that ``sigmoid(a * gap + b)`` fits the queries' labels, where
    gap is the distance gap of the taste model (its score at calibration (1, 0))."""
    saved = embedder.calibration
    embedder.calibration = (1.0, 0.0)
    gaps, labels = [], []
    try:
        for pool, _, ep in episodes:
            gaps.append(_fit(embedder, pool, ep, sample_weight).score(pool.interp[ep.query], pool.raw[ep.query]).score)
            labels.append(ep.liked)
    finally:
        embedder.calibration = saved
    if not gaps:
        return saved
    x = torch.from_numpy(np.concatenate(gaps)).double()
    y = torch.from_numpy(np.concatenate(labels).astype(np.float64))
    scale = float(x.std().clamp_min(1e-6))
    ab = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.LBFGS([ab], lr=0.5, max_iter=200)

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        loss = F.binary_cross_entropy_with_logits(ab[0] * x / scale + ab[1], y)
        loss.backward()
        return loss
    optimiser.step(closure)
    a, b = float(ab[0].detach()) / scale, float(ab[1].detach())
    return (a, b) if math.isfinite(a) and math.isfinite(b) else saved


def mean_auc(result: dict[int, dict[str, float]]) -> float:
    values = [row["auc"] for row in result.values() if math.isfinite(row["auc"])]
    return float(np.mean(values)) if values else float("nan")


# -- the command ------------------------------------------------------------------------------------
def collection_group(collection: str) -> str:
    """The collection a pool was drawn from: ``painting:monet#2`` -> ``painting:monet`` (several
    pools of one painter share works, so validation holds out whole groups)."""
    return collection.split("#", 1)[0]


def split_pools(pools: Sequence[Pool], val_share: float, seed: int) -> tuple[list[Pool], list[Pool], list[Pool]]:
    """(training, validation, held-out) pools: the held-out split as stored; validation whole
    collection groups of the train pools, about ``val_share`` of them (none when there is only one group)."""
    train = [p for p in pools if p.split == "train"]
    heldout = [p for p in pools if p.split != "train"]
    groups = sorted({collection_group(p.collection) for p in train})
    rng = np.random.default_rng(seed)
    val_groups: set[str] = set()
    if len(groups) > 1:
        for g in (groups[i] for i in rng.permutation(len(groups))):
            if len(val_groups) >= len(groups) - 1 or \
                    sum(collection_group(p.collection) in val_groups for p in train) >= val_share * len(train):
                break
            val_groups.add(g)
    val = [p for p in train if collection_group(p.collection) in val_groups]
    fit = [p for p in train if collection_group(p.collection) not in val_groups]
    return fit, val, heldout


def check_pools(pools: Sequence[Pool], spec: FeatureSpec) -> None:
    for p in pools:
        if p.interp.shape[1:] != (spec.size,) or p.raw.shape[1:] != (spec.raw_size,):
            raise StudioError(f"descriptors of shape {p.interp.shape[1:]} + {p.raw.shape[1:]}, but the {spec.domain} "
                              f"features are {spec.size} + {spec.raw_size}: rebuild the pools with prepare-taste",
                              str(p.folder or p.collection))


def train_embedding(domain: str, pools: Sequence[Pool], spec: FeatureSpec, config: TrainConfig,
                    model_config: TasteEmbeddingConfig, progress: Progress = NULL_PROGRESS,
                    work_dir: Path | None = None) -> tuple[Embedder, dict[str, Any]]:
    """Meta-train an embedder on ``pools`` (their ``split`` decides their use); returns it (the best
    validation checkpoint, calibrated) and the metrics for its card."""
    torch.manual_seed(config.seed)
    fit_pools, val_pools, heldout = split_pools(pools, config.val_share, config.seed)
    if not fit_pools:
        raise StudioError(f"no train pools for {domain}: run `python main.py prepare-taste --domain {domain}`")
    standardiser = fit_standardiser([*fit_pools, *val_pools])
    module = TasteEmbedding(model_config)
    trainer = _Trainer(module, fit_pools, standardiser, config)
    val_eps = episodes_for(val_pools or fit_pools, TRAIN_FAMILIES, standardiser, max(2, config.eval_people // 2),
                           seed=config.seed + 1)
    identity = identity_embedder(domain, standardiser, spec)
    identity_val = mean_auc(evaluate(identity, val_eps, config.sample_weight))
    best = (-1.0, 0, {k: v.clone() for k, v in module.state_dict().items()}, trainer.background.clone())
    history: list[dict[str, float | None]] = []
    losses: list[float] = []
    started = time.perf_counter()
    for step in range(1, config.steps + 1):
        check_stop(progress)
        losses.append(trainer.step())
        if step % 100 == 0:
            trainer.background = trainer.mean_embedding()
        if step % config.eval_every == 0 or step == config.steps:
            module.eval()
            background = trainer.mean_embedding()
            candidate = Embedder(domain, spec, standardiser, module, (1.0, 0.0), background.numpy(), "candidate")
            val = mean_auc(evaluate(candidate, val_eps, config.sample_weight))
            loss = float(np.nanmean(losses[-config.eval_every:]))
            history.append({"step": step, "loss": _finite(loss), "val_auc": _finite(val),
                            "seconds": round(time.perf_counter() - started, 1)})
            progress.report_progress(step / config.steps, f"step {step}: loss {loss:.4f}, validation AUC {val:.4f} "
                                                          f"(identity {identity_val:.4f})")
            if val > best[0]:
                best = (val, step, {k: v.clone() for k, v in module.state_dict().items()}, background.clone())
                if work_dir is not None:
                    save_embedder(candidate, work_dir / "best", {"step": step, "val_auc": val})
            module.train()
    module.load_state_dict(best[2])
    module.eval()
    learned = Embedder(domain, spec, standardiser, module, (1.0, 0.0), best[3].numpy(), f"taste-{domain}")
    learned.calibration = calibrate(learned, val_eps, config.sample_weight)
    identity.calibration = calibrate(identity, val_eps, config.sample_weight)
    metrics: dict[str, Any] = {"best_step": best[1], "val_auc": _finite(best[0]), "identity_val_auc": _finite(identity_val),
                               "history": history, "identity_calibration": list(identity.calibration),
                               "pools": {"train": [p.collection for p in fit_pools],
                                         "validation": [p.collection for p in val_pools],
                                         "heldout": [p.collection for p in heldout]}}
    if heldout:
        for label, families in (("heldout_families", HELDOUT_FAMILIES), ("train_families", TRAIN_FAMILIES)):
            eps = episodes_for(heldout, families, standardiser, config.eval_people, seed=config.seed + 2)
            metrics[label] = {"learned": _keyed(evaluate(learned, eps, config.sample_weight)),
                              "identity": _keyed(evaluate(identity, eps, config.sample_weight))}
            metrics[label]["paired_gain"] = paired_difference(learned, identity, eps, config.sample_weight)
            for name, e in (("learned", learned), ("identity", identity)):
                metrics[label][f"{name}_by_family"] = {
                    f"{fam}/{k}_galleries": round(row["auc"], 4) if math.isfinite(row["auc"]) else None
                    for (fam, k), row in evaluate(e, eps, config.sample_weight, by_family=True).items()}
    return learned, metrics


def _finite(value: float) -> float | None:
    return round(float(value), 5) if math.isfinite(value) else None


def _keyed(result: dict[int, dict[str, float]]) -> dict[str, dict[str, float | None]]:
    """JSON-ready rows (NaN as None: cards are strict JSON)."""
    return {f"{k}_galleries": {n: round(v, 4) if math.isfinite(v) else None for n, v in row.items()}
            for k, row in result.items()}


def _f(value: float | None, digits: int = 3) -> str:
    return "  n/a" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def format_metrics(metrics: dict[str, Any]) -> str:
    """The held-out comparison as a plain table."""
    lines = [f"best validation step {metrics['best_step']}: AUC {_f(metrics['val_auc'], 4)} "
             f"(identity {_f(metrics['identity_val_auc'], 4)})"]
    for label in ("heldout_families", "train_families"):
        if label not in metrics:
            continue
        lines.append(f"held-out pools x {label.replace('_', ' ')}:")
        lines.append(f"  {'galleries':>9} {'AUC learned':>14} {'AUC identity':>14} {'acc learned':>14} "
                     f"{'acc identity':>14} {'always-no':>9} {'n':>5}")
        by_family = metrics[label].get("learned_by_family", {})
        gains = metrics[label].get("paired_gain", {})
        for key, row in metrics[label]["learned"].items():
            ident = metrics[label]["identity"][key]
            lines.append(f"  {key.split('_')[0]:>9} {_f(row['auc'])} +- {_f(row['auc_se'])} "
                         f"{_f(ident['auc'])} +- {_f(ident['auc_se'])} {_f(row['accuracy'])} +- "
                         f"{_f(row['accuracy_se'])} {_f(ident['accuracy'])} +- {_f(ident['accuracy_se'])} "
                         f"{_f(row['base']):>9} {int(row['episodes'] or 0):>5}")
        if gains:
            lines.append("  learned minus identity, paired over the same episodes: " + ", ".join(
                f"{key.split('_')[0]} galleries {_f(g['auc_gain'])} +- {_f(g['se'])}" for key, g in gains.items()))
        if by_family:
            lines.append("  AUC by family (learned / identity): " + ", ".join(
                f"{key} {_f(value)}/{_f(metrics[label]['identity_by_family'].get(key))}"
                for key, value in by_family.items() if key.endswith("3_galleries")))
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``train-taste``."""
    d = TrainConfig()
    parser.add_argument("--domain", required=True, choices=("melody", "painting"))
    parser.add_argument("--pools", default=str(DEFAULT_ROOT), help=f"pool root (default: {DEFAULT_ROOT})")
    parser.add_argument("--steps", type=int, default=d.steps, help=f"training steps (default: {d.steps})")
    parser.add_argument("--episodes-per-step", type=int, default=d.episodes_per_step)
    parser.add_argument("--lr", type=float, default=d.lr)
    parser.add_argument("--dim", type=int, default=TasteEmbeddingConfig(1, 0).dim, help="embedding size")
    parser.add_argument("--hidden", type=int, default=TasteEmbeddingConfig(1, 0).hidden)
    parser.add_argument("--relative", action="store_true",
                        help="also feed each work's features relative to the samples' mean")
    parser.add_argument("--eval-every", type=int, default=d.eval_every)
    parser.add_argument("--eval-people", type=int, default=d.eval_people,
                        help="simulated people per pool and family in each evaluation")
    parser.add_argument("--seed", type=int, default=d.seed)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default: 1)")
    parser.add_argument("--out", default=None, help="model name or path stem (default: models/taste-<domain>)")
    parser.add_argument("--work-dir", default=None, help="checkpoints and metrics (default: runs/taste/train-<domain>)")
    parser.add_argument("--ship-anyway", action="store_true",
                        help="write --out even when the interpretable features alone score better")


def run(args: argparse.Namespace) -> int:
    """Run ``train-taste``. Returns 0."""
    torch.set_num_threads(max(1, int(args.threads)))
    if args.steps < 1 or args.episodes_per_step < 1 or args.eval_every < 1 or args.eval_people < 1:
        raise StudioError("--steps, --episodes-per-step, --eval-every and --eval-people must be at least 1")
    pools = list_pools(args.pools, args.domain)
    if not pools:
        raise StudioError(f"no {args.domain} pools here: run `python main.py prepare-taste --domain {args.domain}` "
                          f"first", args.pools)
    try:
        spec = domain_spec(args.domain)
    except StudioError:
        spec = generic_spec(args.domain, pools[0].interp.shape[1], pools[0].raw.shape[1])
    check_pools(pools, spec)
    config = TrainConfig(steps=args.steps, episodes_per_step=args.episodes_per_step, lr=args.lr,
                         eval_every=args.eval_every, eval_people=args.eval_people, seed=args.seed)
    model_config = TasteEmbeddingConfig(spec.size, spec.raw_size, hidden=args.hidden, dim=args.dim,
                                        relative=bool(getattr(args, "relative", False)))
    work_dir = Path(args.work_dir or Path(args.pools) / f"train-{args.domain}")
    work_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    embedder, metrics = train_embedding(args.domain, pools, spec, config, model_config, ConsoleProgress(), work_dir)
    metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    (work_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, allow_nan=True) + "\n", encoding="utf-8")
    print(format_metrics(metrics))
    learned = [r["auc"] for r in metrics.get("heldout_families", {}).get("learned", {}).values()]
    ident = [r["auc"] for r in metrics.get("heldout_families", {}).get("identity", {}).values()]
    wins = bool(learned) and float(np.nanmean(learned)) > float(np.nanmean(ident))
    card = {"description": f"Taste embedding for {args.domain}s, meta-trained (Prototypical + Matching Networks) "
                           f"on simulated people over runs/taste pools",
            "data": {"pools": args.pools, **metrics["pools"]},
            "command": (f"python main.py train-taste --domain {args.domain} --pools {args.pools} --steps {args.steps} "
                        f"--episodes-per-step {args.episodes_per_step} --lr {args.lr} --dim {args.dim} "
                        f"--hidden {args.hidden} --eval-every {args.eval_every} --eval-people {args.eval_people} "
                        f"--seed {args.seed} --threads {args.threads}" + (" --relative" if args.relative else "")),
            "steps": metrics["best_step"], "train": asdict(config),
            "metrics": {k: v for k, v in metrics.items() if k not in ("pools", "history")},
            "history": metrics["history"]}
    stem = model_stem(args.out or f"taste-{args.domain}")
    if wins or args.ship_anyway or not learned:
        save_embedder(embedder, stem, {**card, "chosen": "learned"})
        print(f"wrote {stem}.safetensors and {stem}.json (the learned embedding)")
        return 0
    save_embedder(embedder, work_dir / "final", card)
    identity = identity_embedder(args.domain, embedder.standardiser, spec,
                                 calibration=tuple(metrics["identity_calibration"]))  # type: ignore[arg-type]
    save_embedder(identity, stem, {**card, "chosen": "identity",
                                   "why": "the learned embedding did not beat the interpretable features alone on "
                                          "held-out pools and taste families (metrics); the learned one is in "
                                          f"{work_dir / 'final'}"})
    print(f"the interpretable features alone score as well on held-out tastes: wrote {stem} as the identity "
          f"embedding (with the training pools' standardiser and calibration); the learned one is in "
          f"{work_dir / 'final'} (--ship-anyway ships it)")
    return 0
