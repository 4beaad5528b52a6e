"""The melody side of the headless commands: ``generate`` with MIDI samples
(:func:`generate_melodies`, dispatched by :mod:`studio.generate_cli`, which also holds the
argument definitions) and ``train-melody`` (:func:`run_train`; its arguments live in
:mod:`.options`, so building the parsers does not import torch).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from studio.core.samples import Sample
from studio.domains.melody.options import add_train_arguments  # noqa: F401  (re-exported)
from studio.errors import StudioError
from studio.generate_cli import ADAPT_SHARE, add_generate_arguments, run_generate  # noqa: F401  (re-exported)


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
    from studio.domains.melody.generator import (
        DEFAULT_MODEL,
        MelodyGenerator,
        MelodyParams,
        model_path,
    )
    from studio.io.midi import write_midi

    check_melody_samples(samples)
    torch.set_num_threads(args.threads or 1)
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
    works = generator.generate(adapted, samples, MelodyParams(bars=args.bars, temperature=args.temperature,
                                                                    idioms=args.idioms),
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
        "bars": args.bars, "temperature": args.temperature, "idioms": args.idioms, "budget_seconds": args.budget,
        "losses": [round(x, 4) for x in adapted.losses], "samples": [s.path for s in samples],
        "works": entries, "seeds": [w.seed for w in works],
    }


def run_train(args: argparse.Namespace) -> int:
    """``python main.py train-melody ...``: see :mod:`studio.domains.melody.train`."""
    from studio.domains.melody.train import run_train as run

    return run(args)
