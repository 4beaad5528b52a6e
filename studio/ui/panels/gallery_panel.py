"""The gallery: generated works as a grid of cards, with play, keep / reject / remove.

Each card carries round buttons (play for a melody, keep, reject) drawn by
:class:`~studio.ui.widgets.work_cards.WorkCardDelegate`; their clicks are announced as
``sig_card_action(row, name)``. Cards drag out as ``.mid`` / ``.png`` files. Until a generator
is installed the empty state says what will appear here and what to do first.

The view shows the gallery through a :class:`~studio.ui.models.gallery_model.GallerySortProxy`
(as made, or by taste); every row this panel hands out (``selected_rows``, ``sig_card_action``)
is a row of the gallery itself, whatever the order shown.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPersistentModelIndex, QSize, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from studio.core.samples import Domain
from studio.core.works import WorkStatus
from studio.ui.i18n import QT_TRANSLATE_NOOP, domain_plural, domain_singular, translate
from studio.ui.panels.list_panel import ListPanel
from studio.ui.models.gallery_model import GalleryModel, GallerySortProxy
from studio.ui.widgets.work_cards import GalleryListView, WorkCardDelegate

# English sources (lupdate reads them here); the gallery shows them translated
READY_HINT = QT_TRANSLATE_NOOP(
    "GalleryPanel", "Generated melodies will appear here.\n\n"
    "Add 3\u20138 melodies to the sample bin, then press Generate (or Adapt, for a closer fit). "
    "Play a card with its \u25b6 button or Space; keep (K) or reject (R) it; drag it out as a MIDI file.")
STEPS_HINT = QT_TRANSLATE_NOOP(
    "GalleryPanel", "Generated works will appear here.\n\n"
    "1. Add 3\u201310 paintings or melodies to the sample bin (drop files or File > Import).\n"
    "2. Adapt a meta-trained generator to them, then generate.")


def _ready_hint() -> str:
    return translate("GalleryPanel", READY_HINT)


def _steps_hint() -> str:
    return translate("GalleryPanel", STEPS_HINT)


def empty_hint(domain: Domain | None, available: Collection[Domain]) -> str:
    """The empty gallery's text for a project of ``domain`` (None: empty) when the generators of
    ``available`` are installed: never "nothing can be generated" while one kind can."""
    if domain is not None and domain in available:
        return _ready_hint() if domain is Domain.MELODY else _steps_hint()
    missing = [domain] if domain is not None else [d for d in Domain if d not in available]
    if not missing:
        return _steps_hint()
    if len(missing) == 1:
        why = translate("GalleryPanel", "No meta-trained {kind} generator is installed yet, so {works} cannot be "
                        "generated in this version; your samples, their analysis and projects already work.").format(
            kind=domain_singular(missing[0]), works=domain_plural(missing[0]))
    else:
        why = translate("GalleryPanel", "No meta-trained painting or melody generator is installed yet, so "
                        "paintings and melodies cannot be generated in this version; your samples, their "
                        "analysis and projects already work.")
    text = f"{_steps_hint()}\n\n{why}"
    if Domain.MELODY in available and Domain.MELODY not in missing:
        text += "\n" + translate("GalleryPanel", "Melodies can: Help > Load Demo Melodies opens a melody project.")
    elif Domain.PAINTING in available and Domain.PAINTING not in missing:
        text += "\n" + translate("GalleryPanel", "Paintings can: start a new project (File > New) with paintings.")
    return text


EMPTY_HINT = empty_hint(None, ())  # in English: the panel computes it again in the window's language


class _GallerySelection(QItemSelectionModel):
    """The view's selection over the sort proxy; indexes of the gallery model itself (as older
    callers pass) are mapped to the proxy first, so selecting a gallery row selects its card."""

    def __init__(self, proxy: GallerySortProxy) -> None:
        super().__init__(proxy)
        self._proxy = proxy

    def select(self, selection: object, command: object) -> None:
        source = self._proxy.sourceModel()
        if isinstance(selection, (QModelIndex, QPersistentModelIndex)) and selection.model() is source:
            selection = self._proxy.mapFromSource(selection)
        elif isinstance(selection, QItemSelection) and any(i.model() is source for i in selection.indexes()):
            selection = self._proxy.mapSelectionFromSource(selection)
        super().select(selection, command)  # type: ignore[call-overload]


class GalleryPanel(ListPanel):
    """Header with counts, the icon grid, and buttons for the actions the window hands over."""

    sig_card_action = Signal(int, str)  # row, "play" | "keep" | "reject"

    def __init__(self, model: GalleryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.view = GalleryListView(empty_hint(None, ()), self)
        self.proxy = GallerySortProxy(model, self)
        self.view.setModel(self.proxy)
        old = self.view.selectionModel()
        self.view.setSelectionModel(_GallerySelection(self.proxy))
        old.deleteLater()
        self.delegate = WorkCardDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.delegate.sig_card_action.connect(self._card_action)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setAcceptDrops(False)  # files dropped here go to the window, which imports them
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setUniformItemSizes(True)
        self.view.setWordWrap(True)
        self.view.setSpacing(8)
        self.view.setToolTip(self.tr("Generated works: select, then Keep (K) or Reject (R); Space plays a melody; "
                                     "drag a card out to save it as a file."))
        self.view.setAccessibleName(self.tr("Gallery"))
        self._lay_out(self.view)
        self.set_thumbnail_size(128)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
            signal.connect(self._update_header)
        self._update_header()
        self.setMinimumSize(240, 200)

    @property
    def model(self) -> GalleryModel:
        return self._model

    def _card_action(self, row: int, name: str) -> None:
        source = self.proxy.source_row(row)
        if source >= 0:
            self.sig_card_action.emit(source, name)

    def set_sorted_by_taste(self, on: bool) -> None:
        """Show the works by taste, best first (True), or as made (False); the gallery keeps its order."""
        self.proxy.set_by_taste(on)

    def sorted_by_taste(self) -> bool:
        return self.proxy.by_taste()

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
                self.view.update(self.proxy.mapFromSource(self._model.index(row)))

    def selected_rows(self) -> list[int]:
        """The selected works' rows in the gallery (not in the order shown), ascending."""
        selection = self.view.selectionModel()
        if not selection:
            return []
        return sorted(self.proxy.mapToSource(i).row() for i in selection.selectedIndexes())

    def _update_header(self, *_: object) -> None:
        gallery = self._model.gallery
        kept = sum(1 for w in gallery if w.status is WorkStatus.KEPT)
        rejected = sum(1 for w in gallery if w.status is WorkStatus.REJECTED)
        works = self.tr("1 work") if len(gallery) == 1 else self.tr("{n} works").format(n=len(gallery))
        text = self.tr("<b>Gallery</b> \u2014 {works}").format(works=works)
        if len(gallery):
            text += self.tr(", {kept} kept, {rejected} rejected").format(kept=kept, rejected=rejected)
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
