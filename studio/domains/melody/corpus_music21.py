"""Reading music21's shipped corpus: the catalog of tunes and tasks, and resumable parsing.

This is the only module that imports music21 (the ``[train]`` extra), and only inside its
functions. :func:`catalog` lists every tune without parsing music (ABC headers are read as
text); :func:`parse_tunes` turns tunes into plain JSON-ready records of notes on the
24-ticks-per-quarter grid, in worker processes driven by :func:`parse_corpus`, which caches
every source file's records.

Tasks (``collection:type``):

* ``essen:<sub>`` - Essen folk songs by sub-collection, the file name without its digits:
  altdeu, ballad, boehme, dva, erk, fink, kinder (German), han (Chinese Han, from Shaanxi and
  elsewhere; the only Chinese collection music21 ships), irl, lot, lux, zuccal, folkHaydn.
  The test* files and variant0 (variants of songs held elsewhere) are left out.
* ``oneills:<type>``, ``ryans:<type>`` - O'Neill's Music of Ireland (1850) and Ryan's Mammoth
  Collection by tune type: the ABC ``R:`` field, else the title, else (O'Neill's) the book's
  section by tune number (1-625 airs, 626-700 planxties, 701-1115 jigs, 1116-1175 slip jigs,
  1176-1555 reels, 1556-1780 hornpipes, 1781-1800 set dances, 1801-1850 marches). O'Neill's
  tunes that music21 ships twice (overlapping files) are kept once, by book number.
* ``airds:<type>`` - Aird's Airs by the type in the title (march and quick step, reel and rant,
  strathspey, jig, hornpipe); the rest by meter (``airds:misc-6-8`` ...).
* ``bach:chorales`` - the soprano part of the 371 Riemenschneider chorales.

Held out of meta-training for evaluation (:data:`HELDOUT_TASKS`): the Essen ``kinder``
(German children's songs) and ``lux`` (Luxembourg) collections, and the strathspey tune type
in every collection (``ryans:strathspey``, ``airds:strathspey``).
"""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from studio.core.melody import TICKS_PER_QUARTER
from studio.core.atomic import atomic_write
from studio.errors import StudioError
from studio.progress import Progress, check_stop

HELDOUT_TASKS = ("essen:kinder", "essen:lux", "ryans:strathspey", "airds:strathspey")
EXCLUDED_ESSEN = ("test0", "test1", "testd", "teste", "variant0")
MIN_TASK_TUNES = 20  # smaller groups (O'Neill's 4 waltzes, Ryan's one slide) make no task
MIN_SEGMENT_BARS = 2
PARSER_VERSION = 2  # bump to invalidate the per-file caches when the records change
JOB_TUNES = 25  # tunes per worker job: the unit of progress and of the resumable cache

_TYPE_PATTERNS = (  # first match wins
    ("slip-jig", r"slip\s*jig"), ("jig", r"jig"), ("reel", r"reel|\brant\b"),
    ("hornpipe", r"hornpipe"), ("strathspey", r"strathspey"), ("fling", r"fling"),
    ("clog", r"\bclog"), ("march", r"march|quick\s*step"), ("waltz", r"waltz"),
    ("polka", r"polka"), ("slide", r"\bslide\b"), ("set-dance", r"set dance|long dance"),
    ("planxty", r"planxty"), ("walkaround", r"walk\s*around|essence of"),
    ("air", r"^air$|lament"),
)
_ONEILLS_SECTIONS = (
    (625, "air"), (700, "planxty"), (1115, "jig"), (1175, "slip-jig"), (1555, "reel"),
    (1780, "hornpipe"), (1800, "set-dance"), (1850, "march"),
)
_CHUNK_START = re.compile(r"^X:", re.MULTILINE)
_KEY_MODE = re.compile(
    r"^\s*(?:[A-Ga-g]|H|Es|As)\s*[#b]?\s*(m|min|minor|maj|major|ion|dor|phr|lyd|mix|aeo|loc)",
    re.IGNORECASE,
)
_MINOR_MODES = ("minor", "aeolian", "dorian", "phrygian", "locrian")


class CorpusSourceError(StudioError):
    """music21 or its corpus is missing or unreadable."""


