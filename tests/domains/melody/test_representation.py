"""Tokens for melodies: exact round trips in every supported meter, the grammar that keeps bars
whole, a decoder that accepts anything, phrases and transposition."""

from __future__ import annotations

import random

import pytest

from studio.core.melody import KeySignature, Melody, Note
from studio.domains.melody.representation import (
    DURATIONS, VOCAB, GrammarState, RepresentationError, Vocabulary, allowed_next, bar_positions,
    decode, describe, encode, encode_with_report, grammar_state, is_valid, melody_key, phrases,
    nearest_shift, shift_pitches, transpose, transposition_shift,
)
from studio.errors import StudioError

C_MAJOR = KeySignature(0, "major")


def line(events: list[tuple[int | None, int]], start: int = 0) -> tuple[Note, ...]:
    """Notes from (pitch or None for a rest, duration) pairs laid end to end."""
    notes, cursor = [], start
    for pitch, duration in events:
        if pitch is not None:
            notes.append(Note(pitch, cursor, duration))
        cursor += duration
    return tuple(notes)


def roundtrip(melody: Melody) -> Melody:
    key = melody_key(melody)
    return decode(encode(melody), key, melody.tempo_bpm, melody.time_signature, melody.name)


# Melodies on the grid in every supported meter: triplets, 32nds, dotted notes, pickups,
# ties over bar lines, rests at the start and inside the pickup.
ON_GRID = {
    "4/4 sixteenths, 32nds, dotted": Melody(line([
        (60, 24), (62, 12), (64, 6), (65, 6), (67, 18), (69, 6), (71, 3), (72, 3), (74, 18),
        (72, 96), (None, 24), (67, 72),
    ]), 96, (4, 4), C_MAJOR, name="a"),
    "3/4 eighth triplets and a pickup": Melody(line([
        (67, 24), (72, 8), (74, 8), (76, 8), (77, 24), (79, 24), (77, 16), (76, 16), (74, 16),
        (72, 72),
    ]), 80, (3, 4), C_MAJOR, pickup=24, name="b"),
    "6/8 jig with an eighth pickup": Melody(line([
        (62, 12), (67, 12), (71, 12), (74, 12), (71, 24), (67, 12), (69, 36), (66, 36),
        (67, 72),
    ]), 120, (6, 8), KeySignature(7, "major"), pickup=12, name="c"),
    "2/4 sixteenth triplets and a tie over the bar line": Melody(line([
        (64, 4), (65, 4), (67, 4), (69, 12), (71, 12), (72, 36), (71, 6), (69, 6), (67, 48),
    ]), 100, (2, 4), C_MAJOR, name="d"),
    "2/4 starting with a rest, minor key": Melody(line([
        (None, 12), (69, 12), (72, 12), (76, 12), (75, 30), (74, 6), (72, 48),
    ]), 90, (2, 4), KeySignature(9, "minor"), name="e"),
    "4/4 pickup that begins with a rest": Melody(line([
        (None, 6), (59, 6), (60, 96), (64, 42), (62, 6), (60, 48),
    ]), 120, (4, 4), C_MAJOR, pickup=12, name="f"),
    "2/2 reel": Melody(line([(67, 12)] * 16 + [(72, 48), (71, 48)]), 200, (2, 2), C_MAJOR, name="g"),
    "9/8 slip jig": Melody(line([(64, 24), (67, 12)] * 6), 110, (9, 8), C_MAJOR, name="h"),
    "5/4 (METER_OTHER) with quarter triplets": Melody(line([
        (60, 16), (62, 16), (64, 16), (65, 24), (67, 48), (69, 120),
    ]), 100, (5, 4), C_MAJOR, name="i"),
    "3/8 with a note longer than a bar": Melody(line([(60, 12), (62, 12), (64, 84), (60, 36)]),
                                                 100, (3, 8), C_MAJOR, name="j"),
    "all pickup": Melody(line([(67, 12)]), 120, (6, 8), C_MAJOR, pickup=12, name="k"),
}


def test_vocabulary_is_compact_and_consistent() -> None:
    assert VOCAB.size == len(VOCAB.names) == len(set(VOCAB.names)) < 200
    for token in range(VOCAB.size):
        assert VOCAB.id(VOCAB.name(token)) == token
    assert VOCAB.name(VOCAB.note(0)) == "NOTE_+0" and VOCAB.name(VOCAB.duration(24)) == "DUR_24"
    assert VOCAB.meter((6, 8)) != VOCAB.meter((3, 4)) and VOCAB.meter((7, 8)) == VOCAB.meter_other
    assert VOCAB.meter_of(VOCAB.meter((2, 4))) == (2, 4) and VOCAB.meter_of(VOCAB.meter_other) is None
    with pytest.raises(ValueError):
        VOCAB.note(VOCAB.pitch_high + 1)
    with pytest.raises(ValueError):
        VOCAB.duration(5)
    with pytest.raises(ValueError):
        Vocabulary(durations=(6, 12))  # no 3 and 4: not every grid length could be written


