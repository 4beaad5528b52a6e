"""The generation controller: adaptation, generation and refinement as tasks, landing in the gallery.

It turns the adaptation panel's Adapt and the buttons of the project's domain controls (the
melody controls, or the painting controls and the inspector's Repaint) into
:mod:`~studio.ui.generation_tasks` functions run by the window's
:class:`~studio.tasks.TaskRunner`, and their streamed results into undoable commands:

* a work arrives -> :class:`~studio.ui.commands.AddWorksCommand`; the works of one wave merge
  into one undo step. A new gallery (Generate, Adapt, More like these) takes the places of the
  unmarked works, so kept and rejected ones stay; variations, blends and larger renders land
  after their source; Regenerate bars and Repaint region replace their work in place. A cancel
  keeps what arrived.
* a painting adaptation's preview arrives -> it takes the place of the next card of the
  instant gallery in turn (an "Adapting" card), so the gallery shows the adaptation as it goes;
  the adapted gallery then takes all those places.
* a loss arrives -> the adaptation panel's loss curve; a new adapted model ->
  :class:`~studio.ui.commands.SetValueCommand`, which also stores it in the project
  (``weights["adapted"]``, metadata in ``settings["adapted"]``) so a saved project reopens adapted.
* rejected seeds are passed to the generator as excluded, and a new work that still carries
  one is dropped: a rejected melody or painting never comes back.

It never touches the engine outside a task, so the UI thread never loads torch.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot

from studio import engine
from studio.core.samples import Domain, Sample
from studio.core.works import Work, WorkStatus
from studio.domains.base import AdaptConfig, AdaptedModel
from studio.model_registry import default_model
from studio.ui.commands import AddWorksCommand, SetValueCommand
from studio.ui.generation_tasks import (
    Outcome, Tagged, adapt_task, blend_task, continue_task, generate_task, regenerate_task, render_task,
    repaint_task, vary_task,
)
from studio.ui.panels import painting_controls
from studio.ui.panels.melody_controls import ACTIONS, sample_defaults

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow

ADAPTED_KEY = "adapted"  # in project.weights (the delta) and project.settings (its metadata)
PREVIEW_EVERY_S = 2.0  # how often a painting adaptation paints a preview into the gallery
_BATCHES = itertools.count(1)


@dataclass
class _Job:
    """A generation task the controller started and has not seen end."""

    kind: str  # generate, adapt, more, vary, blend, continue, regenerate, repaint, render
    label: str
    queue: list[str] = field(default_factory=list)  # ids of works new arrivals may replace
    after: str | None = None  # id of the work new arrivals go after
    replace: str | None = None  # id of the one work the result replaces (regenerate)
    placed: dict[str, list[str]] = field(default_factory=dict)  # wave -> ids of works placed
    seen: set[str] = field(default_factory=set)
    refining: bool = False  # the adapted wave has begun to take the preview's places
    cursor: int = 0  # the instant-gallery place the next adaptation preview takes
    domain: Domain = Domain.MELODY
    notes: tuple[str, ...] = ()  # what the adaptation wants the user to know (shown when the job ends)
    batch: int = field(default_factory=lambda: next(_BATCHES))  # undo commands of one wave merge

    def verb(self, wave: str) -> str:
        """The undo text's verb for works of ``wave``."""
        if wave == "preview":
            return "Instant gallery"
        if wave == "adapting":
            return "Adaptation previews"
        return {"generate": "Generate", "adapt": "Adapted gallery", "more": "More like these",
                "vary": "Variations", "blend": "Blend", "continue": "Continue",
                "regenerate": "Regenerate bars", "repaint": "Repaint region", "render": "Render larger"}[self.kind]

    def noun(self, n: int) -> str:
        if self.domain is Domain.PAINTING:
            return f"{n} painting{'' if n == 1 else 's'}"
        return f"{n} melod{'y' if n == 1 else 'ies'}"


def adapted_to_settings(model: AdaptedModel) -> dict[str, Any]:
    """The JSON-safe metadata of an adapted model (its delta goes to ``project.weights``)."""
    return {"domain": model.domain.value, "model_name": model.model_name, "method": model.method,
            "steps": model.steps, "seconds": model.seconds, "losses": list(model.losses),
            "sample_digests": list(model.sample_digests), "stopped_early": model.stopped_early,
            "notes": list(model.notes)}


