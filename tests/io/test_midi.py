"""MIDI import/export: files are built here with mido, malformed ones from annotated bytes."""

from __future__ import annotations

import io
import random
import struct

import mido
import pytest

from studio.core.melody import KeySignature, Melody, Note
from studio.core.samples import Domain, MelodyFacts
from studio.errors import SampleLoadError
from studio.io import midi
from studio.io.midi import CHORD_NOTICE, load_midi_sample, read_midi, write_midi

TPB = 480  # file ticks per quarter in these tests; 20 file ticks = 1 grid tick


Event = tuple[int, "mido.Message | mido.MetaMessage"]


def smf(*tracks: list[Event], type: int = 1, tpb: int = TPB) -> bytes:
    """A MIDI file whose tracks are lists of (absolute tick, message)."""
    midi = mido.MidiFile(type=type, ticks_per_beat=tpb)
    for events in tracks:
        track, now = mido.MidiTrack(), 0
        for tick, message in sorted(events, key=lambda event: event[0]):
            track.append(message.copy(time=tick - now))
            now = tick
        midi.tracks.append(track)
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def line(
    pitches_and_quarters: list[tuple[int, float]], start: float = 0, channel: int = 0,
    tpb: int = TPB,
) -> list[Event]:
    """Note on/off events for consecutive notes given as (pitch, length in quarters)."""
    events, now = [], start
    for pitch, quarters in pitches_and_quarters:
        begin, end = round(now * tpb), round((now + quarters) * tpb)
        events.append((begin, mido.Message("note_on", note=pitch, velocity=90, channel=channel)))
        events.append((end, mido.Message("note_off", note=pitch, channel=channel)))
        now += quarters
    return events


def meta(tick: int, kind: str, **fields) -> tuple[int, mido.MetaMessage]:
    return (tick, mido.MetaMessage(kind, **fields))


def pitches(melody: Melody) -> list[int]:
    return [n.pitch for n in melody.notes]


# ---------------------------------------------------------------- well-formed files


def test_type_0_file_reads_notes_tempo_and_name():
    data = smf(
        [meta(0, "track_name", name="Tune"), meta(0, "set_tempo", tempo=mido.bpm2tempo(90))]
        + line([(60, 1), (62, 0.5), (64, 0.5), (65, 2)]),
        type=0,
    )
    melody = read_midi("songs/tune.mid", data)
    assert melody.notes == (
        Note(60, 0, 24, 90), Note(62, 24, 12, 90), Note(64, 36, 12, 90), Note(65, 48, 48, 90)
    )
    assert melody.tempo_bpm == 90.0
    assert melody.time_signature == (4, 4)
    assert melody.key is None
    assert melody.name == "Tune"
    assert melody.notices == ()


def test_type_1_tracks_and_channels_merge_and_name_falls_back_to_stem():
    conductor = [meta(0, "time_signature", numerator=3, denominator=4)]
    first = line([(60, 1), (62, 1)])
    second = line([(64, 1), (65, 1)], start=2, channel=3)
    melody = read_midi("dir/waltz.mid", smf(conductor, first, second))
    assert pitches(melody) == [60, 62, 64, 65]
    assert melody.time_signature == (3, 4)
    assert melody.bar_ticks == 72
    assert melody.name == "waltz"


def test_six_eight_meter():
    data = smf([meta(0, "time_signature", numerator=6, denominator=8)] + line([(67, 1.5)] * 4))
    melody = read_midi("jig.mid", data)
    assert melody.time_signature == (6, 8)
    assert melody.bars == 2


def test_key_signature_is_read_and_a_change_is_noticed():
    data = smf(
        [meta(0, "key_signature", key="Em"), meta(4 * TPB, "key_signature", key="G")]
        + line([(64, 1)] * 8)
    )
    melody = read_midi("k.mid", data)
    assert melody.key == KeySignature(4, "minor")
    assert any("key signature changes (E minor, G major)" in n for n in melody.notices)


@pytest.mark.parametrize(
    "name, tonic, mode", [("Cb", 11, "major"), ("F#m", 6, "minor"), ("Bbm", 10, "minor")]
)
def test_key_signature_names(name, tonic, mode):
    melody = read_midi("k.mid", smf([meta(0, "key_signature", key=name)] + line([(60, 1)])))
    assert melody.key == KeySignature(tonic, mode)


