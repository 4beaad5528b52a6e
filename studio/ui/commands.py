"""Undoable edits of the sample set and the gallery, for the window's one QUndoStack.

Each command changes the core collections through the models' mutators, so the views follow.
The order helpers are pure functions: they compute the permutation a move or a drop makes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtGui import QUndoCommand

from studio.core.samples import Sample
from studio.core.works import Work, WorkStatus
from studio.ui.i18n import translate
from studio.ui.models.gallery_model import GalleryModel
from studio.ui.models.sample_model import SampleListModel


def _samples(n: int) -> str:
    return translate("Commands", "1 sample") if n == 1 else translate("Commands", "{n} samples").format(n=n)


def _works(n: int) -> str:
    return translate("Commands", "1 work") if n == 1 else translate("Commands", "{n} works").format(n=n)


def moved_order(count: int, rows: list[int], delta: int) -> list[int] | None:
    """The order after moving ``rows`` one place up (-1) or down (+1); None if they cannot move."""
    chosen = sorted(set(rows))
    if not chosen or delta not in (-1, 1):
        return None
    if (delta < 0 and chosen[0] == 0) or (delta > 0 and chosen[-1] == count - 1):
        return None
    order = list(range(count))
    for row in (chosen if delta < 0 else reversed(chosen)):
        order[row], order[row + delta] = order[row + delta], order[row]
    return order


def dropped_order(count: int, rows: list[int], destination: int) -> list[int] | None:
    """The order after dragging ``rows`` to land before row ``destination`` (``count``: the end)."""
    chosen = sorted(set(r for r in rows if 0 <= r < count))
    if not chosen:
        return None
    destination = max(0, min(count, destination))
    rest = [r for r in range(count) if r not in chosen]
    insert_at = sum(1 for r in rest if r < destination)
    order = rest[:insert_at] + chosen + rest[insert_at:]
    return None if order == list(range(count)) else order


def _inverse(order: list[int]) -> list[int]:
    inverse = [0] * len(order)
    for new, old in enumerate(order):
        inverse[old] = new
    return inverse


class ImportSamplesCommand(QUndoCommand):
    """Adds the samples of one finished import, all at once, at the end of the set."""

    def __init__(self, model: SampleListModel, samples: list[Sample]) -> None:
        super().__init__(translate("Commands", "Import {samples}").format(samples=_samples(len(samples))))
        self._model = model
        self._samples = list(samples)
        self._row = model.rowCount()

    def redo(self) -> None:
        self._model.insert_samples(self._row, self._samples)

    def undo(self) -> None:
        for _ in self._samples:
            self._model.take_at(self._row)


class RemoveSamplesCommand(QUndoCommand):
    def __init__(self, model: SampleListModel, rows: list[int]) -> None:
        self._rows = sorted(set(rows))
        super().__init__(translate("Commands", "Remove {samples}").format(samples=_samples(len(self._rows))))
        self._model = model
        self._taken: list[tuple[int, Sample]] = []

    def redo(self) -> None:
        self._taken = [(row, self._model.take_at(row)) for row in reversed(self._rows)]

    def undo(self) -> None:
        for row, sample in reversed(self._taken):
            self._model.insert_samples(row, [sample])


class ReorderSamplesCommand(QUndoCommand):
    def __init__(self, model: SampleListModel, order: list[int], text: str = "") -> None:
        super().__init__(text or translate("Commands", "Reorder samples"))
        self._model = model
        self._order = list(order)

    def redo(self) -> None:
        self._model.reorder(self._order)

    def undo(self) -> None:
        self._model.reorder(_inverse(self._order))


class SetWorkStatusCommand(QUndoCommand):
    """Keep, reject or reset works."""

    def __init__(self, model: GalleryModel, rows: list[int], status: WorkStatus) -> None:
        self._rows = sorted(set(rows))
        works = _works(len(self._rows))
        if status is WorkStatus.KEPT:
            text = translate("Commands", "Keep {works}").format(works=works)
        elif status is WorkStatus.REJECTED:
            text = translate("Commands", "Reject {works}").format(works=works)
        else:
            text = translate("Commands", "Unmark {works}").format(works=works)
        super().__init__(text)
        self._model = model
        self._status = status
        self._before: list[Work] = []

    def redo(self) -> None:
        self._before = [self._model.work_at(row) for row in self._rows]
        for row, work in zip(self._rows, self._before):
            self._model.replace_at(row, replace(work, status=self._status))

    def undo(self) -> None:
        for row, work in zip(self._rows, self._before):
            self._model.replace_at(row, work)


class RemoveWorksCommand(QUndoCommand):
    def __init__(self, model: GalleryModel, rows: list[int]) -> None:
        self._rows = sorted(set(rows))
        super().__init__(translate("Commands", "Remove {works}").format(works=_works(len(self._rows))))
        self._model = model
        self._taken: list[tuple[int, Work]] = []

    def redo(self) -> None:
        self._taken = [(row, self._model.take_at(row)) for row in reversed(self._rows)]

    def undo(self) -> None:
        for row, work in reversed(self._taken):
            self._model.insert_works(row, [work])


def _works_noun(works: list[Work], n: int) -> str:
    melody = bool(works) and all(w.melody is not None for w in works)
    if not melody:
        return _works(n)
    return translate("Commands", "1 melody") if n == 1 else translate("Commands", "{n} melodies").format(n=n)


class AddWorksCommand(QUndoCommand):
    """Works arriving from one generation wave, placed as they come; one wave is one undo step.

    Each work lands in place of ``replaces`` (a work id) when that work is still in the gallery,
    else after ``after`` (a work id) when that one is, else at the end. Every arriving work is
    pushed as its own command; commands of the same ``batch`` merge (Qt's ``mergeWith``), so a
    streamed gallery undoes in one step while the user can still keep or reject meanwhile.
    """

    ID = 4101

    def __init__(self, model: GalleryModel, batch: str, verb: str, work: Work,
                 replaces: str | None = None, after: str | None = None) -> None:
        super().__init__()
        self._model = model
        self._batch = batch
        self._verb = verb
        self._plan: list[tuple[Work, str | None, str | None]] = [(work, replaces, after)]
        self._replaced: list[Work | None] = []
        self._set_text()

    def id(self) -> int:
        return self.ID

    @property
    def batch(self) -> str:
        return self._batch

    def works(self) -> list[Work]:
        return [work for work, _, _ in self._plan]

    def _set_text(self) -> None:
        self.setText(translate("Commands", "{verb}: {works}").format(verb=self._verb,
                                                                    works=_works_noun(self.works(), len(self._plan))))

    def redo(self) -> None:
        gallery = self._model.gallery
        self._replaced = []
        for work, replaces, after in self._plan:
            row = gallery.index_of(replaces) if replaces else -1
            if row >= 0:
                self._replaced.append(self._model.replace_at(row, work))
                continue
            self._replaced.append(None)
            row = gallery.index_of(after) if after else -1
            self._model.insert_works(row + 1 if row >= 0 else len(gallery), [work])

    def undo(self) -> None:
        gallery = self._model.gallery
        for (work, _, _), old in reversed(list(zip(self._plan, self._replaced))):
            row = gallery.index_of(work.id)
            if row < 0:
                continue
            if old is None:
                self._model.take_at(row)
            else:
                self._model.replace_at(row, old)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, AddWorksCommand) or other.batch != self._batch:
            return False
        self._plan.extend(other._plan)
        self._replaced.extend(other._replaced)
        self._set_text()
        return True


class SetValueCommand(QUndoCommand):
    """Sets a value through ``apply`` (redo: ``new``, undo: ``old``), e.g. the adapted model."""

    def __init__(self, text: str, apply: Callable[[Any], object], new: object, old: object) -> None:
        super().__init__(text)
        self._apply, self._new, self._old = apply, new, old

    def redo(self) -> None:
        self._apply(self._new)

    def undo(self) -> None:
        self._apply(self._old)
