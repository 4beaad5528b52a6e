"""The melody meta-training corpus: preparing it from music21's corpus, loading it, and
sampling episodes from it.

``python main.py prepare-melodies --out data/melody`` (:func:`add_arguments` / :func:`run`)
parses the Essen folk songs, O'Neill's, Ryan's Mammoth, Aird's Airs and the Bach chorales'
soprano lines (see :mod:`.corpus_music21` for the tasks and the held-out list) in 1-2
``nice`` worker processes, caching each source file's tunes under ``OUT/cache/`` so an
interrupted run resumes; then writes

* ``OUT/corpus.safetensors``: ``notes`` (int32 ``[n, 3]``: pitch, start, duration ticks) and,
  for whole tunes and for phrases of 4, 8 and 16 bars, uint8 token arrays with int64
  offsets (``tune_tokens`` / ``tune_token_offsets``, ``phrase8_tokens`` / ``phrase8_offsets``
  / ``phrase8_tune`` ...);
* ``OUT/corpus.json``: the vocabulary, the held-out tasks, every task (collection, tune type,
  split, its tune and phrase ranges) and every tune (title, source, key, meter, tempo,
  pickup, bars), plus counts of what was skipped and why.

Tunes of a task are contiguous, and phrases follow their tune. A tune is a stretch of one
meter with regular bar lines (a tune with a meter change gives several, titled "... part 2").
Exact duplicates (same tokens) are kept once, in a held-out task when one holds them. A
phrase is kept for episodes when it fills exactly its number of bars (the last, shorter
phrase of a tune is not). Loading needs numpy and safetensors only: never music21.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from studio.core.atomic import atomic_write, remove_stale_temps
from studio.core.melody import KeySignature, Melody, Note
from studio.domains.melody.representation import (
    VOCAB, RepresentationError, decode, encode_with_report, phrases, shift_pitches,
    transposition_shift,
)
from studio.errors import Cancelled, StudioError
from studio.core.melody_analysis import estimate_key, key_correlations
from studio.progress import NULL_PROGRESS, ConsoleProgress, Progress

FORMAT = "studio-melody-corpus"
FORMAT_VERSION = 1
PHRASE_BARS = (4, 8, 16)
DEFAULT_TEMPO = 120.0
SPLITS = ("train", "heldout")
TRANSPOSE_RANGE = (-5, 6)  # semitones for transposition augmentation, inclusive
TOKEN_DTYPE = np.uint8 if VOCAB.size <= 256 else np.int16


class CorpusError(StudioError):
    """The corpus folder is missing, damaged, or was built with another vocabulary."""


@dataclass(frozen=True)
class TuneInfo:
    """One tune of the corpus (its notes are in :meth:`MelodyCorpus.melody`)."""

    index: int
    task: str
    title: str
    source: str
    key: KeySignature
    time_signature: tuple[int, int]
    tempo_bpm: float
    pickup: int
    bars: int


@dataclass(frozen=True)
class TaskInfo:
    name: str  # "collection:type"
    collection: str
    tune_type: str
    split: str  # "train" or "heldout"
    tunes: int  # stretches of one meter (a tune with a meter change counts more than once)
    sources: int  # tunes of the source collection they come from
    phrases: dict[int, int]  # bars -> full phrases


@dataclass(frozen=True)
class Phrase:
    """A phrase's tokens and the tune it was cut from."""

    tokens: tuple[int, ...]
    tune: TuneInfo

    def melody(self) -> Melody:
        return decode(self.tokens, self.tune.key, self.tune.tempo_bpm, self.tune.time_signature,
                      self.tune.title)


@dataclass(frozen=True)
class Episode:
    """Support and query phrases (token lists) of one task."""

    task: str
    support: list[list[int]]
    query: list[list[int]]


@dataclass(frozen=True)
class CorpusSummary:
    out_dir: str
    tasks: tuple[TaskInfo, ...]
    heldout: tuple[str, ...]
    tunes: int
    phrases: dict[int, int]
    skipped: dict[str, int]
    seconds: float
    bytes: int
    notices: tuple[str, ...] = field(default=())


