"""The open project as the window sees it: models, one undo stack, file path, autosave.

:class:`ProjectSession` owns the :class:`~studio.core.project.Project`, the item models over
its samples and gallery, the one :class:`QUndoStack` for every edit, and the crash-recovery
autosave (debounced after each edit). It asks the user nothing: the window does that.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from studio import engine
from studio.core.project import Project
from studio.errors import ProjectError
from studio.io.recovery import RecoveryInfo, RecoveryStore
from studio.ui.models.gallery_model import GalleryModel
from studio.ui.models.sample_model import SampleListModel

AUTOSAVE_DELAY_MS = 1000


class ProjectSession(QObject):
    """Project + path + undo stack + models + recovery; see the module docstring."""

    sig_project_replaced = Signal()  # after new / open / restore (models were reset)
    sig_modified_changed = Signal(bool)
    sig_autosave_failed = Signal(str)

    def __init__(self, recovery: RecoveryStore, parent: QObject | None = None,
                 autosave_delay_ms: int = AUTOSAVE_DELAY_MS) -> None:
        super().__init__(parent)
        self.recovery = recovery
        self.project: Project = engine.new_project()
        self.path: str | None = None
        self._dirty_outside_stack = False  # a restored autosave differs from every file on disk
        self.undo_stack = QUndoStack(self)
        self.sample_model = SampleListModel(self.project.samples, parent=self)
        self.gallery_model = GalleryModel(self.project.gallery, parent=self)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(autosave_delay_ms)
        self._autosave_timer.timeout.connect(self.autosave_now)
        self.undo_stack.indexChanged.connect(self._edited)
        self.undo_stack.cleanChanged.connect(self._emit_modified)

    # -- state ---------------------------------------------------------------------------------

    def is_modified(self) -> bool:
        return self._dirty_outside_stack or not self.undo_stack.isClean()

    def display_name(self) -> str:
        if self.path:
            return Path(self.path).stem
        title = self.project.title
        return title if title and title != "Untitled" else self.tr("Untitled")  # the core's default, shown translated

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def mark_clean(self) -> None:
        """Treat the current state as the baseline (e.g. after opening on the demo samples)."""
        self._dirty_outside_stack = False
        self.undo_stack.setClean()
        self._emit_modified()

    # -- files ---------------------------------------------------------------------------------

    def new(self) -> None:
        self._replace(engine.new_project(), None, dirty=False)

    def open(self, path: str) -> None:
        """Load ``path``. Raises ProjectError, and then nothing has changed."""
        project = engine.open_project(path)
        self._replace(project, str(path), dirty=False)

    def save(self, path: str) -> None:
        """Save to ``path`` and make it the project's file. Raises ProjectError (nothing changes)."""
        old_title = self.project.title
        self.project.title = Path(path).stem
        try:
            engine.save_project(self.project, path)
        except ProjectError:
            self.project.title = old_title
            raise
        self.path = str(path)
        self._autosave_timer.stop()
        self.mark_clean()
        self.recovery.discard()  # the file on disk now holds everything the autosave did

    # -- crash recovery --------------------------------------------------------------------------

    def restore_pending(self, ask: Callable[[RecoveryInfo], bool]) -> bool:
        """Offer a crashed session's autosave through ``ask``; True if it was restored.

        A declined autosave is deleted. Raises ProjectError if the autosave cannot be read.
        """
        info = self.recovery.pending()
        if info is None:
            return False
        if not ask(info):
            self.recovery.discard()
            return False
        project, source = self.recovery.restore()
        self._replace(project, source, dirty=True)
        return True

    @Slot()
    def autosave_now(self) -> Path | None:
        """Write the recovery autosave now if there are unsaved changes; its path, else None."""
        self._autosave_timer.stop()
        if not self.is_modified():
            self.recovery.discard()
            return None
        try:
            return self.recovery.autosave(self.project, self.path)
        except ProjectError as exc:
            self.sig_autosave_failed.emit(str(exc))
            return None

    def finish(self) -> None:
        """Clean exit: the user saved or discarded, so the autosave goes."""
        self._autosave_timer.stop()
        self.recovery.discard()

    # -- internals -------------------------------------------------------------------------------

    def _replace(self, project: Project, path: str | None, dirty: bool) -> None:
        self._autosave_timer.stop()
        self.project = project
        self.path = path
        self.undo_stack.clear()
        self.sample_model.set_sample_set(project.samples)
        self.gallery_model.set_gallery(project.gallery)
        self._dirty_outside_stack = dirty
        if not dirty:
            self.recovery.discard()  # any autosave belonged to the project just closed
        self.sig_project_replaced.emit()
        self._emit_modified()

    @Slot(int)
    def _edited(self, _index: int) -> None:
        self._autosave_timer.start()

    def _emit_modified(self, *_: object) -> None:
        self.sig_modified_changed.emit(self.is_modified())
