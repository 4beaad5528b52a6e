"""The window's playback and card buttons (a mixin of :class:`~studio.ui.main_window.MainWindow`).

The :class:`~studio.ui.audio.Player` plays one melody at a time; its playhead moves the
inspector's piano roll (when it shows that melody) and the playing gallery card. A card's
keep / reject buttons toggle, as undoable commands. **Edit > Play Through** picks the built-in
synth or a MIDI output port (a DAW, a synth; needs the ``[midi-ports]`` extra); **File > Record
from MIDI Keyboard** records a clip and imports it as a sample.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction, QActionGroup

from studio.core.works import WorkStatus
from studio.io import midi_ports
from studio.ui.commands import SetWorkStatusCommand

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow


class PlaybackCommands:
    """Play / Stop, the card buttons, and the player's signals turned into playheads."""

    def play_selected(self: MainWindow) -> None:
        """Play or stop the melody the inspector shows (the gallery's or the bin's selection)."""
        shown = self.inspector.current_melody()
        if shown is None:
            self.statusBar().showMessage("Select a melody to play it.", 5000)
            return
        key, melody = shown
        self.player.toggle(melody, key)

    @Slot(int, str)
    def _card_action(self: MainWindow, row: int, name: str) -> None:
        model = self.session.gallery_model
        if not 0 <= row < model.rowCount():
            return
        work = model.work_at(row)
        if name == "play" and work.melody is not None:
            self.player.toggle(work.melody, work.id)
        elif name in ("keep", "reject"):
            status = WorkStatus.KEPT if name == "keep" else WorkStatus.REJECTED
            status = WorkStatus.NEW if work.status is status else status  # a second click unmarks
            self.session.push(SetWorkStatusCommand(model, [row], status))

    def fill_midi_menu(self: MainWindow) -> None:
        """List the built-in synth and the MIDI output ports (the chosen one checked)."""
        menu = self.actions.midi_menu
        menu.clear()
        group = QActionGroup(menu)
        current = self.player.midi_output()
        current_name = current.name if current is not None else None
        synth = QAction("Built-in Synth", menu, checkable=True, checked=current is None)
        synth.setToolTip("Play melodies with the studio's own preview synth")
        synth.triggered.connect(lambda _checked=False: self.choose_midi_output(None))
        group.addAction(synth)
        menu.addAction(synth)
        menu.addSeparator()
        try:
            names = midi_ports.output_names()
        except midi_ports.MidiPortError as exc:
            missing = midi_ports.BACKEND_HINT in str(exc)
            hint = menu.addAction("No MIDI Ports: Install python-rtmidi" if missing
                                  else "No MIDI Service on This System")
            hint.setToolTip(str(exc))
            hint.setEnabled(False)
            return
        for name in names:
            action = QAction(name, menu, checkable=True, checked=name == current_name)
            action.setToolTip(f"Send melodies to the MIDI port {name!r} (a DAW or a synth listening there)")
            action.triggered.connect(lambda _checked=False, n=name: self.choose_midi_output(n))
            group.addAction(action)
            menu.addAction(action)
        if not names:
            menu.addAction("No MIDI output ports found").setEnabled(False)

    def choose_midi_output(self: MainWindow, name: str | None) -> bool:
        """Play through the MIDI port ``name`` (None: the built-in synth); False with the reason
        in the status bar when the port cannot be opened."""
        if name is None:
            self.player.set_midi_output(None)
            self.statusBar().showMessage("Playing through the built-in synth", 5000)
            return True
        try:
            port = midi_ports.PortPlayer(midi_ports.open_output(name), clock=self.player.clock, name=name)
        except midi_ports.MidiPortError as exc:
            self.statusBar().showMessage(f"MIDI output not changed: {exc}", 15000)
            return False
        self.player.set_midi_output(port)
        self.statusBar().showMessage(f"Playing through the MIDI port {name}", 5000)
        return True

    def record_from_keyboard(self: MainWindow) -> None:
        """Open the recording dialog; an accepted recording becomes a sample."""
        from PySide6.QtWidgets import QDialog

        from studio.ui.record_dialog import RecordDialog

        dialog = RecordDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.recording():
            self.add_recording(dialog.recording())

    def add_recording(self: MainWindow, data: bytes) -> str | None:
        """Save a recorded clip under the recordings folder and import it; its path, or None
        (with the reason in the status bar) when it cannot be saved."""
        folder = midi_ports.recordings_dir()
        path = folder / f"Recording {datetime.now():%Y-%m-%d %H-%M-%S}.mid"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            self.statusBar().showMessage(f"The recording could not be saved in {folder}: {exc}", 15000)
            return None
        self.import_paths([str(path)])
        self.statusBar().showMessage(f"Recording saved as {path}", 10000)
        return str(path)

    @Slot(str)
    def _audio_notice(self: MainWindow, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    @Slot(str, bool)
    def _playing_changed(self: MainWindow, key: str, playing: bool) -> None:
        shown = self.inspector.current_melody()
        if shown is not None and shown[0] == key:
            self.inspector.set_playing(playing)
        if not playing:
            self.gallery_panel.show_playing("", None)

    @Slot(str, float)
    def _play_position(self: MainWindow, key: str, tick: float) -> None:
        shown = self.inspector.current_melody()
        if shown is not None and shown[0] == key:
            self.inspector.set_playhead(tick)
        gallery = self.session.gallery_model.gallery
        row = gallery.index_of(key)
        if row >= 0 and gallery[row].melody is not None:
            length = max(1, gallery[row].melody.length_ticks)
            self.gallery_panel.show_playing(key, tick / length)
