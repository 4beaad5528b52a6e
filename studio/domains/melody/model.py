"""The melody network: a small style-conditioned GRU language model over event tokens.

:class:`MelodyNet` predicts the next token of a :mod:`.representation` sequence from the
tokens so far, where the next token sits in its bar (:class:`Cursor`), how far through the
phrase it is, and a *style vector* computed from the support phrases' statistics
(:func:`style_features`: the share of every token plus the histogram of melodic intervals).
The style vector starts the GRU's hidden state and is fed to every step, so a model that has
only seen the user's samples through :func:`style_features` (``instant``) already writes in
their meter, key, pitch and rhythm vocabulary; gradient steps on the samples then refine it.

Inputs travel as one tuple of tensors with a leading sequence dimension (:class:`Batch`), so
the meta-learning engine's pure functions (``functional_call`` over parameter dicts) can
slice, concatenate and differentiate them. :func:`build_batch` pads sequences with ``PAD``,
which :func:`sequence_loss` ignores. Configs are typed frozen dataclasses stored in every
checkpoint card (:meth:`MelodyNetConfig.to_dict` / :meth:`MelodyNetConfig.from_dict`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from studio.domains.melody.representation import VOCAB, Vocabulary, bar_ticks

INTERVAL_CLAMP = 12  # melodic intervals beyond an octave share the outermost bin
STYLE_FEATURES = VOCAB.size + 2 * INTERVAL_CLAMP + 1
PICKUP_OFFSET = 150  # position ids of pickup tokens start here (ticks from the melody's start)
POSITIONS = 300  # in-bar positions 0..149, pickup positions 150..299
REMAINING_UNKNOWN = 150  # "ticks left in the bar" is unknown inside a pickup
REMAINING = 151
# Chord classes of the optional chord input (:mod:`.chord_features`): 0 "no chord", then
# 1 + 6 * root (relative to the key's tonic) + quality class.
CHORD_QUALITY_CLASSES = 6
CHORD_CLASSES = 1 + 12 * CHORD_QUALITY_CLASSES


@dataclass(frozen=True)
class MelodyNetConfig:
    """Sizes of :class:`MelodyNet` (stored in the checkpoint card to rebuild the model)."""

    vocab_size: int = VOCAB.size  # token ids 0..vocab_size-1 (PAD = 0)
    embed: int = 96  # token embedding width
    position_embed: int = 24  # width of each of the two bar-position embeddings
    hidden: int = 256  # GRU state
    style: int = 64  # style vector width
    style_hidden: int = 128  # hidden width of the style encoder MLP
    layers: int = 1  # stacked GRU layers
    chord_embed: int = 0  # width of the chord embedding fed at every step (0: no chord input)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            if getattr(self, f.name) < (0 if f.name == "chord_embed" else 1):
                raise ValueError(f"{f.name} must be >= 1, got {getattr(self, f.name)}")

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> MelodyNetConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: int(v) for k, v in data.items() if k in known})


class MelodyNet(nn.Module):
    """Next-token logits from ``(tokens, positions, remaining, progress, style_features)``.

    Shapes: tokens, positions, remaining ``[B, T]`` int64; progress ``[B, T]`` float;
    style_features ``[B, STYLE_FEATURES]`` float. Returns logits ``[B, T, vocab]``. A config with
    ``chord_embed`` > 0 builds the chord-conditioned variant, which also reads ``chords``
    (``[B, T]`` chord classes, :mod:`.chord_features`); without it the network is exactly the
    shipped one (old checkpoints load and compute as before).
    """

    def __init__(self, config: MelodyNetConfig = MelodyNetConfig()) -> None:
        super().__init__()
        c = self.config = config
        self.tokens = nn.Embedding(c.vocab_size, c.embed)
        self.positions = nn.Embedding(POSITIONS, c.position_embed)
        self.remaining = nn.Embedding(REMAINING, c.position_embed)
        self.style_encoder = nn.Sequential(
            nn.Linear(STYLE_FEATURES, c.style_hidden), nn.Tanh(), nn.Linear(c.style_hidden, c.style), nn.Tanh())
        self.initial = nn.Linear(c.style, c.hidden * c.layers)
        if c.chord_embed:  # the chord-conditioned variant: its embedding comes last in the GRU input
            self.chords = nn.Embedding(CHORD_CLASSES, c.chord_embed)
        width = c.embed + 2 * c.position_embed + 1 + c.style + c.chord_embed
        self.gru = nn.GRU(width, c.hidden, num_layers=c.layers, batch_first=True)
        self.head = nn.Linear(c.hidden + c.style, c.vocab_size)

    def style(self, style_features: Tensor) -> Tensor:
        """The style vector ``[B, style]`` of style features ``[B, STYLE_FEATURES]``."""
        return self.style_encoder(style_features)

    def initial_state(self, style: Tensor) -> Tensor:
        """The GRU's first hidden state ``[layers, B, hidden]`` for a style ``[B, style]``."""
        c = self.config
        return torch.tanh(self.initial(style)).view(-1, c.layers, c.hidden).transpose(0, 1).contiguous()

    def step_inputs(self, tokens: Tensor, positions: Tensor, remaining: Tensor, progress: Tensor,
                    style: Tensor, chords: Tensor | None = None) -> Tensor:
        """The GRU input ``[B, T, width]``. ``chords`` (``[B, T]`` chord classes, None: "no
        chord" everywhere) is read only by a model with ``chord_embed`` > 0."""
        expanded = style.unsqueeze(1).expand(-1, tokens.shape[1], -1)
        parts = [self.tokens(tokens), self.positions(positions), self.remaining(remaining),
                 progress.unsqueeze(-1), expanded]
        if self.config.chord_embed:
            parts.append(self.chords(torch.zeros_like(tokens) if chords is None else chords))
        return torch.cat(parts, dim=-1)

    def logits(self, outputs: Tensor, style: Tensor) -> Tensor:
        expanded = style.unsqueeze(1).expand(-1, outputs.shape[1], -1)
        return self.head(torch.cat([outputs, expanded], dim=-1))

    def forward(self, tokens: Tensor, positions: Tensor, remaining: Tensor, progress: Tensor,
                style_features: Tensor, chords: Tensor | None = None) -> Tensor:
        style = self.style(style_features)
        outputs, _ = self.gru(self.step_inputs(tokens, positions, remaining, progress, style, chords),
                              self.initial_state(style))
        return self.logits(outputs, style)

    def step(self, tokens: Tensor, positions: Tensor, remaining: Tensor, progress: Tensor, style: Tensor,
             state: Tensor, chords: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """One generation step for ``[B]`` inputs: (logits ``[B, vocab]``, next state)."""
        inputs = self.step_inputs(tokens[:, None], positions[:, None], remaining[:, None],
                                  progress[:, None], style, None if chords is None else chords[:, None])
        outputs, state = self.gru(inputs, state)
        return self.logits(outputs, style)[:, 0], state


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# --- features -------------------------------------------------------------------------------

class Cursor:
    """Follows a token sequence and gives, for the token that comes *next*, its position id,
    its "ticks left in the bar" id and the number of complete bars so far.

    The same rules serve training (:func:`sequence_features`) and sampling, so the model sees
    identical features in both. Any sequence is accepted.
    """

    def __init__(self, time_signature: tuple[int, int], vocab: Vocabulary = VOCAB) -> None:
        self.vocab = vocab
        self.bar = bar_ticks(time_signature)
        self.cursor = 0  # ticks since the last bar line (or the start, in the pickup)
        self.in_pickup = True
        self.bars = 0
        self.pending = False

    def copy(self) -> Cursor:
        clone = object.__new__(Cursor)
        clone.__dict__.update(self.__dict__)
        return clone

    def ids(self) -> tuple[int, int]:
        if self.in_pickup:
            return PICKUP_OFFSET + min(self.cursor, POSITIONS - PICKUP_OFFSET - 1), REMAINING_UNKNOWN
        position = min(self.cursor, PICKUP_OFFSET - 1)
        return position, min(max(self.bar - self.cursor, 0), REMAINING_UNKNOWN - 1)

    def push(self, token: int) -> None:
        v = self.vocab
        if token == v.BAR:
            if not self.in_pickup:
                self.bars += 1
            self.in_pickup = False
            self.cursor = 0
        elif v.is_duration(token) and self.pending:
            self.cursor += v.ticks(token)
        self.pending = v.is_note(token) or token in (v.REST, v.TIE)


def sequence_features(tokens: Sequence[int], time_signature: tuple[int, int], target_bars: int,
                      vocab: Vocabulary = VOCAB) -> tuple[list[int], list[int], list[float]]:
    """Position ids, remaining ids and phrase progress for predicting ``tokens[1:]``: entry ``i``
    describes the state after ``tokens[: i + 1]``."""
    cursor = Cursor(time_signature, vocab)
    positions, remaining, progress = [], [], []
    for token in tokens[:-1]:
        cursor.push(token)
        p, r = cursor.ids()
        positions.append(p)
        remaining.append(r)
        progress.append(min(cursor.bars / max(target_bars, 1), 1.5))
    return positions, remaining, progress


def style_features(sequences: Sequence[Sequence[int]], vocab: Vocabulary = VOCAB) -> np.ndarray:
    """The style statistics of a set of token sequences: each token's share of all tokens,
    then the share of each melodic interval (-12..+12 semitones, clamped) between successive
    notes. Returns float32 ``[STYLE_FEATURES]`` (zeros for no tokens)."""
    counts = np.zeros(vocab.size, np.float64)
    intervals = np.zeros(2 * INTERVAL_CLAMP + 1, np.float64)
    for tokens in sequences:
        previous = None
        for token in tokens:
            if 0 <= token < vocab.size:
                counts[token] += 1
            if vocab.is_note(token):
                pitch = vocab.relative_pitch(token)
                if previous is not None:
                    step = max(-INTERVAL_CLAMP, min(INTERVAL_CLAMP, pitch - previous))
                    intervals[step + INTERVAL_CLAMP] += 1
                previous = pitch
    counts /= max(counts.sum(), 1.0)
    intervals /= max(intervals.sum(), 1.0)
    return np.concatenate([counts, intervals]).astype(np.float32)


def meter_of(tokens: Sequence[int], vocab: Vocabulary = VOCAB) -> tuple[int, int]:
    """The time signature named by a sequence's meter token (4/4 for ``METER_OTHER``)."""
    found = vocab.meter_of(tokens[1]) if len(tokens) > 1 else None
    return found or (4, 4)


def build_batch(sequences: Sequence[Sequence[int]], style: np.ndarray,
                time_signatures: Sequence[tuple[int, int]] | None = None,
                vocab: Vocabulary = VOCAB) -> tuple[tuple[Tensor, ...], Tensor]:
    """Model inputs and targets for ``sequences`` (each a complete token sequence), all
    conditioned on the same ``style`` features. Returns ``((tokens, positions, remaining,
    progress, style_features), targets)`` padded to the longest sequence (targets with PAD)."""
    if not sequences:
        raise ValueError("build_batch needs at least one sequence")
    length = max(len(s) for s in sequences) - 1
    n = len(sequences)
    tokens = np.zeros((n, length), np.int64)
    targets = np.zeros((n, length), np.int64)
    positions = np.zeros((n, length), np.int64)
    remaining = np.full((n, length), REMAINING_UNKNOWN, np.int64)
    progress = np.zeros((n, length), np.float32)
    for i, seq in enumerate(sequences):
        ts = time_signatures[i] if time_signatures is not None else meter_of(seq, vocab)
        bars = max(seq.count(vocab.BAR) - 1, 1) if isinstance(seq, list) else max(list(seq).count(vocab.BAR) - 1, 1)
        p, r, g = sequence_features(seq, ts, bars, vocab)
        k = len(seq) - 1
        tokens[i, :k] = seq[:-1]
        targets[i, :k] = seq[1:]
        positions[i, :k], remaining[i, :k], progress[i, :k] = p, r, g
    style_t = torch.from_numpy(np.repeat(style[None, :].astype(np.float32), n, axis=0))
    inputs = (torch.from_numpy(tokens), torch.from_numpy(positions), torch.from_numpy(remaining),
              torch.from_numpy(progress), style_t)
    return inputs, torch.from_numpy(targets)


def sequence_loss(output: object, targets: Tensor) -> Tensor:
    """Mean cross-entropy per predicted token, ignoring PAD targets.

    With ``[n, length, 3]`` float targets (:func:`studio.domains.melody.cache.mixture_targets`:
    id, cache share ``w``, ``w * p_cache``) the loss is that of the sampler's mixture,
    ``-log((1 - w) p_net + w p_cache)``: the network learns what the samples' cache misses."""
    logits: Tensor = output  # type: ignore[assignment]
    if targets.dim() == 2:
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                                           ignore_index=VOCAB.PAD)
    ids = targets[..., 0].long()
    share, cached = targets[..., 1], targets[..., 2]
    p_net = torch.softmax(logits, dim=-1).gather(-1, ids.unsqueeze(-1)).squeeze(-1)
    nll = -torch.log((1 - share) * p_net + cached + 1e-9)
    mask = (ids != VOCAB.PAD).float()
    return (nll * mask).sum() / mask.sum().clamp_min(1.0)
