"""The facade the GUI and the CLI call: import samples, projects, methods; returns core objects.

Nothing here imports Qt, and nothing returns a tensor or a module: callers get plain
:mod:`studio.core` dataclasses and :class:`~studio.errors.StudioError` subclasses.
Long functions take a :class:`~studio.progress.Progress` so they can run in the GUI's worker.
"""

from __future__ import annotations

import importlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from studio.core.project import Project
from studio.core.samples import Domain, Sample
from studio.core.taste import TasteState
from studio.core.works import Work
from studio.domains.base import AdaptConfig, AdaptedModel, CanvasEditor, ClipEditor, Generator
from studio.errors import Cancelled, MixedDomainError, SampleLoadError, StudioError
from studio.io.samples import SUPPORTED_SUFFIXES, read_samples
from studio.model_registry import default_model, shipped_dir
from studio.meta.registry import ADAPTATION_METHODS, DEFAULT_METHOD, MethodInfo
from studio.progress import NULL_PROGRESS, Progress, check_stop

if TYPE_CHECKING:
    from studio.taste.drafting import TasteFeedback
    from studio.taste.words import Explanation, TasteSummary

ASSETS_DIR = shipped_dir("assets")  # the checkout's assets/, or an installed wheel's copy
DEMO_DIRS = {Domain.PAINTING: ASSETS_DIR / "demo" / "paintings", Domain.MELODY: ASSETS_DIR / "demo" / "melodies"}
MAX_FILES_PER_IMPORT = 500


@dataclass(frozen=True)
class ImportReport:
    """What an import produced: the samples that loaded, and one error per file that did not."""

    samples: tuple[Sample, ...] = ()
    errors: tuple[StudioError, ...] = ()
    skipped: tuple[str, ...] = field(default=())  # files inside dropped folders that are not samples


def expand_paths(paths: Iterable[str | os.PathLike],
                 progress: Progress = NULL_PROGRESS) -> tuple[list[str], list[str]]:
    """Files to import from dropped files and folders: (candidates, skipped).

    Folders are searched recursively in name order, skipping hidden files and folders (``.git``,
    ``.venv``); inside a folder only files with a supported suffix are taken (others are listed
    as skipped). Files named explicitly are always taken, so a misnamed file gets a message
    rather than silence. The walk stops once more than :data:`MAX_FILES_PER_IMPORT` candidates
    are found, and checks ``progress.should_stop()`` as it goes.

    Raises:
        Cancelled: the caller asked to stop.
    """
    files: list[str] = []
    skipped: list[str] = []
    seen = 0
    for raw in paths:
        p = Path(raw)
        if not p.is_dir():
            files.append(str(p))
            continue
        for root, dirs, names in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                seen += 1
                if seen % 200 == 0:
                    check_stop(progress)
                    progress.report_progress(0.0, f"Looking for samples: {seen} files seen")
                if name.startswith("."):
                    continue
                path = os.path.join(root, name)
                (files if Path(name).suffix.lower() in SUPPORTED_SUFFIXES else skipped).append(path)
            if len(files) > MAX_FILES_PER_IMPORT:
                return files, skipped
    return files, skipped


def import_samples(
    paths: Iterable[str | os.PathLike],
    progress: Progress = NULL_PROGRESS,
    domain: Domain | None = None,
) -> ImportReport:
    """Read and analyse sample files; each either loads whole or yields one error, never half.

    ``domain`` is the domain of the set the samples will join (None for an empty set); the
    first sample fixes it otherwise. Each loaded sample is also handed to
    ``progress.report_partial`` as soon as it is ready.

    Raises:
        Cancelled: the caller asked to stop (samples already reported stay valid).
    """
    files, skipped = expand_paths(paths, progress)
    if len(files) > MAX_FILES_PER_IMPORT:
        err = SampleLoadError(f"more than {MAX_FILES_PER_IMPORT} files at once is too many; "
                              f"import at most {MAX_FILES_PER_IMPORT}")
        return ImportReport(errors=(err,), skipped=tuple(skipped))
    samples: list[Sample] = []
    errors: list[StudioError] = []
    for i, path in enumerate(files):
        check_stop(progress)
        progress.report_progress(i / max(1, len(files)), f"Reading {Path(path).name} ({i + 1} of {len(files)})")
        try:
            batch = read_samples(path)  # one sample per file, or one per tune of an ABC book
        except StudioError as exc:
            errors.append(exc)
            continue
        except MemoryError as exc:
            errors.append(SampleLoadError("not enough memory to read this file", path))
            del exc
            continue
        errors.extend(batch.errors)
        for sample in batch.samples:
            if domain is None:
                domain = sample.domain
            if sample.domain is not domain:
                errors.append(MixedDomainError(
                    f"is a {sample.domain.value}, but this set holds {domain.plural}; paintings and "
                    f"melodies are never mixed in one set (File > New starts a new project)",
                    path,
                ))
                continue
            samples.append(sample)
            progress.report_partial(sample)
    progress.report_progress(1.0, f"Imported {len(samples)} of {len(files)} files")
    return ImportReport(tuple(samples), tuple(errors), tuple(skipped))