@dataclass(frozen=True)
class TuneSource:
    """One tune of the shipped corpus, before parsing."""

    task: str  # "essen:han"
    group: str  # the cache file it lives in: "essenFolksong/han1.abc", "bach"
    key: str  # unique within its group: "X12", "bwv269"
    title: str
    path: str  # the source file
    text: str | None = None  # the tune's ABC text (None: a MusicXML file)

    @property
    def collection(self) -> str:
        return self.task.split(":", 1)[0]

    @property
    def tune_type(self) -> str:
        return self.task.split(":", 1)[1]


def corpus_dir() -> Path:
    """music21's corpus folder. Raises CorpusSourceError when music21 is not installed."""
    try:
        import music21
    except ImportError as error:
        raise CorpusSourceError(
            "music21 is needed to prepare the melody corpus: pip install 'music21>=9' "
            "(the [train] extra)"
        ) from error
    return Path(os.path.dirname(music21.__file__)) / "corpus"


def catalog(root: Path | None = None) -> list[TuneSource]:
    """Every usable tune of the five collections, each with its task (see the module docstring).

    Tasks with fewer than :data:`MIN_TASK_TUNES` tunes are left out. Raises CorpusSourceError
    if the corpus folders are missing.
    """
    root = corpus_dir() if root is None else root
    tunes = _essen(root) + _oneills(root) + _ryans(root) + _airds(root) + _bach(root)
    sizes: dict[str, int] = {}
    for tune in tunes:
        sizes[tune.task] = sizes.get(tune.task, 0) + 1
    return [t for t in tunes if sizes[t.task] >= MIN_TASK_TUNES]


def _abc_files(root: Path, folder: str) -> list[Path]:
    directory = root / folder
    if not directory.is_dir():
        raise CorpusSourceError(f"the music21 corpus has no {folder} folder", str(directory))
    return sorted(directory.glob("*.abc"))


