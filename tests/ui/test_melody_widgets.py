"""The melody studio's widgets alone: piano roll, loss curve, melody controls, gallery cards,
and the player (with a fake clock and outputs, so no audio device is needed)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from studio.core.melody import KeySignature, Melody, Note
from studio.core.scales import Scale
from studio.core.samples import Domain
from studio.core.works import Gallery, Work, WorkStatus
from studio.domains.melody.params import MelodyParams
from studio.ui.audio import NO_AUDIO_MESSAGE, Player, SilentOutput, probe_output
from studio.ui.models.gallery_model import GalleryModel
from studio.ui.panels.gallery_panel import GalleryPanel
from studio.ui.panels.melody_controls import ACTIONS, MelodyControlsPanel, parse_key_name
from studio.ui.widgets.loss_curve import LossCurve
from studio.ui.widgets.piano_roll import PianoRollWidget, bar_starts
from studio.ui.widgets.work_cards import card_buttons
from tests.io.test_midi_ports import Clock, RecordingPort


def melody(bars: int = 4, pickup: int = 0, tempo: float = 120.0) -> Melody:
    notes = tuple(Note(60 + (i % 8), i * 24, 24) for i in range(pickup // 24 + bars * 4))
    return Melody(notes, tempo, (4, 4), KeySignature(0), pickup)


class RecordingOutput:
    sample_rate = 22050

    def __init__(self) -> None:
        self.started: list[np.ndarray] = []
        self.stops = 0

    def start(self, pcm: np.ndarray) -> None:
        self.started.append(pcm)

    def stop(self) -> None:
        self.stops += 1


# -- piano roll -------------------------------------------------------------------------------------


def test_a_pickup_belongs_to_bar_zero_as_the_generator_numbers_bars():
    assert bar_starts(melody(2)) == [0, 96, 192]
    with_pickup = melody(2, pickup=24)
    assert with_pickup.bars == 3 and bar_starts(with_pickup) == [0, 120, 216]
    assert bar_starts(Melody((Note(60, 0, 12),), pickup=12)) == [0, 108]  # all pickup: one bar


def test_piano_roll_selects_bars_by_click_drag_shift_ctrl_and_escape(qtbot):
    roll = PianoRollWidget()
    qtbot.addWidget(roll)
    roll.resize(434, 200)
    roll.show()
    roll.set_melody(melody(4))
    emitted: list[list[int]] = []
    roll.sig_bars_selected.connect(emitted.append)
    at = {b: roll.bar_centre(b).toPoint() for b in range(4)}
    qtbot.mouseClick(roll, Qt.MouseButton.LeftButton, pos=at[1])
    assert roll.selected_bars() == [1]
    qtbot.mouseClick(roll, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, at[3])
    assert roll.selected_bars() == [1, 2, 3]
    qtbot.mouseClick(roll, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, at[2])
    assert roll.selected_bars() == [1, 3]
    qtbot.mousePress(roll, Qt.MouseButton.LeftButton, pos=at[0])
    qtbot.mouseMove(roll, at[2])
    qtbot.mouseRelease(roll, Qt.MouseButton.LeftButton, pos=at[2])
    assert roll.selected_bars() == [0, 1, 2]
    qtbot.keyClick(roll, Qt.Key.Key_Escape)
    assert roll.selected_bars() == [] and emitted[-1] == []
    qtbot.mouseClick(roll, Qt.MouseButton.LeftButton, pos=QPoint(5, 100))  # the pitch labels
    assert roll.bar_at(5) is None and roll.selected_bars() == []
    roll.set_playhead(100.0)
    assert roll.playhead() == 100.0 and roll.x_of(96) < roll.x_of(100.0) < roll.x_of(192)
    roll.grab()
    roll.set_melody(None)
    assert roll.bar_count() == 0 and roll.playhead() is None
    roll.grab()


def test_a_samples_piano_roll_does_not_select_bars(qtbot):
    roll = PianoRollWidget()
    qtbot.addWidget(roll)
    roll.resize(300, 150)
    roll.set_melody(melody(2), selectable=False)
    qtbot.mouseClick(roll, Qt.MouseButton.LeftButton, pos=roll.bar_centre(0).toPoint())
    assert roll.selected_bars() == []


# -- loss curve --------------------------------------------------------------------------------------


def test_loss_curve_collects_points_and_skips_non_finite_ones(qtbot):
    curve = LossCurve()
    qtbot.addWidget(curve)
    curve.resize(240, 110)
    assert "appears here" in curve.summary()
    curve.grab()
    for loss in (3.0, math.nan, 2.0, 1.5):
        curve.add_point(loss)
    assert curve.points()[::2] == [3.0, 2.0] and curve.summary() == "4 steps: loss 3.000 \u2192 1.500"
    curve.grab()
    curve.set_points([1.0] * 2000, "reptile")
    assert curve.summary().startswith("reptile \u2014 2000 steps")
    curve.grab()
    curve.clear()
    assert curve.points() == []


# -- melody controls -----------------------------------------------------------------------------------


def test_melody_controls_read_as_params_and_round_trip_their_settings(qtbot):
    panel = MelodyControlsPanel()
    qtbot.addWidget(panel)
    assert panel.params() == MelodyParams() and panel.generate_count() == 12
    panel.set_sample_defaults({"key": KeySignature(7), "meter": (3, 4), "tempo": 96.0, "lowest": 62, "highest": 79})
    assert panel.key.itemText(0) == "as samples (G)" and panel.scale.itemText(0) == "as samples (major)"
    assert "3/4" in panel.meter.itemText(0)
    assert panel.lowest.text() == "auto" and panel.lowest.toolTip().endswith("(D4)")
    assert panel.tempo.toolTip().endswith("(96 BPM)")
    panel.transpose.setValue(2)  # like the samples, a tone higher: A major
    assert panel.params().key == KeySignature(9)
    panel.key.setCurrentIndex(1 + 9)  # A natural minor, a tone higher: B minor
    panel.scale.setCurrentIndex(panel.scale.findData("natural minor"))
    panel.bars.setCurrentIndex(2)
    panel.temperature.setValue(140)
    panel.meter.setCurrentIndex(panel.meter.findData("6/8"))
    panel.tempo.setValue(90)
    panel.lowest.set_pitch(60)
    panel.highest.set_pitch(62)  # too narrow: the lowest note moves down
    panel.density.setValue(-50)
    panel.idioms.setValue(80)
    params = panel.params()
    assert params == MelodyParams(bars=16, temperature=1.4, key=KeySignature(11, "minor"), time_signature=(6, 8),
                                  tempo_bpm=90.0, lowest=57, highest=62, density=-0.5, idioms=0.8,
                                  scale=Scale(11, "natural minor"))
    other = MelodyControlsPanel()
    qtbot.addWidget(other)
    other.apply_settings(panel.settings())
    assert other.settings() == panel.settings() and other.params() == params
    other.apply_settings({"count": "many", "bars": 5, "key": "C", "meter": [4, 4]})  # malformed: skipped
    assert other.generate_count() == 12 and other.params().time_signature is None
    assert parse_key_name("Eb minor") == KeySignature(3, "minor") and parse_key_name("unknown") is None


def test_melody_controls_show_why_a_button_is_off(qtbot):
    panel = MelodyControlsPanel()
    qtbot.addWidget(panel)
    panel.set_availability(dict.fromkeys(ACTIONS) | {"blend": "Select exactly two melodies in the gallery"})
    assert panel.buttons["generate"].isEnabled() and not panel.buttons["blend"].isEnabled()
    assert panel.buttons["blend"].toolTip().endswith("Select exactly two melodies in the gallery.")
    panel.lowest.lineEdit().setText("D#4")
    assert panel.lowest.validate("C4", 0)[0].name == "Acceptable"
    assert panel.lowest.valueFromText("c4") == 60


def test_melody_controls_have_a_sane_minimum_size(qtbot):
    panel = MelodyControlsPanel()
    qtbot.addWidget(panel)
    panel.show()
    hint = panel.minimumSizeHint().expandedTo(panel.minimumSize())
    assert 100 <= hint.width() <= 420, hint
    panel.resize(hint)
    panel.grab()


# -- gallery cards ---------------------------------------------------------------------------------------


def test_card_buttons_are_hit_tested_and_do_not_change_the_selection(qtbot):
    works = [Work(Domain.MELODY, seed=s, melody=melody(2)) for s in range(3)]
    panel = GalleryPanel(GalleryModel(Gallery(works)))
    qtbot.addWidget(panel)
    panel.resize(640, 400)
    panel.show()
    qtbot.waitExposed(panel)
    actions: list[tuple[int, str]] = []
    panel.sig_card_action.connect(lambda row, name: actions.append((row, name)))
    view = panel.view
    rect = view.visualRect(panel.proxy.mapFromSource(panel.model.index(1)))
    buttons = card_buttons(rect, melody=True)
    assert list(buttons) == ["play", "keep", "reject"]
    assert card_buttons(rect, melody=False).keys() == {"keep", "reject"}
    for name in ("play", "keep", "reject"):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=buttons[name].center())
    assert actions == [(1, "play"), (1, "keep"), (1, "reject")]
    assert panel.selected_rows() == []  # a button click is not a selection
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() + QPoint(0, 20))
    assert panel.selected_rows() == [1]
    panel.show_playing(works[1].id, 0.5)
    panel.model.replace_at(2, Work(Domain.MELODY, seed=9, melody=melody(2), status=WorkStatus.KEPT))
    view.viewport().grab()


# -- player ------------------------------------------------------------------------------------------------


def test_player_without_an_output_says_so_once_and_still_moves_the_playhead(qtbot):
    clock = Clock()
    player = Player(output_factory=lambda parent: (None, "no device"), clock=clock)
    notices: list[str] = []
    positions: list[float] = []
    player.sig_notice.connect(notices.append)
    player.sig_position.connect(lambda key, tick: positions.append(tick))
    assert player.audio_available() is None
    player.play(melody(1, tempo=60), "a")  # 1 s per quarter note
    assert notices == [NO_AUDIO_MESSAGE] and player.audio_available() is False
    assert player.silence_reason() == "no device"
    clock.now = 1.5
    assert player.update_position() == pytest.approx(36.0)
    clock.now = 10.0
    player.update_position()
    assert positions[-1] == 96.0 and not player.is_playing()
    player.play(melody(1), "b")
    player.stop()
    assert notices == [NO_AUDIO_MESSAGE]


def test_player_renders_to_its_output_and_resumes_at_a_new_tempo(qtbot):
    clock = Clock()
    output = RecordingOutput()
    player = Player(output_factory=lambda parent: (output, ""), clock=clock)
    changes: list[tuple[str, bool]] = []
    player.sig_playing_changed.connect(lambda key, playing: changes.append((key, playing)))
    m = melody(1, tempo=60)
    player.play(m, "a")
    assert player.audio_available() is True and len(output.started[0]) == round(4.06 * 22050) + 1
    clock.now = 2.0  # half-way: tick 48
    player.set_tempo_scale(2.0)
    assert len(output.started) == 2 and player.is_playing("a")
    assert len(output.started[1]) == round(2.06 * 22050) + 1 - 22050  # from tick 48, at 1/48 s a tick
    clock.now = 2.5  # 0.5 s at double speed: one more beat
    assert player.position() == pytest.approx(72.0)
    player.set_tempo_scale(9.0)
    assert player.tempo_scale() == 2.0  # clamped to 200 %
    assert player.toggle(m, "a") is False and changes == [("a", True), ("a", False)]
    assert output.stops >= 1


def test_silent_output_accepts_anything():
    SilentOutput().start(np.zeros(10, dtype=np.int16))
    SilentOutput().stop()


def test_the_systems_audio_output_is_probed_without_crashing(qtbot):
    output, reason = probe_output()
    assert (output is None) == bool(reason)  # here: libpulse or a device may be missing
    if output is not None:
        output.stop()


def test_an_output_that_fails_to_open_turns_playback_silent_with_the_notice(qtbot):
    class Refusing(RecordingOutput):
        def start(self, pcm: np.ndarray) -> None:
            raise OSError("the audio device could not be opened (OpenError)")

    clock = Clock()
    player = Player(output_factory=lambda parent: (Refusing(), ""), clock=clock)
    notices: list[str] = []
    player.sig_notice.connect(notices.append)
    player.play(melody(1), "a")
    assert notices == [NO_AUDIO_MESSAGE] and player.audio_available() is False and player.is_playing("a")
    assert "OpenError" in player.silence_reason()
    clock.now = 0.5
    assert player.update_position() == pytest.approx(24.0)


def test_loss_curve_smooths_noisy_losses(qtbot):
    curve = LossCurve()
    qtbot.addWidget(curve)
    curve.set_points([1.0, float("nan"), 0.0, 1.0, 0.0])
    smooth = curve.smoothed()
    assert [i for i, _ in smooth] == [0, 2, 3, 4]
    assert smooth[0][1] == 1.0  # bias-corrected: the first average is the first loss
    assert all(0.0 < y <= 1.0 for _, y in smooth)
    curve.set_points([0.5 + 0.3 * (-1) ** i for i in range(40)])
    curve.resize(240, 110)
    curve.grab()  # paints raw points and the average without error


# -- MIDI output ------------------------------------------------------------------------------------

def test_player_sends_to_a_midi_port_instead_of_the_synth_and_falls_back_when_it_fails(qtbot):
    from studio.io.midi_ports import PortPlayer

    clock, output, port = Clock(), RecordingOutput(), RecordingPort()
    player = Player(output_factory=lambda parent: (output, ""), clock=clock)
    notices: list[str] = []
    player.sig_notice.connect(notices.append)
    player.set_midi_output(PortPlayer(port, clock=player.clock, name="DAW"))
    player.play(melody(1, tempo=60), "a")  # a quarter note per second
    assert output.started == [] and [m.type for m in port.messages] == ["note_on"]
    clock.now = 1.0
    player.send_midi()
    assert [m.type for m in port.messages] == ["note_on", "note_off", "note_on"]
    assert player.update_position() == pytest.approx(24.0)  # the playhead follows as with the synth
    player.stop()
    assert port.messages[-1].type == "control_change" and notices == []
    player.play(melody(1, tempo=60), "b")
    port.fail = True
    clock.now = 2.0
    player.send_midi()
    assert player.midi_output() is None and "MIDI output lost" in notices[-1]
    player.stop()
    player.play(melody(1), "c")
    assert len(output.started) == 1  # back on the built-in synth
    player.stop()
    player.set_midi_output(PortPlayer(port, clock=player.clock))
    player.set_midi_output(None)
    assert port.closed


def test_play_through_menu_lists_ports_and_switches(make_window, monkeypatch):
    from studio.io import midi_ports

    window = make_window()
    port = RecordingPort()
    monkeypatch.setattr(midi_ports, "output_names", lambda: ["DAW in", "Synth"])
    monkeypatch.setattr(midi_ports, "open_output", lambda name: port)
    window.playback.fill_midi_menu(window.menu_actions.midi_menu)
    texts = [a.text() for a in window.menu_actions.midi_menu.actions() if not a.isSeparator()]
    assert texts == ["Built-in Synth", "DAW in", "Synth"]
    window.menu_actions.midi_menu.actions()[2].trigger()  # "DAW in"
    assert window.player.midi_output() is not None and window.player.midi_output().name == "DAW in"
    window.playback.fill_midi_menu(window.menu_actions.midi_menu)
    assert [a.text() for a in window.menu_actions.midi_menu.actions() if a.isChecked()] == ["DAW in"]
    assert window.playback.choose_midi_output(None) and window.player.midi_output() is None and port.closed

    def missing() -> list[str]:
        raise midi_ports.MidiPortError(midi_ports.BACKEND_HINT)

    monkeypatch.setattr(midi_ports, "output_names", missing)
    window.playback.fill_midi_menu(window.menu_actions.midi_menu)
    hint = window.menu_actions.midi_menu.actions()[-1]
    assert not hint.isEnabled() and "python-rtmidi" in hint.toolTip()

    def refuses(name: str):
        raise midi_ports.MidiPortError(f"the MIDI port {name!r} could not be opened (busy)")

    monkeypatch.setattr(midi_ports, "open_output", refuses)
    assert not window.playback.choose_midi_output("Synth")
    assert "busy" in window.statusBar().currentMessage() and window.player.midi_output() is None


def test_record_dialog_records_from_a_port_and_hands_back_a_midi_file(qtbot):
    import mido

    from studio.io.midi import read_midi
    from studio.io.midi_ports import MidiPortError
    from studio.ui.record_dialog import RecordDialog

    clock, port, callbacks = Clock(), RecordingPort(), []
    dialog = RecordDialog(names=lambda: ["Keys"], opener=lambda name, cb: callbacks.append(cb) or port, clock=clock)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert dialog.record.isEnabled() and not ok.isEnabled()
    dialog.toggle()
    assert dialog.is_recording() and "Recording" in dialog.status.text()
    for when, message in ((0.0, mido.Message("note_on", note=65, velocity=60)), (0.5, mido.Message("note_off", note=65)),
                          (0.5, mido.Message("note_on", note=67, velocity=60)), (1.5, mido.Message("note_off", note=67))):
        clock.now = when
        callbacks[0](message)
    dialog.toggle()
    assert not dialog.is_recording() and port.closed and dialog.status.text() == "Recorded 2 notes"
    assert dialog.recording() is None and ok.isEnabled()
    dialog.tempo.setValue(60)  # one quarter per second
    dialog.buttons.accepted.emit()
    notes = read_midi("take.mid", dialog.recording()).notes
    assert [(n.pitch, n.start, n.duration) for n in notes] == [(65, 0, 12), (67, 12, 24)]

    def missing() -> list[str]:
        raise MidiPortError("MIDI ports need python-rtmidi")

    bare = RecordDialog(names=missing)
    qtbot.addWidget(bare)
    assert not bare.record.isEnabled() and "python-rtmidi" in bare.status.text()


def test_a_recording_is_saved_and_imported_as_a_sample(make_window, qtbot, tmp_path, monkeypatch):
    from studio.io import midi_ports
    from studio.io.midi import write_midi

    monkeypatch.setenv(midi_ports.RECORDINGS_DIR_ENV, str(tmp_path / "takes"))
    window = make_window()
    path = window.playback.add_recording(write_midi(melody(2)))
    assert path is not None and path.startswith(str(tmp_path / "takes")) and path.endswith(".mid")
    qtbot.waitUntil(lambda: window.session.sample_model.rowCount() == 1, timeout=10000)
    assert "Recording" in window.session.sample_model.sample_at(0).name
    monkeypatch.setenv(midi_ports.RECORDINGS_DIR_ENV, str(tmp_path / "takes" / Path(path).name / "sub"))
    assert window.playback.add_recording(b"MThd") is None and "could not be saved" in window.statusBar().currentMessage()