def inspect_files(paths: Iterable[str | os.PathLike]) -> ImportReport:
    """Analyse files without the one-domain rule (``main.py inspect`` may mix kinds)."""
    files, skipped = expand_paths(paths)
    samples: list[Sample] = []
    errors: list[StudioError] = []
    for path in files:
        try:
            batch = read_samples(path)
        except StudioError as exc:
            errors.append(exc)
            continue
        samples.extend(batch.samples)
        errors.extend(batch.errors)
    return ImportReport(tuple(samples), tuple(errors), tuple(skipped))


def demo_sample_paths(domain: Domain) -> list[str]:
    """The bundled public-domain demo samples of one domain, in name order."""
    folder = DEMO_DIRS[domain]
    return sorted(str(p) for p in folder.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES) if folder.is_dir() else []


def adaptation_methods(gradient_only: bool = False, domain: Domain | None = None) -> list[MethodInfo]:
    """The adaptation methods to offer, default first: those the installed model of ``domain``
    supports (a model meta-trained with Reptile cannot honestly be adapted "as MAML"), or all
    registry methods when no domain or no model is given."""
    model = default_model(domain) if domain is not None else None
    allowed = set(model.methods) if model is not None else set(ADAPTATION_METHODS)
    first = model.methods[0] if model is not None else DEFAULT_METHOD
    methods = sorted((m for m in ADAPTATION_METHODS.values() if m.name in allowed),
                     key=lambda m: (m.name != first, m.label))
    return [m for m in methods if m.gradient_based or not gradient_only]


_generators: dict[str, Generator] = {}
_loading = threading.Lock()  # one load at a time: a preload and a first real use share it


def generator_available(domain: Domain | None) -> bool:
    """Whether a meta-trained generator with its shipped weights exists for ``domain``."""
    return domain is not None and default_model(domain) is not None


def generator_for(domain: Domain) -> Generator:
    """The domain's generator with its shipped weights, loaded once (this imports torch).

    Raises:
        CheckpointError: the weights are malformed or do not match the model.
        StudioError: no generator is installed for the domain.
    """
    info = default_model(domain)
    if info is None:
        raise StudioError(f"no meta-trained {domain.value} generator is installed (see models/)")
    with _loading:
        if info.name not in _generators:
            _generators[info.name] = importlib.import_module(info.generator_module).load_generator(info)
        return _generators[info.name]


def preload(domain: Domain | None) -> threading.Thread | None:
    """Start loading ``domain``'s generator (torch and the weights, about a second) in a daemon
    thread, so that the first gallery after an import does not wait for it; a first real use
    during the load waits for it instead of loading twice. Returns the thread, or None when
    there is nothing to load. A failed preload is silent: the first real use reports it.
    """
    info = default_model(domain) if domain is not None else None
    if domain is None or info is None or info.name in _generators:
        return None
    thread = threading.Thread(target=_preload, args=(domain,), name=f"preload-{domain.value}", daemon=True)
    thread.start()
    return thread


def _preload(domain: Domain) -> None:
    try:
        generator_for(domain)
    except Exception:  # noqa: BLE001 - reported with its message when the generator is first used
        pass


def _domain_of(samples: Sequence[Sample]) -> Domain:
    if not samples:
        raise StudioError("add some samples first: the studio learns a style from 1-8 of your works")
    return samples[0].domain


def instant(samples: Sequence[Sample]) -> AdaptedModel:
    """Condition the generator on the samples with no gradient steps (an instant first gallery)."""
    return generator_for(_domain_of(samples)).instant(samples)


def adapt(samples: Sequence[Sample], config: AdaptConfig, progress: Progress = NULL_PROGRESS,
          start: AdaptedModel | None = None, preview_every_s: float | None = None) -> AdaptedModel:
    """Adapt the meta-trained generator to the samples; losses stream as partial results.

    With ``preview_every_s`` a generator that can show its progress (paintings) also streams an
    ``AdaptPreview`` (a work made with the weights so far) that often; melodies ignore it.
    """
    return generator_for(_domain_of(samples)).adapt(samples, config, progress, start,
                                                    preview_every_s=preview_every_s)


