"""Chord text, as musicians type it, to chord spans and back (``C | G | Am F | F``).

Bars are separated by ``|``; the chords of a bar split it evenly; a root is a letter A-G with
an optional ``#`` or ``b``, followed by a quality of :data:`studio.core.chords.QUALITIES` (a few
common spellings such as ``min``, ``-``, ``M7``, ``o``, ``+`` and ``ø`` are accepted too) and an
optional slash bass (``C/E``); ``N`` is "no chord" and ``%`` repeats the bar before. A leading
or trailing ``|`` and any whitespace are ignored. A bad symbol raises
:class:`~studio.errors.ChordTextError` naming the symbol, its bar and its character position.
"""

from __future__ import annotations

import re

from studio.core.chords import QUALITIES, Chord, ChordSpan
from studio.errors import ChordTextError

MAX_TEXT_CHARS = 20_000  # a few hundred bars of chords; longer text is not a progression
MAX_BARS = 1024
MAX_CHORDS_PER_BAR = 16

_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_ACCIDENTALS = {"#": 1, "\u266f": 1, "b": -1, "\u266d": -1}

#: Other spellings of the qualities, mapped to the suffix of QUALITIES.
QUALITY_ALIASES: dict[str, str] = {
    "M": "", "maj": "", "major": "",
    "min": "m", "mi": "m", "-": "m", "minor": "m",
    "dom7": "7",
    "M7": "maj7", "Maj7": "maj7", "ma7": "maj7", "\u0394": "maj7", "\u03947": "maj7",
    "min7": "m7", "mi7": "m7", "-7": "m7",
    "o": "dim", "\u00b0": "dim",
    "o7": "dim7", "\u00b07": "dim7",
    "+": "aug",
    "sus": "sus4",
    "min6": "m6", "-6": "m6",
    "\u00f8": "m7b5", "\u00f87": "m7b5", "m7-5": "m7b5", "-7b5": "m7b5", "min7b5": "m7b5",
}

_TOKEN = re.compile(r"[^\s|]+")
_ROOT_HINT = "roots are A-G with # or b"


def _error(reason: str, bar: int, position: int, symbol: str) -> ChordTextError:
    return ChordTextError(
        f'bar {bar}, character {position + 1}: "{symbol}" {reason}',
        position=position, bar=bar, symbol=symbol,
    )


def _parse_note(text: str) -> tuple[int, str] | None:
    """(pitch class, rest of text) for a note name at the start of ``text``, else None."""
    if not text or text[0].upper() not in _LETTERS:
        return None
    pitch = _LETTERS[text[0].upper()]
    rest = text[1:]
    if rest and rest[0] in _ACCIDENTALS:
        pitch += _ACCIDENTALS[rest[0]]
        rest = rest[1:]
    return pitch % 12, rest


def parse_symbol(symbol: str) -> Chord | None:
    """One chord symbol (``F#m7``, ``C/E``, ``N``) to a Chord (``None`` for N).

    Raises ``ValueError`` with the reason (without bar or position) for a bad symbol.
    """
    if symbol in ("N", "N.C.", "NC", "n"):
        return None
    main, slash, bass_text = symbol.partition("/")
    parsed = _parse_note(main)
    if parsed is None:
        raise ValueError(f"is not a chord ({_ROOT_HINT})")
    root, quality = parsed
    if quality not in QUALITIES:
        if quality not in QUALITY_ALIASES:
            known = ", ".join(q for q in QUALITIES if q)
            raise ValueError(
                f'has an unknown chord quality "{quality}" (use none for major, or one of {known})'
            )
        quality = QUALITY_ALIASES[quality]
    bass = None
    if slash:
        parsed_bass = _parse_note(bass_text)
        if parsed_bass is None or parsed_bass[1]:
            raise ValueError(f'has a bass "{bass_text}" that is not a note ({_ROOT_HINT})')
        bass = parsed_bass[0]
    return Chord(root, quality, bass)


