"""The keyboard focus in the main window: which widgets are controls, the tab chain in reading
order, a ring that shows where focus is, and moving it from panel to panel.

- :func:`order_tabs` makes Tab run panel by panel in the order of the workflow (the window passes
  samples, adaptation, the domain's controls, the gallery, the inspector), each panel's controls
  in the order its layouts place them (:func:`reading_order`), so Tab never jumps to another
  panel and back, nor up the screen.
- :class:`FocusRing` draws a highlight frame over the focused list, picture or scroll area, where
  the style draws none.
- :class:`PanelFocus` holds the View > Go to Panel actions: F6 / Shift+F6 move focus to the next
  or previous visible panel, Ctrl+1..6 to one panel (showing its dock if it was closed).

:func:`focus_problems` is what the tests check the window with: the controls a keyboard user
could focus only with a click.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QDockWidget, QFormLayout,
    QGridLayout, QLabel, QLayout, QLineEdit, QMenu, QWidget,
)

from studio.core.samples import Domain
from studio.ui.i18n import translate

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow


# -- what takes focus, and the tab chain -------------------------------------------------------------


def is_control(widget: QWidget) -> bool:
    """A widget a person operates with the keyboard: takes focus, and is not a label's selectable
    text nor the inner editor of a spin box or combo box (its owner is the control)."""
    if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or isinstance(widget, (QLabel, QMenu)):
        return False
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, (QAbstractSpinBox, QComboBox)):
        return False  # the owner's editor: the owner is named and focused
    return parent is None or parent.focusProxy() is not widget


def tabbable(widget: QWidget) -> bool:
    """A control Tab stops at (not one that only a click focuses)."""
    return is_control(widget) and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def focus_chain(window: QWidget) -> list[QWidget]:
    """Every widget of ``window``'s focus chain, in order (the window itself left out)."""
    chain: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not None and widget is not window and len(chain) < 100_000:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def reading_order(widget: QWidget) -> list[QWidget]:
    """``widget``'s descendants in the order its layouts place them (form rows top to bottom,
    label before field; box layouts in their order; grids row by row), which is the order a
    person reads them in; children no layout holds (a scroll area's page) follow in creation
    order."""
    seen: list[QWidget] = []
    found: set[int] = set()

    def add(child: QWidget) -> None:
        if id(child) not in found:
            found.add(id(child))
            seen.append(child)
            visit(child)

    def visit_layout(layout: QLayout) -> None:
        if isinstance(layout, QFormLayout):
            items = [layout.itemAt(r, role) for r in range(layout.rowCount())
                     for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole,
                                  QFormLayout.ItemRole.SpanningRole)]
        elif isinstance(layout, QGridLayout):
            cells = [(cast(tuple[int, int, int, int], layout.getItemPosition(i))[:2], layout.itemAt(i))
                     for i in range(layout.count())]  # (row, column) first
            items = [item for _, item in sorted(cells, key=lambda cell: cell[0])]
        else:
            items = [layout.itemAt(i) for i in range(layout.count())]
        for item in items:
            if item is None:
                continue
            if (child := item.widget()) is not None:
                add(child)
            elif (inner := item.layout()) is not None:
                visit_layout(inner)

    def visit(parent: QWidget) -> None:
        layout = parent.layout()
        if layout is not None:
            visit_layout(layout)
        for child in parent.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            add(child)

    visit(widget)
    return seen


def order_tabs(window: QWidget, panels: Sequence[QWidget]) -> None:
    """Make Tab visit ``panels`` one after another, each panel's controls in reading order
    (:func:`reading_order`), then the rest of ``window`` (such as the docks' tab bar) as before."""
    chain = [w for w in focus_chain(window) if tabbable(w) and w.window() is window]  # not its dialogs
    ordered: list[QWidget] = []
    taken: set[int] = set()
    for panel in panels:
        for widget in [panel, *reading_order(panel)]:
            if tabbable(widget) and widget.window() is window and id(widget) not in taken:
                taken.add(id(widget))
                ordered.append(widget)
    ordered += [w for w in chain if id(w) not in taken]
    for first, second in zip(ordered, ordered[1:]):
        QWidget.setTabOrder(first, second)