def generate(adapted: AdaptedModel, samples: Sequence[Sample], params: Any, count: int, seed: int,
             progress: Progress = NULL_PROGRESS, exclude_seeds: frozenset[int] = frozenset(),
             taste: TasteFeedback | None = None) -> list[Work]:
    """``count`` new works; each is also streamed through ``progress.report_partial``.

    With ``taste`` (feedback with at least one kept or rejected work: :func:`taste_feedback`) the
    studio drafts more candidates and the curator chooses ``count`` of them (issue 18): each work's
    ``provenance["taste"]`` holds its score, settings and explanation. Without it the gallery is
    exactly the generator's own.
    """
    if taste is not None and taste.has_feedback:
        from studio.taste.drafting import curated_generate

        return curated_generate(adapted, samples, params, count, seed, taste, progress, exclude_seeds,
                                generator=generator_for(adapted.domain))
    return generator_for(adapted.domain).generate(adapted, samples, params, count, seed, progress, exclude_seeds)


def prepare_gallery(adapted: AdaptedModel, samples: Sequence[Sample], params: Any,
                    progress: Progress = NULL_PROGRESS) -> None:
    """Do now, at the end of an adaptation, what the first gallery with ``params`` would do first
    (melodies: the density calibration, remembered for that model), so that gallery starts at
    once; nothing for a generator without such a step. Stops early, keeping nothing, when
    ``progress`` asks."""
    prepare = getattr(generator_for(adapted.domain), "prepare", None)
    if prepare is not None:
        prepare(adapted, samples, params, progress)


def new_project() -> Project:
    return Project()


def open_project(path: str | os.PathLike) -> Project:
    """Load a project file. Raises ProjectError naming the file and the reason; changes nothing."""
    from studio.io.project_file import load_project

    return load_project(path)


def save_project(project: Project, path: str | os.PathLike) -> None:
    """Save atomically (write, fsync, rename). Raises ProjectError; the old file stays intact."""
    from studio.io.project_file import save_project as _save

    _save(project, path)


def vary(adapted: AdaptedModel, samples: Sequence[Sample], work: Work, closeness: float, count: int,
         seed: int, progress: Progress = NULL_PROGRESS, params: Any = None) -> list[Work]:
    """Variations of ``work`` (``closeness`` 1 keeps nearly all of it, 0 little); ``params``, when
    given, are the person's current settings (a melody's chords and scale lock), passed on."""
    generator = generator_for(adapted.domain)
    if params is None:
        return generator.vary(adapted, samples, work, closeness, count, seed, progress)
    return generator.vary(adapted, samples, work, closeness, count, seed, progress, params=params)  # type: ignore[call-arg]


def blend(adapted: AdaptedModel, samples: Sequence[Sample], a: Work, b: Work, seed: int,
          progress: Progress = NULL_PROGRESS) -> Work:
    """A new work that mixes two works."""
    return generator_for(adapted.domain).blend(adapted, samples, a, b, seed, progress)


def continue_clip(adapted: AdaptedModel, samples: Sequence[Sample], source: Work | Sample, bars: int,
                  seed: int, progress: Progress = NULL_PROGRESS, params: Any = None) -> Work:
    """A melody that continues a gallery melody or one of the user's clips by ``bars`` bars
    (``params``: as for :func:`vary`)."""
    clip = source if isinstance(source, Work) else source.melody
    if clip is None:
        raise StudioError("only a melody can be continued", getattr(source, "path", None))
    extra = {} if params is None else {"params": params}  # editors without settings still work
    works = _clip_editor(adapted).continue_clip(adapted, samples, clip, bars, seed, count=1, progress=progress,
                                                **extra)
    if not works:
        raise Cancelled()
    return works[0]


def regenerate_bars(adapted: AdaptedModel, samples: Sequence[Sample], work: Work, bars: Sequence[int],
                    seed: int, progress: Progress = NULL_PROGRESS, params: Any = None) -> Work:
    """``work`` with the chosen bars (0-based) written anew, the others kept (``params``: as for
    :func:`vary`)."""
    extra = {} if params is None else {"params": params}
    return _clip_editor(adapted).regenerate_bars(adapted, samples, work, tuple(bars), seed, progress=progress,
                                                 **extra)