def parse_chords(text: str, bar_ticks: int) -> tuple[ChordSpan, ...]:
    """Chord text to spans, bar ``i`` (from 0) starting at tick ``i * bar_ticks``.

    Empty text (or only whitespace and bar lines) gives no chords. Raises ChordTextError.
    """
    if bar_ticks <= 0:
        raise ValueError(f"bar_ticks must be > 0, got {bar_ticks}")
    if len(text) > MAX_TEXT_CHARS:
        raise ChordTextError(
            f"the chord text is {len(text)} characters long; at most {MAX_TEXT_CHARS} are read"
        )
    # Bars with the character offset where each begins.
    pieces: list[tuple[int, str]] = []
    offset = 0
    for piece in text.split("|"):
        pieces.append((offset, piece))
        offset += len(piece) + 1
    if len(pieces) > 1 and not pieces[0][1].strip():
        pieces = pieces[1:]  # a leading bar line
    if len(pieces) > 1 and not pieces[-1][1].strip():
        pieces = pieces[:-1]  # a trailing bar line
    if len(pieces) == 1 and not pieces[0][1].strip():
        return ()
    if len(pieces) > MAX_BARS:
        raise ChordTextError(f"the chord text has {len(pieces)} bars; at most {MAX_BARS} are read")
    spans: list[ChordSpan] = []
    previous: list[Chord | None] | None = None
    for index, (start, piece) in enumerate(pieces):
        bar = index + 1
        tokens = [(start + m.start(), m.group()) for m in _TOKEN.finditer(piece)]
        if not tokens:
            raise ChordTextError(
                f"bar {bar}, character {start + 1}: the bar is empty (write N for no chord, "
                "% to repeat the bar before)",
                position=start, bar=bar, symbol="",
            )
        chords: list[Chord | None] = []
        if any(symbol == "%" for _, symbol in tokens):
            position, symbol = next(t for t in tokens if t[1] == "%")
            if len(tokens) > 1:
                raise _error("must stand alone in its bar (it repeats the whole bar before)",
                             bar, position, symbol)
            if previous is None:
                raise _error("has no bar before it to repeat", bar, position, symbol)
            chords = list(previous)
        else:
            if len(tokens) > MAX_CHORDS_PER_BAR:
                position, symbol = tokens[MAX_CHORDS_PER_BAR]
                raise _error(f"is chord {len(tokens)} of its bar; at most {MAX_CHORDS_PER_BAR} "
                             "fit in a bar", bar, position, symbol)
            for position, symbol in tokens:
                try:
                    chords.append(parse_symbol(symbol))
                except ValueError as error:
                    raise _error(str(error), bar, position, symbol) from None
        if len(chords) > bar_ticks:
            raise ChordTextError(f"bar {bar} has more chords than the bar has ticks",
                                 position=start, bar=bar)
        bar_start = index * bar_ticks
        for i, chord in enumerate(chords):
            begin = bar_start + i * bar_ticks // len(chords)
            end = bar_start + (i + 1) * bar_ticks // len(chords)
            spans.append(ChordSpan(chord, begin, end - begin))
        previous = chords
    return tuple(spans)


def _bar_symbols(spans: tuple[ChordSpan, ...], bar_start: int, bar_ticks: int) -> list[str]:
    """The fewest equal divisions of one bar that say which chord sounds at every tick."""
    def symbol_at(tick: int) -> str:
        for span in spans:
            if span.start <= tick < span.end:
                return span.symbol
        return "N"

    # Boundaries inside the bar where the chord may change.
    cuts = sorted({
        t - bar_start for span in spans for t in (span.start, span.end)
        if bar_start < t < bar_start + bar_ticks
    })
    for n in range(1, MAX_CHORDS_PER_BAR + 1):
        if all(cut * n % bar_ticks == 0 for cut in cuts):
            return [symbol_at(bar_start + i * bar_ticks // n) for i in range(n)]
    # Changes off every even division: one symbol per change (approximate positions).
    starts = [0] + cuts
    return [symbol_at(bar_start + s) for s in starts[:MAX_CHORDS_PER_BAR]]


def format_chords(spans: tuple[ChordSpan, ...], bar_ticks: int) -> str:
    """Spans to chord text, the inverse of :func:`parse_chords` (``"C | G | Am F | F"``).

    Ticks without a span are written ``N``; a bar whose chords change off an even division of
    the bar is written with one symbol per change. No spans give the empty string.
    """
    if bar_ticks <= 0:
        raise ValueError(f"bar_ticks must be > 0, got {bar_ticks}")
    if not spans:
        return ""
    end = max(span.end for span in spans)
    bars = -(-end // bar_ticks)
    return " | ".join(
        " ".join(_bar_symbols(spans, b * bar_ticks, bar_ticks)) for b in range(bars)
    )
