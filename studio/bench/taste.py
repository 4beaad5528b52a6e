"""Taste learning on held-out collections and held-out tastes (issue 18, point 6 and its goals).

Simulated people (:mod:`studio.taste.people`, only the ``HELDOUT_FAMILIES`` no learner was
meta-trained on) judge galleries drawn from the held-out pools under ``--root`` (built by
``prepare-taste``: music21 tasks and lead-sheet songwriters the melody benches hold out; the
painters ``dataset.EVAL_ARTISTS``). Every chooser sees the same people, pools, rounds and budget:
3 galleries of 12 chosen from 36 drafts (and 48 with ``--drafts 36 48``); the person keeps the 3
best and rejects the 3 worst of each. A work is *liked* when its utility under the person's
taste is above the 75th percentile of the collection's genuine works.

Rows, per domain:

* ``no feedback``: the first 12 drafts, as the studio shows today;
* ``more like these``: real re-adaptation: the shipped generator is adapted again
  (``engine.more_like_these``, the model card's steps) on the samples and every work kept so
  far, then makes 12 new works with settings drafted as the pool's (uniform: the control's),
  which are described and judged like the others (gallery 1 is the no-feedback gallery);
* the non-meta baselines of :mod:`studio.taste.baselines` (UCB, Thompson, logistic
  regression, prototypes without the agent, the issue's nearest-features plain learner);
* ``rl2``: the meta-trained curator (:mod:`studio.taste.curator`), when its weights ship.

Reported: the liked share per gallery (mean +- standard error over people); the lift over
no feedback at galleries 2 and 3 (paired per person, with its SE; goals +0.30 and +0.45);
the curator minus each baseline (paired, SE) and whether it beats every one by more than its
SE; fidelity pooled over galleries 2-3 of all the people of a pool (melodies: mean overlapping
area against the collection's genuine non-sample works; paintings: SWD ratio against the
painter's other works) and copies (of the samples, and of the person's earlier kept works);
the spread of each gallery (mean pairwise distance of the shown works' standardised
interpretable features); and the live timing: taste update + choice + a curated gallery of
12 (:func:`studio.taste.drafting.curated_generate`) against the plain gallery of 12 timed in
the same run (medians; goals 2 s for 8-bar melodies, 4 s for 256-px paintings).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import StudioError
from studio.taste.pools import DEFAULT_ROOT, Pool, list_pools

DESCRIPTION = ("taste learning (issue 18): liked share per gallery for the RL² curator and every baseline on "
               "held-out pools and tastes; fidelity, copies, spread, timing")
DOMAINS = ("melody", "painting")
GOALS = {"lift_2": 0.30, "lift_3": 0.45, "oa_within": 0.02, "swd_within": 0.05,
         "seconds": {"melody": 2.0, "painting": 4.0}}
CONTROL = "no feedback"
MORE = "more like these"
CURATOR = "rl2"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--domain", choices=(*DOMAINS, "all"), default="all")
    parser.add_argument("--root", default=str(DEFAULT_ROOT), help="pool folder written by prepare-taste")
    parser.add_argument("--people", type=int, default=None,
                        help="simulated people per held-out pool (default 12; --quick 2)")
    parser.add_argument("--rounds", type=int, default=3, help="galleries per person")
    parser.add_argument("--show", type=int, default=12, help="works per gallery")
    parser.add_argument("--drafts", type=int, nargs="+", default=[36],
                        help="drafted candidates per gallery (several: one table each, e.g. 36 48)")
    parser.add_argument("--noise", type=float, default=0.0, help="the person's judging noise (people.judge)")
    parser.add_argument("--more-like-these", choices=("melody", "painting", "all", "none"), default="all",
                        help="domains whose 'More like these' row runs the real generator (slow for paintings)")
    parser.add_argument("--more-people", type=int, default=None,
                        help="people per pool of the 'More like these' row (default 4; --quick 1): it adapts "
                             "the generator twice per person; its lift is paired with the control on those people")
    parser.add_argument("--fidelity-people", type=int, default=None,
                        help="people per pool whose galleries the painting fidelity and copies use (default all)")
    parser.add_argument("--timing-runs", type=int, default=5, help="timed live galleries (0: skip the timing)")
    parser.add_argument("--pools", type=int, default=None, help="at most this many held-out pools per domain")
    parser.add_argument("--quick", action="store_true", help="tiny run to check that it works")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


@dataclass
class Trace:
    """One simulated person's galleries under one chooser."""

    pool: int  # index into the domain's held-out pools
    person: int  # index into the people
    liked: list[float] = field(default_factory=list)  # liked share of each gallery
    interp: list[np.ndarray] = field(default_factory=list)  # (n_show, F) of each gallery
    rows: list[np.ndarray] = field(default_factory=list)  # pool rows shown per gallery (empty: made live)
    kept: list[list[int]] = field(default_factory=list)  # indices into the gallery
    rejected: list[list[int]] = field(default_factory=list)
    works: list[list[Any]] = field(default_factory=list)  # per gallery, works made live (melodies / images)


