"""How a style sets melody over chords, and the progression a generated melody follows (numpy only).

The generator follows a chord progression the way the samples do. :func:`chord_style` measures,
over the samples, how often a note is a chord tone at each metric position (the downbeat, the
other beats, off the beat), how a non-chord tone is approached (by step or by leap) and how the
note after a non-chord tone moves (by step: passing and neighbour tones resolve). The chords are
the samples' own (``Melody.chords``, from a lead sheet or a chord track) or, without them, the
chords :func:`implied_chords` reads from the melody: per bar, or per half bar where that fits
clearly better, the triad or seventh of the key (plus secondary dominants) that covers the most
of the notes' metrically weighted duration; and the share of all the samples' time on chord tones
(``duration_rate``). Sampling then steers each note towards chord tones at the style's rate for
its position, corrected so that the melody's time on chord tones stays at that share whatever
the model's rhythm (:mod:`.sampling`), so a sparse, passing-tone style stays sparse and a
chord-tone style stays arpeggiated.

Chord times: the user's progression (:attr:`MelodyParams.chords`) counts ticks from the first
full bar (bar 1); a melody's own chords (:attr:`Melody.chords`) count its ticks, pickup included.
:func:`place_on_melody` and :func:`body_chords` convert; :func:`fit_to_bars` repeats a progression
shorter than the melody and cuts a longer one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from studio.core.chords import Chord, ChordSpan, chord_at
from studio.core.melody import TICKS_PER_QUARTER, KeySignature, Melody
from studio.core.melody_analysis import estimate_key, key_of_histogram

STRONG, BEAT, OFFBEAT = 0, 1, 2  # metric classes: the downbeat, the other beats, everything else
CLASS_NAMES = ("downbeat", "beat", "offbeat")
STEP = 2  # semitones: at most this far is a step
PRIOR = 4.0  # pseudo-notes of the prior behind every measured rate (few samples stay sensible)
_PRIOR_RATES = (0.8, 0.7, 0.5)  # chord-tone share per class that the prior assumes
_ANALYSIS_QUALITIES = ("", "m", "7", "dim")
_HALF_BAR_GAIN = 0.25  # a bar is analysed as two halves when they explain this share more


def beat_ticks(time_signature: tuple[int, int]) -> int:
    """Ticks per beat: dotted quarters in compound meters (6/8, 9/8, 12/8), else the denominator."""
    num, den = time_signature
    unit = TICKS_PER_QUARTER * 4 // den
    if den == 8 and num % 3 == 0 and num > 3:
        return unit * 3
    return unit


def metric_class(offset: int, time_signature: tuple[int, int]) -> int:
    """:data:`STRONG`, :data:`BEAT` or :data:`OFFBEAT` for ``offset`` ticks into a bar."""
    if offset == 0:
        return STRONG
    return BEAT if offset % beat_ticks(time_signature) == 0 else OFFBEAT


@dataclass(frozen=True)
class ChordStyle:
    """How a style places melody notes against chords (rates in 0..1, counts of notes seen)."""

    chord_rate: tuple[float, float, float]  # P(chord tone) at the downbeat, other beats, off the beat
    step_in: float  # P(approached by step | non-chord tone)
    resolve: float  # P(next note moves by step | non-chord tone)
    notes: int = 0  # notes measured (with a chord under them)
    implied: bool = True  # the chords were implied by analysis (no chord symbols in the samples)
    duration_rate: float = sum(_PRIOR_RATES) / 3  # P(chord tone) over all the notes' time

    def as_dict(self) -> dict[str, float | int | bool]:
        out: dict[str, float | int | bool] = {
            f"chord_tones_{name}": round(rate, 3) for name, rate in zip(CLASS_NAMES, self.chord_rate)
        }
        out.update(chord_tones_by_duration=round(self.duration_rate, 3), step_in=round(self.step_in, 3),
                   resolve=round(self.resolve, 3), notes=self.notes, implied=self.implied)
        return out


DEFAULT_STYLE = ChordStyle(_PRIOR_RATES, 0.7, 0.7, 0, True)


def _weight(offset: int, time_signature: tuple[int, int]) -> float:
    return (2.0, 1.5, 1.0)[metric_class(offset, time_signature)]


def _candidates(key: KeySignature) -> list[Chord]:
    """Triads and sevenths of the key's (natural and harmonic) scale, and secondary dominants."""
    scale = set(key.scale())
    if key.mode == "minor":
        scale.add((key.tonic + 11) % 12)  # the leading tone of harmonic minor
    chords = []
    for root in range(12):
        for quality in _ANALYSIS_QUALITIES:
            chord = Chord(root, quality)
            if chord.pitch_classes() <= scale or (quality == "7" and (root + 7) % 12 in scale
                                                   and (root - 5) % 12 in key.scale()):
                chords.append(chord)
    return chords or [Chord(key.tonic, "" if key.mode == "major" else "m")]


