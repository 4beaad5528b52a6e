"""The chord steering at sampling time: the nucleus trim keeps the steered split, the rhythm's
chord-tone bookkeeping, and the balance that keeps the share of the melody's time on chord tones
at the samples' own whatever the model's rhythm."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.core.melody import KeySignature
from studio.domains.melody import sampling
from studio.domains.melody.harmony import ChordStyle, chord_tone_shares
from studio.domains.melody.model import Cursor, MelodyNet, style_features
from studio.domains.melody.representation import VOCAB, GrammarState, decode, encode
from studio.domains.melody.sampling import Plan, SamplingControls, _nucleus, _Run, sample_sequences, steered_rate

from .conftest import TINY, tune

C_MAJOR = frozenset({0, 4, 7})
# Chord tones almost always on the beat, rarely off it; over all the samples' time half and half
# (a style whose off-beat notes are long: syncopations, appoggiaturas).
STYLE = ChordStyle((0.95, 0.95, 0.1), 0.7, 0.7, 100, False, duration_rate=0.5)


def _old_trim(probs: np.ndarray, top_p: float) -> np.ndarray:
    order = np.argsort(-probs)
    keep = order[: int(np.searchsorted(np.cumsum(probs[order]), top_p)) + 1]
    trimmed = np.zeros_like(probs)
    trimmed[keep] = probs[keep]
    return trimmed / trimmed.sum()


def test_the_nucleus_keeps_the_steered_split() -> None:
    probs = np.array([0.75, 0.05, 0.05, 0.04, 0.03, 0.01, 0.01, 0.01, 0.005, 0.005, 0.04])
    chord, other = np.zeros(11, bool), np.zeros(11, bool)
    chord[:2], other[2:10] = True, True  # token 10: a rest
    assert np.allclose(_nucleus(probs, 0.9), _old_trim(probs, 0.9))  # no groups: the plain trim
    assert _old_trim(probs, 0.9)[other].sum() < 0.1  # the plain trim drops most non-chord tones
    grouped = _nucleus(probs, 0.9, (chord, other))
    assert grouped.sum() == pytest.approx(1.0)
    assert grouped[other].sum() / grouped[chord | other].sum() == pytest.approx(0.16 / 0.96)
    assert (grouped[other] > 0).sum() < other.sum()  # each group still loses its own tail


def _run(harmony: tuple = ((0, 384, C_MAJOR),)) -> _Run:
    plan = Plan((4, 4), "major", 4, harmony=harmony)
    run = _Run(plan, GrammarState((4, 4), 4, mode="major"), Cursor((4, 4)), np.random.default_rng(0))
    for token in (VOCAB.BOS, VOCAB.meter((4, 4)), VOCAB.MAJOR, VOCAB.BAR):
        run.push(token, VOCAB, STYLE)
    return run


def test_the_rhythm_bookkeeping_counts_notes_and_their_ties_not_rests() -> None:
    run = _run()
    assert steered_rate(run, STYLE) == pytest.approx(0.95)  # nothing sounded yet: the style's rate
    for token in (VOCAB.note(0), VOCAB.duration(48), VOCAB.TIE, VOCAB.duration(24), VOCAB.REST, VOCAB.duration(24)):
        run.push(token, VOCAB, STYLE)
    assert run.timed == 72  # the downbeat note and its tie, not the rest
    assert run.excess == pytest.approx(72 * (0.95 - 0.5))
    # after a bar's worth of on-beat time the next downbeat note is steered well below 0.95
    assert steered_rate(run, STYLE) == pytest.approx(0.95 - sampling.BALANCE * 72 * 0.45 / (72 + 96))
    unsteered = _run()
    for token in (VOCAB.note(0), VOCAB.duration(48)):
        unsteered.push(token, VOCAB)  # no style: no bookkeeping
    assert unsteered.timed == 0


def test_balance_keeps_the_time_on_chord_tones_at_the_styles_share(monkeypatch) -> None:
    """A model that writes long notes (so mostly on the beat) over a style whose chord tones sit
    on the beat: the per-position rates alone put nearly all the time on chord tones; balanced,
    the share of time comes down towards the style's half, the more so the larger :data:`BALANCE`
    (the test fails if the balance breaks)."""
    torch.manual_seed(1)
    net = MelodyNet(TINY)
    features = style_features([encode(tune(1)), encode(tune(2))])
    plans = [Plan((4, 4), "major", 4, seed=s, harmony=((0, 4 * 96, C_MAJOR),)) for s in range(24)]
    controls = SamplingControls(density=-1.0, chord_style=STYLE)

    def share() -> float:
        melodies = [decode(tokens, KeySignature(0), 100, (4, 4)) for tokens in sample_sequences(net, features, plans,
                                                                                               controls)]
        from studio.core.chords import Chord, ChordSpan

        spans = [(ChordSpan(Chord(0, ""), m.pickup, 4 * 96),) for m in melodies]
        return float(np.nanmean([chord_tone_shares(m, s)["duration"] for m, s in zip(melodies, spans)]))

    balanced = share()
    monkeypatch.setattr(sampling, "BALANCE", 0.0)
    unbalanced = share()
    assert unbalanced > 0.8
    assert 0.5 < balanced < unbalanced - 0.05  # part of the excess given back (BALANCE), never overshooting
    monkeypatch.setattr(sampling, "BALANCE", 1.0)
    assert 0.5 < share() < balanced - 0.05  # all of it: closer still
