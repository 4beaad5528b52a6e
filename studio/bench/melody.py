"""Melody style fidelity, novelty and speed on held-out collections, against five baselines.

For each held-out task (collections never seen in meta-training) and each of ``--episodes``
draws, the support is 4 phrases of 8 bars from 4 different tunes and the reference is one
8-bar phrase (the first full one) of every *other* tune of the collection, so generated and
reference melodies have the same length. Every method writes ``--count`` 8-bar melodies,
melody ``i`` in the key and meter of support clip ``i mod 4`` (``--plan clips``: collections mix
meters, and so does the reference; ``--plan majority`` puts all in the support's most common
key and meter), every network method with the same sampler (``--temperature``, ``--top-p``,
grammar masks, the support's range widened by ``--range-margin`` semitones, the density tilt
calibrated to the notes per bar of the support clips in the melody's meter, the support cache
at ``--cache-weight`` with its pitch-class penalty); candidates that copy a support clip are
replaced by the next seed, up to 4 times: the product's behaviour. ``--split validation`` runs
the same protocol on :data:`VALIDATION_TASKS` (training collections) for choosing defaults, so
that the held-out collections are only used to report. Methods, all in the same run:

* ``adapted``: the meta-trained model, style-conditioned and fine-tuned ``--steps`` SGD steps;
* ``instant``: the same model conditioned on the support's style only (no gradient step);
* ``multitask``: the plain multi-task model (same network, data and compute), ``--steps`` SGD
  steps at its own validated learning rate;
* ``scratch``: the network from a random initialisation trained on the support, ``--steps``
  Adam steps (lr 0.01);
* ``ngram``: the support cache alone (:mod:`studio.domains.melody.cache`, weight 1: the samples'
  smoothed rhythm and melody n-grams under the same grammar, range and copy filter; the network
  is consulted only at the rare steps where no token the cache has seen fits the bar), the
  non-neural half of the product's sampler, so the network's own share is measured;
* ``markov``: the variable-order Markov model (order <= 4) fitted on the support, under the
  same copy filter (the next seed, up to 4 times); at order 4 on 4 phrases nearly every draw
  replays the support, so most of its kept melodies are still copies;
* ``markov_backoff``: the same Markov model and filter, but each retry also lowers the maximum
  order by one (4, 3, 2, 1, 0): the Markov baseline made to obey the copy rule with the same
  number of candidates as every other method.

Metrics: Yang & Lerch overlapping area per feature and its mean (``mean_oa``), key consistency
(share of notes in the melody's key's scale), groove consistency, the copy rate before and after
the copy filter, and the human copy rate (a reference phrase against 4 other ones of the same
collection). The ``human`` row's overlapping areas are the metric's ceiling: ``--count`` tunes of
the reference (at most half), each moved to the key its generated counterpart is written in,
scored as if generated against the reference's other tunes. ``standard_errors`` are over
episodes (each task's draws count separately) and ``adapted_minus`` is the paired per-episode
difference with its standard error. A fixed ``--seed`` gives the same numbers in every process
(only the ``*_seconds`` fields vary).
Goals: the adapted model's mean OA above every other method's, and above every
method whose copy rate (after the filter) is not above the human one. ``timing``: median
wall time of ``MelodyGenerator.adapt`` (default steps) plus 12 melodies, with 1 and with 2
torch threads. ``--compare DIR ...`` adds the held-out query
loss after 0/5/20 steps of every ``DIR/model-*`` (the Reptile / FOMAML / Meta-SGD comparison).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.melody import KeySignature, Melody
from studio.domains.melody.cache import OUTSIDE_PENALTY, SupportCache, mixture_targets
from studio.domains.melody.corpus import MelodyCorpus, load_corpus
from studio.domains.melody.generator import calibration_target
from studio.domains.melody.markov import VariableOrderMarkov
from studio.domains.melody.metrics import (
    FEATURES, groove_consistency, human_copy_rate, is_copy, key_consistency, overlap_report,
)
from studio.domains.melody.model import MelodyNet, build_batch, sequence_loss, style_features
from studio.domains.melody.params import DEFAULT_IDIOMS as CACHE_WEIGHT  # the generator's defaults
from studio.domains.melody.params import RANGE_MARGIN, MelodyParams
from studio.domains.melody.representation import decode, nearest_shift, transpose
from studio.domains.melody.sampling import Plan, SamplingControls, calibrate_density, sample_sequences
from studio.domains.melody.train import adapted_query_loss, heldout_episodes
from studio.domains.melody.weights import load_model
from studio.meta import adapt as meta_adapt
from studio.meta import functional as F
from studio.model_registry import model_stem

DESCRIPTION = "Melody: style fidelity (Yang & Lerch OA), key/groove, copy rate and speed vs 5 baselines"
METHODS = ("adapted", "instant", "multitask", "scratch", "ngram", "markov", "markov_backoff")
RESAMPLES = 4
MARKOV_ORDER = 4
# ``--split validation``: meta-training collections that mirror the held-out ones (an Aird's
# collection, two German Essen collections of about the sizes of kinder and lux, a Ryan's
# dotted-rhythm tune type), for choosing defaults without looking at the held-out numbers.
VALIDATION_TASKS = ("airds:reel", "essen:dva", "essen:lot", "ryans:hornpipe")

Draw = Callable[[int, int, int], Melody]
"""A method's sampler: ``(seed, attempt, index)`` -> melody; ``attempt`` counts the copy-filter
retries and ``index`` is the melody's place in the set (it picks the key and meter slot)."""
Slot = tuple[KeySignature, tuple[int, int]]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", default="data/melody")
    parser.add_argument("--model", default="melody-reptile", help="meta-trained model in models/")
    parser.add_argument("--multitask", default="melody-multitask", help="multi-task model in models/")
    parser.add_argument("--episodes", type=int, default=3, help="support draws per held-out task")
    parser.add_argument("--count", type=int, default=16, help="melodies per method and episode")
    parser.add_argument("--steps", type=int, default=None, help="adaptation steps (default: the model card's)")
    parser.add_argument("--adapt-lr", type=float, default=None,
                        help="adaptation learning rate of the meta and the multi-task model (default: each card's)")
    parser.add_argument("--timing-runs", type=int, default=8, help="adapt + 12 melodies timings (0: skip)")
    parser.add_argument("--compare", nargs="*", default=[], metavar="DIR",
                        help="folders of model-<method> files to compare by held-out query loss")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="1 episode, 6 melodies, 2 timing runs")
    parser.add_argument("--plan", choices=("clips", "majority"), default="clips",
                        help="keys and meters of the generated melodies: each support clip's in turn "
                             "(default), or all in the support's most common one")
    parser.add_argument("--density", choices=("calibrated", "none"), default="calibrated",
                        help="network methods' density tilt: calibrated to the support's notes per bar "
                             "(the generator's default) or none (the protocol before 2026-11-27)")
    parser.add_argument("--cache-weight", type=float, default=CACHE_WEIGHT,
                        help="share of the support cache (the samples' n-grams) in every network method's "
                             "next-token distribution (default: the generator's)")
    parser.add_argument("--outside-penalty", type=float, default=OUTSIDE_PENALTY,
                        help="with the cache: logits taken from notes of pitch classes the support never plays")
    parser.add_argument("--temperature", type=float, default=MelodyParams().temperature,
                        help="network methods' sampling temperature (default: the generator's)")
    parser.add_argument("--top-p", type=float, default=SamplingControls.top_p,
                        help="network methods' nucleus share (default: the generator's)")
    parser.add_argument("--range-margin", type=int, default=RANGE_MARGIN,
                        help="semitones the network methods' note range reaches past the support's "
                             "(default: the generator's)")
    parser.add_argument("--split", choices=("heldout", "validation"), default="heldout",
                        help="heldout: the collections never meta-trained on (the reported numbers); "
                             "validation: training collections, for choosing defaults")


