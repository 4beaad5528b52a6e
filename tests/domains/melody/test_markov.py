"""Tests for the variable-order Markov (Continuator) baseline."""

from __future__ import annotations

import time

import pytest

from studio.core.melody import KeySignature, Melody, Note
from studio.domains.melody import metrics
from studio.domains.melody.markov import VariableOrderMarkov, signature_tonic
from studio.errors import AdaptationError

C_MAJOR = KeySignature(0, "major")


def tune(events, meter=(4, 4), key=C_MAJOR) -> Melody:
    """A melody from ``(pitch or None, duration)`` events, rests being ``None``."""
    notes, time_ = [], 0
    for pitch, duration in events:
        if pitch is not None:
            notes.append(Note(pitch, time_, duration))
        time_ += duration
    return Melody(tuple(notes), time_signature=meter, key=key)


# Three 4-bar tunes in C major, mostly stepwise, with eighths, quarters, a dotted quarter and a rest.
SUPPORT = [
    tune([(60, 24), (62, 24), (64, 24), (60, 24), (64, 12), (65, 12), (67, 24), (67, 48),
          (69, 12), (67, 12), (65, 12), (64, 12), (62, 24), (60, 24), (62, 36), (59, 12),
          (60, 24), (None, 24), (60, 48)]),
    tune([(67, 24), (65, 24), (64, 24), (62, 24), (60, 36), (62, 12), (64, 48), (65, 24),
          (67, 24), (69, 24), (71, 24), (72, 48), (71, 24), (69, 24), (67, 48), (64, 24), (60, 24)]),
    tune([(64, 12), (62, 12), (60, 24), (62, 24), (64, 24), (65, 24), (64, 24), (62, 48),
          (60, 24), (64, 24), (67, 24), (72, 24), (71, 48), (67, 48), (60, 96)]),
]


def assert_complete_bars(melody: Melody, bars: int) -> None:
    bar = melody.bar_ticks
    assert melody.bars == bars
    assert melody.length_ticks == bars * bar
    for note in melody.notes:
        assert note.start // bar == (note.end - 1) // bar, f"{note} crosses a bar line"


def test_generation_is_deterministic_per_seed():
    model = VariableOrderMarkov().fit(SUPPORT, max_order=3)
    assert model.generate(8, seed=7) == model.generate(8, seed=7)
    assert len({model.generate(8, seed=s).notes for s in range(10)}) > 1
    refitted = VariableOrderMarkov().fit(SUPPORT, max_order=3)
    assert refitted.generate(8, seed=7, temperature=1.3) == model.generate(8, seed=7, temperature=1.3)


def test_defaults_come_from_the_support():
    model = VariableOrderMarkov().fit(SUPPORT)
    melody = model.generate(4, seed=0)
    assert melody.time_signature == (4, 4) and melody.key == C_MAJOR
    assert_complete_bars(melody, 4)


@pytest.mark.parametrize("meter", [(3, 4), (6, 8), (2, 4), (4, 4)])
def test_bars_are_complete_in_every_meter(meter):
    model = VariableOrderMarkov().fit(SUPPORT, max_order=4)
    for seed in range(10):
        melody = model.generate(8, seed=seed, meter=meter)
        assert melody.time_signature == meter
        assert_complete_bars(melody, 8)


def test_a_six_eight_support_keeps_its_meter():
    jig = tune([(67, 12), (64, 12), (67, 12), (72, 24), (67, 12)] * 2
               + [(65, 12), (64, 12), (62, 12), (60, 36)] * 2, meter=(6, 8))
    model = VariableOrderMarkov().fit([jig])
    melody = model.generate(4, seed=1)
    assert melody.time_signature == (6, 8)
    assert_complete_bars(melody, 4)
    assert {n.duration for n in melody.notes} <= {12, 24, 36}


def test_a_meter_the_durations_cannot_fill_still_gets_complete_bars():
    quarters = tune([(60, 24), (62, 24), (64, 24), (65, 24)] * 2)
    melody = VariableOrderMarkov().fit([quarters]).generate(4, seed=0, meter=(5, 8))
    assert_complete_bars(melody, 4)