class MelodyCorpus:
    """A loaded corpus: tasks, tunes, melodies and phrase tokens. Use :func:`load_corpus`."""

    def __init__(self, directory: Path, manifest: dict, arrays: dict[str, np.ndarray]) -> None:
        self.directory = directory
        self.manifest = manifest
        self._arrays = arrays
        self.heldout: tuple[str, ...] = tuple(manifest["heldout"])
        self.phrase_bars: tuple[int, ...] = tuple(manifest["phrase_bars"])
        self._tasks = {t["name"]: t for t in manifest["tasks"]}
        self._tunes = [
            TuneInfo(i, t["task"], t["title"], t["source"], KeySignature(t["key"][0], t["key"][1]),
                     (t["meter"][0], t["meter"][1]), float(t["tempo"]), t["pickup"], t["bars"])
            for i, t in enumerate(manifest["tunes"])
        ]

    def tasks(self, split: str | None = None) -> list[str]:
        """Task names, of one split (``"train"`` or ``"heldout"``) or all."""
        if split is not None and split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
        return [n for n, t in self._tasks.items() if split is None or t["split"] == split]

    def task_info(self, task: str) -> TaskInfo:
        t = self._task(task)
        return TaskInfo(t["name"], t["collection"], t["tune_type"], t["split"],
                        t["tunes"][1] - t["tunes"][0], t["sources"],
                        {int(b): r[1] - r[0] for b, r in t["phrases"].items()})

    def tunes(self, task: str) -> list[TuneInfo]:
        start, stop = self._task(task)["tunes"]
        return self._tunes[start:stop]

    def melody(self, tune: TuneInfo | int) -> Melody:
        """The tune's notes as a melody (exactly as parsed)."""
        info = self._tunes[tune if isinstance(tune, int) else tune.index]
        offsets = self._arrays["tune_note_offsets"]
        rows = self._arrays["notes"][offsets[info.index]:offsets[info.index + 1]]
        notes = tuple(Note(int(p), int(s), int(d)) for p, s, d in rows)
        return Melody(notes, info.tempo_bpm, info.time_signature, info.key, info.pickup, info.title)

    def melodies(self, task: str) -> list[Melody]:
        return [self.melody(t) for t in self.tunes(task)]

    def tune_tokens(self, task: str) -> list[list[int]]:
        """Each tune of ``task`` as one token sequence."""
        return [self._slice("tune_tokens", "tune_token_offsets", t.index) for t in self.tunes(task)]

    def phrases(self, task: str, bars: int) -> list[Phrase]:
        """The full ``bars``-bar phrases of ``task`` (``bars`` in :attr:`phrase_bars`)."""
        start, stop = self._phrase_range(task, bars)
        owners = self._arrays[f"phrase{bars}_tune"]
        return [Phrase(tuple(self._slice(f"phrase{bars}_tokens", f"phrase{bars}_offsets", i)),
                       self._tunes[int(owners[i])]) for i in range(start, stop)]

    def _task(self, task: str) -> dict:
        try:
            return self._tasks[task]
        except KeyError:
            raise KeyError(f"no task {task!r} in the corpus; tasks: {', '.join(self._tasks)}") from None

    def _phrase_range(self, task: str, bars: int) -> tuple[int, int]:
        if bars not in self.phrase_bars:
            raise ValueError(f"phrases of {bars} bars are not stored; choose one of {self.phrase_bars}")
        start, stop = self._task(task)["phrases"][str(bars)]
        return start, stop

    def _slice(self, tokens: str, offsets: str, index: int) -> list[int]:
        o = self._arrays[offsets]
        return self._arrays[tokens][o[index]:o[index + 1]].astype(np.int64).tolist()


