"""Meta-training of the RL² curator over simulated people and rounds: the ``train-curator`` command.

Role: the trainer of :class:`studio.taste.curator.CuratorPolicy`. An episode is one simulated
person (a train pool, a TRAIN taste family, a seed) shown 3-5 galleries drafted by the simulation's
rule (:func:`studio.taste.simulate.draft_candidates`); the policy picks each gallery pick by pick
(sampling), the person keeps the best 3 and rejects the worst 3, and the GRU reads the summary.
The reward of a pick is whether the person would like it (above their like threshold) divided by
the gallery size, so a gallery's reward is its liked share; the return of a pick is everything it
and the later picks and galleries earn. Policy gradient (REINFORCE with a baseline: the batch's mean
return at the same round and pick, the advantage normalised over the batch) plus a small entropy
bonus annealed to zero. For the first half of training an auxiliary supervised loss (weight
annealed from 1 to 0) also ranks each round's candidates against the ones the simulated person
would like: the simulator knows them, and 36 labels a round teach the scorer far faster than 12
sampled rewards; the policy gradient alone shapes the rest (the gallery as a whole, exploration,
how the GRU's belief is used). The held-back validation pools (every ``--val-every``-th train pool, never
trained on) with the TRAIN families pick the checkpoint that is kept; held-out pools and families
are only measured at the end (``--report``), never used to choose anything.

One agent serves both domains (its inputs are scale-free); each domain's taste model runs in the
identity embedding (standardised interpretable features, statistics over the domain's train pools,
stored in the card) unless ``--embedder learned`` names the shipped embeddings.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import torch

from studio.progress import NULL_PROGRESS, ConsoleProgress, Progress, check_stop
from studio.taste.baselines import all_baselines, identity_for
from studio.taste.curator import (NAME, SUMMARY, CuratorConfig, CuratorPolicy, RL2Curator, pick,
                                  round_inputs, save_curator)
from studio.taste.pools import DEFAULT_ROOT, Pool, list_pools
from studio.taste.simulate import RoundFeedback, RoundView, draft_candidates, simulate


@dataclass(frozen=True)
class TrainConfig:
    """Meta-training of the curator."""

    updates: int = 600
    batch: int = 24  # people per update
    rounds: tuple[int, int] = (3, 5)  # galleries per episode, drawn uniformly
    n_show: int = 12
    n_draft: int = 36
    lr: float = 1e-2
    lr_end_fraction: float = 0.1
    entropy_start: float = 0.01
    entropy_end: float = 0.0
    imitation_start: float = 1.0  # weight of the supervised ranking loss, annealed to 0 by imitation_until
    imitation_until: float = 0.5  # fraction of the updates
    max_grad_norm: float = 1.0
    seed: int = 0


@dataclass
class _Person:
    pool: Pool
    person: Any
    liked: np.ndarray  # (N,) bool over the pool
    used: np.ndarray
    history: list[RoundFeedback]
    kept_settings: list[np.ndarray]
    rng: np.random.Generator


def _new_person(pool: Pool, family: str, standardiser: Any, rng: np.random.Generator, people: Any) -> _Person:
    person = people.sample_person(family, pool, standardiser, rng)
    liked = np.asarray(person.utility(pool.interp, pool.raw)) > float(people.like_threshold(person, pool))
    return _Person(pool, person, liked, np.zeros(len(pool), bool), [], [], rng)


def rollout(policy: CuratorPolicy, persons: Sequence[_Person], rounds: int, n_show: int, n_draft: int,
            embedders: dict[str, Any], people: Any, generator: torch.Generator, greedy: bool = False
            ) -> tuple[torch.Tensor, torch.Tensor, np.ndarray, torch.Tensor, np.ndarray]:
    """Play ``rounds`` galleries for every person in lock-step: ``(log-probs (B, rounds, n_show),
    entropies (B, rounds, n_show), liked (B, rounds, n_show))`` for the picks in order, and the
    ranking loss: the cross-entropy of each round's first pick against the candidates the person
    would like (the simulator knows them; a supervised signal that starts the scorer off), and the
    share of each round's candidates the person would like ``(B, rounds)``."""
    b = len(persons)
    state = policy.initial_state(b)
    logps, ents = [], []
    rank_losses: list[torch.Tensor] = []
    liked = np.zeros((b, rounds, n_show))
    rates = np.zeros((b, rounds))  # share of each round's candidates the person would like
    summaries: np.ndarray | None = None
    for r in range(rounds):
        inputs, cands = [], []
        for p in persons:
            around = np.stack(p.kept_settings) if p.kept_settings else None
            cand = draft_candidates(p.pool, n_draft, p.used, p.rng, around=around)
            s_rows = np.flatnonzero(p.pool.sample)
            view = RoundView(p.pool.domain, p.pool.interp[cand], p.pool.raw[cand],
                             np.nan_to_num(p.pool.settings[cand], nan=0.0), p.pool.interp[s_rows],
                             p.pool.raw[s_rows], tuple(p.history), n_show)
            cands.append(cand)
            inputs.append(round_inputs(view, embedders.get(p.pool.domain)))
        m = max(len(c) for c in cands)
        static = torch.zeros(b, m, inputs[0].static.shape[1])
        dist = torch.full((b, m, m), 2.0)
        mask = torch.zeros(b, m, dtype=torch.bool)
        for i, inp in enumerate(inputs):
            k = len(cands[i])
            static[i, :k] = torch.from_numpy(inp.static)
            dist[i, :k, :k] = torch.from_numpy(inp.dist)
            mask[i, :k] = True
        if summaries is not None:
            state = policy.observe(state, torch.from_numpy(summaries), torch.ones(b))
        first: list[torch.Tensor] = []
        picks, logp, ent = pick(policy, state, static, dist, mask, n_show, generator, greedy, first)
        target = torch.zeros(b, m)
        for i, p in enumerate(persons):
            target[i, :len(cands[i])] = torch.from_numpy(p.liked[cands[i]].astype(np.float32))
            rates[i, r] = float(p.liked[cands[i]].mean())
        has = target.sum(1) > 0
        if has.any():
            t = target[has] / target[has].sum(1, keepdim=True)
            rank_losses.append(-(t * first[0][has].clamp_min(-30.0)).sum(1).mean())
        logps.append(logp)
        ents.append(ent)
        summaries = np.zeros((b, SUMMARY), np.float32)
        for i, p in enumerate(persons):
            shown = cands[i][picks[i].numpy()]
            liked[i, r] = p.liked[shown]
            p.used[shown] = True
            kept, rejected = people.judge(p.person, p.pool.interp[shown], p.pool.raw[shown])
            p.history.append(RoundFeedback((p.pool.interp[shown], p.pool.raw[shown],
                                            np.nan_to_num(p.pool.settings[shown], nan=0.0)), kept, rejected))
            p.kept_settings.extend(np.nan_to_num(p.pool.settings[shown[list(kept)]], nan=0.0))
            summaries[i] = inputs[i].summary(picks[i].numpy(), kept, rejected)  # = gallery_summary (fixed embedder)
    rank = torch.stack(rank_losses).mean() if rank_losses else torch.zeros(())
    return torch.stack(logps, 1), torch.stack(ents, 1), liked, rank, rates


