"""The melody :class:`~studio.domains.base.Generator`: adapt to a musician's clips, fill and
refine the gallery.

``instant`` conditions the meta-trained network on the samples' statistics (no gradient
steps); ``adapt`` takes SGD steps on the samples' phrases (≤ 8 bars each) with
:func:`studio.meta.adapt.adapt`. The result travels as an :class:`~studio.domains.base.AdaptedModel`
whose ``delta`` is safetensors bytes: the weight delta plus the style features under
``style/features``. Generation, variations, blends, continuations and regenerated bars all
sample through :mod:`.sampling` with a :class:`~.sampling.Plan` that keeps some segments and
samples the others, with the density tilt calibrated so that notes per bar match the samples' in
the chosen meter (:func:`~.sampling.calibrate_density`; the user's density control moves from
there; remembered per model and settings, and made at the end of an adaptation by
:meth:`MelodyGenerator.prepare` so the first gallery after it samples at once) and the samples'
own short-range rhythm and melody statistics mixed into every step (:class:`~.cache.SupportCache`,
share ``MelodyParams.idioms``); every work records its seed and how it was made in ``provenance``.

Chords and keys: over a progression (``MelodyParams.chords``, repeated to the length asked for)
the plans carry the chords and sampling steers each note towards chord tones at the samples' own
rates (:mod:`.harmony`); the works carry the chords (``Melody.chords``) and every refinement
keeps to them. The key is ``MelodyParams.scale`` or ``key``, else the progression's key, else the
samples' (their common key, or with samples in several keys the one their pooled notes fit,
:func:`~studio.core.melody_analysis.pooled_key`). With ``scale_lock`` the scale's other pitch
classes are masked and the decoded notes are checked (any forced note off the scale moves to the
nearest scale tone), so no note ever falls outside it.

A work's seed is drawn from ``generate``'s seed; seeds in ``exclude_seeds`` (rejected works) are
skipped, and a candidate that repeats another work of the batch or copies a support clip
(:func:`.metrics.is_copy`) is replaced by the next seed, up to :data:`MAX_RESAMPLES` times.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import torch

from studio.core.chord_text import format_chords
from studio.core.chords import ChordSpan
from studio.core.melody import KeySignature, Melody, Note
from studio.core.melody_analysis import pooled_key
from studio.core.scales import Scale
from studio.core.samples import Domain, Sample
from studio.core.works import Work
from studio.domains.adapted import STYLE_KEY, delta_and_style, weight_delta
from studio.domains.base import AdaptConfig, AdaptedModel, work_seeds
from studio.domains.melody.cache import SupportCache, mixture_targets
from studio.domains.melody.harmony import (
    ChordStyle, body_chords, chord_style, fit_to_bars, place_on_melody, progression_key, relative_chord_tones,
)
from studio.domains.melody.metrics import is_copy
from studio.domains.melody.params import RANGE_MARGIN, MelodyParams
from studio.domains.melody.model import MelodyNet, build_batch, meter_of, sequence_loss, style_features
from studio.domains.melody.representation import (
    RepresentationError, bar_ticks, decode, encode, melody_key, nearest_shift, phrases,
)
from studio.domains.melody.sampling import (
    Plan, SamplingControls, calibrate_density, sample_sequences, split_segments,
)
from studio.domains.melody.weights import load_model
from studio.domains.threads import torch_threads
from studio.errors import AdaptationError
from studio.model_registry import MODELS_DIR, ModelInfo
from studio.meta import adapt as meta_adapt
from studio.progress import NULL_PROGRESS, Progress

DEFAULT_MODEL = "melody-reptile"
CALIBRATIONS_KEPT = 32  # density calibrations remembered (a few floats each)
MAX_RESAMPLES = 4  # extra seeds tried per work when a candidate is a duplicate or a copy
SUPPORT_PHRASE_BARS = 8


@dataclass(frozen=True)
class SampleStyle:
    """What the samples say about defaults: key, meter, tempo, range, and their encoded phrases."""

    key: KeySignature
    time_signature: tuple[int, int]
    tempo_bpm: float
    pitch_range: tuple[int, int]  # MIDI
    phrases: tuple[tuple[int, ...], ...]  # token sequences of <= 8-bar phrases
    melodies: tuple[Melody, ...]

    @cached_property
    def cache(self) -> SupportCache:
        """The phrases' n-grams, mixed into sampling (built on first use: adaptation never needs it)."""
        return SupportCache(self.phrases)

    @cached_property
    def chord_style(self) -> ChordStyle:
        """How the samples set notes against chords (built on first use: only chords need it)."""
        return chord_style(self.melodies)


