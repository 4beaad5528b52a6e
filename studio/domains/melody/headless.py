"""What the headless ``generate`` run needs from the melody domain, and nothing else.

:mod:`studio.generate_cli` owns the run (timing, budget, adapt or instant, progress, files,
report); this module says how to build the melody generator from the command's options, which
parameters the works take, how one work becomes a ``.mid`` file and which report fields are
the melody's own. Building nothing here imports torch until :func:`load` runs.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from typing import Any

from studio.core.melody import Melody
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
    """The works' parameters from the options (ValueError for a bad value; StudioError naming
    the option or file for bad chords or a bad key).

    Chords are read in the samples' most common meter; a MIDI or MusicXML chord file brings its
    own meter, which the melodies then take.
    """
    from studio.core.chord_text import parse_chords
    from studio.core.scales import parse_scale
    from studio.errors import ChordTextError, ScaleError

    meters = Counter(tuple(s.melody.time_signature) for s in samples if s.melody is not None)
    meter = meters.most_common(1)[0][0] if meters else (4, 4)
    time_signature = None
    chords_text = getattr(args, "chords", None)
    chords_file = getattr(args, "chords_file", None)
    if chords_text is not None and chords_file is not None:
        raise StudioError("give the chords with --chords or with --chords-file, not both")
    chords: tuple = ()
    if chords_text is not None:
        try:
            chords = parse_chords(chords_text, Melody((), time_signature=meter).bar_ticks)
        except ChordTextError as exc:
            raise ChordTextError(f"--chords: {exc.reason}", position=exc.position, bar=exc.bar,
                                 symbol=exc.symbol) from None
        if not chords:
            raise ChordTextError('--chords is empty; write a progression such as "C | G | Am F | F"')
    elif chords_file is not None:
        from studio.io.chord_files import read_chords_file

        found = read_chords_file(chords_file, Melody((), time_signature=meter).bar_ticks)
        chords = found.chords
        if found.time_signature is not None and found.time_signature != meter:
            time_signature = found.time_signature
    key = getattr(args, "key", None)
    scale = None
    if key is not None:
        try:
            scale = parse_scale(key)
        except ScaleError as exc:
            raise ScaleError(f"--key: {exc.reason}") from None
    return MelodyParams(bars=args.bars, temperature=args.temperature, idioms=args.idioms, chords=chords,
                        scale=scale, scale_lock=bool(getattr(args, "scale_lock", False)),
                        time_signature=time_signature)


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
    melody = work.melody
    return {"notes": len(melody.notes) if melody is not None else 0, "bars": params.bars,
            "key": melody.key.name if melody is not None and melody.key is not None else None}


def report_fields(generator: Any, adapted: AdaptedModel, samples: Sequence[Sample], params: MelodyParams,
                  steps: int) -> dict[str, Any]:
    """The melody's own fields of report.json."""
    frame = generator.harmonic_frame(samples, params)
    meter = params.time_signature or generator.style_of(samples).time_signature
    fields = frame.provenance(meter)
    return {"bars": params.bars, "temperature": params.temperature, "idioms": params.idioms,
            "key": fields["key"], "scale": params.scale.display_name if params.scale else None,
            "scale_lock": params.scale_lock, "locked_scale": fields.get("scale"),
            "chords": fields.get("chords"),
            "chords_repeat": bool(params.chords) and max(s.end for s in params.chords)
            < params.bars * Melody((), time_signature=meter).bar_ticks}