@dataclass(frozen=True)
class Config:
    domain: str
    rounds: int
    show: int
    drafts: int
    noise: float
    seed: int


def _log(args: argparse.Namespace, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(f"[taste] {text}", file=sys.stderr, flush=True)


def _mean_se(values: Sequence[float] | np.ndarray) -> tuple[float, float]:
    """Mean and standard error (0 for fewer than two values)."""
    x = np.asarray(values, np.float64)
    if len(x) == 0:
        return float("nan"), float("nan")
    se = float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0
    return float(x.mean()), se


def heldout_pools(root: str | Path, domain: str, limit: int | None = None) -> list[Pool]:
    """The domain's held-out pools under ``root`` (StudioError naming the folder when there are none)."""
    folder = Path(root) / domain
    pools = list_pools(root, domain, split="heldout") if folder.is_dir() else []
    pools = [p for p in pools if int(p.sample.sum()) > 0 and int((~p.genuine).sum()) > 0]
    if not pools:
        raise StudioError(f"no held-out {domain} pools with samples and drafts here: build them with "
                          f"`python main.py prepare-taste --domain {domain}`", str(folder))
    return pools[:limit] if limit else pools


# --- measures on the shown works ------------------------------------------------------------------


def spread(interp: np.ndarray, mean: np.ndarray, std: np.ndarray) -> float:
    """Mean pairwise Euclidean distance of the works' standardised interpretable features
    (0 for one work or identical works): how varied a gallery is."""
    if len(interp) < 2:
        return 0.0
    z = (np.asarray(interp, np.float64) - mean) / std
    d = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(-1))
    iu = np.triu_indices(len(z), k=1)
    return float(d[iu].mean())


def feature_scale(pools: Sequence[Pool]) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of the interpretable features over every row of ``pools``."""
    x = np.concatenate([p.interp for p in pools]).astype(np.float64)
    std = x.std(0)
    return x.mean(0), np.where(std > 1e-9, std, 1.0)


class WorkFiles:
    """Loads the pools' work files once (melodies, or paintings at 256 px)."""

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self._cache: dict[tuple[int, int], Any] = {}

    def load(self, pool_index: int, pool: Pool, row: int) -> Any:
        key = (pool_index, row)
        if key not in self._cache:
            path = pool.file(int(row))
            if path is None:
                raise StudioError(f"pool {pool.collection} stores no file for row {row}", str(pool.folder))
            self._cache[key] = load_work_file(self.domain, path)
        return self._cache[key]


def load_work_file(domain: str, path: Path) -> Any:
    """A melody (``.mid``) or an RGB painting at 256 px long side."""
    if domain == "melody":
        from studio.io.midi import read_midi

        return read_midi(str(path), path.read_bytes())
    from studio.domains.painting.dataset import load_rgb

    return load_rgb(path, 256)


def sample_rows(pool: Pool) -> np.ndarray:
    return np.flatnonzero(pool.sample)


def reference_rows(pool: Pool) -> np.ndarray:
    """The collection's genuine works that are not samples: the style fidelity is measured against."""
    return np.flatnonzero(pool.genuine & ~pool.sample)


def gallery_works(trace: Trace, gallery: int, pool: Pool, files: WorkFiles) -> list[Any]:
    """The works a trace showed in one gallery (loaded from the pool, or those made live)."""
    if trace.works and trace.works[gallery]:
        return list(trace.works[gallery])
    return [files.load(trace.pool, pool, int(r)) for r in trace.rows[gallery]]


def kept_before(trace: Trace, gallery: int, pool: Pool, files: WorkFiles) -> list[Any]:
    """Every work the person kept in the galleries before ``gallery``."""
    out: list[Any] = []
    for g in range(gallery):
        works = gallery_works(trace, g, pool, files)
        out.extend(works[i] for i in trace.kept[g])
    return out


