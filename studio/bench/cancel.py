"""How fast Cancel stops an adaptation, per domain (issue 17: within 200 ms).

For each domain the shipped generator adapts to the demo samples (``assets/demo``) as the
window's Adapt with a time budget does (a budget far longer than the run, so only the stop ends
it; paintings stream a preview every ``--preview-every`` seconds, as the window asks), in a
worker thread (paintings with ``--threads`` torch threads, melodies with their generator's one).
The main thread asks it to stop after a random delay (uniform in 0..``--max-delay`` seconds,
seeded), the way the Cancel button sets the task's flag, and the latency is the time from
setting the flag to ``adapt`` returning. Reported per domain over ``--stops`` stops: median and
maximum latency against the 200 ms goal, how many stops landed before the first step (during
set-up or the start's checks), and, as the same run's reference for what a stop read only
between steps and checks would wait, the median duration of one step (between two streamed
losses).

With ``--budgets S ...`` the painting adaptation also runs, uncancelled, under each time budget
on the first demo painting alone (no held-back sample: the copy guard judges every checkpoint)
and on all of them, and the wall-clock seconds of ``adapt`` are reported against the budget
(issue 17: ``--budget 5`` on one painting ran 10.6 s of adaptation).
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import StudioError

DESCRIPTION = "Stop latency of a cancelled adaptation (median and max over random stop times) vs 200 ms"
GOAL_MS = 200.0
ROOT = Path(__file__).resolve().parents[2]
DEMO = {"painting": ROOT / "assets" / "demo" / "paintings", "melody": ROOT / "assets" / "demo" / "melodies"}
MAX_DELAY = {"painting": 12.0, "melody": 1.5}  # seconds: past the painting's checks at steps 0, 10 and 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--domains", nargs="+", choices=("painting", "melody"), default=["painting", "melody"])
    parser.add_argument("--stops", type=int, default=10, help="stops per domain (default 10)")
    parser.add_argument("--max-delay", type=float, default=None, metavar="SECONDS",
                        help="latest stop after the start (default 12 s for paintings, 1.5 s for melodies)")
    parser.add_argument("--preview-every", type=float, default=2.0, metavar="SECONDS",
                        help="painting previews, as the window streams them (default 2 s; 0: none)")
    parser.add_argument("--threads", type=int, default=2,
                        help="torch threads of the painting worker (default 2; melodies use their generator's 1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the stop times")
    parser.add_argument("--budgets", type=float, nargs="*", default=[], metavar="SECONDS",
                        help="also time painting adaptations under these budgets (e.g. 2 5 10)")


class _Flag:
    """A Progress whose stop flag the main thread sets, like the task runner's Cancel."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.losses_at: list[float] = []  # when each step's loss arrived

    def report_progress(self, fraction: float, message: str = "") -> None:
        pass

    def report_partial(self, result: Any) -> None:
        if isinstance(result, float):
            self.losses_at.append(time.perf_counter())

    def should_stop(self) -> bool:
        return self.stop.is_set()


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.stops < 1:
        raise StudioError(f"--stops must be at least 1, got {args.stops}")
    rng = np.random.default_rng(args.seed)
    load = os.getloadavg()[0]  # the machine's 1-minute load at the start (other work skews latencies)
    domains = {}
    for name in args.domains:
        generator, samples = _load(name, args.threads)
        _stop_after(generator, samples, name, 0.5, args)  # warm-up (first Adam, caches): not measured
        max_delay = args.max_delay if args.max_delay is not None else MAX_DELAY[name]
        stops = [_stop_after(generator, samples, name, float(rng.uniform(0.0, max_delay)), args)
                 for _ in range(args.stops)]
        domains[name] = _summary(stops, max_delay)
    budgets = _budget_rows(args) if args.budgets else []
    result = {"benchmark": "cancel", "goal_ms": GOAL_MS, "budgets": budgets, "stops": args.stops,
              "threads": args.threads,
              "preview_every_s": args.preview_every, "seed": args.seed,
              "load_average": {"start": round(load, 2), "end": round(os.getloadavg()[0], 2)},
              "domains": domains}
    result["table"] = _table(result)
    return result


