"""First gallery after an import, in a fresh process: with and without the generator preload.

Each run is a new ``python`` process (so torch and the weights are not yet loaded, as in a
freshly started studio) that imports the domain's demo samples through the engine, then, in the
``preload`` arm, calls :func:`studio.engine.preload` and waits ``--think`` seconds (the user
looking at the imported samples before pressing Generate), and then times what the Generate
button runs: the instant conditioning, the first work streamed and a gallery of ``--count``.
The ``cold`` arm, measured in the same run and interleaved with it, skips the preload: the
studio before the preload existed. Reported: medians over ``--runs``. Issue 5 asks for a first
painting gallery "in about a second".
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from studio.errors import StudioError

DESCRIPTION = "Seconds from Generate to the first work in a fresh process, with and without the preload"
ROOT = Path(__file__).resolve().parents[2]
ARMS = ("cold", "preload")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--domain", choices=("painting", "melody"), default="painting")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per arm (default 5)")
    parser.add_argument("--count", type=int, default=12, help="works in the gallery (default 12)")
    parser.add_argument("--think", type=float, default=2.0,
                        help="seconds between the import and Generate in the preload arm (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads of the generator")


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows: dict[str, list[dict[str, float]]] = {arm: [] for arm in ARMS}
    for _ in range(args.runs):
        for arm in ARMS:  # interleaved: both arms see the same machine load
            rows[arm].append(_child_run(arm, args))
    summary = {arm: {key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]}
               for arm, runs in rows.items()}
    result = {"benchmark": "first_gallery", "domain": args.domain, "runs": args.runs, "count": args.count,
              "think_s": args.think, "threads": args.threads, "median": summary, "all": rows}
    result["table"] = format_table(result).splitlines()
    return result


def _child_run(arm: str, args: argparse.Namespace) -> dict[str, float]:
    command = [sys.executable, "-c", "from studio.bench.first_gallery import child; child()", arm, args.domain,
               str(args.count), str(args.think), str(args.threads)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise StudioError(f"the {arm} run failed: {done.stderr.strip()[-400:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child() -> None:
    """Entry point of one measured process: ``ARM DOMAIN COUNT THINK THREADS`` in ``sys.argv``."""
    arm, domain_name, count_text, think_text, threads_text = sys.argv[1:6]
    count, think, threads = int(count_text), float(think_text), int(threads_text)
    from studio import engine
    from studio.core.samples import Domain
    from studio.progress import NullProgress

    domain = Domain(domain_name)
    samples = engine.import_samples(engine.demo_sample_paths(domain)).samples
    if arm == "preload":
        started = time.perf_counter()
        thread = engine.preload(domain)
        time.sleep(think)
        if thread is not None:
            thread.join()  # a slower load is counted below, as the user would wait for it
        waited = max(0.0, time.perf_counter() - started - think)
    else:
        waited = 0.0
    stamps: list[float] = []

    class FirstWork(NullProgress):
        def report_partial(self, value: object) -> None:
            stamps.append(time.perf_counter())

    started = time.perf_counter()
    generator = engine.generator_for(domain)
    if hasattr(generator, "threads"):
        generator.threads = threads
    adapted = engine.instant(samples)
    engine.generate(adapted, samples, None, count, 1, FirstWork())
    total = time.perf_counter() - started
    print(json.dumps({"first_work_s": stamps[0] - started + waited, "gallery_s": total + waited}))


def format_table(result: dict[str, Any]) -> str:
    title = (f"first gallery ({result['domain']}, {result['count']} works, think {result['think_s']} s, "
             f"median of {result['runs']} fresh processes)")
    lines = [title, f"{'arm':10s} {'first work s':>13s} {'gallery s':>10s}"]
    for arm, row in result["median"].items():
        lines.append(f"{arm:10s} {row['first_work_s']:13.2f} {row['gallery_s']:10.2f}")
    return "\n".join(lines)
