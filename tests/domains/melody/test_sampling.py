"""Sampling under the grammar: complete bars, seeds, range and density controls, kept segments."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.domains.melody.model import MelodyNet, style_features
from studio.domains.melody.representation import VOCAB, encode, is_valid
from studio.domains.melody.sampling import Plan, SamplingControls, sample_sequences, split_segments
from studio.progress import RecordingProgress

from .conftest import TINY, tune


@pytest.fixture(scope="module")
def net() -> MelodyNet:
    torch.manual_seed(1)
    return MelodyNet(TINY)


@pytest.fixture(scope="module")
def features() -> np.ndarray:
    return style_features([encode(tune(1)), encode(tune(2))])


@pytest.mark.parametrize("meter", [(4, 4), (3, 4), (6, 8), (2, 4)])
def test_every_sequence_has_exactly_the_requested_complete_bars(net, features, meter) -> None:
    plans = [Plan(meter, "major", 4, seed=s) for s in range(3)]
    for tokens in sample_sequences(net, features, plans):
        assert is_valid(tokens, meter)
        assert tokens.count(VOCAB.BAR) - 1 == 4


def test_a_seed_gives_the_same_sequence_whatever_the_batch(net, features) -> None:
    alone = sample_sequences(net, features, [Plan((4, 4), "major", 2, seed=5)])[0]
    batch = sample_sequences(net, features, [Plan((4, 4), "major", 2, seed=s) for s in (3, 5, 9)])
    assert batch[1] == alone
    assert batch[0] != batch[2]


def test_pitch_range_and_density(net, features) -> None:
    plans = [Plan((4, 4), "major", 2, seed=s) for s in range(6)]
    ranged = sample_sequences(net, features, plans, SamplingControls(pitch_range=(0, 4)))
    notes = [VOCAB.relative_pitch(t) for seq in ranged for t in seq if VOCAB.is_note(t)]
    assert notes and all(0 <= r <= 4 for r in notes)

    def mean_ticks(density: float) -> float:
        seqs = sample_sequences(net, features, plans, SamplingControls(density=density))
        return float(np.mean([VOCAB.ticks(t) for s in seqs for t in s if VOCAB.is_duration(t)]))

    assert mean_ticks(1.0) < mean_ticks(-1.0)
    with pytest.raises(ValueError):
        SamplingControls(temperature=0)


def test_forced_segments_are_kept_and_the_rest_resampled(net, features) -> None:
    source = encode(tune(7, bars=4))
    segments = split_segments(source)
    assert len(segments) == 5 and all(s[-1] == VOCAB.BAR for s in segments)
    plan = Plan((4, 4), "major", 4, (segments[0], segments[1], None, segments[3], None), seed=3)
    tokens = sample_sequences(net, features, [plan])[0]
    out = split_segments(tokens)
    assert out[1] == segments[1] and out[3] == segments[3] and is_valid(tokens, (4, 4))


def test_stopping_leaves_unfinished_sequences_out(net, features) -> None:
    progress = RecordingProgress()
    progress.request_stop()
    assert sample_sequences(net, features, [Plan((4, 4), "major", 2)], progress=progress) == [None]