def _budget_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Wall-clock seconds of painting adaptations under each of ``args.budgets``."""
    from studio.domains.base import AdaptConfig

    generator, samples = _load("painting", args.threads)
    generator.adapt(samples[:1], AdaptConfig(method="reptile", steps=1))  # warm-up: not measured
    rows = []
    for subset in (samples[:1], samples):
        for budget in args.budgets:
            started = time.perf_counter()
            adapted = generator.adapt(subset, AdaptConfig(method="reptile", steps=None, time_budget_s=budget))
            rows.append({"paintings": len(subset), "budget_s": budget,
                         "seconds": round(time.perf_counter() - started, 2), "steps_taken": len(adapted.losses),
                         "kept_steps": adapted.steps})
    return rows


def _load(name: str, threads: int):
    from studio.io.samples import load_sample

    paths = sorted(p for p in DEMO[name].iterdir() if p.is_file())
    samples = [load_sample(str(p)) for p in paths]
    if name == "painting":
        from studio.domains.painting.generator import PaintingGenerator

        return PaintingGenerator(threads=threads), samples
    from studio.domains.melody.generator import MelodyGenerator

    return MelodyGenerator(), samples  # its own thread count (1: measured fastest for the small GRU)


def _stop_after(generator, samples, name: str, delay: float, args: argparse.Namespace) -> dict[str, Any]:
    """Adapt in a worker thread, set the stop flag after ``delay`` seconds; the stop's record."""
    from studio.domains.base import AdaptConfig

    flag = _Flag()
    out: dict[str, Any] = {}
    config = AdaptConfig(method="reptile", steps=None, time_budget_s=600.0, seed=int(delay * 1000))
    preview = args.preview_every if name == "painting" and args.preview_every > 0 else None

    def work() -> None:
        try:
            out["adapted"] = generator.adapt(samples, config, flag, preview_every_s=preview)
        except BaseException as error:  # noqa: BLE001  (reported by the main thread)
            out["error"] = error
        out["returned"] = time.perf_counter()
    worker = threading.Thread(target=work, daemon=True)
    started = time.perf_counter()
    worker.start()
    worker.join(delay)
    stopped = time.perf_counter()
    flag.stop.set()
    worker.join()
    if "error" in out:
        raise StudioError(f"the {name} adaptation failed: {out['error']}") from out["error"]
    adapted = out["adapted"]
    gaps = np.diff(flag.losses_at)  # one step each (a gap with a check or a preview in it: more)
    return {"delay_s": round(stopped - started, 3), "latency_ms": round((out["returned"] - stopped) * 1000, 1),
            "stopped_early": bool(adapted.stopped_early), "steps_taken": len(adapted.losses),
            "kept_steps": adapted.steps, "step_s": round(float(np.median(gaps)), 3) if len(gaps) else None}


def _summary(stops: list[dict[str, Any]], max_delay: float) -> dict[str, Any]:
    latencies = [s["latency_ms"] for s in stops if s["stopped_early"]]
    step_s = [s["step_s"] for s in stops if s["step_s"]]
    return {
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "max_ms": max(latencies) if latencies else None,
        "within_goal": sum(x <= GOAL_MS for x in latencies), "measured": len(latencies),
        "finished_before_stop": len(stops) - len(latencies),
        "before_first_step": sum(s["steps_taken"] == 0 for s in stops),
        "median_step_s": round(statistics.median(step_s), 3) if step_s else None,
        "max_delay_s": max_delay, "all": stops,
    }


def _table(result: dict[str, Any]) -> list[str]:
    lines = [f"cancel latency ({result['stops']} stops per domain, {result['threads']} torch threads, goal "
             f"{result['goal_ms']:.0f} ms; load average {result['load_average']['start']} at the start, "
             f"{result['load_average']['end']} at the end)",
             f"{'domain':9s} {'median ms':>10s} {'max ms':>8s} {'<= goal':>8s} {'pre-step':>9s} {'step s':>7s}"]
    for name, d in result["domains"].items():
        median = "-" if d["median_ms"] is None else f"{d['median_ms']:.1f}"
        worst = "-" if d["max_ms"] is None else f"{d['max_ms']:.1f}"
        step = "-" if d["median_step_s"] is None else f"{d['median_step_s']:.3f}"
        lines.append(f"{name:9s} {median:>10s} {worst:>8s} {d['within_goal']:>4d}/{d['measured']:<3d} "
                     f"{d['before_first_step']:>9d} {step:>7s}")
    if result["budgets"]:
        lines.append(f"{'paintings':>9s} {'budget s':>9s} {'adapt s':>8s} {'steps':>6s} {'kept':>5s}")
        for row in result["budgets"]:
            lines.append(f"{row['paintings']:>9d} {row['budget_s']:>9.1f} {row['seconds']:>8.2f} "
                         f"{row['steps_taken']:>6d} {row['kept_steps']:>5d}")
    return lines