@pytest.mark.parametrize("name", ON_GRID)
def test_on_grid_melodies_round_trip_exactly(name: str) -> None:
    melody = ON_GRID[name]
    report = encode_with_report(melody)
    assert report.exact, report.notices
    assert roundtrip(melody) == melody, describe(report.tokens)
    assert is_valid(report.tokens, melody.time_signature)


def test_token_layout_of_a_pickup_melody() -> None:
    melody = ON_GRID["6/8 jig with an eighth pickup"]
    tokens = encode(melody)
    assert describe(tokens[:7]) == "BOS METER_6/8 KEY_MAJOR NOTE_-5 DUR_12 BAR NOTE_+0"
    assert describe(tokens[-2:]) == "BAR EOS"
    no_pickup = encode(ON_GRID["4/4 sixteenths, 32nds, dotted"])
    assert describe(no_pickup[:4]) == "BOS METER_4/4 KEY_MAJOR BAR"
    tied = describe(encode(ON_GRID["2/4 sixteenth triplets and a tie over the bar line"]))
    assert "NOTE_+12 DUR_12 BAR TIE DUR_24" in tied and "NOTE_+7 DUR_12 BAR TIE DUR_36" in tied


def test_pitch_is_relative_to_the_tonic_and_transposition_moves_by_octaves() -> None:
    melody = ON_GRID["3/4 eighth triplets and a pickup"]
    base = encode(melody)
    for semitones in range(-7, 8):
        moved = transpose(melody, semitones)
        assert moved.key == KeySignature(semitones % 12, "major")
        shift = transposition_shift(melody.key, semitones)
        assert shift % 12 == 0
        assert encode(moved) == shift_pitches(base, shift)
        assert roundtrip(moved) == moved


def test_key_comes_from_argument_then_signature_then_estimate() -> None:
    melody = ON_GRID["6/8 jig with an eighth pickup"]
    assert encode_with_report(melody).key == melody.key
    assert encode_with_report(melody, C_MAJOR).key == C_MAJOR
    unsigned = Melody(melody.notes, 120, (6, 8), None, 12)
    assert encode_with_report(unsigned).key.tonic == 7  # G major by Krumhansl-Kessler


def test_off_grid_boundaries_snap_and_are_reported() -> None:
    quintuplet = Melody(line([(60, 5), (62, 5), (64, 5), (65, 5), (67, 4), (69, 72), (60, 1), (62, 95)]),
                        120, (4, 4), C_MAJOR)
    report = encode_with_report(quintuplet)
    assert not report.exact and report.snapped_ticks > 0 and report.dropped_notes == 1
    assert any("grid" in n for n in report.notices)
    decoded = decode(report.tokens, C_MAJOR, 120, (4, 4))
    assert encode_with_report(decoded).exact and encode(decoded) == list(report.tokens)
    assert decoded.length_ticks == quintuplet.length_ticks


def test_off_grid_pickup_snaps_to_a_representable_one() -> None:
    melody = Melody(line([(67, 2), (72, 96)]), 120, (4, 4), C_MAJOR, pickup=2)
    report = encode_with_report(melody)
    assert is_valid(report.tokens, (4, 4))
    decoded = decode(report.tokens, C_MAJOR, 120, (4, 4))
    assert decoded.pickup in (0, 3) and decoded.notes[-1].pitch == 72


def test_octave_shift_and_unrepresentable_melodies() -> None:
    low = Melody(line([(24, 24), (31, 24), (36, 48)]), 120, (4, 4), C_MAJOR)
    report = encode_with_report(low)
    assert report.octave_shift == 1 and "octave" in report.notices[0]
    assert decode(report.tokens, C_MAJOR, 120, (4, 4)).notes[0].pitch == 36
    with pytest.raises(RepresentationError) as empty:
        encode(Melody((), 120, (4, 4)))
    assert isinstance(empty.value, StudioError) and isinstance(empty.value, ValueError)
    with pytest.raises(RepresentationError, match="spans"):
        encode(Melody(line([(20, 24), (100, 24)]), 120, (4, 4), C_MAJOR))


def test_decode_never_raises_on_arbitrary_tokens() -> None:
    rng = random.Random(3)
    header = encode(ON_GRID["2/2 reel"])[:3]
    for trial in range(300):
        length = rng.randint(0, 120)
        tokens = [rng.randint(-3, VOCAB.size + 3) for _ in range(length)]
        if trial % 2:
            tokens = header + tokens
        melody = decode(tokens, KeySignature(rng.randint(0, 11)), 120, rng.choice([(4, 4), (6, 8), (7, 8)]))
        assert melody.pickup < melody.bar_ticks
        bar_positions(tokens, (3, 4))  # accepts anything too


