"""Keyboard and screen-reader access for the main window: accessible names, the tab chain, and
moving focus from panel to panel.

The window calls :func:`apply` once its panels, docks and menus are built:

- every focusable control gets an accessible name where Qt's own would be empty or poor (Qt
  names a combo box by its current item and a slider by its group box's title): the text of the
  label that is its buddy or its form row's label, else the first phrase of its tooltip. Names
  set here by hand (:func:`name`) go through Qt's translation (context "Accessibility");
  derived names come from strings the window has already translated.
- the tab chain runs panel by panel in the order of the workflow (:data:`PANEL_ORDER`: samples,
  adaptation, the domain's controls, the gallery, the inspector), each panel's controls in their
  own order, so Tab never jumps from a list to another panel and back for its buttons.
- :class:`PanelFocus` holds the View > Go to Panel actions: F6 / Shift+F6 move focus to the next
  or previous visible panel, Ctrl+1..5 to one panel (showing its dock if it was closed).

:func:`focus_problems` and :func:`unnamed_controls` are what the tests check the window with;
they find the controls a keyboard or a screen reader user could not reach or not tell apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Slot
from PySide6.QtGui import QAccessible, QAction, QKeySequence, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QDialog,
    QDockWidget, QFormLayout, QGridLayout, QGroupBox, QLabel, QLayout, QLineEdit, QMenu, QScrollArea, QTabBar, QWidget,
)

from studio.core.samples import Domain
from studio.core.works import Work, WorkStatus
from studio.ui.facts import work_title
from studio.ui.i18n import translate
from studio.ui.widgets.guide_drop import GuideDrop
from studio.ui.widgets.piano_roll import PianoRollWidget

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow

AUTO_NAME = "studio_auto_accessible_name"  # marks a name this module derived (re-derived on apply)
_PHRASE_END = re.compile(r"[:;(\u2014]|\.\s|,\s")


# -- names -------------------------------------------------------------------------------------------


def status_name(status: WorkStatus) -> str:
    """A work's keep / reject state in words, translated."""
    return {WorkStatus.NEW: translate("Accessibility", "new"),
            WorkStatus.KEPT: translate("Accessibility", "kept"),
            WorkStatus.REJECTED: translate("Accessibility", "rejected")}[status]


def card_name(title: str, work: Work) -> str:
    """What a screen reader says for a gallery card: the work's title and its state."""
    return translate("Accessibility", "{title}, {state}").format(title=title, state=status_name(work.status))


def short_phrase(text: str) -> str:
    """The first phrase of a tooltip or label, without markup or mnemonics: a usable name
    ("Adventurousness: left is safer..." -> "Adventurousness")."""
    plain = re.sub(r"<[^>]+>", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&").strip()
    match = _PHRASE_END.search(plain)
    phrase = plain[:match.start()] if match else plain
    return phrase.strip(" .") or plain


def qt_name(widget: QWidget) -> str:
    """The name Qt gives ``widget`` to screen readers (its accessible name, or what Qt derives)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def form_labels(root: QWidget) -> dict[QWidget, QLabel]:
    """Control -> the label of its form row, for every form under ``root``: the row's field, or the
    first control of a field that is a row of controls."""
    labels: dict[QWidget, QLabel] = {}
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label = label_item.widget() if label_item is not None else None
            if not isinstance(label, QLabel) or field is None or not label.text():
                continue
            inner = field.layout()
            control = field.widget() if inner is None else _first_control(inner)
            if control is not None:
                labels[control] = label
    for label in root.findChildren(QLabel):  # explicit buddies win
        buddy = label.buddy()
        if buddy is not None and label.text():
            labels[buddy] = label
    return labels


def _first_control(layout: QLayout) -> QWidget | None:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is None:
            continue
        child = item.widget()
        if child is not None and child.focusPolicy() != Qt.FocusPolicy.NoFocus and not isinstance(child, QLabel):
            return child
        inner = item.layout()
        if inner is not None and (found := _first_control(inner)) is not None:
            return found
    return None


def derived_name(widget: QWidget, label: QLabel | None = None) -> str:
    """A name for ``widget`` from ``label`` (its buddy or form-row label), its tooltip, its
    placeholder or its text; "" when it has none of them."""
    if label is not None:
        return short_phrase(label.text())
    if widget.toolTip():
        return short_phrase(widget.toolTip())
    if isinstance(widget, QLineEdit) and widget.placeholderText():
        return short_phrase(widget.placeholderText())
    if isinstance(widget, QAbstractButton) and widget.text():
        return short_phrase(widget.text())
    return ""


def _needs_own_name(widget: QWidget) -> bool:
    """Whether Qt's derived name would be empty or poor for ``widget`` (a combo box's would be
    its current item, a slider's its group box's title)."""
    if isinstance(widget, QAbstractButton):
        return not widget.text().strip()  # icon-only
    if isinstance(widget, QTabBar):
        return False  # its tabs carry the names
    return True


def is_control(widget: QWidget) -> bool:
    """A widget a person operates with the keyboard: takes focus, and is not a label's selectable
    text nor the inner editor of a spin box or combo box (its owner is the control)."""
    if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or isinstance(widget, (QLabel, QMenu)):
        return False
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, (QAbstractSpinBox, QComboBox)):
        return False  # the owner's editor: the owner is named and focused
    return parent is None or parent.focusProxy() is not widget


def name_controls(root: QWidget) -> None:
    """Give every control under ``root`` that lacks one a derived accessible name (see the
    module docstring); names derived earlier are derived again (the tooltips may have changed)."""
    labels = form_labels(root)
    for widget in root.findChildren(QWidget):
        if not is_control(widget) or not _needs_own_name(widget):
            continue
        if widget.accessibleName() and not widget.property(AUTO_NAME):
            continue  # named by hand
        label = labels.get(widget)
        if label is not None and label.buddy() is None:
            label.setBuddy(widget)  # a "labelled by" relation: how Linux screen readers name a combo box
        text = derived_name(widget, label)
        if text:
            widget.setAccessibleName(text)
            widget.setProperty(AUTO_NAME, True)
    _tell_apart(root)


def _group_title(widget: QWidget) -> str:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QGroupBox):
        parent = parent.parentWidget()
    return short_phrase(parent.title()) if parent is not None else ""


def _panel_of(widget: QWidget) -> QWidget | None:
    """The dock ``widget`` sits in (None: the central widget or no dock)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    return parent


