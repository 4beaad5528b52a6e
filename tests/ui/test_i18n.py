"""The window in Simplified Chinese: with the Chinese translator installed, no string a person
sees (texts, titles, tooltips, status tips, menus, accessible names, dialogs) is left in English;
the .ts holds every tr() string of studio/ui, all translated; the language follows the setting
or the system locale, and a missing .qm falls back to English with one log line.

The .qm is built here (into a temporary folder) so a fresh clone tests without ``make setup``.
"""

from __future__ import annotations

import html
import logging
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QDialog, QDockWidget, QGroupBox, QLabel,
    QLineEdit, QMenu, QMessageBox, QTabWidget, QTreeWidget, QWidget,
)

from studio.core.samples import Domain
from studio.ui import i18n
from studio.ui.dialogs import Prompts
from studio.ui.i18n import CHINESE, ENGLISH, SYSTEM, Translators
from studio.ui.main_window import MainWindow
from studio.ui.widgets.hint_view import HintListView
from tests.ui.melody_fakes import fake_generator  # noqa: F401 - fixture

UI = Path(i18n.__file__).resolve().parent
TS = UI / "translations" / f"studio_{CHINESE}.ts"

# Latin words a Chinese window may show: names of formats, standards, algorithms and the product,
# units, and the keys of a keyboard. Anything else in Latin letters is an untranslated string.
ALLOWED_WORDS = {
    "Meta-Creation", "Studio", "MIDI", "PNG", "JPEG", "BPM", "DAW", "MusicXML", "ABC", "SWD", "CPU", "OFL",
    "Reptile", "ANIL", "MAML", "Meta-SGD", "SGD", "python-rtmidi", "px", "Ctrl", "Shift", "Alt", "Meta", "Esc",
    "Del", "Delete", "Space", "Enter", "Return", "Backspace", "Tab", "Ins", "Home", "End", "PgUp", "PgDown",
    "Up", "Down", "Left", "Right", "Help", "English", "N.C.", "RGB", "RGBA", "CMYK",
    "b",  # the flat sign in chord names
    # chord qualities and symbols of the chord lane's help
    "m", "maj7", "m7", "dim", "dim7", "aug", "sus2", "sus4", "m6", "m7b5",
}
ALLOWED_PATTERNS = [
    re.compile(r"F\d{1,2}"),  # function keys
    re.compile(r"[A-Z]"),  # a key (K, R, B) or a note letter
    re.compile(r"[A-G][#b]?-?\d?(m|maj7|m7|dim7?|aug|sus[24]|m6|m7b5|7|6|9)?(/[A-G][#b]?)?"),  # notes, chords
    re.compile(r"[A-G]-G"),  # "A-G" (the roots)
    re.compile(r"\*?\.[a-z0-9]{2,8}"),  # file suffixes and patterns: *.png, .mid
    re.compile(r"#[0-9a-fA-F]{6}"),  # colours
]
LATIN = re.compile(r"(?:\*?\.)?[A-Za-z][A-Za-z0-9#/_.-]*")  # a key combo splits at "+"


