"""The painting side of the headless ``generate`` command (dispatched by :mod:`studio.generate_cli`).

Adapts the stored painting model to the sample images within the step or time budget, paints
``--count`` works at ``--size`` px and writes ``001.png`` ... with the seed and provenance in
each PNG's text chunks, and returns the report that ``report.json`` holds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from studio.core.samples import Sample
from studio.generate_cli import ADAPT_SHARE

DEFAULT_THREADS = 2  # the convolutions use both cores of the target laptop


def generate_paintings(samples: list[Sample], args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """Adapt the painting model and write ``count`` PNG files; returns the report."""
    import torch

    from studio.domains.base import AdaptConfig
    from studio.domains.painting.generator import DEFAULT_MODEL, PaintingGenerator
    from studio.domains.painting.params import PaintingParams
    from studio.domains.painting.train import MODELS_DIR
    from studio.io.images import work_png

    params = PaintingParams(long_side=args.size, aspect=args.aspect, composition=args.composition,
                            texture=args.texture, brushwork=args.brushwork)
    torch.set_num_threads(args.threads or DEFAULT_THREADS)
    started = time.perf_counter()
    name = args.model or DEFAULT_MODEL
    stem = Path(name) if Path(name).parent != Path(".") else MODELS_DIR / name
    generator = PaintingGenerator(stem.name, stem.parent)
    load_seconds = time.perf_counter() - started
    steps = args.steps if args.steps is not None else generator.default_steps
    budget = None if args.budget is None else max(0.05, ADAPT_SHARE * args.budget - load_seconds)
    config = AdaptConfig(method=args.method or "reptile", steps=steps, time_budget_s=budget, seed=args.seed)
    adapted = generator.adapt(samples, config) if steps > 0 else generator.instant(samples)
    adapt_seconds = time.perf_counter() - started - load_seconds
    t0 = time.perf_counter()
    works = generator.generate(adapted, samples, params, args.count, args.seed)
    generation_seconds = time.perf_counter() - t0
    held_back = steps > 0 and generator.stops_early(samples)
    width = max(3, len(str(len(works))))
    entries = []
    for i, work in enumerate(works, 1):
        file = f"{i:0{width}d}.png"
        (out / file).write_bytes(work_png(work.image, work.seed, work.provenance))
        entries.append({"file": file, "seed": work.seed, "width": int(work.image.shape[1]),
                        "height": int(work.image.shape[0])})
    return {
        "domain": "painting", "model": generator.model_name, "method": adapted.method,
        "steps": adapted.steps, "steps_taken": len(adapted.losses),
        "early_stopping": held_back, "check_margin": generator.check_margin if held_back else None,
        "copy_guard": steps > 0 and generator.copy_guard, "notes": list(adapted.notes),
        "adaptation_seconds": round(adapt_seconds, 3),
        "generation_seconds": round(generation_seconds, 3), "model_load_seconds": round(load_seconds, 3),
        "total_seconds": round(time.perf_counter() - started, 3), "seed": args.seed, "count": len(works),
        "size": args.size, "aspect": params.aspect, "composition": params.composition,
        "texture": params.texture, "brushwork": params.brushwork,
        "budget_seconds": args.budget, "losses": [round(x, 4) for x in adapted.losses],
        "samples": [s.path for s in samples], "works": entries, "seeds": [w.seed for w in works],
    }
