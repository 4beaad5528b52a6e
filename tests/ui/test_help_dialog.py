"""Help > Getting Started: opens from the Help menu and F1, shows every screenshot (committed
files that load as pictures, small), closes with Esc, and its "Show at start" box holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage

from studio.ui.help_dialog import (
    HELP_DIR, KEY_SHOW_AT_START, PICTURES, GettingStartedDialog, picture_folder, show_at_start,
)
from studio.ui.i18n import CHINESE, ENGLISH, KEY_LANGUAGE
from studio.ui.settings import make_settings


@pytest.mark.parametrize("language", [ENGLISH, CHINESE])
def test_every_picture_is_committed_small_and_loads(language):
    folder = picture_folder(language)
    assert folder == (HELP_DIR if language == ENGLISH else HELP_DIR / language)
    total = 0
    for name in PICTURES.values():
        path = folder / name
        assert path.is_file(), f"{path} is missing: run python -m studio.ui.help_shots --language {language}"
        image = QImage(str(path))
        assert not image.isNull(), f"{path} does not load as a picture"
        assert 300 <= image.width() <= 1000 and image.height() >= 200, (name, image.size())
        total += path.stat().st_size
    assert total < 400 * 1024  # a few hundred KB per language in the repository and the bundle


def test_the_chinese_window_shows_the_chinese_pictures(qtbot, tmp_path: Path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue(KEY_LANGUAGE, CHINESE)
    dialog = GettingStartedDialog(settings)
    qtbot.addWidget(dialog)
    rgb = QImage.Format.Format_RGB32
    shown = dialog.pictures[0].pixmap().toImage().convertToFormat(rgb)
    chinese = QImage(str(HELP_DIR / CHINESE / PICTURES["paintings-samples"])).convertToFormat(rgb)
    english = QImage(str(HELP_DIR / PICTURES["paintings-samples"])).convertToFormat(rgb)
    assert dialog.problems == [] and shown == chinese and shown != english
    assert picture_folder(CHINESE, tmp_path) == tmp_path  # no Chinese pictures: the English ones


def test_getting_started_opens_from_the_help_menu_shows_every_picture_and_closes_with_escape(make_window, qtbot):
    window = make_window()
    assert window.menu_actions.getting_started.shortcut().toString() == "F1"
    window.menu_actions.getting_started.trigger()
    dialog = next(d for d in window.findChildren(GettingStartedDialog))
    qtbot.waitExposed(dialog)
    assert dialog.problems == []
    shown = [label.pixmap() for label in dialog.pictures]
    assert len(shown) == len(PICTURES) and all(not p.isNull() for p in shown)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["&Paintings", "&Melodies"]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_missing_or_broken_picture_is_named_in_its_place(qtbot, tmp_path: Path):
    (tmp_path / PICTURES["paintings-samples"]).write_bytes(b"not a png")
    dialog = GettingStartedDialog(folder=tmp_path)
    qtbot.addWidget(dialog)
    assert len(dialog.problems) == len(PICTURES)
    assert any("paintings-samples.png: not a readable picture" in p for p in dialog.problems)
    assert any("melodies-play.png: missing" in p for p in dialog.problems)
    assert "melodies-play.png" in dialog.pictures[-1].text()


def test_show_at_start_is_remembered_and_followed_at_start_up(make_window, qtbot):
    settings = make_settings()
    assert show_at_start(settings)  # on until the user turns it off
    dialog = GettingStartedDialog(settings)
    qtbot.addWidget(dialog)
    dialog.at_start.setChecked(False)
    assert not show_at_start(settings) and settings.value(KEY_SHOW_AT_START) in (False, "false")
    window = make_window()
    window.settings.setValue(KEY_SHOW_AT_START, False)
    window.startup(demo=False)
    assert not window.findChildren(GettingStartedDialog)
    window.settings.setValue(KEY_SHOW_AT_START, True)
    window.startup(demo=False)
    assert len(window.findChildren(GettingStartedDialog)) == 1


def test_the_guides_have_names_for_screen_readers_and_no_click_only_controls(make_window, qtbot):
    from studio.ui.accessibility import unnamed_controls
    from studio.ui.focus import focus_problems

    window = make_window()
    for dialog in (window.show_getting_started(), window.show_shortcuts()):
        qtbot.waitExposed(dialog)
        assert unnamed_controls(dialog) == [] and focus_problems(dialog) == []
        dialog.close()


@pytest.mark.slow
def test_help_shots_takes_every_picture_from_the_real_window(qtbot, tmp_path: Path):
    from studio.ui import help_shots

    sizes = help_shots.take(tmp_path, 480)
    assert set(sizes) == set(PICTURES.values())
    for name in PICTURES.values():
        image = QImage(str(tmp_path / name))
        assert image.width() == 480 and image.height() > 250 and 5_000 < sizes[name] < 200_000
