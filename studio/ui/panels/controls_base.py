"""What the domains' controls panels (melody, painting) share: the widget makers, the button row
with its availability tooltips, the "new works" and "refine the selection" groups, the readers of
the count / closeness / variations controls, and the helpers that restore saved settings.

A domain panel subclasses :class:`ControlsPanel`, declares its own signals and ``tips`` (one per
button name), creates ``count``, ``closeness`` and ``variations`` with :func:`count_box`,
:func:`slider` and :func:`variations_box`, then calls :meth:`ControlsPanel._make_buttons` and
:meth:`ControlsPanel._stack_groups`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QAbstractSlider, QComboBox, QFormLayout, QGroupBox, QLayout, QPushButton, QSlider,
    QSpinBox, QVBoxLayout, QWidget,
)

from studio.ui.i18n import translate


def slider(low: int, high: int, value: int, tip: str) -> QSlider:
    """A horizontal slider over ``low..high`` at ``value`` with ``tip`` as its tooltip."""
    widget = QSlider(Qt.Orientation.Horizontal)
    widget.setRange(low, high)
    widget.setValue(value)
    widget.setToolTip(tip)
    return widget


def count_box(tip: str) -> QSpinBox:
    """How many works one Generate makes: 1 to 64, 12 by default."""
    box = QSpinBox()
    box.setRange(1, 64)
    box.setValue(12)
    box.setToolTip(tip)
    return box


def variations_box() -> QSpinBox:
    """How many variations one click makes: 1 to 16, 4 by default."""
    box = QSpinBox()
    box.setRange(1, 16)
    box.setValue(4)
    box.setSuffix(translate("ControlsPanel", " variations"))
    box.setToolTip(translate("ControlsPanel", "How many variations one click makes"))
    return box


def number_setting(values: Mapping[str, Any], name: str) -> int | None:
    """``values[name]`` as an int when it is a number (not a bool), else None."""
    value = values.get(name)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def restore_numbers(values: Mapping[str, Any],
                    widgets: Iterable[tuple[str, QAbstractSlider | QSpinBox]]) -> None:
    """Set each ``(name, widget)`` to ``values[name]`` where that is a number; skip the others."""
    for name, widget in widgets:
        if (value := number_setting(values, name)) is not None:
            widget.setValue(value)


def restore_combo(combo: QComboBox, data: object) -> None:
    """Select the combo's item whose data is ``data``; leave the selection when none is."""
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)


class ControlsPanel(QWidget):
    """The common part of a domain's controls panel (see the module docstring).

    Subclasses set ``tips`` (button name -> tooltip) and the ``count``, ``closeness`` and
    ``variations`` widgets; ``buttons[name]`` comes from :meth:`_make_buttons`.
    """

    tips: Mapping[str, str] = {}
    count: QSpinBox
    closeness: QSlider
    variations: QSpinBox
    buttons: dict[str, QPushButton]

    def _make_buttons(self, labels: Mapping[str, str], signals: Mapping[str, SignalInstance]) -> None:
        """One button per ``labels`` entry emitting ``signals[name]``; "generate" is the default."""
        self.buttons = {name: QPushButton(text) for name, text in labels.items()}
        self.buttons["generate"].setDefault(True)
        for name, button in self.buttons.items():
            button.clicked.connect(signals[name].emit)

    def _stack_groups(self, title: str, form: QFormLayout, closeness_row: QLayout,
                      refine_rows: Sequence[QWidget | QLayout]) -> None:
        """Lay the panel out: the ``title`` group (``form`` and Generate) above the refine group
        (Closeness with ``closeness_row``, then ``refine_rows`` and More Like These)."""
        make = QGroupBox(title)
        make_layout = QVBoxLayout(make)
        make_layout.addLayout(form)
        make_layout.addWidget(self.buttons["generate"])
        refine = QGroupBox(self.tr("Refine the selection"))
        refine_form = QFormLayout()
        refine_form.addRow(self.tr("Closeness"), closeness_row)
        grid = QVBoxLayout(refine)
        grid.addLayout(refine_form)
        for item in refine_rows:
            if isinstance(item, QLayout):
                grid.addLayout(item)
            else:
                grid.addWidget(item)
        grid.addWidget(self.buttons["more"])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(make)
        layout.addWidget(refine)
        layout.addStretch(1)

    # -- reading the controls ------------------------------------------------------------------------

    def generate_count(self) -> int:
        return self.count.value()

    def closeness_value(self) -> float:
        return self.closeness.value() / 100.0

    def variation_count(self) -> int:
        return self.variations.value()

    # -- state from the controller -------------------------------------------------------------------

    def set_availability(self, reasons: dict[str, str | None]) -> None:
        """Enable each named button whose reason is None; the others show their reason."""
        for name, reason in reasons.items():
            button = self.buttons[name]
            button.setEnabled(reason is None)
            tip = translate("ControlsPanel", self.tips[name])  # the panels mark their tips QT_TRANSLATE_NOOP
            button.setToolTip(tip if reason is None else self.tr("{tip}. {reason}.").format(tip=tip, reason=reason))
