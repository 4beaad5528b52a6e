"""Painting pools for taste learning: each painter's works and drafts of the shipped generator.

Role: the painting half of ``python main.py prepare-taste`` (:mod:`studio.taste.prepare` adds
:func:`add_pool_arguments` to its parser and calls :func:`build_painting_pools`); it can also run
alone: ``python -m studio.taste.painting_pools [--painting-artists degas ...]``.

For every painter under the paintings folder (``../shared/data/paintings``, one sub-folder per
painter; :mod:`studio.domains.painting.dataset` says which are held out) it writes several pools
``runs/taste/painting/painting_<artist>_<k>/`` (collection ``painting:<artist>#<k>``), one per set
of 4 samples (the sets are :func:`~studio.domains.painting.dataset.eval_tasks`' disjoint draws,
the ones the painting benchmarks use). A pool holds:

* the genuine works: the painter's paintings (all of them for a 30-work painter; a seeded,
  per-set disjoint share of up to ``--painting-genuine`` for a large one), described at 256 px,
  their ``files`` the absolute source paths; the 4 samples among them;
* drafts: the shipped painting generator conditioned on the 4 samples the way ``python main.py
  generate`` does it (the model's default 0 steps: the instant start), each with its own draft
  settings (:func:`studio.taste.settings.draft_settings`: composition, texture, brushwork through
  :func:`~studio.taste.settings.painting_params`, light and warmth through
  :func:`~studio.taste.settings.painting_post`), saved as ``NNNN.png`` (seed and provenance in
  its text chunks) at 256 px for held-out painters (the benchmark measures fidelity there) and
  128 px for training painters.

Drafts per pool: 216 for training painters, 120 for held-out ones (a simulated person sees 3
galleries of 12, each chosen from 36 drafts, and never one draft twice). A pool built with fewer
drafts than asked is extended: its rows are kept and the missing drafts are appended, drawn from
a stream keyed by the first new draft's number (the pools under runs/ were built with 72 / 60
and extended; ``pool.json`` lists every draft's settings). The build is resumable: a pool whose
``index.npz`` exists with enough drafts is skipped (``--painting-rebuild`` or ``prepare-taste``'s
``--overwrite`` makes it again), and several builders may share one root (a pool being built
carries a ``.building`` claim). ``prepare-taste``'s ``--split``, ``--collections`` and
``--limit`` select pools here as they do for melodies. A painting that cannot be read is left
out with a message naming it; a pool whose samples cannot be read is skipped and reported, and
the others are still built.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from studio.errors import Cancelled, StudioError
from studio.progress import ConsoleProgress, Progress
from studio.taste import settings as S
from studio.taste.painting_features import SPEC, describe_image
from studio.taste.pools import DEFAULT_ROOT, INDEX, Pool, load_pool, pool_folder, save_pool

DOMAIN = "painting"
SAMPLES_PER_SET = 4
LARGE_PAINTER = 200  # painters with at least this many works get LARGE_SETS sets, the others SMALL_SETS
LARGE_SETS, SMALL_SETS = 6, 4
GENUINE = 120  # genuine works per pool at most
DRAFTS_TRAIN, DRAFTS_HELDOUT = 216, 120  # 3 galleries of 12 from 36 drafts each, never one shown twice
SIZE_TRAIN, SIZE_HELDOUT = 128, 256
DESCRIBE_SIDE = 256  # genuine works are described at this long side
CLAIM = ".building"  # a pool folder's marker while a process builds it (holds its pid)


@dataclass(frozen=True)
class PoolPlan:
    """One pool to build: the painter's set ``index`` of samples and its genuine works."""

    artist: str
    index: int
    split: str  # "train" or "heldout"
    samples: tuple[Path, ...]
    genuine: tuple[Path, ...]  # the samples first, then the other genuine works
    drafts: int
    size: int  # long side of the drafts

    @property
    def collection(self) -> str:
        return f"painting:{self.artist}#{self.index}"


