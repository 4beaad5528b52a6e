"""Playback and the gallery cards' buttons: Play / Stop, Play Through a MIDI port, recording.

:class:`PlaybackController` receives the :class:`~studio.ui.audio.Player` (one melody at a
time), the inspector and the gallery panel it moves playheads on, the project session (a card's
keep / reject toggles are undoable commands), a :class:`~studio.ui.feedback.Messages` sink and
``import_paths`` for recordings. **Edit > Play Through** picks the built-in synth or a MIDI
output port (a DAW, a synth; needs the ``[midi-ports]`` extra); **File > Record from MIDI
Keyboard** records a clip and imports it as a sample.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from studio.core.atomic import atomic_write
from studio.core.works import WorkStatus
from studio.io import midi_ports
from studio.ui.audio import Player
from studio.ui.commands import SetWorkStatusCommand
from studio.ui.feedback import Messages
from studio.ui.panels.gallery_panel import GalleryPanel
from studio.ui.panels.inspector import InspectorPanel
from studio.ui.session import ProjectSession


class PlaybackController(QObject):
    """See the module docstring; ``parent`` is the recording dialog's parent."""

    def __init__(self, player: Player, session: ProjectSession, inspector: InspectorPanel,
                 gallery_panel: GalleryPanel, messages: Messages, import_paths: Callable[[list[str]], Any],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.player = player
        self.session = session
        self.inspector = inspector
        self.gallery_panel = gallery_panel
        self.messages = messages
        self._import_paths = import_paths
        self._parent = parent
        gallery_panel.sig_card_action.connect(self.card_action)
        inspector.sig_play_requested.connect(self.play_selected)
        inspector.sig_tempo_changed.connect(player.set_tempo_scale)
        player.sig_notice.connect(self._audio_notice)
        player.sig_playing_changed.connect(self._playing_changed)
        player.sig_position.connect(self._play_position)
        session.sig_project_replaced.connect(player.stop)

    @Slot()
    def play_selected(self) -> None:
        """Play or stop the melody the inspector shows (the gallery's or the bin's selection)."""
        shown = self.inspector.current_melody()
        if shown is None:
            self.messages.show_message(self.tr("Select a melody to play it."), 5000)
            return
        key, melody = shown
        self.player.toggle(melody, key)

    def is_playing_shown(self) -> bool:
        """Whether the melody the inspector shows is the one playing."""
        shown = self.inspector.current_melody()
        return shown is not None and self.player.is_playing(shown[0])

    @Slot(int, str)
    def card_action(self, row: int, name: str) -> None:
        """A gallery card's button: play toggles playback; keep / reject toggle the mark."""
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

    def fill_midi_menu(self, menu: QMenu) -> None:
        """List the built-in synth and the MIDI output ports in ``menu`` (the chosen one checked)."""
        menu.clear()
        group = QActionGroup(menu)
        current = self.player.midi_output()
        current_name = current.name if current is not None else None
        synth = QAction(self.tr("Built-in Synth"), menu, checkable=True, checked=current is None)
        synth.setToolTip(self.tr("Play melodies with the studio's own preview synth"))
        synth.triggered.connect(lambda _checked=False: self.choose_midi_output(None))
        group.addAction(synth)
        menu.addAction(synth)
        menu.addSeparator()
        try:
            names = midi_ports.output_names()
        except midi_ports.MidiPortError as exc:
            missing = midi_ports.BACKEND_HINT in str(exc)
            hint = menu.addAction(self.tr("No MIDI Ports: Install python-rtmidi") if missing
                                  else self.tr("No MIDI Service on This System"))
            command = midi_ports.BACKEND_HINT.partition(": ")[2]  # the shell command, not translated
            hint.setToolTip(self.tr("Install the python-rtmidi package to use MIDI ports: {command}").format(
                command=command) if missing else self.tr("The system's MIDI service did not answer: {reason}").format(
                reason=str(exc)))
            hint.setEnabled(False)
            return
        for name in names:
            action = QAction(name, menu, checkable=True, checked=name == current_name)
            action.setToolTip(self.tr("Send melodies to the MIDI port {name} (a DAW or a synth listening there)").format(
                name=repr(name)))
            action.triggered.connect(lambda _checked=False, n=name: self.choose_midi_output(n))
            group.addAction(action)
            menu.addAction(action)
        if not names:
            menu.addAction(self.tr("No MIDI output ports found")).setEnabled(False)

    def choose_midi_output(self, name: str | None) -> bool:
        """Play through the MIDI port ``name`` (None: the built-in synth); False with the reason
        in the status bar when the port cannot be opened."""
        if name is None:
            self.player.set_midi_output(None)
            self.messages.show_message(self.tr("Playing through the built-in synth"), 5000)
            return True
        try:
            port = midi_ports.PortPlayer(midi_ports.open_output(name), clock=self.player.clock, name=name)
        except midi_ports.MidiPortError as exc:
            self.messages.show_message(self.tr("MIDI output not changed: {reason}").format(reason=exc), 15000)
            return False
        self.player.set_midi_output(port)
        self.messages.show_message(self.tr("Playing through the MIDI port {name}").format(name=name), 5000)
        return True

    def record_from_keyboard(self) -> None:
        """Open the recording dialog; an accepted recording becomes a sample."""
        from PySide6.QtWidgets import QDialog

        from studio.ui.record_dialog import RecordDialog

        dialog = RecordDialog(self._parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        data = dialog.recording()
        if accepted and data:
            self.add_recording(data)

    def add_recording(self, data: bytes) -> str | None:
        """Save a recorded clip under the recordings folder and import it; its path, or None
        (with the reason in the status bar) when it cannot be saved."""
        folder = midi_ports.recordings_dir()
        path = folder / f"Recording {datetime.now():%Y-%m-%d %H-%M-%S}.mid"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data)  # a failed write leaves no half clip to import
        except OSError as exc:
            self.messages.show_message(self.tr("The recording could not be saved in {folder}: {reason}").format(
                folder=folder, reason=exc), 15000)
            return None
        self._import_paths([str(path)])
        self.messages.show_message(self.tr("Recording saved as {path}").format(path=path), 10000)
        return str(path)

    def stop(self) -> None:
        """Stop playing and close any MIDI port (the window closes)."""
        self.player.stop()
        self.player.set_midi_output(None)

    @Slot(str)
    def _audio_notice(self, text: str) -> None:
        self.messages.show_message(text, 15000)

    @Slot(str, bool)
    def _playing_changed(self, key: str, playing: bool) -> None:
        shown = self.inspector.current_melody()
        if shown is not None and shown[0] == key:
            self.inspector.set_playing(playing)
        if not playing:
            self.gallery_panel.show_playing("", None)

    @Slot(str, float)
    def _play_position(self, key: str, tick: float) -> None:
        shown = self.inspector.current_melody()
        if shown is not None and shown[0] == key:
            self.inspector.set_playhead(tick)
        gallery = self.session.gallery_model.gallery
        row = gallery.index_of(key)
        melody = gallery[row].melody if row >= 0 else None
        if melody is not None:
            self.gallery_panel.show_playing(key, tick / max(1, melody.length_ticks))
