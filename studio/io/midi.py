"""Strict, safe import and export of Standard MIDI Files as monophonic melodies.

:func:`read_midi` turns the bytes of a type 0 or type 1 file into a :class:`Melody` on the
24-ticks-per-quarter grid; :func:`write_midi` does the reverse (a conductor track, the melody
as a track named ``Melody`` and its chords, if any, as a track named ``Chords``), and
``read_midi(write_midi(m))`` gives back ``m``'s notes, pickup, tempo, meter, key and chords. Every failure
is a :class:`SampleLoadError` that names the file and says what is wrong. Tracks are read by
:mod:`studio.io.smf`, which stops at the first event past a named limit (:data:`MAX_EVENTS`,
:data:`MAX_MAP_EVENTS`), so a hostile file is refused after bounded work; mido only writes.

How a file becomes a melody (what a user sees follows from these rules):

* Tracks and channels are merged. Channel 10 (index 9) is drums and is ignored.
* Chords: a track named ``Chords`` (or ``Chord``, ``Harmony``), or any track of block chords
  (most of its onsets strike 3 or more pitches together), is the chord part when another track
  holds the melody: it becomes ``Melody.chords`` (each block's pitch classes recognised as the
  nearest chord of :data:`~studio.core.chords.QUALITIES`, the lowest note a slash bass when it is
  not the root) and stays out of the melody. :func:`read_midi_chords` reads only the chords
  (a chord file for ``generate --chords-file``).
* A note-on with velocity 0 is a note-off. A note-on for a pitch already sounding on the same
  track and channel re-strikes it (the old note ends there). Note-offs with no open note are
  ignored; notes still open at the end of their track end there.
* Onsets and ends are rounded to the grid (which holds sixteenths, 32nds and triplets);
  every note lasts at least one tick.
* Skyline: of notes starting together the highest is kept; a note starting under a higher
  sounding note is dropped, and a higher note cuts the note it interrupts. An overlap of at
  most a sixteenth (and half the new note) is legato, not a chord, and just trims the old note.
* Tempo: the tempo in force for the most ticks between the first onset and the last release
  (the earliest in a tie). Meter and key: the first ones. A notice tells of any change.
* Pickup: a file written here carries a ``pickup N`` marker and is read exactly. Otherwise,
  bar lines run from the start of the (first) time signature, or from a second time signature
  that follows a single partial bar at tick 0 (how notation programs export an anacrusis).
  If the first note is off a bar line and the part of its bar from the note onwards is at most
  half a bar, or lies in that explicit partial bar, it is a pickup of that length; otherwise
  the melody starts with the rest that begins its bar. Whole empty bars before it are dropped.
"""

from __future__ import annotations

import io
import os
import re
import struct

import mido

from studio.core.chords import QUALITIES, Chord, ChordSpan
from studio.core.melody import TICKS_PER_QUARTER, KeySignature, Melody, Note
from studio.core.samples import Domain, Sample
from studio.core.melody_analysis import melody_facts
from studio.errors import SampleLoadError
from studio.io.smf import SmfDamaged, SmfLimits, SmfTooLarge, SmfTrack, SmfTruncated, read_tracks

MAX_FILE_BYTES = 4 * 1024 * 1024  # a clip is a few KB; dense events read at ~0.4 s per MiB
MAX_MINUTES = 60
MAX_NOTES = 20_000  # in the melody line
MAX_RAW_NOTES = 100_000  # before the skyline (5x MAX_NOTES): bounds the work on multi-track files
# Every event costs the reader 1-2 µs, whatever its kind (controllers, sysex, notes), and each
# note event as much again to pair: 100,000 raw notes need 200,000 note events, which leaves
# room for their controllers, while a 4 MiB file of running status (1.3 million events) stops
# a quarter of the way in. Together these keep the worst file under a second on a laptop.
MAX_EVENTS = 300_000
# Tempo, time-signature and key events, each kind: the melody keeps one of each, and the tempo
# map is walked several times. A tempo change on every beat of an hour at 120 BPM is 7,200;
# a hostile file of 550,000 of them was accepted after 6-9 s.
MAX_MAP_EVENTS = 10_000
DRUM_CHANNEL = 9
LEGATO_TICKS = TICKS_PER_QUARTER // 4
DEFAULT_TEMPO = 500_000  # microseconds per quarter: 120 BPM
CHORD_NOTICE = "chords reduced to the top line"
MELODY_TRACK, CHORDS_TRACK = "Melody", "Chords"
CHORD_TRACK_NAMES = ("chords", "chord", "harmony")
CHORD_CHANNEL = 1  # channel 2 for the written chords, the melody on channel 1
CHORD_VELOCITY = 48  # soft block chords under the melody
CHORD_ROOT_BASE = 48  # the written chords' roots lie in C3..B3
BLOCK_SHARE = 0.6  # a track is block chords when this share of its onsets strike >= 3 pitches