def returns_of(liked: np.ndarray) -> np.ndarray:
    """Return of every pick ``(B, R, n)``: its like and every later like of the episode, each worth
    1 / n (a gallery's liked share)."""
    b, r, n = liked.shape
    flat = liked.reshape(b, r * n) / n
    return np.cumsum(flat[:, ::-1], 1)[:, ::-1].reshape(b, r, n)


def advantages(liked: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Returns minus a baseline that does not depend on the pick: for the rest of the current gallery,
    what random picks from this round's candidates would earn (the simulator knows their liked
    share); for the later galleries, the batch's mean. Normalised over the batch."""
    b, r, n = liked.shape
    g = returns_of(liked)
    share = liked.mean(2)  # (B, R)
    future = np.cumsum(share[:, ::-1], 1)[:, ::-1] - share  # later galleries' liked shares
    remaining = (n - np.arange(n)) / n  # share of the gallery still to pick
    base = rates[:, :, None] * remaining[None, None, :] + future.mean(0, keepdims=True)[:, :, None]
    adv = g - base
    return adv / (adv.std() + 1e-8)


def train(policy: CuratorPolicy, pools: Sequence[Pool] | Callable[[], Sequence[Pool]], families: Sequence[str],
          config: TrainConfig, embedders: dict[str, Any], people: Any = None, progress: Progress = NULL_PROGRESS,
          on_update: Any = None, refresh_every: int = 25) -> list[float]:
    """Meta-train ``policy`` in place; returns the mean episode reward (liked share per gallery)
    of each update. ``pools`` may be a function that lists them: it is called again every
    ``refresh_every`` updates (pools that a running ``prepare-taste`` adds join the training).
    ``on_update(update, policy)`` is called after every update (checkpoints).
    Raises Cancelled when ``progress`` asks to stop, ValueError when no pool fits a gallery."""
    source = pools if callable(pools) else None
    pools = list(source()) if source is not None else list(pools)
    if people is None:
        from studio.taste import people as people_module

        people = people_module
    standardisers = {d: e.standardiser for d, e in embedders.items()}
    optimiser = torch.optim.Adam(policy.parameters(), lr=config.lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda u: 1.0 - (1.0 - config.lr_end_fraction) * u / max(1, config.updates - 1))
    generator = torch.Generator().manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    history: list[float] = []
    start = time.monotonic()
    for update in range(config.updates):
        check_stop(progress)
        if source is not None and update and update % refresh_every == 0:
            pools = list(source()) or pools
        rounds = int(rng.integers(config.rounds[0], config.rounds[1] + 1))
        fit = [p for p in pools if int((~p.genuine).sum()) >= rounds * config.n_show]
        if not fit:
            raise ValueError(f"no pool has the {rounds * config.n_show} drafts {rounds} galleries need")
        persons = []
        for _ in range(config.batch):
            pool = fit[int(rng.integers(len(fit)))]
            family = families[int(rng.integers(len(families)))]
            std = standardisers.get(pool.domain)
            if std is None:
                from studio.taste.people import fit_standardiser

                std = standardisers[pool.domain] = fit_standardiser([p for p in pools if p.domain == pool.domain])
            persons.append(_new_person(pool, family, std, np.random.default_rng(rng.integers(2 ** 63)), people))
        policy.train()
        logp, ent, liked, rank, rates = rollout(policy, persons, rounds, config.n_show, config.n_draft, embedders,
                                                people, generator)
        adv = torch.from_numpy(advantages(liked, rates).astype(np.float32))
        frac = update / max(1, config.updates - 1)
        entropy_coef = config.entropy_start + frac * (config.entropy_end - config.entropy_start)
        imitation = config.imitation_start * max(0.0, 1.0 - frac / max(1e-9, config.imitation_until))
        loss = -(logp * adv).mean() - entropy_coef * ent.mean() + imitation * rank
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(policy.parameters(), config.max_grad_norm)
        optimiser.step()
        schedule.step()
        reward = float(liked.mean())
        history.append(reward)
        if on_update is not None:
            on_update(update, policy)
        progress.report_progress((update + 1) / config.updates,
                                 f"curator update {update + 1}/{config.updates}: liked share {reward:.3f} "
                                 f"({time.monotonic() - start:.0f} s)")
    return history


