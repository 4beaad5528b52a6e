"""A melody out as a MusicXML 4.0 lead sheet: one part "Melody", its key, meter, tempo and chords.

The pickup becomes an implicit measure 0; notes and rests are split at bar lines (and at chord
changes) into printable values joined by ties, triplet values carrying a 3:2
``<time-modification>``; chord spans become ``<harmony>`` elements (a "no chord" span is
``kind none`` shown as N.C.). Divisions are 24 per quarter, the studio's own grid, so every
duration is exact and :func:`studio.io.musicxml.read_musicxml` gives back the same notes and chords.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from studio.core.chords import ChordSpan
from studio.core.melody import TICKS_PER_QUARTER, Melody

_DOCTYPE = ('<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" '
            '"http://www.musicxml.org/dtds/partwise.dtd">')
_SHARP_NAMES = (("C", 0), ("C", 1), ("D", 0), ("D", 1), ("E", 0), ("F", 0), ("F", 1), ("G", 0),
                ("G", 1), ("A", 0), ("A", 1), ("B", 0))
_FLAT_NAMES = (("C", 0), ("D", -1), ("D", 0), ("E", -1), ("E", 0), ("F", 0), ("G", -1), ("G", 0),
               ("A", -1), ("A", 0), ("B", -1), ("B", 0))
_MAJOR_FIFTHS = {0: 0, 7: 1, 2: 2, 9: 3, 4: 4, 11: 5, 6: 6, 1: -5, 8: -4, 3: -3, 10: -2, 5: -1}
_KINDS = {"": "major", "m": "minor", "7": "dominant", "maj7": "major-seventh", "m7": "minor-seventh",
          "dim": "diminished", "dim7": "diminished-seventh", "aug": "augmented",
          "sus2": "suspended-second", "sus4": "suspended-fourth", "6": "major-sixth",
          "m6": "minor-sixth", "9": "dominant-ninth", "m7b5": "half-diminished"}
#: Printable values in ticks, longest first: (ticks, type, dots, triplet).
_VALUES = ((96, "whole", 0, False), (72, "half", 1, False), (64, "whole", 0, True),
           (48, "half", 0, False), (36, "quarter", 1, False), (32, "half", 0, True),
           (24, "quarter", 0, False), (18, "eighth", 1, False), (16, "quarter", 0, True),
           (12, "eighth", 0, False), (9, "16th", 1, False), (8, "eighth", 0, True),
           (6, "16th", 0, False), (4, "16th", 0, True), (3, "32nd", 0, False),
           (2, "32nd", 0, True), (1, "64th", 0, True))


def key_fifths(melody: Melody) -> int:
    """The key signature's fifths (-6..6) for the melody's key (0 when it has none)."""
    if melody.key is None:
        return 0
    major_tonic = melody.key.tonic if melody.key.mode == "major" else (melody.key.tonic + 3) % 12
    return _MAJOR_FIFTHS[major_tonic]


def split_value(ticks: int) -> list[tuple[int, str, int, bool]]:
    """``ticks`` as printable values, longest first, whose lengths add up to it."""
    parts = []
    while ticks > 0:
        value = next(v for v in _VALUES if v[0] <= ticks)
        parts.append(value)
        ticks -= value[0]
    return parts


def write_musicxml(melody: Melody) -> bytes:
    """The melody (with its chords, if any) as MusicXML bytes, UTF-8 with a DOCTYPE."""
    fifths = key_fifths(melody)
    names = _FLAT_NAMES if fifths < 0 else _SHARP_NAMES
    root = ET.Element("score-partwise", version="4.0")
    title = melody.name or "Melody"
    ET.SubElement(ET.SubElement(root, "work"), "work-title").text = title
    ET.SubElement(root, "movement-title").text = title
    encoding = ET.SubElement(ET.SubElement(root, "identification"), "encoding")
    ET.SubElement(encoding, "software").text = "Meta-Creation Studio"
    part_list = ET.SubElement(root, "part-list")
    ET.SubElement(ET.SubElement(part_list, "score-part", id="P1"), "part-name").text = "Melody"
    part = ET.SubElement(root, "part", id="P1")

    bar = melody.bar_ticks
    end = max([melody.length_ticks, *(s.end for s in melody.chords), 1])
    bounds = [0] + ([melody.pickup] if melody.pickup else [])
    while bounds[-1] < end:
        bounds.append(bounds[-1] + bar if bounds[-1] or not melody.pickup else melody.pickup)
    for number, (start, stop) in enumerate(zip(bounds, bounds[1:]), start=0 if melody.pickup else 1):
        measure = ET.SubElement(part, "measure", number=str(number))
        if melody.pickup and number == 0:
            measure.set("implicit", "yes")
        if start == 0:
            _attributes(measure, melody, fifths)
        _fill_measure(measure, melody, start, stop, names, bounds[-1])
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + _DOCTYPE + "\n" + body + "\n").encode("utf-8")


def _attributes(measure: ET.Element, melody: Melody, fifths: int) -> None:
    attributes = ET.SubElement(measure, "attributes")
    ET.SubElement(attributes, "divisions").text = str(TICKS_PER_QUARTER)
    if melody.key is not None:  # no <key> at all for a melody without one: C major is a key
        key = ET.SubElement(attributes, "key")
        ET.SubElement(key, "fifths").text = str(fifths)
        ET.SubElement(key, "mode").text = melody.key.mode
    time = ET.SubElement(attributes, "time")
    ET.SubElement(time, "beats").text = str(melody.time_signature[0])
    ET.SubElement(time, "beat-type").text = str(melody.time_signature[1])
    clef = ET.SubElement(attributes, "clef")
    low = melody.pitch_range[0] if melody.notes else 60
    ET.SubElement(clef, "sign").text = "G" if low >= 53 else "F"
    ET.SubElement(clef, "line").text = "2" if low >= 53 else "4"
    direction = ET.SubElement(measure, "direction", placement="above")
    metronome = ET.SubElement(ET.SubElement(direction, "direction-type"), "metronome")
    ET.SubElement(metronome, "beat-unit").text = "quarter"
    bpm = f"{melody.tempo_bpm:.6g}"
    ET.SubElement(metronome, "per-minute").text = bpm
    ET.SubElement(direction, "sound", tempo=bpm)


def _with_gaps(chords: tuple[ChordSpan, ...], end: int) -> list[ChordSpan]:
    """The spans with each gap (and the time after the last chord) filled by "no chord", so a
    reader knows where a chord stops; a reader drops the trailing one."""
    filled: list[ChordSpan] = []
    at = chords[0].start if chords else end
    for span in chords:
        if span.start > at:
            filled.append(ChordSpan(None, at, span.start - at))
        filled.append(span)
        at = span.end
    if at < end:
        filled.append(ChordSpan(None, at, end - at))
    return filled


def _fill_measure(measure: ET.Element, melody: Melody, start: int, stop: int,
                  names: tuple[tuple[str, int], ...], end_of_piece: int) -> None:
    """Notes, rests and harmonies of the ticks ``start..stop``, cut at every chord change."""
    cuts = {start, stop}
    for note in melody.notes:
        cuts.update(t for t in (note.start, note.end) if start < t < stop)
    chord_starts = {s.start: s for s in _with_gaps(melody.chords, end_of_piece) if start <= s.start < stop}
    cuts.update(chord_starts)
    points = sorted(cuts)
    for a, b in zip(points, points[1:]):
        if a in chord_starts:
            _harmony(measure, chord_starts[a])
        note = next((n for n in melody.notes if n.start < b and n.end > a), None)
        for i, value in enumerate(split_value(b - a)):
            first, last = i == 0, sum(v[0] for v in split_value(b - a)[: i + 1]) == b - a
            tie_stop = note is not None and (not first or note.start < a)
            tie_start = note is not None and (not last or note.end > b)
            _note(measure, note.pitch if note else None, value, tie_start, tie_stop,
                  note.velocity if note else 80, names)


def _note(measure: ET.Element, pitch: int | None, value: tuple[int, str, int, bool], tie_start: bool,
          tie_stop: bool, velocity: int, names: tuple[tuple[str, int], ...]) -> None:
    ticks, kind, dots, triplet = value
    note = ET.SubElement(measure, "note")
    if pitch is None:
        ET.SubElement(note, "rest")
    else:
        note.set("dynamics", f"{velocity * 100 / 90:.2f}")
        step, alter = names[pitch % 12]
        element = ET.SubElement(note, "pitch")
        ET.SubElement(element, "step").text = step
        if alter:
            ET.SubElement(element, "alter").text = str(alter)
        ET.SubElement(element, "octave").text = str(pitch // 12 - 1)
    ET.SubElement(note, "duration").text = str(ticks)
    for kind_of_tie, wanted in (("stop", tie_stop), ("start", tie_start)):
        if wanted:
            ET.SubElement(note, "tie", type=kind_of_tie)
    ET.SubElement(note, "voice").text = "1"
    ET.SubElement(note, "type").text = kind
    for _ in range(dots):
        ET.SubElement(note, "dot")
    if triplet:
        modification = ET.SubElement(note, "time-modification")
        ET.SubElement(modification, "actual-notes").text = "3"
        ET.SubElement(modification, "normal-notes").text = "2"
    if tie_start or tie_stop:
        notations = ET.SubElement(note, "notations")
        for kind_of_tie, wanted in (("stop", tie_stop), ("start", tie_start)):
            if wanted:
                ET.SubElement(notations, "tied", type=kind_of_tie)


def _harmony(measure: ET.Element, span: ChordSpan) -> None:
    harmony = ET.SubElement(measure, "harmony")
    chord = span.chord
    if chord is None:
        ET.SubElement(ET.SubElement(harmony, "root"), "root-step", text="").text = "C"
        ET.SubElement(harmony, "kind", text="N.C.").text = "none"
        return
    names = _FLAT_NAMES if "b" in chord.symbol.split("/")[0][1:2] else _SHARP_NAMES
    root = ET.SubElement(harmony, "root")
    step, alter = names[chord.root]
    ET.SubElement(root, "root-step").text = step
    if alter:
        ET.SubElement(root, "root-alter").text = str(alter)
    ET.SubElement(harmony, "kind", text=chord.quality).text = _KINDS[chord.quality]
    if chord.bass is not None:
        bass = ET.SubElement(harmony, "bass")
        step, alter = (_FLAT_NAMES if names is _FLAT_NAMES else _SHARP_NAMES)[chord.bass]
        ET.SubElement(bass, "bass-step").text = step
        if alter:
            ET.SubElement(bass, "bass-alter").text = str(alter)