def add_pool_arguments(parser: argparse.ArgumentParser) -> None:
    """The painting pools' options (all prefixed ``--painting-``, so they sit beside the melody ones)."""
    group = parser.add_argument_group("painting pools")
    group.add_argument("--painting-data", default=None, metavar="DIR",
                       help="folder with one sub-folder of images per painter (default ../shared/data/paintings)")
    group.add_argument("--painting-root", default=None, metavar="DIR",
                       help=f"where the pools go (default: the command's --root, else {DEFAULT_ROOT})")
    group.add_argument("--painting-artists", nargs="+", default=None, metavar="NAME",
                       help="only these painters (default: all)")
    group.add_argument("--painting-sets", type=int, default=None, metavar="N",
                       help=f"sets of samples (pools) per painter (default {LARGE_SETS} for painters with "
                            f"{LARGE_PAINTER}+ works, else {SMALL_SETS})")
    group.add_argument("--painting-genuine", type=int, default=GENUINE, metavar="N",
                       help=f"genuine works per pool at most (default {GENUINE})")
    group.add_argument("--painting-drafts", type=int, default=None, metavar="N",
                       help=f"drafts per pool (default {DRAFTS_TRAIN} for training painters, "
                            f"{DRAFTS_HELDOUT} for held-out ones)")
    group.add_argument("--painting-train-size", type=int, default=SIZE_TRAIN, metavar="PX",
                       help=f"long side of training painters' drafts (default {SIZE_TRAIN})")
    group.add_argument("--painting-heldout-size", type=int, default=SIZE_HELDOUT, metavar="PX",
                       help=f"long side of held-out painters' drafts (default {SIZE_HELDOUT})")
    group.add_argument("--painting-seed", type=int, default=0, help="seed of the sample sets and drafts (default 0)")
    group.add_argument("--painting-threads", type=int, default=1, help="torch threads (default 1)")
    group.add_argument("--painting-model", default=None, help="painting model name (default: the shipped one)")
    group.add_argument("--painting-rebuild", action="store_true",
                       help="build pools again that already exist (as does the command's --overwrite)")