def load_corpus(directory: str | os.PathLike) -> MelodyCorpus:
    """Load a corpus written by :func:`prepare_corpus` (numpy and safetensors only).

    Raises:
        CorpusError: files missing or damaged, another format version or vocabulary.
    """
    from safetensors.numpy import load_file

    directory = Path(directory)
    manifest_path, arrays_path = directory / "corpus.json", directory / "corpus.safetensors"
    if not manifest_path.exists() or not arrays_path.exists():
        raise CorpusError("no melody corpus here; build it with `python main.py prepare-melodies "
                          f"--out {directory}`", str(directory))
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        arrays = load_file(str(arrays_path))
    except Exception as error:  # safetensors raises its own errors on damaged headers
        raise CorpusError(f"the corpus files are damaged ({error}); rebuild them", str(directory)) from error
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise CorpusError(f"not a version {FORMAT_VERSION} melody corpus; rebuild it", str(manifest_path))
    if tuple(manifest.get("vocabulary", ())) != VOCAB.names:
        raise CorpusError("the corpus was built with another token vocabulary; rebuild it",
                          str(manifest_path))
    expected = {"notes", "tune_note_offsets", "tune_tokens", "tune_token_offsets"}
    for bars in manifest["phrase_bars"]:
        expected |= {f"phrase{bars}_tokens", f"phrase{bars}_offsets", f"phrase{bars}_tune"}
    missing = expected - set(arrays)
    if missing or len(arrays["tune_token_offsets"]) != len(manifest["tunes"]) + 1:
        raise CorpusError(f"the corpus arrays do not match its manifest ({sorted(missing)}); "
                          "rebuild it", str(arrays_path))
    return MelodyCorpus(directory, manifest, arrays)


class EpisodeSampler:
    """Draws reproducible episodes: one task of ``split``, ``support`` phrases (a count drawn
    from the inclusive range) and ``query`` phrases of ``bars`` bars.

    Query phrases come from tunes not in the support when the task has enough. Tasks with
    fewer than ``support[0] + query`` phrases are never drawn. With ``augment``, each episode
    is transposed by a random number of semitones in :data:`TRANSPOSE_RANGE` (a phrase that
    would leave the pitch range stays as it is). Tasks named in ``exclude`` are never drawn. :meth:`sample_at` is a pure function of
    ``(seed, step)``, so a resumed run sees the episodes an uninterrupted one would.
    """

    def __init__(self, corpus: MelodyCorpus, split: str = "train", support: tuple[int, int] = (3, 8),
                 query: int = 4, bars: int = 8, seed: int = 0, augment: bool = False,
                 exclude: tuple[str, ...] = ()) -> None:
        if not 1 <= support[0] <= support[1] or query < 0:
            raise ValueError(f"support must be a range (lo, hi) with 1 <= lo <= hi, got {support}; "
                             f"query must be >= 0, got {query}")
        self.corpus, self.split, self.support, self.query = corpus, split, support, query
        self.bars, self.seed, self.augment = bars, seed, augment
        self._phrases = {t: corpus.phrases(t, bars) for t in corpus.tasks(split) if t not in exclude}
        self.task_names = [t for t, p in self._phrases.items() if len(p) >= support[0] + query]
        if not self.task_names:
            raise ValueError(f"no {split} task has {support[0] + query} phrases of {bars} bars")
        self._step = 0

    def sample(self) -> Episode:
        """The next episode (the ``n``-th call returns ``sample_at(n)``)."""
        episode = self.sample_at(self._step)
        self._step += 1
        return episode

    def sample_at(self, step: int) -> Episode:
        rng = np.random.default_rng([self.seed, step])
        task = self.task_names[int(rng.integers(len(self.task_names)))]
        pool = self._phrases[task]
        count = int(rng.integers(self.support[0], min(self.support[1], len(pool) - self.query) + 1))
        order = [int(i) for i in rng.permutation(len(pool))]
        support = order[:count]
        used = {pool[i].tune.index for i in support}
        rest = order[count:]
        query = ([i for i in rest if pool[i].tune.index not in used]
                 + [i for i in rest if pool[i].tune.index in used])[:self.query]
        shift = int(rng.integers(TRANSPOSE_RANGE[0], TRANSPOSE_RANGE[1] + 1)) if self.augment else 0
        return Episode(task, [self._tokens(pool[i], shift) for i in support],
                       [self._tokens(pool[i], shift) for i in query])

    @staticmethod
    def _tokens(phrase: Phrase, semitones: int) -> list[int]:
        if semitones:
            moved = shift_pitches(phrase.tokens, transposition_shift(phrase.tune.key, semitones))
            if moved is not None:
                return moved
        return list(phrase.tokens)