_MAJOR_SCALES = ("major", "mixolydian", "major pentatonic")


@dataclass(frozen=True)
class Frame:
    """The harmonic frame of a batch: the key the tokens are relative to, the key signature
    written into the works, the chords (ticks from bar 1, fitted to the length) and the
    locked scale (None: no lock)."""

    key: KeySignature
    written: KeySignature
    chords: tuple[ChordSpan, ...] = ()
    lock: Scale | None = None

    def relative_scale(self) -> frozenset[int] | None:
        if self.lock is None:
            return None
        return frozenset((pc - self.key.tonic) % 12 for pc in self.lock.pitch_classes())

    def harmony(self) -> tuple[tuple[int, int, frozenset[int] | None], ...]:
        return relative_chord_tones(self.chords, self.key.tonic)

    def provenance(self, meter: tuple[int, int]) -> dict:
        out: dict = {"key": self.written.name}
        if self.lock is not None:
            out.update(scale=self.lock.display_name, scale_lock=True)
        if self.chords:
            out["chords"] = format_chords(self.chords, bar_ticks(meter))
        return out


def sampling_key(scale: Scale) -> KeySignature:
    """The key the tokens are relative to for a scale: its tonic, major or minor by its third."""
    return KeySignature(scale.tonic, "major" if scale.name in _MAJOR_SCALES else "minor")


def snap_to_scale(melody: Melody, scale: Scale) -> Melody:
    """``melody`` with every note off ``scale`` moved to the nearest scale tone (the lower one
    in a tie); the same melody when every note is in it."""
    if all(scale.contains(n.pitch) for n in melody.notes):
        return melody
    notes = []
    for note in melody.notes:
        pitch = note.pitch
        if not scale.contains(pitch):
            for step in (1, 2, 3):  # scales of the studio leave gaps of at most 3 semitones
                if pitch - step >= 0 and scale.contains(pitch - step):
                    pitch -= step
                    break
                if pitch + step <= 127 and scale.contains(pitch + step):
                    pitch += step
                    break
        notes.append(Note(pitch, note.start, note.duration, note.velocity))
    return replace(melody, notes=tuple(notes))


def sample_style(melodies: Sequence[Melody]) -> SampleStyle:
    """Encode the samples' phrases and find their common key, meter, tempo and range.

    Raises AdaptationError when no sample can be encoded (no notes, or too wide a range).
    """
    encoded, keys, usable = [], [], []
    problems = []
    for melody in melodies:
        if not melody.notes:
            problems.append(f"{melody.name or 'a sample'} has no notes")
            continue
        key = melody_key(melody)
        try:
            for phrase in phrases(melody, SUPPORT_PHRASE_BARS):
                encoded.append(tuple(encode(phrase, key)))
        except RepresentationError as exc:
            problems.append(str(exc))
            continue
        keys.append(key)
        usable.append(melody)
    if not encoded:
        raise AdaptationError("no sample melody can be learned from: " + "; ".join(problems or ["no samples"]))
    # One key for all: the samples' own when they agree, else the key their pooled notes fit
    # (the first sample's key would leave the others' notes out of it).
    key = keys[0] if len(set(keys)) == 1 else _pooled_in_mode(usable, keys)
    meter = Counter(tuple(m.time_signature) for m in usable).most_common(1)[0][0]
    tempo = float(statistics.median(m.tempo_bpm for m in usable))
    low = min(m.pitch_range[0] for m in usable)
    high = max(m.pitch_range[1] for m in usable)
    return SampleStyle(key, meter, tempo, (low, high), tuple(encoded), tuple(usable))


def _pooled_in_mode(melodies: Sequence[Melody], keys: Sequence[KeySignature]) -> KeySignature:
    """The pooled key (:func:`~studio.core.melody_analysis.pooled_key`) in the samples' usual
    mode: four minor reels whose notes pool to D major get B minor, the same notes and
    signature, so the model writes minor tunes that agree with it."""
    key = pooled_key(melodies)
    mode = Counter(k.mode for k in keys).most_common(1)[0][0]
    if key.mode != mode:
        key = KeySignature((key.tonic + 9) % 12, "minor") if mode == "minor" else \
            KeySignature((key.tonic + 3) % 12, "major")
    return key


