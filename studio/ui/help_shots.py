"""The screenshots of Help > Getting Started, taken from the real window with the demo samples.

``python -m studio.ui.help_shots [--language en|zh_CN] [--out FOLDER] [--width 640]`` builds a
:class:`~studio.ui.main_window.MainWindow` offscreen with throwaway settings and autosave folder,
and drives it as a person would: it loads the demo paintings, runs the window's own Generate,
keeps one work and rejects another, then does the same with the demo melodies and chooses two
bars in the piano roll. After each step it grabs the window (``QWidget.grab()``), scales it to
``--width`` and saves it as a palette PNG (tens of KB each), under the names
:data:`~studio.ui.help_dialog.PICTURES` gives. Run it again after the window changes; the
pictures are committed. Generation runs the installed generators on the CPU (under a minute).
``--language zh_CN`` takes the Chinese window's pictures into ``assets/help/zh_CN`` (it needs a
CJK font: fonts-noto-cjk, or ``STUDIO_FONT_DIR`` pointing at one), which Getting Started shows
when the window is Chinese.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, QItemSelectionModel, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from studio.core.samples import Domain
from studio.io.recovery import RecoveryStore
from studio.ui import i18n
from studio.ui.dialogs import ScriptedPrompts
from studio.ui.help_dialog import HELP_DIR, PICTURES, picture_folder

WINDOW_SIZE = (1180, 760)
COLOURS = 160  # a palette PNG: a tenth of the size of a full-colour one, and still clear



def wait_until(app: QApplication, done: Callable[[], bool], timeout: float, what: str, settle: int = 5) -> None:
    """Process events until ``done()``, then ``settle`` more rounds (repaints); TimeoutError naming
    ``what`` after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise TimeoutError(f"{what} did not finish within {timeout:.0f} s")
        app.processEvents()
        time.sleep(0.02)
    for _ in range(settle):
        app.processEvents()


def save_shot(widget: QWidget, path: Path, width: int | None = None, colours: int = COLOURS) -> int:
    """Grab ``widget``, scale it to ``width`` (None: as it is) and write it to ``path`` as a
    ``colours``-colour palette PNG; its size in bytes."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    image = Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGB")
    if width is not None:
        height = round(image.height * width / image.width)
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    image = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    return path.stat().st_size


def take(out: Path, width: int, language: str = i18n.ENGLISH, timeout: float = 600.0) -> dict[str, int]:
    """Take every picture of the window in ``language`` into ``out``; file name -> bytes.

    Raises RuntimeError when the language cannot be shown (no compiled translation, or no font
    for Chinese: the pictures would show English or boxes)."""
    from studio.ui.main_window import MainWindow  # after QApplication exists

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    scratch = tempfile.TemporaryDirectory(prefix="studio-help-shots-")
    settings = QSettings(str(Path(scratch.name) / "settings.ini"), QSettings.Format.IniFormat)
    if language != i18n.ENGLISH:
        if not i18n.qm_path(language).is_file():
            i18n.build()
        settings.setValue(i18n.KEY_LANGUAGE, language)
        if i18n.setup_language(app, settings, i18n.Translators()) != language:
            raise RuntimeError(f"help_shots: the window cannot be shown in {language} (no compiled translation)")
        if language == i18n.CHINESE and not i18n.cjk_font_families():
            raise RuntimeError("help_shots: no font shows Chinese here: install fonts-noto-cjk, or set "
                               "STUDIO_FONT_DIR to a folder with a CJK font")
    window = MainWindow(prompts=ScriptedPrompts(), settings=settings, recovery=RecoveryStore(Path(scratch.name) / "recovery"))
    window.resize(*WINDOW_SIZE)
    window.show()
    window.activateWindow()  # focus (and its ring) moves as in a session at the desk
    sizes: dict[str, int] = {}

    def shot(key: str) -> None:
        name = PICTURES[key]
        sizes[name] = save_shot(window, out / name, width)
        print(f"{name}: {sizes[name] // 1024} KB")

    def idle() -> bool:
        return not window.runner.is_busy() and not window.files.is_importing()

    def select(rows: list[int]) -> None:
        view = window.gallery_panel.view
        selection = view.selectionModel()
        selection.clearSelection()
        for row in rows:
            selection.select(view.model().index(row, 0), QItemSelectionModel.SelectionFlag.Select)
        view.setFocus()
        app.processEvents()

    try:
        for domain, prefix in ((Domain.PAINTING, "paintings"), (Domain.MELODY, "melodies")):
            window.files.load_demo(domain)
            wait_until(app, idle, timeout, f"importing the demo {prefix}")
            window.sample_bin.select_rows([0])
            app.processEvents()
            shot(f"{prefix}-samples")
            controls = window.melody_controls if domain is Domain.MELODY else window.painting_controls
            controls.count.setValue(6)
            if window.generation.generate() is None:
                raise RuntimeError(f"help_shots: Generate did nothing for the demo {prefix}")
            wait_until(app, idle, timeout, f"generating {prefix}")
            select([1])
            if domain is Domain.PAINTING:
                shot("paintings-gallery")
                window.edit.keep_selected()
                select([3])
                window.edit.reject_selected()
                select([1])
                shot("paintings-kept")
            else:
                shot("melodies-gallery")
                window.edit.keep_selected()
                select([1])
                window.inspector.piano_roll.set_selected_bars([2, 3])
                window.inspector.piano_roll.setFocus()
                app.processEvents()
                shot("melodies-play")
    finally:
        window.session.finish()
        window.runner.shutdown()
        window.close()
        scratch.cleanup()
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studio.ui.help_shots", description=__doc__.split("\n")[0])
    parser.add_argument("--language", choices=[i18n.ENGLISH, i18n.CHINESE], default=i18n.ENGLISH,
                        help="the window's language in the pictures (default: en)")
    parser.add_argument("--out", type=Path, help="folder for the pictures (default: assets/help, or "
                        "assets/help/LANGUAGE for a language other than English)")
    parser.add_argument("--width", type=int, default=640, help="width of each picture in pixels (default: 640)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = args.out or picture_folder(args.language, HELP_DIR, must_exist=False)
    try:
        sizes = take(out, args.width, args.language)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{len(sizes)} pictures, {sum(sizes.values()) // 1024} KB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