def adapted_from_project(settings: dict[str, Any], weights: dict[str, bytes]) -> AdaptedModel | None:
    """The adapted model a project stored, or None (missing or malformed)."""
    meta, delta = settings.get(ADAPTED_KEY), weights.get(ADAPTED_KEY)
    if not isinstance(meta, dict) or not isinstance(delta, (bytes, bytearray)):
        return None
    try:
        return AdaptedModel(
            domain=Domain(meta["domain"]), model_name=str(meta["model_name"]), method=str(meta["method"]),
            delta=bytes(delta), steps=int(meta.get("steps", 0)), seconds=float(meta.get("seconds", 0.0)),
            losses=tuple(float(x) for x in meta.get("losses", ())),
            sample_digests=tuple(str(d) for d in meta.get("sample_digests", ())),
            stopped_early=bool(meta.get("stopped_early", False)),
            notes=tuple(str(n) for n in meta.get("notes", ())))
    except (KeyError, TypeError, ValueError):
        return None


class GenerationController(QObject):
    """See the module docstring; ``window`` provides the runner, session and panels."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._w = window
        self._jobs: dict[int, _Job] = {}
        self.adapted: AdaptedModel | None = None
        self._instant: AdaptedModel | None = None  # cached conditioning-only model of the samples
        self._seed_floor = 1  # seeds start at 1
        self.preview_every_s = PREVIEW_EVERY_S
        controls = window.melody_controls
        window.adaptation_panel.sig_adapt_requested.connect(self.adapt)
        controls.sig_generate.connect(self.generate)
        controls.sig_vary.connect(self.vary)
        controls.sig_blend.connect(self.blend)
        controls.sig_continue.connect(self.continue_selected)
        controls.sig_regenerate_bars.connect(self.regenerate_bars)
        controls.sig_more_like_these.connect(self.more_like_these)
        paint = window.painting_controls
        paint.sig_generate.connect(self.generate)
        paint.sig_vary.connect(self.vary)
        paint.sig_blend.connect(self.blend)
        paint.sig_repaint.connect(self.repaint)
        paint.sig_render.connect(self.render)
        paint.sig_more_like_these.connect(self.more_like_these)
        window.inspector.sig_repaint_requested.connect(self.repaint)
        runner = window.runner
        runner.sig_partial.connect(self._on_partial)
        runner.sig_finished.connect(self._on_finished)
        runner.sig_cancelled.connect(self._on_cancelled)
        runner.sig_failed.connect(self._on_failed)

    # -- state ---------------------------------------------------------------------------------------

    def owns(self, task_id: int) -> bool:
        return task_id in self._jobs

    def is_generating(self) -> bool:
        return bool(self._jobs)

    def _domain(self) -> Domain:
        return self._w.session.project.domain or Domain.MELODY

    def controls(self):
        """The controls of the project's domain: the painting controls for paintings, else the melody ones."""
        return self._w.painting_controls if self._w.session.project.domain is Domain.PAINTING else \
            self._w.melody_controls

    def _samples(self) -> list[Sample]:
        return list(self._w.session.project.samples)

    def _digests(self) -> set[str]:
        return {s.digest for s in self._samples()}

    def current_model(self) -> AdaptedModel | None:
        """The model to generate with: the adapted one if it knows every current sample, else the
        cached instant model of these samples, else None (the task then makes the instant one)."""
        for model in (self.adapted, self._instant):
            if model is not None and self._digests() <= set(model.sample_digests) and \
                    model.domain is self._w.session.project.domain:
                return model
        return None

    def set_adapted(self, model: AdaptedModel | None) -> None:
        """Make ``model`` the project's adapted model (stored in the project), and show its losses."""
        project = self._w.session.project
        self.adapted = model
        if model is None:
            project.weights.pop(ADAPTED_KEY, None)
            project.settings.pop(ADAPTED_KEY, None)
            self._w.adaptation_panel.loss_curve.clear()
        else:
            project.weights[ADAPTED_KEY] = model.delta
            project.settings[ADAPTED_KEY] = adapted_to_settings(model)
            caption = f"{model.method}, {model.seconds:.1f} s"
            self._w.adaptation_panel.loss_curve.set_points(model.losses, caption)
        self.refresh()

    def project_replaced(self) -> None:
        """After new / open / restore: forget tasks and caches, restore the stored adapted model."""
        self._jobs.clear()
        self._instant = None
        self._seed_floor = 1
        project = self._w.session.project
        model = adapted_from_project(project.settings, project.weights)
        info = default_model(model.domain) if model is not None else None
        if model is not None and (info is None or info.name != model.model_name):
            model = None  # made with other base weights: its delta means nothing to this model
        self.adapted = model
        if model is None:
            self._w.adaptation_panel.loss_curve.clear()
        else:
            self._w.adaptation_panel.loss_curve.set_points(model.losses, f"{model.method}, {model.seconds:.1f} s")
        self._w.melody_controls.apply_settings(project.settings.get("melody") or {})
        self._w.painting_controls.apply_settings(project.settings.get("painting") or {})
        self.refresh()

    # -- availability ----------------------------------------------------------------------------------

    def _blocked(self, actions: Sequence[str], wanted: Domain, works: str,
                 others: str) -> dict[str, str | None] | None:
        """Every action blocked with the reason when the project cannot use ``wanted``'s controls
        (no samples, the other domain, no generator installed); None when it can."""
        domain = self._w.session.project.domain
        if domain is None:
            return dict.fromkeys(actions, f"Add a few {works} first: the studio learns their style")
        if domain is not wanted:
            return dict.fromkeys(actions, f"This project holds {others}; {wanted.value} controls need {works}")
        if not engine.generator_available(domain):
            return dict.fromkeys(actions, f"No meta-trained {wanted.value} generator is installed yet")
        return None

    def reasons(self) -> dict[str, str | None]:
        """For each melody action, None when it can run now, else why not."""
        blocked = self._blocked(ACTIONS, Domain.MELODY, "melodies", "paintings")
        if blocked is not None:
            return blocked
        works = self._w.selected_works()
        melodies = [w for w in works if w.melody is not None]
        shown = self._w.inspector.current_work()
        return {
            "generate": None,
            "vary": None if melodies else "Select a melody in the gallery",
            "blend": None if len(melodies) == 2 else "Select exactly two melodies in the gallery",
            "continue": None if melodies or self._w.selected_samples() else "Select a gallery melody or a sample",
            "regenerate": None if shown is not None and shown.melody is not None and
            self._w.inspector.piano_roll.selected_bars() else
            "Select a gallery melody, then click or drag over bars in the inspector\u2019s piano roll",
            "more": None if self._w.session.gallery_model.gallery.kept() else "Keep at least one melody first",
        }

    def painting_reasons(self) -> dict[str, str | None]:
        """For each painting action, None when it can run now, else why not."""
        blocked = self._blocked(painting_controls.ACTIONS, Domain.PAINTING, "paintings", "melodies")
        if blocked is not None:
            return blocked
        paintings = self._selected_paintings()
        shown = self._w.inspector.current_work()
        in_gallery = shown is not None and self._w.session.gallery_model.gallery.index_of(shown.id) >= 0
        return {
            "generate": None,
            "vary": None if paintings else "Select a painting in the gallery",
            "blend": None if len(paintings) == 2 else "Select exactly two paintings in the gallery",
            "repaint": None if in_gallery and shown.image is not None and self._w.inspector.has_mask() else
            "Select a gallery painting, then brush the region to repaint in the inspector (Brush, B)",
            "render": None if paintings else "Select a painting in the gallery",
            "more": None if self._w.session.gallery_model.gallery.kept() else "Keep at least one painting first",
        }

    def refresh(self) -> None:
        controls = self._w.melody_controls
        controls.set_availability(self.reasons())
        controls.set_sample_defaults(sample_defaults(self._samples()))
        paint = self.painting_reasons()
        self._w.painting_controls.set_availability(paint)
        self._w.painting_controls.set_sample_defaults(painting_controls.sample_defaults(self._samples()))
        self._w.inspector.set_repaint_reason(paint["repaint"])
        self._w.refresh_painting_actions(paint)

    # -- commands ----------------------------------------------------------------------------------------

    def _seed(self) -> int:
        gallery = self._w.session.gallery_model.gallery
        seeds = [w.seed for w in gallery] + list(gallery.rejected_seeds)
        self._seed_floor = max([self._seed_floor, *(s + 1 for s in seeds)])
        return self._seed_floor

    def _exclude(self) -> frozenset[int]:
        return frozenset(self._w.session.gallery_model.gallery.rejected_seeds)

    def _unmarked_ids(self) -> list[str]:
        return [w.id for w in self._w.session.gallery_model.gallery if w.status is WorkStatus.NEW]

    def _params(self) -> Any:
        domain = self._w.session.project.domain
        if domain is Domain.MELODY:
            return self._w.melody_controls.params()
        return self._w.painting_controls.params() if domain is Domain.PAINTING else None

    def _start(self, job: _Job, fn) -> int:
        job.domain = self._domain()
        task_id = self._w.runner.start(job.label, fn)
        self._jobs[task_id] = job
        self._w.statusBar().showMessage(f"{job.label}\u2026")
        return task_id

    @Slot(str, str, float)
    def adapt(self, method: str, budget_kind: str, value: float) -> int | None:
        """Adapt to the samples: instant gallery first, then gradient steps, then the adapted gallery."""
        samples = self._samples()
        if not samples or not engine.generator_available(samples[0].domain):
            return None
        steps = int(value) if budget_kind == "steps" else None
        seconds = float(value) if budget_kind == "seconds" else None
        config = AdaptConfig(method=method, steps=steps, time_budget_s=seconds)
        self._w.adaptation_panel.loss_curve.clear("adapting")
        count, seed = self.controls().generate_count(), self._seed()
        fn = functools.partial(adapt_task, samples, config, self._params(), count, seed, self._exclude(),
                               preview_every_s=self.preview_every_s)
        return self._start(_Job("adapt", f"Adapting to {len(samples)} samples", queue=self._unmarked_ids()), fn)

    @Slot()
    def more_like_these(self) -> int | None:
        kept = self._w.session.gallery_model.gallery.kept()
        samples = self._samples()
        if not kept or not samples:
            return None
        settings = self._w.adaptation_panel.settings()
        by_steps = settings["budget"] == "steps"
        config = AdaptConfig(method=settings["method"], steps=int(settings["steps"]) if by_steps else None,
                             time_budget_s=None if by_steps else float(settings["seconds"]))
        self._w.adaptation_panel.loss_curve.clear("more like these")
        count, seed = self.controls().generate_count(), self._seed()
        start = self.adapted if self.adapted is not None and self.current_model() is self.adapted else None
        fn = functools.partial(adapt_task, samples, config, self._params(), count, seed, self._exclude(),
                               kept=tuple(kept), start=start)  # go on from the gradient-adapted model
        noun = "painting" if self._domain() is Domain.PAINTING else "melod"
        kept_text = f"{len(kept)} kept {noun}{'s' if noun == 'painting' else 'ies'}" if len(kept) != 1 else \
            f"1 kept {noun}{'' if noun == 'painting' else 'y'}"
        return self._start(_Job("more", f"Adapting to {kept_text}", queue=self._unmarked_ids()), fn)

    @Slot()
    def generate(self) -> int | None:
        samples = self._samples()
        if not samples:
            return None
        count, seed = self.controls().generate_count(), self._seed()
        fn = functools.partial(generate_task, self.current_model(), samples, self._params(), count, seed,
                               self._exclude())
        noun = _Job("generate", "", domain=self._domain()).noun(count)
        return self._start(_Job("generate", f"Generating {noun}", queue=self._unmarked_ids()), fn)

    def _selected_melodies(self) -> list[Work]:
        return [w for w in self._w.selected_works() if w.melody is not None]

    def _selected_paintings(self) -> list[Work]:
        return [w for w in self._w.selected_works() if w.image is not None]

    def _selected_works(self) -> list[Work]:
        """The selected works of the project's domain."""
        return self._selected_paintings() if self._domain() is Domain.PAINTING else self._selected_melodies()

    @Slot()
    def vary(self) -> int | None:
        works = self._selected_works()
        if not works:
            return None
        c = self.controls()
        fn = functools.partial(vary_task, self.current_model(), self._samples(), works[0], c.closeness_value(),
                               c.variation_count(), self._seed())
        return self._start(_Job("vary", f"Varying {works[0].title or f'seed {works[0].seed}'}", after=works[0].id), fn)

    @Slot()
    def blend(self) -> int | None:
        works = self._selected_works()
        if len(works) != 2:
            return None
        fn = functools.partial(blend_task, self.current_model(), self._samples(), works[0], works[1], self._seed())
        noun = "paintings" if self._domain() is Domain.PAINTING else "melodies"
        return self._start(_Job("blend", f"Blending two {noun}", after=works[1].id), fn)

    @Slot()
    def repaint(self) -> int | None:
        """Repaint the region brushed in the inspector on the painting it shows, in place."""
        work = self._w.inspector.current_work()
        mask = self._w.inspector.mask()
        if work is None or work.image is None or mask is None or \
                self._w.session.gallery_model.gallery.index_of(work.id) < 0:
            return None
        share = float((mask > 0).mean())
        fn = functools.partial(repaint_task, self.current_model(), self._samples(), work, mask, self._seed())
        return self._start(_Job("repaint", f"Repainting {share:.0%} of {work.title or f'seed {work.seed}'}",
                                replace=work.id), fn)

    @Slot()
    def render(self) -> int | None:
        """Render the first selected painting at the chosen larger size, after it."""
        works = self._selected_paintings()
        if not works:
            return None
        side = self._w.painting_controls.render_side()
        fn = functools.partial(render_task, self.current_model(), self._samples(), works[0], side)
        return self._start(_Job("render", f"Rendering {works[0].title or f'seed {works[0].seed}'} at {side} px",
                                after=works[0].id), fn)

    @Slot()
    def continue_selected(self) -> int | None:
        works = self._selected_melodies()
        samples = self._w.selected_samples()
        source: Work | Sample | None = works[0] if works else (samples[0] if samples else None)
        if source is None:
            return None
        bars = self._w.melody_controls.continue_bars()
        fn = functools.partial(continue_task, self.current_model(), self._samples(), source, bars, self._seed())
        after = source.id if isinstance(source, Work) else None
        return self._start(_Job("continue", f"Continuing by {bars} bars", after=after), fn)

    @Slot()
    def regenerate_bars(self) -> int | None:
        work = self._w.inspector.current_work()
        bars = self._w.inspector.piano_roll.selected_bars()
        if work is None or work.melody is None or not bars:
            return None
        fn = functools.partial(regenerate_task, self.current_model(), self._samples(), work, tuple(bars),
                               self._seed())
        label = f"Regenerating bar{'s' if len(bars) > 1 else ''} {', '.join(str(b + 1) for b in bars)}"
        return self._start(_Job("regenerate", label, replace=work.id), fn)

    # -- results (runner signals, main thread) -------------------------------------------------------

    def _place(self, job: _Job, work: Work, wave: str) -> None:
        if work.id in job.seen:
            return
        job.seen.add(work.id)
        gallery = self._w.session.gallery_model.gallery
        if job.replace is None and job.kind != "render" and wave != "adapting" and \
                work.seed in gallery.rejected_seeds:
            return  # a rejected work never comes back (in-place edits and renders keep their source's seed)
        replaces = after = None
        if wave == "adapting":
            places = job.placed.setdefault("preview", [])
            replaces = self._preview_place(job)
            if replaces is None:
                places.append(work.id)  # no card left to take: it goes at the end, and the adapted gallery
            else:  # replaces it there
                places[places.index(replaces)] = work.id
        elif job.replace is not None:
            replaces = job.replace
        elif job.after is not None:
            chain = job.placed.get(wave)
            after = chain[-1] if chain else job.after
        else:
            if wave == "main" and not job.refining and job.placed.get("preview"):
                job.refining = True  # the adapted wave takes the instant preview's places first
                job.queue = list(job.placed["preview"]) + job.queue
            while job.queue and replaces is None:
                candidate = job.queue.pop(0)
                row = gallery.index_of(candidate)
                if row >= 0 and gallery[row].status is WorkStatus.NEW:
                    replaces = candidate
        self._w.session.push(AddWorksCommand(self._w.session.gallery_model, f"{job.batch}:{wave}", job.verb(wave), work,
                                             replaces=replaces, after=after))
        job.placed.setdefault(wave, []).append(work.id)

    def _preview_place(self, job: _Job) -> str | None:
        """The id of the instant-gallery card the next adaptation preview replaces (in turn), now
        recorded as that preview's place; None when no unmarked card is left."""
        places = job.placed.get("preview", [])
        gallery = self._w.session.gallery_model.gallery
        for _ in range(len(places)):
            i = job.cursor % len(places)
            job.cursor += 1
            row = gallery.index_of(places[i])
            if row >= 0 and gallery[row].status is WorkStatus.NEW:
                return places[i]
        return None

    def _preview_work(self, preview: Any) -> Work:
        """An adaptation preview as a gallery card (replaced by the adapted gallery)."""
        step, loss = int(preview.step), float(preview.loss)
        return Work(Domain.PAINTING, seed=step, image=preview.image,
                    provenance={"operation": "adaptation preview", "step": step, "loss": round(loss, 5)},
                    title=f"Adapting \u2014 step {step}")

    @Slot(int, object)
    def _on_partial(self, task_id: int, result: object) -> None:
        job = self._jobs.get(task_id)
        if job is None or not isinstance(result, Tagged):
            return
        if result.kind == "work" and isinstance(result.value, Work):
            self._place(job, result.value, result.wave or "main")
        elif result.kind == "preview" and job.kind == "adapt" and not job.refining:
            self._place(job, self._preview_work(result.value), "adapting")
        elif result.kind == "loss":
            self._w.adaptation_panel.loss_curve.add_point(result.value)
        elif result.kind == "instant" and isinstance(result.value, AdaptedModel):
            self._instant = result.value
        elif result.kind == "adapted" and isinstance(result.value, AdaptedModel):
            model = result.value
            kept = f", the best of {len(model.losses)}" if model.steps < len(model.losses) else ""  # early stopping
            text = "More like these" if job.kind == "more" else f"Adapt ({model.method}, {model.steps} steps{kept})"
            self._w.session.push(SetValueCommand(text, self.set_adapted, model, self.adapted))
            job.notes = model.notes

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        job = self._jobs.pop(task_id, None)
        if job is None:
            return
        if isinstance(result, Outcome):
            for work in result.works:
                self._place(job, work, "main")
        made = sum(len(ids) for wave, ids in job.placed.items() if wave == "main")
        text = f"{job.label}: done, {job.noun(made).replace(' ', ' new ', 1)}."
        if job.notes:  # e.g. the copy guard refused checkpoints: say so where it stays readable
            self._w.adaptation_panel.status.setText(f"{text} {' '.join(job.notes)}")
        self._w.statusBar().showMessage(f"{text} {' '.join(job.notes)}".strip(), 15000 if job.notes else 10000)
        self.refresh()

    @Slot(int)
    def _on_cancelled(self, task_id: int) -> None:
        job = self._jobs.pop(task_id, None)
        if job is None:
            return
        kept = sum(len(ids) for ids in job.placed.values())
        arrived = f"the {job.noun(kept)} that arrived stay{'s' if kept == 1 else ''}"
        text = f"{job.label}: cancelled; {arrived} in the gallery."
        self._w.adaptation_panel.status.setText(text)
        self._w.statusBar().showMessage(text, 10000)
        self.refresh()

    @Slot(int, str, str)
    def _on_failed(self, task_id: int, message: str, details: str) -> None:
        job = self._jobs.pop(task_id, None)
        if job is None:
            return
        self._w.show_problems(f"{job.label} failed", f"{job.label} failed: {message}", [], details)
        self.refresh()
