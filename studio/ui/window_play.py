"""The window's playback and card buttons (a mixin of :class:`~studio.ui.main_window.MainWindow`).

The :class:`~studio.ui.audio.Player` plays one melody at a time; its playhead moves the
inspector's piano roll (when it shows that melody) and the playing gallery card. A card's
keep / reject buttons toggle, as undoable commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from studio.core.works import WorkStatus
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
