"""Taste learning on held-out collections and held-out tastes (issue 18, point 6 and its goals).

Simulated people (:mod:`studio.taste.people`, only the ``HELDOUT_FAMILIES`` no learner was
meta-trained on) judge galleries drawn from the held-out pools under ``--root`` (built by
``prepare-taste``: music21 tasks and lead-sheet songwriters the melody benches hold out; the
painters ``dataset.EVAL_ARTISTS``). Every chooser sees the same people, pools, rounds and budget:
3 galleries of 12 chosen from 36 drafts (and 48 with ``--drafts 36 48``); the person keeps the 3
best and rejects the 3 worst of each. A work is *liked* when its utility under the person's
taste is above the 75th percentile of the collection's genuine works. The people perceive
descriptors standardised over the bench's own pools, so they are the same people whichever
embedding the learners use (and whether or not the shipped weights exist).

Rows, per domain:

* ``no feedback``: the first 12 drafts, as the studio shows today;
* ``more like these``: real re-adaptation: the shipped generator is adapted again
  (``engine.more_like_these``, the model card's steps) on the samples and every work kept so
  far, then makes 12 new works with settings drafted as the pool's (uniform: the control's),
  which are described and judged like the others (gallery 1 is the no-feedback gallery);
* the non-meta baselines of :mod:`studio.taste.baselines` (UCB, Thompson, logistic
  regression, prototypes without the agent, the issue's nearest-features plain learner);
* ``rl2``: the meta-trained curator (:mod:`studio.taste.curator`), when its weights ship;
* ``oracle``: knows each person's taste and shows what they like most among the same candidates:
  the ceiling these pools and this drafting allow (a reference, not a baseline to beat).

Reported: the liked share per gallery (mean +- standard error over people); the lift over
no feedback at galleries 2 and 3 (paired per person, with its SE; goals +0.30 and +0.45);
the curator minus each baseline (paired, SE) and whether it beats every one by more than its
SE; fidelity pooled over galleries 2-3 of all the people of a pool (melodies: mean overlapping
area against the collection's genuine non-sample works; paintings: SWD ratio against the
painter's other works) and copies (of the samples, and of the person's earlier kept works);
the spread of each gallery (mean pairwise distance of the shown works' standardised
interpretable features); and the live timing: taste update + choice + a curated gallery of
12 (:func:`studio.taste.drafting.curate`, what ``curated_generate`` runs) against the plain
gallery of 12 timed in the same run (medians; goals 2 s for 8-bar melodies, 4 s for 256-px
paintings).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from studio.bench._taste_live import LiveGenerator, more_like_these, timing
from studio.bench._taste_works import (Config, Trace, WorkFiles, fidelity_and_copies, mean_se, spread,
                                       traces_of)
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
ORACLE = "oracle"


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
                        help="people per pool whose galleries the fidelity and copies use (default: all for "
                             "melodies, 4 for paintings: SWD and the patch search are slow)")
    parser.add_argument("--timing-runs", type=int, default=5, help="timed live galleries (0: skip the timing)")
    parser.add_argument("--timing-only", action="store_true",
                        help="only the live timing (no simulated people, no fidelity): a quick rerun of the speed goal")
    parser.add_argument("--timing-drafts", type=int, default=None, metavar="FACTOR",
                        help="drafts per work shown in the live timing (default: the studio's, 3)")
    parser.add_argument("--painting-batch", type=int, default=None, metavar="N",
                        help="painting drafts per network pass in the live timing (default: the studio's, 1)")
    parser.add_argument("--finished-drafts", action="store_true",
                        help="live timing: paint every painting draft with its brushwork (the way before 2026-12-08)")
    parser.add_argument("--no-fidelity", action="store_true", help="skip the fidelity and copy measures")
    parser.add_argument("--pools", type=int, default=None, help="at most this many held-out pools per domain")
    parser.add_argument("--collections", nargs="+", default=None, metavar="NAME",
                        help="only these held-out pools (collection names, e.g. essen:kinder painting:degas#0): "
                             "two runs on the same pools and seed simulate the same people")
    parser.add_argument("--quick", action="store_true", help="tiny run to check that it works")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def _log(args: argparse.Namespace, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(f"[taste] {text}", file=sys.stderr, flush=True)


def heldout_pools(root: str | Path, domain: str, limit: int | None = None,
                  collections: Sequence[str] | None = None) -> list[Pool]:
    """The domain's held-out pools under ``root`` (only ``collections`` when given; StudioError naming
    the folder when there are none)."""
    folder = Path(root) / domain
    pools = list_pools(root, domain, split="heldout") if folder.is_dir() else []
    pools = [p for p in pools if int(p.sample.sum()) > 0 and int((~p.genuine).sum()) > 0]
    if collections is not None:
        found = [p for p in pools if p.collection in set(collections)]
        if pools and not found:
            raise StudioError(f"none of the held-out {domain} pools here is one of --collections "
                              f"{' '.join(collections)} (they are: {' '.join(p.collection for p in pools)})",
                              str(folder))
        pools = found
    if not pools:
        raise StudioError(f"no held-out {domain} pools with samples and drafts here: build them with "
                          f"`python main.py prepare-taste --domain {domain}`", str(folder))
    return pools[:limit] if limit else pools


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


def ceiling() -> Any:
    """The oracle that knows each simulated person's taste (:class:`studio.taste.train_curator.Oracle`),
    named :data:`ORACLE`, or None when it is not there."""
    try:
        from studio.taste.train_curator import Oracle
    except ImportError:
        return None
    oracle = Oracle()
    oracle.name = ORACLE
    return oracle


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
    row["liked_se"] = [round(mean_se(liked[:, g])[1], 4) for g in range(liked.shape[1])]
    row["lift"] = [round(float(v), 4) for v in diff.mean(0)]
    row["lift_se"] = [round(mean_se(diff[:, g])[1], 4) for g in range(diff.shape[1])]
    row["spread"] = [round(float(v), 3) for v in spreads.mean(0)]
    # per person (in the control's order, ``person`` its index there): lets runs on the same pools and
    # seed be paired afterwards
    row["per_person"] = [[t.person, *[round(float(v), 4) for v in t.liked]] for t in traces]
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
        stats = [mean_se(diff[:, g]) for g in galleries]
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
    pools = heldout_pools(args.root, domain, args.pools or (2 if quick else None), args.collections)
    log(f"{domain}: {len(pools)} held-out pools: {', '.join(p.collection for p in pools)}")
    embedder = taste_embedder(domain, notes)
    # The people see descriptors standardised over the bench's own pools, whatever embedding the
    # learners use: the same people with and without the shipped weights (common random numbers).
    standardiser = people.fit_standardiser(pools)
    if getattr(args, "timing_only", False):
        out_only: dict[str, Any] = {"pools": [p.collection for p in pools], "people_per_pool": 0,
                                    "families": list(people.HELDOUT_FAMILIES), "embedder": embedder is not None,
                                    "tables": [], "notes": notes}
        out_only["timing"] = timing(domain, pools[0], standardiser, args.show, max(1, args.timing_runs), args.seed,
                                    args.threads, GOALS["seconds"][domain], log, args.timing_drafts,
                                    args.painting_batch, args.finished_drafts)
        return out_only
    files = WorkFiles(domain)
    galleries = list(range(1, args.rounds))  # 0-based: the galleries feedback can change
    out: dict[str, Any] = {"pools": [p.collection for p in pools], "people_per_pool": per_pool,
                           "families": list(people.HELDOUT_FAMILIES), "embedder": embedder is not None,
                           "tables": [], "notes": notes}
    kept_traces: dict[str, list[Trace]] = {}
    for drafts in args.drafts:
        cfg = Config(domain, args.rounds, args.show, drafts, args.noise, args.seed)
        short = [p for p in pools if int((~p.genuine).sum()) < args.show * (args.rounds - 1) + drafts]
        if short:
            least = min(int((~p.genuine).sum()) for p in short)
            notes.append(f"{domain}: {len(short)} of {len(pools)} pools hold fewer than the "
                         f"{args.show * (args.rounds - 1) + drafts} drafts that {args.rounds} galleries of "
                         f"{args.show} from {drafts} need (least {least}): the last galleries choose from what "
                         f"is left, fewer than {drafts} candidates")
        sims: dict[str, Any] = {}
        for chooser in choosers(domain, embedder, notes if drafts == args.drafts[0] else []):
            start = time.perf_counter()
            sims[chooser.name] = simulate(pools, people.HELDOUT_FAMILIES, chooser, per_pool, rounds=args.rounds,
                                          n_show=args.show, n_draft=drafts, seed=args.seed, embedder=embedder,
                                          noise=args.noise, standardiser=standardiser)
            log(f"{domain} drafts {drafts}: {chooser.name}: liked "
                + " ".join(f"{v:.3f}" for v in sims[chooser.name].mean()) + f" ({time.perf_counter() - start:.1f} s)")
        oracle = ceiling()
        if oracle is not None:  # knows each person's taste: what these pools and this drafting allow at best
            sims[ORACLE] = simulate(pools, people.HELDOUT_FAMILIES, oracle, per_pool, rounds=args.rounds,
                                    n_show=args.show, n_draft=drafts, seed=args.seed, noise=args.noise,
                                    standardiser=standardiser, people=oracle.people(people))
        traces = {name: traces_of(sim, pools) for name, sim in sims.items()}
        control = liked_matrix(traces[CONTROL])
        rows = [chooser_row(name, tr, control, pools, drafts) for name, tr in traces.items()]
        others: dict[str, tuple[Sequence[Trace], list[int]]] = {
            name: (tr, list(range(len(tr)))) for name, tr in traces.items() if name not in (CURATOR, ORACLE)}
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
    if not args.no_fidelity:
        out["fidelity"] = fidelity_rows(args, domain, pools, kept_traces, files, log)
    if args.timing_runs > 0:
        out["timing"] = timing(domain, pools[0], standardiser, args.show, args.timing_runs, args.seed, args.threads,
                               GOALS["seconds"][domain], log, args.timing_drafts, args.painting_batch,
                               args.finished_drafts)
    return out


def fidelity_rows(args: argparse.Namespace, domain: str, pools: Sequence[Pool], traces: dict[str, list[Trace]],
                  files: WorkFiles, log: Callable[[str], None]) -> dict[str, Any]:
    """Fidelity and copies of galleries 2.. for each chooser against the control on the same people.

    Melodies: every row. Paintings (the SWD and patch searches are slower): the control, the
    curator (the prototypes when there is no curator) and "More like these"."""
    if domain == "melody":
        names = [n for n in traces if n not in (CONTROL, ORACLE)]
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
        m, se = mean_se(diff) if len(diff) else (float("nan"), float("nan"))
        goal = GOALS["oa_within"] if domain == "melody" else GOALS["swd_within"]
        better = (m >= -goal) if domain == "melody" else (m <= goal)
        rows.append({"chooser": name, key: round(mean_se(mine[key])[0], 4), "control": round(mean_se(base[key])[0], 4),
                     "diff": round(m, 4), "diff_se": round(se, 4), "within_goal": bool(better) if name != CONTROL else None,
                     "copy_samples": round(mine["copy_samples"], 4), "copy_samples_control": round(base["copy_samples"], 4),
                     "copy_liked": round(mine["copy_liked"], 4), "copy_liked_control": round(base["copy_liked"], 4),
                     "works": mine["works"], "people_per_pool": per})
        log(f"{domain} fidelity {name}: {key} {rows[-1][key]:.3f} vs control {rows[-1]['control']:.3f}, copies "
            f"{rows[-1]['copy_samples']:.3f} / liked {rows[-1]['copy_liked']:.3f} ({time.perf_counter() - start:.1f} s)")
    return {"measure": key, "galleries": f"2-{args.rounds}", "rows": rows}


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
    if not getattr(args, "json", False):  # the printed form stays readable: per-person shares go to --json only
        for d in result["domains"].values():
            for table in d["tables"]:
                for row in table["rows"]:
                    row.pop("per_person", None)
    return result


def _cell(mean: float, se: float, sign: bool = False) -> str:
    if mean != mean:  # NaN
        return "-"
    return f"{mean:+.3f} ±{se:.3f}" if sign else f"{mean:.3f} ±{se:.3f}"


LABELS = {CONTROL: "no feedback", MORE: "More like these (re-adapted)", CURATOR: "RL² curator",
          ORACLE: "oracle: knows the taste (ceiling, not a baseline)"}


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
                         f"{t['count']}: {t['total_s']:.2f} s (drafting {t.get('drafted', t['drafts'])}: {t['drafting_s']:.2f} s, "
                         + (f"brushwork of the {t['count']} shown: {t['finish_s']:.2f} s, " if t.get("finish_s") else "")
                         + f"{t['drafts']} left after the copy guard; "
                         f"taste update {t['update_s']:.3f} s, choice {t['choice_s']:.3f} s; goal {t['goal_s']:.0f} s: "
                         f"{'met' if t['goal_met'] else 'not met'}; chooser {t['chooser'] or '?'}"
                         + (f"; load average {t['load_average'][0]} -> {t['load_average'][1]})"
                            if t.get("load_average") and t["load_average"][0] is not None else ")"))
        elif t:
            lines.append(f"Timing, {domain}: skipped ({t['skipped']})")
        for note in d["notes"]:
            lines.append(f"Note: {note}")
        lines.append("")
    return "\n".join(lines).rstrip()
