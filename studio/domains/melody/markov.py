"""The non-neural baseline: a variable-order Markov model of the support, after Pachet's
Continuator (2003).

Every clip becomes a sequence of symbols ``(pitch, duration)`` where ``pitch`` is relative to
the tonic of the clip's key signature (the relative major's tonic for a minor key, so that
major and minor clips share one set of scale degrees; the octave is kept) or ``None`` for a
rest, and ``duration`` is in ticks. Counts are kept for every context of 0 to ``max_order``
previous symbols, a clip's start being a context symbol of its own. Generation uses the
longest context seen in the support and backs off to shorter ones when it is unseen or when
none of its continuations fits the bar; sampling weights are ``count ** (1 / temperature)``.

Bars are always complete: a symbol is only drawn when its duration fits the rest of the bar
and what is left can still be filled with durations the support uses. No note crosses a bar
line, and the last event is a note, so a melody of ``bars`` bars lasts exactly
``bars * bar_ticks``.

High orders on a small support replay long stretches of it (most contexts have a single
continuation); order 1 or 2 recombines more. See ``copy_rate`` in :mod:`.metrics`.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Sequence

from studio.core.melody import KeySignature, Melody, Note
from studio.errors import AdaptationError
from studio.core.melody_analysis import estimate_key

Symbol = tuple[int | None, int]
_START: Symbol = (None, 0)  # the context symbol that opens every clip; never generated


def signature_tonic(key: KeySignature) -> int:
    """The pitch class of the major key that shares ``key``'s signature (A minor: C)."""
    return key.tonic if key.mode == "major" else (key.tonic + 3) % 12


def _symbols(melody: Melody, tonic: int) -> list[Symbol]:
    symbols: list[Symbol] = []
    previous_end = None
    for note in melody.notes:
        if previous_end is not None and note.start > previous_end:
            symbols.append((None, note.start - previous_end))
        symbols.append((note.pitch - tonic, note.duration))
        previous_end = note.end
    return symbols