# --- preparation ----------------------------------------------------------------------------

def prepare_corpus(out_dir: str | os.PathLike, limit_per_task: int | None = None,
                   progress: Progress = NULL_PROGRESS, workers: int = 1) -> CorpusSummary:
    """Parse music21's corpus (cached per source file under ``out_dir/cache``, so a stopped run
    resumes) and write the corpus files. ``limit_per_task`` takes that many tunes per task (a
    fixed pseudo-random choice) for a quick build; ``workers`` 0 parses in this process.

    Raises:
        CorpusSourceError: music21 is not installed. Cancelled: ``progress`` asked to stop.
    """
    from studio.domains.melody import corpus_music21 as source

    started = time.monotonic()
    out = Path(out_dir)
    records = source.parse_corpus(out / "cache", limit_per_task, progress, workers)
    progress.report_progress(0.9, "encoding tunes and phrases")
    minimum = min(source.MIN_TASK_TUNES, limit_per_task or source.MIN_TASK_TUNES)
    return build_corpus(out, records, source.HELDOUT_TASKS, progress, started,
                        {"limit_per_task": limit_per_task, "min_task_tunes": minimum})


def _tune_key(record: dict) -> KeySignature:
    """The key of a whole tune (all its segments): the named key when the source gives a mode;
    else the better of the signature's major and relative minor by Krumhansl-Kessler
    correlation; else the estimate."""
    notes, end = [], 0
    for segment in record["segments"]:
        for p, s, d in segment["notes"]:
            notes.append(Note(int(p), end + int(s), int(d)))
        end = notes[-1].end if notes else end
    melody = Melody(tuple(notes))
    if record.get("key"):
        return KeySignature(int(record["key"][0]) % 12, record["key"][1])
    if record.get("sharps") is not None:
        major = KeySignature(7 * int(record["sharps"]) % 12, "major")
        minor = KeySignature((major.tonic + 9) % 12, "minor")
        scores = dict(key_correlations(melody))
        return major if scores[major] >= scores[minor] else minor
    return estimate_key(melody)[0]


def build_corpus(out_dir: Path, records: list[tuple[str, str, str, dict]], heldout: tuple[str, ...],
                 progress: Progress = NULL_PROGRESS, started: float | None = None,
                 settings: dict | None = None) -> CorpusSummary:
    """Encode parsed tune records ``(task, group, key, record)`` (as :func:`.corpus_music21.parse_tunes`
    makes them) and write ``corpus.safetensors`` and ``corpus.json`` into ``out_dir``.

    Tasks in ``heldout`` form the held-out split; duplicates are kept in them first. Tasks
    left with fewer than ``settings["min_task_tunes"]`` tunes (default 1) are dropped.
    """
    from safetensors.numpy import save

    started = time.monotonic() if started is None else started
    settings = dict(settings or {})
    skipped: dict[str, int] = {}
    adjusted = [0]  # tunes kept after snapping onto the grid or moving an octave

    def skip(reason: str, count: int = 1) -> None:
        skipped[reason] = skipped.get(reason, 0) + count

    order = sorted(range(len(records)), key=lambda i: (records[i][0] not in heldout, i))
    tunes_by_task: dict[str, list[dict]] = {}
    seen: set[str] = set()
    for step, i in enumerate(order):
        if step % 200 == 0 and progress.should_stop():
            raise Cancelled()
        task, group, key, record = records[i]
        if "error" in record:
            skip(_reason(record["error"]))
            continue
        segments = record["segments"]
        try:
            tonality = _tune_key(record)
        except ValueError as error:  # overlapping or out-of-range notes in a damaged record
            skip(f"damaged record ({error})"[:60])
            continue
        for part, segment in enumerate(segments):
            built = _build_tune(group, key, record, tonality, segment, part, len(segments),
                                skip, adjusted)
            if built is None:
                continue
            digest = hashlib.sha1(np.asarray(built["tokens"], np.int16).tobytes()).hexdigest()
            if digest in seen:
                skip("exact duplicate of another tune")
                continue
            seen.add(digest)
            tunes_by_task.setdefault(task, []).append(built)

    minimum = int(settings.get("min_task_tunes", 1))
    for task in [t for t, tunes in tunes_by_task.items() if len(tunes) < minimum]:
        skip(f"task with fewer than {minimum} tunes", len(tunes_by_task.pop(task)))
    names = sorted(tunes_by_task, key=lambda t: (t in heldout, t))
    arrays, manifest = _pack(names, tunes_by_task, heldout)
    manifest["stats"] = {"skipped": skipped, "snapped_or_moved": adjusted[0], **settings}
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out_dir)  # left by builds killed mid-write
    atomic_write(out_dir / "corpus.safetensors", save(arrays))
    seconds = time.monotonic() - started
    manifest["stats"]["seconds"] = round(seconds, 1)
    atomic_write(out_dir / "corpus.json", json.dumps(manifest, indent=1, ensure_ascii=False).encode())
    size = sum((out_dir / n).stat().st_size for n in ("corpus.json", "corpus.safetensors"))
    corpus = MelodyCorpus(out_dir, manifest, arrays)
    progress.report_progress(1.0, f"wrote {len(manifest['tunes'])} tunes in {len(names)} tasks")
    return CorpusSummary(
        str(out_dir), tuple(corpus.task_info(n) for n in names), tuple(t for t in names if t in heldout),
        len(manifest["tunes"]), {b: len(arrays[f"phrase{b}_tune"]) for b in PHRASE_BARS},
        skipped, seconds, size,
        (f"{adjusted[0]} tunes snapped onto the grid or moved an octave to fit",) if adjusted[0] else (),
    )


