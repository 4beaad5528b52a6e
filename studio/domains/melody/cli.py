"""The headless ``generate`` command: learn from sample files and write a folder of new works.

``python main.py generate --samples A.mid B.mid ... --count 32 --out DIR --seed 7 --bars 8
[--budget SECONDS]`` reads the samples, adapts the stored model to them and writes
``DIR/001.mid`` ... plus ``DIR/report.json`` (adaptation and generation seconds, steps, method,
one seed per work). The domain follows from the files' contents; :data:`DOMAIN_RUNNERS` maps a
domain to the function that does the work, so another domain (paintings) adds one entry.
Bad input (a missing, unreadable or unusable file, mixed kinds) exits with code 2 and a message
naming the file. ``python main.py train-melody ...`` (:func:`run_train`) is here too. Argument
definitions live in :mod:`.options`, so building the parsers does not import torch.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.core.samples import Domain, Sample
from studio.errors import StudioError
from studio.domains.melody.options import add_generate_arguments, add_train_arguments  # noqa: F401  (re-exported)

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
ADAPT_SHARE = 0.6  # of --budget, the part adaptation may use (the rest is for generation)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run_generate(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code (0, 1 or 2)."""
    from studio.io.samples import load_sample

    if args.count < 1:
        return _fail(f"--count must be at least 1, got {args.count}")
    if args.bars < 1:
        return _fail(f"--bars must be at least 1, got {args.bars}")
    if args.budget is not None and not args.budget > 0:
        return _fail(f"--budget must be positive, got {args.budget}")
    if not args.temperature > 0:
        return _fail(f"--temperature must be positive, got {args.temperature}")
    samples: list[Sample] = []
    for path in args.samples:
        try:
            samples.append(load_sample(path))
        except StudioError as exc:
            return _fail(str(exc))
    domains = {s.domain for s in samples}
    if len(domains) > 1:
        kinds = ", ".join(f"{s.path} ({s.domain.value})" for s in samples)
        return _fail(f"the samples mix paintings and melodies: {kinds}")
    domain = domains.pop()
    runner = DOMAIN_RUNNERS.get(domain)
    if runner is None:
        return _fail(f"{samples[0].path}: generating {domain.value}s from the command line is not available yet")
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail(f"{out}: cannot create the output folder ({exc.strerror or exc})")
    try:
        report = runner(samples, args, out)
    except StudioError as exc:
        return _fail(str(exc))
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(report['works'])} works to {out} (adaptation {report['adaptation_seconds']:.2f} s, "
          f"generation {report['generation_seconds']:.2f} s)")
    return EXIT_OK


def check_melody_samples(samples: list[Sample]) -> None:
    """Raise StudioError naming the first sample the melody model cannot learn from."""
    from studio.domains.melody.generator import sample_style
    from studio.errors import SampleLoadError

    for sample in samples:
        try:
            sample_style([sample.melody])
        except StudioError as exc:
            raise SampleLoadError(f"cannot learn from this melody ({exc.reason})", sample.path) from exc


def generate_melodies(samples: list[Sample], args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """Adapt the melody model and write ``count`` MIDI files; returns the report."""
    import torch

    from studio.domains.base import AdaptConfig
    from studio.domains.melody.generator import DEFAULT_MODEL, MelodyGenerator, MelodyParams, model_path
    from studio.io.midi import write_midi

    check_melody_samples(samples)
    torch.set_num_threads(max(1, args.threads))
    started = time.perf_counter()
    stem = model_path(args.model or DEFAULT_MODEL)
    generator = MelodyGenerator(stem.name, stem.parent)
    load_seconds = time.perf_counter() - started
    steps = args.steps if args.steps is not None else generator.default_steps
    budget = None if args.budget is None else max(0.05, ADAPT_SHARE * args.budget - load_seconds)
    method = args.method or generator.card.get("method", "reptile")
    config = AdaptConfig(method=method, steps=steps, time_budget_s=budget, seed=args.seed)
    adapted = generator.adapt(samples, config) if steps > 0 else generator.instant(samples)
    adapt_seconds = time.perf_counter() - started - load_seconds
    t0 = time.perf_counter()
    works = generator.generate(adapted, samples, MelodyParams(bars=args.bars, temperature=args.temperature),
                               args.count, args.seed)
    generation_seconds = time.perf_counter() - t0
    width = max(3, len(str(len(works))))
    entries = []
    for i, work in enumerate(works, 1):
        name = f"{i:0{width}d}.mid"
        (out / name).write_bytes(write_midi(work.melody))
        entries.append({"file": name, "seed": work.seed, "notes": len(work.melody.notes), "bars": args.bars})
    return {
        "domain": "melody", "model": generator.model_name, "method": adapted.method,
        "steps": adapted.steps, "adaptation_seconds": round(adapt_seconds, 3),
        "generation_seconds": round(generation_seconds, 3), "model_load_seconds": round(load_seconds, 3),
        "total_seconds": round(time.perf_counter() - started, 3), "seed": args.seed, "count": len(works),
        "bars": args.bars, "temperature": args.temperature, "budget_seconds": args.budget,
        "losses": [round(x, 4) for x in adapted.losses], "samples": [s.path for s in samples],
        "works": entries, "seeds": [w.seed for w in works],
    }


def run_train(args: argparse.Namespace) -> int:
    """``python main.py train-melody ...``: see :mod:`studio.domains.melody.train`."""
    from studio.domains.melody.train import run_train as run

    return run(args)


# The one dispatch point per domain: (samples, args, out folder) -> report dict.
DOMAIN_RUNNERS: dict[Domain, Callable[[list[Sample], argparse.Namespace, Path], dict[str, Any]]] = {
    Domain.MELODY: generate_melodies,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="generate", description=__doc__.splitlines()[0])
    add_generate_arguments(parser)
    return run_generate(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
