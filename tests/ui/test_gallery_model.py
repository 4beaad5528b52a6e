"""The gallery model over hand-made works: rows, roles, badges, and keep/reject undo."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QUndoStack

from studio.core.melody import Melody, Note
from studio.core.samples import Domain
from studio.core.works import Gallery, Work, WorkStatus
from studio.ui.commands import RemoveWorksCommand, SetWorkStatusCommand
from studio.ui.models.gallery_model import GalleryModel, StatusRole, WorkRole


def works() -> list[Work]:
    image = np.zeros((20, 30, 3), dtype=np.uint8)
    image[:, :15] = (250, 200, 0)
    melody = Melody(tuple(Note(60 + i, 24 * i, 24) for i in range(8)))
    return [
        Work(Domain.PAINTING, seed=7, image=image, title="Sunrise", provenance={"method": "reptile", "steps": 50}),
        Work(Domain.PAINTING, seed=8, image=image),
        Work(Domain.MELODY, seed=9, melody=melody),
    ]


def test_rows_and_roles(qtbot):
    items = works()
    model = GalleryModel(Gallery(items))
    assert model.rowCount() == 3
    first = model.index(0)
    assert model.data(first) == "Sunrise"
    assert model.data(model.index(1)) == "Seed 8"
    tip = model.data(first, Qt.ItemDataRole.ToolTipRole)
    assert "Seed" in tip and "7" in tip and "reptile" in tip
    assert model.data(first, StatusRole) is WorkStatus.NEW
    assert model.data(first, WorkRole) is items[0]
    for row in range(3):
        assert isinstance(model.data(model.index(row), Qt.ItemDataRole.DecorationRole), QPixmap)
    assert model.data(model.index(5)) is None


def test_keep_and_reject_undo_and_badges(qtbot):
    model = GalleryModel(Gallery(works()))
    stack = QUndoStack()
    plain = model.data(model.index(1), Qt.ItemDataRole.DecorationRole).toImage()
    stack.push(SetWorkStatusCommand(model, [0, 2], WorkStatus.KEPT))
    stack.push(SetWorkStatusCommand(model, [1], WorkStatus.REJECTED))
    assert [model.data(model.index(r), StatusRole) for r in range(3)] == [WorkStatus.KEPT, WorkStatus.REJECTED,
                                                                         WorkStatus.KEPT]
    assert model.gallery.rejected_seeds == {8}
    assert [w.seed for w in model.gallery.kept()] == [7, 9]
    dimmed = model.data(model.index(1), Qt.ItemDataRole.DecorationRole).toImage()
    assert dimmed != plain  # the rejected work is drawn dimmed with a badge
    stack.push(RemoveWorksCommand(model, [0]))
    assert model.rowCount() == 2
    stack.undo()
    stack.undo()
    assert model.data(model.index(1), StatusRole) is WorkStatus.NEW
    assert model.gallery.rejected_seeds == set()
    stack.undo()
    assert all(model.data(model.index(r), StatusRole) is WorkStatus.NEW for r in range(3))
    assert stack.text(0) == "Keep 2 works"
