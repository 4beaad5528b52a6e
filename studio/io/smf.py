"""A bounded reader of Standard MIDI File tracks: the events a melody needs, the work capped.

mido builds a Python object for every event (13-22 µs each on a 2-core laptop), so a 3.9 MB
file of dense running status took 13 s before :mod:`studio.io.midi` could refuse it, and one of
550,000 tempo changes was accepted after 6-9 s. This reader walks the bytes once, keeps only
notes and the tempo, meter, key, name and marker events, and stops the moment an event count
passes the caller's :class:`SmfLimits`, so a hostile file costs at most that many steps.

It reads what mido reads, as leniently: running status carries across meta and sysex events,
events after an end-of-track before the chunk ends are kept, a chunk that is not ``MTrk``
before a track is skipped (the standard asks readers to), and system common and real-time
bytes are skipped. It raises :class:`SmfTruncated` (an ``EOFError``) when the data ends inside
a track, :class:`SmfDamaged` (a ``ValueError``) for bytes no writer produces and
:class:`SmfTooLarge` when a limit is passed. The header is the caller's to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Data bytes after each status nibble (channel messages) or system status byte; F4, F5, F9
# and FD are undefined. F0 and F7 (sysex) and FF (meta) carry a length instead.
_CHANNEL_DATA = {0x8: 2, 0x9: 2, 0xA: 2, 0xB: 2, 0xC: 1, 0xD: 1, 0xE: 2}
_SYSTEM_DATA = {0xF1: 1, 0xF2: 2, 0xF3: 1, 0xF6: 0, 0xF8: 0, 0xFA: 0, 0xFB: 0, 0xFC: 0, 0xFE: 0}
_META_TEMPO, _META_METER, _META_KEY, _META_NAME, _META_MARKER = 0x51, 0x58, 0x59, 0x03, 0x06


class SmfError(Exception):
    """The track data cannot be read; ``str()`` says why."""


class SmfTruncated(SmfError, EOFError):
    """The data ends inside a track (or before a track the header announced)."""


class SmfDamaged(SmfError, ValueError):
    """Bytes that no MIDI writer produces."""


class SmfTooLarge(SmfError):
    """More events of one kind than the caller's limit allows."""

    def __init__(self, what: str, limit: int) -> None:
        self.what, self.limit = what, limit
        super().__init__(f"over {limit} {what}")


@dataclass(frozen=True)
class SmfLimits:
    """Counts past which reading stops (all tracks together)."""

    events: int  # of every kind
    map_events: int  # tempo, time-signature and key-signature events, each kind


@dataclass
class SmfTrack:
    """One track's events, in file ticks. A note-off is a note event of velocity 0."""

    notes: list[tuple[int, int, int, int]] = field(default_factory=list)  # tick, channel, pitch, velocity
    tempos: list[tuple[int, int]] = field(default_factory=list)  # tick, microseconds per quarter
    meters: list[tuple[int, tuple[int, int]]] = field(default_factory=list)  # tick, (numerator, denominator)
    keys: list[tuple[int, int, int]] = field(default_factory=list)  # tick, sharps (-7..7), minor (0/1)
    names: list[bytes] = field(default_factory=list)
    markers: list[tuple[int, bytes]] = field(default_factory=list)
    end: int = 0  # the tick of the track's last event


def read_tracks(data: bytes, start: int, count: int, limits: SmfLimits) -> list[SmfTrack]:
    """The ``count`` tracks that follow the header, which ends at byte ``start``."""
    tracks: list[SmfTrack] = []
    budget = [limits.events, limits.map_events, limits.map_events, limits.map_events]
    position = start
    while len(tracks) < count:
        if position + 8 > len(data):
            raise SmfTruncated(f"the header announces {count} tracks and the file holds {len(tracks)}")
        size = int.from_bytes(data[position + 4:position + 8], "big")
        body, position = position + 8, position + 8 + size
        if data[body - 8:body - 4] != b"MTrk":
            continue  # an alien chunk (Yamaha XF, ...): skipped, as the standard asks
        if position > len(data):
            raise SmfTruncated("it ends inside a track")
        tracks.append(_read_track(data, body, position, budget, limits))
    return tracks


