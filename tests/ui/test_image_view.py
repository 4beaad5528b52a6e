"""The zoomable picture view and its mask brush: zoom keeps the point under the cursor, the
keys work, and the brush paints (and erases) a mask at the picture's own resolution."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from studio.ui.pixmaps import rgb_to_pixmap
from studio.ui.widgets.image_view import ZOOM_STEP, ImageView

W, H = 80, 50  # picture size


@pytest.fixture
def view(qtbot):
    v = ImageView("nothing")
    qtbot.addWidget(v)
    v.resize(240, 150)  # fitted: 2.88 view px per picture px... at most 236/80, 146/50
    v.show()
    qtbot.waitExposed(v)
    pixels = np.zeros((H, W, 3), np.uint8)
    pixels[:, :, 2] = 200
    v.set_source(rgb_to_pixmap(pixels))
    return v


def view_point(v: ImageView, x: float, y: float) -> QPoint:
    return v.to_view(QPointF(x, y)).toPoint()


def test_fits_the_picture_and_maps_points_both_ways(view):
    assert view.is_fitted() and view.zoom() == pytest.approx(min(236 / W, 146 / H))
    rect = view.image_rect()
    assert rect.width() == pytest.approx(W * view.zoom()) and rect.center().x() == pytest.approx(120)
    point = QPointF(13.0, 29.0)
    back = view.to_image(view.to_view(point))
    assert (back.x(), back.y()) == pytest.approx((13.0, 29.0))


def test_zoom_keeps_the_point_under_the_cursor_and_keys_zoom_and_fit(qtbot, view):
    fitted = view.zoom()
    anchor = QPointF(60, 40)
    under = view.to_image(anchor)
    view.zoom_in(anchor)
    assert view.zoom() == pytest.approx(fitted * ZOOM_STEP) and not view.is_fitted()
    after = view.to_image(anchor)
    assert (after.x(), after.y()) == pytest.approx((under.x(), under.y()))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(fitted * ZOOM_STEP ** 2)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(fitted * ZOOM_STEP)
    qtbot.keyClick(view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.0)
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.is_fitted() and view.zoom() == pytest.approx(fitted)


def test_the_brush_paints_and_erases_a_mask_at_picture_resolution(qtbot, view):
    assert view.repaint_mask().shape == (H, W) and not view.repaint_mask().any() and not view.has_mask()
    view.set_brush_size(10)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=view_point(view, 20, 25))
    assert not view.has_mask()  # brush mode is off: a drag pans, it paints nothing
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=view_point(view, 20, 25))
    view.set_brush_mode(True)
    with qtbot.waitSignal(view.sig_mask_changed, check_params_cb=lambda painted: painted):
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=view_point(view, 20, 25))
    qtbot.mouseMove(view, view_point(view, 50, 25))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=view_point(view, 50, 25))
    mask = view.repaint_mask()
    assert mask.dtype == np.uint8 and set(np.unique(mask)) == {0, 255}
    assert mask[25, 20] and mask[25, 35] and mask[25, 50]  # along the stroke
    assert not mask[25, 60] and not mask[5, 35] and not mask[45, 35]  # a 10 px brush: not far off it
    assert 200 < (mask > 0).sum() < 500  # about 30 x 10 plus the round ends
    qtbot.mousePress(view, Qt.MouseButton.RightButton, pos=view_point(view, 35, 25))  # erase a dot
    qtbot.mouseRelease(view, Qt.MouseButton.RightButton, pos=view_point(view, 35, 25))
    assert not view.repaint_mask()[25, 35] and view.repaint_mask()[25, 20]
    picture = view.grab().toImage()
    tinted = picture.pixelColor(view_point(view, 22, 25))
    plain = picture.pixelColor(view_point(view, 70, 10))
    assert tinted.red() > 80 and plain.red() < 10  # the mask shows as a translucent red overlay
    with qtbot.waitSignal(view.sig_mask_changed, check_params_cb=lambda painted: not painted):
        view.clear_mask()
    assert not view.repaint_mask().any()


def test_a_new_picture_clears_the_mask_unless_asked_to_keep_it(view):
    view.paint_stroke(QPointF(10, 10), QPointF(10, 10))
    assert view.has_mask()
    same_size = rgb_to_pixmap(np.full((H, W, 3), 90, np.uint8))
    view.set_source(same_size, keep_mask=True)
    assert view.has_mask() and view.repaint_mask()[10, 10]
    view.set_source(same_size)
    assert not view.has_mask()
    view.set_source(None)
    assert view.repaint_mask() is None and view.source() is None


def test_a_stroke_outside_the_picture_paints_no_mask(view):
    view.set_brush_size(4)
    view.paint_stroke(QPointF(-30, -30), QPointF(-20, -10))
    assert not view.has_mask() and not view.repaint_mask().any()


def test_the_inspector_brushes_only_gallery_paintings_and_keeps_the_mask_for_a_repaint(qtbot, melodies):
    from dataclasses import replace

    from studio import engine
    from studio.core.samples import Domain
    from studio.core.works import Work, WorkStatus
    from studio.ui.panels.inspector import InspectorPanel

    panel = InspectorPanel()
    qtbot.addWidget(panel)
    panel.show()
    painting = Work(Domain.PAINTING, 3, image=np.full((H, W, 3), 120, np.uint8), title="P")
    panel.show_work(painting)
    assert panel.brush_button.isVisible() and panel.brush_button.isEnabled() and panel.repaint_mask() is None
    panel.brush_button.click()
    assert panel.preview.brush_mode()
    with qtbot.waitSignal(panel.sig_mask_changed):
        panel.preview.paint_stroke(QPointF(10, 10), QPointF(30, 10))
    assert panel.repaint_mask().shape == (H, W) and panel.has_mask() and panel.clear_mask_button.isEnabled()
    panel.show_work(replace(painting, status=WorkStatus.KEPT))  # the same work kept: the mask stays
    assert panel.has_mask()
    repainted = Work(Domain.PAINTING, 3, image=np.full((H, W, 3), 60, np.uint8), provenance={"parent": painting.id})
    panel.show_work(repainted)  # its repaint: the mask stays for another go
    assert panel.has_mask()
    panel.show_work(Work(Domain.PAINTING, 4, image=np.full((H, W, 3), 60, np.uint8)))  # another painting
    assert not panel.has_mask()
    panel.show_sample(engine.import_samples(melodies[:1]).samples[0])
    assert not panel.brush_button.isVisible() and not panel.preview.brush_mode()
