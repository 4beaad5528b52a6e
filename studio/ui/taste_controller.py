"""The taste controller: what the window shows and does about the person's taste (issue 18).

It receives what it uses: the project session (the undo stack and the project, whose settings
hold the :class:`~studio.core.taste.TasteState`), the :class:`~studio.ui.panels.taste_panel.TastePanel`,
the gallery panel (its taste order and marks), the inspector (a work's explanation) and a
:class:`~studio.ui.feedback.Messages` sink.

* The "Let the studio choose" switch and Reset are undoable (:class:`~studio.ui.commands.SetValueCommand`
  over the whole state) and saved with the project (the state is part of its settings).
* What the studio has learnt (the summary), every gallery work's taste score and its explanation
  are computed by :func:`taste_task` in the controller's own :class:`~studio.tasks.TaskRunner`
  (one worker thread, one thread for torch): the UI thread never loads torch, and a new taste
  computation cancels only the previous one, never a generation. A change of the gallery or the
  state asks for a new one after a short pause (:data:`REFRESH_DELAY_MS`), so a run of keeps costs one;
  while the window's own runner is busy (a generation streams its works) learning waits for it to
  end, so the two do not share the two cores. Nothing runs while no keep or reject counts.
* Each new gallery (Generate, Adapt, More like these) is a round: :meth:`gallery_made` records
  which round its works were shown in, so Reset can start counting afresh.
* :meth:`curation_snapshot` is what the generation controller asks before Generate: a copy of the
  project when the studio should choose the works, else None.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from studio import engine
from studio.core.project import Project
from studio.core.samples import Sample, SampleSet
from studio.core.taste import TASTE_KEY, TasteState
from studio.core.works import Gallery, Work, WorkStatus
from studio.progress import Progress, check_stop
from studio.tasks import TaskHandle, TaskRunner
from studio.taste.words import LEARNT_FROM, Explanation, TasteSummary
from studio.ui.commands import SetValueCommand
from studio.ui.feedback import Messages
from studio.ui.i18n import translate
from studio.ui.models.gallery_model import TasteRole, taste_verdict
from studio.ui.panels.gallery_panel import GalleryPanel
from studio.ui.panels.inspector import InspectorPanel
from studio.ui.panels.taste_panel import TastePanel, TasteView
from studio.ui.session import ProjectSession
from studio.ui.taste_words import explanation_words, summary_words

REFRESH_DELAY_MS = 400  # a burst of keeps and rejects is learnt from once
_SHOWN_ONLY = {int(Qt.ItemDataRole.DecorationRole), int(Qt.ItemDataRole.ToolTipRole), int(TasteRole)}

# -- the worker side (no Qt) ------------------------------------------------------------------------


@dataclass(frozen=True)
class TasteReport:
    """What :func:`taste_task` learnt: the summary, and each gallery work's explanation by id."""

    summary: TasteSummary  # counts, and the words as phrases
    explanations: dict[str, Explanation] = field(default_factory=dict)  # work id -> its explanation
    liked_ids: tuple[str, ...] = ()  # what an Explanation's nearest_kept indexes
    rejected_ids: tuple[str, ...] = ()  # ... and its nearest_rejected


def taste_task(project: Project, progress: Progress) -> TasteReport:
    """The summary of ``project``'s taste and an explanation for each of its gallery works
    (none while there is no feedback). ``project`` is a snapshot: nothing else changes it."""
    progress.report_progress(0.0, translate("TasteController", "Learning your taste"))
    summary = engine.taste_summary(project)
    check_stop(progress)
    feedback = engine.taste_feedback(project)
    if feedback is None or not len(project.gallery):
        return TasteReport(summary)
    explanations = dict(engine.explain_works(project, list(project.gallery)))
    progress.report_progress(1.0)
    return TasteReport(summary, explanations, tuple(feedback.liked_names), tuple(feedback.rejected_names))


def snapshot(project: Project) -> Project:
    """A copy of ``project`` a worker may read while the window goes on editing the original
    (works and samples are immutable; the lists and the taste state are copied; no weights)."""
    settings = dict(project.settings)
    if TASTE_KEY in settings:
        settings[TASTE_KEY] = TasteState.from_json(settings[TASTE_KEY]).to_json()
    return Project(samples=SampleSet(list(project.samples)), gallery=Gallery(list(project.gallery)),
                   settings=settings, title=project.title)


# -- the controller (main thread) -------------------------------------------------------------------


