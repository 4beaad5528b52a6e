"""Live drafting (issue 18): draft more candidates than a gallery shows, learn the taste, let the curator choose.

Role: what the window's "Let the studio choose" and the headless ``generate --liked/--rejected``
run when there is feedback. :func:`curate` drafts ``count * draft_factor`` candidates with the
shared drafting rule (:func:`studio.taste.settings.draft_settings`: half near the settings of
works the person kept), describes them, fits the person's :class:`~studio.taste.model.TasteModel`
on the kept and rejected works (the samples as a weak "liked" prior), and lets the RL² curator
(:func:`studio.taste.curator.load_curator`; the prototype chooser, with a note, when its weights
are missing) choose ``count`` of them. A draft that copies a liked work (melodies:
:func:`~studio.domains.melody.metrics.is_copy`; paintings: :func:`~studio.domains.painting.metrics.copy_score`)
is never shown, nor one with the seed of a work already judged, nor (as in the plain gallery) a melody
that copies a sample. The chosen works stream to
``progress`` as partials (drafts do not) and each carries ``provenance["taste"]``: its score,
p_like, settings, explanation in words, the chooser and the round.

Without feedback nothing here runs: the plain gallery stays exactly as it was.

Speed: melodies draft through :meth:`MelodyGenerator.generate_drafts` (one density calibration, the
person's, remembered across galleries; all drafts sampled in one batch, each with its own
settings); paintings are drafted at their full size (a painting rendered larger is a new painting,
not the chosen one) but up to the network only (:meth:`PaintingGenerator.draft`, the next group's
layouts made while the network paints): their descriptors go through the draft calibration
(:mod:`studio.taste.draft_calibration`, as their finished works would read) and only the works
chosen get the samples' brushwork (:meth:`PaintingGenerator.finish_drafts`), which makes them
exactly the works ``generate`` paints for those seeds and settings; their copy check, score and
explanation read the finished works (a chosen copy of a liked work is dropped and the choice made
again). Drafts share a setting in groups of 3, as the pools the curator was trained on were
drafted (``prepare-taste``).
"""

from __future__ import annotations

import importlib
import math
import time
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

import numpy as np

from studio.core.samples import Domain, Sample
from studio.core.works import Work
from studio.domains.base import AdaptedModel, work_seeds
from studio.errors import Cancelled, StudioError
from studio.progress import NULL_PROGRESS, Progress
from studio.taste import settings as taste_settings
from studio.taste.describe import describe_work, spec_for
from studio.taste.features import Descriptor, stack
from studio.taste.simulate import RoundFeedback, RoundView

DRAFT_FACTOR = 3  # candidates drafted per work shown (the "three times as many")
MELODY_GROUP = 3  # melody drafts sharing one setting, as the pools drafted (all are sampled in one batch anyway)
PAINTING_GROUP = 3  # painting drafts sharing one setting (one generate call)
PAINTING_BATCH = 1  # painting drafts sharing one network pass (PaintingGenerator.draft; 1: bit-exact works)
PAINTING_COPY_SHARE = 0.05  # a draft with this share of its patches near-exact copies of a liked work is a copy
DRAFTING_SHARE = 0.9  # of the progress bar: drafting is most of a curated gallery's time
THUMB_NEAR = 12.0  # mean 8-bit difference of 16-px thumbnails under which a draft may copy a liked painting
TOP_UPS = 1  # extra drafting rounds when copies of liked works leave fewer drafts than works to show
COPY_PATCHES = 64  # patches per painting the copy check compares (fewer than the benchmark's: it runs live)


