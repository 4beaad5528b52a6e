"""RL² vs Thompson sampling and UCB1 on simulated users with hidden tastes: cumulative regret.

The task distribution is :class:`studio.meta.bandits.UserPrefConfig` (10 works with 4-D
features per episode, 50 rounds, a population taste plus individual variation). RL² is a GRU
policy meta-trained by A2C on users drawn from it (:mod:`studio.meta.rl2`); it is then scored,
with every baseline, on the same ``--test-users`` fresh users from the same distribution and
the same like-noise (common random numbers). Reported: cumulative pseudo-regret at the horizon
(and at a few earlier rounds), mean with a 95% CI (1.96 standard errors over users), plus the
training time. Logistic Thompson sampling is given the true model, features and prior: it is a
near-Bayes-optimal reference, not a baseline RL² is expected to beat.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict
from typing import Any

import torch

from studio.meta.bandits import (UCB1, LogisticThompson, PriorGreedy, RandomPolicy, ThompsonBeta, UserPrefConfig,
                                 mean_ci, run_episodes, sample_users)
from studio.meta.checkpoint import save_checkpoint
from studio.meta.rl2 import A2CConfig, RL2Agent, RL2Config, RL2Policy, meta_train_rl2
from studio.progress import ConsoleProgress

DESCRIPTION = "RL² (GRU + A2C) vs Thompson sampling and UCB1 on simulated users: cumulative regret"

FULL = {"updates": 1500, "test_users": 500}
QUICK = {"updates": 40, "test_users": 100}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="tiny run (< 1 minute) to check that it works")
    parser.add_argument("--updates", type=int, default=None, help=f"A2C updates (default {FULL['updates']})")
    parser.add_argument("--batch", type=int, default=A2CConfig.batch, help="simulated users per update")
    parser.add_argument("--hidden", type=int, default=RL2Config.hidden, help="GRU state size")
    parser.add_argument("--lr", type=float, default=A2CConfig.lr)
    parser.add_argument("--test-users", type=int, default=None, help=f"test users (default {FULL['test_users']})")
    parser.add_argument("--arms", type=int, default=UserPrefConfig.n_arms)
    parser.add_argument("--horizon", type=int, default=UserPrefConfig.horizon)
    parser.add_argument("--no-features", action="store_true",
                        help="RL² does not see the works' features (the paper's setting); baselines unchanged")
    parser.add_argument("--save", default=None, metavar="DIR",
                        help="save the policy as DIR/rl2_users.{safetensors,json}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Meta-train RL², score it and the baselines on fresh users; returns rows and a printable table."""
    torch.set_num_threads(args.threads)
    preset = QUICK if args.quick else FULL
    users_cfg = UserPrefConfig(n_arms=args.arms, horizon=args.horizon)
    policy_cfg = RL2Config(n_arms=args.arms, dim=users_cfg.dim, hidden=args.hidden,
                           observe_features=not args.no_features)
    train_cfg = A2CConfig(updates=args.updates or preset["updates"], batch=args.batch, lr=args.lr, seed=args.seed)
    torch.manual_seed(args.seed)
    policy = RL2Policy(policy_cfg)
    start, cpu = time.monotonic(), time.process_time()
    history = meta_train_rl2(policy, users_cfg, train_cfg, ConsoleProgress(quiet=args.quiet, interval_s=10.0))
    train_s, train_cpu_s = time.monotonic() - start, time.process_time() - cpu
    policy.eval()

    test_users = args.test_users or preset["test_users"]
    users = sample_users(users_cfg, test_users, torch.Generator().manual_seed(1_000_003 + args.seed))
    horizon = users_cfg.horizon
    checkpoints = sorted({max(1, horizon // 5), horizon // 2, horizon})
    rows = []
    agents = (RL2Agent(policy, horizon, seed=args.seed), RL2Agent(policy, horizon, greedy=True),
              ThompsonBeta(seed=args.seed), UCB1(), LogisticThompson(users_cfg, seed=args.seed), PriorGreedy(users_cfg),
              RandomPolicy(seed=args.seed))
    for agent in agents:
        start = time.monotonic()
        cumulative = run_episodes(users, agent, horizon).cumsum(1)
        mean, ci = mean_ci(cumulative[:, -1])
        row = {"method": agent.name, "regret": round(mean, 3), "ci95": round(ci, 3),
               "eval_s": round(time.monotonic() - start, 2)}
        row.update({f"regret@{t}": round(float(cumulative[:, t - 1].mean()), 3) for t in checkpoints[:-1]})
        rows.append(row)
    if args.save:
        save_checkpoint(f"{args.save}/rl2_users", policy.state_dict(),
                        {"model": "RL2Policy", "config": asdict(policy_cfg), "users": asdict(users_cfg),
                         "training": asdict(train_cfg), "train_s": round(train_s, 1)})
    window = max(1, len(history) // 20)
    result = {"benchmark": "rl2", "quick": bool(args.quick), "users": asdict(users_cfg), "policy": asdict(policy_cfg),
              "training": asdict(train_cfg), "train_s": round(train_s, 1), "train_cpu_s": round(train_cpu_s, 1),
              "test_users": test_users,
              "train_regret_curve": [round(sum(history[i:i + window]) / len(history[i:i + window]), 2)
                                     for i in range(0, len(history), window)],
              "rows": rows, "threads": args.threads}
    result["table"] = format_table(result).splitlines()
    return result


def format_table(result: dict[str, Any]) -> str:
    """Markdown table of cumulative regret at the horizon (and earlier rounds)."""
    horizon = result["users"]["horizon"]
    early = [k for k in result["rows"][0] if k.startswith("regret@")]
    lines = [f"Cumulative regret over {horizon} rounds ({result['users']['n_arms']} works, "
             f"{result['test_users']} test users; "
             f"RL² trained {result['training']['updates']} updates in {result['train_s']:.0f} s wall, "
             f"{result['train_cpu_s']:.0f} s CPU), mean +- 95% CI",
             "| method | regret@" + str(horizon) + " | " + " | ".join(early) + " |",
             "|---|---|" + "---|" * len(early)]
    for r in result["rows"]:
        lines.append(f"| {r['method']} | {r['regret']:.2f} +- {r['ci95']:.2f} | "
                     + " | ".join(f"{r[k]:.2f}" for k in early) + " |")
    return "\n".join(lines)
