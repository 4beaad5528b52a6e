"""A chord progression from a file: chord text, a MIDI file's chords, or a lead sheet's symbols.

:func:`read_chords_file` backs ``generate --chords-file`` (and any "take the chords from a
file" in the window). The kind is judged by content: a MIDI file (``MThd`` or RIFF RMID) gives
its chord track (:func:`studio.io.midi.read_midi_chords`), a MusicXML score (``.mxl`` zip or
``<score-partwise>``) its ``<harmony>`` symbols (:func:`studio.io.musicxml.read_musicxml`),
and anything else must be UTF-8 chord text (``C | G | Am F | F``). Chords come back counted from
bar 1 (a lead sheet's pickup is left out), with the file's meter where it has one. Every
failure is a :class:`~studio.errors.StudioError` naming the file and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.chord_text import parse_chords
from studio.core.chords import ChordSpan
from studio.core.melody import Melody
from studio.errors import ChordTextError, SampleLoadError

MAX_TEXT_BYTES = 64 * 1024  # chord text for hundreds of bars fits in a few KB


@dataclass(frozen=True)
class ChordFile:
    """The progression a file holds (ticks from bar 1) and the meter it was written in (None:
    chord text, whose bars take the melody's meter)."""

    chords: tuple[ChordSpan, ...]
    time_signature: tuple[int, int] | None
    kind: str  # "text", "midi" or "musicxml"


def read_chords_file(path: str, bar_ticks: int, data: bytes | None = None) -> ChordFile:
    """The chords of the file at ``path`` (``data``: its bytes, when already read).

    ``bar_ticks`` is the bar length chord text is read with. Raises SampleLoadError for an
    unreadable, empty or chordless file, ChordTextError (with the file) for bad chord text.
    """
    if data is None:
        from studio.io.samples import read_file_bytes

        data = read_file_bytes(path)
    if not data.strip():
        raise SampleLoadError("is empty; it should hold chords such as C | G | Am F | F", path)
    if data.startswith(b"MThd") or (data.startswith(b"RIFF") and data[8:12] == b"RMID"):
        from studio.io.midi import read_midi_chords

        spans, meter = read_midi_chords(path, data)
        return ChordFile(spans, meter, "midi")
    if data.startswith(b"PK\x03\x04") or b"<score-partwise" in data[:4096] or b"<score-timewise" in data[:4096]:
        return _musicxml(path, data)
    if len(data) > MAX_TEXT_BYTES:
        raise SampleLoadError(f"is {len(data)} bytes: too large for chord text (at most {MAX_TEXT_BYTES}) "
                              "and not a MIDI or MusicXML file", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SampleLoadError("is neither chord text (UTF-8) nor a MIDI or MusicXML file", path) from None
    try:
        return ChordFile(parse_chords(text, bar_ticks), None, "text")
    except ChordTextError as exc:
        raise ChordTextError(exc.reason, position=exc.position, bar=exc.bar, symbol=exc.symbol,
                             path=path) from None


def _musicxml(path: str, data: bytes) -> ChordFile:
    try:
        from studio.io.musicxml import read_musicxml
    except ImportError:  # pragma: no cover - the MusicXML reader ships with the studio
        raise SampleLoadError("is a MusicXML file, which this build cannot read", path) from None
    melody: Melody = read_musicxml(path, data)[0]
    chords = []
    for span in melody.chords:
        start, end = max(span.start - melody.pickup, 0), span.end - melody.pickup
        if end > start:
            chords.append(ChordSpan(span.chord, start, end - start))
    if not any(span.chord for span in chords):
        raise SampleLoadError("holds no chord symbols (<harmony>) to follow", path)
    return ChordFile(tuple(chords), tuple(melody.time_signature), "musicxml")  # type: ignore[arg-type]
