"""The Taste menu: "Let the Studio Choose", "Sort Gallery by Taste" and "Reset Taste", with their keys.

:func:`build_taste_actions` makes the menu of the window's
:class:`~studio.ui.taste_controller.TasteController` and keeps its checks in step with the Taste
panel (the controller's ``sig_state_changed`` and ``sig_sorted``); the window puts it before Help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from studio.ui.i18n import translate

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow


@dataclass
class TasteActions:
    """The Taste menu: the switch, the taste order, Reset (the panel shows the same)."""

    menu: QMenu
    choose: QAction
    sort: QAction
    reset: QAction


def build_taste_actions(w: MainWindow) -> TasteActions:
    """The Taste menu of the window ``w`` (inserted before Help), kept in step with the panel."""
    taste = w.taste
    menu = QMenu(translate("TasteController", "&Taste"), w)
    menu.setToolTipsVisible(True)

    def action(text: str, tip: str, keys: str, checkable: bool) -> QAction:
        item = QAction(text, w)
        item.setToolTip(tip)
        item.setStatusTip(tip)
        if keys:
            item.setShortcut(QKeySequence(keys))
        item.setCheckable(checkable)
        menu.addAction(item)
        return item

    choose = action(translate("TasteController", "Let the Studio &Choose"),
                    translate("TasteController", "Generate drafts more works and shows those most likely to your "
                              "taste (automatic: on once you keep or reject works)"), "Ctrl+Shift+T", True)
    sort = action(translate("TasteController", "&Sort Gallery by Taste"),
                  translate("TasteController", "Show the gallery by taste, best first, or as made again (the order "
                            "the works were made in is kept)"), "Ctrl+Shift+O", True)
    menu.addSeparator()
    reset = action(translate("TasteController", "&Reset Taste"),
                   translate("TasteController", "Forget what the keeps and rejects so far taught the studio; the "
                             "works keep their marks (undoable)"), "", False)
    choose.triggered.connect(lambda checked=False: taste.set_choosing(bool(checked)))
    sort.triggered.connect(lambda checked=False: taste.set_sorted(bool(checked)))
    reset.triggered.connect(lambda _checked=False: taste.reset())

    def follow() -> None:
        kept, rejected = taste.counted_works()
        choose.setChecked(taste.choosing())
        reset.setEnabled(bool(kept or rejected))

    taste.sig_state_changed.connect(follow)
    taste.sig_sorted.connect(sort.setChecked)
    model = w.session.gallery_model
    for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
        signal.connect(lambda *_: follow())
    follow()
    menus = [a for a in w.menuBar().actions() if a.menu() is not None]
    w.menuBar().insertMenu(menus[-1], menu)  # before Help
    return TasteActions(menu, choose, sort, reset)
