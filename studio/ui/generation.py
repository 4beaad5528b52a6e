"""The generation controller: adaptation, generation and refinement as tasks, landing in the gallery.

It turns the adaptation panel's Adapt and the buttons of the project's domain controls (the
melody controls, or the painting controls and the inspector's Repaint) into
:mod:`~studio.ui.generation_tasks` functions run by the :class:`~studio.tasks.TaskRunner`, and
the results streamed on each task's own :class:`~studio.tasks.TaskHandle` into undoable commands.
It receives what it uses: the project session, the runner, the selection, the panels it reads
and feeds, and a :class:`~studio.ui.feedback.Messages` sink.

* a work, or a painting adaptation's preview, arrives -> an undoable command that puts it in its
  place in the gallery (:mod:`~studio.ui.placement` says where). A cancel keeps what arrived.
* a loss arrives -> the adaptation panel's loss curve; a new adapted model ->
  :class:`~studio.ui.commands.SetValueCommand`, which also stores it in the project
  (:meth:`AdaptedModel.to_project <studio.domains.base.AdaptedModel.to_project>`) so a saved
  project reopens adapted.
* rejected seeds are passed to the generator as excluded, and a new work that still carries
  one is dropped: a rejected melody or painting never comes back.
* when the studio should choose (:meth:`set_taste` gives the source: the
  :class:`~studio.ui.taste_controller.TasteController`), Generate and Adapt pass a snapshot of
  the project to the task, whose (final) gallery is drafted larger and shows the works chosen for
  the person's taste (More like these stays its own way of learning from the kept works);
  each finished gallery (Generate, Adapt, More like these) is reported as a new taste round.

It never touches the engine outside a task, so the UI thread never loads torch.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from studio import engine
from studio.core.samples import Domain, Sample
from studio.core.works import Work, WorkStatus
from studio.domains.base import AdaptConfig, AdaptedModel
from studio.model_registry import default_model
from studio.progress import Progress
from studio.tasks import TaskHandle, TaskRunner
from studio.ui.commands import SetValueCommand
from studio.ui.facts import method_name, work_title
from studio.ui.feedback import Messages
from studio.ui.generation_tasks import (
    Outcome, Tagged, adapt_task, blend_task, continue_task, generate_task, regenerate_task, render_task,
    repaint_task, vary_task,
)
from studio.ui.guide_controller import GuideController
from studio.ui.i18n import domain_plural, domain_singular
from studio.ui.panels import painting_controls
from studio.ui.panels.adaptation_panel import AdaptationPanel
from studio.ui.panels.inspector import InspectorPanel
from studio.ui.panels.melody_controls import ACTIONS, MelodyControlsPanel, sample_defaults
from studio.ui.panels.painting_controls import PaintingControlsPanel
from studio.ui.placement import Job, place, preview_work
from studio.ui.selection import Selection
from studio.ui.session import ProjectSession

ADAPTED_KEY = AdaptedModel.PROJECT_KEY
PREVIEW_EVERY_S = 2.0  # how often a painting adaptation paints a preview into the gallery


class GenerationController(QObject):
    """See the module docstring. ``sig_painting_reasons`` carries :meth:`painting_reasons` after
    every refresh (the window enables the Paintings menu with it)."""

    sig_painting_reasons = Signal(dict)

    def __init__(self, session: ProjectSession, runner: TaskRunner, selection: Selection,
                 melody_controls: MelodyControlsPanel, painting_controls: PaintingControlsPanel,
                 inspector: InspectorPanel, adaptation_panel: AdaptationPanel, messages: Messages,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.selection = selection
        self.melody_controls = melody_controls
        self.painting_controls = painting_controls
        self.inspector = inspector
        self.adaptation_panel = adaptation_panel
        self.messages = messages
        self._jobs: dict[TaskHandle, Job] = {}
        self.adapted: AdaptedModel | None = None
        self._instant: AdaptedModel | None = None  # cached conditioning-only model of the samples
        self._seed_floor = 1  # seeds start at 1
        self.preview_every_s = PREVIEW_EVERY_S
        self._taste_source: Callable[[], Any] = lambda: None  # a project snapshot when the studio chooses
        self._gallery_made: Callable[[list[str]], object] = lambda _ids: None
        adaptation_panel.sig_adapt_requested.connect(self.adapt)
        controls = melody_controls
        controls.sig_generate.connect(self.generate)
        controls.sig_vary.connect(self.vary)
        controls.sig_blend.connect(self.blend)
        controls.sig_continue.connect(self.continue_selected)
        controls.sig_regenerate_bars.connect(self.regenerate_bars)
        controls.sig_more_like_these.connect(self.more_like_these)
        controls.sig_chords_edited.connect(self.chords_edited)
        paint = painting_controls
        paint.sig_generate.connect(self.generate)
        paint.sig_vary.connect(self.vary)
        paint.sig_blend.connect(self.blend)
        paint.sig_repaint.connect(self.repaint)
        paint.sig_render.connect(self.render)
        paint.sig_more_like_these.connect(self.more_like_these)
        inspector.sig_repaint_requested.connect(self.repaint)
        session.sig_project_replaced.connect(self.project_replaced)
        self.guide = GuideController(session, painting_controls, messages, parent=self)  # the guide in params
        inspector.set_guide_lookup(self.guide.lookup)

    def set_taste(self, source: Callable[[], Any], gallery_made: Callable[[list[str]], object]) -> None:
        """``source()``: a project snapshot when Generate should let the studio choose, else None;
        ``gallery_made(ids)`` is told the works of each new gallery (a taste round)."""
        self._taste_source = source
        self._gallery_made = gallery_made

    # -- state ---------------------------------------------------------------------------------------

    def owns(self, handle: TaskHandle) -> bool:
        return handle in self._jobs

    def is_generating(self) -> bool:
        return bool(self._jobs)

    def _domain(self) -> Domain:
        return self.session.project.domain or Domain.MELODY

    def controls(self) -> MelodyControlsPanel | PaintingControlsPanel:
        """The controls of the project's domain: the painting controls for paintings, else the melody ones."""
        return self.painting_controls if self.session.project.domain is Domain.PAINTING else \
            self.melody_controls

    def _samples(self) -> list[Sample]:
        return list(self.session.project.samples)

    def _digests(self) -> set[str]:
        return {s.digest for s in self._samples()}

    def current_model(self) -> AdaptedModel | None:
        """The model to generate with: the adapted one if it knows every current sample, else the
        cached instant model of these samples, else None (the task then makes the instant one)."""
        for model in (self.adapted, self._instant):
            if model is not None and self._digests() <= set(model.sample_digests) and \
                    model.domain is self.session.project.domain:
                return model
        return None

    def set_adapted(self, model: AdaptedModel | None) -> None:
        """Make ``model`` the project's adapted model (stored in the project), and show its losses."""
        project = self.session.project
        self.adapted = model
        if model is None:
            project.weights.pop(ADAPTED_KEY, None)
            project.settings.pop(ADAPTED_KEY, None)
            self.adaptation_panel.loss_curve.clear()
        else:
            project.settings[ADAPTED_KEY], project.weights[ADAPTED_KEY] = model.to_project()
            self.adaptation_panel.loss_curve.set_points(model.losses, self._loss_caption(model))
        self.refresh()

    def project_replaced(self) -> None:
        """After new / open / restore: forget tasks and caches, restore the stored adapted model."""
        self._jobs.clear()
        self._instant = None
        self._seed_floor = 1
        project = self.session.project
        model = AdaptedModel.from_project(project.settings.get(ADAPTED_KEY), project.weights.get(ADAPTED_KEY))
        info = default_model(model.domain) if model is not None else None
        if model is not None and (info is None or info.name != model.model_name):
            model = None  # made with other base weights: its delta means nothing to this model
        self.adapted = model
        if model is None:
            self.adaptation_panel.loss_curve.clear()
        else:
            self.adaptation_panel.loss_curve.set_points(model.losses, self._loss_caption(model))
        self.melody_controls.apply_settings(project.settings.get("melody") or {})
        self.painting_controls.apply_settings(project.settings.get("painting") or {})
        self.refresh()

    # -- availability ----------------------------------------------------------------------------------

    def _blocked(self, actions: Sequence[str], wanted: Domain, others: Domain) -> dict[str, str | None] | None:
        """Every action blocked with the reason when the project cannot use ``wanted``'s controls
        (no samples, the other domain, no generator installed); None when it can."""
        domain = self.session.project.domain
        if domain is None:
            return dict.fromkeys(actions, self.tr("Add a few {works} first: the studio learns their style").format(
                works=domain_plural(wanted)))
        if domain is not wanted:
            return dict.fromkeys(actions, self.tr("This project holds {others}; {kind} controls need {works}").format(
                others=domain_plural(others), kind=domain_singular(wanted), works=domain_plural(wanted)))
        if not engine.generator_available(domain):
            return dict.fromkeys(actions, self.tr("No meta-trained {kind} generator is installed yet").format(
                kind=domain_singular(wanted)))
        return None

    def reasons(self) -> dict[str, str | None]:
        """For each melody action, None when it can run now, else why not."""
        blocked = self._blocked(ACTIONS, Domain.MELODY, Domain.PAINTING)
        if blocked is not None:
            return blocked
        works = self.selection.works()
        melodies = [w for w in works if w.melody is not None]
        shown = self.inspector.current_work()
        return {
            "generate": None,
            "vary": None if melodies else self.tr("Select a melody in the gallery"),
            "blend": None if len(melodies) == 2 else self.tr("Select exactly two melodies in the gallery"),
            "continue": None if melodies or self.selection.samples() else
            self.tr("Select a gallery melody or a sample"),
            "regenerate": None if shown is not None and shown.melody is not None and
            self.inspector.piano_roll.selected_bars() else
            self.tr("Select a gallery melody, then click or drag over bars in the inspector\u2019s piano roll"),
            "more": None if self.session.gallery_model.gallery.kept() else self.tr("Keep at least one melody first"),
        }

    def painting_reasons(self) -> dict[str, str | None]:
        """For each painting action, None when it can run now, else why not."""
        blocked = self._blocked(painting_controls.ACTIONS, Domain.PAINTING, Domain.MELODY)
        if blocked is not None:
            return blocked
        paintings = self._selected_paintings()
        shown = self.inspector.current_work()
        in_gallery = shown is not None and self.session.gallery_model.gallery.index_of(shown.id) >= 0
        return {
            "generate": None,
            "vary": None if paintings else self.tr("Select a painting in the gallery"),
            "blend": None if len(paintings) == 2 else self.tr("Select exactly two paintings in the gallery"),
            "repaint": None if shown is not None and in_gallery and shown.image is not None and
            self.inspector.has_mask() else
            self.tr("Select a gallery painting, then brush the region to repaint in the inspector (Brush, B)"),
            "render": None if paintings else self.tr("Select a painting in the gallery"),
            "more": None if self.session.gallery_model.gallery.kept() else
            self.tr("Keep at least one painting first"),
        }

    def refresh(self) -> None:
        controls = self.melody_controls
        controls.set_availability(self.reasons())
        controls.set_sample_defaults(sample_defaults(self._samples()))
        paint = self.painting_reasons()
        self.painting_controls.set_availability(paint)
        self.painting_controls.set_sample_defaults(painting_controls.sample_defaults(self._samples()))
        self.inspector.set_repaint_reason(paint["repaint"])
        self.sig_painting_reasons.emit(paint)

    # -- commands ----------------------------------------------------------------------------------------

    def _seed(self) -> int:
        gallery = self.session.gallery_model.gallery
        seeds = [w.seed for w in gallery] + list(gallery.rejected_seeds)
        self._seed_floor = max([self._seed_floor, *(s + 1 for s in seeds)])
        return self._seed_floor

    def _exclude(self) -> frozenset[int]:
        return frozenset(self.session.gallery_model.gallery.rejected_seeds)

    def _unmarked_ids(self) -> list[str]:
        return [w.id for w in self.session.gallery_model.gallery if w.status is WorkStatus.NEW]

    def _params(self) -> Any:
        domain = self.session.project.domain
        if domain is Domain.MELODY:
            return self.melody_controls.params()
        return self.painting_controls.params() if domain is Domain.PAINTING else None

    def _refine_params(self) -> Any:
        """What a melody refinement reads of the panel (the scale lock, chords for a clip without
        any; the work's own chords come first); None for paintings."""
        return self.melody_controls.params() if self._domain() is Domain.MELODY else None

    def _start(self, job: Job, fn: Callable[[Progress], Any]) -> TaskHandle:
        job.domain = self._domain()
        handle = self.runner.start(job.label, fn)
        self._jobs[handle] = job
        handle.connect_outcomes(self._on_partial, self._on_finished, self._on_cancelled, self._on_failed)
        self.messages.show_message(f"{job.label}\u2026")
        return handle

    @Slot(str, str)
    def chords_edited(self, old: str, new: str) -> None:
        """A finished edit of the chord lane becomes an undo step (it is already shown)."""
        text = self.tr("Set chords") if new else self.tr("Clear chords")
        self.session.push(SetValueCommand(text, self.melody_controls.set_chord_text, new, old))

    @Slot(str, str, float)
    def adapt(self, method: str, budget_kind: str, value: float) -> TaskHandle | None:
        """Adapt to the samples: instant gallery first, then gradient steps, then the adapted gallery."""
        samples = self._samples()
        if not samples or not engine.generator_available(samples[0].domain):
            return None
        steps = int(value) if budget_kind == "steps" else None
        seconds = float(value) if budget_kind == "seconds" else None
        config = AdaptConfig(method=method, steps=steps, time_budget_s=seconds)
        self.adaptation_panel.loss_curve.clear(self.tr("adapting"))
        count, seed = self.controls().generate_count(), self._seed()
        fn = functools.partial(adapt_task, samples, config, self._params(), count, seed, self._exclude(),
                               preview_every_s=self.preview_every_s, taste=self._taste_source())
        label = self.tr("Adapting to {n} samples").format(n=len(samples))
        handle = self._start(Job("adapt", label, queue=self._unmarked_ids()), fn)
        error = self.melody_controls.chords.error() if self._domain() is Domain.MELODY else None
        if error is not None:  # Adapt is not held back by the chord lane: say what its gallery leaves out
            self.messages.show_message(self.tr("{label}: the chords have a mistake and are left out ({error})").format(
                label=label, error=error), 15000)
        return handle

    @Slot()
    def more_like_these(self) -> TaskHandle | None:
        kept = self.session.gallery_model.gallery.kept()
        samples = self._samples()
        if not kept or not samples:
            return None
        settings = self.adaptation_panel.settings()
        by_steps = settings["budget"] == "steps"
        config = AdaptConfig(method=settings["method"], steps=int(settings["steps"]) if by_steps else None,
                             time_budget_s=None if by_steps else float(settings["seconds"]))
        self.adaptation_panel.loss_curve.clear(self.tr("more like these"))
        count, seed = self.controls().generate_count(), self._seed()
        start = self.adapted if self.adapted is not None and self.current_model() is self.adapted else None
        fn = functools.partial(adapt_task, samples, config, self._params(), count, seed, self._exclude(),
                               kept=tuple(kept), start=start)  # go on from the gradient-adapted model
        n = len(kept)
        if self._domain() is Domain.PAINTING:
            label = self.tr("Adapting to 1 kept painting") if n == 1 else \
                self.tr("Adapting to {n} kept paintings").format(n=n)
        else:
            label = self.tr("Adapting to 1 kept melody") if n == 1 else \
                self.tr("Adapting to {n} kept melodies").format(n=n)
        return self._start(Job("more", label, queue=self._unmarked_ids()), fn)

    @Slot()
    def generate(self) -> TaskHandle | None:
        samples = self._samples()
        if not samples:
            return None
        count, seed = self.controls().generate_count(), self._seed()
        taste = self._taste_source()
        fn = functools.partial(generate_task, self.current_model(), samples, self._params(), count, seed,
                               self._exclude(), taste=taste)
        noun = Job("generate", "", domain=self._domain()).noun(count)
        label = self.tr("Generating {works}").format(works=noun) if taste is None else \
            self.tr("Generating {works}, chosen for your taste").format(works=noun)
        return self._start(Job("generate", label, queue=self._unmarked_ids()), fn)

    def _selected_melodies(self) -> list[Work]:
        return [w for w in self.selection.works() if w.melody is not None]

    def _selected_paintings(self) -> list[Work]:
        return [w for w in self.selection.works() if w.image is not None]

    def _selected_works(self) -> list[Work]:
        """The selected works of the project's domain."""
        return self._selected_paintings() if self._domain() is Domain.PAINTING else self._selected_melodies()

    @Slot()
    def vary(self) -> TaskHandle | None:
        works = self._selected_works()
        if not works:
            return None
        c = self.controls()
        fn = functools.partial(vary_task, self.current_model(), self._samples(), works[0], c.closeness_value(),
                               c.variation_count(), self._seed(), params=self._refine_params())
        label = self.tr("Varying {work}").format(work=self._work_name(works[0]))
        return self._start(Job("vary", label, after=works[0].id), fn)

    @Slot()
    def blend(self) -> TaskHandle | None:
        works = self._selected_works()
        if len(works) != 2:
            return None
        fn = functools.partial(blend_task, self.current_model(), self._samples(), works[0], works[1], self._seed())
        label = self.tr("Blending two paintings") if self._domain() is Domain.PAINTING else \
            self.tr("Blending two melodies")
        return self._start(Job("blend", label, after=works[1].id), fn)

    @Slot()
    def repaint(self) -> TaskHandle | None:
        """Repaint the region brushed in the inspector on the painting it shows, in place."""
        work = self.inspector.current_work()
        mask = self.inspector.repaint_mask()
        if work is None or work.image is None or mask is None or \
                self.session.gallery_model.gallery.index_of(work.id) < 0:
            return None
        share = float((mask > 0).mean())
        fn = functools.partial(repaint_task, self.current_model(), self._samples(), work, mask, self._seed())
        label = self.tr("Repainting {share} of {work}").format(share=f"{share:.0%}", work=self._work_name(work))
        return self._start(Job("repaint", label, replace=work.id), fn)

    @Slot()
    def render(self) -> TaskHandle | None:
        """Render the first selected painting at the chosen larger size, after it."""
        works = self._selected_paintings()
        if not works:
            return None
        side = self.painting_controls.render_side()
        fn = functools.partial(render_task, self.current_model(), self._samples(), works[0], side)
        label = self.tr("Rendering {work} at {side} px").format(work=self._work_name(works[0]), side=side)
        return self._start(Job("render", label, after=works[0].id), fn)

    @Slot()
    def continue_selected(self) -> TaskHandle | None:
        works = self._selected_melodies()
        samples = self.selection.samples()
        source: Work | Sample | None = works[0] if works else (samples[0] if samples else None)
        if source is None:
            return None
        bars = self.melody_controls.continue_bars()
        fn = functools.partial(continue_task, self.current_model(), self._samples(), source, bars, self._seed(),
                               params=self._refine_params())
        after = source.id if isinstance(source, Work) else None
        return self._start(Job("continue", self.tr("Continuing by {n} bars").format(n=bars), after=after), fn)

    @Slot()
    def regenerate_bars(self) -> TaskHandle | None:
        work = self.inspector.current_work()
        bars = self.inspector.piano_roll.selected_bars()
        if work is None or work.melody is None or not bars:
            return None
        fn = functools.partial(regenerate_task, self.current_model(), self._samples(), work, tuple(bars),
                               self._seed(), params=self._refine_params())
        numbers = ", ".join(str(b + 1) for b in bars)
        label = (self.tr("Regenerating bars {numbers}") if len(bars) > 1 else self.tr("Regenerating bar {numbers}")
                 ).format(numbers=numbers)
        return self._start(Job("regenerate", label, replace=work.id), fn)

    # -- results (each task's handle, main thread) -------------------------------------------------------

    def _on_partial(self, handle: TaskHandle, result: object) -> None:
        job = self._jobs.get(handle)
        if job is None or not isinstance(result, Tagged):
            return
        if result.kind == "work" and isinstance(result.value, Work):
            place(self.session, job, result.value, result.wave or "main")
        elif result.kind == "preview" and job.kind == "adapt" and not job.refining:
            place(self.session, job, preview_work(result.value), "adapting")
        elif result.kind == "loss":
            self.adaptation_panel.loss_curve.add_point(result.value)
        elif result.kind == "instant" and isinstance(result.value, AdaptedModel):
            self._instant = result.value
        elif result.kind == "adapted" and isinstance(result.value, AdaptedModel):
            model = result.value
            kept = self.tr(", the best of {n}").format(n=len(model.losses)) \
                if model.steps < len(model.losses) else ""  # early stopping
            text = self.tr("More like these") if job.kind == "more" else \
                self.tr("Adapt ({method}, {n} steps{kept})").format(method=method_name(model.method), n=model.steps,
                                                                     kept=kept)
            self.session.push(SetValueCommand(text, self.set_adapted, model, self.adapted))
            job.notes = model.notes

    def _on_finished(self, handle: TaskHandle, result: object) -> None:
        job = self._jobs.pop(handle, None)
        if job is None:
            return
        if isinstance(result, Outcome):
            for work in result.works:
                place(self.session, job, work, "main")
        made = sum(len(ids) for wave, ids in job.placed.items() if wave == "main")
        self._round_done(job)
        text = self.tr("{task}: done, {works}.").format(task=job.label, works=job.new_noun(made))
        if isinstance(result, Outcome) and result.drafts:
            text += " " + self.tr("The studio chose them from {n} drafts.").format(n=result.drafts)
        if job.notes:  # e.g. the copy guard refused checkpoints: say so where it stays readable
            self.adaptation_panel.status.setText(f"{text} {' '.join(job.notes)}")
        self.messages.show_message(f"{text} {' '.join(job.notes)}".strip(), 15000 if job.notes else 10000)
        self.refresh()

    def _on_cancelled(self, handle: TaskHandle) -> None:
        job = self._jobs.pop(handle, None)
        if job is None:
            return
        kept = sum(len(ids) for ids in job.placed.values())
        self._round_done(job)
        text = (self.tr("{task}: cancelled; the {works} that arrived stays in the gallery.") if kept == 1 else
                self.tr("{task}: cancelled; the {works} that arrived stay in the gallery.")).format(
            task=job.label, works=job.noun(kept))
        self.adaptation_panel.status.setText(text)
        self.messages.show_message(text, 10000)
        self.refresh()

    def _round_done(self, job: Job) -> None:
        """A new gallery's works (Generate, Adapt, More like these) form one taste round."""
        if job.kind in ("generate", "adapt", "more"):
            ids = [wid for wave, placed in job.placed.items() if wave != "adapting" for wid in placed]
            gallery = self.session.gallery_model.gallery
            self._gallery_made([wid for wid in ids if gallery.index_of(wid) >= 0])

    def _loss_caption(self, model: AdaptedModel) -> str:
        return self.tr("{method}, {seconds} s").format(method=method_name(model.method), seconds=f"{model.seconds:.1f}")

    def _work_name(self, work: Work) -> str:
        return work_title(work) if work.title else self.tr("seed {seed}").format(seed=work.seed)

    def _on_failed(self, handle: TaskHandle, message: str, details: str) -> None:  # noqa: ARG002
        if self._jobs.pop(handle, None) is not None:  # the failure itself is shown by the window's one place
            self.refresh()