def test_tempo_map_keeps_the_dominant_tempo_with_a_notice():
    tempos = [meta(0, "set_tempo", tempo=mido.bpm2tempo(100)),
              meta(TPB, "set_tempo", tempo=mido.bpm2tempo(140))]
    melody = read_midi("t.mid", smf(tempos + line([(60, 1)] * 4)))
    assert melody.tempo_bpm == 140.0
    assert [n for n in melody.notices if "tempo changes" in n] == [
        "tempo changes (100, 140 BPM); the melody keeps 140 BPM"
    ]
    # A tempo event repeating the same value is no change; one after the last note is irrelevant.
    quiet = [meta(0, "set_tempo", tempo=600000), meta(TPB, "set_tempo", tempo=600000),
             meta(8 * TPB, "set_tempo", tempo=300000)]
    assert read_midi("t.mid", smf(quiet + line([(60, 1)] * 4))).notices == ()


def test_time_signature_change_is_noticed_and_the_first_kept():
    meters = [meta(0, "time_signature", numerator=3, denominator=4),
              meta(3 * TPB, "time_signature", numerator=2, denominator=4)]
    melody = read_midi("m.mid", smf(meters + line([(60, 1)] * 6)))
    assert melody.time_signature == (3, 4)
    assert "time signature changes (3/4, 2/4); the melody keeps 3/4" in melody.notices


def test_drums_are_ignored_with_a_notice():
    drums = line([(36, 0.5)] * 8, channel=9)
    melody = read_midi("d.mid", smf(line([(60, 2), (62, 2)]), drums))
    assert pitches(melody) == [60, 62]
    assert "8 drum notes (channel 10) ignored" in melody.notices


def test_chords_reduce_to_the_top_line_with_a_notice():
    chord = line([(60, 2), (65, 2)]) + line([(64, 2), (69, 2)]) + line([(67, 2), (72, 2)])
    melody = read_midi("c.mid", smf(chord))
    assert pitches(melody) == [67, 72]
    assert CHORD_NOTICE in melody.notices


def test_accompaniment_under_a_held_melody_note_is_dropped():
    tune = line([(72, 4)])
    bass = line([(48, 1), (52, 1), (55, 1), (52, 1)])
    melody = read_midi("a.mid", smf(tune, bass))
    assert melody.notes == (Note(72, 0, 96, 90),)
    assert CHORD_NOTICE in melody.notices


def test_legato_overlap_is_trimmed_without_a_chord_notice():
    events = [
        (0, mido.Message("note_on", note=67, velocity=80)),
        (TPB + 40, mido.Message("note_off", note=67)),  # overlaps the next note by 2 grid ticks
        (TPB, mido.Message("note_on", note=65, velocity=80)),
        (2 * TPB, mido.Message("note_off", note=65)),
    ]
    melody = read_midi("l.mid", smf(events))
    assert melody.notes == (Note(67, 0, 24, 80), Note(65, 24, 24, 80))
    assert melody.notices == ()


def test_unison_doubling_is_no_chord():
    melody = read_midi("u.mid", smf(line([(60, 1), (62, 1)]), line([(60, 1), (62, 1)], channel=1)))
    assert pitches(melody) == [60, 62]
    assert melody.notices == ()


def test_triplets_quantise_exactly():
    melody = read_midi("tri.mid", smf(line([(60, 1 / 3)] * 3 + [(62, 1 / 6)] * 6)))
    assert [n.start for n in melody.notes] == [0, 8, 16, 24, 28, 32, 36, 40, 44]
    assert {n.duration for n in melody.notes} == {8, 4}


def test_odd_resolution_rounds_to_the_grid():
    # 96 ticks per quarter: a sixteenth is 24 file ticks (6 grid ticks); a 1-tick blip lasts 1 tick.
    events = line([(60, 0.25), (62, 0.25)], tpb=96) + [
        (48, mido.Message("note_on", note=64, velocity=70)),
        (49, mido.Message("note_off", note=64)),
    ]
    melody = read_midi("r.mid", smf(events, tpb=96))
    assert melody.notes == (Note(60, 0, 6, 90), Note(62, 6, 6, 90), Note(64, 12, 1, 70))