def _reason(error: str) -> str:
    return error if len(error) < 60 and ":" not in error else "music21 could not parse it"


def _build_tune(group, key, record, tonality, segment, part, parts, skip, adjusted) -> dict | None:
    title = record.get("title", "") + (f" part {part + 1}" if parts > 1 else "")
    meter = (int(segment["meter"][0]), int(segment["meter"][1]))
    tempo = float(record.get("tempo") or DEFAULT_TEMPO)
    try:
        notes = tuple(Note(int(p), int(s), int(d)) for p, s, d in segment["notes"])
        melody = Melody(notes, min(1000.0, max(1.0, tempo)), meter, tonality, int(segment["pickup"]), title)
        encoding = encode_with_report(melody)
    except (ValueError, RepresentationError) as error:
        skip(f"cannot be represented ({str(error).split(':')[-1].strip()[:50]})")
        return None
    if not encoding.exact:  # keep notes and tokens in agreement: store what the tokens say
        adjusted[0] += 1
        melody = decode(encoding.tokens, melody.key, melody.tempo_bpm, meter, title)
    cut = {}
    for bars in PHRASE_BARS:
        cut[bars] = []
        for phrase in phrases(melody, bars):
            tokens = encode_with_report(phrase, melody.key).tokens
            if tokens.count(VOCAB.BAR) - 1 == bars:
                cut[bars].append(tokens)
    return {"melody": melody, "tokens": encoding.tokens, "phrases": cut,
            "source": f"{group}#{key}"}


