"""One ABC tune's header and body to a :class:`~studio.core.melody.Melody` (see :mod:`studio.io.abc`).

Times are kept as exact fractions of a tick while reading, so triplets and broken rhythm add
up; a note that still falls between ticks at the end (a quintuplet of sixteenths, say) is
snapped to the nearest tick with a notice. Bar lines only reset accidentals, mark a pickup
(notes before the first bar line that fill less than a bar) and note repeats for the notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from studio.core.chords import QUALITIES, Chord, spans_from_onsets
from studio.core.melody import TICKS_PER_QUARTER, KeySignature, Melody, Note
from studio.io.abc import (_FIELD, _LETTERS, TuneError, parse_fraction, parse_key, parse_meter,
                           parse_tempo)

MAX_NOTES = 20_000  # as for MIDI clips
WHOLE = 4 * TICKS_PER_QUARTER

_NOTE = re.compile(r"(\^\^|\^|__|_|=)?([A-Ga-g])([',]*)(\d*(?:/+\d*)?)")
_REST = re.compile(r"([zx])(\d*(?:/+\d*)?)")
_BAR_REST = re.compile(r"([ZX])(\d*)")
_BAR = re.compile(r"\.?(?::*\|+[\]:]*|::+|\[\|[:\]]*|:+\]?)(?:\d+(?:[-,]\d+)*)?|\[\d+(?:[-,]\d+)*")
_TUPLET = re.compile(r"\((\d+)(?::(\d*))?(?::(\d*))?")
_INLINE = re.compile(r"\[([A-Za-z]):([^\]]*)\]")
# ABC 2.1's decoration letters (~, H-W, h-w: predefined or redefinable with U:), spacers and
# layout marks; "*" appears in old books as a mark after a final bar
_DECORATION_CHARS = set(".~`$*y") | set("HIJKLMNOPQRSTUVW") | set("hijklmnopqrstuvw")
_BODY_FIELDS = set("IKLMmNPQRrsTUVWw+")
_ACCIDENTAL = {"^^": 2, "^": 1, "__": -2, "_": -1, "=": 0}
#: Chord-symbol quality spellings found in tune books -> the quality of QUALITIES.
_QUALITY_SPELLINGS = {"maj": "", "M": "", "min": "m", "mi": "m", "-": "m", "M7": "maj7", "Maj7": "maj7",
                      "ma7": "maj7", "min7": "m7", "mi7": "m7", "-7": "m7", "o": "dim", "o7": "dim7",
                      "+": "aug", "sus": "sus4", "7sus4": "sus4", "7sus": "sus4", "min6": "m6",
                      "ø": "m7b5", "m7-5": "m7b5", "dom7": "7", "add9": "", "maj9": "maj7", "m9": "m7",
                      "11": "7", "13": "7", "7b9": "7", "7#9": "7", "7#5": "aug", "7+": "aug", "69": "6"}


@dataclass
class _State:
    """The running state of one tune's body."""

    unit: Fraction
    signature: dict[str, int]
    meter: tuple[int, int]
    position: Fraction = Fraction(0)  # ticks
    items: list[list] = field(default_factory=list)  # [pitch or None, start, duration, tie_start]
    chords: list[tuple[Fraction, Chord | None]] = field(default_factory=list)
    bar_accidentals: dict[tuple[str, int], int] = field(default_factory=dict)
    first_bar: Fraction | None = None
    broken: Fraction | None = None  # factor for the next note after > or <
    tuplet: tuple[Fraction, int] | None = None  # (factor, notes left)
    tie_open: bool = False
    notices: dict[str, int] = field(default_factory=dict)
    voice: str | None = None
    skipping_voice: bool = False

    def notice(self, text: str) -> None:
        self.notices[text] = self.notices.get(text, 0) + 1


