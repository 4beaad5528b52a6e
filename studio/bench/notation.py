"""Notation import: the 502 lead sheets, music21's ABC tune books, and a 100-tune book's time.

Three parts, each skipped with a message when its data is absent:

1. **Lead sheets** (``../shared/data/leadsheets``, recursive, ``.mxl``/``.musicxml``/``.xml``):
   every file through :func:`studio.io.musicxml.read_musicxml`; counts imported, refused by
   reason (each refusal names its file), with chord symbols, chord symbols in all, the
   commonest notices; and each imported melody exported as a lead sheet and read back
   (``round_trip_same``: same notes and chords). Baseline in the same run: unzipping and
   parsing the same XML with ``xml.etree.ElementTree`` alone (no guards, no reading of the music).
2. **ABC tune books** of music21's corpus (``--abc-dir``; by default the corpus of an
   installed music21, which the studio never needs at run time): every book through
   :func:`studio.io.abc.read_abc_book`; tunes imported and refused (by reason).
3. **A 100-tune book**: the first 100 tunes of the corpus concatenated into a temporary file,
   imported as the window does (:func:`studio.io.samples.read_samples`: parse + analysis per
   tune), median of ``--runs``; the goal is 2 s. Baseline: reading and splitting the book only.

With ``--music21-python PATH`` (an interpreter with music21 installed, e.g. a venv in /tmp) it
also times ``import music21`` against a bare interpreter start: what music21 would cost at
start-up were it a run-time dependency.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import io
import re
import statistics
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

DESCRIPTION = "MusicXML lead sheets and ABC tune books import (counts, refusals, chords); a 100-tune book's time"
GOAL_SECONDS = 2.0
LEADSHEETS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "leadsheets"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--leadsheets", default=str(LEADSHEETS), metavar="DIR",
                        help="folder of MusicXML lead sheets (default ../shared/data/leadsheets)")
    parser.add_argument("--abc-dir", default=None, metavar="DIR",
                        help="folder of ABC tune books (default: the corpus of an installed music21)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the 100-tune book (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 runs, at most 10 lead sheets and 10 books")
    parser.add_argument("--music21-python", default=None, metavar="PYTHON",
                        help="an interpreter with music21, to time 'import music21' (optional)")


def run(args: argparse.Namespace) -> dict[str, Any]:
    limit = 10 if args.quick else None
    runs = 2 if args.quick else max(1, args.runs)
    result: dict[str, Any] = {"leadsheets": leadsheets(Path(args.leadsheets), limit)}
    abc_dir = Path(args.abc_dir) if args.abc_dir else _music21_corpus()
    books = sorted(abc_dir.rglob("*.abc")) if abc_dir is not None and abc_dir.is_dir() else []
    if not books:
        skip = ("skipped: no ABC tune books found; install music21 somewhere (pip install music21 into a "
                "venv in /tmp) and pass --abc-dir .../site-packages/music21/corpus")
        result["abc_books"] = skip
        result["book_of_100"] = skip
    else:
        result["abc_books"] = abc_books(books[:limit] if limit else books, abc_dir)
        result["book_of_100"] = book_of_100(books, runs)
    if args.music21_python:
        result["music21_import"] = music21_import(args.music21_python, runs)
    return result


def _music21_corpus() -> Path | None:
    spec = importlib.util.find_spec("music21")  # finds without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "corpus"


def _reason_kind(reason: str) -> str:
    """A refusal's reason without its file-specific parts (tune, line, column, quoted text)."""
    reason = re.sub(r"tune X:\S+ \(.*?\)(, line \d+)?: ", "", reason)
    reason = re.sub(r"(measure \S+, )?line \d+: |column \d+: ", "", reason)
    return reason[:90]


def leadsheets(folder: Path, limit: int | None) -> dict[str, Any] | str:
    from studio.errors import StudioError
    from studio.io.musicxml import read_musicxml

    if not folder.is_dir():
        return f"skipped: {folder} not found"
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".mxl", ".musicxml", ".xml"))
    files = files[:limit] if limit else files
    if not files:
        return f"skipped: no MusicXML files in {folder}"
    refused: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    notices: collections.Counter[str] = collections.Counter()
    imported = with_chords = symbols = notes = 0
    round_trips: list[Any] = []
    started = time.perf_counter()
    for path in files:
        try:
            [melody] = read_musicxml(path)
        except StudioError as exc:
            kind = _reason_kind(exc.reason)
            refused[kind] += 1
            examples.setdefault(kind, str(exc))
            continue
        except Exception as exc:  # a crash is what this benchmark exists to catch: count it loudly
            refused[f"CRASH {type(exc).__name__}"] += 1
            examples.setdefault(f"CRASH {type(exc).__name__}", f"{path}: {exc}")
            continue
        imported += 1
        notes += len(melody.notes)
        chords = [span for span in melody.chords if span.chord is not None]
        with_chords += bool(chords)
        symbols += len(chords)
        for text in melody.notices:
            notices[re.sub(r" \(\d+x\)$", "", text)[:70]] += 1
        round_trips.append((path, melody))
    seconds = time.perf_counter() - started
    same, different = _round_trips(round_trips)
    baseline = _bare_parse_seconds(files)
    return {
        "files": len(files), "imported": imported, "refused": sum(refused.values()),
        "refused_by_reason": dict(refused.most_common()), "refusal_examples": examples,
        "with_chord_symbols": with_chords, "chord_symbols": symbols, "notes": notes,
        "round_trip_same": same, "round_trip_different": different[:5],
        "harmony_elements_in_files": _count_harmonies(files),
        "seconds": round(seconds, 2), "ms_per_file": round(1000 * seconds / len(files), 1),
        "baseline_bare_etree_seconds": round(baseline, 2),
        "commonest_notices": dict(notices.most_common(8)),
    }


