"""Sampling under the grammar: complete bars, seeds, range and density controls, density calibration,
kept segments."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.domains.melody.model import MelodyNet, style_features
from studio.domains.melody.representation import VOCAB, encode, is_valid
from studio.domains.melody.sampling import (
    CALIBRATION_LIMIT, Plan, SamplingControls, _duration_bias, calibrate_density, note_log_lengths, notes_per_bar,
    sample_sequences, split_segments,
)
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


def test_note_log_lengths_read_the_written_length_of_notes_only() -> None:
    v = VOCAB
    tokens = [v.BOS, v.meter((4, 4)), v.MAJOR, v.BAR, v.note(0), v.duration(24), v.REST, v.duration(48),
              v.note(2), v.duration(12), v.TIE, v.duration(12), v.BAR]
    assert np.allclose(note_log_lengths([tokens, None]), [1.0, 0.0])
    assert len(note_log_lengths([])) == 0


def _notes_per_bar(net, features, controls) -> float:
    plans = [Plan((4, 4), "major", 4, seed=100 + s) for s in range(24)]
    return notes_per_bar(sample_sequences(net, features, plans, controls))


def _phrase(ticks: int) -> list[int]:
    """Four bars of 4/4 in notes of ``ticks``."""
    return ([VOCAB.BOS, VOCAB.meter((4, 4)), VOCAB.MAJOR, VOCAB.BAR]
            + ([VOCAB.note(0), VOCAB.duration(ticks)] * (96 // ticks) + [VOCAB.BAR]) * 4)


def test_notes_per_bar_counts_notes_not_ties_or_rests() -> None:
    v = VOCAB
    tokens = [v.BOS, v.meter((4, 4)), v.MAJOR, v.BAR, v.note(0), v.duration(48), v.REST, v.duration(24),
              v.note(2), v.duration(24), v.BAR, v.TIE, v.duration(48), v.note(4), v.duration(48), v.BAR]
    assert notes_per_bar([tokens, None]) == 1.5
    assert notes_per_bar([_phrase(12)]) == 8.0 and notes_per_bar([]) == 0.0


def test_calibration_moves_the_note_rate_towards_the_target(net, features) -> None:
    neutral = SamplingControls(pitch_range=(0, 12))
    before = _notes_per_bar(net, features, neutral)
    for ticks in (6, 48):  # sixteenths (16 a bar), half notes (2 a bar)
        controls = calibrate_density(net, features, Plan((4, 4), "major", 4), neutral, [_phrase(ticks)])
        assert 0 < abs(controls.density_offset) <= CALIBRATION_LIMIT
        assert controls.length_span == (ticks, ticks) and controls.pitch_range == (0, 12)
        again = calibrate_density(net, features, Plan((4, 4), "major", 4, seed=9), neutral, [_phrase(ticks)])
        assert again == controls  # pilot seeds are fixed
        wanted = 96 / ticks
        after = _notes_per_bar(net, features, controls)
        assert abs(np.log(after / wanted)) < abs(np.log(before / wanted))
    assert calibrate_density(net, features, Plan((4, 4), "major", 4), neutral, []).density_offset == 0.0
    with pytest.raises(ValueError):
        SamplingControls(density_offset=float("nan"))
    with pytest.raises(ValueError):
        SamplingControls(length_span=(24, 12))


def test_a_calibrated_tilt_never_favours_lengths_beyond_the_span() -> None:
    longer = _duration_bias(SamplingControls(density_offset=-0.5, length_span=(12, 24)), VOCAB)
    assert longer[VOCAB.duration(48)] == longer[VOCAB.duration(24)] > longer[VOCAB.duration(12)]
    shorter = _duration_bias(SamplingControls(density_offset=0.5, length_span=(12, 24)), VOCAB)
    assert shorter[VOCAB.duration(6)] == shorter[VOCAB.duration(12)] > shorter[VOCAB.duration(24)]
    user = _duration_bias(SamplingControls(density=-0.5), VOCAB)
    assert user[VOCAB.duration(48)] > user[VOCAB.duration(24)]  # the user's own density is not capped
