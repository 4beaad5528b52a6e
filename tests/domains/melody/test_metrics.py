"""Tests for the evaluation metrics: features, KDE overlap, key, groove and novelty."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from studio.core.melody import KeySignature, Melody, Note
from studio.domains.melody import metrics

C_MAJOR_SCALE = (60, 62, 64, 65, 67, 69, 71, 72)


def line(pitches, durations=24, gaps=0, start=0, **kwargs) -> Melody:
    """A melody from pitches with one duration (or a list) and a constant gap between notes."""
    durations = [durations] * len(pitches) if isinstance(durations, int) else durations
    notes, time = [], start
    for pitch, duration in zip(pitches, durations, strict=True):
        notes.append(Note(pitch, time, duration))
        time += duration + gaps
    return Melody(tuple(notes), **kwargs)


def random_tune(rng: random.Random, low: int, high: int, durations: tuple[int, ...], bars: int = 4,
                pool: tuple[int, ...] = tuple(range(12))) -> Melody:
    """Random pitches of the pitch classes in ``pool`` within low..high, filling ``bars`` of 4/4."""
    choices = [p for p in range(low, high + 1) if p % 12 in pool]
    pitches, lengths, total = [], [], 0
    while total < bars * 96:
        duration = min(rng.choice(durations), bars * 96 - total)
        pitches.append(rng.choice(choices))
        lengths.append(duration)
        total += duration
    return line(pitches, lengths)


# --- features ---------------------------------------------------------------------------------


def test_features_of_a_c_major_scale():
    features = metrics.melody_features(line(C_MAJOR_SCALE))
    assert set(features) == set(metrics.FEATURES)
    assert features["pitch_count"][0] == 8
    assert features["pitch_range"][0] == 12
    assert features["mean_interval"][0] == pytest.approx(12 / 7)
    assert features["note_count"][0] == 8
    assert features["mean_ioi"][0] == pytest.approx(1.0)
    histogram = features["pitch_class_histogram"]
    assert histogram[0] == pytest.approx(0.25) and histogram.sum() == pytest.approx(1.0)
    assert histogram[[1, 3, 6, 8, 10]].sum() == 0
    transitions = features["pitch_class_transitions"].reshape(12, 12)
    assert transitions.sum() == pytest.approx(1.0)
    assert transitions[0, 2] == pytest.approx(1 / 7) and transitions[11, 0] == pytest.approx(1 / 7)
    lengths = features["note_length_histogram"]
    assert lengths[metrics.NOTE_LENGTH_CLASSES.index(24)] == 1.0
    assert features["note_length_transitions"].reshape(12, 12)[2, 2] == pytest.approx(1.0)


def test_note_lengths_take_the_nearest_of_the_twelve_classes():
    durations = [96, 72, 36, 9, 32, 16, 8, 7, 200, 3]
    expected = [96, 72, 36, 9, 32, 16, 8, 6, 96, 6]  # 7 ties 6 and 8: the first class listed
    histogram = metrics.melody_features(line([60] * len(durations), durations))["note_length_histogram"]
    for length in set(expected):
        share = expected.count(length) / len(expected)
        assert histogram[metrics.NOTE_LENGTH_CLASSES.index(length)] == pytest.approx(share)


def test_mean_ioi_counts_rests_and_is_in_quarter_notes():
    features = metrics.melody_features(line([60, 62, 64], durations=12, gaps=12))
    assert features["mean_ioi"][0] == pytest.approx(1.0)


def test_empty_and_single_note_melodies_have_zero_features():
    for melody in (Melody(()), line([60])):
        features = metrics.melody_features(melody)
        assert features["mean_interval"][0] == 0 and features["mean_ioi"][0] == 0
        assert features["pitch_class_transitions"].sum() == 0
    assert metrics.melody_features(line([60]))["pitch_count"][0] == 1


def test_intra_set_distances_leave_out_self_pairs():
    features = np.array([[0.0], [3.0], [4.0]])
    assert sorted(metrics.intra_set_distances(features)) == [1.0, 3.0, 4.0]


# --- densities ----------------------------------------------------------------------------------


def test_bandwidth_rules():
    samples = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    std = samples.std(ddof=1)
    assert metrics.scott_bandwidth(samples) == pytest.approx(std * 5 ** -0.2)
    assert metrics.silverman_bandwidth(samples) == pytest.approx(std * 3.75 ** -0.2)
    assert metrics.scott_bandwidth(np.array([2.0])) == 0.0


def test_binned_kde_matches_the_direct_sum_and_integrates_to_one():
    samples = np.random.default_rng(0).gamma(2.0, 1.0, size=300)
    pair = metrics.shared_densities(samples, samples + 2.0)
    bandwidth = pair.bandwidths[0]
    direct = np.exp(-0.5 * ((pair.grid[:, None] - samples[None, :]) / bandwidth) ** 2).sum(axis=1)
    direct /= len(samples) * bandwidth * math.sqrt(2 * math.pi)
    assert np.abs(pair.first - direct).max() < 1e-3 * direct.max()
    for density in (pair.first, pair.second):
        area = ((density[1:] + density[:-1]) * np.diff(pair.grid)).sum() / 2
        assert area == pytest.approx(1.0, abs=1e-3)
    # One grid for both, covering the union of both ranges.
    assert pair.grid[0] < samples.min() and pair.grid[-1] > samples.max() + 2.0


def test_overlapping_area_and_kl_divergence():
    rng = np.random.default_rng(1)
    samples = rng.normal(size=400)
    assert metrics.overlapping_area(samples, samples) == pytest.approx(1.0, abs=1e-3)
    assert metrics.overlapping_area(samples, samples + 20.0) < 1e-3
    # Two unit normals one apart overlap by 2 * Phi(-1/2) = 0.617 (less a little KDE smoothing).
    assert metrics.overlapping_area(samples, samples + 1.0) == pytest.approx(0.617, abs=0.05)
    assert metrics.kl_divergence(samples, samples) == pytest.approx(0.0, abs=1e-6)
    assert metrics.kl_divergence(samples, samples + 1.0) == pytest.approx(0.5, abs=0.15)


def test_degenerate_distance_sets_use_the_bandwidth_floor():
    assert metrics.overlapping_area(np.zeros(5), np.zeros(9)) == pytest.approx(1.0, abs=1e-3)
    assert metrics.overlapping_area(np.zeros(5), np.ones(9)) < 1e-3
    assert metrics.overlapping_area(np.array([2.0]), np.array([2.0])) == pytest.approx(1.0, abs=1e-3)
    assert math.isfinite(metrics.kl_divergence(np.zeros(5), np.ones(9)))
    with pytest.raises(ValueError):
        metrics.overlapping_area(np.zeros(0), np.zeros(3))


def test_overlap_report_is_high_for_one_style_and_low_for_another():
    rng = random.Random(3)
    folk = [random_tune(rng, 60, 72, (12, 24, 36)) for _ in range(24)]
    more_folk = [random_tune(rng, 60, 72, (12, 24, 36)) for _ in range(12)]
    other = [random_tune(rng, 30, 100, (6, 96), pool=(1, 6)) for _ in range(12)]
    same = metrics.overlap_report(more_folk, folk)
    different = metrics.overlap_report(other, folk)
    assert set(same) == {*metrics.FEATURES, "mean_oa"}
    assert same["mean_oa"] == pytest.approx(np.mean([same[f] for f in metrics.FEATURES]))
    assert same["mean_oa"] > 0.8
    assert different["mean_oa"] < 0.2
    assert all(0.0 <= value <= 1.0 for value in (*same.values(), *different.values()))


def test_compare_sets_reports_kl_and_needs_two_references():
    rng = random.Random(4)
    tunes = [random_tune(rng, 60, 72, (12, 24)) for _ in range(5)]
    comparisons = metrics.compare_sets(tunes[:2], tunes)
    assert [c.feature for c in comparisons] == list(metrics.FEATURES)
    assert all(c.kl_divergence >= 0 and c.intra_mean >= 0 for c in comparisons)
    with pytest.raises(ValueError):
        metrics.overlap_report(tunes, tunes[:1])
    with pytest.raises(ValueError):
        metrics.overlap_report([], tunes)


# --- key and groove ------------------------------------------------------------------------------


def test_key_consistency():
    scale = line(C_MAJOR_SCALE)
    assert metrics.key_consistency(scale, KeySignature(0, "major")) == 1.0
    assert metrics.key_consistency(scale, KeySignature(9, "minor")) == 1.0
    # C# major holds C#, D#, F, F#, G#, A#, C: only the two Cs and F.
    assert metrics.key_consistency(scale, KeySignature(1, "major")) == pytest.approx(3 / 8)
    assert metrics.key_consistency(Melody(()), KeySignature(0)) == 1.0


def test_groove_consistency():
    repeated = line([60] * 16, [24, 12, 12, 48] * 4)
    assert metrics.groove_consistency(repeated) == 1.0
    assert metrics.groove_consistency(repeated, all_pairs=True) == 1.0
    # Quarters then eighths: four onsets (12, 36, 60, 84) differ between the two bars.
    two_bars = line([60] * 12, [24] * 4 + [12] * 8)
    assert metrics.groove_consistency(two_bars) == pytest.approx(1 - 4 / 96)
    assert metrics.groove_consistency(two_bars, resolution=12) == pytest.approx(1 - 4 / 8)
    # A pickup is left out; three bars compared pairwise differ in bars 1-2 and 2-3 only.
    with_pickup = line([55, 60, 60, 60, 60, 62, 62, 62, 62, 62, 62, 62, 62, 64, 64, 64, 64],
                       [24] + [24] * 4 + [12] * 8 + [24] * 4, pickup=24)
    assert metrics.groove_consistency(with_pickup) == pytest.approx(1 - 4 / 96)
    assert metrics.groove_consistency(with_pickup, all_pairs=True) == pytest.approx(1 - 8 / 3 / 96)
    assert metrics.groove_consistency(line([60, 62])) == 1.0
    with pytest.raises(ValueError):
        metrics.groove_consistency(two_bars, resolution=7)


# --- novelty ----------------------------------------------------------------------------------------


def brute_force_run(a: Melody, b: Melody, rhythm: bool) -> int:
    best = 1
    for i in range(len(a.notes)):
        for j in range(len(b.notes)):
            length = 1
            while i + length < len(a.notes) and j + length < len(b.notes):
                x0, x1 = a.notes[i + length - 1], a.notes[i + length]
                y0, y1 = b.notes[j + length - 1], b.notes[j + length]
                if x1.pitch - x0.pitch != y1.pitch - y0.pitch:
                    break
                if rhythm and x1.start - x0.start != y1.start - y0.start:
                    break
                length += 1
            best = max(best, length)
    return best


def test_longest_shared_run_of_a_transposed_copy_is_the_whole_melody():
    tune = line([60, 62, 64, 60, 67, 65, 64, 62, 60], [24, 12, 12, 24, 24, 12, 12, 24, 48])
    transposed = line([n.pitch + 5 for n in tune.notes], [n.duration for n in tune.notes], start=96)
    assert metrics.longest_shared_run(tune, [transposed]) == len(tune.notes)


def test_longest_shared_run_with_and_without_rhythm():
    tune = line([60, 62, 64, 65, 67, 69], [24, 24, 24, 24, 24, 24])
    swung = line([62, 64, 66, 67, 69, 71], [24, 24, 36, 12, 36, 12])
    assert metrics.longest_shared_run(tune, [swung], rhythm=False) == 6
    assert metrics.longest_shared_run(tune, [swung], rhythm=True) == 3
    # Articulation does not matter: the onsets are the same.
    staccato = line([60, 62, 64, 65, 67, 69], 12, gaps=12)
    assert metrics.longest_shared_run(tune, [staccato]) == 6


def test_longest_shared_run_takes_the_best_support_clip_and_matches_brute_force():
    rng = random.Random(5)
    tune = random_tune(rng, 60, 64, (12, 24))
    fragment = line([n.pitch - 3 for n in tune.notes[4:11]], [n.duration for n in tune.notes[4:11]])
    unrelated = line([90, 20, 90, 20], [7, 9, 11, 13])
    assert metrics.longest_shared_run(tune, [unrelated, fragment]) >= 7
    assert metrics.longest_shared_run(tune, [unrelated]) == 1
    assert metrics.longest_shared_run(tune, []) == 0
    assert metrics.longest_shared_run(Melody(()), [tune]) == 0
    for _ in range(20):
        a, b = random_tune(rng, 60, 63, (12, 24), 2), random_tune(rng, 60, 63, (12, 24), 2)
        for rhythm in (True, False):
            assert metrics.longest_shared_run(a, [b], rhythm) == brute_force_run(a, b, rhythm)


def test_copy_thresholds():
    assert metrics.copy_threshold(32) == 8
    assert metrics.copy_threshold(10) == 5
    assert metrics.copy_threshold(3) == 2
    source = line(list(range(60, 92)), 12)
    long_tune = line([80, 40] + list(range(50, 57)) + [90, 30] * 4, 12)  # shares 7 notes of 17
    assert metrics.longest_shared_run(long_tune, [source]) == 7
    assert not metrics.is_copy(long_tune, [source])
    longer = line([80, 40] + list(range(50, 58)) + [90, 30] * 4, 12)  # shares 8
    assert metrics.is_copy(longer, [source])
    short = line([80, 40, 30, 61, 62, 63, 64, 65, 20, 90], 12)  # shares 5 of 10: half
    assert metrics.is_copy(short, [source])
    assert not metrics.is_copy(line([80, 40, 30, 61, 62, 63, 64, 20, 90, 10], 12), [source])
    assert not metrics.is_copy(Melody(()), [source])
    assert metrics.copy_rate([longer, long_tune], [source]) == 0.5
    with pytest.raises(ValueError):
        metrics.copy_rate([], [source])


def test_human_copy_rate():
    a = line(list(range(60, 76)), 12)
    b = line([70, 40] + list(range(50, 60)) + [80, 30], 12)  # shares 10 notes with a
    c = line([60, 72, 61, 73, 62, 74, 63, 75], 24)
    # Pairs (a,b) and (b,a) are copies; the other four ordered pairs are not.
    assert metrics.human_copy_rate([a, b, c]) == pytest.approx(2 / 6)
    # Against both other tunes, a and b always find each other: 2 of 3 tunes.
    assert metrics.human_copy_rate([a, b, c], support_size=2, trials=3) == pytest.approx(2 / 3)
    assert metrics.human_copy_rate([a, b, c], support_size=2, seed=9) == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        metrics.human_copy_rate([a, b], support_size=2)