def focus_problems(window: QWidget) -> list[str]:
    """What stops a keyboard user in ``window``: visible controls that take focus only by a click
    (outside the tab chain). Each entry names the control."""
    problems = []
    for widget in window.findChildren(QWidget):
        if is_control(widget) and widget.isVisibleTo(window) and widget.isEnabled() \
                and not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            problems.append(f"{type(widget).__name__} {widget.accessibleName() or widget.toolTip()[:40]!r} "
                            "takes focus only by a click")
    return problems


# -- focus you can see ------------------------------------------------------------------------------


class _Ring(QWidget):
    """A highlight frame drawn over its parent's edge; clicks go through it."""

    WIDTH = 2

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), self.WIDTH)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        half = self.WIDTH / 2
        painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))


class FocusRing(QObject):
    """Shows where the keyboard focus is on the views whose style draws no focus frame: the
    sample and gallery lists, the inspector's picture, scroll areas (a ring over the view's edge,
    which follows it as it resizes). Widgets that draw their own (the piano roll, the guide drop)
    and ordinary controls (buttons, spin boxes: the style marks them) are left alone."""

    def __init__(self, window: QWidget, self_drawn: tuple[type[QWidget], ...] = (),
                 on_window: Callable[[QWidget], None] | None = None) -> None:
        """``self_drawn``: widget classes that draw their own focus; ``on_window(top)`` is told the
        window (the main window or a dialog) each newly focused widget is in."""
        super().__init__(window)
        self._on_window = on_window
        self._window = window
        self._self_drawn = self_drawn
        self._ring: _Ring | None = None
        self._target: QWidget | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def wants_ring(self, widget: QWidget) -> bool:
        if isinstance(widget, self._self_drawn) or widget.window() is not self._window:
            return False
        custom = type(widget).__module__.startswith("studio.") and is_control(widget)
        return isinstance(widget, QAbstractScrollArea) or custom

    def target(self) -> QWidget | None:
        """The widget that shows the ring now (None: none does)."""
        return self._target if self._ring is not None and shiboken6.isValid(self._ring) \
            and self._ring.isVisible() else None

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and shiboken6.isValid(new) and self._on_window is not None:
            self._on_window(new.window())
        if self._target is not None and shiboken6.isValid(self._target):
            self._target.removeEventFilter(self)
        self._target = None
        ring = self._ring if self._ring is not None and shiboken6.isValid(self._ring) else None
        if new is None or not shiboken6.isValid(new) or not self.wants_ring(new):
            if ring is not None:
                ring.hide()
            return
        if ring is None or ring.parentWidget() is not new:
            if ring is not None:
                ring.deleteLater()
            ring = self._ring = _Ring(new)
        self._target = new
        new.installEventFilter(self)
        ring.setGeometry(new.rect())
        ring.raise_()
        ring.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._target and event.type() == QEvent.Type.Resize and self._ring is not None \
                and shiboken6.isValid(self._ring) and isinstance(watched, QWidget):
            self._ring.setGeometry(watched.rect())
            self._ring.raise_()
        return False


# -- moving between panels -----------------------------------------------------------------------------


@dataclass
class Panel:
    """One place focus can jump to: its name in the menu, its shortcut, the widget that holds it
    (a dock or the central widget) and the control that takes the focus."""

    text: str
    keys: str
    holders: Callable[[], list[QWidget]]  # the dock(s) or the central widget, the visible one first
    target: Callable[[QWidget], QWidget]  # the control to focus in a holder


def first_control(holder: QWidget) -> QWidget:
    """The first visible, enabled control of ``holder`` in the tab chain (``holder`` itself if none)."""
    chain = focus_chain(holder.window())
    for widget in chain:
        if (widget is holder or holder.isAncestorOf(widget)) and tabbable(widget) \
                and widget.isVisible() and widget.isEnabled():
            return widget
    return holder


