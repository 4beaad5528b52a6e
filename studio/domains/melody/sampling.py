"""Sampling token sequences from the melody network under the grammar and the user's controls.

:func:`sample_sequences` runs a batch of sequences step by step. Each sequence has its own
seed (a numpy generator), so a melody depends on its seed and plan, not on what else is in the
batch. At every step the logits are divided by the temperature ("adventurousness"), tokens the
:class:`~.representation.GrammarState` forbids are masked (every bar is complete and the
melody has exactly the requested number of bars), notes outside the chosen range are masked,
and the rhythmic density control tilts the duration tokens towards short (more notes) or long
values; with a :class:`~.cache.SupportCache` in the controls the next-token distribution is
mixed with the samples' own n-gram statistics (``cache_weight``) and notes of pitch classes the
samples never play lose ``outside_penalty`` logits. :func:`calibrate_density` finds the tilt at
which the model writes as many notes per bar as the samples (the "like the samples" point the
user's density control moves from). A :class:`Plan` can force parts of a sequence: the header
and any bars that are kept (variations, blends, continuations, regenerating chosen bars), which
are replayed token by token while the model's state follows them, so the free bars are sampled
in context.

Over a chord progression (``Plan.harmony``, with ``SamplingControls.chord_style``) each note is
steered towards the chord: where the grammar allows a note, the note tokens' share of the
distribution is split between chord tones and the other notes at the style's chord-tone rate for
the metric position (:class:`~.harmony.ChordStyle`), the non-chord tones between stepwise and
leaping ones at the style's rate, and after a non-chord tone the stepwise notes get the style's
resolution rate; rests and durations are untouched, so rhythm and phrasing stay the model's. Two
things keep the share of the melody's *time* on chord tones at the samples' own: the nucleus trim
works within the chord tones and within the other notes (a trim of the whole distribution cuts the
rarer non-chord tones' tail), and each melody's chord-tone rate gives back the excess its rhythm
so far gave the per-position rates (a model that holds more of its time on the downbeat than the
samples would otherwise put more of it on chord tones: :func:`steered_rate`). With
``SamplingControls.scale`` every note outside those pitch classes is masked (the generator also
checks the decoded notes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from studio.domains.melody.cache import OUTSIDE_PENALTY, SupportCache, contexts
from studio.domains.melody.harmony import STEP, ChordStyle, metric_class
from studio.domains.melody.model import Cursor, MelodyNet
from studio.domains.melody.representation import VOCAB, GrammarState, Vocabulary
from studio.progress import NULL_PROGRESS, Progress, StopOnly

DENSITY_SLOPE = 1.2  # logit change per octave of duration at density 1
MAX_STEPS_PER_BAR = 80  # a safety bound; a bar never needs this many tokens
CALIBRATION_PILOTS = 16  # sequences sampled to measure the model's notes per bar
CALIBRATION_SEED = 2_000_000_011  # pilot seeds start here (fixed: the same model gets the same tilt)
CALIBRATION_LIMIT = 0.5  # the calibrated tilt is kept within +-this (stronger tilts: erratic rhythms)
BALANCE = 0.5  # share of the rhythm's chord-tone excess taken off the rate (bench chords --validation)
RATE_BOUNDS = (0.02, 0.98)  # a balanced chord-tone rate stays within these


@dataclass(frozen=True)
class Plan:
    """What to sample for one sequence.

    ``segments[0]`` is the pickup (tokens before and including the first ``BAR``; ``[BAR]`` for
    none), ``segments[i]`` bar ``i`` (its events and closing ``BAR``). ``None`` means "sample
    it"; a list of tokens is replayed as it is. ``bars`` is the number of complete bars.
    """

    time_signature: tuple[int, int]
    mode: str  # "major" or "minor"
    bars: int
    segments: tuple[tuple[int, ...] | None, ...] = ()
    seed: int = 0
    # (start, end, chord tones relative to the tonic or None) in ticks from bar 1; () no chords
    harmony: tuple[tuple[int, int, frozenset[int] | None], ...] = ()

    def __post_init__(self) -> None:
        if self.bars < 1:
            raise ValueError(f"bars must be >= 1, got {self.bars}")
        if self.segments and len(self.segments) != self.bars + 1:
            raise ValueError(f"a plan of {self.bars} bars needs {self.bars + 1} segments, got {len(self.segments)}")

    def segment(self, index: int) -> tuple[int, ...] | None:
        return self.segments[index] if self.segments else None

    def chord_tones(self, tick: int) -> frozenset[int] | None:
        """The chord tones (relative pitch classes) sounding ``tick`` ticks after bar 1."""
        for start, end, tones in self.harmony:
            if start <= tick < end:
                return tones
            if start > tick:
                break
        return None


@dataclass(frozen=True)
class SamplingControls:
    """Controls shared by a batch."""

    temperature: float = 1.0
    pitch_range: tuple[int, int] | None = None  # relative pitches (to the tonic) allowed for sampled notes
    density: float = 0.0  # -1 (long notes) .. 1 (short notes), relative to ``density_offset``
    top_p: float = 0.9  # nucleus sampling: drop the unlikely tail (chosen on validation: docs/BENCHMARKS.md)
    density_offset: float = 0.0  # the calibrated tilt (see calibrate_density)
    length_span: tuple[int, int] | None = None  # ticks: the calibrated tilt favours no length beyond these
    cache: SupportCache | None = field(default=None, compare=False)  # the samples' n-grams (see .cache)
    cache_weight: float = 0.0  # share of the cache in the next-token distribution
    outside_penalty: float = OUTSIDE_PENALTY  # with the cache: logits off notes of pitch classes it never saw
    chord_style: ChordStyle | None = None  # how notes sit on the plans' chords (None: no steering)
    scale: frozenset[int] | None = None  # relative pitch classes notes must keep to (the scale lock)

    def __post_init__(self) -> None:
        if not self.temperature > 0:
            raise ValueError(f"temperature must be > 0, got {self.temperature}")
        if not -1.0 <= self.density <= 1.0:
            raise ValueError(f"density must be in -1..1, got {self.density}")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        if not math.isfinite(self.density_offset):
            raise ValueError(f"density_offset must be finite, got {self.density_offset}")
        if self.length_span is not None and not 0 < self.length_span[0] <= self.length_span[1]:
            raise ValueError(f"length_span must be (shortest, longest) ticks > 0, got {self.length_span}")
        if not 0.0 <= self.cache_weight <= 1.0:
            raise ValueError(f"cache_weight must be in 0..1, got {self.cache_weight}")
        if self.scale is not None and (not self.scale or not all(0 <= pc < 12 for pc in self.scale)):
            raise ValueError(f"scale must be a non-empty set of pitch classes 0..11, got {self.scale}")


def split_segments(tokens: Sequence[int], vocab: Vocabulary = VOCAB) -> list[tuple[int, ...]]:
    """The pickup and bar segments of a complete sequence (see :class:`Plan`); header and EOS
    are left out. Raises ValueError for a sequence without a bar line."""
    body = list(tokens[3:])
    if body and body[-1] == vocab.EOS:
        body = body[:-1]
    if vocab.BAR not in body:
        raise ValueError("the sequence has no bar line")
    segments: list[tuple[int, ...]] = []
    current: list[int] = []
    for token in body:
        current.append(token)
        if token == vocab.BAR:
            segments.append(tuple(current))
            current = []
    return segments


def _duration_bias(controls: SamplingControls, vocab: Vocabulary) -> np.ndarray:
    """Logit bias of the duration tokens: the user's density over the whole range of lengths,
    plus the calibrated tilt, which favours lengths only up to ``length_span``'s end on the side
    it favours (tilting towards long notes never favours notes longer than the samples' longest,
    nor towards short notes shorter than their shortest)."""
    bias = np.zeros(vocab.size, np.float32)
    low, high = controls.length_span or (min(vocab.durations), max(vocab.durations))
    offset = controls.density_offset
    for ticks in vocab.durations:
        octaves = math.log2(ticks / 12)
        tilted = min(octaves, math.log2(high / 12)) if offset < 0 else max(octaves, math.log2(low / 12))
        bias[vocab.duration(ticks)] = -DENSITY_SLOPE * (controls.density * octaves + offset * tilted)
    return bias


@dataclass
class _Run:
    """One sequence being sampled."""

    plan: Plan
    grammar: GrammarState
    cursor: Cursor
    rng: np.random.Generator
    tokens: list[int] = field(default_factory=list)
    forced: list[int] = field(default_factory=list)  # tokens still to replay
    segment: int = 0  # the segment being written
    last_pitch: int | None = None  # relative pitch of the last note
    last_outside: bool = False  # whether that note was off its chord
    sounding: float | None = None  # the sounding note's chord-tone rate minus the style's overall one
    excess: float = 0.0  # sum over the notes so far of ticks x their ``sounding`` (the rhythm's bias)
    timed: float = 0.0  # ticks of the notes counted in ``excess``

    def tick(self) -> int | None:
        """Ticks since bar 1 for the next event (None in the pickup)."""
        return None if self.cursor.in_pickup else self.cursor.bars * self.cursor.bar + self.cursor.cursor

    def chord_tones(self) -> frozenset[int] | None:
        tick = self.tick()
        return None if tick is None or not self.plan.harmony else self.plan.chord_tones(tick)

    def push(self, token: int, vocab: Vocabulary = VOCAB, style: ChordStyle | None = None) -> None:
        """Append ``token``; with ``style`` (over chords) keep the rhythm's chord-tone bookkeeping."""
        if vocab.is_note(token):
            tones = self.chord_tones()
            pitch = vocab.relative_pitch(token)
            self.last_outside = tones is not None and pitch % 12 not in tones
            self.last_pitch = pitch
            self.sounding = None if tones is None or style is None else (
                style.chord_rate[metric_class(self.cursor.cursor, self.plan.time_signature)] - style.duration_rate)
        elif token == vocab.REST:
            self.sounding = None
        elif vocab.is_duration(token) and self.sounding is not None:  # a note's (or its tie's) length
            self.excess += vocab.ticks(token) * self.sounding
            self.timed += vocab.ticks(token)
        self.grammar.push(token)
        self.cursor.push(token)
        self.tokens.append(token)


