"""Melody pools for taste learning: genuine phrases and generator drafts per collection.

Role: the melody half of ``python main.py prepare-taste`` (:mod:`studio.taste.prepare`). One
:class:`~studio.taste.pools.Pool` per collection under ``<out>/melody/<collection>/``:

* every task of the prepared music21 corpus (``data/melody``, ``prepare-melodies``), e.g.
  ``essen:altdeu``, ``oneills:reel``; split "heldout" for
  :data:`~studio.domains.melody.corpus_music21.HELDOUT_TASKS`;
* every songwriter folder of the lead sheets (``../shared/data/leadsheets``) with at least
  :data:`MIN_LEADSHEET_PHRASES` usable phrases, as ``leadsheets:<folder>``; the songwriters
  ``bench chords`` holds out (:data:`~studio.domains.melody.leadsheet_corpus.HELDOUT`) are split
  "heldout", and folders crediting one of their writers are left out altogether.

Rows: up to ``genuine`` 8-bar phrases of the collection (a fixed pseudo-random choice), four of
them (from different tunes where it can) marked ``sample``; then ``drafts`` melodies that the
shipped generator made after adapting to those four samples exactly as ``python main.py
generate`` does (the samples are written as MIDI files and read back, the model card's method
and steps), drafted the way live drafting (:mod:`studio.taste.drafting`) drafts: in groups of
``--melody-per-setting`` (3) sharing one :func:`~studio.taste.settings.draft_settings` draw,
applied through :func:`~studio.taste.settings.melody_params`, all under the one density
calibration of the plain parameters (:meth:`MelodyGenerator.generate_drafts`); like live drafts
they are not filtered for copies (live drafting drops copies of liked works itself); the rows
that copy a sample are listed in ``build.json`` (``sample_copies``). Every row is stored as ``NNNN.mid`` beside ``index.npz``; a pool
whose index exists is skipped (the build resumes), and a build record (``build.json``) says
what made it.
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from studio.core.atomic import atomic_write
from studio.core.melody import Melody
from studio.errors import Cancelled, StudioError
from studio.progress import NULL_PROGRESS, Progress, StopOnly
from studio.taste import settings as draft
from studio.taste.melody_features import SPEC, describe_melody
from studio.taste.pools import INDEX, Pool, pool_folder, save_pool

PHRASE_BARS = 8
SAMPLES = 4
DEFAULT_GENUINE = 200
DEFAULT_DRAFTS = 150
DRAFTS_PER_SETTING = 3  # as live drafting (studio.taste.drafting.MELODY_GROUP): drafts sharing one setting
MIN_NOTES = 8  # a phrase with fewer notes is no melody to judge
MIN_LEADSHEET_PHRASES = 12  # four samples and eight more works to judge against
DEFAULT_CORPUS = "data/melody"
DEFAULT_LEADSHEETS = "../shared/data/leadsheets"


class TooFewPhrases(StudioError):
    """A collection has too few usable phrases for a pool (a property of the data, not a failure)."""


@dataclass(frozen=True)
class MelodyCollection:
    """One collection to pool: its name, split and a loader of its phrases (with their tune)."""

    name: str  # "essen:altdeu", "leadsheets:Stephen_Foster"
    split: str  # "train" or "heldout"
    load: Callable[[], list[tuple[Melody, str]]]  # 8-bar phrases and the tune each comes from


@dataclass(frozen=True)
class PoolReport:
    """What building one pool did."""

    collection: str
    split: str
    folder: Path
    genuine: int
    drafts: int
    seconds: float
    skipped: bool = False  # already built


def add_pool_arguments(parser: argparse.ArgumentParser) -> None:
    """The melody options of ``prepare-taste`` (all prefixed ``--melody-`` or named for their data)."""
    parser.add_argument("--melody-corpus", default=DEFAULT_CORPUS, metavar="DIR",
                        help=f"the prepared music21 corpus (default: {DEFAULT_CORPUS}; "
                             "python main.py prepare-melodies makes it); 'none' leaves it out")
    parser.add_argument("--leadsheets", default=DEFAULT_LEADSHEETS, metavar="DIR",
                        help=f"folder of songwriter folders of .mxl lead sheets (default: {DEFAULT_LEADSHEETS}); "
                             "'none' leaves them out")
    parser.add_argument("--melody-genuine", type=int, default=DEFAULT_GENUINE, metavar="N",
                        help=f"genuine 8-bar phrases per pool, at most (default: {DEFAULT_GENUINE})")
    parser.add_argument("--melody-drafts", type=int, default=DEFAULT_DRAFTS, metavar="N",
                        help=f"generator drafts per pool (default: {DEFAULT_DRAFTS})")
    parser.add_argument("--melody-per-setting", type=int, default=DRAFTS_PER_SETTING, metavar="N",
                        help=f"drafts sharing one draw of settings, as live drafting (default: {DRAFTS_PER_SETTING})")
    parser.add_argument("--melody-model", default=None, metavar="NAME",
                        help="the melody model in models/ (default: the shipped generator)")


def check_pool_arguments(args: argparse.Namespace) -> None:
    """Raise StudioError for option values no build can use."""
    for name in ("melody_genuine", "melody_drafts", "melody_per_setting"):
        value = getattr(args, name)
        if value < 1:
            raise StudioError(f"--{name.replace('_', '-')} must be at least 1, got {value}")
    if args.melody_genuine <= SAMPLES:
        raise StudioError(f"--melody-genuine must exceed the {SAMPLES} samples, got {args.melody_genuine}")


def melody_collections(corpus_dir: str | Path | None, leadsheets_dir: str | Path | None,
                       notices: list[str]) -> list[MelodyCollection]:
    """Every collection the sources hold, train ones and held-out ones interleaved (two train, one
    held out, ...) so a build that is stopped early has some of both. A missing source raises
    StudioError naming it; ``None`` leaves a source out."""
    train: list[MelodyCollection] = []
    heldout: list[MelodyCollection] = []
    if corpus_dir is not None:
        for c in music21_collections(corpus_dir):
            (heldout if c.split == "heldout" else train).append(c)
    if leadsheets_dir is not None:
        for c in leadsheet_collections(leadsheets_dir, notices):
            (heldout if c.split == "heldout" else train).append(c)
    out: list[MelodyCollection] = []
    while train or heldout:
        out += train[:2] + heldout[:1]
        train, heldout = train[2:], heldout[1:]
    return out


def music21_collections(corpus_dir: str | Path) -> list[MelodyCollection]:
    """One collection per task of the prepared corpus (raises StudioError naming a missing or
    damaged folder)."""
    from studio.domains.melody.corpus import load_corpus

    folder = Path(corpus_dir)
    if not folder.is_dir():
        raise StudioError("no prepared melody corpus here: run python main.py prepare-melodies --out "
                          f"{folder} first (needs the [train] extra), or pass --melody-corpus none", str(folder))
    corpus = load_corpus(folder)

    def loader(task: str) -> Callable[[], list[tuple[Melody, str]]]:
        def load() -> list[tuple[Melody, str]]:
            return [(p.melody(), f"{p.tune.index}") for p in corpus.phrases(task, PHRASE_BARS)]
        return load

    return [MelodyCollection(task, corpus.task_info(task).split, loader(task)) for task in corpus.tasks()]


def leadsheet_collections(folder: str | Path, notices: list[str]) -> list[MelodyCollection]:
    """One collection per songwriter folder (see the module's docstring for which)."""
    from studio.domains.melody.leadsheet_corpus import HELDOUT, shares_a_writer

    root = Path(folder)
    if not root.is_dir():
        raise StudioError("no lead sheets here: pass the folder of songwriter folders with --leadsheets, "
                          "or --leadsheets none", str(root))
    out = []
    for writer in sorted(p for p in root.iterdir() if p.is_dir()):
        heldout = writer.name in HELDOUT
        if not heldout and shares_a_writer(writer.name):
            continue
        songs = sorted(writer.glob("*/*.mxl"))
        if len(songs) * 4 < MIN_LEADSHEET_PHRASES:  # cheap pre-filter: a song gives about 4 phrases
            continue
        out.append(MelodyCollection(f"leadsheets:{writer.name}", "heldout" if heldout else "train",
                                    _leadsheet_loader(songs, notices)))
    return out


def _leadsheet_loader(songs: Sequence[Path], notices: list[str]) -> Callable[[], list[tuple[Melody, str]]]:
    def load() -> list[tuple[Melody, str]]:
        from studio.domains.melody.representation import phrases
        from studio.io.musicxml import read_musicxml

        out: list[tuple[Melody, str]] = []
        for path in songs:
            try:
                melody = read_musicxml(path)[0]
            except (StudioError, IndexError) as exc:
                notices.append(f"{path}: skipped ({exc})")
                continue
            for cut in phrases(melody, PHRASE_BARS):
                if cut.bars >= PHRASE_BARS - 1:  # not the short last phrase of a song
                    out.append((replace(cut, chords=()), path.parent.name))
        return out
    return load


def usable_phrases(found: Sequence[tuple[Melody, str]]) -> list[tuple[Melody, str]]:
    """Phrases with at least :data:`MIN_NOTES` notes."""
    return [(m, tune) for m, tune in found if len(m.notes) >= MIN_NOTES]


def pick_genuine(found: Sequence[tuple[Melody, str]], count: int, rng: np.random.Generator
                 ) -> tuple[list[Melody], list[int]]:
    """Up to ``count`` phrases (a fixed pseudo-random choice, in corpus order) and the indices of
    :data:`SAMPLES` of them, from different tunes where there are enough tunes."""
    chosen = sorted(rng.choice(len(found), size=min(count, len(found)), replace=False).tolist())
    phrases = [found[i][0] for i in chosen]
    tunes = [found[i][1] for i in chosen]
    order = rng.permutation(len(phrases)).tolist()
    samples: list[int] = []
    for i in order:  # first pass: one per tune
        if tunes[i] not in {tunes[j] for j in samples}:
            samples.append(i)
        if len(samples) == SAMPLES:
            break
    for i in order:  # too few tunes: any phrase
        if len(samples) == SAMPLES:
            break
        if i not in samples:
            samples.append(i)
    return phrases, sorted(samples)


def collection_seed(collection: str, seed: int) -> int:
    """A stable seed of one collection's pool (the same on every machine and run)."""
    return int(zlib.crc32(collection.encode("utf-8")) ^ (seed * 7919)) & 0x7FFFFFFF


class MelodyPoolBuilder:
    """Builds melody pools with one loaded generator (torch is imported here, on first use)."""

    def __init__(self, model: str | None = None, threads: int = 1) -> None:
        import torch

        from studio.domains.melody.generator import DEFAULT_MODEL, MelodyGenerator
        from studio.model_registry import model_stem

        torch.set_num_threads(threads)
        stem = model_stem(model or DEFAULT_MODEL)
        self.generator = MelodyGenerator(stem.name, stem.parent, threads=threads)

    def build(self, collection: MelodyCollection, root: str | Path, genuine: int, drafts: int,
              group: int = DRAFTS_PER_SETTING, seed: int = 0, progress: Progress = NULL_PROGRESS,
              overwrite: bool = False) -> PoolReport:
        """Build (or, when its index exists and not ``overwrite``, skip) one collection's pool.
        Raises StudioError when the collection has fewer usable phrases than it needs."""
        from studio.domains.base import AdaptConfig, work_seeds
        from studio.domains.melody.metrics import is_copy
        from studio.domains.melody.params import RANGE_MARGIN, MelodyParams
        from studio.io.midi import load_midi_sample, write_midi

        started = time.perf_counter()
        folder = pool_folder(root, "melody", collection.name)
        if (folder / INDEX).is_file() and not overwrite:
            return PoolReport(collection.name, collection.split, folder, 0, 0, 0.0, skipped=True)
        found = usable_phrases(collection.load())
        least = MIN_LEADSHEET_PHRASES if collection.name.startswith("leadsheets:") else SAMPLES + 1
        if len(found) < least:
            raise TooFewPhrases(f"only {len(found)} usable 8-bar phrases, fewer than the {least} a pool needs",
                                collection.name)
        pool_seed = collection_seed(collection.name, seed)
        rng = np.random.default_rng(pool_seed)
        phrases, sample_rows = pick_genuine(found, genuine, rng)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.mid"):  # an interrupted or replaced build's works
            stale.unlink()
        files: list[str] = []
        for i, melody in enumerate(phrases):
            files.append(f"{i:04d}.mid")
            atomic_write(folder / files[-1], write_midi(melody))
        samples = [load_midi_sample(str(folder / files[i]), (folder / files[i]).read_bytes()) for i in sample_rows]

        generator = self.generator
        config = AdaptConfig(method=str(generator.card.get("method", "reptile")), steps=generator.default_steps,
                             seed=pool_seed)
        adapted = generator.adapt(samples, config)
        style = generator.style_of(samples)
        default_range = (style.pitch_range[0] - RANGE_MARGIN, style.pitch_range[1] + RANGE_MARGIN)
        n_groups = -(-drafts // group)
        groups = draft.draft_settings("melody", n_groups, rng)
        sizes = [min(group, drafts - k * group) for k in range(n_groups)]
        settings_of = [s for s, size in zip(groups, sizes) for _ in range(size)]
        base = MelodyParams(bars=PHRASE_BARS)
        plans = [(draft.melody_params(base, s, default_range), seed)
                 for s, seed in zip(settings_of, work_seeds(pool_seed, drafts))]
        progress.report_progress(0.1, f"{collection.name}: drafting {drafts} melodies")
        made = generator.generate_drafts(adapted, samples, base, plans, StopOnly(progress))
        if progress.should_stop():
            raise Cancelled("the pool build was stopped")
        works = [(w, s) for w, s in zip(made, settings_of) if w is not None]
        for work, _ in works:
            files.append(f"{len(files):04d}.mid")
            atomic_write(folder / files[-1], write_midi(work.melody))

        n_genuine, n_drafts = len(phrases), len(works)
        support = [s.melody for s in samples if s.melody is not None]
        copies = [n_genuine + k for k, (w, _) in enumerate(works) if is_copy(w.melody, support)]
        descriptors = [describe_melody(m) for m in phrases] + [describe_melody(w.melody) for w, _ in works]
        interp = np.stack([d.interp for d in descriptors]).astype(np.float32)
        raw = np.stack([d.raw for d in descriptors]).astype(np.float32)
        settings_rows = np.full((n_genuine + n_drafts, len(draft.MELODY_SETTINGS)), np.nan, np.float32)
        if works:
            settings_rows[n_genuine:] = draft.settings_vector("melody", [s for _, s in works])
        is_sample = np.zeros(n_genuine + n_drafts, bool)
        is_sample[sample_rows] = True
        pool = Pool(domain="melody", collection=collection.name, split=collection.split, interp=interp, raw=raw,
                    genuine=np.arange(n_genuine + n_drafts) < n_genuine, sample=is_sample,
                    settings=settings_rows,
                    seeds=np.array([-1] * n_genuine + [w.seed for w, _ in works], np.int64), files=tuple(files))
        seconds = time.perf_counter() - started
        record = {"collection": collection.name, "split": collection.split, "genuine": n_genuine,
                  "drafts": n_drafts, "samples": sample_rows, "model": generator.model_name,
                  "method": adapted.method, "steps": adapted.steps, "pool_seed": pool_seed,
                  "drafts_per_setting": group, "settings": groups,
                  "sample_copies": copies,  # draft rows that copy a sample (metrics.is_copy): not filtered
                  "feature_spec_version": SPEC.version, "seconds": round(seconds, 1),
                  "made_by": "python main.py prepare-taste --domain melody"}
        atomic_write(folder / "build.json", json.dumps(record, indent=1).encode("utf-8"))
        save_pool(pool, root)  # last: an index means the pool is complete
        return PoolReport(collection.name, collection.split, folder, n_genuine, n_drafts, seconds)


def build_melody_pools(args: argparse.Namespace, progress: Progress = NULL_PROGRESS) -> list[PoolReport]:
    """Build every melody pool the options select (``args``: :func:`add_pool_arguments` plus
    ``root``, ``seed``, ``split``, ``collections``, ``limit``, ``overwrite``). A collection that
    has too few phrases for a pool is left out with a notice in ``args.notices``; one that fails
    otherwise is skipped with a notice starting "melody pool" (prepare-taste then exits 1)."""
    check_pool_arguments(args)
    notices: list[str] = getattr(args, "notices", [])
    corpus = None if str(args.melody_corpus).lower() == "none" else args.melody_corpus
    leadsheets = None if str(args.leadsheets).lower() == "none" else args.leadsheets
    collections = melody_collections(corpus, leadsheets, notices)
    if args.split != "all":
        collections = [c for c in collections if c.split == args.split]
    if args.collections:
        collections = [c for c in collections if any(p in c.name for p in args.collections)]
    if args.limit is not None:
        collections = collections[:args.limit]
    builder: MelodyPoolBuilder | None = None
    reports: list[PoolReport] = []
    for i, collection in enumerate(collections):
        if progress.should_stop():
            raise Cancelled("the pool build was stopped")
        if (pool_folder(args.root, "melody", collection.name) / INDEX).is_file() and not args.overwrite:
            reports.append(PoolReport(collection.name, collection.split,
                                      pool_folder(args.root, "melody", collection.name), 0, 0, 0.0, skipped=True))
            continue
        builder = builder or MelodyPoolBuilder(args.melody_model, threads=getattr(args, "threads", 1) or 1)
        try:
            report = builder.build(collection, args.root, args.melody_genuine, args.melody_drafts,
                                   args.melody_per_setting, args.seed, _Sub(progress, i, len(collections)),
                                   args.overwrite)
        except TooFewPhrases as exc:
            notices.append(f"melody collection {collection.name} left out: {exc.reason}")
            progress.report_progress((i + 1) / len(collections), notices[-1])
            continue
        except StudioError as exc:
            if isinstance(exc, Cancelled):
                raise
            notices.append(f"melody pool {collection.name} skipped: {exc}")
            progress.report_progress((i + 1) / len(collections), notices[-1])
            continue
        reports.append(report)
        progress.report_progress((i + 1) / len(collections),
                                 f"melody pool {i + 1}/{len(collections)} {report.collection} ({report.split}): "
                                 f"{report.genuine} genuine, {report.drafts} drafts, {report.seconds:.0f} s")
    return reports


class _Sub:
    """Progress of one pool inside the whole build."""

    def __init__(self, outer: Progress, index: int, total: int) -> None:
        self._outer, self._index, self._total = outer, index, total

    def report_progress(self, fraction: float, message: str = "") -> None:
        self._outer.report_progress((self._index + min(1.0, fraction)) / self._total, message)

    def report_partial(self, result: Any) -> None:
        pass

    def should_stop(self) -> bool:
        return self._outer.should_stop()
