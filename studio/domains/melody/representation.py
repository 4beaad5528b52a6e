"""Monophonic melodies as event tokens for a small autoregressive network.

A melody becomes one flat token sequence::

    BOS METER_m KEY_mode [pickup events] BAR (bar events BAR)* EOS

* ``METER_m`` names the meter (2/4, 3/4, 4/4, 6/8, 2/2, 3/8, 9/8, 12/8, 6/4, 3/2); any other
  meter is ``METER_OTHER`` and is still split into bars of its true length (the caller of
  :func:`decode` passes the time signature back in). ``KEY_MAJOR`` / ``KEY_MINOR`` is the mode.
* An *event* is a head token followed by one ``DUR_d`` token: ``NOTE_r DUR_d`` sounds scale
  position ``r`` for ``d`` ticks, ``REST DUR_d`` is silence, ``TIE DUR_d`` lengthens the note
  before it. Durations come from :data:`DURATIONS` (on the 24-per-quarter grid: 32nd=3,
  16th-triplet=4, 16th=6, 8th-triplet=8, dotted 16th=9, 8th=12, quarter-triplet=16,
  dotted 8th=18, quarter=24, half-triplet=32, dotted quarter=36, half=48, dotted half=72,
  whole=96); any other length is written as a note and ``TIE`` s (30 = 24 + 6).
* ``BAR`` is a bar line. Events before the first ``BAR`` are the pickup (anacrusis); a
  melody without one starts with ``BAR``. Every bar after it sums exactly to the bar length:
  a note crossing a bar line is split with ``TIE`` and the last bar is padded with rests.
  ``EOS`` follows the closing ``BAR``.
* Pitch is key-relative: ``NOTE_r`` is MIDI pitch ``60 + tonic + r`` (the tonic in octave 4,
  C4..B4), ``r`` in -24..+36, so a tune and its transposition to another key share tokens
  while the octave is kept. The key is the one passed in, else the melody's key signature,
  else the Krumhansl-Kessler estimate. Melodies outside that range move by whole octaves.

Timing is exact whenever every gap between note boundaries and bar lines is a sum of token
durations (any length of 3 ticks or more except 5): that covers sixteenths, 32nds, dotted
rhythms, eighth, quarter and sixteenth triplets, and everything :class:`GrammarState`
allows. In a bar where that fails (quintuplets, 64ths) the boundaries snap, per eighth of
the bar, to the nearer of the 32nd grid (multiples of 3 ticks) and the sixteenth-triplet
grid (multiples of 4), and :func:`encode_with_report` reports the displacement. Velocity is not encoded (decoded
notes have velocity 80). Vocabulary: 6 specials, 2 modes, 11 meters, 14 durations and 61
pitches: 94 tokens.

:class:`GrammarState` tracks a sequence as it is sampled and says which tokens may come next
so that every generated bar is complete; :func:`decode` accepts any sequence at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from studio.core.melody import KeySignature, Melody, Note
from studio.errors import StudioError
from studio.core.melody_analysis import estimate_key

DURATIONS = (3, 4, 6, 8, 9, 12, 16, 18, 24, 32, 36, 48, 72, 96)
METERS = ((2, 4), (3, 4), (4, 4), (6, 8), (2, 2), (3, 8), (9, 8), (12, 8), (6, 4), (3, 2))
PITCH_LOW, PITCH_HIGH = -24, 36
TONIC_BASE = 60  # the tonic's reference pitch is TONIC_BASE + tonic pitch class (C4..B4)
UNIT_TICKS = 12  # snapping chooses the 32nd or the 16th-triplet grid per eighth of a bar
DECODE_VELOCITY = 80
SPECIALS = ("PAD", "BOS", "EOS", "BAR", "REST", "TIE")


class RepresentationError(StudioError, ValueError):
    """A melody the token representation cannot hold (no notes, or a range over 5 octaves)."""


@dataclass(frozen=True)
class Vocabulary:
    """The token set: names, ids and the meaning of every id.

    The defaults are the studio's vocabulary (:data:`VOCAB`); a model stores
    :attr:`names` with its weights so a mismatch is caught when it is loaded.
    """

    durations: tuple[int, ...] = DURATIONS
    meters: tuple[tuple[int, int], ...] = METERS
    pitch_low: int = PITCH_LOW
    pitch_high: int = PITCH_HIGH
    names: tuple[str, ...] = field(init=False)
    meter_other: int = field(init=False)  # ids: specials, modes, meters, METER_OTHER, ...
    duration_base: int = field(init=False)  # ... durations, ...
    note_base: int = field(init=False)  # ... notes

    PAD, BOS, EOS, BAR, REST, TIE, MAJOR, MINOR = range(8)
    meter_base = 8

    def __post_init__(self) -> None:
        if not {3, 4} <= set(self.durations) or sorted(set(self.durations)) != list(self.durations):
            raise ValueError("durations must be sorted, unique and include 3 and 4 ticks")
        if self.pitch_low > self.pitch_high:
            raise ValueError("pitch_low must not exceed pitch_high")
        names = [*SPECIALS, "KEY_MAJOR", "KEY_MINOR"]
        names += [f"METER_{n}/{d}" for n, d in self.meters] + ["METER_OTHER"]
        names += [f"DUR_{d}" for d in self.durations]
        names += [f"NOTE_{r:+d}" for r in range(self.pitch_low, self.pitch_high + 1)]
        object.__setattr__(self, "names", tuple(names))
        object.__setattr__(self, "meter_other", self.meter_base + len(self.meters))
        object.__setattr__(self, "duration_base", self.meter_other + 1)
        object.__setattr__(self, "note_base", self.duration_base + len(self.durations))

    @property
    def size(self) -> int:
        return len(self.names)

    def id(self, name: str) -> int:
        """The id of a token name such as ``"NOTE_+7"`` or ``"DUR_24"``; KeyError if unknown."""
        return _name_index(self)[name]

    def name(self, token: int) -> str:
        return self.names[token] if 0 <= token < self.size else f"<invalid {token}>"

    def note(self, relative: int) -> int:
        """The id of ``NOTE_relative``; ValueError outside the pitch range."""
        if not self.pitch_low <= relative <= self.pitch_high:
            raise ValueError(f"relative pitch must be in {self.pitch_low}..{self.pitch_high}, got {relative}")
        return self.note_base + relative - self.pitch_low

    def duration(self, ticks: int) -> int:
        """The id of ``DUR_ticks``; ValueError if ``ticks`` is not one of :attr:`durations`."""
        try:
            return self.duration_base + self.durations.index(ticks)
        except ValueError:
            raise ValueError(f"{ticks} ticks is not a token duration {self.durations}") from None

    def meter(self, time_signature: tuple[int, int]) -> int:
        """The meter token of a time signature (``METER_OTHER`` for meters without their own)."""
        ts = tuple(time_signature)
        return self.meter_base + self.meters.index(ts) if ts in self.meters else self.meter_other

    def mode(self, key: KeySignature) -> int:
        return self.MAJOR if key.mode == "major" else self.MINOR

    def is_note(self, token: int) -> bool:
        return self.note_base <= token < self.size

    def is_duration(self, token: int) -> bool:
        return self.duration_base <= token < self.note_base

    def is_meter(self, token: int) -> bool:
        return self.meter_base <= token <= self.meter_other

    def relative_pitch(self, token: int) -> int:
        """The relative pitch of a ``NOTE`` token."""
        return token - self.note_base + self.pitch_low

    def ticks(self, token: int) -> int:
        """The length in ticks of a ``DUR`` token."""
        return self.durations[token - self.duration_base]

    def meter_of(self, token: int) -> tuple[int, int] | None:
        """The time signature of a meter token (None for ``METER_OTHER``)."""
        index = token - self.meter_base
        return self.meters[index] if 0 <= index < len(self.meters) else None


@lru_cache(maxsize=8)
def _name_index(vocab: Vocabulary) -> dict[str, int]:
    return {name: i for i, name in enumerate(vocab.names)}


VOCAB = Vocabulary()


@dataclass(frozen=True)
class Encoding:
    """What :func:`encode_with_report` made of a melody, and what it had to change."""

    tokens: tuple[int, ...]
    key: KeySignature
    octave_shift: int = 0  # octaves the melody moved to fit the pitch range
    snapped_ticks: int = 0  # total displacement of note boundaries moved onto the grid
    dropped_notes: int = 0  # notes shorter than the grid that vanished when snapped
    notices: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        return not (self.octave_shift or self.snapped_ticks or self.dropped_notes)


def bar_ticks(time_signature: tuple[int, int]) -> int:
    """The length of one bar in ticks (raises ValueError for an invalid time signature)."""
    return Melody((), time_signature=tuple(time_signature)).bar_ticks


def melody_key(melody: Melody, key: KeySignature | None = None) -> KeySignature:
    """The key :func:`encode` uses: ``key``, else the melody's signature, else the estimate."""
    if key is not None:
        return key
    return melody.key if melody.key is not None else estimate_key(melody)[0]