def _header(plan: Plan, vocab: Vocabulary) -> list[int]:
    return [vocab.BOS, vocab.meter(plan.time_signature), vocab.MAJOR if plan.mode == "major" else vocab.MINOR]


@torch.no_grad()
def sample_sequences(model: MelodyNet, style_features: np.ndarray, plans: Sequence[Plan],
                     controls: SamplingControls = SamplingControls(), progress: Progress = NULL_PROGRESS,
                     vocab: Vocabulary = VOCAB,
                     row_controls: Sequence[SamplingControls] | None = None) -> list[list[int] | None]:
    """One complete token sequence per plan (``None`` for plans left unfinished because
    ``progress`` asked to stop). ``style_features`` is one ``[STYLE_FEATURES]`` vector for all.
    ``row_controls`` (one per plan) gives each sequence its own controls in the same batch (a taste
    curator's drafts, issue 18); by default every plan takes ``controls``.

    Raises ValueError if a forced segment breaks the grammar (e.g. a bar of another meter).
    """
    if row_controls is not None:
        if len(row_controls) != len(plans):
            raise ValueError(f"{len(row_controls)} row controls for {len(plans)} plans")
        return _sample(model, style_features, plans, list(row_controls), progress, vocab)
    return _sample(model, style_features, plans, [controls] * len(plans), progress, vocab)


