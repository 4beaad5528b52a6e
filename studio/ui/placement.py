"""Where a generation task's works land in the gallery, as undoable commands.

:func:`place` turns each work a :class:`Job` streams into an
:class:`~studio.ui.commands.AddWorksCommand`; the works of one wave merge into one undo step.

* A new gallery (Generate, Adapt, More like these) takes the places of the unmarked works, so
  kept and rejected ones stay; variations, blends and larger renders land after their source;
  Regenerate bars and Repaint region replace their work in place.
* A painting adaptation's preview takes the place of the next card of the instant gallery in
  turn (an "Adapting" card), so the gallery shows the adaptation as it goes; the adapted
  gallery then takes all those places.
* A new work that carries a rejected seed is dropped: a rejected melody or painting never
  comes back.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from studio.core.samples import Domain
from studio.core.works import Work, WorkStatus
from studio.ui.commands import AddWorksCommand
from studio.ui.i18n import translate
from studio.ui.session import ProjectSession

_BATCHES = itertools.count(1)


@dataclass
class Job:
    """A generation task the controller started and has not seen end, and where its works go."""

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
            return translate("Placement", "Instant gallery")
        if wave == "adapting":
            return translate("Placement", "Adaptation previews")
        return {"generate": translate("Placement", "Generate"), "adapt": translate("Placement", "Adapted gallery"),
                "more": translate("Placement", "More like these"), "vary": translate("Placement", "Variations"),
                "blend": translate("Placement", "Blend"), "continue": translate("Placement", "Continue"),
                "regenerate": translate("Placement", "Regenerate bars"),
                "repaint": translate("Placement", "Repaint region"),
                "render": translate("Placement", "Render larger")}[self.kind]

    def noun(self, n: int) -> str:
        """"1 painting", "3 melodies", ... in the window's language."""
        if self.domain is Domain.PAINTING:
            return translate("Placement", "1 painting") if n == 1 else \
                translate("Placement", "{n} paintings").format(n=n)
        return translate("Placement", "1 melody") if n == 1 else translate("Placement", "{n} melodies").format(n=n)

    def new_noun(self, n: int) -> str:
        """"1 new painting", "3 new melodies", ... in the window's language."""
        if self.domain is Domain.PAINTING:
            return translate("Placement", "1 new painting") if n == 1 else \
                translate("Placement", "{n} new paintings").format(n=n)
        return translate("Placement", "1 new melody") if n == 1 else \
            translate("Placement", "{n} new melodies").format(n=n)


def place(session: ProjectSession, job: Job, work: Work, wave: str) -> None:
    """Put ``work`` of ``wave`` ("preview", "adapting" or "main") where ``job`` says, as one command;
    a work already placed, or one with a rejected seed, is dropped."""
    if work.id in job.seen:
        return
    job.seen.add(work.id)
    gallery = session.gallery_model.gallery
    if job.replace is None and job.kind != "render" and wave != "adapting" and \
            work.seed in gallery.rejected_seeds:
        return  # a rejected work never comes back (in-place edits and renders keep their source's seed)
    replaces = after = None
    if wave == "adapting":
        places = job.placed.setdefault("preview", [])
        replaces = _preview_place(session, job)
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
    session.push(AddWorksCommand(session.gallery_model, f"{job.batch}:{wave}", job.verb(wave), work,
                                 replaces=replaces, after=after))
    job.placed.setdefault(wave, []).append(work.id)


def _preview_place(session: ProjectSession, job: Job) -> str | None:
    """The id of the instant-gallery card the next adaptation preview replaces (in turn), now
    recorded as that preview's place; None when no unmarked card is left."""
    places = job.placed.get("preview", [])
    gallery = session.gallery_model.gallery
    for _ in range(len(places)):
        i = job.cursor % len(places)
        job.cursor += 1
        row = gallery.index_of(places[i])
        if row >= 0 and gallery[row].status is WorkStatus.NEW:
            return places[i]
    return None


def preview_work(preview: Any) -> Work:
    """An adaptation preview as a gallery card (replaced by the adapted gallery)."""
    step, loss = int(preview.step), float(preview.loss)
    return Work(Domain.PAINTING, seed=step, image=preview.image,
                provenance={"operation": "adaptation preview", "step": step, "loss": round(loss, 5)},
                title=translate("Placement", "Adapting \u2014 step {step}").format(step=step))