def read_tune(header: list[str], lines: list[str], first_line: int) -> tuple[Melody, str, str]:
    """(melody, K: text, M: text) of one tune. ``lines`` start with its ``X:`` line at book line
    ``first_line``; ``header`` holds the book's header lines.

    Raises:
        TuneError: no K: line, a field or a note that cannot be read, or no notes.
    """
    fields: dict[str, str] = {}
    for line in header:
        match = _FIELD.match(line)
        if match:
            fields[match.group(1)] = match.group(2).strip()
    body_start = None
    for index, line in enumerate(lines):
        match = _FIELD.match(line)
        if match:
            fields[match.group(1)] = match.group(2).strip()
        if match and match.group(1) == "K":
            body_start = index + 1
            break
    if body_start is None:
        raise TuneError("has no K: line, so no body", first_line)
    meter_text = fields.get("M", "")
    meter, meter_notice = parse_meter(meter_text) if meter_text else ((4, 4), "")
    if meter is None:
        meter = (4, 4)
    if "L" in fields:
        unit = parse_fraction(fields["L"], "L:")
    else:  # ABC's default: 1/16 when the meter is below 3/4, else 1/8
        unit = Fraction(1, 16) if meter_text and Fraction(*meter) < Fraction(3, 4) else Fraction(1, 8)
    key, signature, key_notice = parse_key(fields["K"])
    state = _State(unit=unit, signature=signature, meter=meter)
    for text in (meter_notice, key_notice):
        if text:
            state.notice(text)
    tempo = parse_tempo(fields["Q"], unit) if "Q" in fields else None
    for offset, line in _joined(lines[body_start:], first_line + body_start):
        try:
            _body_line(line, state)
        except TuneError as exc:
            raise TuneError(str(exc), exc.line or offset) from None
        if len(state.items) > 5 * MAX_NOTES:
            raise TuneError(f"over {MAX_NOTES} notes; too long for a melody clip", offset)
    return _melody(state, key, tempo), fields["K"], meter_text


