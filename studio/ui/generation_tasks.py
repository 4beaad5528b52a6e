"""The worker side of generation: pure task functions over the engine facade (no Qt, no torch).

Each function runs in the :class:`~studio.tasks.TaskRunner`'s worker and reports through a
:class:`~studio.progress.Progress`. Pipelines chain several engine calls (instant model,
preview gallery, gradient adaptation, final gallery); :class:`StageProgress` maps each call's
progress into its share of the task and wraps its partial results in :class:`Tagged`, so the
window can tell a loss (``"loss"``) from a finished work (``"work"``, with its ``wave``), a
painting made with the weights of an adaptation still running (``"preview"``) or a new model
(``"instant"``, ``"adapted"``). Everything passed in is immutable, so nothing here
races with the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from studio import engine
from studio.core.project import Project
from studio.core.samples import Sample
from studio.core.works import Work
from studio.domains.base import AdaptConfig, AdaptedModel
from studio.progress import Progress, check_stop
from studio.ui.i18n import translate


@dataclass(frozen=True)
class Tagged:
    """A partial result of a pipeline: ``kind`` is "instant", "adapted", "loss", "work" or "preview"
    (an adaptation preview: an object with ``step``, ``loss`` and an ``image``)."""

    kind: str
    value: Any
    wave: str = ""  # for works: which gallery wave they belong to ("preview", "main")


@dataclass(frozen=True)
class Outcome:
    """What a generation task returns: the works made (also streamed) and the model it ended on."""

    works: tuple[Work, ...] = ()
    model: AdaptedModel | None = None
    adapted: bool = False  # True when ``model`` is a new gradient-adapted model
    seconds: dict[str, float] = field(default_factory=dict)
    drafts: int = 0  # for a gallery the studio chose by taste: how many drafts it chose from (0: not chosen)


class StageProgress:
    """One stage of a pipeline: progress mapped into ``lo..hi``, partials tagged with the wave."""

    def __init__(self, outer: Progress, lo: float, hi: float, wave: str = "") -> None:
        self._outer, self._lo, self._hi, self._wave = outer, lo, hi, wave

    def report_progress(self, fraction: float, message: str = "") -> None:
        self._outer.report_progress(self._lo + (self._hi - self._lo) * min(1.0, max(0.0, fraction)), message)

    def report_partial(self, result: Any) -> None:
        if isinstance(result, Work):
            self._outer.report_partial(Tagged("work", result, self._wave))
        elif isinstance(result, (int, float)) and not isinstance(result, bool):
            self._outer.report_partial(Tagged("loss", float(result), self._wave))
        elif is_adapt_preview(result):
            self._outer.report_partial(Tagged("preview", result, self._wave))
        else:
            self._outer.report_partial(Tagged("other", result, self._wave))

    def should_stop(self) -> bool:
        return self._outer.should_stop()


class _ProgressOnly(StageProgress):
    """A stage whose streamed works are dropped: the task returns the final ones itself."""

    def report_partial(self, result: Any) -> None:
        if not isinstance(result, Work):
            super().report_partial(result)


def is_adapt_preview(result: Any) -> bool:
    """Whether ``result`` is a painting adaptation's preview (the painting generator's
    ``AdaptPreview``, recognised by its fields so the UI never imports the torch module)."""
    return all(hasattr(result, name) for name in ("step", "loss", "image")) and not isinstance(result, Work)


def _model(model: AdaptedModel | None, samples: Sequence[Sample], progress: Progress) -> AdaptedModel:
    """``model``, or the instant (conditioning-only) model of the samples, announced as a partial."""
    if model is not None:
        return model
    progress.report_progress(0.0, translate("GenerationTasks", "Reading your samples\u2019 style"))
    instant = engine.instant(samples)
    progress.report_partial(Tagged("instant", instant))
    return instant


def generate_task(model: AdaptedModel | None, samples: Sequence[Sample], params: Any, count: int, seed: int,
                  exclude: frozenset[int], progress: Progress, taste: Project | None = None) -> Outcome:
    """A gallery of ``count`` works, streamed as ``Tagged("work", w, "main")``.

    With ``taste`` (a snapshot of the project, given when the studio should choose) and feedback
    in it, the studio drafts more works and shows those its curator chooses for the person's taste.
    """
    used = _model(model, samples, progress)
    check_stop(progress)
    stage = StageProgress(progress, 0.05, 1.0, "main")
    feedback = engine.taste_feedback(taste) if taste is not None else None
    if feedback is None:
        return Outcome(tuple(engine.generate(used, samples, params, count, seed, stage, exclude)), used)
    works = engine.generate(used, samples, params, count, seed, stage, exclude, taste=feedback)
    return Outcome(tuple(works), used, drafts=drafts_of(works))


def drafts_of(works: Sequence[Work]) -> int:
    """How many drafts the studio chose ``works`` from, as their provenance records it (0: unknown)."""
    counts = [w.provenance.get("taste", {}).get("drafts") for w in works if isinstance(w.provenance.get("taste"), dict)]
    numbers = [int(c) for c in counts if isinstance(c, int) and not isinstance(c, bool)]
    return max(numbers, default=0)


def adapt_task(samples: Sequence[Sample], config: AdaptConfig, params: Any, count: int, seed: int,
               exclude: frozenset[int], progress: Progress, kept: Sequence[Work] = (),
               start: AdaptedModel | None = None, preview_every_s: float | None = None,
               taste: Project | None = None) -> Outcome:
    """Instant model -> preview gallery -> gradient adaptation (losses stream) -> final gallery.

    With ``kept`` works this is "more like these": no preview, and the adaptation sees the kept
    works as extra samples, starting from ``start``. With ``preview_every_s`` a painting
    adaptation also streams a ``Tagged("preview", ...)`` painting that often. With ``taste`` (as
    for :func:`generate_task`) the final gallery is chosen for the person's taste.
    """
    seconds: dict[str, float] = {}
    if kept:
        loss_stage = StageProgress(progress, 0.0, 0.6, "adapt")
        adapted = engine.more_like_these(samples, kept, config, loss_stage, start)
    else:
        instant = _model(None, samples, progress)
        check_stop(progress)
        preview = StageProgress(progress, 0.03, 0.3, "preview")
        engine.generate(instant, samples, params, count, seed, preview, exclude)
        check_stop(progress)
        progress.report_progress(0.3, translate("GenerationTasks", "Adapting to your samples"))
        adapted = engine.adapt(samples, config, StageProgress(progress, 0.3, 0.8, "adapt"), start, preview_every_s)
    seconds["adapt"] = adapted.seconds
    progress.report_partial(Tagged("adapted", adapted))
    check_stop(progress)
    # what the first gallery would do first (melodies: the density calibration) belongs to the adaptation
    engine.prepare_gallery(adapted, samples, params, StageProgress(progress, 0.8, 0.8, "adapt"))
    check_stop(progress)
    stage = StageProgress(progress, 0.8, 1.0, "main")
    feedback = engine.taste_feedback(taste) if taste is not None else None
    if feedback is None:
        works = engine.generate(adapted, samples, params, count, seed, stage, exclude)
        return Outcome(tuple(works), adapted, True, seconds)
    works = engine.generate(adapted, samples, params, count, seed, stage, exclude, taste=feedback)
    return Outcome(tuple(works), adapted, True, seconds, drafts=drafts_of(works))


def vary_task(model: AdaptedModel | None, samples: Sequence[Sample], work: Work, closeness: float, count: int,
              seed: int, progress: Progress, params: Any = None) -> Outcome:
    used = _model(model, samples, progress)
    works = engine.vary(used, samples, work, closeness, count, seed, StageProgress(progress, 0.05, 1.0, "main"),
                        params=params)
    return Outcome(tuple(works), used)


def blend_task(model: AdaptedModel | None, samples: Sequence[Sample], a: Work, b: Work, seed: int,
               progress: Progress) -> Outcome:
    used = _model(model, samples, progress)
    return Outcome((engine.blend(used, samples, a, b, seed, StageProgress(progress, 0.05, 1.0, "main")),), used)


def continue_task(model: AdaptedModel | None, samples: Sequence[Sample], source: Work | Sample, bars: int,
                  seed: int, progress: Progress, params: Any = None) -> Outcome:
    used = _model(model, samples, progress)
    result = engine.continue_clip(used, samples, source, bars, seed, StageProgress(progress, 0.05, 1.0, "main"),
                                  params=params)
    return Outcome(tuple(result) if isinstance(result, (list, tuple)) else (result,), used)  # one or alternatives


def regenerate_task(model: AdaptedModel | None, samples: Sequence[Sample], work: Work, bars: Sequence[int],
                    seed: int, progress: Progress, params: Any = None) -> Outcome:
    used = _model(model, samples, progress)
    new = engine.regenerate_bars(used, samples, work, tuple(bars), seed, StageProgress(progress, 0.05, 1.0, "main"),
                                 params=params)
    return Outcome((new,), used)


def repaint_task(model: AdaptedModel | None, samples: Sequence[Sample], work: Work, mask: Any, seed: int,
                 progress: Progress) -> Outcome:
    """``work`` with the masked region painted anew (same seed, new picture)."""
    used = _model(model, samples, progress)
    new = engine.repaint(used, samples, work, mask, seed, StageProgress(progress, 0.05, 1.0, "main"))
    return Outcome((new,), used)


def render_task(model: AdaptedModel | None, samples: Sequence[Sample], work: Work, long_side: int,
                progress: Progress) -> Outcome:
    """``work`` painted again at ``long_side`` px."""
    used = _model(model, samples, progress)
    # the engine streams the render before giving it its final title: only the returned one lands
    return Outcome((engine.render(used, samples, work, long_side, _ProgressOnly(progress, 0.05, 1.0, "main")),), used)