def _abc_tunes(path: Path) -> list[tuple[str, dict[str, str], str]]:
    """(X number, first value of each header field, text) of every tune in an ABC file."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the older transcriptions are Latin-1
        text = raw.decode("latin-1")
    starts = [m.start() for m in _CHUNK_START.finditer(text)] + [len(text)]
    tunes = []
    for begin, end in zip(starts, starts[1:]):
        chunk = text[begin:end].strip() + "\n"
        fields: dict[str, str] = {}
        for line in chunk.splitlines():
            if len(line) > 1 and line[1] == ":" and line[0].isalpha():
                fields.setdefault(line[0], line[2:].strip())
            if line.startswith("K:"):
                break
        tunes.append((fields.get("X", "").strip(), fields, chunk))
    return tunes


def tune_type(rhythm: str, title: str) -> str | None:
    """The normalised tune type of an ABC ``R:`` field, else of the title; None if neither says."""
    for text in (rhythm.strip().lower(), title.lower()):
        for name, pattern in _TYPE_PATTERNS:
            if text and re.search(pattern, text):
                return name
    return None


def _meter_name(field: str) -> str:
    field = field.split("%")[0].strip()
    return {"C": "4-4", "C|": "2-2"}.get(field, field.replace("/", "-") or "none")


def _essen(root: Path) -> list[TuneSource]:
    tunes = []
    for path in _abc_files(root, "essenFolksong"):
        if path.stem in EXCLUDED_ESSEN:
            continue
        task = "essen:" + path.stem.rstrip("0123456789")
        for number, fields, chunk in _abc_tunes(path):
            tunes.append(TuneSource(task, f"essenFolksong/{path.name}", f"X{number}",
                                    fields.get("T", ""), str(path), chunk))
    return tunes


def _oneills(root: Path) -> list[TuneSource]:
    tunes, seen = [], set()
    for path in _abc_files(root, "oneills1850"):
        for number, fields, chunk in _abc_tunes(path):
            found = re.search(r"(\d+)", fields.get("B", ""))
            book = int(found.group(1)) if found else int(number or 0)
            if book in seen:
                continue
            seen.add(book)
            kind = tune_type(fields.get("R", ""), fields.get("T", ""))
            if kind is None:
                kind = next((k for top, k in _ONEILLS_SECTIONS if book <= top), None)
            if kind is not None:
                tunes.append(TuneSource(f"oneills:{kind}", f"oneills1850/{path.name}", f"X{number}",
                                        fields.get("T", ""), str(path), chunk))
    return tunes


def _ryans(root: Path) -> list[TuneSource]:
    tunes = []
    for path in _abc_files(root, "ryansMammoth"):
        for number, fields, chunk in _abc_tunes(path):
            kind = tune_type(fields.get("R", ""), fields.get("T", ""))
            if kind is not None:
                tunes.append(TuneSource(f"ryans:{kind}", f"ryansMammoth/{path.name}", f"X{number}",
                                        fields.get("T", ""), str(path), chunk))
    return tunes


def _airds(root: Path) -> list[TuneSource]:
    tunes = []
    for path in _abc_files(root, "airdsAirs"):
        for number, fields, chunk in _abc_tunes(path):
            kind = tune_type(fields.get("R", ""), fields.get("T", ""))
            if kind is None or kind == "air":
                kind = "misc-" + _meter_name(fields.get("M", ""))
            tunes.append(TuneSource(f"airds:{kind}", f"airdsAirs/{path.name}", f"X{number}",
                                    fields.get("T", ""), str(path), chunk))
    return tunes


def _bach(root: Path) -> list[TuneSource]:
    from music21.corpus import chorales

    names = list(dict.fromkeys(  # Riemenschneider numbering, each file once
        chorales.Iterator(returnType="filename", numberingSystem="riemenschneider")
    ))
    tunes = []
    for name in names:
        stem = name.split("/")[-1]
        for ext in (".mxl", ".xml", ".krn"):
            path = root / "bach" / (stem + ext)
            if path.exists():
                tunes.append(TuneSource("bach:chorales", "bach", stem, stem, str(path)))
                break
    return tunes


# --- the parsing worker -------------------------------------------------------------------

def parse_tunes(tunes: list[TuneSource]) -> list[tuple[str, dict]]:
    """Parse tunes with music21 into ``(key, record)`` pairs; a tune that fails gets
    ``{"error": reason}``. Records hold ``title``, ``tempo`` (quarter BPM or None), ``sharps``
    (key signature or None), ``key`` (``[tonic, mode]`` when the source names a mode, else
    None), ``offgrid`` (note boundaries rounded to the grid) and ``segments``: stretches of one
    meter with consistent bar lines, each ``{"meter": [n, d], "pickup": ticks,
    "notes": [[pitch, start, duration], ...]}``."""
    from music21 import abcFormat, converter

    results = []
    for tune in tunes:
        try:
            if tune.text is not None:
                nominal, changes = _abc_meter(tune.text)
                handler = abcFormat.ABCHandler()
                handler.process(tune.text)
                score = abcFormat.translate.abcToStreamScore(handler)
                explicit = _KEY_MODE.match(_header_field(tune.text, "K")) is not None
            else:
                score = converter.parse(tune.path, forceSource=True, storePickle=False)
                nominal, changes, explicit = None, True, False
            record = _extract(score, nominal, changes, explicit)
            record["title"] = tune.title
            results.append((tune.key, record))
        except Exception as error:  # noqa: BLE001 - third-party parser on old transcriptions
            results.append((tune.key, {"error": f"{type(error).__name__}: {error}"[:300]}))
    return results


def _header_field(text: str, name: str) -> str:
    for line in text.splitlines():
        if line.startswith(name + ":"):
            return line[2:].strip()
    return ""


def _abc_meter(text: str) -> tuple[tuple[int, int] | None, bool]:
    """The meter of an ABC tune's header (None: free meter) and whether its body changes it.

    music21 invents a time signature for every irregular measure; only a meter the tune
    itself changes is believed."""
    field = _header_field(text, "M").split("%")[0].strip()
    found = re.fullmatch(r"(\d+)\s*/\s*(\d+)", field)
    nominal = {"C": (4, 4), "C|": (2, 2)}.get(field) or (
        (int(found.group(1)), int(found.group(2))) if found else None)
    body = text.split("\nK:", 1)[-1].split("\n", 1)[-1]
    return nominal, re.search(r"^M:|\[M:", body, re.MULTILINE) is not None


def _ticks(quarters: object) -> tuple[int, bool]:
    """Ticks of a music21 offset or length, and whether it had to be rounded."""
    exact = Fraction(quarters).limit_denominator(10_000) * TICKS_PER_QUARTER
    rounded = round(exact)
    return int(rounded), exact != rounded


def _extract(score, nominal: tuple[int, int] | None, changes: bool, explicit_key: bool) -> dict:
    from music21 import key as m21key
    from music21 import stream, tempo

    part = score.parts[0] if score.parts else score
    flat = part.flatten()
    sharps, key = None, None
    signatures = list(flat.getElementsByClass(m21key.KeySignature))
    if signatures:
        first = signatures[0]
        sharps = int(first.sharps)
        if explicit_key and isinstance(first, m21key.Key):
            key = [first.tonic.pitchClass, "minor" if first.mode in _MINOR_MODES else "major"]
    marks = list(flat.getElementsByClass(tempo.MetronomeMark))
    bpm = marks[0].getQuarterBPM() if marks else None

    notes, offgrid = _line(flat)
    if not notes:
        return {"error": "no notes"}
    measures: list[tuple[int, int, tuple[int, int] | None]] = []
    current = nominal
    for measure in part.getElementsByClass(stream.Measure):
        if (changes or current is None) and measure.timeSignature is not None:
            current = (int(measure.timeSignature.numerator), int(measure.timeSignature.denominator))
        measures.append((_ticks(measure.offset)[0], _ticks(measure.duration.quarterLength)[0], current))
    if current is None and not measures:
        current = nominal
    if not measures:
        measures = [(notes[0][1], 0, current)]
    if all(m[2] is None for m in measures):
        return {"error": "no time signature (free meter)"}
    segments = _segments(notes, measures)
    if not segments:
        return {"error": "no stretch of 2 bars in one meter with regular bar lines"}
    return {"tempo": bpm, "sharps": sharps, "key": key, "offgrid": offgrid, "segments": segments}


def _line(flat) -> tuple[list[list[int]], int]:
    """[pitch, start, duration] of the top line of a flattened part (ties merged, grace notes
    and rests dropped), and how many boundaries were rounded onto the grid."""
    notes: list[list[int]] = []
    offgrid = 0
    for element in flat.notes:
        if element.duration.isGrace or element.quarterLength == 0:
            continue
        start, rounded_start = _ticks(element.offset)
        end, rounded_end = _ticks(element.offset + element.quarterLength)
        offgrid += rounded_start + rounded_end
        pitch = max(p.midi for p in element.pitches)
        tie = element.tie.type if element.tie is not None else None
        if notes and tie in ("stop", "continue") and notes[-1][0] == pitch \
                and notes[-1][1] + notes[-1][2] == start:
            notes[-1][2] = end - notes[-1][1]
            continue
        if notes and start < notes[-1][1] + notes[-1][2]:  # overlapping voices: keep one line
            if start <= notes[-1][1]:
                continue
            notes[-1][2] = start - notes[-1][1]
        if end > start and 0 <= pitch <= 127:
            notes.append([pitch, start, end - start])
    return notes, offgrid


def _bar_ticks(pair: tuple[int, int]) -> int:
    return pair[0] * 4 * TICKS_PER_QUARTER // pair[1]


def _segments(notes: list[list[int]], measures: list[tuple[int, int, tuple[int, int] | None]]) -> list[dict]:
    """Cut the tune where its meter changes or a measure ends off the bar lines implied by the
    ones before it (a repeat's short bar) and find each piece's pickup. A measure may span
    several bars (Essen's ABC leaves out the bar line at the end of a line).
    Pieces in meters of under 3/8 or over 4/2, or shorter than 2 bars, are dropped."""
    starts: list[tuple[int, tuple[int, int] | None, int]] = []  # start tick, meter, pickup
    for offset, length, pair in measures:
        if length <= 0 and len(measures) > 1:
            continue
        bar = _bar_ticks(pair) if pair else 0
        if starts and pair is not None and starts[-1][1] == pair:
            begin, _, pickup = starts[-1]
            end = (offset - begin - pickup) % bar + length
            if end <= bar or end % bar == 0:  # stays in its bar, or ends on a bar line
                continue
        starts.append((offset, pair, length if 0 < length < bar else 0))
    segments = []
    for i, (begin, pair, pickup) in enumerate(starts):
        if pair is None or not 36 <= _bar_ticks(pair) <= 192:
            continue
        end = starts[i + 1][0] if i + 1 < len(starts) else None
        inside = [[p, s - begin, (d if end is None else min(d, end - s))]
                  for p, s, d in notes if s >= begin and (end is None or s < end)]
        if not inside:
            continue
        body = inside[-1][1] + inside[-1][2] - pickup
        if body >= MIN_SEGMENT_BARS * _bar_ticks(pair):
            segments.append({"meter": list(pair), "pickup": pickup, "notes": inside})
    return segments


# --- parsing the chosen tunes, resumably ------------------------------------------------------

def parse_corpus(cache_dir: Path, limit_per_task: int | None, progress: Progress,
                 workers: int = 1) -> list[tuple[str, str, str, dict]]:
    """``(task, group, key, record)`` for every tune of :func:`catalog` (or ``limit_per_task``
    of each task, a fixed pseudo-random choice), parsed by ``workers`` processes at nice 10
    (0: in this one). Each source file's records are cached in ``cache_dir`` as soon as a job
    of :data:`JOB_TUNES` tunes finishes, so a stopped run resumes. Reports fractions 0..0.9.

    Raises:
        CorpusSourceError: music21 is missing. Cancelled: ``progress`` asked to stop.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    progress.report_progress(0.0, "listing the tunes of music21's corpus")
    chosen = choose(catalog(), limit_per_task)
    caches: dict[str, dict] = {}
    todo = []
    for tune in chosen:
        if tune.group not in caches:
            caches[tune.group] = _read_cache(cache_dir, tune.group)
        if tune.key not in caches[tune.group]:
            todo.append(tune)
    done = len(chosen) - len(todo)
    progress.report_progress(0.9 * done / max(1, len(chosen)), f"{done} tunes cached, {len(todo)} to parse")
    for group, results in _run_jobs(_jobs(todo), workers, progress):
        caches[group].update(results)
        atomic_write(_cache_path(cache_dir, group),
                     json.dumps({"parser": PARSER_VERSION, "tunes": caches[group]}).encode())
        done += len(results)
        progress.report_progress(0.9 * done / max(1, len(chosen)), f"parsed {done}/{len(chosen)} tunes ({group})")
    return [(t.task, t.group, t.key, {**caches[t.group][t.key], "title": t.title}) for t in chosen]


def choose(tunes: list[TuneSource], limit: int | None) -> list[TuneSource]:
    """At most ``limit`` tunes of each task, the same ones on every run (None: all)."""
    if limit is None:
        return tunes
    by_task: dict[str, list[TuneSource]] = {}
    for tune in tunes:
        by_task.setdefault(tune.task, []).append(tune)
    chosen = []
    for task, members in by_task.items():
        picked = random.Random(task).sample(range(len(members)), min(limit, len(members)))
        chosen += [members[i] for i in sorted(picked)]
    return chosen


def _cache_path(cache_dir: Path, group: str) -> Path:
    return cache_dir / (group.replace("/", "__") + ".json")


def _read_cache(cache_dir: Path, group: str) -> dict:
    try:
        data = json.loads(_cache_path(cache_dir, group).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("tunes", {}) if data.get("parser") == PARSER_VERSION else {}


def _jobs(todo: list[TuneSource]) -> list[tuple[str, list[TuneSource]]]:
    by_group: dict[str, list[TuneSource]] = {}
    for tune in todo:
        by_group.setdefault(tune.group, []).append(tune)
    return [(group, members[i:i + JOB_TUNES])
            for group, members in by_group.items() for i in range(0, len(members), JOB_TUNES)]


def _niced() -> None:
    try:
        os.nice(10)
    except OSError:
        pass


def _run_jobs(jobs: list[tuple[str, list[TuneSource]]], workers: int, progress: Progress):
    """Yield ``(group, {key: record})`` job by job, from worker processes unless ``workers``
    is 0; stops the workers and raises Cancelled when ``progress`` asks."""
    if workers <= 0:
        for group, tunes in jobs:
            check_stop(progress)
            yield group, dict(parse_tunes(tunes))
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # a clean interpreter, whatever the caller imported
    pool = context.Pool(processes=workers, initializer=_niced)
    try:
        pending = [(group, pool.apply_async(parse_tunes, (tunes,))) for group, tunes in jobs]
        for group, result in pending:
            while not result.ready():
                check_stop(progress)
                result.wait(0.2)
            yield group, dict(result.get())
        pool.close()
    finally:
        pool.terminate()
        pool.join()