@dataclass(frozen=True)
class TasteFeedback:
    """What the person has said so far: kept and rejected works since the last Reset, per gallery.

    ``history`` holds one :class:`RoundFeedback` per earlier gallery (oldest first; the CLI's
    files are one gallery); ``liked`` / ``rejected`` are the same works' descriptors, flat.
    ``liked_settings`` are the draft settings of the liked works where known (drafting aims near
    them), ``liked_items`` their melodies or images (the copy guard), ``seeds`` the seeds of every
    judged work (never drafted again), ``names`` a label per liked and rejected work (ids or files).
    """

    domain: str  # "melody" or "painting"
    liked: tuple[Descriptor, ...] = ()
    rejected: tuple[Descriptor, ...] = ()
    history: tuple[RoundFeedback, ...] = ()
    liked_settings: tuple[Mapping[str, float], ...] = ()
    liked_items: tuple[Any, ...] = field(default=(), repr=False)
    seeds: frozenset[int] = frozenset()
    liked_names: tuple[str, ...] = ()
    rejected_names: tuple[str, ...] = ()
    round: int = 1  # the gallery round the curated gallery will be

    @property
    def has_feedback(self) -> bool:
        return bool(self.liked or self.rejected)


@dataclass
class CurationReport:
    """How one curated gallery was made (the CLI's report and the status bar read it)."""

    chooser: str = ""
    drafts: int = 0
    copies_dropped: int = 0  # drafts that copied a liked work (or, melodies, a sample)
    draft_seconds: float = 0.0  # generating the candidates
    update_seconds: float = 0.0  # describing them and fitting the taste model
    choice_seconds: float = 0.0  # the curator's choice and the explanations
    finish_seconds: float = 0.0  # the brushwork of the painting drafts shown (and of near-copies checked)
    summary: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


# --- describing -------------------------------------------------------------------------------

def describe_item(domain: str, item: Any) -> Descriptor:
    """The descriptor of a Work or Sample (:func:`studio.taste.describe.describe_work`), or of a bare
    melody or HxWx3 uint8 image of ``domain``."""
    if hasattr(item, "melody") or hasattr(item, "image"):
        return describe_work(item)
    if domain == Domain.MELODY.value:
        from studio.taste.melody_features import describe_melody

        return describe_melody(item)
    from studio.taste.painting_features import describe_image

    return describe_image(np.asarray(item))


