"""Sampling token sequences from the melody network under the grammar and the user's controls.

:func:`sample_sequences` runs a batch of sequences step by step. Each sequence has its own
seed (a numpy generator), so a melody depends on its seed and plan, not on what else is in the
batch. At every step the logits are divided by the temperature ("adventurousness"), tokens the
:class:`~.representation.GrammarState` forbids are masked (every bar is complete and the
melody has exactly the requested number of bars), notes outside the chosen range are masked,
and the rhythmic density control tilts the duration tokens towards short (more notes) or long
values. A :class:`Plan` can force parts of a sequence: the header and any bars that are kept
(variations, blends, continuations, regenerating chosen bars), which are replayed token by
token while the model's state follows them, so the free bars are sampled in context.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

from studio.domains.melody.model import Cursor, MelodyNet
from studio.domains.melody.representation import VOCAB, GrammarState, Vocabulary
from studio.progress import NULL_PROGRESS, Progress

DENSITY_SLOPE = 1.2  # logit change per octave of duration at density 1
MAX_STEPS_PER_BAR = 80  # a safety bound; a bar never needs this many tokens


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

    def __post_init__(self) -> None:
        if self.bars < 1:
            raise ValueError(f"bars must be >= 1, got {self.bars}")
        if self.segments and len(self.segments) != self.bars + 1:
            raise ValueError(f"a plan of {self.bars} bars needs {self.bars + 1} segments, got {len(self.segments)}")

    def segment(self, index: int) -> tuple[int, ...] | None:
        return self.segments[index] if self.segments else None


@dataclass(frozen=True)
class SamplingControls:
    """Controls shared by a batch."""

    temperature: float = 1.0
    pitch_range: tuple[int, int] | None = None  # relative pitches (to the tonic) allowed for sampled notes
    density: float = 0.0  # -1 (long notes) .. 1 (short notes)
    top_p: float = 0.98  # nucleus sampling: drop the unlikely tail

    def __post_init__(self) -> None:
        if not self.temperature > 0:
            raise ValueError(f"temperature must be > 0, got {self.temperature}")
        if not -1.0 <= self.density <= 1.0:
            raise ValueError(f"density must be in -1..1, got {self.density}")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")


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


def _duration_bias(density: float, vocab: Vocabulary) -> np.ndarray:
    bias = np.zeros(vocab.size, np.float32)
    if density:
        for ticks in vocab.durations:
            bias[vocab.duration(ticks)] = -density * DENSITY_SLOPE * math.log2(ticks / 12)
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

    def push(self, token: int) -> None:
        self.grammar.push(token)
        self.cursor.push(token)
        self.tokens.append(token)


def _header(plan: Plan, vocab: Vocabulary) -> list[int]:
    return [vocab.BOS, vocab.meter(plan.time_signature), vocab.MAJOR if plan.mode == "major" else vocab.MINOR]


@torch.no_grad()
def sample_sequences(model: MelodyNet, style_features: np.ndarray, plans: Sequence[Plan],
                     controls: SamplingControls = SamplingControls(), progress: Progress = NULL_PROGRESS,
                     vocab: Vocabulary = VOCAB) -> list[list[int] | None]:
    """One complete token sequence per plan (``None`` for plans left unfinished because
    ``progress`` asked to stop). ``style_features`` is one ``[STYLE_FEATURES]`` vector for all.

    Raises ValueError if a forced segment breaks the grammar (e.g. a bar of another meter).
    """
    if not plans:
        return []
    model.eval()
    runs = [_Run(p, GrammarState(p.time_signature, p.bars, mode=p.mode, vocab=vocab),
                 Cursor(p.time_signature, vocab), np.random.default_rng(p.seed)) for p in plans]
    for run in runs:
        for token in _header(run.plan, vocab):
            run.push(token)
        run.forced = list(run.plan.segment(0) or ())
    n = len(runs)
    style = model.style(torch.from_numpy(np.repeat(style_features[None, :], n, axis=0)))
    state = model.initial_state(style)
    bias = _duration_bias(controls.density, vocab)
    note_ok = np.zeros(vocab.size, bool)
    low, high = controls.pitch_range or (vocab.pitch_low, vocab.pitch_high)
    for r in range(max(low, vocab.pitch_low), min(high, vocab.pitch_high) + 1):
        note_ok[vocab.note(r)] = True
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
            token = run.forced.pop(0) if run.forced else _draw(run, logits_np[row], controls, bias, note_ok,
                                                               is_note, vocab)
            run.push(token)
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
    if controls.top_p < 1.0:
        order = np.argsort(-probs)
        cumulative = np.cumsum(probs[order])
        keep = order[: int(np.searchsorted(cumulative, controls.top_p)) + 1]
        trimmed = np.zeros_like(probs)
        trimmed[keep] = probs[keep]
        probs = trimmed / trimmed.sum()
    return int(run.rng.choice(vocab.size, p=probs))
