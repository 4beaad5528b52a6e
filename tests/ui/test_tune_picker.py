"""The tune picker: a big ABC book asks which tunes to import; search, ticks and the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from studio.core.samples import Sample
from studio.io.samples import read_samples
from studio.ui.tune_picker import PICK_ABOVE, TunePicker
from tests.ui.conftest import wait_for_import

KEYS = ["G", "D", "Am", "Edor", "C", "F", "Bb", "Em", "A", "Dmix", "G", "Bm"]


def write_book(path: Path, tunes: int) -> Path:
    text = "".join(f"X:{i + 1}\nT:{'Reel' if i % 2 else 'Jig'} number {i + 1}\nC:{path.stem}\nM:{'6/8' if i % 2 == 0 else '4/4'}\n"
                   f"L:1/8\nK:{KEYS[i % len(KEYS)]}\n\"G\"GAB cde|d2B G3|]\n\n" for i in range(tunes))
    path.write_text(text)
    return path


@pytest.fixture
def book(tmp_path: Path) -> tuple[str, list[Sample]]:
    path = write_book(tmp_path / "session.abc", 12)
    return str(path), list(read_samples(path).samples)


def test_lists_each_tune_with_title_key_and_meter_all_ticked(qtbot, book) -> None:
    picker = TunePicker(*book)
    qtbot.addWidget(picker)
    rows = [(item.text(0), item.text(1), item.text(2)) for item in picker.items()]
    assert rows[:4] == [("Jig number 1", "G major", "6/8"), ("Reel number 2", "D major", "4/4"),
                        ("Jig number 3", "A minor", "6/8"), ("Reel number 4", "E minor", "4/4")]
    assert picker.chosen() == book[1]
    assert picker.import_button.text() == "Import 12 tunes"
    assert picker.search.accessibleName() and picker.list.accessibleName()


def test_search_then_keyboard_only_choice(qtbot, book) -> None:
    picker = TunePicker(*book)
    qtbot.addWidget(picker)
    picker.show()
    picker.activateWindow()
    qtbot.waitActive(picker)
    assert picker.focusWidget() is picker.search
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(picker.search, Qt.Key.Key_A, both)
    assert picker.chosen() == [] and not picker.import_button.isEnabled()
    qtbot.keyClicks(picker.search, "reel 4/4")
    shown = [item.text(0) for item in picker.items() if not item.isHidden()]
    assert shown == [f"Reel number {n}" for n in (2, 4, 6, 8, 10, 12)]
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)  # into the list, on the first tune shown
    assert picker.focusWidget() is picker.list and picker.list.currentItem().text(0) == "Reel number 2"
    qtbot.keyClick(picker.list, Qt.Key.Key_Space)
    qtbot.keyClick(picker.list, Qt.Key.Key_Down)
    qtbot.keyClick(picker.list, Qt.Key.Key_Space)
    assert [s.melody.name for s in picker.chosen()] == ["Reel number 2", "Reel number 4"]
    assert picker.import_button.text() == "Import 2 tunes"
    qtbot.keyClick(picker.list, Qt.Key.Key_T, both)
    assert len(picker.chosen()) == 6  # every tune shown
    qtbot.keyClick(picker.list, Qt.Key.Key_A, both)
    qtbot.keyClick(picker.list, Qt.Key.Key_Space)
    qtbot.keyClick(picker.list, Qt.Key.Key_Up)
    qtbot.keyClick(picker.list, Qt.Key.Key_Space)
    picker.search.clear()
    assert [s.melody.name for s in picker.chosen()] == ["Reel number 2", "Reel number 4"]  # a search never unticks
    qtbot.keyClick(picker.list, Qt.Key.Key_Return)
    assert picker.result() == TunePicker.DialogCode.Accepted


def test_the_window_asks_only_for_big_books(qtbot, make_window, tmp_path: Path) -> None:
    asked: list[tuple[str, int]] = []

    def pick(tunes):  # type: ignore[no-untyped-def]
        asked.append((Path(tunes[0].path).name, len(tunes)))
        return tunes[1:3] if len(asked) == 1 else None

    window = make_window(tunes=pick)
    window.session.sample_model.sample_set.clear()
    big, small = write_book(tmp_path / "big.abc", PICK_ABOVE + 4), write_book(tmp_path / "small.abc", PICK_ABOVE)
    wait_for_import(qtbot, window, window.files.import_paths([str(big), str(small)]))
    assert asked == [("big.abc", PICK_ABOVE + 4)]
    names = [s.name for s in window.session.sample_model.sample_set]
    assert names[:2] == ["Reel number 2 (big.abc X:2)", "Jig number 3 (big.abc X:3)"]
    assert len(names) == 2 + PICK_ABOVE
    wait_for_import(qtbot, window, window.files.import_paths([str(write_book(tmp_path / "other.abc", 9))]))
    assert len(window.session.sample_model.sample_set) == 2 + PICK_ABOVE  # cancelled: none of that book


def test_a_look_at_the_picker(qtbot, book, tmp_path: Path) -> None:
    picker = TunePicker(*book)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    image = picker.grab()
    assert image.width() >= 500 and image.save(str(tmp_path / "picker.png"))
