"""The live generator in ``bench taste``: "More like these" for real, and the timing of a curated gallery.

Role: the half of :mod:`studio.bench.taste` that runs the shipped generators. "More like these"
re-adapts the generator on the samples and the works a simulated person kept
(``engine.more_like_these``) and drafts new works with the control's settings; :func:`timing`
times the live curated gallery (:func:`studio.taste.drafting.curate`) against the plain one.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from studio.bench._taste_works import Config, Trace, WorkFiles, sample_rows, traces_of_one
from studio.errors import StudioError
from studio.taste.pools import Pool


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
        """The adaptation ``python main.py generate`` runs: the card's method and steps."""
        import importlib

        from studio.domains.base import AdaptConfig

        headless = importlib.import_module(f"studio.domains.{self.domain}.headless")
        return AdaptConfig(method=headless.default_method(self.generator), steps=int(self.generator.default_steps),
                           seed=seed)

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


def timing(domain: str, pool: Pool, standardiser: Any, count: int, runs: int, seed: int, threads: int,
           goal_s: float, log: Callable[[str], None], draft_factor: int | None = None,
           batch: int | None = None, finished_drafts: bool = False) -> dict[str, Any]:
    """Taste update + choice + a curated gallery of 12 (the live path: :func:`studio.taste.drafting.curate`
    after :func:`~studio.taste.drafting.feedback_from_items`) against the plain gallery of 12,
    alternated in the same run; medians of ``runs``.

    The feedback is a simulated held-out person's 3 keeps and 3 rejects of a first plain gallery
    made from ``pool``'s samples (melodies adapted with the card's steps as the
    app's Adapt does; paintings the instant start, the painting model's default). ``draft_factor``
    (default :data:`~studio.taste.drafting.DRAFT_FACTOR`) drafts per work shown; ``batch`` painting
    drafts per network pass (default :data:`~studio.taste.drafting.PAINTING_BATCH`); ``finished_drafts``
    paints every painting draft with its brushwork (as before 2026-12-08: the comparison row)."""
    from studio.taste import drafting, people

    factor = draft_factor or drafting.DRAFT_FACTOR
    batch = batch or drafting.PAINTING_BATCH
    live = LiveGenerator(domain, threads)
    samples = live.samples(0, pool)
    engine = live.engine
    adapted = engine.instant(samples) if live.generator.default_steps == 0 else \
        engine.adapt(samples, live.config(seed))
    params = live.base_params()
    first = engine.generate(adapted, samples, params, count, seed)
    person = people.sample_person(people.HELDOUT_FAMILIES[0], pool, standardiser, np.random.default_rng(seed))
    interp, raw = drafting.describe_items(domain, first)
    kept, rejected = people.judge(person, interp, raw)
    load_before = _load_average()
    plain_s: list[float] = []
    update_s: list[float] = []
    curate_s: list[float] = []
    parts: dict[str, list[float]] = {"draft": [], "update": [], "choice": [], "finish": []}
    chooser, drafts = "", 0
    for run in range(runs):
        run_seed = seed + 1000 * (run + 1)
        start = time.perf_counter()
        engine.generate(adapted, samples, params, count, run_seed)
        plain_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        feedback = drafting.feedback_from_items(domain, [first[i] for i in kept], [first[i] for i in rejected],
                                                seeds=[w.seed for w in first])
        middle = time.perf_counter()
        works, report = drafting.curate(adapted, samples, params, count, run_seed, feedback, draft_factor=factor,
                                        generator=_Finished(live.generator) if finished_drafts else live.generator,
                                        batch=batch)
        end = time.perf_counter()
        update_s.append(middle - start)
        curate_s.append(end - middle)
        parts["draft"].append(report.draft_seconds)
        parts["update"].append(report.update_seconds)
        parts["choice"].append(report.choice_seconds)
        parts["finish"].append(report.finish_seconds)
        chooser, drafts = report.chooser, report.drafts
        log(f"{domain} timing run {run + 1}: plain {plain_s[-1]:.2f} s; feedback {update_s[-1]:.3f} s + curated "
            f"{curate_s[-1]:.2f} s (drafting {report.draft_seconds:.2f}, update {report.update_seconds:.3f}, "
            f"choice {report.choice_seconds:.3f}"
            + (f", brushwork of the works shown {report.finish_seconds:.2f}" if report.finish_seconds else "") + "; "
            f"{len(works)} of {report.drafts} drafts, {report.chooser}; load {_load_average()})")
    total = [u + c for u, c in zip(update_s, curate_s)]
    return {"runs": runs, "count": count, "drafted": count * factor, "drafts": drafts, "pool": pool.collection,
            "chooser": chooser, "batch": batch, "finished_drafts": finished_drafts,
            "size": "8 bars" if domain == "melody" else "256 px",
            "threads": int(getattr(live.generator, "threads", 0) or threads),
            "plain_s": round(statistics.median(plain_s), 3),
            "update_s": round(statistics.median(update_s) + statistics.median(parts["update"]), 4),
            "choice_s": round(statistics.median(parts["choice"]), 4),
            "drafting_s": round(statistics.median(parts["draft"]), 3),
            "finish_s": round(statistics.median(parts["finish"]), 3),
            "plain_runs_s": [round(x, 3) for x in plain_s], "total_runs_s": [round(x, 3) for x in total],
            "curated_s": round(statistics.median(curate_s), 3), "total_s": round(statistics.median(total), 3),
            "goal_s": goal_s, "goal_met": statistics.median(total) <= goal_s,
            "load_average": [load_before, _load_average()]}


class _Finished:
    """A generator seen without its draft methods: every painting draft is painted with its brushwork."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        if name in ("draft", "finish_drafts"):
            raise AttributeError(name)
        return getattr(self._inner, name)


def _load_average() -> float | None:
    """The machine's 1-minute load average (None where the system does not say): shared machines
    make every timing slower by about load / cores."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None
