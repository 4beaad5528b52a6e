"""The gallery: generated works as a grid of cards, with play, keep / reject / remove.

Each card carries round buttons (play for a melody, keep, reject) drawn by
:class:`~studio.ui.widgets.work_cards.WorkCardDelegate`; their clicks are announced as
``sig_card_action(row, name)``. Cards drag out as ``.mid`` / ``.png`` files. Until a generator
is installed the empty state says what will appear here and what to do first.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from studio.core.samples import Domain
from studio.core.works import WorkStatus
from studio.ui.panels.list_panel import ListPanel
from studio.ui.models.gallery_model import GalleryModel
from studio.ui.widgets.work_cards import GalleryListView, WorkCardDelegate

READY_HINT = (
    "Generated melodies will appear here.\n\n"
    "Add 3\u20138 melodies to the sample bin, then press Generate (or Adapt, for a closer fit). "
    "Play a card with its \u25b6 button or Space; keep (K) or reject (R) it; drag it out as a MIDI file."
)
STEPS_HINT = (
    "Generated works will appear here.\n\n"
    "1. Add 3\u201310 paintings or melodies to the sample bin (drop files or File > Import).\n"
    "2. Adapt a meta-trained generator to them, then generate."
)


def empty_hint(domain: Domain | None, available: Collection[Domain]) -> str:
    """The empty gallery's text for a project of ``domain`` (None: empty) when the generators of
    ``available`` are installed: never "nothing can be generated" while one kind can."""
    if domain is not None and domain in available:
        return READY_HINT if domain is Domain.MELODY else STEPS_HINT
    missing = [domain] if domain is not None else [d for d in Domain if d not in available]
    if not missing:
        return STEPS_HINT
    text = (f"{STEPS_HINT}\n\nNo meta-trained {' or '.join(d.value for d in missing)} generator is installed "
            f"yet, so {' and '.join(d.plural for d in missing)} cannot be generated in this version; your "
            "samples, their analysis and projects already work.")
    if Domain.MELODY in available and Domain.MELODY not in missing:
        text += "\nMelodies can: Help > Load Demo Melodies opens a melody project."
    elif Domain.PAINTING in available and Domain.PAINTING not in missing:
        text += "\nPaintings can: start a new project (File > New) with paintings."
    return text


EMPTY_HINT = empty_hint(None, ())


class GalleryPanel(ListPanel):
    """Header with counts, the icon grid, and buttons for the actions the window hands over."""

    sig_card_action = Signal(int, str)  # row, "play" | "keep" | "reject"

    def __init__(self, model: GalleryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.view = GalleryListView(EMPTY_HINT, self)
        self.view.setModel(model)
        self.delegate = WorkCardDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.delegate.sig_card_action.connect(self.sig_card_action.emit)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setAcceptDrops(False)  # files dropped here go to the window, which imports them
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setUniformItemSizes(True)
        self.view.setWordWrap(True)
        self.view.setSpacing(8)
        self.view.setToolTip("Generated works: select, then Keep (K) or Reject (R); Space plays a melody; "
                             "drag a card out to save it as a file.")
        self.view.setAccessibleName("Gallery")
        self._lay_out(self.view)
        self.set_thumbnail_size(128)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
            signal.connect(self._update_header)
        self._update_header()
        self.setMinimumSize(240, 200)

    @property
    def model(self) -> GalleryModel:
        return self._model

    def set_thumbnail_size(self, size: int) -> None:
        self.view.setIconSize(QSize(size, size))
        self.view.setGridSize(QSize(size + 24, size + 40))
        self._model.set_thumbnail_size(size)

    def show_playing(self, work_id: str, fraction: float | None) -> None:
        """Draw the playhead at ``fraction`` on the card of ``work_id`` ("" when nothing plays)."""
        before = self.delegate.playing_id()
        self.delegate.set_playing(work_id, fraction)
        gallery = self._model.gallery
        for wid in {before, work_id} - {""}:
            row = gallery.index_of(wid)
            if row >= 0:
                self.view.update(self._model.index(row))

    def selected_rows(self) -> list[int]:
        selection = self.view.selectionModel()
        return sorted(i.row() for i in selection.selectedIndexes()) if selection else []

    def _update_header(self, *_: object) -> None:
        gallery = self._model.gallery
        kept = sum(1 for w in gallery if w.status is WorkStatus.KEPT)
        rejected = sum(1 for w in gallery if w.status is WorkStatus.REJECTED)
        text = f"<b>Gallery</b> \u2014 {len(gallery)} work{'s' if len(gallery) != 1 else ''}"
        if len(gallery):
            text += f", {kept} kept, {rejected} rejected"
        self.header.setText(text)


if __name__ == "__main__":
    import sys

    import numpy as np
    from PySide6.QtWidgets import QApplication

    from studio.core.samples import Domain
    from studio.core.works import Gallery, Work

    app = QApplication(sys.argv)
    rng = np.random.default_rng(0)
    works = [Work(Domain.PAINTING, seed=s, image=rng.integers(0, 255, (64, 96, 3), dtype=np.uint8),
                  status=list(WorkStatus)[s % 3], provenance={"method": "reptile"}) for s in range(6)]
    panel = GalleryPanel(GalleryModel(Gallery(works)))
    panel.resize(640, 480)
    panel.show()
    sys.exit(app.exec())
