"""Chord inputs of the chord-conditioned melody network (issue 19 point 3).

A chord is given to :class:`~.model.MelodyNet` (a config with ``chord_embed`` > 0) as a class
at every step: 0 for "no chord" (and the pickup), else ``1 + 6 * root + quality class`` with the
root relative to the key's tonic (so transposing a song keeps its classes) and the quality folded
into six classes (:data:`QUALITY_CLASS`: major, minor, dominant, diminished, augmented,
suspended). Like the bar position, the class describes the *next* event: step ``i`` carries the
chord sounding where the token after ``tokens[: i + 1]`` starts (:class:`~.model.Cursor` ticks
from bar 1, the rule the sampler's chord steering uses).

:func:`phrases_with_chords` cuts a melody into phrases with their chords, :func:`chord_table` /
:func:`sequence_chords` turn spans into per-step classes, :func:`build_chord_batch` makes the
network's six inputs, :func:`extend_params` turns the shipped weights into a chord-conditioned
starting point that computes exactly what they did until the chord weights move, and
:class:`PlannedChords` lets the product's sampler drive a chord-conditioned network over a
gallery's chords.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import torch
from torch import Tensor, nn

from studio.core.chords import Chord, ChordSpan
from studio.core.melody import Melody
from studio.domains.melody.model import (
    CHORD_CLASSES, CHORD_QUALITY_CLASSES, PICKUP_OFFSET, Cursor, MelodyNet, MelodyNetConfig, build_batch,
)
from studio.domains.melody.representation import VOCAB, Vocabulary, bar_ticks, phrases

NO_CHORD = 0
#: Quality suffix -> class (0 major, 1 minor, 2 dominant, 3 diminished, 4 augmented, 5 suspended).
QUALITY_CLASS: dict[str, int] = {
    "": 0, "maj7": 0, "6": 0, "9": 2, "7": 2, "m": 1, "m7": 1, "m6": 1, "dim": 3, "dim7": 3, "m7b5": 3,
    "aug": 4, "sus2": 5, "sus4": 5,
}
assert max(QUALITY_CLASS.values()) < CHORD_QUALITY_CLASSES
Table = tuple[tuple[int, int, int], ...]  # (start, end, class) in ticks from bar 1


def chord_class(chord: Chord | None, tonic: int) -> int:
    """The class of ``chord`` in a key on ``tonic`` (0 for no chord)."""
    if chord is None:
        return NO_CHORD
    quality = QUALITY_CLASS.get(chord.quality, 0)
    return 1 + ((chord.root - tonic) % 12) * CHORD_QUALITY_CLASSES + quality


def chord_table(spans: Sequence[ChordSpan], tonic: int) -> Table:
    """``(start, end, class)`` per span (spans counted from bar 1)."""
    return tuple((s.start, s.end, chord_class(s.chord, tonic)) for s in spans)


def class_at(table: Table, tick: int | None) -> int:
    """The class sounding at ``tick`` (None: in the pickup, "no chord")."""
    if tick is None:
        return NO_CHORD
    for start, end, cls in table:
        if start <= tick < end:
            return cls
        if start > tick:
            break
    return NO_CHORD


def sequence_chords(tokens: Sequence[int], time_signature: tuple[int, int], table: Table,
                    vocab: Vocabulary = VOCAB) -> list[int]:
    """Per-step chord classes for predicting ``tokens[1:]`` (aligned with
    :func:`~.model.sequence_features`)."""
    cursor = Cursor(time_signature, vocab)
    out = []
    for token in tokens[:-1]:
        cursor.push(token)
        tick = None if cursor.in_pickup else cursor.bars * cursor.bar + cursor.cursor
        out.append(class_at(table, tick))
    return out


def phrases_with_chords(melody: Melody, bars: int) -> list[tuple[Melody, tuple[ChordSpan, ...]]]:
    """:func:`~.representation.phrases` of ``melody``, each with its chords counted from its own
    bar 1 (a chord sounding across a cut is split there)."""
    bar = melody.bar_ticks
    pickup = melody.pickup % bar
    span = bars * bar
    out = []
    for cut in phrases(melody, bars):
        index = 0 if cut.pickup else None
        if index is None:  # which phrase: the name ends "(phrase k)"
            try:
                index = int(cut.name.rsplit("phrase", 1)[1].strip(" )")) - 1
            except (IndexError, ValueError):
                index = 0
        lo = pickup + index * span
        hi = lo + span
        spans = []
        for s in melody.chords:
            a, b = max(s.start, lo), min(s.end, hi)
            if a < b:
                spans.append(ChordSpan(s.chord, a - lo, b - a))
        out.append((replace(cut, chords=()), tuple(spans)))
    return out


def build_chord_batch(sequences: Sequence[Sequence[int]], tables: Sequence[Table], style: np.ndarray,
                      vocab: Vocabulary = VOCAB) -> tuple[tuple[Tensor, ...], Tensor]:
    """:func:`~.model.build_batch` plus the per-step chord classes (the sixth input)."""
    inputs, targets = build_batch(sequences, style, vocab=vocab)
    chords = np.zeros(tuple(targets.shape), np.int64)
    for i, (seq, table) in enumerate(zip(sequences, tables)):
        from studio.domains.melody.model import meter_of

        ids = sequence_chords(list(seq), meter_of(seq, vocab), table, vocab)
        chords[i, :len(ids)] = ids
    return (*inputs, torch.from_numpy(chords)), targets


def extend_params(params: dict[str, Tensor], config: MelodyNetConfig, seed: int = 0) -> dict[str, Tensor]:
    """Weights of a chord-conditioned ``config`` from a plain model's ``params``: everything
    copied, the GRU's input weights widened with zero columns for the chord embedding (so the
    network computes exactly what the plain one does until training moves them), the chord
    embedding drawn small at random."""
    if not config.chord_embed:
        raise ValueError("extend_params needs a config with chord_embed > 0")
    generator = torch.Generator().manual_seed(seed)
    out = {n: t.detach().clone() for n, t in params.items()}
    weight = out["gru.weight_ih_l0"]
    out["gru.weight_ih_l0"] = torch.cat([weight, weight.new_zeros(weight.shape[0], config.chord_embed)], dim=1)
    out["chords.weight"] = torch.randn(CHORD_CLASSES, config.chord_embed, generator=generator) * 0.1
    return out


class PlannedChords(nn.Module):
    """A chord-conditioned network seen through the plain network's sampling interface
    (``style``, ``initial_state``, ``step``): every step's chord class is read from ``table``
    at the tick the step's position and phrase progress give (in-bar position + bars so far,
    ``round(progress * bars)``), so :func:`~.sampling.sample_sequences` drives it unchanged."""

    def __init__(self, net: MelodyNet, table: Table, bars: int, time_signature: tuple[int, int]) -> None:
        super().__init__()
        self.net, self.table, self.bars, self.bar = net, table, bars, bar_ticks(time_signature)

    def style(self, style_features: Tensor) -> Tensor:
        return self.net.style(style_features)

    def initial_state(self, style: Tensor) -> Tensor:
        return self.net.initial_state(style)

    def classes(self, positions: Tensor, progress: Tensor) -> Tensor:
        out = []
        for p, g in zip(positions.tolist(), progress.tolist()):
            tick = None if p >= PICKUP_OFFSET else int(round(g * self.bars)) * self.bar + p
            out.append(class_at(self.table, tick))
        return torch.tensor(out, dtype=torch.int64)

    def step(self, tokens: Tensor, positions: Tensor, remaining: Tensor, progress: Tensor, style: Tensor,
             state: Tensor) -> tuple[Tensor, Tensor]:
        return self.net.step(tokens, positions, remaining, progress, style, state,
                             chords=self.classes(positions, progress))
