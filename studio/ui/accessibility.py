"""Screen-reader access for the window: an accessible name on every control, in the window's
language.

The window calls :func:`apply_to_window` once its panels, docks and menus are built. Every
control gets an accessible name where Qt's own would be empty or poor (Qt names a combo box by
its current item and a slider by its group box's title): the text of the label that is its buddy
or its form row's label (which becomes its buddy too: Linux screen readers name a combo box by
that relation), else the first phrase of its tooltip; two controls of one panel that would share
a name get their group's title in front. Names set here by hand (:func:`name`: the lists, the
picture and the piano roll after what they show, the gallery cards as title and state) go
through Qt's translation (context "Accessibility"); derived names come from strings the window
has already translated. The studio's dialogs are named the first time focus enters them
(:func:`name_dialog`). The tab chain, the focus ring and the Go to Panel keys are
:mod:`studio.ui.focus`.

:func:`unnamed_controls` is what the tests check the window with: the controls a screen reader
would announce without a name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton, QComboBox, QDialog, QDockWidget, QFormLayout, QGroupBox, QLabel, QLayout, QLineEdit,
    QScrollArea, QTabBar, QWidget,
)

from studio.core.works import Work, WorkStatus
from studio.ui.facts import work_title
from studio.ui.focus import FocusRing, is_control, order_tabs, tabbable
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


# -- dialogs and the main window ---------------------------------------------------------------------


def name_dialog(window: QWidget) -> None:
    """Name the controls of one of the studio's dialogs (:func:`name_controls`) the first time
    focus enters it: dialogs are built on demand, after the window's own pass."""
    if isinstance(window, QDialog) and type(window).__module__.startswith("studio.") \
            and not window.property(AUTO_NAME):
        name_controls(window)
        window.setProperty(AUTO_NAME, True)


def apply(window: QWidget, panels: Iterable[QWidget]) -> None:
    """Name the controls of ``window`` and order its tab chain by ``panels`` (see the module docstring)."""
    order_tabs(window, list(panels))
    name_controls(window)


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
        elif inner is not None and any(tabbable(c) for c in inner.findChildren(QWidget)):
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # it scrolls to the focused control itself
    ring = FocusRing(w, (PianoRollWidget, GuideDrop), on_window=name_dialog)
    play = w.menu_actions.play
    w.sample_bin.addAction(play)
    describe_inspector(w)
    for view in (w.sample_bin.view, w.gallery_panel.view):
        view.selectionModel().selectionChanged.connect(lambda *_: describe_inspector(w))
    w.session.gallery_model.dataChanged.connect(lambda *_: describe_inspector(w))
    apply(w, [w.sample_bin, w.adaptation_panel, w.melody_controls, w.painting_controls, w.gallery_panel,
              w.inspector, w.taste_panel])
    return ring