# --- episodes -----------------------------------------------------------------------------------

def bench_episodes(corpus: MelodyCorpus, task: str, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` draws of 4 support phrases (8 bars, 4 different tunes) and their reference."""
    phrases = corpus.phrases(task, 8)
    first: dict[int, Any] = {}
    for phrase in phrases:
        first.setdefault(phrase.tune.index, phrase)
    tunes = sorted(first)
    rng = np.random.default_rng([seed, len(task)])
    out = []
    for _ in range(count):
        chosen = [int(t) for t in rng.choice(tunes, size=4, replace=False)]
        support = []
        for tune in chosen:
            options = [p for p in phrases if p.tune.index == tune]
            support.append(options[int(rng.integers(len(options)))])
        reference = [first[t].melody() for t in tunes if t not in chosen]
        out.append({"task": task, "support": support, "reference": reference})
    return out


def _support_key(support) -> tuple[KeySignature, tuple[int, int], float]:
    """The support's most common key and meter (the first seen wins a tie, as in the generator's
    ``sample_style``: never the iteration order of a set, which depends on string hashing and so
    changed between runs) and median tempo."""
    key = Counter(p.tune.key for p in support).most_common(1)[0][0]
    meter = Counter(p.tune.time_signature for p in support).most_common(1)[0][0]
    return key, meter, float(statistics.median(p.tune.tempo_bpm for p in support))


# --- methods --------------------------------------------------------------------------------------

def _sgd(model, params, tokens, features, steps, lr, clip, meta_lrs=None, cache_loss: float = 0.0) -> dict:
    """``steps`` SGD steps on the support (on the cache mixture's loss for a model trained on it)."""
    inputs, targets = build_batch(tokens, features)
    if cache_loss > 0:
        targets = torch.from_numpy(mixture_targets(targets.numpy(), tokens, tokens, cache_loss))
    result = meta_adapt.adapt(model, params, (inputs, targets), sequence_loss,
                              method="metasgd" if meta_lrs else "reptile", steps=steps, lr=lr,
                              clip_grad_norm=clip, meta_lrs=meta_lrs, buffers={})
    return meta_adapt.apply_delta(params, result.delta)


def _cache_loss(card: dict) -> float:
    """The cache share a model was trained with (``train-melody --cache-loss``; 0 for the plain loss)."""
    return float(card.get("settings", {}).get("cache_loss", 0.0))


def _adam_from_scratch(config, tokens, features, steps, seed) -> dict:
    with torch.random.fork_rng(devices=[]):  # seeded, and the global generator is left as it was
        torch.manual_seed(seed)
        model = MelodyNet(config)
    params = F.params_of(model)
    optimizer = torch.optim.Adam(params.values(), lr=0.01)
    inputs, targets = build_batch(tokens, features)
    for _ in range(steps):
        loss = F.loss_at(model, params, {}, inputs, targets, sequence_loss)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(params.values()), 5.0)
        optimizer.step()
    return F.detach(params)


def support_slots(support_phrases, plan: str) -> list[Slot]:
    """The (key, meter) of each melody in turn: ``"clips"`` cycles through the support clips'
    own keys and meters (a support of mixed meters gets a set of mixed meters, as the
    collection has); ``"majority"`` writes every melody in the support's most common key and
    meter (the protocol before 2026-11-27)."""
    if plan == "majority":
        key, meter, _ = _support_key(support_phrases)
        return [(key, meter)]
    if plan != "clips":
        raise ValueError(f"plan must be 'clips' or 'majority', got {plan!r}")
    return [(p.tune.key, tuple(p.tune.time_signature)) for p in support_phrases]


def _network_sampler(config, params, features, slots: list[Slot], tempo, bars, pitch_range,
                     support_tokens: list[list[int]] | None = None, cache_weight: float = 0.0,
                     outside_penalty: float = OUTSIDE_PENALTY, range_margin: int = RANGE_MARGIN,
                     temperature: float = 1.0, top_p: float = SamplingControls.top_p) -> Draw:
    """Draws from the network at ``params``; with ``support_tokens`` each slot's density tilt is
    calibrated (once, on first use) to the notes per bar of the support clips in its meter, as
    the generator does (:func:`studio.domains.melody.generator.calibration_target`)."""
    network = MelodyNet(config)
    network.load_state_dict(params)
    calibrated: dict[tuple[tuple[int, int], str], SamplingControls] = {}  # one per meter and mode
    cache = SupportCache(support_tokens) if support_tokens and cache_weight > 0 else None

    def controls_of(slot: int) -> SamplingControls:
        key, meter = slots[slot]
        tonic = 60 + key.tonic
        controls = SamplingControls(temperature, (pitch_range[0] - range_margin - tonic,
                                                  pitch_range[1] + range_margin - tonic),
                                    top_p=top_p, cache=cache, cache_weight=cache_weight if cache is not None else 0.0,
                                    outside_penalty=outside_penalty)
        if support_tokens is None:
            return controls
        if (meter, key.mode) not in calibrated:
            target = calibration_target(support_tokens, meter)
            calibrated[meter, key.mode] = calibrate_density(network, features, Plan(meter, key.mode, bars), controls,
                                                            target)
        return replace(calibrated[meter, key.mode], pitch_range=controls.pitch_range)

    def draw(seed: int, attempt: int = 0, index: int = 0) -> Melody:
        key, meter = slots[index % len(slots)]
        controls = controls_of(index % len(slots))
        tokens = sample_sequences(network, features, [Plan(meter, key.mode, bars, seed=seed)], controls)[0]
        return decode(tokens, key, tempo, meter, f"bench {seed}")
    return draw


def _draw_set(draw: Draw, count: int, support: list[Melody], seed: int) -> tuple[list[Melody], float]:
    """``count`` melodies skipping copies (up to RESAMPLES extra seeds each, the last candidate
    is kept even if it copies), and the copy rate of the first ``count`` candidates (before the
    filter)."""
    kept: list[Melody] = []
    first_copies = 0
    seeds = iter(range(seed * 100_000, seed * 100_000 + count * (RESAMPLES + 1)))
    for i in range(count):
        for attempt in range(RESAMPLES + 1):
            melody = draw(next(seeds), attempt, i)
            copy = is_copy(melody, support)
            if attempt == 0:
                first_copies += copy
            if not copy or attempt == RESAMPLES:
                kept.append(melody)
                break
    return kept, first_copies / count


def evaluate_episode(episode: dict[str, Any], models: dict[str, Any], steps: int, count: int,
                     seed: int, plan: str = "clips", calibrate: bool = True,
                     cache_weight: float = 0.0, adapt_lr: float | None = None,
                     outside_penalty: float = OUTSIDE_PENALTY,
                     range_margin: int = RANGE_MARGIN, temperature: float = 1.0,
                     top_p: float = SamplingControls.top_p) -> dict[str, dict[str, float]]:
    """Every method's metrics on one episode (``plan``: see :func:`support_slots`; ``calibrate``:
    every network method's density tilt is calibrated to the support, as in the generator)."""
    support_phrases = episode["support"]
    tokens = [list(p.tokens) for p in support_phrases]
    support = [p.melody() for p in support_phrases]
    _, _, tempo = _support_key(support_phrases)
    slots = support_slots(support_phrases, plan)
    low = min(m.pitch_range[0] for m in support)
    high = max(m.pitch_range[1] for m in support)
    features = style_features(tokens)
    meta_model, meta_params, meta_lrs, card = models["meta"]
    mt_model, mt_params, _, mt_card = models["multitask"]
    mt_lr = float(mt_card["adapt"]["lr"])  # each initialisation adapts at its own validated rate
    lr, clip = float(card["adapt"]["lr"]), float(card["adapt"]["clip"])
    if adapt_lr is not None:  # one rate for both (for choosing it on validation)
        lr = mt_lr = adapt_lr
    config = meta_model.config
    samplers: dict[str, Draw] = {}
    seconds: dict[str, float] = {}

    def timed(name: str, make: Callable[[], Draw]) -> None:
        started = time.perf_counter()
        samplers[name] = make()
        seconds[name] = time.perf_counter() - started

    sampler_args = (features, slots, tempo, 8, (low, high), tokens if calibrate else None)
    sampling = {"cache_weight": cache_weight, "outside_penalty": outside_penalty, "range_margin": range_margin,
                "temperature": temperature, "top_p": top_p}
    timed("adapted", lambda: _network_sampler(
        config, _sgd(meta_model, meta_params, tokens, features, steps, lr, clip, meta_lrs, _cache_loss(card)),
        *sampler_args, **sampling))
    timed("instant", lambda: _network_sampler(config, meta_params, *sampler_args, **sampling))
    timed("multitask", lambda: _network_sampler(
        mt_model.config, _sgd(mt_model, mt_params, tokens, features, steps, mt_lr, clip, None, _cache_loss(mt_card)),
        *sampler_args, **sampling))
    timed("scratch", lambda: _network_sampler(
        config, _adam_from_scratch(config, tokens, features, steps, seed), *sampler_args, **sampling))
    timed("ngram", lambda: _network_sampler(config, meta_params, *sampler_args,
                                                       **{**sampling, "cache_weight": 1.0}))

    def markov(backoff: bool) -> Draw:
        fitted = VariableOrderMarkov().fit(support, max_order=MARKOV_ORDER)
        return lambda s, attempt, index: fitted.generate(
            8, s, meter=slots[index % len(slots)][1], key=slots[index % len(slots)][0],
            max_order=MARKOV_ORDER - attempt if backoff else None)
    timed("markov", lambda: markov(False))
    timed("markov_backoff", lambda: markov(True))

    results = {}
    for name, draw in samplers.items():
        started = time.perf_counter()
        melodies, raw_copy = _draw_set(draw, count, support, seed)
        generate_seconds = time.perf_counter() - started
        report = overlap_report(melodies, episode["reference"])
        results[name] = {
            **report,
            "key_consistency": float(np.mean([key_consistency(m, m.key) for m in melodies])),
            "groove_consistency": float(np.mean([groove_consistency(m) for m in melodies])),
            "copy_rate": float(np.mean([is_copy(m, support) for m in melodies])),
            "copy_rate_unfiltered": raw_copy,
            "notes_per_melody": float(np.mean([len(m.notes) for m in melodies])),
            "fit_seconds": seconds[name], "generate_seconds": generate_seconds,
        }
    reference = episode["reference"]
    sample = reference if len(reference) <= 60 else [reference[i] for i in
                                                      np.random.default_rng(seed).choice(len(reference), 60, False)]
    results["human"] = {**human_overlap(reference, count, seed, [key for key, _ in slots]),
                        "copy_rate": human_copy_rate(sample, support_size=4, trials=2, seed=seed),
                        "key_consistency": float(np.mean([key_consistency(m, m.key) for m in reference])),
                        "groove_consistency": float(np.mean([groove_consistency(m) for m in reference])),
                        "notes_per_melody": float(np.mean([len(m.notes) for m in reference])),
                        "support_notes_per_melody": float(np.mean([len(m.notes) for m in support]))}
    return results


def human_overlap(reference: Sequence[Melody], count: int, seed: int,
                  keys: Sequence[KeySignature] = ()) -> dict[str, float]:
    """The ceiling of the overlapping areas: ``count`` tunes of the reference (at most half of
    it), drawn by ``seed``, scored as if generated against the reference's other tunes. With
    ``keys``, tune ``i`` is first moved (by the smallest shift) to the tonic of ``keys[i mod
    len(keys)]``, as generated melody ``i`` is written in a support clip's key."""
    n = min(count, len(reference) // 2)
    order = np.random.default_rng([seed, 0x4D]).permutation(len(reference))
    human = [reference[i] for i in order[:n]]
    rest = [reference[i] for i in order[n:]]
    if keys:
        human = [m if m.key is None else transpose(m, nearest_shift(m.key.tonic, keys[i % len(keys)].tonic))
                 for i, m in enumerate(human)]
    return overlap_report(human, rest)


# --- timing ------------------------------------------------------------------------------------

def timing(corpus: MelodyCorpus, model: str, runs: int, threads: int) -> dict[str, float]:
    """Median seconds of adapt (the model's default steps) + 12 melodies, through the generator."""
    from studio.core.samples import Domain, Sample
    from studio.domains.base import AdaptConfig
    from studio.domains.melody.generator import MelodyGenerator
    from studio.io.midi import write_midi
    from studio.core.melody_analysis import melody_facts

    path = model_stem(model)
    generator = MelodyGenerator(path.name, path.parent, threads=threads)
    totals, adapts, gens = [], [], []
    episodes = [e for task in corpus.heldout for e in bench_episodes(corpus, task, max(1, runs // 4 + 1), 99)]
    for i, episode in enumerate(episodes[:runs]):
        samples = [Sample(f"s{j}.mid", f"s{j}.mid", Domain.MELODY, write_midi(p.melody()), melody_facts(p.melody()),
                          melody=p.melody()) for j, p in enumerate(episode["support"])]
        started = time.perf_counter()
        adapted = generator.adapt(samples, AdaptConfig(steps=generator.default_steps, seed=i))
        middle = time.perf_counter()
        generator.generate(adapted, samples, MelodyParams(bars=8), 12, i)
        end = time.perf_counter()
        adapts.append(middle - started)
        gens.append(end - middle)
        totals.append(end - started)
    return {"runs": len(totals), "steps": generator.default_steps, "threads": threads,
            "median_total_seconds": float(np.median(totals)), "max_total_seconds": float(np.max(totals)),
            "median_adapt_seconds": float(np.median(adapts)), "median_generate_seconds": float(np.median(gens))}


def compare_methods(corpus: MelodyCorpus, folder: str, episodes: int = 16) -> dict[str, dict[str, float]]:
    """Held-out query loss (nats per token) after 0, 5 and 20 steps for every model in ``folder``,
    keyed by the model's name (so two models of one training method both appear)."""
    chosen = heldout_episodes(corpus, episodes, seed=5)
    out = {}
    for card_path in sorted(Path(folder).glob("model-*.json")):
        stem = card_path.with_suffix("")
        model, params, meta_lrs, card = load_model(stem)
        lr = float(card["adapt"]["lr"])
        out[card.get("name", stem.name)] = {
            "training_method": card.get("training_method"), "steps_trained": card["steps"],
            "train_seconds": card["train_seconds"],
            **{f"query_loss_{k}": adapted_query_loss(model, params, chosen, k, lr, meta_lrs=meta_lrs)
               for k in (0, 5, 20)},
        }
    return out


def bench_tasks(corpus: MelodyCorpus, split: str) -> tuple[str, ...]:
    """The tasks a split evaluates: the held-out collections, or :data:`VALIDATION_TASKS` (those
    of them the corpus holds; a tiny corpus falls back to all its training tasks)."""
    if split == "heldout":
        return tuple(corpus.heldout)
    train = corpus.tasks("train")
    chosen = tuple(t for t in VALIDATION_TASKS if t in train)
    return chosen or tuple(train)


def run(args: argparse.Namespace) -> dict[str, Any]:
    torch.set_num_threads(max(1, args.threads))
    if args.quick:
        args.episodes, args.count, args.timing_runs = 1, 6, 2
    corpus = load_corpus(args.corpus)
    models = {"meta": load_model(model_stem(args.model)), "multitask": load_model(model_stem(args.multitask))}
    steps = args.steps if args.steps is not None else int(models["meta"][3]["adapt"]["steps"])
    split = args.split
    per_task: dict[str, dict[str, dict[str, float]]] = {}
    every: list[dict[str, dict[str, float]]] = []
    for task in bench_tasks(corpus, split):
        rows = [evaluate_episode(e, models, steps, args.count, args.seed + i, args.plan,
                                 args.density == "calibrated", args.cache_weight, args.adapt_lr,
                                 args.outside_penalty, args.range_margin, args.temperature, args.top_p)
                for i, e in enumerate(bench_episodes(corpus, task, args.episodes, args.seed))]
        every.extend(rows)
        per_task[task] = _average(rows)
        print(f"{task}: " + ", ".join(f"{m} {per_task[task][m]['mean_oa']:.3f}" for m in (*METHODS, "human")),
              file=sys.stderr, flush=True)
    result: dict[str, Any] = {
        "settings": {"model": args.model, "multitask": args.multitask, "steps": steps, "episodes": args.episodes,
                     "count": args.count, "threads": args.threads, "seed": args.seed, "split": split,
                     "plan": args.plan, "density": args.density, "cache_weight": args.cache_weight,
                     "adapt_lr": args.adapt_lr, "outside_penalty": args.outside_penalty,
                     "range_margin": args.range_margin, "temperature": args.temperature, "top_p": args.top_p,
                     "tasks": list(per_task),
                     "model_card_steps": models["meta"][3].get("steps"),
                     "multitask_card_steps": models["multitask"][3].get("steps")},
        "overall": _average(every),
        "standard_errors": _standard_errors(every),
        "adapted_minus": _paired_differences(every),
        "per_task": per_task,
    }
    overall = result["overall"]
    result["goals"] = {
        "beats_every_baseline_on_mean_oa": all(overall["adapted"]["mean_oa"] > overall[m]["mean_oa"]
                                               for m in METHODS if m != "adapted"),
        "beats_every_baseline_passing_copy_rule": all(
            overall["adapted"]["mean_oa"] > overall[m]["mean_oa"] for m in METHODS
            if m != "adapted" and overall[m]["copy_rate"] <= overall["human"]["copy_rate"]),
        "copy_rate_not_above_human": overall["adapted"]["copy_rate"] <= overall["human"]["copy_rate"],
    }
    if args.timing_runs:
        result["timing"] = {f"{n}_threads": timing(corpus, args.model, args.timing_runs, n) for n in (1, 2)}
        result["goals"]["median_under_5_s"] = min(t["median_total_seconds"]
                                                  for t in result["timing"].values()) <= 5.0
    if args.compare:
        result["method_comparison"] = {folder: compare_methods(corpus, folder) for folder in args.compare}
    return result


def _average(rows: Sequence[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for method in rows[0]:
        keys = rows[0][method].keys()
        out[method] = {k: round(float(np.mean([r[method][k] for r in rows])), 4) for k in keys}
    return out


def _standard_error(values: Sequence[float]) -> float:
    """Standard error of the mean over episodes (0 for a single one)."""
    return float(np.std(values, ddof=1) / np.sqrt(len(values))) if len(values) > 1 else 0.0


def _standard_errors(rows: Sequence[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Each method's standard error of ``mean_oa`` and of every feature's OA over the episodes
    (each task's draws count as separate episodes)."""
    keys = ("mean_oa", *FEATURES)
    return {m: {k: round(_standard_error([r[m][k] for r in rows]), 4) for k in keys} for m in (*METHODS, "human")}


def _paired_differences(rows: Sequence[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """``adapted``'s mean OA minus each other method's, episode by episode: the mean difference
    and its standard error (paired, so the episode-to-episode spread that both share cancels)."""
    out = {}
    for method in (*METHODS[1:], "human"):
        differences = [r["adapted"]["mean_oa"] - r[method]["mean_oa"] for r in rows]
        out[method] = {"mean": round(float(np.mean(differences)), 4), "se": round(_standard_error(differences), 4)}
    return out