def _option(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    value = getattr(args, name, None)
    return default if value is None else value


def plan_pools(data: Path, args: argparse.Namespace) -> list[PoolPlan]:
    """The pools to build, painter by painter (StudioError for a missing folder or painter)."""
    from studio.domains.painting.dataset import artist_images, eval_tasks, split_artists

    split = split_artists(data)
    wanted = _option(args, "painting_artists")
    artists = [a for a in (*split.train, *split.held_out) if wanted is None or a in wanted]
    missing = sorted(set(wanted or ()) - set(artists))
    if missing:
        raise StudioError(f"no painter folder with images for {', '.join(missing)} "
                          f"(found: {', '.join(split.train + split.held_out) or 'none'})", str(data))
    seed = int(_option(args, "painting_seed", 0))
    limit = int(_option(args, "painting_genuine", GENUINE))
    plans: list[PoolPlan] = []
    for artist in artists:
        heldout = artist not in split.train
        images = artist_images(data, artist)
        sets = _option(args, "painting_sets") or (LARGE_SETS if len(images) >= LARGE_PAINTER else SMALL_SETS)
        sets = max(1, min(int(sets), len(images) // (SAMPLES_PER_SET + 2)))
        if len(images) < SAMPLES_PER_SET + 2:
            print(f"painting pools: {artist} skipped: {len(images)} paintings, a pool needs "
                  f"{SAMPLES_PER_SET + 2} or more", file=sys.stderr, flush=True)
            continue
        rng = np.random.default_rng([seed, zlib.crc32(artist.encode("utf-8")), 1])
        tasks = eval_tasks(data, artist, n_tasks=sets, k=SAMPLES_PER_SET, seed=seed)
        used = {p for t in tasks for p in t.samples}
        others = [p for p in images if p not in used]
        order = [others[int(i)] for i in rng.permutation(len(others))]
        share = max(0, limit - SAMPLES_PER_SET)
        disjoint = len(others) >= sets * share
        for t in tasks:
            if disjoint:  # a large painter: each set its own genuine works
                rest = order[t.index * share:(t.index + 1) * share]
            else:  # a small one: every set has all the others (up to the limit)
                rest = [p for p in images if p not in t.samples][:share]
            drafts = _option(args, "painting_drafts") or (DRAFTS_HELDOUT if heldout else DRAFTS_TRAIN)
            size = (_option(args, "painting_heldout_size", SIZE_HELDOUT) if heldout
                    else _option(args, "painting_train_size", SIZE_TRAIN))
            plans.append(PoolPlan(artist, t.index, "heldout" if heldout else "train", tuple(t.samples),
                                  tuple(t.samples) + tuple(rest), int(drafts), int(size)))
    return plans


def _selected(plans: list[PoolPlan], args: argparse.Namespace) -> list[PoolPlan]:
    """The plans ``prepare-taste``'s shared options keep: ``--split``, ``--collections`` (a name
    containing one of the texts) and ``--limit`` (the first N)."""
    split = getattr(args, "split", None)
    if split in ("train", "heldout"):
        plans = [p for p in plans if p.split == split]
    texts = getattr(args, "collections", None)
    if texts:
        plans = [p for p in plans if any(t in p.collection for t in texts)]
    limit = getattr(args, "limit", None)
    return plans[:limit] if limit is not None and limit >= 1 else plans


def _describe_genuine(paths: Sequence[Path],
                      progress: Progress) -> tuple[list[Path], list[np.ndarray], list[np.ndarray]]:
    """Descriptors of the genuine works that can be read (each unreadable one reported by name)."""
    from studio.domains.painting.dataset import load_rgb

    kept, interp, raw = [], [], []
    for path in paths:
        try:
            d = describe_image(load_rgb(path, DESCRIBE_SIDE))
        except (StudioError, ValueError, OSError) as exc:
            print(f"skipped {path}: {exc}", file=sys.stderr, flush=True)
            continue
        kept.append(path)
        interp.append(d.interp)
        raw.append(d.raw)
        if progress.should_stop():
            raise Cancelled()
    return kept, interp, raw


def build_pool(plan: PoolPlan, generator: Any, root: Path, seed: int, progress: Progress,
               done: float = 0.0, share: float = 1.0, existing: Pool | None = None) -> Pool:
    """Build and save one pool (see the module docstring); ``done`` and ``share`` place its progress
    within the whole build. With ``existing`` (the pool as built before, with fewer drafts than
    ``plan.drafts``) its rows are kept and only the missing drafts are painted and appended: their
    settings and seeds come from a stream of their own (keyed by the first new draft's number)."""
    from studio.domains.painting.params import PaintingParams
    from studio.io.images import work_png
    from studio.io.samples import load_samples

    samples = []
    for path in plan.samples:  # as `generate --samples` reads them (a bad one: the pool is skipped)
        samples.extend(load_samples(str(path)))
    folder = pool_folder(root, DOMAIN, plan.collection)
    key = zlib.crc32(plan.collection.encode("utf-8"))
    earlier: list[dict[str, float]] = []
    if existing is None:
        genuine_paths, interp, raw = _describe_genuine(plan.genuine, progress)
        files = [str(p.resolve()) for p in genuine_paths]
        n_genuine, seeds = len(files), []
        rng = np.random.default_rng([seed, key])
    else:
        n_genuine = int(existing.genuine.sum())
        interp, raw = list(existing.interp), list(existing.raw)
        files, seeds = list(existing.files), [int(x) for x in existing.seeds[n_genuine:]]
        try:
            earlier = list(json.loads((folder / "pool.json").read_text())["settings"])
        except (OSError, ValueError, KeyError):
            earlier = []
        rng = np.random.default_rng([seed, key, len(existing) - n_genuine])
    folder.mkdir(parents=True, exist_ok=True)
    adapted = generator.instant(samples)
    first = len(files) - n_genuine  # drafts already there
    drafted = S.draft_settings(DOMAIN, max(0, plan.drafts - first), rng)
    base = PaintingParams(long_side=plan.size)
    for i, setting in enumerate(drafted):
        if progress.should_stop():
            raise Cancelled()
        call_seed = int(rng.integers(0, 2**31 - 1))
        works = generator.generate(adapted, samples, S.painting_params(base, setting), 1, call_seed)
        if not works:
            raise StudioError(f"the generator made no painting for draft {first + i} of {plan.collection}")
        work = works[0]
        image = S.painting_post(work.image, setting)
        d = describe_image(image)
        interp.append(d.interp)
        raw.append(d.raw)
        name = f"{len(files):04d}.png"
        provenance = {**work.provenance, "taste_settings": setting, "call_seed": call_seed,
                      "collection": plan.collection}
        (folder / name).write_bytes(work_png(image, work.seed, provenance))
        files.append(name)
        seeds.append(int(work.seed))
        progress.report_progress(done + share * (i + 1) / max(1, len(drafted)),
                                 f"{plan.collection}: draft {first + i + 1}/{plan.drafts} ({plan.size} px)")
    n = len(files)
    sample_set = {p.resolve() for p in plan.samples}
    settings = np.full((n, len(S.PAINTING_SETTINGS)), np.nan, np.float32)
    if existing is not None:
        settings[:len(existing)] = existing.settings
    if drafted:
        settings[n - len(drafted):] = S.settings_vector(DOMAIN, drafted)
    if existing is not None:
        sample = np.concatenate([existing.sample, np.zeros(len(drafted), bool)])
    else:
        sample = np.array([i < n_genuine and Path(files[i]) in sample_set for i in range(n)], bool)
    pool = Pool(domain=DOMAIN, collection=plan.collection, split=plan.split,
                interp=np.stack(interp).astype(np.float32), raw=np.stack(raw).astype(np.float32),
                genuine=np.arange(n) < n_genuine, sample=sample, settings=settings,
                seeds=np.array([-1] * n_genuine + seeds, np.int64), files=tuple(files), folder=folder)
    save_pool(pool, root)
    (folder / "pool.json").write_text(json.dumps({
        "collection": plan.collection, "split": plan.split, "artist": plan.artist, "genuine": n_genuine,
        "drafts": n - n_genuine, "draft_long_side": plan.size, "samples": [str(p.resolve()) for p in plan.samples],
        "model": generator.model_name, "steps": 0, "seed": seed, "feature_spec_version": SPEC.version,
        "settings": earlier + drafted}, indent=1) + "\n")
    return pool


def _built(folder: Path) -> Pool | None:
    """The pool already in ``folder``, or None (none there, or an index that cannot be read)."""
    if not (folder / INDEX).is_file():
        return None
    try:
        return load_pool(folder)
    except StudioError:
        return None


def _drafts(pool: Pool | None) -> int:
    return -1 if pool is None else int((~pool.genuine).sum())


def _claim(folder: Path) -> bool:
    """Mark ``folder`` as being built by this process; False when a live process holds it
    already (several builders on one root then share the pools between them)."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / CLAIM
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        try:
            owner = int(marker.read_text().strip() or 0)
            if owner and owner != os.getpid():
                os.kill(owner, 0)  # raises when that process is gone
                return False
        except (OSError, ValueError):
            pass  # a stale or unreadable claim: take it over
        marker.write_text(str(os.getpid()))
        return True
    with os.fdopen(fd, "w") as f:
        f.write(str(os.getpid()))
    return True


def build_painting_pools(args: argparse.Namespace, progress: Progress) -> int:
    """Build every planned pool (skipping those already built); returns 0 when all are there, 1
    when some could not be built (each reported on stderr), 2 for a bad data folder or option."""
    import torch

    from studio.domains.painting.dataset import default_root
    from studio.domains.painting.generator import DEFAULT_MODEL, PaintingGenerator
    from studio.model_registry import model_stem

    data = Path(_option(args, "painting_data") or default_root())
    root = Path(_option(args, "painting_root") or getattr(args, "root", None) or DEFAULT_ROOT)
    for name, low, high in (("painting_train_size", 64, 2048), ("painting_heldout_size", 64, 2048),
                            ("painting_drafts", 1, 100_000), ("painting_sets", 1, 1000),
                            ("painting_genuine", SAMPLES_PER_SET, 100_000), ("painting_threads", 1, 256)):
        value = getattr(args, name, None)
        if value is not None and not low <= value <= high:
            print(f"error: --{name.replace('_', '-')} must be in {low}..{high}, got {value}", file=sys.stderr)
            return 2
    try:
        plans = plan_pools(data, args)
    except StudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    plans = _selected(plans, args)
    rebuild = bool(getattr(args, "painting_rebuild", False) or getattr(args, "overwrite", False))
    todo = [p for p in plans if rebuild or _drafts(_built(pool_folder(root, DOMAIN, p.collection))) < p.drafts]
    print(f"painting pools: {len(plans)} planned, {len(plans) - len(todo)} already built, {len(todo)} to build "
          f"or extend under {root / DOMAIN}", file=sys.stderr, flush=True)
    if not todo:
        return 0
    threads = int(_option(args, "painting_threads", 1))
    torch.set_num_threads(max(1, threads))
    stem = model_stem(_option(args, "painting_model") or DEFAULT_MODEL)
    generator = PaintingGenerator(stem.name, stem.parent, threads=max(1, threads))
    seed = int(_option(args, "painting_seed", 0))
    failed = 0
    weights = [p.drafts * (p.size / SIZE_HELDOUT) ** 2 + 5 for p in todo]  # ~ the time each pool takes
    total = float(sum(weights))
    done = 0.0
    for plan, weight in zip(todo, weights):
        started = time.perf_counter()
        folder = pool_folder(root, DOMAIN, plan.collection)
        existing = None if rebuild else _built(folder)
        if existing is not None and _drafts(existing) >= plan.drafts:
            done += weight  # another builder (a second process on the same root) made it meanwhile
            continue
        if not _claim(folder):
            print(f"painting pools: {plan.collection} is being built by another process; left to it",
                  file=sys.stderr, flush=True)
            done += weight
            continue
        try:
            existing = None if rebuild else _built(folder)  # read again: another builder may have grown it
            if existing is not None and _drafts(existing) >= plan.drafts:
                continue
            pool = build_pool(plan, generator, root, seed, progress, done / total, weight / total, existing)
        except Cancelled:
            print("painting pools: stopped", file=sys.stderr)
            return 1
        except (StudioError, ValueError) as exc:
            failed += 1
            print(f"painting pools: {plan.collection} skipped: {exc}", file=sys.stderr, flush=True)
        else:
            print(f"painting pools: {plan.collection} ({plan.split}): {int(pool.genuine.sum())} genuine, "
                  f"{int((~pool.genuine).sum())} drafts at {plan.size} px, {time.perf_counter() - started:.0f} s",
                  file=sys.stderr, flush=True)
        finally:
            (folder / CLAIM).unlink(missing_ok=True)
        done += weight
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studio.taste.painting_pools", description=__doc__.splitlines()[0])
    add_pool_arguments(parser)
    args = parser.parse_args(argv)
    return build_painting_pools(args, ConsoleProgress(interval_s=10.0))


if __name__ == "__main__":
    raise SystemExit(main())
