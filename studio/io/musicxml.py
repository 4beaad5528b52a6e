"""MusicXML in (``.musicxml``, ``.xml``, compressed ``.mxl``): the melody line of a score and its chords.

:func:`read_musicxml` returns the melody of the part named melody/lead/voice (else the first
part with notes): the top line of its first staff (chords keep their highest note, a second
voice is cut where the top one sounds), its key, meter, tempo, pickup bar (an ``implicit``
first measure, or silence before the first note) and its chord symbols (``<harmony>``) as
:class:`~studio.core.chords.ChordSpan` s on the 24-ticks-per-quarter grid. Ties are joined,
dots and tuplets come from the durations (triplets fit the grid; anything finer is snapped
to the nearest tick with a notice), grace and cue notes are dropped, and repeats are *not*
unfolded: the melody is read once through as written (both endings kept), with a notice.

The parser is the standard library's expat behind :mod:`studio.io.safe_xml` (no entities,
bounded size, elements and depth); a ``.mxl`` zip is bounded like a project file. Errors are
:class:`~studio.errors.SampleLoadError` naming the file and the measure and line, raised
before anything is returned: a file imports whole or not at all. The write side
(:func:`write_musicxml`) lives in :mod:`studio.io.musicxml_write`.
"""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from fractions import Fraction

from studio.core.chords import Chord, ChordSpan, spans_from_onsets
from studio.core.melody import TICKS_PER_QUARTER, KeySignature, Melody, Note
from studio.errors import SampleLoadError
from studio.io.safe_xml import MAX_XML_BYTES, XmlRefused, line_of, parse_xml

MAX_MXL_MEMBERS = 1000  # a .mxl holds the score, a container and perhaps a few images
MAX_MXL_RATIO = 200  # uncompressed / compressed for the score; XML deflates ~10-20x
MAX_NOTES = 20_000  # in the melody line, as for MIDI clips
MAX_MEASURES = 10_000
MAX_DIVISIONS = 10**7  # divisions per quarter; real files use 1..10080
MELODY_PART_NAMES = ("melody", "lead", "voice", "vocal", "singer", "soprano", "tune")
ZIP_MAGIC = b"PK\x03\x04"

_STEPS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_MODE_SHIFT = {"major": (0, "major"), "ionian": (0, "major"), "minor": (9, "minor"),
               "aeolian": (9, "minor"), "dorian": (2, "minor"), "phrygian": (4, "minor"),
               "lydian": (5, "major"), "mixolydian": (7, "major"), "locrian": (11, "minor")}

#: Every MusicXML ``<kind>`` value -> (quality of QUALITIES, exact?). Inexact ones are the
#: nearest chord the studio's qualities hold (extensions dropped) and are counted in a notice.
KIND_QUALITIES: dict[str, tuple[str, bool]] = {
    "major": ("", True), "minor": ("m", True), "augmented": ("aug", True),
    "diminished": ("dim", True), "dominant": ("7", True), "major-seventh": ("maj7", True),
    "minor-seventh": ("m7", True), "diminished-seventh": ("dim7", True),
    "augmented-seventh": ("aug", False), "half-diminished": ("m7b5", True),
    "major-minor": ("m", False), "major-sixth": ("6", True), "minor-sixth": ("m6", True),
    "dominant-ninth": ("9", True), "major-ninth": ("maj7", False), "minor-ninth": ("m7", False),
    "dominant-11th": ("7", False), "major-11th": ("maj7", False), "minor-11th": ("m7", False),
    "dominant-13th": ("7", False), "major-13th": ("maj7", False), "minor-13th": ("m7", False),
    "suspended-second": ("sus2", True), "suspended-fourth": ("sus4", True),
    "Neapolitan": ("", True), "Italian": ("7", False), "French": ("7", False),
    "German": ("7", True), "pedal": ("", False), "power": ("", False), "Tristan": ("m7b5", True),
}