def _pack(names: list[str], tunes_by_task: dict[str, list[dict]], heldout: tuple[str, ...]):
    notes: list[tuple[int, int, int]] = []
    note_offsets, token_offsets, tokens = [0], [0], []
    phrase_tokens = {b: [] for b in PHRASE_BARS}
    phrase_offsets = {b: [0] for b in PHRASE_BARS}
    phrase_tune = {b: [] for b in PHRASE_BARS}
    tasks, tunes = [], []
    for name in names:
        first = len(tunes)
        first_phrase = {b: len(phrase_tune[b]) for b in PHRASE_BARS}
        for built in tunes_by_task[name]:
            melody: Melody = built["melody"]
            index = len(tunes)
            notes.extend((n.pitch, n.start, n.duration) for n in melody.notes)
            note_offsets.append(len(notes))
            tokens.extend(built["tokens"])
            token_offsets.append(len(tokens))
            for b in PHRASE_BARS:
                for phrase in built["phrases"][b]:
                    phrase_tokens[b].extend(phrase)
                    phrase_offsets[b].append(len(phrase_tokens[b]))
                    phrase_tune[b].append(index)
            tunes.append({
                "task": name, "title": melody.name, "source": built["source"],
                "key": [melody.key.tonic, melody.key.mode], "key_name": melody.key.name,
                "meter": list(melody.time_signature), "tempo": melody.tempo_bpm,
                "pickup": melody.pickup, "bars": melody.bars, "notes": len(melody.notes),
            })
        collection, tune_type = name.split(":", 1)
        tasks.append({
            "name": name, "collection": collection, "tune_type": tune_type,
            "split": "heldout" if name in heldout else "train", "tunes": [first, len(tunes)],
            "sources": len({built["source"] for built in tunes_by_task[name]}),
            "phrases": {str(b): [first_phrase[b], len(phrase_tune[b])] for b in PHRASE_BARS},
        })
    arrays = {
        "notes": np.asarray(notes, np.int32).reshape(-1, 3),
        "tune_note_offsets": np.asarray(note_offsets, np.int64),
        "tune_tokens": np.asarray(tokens, TOKEN_DTYPE),
        "tune_token_offsets": np.asarray(token_offsets, np.int64),
    }
    for b in PHRASE_BARS:
        arrays[f"phrase{b}_tokens"] = np.asarray(phrase_tokens[b], TOKEN_DTYPE)
        arrays[f"phrase{b}_offsets"] = np.asarray(phrase_offsets[b], np.int64)
        arrays[f"phrase{b}_tune"] = np.asarray(phrase_tune[b], np.int32)
    manifest = {
        "format": FORMAT, "version": FORMAT_VERSION, "vocabulary": list(VOCAB.names),
        "phrase_bars": list(PHRASE_BARS), "heldout": [n for n in names if n in heldout],
        "heldout_rule": "see studio.domains.melody.corpus_music21.HELDOUT_TASKS",
        "tasks": tasks, "tunes": tunes,
    }
    return arrays, manifest


# --- command line ---------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``prepare-melodies``."""
    parser.add_argument("--out", default="data/melody", help="output folder (default: data/melody)")
    parser.add_argument("--limit-per-task", type=int, default=None, metavar="N",
                        help="take at most N tunes per task, for a quick small corpus")
    parser.add_argument("--workers", type=int, default=1,
                        help="parsing processes, run with nice 10 (0: parse in this process)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")


def run(args: argparse.Namespace) -> int:
    """Run ``prepare-melodies``; prints one line per task. Returns the exit code (0)."""
    if args.limit_per_task is not None and args.limit_per_task < 1:
        raise CorpusError(f"--limit-per-task must be at least 1, got {args.limit_per_task}")
    summary = prepare_corpus(args.out, args.limit_per_task, ConsoleProgress(quiet=args.quiet),
                             workers=args.workers)
    print(format_summary(summary))
    return 0


def format_summary(summary: CorpusSummary) -> str:
    lines = [f"{'task':24} {'split':8} {'source':>6} {'tunes':>6} " + " ".join(f"{f'{b}-bar':>7}" for b in PHRASE_BARS)]
    for t in summary.tasks:
        lines.append(f"{t.name:24} {t.split:8} {t.sources:6d} {t.tunes:6d} "
                     + " ".join(f"{t.phrases.get(b, 0):7d}" for b in PHRASE_BARS))
    lines.append(f"{summary.tunes} tunes in {len(summary.tasks)} tasks; phrases "
                 + ", ".join(f"{n} of {b} bars" for b, n in summary.phrases.items()))
    lines.append(f"held out: {', '.join(summary.heldout) or 'none'}")
    lines += [f"skipped {n}: {reason}" for reason, n in sorted(summary.skipped.items(), key=lambda x: -x[1])]
    lines += list(summary.notices)
    lines.append(f"{summary.seconds:.0f} s, {summary.bytes / 2**20:.1f} MiB in {summary.out_dir}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry: ``python -m studio.domains.melody.corpus --out data/melody``."""
    parser = argparse.ArgumentParser(prog="prepare-melodies", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except StudioError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
