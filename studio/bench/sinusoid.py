"""Sinusoid regression benchmark (Finn et al. 2017; Li et al. 2017, Table 1).

For each K in ``--shots`` a separate model is trained per method, as Li et al. did: MAML, FOMAML,
ANIL (inner lr 0.01, one inner step, meta-batch 25 tasks of K support + K query points, Adam
outer lr 0.001), Meta-SGD (learned per-parameter inner lrs, initialised at 0.01), Reptile
(``--reptile-steps`` SGD steps on each task's 2K points, Adam on the Reptile direction), and a
baseline pretrained on all tasks jointly (plain regression, same iterations). "scratch" is the
untrained network. Every model is then scored on the same fixed test tasks: one inner step
(``--eval-steps``) of SGD at lr 0.01 (Meta-SGD: its learned lrs) on K support points, MSE on 100
query points, mean with a 95% confidence interval (1.96 standard errors over tasks).
Meta-batches run through ``torch.func.vmap`` so an iteration costs a few milliseconds on a CPU.

The network-based method ``hypernet`` (:mod:`studio.meta.hypernet`: a DeepSets encoder of the
support set predicts FiLM modulations of a 1-40-40-1 target MLP) is trained per K jointly with its
target on the same task stream (same meta-batches, iterations and Adam lr), then scored on the same
test tasks in several rows, one per ``--hypernet-steps`` entry (default 0, 1, 5): the modulations
from the support set alone, then after that many SGD steps at ``--inner-lr`` on the FiLM tensors.
The rows share one model per K, so their ``train_seconds`` are the same training counted once each.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from typing import Any

import torch
from torch import Tensor
from torch.func import functional_call

from studio.meta import functional as F
from studio.meta.algorithms import AlgorithmConfig
from studio.meta.episodes import Task, fixed_tasks, meta_batch
from studio.meta.hypernet import FiLMMLP, HyperNetwork, HyperTrainConfig, meta_train, modulated_params, refine
from studio.meta.inner import InnerConfig, inner_loop_vmappable
from studio.meta.sinusoid import SineMLP, SinusoidConfig, SinusoidSampler
from studio.meta.trainer import MetaTrainer, TrainerConfig

DESCRIPTION = ("Sinusoid regression (Finn et al. 2017): MAML, FOMAML, Reptile, ANIL, Meta-SGD, "
               "FiLM hypernetwork vs baselines")

METHODS = ("maml", "fomaml", "reptile", "anil", "metasgd", "hypernet", "pretrained", "scratch")
# Li et al. 2017 (Meta-SGD), Table 1: mean MSE +- 95% CI after one step, for 5/10/20 shots.
PUBLISHED = {
    "maml": {"5": [1.13, 0.18], "10": [0.85, 0.14], "20": [0.71, 0.12]},
    "metasgd": {"5": [0.90, 0.16], "10": [0.53, 0.09], "20": [0.31, 0.05]},
}
FULL_ITERATIONS = 10_000
QUICK = {"iterations": 100, "tasks": 100}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="tiny run (< 1 minute) to check that it works")
    parser.add_argument("--iterations", type=int, default=None,
                        help=f"outer steps per model (default {FULL_ITERATIONS})")
    parser.add_argument("--shots", default="5,10,20", help="comma-separated K values (one model each)")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated subset of " + ",".join(METHODS))
    parser.add_argument("--tasks", type=int, default=600, help="fixed test tasks")
    parser.add_argument("--query", type=int, default=100, help="query points per test task")
    parser.add_argument("--meta-batch", type=int, default=25)
    parser.add_argument("--inner-lr", type=float, default=0.01)
    parser.add_argument("--outer-lr", type=float, default=0.001)
    parser.add_argument("--eval-steps", type=int, default=1, help="inner steps at test time")
    parser.add_argument("--reptile-steps", type=int, default=5, help="Reptile's inner steps during meta-training")
    parser.add_argument("--hypernet-steps", default="0,1,5",
                        help="comma-separated SGD steps on the FiLM tensors at test time, one hypernet row each")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")


def _train(method: str, k: int, args: argparse.Namespace, iterations: int) -> tuple[SineMLP, dict, dict | None]:
    """Train one model; returns (model, params, meta_lrs)."""
    torch.manual_seed(args.seed)
    model = SineMLP()
    sampler = SinusoidSampler(SinusoidConfig(k_support=k, k_query=k))
    if method == "scratch":
        return model, F.params_of(model, requires_grad=False), None
    if method == "pretrained":
        params = F.params_of(model)
        optimizer = torch.optim.Adam(params.values(), lr=args.outer_lr)
        for step in range(iterations):
            batch = meta_batch(sampler, args.meta_batch, args.seed, step).stacked()
            x, y = batch.all_x.reshape(-1, 1), batch.all_y.reshape(-1, 1)
            loss = F.loss_at(model, params, None, x, y, F.mse_loss)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return model, F.detach(params), None
    steps, lrs = (args.reptile_steps, (args.inner_lr,)) if method == "reptile" else (1, (args.inner_lr,))
    config = TrainerConfig(algorithm=AlgorithmConfig(method, InnerConfig(steps=steps, lrs=lrs), head=("head",)),
                           iterations=iterations, meta_batch_size=args.meta_batch, outer_lr=args.outer_lr,
                           metasgd_init_lr=args.inner_lr, seed=args.seed, vectorize=True)
    trainer = MetaTrainer(model, sampler, F.mse_loss, config)
    trainer.train()
    lrs_out = F.detach(trainer.meta_lrs) if trainer.meta_lrs is not None else None
    return model, F.detach(trainer.params), lrs_out


def _test_tasks(k: int, args: argparse.Namespace) -> Task:
    """The fixed test tasks for K shots, stacked: every method is scored on exactly these."""
    sampler = SinusoidSampler(SinusoidConfig(k_support=k, k_query=args.query))
    return fixed_tasks(sampler, args.tasks, seed=1000 + args.seed + k).stacked()


def _mean_ci(losses: Tensor) -> tuple[float, float]:
    """Mean of per-task losses and its 95% confidence half-width (1.96 standard errors)."""
    losses = losses.detach()
    return float(losses.mean()), 1.96 * float(losses.std()) / math.sqrt(len(losses))


def evaluate(model: SineMLP, params: dict, meta_lrs: dict | None, k: int, args: argparse.Namespace,
             method: str) -> tuple[float, float]:
    """Mean query MSE after ``args.eval_steps`` inner steps over the fixed test tasks, and its 95% CI."""
    tasks = _test_tasks(k, args)
    only = ("head",) if method == "anil" else ()
    inner = InnerConfig(steps=args.eval_steps, lrs=(args.inner_lr,), only=only)

    def per_task(sx, sy, qx, qy):
        phi, _ = inner_loop_vmappable(model, params, None, sx, sy, F.mse_loss, inner,
                                      track_params=False, meta_lrs=meta_lrs)
        return F.loss_at(model, phi, None, qx, qy, F.mse_loss)

    return _mean_ci(torch.func.vmap(per_task)(tasks.support_x, tasks.support_y, tasks.query_x, tasks.query_y))


def hypernet_row_name(steps: int) -> str:
    """The table name of the hypernetwork row refined by ``steps`` SGD steps."""
    return "hypernet (no gradient step)" if steps == 0 else f"hypernet + {steps} step{'s' if steps > 1 else ''}"


def _train_hypernet(k: int, args: argparse.Namespace, iterations: int) -> tuple[FiLMMLP, HyperNetwork]:
    """Meta-train a FiLM target and its hypernetwork on the task stream the other methods see."""
    torch.manual_seed(args.seed)
    target, hypernet = FiLMMLP(), HyperNetwork()
    sampler = SinusoidSampler(SinusoidConfig(k_support=k, k_query=k))
    step = itertools.count()

    def sample_tasks(_generator: torch.Generator, size: int) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        # meta_batch(seed, step) rather than meta_train's generator: the same tasks as MAML & co.
        batch = meta_batch(sampler, size, args.seed, next(step)).stacked()
        return batch.support_x, batch.support_y, batch.query_x, batch.query_y

    meta_train(target, hypernet, sample_tasks,
               HyperTrainConfig(steps=iterations, meta_batch=args.meta_batch, lr=args.outer_lr, seed=args.seed))
    return target, hypernet


def evaluate_hypernet(target: FiLMMLP, hypernet: HyperNetwork, k: int, args: argparse.Namespace,
                      refine_steps: list[int]) -> dict[int, tuple[float, float]]:
    """Mean query MSE and 95% CI on the fixed test tasks after each number of FiLM refinement steps.

    0 steps is the hypernetwork's forward pass alone; ``n`` steps are plain SGD at ``args.inner_lr``
    on the FiLM tensors (:func:`studio.meta.hypernet.refine`, each task on its own support MSE).
    """
    tasks = _test_tasks(k, args)
    sx, sy, qx, qy = tasks.support_x, tasks.support_y, tasks.query_x, tasks.query_y
    with torch.no_grad():
        params = modulated_params(hypernet, target, sx, sy)
    scores: dict[int, tuple[float, float]] = {}
    done = 0
    for steps in sorted(set(refine_steps)):
        if steps > done:  # SGD steps compose, so refine incrementally from the previous count
            params = refine(target, params, sx, sy, steps=steps - done, lr=args.inner_lr)
            done = steps
        with torch.no_grad():
            scores[steps] = _mean_ci(((functional_call(target, params, (qx,)) - qy) ** 2).mean((-2, -1)))
    return scores


def _parse_steps(text: str) -> list[int]:
    """``--hypernet-steps`` as distinct step counts, in the order given; raises ValueError if malformed."""
    try:
        steps = list(dict.fromkeys(int(s) for s in str(text).split(",") if s.strip()))
    except ValueError:
        steps = []
    if not steps or min(steps) < 0:
        raise ValueError(f"--hypernet-steps must be a comma list of step counts >= 0, not {text!r}")
    return steps


def _hypernet_rows(shots: list[int], args: argparse.Namespace, iterations: int,
                   refine_steps: list[int]) -> list[dict[str, Any]]:
    """One row per refinement step count; one hypernetwork trained per K, shared by the rows."""
    rows = {n: {"method": hypernet_row_name(n), "refine_steps": n, "shots": {}, "train_seconds": {},
                "iterations_per_s": {}} for n in refine_steps}
    for k in shots:
        t0 = time.perf_counter()
        target, hypernet = _train_hypernet(k, args, iterations)
        seconds = time.perf_counter() - t0
        scores = evaluate_hypernet(target, hypernet, k, args, refine_steps)
        for n, row in rows.items():
            mse, ci = scores[n]
            row["shots"][str(k)] = {"mse": mse, "ci95": ci}
            row["train_seconds"][str(k)] = round(seconds, 2)
            row["iterations_per_s"][str(k)] = round(iterations / max(seconds, 1e-9), 1)
            if not args.quick:
                print(f"[sinusoid] {row['method']} K={k}: MSE {mse:.3f} +- {ci:.3f}, trained {seconds:.0f} s",
                      file=sys.stderr, flush=True)
    return list(rows.values())


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Train and score every method for every K; returns the rows, published numbers and timings."""
    if args.quick:
        args.iterations = args.iterations or QUICK["iterations"]
        args.tasks = min(args.tasks, QUICK["tasks"])
    iterations = args.iterations or FULL_ITERATIONS
    shots = [int(s) for s in str(args.shots).split(",")]
    methods = [m for m in str(args.methods).split(",") if m]
    unknown = sorted(set(methods) - set(METHODS))
    if unknown:
        raise ValueError(f"unknown methods {unknown}; choose from {', '.join(METHODS)}")
    refine_steps = _parse_steps(args.hypernet_steps)
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    rows = []
    try:
        for method in methods:
            if method == "hypernet":
                rows += _hypernet_rows(shots, args, iterations, refine_steps)
                continue
            row: dict[str, Any] = {"method": method, "shots": {}, "train_seconds": {}, "iterations_per_s": {}}
            for k in shots:
                t0 = time.perf_counter()
                model, params, meta_lrs = _train(method, k, args, iterations)
                seconds = time.perf_counter() - t0
                mse, ci = evaluate(model, params, meta_lrs, k, args, method)
                row["shots"][str(k)] = {"mse": mse, "ci95": ci}
                if not args.quick:  # a full run takes an hour: show it is alive
                    print(f"[sinusoid] {method} K={k}: MSE {mse:.3f} +- {ci:.3f}, trained {seconds:.0f} s",
                          file=sys.stderr, flush=True)
                row["train_seconds"][str(k)] = round(seconds, 2)
                if method != "scratch":
                    row["iterations_per_s"][str(k)] = round(iterations / max(seconds, 1e-9), 1)
            rows.append(row)
    finally:
        torch.set_num_threads(previous_threads)
    result = {"benchmark": "sinusoid", "iterations": iterations, "shots": shots, "test_tasks": args.tasks,
              "query_points": args.query, "meta_batch": args.meta_batch, "inner_lr": args.inner_lr,
              "eval_steps": args.eval_steps, "reptile_steps": args.reptile_steps, "threads": args.threads,
              "hypernet_steps": str(args.hypernet_steps),
              "one_model_per_k": True, "rows": rows, "published": PUBLISHED,
              "published_source": "Li et al. 2017, Meta-SGD, Table 1 (Finn et al. trained 70,000 iterations)",
              "seconds": round(time.perf_counter() - started, 1)}
    result["table"] = format_table(result).splitlines()
    return result


def format_table(result: dict[str, Any]) -> str:
    """A plain-text table of the result: MSE +- 95% CI per K, published numbers beside them."""
    shots = [str(k) for k in result["shots"]]
    width = max([11] + [len(row["method"]) + 1 for row in result["rows"]])
    head = (f"{'method':<{width}}" + "".join(f"{'K=' + k:>15}" for k in shots)
            + f"  {'published (Li et al.)':<32}{'train s':>8}")
    lines = [f"sinusoid, {result['iterations']} iterations per model, {result['test_tasks']} test tasks, "
             f"MSE after {result['eval_steps']} step(s) (hypernet rows: as named), mean +- 95% CI", head]
    for row in result["rows"]:
        cells = "".join(f"{row['shots'][k]['mse']:>8.3f} +-{row['shots'][k]['ci95']:.2f}".rjust(15) for k in shots)
        pub = result["published"].get(row["method"], {})
        published = " / ".join(f"{pub[k][0]:.2f}+-{pub[k][1]:.2f}" for k in shots if k in pub) or "-"
        lines.append(f"{row['method']:<{width}}{cells}  {published:<32}{sum(row['train_seconds'].values()):>8.0f}")
    return "\n".join(lines)
