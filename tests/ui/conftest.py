"""Shared fixtures for the GUI tests: sample files built in the test, scripted prompts, and a
window factory that isolates settings and recovery and shuts the worker down afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import mido
import numpy as np
import pytest
from PIL import Image

from studio.io.recovery import RecoveryInfo, RecoveryStore, default_recovery_dir
from studio.tasks import TaskHandle
from studio.ui.dialogs import Prompts
from studio.ui.main_window import MainWindow
from studio.ui.settings import make_settings


def write_png(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (40, 30)) -> Path:
    """A small PNG: a flat colour with a contrasting square so its palette has two colours."""
    pixels = np.zeros((size[1], size[0], 3), dtype=np.uint8)
    pixels[:] = colour
    pixels[: size[1] // 2, : size[0] // 2] = (255 - colour[0], 255 - colour[1], 255 - colour[2])
    Image.fromarray(pixels).save(path)
    return path


def write_midi(path: Path, pitches: list[int], ticks_per_beat: int = 480) -> Path:
    """A one-track melody in 4/4 at 100 BPM, one quarter note per pitch."""
    track = mido.MidiTrack([
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(100), time=0),
        mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0),
    ])
    for pitch in pitches:
        track.append(mido.Message("note_on", note=pitch, velocity=80, time=0))
        track.append(mido.Message("note_off", note=pitch, velocity=0, time=ticks_per_beat))
    track.append(mido.MetaMessage("end_of_track", time=0))
    midi = mido.MidiFile(ticks_per_beat=ticks_per_beat)
    midi.tracks.append(track)
    midi.save(path)
    return path


@pytest.fixture
def paintings(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "paintings"
    folder.mkdir()
    colours = [(200, 40, 40), (40, 160, 60), (30, 60, 200)]
    return [write_png(folder / f"p{i}.png", c) for i, c in enumerate(colours)]


@pytest.fixture
def melodies(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "melodies"
    folder.mkdir()
    return [write_midi(folder / "scale.mid", [60, 62, 64, 65, 67, 69, 71, 72]),
            write_midi(folder / "arpeggio.mid", [60, 64, 67, 72, 67, 64, 60, 55])]


class ScriptedPrompts(Prompts):
    """Answers every blocking question from ``answers`` and records what was asked."""

    def __init__(self, **answers: Any) -> None:
        self.answers: dict[str, Any] = {"unsaved": "discard", "restore": True, "yes_no": True,
                                        "open": None, "save": None, "import": [], "export": None}
        self.answers.update(answers)
        self.asked: list[str] = []

    def confirm_unsaved(self, parent, name: str) -> str:
        self.asked.append(f"unsaved:{name}")
        return self.answers["unsaved"]

    def ask_restore(self, parent, info: RecoveryInfo) -> bool:
        self.asked.append(f"restore:{info.title}")
        return self.answers["restore"]

    def ask_yes_no(self, parent, title: str, text: str) -> bool:
        self.asked.append(f"yes_no:{text}")
        return self.answers["yes_no"]

    def open_project_path(self, parent, folder: str) -> str | None:
        return self.answers["open"]

    def save_project_path(self, parent, suggestion: str) -> str | None:
        return self.answers["save"]

    def import_paths(self, parent, folder: str) -> list[str]:
        return list(self.answers["import"])

    def export_folder(self, parent, folder: str) -> str | None:
        return self.answers["export"]

    def pick_tunes(self, parent, path: str, tunes: list) -> list | None:
        """A big ABC book's tunes: all of them unless ``answers["tunes"]`` picks (a callable)."""
        self.asked.append(f"tunes:{len(tunes)}")
        pick = self.answers.get("tunes")
        return list(tunes) if pick is None else pick(tunes)


@pytest.fixture
def make_window(qtbot) -> Iterator[Callable[..., MainWindow]]:
    """``make_window(**answers)``: a shown MainWindow with scripted prompts, its own settings
    file and recovery folder (set by tests/conftest.py); closed and its worker stopped after."""
    windows: list[MainWindow] = []

    def make(**answers: Any) -> MainWindow:
        window = MainWindow(prompts=ScriptedPrompts(**answers), settings=make_settings(),
                            recovery=RecoveryStore(default_recovery_dir()))
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for window in windows:
        window.prompts.answers["unsaved"] = "discard"
        window.close()
        window.runner.shutdown()
        window.deleteLater()


def wait_for_import(qtbot, window: MainWindow, handle: TaskHandle, timeout: int = 10000) -> None:
    """Block until the import ``handle`` has ended (its result, if any, is applied by then)."""
    qtbot.waitUntil(lambda: not window.files.is_importing(handle), timeout=timeout)


@pytest.fixture
def import_and_wait(qtbot) -> Callable[[MainWindow, list], None]:
    def run(window: MainWindow, paths: list) -> None:
        wait_for_import(qtbot, window, window.files.import_paths([str(p) for p in paths]))
    return run
