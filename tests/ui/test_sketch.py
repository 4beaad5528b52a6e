"""The sketch canvas and the Draw-a-guide dialog: strokes change pixels where they go, the bucket
fills a region (and only it), undo / redo (also Ctrl+Z / Ctrl+Shift+Z in the dialog), [ and ]
size the brush, a pen's pressure scales it, the palette comes from the samples' facts, and
"Use as guide" yields a Guide of the canvas's aspect ratio."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor

from studio import engine
from studio.domains.painting.guide import Guide
from studio.ui.sketch_dialog import SketchDialog, samples_palette
from studio.ui.widgets.sketch_canvas import CANVAS_SIDE, SketchCanvas, canvas_size, flood_fill


@pytest.fixture
def canvas(qtbot):
    c = SketchCanvas(aspect=4 / 3, ground="#ffffff")
    c.resize(CANVAS_SIDE + 2, 386)  # scale 1: widget points are canvas pixels (plus the centring offset)
    qtbot.addWidget(c)
    c.show()
    qtbot.waitExposed(c)
    return c


def widget_point(c: SketchCanvas, x: float, y: float) -> QPoint:
    scale, origin = c._frame()
    return (origin + QPointF(x, y) * scale).toPoint()


def test_canvas_size_follows_the_aspect():
    assert canvas_size(4 / 3).toTuple() == (512, 384)
    assert canvas_size(9 / 16).toTuple() == (288, 512)
    assert canvas_size(1.0).toTuple() == (512, 512)


def test_a_mouse_stroke_paints_along_its_path_and_undo_redo_restore(qtbot, canvas):
    canvas.set_colour("#ff0000")
    canvas.set_brush_size(12)
    canvas.set_hardness(1.0)
    before = canvas.to_array()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=widget_point(canvas, 50, 100))
    for x in range(60, 260, 20):
        qtbot.mouseMove(canvas, widget_point(canvas, x, 100))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=widget_point(canvas, 250, 100))
    after = canvas.to_array()
    assert tuple(after[100, 150]) == (255, 0, 0) and tuple(after[100, 240]) == (255, 0, 0)
    assert tuple(after[300, 150]) == (255, 255, 255)  # far from the stroke: untouched
    assert not np.array_equal(before, after) and canvas.can_undo()
    canvas.undo()
    assert np.array_equal(canvas.to_array(), before) and canvas.can_redo()
    canvas.redo()
    assert np.array_equal(canvas.to_array(), after)


def test_the_eraser_paints_the_ground_and_clear_is_undoable(canvas):
    canvas.set_colour("#0000ff")
    canvas.set_hardness(1.0)
    canvas.begin_stroke(QPointF(100, 100))
    canvas.end_stroke()
    assert tuple(canvas.to_array()[100, 100]) == (0, 0, 255)
    canvas.set_tool("eraser")
    canvas.begin_stroke(QPointF(100, 100))
    canvas.end_stroke()
    assert tuple(canvas.to_array()[100, 100]) == (255, 255, 255)
    canvas.set_tool("brush")
    canvas.begin_stroke(QPointF(200, 200))
    canvas.end_stroke()
    canvas.clear()
    assert canvas.is_blank()
    canvas.undo()
    assert not canvas.is_blank()


def test_the_bucket_fills_the_enclosed_region_only(canvas):
    canvas.set_colour("#000000")
    canvas.set_brush_size(8)
    canvas.set_hardness(1.0)
    canvas.begin_stroke(QPointF(0, 200))
    canvas.continue_stroke(QPointF(511, 200))  # a line across: two regions
    canvas.end_stroke()
    canvas.set_tool("fill")
    canvas.set_colour("#3366cc")
    canvas.fill_at(QPointF(10, 10))
    rgb = canvas.to_array()
    assert tuple(rgb[10, 500]) == (0x33, 0x66, 0xcc) and tuple(rgb[150, 256]) == (0x33, 0x66, 0xcc)
    assert tuple(rgb[300, 256]) == (255, 255, 255)  # the other side of the line
    assert tuple(rgb[200, 256]) == (0, 0, 0)  # the line itself


def test_flood_fill_follows_4_connectivity():
    rgb = np.full((5, 5, 3), 255, np.uint8)
    rgb[2, :] = 0
    region = flood_fill(rgb, 0, 0)
    assert region[:2].all() and not region[2:].any()
    rgb[2, 2] = 255  # a gap in the wall: the fill goes through it, not through diagonals
    assert flood_fill(rgb, 0, 0)[4, 4]


@pytest.mark.parametrize("seed", range(4))
def test_flood_fill_matches_a_pixel_by_pixel_fill(seed):
    rng = np.random.default_rng(seed)
    rgb = (rng.random((40, 50, 1)) < 0.45).repeat(3, axis=2).astype(np.uint8) * 200  # a random maze
    x, y = int(rng.integers(50)), int(rng.integers(40))
    expected = np.zeros((40, 50), bool)
    stack = [(y, x)]
    while stack:  # the plain 4-connected flood fill the run-based one must equal
        r, c = stack.pop()
        if 0 <= r < 40 and 0 <= c < 50 and not expected[r, c] and (rgb[r, c] == rgb[y, x]).all():
            expected[r, c] = True
            stack += [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)]
    assert np.array_equal(flood_fill(rgb, x, y, tolerance=0), expected)


def test_brackets_size_the_brush_and_pen_pressure_scales_the_dab(qtbot, canvas):
    canvas.set_brush_size(24)
    qtbot.keyClick(canvas, Qt.Key.Key_BracketRight)
    assert canvas.brush_size() == 32
    qtbot.keyClick(canvas, Qt.Key.Key_BracketLeft)
    qtbot.keyClick(canvas, Qt.Key.Key_BracketLeft)
    assert canvas.brush_size() == 16
    canvas.set_brush_size(40)
    canvas.set_hardness(1.0)
    canvas.set_colour("#000000")
    canvas.begin_stroke(QPointF(100, 100), pressure=0.25)  # a 10-px dab
    canvas.begin_stroke(QPointF(300, 100), pressure=1.0)  # a 40-px dab
    rgb = canvas.to_array()
    light = (rgb[:, :, 0] < 128)
    assert light[:, 50:150].sum() < light[:, 250:350].sum() / 8


def test_samples_palette_merges_the_samples_facts(paintings):
    samples = engine.import_samples(paintings).samples
    palette = samples_palette(samples)
    colours = {c for s in samples for c, _ in s.facts.palette}
    assert palette and {c for c, _ in palette} <= colours
    assert sum(share for _, share in palette) == pytest.approx(1.0, abs=0.05)
    assert [s for _, s in palette] == sorted((s for _, s in palette), reverse=True)


def test_dialog_palette_undo_shortcuts_and_use_as_guide(qtbot, paintings):
    palette = samples_palette(engine.import_samples(paintings).samples)
    dialog = SketchDialog(palette, aspect=9 / 16)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()  # shortcuts reach the active window only
    qtbot.waitActive(dialog)
    assert not dialog.use_button.isEnabled()  # a blank canvas has no composition
    assert [c for c, _ in dialog.swatches.palette_colours()] == [c for c, _ in palette]
    picked = palette[1][0]
    rect = dialog.swatches._rects()[1][0]
    qtbot.mouseClick(dialog.swatches, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert dialog.canvas.colour().name() == QColor(picked).name()
    canvas = dialog.canvas
    canvas.set_hardness(1.0)
    canvas.begin_stroke(QPointF(100, 100))
    canvas.end_stroke()
    assert dialog.use_button.isEnabled() and dialog.undo_button.isEnabled()
    drawn = canvas.to_array()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.is_blank()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert np.array_equal(canvas.to_array(), drawn)
    guide = dialog.guide()
    assert isinstance(guide, Guide) and guide.image.shape == (512, 288, 3)
    assert guide.aspect == pytest.approx(9 / 16, abs=0.01)
    assert tuple(guide.image[100, 100]) == tuple(QColor(picked).getRgb()[:3])
    wide = next(i for i in range(dialog.aspect_box.count()) if dialog.aspect_box.itemData(i) == pytest.approx(16 / 9))
    dialog.aspect_box.setCurrentIndex(wide)
    assert dialog.guide().aspect == pytest.approx(16 / 9, abs=0.01)
    dialog.undo_button.click()  # the reshape is undoable, and the Shape box follows
    assert dialog.guide().aspect == pytest.approx(9 / 16, abs=0.01)
    assert dialog.aspect_box.currentData() == pytest.approx(9 / 16)


def test_dialog_starts_from_a_given_picture_with_nothing_to_undo(qtbot):
    start = np.zeros((90, 160, 3), np.uint8)
    start[:, 80:] = 200
    dialog = SketchDialog((), aspect=1.0, start=start)
    qtbot.addWidget(dialog)
    assert dialog.canvas.aspect() == pytest.approx(16 / 9, abs=0.01)
    assert not dialog.canvas.can_undo() and dialog.use_button.isEnabled()
    assert dialog.canvas.ground().name() == "#ffffff"  # no samples: white paper


def test_a_pen_stroke_is_as_wide_as_its_pressure(qtbot, canvas):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
    from PySide6.QtWidgets import QApplication

    pen = QPointingDevice("pen", 1, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Pressure | QInputDevice.Capability.Position, 1, 3)

    def send(kind: QEvent.Type, x: float, y: float, pressure: float) -> bool:
        at = QPointF(widget_point(canvas, x, y))
        event = QTabletEvent(kind, pen, at, at, pressure, 0.0, 0.0, 0.0, 0.0, 0.0, Qt.KeyboardModifier.NoModifier,
                             Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
        QApplication.sendEvent(canvas, event)
        return event.isAccepted()

    canvas.set_brush_size(40)
    canvas.set_hardness(1.0)
    canvas.set_colour("#000000")
    for y, pressure in ((100, 0.2), (300, 1.0)):
        assert send(QEvent.Type.TabletPress, 100, y, pressure)
        send(QEvent.Type.TabletMove, 300, y, pressure)
        send(QEvent.Type.TabletRelease, 300, y, 0.0)
    dark = canvas.to_array()[:, :, 0] < 128
    light_width, full_width = dark[:, 200][:200].sum(), dark[:, 200][200:].sum()
    assert 6 <= light_width <= 10 and 38 <= full_width <= 42
    assert canvas.can_undo()