def encode(melody: Melody, key: KeySignature | None = None, vocab: Vocabulary = VOCAB) -> list[int]:
    """Tokens of ``melody`` (see the module docstring); :func:`encode_with_report` says what changed.

    Raises:
        RepresentationError: the melody has no notes or spans more than the pitch range.
    """
    return list(encode_with_report(melody, key, vocab).tokens)


def encode_with_report(
    melody: Melody, key: KeySignature | None = None, vocab: Vocabulary = VOCAB
) -> Encoding:
    """Encode ``melody`` and report octave moves, grid snapping and dropped notes.

    Raises:
        RepresentationError: the melody has no notes or spans more than the pitch range.
    """
    if not melody.notes:
        raise RepresentationError(f"melody {melody.name!r} has no notes to encode")
    key = melody_key(melody, key)
    reference = TONIC_BASE + key.tonic
    shift = _octave_shift(melody, reference, vocab)
    bar = melody.bar_ticks
    offset = (bar - melody.pickup % bar) % bar  # where the melody's tick 0 lies in its bar
    spans, start, snapped, dropped = _snapped_spans(melody, offset, bar, vocab.durations)
    if start >= bar:  # an off-grid pickup snapped onto the bar line: no pickup left
        spans = [(p, b - bar, e - bar) for p, b, e in spans]
        start -= bar

    tokens = [vocab.BOS, vocab.meter(melody.time_signature), vocab.mode(key)]
    cursor = start
    if cursor == 0:
        tokens.append(vocab.BAR)

    def emit(head: int, begin: int, end: int, tie: int) -> None:
        nonlocal cursor
        cursor = begin
        while cursor < end:
            piece = min(end, (cursor // bar + 1) * bar) - cursor
            for ticks in _split_duration(piece, vocab.durations):
                tokens.extend((head, vocab.duration(ticks)))
                head = tie
            cursor += piece
            if cursor % bar == 0:
                tokens.append(vocab.BAR)

    for pitch, begin, end in spans:
        if begin > cursor:
            emit(vocab.REST, cursor, begin, vocab.REST)
        emit(vocab.note(pitch - reference + 12 * shift), begin, end, vocab.TIE)
    if cursor % bar:
        emit(vocab.REST, cursor, (cursor // bar + 1) * bar, vocab.REST)
    if start and cursor <= bar:  # a melody that is all pickup still closes with one bar
        emit(vocab.REST, cursor, 2 * bar, vocab.REST)
    tokens.append(vocab.EOS)

    notices = []
    if shift:
        notices.append(f"moved {abs(shift)} octave(s) {'up' if shift > 0 else 'down'} to fit the pitch range")
    if snapped:
        notices.append(f"note boundaries moved {snapped} ticks in all onto the 32nd/triplet grid")
    if dropped:
        notices.append(f"{dropped} note(s) shorter than a 32nd dropped")
    return Encoding(tuple(tokens), key, shift, snapped, dropped, tuple(notices))


def _octave_shift(melody: Melody, reference: int, vocab: Vocabulary) -> int:
    low, high = melody.pitch_range
    low, high = low - reference, high - reference
    if high - low > vocab.pitch_high - vocab.pitch_low:
        raise RepresentationError(
            f"melody {melody.name!r} spans {high - low} semitones; at most "
            f"{vocab.pitch_high - vocab.pitch_low} can be encoded"
        )
    if vocab.pitch_low <= low and high <= vocab.pitch_high:
        return 0
    up = -(-(vocab.pitch_low - low) // 12)  # fewest octaves up that lift the lowest note in
    down = -((high - vocab.pitch_high + 11) // 12)
    return up if low < vocab.pitch_low else down


def _snapped_spans(
    melody: Melody, offset: int, bar: int, durations: tuple[int, ...]
) -> tuple[list[tuple[int, int, int]], int, int, int]:
    """(pitch, start, end) in bar-aligned ticks, writable with token durations; the melody's
    start; the total displacement of note boundaries; the number of notes that vanished.

    A bar is left alone when every gap between its boundaries (bar lines, note starts and
    ends; the first bar from the melody's start) can be written; only other bars snap."""
    points = {offset}
    for note in melody.notes:
        points.update((note.start + offset, note.end + offset))
    fill = _fillable(bar, durations)
    by_bar: dict[int, list[int]] = {}
    for point in sorted(points):
        by_bar.setdefault(point // bar, []).append(point)
    snap = {p: p for p in points}
    for index, members in by_bar.items():
        inner = [p for p in members if p % bar]
        edges = [index * bar if index * bar >= offset else offset] + inner + [(index + 1) * bar]
        if all(fill[b - a] for a, b in zip(edges, edges[1:])):
            continue
        snap.update(_snap_map(inner, bar))
    spans, moved, dropped = [], 0, 0
    for note in melody.notes:
        begin, end = snap[note.start + offset], snap[note.end + offset]
        moved += abs(begin - note.start - offset) + abs(end - note.end - offset)
        if end > begin:
            spans.append((note.pitch, begin, end))
        else:
            dropped += 1
    return spans, snap[offset], moved, dropped


def _snap_map(points: list[int], bar: int) -> dict[int, int]:
    """Map each point to the 32nd grid or the 16th-triplet grid, chosen per 12-tick unit of
    the bar (bar lines and unit edges lie on both); a unit cut short by the bar uses 32nds."""
    result: dict[int, int] = {}
    units: dict[int, list[int]] = {}
    for point in points:
        within = point % bar
        units.setdefault(point - within + within // UNIT_TICKS * UNIT_TICKS, []).append(point)
    for unit_start, members in units.items():
        length = min(UNIT_TICKS, (unit_start // bar + 1) * bar - unit_start)
        best: list[int] | None = None
        for step in (3, 4):
            if length % step:
                continue
            snapped = [unit_start + min(length, step * round((p - unit_start) / step)) for p in members]
            if best is None or sum(abs(s - p) for s, p in zip(snapped, members)) < sum(
                abs(s - p) for s, p in zip(best, members)
            ):
                best = snapped
        result.update(zip(members, best or members))
    return result


@lru_cache(maxsize=512)
def _split_duration(ticks: int, durations: tuple[int, ...]) -> tuple[int, ...]:
    """Fewest token durations summing to ``ticks``, the longest first (ValueError if none)."""
    best: list[tuple[int, ...] | None] = [()] + [None] * ticks
    for total in range(1, ticks + 1):
        for d in reversed(durations):
            if d <= total and best[total - d] is not None:
                candidate = (d, *best[total - d])
                if best[total] is None or len(candidate) < len(best[total]):
                    best[total] = candidate
    if best[ticks] is None:
        raise ValueError(f"{ticks} ticks cannot be written with durations {durations}")
    return tuple(sorted(best[ticks], reverse=True))


@lru_cache(maxsize=64)
def _fillable(length: int, durations: tuple[int, ...]) -> tuple[bool, ...]:
    """``result[n]``: can ``n`` ticks (0..length) be filled exactly with token durations."""
    ok = [True] + [False] * length
    for n in range(1, length + 1):
        ok[n] = any(d <= n and ok[n - d] for d in durations)
    return tuple(ok)


def decode(
    tokens: list[int] | tuple[int, ...],
    key: KeySignature,
    tempo_bpm: float,
    time_signature: tuple[int, int],
    name: str = "",
    vocab: Vocabulary = VOCAB,
) -> Melody:
    """The melody a token sequence describes, in ``key`` and ``time_signature``.

    Never raises on model output: unknown ids, a head without a duration, a duration without
    a head, ``BAR`` inside a bar (the bar is completed with a rest) and the header are skipped
    or repaired; decoding stops at ``EOS``. Meter and mode tokens are ignored (the arguments
    rule). Raises ValueError only for an invalid ``tempo_bpm`` or ``time_signature``.
    """
    bar = bar_ticks(time_signature)
    reference = TONIC_BASE + key.tonic
    notes: list[list[int]] = []  # pitch, start, duration
    cursor, pickup, bars_seen = 0, 0, 0
    head: int | None = None
    for token in map(int, tokens):  # numpy or torch integers from a sampler are welcome
        if token == vocab.EOS:
            break
        if vocab.is_duration(token):
            if head is not None:
                ticks = vocab.ticks(token)
                if vocab.is_note(head):
                    pitch = min(127, max(0, reference + vocab.relative_pitch(head)))
                    notes.append([pitch, cursor, ticks])
                elif head == vocab.TIE and notes and notes[-1][1] + notes[-1][2] == cursor:
                    notes[-1][2] += ticks
                cursor += ticks
            head = None
            continue
        head = token if (vocab.is_note(token) or token in (vocab.REST, vocab.TIE)) else None
        if token == vocab.BAR:
            if bars_seen == 0:
                pickup = cursor % bar  # events before the first bar line are the pickup
            elif (cursor - pickup) % bar:
                cursor += bar - (cursor - pickup) % bar
            bars_seen += 1
    return Melody(
        tuple(Note(p, s, d, DECODE_VELOCITY) for p, s, d in notes),
        tempo_bpm, tuple(time_signature), key, pickup, name,
    )


class GrammarState:
    """Follows a token sequence and says which tokens may come next.

    The rules make every sequence it allows decode to whole bars: a header
    ``BOS METER KEY``, then an optional pickup shorter than a bar, then bars whose durations
    sum exactly to the bar length, ``EOS`` only after a complete bar (and after exactly
    ``target_bars`` bars when given). ``pitch_range`` (relative pitches, inclusive) limits the
    notes. ``meter`` and ``mode`` force those header tokens (None: any, but ``METER_OTHER``
    needs ``time_signature``). Use :meth:`allowed` or :meth:`mask` before each :meth:`push`.
    """

    def __init__(
        self,
        time_signature: tuple[int, int],
        target_bars: int | None = None,
        pitch_range: tuple[int, int] | None = None,
        mode: str | None = None,
        vocab: Vocabulary = VOCAB,
    ) -> None:
        if target_bars is not None and target_bars < 1:
            raise ValueError(f"target_bars must be at least 1, got {target_bars}")
        self.vocab = vocab
        self.time_signature = tuple(time_signature)
        self.bar = bar_ticks(self.time_signature)
        self.target_bars = target_bars
        low, high = pitch_range if pitch_range is not None else (vocab.pitch_low, vocab.pitch_high)
        self._notes = frozenset(
            vocab.note(r) for r in range(max(low, vocab.pitch_low), min(high, vocab.pitch_high) + 1)
        )
        if not self._notes:
            raise ValueError(f"pitch_range {pitch_range} holds no encodable pitch")
        self._mode = None if mode is None else (vocab.MAJOR if mode == "major" else vocab.MINOR)
        self._fill = _fillable(max(self.bar, max(vocab.durations)), vocab.durations)
        self.length = 0  # tokens pushed
        self.position = 0  # ticks into the current bar (or into the pickup)
        self.bars = 0  # complete bars closed by a BAR
        self.in_pickup = True  # no BAR yet
        self.pending: int | None = None  # a head token awaiting its duration
        self.last_was_note = False
        self.finished = False

    def copy(self) -> GrammarState:
        clone = object.__new__(GrammarState)
        clone.__dict__.update(self.__dict__)
        return clone

    def _room(self) -> int:
        """Ticks an event may still take: up to the bar line, or short of it in a pickup."""
        return self.bar - self.position

    def _duration_fits(self, ticks: int) -> bool:
        left = self._room() - ticks
        if self.in_pickup:
            return left > 0 and self._fill[left]
        return left >= 0 and self._fill[left]

    def allowed(self) -> frozenset[int]:
        """The token ids that may come next (empty once ``EOS`` was pushed)."""
        v = self.vocab
        if self.finished:
            return frozenset()
        if self.length == 0:
            return frozenset((v.BOS,))
        if self.length == 1:
            meter = v.meter(self.time_signature)
            return frozenset((meter,))
        if self.length == 2:
            return frozenset((self._mode,)) if self._mode is not None else frozenset((v.MAJOR, v.MINOR))
        if self.pending is not None:
            return frozenset(v.duration(d) for d in v.durations if self._duration_fits(d))
        if not self.in_pickup and self.position == self.bar:
            return frozenset((v.BAR,))
        result: set[int] = set()
        if self.in_pickup:
            result.add(v.BAR)  # opening bar line (no pickup) or the end of the pickup
        elif self.position == 0 and self.bars >= 1 and (
            self.target_bars is None or self.bars == self.target_bars
        ):
            result.add(v.EOS)
        if self.target_bars is not None and not self.in_pickup and self.bars >= self.target_bars:
            return frozenset(result)
        if any(self._duration_fits(d) for d in v.durations):
            result.update(self._notes)
            result.add(v.REST)
            if self.last_was_note:
                result.add(v.TIE)
        return frozenset(result)

    def mask(self) -> list[bool]:
        """:meth:`allowed` as one flag per vocabulary id."""
        allowed = self.allowed()
        return [i in allowed for i in range(self.vocab.size)]

    def push(self, token: int) -> None:
        """Advance by ``token``; ValueError if it is not allowed here."""
        if token not in self.allowed():
            raise ValueError(
                f"token {self.vocab.name(token)} is not allowed after {self.length} tokens "
                f"(position {self.position} of a {self.bar}-tick bar)"
            )
        v = self.vocab
        self.length += 1
        if self.length <= 3:
            return
        if token == v.EOS:
            self.finished = True
        elif token == v.BAR:
            if not self.in_pickup:
                self.bars += 1
            self.in_pickup = False
            self.position = 0
        elif v.is_duration(token):
            self.position += v.ticks(token)
            self.last_was_note = self.pending != v.REST
            self.pending = None
        else:
            self.pending = token


def allowed_next(
    tokens: list[int] | tuple[int, ...],
    time_signature: tuple[int, int] | None = None,
    target_bars: int | None = None,
    vocab: Vocabulary = VOCAB,
) -> set[int]:
    """The tokens that may follow ``tokens`` under :class:`GrammarState`'s rules.

    ``time_signature`` defaults to the sequence's meter token (required for ``METER_OTHER``
    or an empty sequence). Raises ValueError if ``tokens`` already breaks the rules.
    """
    return set(grammar_state(tokens, time_signature, target_bars, vocab).allowed())


def grammar_state(
    tokens: list[int] | tuple[int, ...],
    time_signature: tuple[int, int] | None = None,
    target_bars: int | None = None,
    vocab: Vocabulary = VOCAB,
) -> GrammarState:
    """A :class:`GrammarState` after replaying ``tokens`` (ValueError if they break the rules)."""
    if time_signature is None:
        found = vocab.meter_of(tokens[1]) if len(tokens) > 1 else None
        if found is None:
            raise ValueError("time_signature is needed: the tokens do not name a known meter")
        time_signature = found
    state = GrammarState(time_signature, target_bars, vocab=vocab)
    for token in tokens:
        state.push(token)
    return state


def is_valid(tokens: list[int] | tuple[int, ...], time_signature: tuple[int, int] | None = None,
             vocab: Vocabulary = VOCAB) -> bool:
    """Whether ``tokens`` is a complete sequence the grammar allows (ending with ``EOS``)."""
    try:
        return grammar_state(tokens, time_signature, vocab=vocab).finished
    except (ValueError, IndexError):
        return False


def bar_positions(tokens: list[int] | tuple[int, ...], time_signature: tuple[int, int],
                  vocab: Vocabulary = VOCAB) -> list[int]:
    """For each token, the position in ticks within its bar at which it is read (the pickup
    counts back from its bar line). A model may embed these; any sequence is accepted."""
    bar = bar_ticks(time_signature)
    positions, cursor, seen_bar, pending = [], 0, False, False
    for token in tokens:
        positions.append(cursor % bar if seen_bar else cursor)
        if token == vocab.BAR:
            if not seen_bar:
                seen_bar = True
                cursor = 0
            elif cursor % bar:
                cursor += bar - cursor % bar
        elif vocab.is_duration(token) and pending:
            cursor += vocab.ticks(token)
        pending = vocab.is_note(token) or token in (vocab.REST, vocab.TIE)
    if not seen_bar:  # a sequence that never reached a bar line: treat it as a pickup
        return positions
    first_bar = tokens.index(vocab.BAR) if vocab.BAR in tokens else len(tokens)
    pickup = positions[first_bar] if first_bar < len(positions) else 0
    for i in range(first_bar + 1):  # the pickup sits at the end of its bar
        positions[i] = (positions[i] - pickup) % bar
    return positions


def phrases(melody: Melody, bars: int) -> list[Melody]:
    """Cut ``melody`` at every ``bars``-th bar line; the pickup stays with the first phrase.

    A note sounding across a cut is shortened to end there. Phrases without notes are left
    out; each keeps the melody's tempo, meter and key and is named ``"<name> (phrase k)"``.
    Raises ValueError if ``bars`` < 1.
    """
    if bars < 1:
        raise ValueError(f"bars must be at least 1, got {bars}")
    bar = melody.bar_ticks
    pickup = melody.pickup % bar
    span = bars * bar
    result: list[Melody] = []
    buckets: dict[int, list[Note]] = {}
    for note in melody.notes:
        index = max(0, (note.start - pickup) // span)
        end = pickup + (index + 1) * span
        buckets.setdefault(index, []).append(replace(note, duration=min(note.duration, end - note.start)))
    for index in sorted(buckets):
        origin = 0 if index == 0 else pickup + index * span
        notes = tuple(replace(n, start=n.start - origin) for n in buckets[index])
        result.append(replace(
            melody, notes=notes, pickup=pickup if index == 0 else 0,
            name=f"{melody.name} (phrase {index + 1})".strip(), notices=(),
        ))
    return result


def transpose(melody: Melody, semitones: int) -> Melody:
    """``melody`` moved by ``semitones``, its key signature with it.

    Raises ValueError if a note would leave MIDI range 0..127.
    """
    low, high = melody.pitch_range
    if melody.notes and not (0 <= low + semitones and high + semitones <= 127):
        raise ValueError(f"transposing by {semitones} leaves the MIDI range 0..127")
    key = None if melody.key is None else replace(melody.key, tonic=(melody.key.tonic + semitones) % 12)
    notes = tuple(replace(n, pitch=n.pitch + semitones) for n in melody.notes)
    return replace(melody, notes=notes, key=key)


def nearest_shift(source_tonic: int, target_tonic: int) -> int:
    """The smallest transposition (-5..+6 semitones) taking tonic ``source_tonic`` to ``target_tonic``."""
    shift = (target_tonic - source_tonic) % 12
    return shift - 12 if shift > 6 else shift


def transposition_shift(key: KeySignature, semitones: int) -> int:
    """How far ``NOTE`` tokens move when a melody in ``key`` and its key are transposed by
    ``semitones``: 0 or a whole number of octaves, as the tonic's reference octave wraps."""
    return semitones - ((key.tonic + semitones) % 12 - key.tonic)


def shift_pitches(tokens: list[int] | tuple[int, ...], delta: int,
                  vocab: Vocabulary = VOCAB) -> list[int] | None:
    """``tokens`` with every ``NOTE`` moved by ``delta`` semitones, or None if one would leave
    the pitch range. With :func:`transposition_shift` this is transposition augmentation on
    stored token sequences."""
    out = []
    for token in tokens:
        if vocab.is_note(token):
            relative = vocab.relative_pitch(token) + delta
            if not vocab.pitch_low <= relative <= vocab.pitch_high:
                return None
            token = vocab.note(relative)
        out.append(token)
    return out


def describe(tokens: list[int] | tuple[int, ...], vocab: Vocabulary = VOCAB) -> str:
    """Token names joined by spaces, for logs and test failures."""
    return " ".join(vocab.name(t) for t in tokens)
