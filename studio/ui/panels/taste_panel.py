"""The Taste panel: what the studio has learnt of the person's taste, the "Let the studio choose"
switch, the gallery's order and Reset.

The panel shows a :class:`TasteView` (plain values the
:class:`~studio.ui.taste_controller.TasteController` computes off the UI thread) and announces
what the person asks for: ``sig_choose_toggled(bool)`` (the switch, turned by hand),
``sig_sort_changed(bool)`` (True: the gallery best first by taste) and ``sig_reset_requested``.
It never changes the project itself: the controller turns each request into an undoable command.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.core.samples import Domain
from studio.ui.i18n import domain_plural


@dataclass(frozen=True)
class TasteView:
    """What the panel shows: the counts of the feedback that counts, what was learnt in words
    (already in the window's language), and the switch's effective state."""

    liked: int = 0
    rejected: int = 0
    samples: int = 0
    words: tuple[str, ...] = ()
    choosing: bool = False  # the switch's effective value
    automatic: bool = True  # the person has not turned it by hand
    domain: Domain | None = None
    busy: bool = False  # a summary is being computed
    problem: str = ""  # why the taste could not be learnt (shown instead of the words)


class TastePanel(QWidget):
    """See the module docstring."""

    sig_choose_toggled = Signal(bool)
    sig_sort_changed = Signal(bool)
    sig_reset_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.choose = QCheckBox(self.tr("Let the studio choose"))
        self.choose.setToolTip(self.tr(
            "Let the studio choose: Generate drafts three times as many works and shows those most likely to "
            "your taste, with a few it is unsure of to learn from (Ctrl+Shift+T). Automatic: on once you keep or "
            "reject works."))
        self.choose.toggled.connect(self.sig_choose_toggled.emit)
        self.mode = QLabel()
        self.mode.setWordWrap(True)
        self.order = QComboBox()
        self.order.addItem(self.tr("As made"), False)
        self.order.addItem(self.tr("By taste, best first"), True)
        self.order.setToolTip(self.tr("Gallery order: as the works were made, or by taste with the works most likely "
                                      "to your taste first (Ctrl+Shift+O); the order they were made in is kept"))
        self.order.currentIndexChanged.connect(lambda _i: self.sig_sort_changed.emit(bool(self.order.currentData())))
        self.reset = QPushButton(self.tr("Reset Taste"))
        self.reset.setToolTip(self.tr("Reset taste: forget what the keeps and rejects so far taught the studio; "
                                      "the works keep their marks (undoable)"))
        self.reset.clicked.connect(self.sig_reset_requested.emit)
        order_label = QLabel(self.tr("Gallery &order"))
        order_label.setBuddy(self.order)
        order_row = QHBoxLayout()
        order_row.addWidget(order_label)
        order_row.addWidget(self.order, 1)
        reset_row = QHBoxLayout()
        reset_row.addStretch(1)
        reset_row.addWidget(self.reset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.counts)
        layout.addWidget(self.choose)
        layout.addWidget(self.mode)
        layout.addLayout(order_row)
        layout.addLayout(reset_row)
        layout.addStretch(1)
        self.setMinimumSize(200, 160)
        self._view = TasteView()
        self.show_view(self._view)

    def view(self) -> TasteView:
        return self._view

    def show_view(self, view: TasteView) -> None:
        """Show ``view`` (the switch follows it without announcing a toggle)."""
        self._view = view
        works = domain_plural(view.domain) if view.domain is not None else self.tr("works")
        if view.problem:
            text = html.escape(view.problem)
        elif view.liked + view.rejected == 0:
            text = self.tr("Nothing learnt yet. Keep (K) or reject (R) {works} in the gallery: from the next gallery "
                           "on, the studio learns what you like from them.").format(works=works)
        elif view.words:
            text = "<br>".join(html.escape(w) for w in view.words)
        else:
            text = self.tr("Learning from your marks\u2026") if view.busy else ""
        self.summary.setText(text)
        self.counts.setText(self.tr("From {kept} kept and {rejected} rejected {works}; your {samples} samples "
                                    "count a little.").format(kept=view.liked, rejected=view.rejected, works=works,
                                                              samples=view.samples))
        with QSignalBlocker(self.choose):
            self.choose.setChecked(view.choosing)
        if view.automatic:
            mode = self.tr("Automatic: on once you keep or reject works.")
        elif view.choosing:
            mode = self.tr("Turned on by you.")
        else:
            mode = self.tr("Turned off by you: galleries are made as before.")
        self.mode.setText(mode)
        self.reset.setEnabled(view.liked + view.rejected > 0)

    def set_sorted(self, by_taste: bool) -> None:
        """Show the gallery order (without announcing a change)."""
        with QSignalBlocker(self.order):
            self.order.setCurrentIndex(1 if by_taste else 0)

    def is_sorted(self) -> bool:
        return bool(self.order.currentData())


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    panel = TastePanel()
    panel.show_view(TasteView(3, 2, 4, ("You keep higher, busier melodies than you reject.",), True, True,
                              Domain.MELODY))
    panel.resize(320, 260)
    panel.show()
    sys.exit(app.exec())