def _sample(model: MelodyNet, style_features: np.ndarray, plans: Sequence[Plan], per_row: list[SamplingControls],
            progress: Progress, vocab: Vocabulary) -> list[list[int] | None]:
    if not plans:
        return []
    model.eval()
    runs = [_Run(p, GrammarState(p.time_signature, p.bars, mode=p.mode, vocab=vocab),
                 Cursor(p.time_signature, vocab), np.random.default_rng(p.seed)) for p in plans]
    for run in runs:
        for token in _header(run.plan, vocab):
            run.push(token, vocab)
        run.forced = list(run.plan.segment(0) or ())
    n = len(runs)
    style = model.style(torch.from_numpy(np.repeat(style_features[None, :], n, axis=0)))
    state = model.initial_state(style)
    shared: dict[int, tuple[np.ndarray, dict[str, np.ndarray] | None, np.ndarray]] = {}  # by id(controls)
    biases, note_oks = [], []
    for run, controls in zip(runs, per_row):
        if id(controls) not in shared:
            shared[id(controls)] = _row_masks(controls, vocab)
        bias, outside, note_ok = shared[id(controls)]
        biases.append(bias + outside[run.plan.mode] if outside is not None else bias)
        note_oks.append(note_ok)
    is_note = np.array([vocab.is_note(t) for t in range(vocab.size)])
    active = list(range(n))
    limit = max(p.bars + 1 for p in plans) * MAX_STEPS_PER_BAR
    for step in range(limit):
        if not active or progress.should_stop():
            break
        rows = torch.tensor(active)
        last = torch.tensor([runs[i].tokens[-1] for i in active])
        ids = [runs[i].cursor.ids() for i in active]
        positions = torch.tensor([p for p, _ in ids])
        remaining = torch.tensor([r for _, r in ids])
        progress_t = torch.tensor([min(runs[i].cursor.bars / runs[i].plan.bars, 1.5) for i in active],
                                  dtype=torch.float32)
        logits, new_state = model.step(last, positions, remaining, progress_t, style[rows], state[:, rows])
        state[:, rows] = new_state
        logits_np = logits.numpy().astype(np.float64)
        still = []
        for row, i in enumerate(active):
            run = runs[i]
            token = run.forced.pop(0) if run.forced else _draw(run, logits_np[row], per_row[i], biases[i],
                                                               note_oks[i], is_note, vocab)
            run.push(token, vocab, per_row[i].chord_style)
            if token == vocab.BAR:
                run.segment += 1
                if run.segment <= run.plan.bars:
                    run.forced = list(run.plan.segment(run.segment) or ())
            if not run.grammar.finished:
                still.append(i)
        active = still
        if step % 16 == 0:
            done = sum(r.grammar.finished for r in runs)
            progress.report_progress(done / n, f"{done} of {n} melodies written")
    return [run.tokens if run.grammar.finished else None for run in runs]