def calibration_target(phrases: Sequence[Sequence[int]], meter: tuple[int, int]) -> list[list[int]]:
    """The sample phrases (token sequences) in ``meter``, or all of them when none is: the note
    rate (notes per bar) and note lengths the density calibration aims at."""
    same = [list(p) for p in phrases if meter_of(p) == tuple(meter)]
    return same or [list(p) for p in phrases]


def _melodies(samples: Sequence[Sample]) -> list[Melody]:
    out = []
    for sample in samples:
        if sample.domain is not Domain.MELODY or sample.melody is None:
            raise AdaptationError(f"{sample.name} is not a melody sample")
        out.append(sample.melody)
    return out


class MelodyGenerator:
    """The melody domain's generator over one stored model (``models/<model_name>``).

    ``threads`` torch threads are used inside each call (1 by default: for this small GRU one
    thread measured faster than two on the 2-core machine; None leaves torch's setting).
    """

    domain = Domain.MELODY

    def __init__(self, model_name: str = DEFAULT_MODEL, models_dir: str | Path = MODELS_DIR,
                 threads: int | None = 1) -> None:
        self.model_name = model_name
        self.model, self.params, self.meta_lrs, self.card = load_model(Path(models_dir) / model_name)
        adapt_card = self.card.get("adapt", {})
        self.lr = float(adapt_card.get("lr", 0.1))
        self.default_steps = int(adapt_card.get("steps", 20))
        self.clip = float(adapt_card.get("clip", 5.0))
        self.cache_loss = float(self.card.get("settings", {}).get("cache_loss", 0.0))
        self.threads = threads
        self._style_cache: dict[tuple[str, ...], SampleStyle] = {}
        self._calibrations: dict[tuple, tuple[float, tuple[int, int] | None]] = {}

    # --- adaptation -------------------------------------------------------------------------

    def style_of(self, samples: Sequence[Sample]) -> SampleStyle:
        """The samples' :class:`SampleStyle` (cached by the samples' digests)."""
        cache_key = tuple(s.digest for s in samples)
        if cache_key not in self._style_cache:
            self._style_cache[cache_key] = sample_style(_melodies(samples))
        return self._style_cache[cache_key]

    def instant(self, samples: Sequence[Sample]) -> AdaptedModel:
        """Condition on the samples' style features only (no gradient steps)."""
        started = time.perf_counter()
        style = self.style_of(samples)
        features = style_features(style.phrases)
        data = meta_adapt.delta_to_bytes({STYLE_KEY: torch.from_numpy(features)}, {"model": self.model_name})
        return AdaptedModel(self.domain, self.model_name, "instant", data, 0, time.perf_counter() - started,
                            (), tuple(getattr(s, "digest", "") for s in samples))

    def adapt(self, samples: Sequence[Sample], config: AdaptConfig, progress: Progress = NULL_PROGRESS,
              start: AdaptedModel | None = None, preview_every_s: float | None = None,
              extra: Sequence[Melody] = ()) -> AdaptedModel:
        """SGD steps on the samples' phrases (plus ``extra`` melodies, e.g. kept works) from the
        meta-trained weights or from ``start``'s. Streams each step's loss as a partial; no
        previews (``preview_every_s`` is ignored: adaptation takes well under a second).

        Raises AdaptationError for unusable samples, an unknown method or a diverging loss.
        """
        return self._adapt(list(_melodies(samples)) + list(extra), tuple(s.digest for s in samples), config,
                           progress, start)

    def more_like_these(self, samples: Sequence[Sample], kept: Sequence[Work], config: AdaptConfig,
                        progress: Progress = NULL_PROGRESS, start: AdaptedModel | None = None) -> AdaptedModel:
        """Re-adapt with the kept works as extra samples ("more like these")."""
        extra = [w.melody for w in kept if w.melody is not None and w.melody.notes]
        return self.adapt(samples, config, progress, start, extra=extra)

    def _adapt(self, melodies: list[Melody], digests: tuple[str, ...], config: AdaptConfig, progress: Progress,
               start: AdaptedModel | None) -> AdaptedModel:
        style = sample_style(melodies)
        features = style_features(style.phrases)
        base = self.params
        if start is not None and start.method != "instant":
            base = meta_adapt.apply_delta(self.params, self._delta(start))
        inputs, targets = build_batch([list(p) for p in style.phrases], features)
        if self.cache_loss > 0:  # a model trained on the cache mixture adapts on it too
            phrases = [list(p) for p in style.phrases]
            targets = torch.from_numpy(mixture_targets(targets.numpy(), phrases, phrases, self.cache_loss))
        return self._adapt_from(base, (inputs, targets), sequence_loss, config, progress, features, digests, start)

    def _adapt_from(self, base: dict[str, torch.Tensor], batch: tuple[torch.Tensor, torch.Tensor],
                    loss: Callable[[object, torch.Tensor], torch.Tensor], config: AdaptConfig,
                    progress: Progress, features: np.ndarray, digests: tuple[str, ...],
                    start: AdaptedModel | None) -> AdaptedModel:
        """Adapt from ``base`` on ``batch`` with ``loss`` and pack the whole change from the shipped
        weights, with the style ``features``, as an :class:`AdaptedModel` (steps counted on from
        ``start``'s)."""
        with torch_threads(self.threads):
            result = meta_adapt.adapt(self.model, base, batch, loss, method=config.method,
                                      steps=config.steps, time_budget_s=config.time_budget_s, lr=self.lr,
                                      clip_grad_norm=self.clip, seed=config.seed, progress=progress,
                                      meta_lrs=self.meta_lrs, buffers={})
        total = {n: (base[n] + result.delta.get(n, 0)) - self.params[n] for n in self.params}
        total = {n: d for n, d in total.items() if bool(d.abs().max() > 0)}
        data = meta_adapt.delta_to_bytes({**total, STYLE_KEY: torch.from_numpy(features)},
                                         {"model": self.model_name})
        previous = start.steps if start is not None else 0
        return AdaptedModel(self.domain, self.model_name, config.method, data, previous + result.steps_done,
                            result.seconds, tuple(result.losses), digests, result.stopped_early)

    def _delta(self, adapted: AdaptedModel) -> dict[str, torch.Tensor]:
        return weight_delta(adapted)

    def _network(self, adapted: AdaptedModel) -> tuple[MelodyNet, np.ndarray]:
        """The network at the adapted weights, and the style features it is conditioned on."""
        stored, style = delta_and_style(adapted, Domain.MELODY, self.model_name)
        features = style.numpy().astype(np.float32)
        params = meta_adapt.apply_delta(self.params, stored)
        network = MelodyNet(self.model.config)
        network.load_state_dict(params)
        network.eval()
        return network, features

    # --- sampling helpers -----------------------------------------------------------------

    def _resolve(self, samples: Sequence[Sample], params: MelodyParams) -> tuple[SampleStyle, KeySignature,
                                                                                tuple[int, int], float,
                                                                                SamplingControls]:
        style = self.style_of(samples)
        if params.scale is not None:
            key = sampling_key(params.scale)
        else:
            key = params.key or progression_key(params.chords) or style.key
        meter = tuple(params.time_signature or style.time_signature)
        tempo = params.tempo_bpm or style.tempo_bpm
        low, high = params.pitch_range((style.pitch_range[0] - RANGE_MARGIN, style.pitch_range[1] + RANGE_MARGIN))
        if params.range_is_default and key.tonic != style.key.tonic:
            shift = nearest_shift(style.key.tonic, key.tonic)
            low, high = low + shift, high + shift
        tonic = 60 + key.tonic
        controls = SamplingControls(params.temperature, (low - tonic, high - tonic), params.density,
                                    cache=style.cache, cache_weight=params.idioms)
        return style, key, meter, tempo, controls  # type: ignore[return-value]

    def harmonic_frame(self, samples: Sequence[Sample], params: MelodyParams) -> Frame:
        """The key, written key signature, chords (fitted to ``params.bars``) and locked scale
        that a gallery with ``params`` gets (what the headless report records)."""
        _, key, meter, _, _ = self._resolve(samples, params)
        return self._frame(samples, params, key, meter, params.bars)

    def _frame(self, samples: Sequence[Sample], params: MelodyParams, key: KeySignature, meter: tuple[int, int],
               bars: int, chords: Sequence[ChordSpan] = (), written: KeySignature | None = None) -> Frame:
        """The batch's :class:`Frame`: ``chords`` (from bar 1; default ``params.chords``) fitted to
        ``bars``, the lock's scale (``params.scale``, else the key's own) when it is on."""
        chords = fit_to_bars(tuple(chords) or params.chords, bars, bar_ticks(meter))
        lock = (params.scale or Scale.from_key(key)) if params.scale_lock else None
        if written is None:
            written = params.scale.key_signature() if params.scale is not None else key
        return Frame(key, written, chords, lock)

    def _steered(self, samples: Sequence[Sample], controls: SamplingControls, frame: Frame) -> SamplingControls:
        """``controls`` with the frame's scale mask and, over chords, the samples' chord style."""
        style = self.style_of(samples).chord_style if frame.chords else None
        return replace(controls, scale=frame.relative_scale(), chord_style=style)

    def forget_calibrations(self) -> None:
        """Drop the remembered density calibrations (benchmarks time a first gallery with this)."""
        self._calibrations.clear()

    def prepare(self, adapted: AdaptedModel, samples: Sequence[Sample], params: MelodyParams | None,
                progress: Progress = NULL_PROGRESS) -> bool:
        """Do now what the first gallery with ``params`` would do first: the density calibration
        (remembered, see :meth:`_calibrate`). The studio calls this at the end of an adaptation
        (:func:`studio.engine.prepare_gallery`), inside the adaptation's task, so the first gallery
        after it starts sampling at once. The calibration does not depend on the chords, the scale
        lock or the density control, so it serves galleries with and without chords alike (unless
        the chords change the key's mode). False, remembering nothing, when ``progress`` asked to
        stop."""
        params = params or MelodyParams()
        network, features = self._network(adapted)
        _, key, meter, _, controls = self._resolve(samples, params)
        self._calibrate(network, features, samples, controls, meter, key.mode, params.bars, adapted, progress)
        return not progress.should_stop()

    def _calibration_key(self, adapted: AdaptedModel, features: np.ndarray, samples: Sequence[Sample],
                         controls: SamplingControls, meter: tuple[int, int], mode: str, bars: int) -> tuple:
        """What a calibration depends on: the weights and style features, the samples (the target
        rate), the controls the pilots sample with (the user's density is not one of them: the
        pilots sample without it; chords and the scale lock are set after calibrating), the
        meter, mode and length."""
        digest = hashlib.sha1(adapted.delta + features.tobytes()).hexdigest()
        return (digest, tuple(s.digest for s in samples), replace(controls, density=0.0), tuple(meter), mode, bars)

    def _calibrate(self, network: MelodyNet, features: np.ndarray, samples: Sequence[Sample],
                   controls: SamplingControls, meter: tuple[int, int], mode: str, bars: int,
                   adapted: AdaptedModel | None = None, progress: Progress | None = None) -> SamplingControls:
        """``controls`` with the density tilt at which the network writes as many notes per bar as the
        samples' in ``meter`` (the user's density control then moves from there).

        With ``adapted`` the result is remembered (:data:`CALIBRATIONS_KEPT` of them) for the same
        weights, features, samples, meter, mode, length and sampling controls
        (:meth:`_calibration_key`): a second gallery, and every refinement of the same length, skip
        the pilot melodies (most of a first gallery's time). With ``progress`` (:meth:`prepare`) the
        pilots stop when it asks, and a stopped calibration is not remembered; a gallery passes
        none, so its calibration always finishes."""
        key = None
        if adapted is not None:
            key = self._calibration_key(adapted, features, samples, controls, meter, mode, bars)
            if key in self._calibrations:
                return replace(controls, density_offset=self._calibrations[key][0],
                               length_span=self._calibrations[key][1])
        target = calibration_target(self.style_of(samples).phrases, meter)
        stop = progress or NULL_PROGRESS
        with torch_threads(self.threads):
            result = calibrate_density(network, features, Plan(meter, mode, bars), controls, target, progress=stop)
        if key is not None and not stop.should_stop():  # a stopped calibration: the next gallery's does it
            if len(self._calibrations) >= CALIBRATIONS_KEPT:
                self._calibrations.pop(next(iter(self._calibrations)))
            self._calibrations[key] = (result.density_offset, result.length_span)
        return result

    def _works(self, network: MelodyNet, features: np.ndarray, plans: list[Plan], controls: SamplingControls,
               frame: Frame, meter: tuple[int, int], tempo: float, provenance: dict,
               progress: Progress, row_controls: Sequence[SamplingControls] | None = None) -> list[Work | None]:
        plans = [replace(plan, harmony=frame.harmony()) for plan in plans]
        sequences = sample_sequences(network, features, plans, controls, progress, row_controls=row_controls)
        works: list[Work | None] = []
        for plan, tokens in zip(plans, sequences):
            if tokens is None:
                works.append(None)
                continue
            melody = decode(tokens, frame.key, tempo, meter, f"Melody {plan.seed}")
            if frame.lock is not None:
                melody = snap_to_scale(melody, frame.lock)
            melody = replace(melody, key=frame.written, chords=place_on_melody(frame.chords, melody.pickup))
            works.append(Work(Domain.MELODY, plan.seed, melody=melody, title=melody.name,
                              provenance={**provenance, "seed": plan.seed, "bars": plan.bars,
                                          "meter": f"{meter[0]}/{meter[1]}", "tempo_bpm": tempo,
                                          **frame.provenance(meter)}))
        return works

    def _base_provenance(self, adapted: AdaptedModel, operation: str, params: MelodyParams | None) -> dict:
        out = {"model": self.model_name, "method": adapted.method, "steps": adapted.steps,
               "samples": list(adapted.sample_digests), "operation": operation}
        if params is not None:
            out.update(temperature=params.temperature, density=params.density, idioms=params.idioms,
                       pitch_range=None if params.range_is_default else [params.lowest, params.highest])
        return out

    # --- the gallery ------------------------------------------------------------------------

    def generate(self, adapted: AdaptedModel, samples: Sequence[Sample], params: MelodyParams | None, count: int,
                 seed: int, progress: Progress = NULL_PROGRESS,
                 exclude_seeds: frozenset[int] = frozenset()) -> list[Work]:
        """``count`` new melodies, one seed each (none in ``exclude_seeds``); each finished
        work is reported as a partial. Stops early (returning fewer) when asked to stop."""
        params = params or MelodyParams()
        if count < 1:
            return []
        network, features = self._network(adapted)
        style, key, meter, tempo, controls = self._resolve(samples, params)
        controls = self._calibrate(network, features, samples, controls, meter, key.mode, params.bars, adapted)
        frame = self._frame(samples, params, key, meter, params.bars)
        controls = self._steered(samples, controls, frame)
        provenance = {**self._base_provenance(adapted, "generate", params),
                      "density_calibration": round(controls.density_offset, 4)}
        support = list(style.melodies)
        seen: set[tuple[int, ...]] = set()
        used = set(exclude_seeds)
        done: list[Work] = []
        pool = work_seeds(seed, count * (1 + MAX_RESAMPLES), frozenset(exclude_seeds))
        cursor = 0
        with torch_threads(self.threads):
            for attempt in range(1 + MAX_RESAMPLES):
                need = count - len(done)
                if need <= 0 or progress.should_stop():
                    break
                seeds = pool[cursor:cursor + need]
                cursor += need
                plans = [Plan(meter, key.mode, params.bars, seed=s) for s in seeds]
                for work in self._works(network, features, plans, controls, frame, meter, tempo, provenance,
                                        progress):
                    if work is None:
                        continue
                    used.add(work.seed)
                    signature = tuple((n.pitch, n.start, n.duration) for n in work.melody.notes)
                    last_try = attempt == MAX_RESAMPLES
                    if not last_try and (signature in seen or (params.avoid_copies and
                                                               is_copy(work.melody, support))):
                        continue
                    seen.add(signature)
                    done.append(work)
                    progress.report_partial(work)
                    progress.report_progress(len(done) / count, f"{len(done)} of {count} melodies")
        return done[:count]

    def generate_drafts(self, adapted: AdaptedModel, samples: Sequence[Sample], params: MelodyParams,
                        drafts: Sequence[tuple[MelodyParams, int]],
                        progress: Progress = NULL_PROGRESS) -> list[Work | None]:
        """One melody per ``(draft params, seed)``: the candidates a taste curator chooses from (issue 18).

        The draft params differ from ``params`` (the person's) only in adventurousness, density,
        idioms and note range. All drafts are sampled in one batch, each with its own controls,
        and use the density calibration of ``params`` (remembered across galleries), so drafting
        costs about one gallery of as many works. ``None`` for a draft left unfinished because
        ``progress`` asked to stop. No copy check here: the caller filters.
        """
        if not drafts:
            return []
        network, features = self._network(adapted)
        _, key, meter, tempo, controls = self._resolve(samples, params)
        base = self._calibrate(network, features, samples, controls, meter, key.mode, params.bars, adapted)
        frame = self._frame(samples, params, key, meter, params.bars)
        own: dict[tuple, SamplingControls] = {}  # one controls object per distinct setting
        rows: list[SamplingControls] = []
        for draft, _ in drafts:
            setting = (draft.temperature, draft.density, draft.idioms, draft.lowest, draft.highest)
            if setting not in own:
                c = replace(self._resolve(samples, draft)[4], density_offset=base.density_offset,
                            length_span=base.length_span)
                own[setting] = self._steered(samples, c, frame)
            rows.append(own[setting])
        provenance = {**self._base_provenance(adapted, "generate", params),
                      "density_calibration": round(base.density_offset, 4)}
        plans = [Plan(meter, key.mode, params.bars, seed=seed) for _, seed in drafts]
        with torch_threads(self.threads):
            works = self._works(network, features, plans, rows[0], frame, meter, tempo, provenance, progress,
                                row_controls=rows)
        return [None if work is None else replace(work, provenance={**work.provenance,
                                                                    **self._base_provenance(adapted, "generate", draft)})
                for work, (draft, _) in zip(works, drafts)]

    def vary(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, closeness: float, count: int,
             seed: int, progress: Progress = NULL_PROGRESS, params: MelodyParams | None = None) -> list[Work]:
        """Variations that keep the opening (the motif) and each other bar with probability
        ``closeness`` (0..1); at least one bar is always resampled."""
        if not 0.0 <= closeness <= 1.0:
            raise ValueError(f"closeness must be in 0..1, got {closeness}")
        melody = _melody_of(work)
        tokens, key, meter = _tokens_of(melody)
        segments = split_segments(tokens)
        bars = len(segments) - 1
        params = params or MelodyParams(bars=bars)
        network, features = self._network(adapted)
        _, _, _, _, controls = self._resolve(samples, replace(params, key=key, time_signature=meter, scale=None))
        controls = self._calibrate(network, features, samples, controls, meter, key.mode, bars, adapted)
        controls = replace(controls, temperature=params.temperature * (1.0 - 0.3 * closeness))
        frame = self._frame(samples, params, key, meter, bars, body_chords(melody) or params.chords,
                            written=melody.key or key)
        controls = self._steered(samples, controls, frame)
        plans = []
        for s in work_seeds(seed, count, frozenset({work.seed})):
            rng = np.random.default_rng([s, 17])
            keep = [True] + [bool(rng.random() < closeness) for _ in range(bars)]
            keep[1] = closeness > 0  # the first bar is the motif
            if all(keep):  # always resample at least one bar (the motif only when it is alone)
                keep[int(rng.integers(2, bars + 1)) if bars > 1 else 1] = False
            plans.append(Plan(meter, key.mode, bars, tuple(seg if k else None for seg, k in zip(segments, keep)), s))
        provenance = {**self._base_provenance(adapted, "vary", params), "parents": [work.id],
                      "closeness": closeness}
        return self._finish(network, features, plans, controls, frame, meter, melody.tempo_bpm, provenance, progress)

    def blend(self, adapted: AdaptedModel, samples: Sequence[Sample], a: Work, b: Work, seed: int,
              progress: Progress = NULL_PROGRESS, params: MelodyParams | None = None) -> Work:
        """A melody that opens with ``a``'s first bar, brings ``b``'s first bar back at the
        midpoint and fills the rest conditioned on the style of both (in ``a``'s key and meter,
        over ``a``'s chords, else ``b``'s, else ``params``' progression)."""
        ma, mb = _melody_of(a), _melody_of(b)
        ta, key, meter = _tokens_of(ma)
        tb, _, _ = _tokens_of(mb, key)
        sa, sb = split_segments(ta), split_segments(tb)
        bars = len(sa) - 1
        network, features = self._network(adapted)
        features = (style_features([ta]) + style_features([tb]) + features) / 3.0
        segments: list[tuple[int, ...] | None] = [None] * (bars + 1)
        segments[0], segments[1] = sa[0], sa[1]
        if bars >= 3 and mb.time_signature == ma.time_signature:
            segments[bars // 2 + 1] = sb[1]
        params = replace(params or MelodyParams(bars=bars), bars=bars, key=key, time_signature=meter)
        _, _, _, _, controls = self._resolve(samples, replace(params, scale=None))
        controls = self._calibrate(network, features, samples, controls, meter, key.mode, bars, adapted)
        frame = self._frame(samples, params, key, meter, bars, body_chords(ma) or body_chords(mb) or params.chords,
                            written=ma.key or key)
        controls = self._steered(samples, controls, frame)
        s = work_seeds(seed, 1, frozenset({a.seed, b.seed}))[0]
        plan = Plan(meter, key.mode, bars, tuple(segments), s)
        provenance = {**self._base_provenance(adapted, "blend", None), "parents": [a.id, b.id]}
        works = self._finish(network, features, [plan], controls, frame, meter, ma.tempo_bpm, provenance, progress)
        if not works:
            raise AdaptationError("the blend was stopped before it finished")
        return works[0]

    def continue_clip(self, adapted: AdaptedModel, samples: Sequence[Sample], source: Work | Melody, bars: int,
                      seed: int, count: int = 1, progress: Progress = NULL_PROGRESS,
                      params: MelodyParams | None = None) -> list[Work]:
        """The clip followed by ``bars`` new bars (``count`` alternatives)."""
        if bars < 1:
            raise ValueError(f"bars must be >= 1, got {bars}")
        melody = source.melody if isinstance(source, Work) else source
        if melody is None or not melody.notes:
            raise AdaptationError("there is no clip to continue")
        tokens, key, meter = _tokens_of(melody)
        segments = split_segments(tokens)
        total = len(segments) - 1 + bars
        params = params or MelodyParams(bars=total)
        network, features = self._network(adapted)
        _, _, _, _, controls = self._resolve(samples, replace(params, key=key, time_signature=meter, scale=None))
        controls = replace(controls, pitch_range=None if params.range_is_default else controls.pitch_range)
        controls = self._calibrate(network, features, samples, controls, meter, key.mode, total, adapted)
        frame = self._frame(samples, params, key, meter, total, body_chords(melody) or params.chords,
                            written=melody.key or key)
        controls = self._steered(samples, controls, frame)
        plans = [Plan(meter, key.mode, total, tuple(segments) + (None,) * bars, s) for s in work_seeds(seed, count)]
        provenance = {**self._base_provenance(adapted, "continue", params), "clip_bars": len(segments) - 1}
        if isinstance(source, Work):
            provenance["parents"] = [source.id]
        return self._finish(network, features, plans, controls, frame, meter, melody.tempo_bpm, provenance, progress)

    def regenerate_bars(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, bars: Sequence[int],
                        seed: int, progress: Progress = NULL_PROGRESS, params: MelodyParams | None = None) -> Work:
        """``work`` with the chosen bars (0-based; the pickup belongs to bar 0) resampled in place."""
        melody = _melody_of(work)
        tokens, key, meter = _tokens_of(melody)
        segments: list[tuple[int, ...] | None] = list(split_segments(tokens))
        count = len(segments) - 1
        bad = [b for b in bars if not 0 <= b < count]
        if bad or not bars:
            raise ValueError(f"bar indices must be in 0..{count - 1}, got {list(bars)}")
        for b in bars:
            segments[b + 1] = None
            if b == 0:
                segments[0] = None
        params = params or MelodyParams(bars=count)
        network, features = self._network(adapted)
        _, _, _, _, controls = self._resolve(samples, replace(params, key=key, time_signature=meter, scale=None))
        controls = self._calibrate(network, features, samples, controls, meter, key.mode, count, adapted)
        frame = self._frame(samples, params, key, meter, count, body_chords(melody) or params.chords,
                            written=melody.key or key)
        controls = self._steered(samples, controls, frame)
        s = work_seeds(seed, 1, frozenset({work.seed}))[0]
        plan = Plan(meter, key.mode, count, tuple(segments), s)
        provenance = {**self._base_provenance(adapted, "regenerate", params), "parents": [work.id],
                      "regenerated_bars": sorted(set(bars))}
        works = self._finish(network, features, [plan], controls, frame, meter, melody.tempo_bpm, provenance,
                             progress)
        if not works:
            raise AdaptationError("regenerating the bars was stopped before it finished")
        return works[0]

    def _finish(self, network, features, plans, controls, frame, meter, tempo, provenance, progress) -> list[Work]:
        with torch_threads(self.threads):
            works = [w for w in self._works(network, features, plans, controls, frame, meter, tempo, provenance,
                                            progress) if w is not None]
        for work in works:
            progress.report_partial(work)
        return works


def _melody_of(work: Work) -> Melody:
    if work.melody is None or not work.melody.notes:
        raise AdaptationError(f"work {work.id} has no melody")
    return work.melody


def _tokens_of(melody: Melody, key: KeySignature | None = None) -> tuple[list[int], KeySignature, tuple[int, int]]:
    key = melody_key(melody, key)
    return encode(melody, key), key, tuple(melody.time_signature)  # type: ignore[return-value]


def load_generator(info: ModelInfo) -> MelodyGenerator:
    """The engine's entry point: the generator for a registered model (see studio.model_registry)."""
    return MelodyGenerator(model_name=info.name, models_dir=info.weights_path.parent)
