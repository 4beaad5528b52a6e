"""The guide in the window: the Painting panel's Guide group (drop, thumbnail, Closeness), the
guide controller (a bad file is refused with the file's name and the reason and changes nothing;
set, draw and clear are undoable; the guide reaches the generator's params and is saved with the
project), a guided gallery painted from a sketch, and the inspector showing that a work was guided."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from studio import engine
from studio.core.samples import Domain
from studio.core.works import Work
from studio.domains.painting.guide import DEFAULT_CLOSENESS, Guide, guide_from_array
from studio.ui.guide_controller import GUIDE_KEY, read_project_guide, write_project_guide
from studio.ui.panels.painting_controls import PaintingControlsPanel
from tests.ui.conftest import wait_for_import

TIMEOUT = 60000


def drop_event(paths: list[Path]) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    event._mime = mime  # keep the mime data alive as long as the event
    return event


def photo(path: Path, size: tuple[int, int] = (120, 80)) -> Path:
    """A landscape 'photo': light sky over a dark ground, with a sun."""
    w, h = size
    rgb = np.zeros((h, w, 3), np.uint8)
    rgb[: h // 2] = (150, 190, 235)
    rgb[h // 2:] = (60, 80, 40)
    rgb[h // 6: h // 3, w // 5: w // 3] = (250, 230, 120)
    Image.fromarray(rgb).save(path)
    return path


@pytest.fixture
def panel(qtbot):
    p = PaintingControlsPanel()
    qtbot.addWidget(p)
    return p


def test_the_guide_group_shows_the_guide_and_its_closeness_reaches_the_params(qtbot, panel, tmp_path):
    assert panel.params().guide is None and panel.params().closeness == pytest.approx(DEFAULT_CLOSENESS)
    assert not panel.guide_drop.has_image() and not panel.clear_guide_button.isEnabled()
    guide = guide_from_array(np.full((30, 60, 3), 90, np.uint8), "sketch")
    panel.set_guide(guide)
    panel.guide_closeness.setValue(85)
    params = panel.params()
    assert params.guide is guide and params.closeness == pytest.approx(0.85)
    assert panel.guide_drop.has_image() and panel.clear_guide_button.isEnabled()
    assert "sketch, 60 \u00d7 30 px" in panel.guide_info.text()
    assert not panel.aspect.isEnabled() and not panel.composition.isEnabled()  # the guide's shape and composition
    assert panel.guide_closeness_label.text() == "85 %"
    other = PaintingControlsPanel()
    qtbot.addWidget(other)
    other.apply_settings(panel.settings())
    assert other.params().closeness == pytest.approx(0.85)
    with qtbot.waitSignal(panel.sig_guide_file) as dropped:
        panel.guide_drop.dropEvent(drop_event([tmp_path / "x.png"]))
    assert dropped.args == [str(tmp_path / "x.png")]
    with qtbot.waitSignal(panel.sig_choose_guide):
        qtbot.mouseClick(panel.guide_drop, Qt.MouseButton.LeftButton)


def test_project_guide_entry_round_trips_and_a_damaged_one_is_refused():
    project = engine.new_project()
    guide = guide_from_array(np.random.default_rng(1).integers(0, 255, (40, 50, 3), dtype=np.uint8), "mine")
    write_project_guide(project, guide)
    assert read_project_guide(project) == guide
    project.settings[GUIDE_KEY] = {"name": "mine", "png": "not base64!"}
    with pytest.raises(Exception, match="base64"):
        read_project_guide(project)
    write_project_guide(project, None)
    assert GUIDE_KEY not in project.settings and read_project_guide(project) is None


@pytest.fixture
def window(qtbot, make_window, paintings):
    w = make_window()
    wait_for_import(qtbot, w, w.files.import_paths([str(p) for p in paintings]))
    return w


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"this is not a picture, it is text", "text"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, ""),
])
def test_a_dropped_bad_file_says_which_file_and_why_and_changes_nothing(window, tmp_path, content, reason):
    bad = tmp_path / "holiday.png"
    bad.write_bytes(content)
    panel = window.painting_controls
    steps = window.session.undo_stack.count()
    panel.guide_drop.dropEvent(drop_event([bad]))
    assert panel.guide() is None and window.session.undo_stack.count() == steps
    assert panel.guide_problem.isVisible() and "holiday.png" in panel.guide_problem.text()
    assert reason in panel.guide_problem.text().lower()
    rows = window.feedback.error_dialog.rows()
    assert rows and Path(rows[-1][0]).name == "holiday.png"


def test_a_tiny_picture_is_refused_with_the_engine_reason(window, tmp_path):
    tiny = photo(tmp_path / "tiny.png", (8, 8))
    assert not window.generation.guide.use_file(str(tiny))
    assert "16 px" in window.painting_controls.guide_problem.text()


def test_setting_drawing_and_clearing_the_guide_are_undoable_and_reach_the_generator(window, tmp_path):
    panel, stack, controller = window.painting_controls, window.session.undo_stack, window.generation.guide
    panel.guide_drop.dropEvent(drop_event([photo(tmp_path / "field.png")]))
    guide = panel.guide()
    assert guide is not None and guide.name == "field.png" and not panel.guide_problem.isVisible()
    assert window.generation._params().guide is guide  # what Generate hands the engine
    assert window.session.is_modified() and GUIDE_KEY in window.session.project.settings
    drawn = guide_from_array(np.full((40, 40, 3), 30, np.uint8), "sketch")
    asked = []
    controller.draw = lambda parent, palette, aspect, start: asked.append((palette, aspect, start)) or drawn
    assert controller.draw_new()
    assert panel.guide() is drawn
    palette, aspect, start = asked[0]
    assert start is guide and aspect == pytest.approx(1.5)  # drawn over the current guide, at its shape
    sample_colours = {c for s in window.session.project.samples for c, _ in s.facts.palette}
    assert palette and {c for c, _ in palette} <= sample_colours
    controller.clear()
    assert panel.guide() is None and window.generation._params().guide is None
    assert GUIDE_KEY not in window.session.project.settings
    stack.undo()
    assert panel.guide() is drawn
    stack.undo()
    assert panel.guide() == guide
    stack.undo()
    assert panel.guide() is None
    stack.redo()
    assert panel.guide() == guide and window.generation._params().guide == guide
    controller.choose_path = lambda parent: None  # cancelled: nothing happens
    assert not controller.choose()


def test_the_guide_is_saved_with_the_project_and_comes_back_on_open(window, tmp_path):
    controller = window.generation.guide
    assert controller.use_file(str(photo(tmp_path / "field.png")))
    window.painting_controls.guide_closeness.setValue(35)
    guide = window.painting_controls.guide()
    path = tmp_path / "Guided.mcs"
    assert window.files.save_to(str(path)) and window.files.new_project()
    assert window.painting_controls.guide() is None
    assert window.files.open_path(str(path))
    reopened = window.painting_controls.guide()
    assert reopened == guide and window.painting_controls.params().closeness == pytest.approx(0.35)
    assert controller.lookup(guide.digest) is not None


def test_a_damaged_guide_in_a_project_is_reported_and_left_out(window, tmp_path):
    project = window.session.project
    project.settings[GUIDE_KEY] = {"name": "x.png", "png": "aGVsbG8="}  # "hello": not a picture
    path = tmp_path / "Damaged.mcs"
    engine.save_project(project, path)
    assert window.files.open_path(str(path), confirmed=True)
    assert window.painting_controls.guide() is None
    assert any("guide" in f for f, _ in window.feedback.error_dialog.rows())


def test_the_inspector_shows_a_guided_work_with_its_guide(window):
    guide = guide_from_array(np.full((40, 60, 3), 200, np.uint8), "sketch")
    window.generation.guide.set_guide(guide, "Guide")
    image = np.zeros((40, 60, 3), np.uint8)
    work = Work(Domain.PAINTING, 7, image=image, title="Guided 0007",
                provenance={"operation": "generate", "guide": guide.describe(), "closeness": 0.6})
    inspector = window.inspector
    inspector.show_work(work)
    assert inspector._guide_row.isVisibleTo(inspector)
    assert "Guided by sketch, closeness 60 %" == inspector.guide_text.text()
    assert inspector.guide_thumb.pixmap() is not None and not inspector.guide_thumb.pixmap().isNull()
    inspector.show_work(Work(Domain.PAINTING, 8, image=image, provenance={"operation": "generate"}))
    assert not inspector._guide_row.isVisibleTo(inspector)


@pytest.mark.skipif(not engine.generator_available(Domain.PAINTING), reason="no painting model installed")
@pytest.mark.usefixtures("one_torch_thread")
def test_a_gallery_generated_from_a_drawn_guide_follows_it_and_refines(qtbot, window):
    c = window.painting_controls
    c.count.setValue(2)
    c.size_box.addItem("64 px", 64)
    c.size_box.setCurrentIndex(c.size_box.count() - 1)
    c.variations.setValue(1)
    sketch = np.full((60, 90, 3), 230, np.uint8)
    sketch[30:] = 20  # light top half, dark bottom half
    window.generation.guide.draw = lambda *args: guide_from_array(sketch, "sketch")
    assert window.generation.guide.draw_new()
    with qtbot.waitSignal(window.runner.sig_busy_changed, timeout=TIMEOUT, check_params_cb=lambda b: not b):
        window.generation.generate()
    works = list(window.session.gallery_model.gallery)
    assert len(works) == 2
    for work in works:
        h, w = work.image.shape[:2]
        assert w / h == pytest.approx(1.5, abs=0.05)  # the guide's shape
        luma = work.image.mean(axis=2)
        assert luma[: h // 2].mean() > luma[h // 2:].mean() + 20  # its composition: light over dark
        assert work.provenance["guide"]["digest"] == window.painting_controls.guide().digest
    view = window.gallery_panel.view
    view.selectionModel().select(window.session.gallery_model.index(0), view.selectionModel().SelectionFlag.Select)
    first = works[0]

    def run(start) -> list[Work]:
        with qtbot.waitSignal(window.runner.sig_busy_changed, timeout=TIMEOUT, check_params_cb=lambda b: not b):
            start()
        return list(window.session.gallery_model.gallery)

    works = run(window.generation.vary)
    assert len(works) == 3 and works[1].provenance["parent"] == first.id  # a variation of the guided painting
    window.session.undo_stack.undo()
    c.render_size.setCurrentIndex(c.render_size.findData(512))
    works = run(window.generation.render)
    height, width = works[1].image.shape[:2]
    assert width == 512 and width / height == pytest.approx(1.5, abs=0.05)
    assert works[1].provenance["parent"] == first.id
    luma = works[1].image.mean(axis=2)
    assert luma[: height // 2].mean() > luma[height // 2:].mean() + 20  # the render keeps the guided composition
    window.session.undo_stack.undo()
    inspector = window.inspector
    inspector.show_work(first)
    inspector.brush_button.click()
    inspector.preview.paint_stroke(QPointF(8, 8), QPointF(30, 12))
    works = run(window.generation.repaint)
    assert works[0].provenance["operation"] == "repaint" and works[0].provenance["parent"] == first.id
    assert works[0].provenance["guide"] == first.provenance["guide"]  # still shown as guided