def describe_items(domain: str, items: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """``(interp (N, F), raw (N, R))`` of a list of works, samples, melodies or images (N may be 0)."""
    if not items:
        spec = spec_for(domain)
        return np.zeros((0, spec.size), np.float32), np.zeros((0, spec.raw_size), np.float32)
    return stack([describe_item(domain, item) for item in items])


def settings_rows(domain: str, settings: Sequence[Mapping[str, float] | None]) -> np.ndarray:
    """``(N, S)`` settings vectors; NaN rows where a work's settings are unknown."""
    rows = taste_settings.settings_vector(domain, [s or {} for s in settings])
    for i, s in enumerate(settings):
        if not s:
            rows[i] = np.nan
    return rows


def feedback_from_items(domain: str, liked: Sequence[Any], rejected: Sequence[Any],
                        liked_settings: Sequence[Mapping[str, float] | None] = (),
                        liked_names: Sequence[str] = (), rejected_names: Sequence[str] = (),
                        seeds: Sequence[int] = (), round_: int = 2) -> TasteFeedback:
    """Feedback from works given as one gallery (the CLI's ``--liked`` / ``--rejected`` files): items
    are melodies, images, works or samples; ``liked_settings`` one entry (or None) per liked item."""
    settings = list(liked_settings) + [None] * (len(liked) - len(liked_settings))
    li, lr = describe_items(domain, liked)
    ri, rr = describe_items(domain, rejected)
    shown = (np.concatenate([li, ri]), np.concatenate([lr, rr]),
             settings_rows(domain, [*settings, *([None] * len(rejected))]))
    history = (RoundFeedback(shown, list(range(len(liked))), list(range(len(liked), len(liked) + len(rejected)))),)
    return TasteFeedback(domain, tuple(Descriptor(li[i], lr[i]) for i in range(len(liked))),
                         tuple(Descriptor(ri[i], rr[i]) for i in range(len(rejected))), history,
                         tuple(s for s in settings if s), tuple(_payload(domain, x) for x in liked),
                         frozenset(int(s) for s in seeds), tuple(liked_names), tuple(rejected_names), round_)


def _payload(domain: str, item: Any) -> Any:
    """The melody or image of an item (for the copy guard)."""
    return getattr(item, "melody", item) if domain == Domain.MELODY.value else np.asarray(getattr(item, "image", item))


# --- the taste model and the chooser ----------------------------------------------------------

def embedder_for(domain: str) -> Any:
    """The shipped taste embedding of ``domain`` (a learned one, or a shipped identity that carries
    the training pools' standardiser and calibration), or None when none is installed (callers then
    standardise the interpretable features over what they see:
    :func:`studio.taste.baselines.view_embedder`)."""
    from studio.taste.embedding import load_embedder_or_identity

    embedder = load_embedder_or_identity(domain)
    return None if "fallback_reason" in embedder.card else embedder


def draft_calibration() -> Any:
    """The shipped :class:`~studio.taste.draft_calibration.DraftCalibration` (loaded once)."""
    global _CALIBRATION
    if _CALIBRATION is None:
        from studio.taste.draft_calibration import load_calibration

        _CALIBRATION = load_calibration()
    return _CALIBRATION


_CALIBRATION: Any = None


def fit_model(view: RoundView, embedder: Any) -> Any:
    """The person's :class:`~studio.taste.model.TasteModel` over the view's history and samples."""
    from studio.taste.baselines import fit_taste_model

    return fit_taste_model(view, embedder)


def chooser_for(domain: str, embedder: Any) -> tuple[Any, str | None]:
    """The RL² curator of ``domain``, or the prototype chooser and a note saying why."""
    try:
        from studio.taste.curator import load_curator

        return load_curator(domain), None
    except (StudioError, ImportError) as exc:
        from studio.taste.baselines import PrototypeChooser

        reason = getattr(exc, "reason", None) or str(exc)
        return PrototypeChooser(embedder), f"Taste: the curator could not be loaded ({reason}); the works " \
                                           f"were chosen by their taste scores alone."


def view_of(domain: str, feedback: TasteFeedback, interp: np.ndarray, raw: np.ndarray, settings: np.ndarray,
            samples: tuple[np.ndarray, np.ndarray], n_show: int) -> RoundView:
    return RoundView(domain, interp, raw, settings, samples[0], samples[1], feedback.history, n_show)


# --- drafting ---------------------------------------------------------------------------------

def _draft_melodies(generator: Any, adapted: AdaptedModel, samples: Sequence[Sample], params: Any,
                    draft: list[dict[str, float]], seeds: list[int], progress: Progress) -> list[Work | None]:
    style = generator.style_of(samples)
    from studio.domains.melody.params import RANGE_MARGIN, MelodyParams

    params = params or MelodyParams()
    default_range = (style.pitch_range[0] - RANGE_MARGIN, style.pitch_range[1] + RANGE_MARGIN)
    drafts = [(taste_settings.melody_params(params, s, default_range), seed) for s, seed in zip(draft, seeds)]
    return generator.generate_drafts(adapted, samples, params, drafts, progress)


def _draft_paintings(generator: Any, adapted: AdaptedModel, samples: Sequence[Sample], params: Any,
                     draft: list[dict[str, float]], groups: list[int], seed: int, exclude: frozenset[int],
                     progress: Progress, unfinished: dict[int, _Unfinished], batch: int = PAINTING_BATCH
                     ) -> list[Work | None]:
    """The drafts of each settings group; with a generator that drafts up to its network
    (:meth:`PaintingGenerator.draft`) these are the network's paintings alone, their
    :class:`_Unfinished` drafts put in ``unfinished`` by seed (:func:`_finish_paintings` brushes
    only the works chosen), else finished works from one ``generate`` call per group."""
    from studio.domains.painting.params import PaintingParams

    params = params or PaintingParams()
    requests = [(taste_settings.painting_params(params, s), size, seed * 1009 + g)
                for g, (s, size) in enumerate(zip(draft, groups))]
    out: list[Work | None] = []
    if hasattr(generator, "draft") and hasattr(generator, "finish_drafts"):
        made = generator.draft(adapted, samples, requests, progress, exclude_seeds=exclude, batch=batch)
        by_seed = {d.work.seed: d for d in made}
        used = set(exclude)
        for (p, size, group_seed), s in zip(requests, draft):
            seeds = work_seeds(group_seed, size, frozenset(used))
            used.update(seeds)
            for k in seeds:
                d = by_seed.get(k)
                if d is not None:
                    unfinished[k] = _Unfinished(d, dict(s))
                out.append(None if d is None else replace(d.work, image=taste_settings.painting_post(d.work.image, s)))
        return out
    used = set(exclude)
    for (p, size, group_seed), s in zip(requests, draft):
        if progress.should_stop():
            break
        works = generator.generate(adapted, samples, p, size, group_seed, progress, exclude_seeds=frozenset(used))
        for w in works:
            used.add(w.seed)
            out.append(replace(w, image=taste_settings.painting_post(w.image, s)))
        out.extend([None] * (size - len(works)))
    return out


@dataclass(frozen=True)
class _Unfinished:
    """A painting draft before its brushwork: the generator's draft and the settings it was drafted with."""

    draft: Any  # studio.domains.painting.generator.PaintingDraft
    settings: dict[str, float]


class _Finisher:
    """Finishes painting drafts drafted without their brushwork (their seeds in ``unfinished``):
    :meth:`finish_drafts`, then the light and warmth shifts they were drafted with, which is exactly
    the work the full pipeline makes; each once (remembered). Other works come back as they are."""

    def __init__(self, generator: Any, samples: Sequence[Sample]) -> None:
        self.generator, self.samples = generator, samples
        self.unfinished: dict[int, _Unfinished] = {}
        self._done: dict[int, Work] = {}
        self.seconds = 0.0

    def __call__(self, works: Sequence[Work]) -> list[Work]:
        if not self.unfinished:
            return list(works)
        began = time.perf_counter()
        todo = [w.seed for w in works if w.seed in self.unfinished and w.seed not in self._done]
        if todo:
            drafts = [self.unfinished[k] for k in todo]
            for k, u, w in zip(todo, drafts, self.generator.finish_drafts(self.samples, [u.draft for u in drafts])):
                self._done[k] = replace(w, image=taste_settings.painting_post(w.image, u.settings))
        self.seconds += time.perf_counter() - began
        return [self._done.get(w.seed, w) if w.seed in self.unfinished else w for w in works]


class _Drafting:
    """The caller's progress while drafting: no partials (drafts are not shown), progress lines that
    say so (up to :data:`DRAFTING_SHARE` of the bar), and the caller's stop requests."""

    def __init__(self, progress: Progress, total: int, batch: bool) -> None:
        self._progress, self._total, self._batch, self._done = progress, max(1, total), batch, 0

    def report_progress(self, fraction: float, message: str = "") -> None:
        if self._batch:  # one call drafts everything: its own fraction is the drafting's
            self._progress.report_progress(DRAFTING_SHARE * fraction, f"Drafting {self._total} candidates: {message}")

    def report_partial(self, result: Any) -> None:
        self._done += 1
        if not self._batch:
            self._progress.report_progress(DRAFTING_SHARE * self._done / self._total,
                                           f"Drafted {self._done} of {self._total} candidates")

    def should_stop(self) -> bool:
        return self._progress.should_stop()


def _copies(domain: str, works: Sequence[Work], liked_items: Sequence[Any]) -> list[bool]:
    """Whether each (finished) work copies one of the liked works."""
    if not liked_items or not works:
        return [False] * len(works)
    if domain == Domain.MELODY.value:
        from studio.domains.melody.metrics import is_copy

        liked = [m for m in liked_items if m is not None]
        return [bool(w.melody is not None and is_copy(w.melody, liked)) for w in works]
    from studio.domains.painting.metrics import copy_score

    liked_images = [np.asarray(x) for x in liked_items]
    liked_thumbs = [_thumb(x) for x in liked_images]
    out = []
    for w in works:
        # The patch search costs ~0.3 s a painting: only a draft that looks like a liked work at
        # 16 x 16 gets it (a copy of a liked painting is nearly the same picture, never another layout).
        thumb = _thumb(np.asarray(w.image))
        near = [x for x, t in zip(liked_images, liked_thumbs)
                if t.shape == thumb.shape and float(np.abs(t - thumb).mean()) < THUMB_NEAR]
        out.append(bool(near) and copy_score([w.image], near, per_image=COPY_PATCHES) >= PAINTING_COPY_SHARE)
    return out


def _draft(generator: Any, adapted: AdaptedModel, samples: Sequence[Sample], params: Any, n_draft: int,
           rng: np.random.Generator, around: list[dict[str, float]], seed: int, exclude: frozenset[int],
           progress: Progress, unfinished: dict[int, _Unfinished], batch: int = PAINTING_BATCH
           ) -> list[tuple[Work, dict[str, float]]]:
    """``n_draft`` drafts (fewer when stopped or a generation failed), each with its settings: groups
    of drafts share a setting drawn by the drafting rule (half near ``around`` when given). Painting
    drafts may still lack their brushwork (their seeds then in ``unfinished``)."""
    domain = adapted.domain.value
    group = MELODY_GROUP if domain == Domain.MELODY.value else PAINTING_GROUP
    n_groups = math.ceil(n_draft / group)
    group_settings = taste_settings.draft_settings(domain, n_groups, rng, around=around)
    sizes = [min(group, n_draft - g * group) for g in range(n_groups)]
    draft = [s for s, size in zip(group_settings, sizes) for _ in range(size)]
    if domain == Domain.MELODY.value:
        seeds = work_seeds(seed, n_draft, exclude)
        made = _draft_melodies(generator, adapted, samples, params, draft, seeds, _Drafting(progress, n_draft, True))
    else:
        made = _draft_paintings(generator, adapted, samples, params, group_settings, sizes, seed, exclude,
                                _Drafting(progress, n_draft, False), unfinished, batch)
    return [(w, s) for w, s in zip(made, draft) if w is not None]


def _thumb(image: np.ndarray, side: int = 16) -> np.ndarray:
    """A ``side x side`` block-mean thumbnail (float32, 0..255) of an HxWx3 image."""
    h, w = image.shape[:2]
    rows = np.linspace(0, h, side + 1).astype(int)
    cols = np.linspace(0, w, side + 1).astype(int)
    x = image.astype(np.float32)
    return np.array([[x[rows[i]:max(rows[i + 1], rows[i] + 1), cols[j]:max(cols[j + 1], cols[j] + 1)].mean((0, 1))
                      for j in range(side)] for i in range(side)], np.float32)


def curate(adapted: AdaptedModel, samples: Sequence[Sample], params: Any, count: int, seed: int,
           feedback: TasteFeedback, progress: Progress = NULL_PROGRESS,
           exclude_seeds: frozenset[int] = frozenset(), draft_factor: int = DRAFT_FACTOR,
           generator: Any = None, batch: int = PAINTING_BATCH) -> tuple[list[Work], CurationReport]:
    """``count`` works chosen by the curator from ``count * draft_factor`` drafts, and how.

    ``generator``: the one ``adapted`` came from (default: the domain's shipped one, loaded anew: the
    engine and the CLI pass theirs). ``batch``: painting drafts per network pass (1: the works shown
    are bit for bit the full pipeline's; more: the same up to float rounding). Fewer than ``count`` works come back only when fewer drafts
    survive (drafting stopped, or most drafts copy liked works).

    Raises:
        Cancelled: ``progress`` asked to stop before the choice (no work is shown then).
    """
    report = CurationReport()
    if count < 1:
        return [], report
    domain = adapted.domain.value
    if generator is None:
        generator = _load_generator(adapted.domain)
    began = time.perf_counter()
    rng = np.random.default_rng([seed, 1818])
    n_draft = max(count, count * max(1, draft_factor))
    around = [dict(s) for s in feedback.liked_settings if s]
    exclude = frozenset(exclude_seeds) | feedback.seeds
    progress.report_progress(0.0, f"Drafting {n_draft} candidates to choose {count} from")
    pairs: list[tuple[Work, dict[str, float]]] = []
    copy_seconds = 0.0
    # Painting drafts come without their brushwork where the generator can (their named features move
    # a little: the draft calibration maps them); only the works shown are finished.
    finish = _Finisher(generator, samples)
    # A melody draft that copies a sample is dropped as the plain gallery resamples it (avoid_copies);
    # paintings are guarded against copying the samples in adaptation, as without feedback.
    guarded: list[Any] = []
    if domain == Domain.MELODY.value and getattr(params, "avoid_copies", True):
        guarded = list(generator.style_of(samples).melodies)
    liked_guard = [*feedback.liked_items, *guarded]
    calibration = draft_calibration() if domain == Domain.PAINTING.value else None
    rows: list[tuple[np.ndarray, np.ndarray]] = []  # each draft's (interp, raw), as the curator reads it
    describe_seconds = 0.0

    def add_drafts(wanted: int, attempt: int) -> None:
        """Draft ``wanted`` more; melodies and finished paintings that copy a liked work (or a sample) are
        dropped here; painting drafts without their brushwork are checked once chosen and finished."""
        nonlocal copy_seconds, describe_seconds
        made = _draft(generator, adapted, samples, params, wanted, rng, around, seed + attempt * 7919,
                      exclude | {w.seed for w, _ in pairs}, progress, finish.unfinished, batch)
        if progress.should_stop():
            raise Cancelled()
        mark = time.perf_counter()
        unchecked = [w for w, _ in made if w.seed not in finish.unfinished]
        copies = dict(zip([w.seed for w in unchecked], _copies(domain, unchecked, liked_guard)))
        copy_seconds += time.perf_counter() - mark
        report.copies_dropped += sum(copies.values())
        kept = [p for p in made if not copies.get(p[0].seed, False)]
        mark = time.perf_counter()
        interp, raw = describe_items(domain, [w for w, _ in kept])
        drafted = np.array([w.seed in finish.unfinished for w, _ in kept], bool)
        if calibration is not None and drafted.any():  # drafts without brushwork read as their finished works would
            interp[drafted], raw[drafted] = calibration.apply(interp[drafted], raw[drafted])
        describe_seconds += time.perf_counter() - mark
        pairs.extend(kept)
        rows.extend(zip(interp, raw))

    for attempt in range(1 + TOP_UPS):  # top up when copies of liked works leave fewer than count
        add_drafts(n_draft if attempt == 0 else (count - len(pairs)) * max(1, draft_factor), attempt)
        if len(pairs) >= count:
            break
    report.draft_seconds = time.perf_counter() - began - copy_seconds - describe_seconds
    if calibration is not None and finish.unfinished and "fallback_reason" in calibration.card:
        report.notes.append(f"Taste: the painting drafts were read without their calibration "
                            f"({calibration.card['fallback_reason']}).")
    mark = time.perf_counter() - describe_seconds
    if not pairs:
        return [], report
    settings = taste_settings.settings_vector(domain, [s for _, s in pairs])
    usable = [s for s in samples if (s.melody if domain == Domain.MELODY.value else s.image) is not None]
    sample_desc = describe_items(domain, usable)
    embedder = embedder_for(domain)
    interp, raw = np.stack([r[0] for r in rows]), np.stack([r[1] for r in rows])
    model = fit_model(view_of(domain, feedback, interp, raw, settings, sample_desc, min(count, len(pairs))), embedder)
    report.update_seconds = time.perf_counter() - mark
    mark = time.perf_counter()
    chooser, note = chooser_for(domain, embedder)
    if note:
        report.notes.append(note)
    report.chooser = str(getattr(chooser, "name", type(chooser).__name__))
    report.summary = tuple(model.summary().words)
    keep = np.ones(len(pairs), bool)
    choice: list[int] = []
    for attempt in range(1 + count + TOP_UPS):
        idx = np.flatnonzero(keep)
        view = view_of(domain, feedback, interp[idx], raw[idx], settings[idx], sample_desc, min(count, len(idx)))
        choice = [int(idx[i]) for i in chooser.choose(view, rng)] if len(idx) else []
        pending = [i for i in choice if pairs[i][0].seed in finish.unfinished]
        if not pending or not feedback.liked_items:
            break
        # a drafted painting that copies a liked work is dropped once finished (the copy check reads the
        # finished work, as before), and the choice is made again without it (topped up when too few are left)
        copies = _copies(domain, finish([pairs[i][0] for i in pending]), feedback.liked_items)
        if not any(copies):
            break
        keep[[i for i, c in zip(pending, copies) if c]] = False
        report.copies_dropped += sum(copies)
        if int(keep.sum()) < count and attempt < TOP_UPS:
            before = len(pairs)
            add_drafts((count - int(keep.sum())) * max(1, draft_factor), 1 + TOP_UPS + attempt)
            keep = np.concatenate([keep, np.ones(len(pairs) - before, bool)])
            interp, raw = np.stack([r[0] for r in rows]), np.stack([r[1] for r in rows])
            settings = taste_settings.settings_vector(domain, [s for _, s in pairs])
    report.drafts = int(keep.sum())
    report.choice_seconds = time.perf_counter() - mark - finish.seconds
    chosen: list[Work] = []
    for k, i in enumerate(choice):
        if progress.should_stop():  # while finishing: the works finished so far are shown
            break
        work, s = pairs[i]
        finished = finish([work])[0]
        # the score and the explanation of the work shown (a painting draft's brushwork moves its features a little)
        mark = time.perf_counter()
        fi, fr = (interp[i:i + 1], raw[i:i + 1]) if finished is work else describe_items(domain, [finished])
        scores = model.score(fi, fr)
        explanation = model.explain(fi[0], fr[0])
        entry = {"score": round(float(scores.score[0]), 4), "p_like": round(float(scores.p_like[0]), 4),
                 "settings": dict(s), "explanation": explanation.words, "chooser": report.chooser,
                 "round": feedback.round, "drafts": report.drafts}
        chosen.append(replace(finished, provenance={**finished.provenance, "taste": entry}))
        report.choice_seconds += time.perf_counter() - mark
        progress.report_partial(chosen[-1])
        progress.report_progress(DRAFTING_SHARE + (1 - DRAFTING_SHARE) * (k + 1) / len(choice),
                                 f"{k + 1} of {len(choice)} chosen from {report.drafts} drafts")
    report.finish_seconds = finish.seconds
    return chosen, report


def curated_generate(adapted: AdaptedModel, samples: Sequence[Sample], params: Any, count: int, seed: int,
                     feedback: TasteFeedback, progress: Progress = NULL_PROGRESS,
                     exclude_seeds: frozenset[int] = frozenset(), draft_factor: int = DRAFT_FACTOR,
                     generator: Any = None) -> list[Work]:
    """:func:`curate`'s works alone (design 5's signature)."""
    return curate(adapted, samples, params, count, seed, feedback, progress, exclude_seeds, draft_factor,
                  generator)[0]


def _load_generator(domain: Domain) -> Any:
    """The domain's shipped generator, loaded here (the engine passes its own, loaded once: pass it)."""
    from studio.model_registry import default_model

    info = default_model(domain)
    if info is None:
        raise StudioError(f"no meta-trained {domain.value} generator is installed (see models/)")
    return importlib.import_module(info.generator_module).load_generator(info)