class VariableOrderMarkov:
    """A Continuator-style model: ``fit`` on the support, then ``generate`` per seed."""

    def __init__(self) -> None:
        self.max_order = 0
        self.meter: tuple[int, int] = (4, 4)
        self.key: KeySignature = KeySignature(0)
        self.tempo_bpm = 120.0
        self._tables: list[dict[tuple[Symbol, ...], dict[Symbol, int]]] = []
        self._durations: tuple[int, ...] = ()
        self._mean_relative = 60.0
        self._mean_pitch = 60.0
        self._fillable: dict[int, list[bool]] = {}

    def fit(self, melodies: Sequence[Melody], max_order: int = 4) -> VariableOrderMarkov:
        """Count the support's contexts of 0..``max_order`` symbols; returns ``self``.

        The default meter, key and tempo become the support's most common ones (a clip without
        a key gets the Krumhansl-Kessler estimate). Raises ``AdaptationError`` when the
        melodies hold no note, ``ValueError`` for a negative ``max_order``.
        """
        if max_order < 0:
            raise ValueError(f"max_order must be >= 0, got {max_order}")
        clips = [m for m in melodies if m.notes]
        if not clips:
            raise AdaptationError("the Markov baseline needs at least one sample with notes")
        self.max_order = max_order
        self._tables = [{} for _ in range(max_order + 1)]
        keys, relative, absolute = [], [], []
        for melody in clips:
            key = melody.key if melody.key is not None else estimate_key(melody)[0]
            keys.append(key)
            tonic = signature_tonic(key)
            symbols = _symbols(melody, tonic)
            relative += [p for p, _ in symbols if p is not None]
            absolute += [n.pitch for n in melody.notes]
            sequence = [_START, *symbols]
            for position in range(1, len(sequence)):
                for order in range(min(max_order, position) + 1):
                    context = tuple(sequence[position - order : position])
                    table = self._tables[order].setdefault(context, {})
                    table[sequence[position]] = table.get(sequence[position], 0) + 1
        self.meter = Counter(m.time_signature for m in clips).most_common(1)[0][0]
        self.key = Counter(keys).most_common(1)[0][0]
        self.tempo_bpm = float(statistics.median(m.tempo_bpm for m in clips))
        self._durations = tuple(sorted({d for table in self._tables[0].values() for _, d in table}))
        self._mean_relative = statistics.fmean(relative)
        self._mean_pitch = statistics.fmean(absolute)
        self._fillable = {}
        return self

    def generate(self, bars: int, seed: int, temperature: float = 1.0,
                 meter: tuple[int, int] | None = None, key: KeySignature | None = None,
                 max_order: int | None = None) -> Melody:
        """A melody of exactly ``bars`` complete bars, the same for the same arguments.

        ``meter`` and ``key`` default to the support's; ``max_order`` (at most the fitted one)
        caps the context length. Raises ``AdaptationError`` before ``fit``, ``ValueError`` for
        ``bars < 1`` or ``temperature <= 0``.
        """
        if not self._tables:
            raise AdaptationError("the Markov baseline must be fitted on samples before it generates")
        if bars < 1:
            raise ValueError(f"bars must be >= 1, got {bars}")
        if not temperature > 0:
            raise ValueError(f"temperature must be > 0, got {temperature}")
        order = self.max_order if max_order is None else max(0, min(max_order, self.max_order))
        meter = self.meter if meter is None else meter
        key = self.key if key is None else key
        shell = Melody((), tempo_bpm=self.tempo_bpm, time_signature=meter, key=key)
        bar_ticks = shell.bar_ticks
        fillable = self._fillable_remainders(bar_ticks)
        rng = random.Random(seed)
        history: list[Symbol] = [_START]
        events: list[Symbol] = []
        for bar in range(bars):
            remaining = bar_ticks
            while remaining > 0:
                last_bar = bar == bars - 1
                symbol = self._next(history, remaining, last_bar, fillable, order, temperature, rng)
                events.append(symbol)
                history.append(symbol)
                remaining -= symbol[1]
        return self._to_melody(events, shell, key, seed)

    def _next(self, history: list[Symbol], remaining: int, last_bar: bool, fillable: list[bool],
              max_order: int, temperature: float, rng: random.Random) -> Symbol:
        def fits(symbol: Symbol) -> bool:
            pitch, duration = symbol
            if duration > remaining or not fillable[remaining - duration]:
                return False
            return not (last_bar and pitch is None and duration == remaining)

        for order in range(min(max_order, len(history)), -1, -1):
            counts = self._tables[order].get(tuple(history[len(history) - order :]))
            if counts:
                candidates = [(s, c) for s, c in counts.items() if fits(s)]
                if candidates:
                    return _draw(candidates, temperature, rng)
        # Nothing the support plays fits what is left of the bar (a meter it never uses): a
        # note of the support, shortened to the bar line.
        notes = [(s, c) for s, c in self._tables[0][()].items() if s[0] is not None]
        pitch, duration = _draw(notes, temperature, rng)
        return (pitch, min(duration, remaining))

    def _fillable_remainders(self, bar_ticks: int) -> list[bool]:
        """Which remainders 0..bar_ticks of a bar the support's durations can fill exactly."""
        if bar_ticks not in self._fillable:
            fillable = [True] + [False] * bar_ticks
            for remainder in range(1, bar_ticks + 1):
                fillable[remainder] = any(d <= remainder and fillable[remainder - d] for d in self._durations)
            self._fillable[bar_ticks] = fillable
        return self._fillable[bar_ticks]

    def _to_melody(self, events: list[Symbol], shell: Melody, key: KeySignature, seed: int) -> Melody:
        # Transpose to the key's signature tonic, in the octave nearest the support's register.
        tonic = signature_tonic(key)
        octave = round((self._mean_pitch - self._mean_relative - tonic) / 12)
        shift = tonic + 12 * octave
        notes, time = [], 0
        for pitch, duration in events:
            if pitch is not None:
                notes.append(Note(min(127, max(0, pitch + shift)), time, duration))
            time += duration
        return Melody(tuple(notes), tempo_bpm=shell.tempo_bpm, time_signature=shell.time_signature,
                      key=key, name=f"markov-{seed}")


def _draw(candidates: list[tuple[Symbol, int]], temperature: float, rng: random.Random) -> Symbol:
    top = max(c for _, c in candidates)
    # Counts relative to the largest keep ``** (1 / temperature)`` finite at low temperatures.
    weights = [(c / top) ** (1.0 / temperature) for _, c in candidates]
    return rng.choices([s for s, _ in candidates], weights)[0]
