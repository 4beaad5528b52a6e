"""The headless ``export`` command: melodies (MIDI, MusicXML, ABC) out as MusicXML lead sheets.

``python main.py export FILE... --out PATH [--overwrite]`` reads every melody of the files (each
tune of an ABC book, a generated ``work-01.mid``, a MusicXML score) and writes it, with its
chord symbols, as MusicXML (:func:`studio.io.musicxml_write.write_musicxml`). One melody and a
``PATH`` ending in ``.musicxml`` or ``.xml`` writes that file; otherwise ``PATH`` is a folder
(made if missing) that receives one ``NAME.musicxml`` per melody. Files are written atomically
and existing ones are kept unless ``--overwrite``; a file or tune that cannot be read is named
on stderr and the exit code is 2.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from studio.core.atomic import atomic_write
from studio.core.samples import Domain, Sample
from studio.errors import StudioError

EXIT_OK, EXIT_BAD_INPUT = 0, 2
MAX_MELODIES = 10_000
_UNSAFE = re.compile(r"[^\w .()+-]+")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="melody files: MIDI (.mid), MusicXML (.musicxml, .xml, .mxl) or ABC (.abc)")
    parser.add_argument("--out", required=True, metavar="PATH",
                        help="a .musicxml file (for one melody) or a folder (one .musicxml per melody)")
    parser.add_argument("--overwrite", action="store_true", help="replace existing files of the same name")


def file_name(sample: Sample, taken: set[str]) -> str:
    """A safe, unique ``NAME.musicxml`` for the sample's melody."""
    base = (sample.melody.name if sample.melody and sample.melody.name else Path(sample.name).stem)
    base = _UNSAFE.sub("_", base).strip(" ._")[:80] or "melody"
    name, n = f"{base}.musicxml", 2
    while name.lower() in taken:
        name, n = f"{base} ({n}).musicxml", n + 1
    taken.add(name.lower())
    return name


def run_export(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code (0, or 2 after naming each problem on stderr)."""
    from studio.io.musicxml_write import write_musicxml
    from studio.io.samples import read_samples

    samples: list[Sample] = []
    problems: list[str] = []
    for path in args.files:
        try:
            batch = read_samples(path)
        except StudioError as exc:
            problems.append(str(exc))
            continue
        problems.extend(str(e) for e in batch.errors)
        for sample in batch.samples:
            if sample.domain is not Domain.MELODY or sample.melody is None:
                problems.append(f"{path}: is a painting; only melodies export as MusicXML")
            else:
                samples.append(sample)
    if len(samples) > MAX_MELODIES:
        problems.append(f"over {MAX_MELODIES} melodies at once; export fewer")
        samples = []
    out = Path(args.out)
    single = len(samples) == 1 and out.suffix.lower() in (".musicxml", ".xml") and not out.is_dir()
    targets: list[tuple[Sample, Path]] = []
    if single:
        targets = [(samples[0], out)]
    elif samples:
        if out.suffix.lower() in (".musicxml", ".xml") and not out.is_dir():
            problems.append(f"{out}: {len(samples)} melodies need a folder, not a file name")
            samples = []
        taken: set[str] = set()
        targets = [(s, out / file_name(s, taken)) for s in samples]
    written = 0
    for sample, target in targets:
        if target.exists() and not args.overwrite:
            problems.append(f"{target}: already exists; use --overwrite to replace it")
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            assert sample.melody is not None
            atomic_write(target, write_musicxml(sample.melody))
        except OSError as exc:
            problems.append(f"{target}: {exc.strerror or exc}")
            continue
        chords = f", {len(sample.melody.chords)} chord symbols" if sample.melody.chords else ""
        print(f"wrote {target} ({len(sample.melody.notes)} notes{chords})")
        written += 1
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not targets and not problems:
        print("error: no melodies found in the given files", file=sys.stderr)
    return EXIT_OK if written and not problems else EXIT_BAD_INPUT