def _row_masks(controls: SamplingControls, vocab: Vocabulary) -> tuple[np.ndarray, dict[str, np.ndarray] | None,
                                                                        np.ndarray]:
    """(duration bias, the cache's outside bias per mode or None, allowed note tokens) of ``controls``."""
    bias = _duration_bias(controls, vocab)
    outside = None
    if controls.cache is not None and controls.cache_weight > 0:
        outside = {mode: controls.cache.outside_bias(mode, controls.outside_penalty) for mode in ("major", "minor")}
    note_ok = np.zeros(vocab.size, bool)
    low, high = controls.pitch_range or (vocab.pitch_low, vocab.pitch_high)
    for r in range(max(low, vocab.pitch_low), min(high, vocab.pitch_high) + 1):
        note_ok[vocab.note(r)] = controls.scale is None or r % 12 in controls.scale
    if controls.scale is not None and not note_ok.any():  # a range without a scale tone: the scale rules
        for r in range(vocab.pitch_low, vocab.pitch_high + 1):
            note_ok[vocab.note(r)] = r % 12 in controls.scale
    return bias, outside, note_ok


def _draw(run: _Run, logits: np.ndarray, controls: SamplingControls, bias: np.ndarray, note_ok: np.ndarray,
          is_note: np.ndarray, vocab: Vocabulary) -> int:
    allowed = np.zeros(vocab.size, bool)
    allowed[list(run.grammar.allowed())] = True
    restricted = allowed & ~(is_note & ~note_ok)
    if restricted.any():
        allowed = restricted
    scores = logits / controls.temperature + bias
    scores = np.where(allowed, scores, -np.inf)
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    if controls.cache is not None and controls.cache_weight > 0:
        cached = controls.cache.distribution(contexts(run.tokens, run.cursor, run.plan.time_signature, vocab))
        if cached is not None:
            cached = np.where(allowed, cached, 0.0)
            if cached.sum() > 0:
                probs = (1 - controls.cache_weight) * probs + controls.cache_weight * cached / cached.sum()
    groups: tuple[np.ndarray, ...] = ()
    if controls.chord_style is not None and run.plan.harmony:
        probs, groups = _steer(probs, run, controls.chord_style, vocab)
    if controls.top_p < 1.0:
        probs = _nucleus(probs, controls.top_p, groups)
    return int(run.rng.choice(vocab.size, p=probs))