def _joined(lines: list[str], first: int) -> list[tuple[int, str]]:
    """(book line, text) of the body lines, a line ending in a backslash joined to the next."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, line in enumerate(lines, start=first):
        if _FIELD.match(line) or line.startswith("%"):
            out.append((number, line))
            continue
        code = line.split("%")[0].rstrip()
        if pending is not None:
            pending = (pending[0], pending[1] + " " + code)
        else:
            pending = (number, code)
        if code.endswith("\\"):
            pending = (pending[0], pending[1][:-1])
        else:
            out.append(pending)
            pending = None
    if pending is not None:
        out.append(pending)
    return out


def _body_line(line: str, state: _State) -> None:
    if line.startswith("%"):
        return
    match = _FIELD.match(line)
    if match and match.group(1) in _BODY_FIELDS:
        _field(match.group(1), match.group(2), state)
        return
    if state.skipping_voice:
        return
    line = line.split("%")[0]
    if line.endswith("\\"):
        line = line[:-1]
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if state.skipping_voice:
            return
        if ch in " \t":
            i += 1
        elif ch == '"':
            end = line.find('"', i + 1)
            if end < 0:
                raise TuneError(f"column {i + 1}: a chord symbol's quote is never closed")
            _chord_symbol(line[i + 1:end], state)
            i = end + 1
        elif ch in "!+":
            m = re.compile(re.escape(ch) + r"[^\s!+]*" + re.escape(ch)).match(line, i)
            i = m.end() if m else i + 1  # a lone ! is an old line break
        elif ch == "{":
            end = line.find("}", i + 1)
            state.notice("grace notes ignored")
            i = n if end < 0 else end + 1
        elif ch == "[" and (m := _INLINE.match(line, i)):
            _field(m.group(1), m.group(2), state)
            i = m.end()
        elif (m := _BAR.match(line, i)) and m.end() > i:
            _bar(m.group(0), state)
            i = m.end()
        elif ch == "[":
            i = _chord(line, i + 1, state)
        elif ch == "(":
            m = _TUPLET.match(line, i)
            if m:
                _tuplet(m, state)
                i = m.end()
            else:
                i += 1  # a slur
        elif ch in ")":
            i += 1
        elif ch == "-":
            if state.items and state.items[-1][0] is not None:
                state.items[-1][3] = True
            i += 1
        elif ch in "<>":
            j = i
            while j < n and line[j] == ch:
                j += 1
            _broken(ch, j - i, state)
            i = j
        elif m := _NOTE.match(line, i):
            length = _length(m.group(4), i)
            pitch = _pitch(m.group(1), m.group(2), m.group(3), state, i)
            _add(pitch, length, state)
            i = m.end()
        elif m := _REST.match(line, i):
            _add(None, _length(m.group(2), i), state)
            i = m.end()
        elif m := _BAR_REST.match(line, i):
            bars = int(m.group(2) or 1)
            bar = Fraction(WHOLE * state.meter[0], state.meter[1])
            _add(None, bars * bar / (state.unit * WHOLE), state)
            i = m.end()
        elif ch == "&":
            state.notice("voice overlays (&) ignored")
            i = _skip_to_bar(line, i)
        elif ch in _DECORATION_CHARS or ch in "\\;":
            i += 1
        else:
            raise TuneError(f"column {i + 1}: unexpected character {ch!r}")


def _field(name: str, value: str, state: _State) -> None:
    if name == "K":
        _, state.signature, _ = parse_key(value)
    elif name == "L":
        state.unit = parse_fraction(value, "L:")
    elif name == "M":
        meter, _ = parse_meter(value)
        if meter is not None and meter != state.meter:
            state.notice("meter changes ignored: the first meter is kept")
    elif name == "V":
        voice = value.split()[0] if value.split() else ""
        if state.voice is None:
            state.voice = voice
        elif voice != state.voice:
            state.notice("only the first voice read")
        state.skipping_voice = voice != state.voice


def _skip_to_bar(line: str, i: int) -> int:
    match = re.compile(r"\|").search(line, i)
    return len(line) if match is None else match.start()


def _length(text: str, column: int) -> Fraction:
    """A note length suffix (``2``, ``/``, ``//``, ``3/2``, ``/4``) as a multiple of L:."""
    if not text:
        return Fraction(1)
    if "/" not in text:
        return Fraction(int(text))
    numerator, _, rest = text.partition("/")
    slashes = 1 + len(rest) - len(rest.lstrip("/"))
    denominator_text = rest.lstrip("/")
    top = int(numerator) if numerator else 1
    bottom = int(denominator_text) if denominator_text else 2 ** slashes
    if bottom == 0:
        raise TuneError(f"column {column + 1}: a note length divides by zero")
    return Fraction(top, bottom)


def _pitch(accidental: str | None, letter: str, octaves: str, state: _State, column: int) -> int:
    octave = 4 if letter.isupper() else 5
    octave += octaves.count("'") - octaves.count(",")
    step = letter.upper()
    if accidental is not None:
        shift = _ACCIDENTAL[accidental]
        state.bar_accidentals[(step, octave)] = shift
    else:
        shift = state.bar_accidentals.get((step, octave), state.signature.get(step, 0))
    pitch = 12 * (octave + 1) + _LETTERS[step] + shift
    if not 0 <= pitch <= 127:
        raise TuneError(f"column {column + 1}: the note {letter}{octaves} is outside the MIDI range")
    return pitch


def _add(pitch: int | None, length: Fraction, state: _State) -> None:
    """Append a note (or a rest when ``pitch`` is None) of ``length`` unit notes."""
    duration = length * state.unit * WHOLE
    if state.broken is not None:
        duration *= state.broken
        state.broken = None
    if state.tuplet is not None:
        factor, left = state.tuplet
        duration *= factor
        state.tuplet = (factor, left - 1) if left > 1 else None
    if duration <= 0:
        raise TuneError("a note has no length")
    state.items.append([pitch, state.position, duration, False])
    state.position += duration


def _chord(line: str, i: int, state: _State) -> int:
    """Read ``[CEG]2`` from just after its ``[``: the top note, the first note's length."""
    end = line.find("]", i)
    if end < 0:
        raise TuneError(f"column {i}: a chord's [ is never closed")
    pitches, first_length = [], None
    for m in _NOTE.finditer(line[i:end]):
        pitches.append(_pitch(m.group(1), m.group(2), m.group(3), state, i + m.start()))
        if first_length is None:
            first_length = _length(m.group(4), i + m.start())
    after = re.compile(r"\d*(?:/+\d*)?").match(line, end + 1)
    assert after is not None
    if not pitches:
        return after.end()
    state.notice("note chords ([CEG]) reduced to their top note")
    _add(max(pitches), (first_length or Fraction(1)) * _length(after.group(0), end + 1), state)
    return after.end()


def _tuplet(m: re.Match[str], state: _State) -> None:
    p = int(m.group(1))
    if not 2 <= p <= 9:
        raise TuneError(f"the tuplet ({p} is not 2..9")
    compound = state.meter[0] % 3 == 0 and state.meter[0] > 3
    default_q = {2: 3, 3: 2, 4: 3, 6: 2, 8: 3}.get(p, 3 if compound else 2)
    q = int(m.group(2)) if m.group(2) else default_q
    r = int(m.group(3)) if m.group(3) else p
    if q == 0 or r == 0:
        raise TuneError(f"the tuplet {m.group(0)} is empty")
    state.tuplet = (Fraction(q, p), r)


def _broken(ch: str, count: int, state: _State) -> None:
    if not state.items:
        raise TuneError(f"broken rhythm {ch * count} before any note")
    if count > 3:
        raise TuneError(f"broken rhythm {ch * count} is longer than >>>")
    short = Fraction(1, 2 ** count)
    long_ = 2 - short
    first, second = (long_, short) if ch == ">" else (short, long_)
    previous = state.items[-1]
    change = previous[2] * (first - 1)
    previous[2] += change
    state.position += change
    state.broken = second


def _bar(token: str, state: _State) -> None:
    state.bar_accidentals.clear()
    if ":" in token or token.startswith("[") or any(c.isdigit() for c in token):
        state.notice("repeats and endings are not unfolded: the tune is read once through as written")
    if state.first_bar is None and state.position > 0:
        state.first_bar = state.position


def _chord_symbol(text: str, state: _State) -> None:
    text = text.strip()
    if not text or text[0] in "^_<>@":
        return  # an annotation, not a chord
    symbol = text.split()[0].strip("()")
    if symbol in ("N.C.", "NC", "N.C", "N"):
        state.chords.append((state.position, None))
        return
    match = re.fullmatch(r"([A-G])([#b]?)([^/]*)(?:/([A-G])([#b]?))?", symbol)
    if not match:
        state.notice(f"chord symbols that are not chords ignored (e.g. {symbol!r})")
        return
    root = (_LETTERS[match.group(1)] + {"#": 1, "b": -1, "": 0}[match.group(2)]) % 12
    quality_text = match.group(3)
    quality = quality_text if quality_text in QUALITIES else _QUALITY_SPELLINGS.get(quality_text)
    if quality is None and re.sub(r"maj|min|dim|aug|sus|add|mi|ma|m|M|o|b", "", quality_text).strip("0123456789#+-()"):
        state.notice(f"chord symbols that are not chords ignored (e.g. {symbol!r})")  # "Fine", "D.C."
        return
    if quality is None:
        low = quality_text.lower()
        quality = "dim" if "dim" in low else "aug" if "aug" in low else "m" if low.startswith("m") else ""
        state.notice(f"chord {symbol!r} read as the nearest triad")
    bass = None
    if match.group(4):
        bass = (_LETTERS[match.group(4)] + {"#": 1, "b": -1, "": 0}[match.group(5)]) % 12
    state.chords.append((state.position, Chord(root, quality, None if bass == root else bass)))


def _melody(state: _State, key: KeySignature | None, tempo: float | None) -> Melody:
    snapped = 0

    def tick(value: Fraction) -> int:
        nonlocal snapped
        if value.denominator != 1:
            snapped += 1
        return round(value)

    line: list[list[int]] = []
    notices = dict(state.notices)
    tie_open = False
    for pitch, start, duration, tie_start in state.items:
        if pitch is None:
            tie_open = False
            continue
        begin, end = tick(start), tick(start + duration)
        end = max(end, begin + 1)
        if tie_open and line and line[-1][0] == pitch and line[-1][2] == begin:
            line[-1][2] = end
        else:
            if line and line[-1][2] > begin:  # notes shorter than a tick collapsed onto one
                line[-1][2] = begin
                if line[-1][2] <= line[-1][1]:
                    line.pop()
                    notices["notes shorter than 1/24 beat merged"] = 1
            line.append([pitch, begin, end])
        tie_open = tie_start
    if not line:
        raise TuneError("contains no notes")
    if len(line) > MAX_NOTES:
        raise TuneError(f"too long for a melody clip ({len(line)} notes; the limit is {MAX_NOTES})")
    if snapped:
        notices[f"{snapped} note times off the grid snapped to the nearest 1/24 beat"] = 1
    bar = WHOLE * state.meter[0] // state.meter[1]
    shift = line[0][1]
    first_bar = tick(state.first_bar) if state.first_bar is not None else 0
    origin = first_bar if 0 < first_bar < bar else 0
    downbeat = origin + -(-(shift - origin) // bar) * bar if shift > origin else origin
    notes = tuple(Note(p, s - shift, e - s) for p, s, e in line)
    end = max(notes[-1].end, tick(state.position) - shift)
    spans = spans_from_onsets(((max(0, tick(at) - shift), chord) for at, chord in state.chords), end)
    if tempo is not None and not 1 <= tempo <= 1000:
        notices[f"tempo {tempo:g} BPM ignored (outside 1..1000)"] = 1
        tempo = None
    texts = tuple(f"{t} ({c}x)" if c > 1 else t for t, c in notices.items())
    return Melody(notes, tempo or 120.0, state.meter, key, downbeat - shift, "", texts, spans)
