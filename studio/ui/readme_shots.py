"""The README's screenshots, taken from the real window with the demo samples.

``python -m studio.ui.readme_shots [--out docs]`` builds a :class:`~studio.ui.main_window.MainWindow`
offscreen (English, throwaway settings and autosave folder, 1500 x 950) and drives it as a person
would, through the window's own tasks and undoable commands:

* ``screenshot-painting-studio.png``: the demo Monets, a first gallery of 12 (Generate), the three
  most colourful kept and the two most washed-out rejected; once the studio has learnt from them,
  the Taste dock says what it learnt and the inspector explains an unmarked painting.
* ``screenshot-main-window.png``: then Generate again: the studio drafts more paintings and chooses
  12 for that taste; the gallery is shown by taste, best first, and the inspector explains the
  chosen painting with the best taste score.
* ``screenshot-melody-studio.png``: the four demo tunes, Adapt (Reptile, 50 steps), a gallery of 12,
  the three highest kept and the two lowest rejected, the Taste dock and an explanation.

Which works are kept follows a simple rule (colourfulness, register) so that the learnt taste reads
plainly. Each picture is saved as a 192-colour PNG (70-300 KB). A few minutes on two cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from studio.core.samples import Domain
from studio.core.works import Work, WorkStatus
from studio.io.recovery import RecoveryStore
from studio.ui import help_shots
from studio.ui.commands import SetWorkStatusCommand
from studio.ui.dialogs import ScriptedPrompts

WINDOW_SIZE = (1500, 950)
NAMES = {"painting": "screenshot-painting-studio.png", "main": "screenshot-main-window.png",
         "melody": "screenshot-melody-studio.png"}
KEEP, REJECT = 3, 2  # works kept and rejected in each first gallery
COLOURS = 192  # a palette PNG: the text stays sharp, the paintings hardly band



def save_shot(widget: QWidget, path: Path, colours: int = COLOURS) -> int:
    """Grab ``widget`` and write it to ``path`` as a ``colours``-colour PNG at its own size; its size in bytes."""
    return help_shots.save_shot(widget, path, None, colours)


def _colourfulness(work: Work) -> float:
    """Mean chroma (the largest minus the smallest channel): washed-out paintings score low."""
    if work.image is None:
        return 0.0
    rgb = np.asarray(work.image, np.float32)[..., :3]
    return float((rgb.max(-1) - rgb.min(-1)).mean())


def _register(work: Work) -> float:
    notes = work.melody.notes if work.melody is not None else ()
    return float(np.mean([n.pitch for n in notes])) if notes else 0.0


def take(out: Path, timeout: float = 900.0) -> dict[str, int]:
    """Take the three pictures into ``out``; file name -> bytes."""
    from studio.ui.main_window import MainWindow  # after QApplication exists

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    scratch = tempfile.TemporaryDirectory(prefix="studio-readme-shots-")
    settings = QSettings(str(Path(scratch.name) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(prompts=ScriptedPrompts(), settings=settings, recovery=RecoveryStore(Path(scratch.name) / "recovery"))
    window.resize(*WINDOW_SIZE)
    window.show()
    window.activateWindow()
    sizes: dict[str, int] = {}

    def shot(key: str) -> None:
        name = NAMES[key]
        sizes[name] = save_shot(window, out / name)
        print(f"{name}: {sizes[name] // 1024} KB", flush=True)

    def idle() -> bool:
        return not window.runner.is_busy() and not window.files.is_importing()

    def learnt() -> bool:
        return not window.taste.is_learning()

    def gallery() -> list[Work]:
        return list(window.session.gallery_model.gallery)

    def select(work: Work) -> None:
        model = window.session.gallery_model
        row = model.gallery.index_of(work.id)
        view = window.gallery_panel.view
        view.selectionModel().select(model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        view.setFocus()
        app.processEvents()

    def mark(works: Sequence[Work], status: WorkStatus) -> None:
        model = window.session.gallery_model
        rows = [model.gallery.index_of(w.id) for w in works]
        window.session.push(SetWorkStatusCommand(model, rows, status))

    def first_gallery(what: str, start: Callable[[], object], by: Callable[[Work], float]) -> Work:
        """``start`` a gallery (Generate or Adapt), keep its KEEP highest works by ``by`` and reject
        the REJECT lowest; the unmarked work nearest the kept ones, selected once the taste is learnt."""
        if start() is None:
            raise RuntimeError(f"readme_shots: {what} did nothing")
        help_shots.wait_until(app, idle, timeout, what, settle=10)
        works = sorted(gallery(), key=by)
        kept, rejected = works[-KEEP:], works[:REJECT]
        print(f"kept {', '.join(w.title for w in kept)}; rejected {', '.join(w.title for w in rejected)}", flush=True)
        mark(kept, WorkStatus.KEPT)
        mark(rejected, WorkStatus.REJECTED)
        shown = works[-KEEP - 1]
        select(shown)
        window.taste.refresh_now()
        help_shots.wait_until(app, learnt, timeout, "learning the taste", settle=10)
        select(shown)
        if window.inspector.taste_shown() is None:
            raise RuntimeError("readme_shots: the inspector shows no taste explanation")
        return shown

    try:
        window.files.load_demo(Domain.PAINTING)
        help_shots.wait_until(app, idle, timeout, "importing the demo paintings", settle=10)
        window.painting_controls.count.setValue(12)
        first_gallery("generating the demo paintings' first gallery", window.generation.generate, _colourfulness)
        shot("painting")
        made = {w.id for w in gallery()}
        if window.generation.generate() is None:
            raise RuntimeError("readme_shots: the second Generate did nothing")
        help_shots.wait_until(app, idle, timeout, "generating paintings for the taste", settle=10)
        window.taste.set_sorted(True)
        help_shots.wait_until(app, learnt, timeout, "learning the taste", settle=10)
        chosen = [w for w in gallery() if w.id not in made]
        scores = window.gallery_panel.model.taste_scores()
        if chosen:
            select(max(chosen, key=lambda w: scores.get(w.id, -1e9)))
        window.gallery_panel.view.scrollToTop()
        shot("main")

        window.files.load_demo(Domain.MELODY)
        help_shots.wait_until(app, idle, timeout, "importing the demo melodies", settle=10)
        window.melody_controls.count.setValue(12)
        first_gallery("adapting to the demo melodies", lambda: window.generation.adapt("reptile", "steps", 50),
                      _register)
        shot("melody")
    finally:
        window.session.finish()
        window.taste.shutdown()
        window.runner.shutdown()
        window.close()
        scratch.cleanup()
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studio.ui.readme_shots", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs"), help="folder for the pictures (default: docs)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        sizes = take(args.out)
    except (RuntimeError, TimeoutError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{len(sizes)} pictures, {sum(sizes.values()) // 1024} KB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