def sniff_musicxml(data: bytes) -> bool:
    """True when the first bytes look like an uncompressed MusicXML score."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    return b"<score-partwise" in head or b"<score-timewise" in head


def read_musicxml(path: str | os.PathLike, data: bytes | None = None) -> list[Melody]:
    """The melody (one; a list for symmetry with ABC books) of the MusicXML or .mxl at ``path``.

    ``data`` stands for the file's bytes when given (a project's stored copy).

    Raises:
        SampleLoadError: unreadable, hostile, not MusicXML, no notes, or a malformed measure
            (the message names the file, the measure and the line).
    """
    path = str(path)
    if data is None:
        from studio.io.samples import read_file_bytes

        data = read_file_bytes(path)
    notice = ""
    if data.startswith(ZIP_MAGIC):
        data, notice = _unzip_score(path, data)
    try:
        root = parse_xml(data)
    except XmlRefused as exc:
        raise SampleLoadError(str(exc), path) from exc
    tag = _local(root.tag)
    if tag == "score-timewise":
        root = _timewise_to_partwise(root)
    elif tag != "score-partwise":
        raise SampleLoadError(f"not a MusicXML score (its root element is <{tag}>)", path)
    reader = _Reader(path)
    melody = reader.read(root)
    return [replace(melody, notices=(notice, *melody.notices)) if notice else melody]


def _unzip_score(path: str, data: bytes) -> tuple[bytes, str]:
    """The score XML inside a compressed MusicXML (.mxl) archive, with zip-bomb limits, and a
    notice (empty when there is nothing to say)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len(infos) > MAX_MXL_MEMBERS:
            raise SampleLoadError(f"the .mxl archive has {len(infos)} members; over {MAX_MXL_MEMBERS} is refused", path)
        names = {info.filename: info for info in infos}
        rootfile, notice = None, ""
        if "META-INF/container.xml" in names:
            try:
                container = parse_xml(_read_member(path, archive, names["META-INF/container.xml"], 2**20))
            except XmlRefused as exc:  # e.g. an apostrophe of the title inside '...' quotes
                notice = f"META-INF/container.xml is damaged ({exc}); the archive's only score was read"
            else:
                for element in container.iter():
                    if _local(element.tag) == "rootfile" and element.get("full-path"):
                        media = element.get("media-type", "")
                        if not media or "musicxml" in media or media.endswith("xml"):
                            rootfile = element.get("full-path")
                            break
        if rootfile is None:  # no container, or a damaged one: take the only score-like member
            candidates = [n for n in names if n.lower().endswith((".xml", ".musicxml"))
                          and not n.startswith("META-INF/")]
            rootfile = candidates[0] if len(candidates) == 1 else None
        if rootfile is None or rootfile not in names:
            raise SampleLoadError("this zip archive is not a compressed MusicXML (.mxl) file: its "
                                  "META-INF/container.xml names no score inside it", path)
        return _read_member(path, archive, names[rootfile], MAX_XML_BYTES), notice
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
        raise SampleLoadError(f"the .mxl archive is damaged ({exc})", path) from exc