def _round_trips(melodies: list[Any]) -> tuple[int, list[str]]:
    """How many melodies export and read back to the same notes and chords; the others' files."""
    from studio.io.musicxml import read_musicxml
    from studio.io.musicxml_write import write_musicxml

    same, different = 0, []
    for path, melody in melodies:
        [back] = read_musicxml(f"{path} (exported)", write_musicxml(melody))
        if (back.notes, back.chords) == (melody.notes, melody.chords):
            same += 1
        else:
            different.append(str(path))
    return same, different


def _xml_of(path: Path) -> bytes:
    data = path.read_bytes()
    if not data.startswith(b"PK"):
        return data
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return b""
    names = [n for n in archive.namelist() if not n.startswith("META-INF/") and n.endswith((".xml", ".musicxml"))]
    return archive.read(names[0]) if names else b""


def _bare_parse_seconds(files: list[Path]) -> float:
    import xml.etree.ElementTree as ET

    started = time.perf_counter()
    for path in files:
        try:
            ET.fromstring(_xml_of(path))
        except (ET.ParseError, zipfile.BadZipFile, OSError):
            pass
    return time.perf_counter() - started


def _count_harmonies(files: list[Path]) -> int:
    return sum(len(re.findall(rb"<harmony[ >]", _xml_of(path))) for path in files)


def abc_books(books: list[Path], root: Path) -> dict[str, Any]:
    from studio.errors import StudioError
    from studio.io.abc import read_abc_book

    tunes = with_chords = 0
    refused: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    failed_books: list[str] = []
    started = time.perf_counter()
    for path in books:
        try:
            book = read_abc_book(path)
        except StudioError as exc:
            failed_books.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - counted, never hidden
            failed_books.append(f"CRASH {type(exc).__name__}: {path}: {exc}")
            continue
        tunes += len(book.tunes)
        with_chords += sum(1 for t in book.tunes if t.melody.chords)
        for error in book.refused:
            kind = _reason_kind(error.reason)
            refused[kind] += 1
            examples.setdefault(kind, str(error).replace(str(root) + "/", ""))
    return {
        "books": len(books), "tunes_imported": tunes, "tunes_refused": sum(refused.values()),
        "tunes_with_chord_symbols": with_chords,
        "refused_by_reason": dict(refused.most_common(12)), "refusal_examples": dict(list(examples.items())[:6]),
        "books_refused_whole": failed_books[:10], "seconds": round(time.perf_counter() - started, 1),
    }


def book_of_100(books: list[Path], runs: int) -> dict[str, Any] | str:
    from studio.io.abc import decode_text, read_abc_book, split_book
    from studio.io.samples import read_samples

    chunks: list[str] = []
    for path in books:
        text, _ = decode_text(path.read_bytes())
        _, tunes = split_book(text)
        for _, lines in tunes:
            chunks.append("\n".join(lines) + "\n")
        if len(chunks) >= 100:
            break
    if len(chunks) < 100:
        return f"skipped: only {len(chunks)} tunes found"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book-of-100.abc"
        path.write_text("\n".join(chunks[:100]), encoding="utf-8")
        times, floors = [], []
        samples = refused = 0
        for _ in range(runs):
            mark = time.perf_counter()
            batch = read_samples(path)
            times.append(time.perf_counter() - mark)
            samples, refused = len(batch.samples), len(batch.errors)
            mark = time.perf_counter()
            split_book(decode_text(path.read_bytes())[0])
            floors.append(time.perf_counter() - mark)
        parse_only = []
        for _ in range(runs):
            mark = time.perf_counter()
            read_abc_book(path)
            parse_only.append(time.perf_counter() - mark)
    median = statistics.median(times)
    return {
        "tunes": 100, "samples": samples, "refused": refused, "runs": runs,
        "median_seconds": round(median, 3), "all_seconds": [round(t, 3) for t in times],
        "median_parse_only_seconds": round(statistics.median(parse_only), 3),
        "baseline_read_and_split_seconds": round(statistics.median(floors), 4),
        "goal_seconds": GOAL_SECONDS, "goal_met": median <= GOAL_SECONDS,
    }


def music21_import(python: str, runs: int) -> dict[str, Any]:
    def timed(code: str) -> float:
        mark = time.perf_counter()
        subprocess.run([python, "-c", code], check=True, capture_output=True, timeout=300)
        return time.perf_counter() - mark

    try:
        bare = [timed("pass") for _ in range(runs)]
        with_music21 = [timed("import music21") for _ in range(runs)]
    except (OSError, subprocess.SubprocessError) as exc:
        return {"skipped": f"{python}: {exc}"}
    return {"python": python, "runs": runs, "median_bare_start_seconds": round(statistics.median(bare), 3),
            "median_import_music21_seconds": round(statistics.median(with_music21), 3),
            "music21_costs_seconds": round(statistics.median(with_music21) - statistics.median(bare), 3)}