def _read_track(data: bytes, p: int, end: int, budget: list[int], limits: SmfLimits) -> SmfTrack:
    track = SmfTrack()
    notes = track.notes
    tick = 0
    status = -1
    events = budget[0]
    while p < end:
        # delta time: a variable-length number of at most four bytes
        byte = data[p]
        delta = byte & 0x7F
        p += 1
        if byte & 0x80:
            for _ in range(3):
                if p >= end:
                    raise SmfTruncated("it ends inside a track")
                byte = data[p]
                p += 1
                delta = (delta << 7) | (byte & 0x7F)
                if not byte & 0x80:
                    break
            else:
                raise SmfDamaged("a delta time longer than four bytes")
        tick += delta
        events -= 1
        if events < 0:
            raise SmfTooLarge("events", limits.events)
        if p >= end:
            raise SmfTruncated("it ends inside a track")
        byte = data[p]
        if byte & 0x80:
            p += 1
            if byte < 0xF0:
                status = byte
            elif byte == 0xFF:
                p = _meta(data, p, end, tick, track, budget, limits)
                continue
            elif byte in (0xF0, 0xF7):
                length, p = _varlen(data, p, end)
                p += length
                if p > end:
                    raise SmfTruncated("it ends inside a system exclusive message")
                continue
            elif byte in _SYSTEM_DATA:
                status = byte
            else:
                raise SmfDamaged(f"undefined status byte 0x{byte:02x}")
        elif status < 0:
            raise SmfDamaged("running status with no status byte before it")
        size = _CHANNEL_DATA[status >> 4] if status < 0xF0 else _SYSTEM_DATA[status]
        if p + size > end:
            raise SmfTruncated("it ends inside a message")
        if size and (data[p] | (data[p + size - 1])) & 0x80:
            raise SmfDamaged("a data byte is over 127")
        kind = status >> 4
        if kind == 0x9:
            notes.append((tick, status & 0xF, data[p], data[p + 1]))
        elif kind == 0x8:
            notes.append((tick, status & 0xF, data[p], 0))
        p += size
    budget[0] = events
    track.end = tick
    return track


def _meta(data: bytes, p: int, end: int, tick: int, track: SmfTrack, budget: list[int],
          limits: SmfLimits) -> int:
    """Read the meta event after its 0xFF at ``p``; return the position after it."""
    if p >= end:
        raise SmfTruncated("it ends inside a meta event")
    kind = data[p]
    length, p = _varlen(data, p + 1, end)
    payload = data[p:p + length]
    p += length
    if p > end:
        raise SmfTruncated("it ends inside a meta event")
    if kind == _META_TEMPO:
        if length < 3:
            raise SmfDamaged("a tempo event shorter than 3 bytes")
        _spend(budget, 1, "tempo changes", limits)
        track.tempos.append((tick, int.from_bytes(payload[:3], "big")))
    elif kind == _META_METER:
        if length < 2:
            raise SmfDamaged("a time signature shorter than 2 bytes")
        _spend(budget, 2, "time signatures", limits)
        if payload[1] > 32:
            raise SmfDamaged(f"a time signature with denominator 2^{payload[1]}")
        track.meters.append((tick, (payload[0], 2 ** payload[1])))
    elif kind == _META_KEY:
        if length < 2:
            raise SmfDamaged("a key signature shorter than 2 bytes")
        sharps = payload[0] - 256 if payload[0] > 127 else payload[0]
        if not -7 <= sharps <= 7 or payload[1] > 1:
            raise SmfDamaged(f"a key signature of {sharps} sharps, mode {payload[1]}")
        _spend(budget, 3, "key signatures", limits)
        track.keys.append((tick, sharps, payload[1]))
    elif kind == _META_NAME:
        track.names.append(payload)
    elif kind == _META_MARKER:
        track.markers.append((tick, payload))
    return p


def _spend(budget: list[int], slot: int, what: str, limits: SmfLimits) -> None:
    budget[slot] -= 1
    if budget[slot] < 0:
        raise SmfTooLarge(what, limits.map_events)


def _varlen(data: bytes, p: int, end: int) -> tuple[int, int]:
    """A variable-length number (at most four bytes) at ``p``, and the position after it."""
    value = 0
    for _ in range(4):
        if p >= end:
            raise SmfTruncated("it ends inside a length")
        byte = data[p]
        p += 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, p
    raise SmfDamaged("a length longer than four bytes")
