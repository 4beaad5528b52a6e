"""A support cache for sampling: the samples' own short-range statistics, mixed into the network.

After a neural cache language model (Grave et al. 2017; Kuhn & De Mori 1990): the network's
next-token distribution is interpolated with a small smoothed n-gram model of the user's
samples, ``p = (1 - w) * p_network + w * p_cache``, where ``w`` is the cache weight. The cache
holds two kinds of statistics, both in the key-relative token language of
:mod:`.representation`, so a support clip in D and one in F share them:

* *rhythm*: which duration follows a note, rest or tie at a given position in the bar of a
  given meter, after the previous one or two durations;
* *melody*: which head (``NOTE_r``, ``REST``, ``TIE``, and ``BAR`` / ``EOS``) follows the
  previous one or two heads.

While the cache is in use, notes whose pitch class (relative to the tonic) the samples of that
mode never play are also made less likely by a fixed logit penalty, :data:`OUTSIDE_PENALTY`:
chromatic notes stay possible but rare, as in the samples.

For training with the cache in the loop (``train-melody --cache-loss``),
:func:`mixture_targets` gives each target its cache probability (leave one out for support
phrases), which :func:`studio.domains.melody.model.sequence_loss` turns into the mixture's loss.

Estimates back off from the longest context to shorter ones with Witten-Bell interpolation, so
an unseen context still gets the shorter contexts' counts. The cache only ever proposes tokens
the grammar allows at that point (its mass on forbidden tokens is dropped); where it has none,
the network decides alone. Contexts are short (at most two previous events), so it recombines
the samples rather than replaying them; the generator's copy filter stays in force.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from studio.domains.melody.model import Cursor, meter_of
from studio.domains.melody.representation import VOCAB, Vocabulary

ORDER = 2  # previous events in the longest context
OUTSIDE_PENALTY = 2.0  # logits taken from notes of pitch classes the samples never play

Context = tuple


def contexts(tokens: Sequence[int], cursor: Cursor, meter: tuple[int, int],
             vocab: Vocabulary = VOCAB) -> tuple[Context, ...]:
    """The cache contexts for the token after ``tokens`` (``cursor`` has followed them), from the
    most general to the most specific; empty where the cache has nothing to say (the header)."""
    if len(tokens) < 3:
        return ()
    last = tokens[-1]
    if vocab.is_note(last) or last in (vocab.REST, vocab.TIE):  # a duration comes next
        kind = "n" if vocab.is_note(last) else ("r" if last == vocab.REST else "t")
        place = (meter, cursor.in_pickup, cursor.cursor)
        previous = _previous(tokens[:-1], vocab.is_duration, ORDER)
        chain: list[Context] = [("d",), ("d", *place), ("d", *place, kind)]
        for k in range(1, len(previous) + 1):
            chain.append(("d", *place, kind, *previous[:k]))
        return tuple(chain)
    heads = _previous(tokens, lambda t: vocab.is_note(t) or t in (vocab.REST, vocab.TIE), ORDER)
    chain = [("h",)]
    for k in range(1, len(heads) + 1):
        chain.append(("h", *heads[:k]))
    return tuple(chain)


def _previous(tokens: Sequence[int], wanted, count: int) -> tuple[int, ...]:
    """The last ``count`` tokens of ``tokens`` that satisfy ``wanted``, the latest first (fewer
    at the start of the melody; the header is never searched)."""
    out: list[int] = []
    for token in reversed(tokens[3:]):
        if wanted(token):
            out.append(token)
            if len(out) == count:
                break
    return tuple(out)


class SupportCache:
    """Smoothed n-gram counts of the samples' token sequences (see the module docstring)."""

    def __init__(self, sequences: Sequence[Sequence[int]], vocab: Vocabulary = VOCAB) -> None:
        self.vocab = vocab
        self._counts: dict[Context, dict[int, int]] = {}
        self._pitch_classes: dict[int, set[int]] = {}  # mode token -> relative pitch classes played
        for tokens in sequences:
            tokens = list(tokens)
            if len(tokens) < 4:
                continue
            played = self._pitch_classes.setdefault(tokens[2], set())
            played.update(vocab.relative_pitch(t) % 12 for t in tokens if vocab.is_note(t))
            meter = meter_of(tokens, vocab)
            cursor = Cursor(meter, vocab)
            for token in tokens[:3]:
                cursor.push(token)
            for i in range(3, len(tokens)):
                for context in contexts(tokens[:i], cursor, meter, vocab):
                    table = self._counts.setdefault(context, {})
                    table[tokens[i]] = table.get(tokens[i], 0) + 1
                cursor.push(tokens[i])
        self._cache: dict[Context, np.ndarray] = {}

    @property
    def empty(self) -> bool:
        return not self._counts

    def probability(self, chain: Sequence[Context], token: int) -> float | None:
        """The interpolated probability of ``token`` after a context chain (as
        :meth:`distribution`, over the whole vocabulary); ``None`` when no context was seen."""
        probs = self.distribution(chain)
        return None if probs is None else float(probs[token])

    def outside_bias(self, mode: str, penalty: float = OUTSIDE_PENALTY) -> np.ndarray:
        """Logit bias over the vocabulary: ``-penalty`` on notes whose pitch class the samples in
        ``mode`` ("major" / "minor"; all samples when none is in it) never play, 0 elsewhere."""
        bias = np.zeros(self.vocab.size, np.float32)
        token = self.vocab.MAJOR if mode == "major" else self.vocab.MINOR
        played = self._pitch_classes.get(token) or set().union(*self._pitch_classes.values())
        if played:
            for r in range(self.vocab.pitch_low, self.vocab.pitch_high + 1):
                if r % 12 not in played:
                    bias[self.vocab.note(r)] = -penalty
        return bias

    def distribution(self, chain: Sequence[Context]) -> np.ndarray | None:
        """The interpolated next-token distribution over the vocabulary for a context chain
        (general to specific, as :func:`contexts` returns it); ``None`` when no context of the
        chain was seen in the samples."""
        if not chain:
            return None
        key = chain[-1]
        if key in self._cache:
            return self._cache[key]
        probs = None
        for context in chain:
            table = self._counts.get(context)
            if not table:
                continue  # unseen: keep the shorter contexts' estimate
            counts = np.zeros(self.vocab.size)
            for token, n in table.items():
                counts[token] = n
            total, types = counts.sum(), len(table)
            estimate = counts / total
            if probs is None:
                probs = estimate
            else:  # Witten-Bell: trust the longer context by how often it was seen vs how varied it was
                trust = total / (total + types)
                probs = trust * estimate + (1 - trust) * probs
        self._cache[key] = probs
        return probs


