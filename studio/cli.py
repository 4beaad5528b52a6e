"""The headless command line, mirroring the GUI: ``python main.py COMMAND ...``.

With no command the GUI opens. Exit codes: 0 success, 2 bad input (a file that cannot be
read, an unknown option), 1 an unexpected failure.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, NoReturn

from studio import __version__
from studio.core.melody import PITCH_NAMES
from studio.core.samples import ImageFacts, MelodyFacts, Sample
from studio.errors import StudioError

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
COMMANDS = {"gui", "inspect", "generate", "bench", "prepare-melodies", "train-melody", "train-painting",
            "prepare-paintings", "export", "prepare-taste", "train-taste", "train-curator"}


def _pitch_name(pitch: int) -> str:
    return f"{PITCH_NAMES[pitch % 12]}{pitch // 12 - 1}"


def sample_to_dict(sample: Sample) -> dict[str, Any]:
    """A JSON-ready description of a sample and its analysis."""
    facts = dataclasses.asdict(sample.facts)
    facts["notices"] = list(sample.facts.notices)
    if isinstance(sample.facts, ImageFacts):
        facts["palette"] = [{"color": c, "share": round(s, 4)} for c, s in sample.facts.palette]
    return {"file": sample.path, "name": sample.name, "kind": sample.domain.value,
            "sha256_16": sample.digest, "facts": facts}


def format_sample(sample: Sample) -> str:
    """A few human-readable lines describing a sample."""
    f = sample.facts
    lines = [f"{sample.path}  ({sample.domain.value})"]
    if sample.name != os.path.basename(sample.path):  # a tune of an ABC book
        lines[0] = f"{sample.path}: {sample.name}  ({sample.domain.value})"
    if isinstance(f, ImageFacts):
        lines.append(f"  size     {f.width} x {f.height} px, {f.format}, mode {f.mode}")
        lines.append("  palette  " + "  ".join(f"{c} {100 * s:.0f}%" for c, s in f.palette))
    elif isinstance(f, MelodyFacts):
        lines.append(f"  key      {f.key} (confidence {f.key_confidence:.2f})")
        lines.append(f"  tempo    {f.tempo_bpm:.0f} bpm, meter {f.meter}, {f.bar_text()}, {f.seconds:.1f} s")
        lines.append(f"  notes    {f.notes}, range {_pitch_name(f.lowest)}-{_pitch_name(f.highest)}")
        chords = sample.melody.chords if sample.melody is not None else ()
        if chords:
            shown = " ".join(span.symbol for span in chords[:12])
            lines.append(f"  chords   {len(chords)}: {shown}{' ...' if len(chords) > 12 else ''}")
    lines.extend(f"  notice   {n}" for n in f.notices)
    return "\n".join(lines)


def cmd_inspect(args: argparse.Namespace) -> int:
    from studio.engine import inspect_files

    report = inspect_files(args.files)
    if args.json:
        payload = {"samples": [sample_to_dict(s) for s in report.samples],
                   "errors": [{"file": e.path, "reason": e.reason} for e in report.errors],
                   "skipped": list(report.skipped)}
        print(json.dumps(payload, indent=2))
    else:
        for sample in report.samples:
            print(format_sample(sample))
        for path in report.skipped:
            print(f"skipped {path}: not a painting or a melody file", file=sys.stderr)
    for err in report.errors:
        print(f"error: {err}", file=sys.stderr)
    if report.errors or not report.samples:
        if not report.samples and not report.errors:
            print("error: no sample files found in the given paths", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _print_table(result: Any, indent: str = "") -> None:
    if isinstance(result, dict):
        for key, value in result.items():
            if isinstance(value, (dict, list)) and value:
                print(f"{indent}{key}:")
                _print_table(value, indent + "  ")
            else:
                print(f"{indent}{key}: {value}")
    elif isinstance(result, list):
        for item in result:
            if isinstance(item, dict):
                print(indent + "- " + ", ".join(f"{k}={_short(v)}" for k, v in item.items()))
            else:
                print(f"{indent}- {item}")
    else:
        print(f"{indent}{result}")


def _short(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def build_bench_parser(sub: argparse._SubParsersAction, load_modules: bool) -> None:
    """The ``bench`` command; its modules (which may import torch) load only when it runs."""
    from studio import bench

    p = sub.add_parser("bench", help="run a benchmark (results go into docs/BENCHMARKS.md)",
                       description="Run a benchmark; `bench NAME --help` lists its options. "
                                   f"Benchmarks: {', '.join(bench.available())}.")
    names = p.add_subparsers(dest="bench_name", metavar="NAME", required=True)
    for name in bench.available() if load_modules else []:
        module = bench.load(name)
        bp = names.add_parser(name, aliases=[name.replace("_", "-")] if "_" in name else [],
                              help=getattr(module, "DESCRIPTION", ""),
                              description=getattr(module, "DESCRIPTION", ""))
        bp.add_argument("--json", action="store_true", help="print the result as JSON")
        if hasattr(module, "add_arguments"):
            module.add_arguments(bp)
        bp.set_defaults(func=cmd_bench, bench_module=module)


def cmd_bench(args: argparse.Namespace) -> int:
    result = args.bench_module.run(args)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        _print_table(result)
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    if args.smoke_test:  # a build's end-to-end check: studio/ui/smoke.py
        from studio.ui import smoke

        return smoke.run(screenshot=args.smoke_screenshot)
    from studio.ui.app import main as gui_main

    argv = [sys.argv[0]] + ([args.project] if args.project else []) + (["--no-demo"] if args.no_demo else [])
    return gui_main(argv)


def _lazy(module: str, name: str):
    """A command function imported only when the command runs (keeps ``--help`` and start-up fast)."""
    def run(args: argparse.Namespace) -> int:
        return getattr(importlib.import_module(module), name)(args)

    return run


def build_parser(load_command: str | None = None) -> argparse.ArgumentParser:
    """The CLI's parser; options of ``load_command`` (whose modules may be heavy) load only when needed."""
    parser = argparse.ArgumentParser(
        prog=os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0].endswith("meta-creation-studio") else "main.py",
        description="Meta-Creation Studio. With no command the studio window opens; the commands "
                    "below run headless.",
    )
    parser.add_argument("--version", action="version", version=f"Meta-Creation Studio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="open the studio window (the default)",
                       description="Open the studio window, optionally on a project file.")
    p.add_argument("project", nargs="?", help="a project file (.mcs) to open")
    p.add_argument("--no-demo", action="store_true", help="do not load the demo samples on first launch")
    p.add_argument("--smoke-test", action="store_true",
                   help="check this installation end to end (offscreen window, demo samples, one generated "
                        "work per domain), print one line and exit 0 or 1")
    p.add_argument("--smoke-screenshot", metavar="PNG", help="with --smoke-test: save the window there at the end")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("inspect", help="print the analysis of sample files",
                       description="Analyse paintings (palette, size) and melodies (key, tempo, meter, "
                                   "bars, notes). Folders are searched recursively.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="image, MIDI, MusicXML or ABC files (each tune of a book is shown), or folders")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.set_defaults(func=cmd_inspect)

    from studio.io import notation_export

    p = sub.add_parser("export", help="write melodies (MIDI, MusicXML, ABC) as MusicXML lead sheets",
                       description="Write each melody of the files (every tune of an ABC book), with its chord "
                                   "symbols, as a MusicXML lead sheet for notation programs.")
    notation_export.add_arguments(p)
    p.set_defaults(func=notation_export.run_export)

    from studio import generate_cli
    from studio.domains.melody import options as melody_options

    p = sub.add_parser("generate", help="learn a style from sample files and write new works to a folder",
                       description="Adapt the meta-trained generator to the samples (the domain follows from "
                                   "the files) and write DIR/001.mid or DIR/001.png ... plus DIR/report.json, all or "
                                   "nothing. DIR must be new or empty, unless --overwrite.")
    generate_cli.add_generate_arguments(p)
    p.set_defaults(func=_lazy("studio.generate_cli", "run_generate"))

    p = sub.add_parser("midi-out", help="list MIDI output ports, or play MIDI files on one",
                       description="Send MIDI files to a MIDI output port (a DAW, a synth). Needs the "
                                   "[midi-ports] extra: pip install -e '.[midi-ports]'.")
    from studio.io import midi_ports

    midi_ports.add_arguments(p)
    p.set_defaults(func=midi_ports.run_midi_out)

    p = sub.add_parser("midi-record", help="record a clip from a MIDI keyboard into a .mid file",
                       description="Record what is played on a MIDI input port into a MIDI file (then use it "
                                   "as a sample). Needs the [midi-ports] extra: pip install -e '.[midi-ports]'.")
    midi_ports.add_record_arguments(p)
    p.set_defaults(func=midi_ports.run_midi_record)

    p = sub.add_parser("train-melody", help="meta-train the melody generator (developers)",
                       description="Meta-train (Reptile, first-order MAML, Meta-SGD) or multi-task-train the "
                                   "melody generator on data/melody; checkpoints and resume under runs/.")
    melody_options.add_train_arguments(p)
    p.set_defaults(func=_lazy("studio.domains.melody.train_cli", "run_train"))

    developer_commands = (
        ("train-painting", "studio.domains.painting.train_cli", "add_train_arguments", "run_train",
         "meta-train the painting generator (developers)",
         ("Meta-train (Reptile) or multi-task-train the painting generator on ../shared/data/paintings; "
          "checkpoints and resume under runs/painting.")),
        ("prepare-paintings", "studio.domains.painting.dataset", "add_prepare_arguments", "run_prepare",
         "a compact copy of the painting training data (developers)",
         ("Copy the training artists' paintings at the working resolution (256 px) without the CycleGAN "
          "test split, for train-painting --data (a GPU machine).")),
        ("prepare-melodies", "studio.domains.melody.corpus", "add_arguments", "run",
         "build the melody meta-training corpus from music21's corpus",
         ("Build data/melody from music21's offline corpus (needs the [train] extra: "
          "pip install -e '.[train]'). Resumable; see the README.")),
        ("prepare-taste", "studio.taste.prepare", "add_arguments", "run",
         "build the pools of works that taste learning is meta-trained and measured on (developers)",
         ("Build runs/taste: per collection, genuine works and drafts of the shipped generator with "
          "varied settings, as descriptors and files (melodies need data/melody from prepare-melodies).")),
        ("train-taste", "studio.taste.train_embedding", "add_arguments", "run",
         "meta-train the work embedding of taste learning (developers)",
         ("Meta-train (Prototypical / Matching Networks) the work embedding on simulated people over "
          "runs/taste pools; writes models/taste-<domain>.")),
        ("train-curator", "studio.taste.train_curator", "add_arguments", "run",
         "meta-train the RL² gallery curator (developers)",
         ("Meta-train the recurrent curator that chooses which drafted works a gallery shows, over "
          "simulated people and rounds on runs/taste pools; writes models/taste-curator.")),
    )
    for name, module, add_arguments, run, help_text, description in developer_commands:
        p = sub.add_parser(name, help=help_text, description=description)
        if load_command == name:  # heavy modules (torch) load only for the command that needs them
            loaded = importlib.import_module(module)
            getattr(loaded, add_arguments)(p)
            p.set_defaults(func=getattr(loaded, run))

    build_bench_parser(sub, load_command == "bench")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()  # a generate run's --budget counts from here
    from_shell = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in {"-h", "--help", "--version"}
                    and (argv[0].startswith("-") or argv[0].lower().endswith(".mcs"))):
        argv = ["gui", *argv]  # `main.py`, `main.py project.mcs`, `main.py --no-demo` open the window
    parser = build_parser(load_command=argv[0])
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for a usage error
        return int(exc.code or 0)
    args.started_at = started
    try:
        code = int(args.func(args))
    except StudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if from_shell and args.command == "generate":
        _exit_now(code)
    return code


def _exit_now(code: int) -> NoReturn:
    """End the process without the interpreter's teardown. A generate run has written, synced and
    closed its files by now; tearing down torch's modules after it took another 1.4-2.1 s on the
    2-core machine, time that ``--budget`` counts and a person waits for."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