def test_velocity_zero_note_on_is_a_note_off():
    events = [
        (0, mido.Message("note_on", note=60, velocity=100)),
        (TPB, mido.Message("note_on", note=60, velocity=0)),
        (TPB, mido.Message("note_on", note=62, velocity=100)),
        (3 * TPB, mido.Message("note_on", note=62, velocity=0)),
    ]
    melody = read_midi("v.mid", smf(events, type=0))
    assert melody.notes == (Note(60, 0, 24, 100), Note(62, 24, 48, 100))


def test_unmatched_note_off_is_ignored_and_hanging_notes_end_with_their_track():
    events = [
        (0, mido.Message("note_off", note=50)),  # nothing to end
        (0, mido.Message("note_on", note=60, velocity=64)),
        (TPB, mido.Message("note_off", note=60)),
        (TPB, mido.Message("note_on", note=62, velocity=64)),  # never released
        (4 * TPB, mido.MetaMessage("text", text="end")),
    ]
    melody = read_midi("h.mid", smf(events))
    assert melody.notes == (Note(60, 0, 24, 64), Note(62, 24, 72, 64))
    assert "1 note(s) without a note-off ended with their track" in melody.notices


def test_a_repeated_note_on_restrikes_the_pitch():
    events = [
        (0, mido.Message("note_on", note=60, velocity=64)),
        (TPB, mido.Message("note_on", note=60, velocity=64)),
        (2 * TPB, mido.Message("note_off", note=60)),
    ]
    assert read_midi("s.mid", smf(events)).notes == (Note(60, 0, 24, 64), Note(60, 24, 24, 64))


def test_utf8_track_name():
    name = "Chanson d'été"
    as_mido_reads_it = name.encode("utf-8").decode("latin-1")
    data = smf([meta(0, "track_name", name=as_mido_reads_it)] + line([(60, 1)]))
    assert read_midi("x.mid", data).name == name


def test_pickup_written_as_the_end_of_a_first_bar():
    # A sequencer's anacrusis: bar 1 is silent but for its last beat.
    melody = read_midi("p.mid", smf(line([(67, 1), (72, 4)], start=3)))
    assert melody.pickup == 24
    assert melody.notes[0].start == 0 and melody.bars == 2


def test_pickup_written_as_a_partial_first_bar():
    # A notation program's anacrusis: a 1/4 bar at tick 0, then 3/4.
    meters = [meta(0, "time_signature", numerator=1, denominator=4),
              meta(TPB, "time_signature", numerator=3, denominator=4)]
    melody = read_midi("p.mid", smf(meters + line([(67, 1), (72, 3), (71, 3)])))
    assert melody.time_signature == (3, 4)
    assert melody.pickup == 24
    assert not any("time signature" in n for n in melody.notices)


def test_a_long_opening_rest_is_kept_as_a_rest_not_a_pickup():
    melody = read_midi("r.mid", smf(line([(60, 3), (62, 4)], start=1)))
    assert melody.pickup == 0
    assert melody.notes[0].start == 24


def test_empty_leading_bars_are_dropped():
    melody = read_midi("e.mid", smf(line([(60, 4)], start=8)))
    assert melody.notes[0].start == 0 and melody.pickup == 0
    assert "silence before the first note removed" in melody.notices


def test_rmid_container_is_unwrapped():
    inner = smf(line([(60, 1)]))
    chunk = b"data" + struct.pack("<L", len(inner)) + inner
    riff = b"RIFF" + struct.pack("<L", 4 + len(chunk)) + b"RMID" + chunk
    assert pitches(read_midi("x.rmi", riff)) == [60]


def test_load_midi_sample():
    tempo = meta(0, "set_tempo", tempo=mido.bpm2tempo(100))
    data = smf([tempo] + line([(60, 1), (64, 1), (67, 2)]))
    sample = load_midi_sample("/home/me/arpeggio.mid", data)
    assert (sample.name, sample.path, sample.domain, sample.data) == (
        "arpeggio.mid", "/home/me/arpeggio.mid", Domain.MELODY, data)
    assert isinstance(sample.facts, MelodyFacts)
    assert (sample.facts.notes, sample.facts.tempo_bpm, sample.facts.meter) == (3, 100.0, "4/4")
    assert sample.melody is not None and len(sample.melody.notes) == 3


# ---------------------------------------------------------------- write and read back