def _nucleus(probs: np.ndarray, top_p: float, groups: Sequence[np.ndarray] = ()) -> np.ndarray:
    """Nucleus sampling's trim: the likeliest tokens holding ``top_p`` of the mass. Each of
    ``groups`` (disjoint masks: the steering's chord tones and other notes) is instead trimmed to
    ``top_p`` of its own mass and keeps that mass, so the trim keeps the split the steering set
    (a whole-distribution trim cuts the rarer group's tail, mostly non-chord tones, and pushes
    notes back onto the chord)."""
    order = np.argsort(-probs)
    ranked = probs[order]
    cumulative = np.cumsum(ranked)
    keep = order[: int(np.searchsorted(cumulative, top_p)) + 1]
    trimmed = np.zeros_like(probs)
    trimmed[keep] = probs[keep]
    for mask in groups:
        inside = mask[order]  # the group's tokens, likeliest first
        tokens, mass = order[inside], ranked[inside]
        if not len(mass) or mass[0] <= 0:
            continue
        cumulative = np.cumsum(mass)
        count = int(np.searchsorted(cumulative, top_p * cumulative[-1])) + 1
        trimmed[tokens] = 0.0
        trimmed[tokens[:count]] = mass[:count] * cumulative[-1] / cumulative[count - 1]
    out: np.ndarray = trimmed / trimmed.sum()
    return out


_RELATIVE: dict[int, tuple[Vocabulary, np.ndarray, np.ndarray]] = {}
_CHORD_MASKS: dict[tuple[int, frozenset[int]], np.ndarray] = {}


