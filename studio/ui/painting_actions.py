"""The Paintings menu: the painting controls' commands and the inspector's brush, with shortcuts.

:func:`build_painting_actions` adds the menu (before Help) and connects each action to the
window's generation controller or inspector. The menu shows only for painting projects; the
controller's availability reasons enable the actions and become their tooltips, exactly as
for the panel's buttons (:meth:`PaintingActions.set_availability`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from studio.ui.i18n import translate
from studio.ui.panels.painting_controls import TIPS

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow


@dataclass
class PaintingActions:
    generate: QAction
    vary: QAction
    blend: QAction
    repaint: QAction
    render: QAction
    more: QAction
    brush: QAction
    clear_mask: QAction
    fit: QAction
    guide_choose: QAction
    guide_draw: QAction
    guide_clear: QAction
    menu: QMenu

    def all(self) -> list[QAction]:
        return [a for a in vars(self).values() if isinstance(a, QAction)]

    def set_availability(self, reasons: dict[str, str | None]) -> None:
        """Enable each named action whose reason is None; the others carry their reason as tooltip."""
        for name, reason in reasons.items():
            action = getattr(self, name)
            tip = translate("ControlsPanel", TIPS[name])
            if reason is not None:
                tip = translate("ControlsPanel", "{tip}. {reason}.").format(tip=tip, reason=reason)
            action.setEnabled(reason is None)
            action.setToolTip(tip)
            action.setStatusTip(tip)


def _action(w: MainWindow, text: str, keys: str, slot: Callable[[], object], tip: str = "") -> QAction:
    action = QAction(text, w)
    action.setShortcut(QKeySequence(keys))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_painting_actions(w: MainWindow) -> PaintingActions:
    """Create the Paintings menu of ``w`` (which has ``generation``, ``inspector`` by the time
    an action fires) and return its actions."""
    inspector = w.inspector
    brush = QAction(translate("PaintingActions", "Br&ush Mask"), w)
    brush.setCheckable(True)
    brush.setShortcut(QKeySequence("B"))
    brush.setToolTip(translate("PaintingActions", "Brush mode in the inspector: paint the region to repaint "
                               "(right button erases)"))
    brush.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    inspector.addAction(brush)  # a plain letter: only while the inspector has focus
    brush.toggled.connect(inspector.brush_button.setChecked)
    inspector.brush_button.toggled.connect(brush.setChecked)
    a = PaintingActions(
        generate=_action(w, translate("PaintingActions", "&Generate Paintings"), "Ctrl+G",
                         lambda: w.generation.generate()),
        vary=_action(w, translate("PaintingActions", "&Variations"), "Ctrl+Shift+V", lambda: w.generation.vary()),
        blend=_action(w, translate("PaintingActions", "&Blend Two"), "Ctrl+Shift+B", lambda: w.generation.blend()),
        repaint=_action(w, translate("PaintingActions", "&Repaint Region"), "Ctrl+Shift+R",
                        lambda: w.generation.repaint()),
        render=_action(w, translate("PaintingActions", "Render &Larger"), "Ctrl+Shift+L",
                       lambda: w.generation.render()),
        more=_action(w, translate("PaintingActions", "&More Like These"), "Ctrl+Shift+M",
                     lambda: w.generation.more_like_these()),
        brush=brush,
        clear_mask=_action(w, translate("PaintingActions", "&Clear Mask"), "Ctrl+Shift+X",
                           inspector.preview.clear_mask,
                           translate("PaintingActions", "Clear the repaint mask brushed in the inspector")),
        fit=_action(w, translate("PaintingActions", "&Fit Picture"), "Ctrl+0", inspector.preview.fit,
                    translate("PaintingActions", "Fit the inspector's picture to its view (the wheel or Ctrl +/- "
                              "zooms it)")),
        guide_choose=_action(w, translate("PaintingActions", "C&hoose Guide\u2026"), "",
                             lambda: w.generation.guide.choose(),
                             translate("PaintingActions", "Use a photo or a sketch file as the guide of the next "
                                       "gallery")),
        guide_draw=_action(w, translate("PaintingActions", "&Draw Guide\u2026"), "Ctrl+Shift+D",
                           lambda: w.generation.guide.draw_new(),
                           translate("PaintingActions", "Draw the guide on a canvas with your samples' colours")),
        guide_clear=_action(w, translate("PaintingActions", "Clear Guid&e"), "",
                            lambda: w.generation.guide.clear(),
                            translate("PaintingActions", "No guide: the next gallery composes anew")),
        menu=QMenu(translate("PaintingActions", "&Paintings"), w),
    )
    menu = a.menu
    menu.setToolTipsVisible(True)
    menu.addActions([a.generate, a.vary, a.blend, a.repaint, a.render, a.more])
    menu.addSeparator()
    menu.addActions([a.brush, a.clear_mask, a.fit])
    menu.addSeparator()
    menu.addActions([a.guide_choose, a.guide_draw, a.guide_clear])
    bar = w.menuBar()
    help_text = translate("Actions", "&Help")
    help_menu = next((m for m in bar.actions() if m.text() == help_text), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)
    return a