@pytest.mark.parametrize("tpb", [480, 96, 24, 960])
@pytest.mark.parametrize(
    "melody",
    [
        Melody((Note(60, 0, 24), Note(60, 24, 24, 100), Note(67, 48, 8, 1), Note(65, 56, 8, 127),
                Note(64, 64, 3), Note(62, 80, 16)), 120.0, (4, 4), KeySignature(0), 0, "one"),
        Melody((Note(67, 0, 12), Note(72, 12, 60), Note(71, 84, 12)), 133.0, (6, 8),
               KeySignature(9, "minor"), 12, "pickup"),
        Melody((Note(55, 50, 1), Note(127, 51, 200)), 97.35, (3, 4), None, 0, "rest first"),
        Melody((Note(0, 0, 20), Note(1, 20, 1)), 72.0, (5, 8), KeySignature(6), 20, "five"),
        Melody((Note(70, 0, 24),), 300.0, (2, 2), KeySignature(3, "minor"), 0, "Mélodie ✓"),
    ],
    ids=lambda value: getattr(value, "name", None),
)
def test_write_then_read_round_trips(melody, tpb):
    back = read_midi("out.mid", write_midi(melody, ticks_per_beat=tpb))
    assert back == melody  # notes, tempo, meter, key, pickup and name
    assert back.notices == ()


def test_every_key_round_trips():
    for mode in ("major", "minor"):
        for tonic in range(12):
            melody = Melody((Note(60, 0, 24),), key=KeySignature(tonic, mode), name="k")
            assert read_midi("k.mid", write_midi(melody)).key == melody.key


def test_written_file_is_plain_type_1():
    midi = mido.MidiFile(file=io.BytesIO(write_midi(Melody((Note(60, 0, 24),), name="a"))))
    assert (midi.type, midi.ticks_per_beat, len(midi.tracks)) == (1, 480, 2)


def test_write_refuses_a_resolution_off_the_grid():
    with pytest.raises(ValueError, match="multiple of 24"):
        write_midi(Melody((Note(60, 0, 24),)), ticks_per_beat=100)


# ---------------------------------------------------------------- refusals


def header(fmt: int, tracks: int, division: int) -> bytes:
    """MThd, length 6, then format, track count and division as big-endian 16-bit words."""
    return b"MThd" + struct.pack(">LHHH", 6, fmt, tracks, division)


ONE_NOTE = (
    b"\x00\x90\x3c\x40"  # delta 0, note_on channel 1, middle C, velocity 64
    b"\x60\x80\x3c\x00"  # delta 96, note_off
    b"\x00\xff\x2f\x00"  # delta 0, end of track
)


def mtrk(body: bytes, declared: int | None = None) -> bytes:
    return b"MTrk" + struct.pack(">L", len(body) if declared is None else declared) + body


def refused(data: bytes, path: str = "bad.mid") -> SampleLoadError:
    with pytest.raises(SampleLoadError) as caught:
        read_midi(path, data)
    assert caught.value.path == path
    return caught.value


def test_annotated_bytes_make_a_valid_file():
    assert pitches(read_midi("ok.mid", header(0, 1, 96) + mtrk(ONE_NOTE))) == [60]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "the file is empty (0 bytes)"),
        (b"These are my notes: C D E F G\n", "MThd not found: probably not a MIDI file"),
        (b"MThd\x00\x00", "the file is truncated inside its MIDI header"),
        (b"MThd\x00\x00\x00\x02\x00\x00\x00\x01", "the file is truncated inside its MIDI header"),
        (header(2, 1, 96) + mtrk(ONE_NOTE),
         "MIDI type 2 (independent sequences) is not supported; export as type 0 or 1"),
        (header(3, 1, 96) + mtrk(ONE_NOTE), "unknown MIDI type 3; only types 0 and 1"),
        (header(1, 1, 0) + mtrk(ONE_NOTE), "ticks per quarter note is 0, which is impossible"),
        # 0xE728: -25 frames per second, 40 ticks per frame.
        (header(1, 1, 0xE728) + mtrk(ONE_NOTE), "uses SMPTE time division (frames per second)"),
        (header(1, 0, 96), "contains no tracks, so no notes"),
        (header(1, 1, 96) + mtrk(ONE_NOTE, declared=100), "the file is truncated"),
        (header(1, 2, 96) + mtrk(ONE_NOTE), "the file is truncated"),  # a track is missing
        # Running status with no status before it.
        (header(1, 1, 96) + mtrk(b"\x00\x3c\x40"), "the MIDI data is damaged"),
        # Undefined status byte 0xF4.
        (header(1, 1, 96) + mtrk(b"\x00\xf4\x00"), "the MIDI data is damaged"),
        # Key signature meta (FF 59 02) with 10 sharps.
        (header(1, 1, 96) + mtrk(b"\x00\xff\x59\x02\x0a\x00"), "the MIDI data is damaged"),
        (header(1, 1, 96) + mtrk(b"\x00\xff\x2f\x00"), "contains no notes (drums are ignored)"),
        (b"RIFF\x04\x00\x00\x00RMID", "RIFF MIDI (RMID) file without a MIDI data chunk"),
    ],
    ids=["zero-bytes", "text", "short-header", "header-length", "type-2", "type-3", "tpb-0",
         "smpte", "no-tracks", "truncated-track", "missing-track", "running-status", "bad-status",
         "bad-key", "no-notes", "rmid-empty"],
)
def test_malformed_files_are_refused_clearly(data, reason):
    assert reason in refused(data).reason


