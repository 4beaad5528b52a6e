"""The full piano roll of the inspector: notes, bars, pitch labels, a playhead and bar selection.

Bars are numbered from 0 over the melody's full bars, as the melody generator numbers them
for "Regenerate bars": a pickup (anacrusis) belongs to bar 0, so bar 0 runs from the start to
the end of the first full bar (the ruler shows it as bar 1). Clicking a bar selects it,
dragging selects a run of bars, Shift-click extends the run and Ctrl-click toggles one bar;
Escape or a click on the pitch labels clears the selection. From the keyboard (Tab reaches the
roll), Left / Right / Home / End choose a bar and Shift with them extends the run. Each change emits
``sig_bars_selected`` with the sorted 0-based bar numbers (for "Regenerate chosen bars").

A melody that carries chords (``Melody.chords``) gets a chord lane under the ruler: each chord's
symbol at its start, its span shaded in alternating tints over the notes, and the rows of its
chord tones hinted faintly, so a note off the chord stands out.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor, QFocusEvent, QFont, QFontMetricsF, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.core.chords import ChordSpan
from studio.core.melody import TICKS_PER_QUARTER, Melody
from studio.ui.facts import pitch_name

KEYS_WIDTH = 34  # the pitch-label gutter
RULER_HEIGHT = 18  # the bar-number ruler
CHORD_LANE_HEIGHT = 18  # the chord symbols under the ruler (only when the melody carries chords)
MIN_ROWS = 13  # at least an octave and one
_BLACK_KEYS = frozenset({1, 3, 6, 8, 10})
_BG = QColor("#f6f4ef")
_BLACK_ROW = QColor("#ebe7de")
_GRID = QColor("#ddd8cc")
_BAR_LINE = QColor("#a9a295")
_NOTE = QColor("#345696")
_NOTE_SELECTED = QColor("#d35400")
_SELECTION = QColor(243, 156, 18, 55)
_PLAYHEAD = QColor("#c0392b")
_CHORD_LANE = QColor("#e6eef7")
_CHORD_SPANS = (QColor(70, 120, 190, 22), QColor(70, 120, 190, 8))  # alternating span shades
_CHORD_TONE = QColor(60, 150, 90, 34)  # the rows of the sounding chord's tones
_CHORD_TEXT = QColor("#24466f")


def bar_starts(melody: Melody) -> list[int]:
    """The start tick of every selectable bar and, last, the end of the last bar (a pickup is
    part of bar 0)."""
    bar, pickup = melody.bar_ticks, melody.pickup
    count = max(1, melody.bars - (1 if pickup else 0))
    return [0] + [pickup + i * bar for i in range(1, count + 1)]


class PianoRollWidget(QWidget):
    """Shows one melody (:meth:`set_melody`); see the module docstring for the mouse."""

    sig_bars_selected = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._melody: Melody | None = None
        self._bars: list[int] = [0]
        self._low, self._high = 60, 72
        self._selected: set[int] = set()
        self._anchor: int | None = None
        self._before_drag: set[int] = set()
        self._playhead: float | None = None
        self._selectable = True
        self._cursor: int | None = None  # the bar the arrow keys move from
        self.painted_chords: list[tuple[str, QRectF]] = []  # the last paint's chord symbols and boxes
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 100)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it: the arrow keys choose bars
        self.setAccessibleName(self.tr("Piano roll"))
        self._update_tooltip()

    # -- content -----------------------------------------------------------------------------------

    def melody(self) -> Melody | None:
        return self._melody

    def set_melody(self, melody: Melody | None, selectable: bool = True) -> None:
        """Show ``melody`` (None: empty); clears the bar selection and the playhead."""
        self._melody = melody
        self._selectable = selectable
        self.painted_chords = []
        self._selected.clear()
        self._anchor = None
        self._playhead = None
        if melody is not None and melody.notes:
            self._bars = bar_starts(melody)
            low, high = melody.pitch_range
            low, high = low - 2, high + 2
            if high - low + 1 < MIN_ROWS:
                grow = MIN_ROWS - (high - low + 1)
                low, high = low - grow // 2, high + grow - grow // 2
            self._low, self._high = max(0, low), min(127, high)
        else:
            self._bars = [0]
        self._update_tooltip()
        self.update()

    def bar_count(self) -> int:
        return len(self._bars) - 1

    def chords(self) -> tuple[ChordSpan, ...]:
        """The chords shown (the melody's, empty without a melody)."""
        return self._melody.chords if self._melody is not None else ()

    def notes_top(self) -> float:
        """The top of the note area: under the ruler, and under the chord lane when there is one."""
        return float(RULER_HEIGHT + (CHORD_LANE_HEIGHT if self.chords() else 0))

    def set_playhead(self, tick: float | None) -> None:
        """Draw the playhead at ``tick`` (None hides it)."""
        if tick != self._playhead:
            self._playhead = tick
            self.update()

    def playhead(self) -> float | None:
        return self._playhead

    def selected_bars(self) -> list[int]:
        return sorted(self._selected)

    def set_selected_bars(self, bars: list[int]) -> None:
        chosen = {b for b in bars if 0 <= b < self.bar_count()}
        if chosen != self._selected:
            self._selected = chosen
            self.update()
            self.sig_bars_selected.emit(self.selected_bars())

    def clear_selection(self) -> None:
        self.set_selected_bars([])

    # -- geometry (public so tests can click bars by number) ----------------------------------------

    def _total(self) -> int:
        return max(1, self._bars[-1])

    def x_of(self, tick: float) -> float:
        width = max(1.0, self.width() - KEYS_WIDTH - 4.0)
        return KEYS_WIDTH + tick * width / self._total()

    def y_of(self, pitch: int) -> float:
        rows = self._high - self._low + 1
        top = self.notes_top()
        return top + (self._high - pitch) * (self.height() - top - 1) / rows

    def bar_at(self, x: float) -> int | None:
        """The bar under ``x`` (widget coordinates), None over the pitch labels or without bars."""
        if self._melody is None or x < KEYS_WIDTH or not self.bar_count():
            return None
        width = max(1.0, self.width() - KEYS_WIDTH - 4.0)
        tick = (x - KEYS_WIDTH) * self._total() / width
        for i in range(self.bar_count()):
            if tick < self._bars[i + 1]:
                return i
        return self.bar_count() - 1

    def bar_centre(self, bar: int) -> QPointF:
        """A point in the middle of ``bar`` (for tests and accessibility)."""
        x = (self.x_of(self._bars[bar]) + self.x_of(self._bars[bar + 1])) / 2
        return QPointF(x, (RULER_HEIGHT + self.height()) / 2)

    # -- mouse and keys ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._selectable:
            return super().mousePressEvent(event)
        bar = self.bar_at(event.position().x())
        if bar is None:
            self.clear_selection()
            return
        mods = event.modifiers()
        if mods & Qt.KeyboardModifier.ControlModifier:
            self.set_selected_bars(sorted(self._selected ^ {bar}))
            self._anchor, self._before_drag = bar, set(self._selected)
        elif mods & Qt.KeyboardModifier.ShiftModifier and self._anchor is not None:
            self._select_run(bar)
        else:
            self._anchor, self._before_drag = bar, set()
            self.set_selected_bars([bar])
        self._cursor = bar

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton and self._anchor is not None and self._selectable:
            bar = self.bar_at(max(float(KEYS_WIDTH), event.position().x()))
            if bar is not None:
                self._select_run(bar)
        super().mouseMoveEvent(event)

    def _select_run(self, bar: int) -> None:
        assert self._anchor is not None
        low, high = sorted((self._anchor, bar))
        self.set_selected_bars(sorted(self._before_drag | set(range(low, high + 1))))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._selected:
            self.clear_selection()
            return
        if not self._key_select(event):
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()  # the focus frame

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def _key_select(self, event: QKeyEvent) -> bool:
        """Left / Right choose the bar before / after the last chosen one, Home / End the first /
        last bar; with Shift they extend the run from the anchor. Whether the key was used."""
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Home: -10**6, Qt.Key.Key_End: 10**6}
        step = steps.get(Qt.Key(event.key()))
        if step is None or not self._selectable or self._melody is None or not self.bar_count():
            return False
        here = self._cursor if self._cursor is not None and self._selected else (-1 if step > 0 else self.bar_count())
        bar = max(0, min(self.bar_count() - 1, here + step))
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and self._anchor is not None and self._selected:
            self._select_run(bar)
        else:
            self._anchor, self._before_drag = bar, set()
            self.set_selected_bars([bar])
        self._cursor = bar
        return True

    def _update_tooltip(self) -> None:
        if self._melody is not None and self._selectable:
            self.setToolTip(self.tr("Click or drag over bars to choose them for \u201cRegenerate bars\u201d; "
                                    "Shift-click extends, Ctrl-click toggles, Esc clears; Left and Right choose "
                                    "bars from the keyboard"))
        else:
            self.setToolTip(self.tr("The selected melody as a piano roll"))

    def sizeHint(self) -> QSize:
        return QSize(360, 220)

    # -- painting ----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        painter = QPainter(self)
        painter.fillRect(self.rect(), _BG)
        if self._melody is None or not self._melody.notes:
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No melody selected"))
            return
        self._paint_rows(painter)
        self._paint_chords(painter)
        self._paint_bars(painter)
        self._paint_notes(painter)
        if self._playhead is not None:
            x = self.x_of(self._playhead)
            painter.setPen(QPen(_PLAYHEAD, 2))
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        if self.hasFocus():  # keyboard users see where they are
            painter.setPen(QPen(self.palette().color(self.palette().ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)  # a frame, not a veil over the notes
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))

    def _paint_rows(self, painter: QPainter) -> None:
        right = self.width()
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        row_h = self.y_of(self._low - 1) - self.y_of(self._low)
        for pitch in range(self._low, self._high + 1):
            top = self.y_of(pitch)
            if pitch % 12 in _BLACK_KEYS:
                painter.fillRect(QRectF(KEYS_WIDTH, top, right - KEYS_WIDTH, row_h), _BLACK_ROW)
            if pitch % 12 == 0:
                painter.setPen(_GRID)
                painter.drawLine(QPointF(KEYS_WIDTH, top + row_h), QPointF(right, top + row_h))
                painter.setPen(self.palette().color(self.foregroundRole()))
                label = QRectF(0, top + row_h / 2 - 8, KEYS_WIDTH - 4, 16)
                painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 pitch_name(pitch))
        painter.setPen(_BAR_LINE)
        painter.drawLine(QPointF(KEYS_WIDTH, 0), QPointF(KEYS_WIDTH, self.height()))

    def _paint_chords(self, painter: QPainter) -> None:
        """The chord lane, the spans' shades and the chord-tone rows (nothing without chords)."""
        self.painted_chords = []
        spans = self.chords()
        if not spans:
            return
        top, bottom, end = self.notes_top(), float(self.height()), self._total()
        painter.fillRect(QRectF(KEYS_WIDTH, RULER_HEIGHT, self.width() - KEYS_WIDTH, CHORD_LANE_HEIGHT), _CHORD_LANE)
        row_h = self.y_of(self._low - 1) - self.y_of(self._low)
        previous = painter.font()
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        small = QFont(font)  # for spans too narrow for the symbol at the lane's size
        small.setBold(False)
        small.setPointSizeF(max(5.0, font.pointSizeF() * 0.75))
        fits = QFontMetricsF(font)
        for i, span in enumerate(spans):
            if span.start >= end:
                break
            left, right = self.x_of(span.start), self.x_of(min(span.end, end))
            if span.chord is not None:
                painter.fillRect(QRectF(left, top, right - left, bottom - top), _CHORD_SPANS[i % 2])
                tones = span.chord.pitch_classes()
                for pitch in range(self._low, self._high + 1):
                    if pitch % 12 in tones:
                        painter.fillRect(QRectF(left, self.y_of(pitch), right - left, row_h), _CHORD_TONE)
            box = QRectF(left + 1, RULER_HEIGHT, max(0.0, right - left - 1), CHORD_LANE_HEIGHT)
            symbol = span.symbol if span.chord is not None else "N.C."
            painter.setFont(font if fits.horizontalAdvance(symbol) <= box.width() else small)
            text = painter.fontMetrics().elidedText(symbol, Qt.TextElideMode.ElideRight, int(box.width()))
            if text:
                painter.setPen(_CHORD_TEXT)
                painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
                self.painted_chords.append((symbol, box))
        painter.setFont(previous)

    def _paint_bars(self, painter: QPainter) -> None:
        assert self._melody is not None
        height = self.height()
        for bar in self._selected:
            left, right = self.x_of(self._bars[bar]), self.x_of(self._bars[bar + 1])
            painter.fillRect(QRectF(left, 0, right - left, height), _SELECTION)
        painter.setPen(_GRID)
        beat = TICKS_PER_QUARTER * 4 // self._melody.time_signature[1]
        if self._melody.time_signature[1] == 8 and self._melody.time_signature[0] % 3 == 0:
            beat *= 3  # compound meters beat in dotted quarters
        if self.x_of(beat) - self.x_of(0) >= 6:
            for i in range(self.bar_count()):
                for tick in range(self._bars[i + 1] - beat, max(self._bars[i], 0), -beat):
                    x = self.x_of(tick)
                    painter.drawLine(QPointF(x, RULER_HEIGHT), QPointF(x, height))
        painter.setPen(self.palette().color(self.foregroundRole()))
        step = max(1, int(24 // max(1.0, self.x_of(self._melody.bar_ticks) - self.x_of(0))) + 1)
        if self._melody.pickup:  # the first downbeat, inside bar 0
            x = self.x_of(self._melody.pickup)
            painter.setPen(_BAR_LINE)
            painter.drawLine(QPointF(x, RULER_HEIGHT), QPointF(x, height))
        for i in range(self.bar_count()):
            x = self.x_of(self._bars[i])
            painter.setPen(_BAR_LINE)
            painter.drawLine(QPointF(x, 0), QPointF(x, height))
            if i % step == 0:
                painter.setPen(self.palette().color(self.foregroundRole()))
                painter.drawText(QRectF(x + 3, 0, 40, RULER_HEIGHT), Qt.AlignmentFlag.AlignVCenter, str(i + 1))
        painter.setPen(_BAR_LINE)
        painter.drawLine(QPointF(KEYS_WIDTH, RULER_HEIGHT), QPointF(self.width(), RULER_HEIGHT))
        if self.chords():
            top = self.notes_top()
            painter.drawLine(QPointF(KEYS_WIDTH, top), QPointF(self.width(), top))

    def _paint_notes(self, painter: QPainter) -> None:
        assert self._melody is not None
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        row_h = max(2.0, self.y_of(self._low - 1) - self.y_of(self._low))
        chosen = [(self._bars[b], self._bars[b + 1]) for b in self._selected]
        for note in self._melody.notes:
            if not self._low <= note.pitch <= self._high:
                continue
            left, right = self.x_of(note.start), self.x_of(note.end)
            rect = QRectF(left + 0.5, self.y_of(note.pitch) + 0.5, max(2.0, right - left - 1.5), row_h - 1.0)
            colour = QColor(_NOTE_SELECTED if any(a <= note.start < b for a, b in chosen) else _NOTE)
            colour.setAlpha(120 + note.velocity)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 2, 2)


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    from studio.core.melody import Note

    app = QApplication(sys.argv)
    roll = PianoRollWidget()
    pitches = [67, 72, 74, 76, 74, 72, 71, 72, 67, 69, 71, 72, 74, 72, 71, 69]
    roll.set_melody(Melody(tuple(Note(p, 24 * i, 24) for i, p in enumerate(pitches)), pickup=24))
    roll.sig_bars_selected.connect(lambda bars: print("bars", bars))
    roll.set_playhead(100)
    roll.resize(520, 260)
    roll.show()
    sys.exit(app.exec())