def test_grammar_only_allows_sequences_of_whole_bars() -> None:
    rng = random.Random(11)
    for time_signature in [(4, 4), (3, 4), (6, 8), (2, 4), (5, 8)]:
        for target in (1, 4):
            state = GrammarState(time_signature, target_bars=target)
            tokens: list[int] = []
            while not state.finished:
                choices = sorted(state.allowed())
                assert choices, describe(tokens)
                token = rng.choice(choices)
                state.push(token)
                tokens.append(token)
                assert len(tokens) < 2000
            assert state.bars == target and is_valid(tokens, time_signature)
            melody = decode(tokens, C_MAJOR, 120, time_signature)
            assert melody.length_ticks <= melody.pickup + target * melody.bar_ticks
            if melody.notes:  # the grammar only makes what encode writes back exactly
                assert encode_with_report(melody).exact
                assert decode(encode(melody), C_MAJOR, 120, time_signature) == melody


def test_grammar_masks_durations_that_overflow_or_strand_the_bar() -> None:
    v = VOCAB
    tokens = [v.BOS, v.meter((4, 4)), v.MAJOR, v.BAR] + [v.note(0), v.duration(6)] * 15
    assert {v.name(t) for t in allowed_next(tokens + [v.REST])} == {"DUR_3", "DUR_6"}
    assert v.BAR not in allowed_next(tokens) and v.EOS not in allowed_next(tokens)
    full = tokens + [v.note(2), v.duration(6)]
    assert allowed_next(full) == {v.BAR}
    assert v.EOS in allowed_next(full + [v.BAR])
    assert allowed_next(full + [v.BAR], target_bars=1) == {v.EOS}
    assert v.EOS not in allowed_next(full + [v.BAR], target_bars=2)
    pickup = [v.BOS, v.meter((4, 4)), v.MAJOR, v.note(0)]
    durations = {v.ticks(t) for t in allowed_next(pickup)}
    assert 96 not in durations and 72 in durations  # a pickup is shorter than a bar
    assert v.TIE not in allowed_next([v.BOS, v.meter((4, 4)), v.MAJOR, v.BAR])
    with pytest.raises(ValueError):
        grammar_state(full + [v.note(0)])
    with pytest.raises(ValueError, match="time_signature"):
        allowed_next([v.BOS, v.meter_other])


def test_grammar_can_force_header_and_pitch_range() -> None:
    state = GrammarState((3, 4), pitch_range=(0, 7), mode="minor")
    state.push(VOCAB.BOS)
    assert state.allowed() == {VOCAB.meter((3, 4))}
    state.push(VOCAB.meter((3, 4)))
    assert state.allowed() == {VOCAB.MINOR}
    state.push(VOCAB.MINOR)
    state.push(VOCAB.BAR)
    notes = {VOCAB.relative_pitch(t) for t in state.allowed() if VOCAB.is_note(t)}
    assert notes == set(range(0, 8))
    assert sum(state.mask()) == len(state.allowed())
    clone = state.copy()
    clone.push(VOCAB.REST)
    assert state.pending is None and clone.pending == VOCAB.REST


def test_bar_positions_follow_the_pickup() -> None:
    melody = ON_GRID["6/8 jig with an eighth pickup"]
    tokens = encode(melody)
    positions = bar_positions(tokens, (6, 8))
    assert positions[3] == 60  # the pickup note sits an eighth before the bar line
    bars = [i for i, t in enumerate(tokens) if t == VOCAB.BAR]
    assert all(positions[i] == 0 for i in bars)
    assert positions[bars[0] + 3] == 12  # the second note of the first full bar


def test_phrases_cut_at_bar_lines_and_keep_the_pickup() -> None:
    body = [(60 + i % 5, 24) for i in range(38)] + [(60, 48)]  # ten bars after the pickup
    melody = Melody(line([(55, 24)] + body), 100, (4, 4), C_MAJOR, pickup=24, name="t")
    parts = phrases(melody, 4)
    assert [p.pickup for p in parts] == [24, 0, 0]
    assert [len(p.notes) for p in parts] == [17, 16, 7]
    assert parts[0].name == "t (phrase 1)" and parts[1].key == C_MAJOR
    assert parts[1].notes[0].start == 0 and parts[2].notes[-1].end == 2 * 96
    for part in parts:
        assert roundtrip(part) == part
    held = Melody(line([(60, 96 * 3 + 48), (62, 48)]), 100, (4, 4), C_MAJOR)
    first, second = phrases(held, 2)
    assert first.notes[0].duration == 192 and second.notes[0].start == 96 + 48
    with pytest.raises(ValueError):
        phrases(melody, 0)


def test_transpose_checks_the_midi_range() -> None:
    melody = ON_GRID["4/4 sixteenths, 32nds, dotted"]
    assert transpose(melody, 12).notes[0].pitch == 72 and transpose(melody, 0) == melody
    with pytest.raises(ValueError):
        transpose(melody, 60)
    assert shift_pitches(encode(melody), 40) is None


def test_durations_cover_the_issue_grid() -> None:
    assert {3, 4, 6, 8, 9, 12, 16, 18, 24, 32, 36, 48, 72, 96} == set(DURATIONS)


def test_nearest_shift_takes_the_smaller_way_round() -> None:
    assert nearest_shift(2, 11) == -3 and nearest_shift(11, 2) == 3
    assert nearest_shift(0, 6) == 6 and nearest_shift(0, 7) == -5 and nearest_shift(4, 4) == 0