def fidelity_and_copies(domain: str, pools: Sequence[Pool], traces: Sequence[Trace], files: WorkFiles,
                        first: int = 1, people: int | None = None, seed: int = 0) -> dict[str, Any]:
    """Fidelity per pool, pooled over galleries ``first``.. of all its people (or the first
    ``people`` of each pool), and copy rates of the same works against the samples and against
    what each person kept earlier.

    Melodies: ``mean_oa`` (overlapping area with the genuine non-sample works) and the share of
    works that are copies (``metrics.is_copy``). Paintings: ``swd_ratio`` against the painter's
    other works and ``copy_score`` (share of near-exact patches).
    """
    per_pool: dict[int, list[Any]] = {}
    copy_liked: list[float] = []
    count: dict[int, int] = {}
    for trace in traces:
        if people is not None and count.get(trace.pool, 0) >= people:
            continue
        count[trace.pool] = count.get(trace.pool, 0) + 1
        pool = pools[trace.pool]
        for g in range(first, len(trace.liked)):
            works = gallery_works(trace, g, pool, files)
            per_pool.setdefault(trace.pool, []).extend(works)
            liked = kept_before(trace, g, pool, files)
            if liked:
                copy_liked.append(_copy_share(domain, works, liked, seed))
    fidelity: list[float] = []
    copy_samples: list[float] = []
    for p, works in sorted(per_pool.items()):
        pool = pools[p]
        samples = [files.load(p, pool, int(r)) for r in sample_rows(pool)]
        reference = [files.load(p, pool, int(r)) for r in reference_rows(pool)]
        copy_samples.append(_copy_share(domain, works, samples, seed))
        if len(reference) < 2 or len(works) < 2:
            continue
        if domain == "melody":
            from studio.domains.melody.metrics import overlap_report

            fidelity.append(overlap_report(works, reference)["mean_oa"])
        else:
            from studio.domains.painting.metrics import swd_ratio

            fidelity.append(swd_ratio(works, reference, samples, long_side=256, seed=seed).overall)
    key = "mean_oa" if domain == "melody" else "swd_ratio"
    return {key: fidelity, "copy_samples": _mean_se(copy_samples)[0] if copy_samples else float("nan"),
            "copy_liked": _mean_se(copy_liked)[0] if copy_liked else float("nan"),
            "works": int(sum(len(w) for w in per_pool.values()))}


def _copy_share(domain: str, works: Sequence[Any], support: Sequence[Any], seed: int) -> float:
    if not works or not support:
        return float("nan")
    if domain == "melody":
        from studio.domains.melody.metrics import copy_rate

        return copy_rate(list(works), list(support))
    from studio.domains.painting.metrics import copy_score

    return copy_score(list(works), list(support), long_side=256, seed=seed)


# --- the learners and the simulation ------------------------------------------------------------


def taste_embedder(domain: str, notes: list[str]) -> Any:
    """The shipped embedding of ``domain``, or None (the learners then use the interpretable
    features alone) with a note saying why."""
    try:
        from studio.taste.embedding import load_embedder

        return load_embedder(domain)
    except (ImportError, StudioError) as exc:
        notes.append(f"{domain}: no learned embedding ({exc}); the learners use the interpretable features alone")
        return None


def choosers(domain: str, embedder: Any, notes: list[str]) -> list[Any]:
    """The no-feedback control, every baseline and the curator when its weights ship."""
    from studio.taste.baselines import all_baselines

    out = list(all_baselines(embedder))
    try:
        from studio.taste.curator import load_curator

        out.append(load_curator(domain))
    except (ImportError, StudioError) as exc:
        notes.append(f"{domain}: no RL² curator row ({exc})")
    return out


def traces_of(sim: Any, pools: Sequence[Pool]) -> list[Trace]:
    """A :class:`studio.taste.simulate.SimResult` as traces (kept / rejected as gallery indices)."""
    return [traces_of_one(sim, p, pools[spec.pool]) for p, spec in enumerate(sim.people)]


# --- "More like these": the real generator re-adapted on the kept works -------------------------


