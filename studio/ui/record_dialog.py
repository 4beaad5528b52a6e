"""Recording a clip from a MIDI keyboard (File > Record from MIDI Keyboard...).

The dialog lists the MIDI input ports, records what is played on the chosen one (the port's
thread feeds a :class:`~studio.io.midi_ports.Recorder`), shows the time and the notes so far,
and on **Use Recording** hands back the clip as MIDI file bytes at the chosen tempo; the window
saves it under :func:`~studio.io.midi_ports.recordings_dir` and imports it like a dropped file.
Ports need the ``[midi-ports]`` extra; without it the dialog says so and records nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.io import midi_ports


class RecordDialog(QDialog):
    """Record, stop, and take the recording (``recording()`` after ``exec()`` accepted)."""

    def __init__(self, parent: QWidget | None = None,
                 names: Callable[[], list[str]] = lambda: midi_ports.input_names(),
                 opener: Callable[[str, Callable[[Any], None]], Any] = lambda n, cb: midi_ports.open_input(n, cb),
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record from MIDI Keyboard"))
        self._opener, self._clock = opener, clock
        self._recorder = midi_ports.Recorder(clock)
        self._port: Any = None
        self._started = 0.0
        self._data: bytes | None = None
        self.ports = QComboBox()
        self.ports.setToolTip(self.tr("The MIDI input port your keyboard is connected to"))
        self.tempo = QSpinBox()
        self.tempo.setRange(20, 300)
        self.tempo.setValue(120)
        self.tempo.setSuffix(self.tr(" BPM"))
        self.tempo.setToolTip(self.tr("The tempo you play at: the clip's bars and beats follow from it"))
        self.record = QPushButton(self.tr("Record"))
        self.record.setToolTip(self.tr("Start recording; press again to stop"))
        self.record.clicked.connect(self.toggle)
        self.status = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Use Recording"))
        self.buttons.accepted.connect(self._use)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Input"), self.ports)
        form.addRow(self.tr("Tempo"), self.tempo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.record)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._show_status)
        try:
            listed = names()
        except midi_ports.MidiPortError as exc:
            listed = []
            self.status.setText(str(exc))
        else:
            self.status.setText(self.tr("Press Record and play") if listed else self.tr("No MIDI input ports found"))
        self.ports.addItems(listed)
        self.record.setEnabled(bool(listed))
        self._update_ok()

    def is_recording(self) -> bool:
        return self._port is not None

    def recording(self) -> bytes | None:
        """The MIDI file bytes taken with Use Recording (None before)."""
        return self._data

    def toggle(self) -> None:
        """Start recording on the chosen port, or stop."""
        if self._port is not None:
            self._stop()
            return
        self._recorder.clear()
        try:
            self._port = self._opener(self.ports.currentText(), self._recorder)
        except midi_ports.MidiPortError as exc:
            self.status.setText(str(exc))
            return
        self._started = self._clock()
        self.record.setText(self.tr("Stop"))
        self.ports.setEnabled(False)
        self._timer.start()
        self._show_status()

    def _stop(self) -> None:
        self._timer.stop()
        port, self._port = self._port, None
        try:
            port.close()
        except (OSError, RuntimeError):
            pass  # the port went away while recording: what arrived is kept
        self.record.setText(self.tr("Record again"))
        self.ports.setEnabled(True)
        self._show_status()

    def _show_status(self) -> None:
        notes = self._recorder.notes
        if self._port is not None:
            self.status.setText(self.tr("Recording... {seconds} s, {notes} notes").format(
                seconds=f"{self._clock() - self._started:.0f}", notes=notes))
        elif notes:
            self.status.setText(self.tr("Recorded {notes} notes").format(notes=notes))
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self._port is None and self._recorder.notes > 0)

    def _use(self) -> None:
        try:
            self._data = self._recorder.midi_bytes(float(self.tempo.value()))
        except midi_ports.MidiPortError as exc:
            self.status.setText(str(exc))
            return
        self.accept()

    def done(self, result: int) -> None:  # closing in any way stops the recording
        if self._port is not None:
            self._stop()
        super().done(result)
