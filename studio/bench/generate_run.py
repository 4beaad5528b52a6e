"""``python main.py bench generate-run``: does ``generate --budget`` hold, and how fast is ``--count``?

Runs the real command in fresh processes (so loading torch and the model is counted, as a user
waits for it) on the demo samples in ``assets/demo``: for each domain and budget, the median
wall time of ``--repeats`` runs against the budget, once with the model's default steps and once
with steps that would run far past it (the budget alone stops adaptation). A 1x1 painting (whose
adaptation once ran 10.6 s past ``--budget 5``) and a run without a budget (the baseline) are
measured the same way. Then ``--count`` throughput: works per second for a few counts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DESCRIPTION = ("generate --budget: requested vs measured wall time (median of 3 fresh processes) on the demo "
               "samples, both domains; and --count throughput")
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "assets" / "demo"
UNBOUNDED_STEPS = 100_000  # far more than any budget here allows: the budget alone must stop adaptation
WITHIN = 0.10  # the target: a run ends within 10 % of its budget


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--budgets", type=float, nargs="+", default=[3.0, 5.0, 10.0, 20.0], metavar="SECONDS")
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per row; the median is kept")
    parser.add_argument("--count", type=int, default=4, help="works per budgeted run (default 4)")
    parser.add_argument("--domains", nargs="+", default=["melody", "painting"], choices=["melody", "painting"])
    parser.add_argument("--melody-counts", type=int, nargs="*", default=[100, 500], help="throughput counts")
    parser.add_argument("--painting-counts", type=int, nargs="*", default=[50], help="throughput counts")
    parser.add_argument("--quick", action="store_true", help="one budget (5 s), one repeat, small counts")


def _samples(domain: str, folder: Path) -> list[str]:
    if domain == "melody":
        return sorted(str(p) for p in (DEMO / "melodies").glob("*.mid"))
    return sorted(str(p) for p in (DEMO / "paintings").glob("*.jpg"))


def _one_pixel(folder: Path) -> list[str]:
    from PIL import Image

    path = folder / "one-pixel.png"
    Image.new("RGB", (1, 1), (120, 80, 40)).save(path)
    return [str(path)]


def _generate(samples: list[str], out: Path, extra: list[str]) -> dict[str, Any]:
    """One fresh ``main.py generate`` process: its wall time and report."""
    command = [sys.executable, str(ROOT / "main.py"), "generate", "--samples", *samples, "--out", str(out),
               "--seed", "7", *extra]
    began = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return {"wall": wall, "report": json.loads((out / "report.json").read_text(encoding="utf-8"))}


def _row(label: str, samples: list[str], extra: list[str], repeats: int, folder: Path,
         budget: float | None) -> dict[str, Any]:
    runs = []
    for i in range(repeats):
        out = folder / f"{label}-{i}".replace(" ", "_").replace("/", "-")
        runs.append(_generate(samples, out, extra))
    walls = [r["wall"] for r in runs]
    median = statistics.median(walls)
    middle = runs[walls.index(sorted(walls)[len(walls) // 2])]["report"]
    row: dict[str, Any] = {
        "run": label, "budget_s": budget, "wall_s": round(median, 2),
        "walls_s": [round(w, 2) for w in walls],
        "adapt_s": middle["adaptation_seconds"], "adapt_budget_s": middle.get("adaptation_budget_seconds"),
        "steps_taken": middle.get("steps_taken"),
        "gen_s": round(middle["generation_seconds"] + middle.get("write_seconds", 0.0), 2),
        "gen_estimate_s": middle.get("estimated_generation_seconds"),
        "load_s": middle.get("model_load_seconds"), "probe_s": middle.get("probe_seconds"),
    }
    if budget is not None:
        row["wall/budget"] = round(median / budget, 2)
        row["within_10pct"] = median <= budget * (1 + WITHIN)
        # the run found the budget below what loading and generating take, and stayed instant
        row["no_time_to_adapt"] = any("leaves no time to adapt" in n for n in middle["notes"])
    return row


def run(args: argparse.Namespace) -> dict[str, Any]:
    budgets = [5.0] if args.quick else args.budgets
    repeats = 1 if args.quick else args.repeats
    result: dict[str, Any] = {"count": args.count, "repeats": repeats, "rows": [], "throughput": []}
    with tempfile.TemporaryDirectory(prefix="bench-generate-run-") as tmp:
        folder = Path(tmp)
        for domain in args.domains:
            samples = _samples(domain, folder)
            base = ["--count", str(args.count)]
            result["rows"].append(_row(f"{domain} no budget, default steps", samples, base, repeats, folder, None))
            for budget in budgets:
                for steps, flag in (("default steps", []), ("steps until the budget", ["--steps", str(UNBOUNDED_STEPS)])):
                    label = f"{domain} budget {budget:g}, {steps}"
                    result["rows"].append(_row(label, samples, [*base, "--budget", f"{budget:g}", *flag], repeats,
                                               folder, budget))
            if domain == "painting":
                label = "painting 1x1 sample, budget 5, steps until the budget"
                result["rows"].append(_row(label, _one_pixel(folder), [*base, "--budget", "5", "--steps",
                                                                      str(UNBOUNDED_STEPS)], repeats, folder, 5.0))
            counts = args.melody_counts if domain == "melody" else args.painting_counts
            for count in ([min(counts)] if args.quick and counts else counts):
                out = folder / f"{domain}-count-{count}"
                one = _generate(samples, out, ["--count", str(count), "--steps", "0"])
                report = one["report"]
                result["throughput"].append({
                    "domain": domain, "count": count, "wall_s": round(one["wall"], 2),
                    "generation_s": report["generation_seconds"], "write_s": report.get("write_seconds"),
                    "works_per_s": round(count / (report["generation_seconds"] + report.get("write_seconds", 0.0)), 1),
                })
    return result