def _tell_apart(root: QWidget) -> None:
    """Derived names that two controls of one panel share ("Closeness" for the variations and for
    the guide) get their group box's title in front: "Guide: Closeness"."""
    named = [w for w in root.findChildren(QWidget) if w.property(AUTO_NAME) and w.accessibleName()]
    counts = Counter((_panel_of(w), w.accessibleName()) for w in named)  # the melody and painting panels
    for widget in named:  # never show together
        group = _group_title(widget)
        if counts[(_panel_of(widget), widget.accessibleName())] > 1 and group:
            widget.setAccessibleName(translate("Accessibility", "{group}: {name}").format(
                group=group, name=widget.accessibleName()))


def name(widget: QWidget, text: str, description: str = "") -> None:
    """Name ``widget`` by hand (``text`` already translated); it stays through :func:`name_controls`."""
    widget.setAccessibleName(text)
    widget.setProperty(AUTO_NAME, False)
    if description:
        widget.setAccessibleDescription(description)


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader announces for ``widget``: its accessible name, else Qt's derived
    one (a combo box's is its current item on Linux, which is its value, not a name: "")."""
    if widget.accessibleName():
        return widget.accessibleName()
    return "" if isinstance(widget, QComboBox) else qt_name(widget).strip()


def unnamed_controls(root: QWidget) -> list[QWidget]:
    """The visible controls under ``root`` a screen reader would announce without a name."""
    return [w for w in root.findChildren(QWidget) if is_control(w) and w.isVisibleTo(root) and not spoken_name(w)]


# -- the tab chain -------------------------------------------------------------------------------------


def _tabbable(widget: QWidget) -> bool:
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
    chain = [w for w in focus_chain(window) if _tabbable(w) and w.window() is window]  # not its dialogs
    ordered: list[QWidget] = []
    taken: set[int] = set()
    for panel in panels:
        for widget in [panel, *reading_order(panel)]:
            if _tabbable(widget) and widget.window() is window and id(widget) not in taken:
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
            problems.append(f"{type(widget).__name__} {spoken_name(widget)!r} takes focus only by a click")
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


def name_dialog(window: QWidget) -> None:
    """Name the controls of one of the studio's dialogs (:func:`name_controls`) the first time
    focus enters it: dialogs are built on demand, after the window's own pass."""
    if isinstance(window, QDialog) and type(window).__module__.startswith("studio.") \
            and not window.property(AUTO_NAME):
        name_controls(window)
        window.setProperty(AUTO_NAME, True)


class FocusRing(QObject):
    """Shows where the keyboard focus is on the views whose style draws no focus frame: the
    sample and gallery lists, the inspector's picture, scroll areas (a ring over the view's edge,
    which follows it as it resizes). Widgets that draw their own (the piano roll, the guide drop)
    and ordinary controls (buttons, spin boxes: the style marks them) are left alone. It also
    names a studio dialog's controls when focus first enters it (:func:`name_dialog`)."""

    def __init__(self, window: QWidget, self_drawn: tuple[type[QWidget], ...] = ()) -> None:
        super().__init__(window)
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
        if new is not None and shiboken6.isValid(new):
            name_dialog(new.window())
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
        if (widget is holder or holder.isAncestorOf(widget)) and _tabbable(widget) \
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


def apply(window: QWidget, panels: Iterable[QWidget]) -> None:
    """Name the controls of ``window`` and order its tab chain by ``panels`` (see the module docstring)."""
    order_tabs(window, list(panels))
    name_controls(window)



# -- the main window -----------------------------------------------------------------------------------


def build_panel_focus(w: MainWindow) -> PanelFocus:
    """The Go to Panel actions of the main window ``w`` (its docks and gallery exist by now), in
    the order of the workflow; Enter on a sample or a work moves focus to the inspector."""
    docks = w.docks()  # samples, adaptation, inspector, melody, painting

    def controls() -> list[QWidget]:
        melody_first = w.session.project.domain is Domain.MELODY
        return [docks[3], docks[4]] if melody_first else [docks[4], docks[3]]

    focus = PanelFocus(w, [
        Panel(translate("Accessibility", "&Samples"), "Ctrl+1", lambda: [docks[0]], panel_targets),
        Panel(translate("Accessibility", "&Adaptation"), "Ctrl+2", lambda: [docks[1]], first_control),
        Panel(translate("Accessibility", "&Controls"), "Ctrl+3", controls, first_control),
        Panel(translate("Accessibility", "&Gallery"), "Ctrl+4", lambda: [w.gallery_panel], panel_targets),
        Panel(translate("Accessibility", "&Inspector"), "Ctrl+5", lambda: [docks[2]], first_control),
    ])
    for view in (w.sample_bin.view, w.gallery_panel.view):
        view.activated.connect(lambda _index: focus.focus_panel(4))
    return focus


def describe_inspector(w: MainWindow) -> None:
    """Name the inspector's picture and piano roll after what they show."""
    inspector = w.inspector
    work, sample = inspector.current_work(), inspector.current_sample()
    title = work_title(work) if work is not None else sample.name if sample is not None else ""
    if title:
        name(inspector.preview, translate("Accessibility", "Picture: {title}").format(title=title))
        name(inspector.piano_roll, translate("Accessibility", "Piano roll: {title}").format(title=title))
    else:
        name(inspector.preview, translate("Accessibility", "Picture"))
        name(inspector.piano_roll, translate("Accessibility", "Piano roll"))


def apply_to_window(w: MainWindow) -> FocusRing:
    """Everything of this module for the built main window ``w``: names, the tab chain, scroll
    areas that only wrap controls out of the chain, Space plays in the sample bin too, and the
    focus ring (returned)."""
    name(w.gallery_panel.view, translate("Accessibility", "Gallery"),
         translate("Accessibility", "Generated works. Arrow keys move, K keeps, R rejects, Space plays a "
                   "melody, Enter opens the work in the inspector."))
    name(w.sample_bin.view, translate("Accessibility", "Samples"),
         translate("Accessibility", "Your samples. Arrow keys move, Ctrl+Up and Ctrl+Down reorder, Delete "
                   "removes, Space plays a melody, Enter opens the sample in the inspector."))
    for area in w.findChildren(QScrollArea):
        inner = area.widget()
        if inner is w.inspector.facts:
            name(area, translate("Accessibility", "Facts"))
        elif inner is not None and any(_tabbable(c) for c in inner.findChildren(QWidget)):
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # it scrolls to the focused control itself
    ring = FocusRing(w, (PianoRollWidget, GuideDrop))
    play = w.menu_actions.play
    w.sample_bin.addAction(play)
    describe_inspector(w)
    for view in (w.sample_bin.view, w.gallery_panel.view):
        view.selectionModel().selectionChanged.connect(lambda *_: describe_inspector(w))
    w.session.gallery_model.dataChanged.connect(lambda *_: describe_inspector(w))
    apply(w, [w.sample_bin, w.adaptation_panel, w.melody_controls, w.painting_controls, w.gallery_panel,
              w.inspector])
    return ring