def more_like_these(samples: Sequence[Sample], kept: Sequence[Work], config: AdaptConfig,
                    progress: Progress = NULL_PROGRESS, start: AdaptedModel | None = None) -> AdaptedModel:
    """Re-adapt with the kept works as extra samples."""
    return generator_for(_domain_of(samples)).more_like_these(samples, kept, config, progress, start)


def repaint(adapted: AdaptedModel, samples: Sequence[Sample], work: Work, mask: Any, seed: int,
            progress: Progress = NULL_PROGRESS) -> Work:
    """A painting with the region under ``mask`` (HxW array, nonzero = repaint) painted anew, seamlessly."""
    if work.image is None:
        raise StudioError("only a painting can be repainted")
    return _canvas_editor(adapted).repaint(adapted, samples, work, mask, seed, progress)


def render(adapted: AdaptedModel, samples: Sequence[Sample], work: Work, long_side: int,
           progress: Progress = NULL_PROGRESS) -> Work:
    """A painting rendered again at a larger size (``long_side`` px), same composition."""
    if work.image is None:
        raise StudioError("only a painting can be rendered at another size")
    return _canvas_editor(adapted).render(adapted, samples, work, long_side, progress)


def _clip_editor(adapted: AdaptedModel) -> ClipEditor:
    generator = generator_for(adapted.domain)
    if not isinstance(generator, ClipEditor):
        raise StudioError(f"the {adapted.domain.value} generator cannot continue clips or rewrite bars")
    return generator


def _canvas_editor(adapted: AdaptedModel) -> CanvasEditor:
    generator = generator_for(adapted.domain)
    if not isinstance(generator, CanvasEditor):
        raise StudioError(f"the {adapted.domain.value} generator cannot repaint regions or render larger")
    return generator


# --- taste learning (issue 18) ------------------------------------------------------------------
# The project remembers the switch, Reset and each gallery's round in project.settings["taste"]
# (studio.core.taste); the functions below turn its kept and rejected works into feedback, scores
# and words. They return plain objects; none of them changes the project except set_taste_state
# and record_gallery.

_DESCRIPTORS_KEPT = 4096  # descriptors remembered by work id (a painting's costs a few ms to compute)
_descriptors: dict[str, tuple[Any, Any]] = {}  # work id -> (the melody or image described, Descriptor)
_descriptors_lock = threading.Lock()  # the taste worker and a gallery worker may describe at once


def taste_state(project: Project) -> TasteState:
    """The project's taste state (the default when absent or malformed); a copy: edit it and pass it
    to :func:`set_taste_state`."""
    from studio.core.taste import state_of

    return state_of(project.settings)


def set_taste_state(project: Project, state: TasteState) -> None:
    """Store ``state`` in the project (undo commands call this with the state before and after)."""
    from studio.core.taste import store

    store(project.settings, state)


def record_gallery(project: Project, works: Sequence[Work]) -> int:
    """Record that ``works`` were shown as a new gallery round; returns the round's number. The window
    calls it once per finished gallery (plain or curated), so that keeps and rejects know their round."""
    state = taste_state(project)
    number = state.next_round()
    state.mark_shown([w.id for w in works], number)
    state.forget({w.id for w in project.gallery} | {w.id for w in works})
    set_taste_state(project, state)
    return number


def curating(project: Project) -> bool:
    """The "Let the studio choose" switch's effective value: the person's choice, or (automatic)
    on once there is feedback that counts."""
    state = taste_state(project)
    if state.enabled is not None:
        return state.enabled
    return _judged(project, state) != ([], [])


def _judged(project: Project, state: TasteState) -> tuple[list[Work], list[Work]]:
    from studio.core.works import WorkStatus

    kept = [w for w in project.gallery if w.status is WorkStatus.KEPT and state.counts(w.id)]
    rejected = [w for w in project.gallery if w.status is WorkStatus.REJECTED and state.counts(w.id)]
    return kept, rejected


def _describe(domain: Domain, work: Work | Sample) -> Any:
    """A work's or sample's taste descriptor, remembered by id while its melody or image is the same."""
    from studio.taste.drafting import describe_item

    payload = work.melody if domain is Domain.MELODY else work.image
    key = work.id if isinstance(work, Work) else f"sample:{work.digest}"
    with _descriptors_lock:
        cached = _descriptors.get(key)
    if cached is not None and cached[0] is payload:
        return cached[1]
    descriptor = describe_item(domain.value, work)
    with _descriptors_lock:
        if len(_descriptors) >= _DESCRIPTORS_KEPT:
            _descriptors.pop(next(iter(_descriptors)))
        _descriptors[key] = (payload, descriptor)
    return descriptor


