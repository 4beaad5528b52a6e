"""Undo commands and the order helpers, on the models alone (no window)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from studio import engine
from studio.core.samples import SampleSet
from studio.errors import MixedDomainError
from studio.ui.commands import (
    ImportSamplesCommand, RemoveSamplesCommand, ReorderSamplesCommand, dropped_order, moved_order,
)
from studio.ui.models.sample_model import SampleListModel


@pytest.mark.parametrize(("rows", "delta", "expected"), [
    ([1], -1, [1, 0, 2, 3]),
    ([1, 2], 1, [0, 3, 1, 2]),
    ([0], -1, None),
    ([3], 1, None),
    ([], 1, None),
])
def test_moved_order(rows, delta, expected):
    assert moved_order(4, rows, delta) == expected


@pytest.mark.parametrize(("rows", "destination", "expected"), [
    ([3], 0, [3, 0, 1, 2]),
    ([0], 4, [1, 2, 3, 0]),
    ([0, 2], 4, [1, 3, 0, 2]),
    ([1], 1, None),
    ([1], 2, None),
])
def test_dropped_order(rows, destination, expected):
    assert dropped_order(4, rows, destination) == expected


@pytest.fixture
def samples(paintings):
    return list(engine.import_samples(paintings).samples)


def test_import_remove_reorder_commands_undo_exactly(qtbot, samples):
    model = SampleListModel(SampleSet())
    stack = QUndoStack()
    stack.push(ImportSamplesCommand(model, samples))
    stack.push(RemoveSamplesCommand(model, [0, 2]))
    assert [s.name for s in model.samples()] == ["p1.png"]
    stack.undo()
    stack.push(ReorderSamplesCommand(model, [2, 0, 1]))
    assert [s.name for s in model.samples()] == ["p2.png", "p0.png", "p1.png"]
    stack.undo()
    assert [s.name for s in model.samples()] == ["p0.png", "p1.png", "p2.png"]
    stack.undo()
    assert model.rowCount() == 0
    assert [stack.text(i) for i in range(stack.count())] == ["Import 3 samples", "Reorder samples"]


def test_model_refuses_a_mixed_insert_whole(qtbot, samples, melodies):
    model = SampleListModel(SampleSet(samples))
    melody = engine.import_samples(melodies[:1]).samples[0]
    with pytest.raises(MixedDomainError):
        model.insert_samples(3, [melody])
    assert model.rowCount() == 3
    with pytest.raises(ValueError, match="permutation"):
        model.reorder([0, 0, 1])


def test_sample_model_roles(qtbot, samples, melodies):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPixmap

    from studio.ui.models.sample_model import SampleRole

    model = SampleListModel(SampleSet(samples))
    index = model.index(0)
    assert model.data(index) == "p0.png\n40 \u00d7 30 PNG"
    assert isinstance(model.data(index, Qt.ItemDataRole.DecorationRole), QPixmap)
    assert "Palette" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, SampleRole) is samples[0]
    melody_model = SampleListModel(SampleSet(list(engine.import_samples(melodies).samples)))
    tip = melody_model.data(melody_model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert "Key" in tip and "Tempo" in tip and "Range" in tip
    thumb = melody_model.data(melody_model.index(0), Qt.ItemDataRole.DecorationRole)
    assert not thumb.isNull() and thumb.width() > thumb.height()  # a piano roll
