"""The guide controller: a photo or sketch as the guide of the next gallery, set and cleared undoably.

It turns the painting controls' guide signals into edits of the project: a dropped or chosen
file is read with :func:`~studio.domains.painting.guide.load_guide` (a bad file is refused with
the engine's message naming the file and the reason, under the thumbnail and in the problems
dialog, and nothing changes); Draw opens the :class:`~studio.ui.sketch_dialog.SketchDialog`
with the samples' palette, over the current guide if there is one; Clear removes the guide.
Each change is one :class:`~studio.ui.commands.SetValueCommand` on the project's undo stack,
whose apply stores the guide in the project (so it is saved with it and autosaved) and shows it
in the panel, whose :meth:`params <studio.ui.panels.painting_controls.PaintingControlsPanel.params>`
then hand it to the generator. Opening a project shows the guide it holds.

The project keeps the guide in its settings under :data:`GUIDE_KEY` as a PNG (base64) with its
name, like the adapted model's entry: the project file needs no new part, and an entry that
does not decode (a hand-edited or damaged file) is read strictly, reported and dropped.

How to ask for a file and how to draw are injectable (``choose_path``, ``draw``), so tests
script them instead of opening modal dialogs.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from studio.core.project import Project
from studio.core.samples import Sample
from studio.domains.painting.guide import Guide, GuideError, load_guide
from studio.domains.painting.params import median_aspect
from studio.io.png_text import encode_png
from studio.io.samples import IMAGE_SUFFIXES
from studio.ui.commands import SetValueCommand
from studio.ui.feedback import Messages
from studio.ui.panels.painting_controls import PaintingControlsPanel
from studio.ui.session import ProjectSession
from studio.ui.sketch_dialog import SketchDialog, samples_palette

ChoosePath = Callable[[QWidget], str | None]
Draw = Callable[[QWidget, Sequence[tuple[str, float]], float, Guide | None], Guide | None]


GUIDE_KEY = "guide"  # the project settings' entry: {"name": str, "png": base64 PNG}


def read_project_guide(project: Project, where: str = "the project's guide") -> Guide | None:
    """The guide stored in ``project`` (None without one). Raises GuideError naming ``where``
    when the entry is malformed or its picture does not decode."""
    entry = project.settings.get(GUIDE_KEY)
    if entry is None:
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("png"), str) or \
            not isinstance(entry.get("name", "guide"), str):
        raise GuideError("the entry is not a name and a PNG picture", where)
    try:
        data = base64.b64decode(entry["png"], validate=True)
    except (binascii.Error, ValueError) as error:
        raise GuideError(f"its picture is not valid base64 ({error})", where) from None
    name = entry.get("name") or "guide"
    try:
        guide = load_guide(name, data)
    except GuideError as error:
        raise GuideError(error.reason, f"{where} ({name})") from None
    return Guide(guide.image, name)


def write_project_guide(project: Project, guide: Guide | None) -> None:
    """Store ``guide`` in ``project`` (None removes it)."""
    if guide is None:
        project.settings.pop(GUIDE_KEY, None)
    else:
        png = base64.b64encode(encode_png(np.asarray(guide.image))).decode("ascii")
        project.settings[GUIDE_KEY] = {"name": guide.name, "png": png}


def choose_guide_file(parent: QWidget) -> str | None:
    """Ask for an image file with the system's file chooser; None if cancelled."""
    patterns = " ".join(f"*{s}" for s in sorted(IMAGE_SUFFIXES))
    caption = QCoreApplication.translate("GuideController", "Choose a guide photo or sketch")
    filters = (QCoreApplication.translate("GuideController", "Pictures ({patterns})").format(patterns=patterns)
               + ";;" + QCoreApplication.translate("GuideController", "All files (*)"))
    path, _ = QFileDialog.getOpenFileName(parent, caption, "", filters)
    return path or None