class TasteController(QObject):
    """See the module docstring. ``sig_sorted`` says whether the gallery shows by taste."""

    sig_sorted = Signal(bool)
    sig_state_changed = Signal()  # the switch or Reset changed (menus follow)

    def __init__(self, session: ProjectSession, panel: TastePanel, gallery_panel: GalleryPanel,
                 inspector: InspectorPanel, messages: Messages, parent: QObject | None = None,
                 runner: TaskRunner | None = None, busy: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.panel = panel
        self.gallery_panel = gallery_panel
        self.inspector = inspector
        self.messages = messages
        self.runner = runner if runner is not None else TaskRunner(self, torch_threads=1)
        self._busy = busy  # the window's runner: while it generates, learning waits (two cores)
        self._deferred = False
        if busy is not None:
            busy.sig_busy_changed.connect(self._busy_changed)
        self._handle: TaskHandle | None = None
        self._report: TasteReport | None = None
        self._problem = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh_now)
        panel.sig_choose_toggled.connect(self.set_choosing)
        panel.sig_reset_requested.connect(self.reset)
        panel.sig_sort_changed.connect(self.set_sorted)
        model = session.gallery_model
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._gallery_changed)
        model.dataChanged.connect(self._works_changed)
        session.sig_project_replaced.connect(self.project_replaced)
        self.project_replaced()

    # -- the state ---------------------------------------------------------------------------------

    def state(self) -> TasteState:
        """A copy of the project's taste state."""
        return engine.taste_state(self.session.project).copy()

    def apply_state(self, state: TasteState) -> None:
        """Make ``state`` the project's (the undo commands' setter); the panel follows."""
        engine.set_taste_state(self.session.project, state.copy())
        self.sig_state_changed.emit()
        self._show()
        self.schedule()

    def choosing(self) -> bool:
        """The switch's effective value now."""
        return engine.curating(self.session.project)

    @Slot(bool)
    def set_choosing(self, on: bool) -> None:
        """The person turned the switch: on or off by hand, as one undo step."""
        old = self.state()
        if old.enabled is not None and old.enabled == on:
            return
        new = old.copy()
        new.enabled = bool(on)
        text = translate("TasteController", "Let the studio choose") if on else \
            translate("TasteController", "Stop letting the studio choose")
        self.session.push(SetValueCommand(text, self.apply_state, new, old))

    @Slot()
    def reset(self) -> None:
        """Forget the feedback so far (the works keep their marks), as one undo step."""
        old = self.state()
        new = old.copy()
        new.reset()
        self.session.push(SetValueCommand(translate("TasteController", "Reset taste"), self.apply_state, new, old))
        self.messages.show_message(translate("TasteController", "Taste reset: the keeps and rejects so far no longer "
                                             "count (Undo brings them back)."), 10000)

    def gallery_made(self, work_ids: Sequence[str]) -> None:
        """A new gallery's works arrived: they were shown in the next round (bookkeeping, not an edit)."""
        gallery = self.session.gallery_model.gallery
        works = [gallery[row] for row in (gallery.index_of(i) for i in work_ids) if row >= 0]
        if works:
            engine.record_gallery(self.session.project, works)

    def curation_snapshot(self) -> Project | None:
        """A copy of the project for a curated gallery when the studio should choose, else None."""
        return snapshot(self.session.project) if self.choosing() else None

    # -- the gallery order ---------------------------------------------------------------------------

    @Slot(bool)
    def set_sorted(self, by_taste: bool) -> None:
        """Show the gallery by taste (best first) or as made; a view setting, not an edit."""
        self.gallery_panel.set_sorted_by_taste(by_taste)
        self.panel.set_sorted(by_taste)
        self.sig_sorted.emit(by_taste)
        if by_taste and not self.gallery_panel.model.taste_scores():
            self.messages.show_message(translate("TasteController", "Sorted by taste once the studio has learnt "
                                                 "some: keep or reject works first."), 10000)

    # -- learning, off the UI thread --------------------------------------------------------------------

    def schedule(self) -> None:
        """Learn again after a short pause."""
        self._timer.start()

    @Slot()
    def refresh_now(self) -> TaskHandle | None:
        """Start learning from the project as it is now (cancelling an earlier run of this controller)."""
        self._timer.stop()
        project = self.session.project
        kept, rejected = self.counted_works()
        if project.domain is None or not engine.generator_available(project.domain) or not (kept or rejected):
            if self._handle is not None:  # nothing to learn from (any more): no worker, no torch
                self._handle.cancel()
                self._handle = None
            self._report = None
            self._problem = ""
            self.gallery_panel.model.set_taste_scores({})
            self._show()
            return None
        if self._busy is not None and self._busy.is_busy():
            self._deferred = True  # learnt once the running task ends
            self._show(busy=True)
            return None
        self._deferred = False
        handle = self.runner.start(translate("TasteController", "Learning your taste"),
                                   functools.partial(taste_task, snapshot(project)))  # copied here, read there
        handle.connect_outcomes(self._on_partial, self._on_finished, self._on_cancelled, self._on_failed)
        self._handle = handle
        self._show(busy=True)
        return handle

    def is_learning(self) -> bool:
        return self._handle is not None or self._timer.isActive() or self._deferred

    @Slot(bool)
    def _busy_changed(self, busy: bool) -> None:
        if not busy and self._deferred:
            self.schedule()

    def _on_partial(self, handle: TaskHandle, result: object) -> None:  # noqa: ARG002 - nothing streams
        pass

    def _on_finished(self, handle: TaskHandle, result: object) -> None:
        if handle is not self._handle or not isinstance(result, TasteReport):
            return
        self._handle = None
        self._report = result
        self._problem = ""
        scores = {wid: float(e.score) for wid, e in result.explanations.items()}
        self.gallery_panel.model.set_taste_scores(scores)
        self._show()
        self.show_explanation()

    def _on_cancelled(self, handle: TaskHandle) -> None:
        if handle is self._handle:
            self._handle = None

    def _on_failed(self, handle: TaskHandle, message: str, details: str) -> None:  # noqa: ARG002
        if handle is not self._handle:
            return
        self._handle = None
        self._report = None
        self._problem = translate("TasteController", "The studio could not learn your taste: {reason}").format(
            reason=message)
        self.gallery_panel.model.set_taste_scores({})
        self._show()

    def shutdown(self) -> None:
        """Stop the controller's worker (the window calls this as it closes)."""
        self._timer.stop()
        self.runner.shutdown()

    # -- what the window shows ------------------------------------------------------------------------

    def _show(self, busy: bool = False) -> None:
        project = self.session.project
        state = engine.taste_state(project)
        summary = self._report.summary if self._report is not None else None
        liked, rejected = self._counted()
        phrases = [p for p in summary.phrases if p.kind != LEARNT_FROM] if summary is not None else []
        words = summary_words(phrases)  # the panel says the counts itself
        self.panel.show_view(TasteView(
            liked=liked, rejected=rejected, samples=len(project.samples), words=words,
            choosing=self.choosing(), automatic=state.enabled is None, domain=project.domain,
            busy=busy or self._handle is not None, problem=self._problem))

    def _counted(self) -> tuple[int, int]:
        """The kept and rejected works whose marks count (since the last Reset)."""
        state = engine.taste_state(self.session.project)
        works = [w for w in self.session.gallery_model.gallery if state.counts(w.id)]
        return (sum(1 for w in works if w.status is WorkStatus.KEPT),
                sum(1 for w in works if w.status is WorkStatus.REJECTED))

    def counted_works(self) -> tuple[list[Work], list[Work]]:
        """(kept, rejected) works that count, in gallery order: what the explanations' nearest
        kept and rejected indices point into."""
        state = engine.taste_state(self.session.project)
        works = [w for w in self.session.gallery_model.gallery if state.counts(w.id)]
        return [w for w in works if w.status is WorkStatus.KEPT], [w for w in works if w.status is WorkStatus.REJECTED]

    def explanation(self, work_id: str) -> Explanation | None:
        return self._report.explanations.get(work_id) if self._report is not None else None

    def show_explanation(self) -> None:
        """Show the inspector's work's explanation, when the studio has one for it."""
        work = self.inspector.current_work()
        explanation = self.explanation(work.id) if work is not None else None
        if work is None or explanation is None:
            self.inspector.show_taste(None)
            return
        assert self._report is not None
        gallery = self.session.gallery_model.gallery
        by_id = {w.id: w for w in gallery}
        kept = [by_id.get(i) for i in self._report.liked_ids]
        rejected = [by_id.get(i) for i in self._report.rejected_ids]
        samples: list[Sample | None] = list(self.session.project.samples)
        neighbours: list[tuple[str, Work | Sample]] = []
        for caption, items, index in ((translate("TasteController", "Nearest kept"), kept, explanation.nearest_kept),
                                      (translate("TasteController", "Nearest rejected"), rejected,
                                       explanation.nearest_rejected),
                                      (translate("TasteController", "Nearest sample"), samples,
                                       explanation.nearest_sample)):
            item = items[int(index)] if 0 <= int(index) < len(items) else None
            if item is not None and not (isinstance(item, Work) and item.id == work.id):  # a kept work is its own nearest
                neighbours.append((caption, item))
        self.inspector.show_taste(explanation_text(explanation), neighbours)

    # -- changes --------------------------------------------------------------------------------------

    def _gallery_changed(self, *_: object) -> None:
        self._show(busy=self._handle is not None)
        self.schedule()

    def _works_changed(self, _first: object, _last: object, roles: Sequence[int] = ()) -> None:
        if roles and set(roles) <= _SHOWN_ONLY:
            return  # thumbnails or taste marks redrawn: nothing to learn from
        self._gallery_changed()

    def project_replaced(self) -> None:
        self._report = None
        self._problem = ""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self.gallery_panel.model.set_taste_scores({})
        self._show()
        self.sig_state_changed.emit()
        self.schedule()


def explanation_text(explanation: Explanation) -> str:
    """An explanation as the inspector shows it (rich text, the window's language)."""
    score = float(explanation.score)
    said = taste_verdict(score)  # the card's mark says the same
    if said == "likely":
        verdict = translate("TasteController", "Likely to your taste")
    elif said == "unlikely":
        verdict = translate("TasteController", "Likely not to your taste")
    else:
        verdict = translate("TasteController", "The studio is unsure about this one")
    detail = explanation_words(explanation.phrases)
    head = translate("TasteController", "Taste {score}").format(score=f"{score:+.2f}")
    return f"<b>{html.escape(head)}</b> \u2014 {html.escape(verdict)}<br>{html.escape(detail)}"
