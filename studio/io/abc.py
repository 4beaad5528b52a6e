"""ABC notation in (``.abc``): a tune book becomes one melody per tune, each tune judged alone.

A book is split at its ``X:`` lines; the lines before the first tune (the file header) apply
to every tune. A tune's header gives its title (``T:``), meter (``M:``, ``C`` and ``C|`` too),
unit note length (``L:``), tempo (``Q:``) and key (``K:``, modes such as ``Ddor`` and
``A mixolydian`` too: kept as the major or minor key on the mode's tonic, the signature exact).
The body (:mod:`studio.io.abc_body`) reads notes with accidentals, octaves, lengths, broken
rhythm, ties, tuplets, chords in brackets (their top note) and chord symbols in quotes
(``"Am"`` -> ``Melody.chords``); grace notes, decorations, slurs, lyrics and annotations are
ignored. Repeats and first/second endings are *not* unfolded: a tune is read once through as
written, both endings kept, with a notice. Only the first voice of a multi-voice tune is read.

A tune that fails is refused alone with its ``X:`` number, title and reason (an
:class:`~studio.errors.SampleLoadError` naming the file); the other tunes import.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from fractions import Fraction

from studio.core.melody import KeySignature, Melody
from studio.errors import SampleLoadError

MAX_BOOK_BYTES = 32 * 2**20  # the largest public tune books are a few MB
MAX_TUNES = 10_000
MAX_TUNE_LINES = 5_000  # a tune is tens of lines; thousands mean a missing X: or a damaged file

_FIELD = re.compile(r"^([A-Za-z+]):(.*)$")
_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_MAJOR_FIFTHS = {0: 0, 7: 1, 2: 2, 9: 3, 4: 4, 11: 5, 6: 6, 1: -5, 8: -4, 3: -3, 10: -2, 5: -1}
#: Mode (first three letters) -> (semitones from the major key's tonic, the studio's mode).
MODES = {"maj": (0, "major"), "ion": (0, "major"), "min": (9, "minor"), "m": (9, "minor"),
         "aeo": (9, "minor"), "dor": (2, "minor"), "phr": (4, "minor"), "lyd": (5, "major"),
         "mix": (7, "major"), "loc": (11, "minor")}


class TuneError(ValueError):
    """One tune cannot be read; ``line`` is the line of the book where it was noticed."""

    def __init__(self, reason: str, line: int = 0) -> None:
        self.line = line
        super().__init__(reason)


@dataclass(frozen=True)
class AbcTune:
    """One imported tune: its ``X:`` number, title, key and meter as written, its text on its own
    (the book's header, then the tune) and its melody."""

    number: str
    title: str
    key_text: str
    meter_text: str
    text: str
    melody: Melody


@dataclass(frozen=True)
class AbcBook:
    """What one file gave: the tunes that imported and one error per tune that did not."""

    tunes: tuple[AbcTune, ...]
    refused: tuple[SampleLoadError, ...]


def sniff_abc(data: bytes) -> bool:
    """True when the text looks like ABC: ``%abc`` first, or an ``X:`` line and a ``K:`` line."""
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%abc"):
        return True
    return bool(re.search(rb"(?m)^X:[ \t]*\d", head) and re.search(rb"(?m)^K:", head))


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of an ABC file (UTF-8, else Latin-1 as older books are) and a notice ("" if none)."""
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return data.decode("latin-1"), "the file is not UTF-8; read as Latin-1"


def read_abc(path: str | os.PathLike, data: bytes | None = None) -> list[Melody]:
    """The melodies of the ABC file at ``path`` (one per tune that imports), in book order.

    Raises:
        SampleLoadError: the file cannot be read, holds no tune, or no tune imports (the
            message names each refused tune and why).
    """
    book = read_abc_book(path, data)
    if not book.tunes:
        reasons = "; ".join(e.reason for e in book.refused[:5])
        raise SampleLoadError(f"no tune could be read ({reasons})", str(path))
    return [t.melody for t in book.tunes]


def read_abc_book(path: str | os.PathLike, data: bytes | None = None) -> AbcBook:
    """Every tune of the book: those that import, and a SampleLoadError per refused tune.

    Raises:
        SampleLoadError: the file cannot be read, is too large, or holds no tune at all.
    """
    from studio.io.abc_body import read_tune

    path = str(path)
    if data is None:
        from studio.io.samples import read_file_bytes

        data = read_file_bytes(path)
    if len(data) > MAX_BOOK_BYTES:
        raise SampleLoadError(f"the ABC file is {len(data) / 2**20:.0f} MB; over "
                              f"{MAX_BOOK_BYTES // 2**20} MB is refused", path)
    if b"\x00" in data[:65536]:
        raise SampleLoadError("this is binary data, not ABC text", path)
    text, encoding_notice = decode_text(data)
    header, chunks = split_book(text)
    if not chunks:
        raise SampleLoadError("no tune found (a tune starts with an X: line and has a K: line)", path)
    if len(chunks) > MAX_TUNES:
        raise SampleLoadError(f"the book holds {len(chunks)} tunes; over {MAX_TUNES} is refused", path)
    tunes: list[AbcTune] = []
    refused: list[SampleLoadError] = []
    stem = os.path.splitext(os.path.basename(path))[0]
    for first_line, lines in chunks:
        number = lines[0][2:].strip() or "?"
        title = next((ln[2:].strip() for ln in lines if ln.startswith("T:")), "")
        label = f"tune X:{number}" + (f" ({title})" if title else "")
        try:
            if len(lines) > MAX_TUNE_LINES:
                raise TuneError(f"over {MAX_TUNE_LINES} lines; a missing X: line or a damaged file?")
            melody, key_text, meter_text = read_tune(header, lines, first_line)
        except TuneError as exc:
            where = f", line {exc.line}" if exc.line else ""
            refused.append(SampleLoadError(f"{label}{where}: {exc}", path))
            continue
        except (ValueError, ArithmeticError, RecursionError) as exc:  # a bug or absurd numbers: never a crash
            refused.append(SampleLoadError(f"{label}: cannot be read ({exc})", path))
            continue
        notices = (encoding_notice,) if encoding_notice else ()
        melody = replace(melody, name=title or f"{stem} X:{number}", notices=notices + melody.notices)
        tune_text = "".join(ln + "\n" for ln in header) + "".join(ln + "\n" for ln in lines)
        tunes.append(AbcTune(number, title, key_text, meter_text, tune_text, melody))
    return AbcBook(tuple(tunes), tuple(refused))


def split_book(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(file header lines, [(line number of X:, tune lines)]): a tune runs from its ``X:`` line
    to a blank line or the next ``X:``; free text between tunes is dropped."""
    header: list[str] = []
    chunks: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("X:"):
            current = [line]
            chunks.append((number, current))
        elif current is not None:
            if not line.strip():
                current = None  # a blank line ends the tune
            else:
                current.append(line)
        elif not chunks and _FIELD.match(line) and not line.startswith(("T:", "K:")):
            header.append(line)  # file header fields (L:, M:, R:, ...) apply to every tune
        elif not chunks and line.startswith("%%"):
            header.append(line)
    return header, chunks


def parse_key(text: str) -> tuple[KeySignature | None, dict[str, int], str]:
    """``K:`` text -> (the studio's key, the signature as {letter: semitones}, a notice or "").

    Raises:
        TuneError: the key cannot be read.
    """
    words = text.split("%")[0].strip()
    words = re.sub(r"\b(clef|middle|transpose|octave|stafflines|m)=\S*", "", words).strip()
    if not words or words.lower().startswith("none"):
        return None, {}, ""
    if words in ("HP", "Hp"):
        return KeySignature(2, "major"), ({"F": 1, "C": 1} if words == "Hp" else {}), \
            "Highland pipe key read as D major"
    match = re.match(r"([A-Ga-g])([#b]?)\s*([A-Za-z]*)(.*)$", words)
    if not match:
        raise TuneError(f"the key K:{text} cannot be read")
    letter, accidental, mode_word, rest = match.groups()
    tonic = (_LETTERS[letter.upper()] + {"#": 1, "b": -1, "": 0}[accidental]) % 12
    mode_key = mode_word.lower()[:3] if mode_word.lower() not in ("m",) else "m"
    if mode_key == "exp":  # K:D exp ^f ^c: the explicit signature alone
        mode_key = ""
    if mode_key and mode_key not in MODES:
        raise TuneError(f"the key K:{text} has an unknown mode {mode_word!r}")
    shift, studio_mode = MODES.get(mode_key, (0, "major"))
    major_tonic = (tonic - shift) % 12
    fifths = _MAJOR_FIFTHS[major_tonic]
    signature = {ch: 1 for ch in "FCGDAEB"[:fifths]} if fifths > 0 else {ch: -1 for ch in "BEADGCF"[:-fifths]}
    if mode_word.lower()[:3] == "exp":
        signature = {}
    for acc, note in re.findall(r"(\^\^|\^|__|_|=)([A-Ga-g])", rest):
        signature[note.upper()] = {"^^": 2, "^": 1, "__": -2, "_": -1, "=": 0}[acc]
    notice = ""
    if mode_key not in ("", "maj", "ion", "min", "m", "aeo"):
        notice = f"mode {mode_word!r} of K:{words} kept as {studio_mode} on its tonic"
    return KeySignature(tonic, studio_mode), signature, notice


def parse_meter(text: str) -> tuple[tuple[int, int] | None, str]:
    """``M:`` text -> ((beats, beat type) or None for free meter, a notice or "").

    Raises:
        TuneError: the meter cannot be read.
    """
    words = text.split("%")[0].strip()
    if words in ("C", "C|"):
        return ((4, 4) if words == "C" else (2, 2)), ""
    if not words or words.lower() == "none":
        return None, "free meter (M:none): 4/4 bars assumed"
    notice = ""
    if words.upper().startswith("FREI"):  # the Essen collections' "free, mostly 4/4"
        words, notice = words[4:].strip(), f"free meter (M:{words}) read as {words[4:].strip()}"
    match = re.fullmatch(r"\(?([\d+ ]+)\)?\s*/\s*(\d+)", words)
    if not match:
        raise TuneError(f"the meter M:{text} cannot be read")
    beats = sum(int(b) for b in match.group(1).replace(" ", "").split("+") if b)
    beat_type = int(match.group(2))
    if not 1 <= beats <= 64 or beat_type not in (1, 2, 4, 8, 16, 32):
        raise TuneError(f"the meter M:{text} is not one the studio keeps")
    return (beats, beat_type), notice


def parse_fraction(text: str, what: str) -> Fraction:
    """``1/8`` -> Fraction(1, 8); raises TuneError naming ``what`` otherwise."""
    try:
        value = Fraction(text.split("%")[0].strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise TuneError(f"{what} {text!r} is not a fraction such as 1/8") from exc
    if not 0 < value <= 16:
        raise TuneError(f"{what} {text!r} is out of range")
    return value


def parse_tempo(text: str, unit: Fraction) -> float | None:
    """``Q:`` text -> quarter-note beats per minute (None when it holds no number)."""
    words = re.sub(r'"[^"]*"', "", text.split("%")[0]).strip()
    match = re.search(r"((?:\d+/\d+\s*)+)=\s*(\d+(?:\.\d+)?)", words)
    if match:
        beat = sum(Fraction(f) for f in match.group(1).split())
        return float(match.group(2)) * float(beat) * 4
    match = re.search(r"C\d*\s*=\s*(\d+(?:\.\d+)?)|^(\d+(?:\.\d+)?)$", words)
    if match:  # old forms: "C=120" or "120" count unit note lengths
        return float(match.group(1) or match.group(2)) * float(unit) * 4
    return None