def taste_feedback(project: Project) -> TasteFeedback | None:
    """The kept and rejected works that count (shown since the last Reset), gallery by gallery;
    None when there are none (or no samples to learn a domain from)."""
    import numpy as np

    from studio.core.works import WorkStatus
    from studio.taste.drafting import TasteFeedback, settings_rows
    from studio.taste.features import stack
    from studio.taste.simulate import RoundFeedback

    domain = project.domain
    state = taste_state(project)
    kept, rejected = _judged(project, state)
    if domain is None or not (kept or rejected):
        return None
    judged = {w.id for w in (*kept, *rejected)}
    by_round: dict[int, list[Work]] = {}
    for work in project.gallery:
        if state.counts(work.id) and work.domain is domain:
            by_round.setdefault(state.round_of(work.id), []).append(work)
    history = []
    kept_order: list[Work] = []  # the order the taste model sees them in (history by history)
    rejected_order: list[Work] = []
    for number in sorted(by_round):
        shown = by_round[number]
        if not any(w.id in judged for w in shown):
            continue
        interp, raw = stack([_describe(domain, w) for w in shown])
        settings = settings_rows(domain.value, [_settings_of(w) for w in shown])
        k = [i for i, w in enumerate(shown) if w.status is WorkStatus.KEPT]
        r = [i for i, w in enumerate(shown) if w.status is WorkStatus.REJECTED]
        history.append(RoundFeedback((interp, raw, settings.astype(np.float32)), k, r))
        kept_order += [shown[i] for i in k]
        rejected_order += [shown[i] for i in r]
    liked_settings = tuple(s for s in (_settings_of(w) for w in kept_order) if s)
    return TasteFeedback(domain.value, tuple(_describe(domain, w) for w in kept_order),
                         tuple(_describe(domain, w) for w in rejected_order), tuple(history), liked_settings,
                         tuple(w.melody if domain is Domain.MELODY else w.image for w in kept_order),
                         frozenset(w.seed for w in (*kept, *rejected)), tuple(w.id for w in kept_order),
                         tuple(w.id for w in rejected_order), state.round + 1)


def _settings_of(work: Work) -> dict[str, float] | None:
    entry = work.provenance.get("taste")
    settings = entry.get("settings") if isinstance(entry, dict) else None
    return settings if isinstance(settings, dict) else None


def _taste_model(project: Project, feedback: TasteFeedback | None, works: Sequence[Work]) -> Any:
    """The project's taste model fitted on ``feedback`` and the samples (``works`` join the features'
    statistics when no learned embedding is installed)."""
    import numpy as np

    from studio.taste.drafting import TasteFeedback, describe_items, embedder_for, fit_model, view_of
    from studio.taste.features import stack
    from studio.taste.settings import setting_ranges

    domain = project.domain
    assert domain is not None
    if works:
        interp, raw = stack([_describe(domain, w) for w in works])
    else:
        interp, raw = describe_items(domain.value, [])
    samples = [s for s in project.samples if s.domain is domain]
    sample_desc = stack([_describe(domain, s) for s in samples]) if samples else describe_items(domain.value, [])
    settings = np.zeros((len(works), len(setting_ranges(domain.value))), np.float32)
    view = view_of(domain.value, feedback or TasteFeedback(domain.value), interp, raw, settings, sample_desc, 0)
    return fit_model(view, embedder_for(domain.value))


def taste_summary(project: Project) -> TasteSummary:
    """What the studio has learnt of the person's taste so far (counts and words)."""
    from studio.taste.words import TasteSummary

    if project.domain is None:
        return TasteSummary(0, 0, 0, ())
    summary: TasteSummary = _taste_model(project, taste_feedback(project), ()).summary()
    return summary


def explain_works(project: Project, works: Sequence[Work]) -> dict[str, Explanation]:
    """Each work's taste score and explanation, by work id; {} without feedback. Indices in an
    Explanation (nearest kept, rejected, sample) index :func:`taste_feedback`'s ``liked_names`` /
    ``rejected_names`` and the project's samples."""
    feedback = taste_feedback(project)
    domain = project.domain
    works = [w for w in works if w.domain is domain]
    if feedback is None or not works or domain is None:
        return {}
    model = _taste_model(project, feedback, works)
    interp, raw = _stack_works(domain, works)
    return {w.id: model.explain(interp[i], raw[i]) for i, w in enumerate(works)}


def _stack_works(domain: Domain, works: Sequence[Work]) -> tuple[Any, Any]:
    from studio.taste.features import stack

    return stack([_describe(domain, w) for w in works])
