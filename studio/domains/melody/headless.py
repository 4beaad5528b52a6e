"""What the headless ``generate`` run needs from the melody domain, and nothing else.

:mod:`studio.generate_cli` owns the run (timing, budget, adapt or instant, progress, files,
report); this module says how to build the melody generator from the command's options, which
parameters the works take, how one work becomes a ``.mid`` file and which report fields are
the melody's own. Building nothing here imports torch until :func:`load` runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from studio.core.samples import Sample
from studio.core.works import Work
from studio.domains.base import AdaptedModel, Generator
from studio.domains.melody.params import MelodyParams
from studio.errors import SampleLoadError, StudioError
from studio.model_registry import model_stem

EXTENSION = "mid"
DEFAULT_THREADS = 1  # a small GRU: one thread measured faster than two on the 2-core target


def check_samples(samples: Sequence[Sample]) -> None:
    """Raise SampleLoadError naming the first sample the melody model cannot learn from."""
    from studio.domains.melody.generator import sample_style

    for sample in samples:
        if sample.melody is None:
            raise SampleLoadError("not a melody", sample.path)
        try:
            sample_style([sample.melody])
        except StudioError as exc:
            raise SampleLoadError(f"cannot learn from this melody ({exc.reason})", sample.path) from exc


def params(args: argparse.Namespace, samples: Sequence[Sample]) -> MelodyParams:
    """The works' parameters from the options (ValueError for a bad value)."""
    return MelodyParams(bars=args.bars, temperature=args.temperature, idioms=args.idioms)


def load(args: argparse.Namespace) -> Generator:
    """The melody generator over ``--model`` (a name in models/ or a path stem) with its threads."""
    import torch

    from studio.domains.melody.generator import DEFAULT_MODEL, MelodyGenerator

    threads = args.threads or DEFAULT_THREADS
    torch.set_num_threads(threads)
    name = args.model or DEFAULT_MODEL
    stem = model_stem(name)
    return MelodyGenerator(stem.name, stem.parent, threads=threads)


def default_method(generator: Any) -> str:
    """The adaptation method the model's card names."""
    return str(generator.card.get("method", "reptile"))


def encode(work: Work) -> bytes:
    """One melody as a standard MIDI file."""
    from studio.io.midi import write_midi

    assert work.melody is not None, "a melody work carries its notes"
    return write_midi(work.melody)


def work_fields(work: Work, params: MelodyParams) -> dict[str, Any]:
    """The melody's own fields of one ``works`` entry in report.json."""
    return {"notes": len(work.melody.notes) if work.melody is not None else 0, "bars": params.bars}


def report_fields(generator: Any, adapted: AdaptedModel, samples: Sequence[Sample], params: MelodyParams,
                  steps: int) -> dict[str, Any]:
    """The melody's own fields of report.json."""
    return {"bars": params.bars, "temperature": params.temperature, "idioms": params.idioms}