def _relative(vocab: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """(is_note, relative pitch or 0) over the vocabulary, cached (by identity: hashing a
    vocabulary hashes all its names)."""
    cached = _RELATIVE.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        is_note = np.array([vocab.is_note(t) for t in range(vocab.size)])
        pitch = np.array([vocab.relative_pitch(t) if vocab.is_note(t) else 0 for t in range(vocab.size)])
        cached = _RELATIVE[id(vocab)] = (vocab, is_note, pitch)
    return cached[1], cached[2]


def _chord_mask(vocab: Vocabulary, tones: frozenset[int]) -> np.ndarray:
    """Note tokens whose relative pitch class is one of ``tones``, cached."""
    key = (id(vocab), tones)
    mask = _CHORD_MASKS.get(key)
    if mask is None:
        is_note, pitch = _relative(vocab)
        mask = _CHORD_MASKS[key] = is_note & np.isin(pitch % 12, sorted(tones))
    return mask


def _share(probs: np.ndarray, first: np.ndarray, second: np.ndarray, rate: float) -> None:
    """Rescale in place so that ``first`` holds ``rate`` of the two masks' joint mass."""
    a, b = float(probs[first].sum()), float(probs[second].sum())
    if a > 0 and b > 0:
        probs[first] *= rate * (a + b) / a
        probs[second] *= (1 - rate) * (a + b) / b


def steered_rate(run: _Run, style: ChordStyle) -> float:
    """The chord-tone rate for ``run``'s next note: the style's rate at its metric position, less
    :data:`BALANCE` times the bias the melody's rhythm so far gave the style's rates (its notes'
    rates above the style's overall share, per tick; one bar of pseudo-ticks at no bias damps
    the first notes). A rhythm with more time on the downbeat than the samples' would otherwise
    put more of the melody's time on chord tones than the samples do."""
    rate = style.chord_rate[metric_class(run.cursor.cursor, run.plan.time_signature)]
    if BALANCE and run.timed:
        rate -= BALANCE * run.excess / (run.timed + run.cursor.bar)
    return float(np.clip(rate, *RATE_BOUNDS))


def _steer(probs: np.ndarray, run: _Run, style: ChordStyle, vocab: Vocabulary
           ) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """The distribution with its note mass split at the style's rates (see the module docstring),
    and the masks of the chord tones and the other notes (none where nothing was steered)."""
    tones = run.chord_tones()
    if tones is None:
        return probs, ()
    is_note, pitch = _relative(vocab)
    notes = is_note & (probs > 0)
    if not notes.any():
        return probs, ()
    probs = probs.copy()
    steps = notes & (np.abs(pitch - run.last_pitch) <= STEP) if run.last_pitch is not None else None
    if steps is not None and run.last_outside:  # a non-chord tone resolves by step at the style's rate
        _share(probs, steps, notes & ~steps, style.resolve)
    on_chord = notes & _chord_mask(vocab, tones)
    _share(probs, on_chord, notes & ~on_chord, steered_rate(run, style))
    if steps is not None:  # non-chord tones come by step (passing, neighbour) at the style's rate
        _share(probs, notes & ~on_chord & steps, notes & ~on_chord & ~steps, style.step_in)
    return probs, (on_chord, notes & ~on_chord)


def note_log_lengths(sequences: Sequence[Sequence[int] | None], vocab: Vocabulary = VOCAB) -> np.ndarray:
    """``log2(ticks / 12)`` of every note's written length (the duration token after a note
    token; tied continuations and rests are left out) in token sequences (``None`` skipped)."""
    out = []
    for tokens in sequences:
        for head, token in zip(tokens or (), list(tokens or ())[1:]):
            if vocab.is_note(head) and vocab.is_duration(token):
                out.append(math.log2(vocab.ticks(token) / 12))
    return np.array(out, np.float64)


def notes_per_bar(sequences: Sequence[Sequence[int] | None], vocab: Vocabulary = VOCAB) -> float:
    """Notes (tied continuations not counted) per complete bar over token sequences (``None``
    skipped; a pickup counts towards its first bar); 0 when there is no bar."""
    notes = sum(1 for tokens in sequences for head, token in zip(tokens or (), list(tokens or ())[1:])
                if vocab.is_note(head) and vocab.is_duration(token))
    bars = sum(max(list(tokens).count(vocab.BAR) - 1, 1) for tokens in sequences if tokens)
    return notes / bars if bars else 0.0


def calibrate_density(model: MelodyNet, style_features: np.ndarray, plan: Plan, controls: SamplingControls,
                      target: Sequence[Sequence[int]], pilots: int = CALIBRATION_PILOTS,
                      vocab: Vocabulary = VOCAB, progress: Progress = NULL_PROGRESS) -> SamplingControls:
    """``controls`` with the density tilt under which the model writes as many notes per bar as
    ``target`` (token sequences, e.g. the samples' phrases in ``plan``'s meter): ``density_offset``
    within :data:`CALIBRATION_LIMIT`, acting over ``length_span``, the target's shortest to
    longest written note.

    ``pilots`` sequences are sampled once, with ``plan`` (its segments and seed ignored: the pilot
    seeds are fixed) and ``controls`` without density, and their note rate ``r`` measured. Tilting
    the duration logits by ``d * DENSITY_SLOPE * log2 length`` (exponential tilting) moves the mean
    log2 note length by about ``-d * DENSITY_SLOPE * v`` (``v`` the pilots' variance of log2
    lengths), so the log note rate by about ``d * DENSITY_SLOPE * v * ln 2``: the tilt is
    ``ln(wanted / r)`` over that slope. (Until 2026-12-08 a second batch of pilots at a probe tilt
    measured the slope: on 5 held-out songwriters that doubled the cost and its error, 0.056 mean
    excess log note-rate error with 16 + 16 pilots against 0.032 from one batch of 16, since a
    small probe's rate change drowns in the pilots' noise.) No tilt (offset 0) when the target or
    the pilots have no notes.

    The pilots stop when ``progress`` asks (checked at every step); the result is then
    meaningless, and the caller, who asked, must not keep it.
    """
    wanted = notes_per_bar(target, vocab)
    wanted_lengths = note_log_lengths(target, vocab)
    if wanted <= 0 or pilots < 1:
        return replace(controls, density_offset=0.0, length_span=None)
    span = (round(12 * 2 ** wanted_lengths.min()), round(12 * 2 ** wanted_lengths.max()))
    plans = [Plan(plan.time_signature, plan.mode, plan.bars, seed=CALIBRATION_SEED + k) for k in range(pilots)]

    def rate(tilt: float) -> tuple[float, np.ndarray]:  # pilots without the user's density
        pilot = replace(controls, density=0.0, density_offset=tilt, length_span=span)
        sequences = sample_sequences(model, style_features, plans, pilot, StopOnly(progress), vocab)
        return notes_per_bar(sequences, vocab), note_log_lengths(sequences, vocab)

    rate0, lengths = rate(0.0)
    if progress.should_stop() or rate0 <= 0 or not len(lengths):
        return replace(controls, density_offset=0.0, length_span=span)
    slope = DENSITY_SLOPE * max(float(lengths.var()), 0.1) * math.log(2)  # d ln(rate) / d tilt
    tilt = math.log(wanted / rate0) / slope
    return replace(controls, density_offset=float(np.clip(tilt, -CALIBRATION_LIMIT, CALIBRATION_LIMIT)),
                   length_span=span)
