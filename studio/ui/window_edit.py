"""The window's Edit, View and Help commands (a mixin of :class:`~studio.ui.main_window.MainWindow`).

Every edit of the samples or the gallery becomes a command on the session's one undo stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Slot
from PySide6.QtWidgets import QMessageBox

from studio.core.works import WorkStatus
from studio.ui import settings as keys
from studio.ui.commands import (
    RemoveSamplesCommand, RemoveWorksCommand, ReorderSamplesCommand, SetWorkStatusCommand,
    dropped_order, moved_order,
)
from studio.ui.dialogs import ShortcutsDialog

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow

ABOUT = ("<h3>Meta-Creation Studio</h3><p>Learns the style of an artist or a musician from a few "
         "works, on a laptop, with meta-learning.</p><p>Import 3\u201310 paintings or melodies; the "
         "studio analyses each one (size, palette; key, tempo, meter, range). Where a meta-trained "
         "generator for them is installed, a few gradient steps adapt it to your samples and it "
         "creates new works.</p>")
THUMB_SIZES = (48, 64, 80, 96, 128, 160)  # sample-bin sizes; the gallery shows 1.6x


class EditCommands:
    """Delete, reorder, keep/reject, select all, zoom, and the inspector's selection tracking."""

    def _gallery_focused(self: MainWindow) -> bool:
        view = self.gallery_panel.view
        return view.hasFocus() and bool(self.gallery_panel.selected_rows())

    def delete_selected(self: MainWindow) -> None:
        """Remove the selected works if the gallery has focus, else the selected samples."""
        if self._gallery_focused() or not self.sample_bin.selected_rows():
            self.remove_selected_works()
        else:
            self.remove_selected_samples()

    def remove_selected_samples(self: MainWindow) -> None:
        rows = self.sample_bin.selected_rows()
        if rows:
            self.session.push(RemoveSamplesCommand(self.session.sample_model, rows))

    def remove_selected_works(self: MainWindow) -> None:
        rows = self.gallery_panel.selected_rows()
        if rows:
            self.session.push(RemoveWorksCommand(self.session.gallery_model, rows))

    def move_selected(self: MainWindow, delta: int) -> None:
        """Move the selected samples one place up (-1) or down (+1), keeping them selected."""
        model = self.session.sample_model
        order = moved_order(model.rowCount(), self.sample_bin.selected_rows(), delta)
        if order is not None:
            self.session.push(ReorderSamplesCommand(model, order, "Move up" if delta < 0 else "Move down"))

    @Slot(list, int)
    def _move_rows_to(self: MainWindow, rows: list[int], destination: int) -> None:
        model = self.session.sample_model
        order = dropped_order(model.rowCount(), rows, destination)
        if order is not None:
            self.session.push(ReorderSamplesCommand(model, order, "Reorder samples"))

    def _set_status(self: MainWindow, status: WorkStatus) -> None:
        rows = self.gallery_panel.selected_rows()
        if rows:
            self.session.push(SetWorkStatusCommand(self.session.gallery_model, rows, status))

    def keep_selected(self: MainWindow) -> None:
        self._set_status(WorkStatus.KEPT)

    def reject_selected(self: MainWindow) -> None:
        self._set_status(WorkStatus.REJECTED)

    def select_all(self: MainWindow) -> None:
        view = self.gallery_panel.view if self.gallery_panel.view.hasFocus() else self.sample_bin.view
        view.selectAll()

    def zoom(self: MainWindow, step: int) -> None:
        """Thumbnails one size bigger (+1) or smaller (-1); 0 applies the remembered size."""
        sizes = THUMB_SIZES
        current = min(range(len(sizes)), key=lambda i: abs(sizes[i] - self._thumb_size))
        self._thumb_size = sizes[max(0, min(len(sizes) - 1, current + step))]
        self.sample_bin.set_thumbnail_size(self._thumb_size)
        self.gallery_panel.set_thumbnail_size(round(self._thumb_size * 1.6))
        self.settings.setValue(keys.KEY_THUMB_SIZE, self._thumb_size)
        self.actions.zoom_in.setEnabled(self._thumb_size < sizes[-1])
        self.actions.zoom_out.setEnabled(self._thumb_size > sizes[0])

    # -- the inspector follows the most recent selection ------------------------------------------

    @Slot(QItemSelection, QItemSelection)
    def _sample_selection_changed(self: MainWindow, *_: object) -> None:
        rows = self.sample_bin.selected_rows()
        if rows:
            self.inspector.show_sample(self.session.sample_model.sample_at(rows[0]))
        elif not self.gallery_panel.selected_rows():
            self.inspector.show_nothing()
        self._selection_shown()

    @Slot(QItemSelection, QItemSelection)
    def _work_selection_changed(self: MainWindow, *_: object) -> None:
        rows = self.gallery_panel.selected_rows()
        if rows:
            self.inspector.show_work(self.session.gallery_model.work_at(rows[0]))
        elif not self.sample_bin.selected_rows():
            self.inspector.show_nothing()
        self._selection_shown()

    def _selection_shown(self: MainWindow) -> None:
        shown = self.inspector.current_melody()
        self.inspector.set_playing(shown is not None and self.player.is_playing(shown[0]))
        self._refresh_actions()
        self.generation.refresh()

    # -- help ---------------------------------------------------------------------------------------

    def show_about(self: MainWindow) -> None:
        QMessageBox.about(self, "About Meta-Creation Studio", ABOUT)

    def show_shortcuts(self: MainWindow) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.actions.all(), self)
        dialog.show()
        return dialog