class LiveGenerator:
    """The shipped generator of one domain with each pool's samples loaded once."""

    def __init__(self, domain: str, threads: int) -> None:
        from studio import engine
        from studio.core.samples import Domain

        self.domain = domain
        self.engine = engine
        self.generator = engine.generator_for(Domain(domain))
        self.threads = threads
        self._samples: dict[int, list[Any]] = {}

    def samples(self, pool_index: int, pool: Pool) -> list[Any]:
        """The pool's sample works as studio Samples (the files the drafts were adapted to)."""
        if pool_index not in self._samples:
            paths = [pool.file(int(r)) for r in sample_rows(pool)]
            if any(p is None for p in paths):
                raise StudioError(f"pool {pool.collection} stores no file for a sample", str(pool.folder))
            report = self.engine.import_samples([str(p) for p in paths])
            if report.errors or not report.samples:
                reason = report.errors[0] if report.errors else "no samples"
                raise StudioError(f"pool {pool.collection}: its samples do not load ({reason})", str(pool.folder))
            self._samples[pool_index] = list(report.samples)
        return self._samples[pool_index]

    def config(self, seed: int) -> Any:
        from studio.domains.base import AdaptConfig

        method = str(getattr(self.generator, "card", {}).get("method", "")) or None
        kwargs = {"method": method} if method and self.domain == "melody" else {}
        return AdaptConfig(steps=int(self.generator.default_steps), seed=seed, **kwargs)

    def base_params(self) -> Any:
        if self.domain == "melody":
            from studio.domains.melody.params import MelodyParams

            return MelodyParams(bars=8)
        from studio.domains.painting.params import PaintingParams

        return PaintingParams(long_side=256)

    def draft(self, adapted: Any, samples: Sequence[Any], count: int, rng: np.random.Generator) -> list[Any]:
        """``count`` works drafted as the control's pool drafts were: settings drawn uniformly
        (:func:`settings.draft_settings`) and applied as the pools and live drafting apply them.
        Melodies come in groups of 3 sharing a setting (one batch each through
        ``MelodyGenerator.generate_drafts``), paintings one per setting (as the painting pools)."""
        from dataclasses import replace

        from studio.domains.base import work_seeds
        from studio.taste import settings as taste_settings

        base = self.base_params()
        seed = int(rng.integers(1, 2**31 - 1))
        if self.domain == "melody":
            from studio.domains.melody.params import RANGE_MARGIN

            groups = taste_settings.draft_settings("melody", -(-count // 3), rng)
            drafted = [s for s in groups for _ in range(3)][:count]
            low, high = self.generator.style_of(samples).pitch_range
            default_range = (low - RANGE_MARGIN, high + RANGE_MARGIN)
            drafts = [(taste_settings.melody_params(base, s, default_range), k)
                      for s, k in zip(drafted, work_seeds(seed, count, frozenset()))]
            return [w for w in self.generator.generate_drafts(adapted, samples, base, drafts) if w is not None]
        works = []
        for i, s in enumerate(taste_settings.draft_settings("painting", count, rng)):
            made = self.engine.generate(adapted, samples, taste_settings.painting_params(base, s), 1, seed + 7919 * i)
            works.extend(replace(w, image=taste_settings.painting_post(w.image, s)) for w in made)
        return works


def work_from_file(domain: str, value: Any, seed: int) -> Any:
    """A gallery Work holding a pool work (a melody or an RGB image) for re-adaptation."""
    from studio.core.samples import Domain
    from studio.core.works import Work

    if domain == "melody":
        return Work(Domain.MELODY, seed, melody=value)
    return Work(Domain.PAINTING, seed, image=value)


def more_like_these(pools: Sequence[Pool], control: Any, indices: Sequence[int], standardiser: Any, cfg: Config,
                    files: WorkFiles, live: LiveGenerator,
                    log: Callable[[str], None]) -> tuple[list[Trace], dict[str, float]]:
    """The "More like these" row on the control's people: gallery 1 is their no-feedback gallery;
    before each later gallery the generator is adapted again on the samples and every work kept
    so far (``engine.more_like_these``) and makes ``cfg.show`` new works, drafted with uniform
    settings like the control's, which the person judges. ``indices``: the control's people to run."""
    from studio.taste import people
    from studio.taste.describe import describe_all
    from studio.taste.simulate import person_rng

    traces: list[Trace] = []
    seconds = {"adapt": 0.0, "generate": 0.0, "galleries": 0}
    for p in indices:
        spec = control.people[p]
        pool = pools[spec.pool]
        person = people.sample_person(spec.family, pool, standardiser, person_rng(spec.seed, spec.pool, p, 0))
        threshold = people.like_threshold(person, pool)
        samples = live.samples(spec.pool, pool)
        t = traces_of_one(control, p, pool)
        kept_works = [work_from_file(cfg.domain, files.load(spec.pool, pool, int(r)), int(pool.seeds[r]))
                      for r in control.kept[p][0]]
        t.liked, t.interp, t.rows, t.kept, t.rejected, t.works = t.liked[:1], t.interp[:1], t.rows[:1], \
            t.kept[:1], t.rejected[:1], t.works[:1]
        for g in range(1, cfg.rounds):
            start = time.perf_counter()
            adapted = live.engine.more_like_these(samples, kept_works, live.config(spec.seed + g))
            middle = time.perf_counter()
            works = live.draft(adapted, samples, cfg.show, person_rng(spec.seed, spec.pool, p, 300 + g))
            seconds["adapt"] += middle - start
            seconds["generate"] += time.perf_counter() - middle
            seconds["galleries"] += 1
            interp, raw = describe_all(works)
            liked = person.utility(interp, raw) > threshold
            kept, rejected = people.judge(person, interp, raw, keep=3, reject=3, noise=cfg.noise,
                                          rng=person_rng(spec.seed, spec.pool, p, 200 + g))
            t.liked.append(float(np.mean(liked)))
            t.interp.append(np.asarray(interp, np.float32))
            t.rows.append(np.zeros(0, np.int64))
            t.kept.append([int(i) for i in kept])
            t.rejected.append([int(i) for i in rejected])
            values = [w.melody if cfg.domain == "melody" else w.image for w in works]
            t.works.append(values)
            kept_works.extend(works[i] for i in kept)
        traces.append(t)
        log(f"{cfg.domain} more like these: person {len(traces)}/{len(indices)} liked "
            + " ".join(f"{v:.2f}" for v in t.liked))
    return traces, seconds


def traces_of_one(sim: Any, p: int, pool: Pool) -> Trace:
    spec = sim.people[p]
    t = Trace(pool=spec.pool, person=p, liked=[float(v) for v in sim.liked_share[p]])
    for g, rows in enumerate(sim.shown[p]):
        rows = np.asarray(rows, np.int64)
        where = {int(r): i for i, r in enumerate(rows)}
        t.rows.append(rows)
        t.interp.append(pool.interp[rows])
        t.kept.append([where[int(r)] for r in sim.kept[p][g]])
        t.rejected.append([where[int(r)] for r in sim.rejected[p][g]])
        t.works.append([])
    return t


# --- the run --------------------------------------------------------------------------------------


def first_per_pool(traces_or_specs: Sequence[Any], per_pool: int) -> list[int]:
    """Indices of the first ``per_pool`` people of each pool (people are ordered by pool)."""
    seen: dict[int, int] = {}
    out = []
    for i, t in enumerate(traces_or_specs):
        if seen.get(t.pool, 0) < per_pool:
            seen[t.pool] = seen.get(t.pool, 0) + 1
            out.append(i)
    return out


def liked_matrix(traces: Sequence[Trace]) -> np.ndarray:
    return np.array([t.liked for t in traces], np.float64)


def chooser_row(name: str, traces: Sequence[Trace], control: np.ndarray, pools: Sequence[Pool],
                drafts: int | None) -> dict[str, Any]:
    """Liked share per gallery (mean, SE), the paired lift over the control's same people, and
    the spread of the shown works."""
    liked = liked_matrix(traces)
    diff = liked - control
    scale = {i: _pool_std(p) for i, p in enumerate(pools)}
    spreads = np.array([[spread(t.interp[g], 0.0, scale[t.pool]) for g in range(len(t.interp))] for t in traces])
    row: dict[str, Any] = {"chooser": name, "drafts": drafts, "people": len(traces)}
    row["liked"] = [round(float(v), 4) for v in liked.mean(0)]
    row["liked_se"] = [round(_mean_se(liked[:, g])[1], 4) for g in range(liked.shape[1])]
    row["lift"] = [round(float(v), 4) for v in diff.mean(0)]
    row["lift_se"] = [round(_mean_se(diff[:, g])[1], 4) for g in range(diff.shape[1])]
    row["spread"] = [round(float(v), 3) for v in spreads.mean(0)]
    return row


def _pool_std(pool: Pool) -> np.ndarray:
    std = pool.interp.std(0)
    return np.where(std > 1e-8, std, 1.0)


def versus(curated: Sequence[Trace], others: dict[str, tuple[Sequence[Trace], list[int]]],
           galleries: Sequence[int]) -> list[dict[str, Any]]:
    """The curator minus each other row, paired per person (on the other row's people), at the
    given galleries (0-based), with the SE of the paired difference; ``beats``: more than one SE
    above at every one of those galleries."""
    mine = liked_matrix(curated)
    out = []
    for name, (traces, idx) in others.items():
        diff = mine[idx] - liked_matrix(traces)
        stats = [_mean_se(diff[:, g]) for g in galleries]
        out.append({"vs": name, "diff": [round(m, 4) for m, _ in stats], "se": [round(e, 4) for _, e in stats],
                    "beats": bool(all(m > e for m, e in stats))})
    return out


def run_domain(args: argparse.Namespace, domain: str) -> dict[str, Any]:
    from studio.taste import people
    from studio.taste.simulate import simulate

    quick = bool(args.quick)
    per_pool = args.people or (2 if quick else 12)
    notes: list[str] = []
    log = (lambda text: None) if args.quiet else (lambda text: _log(args, text))
    pools = heldout_pools(args.root, domain, args.pools or (2 if quick else None))
    log(f"{domain}: {len(pools)} held-out pools: {', '.join(p.collection for p in pools)}")
    embedder = taste_embedder(domain, notes)
    standardiser = embedder.standardiser if embedder is not None else people.fit_standardiser(pools)
    files = WorkFiles(domain)
    galleries = list(range(1, args.rounds))  # 0-based: the galleries feedback can change
    out: dict[str, Any] = {"pools": [p.collection for p in pools], "people_per_pool": per_pool,
                           "families": list(people.HELDOUT_FAMILIES), "embedder": embedder is not None,
                           "tables": [], "notes": notes}
    kept_traces: dict[str, list[Trace]] = {}
    for drafts in args.drafts:
        cfg = Config(domain, args.rounds, args.show, drafts, args.noise, args.seed)
        sims: dict[str, Any] = {}
        for chooser in choosers(domain, embedder, notes if drafts == args.drafts[0] else []):
            start = time.perf_counter()
            sims[chooser.name] = simulate(pools, people.HELDOUT_FAMILIES, chooser, per_pool, rounds=args.rounds,
                                          n_show=args.show, n_draft=drafts, seed=args.seed, embedder=embedder,
                                          noise=args.noise, standardiser=standardiser)
            log(f"{domain} drafts {drafts}: {chooser.name}: liked "
                + " ".join(f"{v:.3f}" for v in sims[chooser.name].mean()) + f" ({time.perf_counter() - start:.1f} s)")
        traces = {name: traces_of(sim, pools) for name, sim in sims.items()}
        control = liked_matrix(traces[CONTROL])
        rows = [chooser_row(name, tr, control, pools, drafts) for name, tr in traces.items()]
        others: dict[str, tuple[Sequence[Trace], list[int]]] = {
            name: (tr, list(range(len(tr)))) for name, tr in traces.items() if name != CURATOR}
        table: dict[str, Any] = {"drafts": drafts, "rows": rows}
        if drafts == args.drafts[0] and args.more_like_these in (domain, "all"):
            m_people = args.more_people or (1 if quick else 4)
            idx = first_per_pool(traces[CONTROL], m_people)
            live = LiveGenerator(domain, args.threads)
            mlt, seconds = more_like_these(pools, sims[CONTROL], idx, standardiser, cfg, files, live, log)
            traces[MORE] = mlt
            rows.insert(1, chooser_row(MORE, mlt, control[idx], pools, None))
            others[MORE] = (mlt, idx)
            table["more_like_these"] = {"people": len(idx), "people_per_pool": m_people,
                                        "adapt_s_per_gallery": round(seconds["adapt"] / max(1, seconds["galleries"]), 2),
                                        "generate_s_per_gallery": round(seconds["generate"] / max(1, seconds["galleries"]), 2)}
        elif drafts == args.drafts[0]:
            notes.append(f"{domain}: 'More like these' not run (--more-like-these {args.more_like_these})")
        if CURATOR in traces:
            vs = versus(traces[CURATOR], others, galleries)
            curator = next(r for r in rows if r["chooser"] == CURATOR)
            table["curator_vs"] = vs
            table["curator_beats_every_baseline"] = bool(vs) and all(v["beats"] for v in vs)
            table["goals"] = {"lift_2": GOALS["lift_2"], "lift_3": GOALS["lift_3"],
                              "lift_2_met": len(curator["lift"]) > 1 and curator["lift"][1] >= GOALS["lift_2"],
                              "lift_3_met": len(curator["lift"]) > 2 and curator["lift"][2] >= GOALS["lift_3"]}
        out["tables"].append(table)
        if drafts == args.drafts[0]:
            kept_traces = traces
    out["fidelity"] = fidelity_rows(args, domain, pools, kept_traces, files, log)
    if args.timing_runs > 0:
        out["timing"] = timing(args, domain, pools, standardiser, files, log)
    return out


def fidelity_rows(args: argparse.Namespace, domain: str, pools: Sequence[Pool], traces: dict[str, list[Trace]],
                  files: WorkFiles, log: Callable[[str], None]) -> dict[str, Any]:
    """Fidelity and copies of galleries 2.. for each chooser against the control on the same people.

    Melodies: every row. Paintings (the SWD and patch searches are slower): the control, the
    curator (the prototypes when there is no curator) and "More like these"."""
    if domain == "melody":
        names = [n for n in traces if n != CONTROL]
    else:
        names = [n for n in (CURATOR if CURATOR in traces else "prototypes", MORE) if n in traces]
    key = "mean_oa" if domain == "melody" else "swd_ratio"
    default_people = None if domain == "melody" else 4
    rows: list[dict[str, Any]] = []
    cache: dict[int | None, dict[str, Any]] = {}
    for name in [CONTROL, *names]:
        per = args.fidelity_people or default_people
        if name == MORE:
            per = min(per or 10**6, max(len([t for t in traces[MORE] if t.pool == p]) for p in range(len(pools))))
        start = time.perf_counter()
        mine = fidelity_and_copies(domain, pools, traces[name], files, people=per, seed=args.seed)
        if per not in cache:
            cache[per] = mine if name == CONTROL else fidelity_and_copies(domain, pools, traces[CONTROL], files,
                                                                            people=per, seed=args.seed)
        base = cache[per]
        diff = np.array(mine[key]) - np.array(base[key]) if len(mine[key]) == len(base[key]) else np.array([])
        m, se = _mean_se(diff) if len(diff) else (float("nan"), float("nan"))
        goal = GOALS["oa_within"] if domain == "melody" else GOALS["swd_within"]
        better = (m >= -goal) if domain == "melody" else (m <= goal)
        rows.append({"chooser": name, key: round(_mean_se(mine[key])[0], 4), "control": round(_mean_se(base[key])[0], 4),
                     "diff": round(m, 4), "diff_se": round(se, 4), "within_goal": bool(better) if name != CONTROL else None,
                     "copy_samples": round(mine["copy_samples"], 4), "copy_samples_control": round(base["copy_samples"], 4),
                     "copy_liked": round(mine["copy_liked"], 4), "copy_liked_control": round(base["copy_liked"], 4),
                     "works": mine["works"], "people_per_pool": per})
        log(f"{domain} fidelity {name}: {key} {rows[-1][key]:.3f} vs control {rows[-1]['control']:.3f}, copies "
            f"{rows[-1]['copy_samples']:.3f} / liked {rows[-1]['copy_liked']:.3f} ({time.perf_counter() - start:.1f} s)")
    return {"measure": key, "galleries": f"2-{args.rounds}", "rows": rows}


# --- live timing ----------------------------------------------------------------------------------


def timing(args: argparse.Namespace, domain: str, pools: Sequence[Pool], standardiser: Any, files: WorkFiles,
           log: Callable[[str], None]) -> dict[str, Any]:
    """Taste update + choice + a curated gallery of 12 (the live path: :func:`studio.taste.drafting.curate`
    after :func:`~studio.taste.drafting.feedback_from_items`) against the plain gallery of 12,
    alternated in the same run; medians of ``--timing-runs``.

    The feedback is a simulated held-out person's 3 keeps and 3 rejects of a first plain gallery
    made from the first held-out pool's samples (melodies adapted with the card's steps as the
    app's Adapt does; paintings the instant start, the painting model's default)."""
    from studio.taste import drafting, people

    live = LiveGenerator(domain, args.threads)
    pool = pools[0]
    samples = live.samples(0, pool)
    engine = live.engine
    adapted = engine.instant(samples) if live.generator.default_steps == 0 else \
        engine.adapt(samples, live.config(args.seed))
    params = live.base_params()
    count = args.show
    first = engine.generate(adapted, samples, params, count, args.seed)
    person = people.sample_person(people.HELDOUT_FAMILIES[0], pool, standardiser, np.random.default_rng(args.seed))
    interp, raw = drafting.describe_items(domain, first)
    kept, rejected = people.judge(person, interp, raw)
    plain_s: list[float] = []
    update_s: list[float] = []
    curate_s: list[float] = []
    parts: dict[str, list[float]] = {"draft": [], "update": [], "choice": []}
    chooser, drafts = "", 0
    for run in range(args.timing_runs):
        seed = args.seed + 1000 * (run + 1)
        start = time.perf_counter()
        engine.generate(adapted, samples, params, count, seed)
        plain_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        feedback = drafting.feedback_from_items(domain, [first[i] for i in kept], [first[i] for i in rejected],
                                                seeds=[w.seed for w in first])
        middle = time.perf_counter()
        works, report = drafting.curate(adapted, samples, params, count, seed, feedback, generator=live.generator)
        end = time.perf_counter()
        update_s.append(middle - start)
        curate_s.append(end - middle)
        parts["draft"].append(report.draft_seconds)
        parts["update"].append(report.update_seconds)
        parts["choice"].append(report.choice_seconds)
        chooser, drafts = report.chooser, report.drafts
        log(f"{domain} timing run {run + 1}: plain {plain_s[-1]:.2f} s; feedback {update_s[-1]:.3f} s + curated "
            f"{curate_s[-1]:.2f} s (drafting {report.draft_seconds:.2f}, update {report.update_seconds:.3f}, "
            f"choice {report.choice_seconds:.3f}; {len(works)} of {report.drafts} drafts, {report.chooser})")
    total = [u + c for u, c in zip(update_s, curate_s)]
    goal = GOALS["seconds"][domain]
    return {"runs": args.timing_runs, "count": count, "drafts": drafts, "pool": pool.collection, "chooser": chooser,
            "size": "8 bars" if domain == "melody" else "256 px", "threads": args.threads,
            "plain_s": round(statistics.median(plain_s), 3),
            "update_s": round(statistics.median(update_s) + statistics.median(parts["update"]), 4),
            "choice_s": round(statistics.median(parts["choice"]), 4),
            "drafting_s": round(statistics.median(parts["draft"]), 3),
            "curated_s": round(statistics.median(curate_s), 3), "total_s": round(statistics.median(total), 3),
            "goal_s": goal, "goal_met": statistics.median(total) <= goal}


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every held-out pool of each domain, every chooser on the same people; returns the rows,
    the comparisons, fidelity, copies, timing and a printable table."""
    import torch

    torch.set_num_threads(args.threads)
    domains = list(DOMAINS) if args.domain == "all" else [args.domain]
    started = time.perf_counter()
    result: dict[str, Any] = {"benchmark": "taste", "quick": bool(args.quick), "root": str(args.root),
                              "rounds": args.rounds, "show": args.show, "drafts": list(args.drafts), "keep": 3,
                              "reject": 3, "noise": args.noise, "seed": args.seed, "threads": args.threads,
                              "goals": {k: v for k, v in GOALS.items()}, "domains": {}}
    for domain in domains:
        result["domains"][domain] = run_domain(args, domain)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["table"] = format_table(result).splitlines()
    return result


def _cell(mean: float, se: float, sign: bool = False) -> str:
    if mean != mean:  # NaN
        return "-"
    return f"{mean:+.3f} ±{se:.3f}" if sign else f"{mean:.3f} ±{se:.3f}"


LABELS = {CONTROL: "no feedback", MORE: "More like these (re-adapted)", CURATOR: "RL² curator"}


def format_table(result: dict[str, Any]) -> str:
    """The tables that go into docs/BENCHMARKS.md (markdown)."""
    lines: list[str] = []
    for domain, d in result["domains"].items():
        rounds = result["rounds"]
        for table in d["tables"]:
            lines.append(f"Taste, {domain}: {len(d['pools'])} held-out pools x {d['people_per_pool']} people "
                         f"(held-out tastes: {', '.join(d['families'])}); {rounds} galleries of {result['show']} "
                         f"from {table['drafts']} drafts; keeps 3, rejects 3; liked share mean ± SE over people, "
                         f"lift paired with no feedback; embedding: {'learned' if d['embedder'] else 'features alone'}")
            head = " | ".join(f"gallery {g + 1}" for g in range(rounds))
            lifts = " | ".join(f"lift {g + 1}" for g in range(1, rounds))
            spreads = " | ".join(f"spread {g + 1}" for g in range(rounds))
            lines.append(f"| chooser | people | {head} | {lifts} | {spreads} |")
            lines.append("|---|---|" + "---|" * (rounds + (rounds - 1) + rounds))
            for r in table["rows"]:
                cells = [_cell(r["liked"][g], r["liked_se"][g]) for g in range(rounds)]
                cells += [_cell(r["lift"][g], r["lift_se"][g], sign=True) for g in range(1, rounds)]
                cells += [f"{v:.2f}" for v in r["spread"]]
                lines.append(f"| {LABELS.get(r['chooser'], r['chooser'])} | {r['people']} | " + " | ".join(cells) + " |")
            if "more_like_these" in table:
                m = table["more_like_these"]
                lines.append(f"More like these: {m['people']} people ({m['people_per_pool']} per pool), lift paired "
                             f"with no feedback on them; {m['adapt_s_per_gallery']:.1f} s re-adaptation + "
                             f"{m['generate_s_per_gallery']:.1f} s generation per gallery.")
            if "curator_vs" in table:
                parts = []
                for v in table["curator_vs"]:
                    diffs = " / ".join(_cell(m, e, sign=True) for m, e in zip(v["diff"], v["se"]))
                    parts.append(f"{LABELS.get(v['vs'], v['vs'])} {diffs}{' (beats)' if v['beats'] else ''}")
                lines.append("RL² curator minus each, galleries " + "/".join(str(g + 1) for g in range(1, rounds))
                             + ", paired: " + "; ".join(parts))
                goals = table["goals"]
                curator = next(r for r in table["rows"] if r["chooser"] == CURATOR)
                lift = curator["lift"]
                lines.append(f"Goals: lift +{goals['lift_2']:.2f} at gallery 2: {lift[1]:+.3f} "
                             f"({'met' if goals['lift_2_met'] else 'not met'})"
                             + (f"; +{goals['lift_3']:.2f} at gallery 3: {lift[2]:+.3f} "
                                f"({'met' if goals['lift_3_met'] else 'not met'})" if len(lift) > 2 else "")
                             + f"; beats every baseline by more than its SE: "
                             f"{'yes' if table['curator_beats_every_baseline'] else 'no'}")
            lines.append("")
        fid = d.get("fidelity")
        if fid and fid["rows"]:
            key = fid["measure"]
            name = "mean OA" if key == "mean_oa" else "SWD ratio"
            goal = GOALS["oa_within"] if key == "mean_oa" else GOALS["swd_within"]
            lines.append(f"Fidelity and copies, {domain}, galleries {fid['galleries']} pooled per pool ({name} "
                         f"against the collection's genuine non-sample works; goal within {goal} of no feedback, "
                         f"on the same people); copies: share of works copying a sample / a work the person kept earlier")
            lines.append(f"| chooser | people/pool | {name} | no feedback | diff ± SE (pools) | copies of samples "
                         f"(no fb) | copies of kept (no fb) |")
            lines.append("|---|---|---|---|---|---|---|")
            for r in fid["rows"]:
                within = "" if r["within_goal"] is None else (" ok" if r["within_goal"] else " OUT")
                per = r["people_per_pool"] if r["people_per_pool"] is not None else "all"
                lines.append(f"| {LABELS.get(r['chooser'], r['chooser'])} | {per} | {r[key]:.3f} | {r['control']:.3f} | "
                             f"{_cell(r['diff'], r['diff_se'], sign=True)}{within} | {r['copy_samples']:.3f} "
                             f"({r['copy_samples_control']:.3f}) | {r['copy_liked']:.3f} ({r['copy_liked_control']:.3f}) |")
            lines.append("")
        t = d.get("timing")
        if t and "skipped" not in t:
            lines.append(f"Timing, {domain} ({t['size']}, {t['threads']} thread(s), median of {t['runs']}): plain gallery "
                         f"of {t['count']}: {t['plain_s']:.2f} s; taste update + choice + curated gallery of "
                         f"{t['count']}: {t['total_s']:.2f} s (drafting {t['drafts']}: {t['drafting_s']:.2f} s, "
                         f"taste update {t['update_s']:.3f} s, choice {t['choice_s']:.3f} s; goal {t['goal_s']:.0f} s: "
                         f"{'met' if t['goal_met'] else 'not met'}; chooser {t['chooser'] or '?'})")
        elif t:
            lines.append(f"Timing, {domain}: skipped ({t['skipped']})")
        for note in d["notes"]:
            lines.append(f"Note: {note}")
        lines.append("")
    return "\n".join(lines).rstrip()