def latin_leftovers(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """The Latin words of ``text`` that are neither allowed nor user data (file names, paths)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"#[0-9a-fA-F]{6}\b", " ", text)  # colours
    for item in sorted(data, key=len, reverse=True):
        if item:
            text = text.replace(item, " ")
    text = re.sub(r"Meta-Creation Studio", " ", text)
    words = [w.rstrip(".-/") if w != "N.C." else w for w in LATIN.findall(text)]
    return [w for w in words if w not in ALLOWED_WORDS and not any(p.fullmatch(w) for p in ALLOWED_PATTERNS)]


@pytest.fixture(scope="session")
def qm_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The translations built from the committed .ts (as ``make setup`` builds them)."""
    return i18n.qm_path(CHINESE, i18n.build(out=tmp_path_factory.mktemp("qm"))[0].parent).parent


@pytest.fixture
def chinese(qapp: QApplication, qm_folder: Path) -> Iterator[Translators]:
    """The Chinese translator installed in the test's application, removed afterwards."""
    translators = Translators()
    assert translators.install(qapp, CHINESE, qm_folder) == CHINESE
    yield translators
    translators.install(qapp, ENGLISH)


# -- walking what a window shows -------------------------------------------------------------------


def _widget_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    name = f"{type(widget).__name__} {widget.objectName()}".strip()
    for what, text in (("window title", widget.windowTitle() if widget.isWindow() else ""),
                       ("tooltip", widget.toolTip()), ("status tip", widget.statusTip()),
                       ("what's this", widget.whatsThis()), ("accessible name", widget.accessibleName()),
                       ("accessible description", widget.accessibleDescription())):
        yield f"{name} {what}", text
    if isinstance(widget, QLabel):
        yield f"{name} text", widget.text()
    if isinstance(widget, QAbstractButton):
        yield f"{name} text", widget.text()
    if isinstance(widget, QGroupBox):
        yield f"{name} title", widget.title()
    if isinstance(widget, QDockWidget):
        yield f"{name} title", widget.windowTitle()
    if isinstance(widget, QLineEdit):
        yield f"{name} placeholder", widget.placeholderText()
    if isinstance(widget, QAbstractSpinBox):
        yield f"{name} text", widget.text()
        yield f"{name} special value", widget.specialValueText()
    if isinstance(widget, QComboBox):
        for i in range(widget.count()):
            yield f"{name} item {i}", widget.itemText(i)
            yield f"{name} item {i} tooltip", str(widget.itemData(i, 3) or "")  # Qt.ToolTipRole
    if isinstance(widget, QTabWidget):
        for i in range(widget.count()):
            yield f"{name} tab {i}", widget.tabText(i)
            yield f"{name} tab {i} tooltip", widget.tabToolTip(i)
    if isinstance(widget, QTreeWidget):
        header = widget.headerItem()
        for i in range(header.columnCount() if header else 0):
            yield f"{name} header {i}", header.text(i)
    if isinstance(widget, HintListView):
        yield f"{name} empty hint", widget.empty_hint()
    for action in widget.actions():
        yield from _action_texts(action, name)


def _action_texts(action: QAction, where: str) -> Iterator[tuple[str, str]]:
    name = f"{where} > action {action.text()!r}"
    yield name, action.text()
    yield f"{name} tooltip", action.toolTip() if action.toolTip() != action.text().replace("&", "") else ""
    yield f"{name} status tip", action.statusTip()
    menu = action.menu()
    if isinstance(menu, QMenu):
        menu.aboutToShow.emit()  # menus filled on show (Open Recent, Play Through)
        yield f"{name} menu title", menu.title()
        for child in menu.actions():
            yield from _action_texts(child, name)


def texts_of(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) for ``widget``, its children and every menu and action they hold."""
    found = list(_widget_texts(widget))
    for child in widget.findChildren(QWidget):
        found += _widget_texts(child)
    return [(where, text) for where, text in found if text]


def untranslated(items: list[tuple[str, str]], data: tuple[str, ...] = ()) -> list[str]:
    return [f"{where}: {text!r} (English: {', '.join(bad)})" for where, text in items
            if (bad := latin_leftovers(text, data))]


# -- the tests -------------------------------------------------------------------------------------


def test_the_allowlist_catches_english_and_lets_names_and_keys_through():
    assert latin_leftovers("Generate a gallery") == ["Generate", "a", "gallery"]
    assert latin_leftovers("导入 MIDI 旋律（Ctrl+I），*.png、C#4、Am7、Ctrl+Shift+V、K 保留") == []
    assert latin_leftovers("已打开 /tmp/My Monets.mcs", data=("/tmp/My Monets.mcs",)) == []


MIDI_COMMAND = ("pip install -e '.[midi-ports]'",)  # a shell command in a tooltip: code, not prose


def test_every_visible_string_of_a_paintings_window_is_chinese(chinese, make_window, import_and_wait, paintings):
    window = make_window()
    import_and_wait(window, paintings)
    window.sample_bin.view.selectAll()
    data = tuple(str(p) for p in paintings) + tuple(p.name for p in paintings) + tuple(p.stem for p in paintings)
    data += MIDI_COMMAND
    found = texts_of(window)
    found += [("menu bar title", window.menuBar().actions()[0].text()), ("status bar", window.statusBar().currentMessage())]
    assert not untranslated(found, data), "\n".join(untranslated(found, data))
    assert "画廊" in " ".join(text for _, text in found)


def test_every_visible_string_of_a_melodies_window_is_chinese(chinese, make_window, import_and_wait, melodies):
    window = make_window()
    import_and_wait(window, melodies)
    window.sample_bin.view.selectAll()
    data = tuple(str(p) for p in melodies) + tuple(p.name for p in melodies) + tuple(p.stem for p in melodies)
    data += MIDI_COMMAND
    found = texts_of(window) + [("status bar", window.statusBar().currentMessage())]
    assert not untranslated(found, data), "\n".join(untranslated(found, data))
    assert window.session.project.domain is Domain.MELODY


def test_the_empty_window_and_its_dialogs_are_chinese(chinese, make_window, monkeypatch, melodies):
    window = make_window()
    found = texts_of(window) + [("status bar", window.statusBar().currentMessage())]
    assert "元创作工作室" in window.windowTitle() and "未命名" in window.windowTitle()
    dialogs: list[QWidget] = [window.show_shortcuts(), window.show_getting_started()]
    window.feedback.show_problems(QCoreApplication.translate("FileController", "Import problems"), "",
                                  [("a.png", "x")])
    dialogs.append(window.feedback.error_dialog)
    from studio.ui.record_dialog import RecordDialog

    dialogs.append(RecordDialog(window, names=lambda: []))
    from studio.ui.sketch_dialog import SketchDialog

    dialogs.append(SketchDialog([("#336699", 0.6), ("#eeddcc", 0.4)], parent=window))
    from studio.io.midi import load_midi_sample
    from studio.ui.tune_picker import TunePicker

    tunes = [load_midi_sample(str(p), p.read_bytes()) for p in melodies]
    dialogs.append(TunePicker("book.abc", tunes, window))
    for dialog in dialogs:
        found += texts_of(dialog)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.extend([title, text]))
    window.show_about()
    found += [("about box", text) for text in shown]
    data = ("a.png", "x", "book.abc", *MIDI_COMMAND, *(t.name for t in tunes), *(t.melody.name for t in tunes if t.melody))
    assert not untranslated(found, data), "\n".join(untranslated(found, data))
    for dialog in dialogs:
        dialog.close()


def test_a_generated_gallery_its_cards_undo_texts_and_task_messages_are_chinese(chinese, make_window, import_and_wait,
                                                                                 melodies, fake_generator, qtbot):
    window = make_window()
    import_and_wait(window, melodies)
    window.melody_controls.count.setValue(3)
    with qtbot.waitSignal(window.runner.sig_busy_changed, timeout=10000, check_params_cb=lambda busy: not busy):
        window.generation.generate()
    model = window.session.gallery_model
    assert model.rowCount() == 3
    view = window.gallery_panel.view
    view.selectionModel().select(model.index(0), view.selectionModel().SelectionFlag.ClearAndSelect)
    window.edit.keep_selected()
    found = texts_of(window) + [("status bar", window.statusBar().currentMessage())]
    for row in range(model.rowCount()):
        for role in (0, 3):  # display, tooltip
            found.append((f"card {row} role {role}", str(model.data(model.index(row), role) or "")))
    data = tuple(str(p) for p in melodies) + tuple(p.name for p in melodies) + tuple(p.stem for p in melodies)
    data += MIDI_COMMAND + tuple(str(w.provenance.get("model", "")) for w in model.gallery)  # a model's file name
    assert not untranslated(found, data), "\n".join(untranslated(found, data))
    assert "保留" in window.session.undo_stack.undoText()


def test_the_blocking_questions_are_chinese(chinese, monkeypatch, qtbot):
    from studio.io.recovery import RecoveryInfo

    asked: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        asked.extend([box.windowTitle(), box.text(), box.informativeText()])
        return int(QMessageBox.StandardButton.Cancel.value)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.extend([title, text])
                        or QMessageBox.StandardButton.No)
    parent = QWidget()
    qtbot.addWidget(parent)
    prompts = Prompts()
    assert prompts.confirm_unsaved(parent, "My Monets") == "cancel"
    info = RecoveryInfo(session="s", project_path=Path("/tmp/s.mcs"), source_path="/tmp/My Monets.mcs",
                        title="My Monets", saved_at=0.0)
    assert prompts.ask_restore(parent, info) is False
    items = [("question", text) for text in asked if text]
    data = ("My Monets", "/tmp/My Monets.mcs")
    assert not untranslated(items, data), "\n".join(untranslated(items, data))
    assert any("未保存" in text for text in asked)


def _ts_messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {(ctx.findtext("name") or "", msg.findtext("source") or ""): msg
            for ctx in root.iter("context") for msg in ctx.iter("message")}


def test_the_ts_translates_every_string_of_the_window(tmp_path):
    committed = _ts_messages(TS)
    kinds = {key: msg.find("translation").get("type") for key, msg in committed.items()}
    unfinished = [f"{ctx}: {src!r}" for (ctx, src), msg in committed.items()
                  if kinds[(ctx, src)] not in ("vanished", "obsolete")  # gone from the code, kept for older checkouts
                  and (not (msg.findtext("translation") or "").strip() or kinds[(ctx, src)] == "unfinished")]
    assert not unfinished, "untranslated in the .ts:\n" + "\n".join(unfinished)
    fresh = tmp_path / "fresh.ts"
    i18n.update_sources(fresh, UI)  # what lupdate finds in the code now
    missing = sorted(set(_ts_messages(fresh)) - set(committed))
    assert not missing, ("tr() strings missing from the .ts (run `python -m studio.ui.i18n update` and "
                         "translate them):\n" + "\n".join(f"{c}: {s!r}" for c, s in missing))


def test_translations_keep_placeholders_and_menu_keys():
    for (ctx, src), msg in _ts_messages(TS).items():
        zh = msg.findtext("translation") or ""
        assert sorted(re.findall(r"\{\w*\}", src)) == sorted(re.findall(r"\{\w*\}", zh)), f"{ctx}: {src!r} -> {zh!r}"
        key = re.search(r"&([A-Za-z0-9])", src.replace("&&", ""))
        if key and "&" in src and not src.startswith("<"):
            assert f"&{key.group(1).upper()}" in zh.upper(), f"{ctx}: {src!r} loses its menu key in {zh!r}"


def test_a_missing_qm_falls_back_to_english_with_one_log_line(qapp, tmp_path, caplog):
    translators = Translators()
    with caplog.at_level(logging.WARNING, logger="studio.ui.i18n"):
        assert translators.install(qapp, CHINESE, tmp_path) == ENGLISH
    assert len(caplog.records) == 1 and "studio_zh_CN.qm" in caplog.records[0].getMessage()
    assert qapp.translate("MainWindow", "Meta-Creation Studio") == "Meta-Creation Studio"


def test_the_language_follows_the_setting_or_the_system_locale(tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert i18n.saved_choice(settings) == SYSTEM
    assert i18n.resolve(SYSTEM, QLocale("zh_CN")) == CHINESE
    assert i18n.resolve(SYSTEM, QLocale("zh_TW")) == CHINESE  # the one Chinese there is
    assert i18n.resolve(SYSTEM, QLocale("en_US")) == ENGLISH
    assert i18n.resolve(SYSTEM, QLocale("de_DE")) == ENGLISH
    i18n.save_choice(settings, ENGLISH)
    assert i18n.resolve(i18n.saved_choice(settings), QLocale("zh_CN")) == ENGLISH
    settings.setValue(i18n.KEY_LANGUAGE, "klingon")
    assert i18n.saved_choice(settings) == SYSTEM
    with pytest.raises(ValueError, match="language must be one of"):
        i18n.save_choice(settings, "klingon")


def test_view_language_offers_system_english_and_chinese_and_saves_the_choice(make_window, monkeypatch):
    window = make_window()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    language = next(a.menu() for a in menu.actions() if a.menu() is not None and a.text() == "&Language")
    actions = language.actions()
    assert [a.data() for a in actions] == [SYSTEM, ENGLISH, CHINESE]
    assert [a.text() for a in actions[1:]] == ["English", "\u7b80\u4f53\u4e2d\u6587"] and actions[0].isChecked()
    actions[2].trigger()
    assert i18n.saved_choice(window.settings) == CHINESE and actions[2].isChecked()
    assert told and "next time" in told[0]


def test_lang_zh_cn_starts_the_window_in_chinese(tmp_path):
    """The real start-up path (studio.ui.app.main) under LANG=zh_CN.UTF-8, in a fresh process."""
    i18n.build()  # the app reads the .qm beside the sources, as after `make setup`
    script = ("import sys; from PySide6.QtWidgets import QApplication; from studio.ui import app\n"
              "from PySide6.QtCore import QTimer\n"
              "qapp = QApplication(sys.argv)\n"
              "def check():\n"
              "    w = next(x for x in QApplication.topLevelWidgets() if x.objectName() == 'MainWindow')\n"
              "    print('TITLE', w.windowTitle()); print('MENU', w.menuBar().actions()[0].text())\n"
              "    QApplication.quit()\n"
              "QTimer.singleShot(0, check)\n"
              "sys.exit(app.main(['studio', '--no-demo']))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(LANG="zh_CN.UTF-8", LANGUAGE="", QT_QPA_PLATFORM="offscreen", STUDIO_EXIT_AFTER_SHOW="1",
               STUDIO_SETTINGS_PATH=str(tmp_path / "settings.ini"), STUDIO_RECOVERY_DIR=str(tmp_path / "rec"))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    assert "TITLE 未命名[*] \u2014 元创作工作室" in out.stdout and "MENU 文件(&F)" in out.stdout, out.stdout + out.stderr


def test_the_engines_progress_lines_are_shown_in_chinese(chinese):
    assert i18n.progress_text("painting 3 of 12") == "第 3 幅画作，共 12 幅"
    assert i18n.progress_text("step 40, loss 0.1234") == "第 40 步，损失 0.1234"
    assert i18n.progress_text("Reading moon (1).mid (2 of 5)") == "正在读取 moon (1).mid（第 2 个，共 5 个）"
    assert i18n.progress_text("3 of 8 melodies written") == "已写出 3/8 段旋律"
    assert i18n.progress_text("something new") == "something new"  # an unknown line is shown as it came


def test_the_adaptation_panel_shows_a_task_in_chinese(chinese, qtbot):
    from studio.tasks import TaskRunner
    from studio.ui.panels.adaptation_panel import AdaptationPanel

    runner = TaskRunner()
    panel = AdaptationPanel(runner)
    qtbot.addWidget(panel)
    panel._on_progress(0.5, "painting 1 of 4")
    assert panel.status.text() == "第 1 幅画作，共 4 幅"
    assert not untranslated(texts_of(panel)), "\n".join(untranslated(texts_of(panel)))
    runner.shutdown()


def test_a_bundled_font_folder_is_read_and_a_broken_font_is_named_not_fatal(qapp, tmp_path, monkeypatch, caplog):
    (tmp_path / "notes.txt").write_text("not a font")
    (tmp_path / "broken.ttf").write_bytes(b"\0" * 64)
    monkeypatch.setenv("STUDIO_FONT_DIR", str(tmp_path))
    assert tmp_path / "broken.ttf" in i18n.font_files() and tmp_path / "notes.txt" not in i18n.font_files()
    with caplog.at_level(logging.WARNING, logger="studio.ui.i18n"):
        assert i18n.add_bundled_fonts() == []
    assert "broken.ttf" in caplog.text and "could not load" in caplog.text


def test_fonts_command_without_the_font_package_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "noto_cjk_sans_otc", None)  # as if not installed
    assert i18n.main(["fonts"]) == 1
    assert "pip install noto-cjk-sans-otc" in capsys.readouterr().err
