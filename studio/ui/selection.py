"""What the user has selected: rows of the sample bin and of the gallery, as samples and works.

Controllers read the selection through this small object instead of reaching into panels.
"""

from __future__ import annotations

from studio.core.samples import Sample
from studio.core.works import Work
from studio.ui.panels.gallery_panel import GalleryPanel
from studio.ui.panels.sample_bin import SampleBin


class Selection:
    """The sample bin's and the gallery's selections, read through their models."""

    def __init__(self, sample_bin: SampleBin, gallery_panel: GalleryPanel) -> None:
        self.sample_bin = sample_bin
        self.gallery_panel = gallery_panel

    def sample_rows(self) -> list[int]:
        return self.sample_bin.selected_rows()

    def work_rows(self) -> list[int]:
        return self.gallery_panel.selected_rows()

    def samples(self) -> list[Sample]:
        model = self.sample_bin.model
        return [model.sample_at(r) for r in self.sample_rows()]

    def works(self) -> list[Work]:
        model = self.gallery_panel.model
        return [model.work_at(r) for r in self.work_rows()]

    def gallery_focused(self) -> bool:
        """The gallery has the keyboard focus and a selection (Delete then removes works)."""
        return self.gallery_panel.view.hasFocus() and bool(self.work_rows())

    def select_all(self) -> None:
        """Select every work if the gallery has focus, else every sample."""
        view = self.gallery_panel.view if self.gallery_panel.view.hasFocus() else self.sample_bin.view
        view.selectAll()
