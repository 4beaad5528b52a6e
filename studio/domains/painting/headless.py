"""What the headless ``generate`` run needs from the painting domain, and nothing else.

:mod:`studio.generate_cli` owns the run (timing, budget, adapt or instant, progress, files,
report); this module says how to build the painting generator from the command's options, which
parameters the works take, how one work becomes a ``.png`` file (seed and provenance in its text
chunks) and which report fields are the painting's own (early stopping, the copy guard). Nothing
here imports torch until :func:`load` runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from studio.core.samples import Sample
from studio.core.works import Work
from studio.domains.base import AdaptedModel, Generator
from studio.domains.painting.params import PaintingParams
from studio.model_registry import model_stem

EXTENSION = "png"
DEFAULT_THREADS = 2  # the convolutions use both cores of the target laptop


def check_samples(samples: Sequence[Sample]) -> None:
    """Every image the loader accepts can be learned from: nothing to check."""


def params(args: argparse.Namespace, samples: Sequence[Sample]) -> PaintingParams:
    """The works' parameters from the options (ValueError for a bad value; GuideError, naming
    the file and the reason, for a ``--guide`` that cannot be used)."""
    guide = None
    if getattr(args, "guide", None) is not None:
        from studio.domains.painting.guide import load_guide

        guide = load_guide(args.guide)
    closeness = getattr(args, "closeness", None)
    if closeness is None:
        closeness = PaintingParams().closeness
    return PaintingParams(long_side=args.size, aspect=args.aspect, composition=args.composition,
                          texture=args.texture, brushwork=args.brushwork, guide=guide,
                          closeness=closeness)


def load(args: argparse.Namespace) -> Generator:
    """The painting generator over ``--model`` (a name in models/ or a path stem) with its threads."""
    import torch

    from studio.domains.painting.generator import DEFAULT_MODEL, PaintingGenerator

    threads = args.threads or DEFAULT_THREADS
    torch.set_num_threads(threads)
    name = args.model or DEFAULT_MODEL
    stem = model_stem(name)
    generator = PaintingGenerator(stem.name, stem.parent, threads=threads)
    if (args.steps if args.steps is not None else generator.default_steps) > 0:
        # The first Adam imports torch._dynamo: 1.5-3 s on the 2-core machine, which a cold
        # process paid inside the adaptation's time budget (a 1x1 painting at --budget 5 adapted
        # 1.7 s of an allowed 0.6 s). Paid here, the run's clock sees it before splitting --budget.
        torch.optim.Adam([torch.zeros(1, requires_grad=True)])
    return generator


def default_method(generator: Any) -> str:
    """Every painting model's registry method (Adam from the meta-trained start)."""
    from studio.domains.painting.generator import ADAPTATION_METHOD

    return ADAPTATION_METHOD


def encode(work: Work) -> bytes:
    """One painting as PNG bytes with its seed and provenance in text chunks."""
    from studio.io.images import work_png

    return work_png(work.image, work.seed, work.provenance)


def work_fields(work: Work, params: PaintingParams) -> dict[str, Any]:
    """The painting's own fields of one ``works`` entry in report.json."""
    return {"width": int(work.image.shape[1]), "height": int(work.image.shape[0])}


def report_fields(generator: Any, adapted: AdaptedModel, samples: Sequence[Sample], params: PaintingParams,
                  steps: int) -> dict[str, Any]:
    """The painting's own fields of report.json: how adaptation chose its weights."""
    held_back = steps > 0 and generator.stops_early(samples)
    return {"early_stopping": held_back, "check_margin": generator.check_margin if held_back else None,
            "copy_guard": steps > 0 and generator.copy_guard, "size": params.long_side, "aspect": params.aspect,
            "composition": params.composition, "texture": params.texture, "brushwork": params.brushwork,
            "guide": None if params.guide is None else params.guide.describe(),
            "closeness": params.closeness if params.guide is not None else None}
