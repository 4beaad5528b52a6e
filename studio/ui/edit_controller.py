"""The Edit and View commands on the samples and the gallery: delete, reorder, keep / reject,
select all, thumbnail zoom.

:class:`EditController` receives the project session (every edit is a command on its one undo
stack), the selection and the settings (the thumbnail size is remembered).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal, Slot

from studio.core.works import WorkStatus
from studio.ui import settings as keys
from studio.ui.commands import (
    RemoveSamplesCommand, RemoveWorksCommand, ReorderSamplesCommand, SetWorkStatusCommand,
    dropped_order, moved_order,
)
from studio.ui.selection import Selection
from studio.ui.session import ProjectSession

THUMB_SIZES = (48, 64, 80, 96, 128, 160)  # sample-bin sizes; the gallery shows 1.6x
DEFAULT_THUMB = 80


class EditController(QObject):
    """See the module docstring."""

    sig_zoom_limits = Signal(bool, bool)  # can zoom in, can zoom out

    def __init__(self, session: ProjectSession, selection: Selection, settings: QSettings,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.selection = selection
        self.settings = settings
        self.thumb_size = keys.int_setting(settings, keys.KEY_THUMB_SIZE, DEFAULT_THUMB)

    def delete_selected(self) -> None:
        """Remove the selected works if the gallery has focus, else the selected samples."""
        if self.selection.gallery_focused() or not self.selection.sample_rows():
            self.remove_selected_works()
        else:
            self.remove_selected_samples()

    def remove_selected_samples(self) -> None:
        rows = self.selection.sample_rows()
        if rows:
            self.session.push(RemoveSamplesCommand(self.session.sample_model, rows))

    def remove_selected_works(self) -> None:
        rows = self.selection.work_rows()
        if rows:
            self.session.push(RemoveWorksCommand(self.session.gallery_model, rows))

    def move_selected(self, delta: int) -> None:
        """Move the selected samples one place up (-1) or down (+1), keeping them selected."""
        model = self.session.sample_model
        order = moved_order(model.rowCount(), self.selection.sample_rows(), delta)
        if order is not None:
            self.session.push(ReorderSamplesCommand(model, order, self.tr("Move up") if delta < 0 else
                                                    self.tr("Move down")))

    @Slot(list, int)
    def move_rows_to(self, rows: list[int], destination: int) -> None:
        """Samples dragged within the bin to ``destination``."""
        model = self.session.sample_model
        order = dropped_order(model.rowCount(), rows, destination)
        if order is not None:
            self.session.push(ReorderSamplesCommand(model, order))

    def set_status(self, status: WorkStatus) -> None:
        rows = self.selection.work_rows()
        if rows:
            self.session.push(SetWorkStatusCommand(self.session.gallery_model, rows, status))

    def keep_selected(self) -> None:
        self.set_status(WorkStatus.KEPT)

    def reject_selected(self) -> None:
        self.set_status(WorkStatus.REJECTED)

    def select_all(self) -> None:
        self.selection.select_all()

    def zoom(self, step: int) -> int:
        """Thumbnails one size bigger (+1) or smaller (-1); 0 applies the remembered size. The size."""
        sizes = THUMB_SIZES
        current = min(range(len(sizes)), key=lambda i: abs(sizes[i] - self.thumb_size))
        self.thumb_size = sizes[max(0, min(len(sizes) - 1, current + step))]
        self.selection.sample_bin.set_thumbnail_size(self.thumb_size)
        self.selection.gallery_panel.set_thumbnail_size(round(self.thumb_size * 1.6))
        self.settings.setValue(keys.KEY_THUMB_SIZE, self.thumb_size)
        self.sig_zoom_limits.emit(self.thumb_size < sizes[-1], self.thumb_size > sizes[0])
        return self.thumb_size
