"""The Melody panel's chord lane: a progression typed as text (``C | G | Am F | F``), checked as
it is typed, or taken from a file.

:class:`ChordLane` holds a line edit, a message line under it, "From File..." / "Clear"
buttons and the "Play chords" toggle of the preview synth. Every keystroke re-reads the text
with :func:`~studio.core.chord_text.parse_chords` on the bar length the panel gives (:meth:`ChordLane.set_bar_ticks`); a bad symbol is
underlined in red in the text and the :class:`~studio.errors.ChordTextError` message, which
names it, shows under the line. A finished edit (Enter, leaving the field, a file, Clear)
emits ``sig_committed(old, new)`` once, so the window can put it on the undo stack;
:meth:`ChordLane.set_text` (undo, redo, opening a project) changes the text without it.

:func:`chords_from_file` reads the chords of a MIDI file (a chord track or block chords), a
lead sheet (MusicXML or ABC chord symbols), or a text file holding chord text, as
``generate --chords-file`` does, and gives them back as chord text.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QColor, QInputMethodEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCheckBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from studio.core.chord_text import format_chords, parse_chords
from studio.core.chords import ChordSpan
from studio.core.melody import TICKS_PER_QUARTER
from studio.errors import ChordTextError, StudioError

_ERROR_COLOUR = QColor("#c0392b")
_HINT_COLOUR = QColor("#5f6b7a")


def bar_ticks_of(meter: tuple[int, int]) -> int:
    """Ticks in one bar of ``meter`` (4/4: 96)."""
    num, den = meter
    return max(1, num * TICKS_PER_QUARTER * 4 // den)


def chords_from_file(path: str | os.PathLike, bar_ticks: int) -> str:
    """The chord progression of the file at ``path`` as chord text, bars of ``bar_ticks``.

    The file is read as ``generate --chords-file`` reads it
    (:func:`~studio.io.chord_files.read_chords_file`: a MIDI file's chord track or block chords,
    a MusicXML lead sheet's chord symbols, or chord text, which is checked and kept as written);
    an ABC lead sheet's chord symbols are read as the sample import reads the tune. Chords start
    on bar 1 (a pickup's chord is left out) and keep the file's own bars.
    Raises StudioError (naming the file) when it cannot be read or holds no chords.
    """
    from studio.io.chord_files import read_chords_file

    p = Path(path)
    if p.suffix.lower() == ".abc":
        return _lead_sheet_chords(p)
    found = read_chords_file(str(p), bar_ticks)
    if not any(span.chord is not None for span in found.chords):
        raise StudioError("holds no chords", str(p))
    if found.kind == "text":
        return " ".join(p.read_text(encoding="utf-8-sig").split())  # as written ("%" stays "%")
    return format_chords(found.chords, bar_ticks_of(found.time_signature) if found.time_signature else bar_ticks)


def _lead_sheet_chords(path: Path) -> str:
    """An ABC tune's chord symbols (through the sample import's reader) as chord text."""
    from studio.io.samples import load_sample, read_file_bytes

    melody = load_sample(path, read_file_bytes(path)).melody
    spans = _from_bar_one(melody.chords, melody.pickup) if melody is not None else ()
    if not any(span.chord is not None for span in spans):
        raise StudioError("holds no chord symbols to follow", str(path))
    assert melody is not None
    return format_chords(spans, melody.bar_ticks)


def _from_bar_one(spans: tuple[ChordSpan, ...], pickup: int) -> tuple[ChordSpan, ...]:
    """``spans`` moved so that the first full bar starts at tick 0 (a pickup's chord dropped)."""
    if not pickup:
        return spans
    moved = []
    for span in spans:
        if span.end <= pickup:
            continue
        start = max(span.start, pickup)
        moved.append(ChordSpan(span.chord, start - pickup, span.end - start))
    return tuple(moved)


def _ask_path(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getOpenFileName(
        parent, QCoreApplication.translate("ChordLane", "Chords from a file"), "",
        QCoreApplication.translate("ChordLane", "Chords (*.mid *.midi *.musicxml *.mxl *.xml *.abc *.txt *.chords)")
        + ";;" + QCoreApplication.translate("ChordLane", "All files (*)"))
    return path or None


class ChordLane(QWidget):
    """See the module docstring. ``edit`` is the line edit, ``message`` the line under it."""

    sig_committed = Signal(str, str)  # old text, new text
    sig_error_changed = Signal()  # the text became valid, invalid, or its mistake changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bar_ticks = bar_ticks_of((4, 4))
        self._melody_bars = 0  # the length of the melodies to come (0: not said)
        self._committed = ""
        self._spans: tuple[ChordSpan, ...] = ()
        self._error: ChordTextError | None = None
        self.ask_path: Callable[[QWidget], str | None] = _ask_path  # tests script it
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("e.g. C | G | Am F | F"))
        self.edit.setClearButtonEnabled(False)
        self.edit.setAccessibleName(self.tr("Chord progression"))
        self.edit.setToolTip(self.tr(
            "Chords for the next melodies: bars separated by |, chords in a bar split it evenly.\n"
            "Roots A-G with # or b; qualities m 7 maj7 m7 dim dim7 aug sus2 sus4 6 m6 9 m7b5;\n"
            "slash bass C/E; N for no chord; % repeats the bar before. Empty: the studio chooses."))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.from_file = QPushButton(self.tr("From File\u2026"))
        self.from_file.setToolTip(self.tr("Take the chords from a MIDI file (a chord track or block chords), "
                                          "a lead sheet (MusicXML or ABC chord symbols) or a text file"))
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("No chords: the studio chooses the harmony"))
        self.play_chords = QCheckBox(self.tr("Play chords"))
        self.play_chords.setChecked(True)
        self.play_chords.setToolTip(self.tr("Play a melody's chords softly under it when you play it"))
        self.edit.textChanged.connect(self._check)
        self.edit.editingFinished.connect(self.commit)
        self.from_file.clicked.connect(self.choose_file)
        self.clear_button.clicked.connect(self.clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.from_file)
        buttons.addWidget(self.clear_button)
        layout.addLayout(buttons)
        layout.addWidget(self.play_chords)  # its own line: the Melody dock is narrow
        self._check()

    # -- reading -----------------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.text()

    def spans(self) -> tuple[ChordSpan, ...]:
        """The progression typed, on the current bar length; () when empty or invalid."""
        return self._spans

    def error(self) -> ChordTextError | None:
        """Why the text cannot be read (None when it can, or is empty)."""
        return self._error

    def error_range(self) -> tuple[int, int] | None:
        """(start, length) of the underlined symbol in the text, None without one."""
        error = self._error
        if error is None or error.position is None:
            return None
        text = self.text()
        start = min(max(0, error.position), len(text))
        length = len(error.symbol) if error.symbol else 1
        return start, max(1, min(length, len(text) - start)) if start < len(text) else 0

    def bar_ticks(self) -> int:
        return self._bar_ticks

    # -- changing ----------------------------------------------------------------------------------

    def set_bar_ticks(self, ticks: int) -> None:
        """Read the progression with bars of ``ticks`` (the meter the melodies will have)."""
        if ticks > 0 and ticks != self._bar_ticks:
            self._bar_ticks = ticks
            self._check()

    def set_melody_bars(self, bars: int) -> None:
        """Say in the message how a progression of another length fits melodies of ``bars`` bars."""
        if bars != self._melody_bars:
            self._melody_bars = bars
            self._check()

    def set_text(self, text: str) -> None:
        """Show ``text`` as the committed progression (undo / redo / open): no ``sig_committed``."""
        self._committed = text
        if text != self.edit.text():
            self.edit.setText(text)

    @Slot()
    def commit(self) -> None:
        """Emit ``sig_committed(old, new)`` when the text differs from the last committed one."""
        new = self.edit.text()
        if new != self._committed:
            old, self._committed = self._committed, new
            self.sig_committed.emit(old, new)

    @Slot()
    def clear(self) -> None:
        self.edit.clear()
        self.commit()

    @Slot()
    def choose_file(self) -> bool:
        """Ask for a file and take its chords; False (the reason shown) when it has none."""
        path = self.ask_path(self)
        if not path:
            return False
        return self.load_file(path)

    def load_file(self, path: str | os.PathLike) -> bool:
        """Take the chords of ``path`` (see :func:`chords_from_file`); on failure the text stays
        and the message names the file and the reason."""
        try:
            text = chords_from_file(path, self._bar_ticks)
        except StudioError as exc:
            self._show(str(exc), error=True)
            return False
        self.edit.setText(text)
        self.commit()
        return True

    # -- checking ----------------------------------------------------------------------------------

    @Slot()
    def _check(self) -> None:
        before = None if self._error is None else str(self._error)
        text = self.edit.text()
        try:
            self._spans, self._error = parse_chords(text, self._bar_ticks), None
        except ChordTextError as exc:
            self._spans, self._error = (), exc
        self._underline()
        if self._error is not None:
            self._show(str(self._error), error=True)
        elif not self._spans:
            self._show(self.tr("No chords: the studio chooses the harmony"), error=False)
        else:
            bars = -(-self._spans[-1].end // self._bar_ticks)
            text = self.tr("Chords for 1 bar") if bars == 1 else self.tr("Chords for {bars} bars").format(bars=bars)
            if 0 < bars < self._melody_bars:  # the generator repeats a short progression, cuts a long one
                text += self.tr(", repeated over {n}").format(n=self._melody_bars)
            elif bars > self._melody_bars > 0:
                text += self.tr("; melodies of {n} bars use the first {n}").format(n=self._melody_bars)
            self._show(text, error=False)
        if before != (None if self._error is None else str(self._error)):
            self.sig_error_changed.emit()

    def _show(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.edit.setAccessibleDescription(text)  # a screen reader says what is wrong, or how long it is
        colour = _ERROR_COLOUR if error else _HINT_COLOUR
        self.message.setStyleSheet(f"color: {colour.name()};")
        self.message.setProperty("error", error)
        self.edit.setStyleSheet(f"QLineEdit {{ border: 1px solid {_ERROR_COLOUR.name()}; }}" if error else "")

    def _underline(self) -> None:
        """Underline the bad symbol in red (a text format on the line edit's layout)."""
        attributes = []
        span = self.error_range()
        if span is not None and span[1] > 0:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(_ERROR_COLOUR)
            fmt.setForeground(_ERROR_COLOUR)
            fmt.setFontWeight(700)
            attributes.append(QInputMethodEvent.Attribute(
                QInputMethodEvent.AttributeType.TextFormat, span[0] - self.edit.cursorPosition(), span[1], fmt))
        QCoreApplication.sendEvent(self.edit, QInputMethodEvent("", attributes))