def test_drums_only_is_refused():
    error = refused(smf(line([(36, 1)] * 4, channel=9)))
    assert error.reason == "contains no notes (drums are ignored)"


def test_text_named_mid_is_refused():
    error = refused(b"MIDI file\nC4 D4 E4\n", "melody.mid")
    assert error.reason == "MThd not found: probably not a MIDI file"


def test_absurd_length_is_refused():
    # One note held for two hours: a 24-bit delta near its maximum, at 1 tick per quarter.
    events = [(0, mido.Message("note_on", note=60, velocity=64)),
              (7200 * 2, mido.Message("note_off", note=60))]
    assert "too long for a melody clip (120 minutes" in refused(smf(events, tpb=1)).reason


def test_too_many_notes_are_refused():
    body = b"".join(b"\x00\x90\x3c\x40" b"\x01\x80\x3c\x00" for _ in range(20_001))
    data = header(0, 1, 24) + mtrk(body + b"\x00\xff\x2f\x00")
    assert "too long for a melody clip (20001 notes" in refused(data).reason


def test_oversized_file_is_refused():
    assert "a melody clip must be under 4 MiB" in refused(b"MThd" + bytes(5 * 2**20)).reason


def test_errors_chain_the_parser_exception():
    error = refused(header(1, 1, 96) + mtrk(ONE_NOTE, declared=100))
    assert isinstance(error.__cause__, EOFError)


def test_random_damage_never_leaks_a_raw_exception():
    conductor = [meta(0, "time_signature", numerator=3, denominator=4),
                 meta(0, "key_signature", key="D"), meta(0, "set_tempo", tempo=400000)]
    good = smf(conductor + line([(62, 1), (66, 0.5), (69, 0.5)] * 4))
    rng = random.Random(1234)
    for _ in range(400):
        data = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            del data[rng.randrange(len(data)):]
        try:
            melody = read_midi("fuzz.mid", bytes(data))
        except SampleLoadError:
            continue
        assert isinstance(melody, Melody)


# ------------------------------------------------------- work bounded while reading


DENSE = b"\x00\x3c\x00\x00\x3e\x40"  # two running-status note events, three bytes each


def test_dense_running_status_is_refused_while_reading():
    # The hostile test's 3.9 MB file of running status (1.3 million events) took mido 13 s.
    data = header(0, 1, 96) + mtrk(b"\x00\x90\x3c\x40" + DENSE * 650_000 + b"\x00\xff\x2f\x00")
    assert len(data) > 3_900_000
    error = refused(data)
    assert error.reason.startswith(f"too complex for a melody clip (over {midi.MAX_EVENTS} events)")


def test_the_event_limit_is_checked_before_the_rest_is_read(monkeypatch):
    monkeypatch.setattr(midi, "MAX_EVENTS", 500)
    # 1,000 events and then a byte no writer produces: the limit speaks first
    data = header(0, 1, 96) + mtrk(b"\x00\x90\x3c\x40" + DENSE * 500 + b"\x00\xf4\x00")
    assert "over 500 events" in refused(data).reason
    monkeypatch.setattr(midi, "MAX_EVENTS", 5000)
    assert "damaged (undefined status byte 0xf4)" in refused(data).reason