_PICKUP_MARKER = re.compile(r"pickup (\d+)")
_DENOMINATORS = (1, 2, 4, 8, 16, 32)
_MAJOR_KEYS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_MINOR_KEYS = ("Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "Bbm", "Bm")


def load_midi_sample(path: str, data: bytes) -> Sample:
    """Read a MIDI file into a melody :class:`Sample` with its facts.

    Raises:
        SampleLoadError: as :func:`read_midi`.
    """
    melody = read_midi(path, data)
    return Sample(
        name=os.path.basename(path), path=path, domain=Domain.MELODY, data=data,
        facts=melody_facts(melody), melody=melody,
    )


def read_midi(path: str, data: bytes) -> Melody:
    """Parse the bytes of a type 0 or 1 MIDI file (named ``path``) into a monophonic melody.

    Raises:
        SampleLoadError: empty, not MIDI, truncated or damaged, type 2, SMPTE timing,
            no notes, or too long for a melody clip.
    """
    tpb, tracks = _parse(path, data)
    events = _Events.collect(tracks, path)
    notices: list[str] = []
    if events.drums:
        notices.append(f"{events.drums} drum notes (channel 10) ignored")
    if events.hanging:
        notices.append(f"{events.hanging} note(s) without a note-off ended with their track")
    if not events.notes:
        raise SampleLoadError("contains no notes (drums are ignored)", path)
    chord_notes = events.chord_notes()
    if chord_notes and len(chord_notes) < len(events.notes):
        chord_set = set(map(id, chord_notes))
        events.notes = [n for n in events.notes if id(n) not in chord_set]
    else:
        chord_notes = []

    span = (min(n[0] for n in events.notes), max(n[1] for n in events.notes))
    tempo_map = _tempo_map(events.tempos)
    minutes = _seconds_at(tempo_map, span[1], tpb) / 60.0
    if minutes > MAX_MINUTES:
        raise SampleLoadError(
            f"too long for a melody clip ({minutes:.0f} minutes; the limit is {MAX_MINUTES})", path
        )

    def grid(tick: int) -> int:  # rounds half up to the 24-per-quarter grid
        return (tick * 2 * TICKS_PER_QUARTER + tpb) // (2 * tpb)

    quantised = [(grid(s), max(grid(s) + 1, grid(e)), p, v) for s, e, p, v in events.notes]
    line, chords = _skyline(quantised)
    if chords:
        notices.append(CHORD_NOTICE)
    if len(line) > MAX_NOTES:
        raise SampleLoadError(
            f"too long for a melody clip ({len(line)} notes; the limit is {MAX_NOTES})", path
        )

    tempo_bpm = _dominant_bpm(tempo_map, span, notices)
    meter, origin, partial = _meter(events.meters, span[1], tpb, notices)
    key = _key(events.keys, span[1], notices)
    bar = Melody((), time_signature=meter).bar_ticks
    marker = None if events.pickup_marker is None else grid(events.pickup_marker)
    pickup, shift = _pickup(line[0].start, grid(origin), bar, partial, marker)
    if shift - (bar - pickup if pickup else 0) >= bar:
        notices.append("silence before the first note removed")
    notes = tuple(Note(n.pitch, n.start - shift, n.duration, n.velocity) for n in line)
    name = events.name or os.path.splitext(os.path.basename(path))[0]
    chords = _chord_spans([(grid(s) - shift, grid(e) - shift, p) for s, e, p, _ in chord_notes])
    return Melody(notes, tempo_bpm, meter, key, pickup, name, tuple(notices), chords)


def read_midi_chords(path: str, data: bytes) -> tuple[tuple[ChordSpan, ...], tuple[int, int]]:
    """The chords of a MIDI file, counted from the start of the bar of the first chord, and
    the file's meter: its chord track (named or block chords; without one, all its notes as
    block chords).

    Raises:
        SampleLoadError: as :func:`read_midi`, or when no chord can be recognised.
    """
    tpb, tracks = _parse(path, data)
    events = _Events.collect(tracks, path)
    notes = events.chord_notes() or events.notes
    if not notes:
        raise SampleLoadError("contains no notes, so no chords", path)
    meter, origin, _ = _meter(events.meters, max(n[1] for n in notes), tpb, [])
    bar = Melody((), time_signature=meter).bar_ticks

    def grid(tick: int) -> int:
        return (tick * 2 * TICKS_PER_QUARTER + tpb) // (2 * tpb)

    first = min(grid(n[0]) for n in notes)
    origin_grid = grid(origin)
    start = origin_grid + (first - origin_grid) // bar * bar
    spans = _chord_spans([(grid(s) - start, grid(e) - start, p) for s, e, p, _ in notes])
    if not spans or not any(span.chord for span in spans):
        raise SampleLoadError("holds no chord the studio recognises (block chords of 2 or more notes)", path)
    return spans, meter


def recognise_chord(pitches: list[int] | tuple[int, ...]) -> Chord | None:
    """The chord of :data:`QUALITIES` nearest a set of sounding MIDI pitches (the lowest a slash
    bass when it is not the root); ``None`` for fewer than 2 pitch classes."""
    classes = {p % 12 for p in pitches}
    if len(classes) < 2:
        return None
    bass = min(pitches) % 12
    best, best_score = None, float("-inf")
    for order, (quality, intervals) in enumerate(QUALITIES.items()):
        for root in range(12):
            tones = {(root + i) % 12 for i in intervals}
            score = (len(classes & tones) - 1.5 * len(classes - tones) - 0.75 * len(tones - classes)
                     + 0.5 * (root == bass) - 0.01 * order)
            if score > best_score:
                best, best_score = Chord(root, quality), score
    assert best is not None
    return Chord(best.root, best.quality, None if bass == best.root else bass)


def _chord_spans(notes: list[tuple[int, int, int]]) -> tuple[ChordSpan, ...]:
    """Grid notes ``(start, end, pitch)`` of a chord part to chord spans: a chord from each onset
    (the pitches sounding there) to the next onset or the release of its notes; the same chord
    again extends its span; silence between chords is "no chord"; nothing before tick 0."""
    if not notes:
        return ()
    onsets = sorted({max(s, 0) for s, e, _ in notes if e > 0})
    spans: list[ChordSpan] = []
    for i, onset in enumerate(onsets):
        sounding = [(p, e) for s, e, p in notes if s <= onset < e]
        if not sounding:
            continue
        until = max(e for _, e in sounding)
        if i + 1 < len(onsets):
            until = min(until, onsets[i + 1])
        chord = recognise_chord([p for p, _ in sounding])
        if chord is None:
            continue
        if spans and spans[-1].chord == chord and spans[-1].end == onset:
            last = spans.pop()
            spans.append(ChordSpan(chord, last.start, until - last.start))
            continue
        if spans and spans[-1].end < onset:
            spans.append(ChordSpan(None, spans[-1].end, onset - spans[-1].end))
        spans.append(ChordSpan(chord, onset, until - onset))
    return tuple(spans)


def chord_voicing(chord: Chord) -> list[int]:
    """MIDI pitches of a soft block chord: root position from C3..B3, the 9th above the octave,
    a slash bass below the root."""
    root = CHORD_ROOT_BASE + chord.root
    pitches = [root + (i if i >= chord.intervals[1] or i == 0 else i + 12) for i in chord.intervals]
    if chord.bass is not None and chord.bass != chord.root:
        pitches.append(root - ((chord.root - chord.bass) % 12 or 12))
    return sorted(set(pitches))


def write_midi(melody: Melody, ticks_per_beat: int = 480) -> bytes:
    """Encode ``melody`` as a type 1 MIDI file: a conductor track, the track ``Melody`` (channel 1)
    and, when the melody has chords, the track ``Chords`` (soft block chords, channel 2).

    The conductor holds the name, tempo, meter, key and a ``pickup N`` marker; a pickup is
    written as the end of a first bar, as a sequencer would. Raises ValueError if
    ``ticks_per_beat`` is not a multiple of 24 in 24..32760 (so every grid tick is exact).
    """
    if ticks_per_beat % TICKS_PER_QUARTER or not 24 <= ticks_per_beat <= 32760:
        raise ValueError(
            f"ticks_per_beat must be a multiple of 24 in 24..32760, got {ticks_per_beat}"
        )
    scale = ticks_per_beat // TICKS_PER_QUARTER
    conductor = mido.MidiTrack()
    if melody.name:  # UTF-8 bytes carried through mido's latin-1 text codec
        conductor.append(mido.MetaMessage("track_name", name=_to_latin1(melody.name)))
    conductor.append(mido.MetaMessage("marker", text=f"pickup {melody.pickup * scale}"))
    num, den = melody.time_signature
    conductor.append(mido.MetaMessage("time_signature", numerator=num, denominator=den))
    if melody.key is not None:
        names = _MAJOR_KEYS if melody.key.mode == "major" else _MINOR_KEYS
        conductor.append(mido.MetaMessage("key_signature", key=names[melody.key.tonic]))
    tempo = min(0xFFFFFF, mido.bpm2tempo(melody.tempo_bpm))  # below 3.58 BPM MIDI cannot go
    conductor.append(mido.MetaMessage("set_tempo", tempo=tempo))

    offset = -melody.pickup % melody.bar_ticks
    notes_track = _note_track(MELODY_TRACK, [(n.start, n.end, n.pitch, n.velocity) for n in melody.notes],
                              offset, scale, 0)
    midi = mido.MidiFile(type=1, ticks_per_beat=ticks_per_beat)
    midi.tracks.extend([conductor, notes_track])
    chord_notes = [(span.start, span.end, pitch, CHORD_VELOCITY) for span in melody.chords
                   if span.chord is not None for pitch in chord_voicing(span.chord)]
    if chord_notes:
        midi.tracks.append(_note_track(CHORDS_TRACK, chord_notes, offset, scale, CHORD_CHANNEL))
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def _parse(path: str, data: bytes) -> tuple[int, list[SmfTrack]]:
    """Check the header, then read the tracks with the work bounded; ``(ticks per quarter, tracks)``."""
    if not data:
        raise SampleLoadError("the file is empty (0 bytes)", path)
    if len(data) > MAX_FILE_BYTES:
        raise SampleLoadError(
            f"the file is {len(data) / 2**20:.1f} MiB; a melody clip must be under "
            f"{MAX_FILE_BYTES // 2**20} MiB", path,
        )
    data = _unwrap_rmid(path, data)
    if data[:4] != b"MThd":
        raise SampleLoadError("MThd not found: probably not a MIDI file", path)
    if len(data) < 14:
        raise SampleLoadError("the file is truncated inside its MIDI header", path)
    header_size, fmt, tracks, division = struct.unpack(">LHHH", data[4:14])
    if header_size < 6:
        raise SampleLoadError(f"the MIDI header is damaged (length {header_size}, not 6)", path)
    if fmt == 2:
        raise SampleLoadError(
            "MIDI type 2 (independent sequences) is not supported; export as type 0 or 1", path
        )
    if fmt > 2:
        raise SampleLoadError(f"unknown MIDI type {fmt}; only types 0 and 1 are supported", path)
    if division & 0x8000:
        raise SampleLoadError(
            "uses SMPTE time division (frames per second), which is not supported; "
            "export with ticks per quarter note", path,
        )
    if division == 0:
        raise SampleLoadError("ticks per quarter note is 0, which is impossible", path)
    if tracks == 0:
        raise SampleLoadError("contains no tracks, so no notes", path)
    try:
        return division, read_tracks(data, 8 + header_size, tracks, SmfLimits(MAX_EVENTS, MAX_MAP_EVENTS))
    except SmfTruncated as error:
        raise SampleLoadError(f"the file is truncated: {error}", path) from error
    except SmfDamaged as error:
        raise SampleLoadError(f"the MIDI data is damaged ({error})", path) from error
    except SmfTooLarge as error:
        raise SampleLoadError(f"too complex for a melody clip ({error}); refused before reading "
                              "further", path) from error


def _unwrap_rmid(path: str, data: bytes) -> bytes:
    """Return the Standard MIDI File inside a RIFF RMID container, or ``data`` unchanged."""
    if data[:4] != b"RIFF" or data[8:12] != b"RMID":
        return data
    position = 12
    while position + 8 <= len(data):
        name = data[position:position + 4]
        size = int.from_bytes(data[position + 4:position + 8], "little")
        if name == b"data":
            return data[position + 8:position + 8 + size]
        position += 8 + size + (size & 1)
    raise SampleLoadError("RIFF MIDI (RMID) file without a MIDI data chunk", path)


def _note_track(name: str, notes: list[tuple[int, int, int, int]], offset: int, scale: int,
                channel: int) -> mido.MidiTrack:
    """A named track of ``(start, end, pitch, velocity)`` grid notes, moved by ``offset`` ticks."""
    timed: list[tuple[int, int, mido.Message]] = []
    for start, end, pitch, velocity in notes:
        timed.append(((offset + start) * scale, 1,
                      mido.Message("note_on", channel=channel, note=pitch, velocity=velocity)))
        timed.append(((offset + end) * scale, 0, mido.Message("note_off", channel=channel, note=pitch, velocity=0)))
    timed.sort(key=lambda item: (item[0], item[1]))  # a release before an onset at one tick
    track, now = mido.MidiTrack(), 0
    track.append(mido.MetaMessage("track_name", name=name))
    for tick, _, message in timed:
        track.append(message.copy(time=tick - now))
        now = tick
    return track


class _Events:
    """Notes (in file ticks) and meta events of all tracks, paired and merged."""

    def __init__(self) -> None:
        self.notes: list[tuple[int, int, int, int]] = []  # start, end, pitch, velocity
        self.tempos: list[tuple[int, int]] = []  # (tick, microseconds per quarter)
        self.meters: list[tuple[int, tuple[int, int]]] = []
        self.keys: list[tuple[int, KeySignature]] = []
        self.name = ""
        self.pickup_marker: int | None = None
        self.drums = 0
        self.hanging = 0
        self.tracks: list[tuple[str, list[tuple[int, int, int, int]]]] = []  # each track's name and notes

    @classmethod
    def collect(cls, tracks: list[SmfTrack], path: str) -> _Events:
        events = cls()
        for track in tracks:
            events._read_track(track, path)
        for timeline in (events.tempos, events.meters, events.keys):
            timeline.sort(key=lambda item: item[0])  # stable: track order within a tick
        return events

    def chord_notes(self) -> list[tuple[int, int, int, int]]:
        """The notes of the chord tracks: named Chords (Chord, Harmony), or of block chords."""
        out: list[tuple[int, int, int, int]] = []
        for name, notes in self.tracks:
            if name.strip().lower() in CHORD_TRACK_NAMES or _block_chords(notes):
                out += notes
        return out

    def _read_track(self, track: SmfTrack, path: str) -> None:
        first = len(self.notes)
        self._read_notes(track, path)
        name = _text(track.names[0]) if track.names else ""
        self.tracks.append((name, self.notes[first:]))

    def _read_notes(self, track: SmfTrack, path: str) -> None:
        sounding: dict[tuple[int, int], tuple[int, int]] = {}  # (channel, pitch) -> start, velocity
        for tick, channel, pitch, velocity in track.notes:  # velocity 0: a note-off
            if channel == DRUM_CHANNEL:
                self.drums += velocity > 0
                continue
            voice = (channel, pitch)
            begun = sounding.pop(voice, None)
            if begun is not None:
                self.notes.append((begun[0], tick, pitch, begun[1]))
            if velocity > 0:
                sounding[voice] = (tick, velocity)
            if len(self.notes) > MAX_RAW_NOTES:
                raise SampleLoadError(f"too long for a melody clip (over {MAX_RAW_NOTES} notes)", path)
        self.tempos += track.tempos
        self.meters += track.meters
        self.keys += [(tick, _key_signature(sharps, minor)) for tick, sharps, minor in track.keys]
        for raw in track.names:
            text = _text(raw)
            if text.lower() not in (MELODY_TRACK.lower(), *CHORD_TRACK_NAMES):  # our own track names
                self.name = self.name or text
        for tick, text in track.markers:
            found = _PICKUP_MARKER.fullmatch(text.decode("latin-1")) if tick == 0 else None
            if found:
                self.pickup_marker = int(found.group(1))
        for (_, pitch), (start, velocity) in sounding.items():
            self.notes.append((start, track.end, pitch, velocity))
            self.hanging += 1


def _block_chords(notes: list[tuple[int, int, int, int]]) -> bool:
    """Whether a track's notes are block chords: most onsets strike 3 or more pitch classes."""
    if len(notes) < 6:
        return False
    onsets: dict[int, set[int]] = {}
    for start, _, pitch, _ in notes:
        onsets.setdefault(start, set()).add(pitch % 12)
    blocks = sum(len(classes) >= 3 for classes in onsets.values())
    return blocks >= 2 and blocks >= BLOCK_SHARE * len(onsets)


def _skyline(notes: list[tuple[int, int, int, int]]) -> tuple[list[Note], bool]:
    """Reduce grid notes to their top line; also say whether chords were reduced."""
    notes.sort(key=lambda n: (n[0], -n[2], -n[1]))
    line: list[list[int]] = []  # start, end, pitch, velocity
    chords = False
    index = 0
    while index < len(notes):
        start, end, pitch, velocity = notes[index]
        while index < len(notes) and notes[index][0] == start:
            chords = chords or notes[index][2] != pitch  # unisons across tracks are no chord
            index += 1
        if line and line[-1][1] > start:
            previous = line[-1]
            overlap = previous[1] - start
            legato = overlap <= min(LEGATO_TICKS, (end - start) // 2)
            if pitch < previous[2] and not legato:
                chords = True  # starts beneath a sounding higher note
                continue
            chords = chords or (pitch != previous[2] and not legato)
            previous[1] = start
        line.append([start, end, pitch, velocity])
    return [Note(p, s, e - s, v) for s, e, p, v in line], chords


def _tempo_map(tempos: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Tempo segments from tick 0, the last event winning at any one tick; invalid ones dropped."""
    result = [(0, DEFAULT_TEMPO)]
    for tick, tempo in tempos:
        if tempo <= 0:
            continue
        if result[-1][0] == tick:
            result[-1] = (tick, tempo)
        else:
            result.append((tick, tempo))
    return result


def _seconds_at(tempo_map: list[tuple[int, int]], tick: int, tpb: int) -> float:
    seconds = 0.0
    for (begin, tempo), (after, _) in zip(tempo_map, tempo_map[1:] + [(max(tick, 0), 0)]):
        if begin >= tick:
            break
        seconds += (min(after, tick) - begin) * tempo / 1e6 / tpb
    return seconds


def _bpm(tempo: int) -> float:
    """BPM of a MIDI tempo: the fewest decimals that encode back to it, clamped to 1..1000."""
    exact = 60e6 / tempo
    for decimals in range(7):
        candidate = round(exact, decimals)
        if candidate > 0 and mido.bpm2tempo(candidate) == tempo:
            exact = candidate
            break
    return min(1000.0, max(1.0, float(exact)))


def _dominant_bpm(
    tempo_map: list[tuple[int, int]], span: tuple[int, int], notices: list[str]
) -> float:
    held: dict[float, int] = {}  # insertion order keeps the earliest first in a tie
    ends = [tick for tick, _ in tempo_map[1:]] + [float("inf")]
    for (begin, tempo), after in zip(tempo_map, ends):
        low, high = max(begin, span[0]), min(after, span[1])
        if high > low or begin <= span[0] < after:
            bpm = _bpm(tempo)
            held[bpm] = held.get(bpm, 0) + max(0, high - low)
    chosen = max(held, key=lambda bpm: held[bpm])
    if len(held) > 1:
        listed = ", ".join(f"{bpm:g}" for bpm in list(held)[:6])
        notices.append(f"tempo changes ({listed} BPM); the melody keeps {chosen:g} BPM")
    if 60e6 / min(t for _, t in tempo_map) > 1000 or 60e6 / max(t for _, t in tempo_map) < 1:
        notices.append("a tempo outside 1..1000 BPM was clamped")
    return chosen


def _meter(
    meters: list[tuple[int, tuple[int, int]]], end: int, tpb: int, notices: list[str]
) -> tuple[tuple[int, int], int, bool]:
    """The melody's meter, the file tick where its bars begin, and whether a partial bar
    precedes that tick."""
    valid = [(t, m) for t, m in meters if m[0] >= 1 and m[1] in _DENOMINATORS]
    if len(valid) < len(meters):
        notices.append("an unusable time signature was ignored")
    deduped: list[tuple[int, tuple[int, int]]] = []
    for tick, meter in valid:
        if deduped and deduped[-1][0] == tick:
            deduped[-1] = (tick, meter)
        elif not deduped or deduped[-1][1] != meter:
            deduped.append((tick, meter))
    if not deduped:
        return (4, 4), 0, False

    def bar(meter: tuple[int, int]) -> float:
        return meter[0] * 4 * tpb / meter[1]

    (first_tick, first), partial = deduped[0], False
    if len(deduped) > 1 and first_tick == 0:
        second_tick, second = deduped[1]
        if second_tick <= bar(first) and second_tick < bar(second):
            deduped, partial = deduped[1:], True
    origin, meter = deduped[0]
    changes = [m for t, m in deduped[1:] if t < end]
    if changes:
        listed = ", ".join(f"{n}/{d}" for n, d in [meter] + changes[:5])
        notices.append(f"time signature changes ({listed}); the melody keeps {meter[0]}/{meter[1]}")
    return meter, origin, partial


def _key(keys: list[tuple[int, KeySignature]], end: int, notices: list[str]) -> KeySignature | None:
    signatures: list[KeySignature] = []
    for tick, key in keys:
        if (tick < end or not signatures) and (not signatures or signatures[-1] != key):
            signatures.append(key)
    if len(signatures) > 1:
        listed = ", ".join(k.name for k in signatures[:6])
        notices.append(f"key signature changes ({listed}); the melody keeps {signatures[0].name}")
    return signatures[0] if signatures else None


def _key_signature(sharps: int, minor: int) -> KeySignature:
    """The key of a key-signature event: ``-7`` flats major is Cb (B), 3 sharps minor is F#m."""
    major = 7 * sharps % 12
    return KeySignature((major + 9) % 12, "minor") if minor else KeySignature(major, "major")


def _pickup(
    first: int, origin: int, bar: int, partial: bool, marker: int | None
) -> tuple[int, int]:
    """(pickup length, ticks to drop from the start), both on the grid, by the module's rule."""
    if marker is not None and 0 <= marker < bar:
        shift = -marker % bar
        if first >= shift:
            return marker, shift
    into_bar = (first - origin) % bar
    if into_bar == 0:
        return 0, first
    if (partial and first < origin) or 2 * (bar - into_bar) <= bar:
        return bar - into_bar, first
    return 0, first - into_bar


def _to_latin1(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def _text(raw: bytes) -> str:
    """A text event's bytes: most files today hold UTF-8, older ones latin-1."""
    try:
        text = raw.decode("utf-8")
    except UnicodeError:
        text = raw.decode("latin-1")
    return text.replace("\x00", "").strip()