def target_probabilities(tokens: Sequence[int], cache: SupportCache, vocab: Vocabulary = VOCAB) -> np.ndarray:
    """``p_cache(tokens[i] | tokens[:i])`` for ``i = 1 .. len - 1`` (the targets of a training
    sequence), ``-1`` where the cache has no context (the header, or nothing seen)."""
    out = np.full(max(len(tokens) - 1, 0), -1.0, np.float32)
    if cache.empty:
        return out
    meter = meter_of(tokens, vocab)
    cursor = Cursor(meter, vocab)
    for i in range(1, len(tokens)):
        cursor.push(tokens[i - 1])
        p = cache.probability(contexts(tokens[:i], cursor, meter, vocab), tokens[i])
        if p is not None:
            out[i - 1] = p
    return out


def mixture_targets(targets: np.ndarray, sequences: Sequence[Sequence[int]], support: Sequence[Sequence[int]],
                    weight: float, vocab: Vocabulary = VOCAB) -> np.ndarray:
    """Targets for training with the cache in the loop: ``[n, length, 3]`` float32 of (target
    id, cache share ``w``, ``w * p_cache(target)``), the share 0 where the cache has no context.
    Sequence ``j`` of ``sequences`` that is also ``support[j]`` (the first ``len(support)``) is
    scored by a cache of the *other* support phrases (leave one out: a phrase never sees itself);
    the rest by a cache of all of them. See :func:`studio.domains.melody.model.sequence_loss`."""
    n, length = targets.shape
    out = np.zeros((n, length, 3), np.float32)
    out[..., 0] = targets
    everything = SupportCache(support, vocab)
    for j, seq in enumerate(sequences):
        cache = SupportCache([s for k, s in enumerate(support) if k != j], vocab) if j < len(support) else everything
        probs = target_probabilities(seq, cache, vocab)
        seen = probs >= 0
        out[j, :len(probs), 1] = np.where(seen, weight, 0.0)
        out[j, :len(probs), 2] = np.where(seen, weight * probs, 0.0)
    return out