def test_events_of_all_tracks_count_together(monkeypatch):
    monkeypatch.setattr(midi, "MAX_EVENTS", 1500)
    track = mtrk(b"\x00\x90\x3c\x40" + DENSE * 300 + b"\x00\xff\x2f\x00")  # 602 events
    assert read_midi("ok.mid", header(1, 2, 96) + track * 2).notes
    assert "over 1500 events" in refused(header(1, 3, 96) + track * 3).reason


TEMPO = b"\x01\xff\x51\x03\x07\xa1\x20"  # delta 1, set_tempo 500000


@pytest.mark.parametrize("event, what", [
    (TEMPO, "tempo changes"),
    (b"\x01\xff\x58\x04\x03\x02\x18\x08", "time signatures"),  # 3/4
    (b"\x01\xff\x59\x02\x02\x00", "key signatures"),  # D major
])
def test_tempo_meter_and_key_maps_are_bounded(event, what):
    # The hostile test's file of 550,000 tempo changes was accepted after 6-9 s.
    body = b"\x00\x90\x3c\x40" + event * (midi.MAX_MAP_EVENTS + 1) + b"\x00\x80\x3c\x00\x00\xff\x2f\x00"
    assert f"over {midi.MAX_MAP_EVENTS} {what}" in refused(header(0, 1, 96) + mtrk(body)).reason
    body = b"\x00\x90\x3c\x40" + event * midi.MAX_MAP_EVENTS + b"\x00\x80\x3c\x00\x00\xff\x2f\x00"
    assert pitches(read_midi("ok.mid", header(0, 1, 96) + mtrk(body))) == [60]


@pytest.mark.parametrize("body, reason", [
    (b"\x00\xff\x51\x02\x07\xa1" + ONE_NOTE, "a tempo event shorter than 3 bytes"),
    (b"\x00\xff\x58\x01\x03" + ONE_NOTE, "a time signature shorter than 2 bytes"),
    (b"\x00\xff\x58\x04\x03\x40\x18\x08" + ONE_NOTE, "a time signature with denominator 2^64"),
    (b"\x00\xff\x59\x02\x00\x02" + ONE_NOTE, "a key signature of 0 sharps, mode 2"),
    (b"\x00\x90\x3c\xc0" + ONE_NOTE, "a data byte is over 127"),
    (b"\xff\xff\xff\xff\x7f\x90\x3c\x40" + ONE_NOTE, "a delta time longer than four bytes"),
    (b"\x00\xf0\xff\xff\xff\xff\x7f" + ONE_NOTE, "a length longer than four bytes"),
])
def test_damaged_events_are_named(body, reason):
    assert f"the MIDI data is damaged ({reason})" in refused(header(0, 1, 96) + mtrk(body)).reason


@pytest.mark.parametrize("body", [
    b"\x00\x90\x3c", b"\x00\xff\x51\x03\x07", b"\x00\xf0\x05\x01", b"\x00\xff", b"\x81",
])
def test_a_track_cut_inside_an_event_is_truncated(body):
    assert refused(header(0, 1, 96) + mtrk(body)).reason.startswith("the file is truncated: it ends inside")


def test_what_mido_read_still_reads():
    alien = b"XFIH" + struct.pack(">L", 3) + b"abc"  # a vendor chunk before the track
    sysex = b"\x00\xf0\x03\x43\x10\xf7"
    common = b"\x00\xf6"  # tune request: a system common byte, skipped
    running = b"\x00\x90\x3c\x40" b"\x00\xff\x01\x01x" b"\x60\x3c\x00"  # running status across a meta
    after_end = b"\x00\xff\x2f\x00" b"\x00\x90\x40\x40\x60\x40\x00"  # events after end-of-track
    data = header(0, 1, 96) + alien + mtrk(sysex + common + running + after_end)
    assert pitches(read_midi("ok.mid", data)) == [60, 64]


# ---------------------------------------------------------------- chords (issue 19)

from studio.core.chord_text import format_chords, parse_chords  # noqa: E402
from studio.core.chords import QUALITIES, Chord  # noqa: E402
from studio.io.midi import chord_voicing, read_midi_chords, recognise_chord  # noqa: E402


