"""Keyboard and screen-reader access to the main window, in both kinds of project with a gallery:
every control has a name, every control Tab can reach, every menu command has a shortcut or a
menu-key path, focus moves between panels with F6 / Ctrl+number, and the gallery and the piano
roll work from the keyboard alone."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QRadioButton, QWidget

from studio.core.melody import Melody, Note
from studio.core.samples import Domain
from studio.core.works import Work, WorkStatus
from studio.ui import accessibility
from studio.ui.accessibility import spoken_name, unnamed_controls
from studio.ui.focus import focus_chain, focus_problems, is_control
from studio.ui.models.gallery_model import GalleryModel
from studio.ui.shortcuts_dialog import menu_entries, mnemonic, plain
from studio.ui.widgets.piano_roll import PianoRollWidget

# Menus whose entries are lists filled at run time: reached with the arrow keys once the menu is open.
RUNTIME_LISTS = {"Open Recent", "Play Through", "Language"}


def _melody(bars: int = 4) -> Melody:
    notes = tuple(Note(60 + (i % 8), i * 24, 24, 80) for i in range(bars * 4))
    return Melody(notes=notes)


def _painting_works() -> list[Work]:
    rng = np.random.default_rng(0)
    return [Work(Domain.PAINTING, seed=s, image=rng.integers(0, 255, (48, 64, 3), dtype=np.uint8))
            for s in range(1, 5)]


def _melody_works() -> list[Work]:
    return [Work(Domain.MELODY, seed=s, melody=_melody()) for s in range(1, 5)]


def _select_work(window, row: int) -> None:
    view = window.gallery_panel.view
    view.selectionModel().setCurrentIndex(view.model().index(row, 0),
                                          QItemSelectionModel.SelectionFlag.ClearAndSelect)


@pytest.fixture(params=[Domain.PAINTING, Domain.MELODY], ids=["paintings", "melodies"])
def studio(request, make_window, paintings, melodies, import_and_wait, qtbot):
    """A window holding samples of one kind and a gallery of four works, the first one selected
    (so the inspector shows its tools: the brush and closeness, or the piano roll and transport)."""
    domain = request.param
    window = make_window()
    import_and_wait(window, paintings if domain is Domain.PAINTING else melodies)
    works = _painting_works() if domain is Domain.PAINTING else _melody_works()
    window.session.gallery_model.insert_works(0, works)
    _select_work(window, 0)
    qtbot.waitUntil(lambda: window.inspector.current_work() is not None)
    return window


def _describe(widget: QWidget) -> str:
    """Enough to find a control: its class, object name, tooltip and where it sits."""
    path, parent = [], widget.parentWidget()
    while parent is not None and len(path) < 4:
        path.append(type(parent).__name__)
        parent = parent.parentWidget()
    return (f"{type(widget).__name__} objectName={widget.objectName()!r} tooltip={widget.toolTip()[:60]!r} "
            f"in {' < '.join(path)}")


def test_every_visible_control_has_an_accessible_name(studio):
    missing = [_describe(w) for w in unnamed_controls(studio)]
    assert not missing, "controls a screen reader announces without a name:\n" + "\n".join(missing)
    derived = Counter(w.accessibleName() for w in studio.findChildren(QWidget)
                      if w.property(accessibility.AUTO_NAME) and w.isVisibleTo(studio))
    assert [n for n, count in derived.items() if count > 1] == []  # e.g. two "Closeness" sliders told apart


def test_form_controls_are_named_by_their_row_label_not_their_value(studio):
    controls = studio.painting_controls if studio.session.project.domain is Domain.PAINTING \
        else studio.melody_controls
    assert spoken_name(controls.count) == "Count"  # its row's label ("Count"), not "12"
    combos = [w for w in controls.findChildren(QWidget) if type(w).__name__ == "QComboBox"]
    assert combos and all(spoken_name(c) and spoken_name(c) != c.currentText() for c in combos)


def test_every_focusable_control_is_in_the_tab_chain(studio):
    problems = focus_problems(studio)
    assert not problems, "\n".join(problems)


def test_tab_visits_every_control_panel_by_panel(studio, qtbot):
    studio.activateWindow()
    qtbot.waitActive(studio)
    reachable = [w for w in focus_chain(studio) if is_control(w) and w.focusPolicy() & Qt.FocusPolicy.TabFocus
                 and w.isVisible() and w.isEnabled()]
    studio.sample_bin.view.setFocus()
    visited: list[QWidget] = []
    for _ in range(len(reachable) + 5):
        focus = QApplication.focusWidget()
        owner = focus if focus is None or is_control(focus) else focus.parentWidget()  # a spin box's editor
        if owner in visited:
            break
        visited.append(owner)
        studio.focusNextChild()
    radios = [w for w in visited if isinstance(w, QRadioButton)]  # Tab stops on the checked one, arrows pick
    missing = [_describe(w) for w in reachable if w not in visited
               and not (isinstance(w, QRadioButton) and any(r.parentWidget() is w.parentWidget() for r in radios))]
    assert not missing, "Tab never reaches:\n" + "\n".join(missing)
    panels = [studio.sample_bin, studio.adaptation_panel,
              studio.painting_controls if studio.session.project.domain is Domain.PAINTING
              else studio.melody_controls, studio.gallery_panel, studio.inspector]
    order = [next((i for i, p in enumerate(panels) if p.isAncestorOf(w)), None) for w in visited]
    order = [i for i in order if i is not None]
    assert order == sorted(order), "Tab leaves a panel and comes back to it"
    for before, after in zip(visited, visited[1:]):  # within a panel, Tab never goes back up
        same = [p for p in panels if p.isAncestorOf(before) and p.isAncestorOf(after)]
        if same:
            top = before.mapTo(studio, before.rect().topLeft()).y()
            centre = after.mapTo(studio, after.rect().center()).y()
            assert centre >= top, f"Tab goes up from {_describe(before)} to {_describe(after)}"


def test_every_menu_command_has_a_shortcut_or_menu_keys(studio):
    entries = menu_entries(studio.menuBar())
    assert len(entries) > 30
    stuck = [" > ".join((*e.path, plain(e.action.text()))) for e in entries
             if not e.keys and not e.shortcut and not RUNTIME_LISTS & set(e.path)]
    assert not stuck, "menu commands without a shortcut or a menu key:\n" + "\n".join(stuck)


def test_menu_keys_and_shortcuts_are_not_ambiguous(studio):
    bar = studio.menuBar()
    tops = [mnemonic(a.text()) for a in bar.actions() if a.isVisible()]
    assert all(tops) and len(set(tops)) == len(tops), tops
    for top in bar.actions():
        menus = [top.menu()]
        while menus:
            menu = menus.pop()
            if plain(menu.title()) in RUNTIME_LISTS:
                continue
            letters = Counter(mnemonic(a.text()) for a in menu.actions() if a.isVisible() and not a.isSeparator())
            letters.pop("", None)
            assert max(letters.values(), default=1) == 1, (menu.title(), letters)
            menus += [a.menu() for a in menu.actions() if a.menu() is not None]
    keys = Counter(e.shortcut for e in menu_entries(bar) if e.shortcut)
    assert [k for k, n in keys.items() if n > 1] == []


def test_f6_and_ctrl_numbers_move_focus_between_panels(studio, qtbot):
    studio.activateWindow()
    qtbot.waitActive(studio)
    focus = studio.panel_focus
    assert focus.focus_panel(0) is studio.sample_bin.view and studio.sample_bin.view.hasFocus()
    holders = []
    for _ in range(6):
        focus.next.trigger()
        holders.append(focus.current())
    assert holders == [1, 2, 3, 4, 5, 0]  # adaptation, controls, gallery, inspector, taste, back to the samples
    focus.previous.trigger()
    assert focus.current() == 5
    studio.panel_focus.goto[3].trigger()
    assert studio.gallery_panel.view.hasFocus()
    assert [a.shortcut().toString() for a in focus.goto] == [f"Ctrl+{i}" for i in range(1, 7)]


def test_a_closed_panel_opens_when_focus_goes_to_it(studio, qtbot):
    studio.activateWindow()
    qtbot.waitActive(studio)
    inspector_dock = studio.docks()[2]
    inspector_dock.close()
    studio.panel_focus.goto[4].trigger()
    assert inspector_dock.isVisible() and studio.panel_focus.current() == 4


def test_the_gallery_works_from_the_keyboard_alone(studio, qtbot):
    studio.activateWindow()
    qtbot.waitActive(studio)
    view = studio.gallery_panel.view
    studio.panel_focus.goto[3].trigger()
    assert view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert studio.gallery_panel.selected_rows() == [1]
    qtbot.keyClick(view, Qt.Key.Key_K)
    assert studio.session.gallery_model.work_at(1).status is WorkStatus.KEPT
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert studio.session.gallery_model.work_at(2).status is WorkStatus.REJECTED
    qtbot.keyClick(view, Qt.Key.Key_Return)  # open it in the inspector
    assert studio.panel_focus.current() == 4
    assert studio.inspector.current_work() == studio.session.gallery_model.work_at(2)


def test_gallery_cards_are_named_by_title_and_state(studio):
    model = studio.session.gallery_model
    _select_work(studio, 0)
    studio.edit.keep_selected()
    text = model.data(model.index(0), Qt.ItemDataRole.AccessibleTextRole)
    assert text == f"{model.work_at(0).title or 'Seed 1'}, kept"


def test_the_inspector_views_are_named_after_what_they_show(studio):
    work = studio.session.gallery_model.work_at(0)
    title = work.title or f"Seed {work.seed}"
    shown = studio.inspector.piano_roll if work.melody is not None else studio.inspector.preview
    assert title in shown.accessibleName()


def test_the_piano_roll_chooses_bars_from_the_keyboard(qtbot):
    roll = PianoRollWidget()
    qtbot.addWidget(roll)
    roll.set_melody(_melody(bars=4))
    assert roll.focusPolicy() & Qt.FocusPolicy.TabFocus
    qtbot.keyClick(roll, Qt.Key.Key_Right)
    assert roll.selected_bars() == [0]
    qtbot.keyClick(roll, Qt.Key.Key_Right)
    assert roll.selected_bars() == [1]
    qtbot.keyClick(roll, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert roll.selected_bars() == [1, 2]
    qtbot.keyClick(roll, Qt.Key.Key_End)
    assert roll.selected_bars() == [3]
    qtbot.keyClick(roll, Qt.Key.Key_Right)  # stays on the last bar
    assert roll.selected_bars() == [3]
    qtbot.keyClick(roll, Qt.Key.Key_Home, Qt.KeyboardModifier.ShiftModifier)
    assert roll.selected_bars() == [0, 1, 2, 3]
    qtbot.keyClick(roll, Qt.Key.Key_Escape)
    assert roll.selected_bars() == []


def test_shortcuts_dialog_lists_every_menu_command_and_closes_with_escape(studio, qtbot):
    dialog = studio.show_shortcuts()
    qtbot.waitExposed(dialog)
    rows = dialog.rows()
    assert rows["Getting Started"][0] == "F1"
    assert rows["Go to Panel > Next Panel"] == ("F6", "Alt+V, G, N")
    assert rows["Samples"] == ("", "Alt+V, S") and rows["Go to Panel > Samples"] == ("Ctrl+1", "Alt+V, G, S")
    assert rows["Import\u2026"] == ("Ctrl+I", "Alt+F, I")
    assert rows["Remove Works"][1] == "Alt+E, V"
    listed = {" > ".join((*e.path[1:], plain(e.action.text()))) for e in menu_entries(studio.menuBar())
              if e.keys or e.shortcut}
    assert listed <= set(rows)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_name_controls_derives_names_and_keeps_names_given_by_hand(qtbot):
    from PySide6.QtWidgets import QComboBox, QFormLayout, QSlider, QSpinBox

    panel = QWidget()
    qtbot.addWidget(panel)
    form = QFormLayout(panel)
    combo, spin, slider = QComboBox(), QSpinBox(), QSlider()
    combo.addItems(["a", "b"])
    slider.setToolTip("Adventurousness: left is safer, right is bolder")
    spin.setAccessibleName("Given")
    form.addRow("&Aspect", combo)
    form.addRow("Steps", spin)
    form.addWidget(slider)
    accessibility.name_controls(panel)
    assert (combo.accessibleName(), spin.accessibleName(), slider.accessibleName()) == \
        ("Aspect", "Given", "Adventurousness")
    assert form.labelForField(combo).buddy() is combo  # a "labelled by" relation for Linux screen readers


def test_gallery_model_card_text_follows_the_state():
    work = Work(Domain.PAINTING, seed=7, image=np.zeros((4, 4, 3), dtype=np.uint8))
    model = GalleryModel()
    model.append_work(work)
    assert model.data(model.index(0), Qt.ItemDataRole.AccessibleTextRole) == "Seed 7, new"


def test_the_focused_view_shows_a_focus_ring(studio, qtbot):
    studio.activateWindow()
    qtbot.waitActive(studio)
    ring = studio.focus_ring
    studio.panel_focus.goto[3].trigger()
    assert ring.target() is studio.gallery_panel.view
    studio.panel_focus.goto[0].trigger()
    assert ring.target() is studio.sample_bin.view
    studio.adaptation_panel.adapt_button.setFocus()  # a button: the style marks it, no ring
    qtbot.waitUntil(lambda: ring.target() is None)


def test_the_shortcut_list_leaves_out_keys_laptops_lack(qtbot):
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMenuBar

    from studio.ui.shortcuts_dialog import ShortcutsDialog, on_keyboards

    assert on_keyboards(QKeySequence("Ctrl+Z")) and on_keyboards(QKeySequence("Esc"))
    assert on_keyboards(QKeySequence("F1")) and on_keyboards(QKeySequence("K"))
    assert not on_keyboards(QKeySequence("F14")) and not on_keyboards(QKeySequence("Help"))
    assert not on_keyboards(QKeySequence(Qt.Key.Key_OpenUrl)) and not on_keyboards(QKeySequence(Qt.Key.Key_ZoomIn))
    bar = QMenuBar()
    qtbot.addWidget(bar)
    undo = QAction("&Undo", bar)
    undo.setShortcuts([QKeySequence("Ctrl+Z"), QKeySequence("F14"), QKeySequence("Undo")])
    bar.addMenu("&Edit").addAction(undo)
    dialog = ShortcutsDialog(bar)
    qtbot.addWidget(dialog)
    native = QKeySequence.SequenceFormat.NativeText
    assert dialog.rows()["Undo"] == (QKeySequence("Ctrl+Z").toString(native), "Alt+E, U")  # not "Ctrl+Z, F14, Undo"


def test_plain_drops_the_menu_key_marks():
    assert (plain("Save &As\u2026"), plain("Rock && Roll"), plain("\u6587\u4ef6(&F)")) == \
        ("Save As\u2026", "Rock & Roll", "\u6587\u4ef6")


def test_mnemonic_reads_the_menu_key():
    assert (mnemonic("Save &As\u2026"), mnemonic("Rock && &Roll"), mnemonic("No key"), mnemonic("\u6837\u672c(&S)")) \
        == ("A", "R", "", "S")


def test_building_the_window_orders_tabs_without_qt_warnings(make_window, qtlog):
    window = make_window()
    window.show_getting_started()  # a child window of its own: never in the main window's tab chain
    from studio.ui.focus import order_tabs

    order_tabs(window, [window.sample_bin, window.gallery_panel])
    assert [r.message for r in qtlog.records if "setTabOrder" in r.message] == []


def test_a_studio_dialog_gets_names_when_focus_first_enters_it(make_window, qtbot):
    from studio.ui.sketch_dialog import SketchDialog

    window = make_window()
    dialog = SketchDialog([("#336699", 0.5), ("#f0f0f0", 0.5)], parent=window)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    first = next(w for w in focus_chain(dialog) if is_control(w) and w.isVisible() and w.isEnabled())
    first.setFocus()
    qtbot.waitUntil(lambda: dialog.property(accessibility.AUTO_NAME) is True)
    assert [_describe(w) for w in unnamed_controls(dialog)] == []
    window.feedback.show_problems("Import problems", "1 file could not be imported.", [("/x.png", "empty")])
    problems = window.feedback.error_dialog
    problems.activateWindow()
    problems.table.setFocus()
    qtbot.waitUntil(lambda: problems.property(accessibility.AUTO_NAME) is True)
    assert spoken_name(problems.table) and spoken_name(problems.details)


def test_space_plays_the_selected_sample_and_enter_opens_it(qtbot, melodies):
    from studio.io.recovery import RecoveryStore, default_recovery_dir
    from studio.ui.audio import Player
    from studio.ui.main_window import MainWindow
    from studio.ui.settings import make_settings
    from tests.ui.conftest import ScriptedPrompts, wait_for_import

    player = Player(output_factory=lambda parent: (None, "no audio in tests"), clock=lambda: 100.0)
    window = MainWindow(prompts=ScriptedPrompts(), settings=make_settings(),
                        recovery=RecoveryStore(default_recovery_dir()), player=player)
    try:
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitActive(window)
        wait_for_import(qtbot, window, window.files.import_paths([str(p) for p in melodies]))
        view = window.sample_bin.view
        window.panel_focus.goto[0].trigger()
        qtbot.keyClick(view, Qt.Key.Key_Down)
        sample = window.selection.samples()[0]
        qtbot.keyClick(view, Qt.Key.Key_Space)
        assert player.is_playing(sample.digest)
        qtbot.keyClick(view, Qt.Key.Key_Space)
        assert not player.is_playing(sample.digest)
        qtbot.keyClick(view, Qt.Key.Key_Return)
        assert window.panel_focus.current() == 4 and window.inspector.current_sample() == sample
    finally:
        window.prompts.answers["unsaved"] = "discard"
        window.close()
        window.runner.shutdown()


def test_the_melodies_menu_presses_the_melody_panel_buttons(studio, qtbot):
    melody = studio.session.project.domain is Domain.MELODY
    menus = studio.melody_actions.menu.menuAction(), studio.painting_actions.menu.menuAction()
    assert (menus[0].isVisible(), menus[1].isVisible()) == (melody, not melody)  # one set of Ctrl+G keys live
    if not melody:
        return
    actions, buttons = studio.melody_actions.actions, studio.melody_controls.buttons
    assert {n: a.shortcut().toString() for n, a in actions.items()} == {
        "generate": "Ctrl+G", "vary": "Ctrl+Shift+V", "blend": "Ctrl+Shift+B", "continue": "Ctrl+Shift+C",
        "regenerate": "Ctrl+Shift+R", "more": "Ctrl+Shift+M"}
    with qtbot.waitSignal(studio.melody_controls.sig_vary, timeout=1000):
        buttons["vary"].setEnabled(True)
        actions["vary"].trigger()
    buttons["blend"].setEnabled(False)
    buttons["blend"].setToolTip("A new melody mixing the two selected gallery melodies. Select two.")
    actions["blend"].trigger()
    assert studio.statusBar().currentMessage().endswith("Select two.")


def test_the_chinese_menus_keep_a_key_for_every_command(qapp, make_window, tmp_path):
    """The translations must keep each menu key ("文件(&F)"), unique within its menu."""
    from studio.ui import i18n

    translators = i18n.Translators()
    qm = i18n.build(out=tmp_path)[0].parent
    assert translators.install(qapp, i18n.CHINESE, qm) == i18n.CHINESE
    try:
        window = make_window()
        window.melody_actions.menu.menuAction().setVisible(True)  # both kinds' menus, checked at once
        bar = window.menuBar()
        assert "&" in bar.actions()[0].text() and bar.actions()[0].text() != "&File"  # translated
        stuck = [" > ".join((*e.path, plain(e.action.text()))) for e in menu_entries(bar)
                 if not e.keys and not e.shortcut and not e.path[-1].startswith("\u8bed\u8a00")]  # 语言: the list
        assert stuck == []
        for top in bar.actions():
            menus = [top.menu()]
            while menus:
                menu = menus.pop()
                letters = Counter(mnemonic(a.text()) for a in menu.actions() if a.isVisible() and not a.isSeparator())
                letters.pop("", None)
                assert max(letters.values(), default=1) == 1, (menu.title(), letters)
                menus += [a.menu() for a in menu.actions() if a.menu() is not None]
    finally:
        translators.install(qapp, i18n.ENGLISH)


def test_the_focused_piano_roll_shows_a_frame_and_no_veil(qtbot):
    roll = PianoRollWidget()
    qtbot.addWidget(roll)
    roll.resize(300, 160)
    roll.set_melody(_melody(bars=4))
    roll.show()
    qtbot.waitExposed(roll)
    before = roll.grab().toImage()
    roll.setFocus()
    qtbot.waitUntil(roll.hasFocus)
    after = roll.grab().toImage()
    highlight = roll.palette().color(roll.palette().ColorRole.Highlight)
    assert after.pixelColor(1, 80) == highlight and before.pixelColor(1, 80) != highlight  # the frame
    assert after.pixelColor(150, 80) == before.pixelColor(150, 80)  # inside, the roll as it was


def test_the_arrow_keys_pan_a_zoomed_picture(qtbot):
    from PySide6.QtGui import QPixmap

    from studio.ui.widgets.image_view import ImageView

    view = ImageView("nothing")
    qtbot.addWidget(view)
    view.resize(200, 200)
    picture = QPixmap(800, 800)
    picture.fill(Qt.GlobalColor.darkGreen)
    view.set_source(picture)
    view.show()
    qtbot.waitExposed(view)
    centre = view.to_image(view.rect().center())
    qtbot.keyClick(view, Qt.Key.Key_Right)  # fitted: nowhere to go
    assert view.to_image(view.rect().center()) == centre
    view.actual_size()
    centre = view.to_image(view.rect().center())
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    moved = view.to_image(view.rect().center()) - centre
    assert (round(moved.x()), round(moved.y())) == (25, 25)  # an eighth of the 200-px view at 100 %


def test_the_empty_window_a_first_visit_starts_in_is_named_and_reachable(make_window):
    window = make_window()
    assert [_describe(w) for w in unnamed_controls(window)] == []
    assert focus_problems(window) == []