class PanelFocus(QObject):
    """The View > Go to Panel menu: F6 and Shift+F6 cycle through the visible panels, each panel
    also has its own Ctrl+number."""

    def __init__(self, window: QWidget, panels: Sequence[Panel]) -> None:
        super().__init__(window)
        self._window = window
        self._panels = list(panels)
        self.menu = QMenu(translate("Accessibility", "&Go to Panel"), window)
        self.menu.setToolTipsVisible(True)
        self.next = self._action(translate("Accessibility", "&Next Panel"),
                                 translate("Accessibility", "Move the keyboard focus to the next panel"), "F6",
                                 partial(self.cycle, 1))
        self.previous = self._action(translate("Accessibility", "&Previous Panel"),
                                     translate("Accessibility", "Move the keyboard focus to the previous panel"),
                                     "Shift+F6", partial(self.cycle, -1))
        self.menu.addActions([self.next, self.previous])
        self.menu.addSeparator()
        self.goto: list[QAction] = []
        for index, panel in enumerate(self._panels):
            tip = translate("Accessibility", "Move the keyboard focus to this panel")
            action = self._action(panel.text, tip, panel.keys, partial(self.focus_panel, index))
            self.goto.append(action)
            self.menu.addAction(action)

    def _action(self, text: str, tip: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._window)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self._window.addAction(action)  # works while the menu bar is hidden too
        return action

    def actions(self) -> list[QAction]:
        return [self.next, self.previous, *self.goto]

    def _visible_holder(self, index: int) -> QWidget | None:
        return next((h for h in self._panels[index].holders() if h.isVisible()), None)

    def current(self) -> int | None:
        """The index of the panel that holds the focus, or None."""
        focus = self._window.focusWidget()
        for index, panel in enumerate(self._panels):
            if focus is not None and any(h is focus or h.isAncestorOf(focus) for h in panel.holders()):
                return index
        return None

    def focus_panel(self, index: int) -> QWidget:
        """Focus panel ``index``'s first control, showing and raising its dock if it was hidden."""
        holders = self._panels[index].holders()
        holder = self._visible_holder(index) or holders[0]
        if isinstance(holder, QDockWidget):
            holder.show()
            holder.raise_()
        target = self._panels[index].target(holder)
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return target

    def cycle(self, step: int) -> QWidget | None:
        """Focus the next (``step`` 1) or previous (-1) visible panel after the focused one."""
        count = len(self._panels)
        start = self.current()
        index = (start if start is not None else (-1 if step > 0 else 0))
        for _ in range(count):
            index = (index + step) % count
            if self._visible_holder(index) is not None:
                return self.focus_panel(index)
        return None


def panel_targets(holder: QWidget) -> QWidget:
    """The control a jump to ``holder`` focuses: its list view if it has one, else its first control."""
    views = [v for v in holder.findChildren(QAbstractItemView) if v.isVisible()]
    return views[0] if views else first_control(holder)


def build_panel_focus(w: MainWindow) -> PanelFocus:
    """The Go to Panel actions of the main window ``w`` (its docks and gallery exist by now), in
    the order of the workflow; Enter on a sample or a work moves focus to the inspector."""
    docks = w.docks()  # samples, adaptation, inspector, melody, painting, taste

    def controls() -> list[QWidget]:
        melody_first = w.session.project.domain is Domain.MELODY
        return [docks[3], docks[4]] if melody_first else [docks[4], docks[3]]

    focus = PanelFocus(w, [
        Panel(translate("Accessibility", "&Samples"), "Ctrl+1", lambda: [docks[0]], panel_targets),
        Panel(translate("Accessibility", "&Adaptation"), "Ctrl+2", lambda: [docks[1]], first_control),
        Panel(translate("Accessibility", "&Controls"), "Ctrl+3", controls, first_control),
        Panel(translate("Accessibility", "&Gallery"), "Ctrl+4", lambda: [w.gallery_panel], panel_targets),
        Panel(translate("Accessibility", "&Inspector"), "Ctrl+5", lambda: [docks[2]], first_control),
        Panel(translate("Accessibility", "&Taste"), "Ctrl+6", lambda: [docks[5]], first_control),
    ])
    for view in (w.sample_bin.view, w.gallery_panel.view):
        view.activated.connect(lambda _index: focus.focus_panel(4))
    return focus