def test_melodies_stay_in_key_and_transpose():
    model = VariableOrderMarkov().fit(SUPPORT, max_order=2)
    d_major = KeySignature(2, "major")
    for seed in range(10):
        in_c = model.generate(8, seed=seed)
        assert metrics.key_consistency(in_c, C_MAJOR) == 1.0
        in_d = model.generate(8, seed=seed, key=d_major)
        assert in_d.key == d_major
        assert [n.pitch for n in in_d.notes] == [n.pitch + 2 for n in in_c.notes]
        assert [n.start for n in in_d.notes] == [n.start for n in in_c.notes]
    # A minor shares C major's signature: same scale degrees, same register.
    in_a_minor = model.generate(8, seed=0, key=KeySignature(9, "minor"))
    assert [n.pitch for n in in_a_minor.notes] == [n.pitch for n in model.generate(8, seed=0).notes]
    assert signature_tonic(KeySignature(9, "minor")) == 0


def test_clips_in_different_keys_share_scale_degrees():
    in_g = [Melody(tuple(Note(n.pitch + 7, n.start, n.duration) for n in m.notes), key=KeySignature(7))
            for m in SUPPORT]
    minor = Melody(SUPPORT[0].notes, key=KeySignature(9, "minor"))  # A minor: C major's notes
    model = VariableOrderMarkov().fit([*in_g, minor], max_order=2)
    assert model.key == KeySignature(7)
    for seed in range(5):
        assert metrics.key_consistency(model.generate(8, seed=seed), KeySignature(7)) == 1.0


def test_low_temperature_follows_the_most_frequent_continuation():
    # After C comes D three times and E once; other notes have one continuation each.
    clip = tune([(60, 24), (62, 24), (60, 24), (62, 24), (60, 24), (62, 24), (60, 24), (64, 24)])
    model = VariableOrderMarkov().fit([clip], max_order=1)
    for seed in range(10):
        melody = model.generate(2, seed=seed, temperature=0.05)
        pitches = [n.pitch for n in melody.notes]
        assert all(b == 62 for a, b in zip(pitches, pitches[1:]) if a == 60)
    hot = [model.generate(4, seed=s, temperature=3.0) for s in range(20)]
    assert any(64 in (n.pitch for n in m.notes) for m in hot)


def test_higher_orders_replay_longer_runs_of_the_support():
    low = VariableOrderMarkov().fit(SUPPORT, max_order=1)
    high = VariableOrderMarkov().fit(SUPPORT, max_order=4)
    seeds = range(30)
    low_runs = [metrics.longest_shared_run(low.generate(8, seed=s), SUPPORT) for s in seeds]
    high_runs = [metrics.longest_shared_run(high.generate(8, seed=s), SUPPORT) for s in seeds]
    assert sum(high_runs) > 1.5 * sum(low_runs)
    assert metrics.copy_rate([high.generate(8, seed=s) for s in seeds], SUPPORT) >= \
        metrics.copy_rate([low.generate(8, seed=s) for s in seeds], SUPPORT)
    # max_order at generation caps the fitted order.
    assert high.generate(8, seed=3, max_order=1) == low.generate(8, seed=3)


def test_order_zero_draws_from_the_unigram_distribution():
    model = VariableOrderMarkov().fit(SUPPORT, max_order=0)
    melody = model.generate(4, seed=2)
    support_pitches = {n.pitch for m in SUPPORT for n in m.notes}
    assert {n.pitch for n in melody.notes} <= support_pitches
    assert_complete_bars(melody, 4)


def test_generation_is_fast():
    model = VariableOrderMarkov().fit(SUPPORT, max_order=4)
    start = time.perf_counter()
    for seed in range(20):
        model.generate(16, seed=seed)
    assert (time.perf_counter() - start) / 20 < 0.01


def test_errors():
    with pytest.raises(AdaptationError):
        VariableOrderMarkov().generate(4, seed=0)
    with pytest.raises(AdaptationError):
        VariableOrderMarkov().fit([Melody(())])
    model = VariableOrderMarkov().fit(SUPPORT)
    with pytest.raises(ValueError):
        model.generate(0, seed=0)
    with pytest.raises(ValueError):
        model.generate(4, seed=0, temperature=0.0)
    with pytest.raises(ValueError):
        VariableOrderMarkov().fit(SUPPORT, max_order=-1)