def draw_guide(parent: QWidget, palette: Sequence[tuple[str, float]], aspect: float,
               start: Guide | None) -> Guide | None:
    """Open the sketch dialog; the drawn guide, or None if cancelled."""
    dialog = SketchDialog(palette, aspect, start.image if start is not None else None, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.guide(start.name if start is not None and start.name.startswith("sketch") else "sketch")
    finally:
        dialog.deleteLater()


class GuideController(QObject):
    """See the module docstring."""

    def __init__(self, session: ProjectSession, panel: PaintingControlsPanel, messages: Messages,
                 choose_path: ChoosePath = choose_guide_file, draw: Draw = draw_guide,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.panel = panel
        self.messages = messages
        self.choose_path = choose_path
        self.draw = draw
        self._guide: Guide | None = None
        self._known: dict[str, np.ndarray] = {}  # digest -> pixels of every guide this session used
        panel.sig_guide_file.connect(self.use_file)
        panel.sig_choose_guide.connect(self.choose)
        panel.sig_draw_guide.connect(self.draw_new)
        panel.sig_clear_guide.connect(self.clear)
        session.sig_project_replaced.connect(self.project_replaced)
        self.project_replaced()

    def guide(self) -> Guide | None:
        """The project's guide (kept decoded here; the project holds its PNG)."""
        return self._guide

    def lookup(self, digest: str) -> np.ndarray | None:
        """The pixels of a guide this session or project used, by the digest works record."""
        return self._known.get(digest)

    def _remember(self, guide: Guide | None) -> None:
        if guide is not None:
            self._known[guide.digest] = guide.image

    def _samples(self) -> list[Sample]:
        return list(self.session.project.samples)

    # -- edits -------------------------------------------------------------------------------------------

    def set_guide(self, guide: Guide | None, text: str) -> None:
        """Make ``guide`` the project's guide as one undo step named ``text``."""
        old = self.guide()
        if old is guide or (old is not None and old == guide):
            return
        self.session.push(SetValueCommand(text, self._apply, guide, old))

    def _apply(self, guide: object) -> None:
        self._guide = guide if isinstance(guide, Guide) else None
        self._remember(self._guide)
        write_project_guide(self.session.project, self._guide)
        self.panel.set_guide(self._guide)

    @Slot(str)
    def use_file(self, path: str) -> bool:
        """Read ``path`` as the guide; True if it became the guide. A bad file changes nothing
        and says why (the engine's reason, naming the file)."""
        try:
            guide = load_guide(path)
        except GuideError as error:
            name = Path(path).name or path
            self.panel.show_guide_problem(self.tr("{name} cannot be the guide: {reason}").format(
                name=name, reason=error.reason))
            self.messages.show_problems(self.tr("Guide problem"),
                                        self.tr("{name} cannot be the guide.").format(name=name),
                                        [(error.path or path, error.reason)])
            return False
        self.set_guide(guide, self.tr("Guide: {name}").format(name=guide.name))
        self.messages.show_message(self.tr("The next gallery follows {name}").format(name=guide.name), 8000)
        return True

    @Slot()
    def choose(self) -> bool:
        path = self.choose_path(self.panel.window())
        return self.use_file(path) if path else False

    @Slot()
    def draw_new(self) -> bool:
        """Draw a guide (over the current one); True if one was made."""
        current = self.guide()
        aspect = current.aspect if current is not None else (
            self.panel.params().aspect or median_aspect(self._samples()) or 4 / 3)
        try:
            guide = self.draw(self.panel.window(), samples_palette(self._samples()), aspect, current)
        except GuideError as error:  # a degenerate canvas: cannot happen with the dialog's sizes
            self.panel.show_guide_problem(error.reason)
            return False
        if guide is None:
            return False
        self.set_guide(guide, self.tr("Draw guide"))
        return True

    @Slot()
    def clear(self) -> None:
        if self.guide() is not None:
            self.set_guide(None, self.tr("Clear guide"))

    @Slot()
    def project_replaced(self) -> None:
        """Show the guide of the project just opened (a damaged one is reported and dropped)."""
        try:
            where = f"{self.session.path}: guide" if self.session.path else self.tr("the project's guide")
            self._guide = read_project_guide(self.session.project, where)
        except GuideError as error:
            self._guide = None
            self.session.project.settings.pop(GUIDE_KEY, None)
            self.messages.show_problems(self.tr("Guide problem"),
                                        self.tr("The project's guide could not be read; it was left out."),
                                        [(error.path or "", error.reason)])
        self._remember(self._guide)
        self.panel.set_guide(self._guide)