def _read_member(path: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise SampleLoadError(f"{info.filename!r} inside the .mxl is {info.file_size / 2**20:.0f} MB; "
                              f"over {limit / 2**20:.0f} MB is refused", path)
    if info.file_size > 2**20 and info.file_size > MAX_MXL_RATIO * max(1, info.compress_size):
        raise SampleLoadError(f"{info.filename!r} inside the .mxl expands {info.file_size // max(1, info.compress_size)}x; "
                              "refusing a likely zip bomb", path)
    chunks, size = [], 0
    with archive.open(info) as member:  # read in chunks: a header that lies cannot flood memory
        while chunk := member.read(min(2**20, limit - size + 1)):
            size += len(chunk)
            if size > limit or size > info.file_size:
                raise SampleLoadError(f"{info.filename!r} inside the .mxl is larger than its header says; refused", path)
            chunks.append(chunk)
    return b"".join(chunks)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _timewise_to_partwise(root: ET.Element) -> ET.Element:
    """A score-timewise tree rearranged as score-partwise (measures inside parts)."""
    partwise = ET.Element("score-partwise", root.attrib)
    parts: dict[str, ET.Element] = {}
    for child in root:
        if _local(child.tag) != "measure":
            partwise.append(child)
            continue
        for part in child:
            if _local(part.tag) != "part":
                continue
            target = parts.get(part.get("id", ""))
            if target is None:
                target = parts[part.get("id", "")] = ET.SubElement(partwise, "part", part.attrib)
            measure = ET.SubElement(target, "measure", child.attrib)
            measure.extend(list(part))
    return partwise


@dataclass
class _Event:
    start: Fraction  # in quarters from the score's start
    duration: Fraction
    pitch: int
    tie_stop: bool
    tie_start: bool
    staff: str
    voice: str
    velocity: int = 80


@dataclass
class _Part:
    """What one pass over a part's measures found, in quarters."""

    events: list[_Event] = field(default_factory=list)
    harmonies: list[tuple[Fraction, Chord | None]] = field(default_factory=list)
    end: Fraction = Fraction(0)
    first_measure: Fraction = Fraction(0)
    first_implicit: bool = False


class _Reader:
    """One file's reading state: the settings met so far and the notices to report."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.notices: dict[str, int] = {}
        self.tempo: float | None = None
        self.meter: tuple[int, int] | None = None
        self.key: KeySignature | None = None
        self.transpose = 0  # semitones from written to sounding pitch (a B-flat clarinet: -2)
        self.where = ""

    def fail(self, reason: str, element: ET.Element | None = None) -> SampleLoadError:
        line = line_of(element) if element is not None else 0
        place = ", ".join(p for p in (self.where, f"line {line}" if line else "") if p)
        return SampleLoadError(f"{place}: {reason}" if place else reason, self.path)

    def notice(self, text: str) -> None:
        self.notices[text] = self.notices.get(text, 0) + 1

    def read(self, root: ET.Element) -> Melody:
        parts = [p for p in root if _local(p.tag) == "part"]
        if not parts:
            raise self.fail("the score has no parts")
        names = {sp.get("id", ""): (sp.findtext("part-name") or "").strip()
                 for sp in root.iter("score-part")}
        named = [p for p in parts if any(w in names.get(p.get("id", ""), "").lower() for w in MELODY_PART_NAMES)]
        chosen: _Part | None = None
        for part in named + [p for p in parts if p not in named]:
            self.tempo, self.meter, self.key, self.notices, self.transpose = None, None, None, {}, 0
            chosen = self._read_part(part)
            if chosen.events:
                if len(parts) > 1:
                    label = names.get(part.get("id", ""), "") or part.get("id", "")
                    self.notice(f"melody taken from part {label!r} of {len(parts)}")
                break
        if chosen is None or not chosen.events:
            self.where = ""
            raise self.fail("contains no notes")
        return self._melody(root, chosen)

    # -- one part -----------------------------------------------------------------------------
    def _read_part(self, part: ET.Element) -> _Part:
        out = _Part()
        divisions = Fraction(1)
        measure_start = Fraction(0)
        measures = [m for m in part if _local(m.tag) == "measure"]
        if len(measures) > MAX_MEASURES:
            raise self.fail(f"the part has {len(measures)} measures; over {MAX_MEASURES} is refused")
        for index, measure in enumerate(measures):
            self.where = f"measure {measure.get('number', index + 1)}"
            position = Fraction(0)
            longest = Fraction(0)
            last_start = Fraction(0)
            for element in measure:
                tag = _local(element.tag)
                if tag == "attributes":
                    divisions = self._attributes(element, divisions)
                elif tag == "note":
                    duration = self._duration(element, divisions)
                    if element.find("chord") is not None:
                        start = last_start
                    else:
                        start = position
                        position += duration
                    last_start = start
                    self._note(element, measure_start + start, duration, out)
                elif tag == "backup":
                    position -= self._duration(element, divisions)
                    if position < 0:
                        raise self.fail("<backup> goes back past the start of the measure", element)
                elif tag == "forward":
                    position += self._duration(element, divisions)
                elif tag == "harmony":
                    offset = element.findtext("offset")
                    at = position + (self._number(offset, element, "offset") / divisions if offset else 0)
                    out.harmonies.append((measure_start + max(Fraction(0), at), self._harmony(element)))
                elif tag == "direction":
                    self._direction(element)
                elif tag == "sound":
                    self._sound(element)
                elif tag == "barline":
                    if element.find("repeat") is not None or element.find("ending") is not None:
                        self.notice("repeats and endings are not unfolded: the melody is read once through as written")
                longest = max(longest, position)
            if index == 0:
                out.first_measure = longest
                out.first_implicit = measure.get("implicit") == "yes"
            measure_start += longest
        out.end = measure_start
        return out

    def _number(self, text: str | None, element: ET.Element, what: str) -> Fraction:
        try:
            value = Fraction((text or "").strip())
        except (ValueError, ZeroDivisionError) as exc:
            raise self.fail(f"<{what}> is {text!r}, not a number", element) from exc
        if abs(value) > 10**9:
            raise self.fail(f"<{what}> is {text}, beyond any sensible value", element)
        return value

    def _duration(self, element: ET.Element, divisions: Fraction) -> Fraction:
        text = element.findtext("duration")
        if text is None:
            if element.find("grace") is not None or _local(element.tag) != "note":
                return Fraction(0)
            raise self.fail("a note has no <duration>", element)
        value = self._number(text, element, "duration")
        if value < 0:
            raise self.fail(f"negative <duration> {text}", element)
        return value / divisions

    def _attributes(self, element: ET.Element, divisions: Fraction) -> Fraction:
        text = element.findtext("divisions")
        if text is not None:
            divisions = self._number(text, element, "divisions")
            if not 0 < divisions <= MAX_DIVISIONS:
                raise self.fail(f"<divisions> is {text}; it must be 1..{MAX_DIVISIONS}", element)
        key = element.find("key")
        if key is not None and key.findtext("fifths") is not None:
            fifths = int(self._number(key.findtext("fifths"), key, "fifths"))
            if not -7 <= fifths <= 7:
                raise self.fail(f"<fifths> is {fifths}; a key has -7..7", key)
            mode = (key.findtext("mode") or "major").strip().lower()
            shift, studio_mode = _MODE_SHIFT.get(mode, (0, "major"))
            if mode not in _MODE_SHIFT:
                self.notice(f"key mode {mode!r} read as major")
            elif mode not in ("major", "minor", "ionian", "aeolian"):
                self.notice(f"{mode} mode kept as {studio_mode} on its tonic")
            found = KeySignature((fifths * 7 + shift) % 12, studio_mode)
            if self.key is None:
                self.key = found
            elif found != self.key:
                self.notice("key changes ignored: the first key is kept")
        transpose = element.find("transpose")
        if transpose is not None:  # a transposing instrument: the studio keeps sounding pitch
            chromatic = self._number(transpose.findtext("chromatic") or "0", transpose, "chromatic")
            octaves = self._number(transpose.findtext("octave-change") or "0", transpose, "octave-change")
            self.transpose = int(chromatic) + 12 * int(octaves)
            if self.transpose:
                self.notice("a transposing part: notes read at sounding pitch")
        time = element.find("time")
        if time is not None and time.findtext("beats") is not None:
            try:
                beats = sum(int(b) for b in re.split(r"[+]", time.findtext("beats", "").strip()))
                beat_type = int(time.findtext("beat-type", "").strip())
            except ValueError as exc:
                raise self.fail(f"<time> {time.findtext('beats')}/{time.findtext('beat-type')} is not a meter", time) from exc
            if not 1 <= beats <= 64 or beat_type not in (1, 2, 4, 8, 16, 32):
                raise self.fail(f"the meter {beats}/{beat_type} is not one the studio keeps", time)
            if self.meter is None:
                self.meter = (beats, beat_type)
            elif self.meter != (beats, beat_type):
                self.notice("meter changes ignored: the first meter is kept")
        return divisions

    def _note(self, element: ET.Element, start: Fraction, duration: Fraction, out: _Part) -> None:
        if element.find("grace") is not None:
            self.notice("grace notes dropped")
            return
        if element.find("cue") is not None or element.find("rest") is not None or duration == 0:
            return
        pitch = element.find("pitch")
        if pitch is None:  # unpitched percussion
            self.notice("unpitched notes dropped")
            return
        step = (pitch.findtext("step") or "").strip().upper()
        if step not in _STEPS:
            raise self.fail(f"<step> is {pitch.findtext('step')!r}, not A-G", pitch)
        alter = self._number(pitch.findtext("alter") or "0", pitch, "alter")
        octave = self._number(pitch.findtext("octave"), pitch, "octave")
        midi = 12 * (int(octave) + 1) + _STEPS[step] + round(alter) + self.transpose
        if not 0 <= midi <= 127:
            raise self.fail(f"the note {step}{octave} is outside the MIDI range", pitch)
        ties = {t.get("type") for t in element.findall("tie")}
        ties |= {t.get("type") for n in element.findall("notations") for t in n.findall("tied")}
        velocity = 80
        if element.get("dynamics"):  # percent of forte (velocity 90), as notation programs write it
            try:
                velocity = min(127, max(1, round(float(element.get("dynamics", "")) * 0.9)))
            except ValueError:
                pass
        out.events.append(_Event(start, duration, midi, "stop" in ties, "start" in ties,
                                 element.findtext("staff", "1").strip(), element.findtext("voice", "1").strip(),
                                 velocity))
        if len(out.events) > 5 * MAX_NOTES:
            raise self.fail(f"over {5 * MAX_NOTES} notes in one part; too long for a melody clip", element)

    def _harmony(self, element: ET.Element) -> Chord | None:
        kind_element = element.find("kind")
        kind = (kind_element.text or "").strip() if kind_element is not None else "major"
        if kind == "none":
            return None
        root = element.find("root")
        if root is None:
            if element.find("function") is not None or element.find("numeral") is not None:
                self.notice("roman-numeral harmonies dropped")
            return None
        pc = self._pitch_class(root, "root-step", "root-alter")
        if kind in KIND_QUALITIES:
            quality, exact = KIND_QUALITIES[kind]
            if not exact:
                self.notice(f"chord kind {kind!r} read as the nearest chord the studio knows ({quality or 'major'})")
        else:
            text = kind.lower()
            quality = "dim" if "dim" in text else "aug" if "aug" in text else "m" if "min" in text else ""
            self.notice(f"unknown chord kind {kind!r} read as the nearest triad ({quality or 'major'})")
        if element.find("degree") is not None:
            self.notice("added or altered chord degrees dropped")
        bass_element = element.find("bass")
        bass = None if bass_element is None else self._pitch_class(bass_element, "bass-step", "bass-alter")
        return Chord(pc, quality, None if bass == pc else bass)

    def _pitch_class(self, element: ET.Element, step_tag: str, alter_tag: str) -> int:
        step = (element.findtext(step_tag) or "").strip().upper()
        if step not in _STEPS:
            raise self.fail(f"<{step_tag}> is {element.findtext(step_tag)!r}, not A-G", element)
        return (_STEPS[step] + round(self._number(element.findtext(alter_tag) or "0", element, alter_tag))) % 12

    def _direction(self, element: ET.Element) -> None:
        for sound in element.iter("sound"):
            self._sound(sound)
        for metronome in element.iter("metronome"):
            unit = (metronome.findtext("beat-unit") or "").strip()
            per_minute = metronome.findtext("per-minute")
            scale = {"half": 2.0, "quarter": 1.0, "eighth": 0.5}.get(unit)
            try:
                bpm = float(per_minute or "") * (scale or 0) * (1.5 if metronome.find("beat-unit-dot") is not None else 1)
            except ValueError:
                continue  # text such as "c. 100" is for people
            if bpm and self.tempo is None:
                self._set_tempo(bpm)

    def _sound(self, element: ET.Element) -> None:
        if element.get("tempo") is None:
            return
        try:
            self._set_tempo(float(element.get("tempo", "")))
        except ValueError as exc:
            raise self.fail(f"<sound tempo> is {element.get('tempo')!r}, not a number", element) from exc

    def _set_tempo(self, bpm: float) -> None:
        if not 1.0 <= bpm <= 1000.0:
            self.notice(f"tempo {bpm:g} BPM ignored (outside 1..1000)")
        elif self.tempo is None:
            self.tempo = bpm
        elif abs(bpm - self.tempo) > 1e-6:
            self.notice("tempo changes ignored: the first tempo is kept")

    # -- the melody ---------------------------------------------------------------------------
    def _melody(self, root: ET.Element, part: _Part) -> Melody:
        self.where = ""
        staff = min(e.staff for e in part.events)
        events = sorted((e for e in part.events if e.staff == staff), key=lambda e: (e.start, -e.pitch))
        if any(e.staff != staff for e in part.events):
            self.notice(f"only staff {staff} of the part read")
        snapped = 0

        def grid(quarters: Fraction) -> int:
            nonlocal snapped
            exact = quarters * TICKS_PER_QUARTER
            if exact.denominator != 1:
                snapped += 1
            return round(exact)

        line: list[list[int]] = []  # [pitch, start, end, velocity] of the top line, ticks
        open_tie: dict[int, list[int]] = {}
        dropped = 0
        for event in events:
            start, end = grid(event.start), grid(event.start + event.duration)
            end = max(end, start + 1)
            if event.tie_stop and event.pitch in open_tie and open_tie[event.pitch][2] == start:
                tied = open_tie[event.pitch]
                tied[2] = end
                if not event.tie_start:
                    del open_tie[event.pitch]
                continue
            if line and line[-1][1] == start:  # a chord or a second voice at the same onset
                if event.pitch <= line[-1][0]:
                    dropped += 1
                    continue
                line.pop()
                dropped += 1
            elif line and line[-1][2] > start:
                if line[-1][2] >= end and event.pitch < line[-1][0]:
                    dropped += 1  # a lower voice under a held note
                    continue
                line[-1][2] = start
            entry = [event.pitch, start, end, event.velocity]
            line.append(entry)
            if event.tie_start:
                open_tie[event.pitch] = entry
        if dropped:
            self.notice("chords and lower voices reduced to the top line")
        if snapped:
            self.notices[f"{snapped} note times off the grid (e.g. quintuplets) snapped to the nearest 1/24 beat"] = 1
        if len(line) > MAX_NOTES:
            raise self.fail(f"too long for a melody clip ({len(line)} notes; the limit is {MAX_NOTES})")

        meter = self.meter or (4, 4)
        if self.meter is None:
            self.notice("no time signature: 4/4 assumed")
        bar = Melody((), time_signature=meter).bar_ticks
        first = grid(part.first_measure)
        origin = first if (part.first_implicit or 0 < first < bar) and first < bar else 0
        shift = line[0][1]
        downbeat = origin + -(-(shift - origin) // bar) * bar if shift > origin else origin
        pickup = downbeat - shift
        notes = tuple(Note(p, s - shift, e - s, v) for p, s, e, v in line)
        chords = self._chords(part, grid, shift, notes[-1].end, grid(part.end) - shift)
        name = (root.findtext("work/work-title") or root.findtext("movement-title") or "").strip()
        name = name or os.path.splitext(os.path.basename(self.path))[0]
        notices = tuple(f"{text} ({count}x)" if count > 1 else text for text, count in self.notices.items())
        try:
            return Melody(notes, self.tempo or 120.0, meter, self.key, pickup, name, notices, chords)
        except ValueError as exc:  # not expected after the checks above; still never a crash
            raise self.fail(f"the melody cannot be built ({exc})") from exc

    def _chords(self, part: _Part, grid: object, shift: int, last_note_end: int, end: int) -> tuple[ChordSpan, ...]:
        assert callable(grid)
        end = max(end, last_note_end)
        onsets = ((max(0, grid(at) - shift), chord) for at, chord in sorted(part.harmonies, key=lambda h: h[0]))
        return spans_from_onsets(onsets, end)


def write_musicxml(melody: Melody) -> bytes:
    """The melody as a MusicXML lead sheet (see :mod:`studio.io.musicxml_write`)."""
    from studio.io.musicxml_write import write_musicxml as write

    return write(melody)