class Oracle:
    """Knows the simulated person's taste and shows the candidates they like most: the ceiling any
    chooser could reach with these pools and this drafting (not a chooser the studio could use)."""

    name = "oracle (knows the taste)"
    uses_feedback = True

    def __init__(self) -> None:
        self.person: Any = None

    def people(self, people: Any) -> Any:
        """``people`` with ``sample_person`` wrapped so that this oracle sees each new person."""
        oracle = self

        class _Watched:
            def __getattr__(self, name: str) -> Any:
                return getattr(people, name)

            @staticmethod
            def sample_person(*args: Any, **kwargs: Any) -> Any:
                oracle.person = people.sample_person(*args, **kwargs)
                return oracle.person
        return _Watched()

    def choose(self, view: RoundView, rng: np.random.Generator) -> list[int]:
        u = np.asarray(self.person.utility(view.candidates_interp, view.candidates_raw))
        return [int(i) for i in np.argsort(-u, kind="stable")[:min(view.n_show, view.n_candidates)]]


def evaluate(choosers: Sequence[Any] | Callable[[str], Sequence[Any]], pools: Sequence[Pool], families: Sequence[str],
             people_per_pool: int,
             rounds: int = 3, n_show: int = 12, n_draft: int = 36, seed: int = 0,
             standardisers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every chooser on the same people: mean and SE of the liked share per round, the paired lift
    over the first chooser (the no-feedback control) and the shown works' spread. An
    :class:`Oracle` among the choosers gives the ceiling. ``choosers`` may be a function of the
    domain (choosers that hold the domain's embedder); the names must be the same in every domain."""
    from studio.taste import people as people_module
    from studio.taste.people import fit_standardiser

    by_domain: dict[str, list[Pool]] = {}
    for p in pools:
        by_domain.setdefault(p.domain, []).append(p)
    out: dict[str, Any] = {"people": 0, "rounds": rounds, "n_show": n_show, "n_draft": n_draft, "choosers": {}}
    results: dict[str, list[Any]] = {}
    for domain, group in sorted(by_domain.items()):
        std = (standardisers or {}).get(domain) or fit_standardiser(group)
        listed = list(choosers(domain) if callable(choosers) else choosers)
        base = listed[0].name
        for ch in listed:
            watched = ch.people(people_module) if isinstance(ch, Oracle) else None
            results.setdefault(ch.name, []).append(
                simulate(group, families, ch, people_per_pool, rounds, n_show, n_draft, seed, standardiser=std,
                         people=watched))
    base_share = np.concatenate([r.liked_share for r in results[base]])
    out["people"] = int(len(base_share))
    ref = np.concatenate([r.liked_share for r in results["rl2"]]) if "rl2" in results else None
    for name, rs in results.items():
        share = np.concatenate([r.liked_share for r in rs])
        spread = np.concatenate([r.spread for r in rs])
        diff = share - base_share
        n = len(share)
        se = lambda x: (x.std(0, ddof=1) / np.sqrt(n)) if n > 1 else np.zeros(x.shape[1])  # noqa: E731
        out["choosers"][name] = {"liked_share": share.mean(0).round(4).tolist(), "se": se(share).round(4).tolist(),
                                 "lift": diff.mean(0).round(4).tolist(), "lift_se": se(diff).round(4).tolist(),
                                 "spread": spread.mean(0).round(3).tolist()}
        if ref is not None:  # the curator minus this chooser, paired per person
            out["choosers"][name]["rl2_minus"] = (ref - share).mean(0).round(4).tolist()
            out["choosers"][name]["rl2_minus_se"] = se(ref - share).round(4).tolist()
    return out


def format_table(report: dict[str, Any]) -> str:
    """The evaluation as a plain-text table."""
    rounds = report["rounds"]
    head = f"{'chooser':22s}" + "".join(f"  gallery {r + 1:d}       " for r in range(rounds)) + "  lift g2 / g3 (SE)          spread"
    lines = [head]
    for name, row in report["choosers"].items():
        cells = "".join(f"  {m:.3f} +- {s:.3f}  " for m, s in zip(row["liked_share"], row["se"]))
        lift = "  ".join(f"{row['lift'][r]:+.3f} ({row['lift_se'][r]:.3f})" for r in range(1, min(3, rounds)))
        spread = "/".join(f"{v:.2f}" for v in row["spread"])
        lines.append(f"{name:22s}{cells}  {lift:26s}  {spread}")
    return "\n".join(lines)


# -- the command ---------------------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", default=str(DEFAULT_ROOT), help="the pools folder (prepare-taste's output)")
    parser.add_argument("--domain", choices=("melody", "painting", "all"), default="all")
    parser.add_argument("--out", default=NAME, help="model name in models/ or a path stem (default %(default)s)")
    parser.add_argument("--updates", type=int, default=TrainConfig.updates)
    parser.add_argument("--batch", type=int, default=TrainConfig.batch)
    parser.add_argument("--lr", type=float, default=TrainConfig.lr)
    parser.add_argument("--imitation-until", type=float, default=TrainConfig.imitation_until,
                        help="share of the updates over which the supervised ranking loss fades out (default %(default)s)")
    parser.add_argument("--minutes", type=float, default=25.0, help="stop training after this long (default %(default)s)")
    parser.add_argument("--eval-every", type=int, default=50, help="updates between validation checkpoints")
    parser.add_argument("--val-every", type=int, default=5, help="every n-th train pool is held back for validation")
    parser.add_argument("--val-people", type=int, default=5, help="validation people per held-back pool")
    parser.add_argument("--report-people", type=int, default=6, help="people per held-out pool in the final report")
    parser.add_argument("--report-drafts", type=lambda text: [int(v) for v in text.split(",")], default=[36],
                        help="drafts a gallery in the held-out report, comma-separated (default 36)")
    parser.add_argument("--report-only", action="store_true",
                        help="no training: measure the stored curator (--out) on the held-out pools again")
    parser.add_argument("--embedder", choices=("identity", "learned"), default="identity")
    parser.add_argument("--synthetic", action="store_true", help="train on synthetic pools (a quick check, not shipped)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)


def describe_pools(train: Sequence[Pool], val: Sequence[Pool], heldout: Sequence[Pool], root: str) -> dict[str, Any]:
    """What the card says about the data: the pools of each role with their sizes."""
    def rows(group: Sequence[Pool]) -> list[str]:
        return [f"{p.domain}/{p.collection} ({int(p.genuine.sum())} genuine, {int((~p.genuine).sum())} drafts)"
                for p in group]
    return {"root": root, "train": rows(train), "validation": rows(val), "heldout_report": rows(heldout)}


def _embedders(kind: str, pools: Sequence[Pool]) -> dict[str, Any]:
    from studio.taste.people import fit_standardiser

    out: dict[str, Any] = {}
    for domain in sorted({p.domain for p in pools}):
        group = [p for p in pools if p.domain == domain]
        if kind == "learned":
            from studio.taste.embedding import load_embedder

            out[domain] = load_embedder(domain)
        else:
            out[domain] = identity_for(domain, fit_standardiser(group))
    return out


def run(args: argparse.Namespace) -> int:
    from studio.errors import StudioError
    from studio.taste import people

    torch.set_num_threads(max(1, args.threads))
    domains = ("melody", "painting") if args.domain == "all" else (args.domain,)
    if args.synthetic:
        from studio.taste.synthetic import synthetic_pools

        train_pools = synthetic_pools(10, "melody", "train", seed=1)
        heldout = synthetic_pools(3, "melody", "heldout", seed=100)
    else:
        pools = [p for d in domains for p in list_pools(args.root, d)]
        train_pools = [p for p in pools if p.split == "train"]
        heldout = [p for p in pools if p.split == "heldout"]
        if not train_pools and not args.report_only:
            print(f"train-curator: no train pools under {args.root} for {', '.join(domains)}: "
                  "run `python main.py prepare-taste` first")
            return 2
    if args.report_only:
        if not heldout:
            print(f"train-curator: no held-out pools under {args.root} to report on")
            return 2
        try:
            report_heldout(args, heldout)
        except StudioError as exc:
            print(f"train-curator: {exc}")
            return 2
        return 0
    val = train_pools[::args.val_every] if len(train_pools) > 1 else []
    fit = [p for p in train_pools if all(p is not v for v in val)]
    try:
        embedders = _embedders(args.embedder, train_pools)
    except StudioError as exc:
        print(f"train-curator: {exc}")
        return 2
    config = TrainConfig(updates=args.updates, batch=args.batch, lr=args.lr, seed=args.seed,
                         imitation_until=args.imitation_until)
    policy = CuratorPolicy(CuratorConfig())
    deadline = time.monotonic() + 60 * args.minutes
    best: dict[str, Any] = {"val": -1.0, "update": -1}
    stem = Path(args.out)
    val_choosers = [c for c in all_baselines() if c.name in ("no feedback", "prototypes")]

    seen: dict[tuple[str, str], Pool] = {}

    def card(extra: dict[str, Any]) -> dict[str, Any]:
        trained_on = list(seen.values()) or fit
        return {"name": NAME, "description": "The RL² gallery curator of taste learning (issue 18): a GRU policy "
                "meta-trained over simulated people and galleries that picks which drafted works a gallery shows",
                "data": describe_pools(trained_on, val, heldout, args.root), "embedder": args.embedder,
                "standardisers": {d: e.standardiser.to_dict() for d, e in embedders.items()},
                "command": "python main.py train-curator " + " ".join(
                    f"--{k.replace('_', '-')}" + ("" if v is True else f" {v}") for k, v in sorted(vars(args).items())
                    if k not in ("func", "command", "started_at") and v not in (False, None)),
                "train_config": {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(config).items()},
                "families": list(people.TRAIN_FAMILIES), **extra}

    def validate(update: int) -> float:
        if not val:
            return 0.0
        curator = RL2Curator(policy, embedders)
        rep = evaluate([val_choosers[0], curator], val, people.TRAIN_FAMILIES, args.val_people, seed=10_000,
                       standardisers={d: e.standardiser for d, e in embedders.items()})
        return float(np.mean(rep["choosers"]["rl2"]["liked_share"][1:]))

    class _Stop(Exception):
        pass

    def on_update(update: int, pol: CuratorPolicy) -> None:
        if (update + 1) % args.eval_every == 0 or update + 1 == config.updates or time.monotonic() > deadline:
            score = validate(update)
            print(f"update {update + 1}: validation liked share (galleries 2+) {score:.4f}", flush=True)
            if score > best["val"] or not val:
                best.update(val=score, update=update + 1)
                save_curator(pol, _models(stem),
                             card({"steps": update + 1, "metrics": {"validation_liked_share_g2plus": round(score, 4),
                                                                    "validation_untrained": round(untrained, 4)}}))
        if time.monotonic() > deadline:
            raise _Stop()

    started = time.monotonic()
    # the untrained policy is the prototype ranking: the checkpoint to beat (and kept if none does)
    untrained = validate(-1)
    print(f"untrained (the prototype ranking): validation liked share (galleries 2+) {untrained:.4f}", flush=True)
    best.update(val=untrained, update=0)
    save_curator(policy, _models(stem),
                 card({"steps": 0, "metrics": {"validation_liked_share_g2plus": round(untrained, 4)}}))
    try:
        held_back = {(p.domain, p.collection) for p in val}

        def train_pools_now() -> list[Pool]:  # pools a running prepare-taste adds join in
            if args.synthetic:
                return fit
            now = [p for d in domains for p in list_pools(args.root, d, "train")]
            fresh = [p for p in now if (p.domain, p.collection) not in held_back]
            seen.update({(p.domain, p.collection): p for p in fresh})
            return fresh
        train(policy, train_pools_now, people.TRAIN_FAMILIES, config, embedders, people, ConsoleProgress(),
              on_update)
    except _Stop:
        print(f"train-curator: stopped at the {args.minutes:g}-minute limit", flush=True)
    print(f"train-curator: best validation {best['val']:.4f} at update {best['update']} "
          f"({time.monotonic() - started:.0f} s)")
    if not args.synthetic:  # held-out pools a running prepare-taste added meanwhile
        heldout = [p for d in domains for p in list_pools(args.root, d, "heldout")]
    if heldout and args.report_people > 0:
        report_heldout(args, heldout)
    return 0


def report_heldout(args: argparse.Namespace, heldout: Sequence[Pool]) -> dict[str, Any]:
    """Every chooser and the stored curator on the held-out pools with the HELDOUT families, per domain
    and per number of drafts (``--report-drafts``); prints the tables and stores them in the card."""
    from studio.taste.curator import load_curator, load_policy
    from studio.taste.people import HELDOUT_FAMILIES

    stem = Path(args.out)
    target = _models(stem)
    trained, saved_card = load_policy(target)
    reports: dict[str, Any] = {}
    for domain in sorted({p.domain for p in heldout}):
        group = [p for p in heldout if p.domain == domain]
        curator = load_curator(domain, target)  # with the embedder it was trained with
        embedder = curator.embedders.get(domain)
        standardisers = {domain: embedder.standardiser} if embedder is not None else None
        for n_draft in args.report_drafts:
            report = evaluate(list(all_baselines(embedder)) + [curator, Oracle()], group,
                              HELDOUT_FAMILIES, args.report_people, n_draft=n_draft, standardisers=standardisers)
            print(f"== {domain}: {len(group)} held-out pools, {report['people']} people, {n_draft} drafted a gallery")
            print(format_table(report), flush=True)
            reports.setdefault(domain, {})[f"n_draft={n_draft}"] = report
    for key in ("format", "version", "tensors"):
        saved_card.pop(key, None)
    saved_card.setdefault("metrics", {})["heldout"] = reports
    saved_card["metrics"]["heldout_command"] = (f"python main.py train-curator --report-only --out {args.out} "
                                                f"--report-people {args.report_people} --report-drafts "
                                                + ",".join(str(n) for n in args.report_drafts))
    saved_card.setdefault("data", {})["heldout_report"] = describe_pools([], [], heldout, args.root)["heldout_report"]
    save_curator(trained, target, {k: v for k, v in saved_card.items() if k not in ("kind", "config", "inputs")})
    return reports


def _models(stem: Path) -> Path:
    from studio.model_registry import model_stem

    return model_stem(str(stem))