def _best_chord(weights: np.ndarray, candidates: Sequence[Chord], tonic: int) -> tuple[Chord, float]:
    """The candidate covering most of ``weights`` (per pitch class), with the covered share."""
    total = float(weights.sum())
    best, best_score = candidates[0], -1.0
    for chord in candidates:
        covered = sum(weights[pc] for pc in chord.pitch_classes())
        # Tie-breaks: triads over sevenths, chords on the tonic, fourth and fifth first.
        score = covered - 0.02 * total * (len(chord.intervals) - 3) + 0.01 * total * (
            (chord.root - tonic) % 12 in (0, 5, 7))
        if score > best_score:
            best, best_score = chord, score
    covered = sum(weights[pc] for pc in best.pitch_classes())
    return best, (covered / total if total else 0.0)


def implied_chords(melody: Melody, key: KeySignature | None = None) -> tuple[ChordSpan, ...]:
    """The chords a simple harmonic analysis hears under ``melody`` (per bar or half bar).

    Each window's pitch classes are weighted by duration and metric position; the candidate of
    the key (:func:`_candidates`) that covers most wins. A bar splits in two when the halves'
    chords explain :data:`_HALF_BAR_GAIN` more of it. Bars without notes get no chord.
    """
    if not melody.notes:
        return ()
    key = key or melody.key or estimate_key(melody)[0]
    candidates = _candidates(key)
    bar = melody.bar_ticks
    meter = tuple(melody.time_signature)
    origin = melody.pickup - (bar if melody.pickup else 0)  # the start of the bar holding the pickup
    end = melody.length_ticks
    spans: list[ChordSpan] = []

    def weights(lo: int, hi: int) -> np.ndarray:
        w = np.zeros(12)
        for note in melody.notes:
            a, b = max(note.start, lo), min(note.end, hi)
            if a < b:
                offset = (note.start - melody.pickup) % bar
                boost = _weight(offset, meter) if note.start >= lo else 1.0  # type: ignore[arg-type]
                w[note.pitch % 12] += (b - a) * boost
        return w

    start = origin
    while start < end:
        lo, hi = max(start, 0), start + bar
        whole = weights(lo, hi)
        if whole.sum() > 0:
            chord, share = _best_chord(whole, candidates, key.tonic)
            half = bar // 2
            split = None
            if bar % 2 == 0 and (bar // beat_ticks(meter)) % 2 == 0 and start >= 0:  # type: ignore[arg-type]
                first, second = weights(lo, lo + half), weights(lo + half, hi)
                if first.sum() > 0 and second.sum() > 0:
                    c1, s1 = _best_chord(first, candidates, key.tonic)
                    c2, s2 = _best_chord(second, candidates, key.tonic)
                    both = (s1 * first.sum() + s2 * second.sum()) / whole.sum()
                    if c1 != c2 and both >= share + _HALF_BAR_GAIN * (1 - share) + 1e-9:
                        split = (c1, c2)
            if split:
                spans += [ChordSpan(split[0], lo, half), ChordSpan(split[1], lo + half, hi - lo - half)]
            else:
                spans.append(ChordSpan(chord, lo, hi - lo))
        start += bar
    return tuple(spans)


def chord_style(melodies: Sequence[Melody]) -> ChordStyle:
    """The samples' chord-tone rates per metric position (shares of the notes' time), over all
    their time, and their non-chord-tone motion.

    Samples with chords of their own are measured against those; if none has any, every sample
    is measured against :func:`implied_chords`. Rates are smoothed towards a prior of
    :data:`PRIOR` notes so that a single short sample gives sensible values.
    """
    with_chords = [m for m in melodies if m.chords and m.notes]
    implied = not with_chords
    pool = [(m, m.chords) for m in with_chords] if with_chords else [
        (m, implied_chords(m)) for m in melodies if m.notes]
    # Notes weigh by their length (relative to the mean): the rates are shares of time, so a
    # style that holds non-chord tones long and plays chord tones short keeps that balance.
    lengths = [n.duration for melody, spans in pool for n in melody.notes if chord_at(spans, n.start)]
    unit = float(np.mean(lengths)) if lengths else 1.0
    hits = np.zeros(3)
    seen = np.zeros(3)
    step_in = [0, 0]  # stepwise approaches, non-chord tones with a note before
    resolve = [0, 0]  # stepwise departures, non-chord tones with a note after
    for melody, spans in pool:
        meter = tuple(melody.time_signature)
        notes = melody.notes
        for i, note in enumerate(notes):
            chord = chord_at(spans, note.start)
            if chord is None:
                continue
            cls = metric_class((note.start - melody.pickup) % melody.bar_ticks, meter)  # type: ignore[arg-type]
            tone = note.pitch % 12 in chord.pitch_classes()
            seen[cls] += note.duration / unit
            hits[cls] += tone * note.duration / unit
            if not tone:
                if i > 0:
                    step_in[1] += 1
                    step_in[0] += abs(note.pitch - notes[i - 1].pitch) <= STEP
                if i + 1 < len(notes):
                    resolve[1] += 1
                    resolve[0] += abs(notes[i + 1].pitch - note.pitch) <= STEP
    rates = tuple(float((hits[c] + PRIOR * _PRIOR_RATES[c]) / (seen[c] + PRIOR)) for c in range(3))
    return ChordStyle(
        rates,  # type: ignore[arg-type]
        (step_in[0] + PRIOR * DEFAULT_STYLE.step_in) / (step_in[1] + PRIOR),
        (resolve[0] + PRIOR * DEFAULT_STYLE.resolve) / (resolve[1] + PRIOR),
        len(lengths), implied,
        float((hits.sum() + PRIOR * sum(_PRIOR_RATES)) / (seen.sum() + 3 * PRIOR)),  # the classes' priors pooled
    )


def chord_tone_shares(melody: Melody, spans: Sequence[ChordSpan] | None = None) -> dict[str, float]:
    """The share of ``melody``'s notes on chord tones: by duration, and of the notes that start
    on a beat (``strong``). ``spans`` default to the melody's own chords; notes under no chord
    are left out. NaN where nothing is measured."""
    spans = tuple(melody.chords if spans is None else spans)
    meter = tuple(melody.time_signature)
    on = total = 0.0
    strong_on = strong = 0
    for note in melody.notes:
        chord = chord_at(spans, note.start)
        if chord is None:
            continue
        tone = note.pitch % 12 in chord.pitch_classes()
        total += note.duration
        on += note.duration * tone
        if metric_class((note.start - melody.pickup) % melody.bar_ticks, meter) != OFFBEAT:  # type: ignore[arg-type]
            strong += 1
            strong_on += tone
    return {"duration": on / total if total else float("nan"),
            "strong": strong_on / strong if strong else float("nan")}


def progression_key(spans: Sequence[ChordSpan]) -> KeySignature | None:
    """The key the chords suggest (their tones weighted by duration, roots doubled; profiles);
    ``None`` without a chord."""
    histogram = np.zeros(12)
    for span in spans:
        if span.chord is None:
            continue
        for pc in span.chord.pitch_classes():
            histogram[pc] += span.duration
        histogram[span.chord.root] += span.duration
    if not histogram.any():
        return None
    return key_of_histogram(histogram)


def fit_to_bars(spans: Sequence[ChordSpan], bars: int, bar_ticks: int) -> tuple[ChordSpan, ...]:
    """``spans`` (from tick 0) over exactly ``bars`` bars: repeated from the start while the
    progression is shorter (its length rounded up to whole bars), cut where it is longer."""
    if not spans or bars < 1:
        return ()
    length = -(-max(s.end for s in spans) // bar_ticks) * bar_ticks
    total = bars * bar_ticks
    out: list[ChordSpan] = []
    offset = 0
    while offset < total:
        for span in spans:
            start = span.start + offset
            if start >= total:
                break
            out.append(ChordSpan(span.chord, start, min(span.end + offset, total) - start))
        offset += length
    return tuple(out)


def place_on_melody(spans: Sequence[ChordSpan], pickup: int) -> tuple[ChordSpan, ...]:
    """Chords counted from bar 1 moved onto a melody's ticks (after its ``pickup``)."""
    return tuple(ChordSpan(s.chord, s.start + pickup, s.duration) for s in spans)


def body_chords(melody: Melody) -> tuple[ChordSpan, ...]:
    """A melody's own chords counted from its bar 1 (the part under the pickup is dropped)."""
    out = []
    for span in melody.chords:
        start, end = max(span.start - melody.pickup, 0), span.end - melody.pickup
        if end > start:
            out.append(ChordSpan(span.chord, start, end - start))
    return tuple(out)


def relative_chord_tones(spans: Sequence[ChordSpan], tonic: int) -> tuple[tuple[int, int, frozenset[int] | None], ...]:
    """``(start, end, chord tones relative to tonic or None)`` per span, for sampling."""
    return tuple((s.start, s.end, None if s.chord is None else frozenset(
        (pc - tonic) % 12 for pc in s.chord.pitch_classes())) for s in spans)