def with_chords(text: str, pickup: int = 0) -> Melody:
    spans = parse_chords(text, 96)
    notes = tuple(Note(72 + k % 5, pickup + 24 * k, 20) for k in range(4 * len(text.split("|"))))
    chords = tuple(type(s)(s.chord, s.start + pickup, s.duration) for s in spans)
    return Melody(((Note(67, 0, pickup),) if pickup else ()) + notes, 100.0, (4, 4), KeySignature(0), pickup,
                  "lead", chords=chords)


def test_written_tracks_are_named_melody_and_chords():
    data = write_midi(with_chords("C | G7 | Am F | F"))
    midi_file = mido.MidiFile(file=io.BytesIO(data))
    names = [next((m.name for m in t if m.type == "track_name"), None) for t in midi_file.tracks]
    assert names == ["lead", "Melody", "Chords"]
    chord_velocities = {m.velocity for m in midi_file.tracks[2] if m.type == "note_on" and m.velocity}
    assert chord_velocities == {midi.CHORD_VELOCITY} and midi.CHORD_VELOCITY < 64  # soft
    assert {m.channel for m in midi_file.tracks[2] if m.type == "note_on"} == {midi.CHORD_CHANNEL}


@pytest.mark.parametrize("pickup", [0, 24])
def test_chords_round_trip_and_stay_out_of_the_melody(pickup):
    melody = with_chords("C | G7/F | Am F | Dm7 G9 | N | Csus4 C/E | Bdim7 | Faug", pickup)
    back = read_midi("c.mid", write_midi(melody))
    assert back == melody and back.notices == ()  # chords included, and no "chords reduced" notice
    spans, meter = read_midi_chords("c.mid", write_midi(melody))
    assert format_chords(spans, 96) == "C | G7/F | Am F | Dm7 G9 | N | Csus4 C/E | Bdim7 | Faug"
    assert meter == (4, 4)


def test_a_melody_without_chords_writes_no_chord_track():
    midi_file = mido.MidiFile(file=io.BytesIO(write_midi(Melody((Note(60, 0, 24),), name="a"))))
    assert len(midi_file.tracks) == 2


@pytest.mark.parametrize("quality", list(QUALITIES))
def test_every_quality_is_recognised_from_its_voicing(quality):
    for root in range(12):
        chord = Chord(root, quality)  # root position: the bass names the root of symmetric chords too
        assert recognise_chord(chord_voicing(chord)) == chord
    assert recognise_chord([60]) is None and recognise_chord([60, 72]) is None


def test_inversions_and_sixths_by_their_bass():
    assert recognise_chord([52, 55, 60]) == Chord(0, "", 4)  # C/E
    assert recognise_chord([48, 52, 55, 57]) == Chord(0, "6")  # C6, not Am7/C
    assert recognise_chord([45, 48, 52, 55]) == Chord(9, "m7")  # Am7


def test_an_unnamed_block_chord_track_is_read_as_chords():
    tune = line([(72, 1), (74, 1), (76, 1), (77, 1)] * 2)
    blocks = []
    for bar, chord in enumerate(((48, 52, 55), (53, 57, 60))):
        for quarter in range(4):  # a chord struck on every beat
            for pitch in chord:
                blocks += line([(pitch, 1)], start=4 * bar + quarter, channel=1)
    melody = read_midi("b.mid", smf(tune, blocks))
    assert pitches(melody) == [72, 74, 76, 77] * 2 and CHORD_NOTICE not in melody.notices
    assert format_chords(melody.chords, 96) == "C | F"


def test_a_track_named_chords_is_read_as_chords_even_when_sparse():
    tune = line([(72, 2), (74, 2)])
    chords = [meta(0, "track_name", name="Chords")] + line([(48, 4)], channel=1) + line([(52, 4)], channel=1) \
        + line([(55, 4)], channel=1)
    melody = read_midi("n.mid", smf(tune, chords))
    assert pitches(melody) == [72, 74] and format_chords(melody.chords, 96) == "C"


def test_read_midi_chords_refuses_a_file_without_chords():
    with pytest.raises(SampleLoadError, match="no chord"):
        read_midi_chords("m.mid", smf(line([(60, 1), (62, 1)])))
