"""Sending melodies to MIDI output ports: the schedule, the port player, errors without a
backend, and ``python main.py midi-out`` (with recording ports: no MIDI backend needed)."""

from __future__ import annotations

import argparse
import types

import pytest

from studio.core.melody import KeySignature, Melody, Note
from studio.io import midi_ports
from studio.io.midi import write_midi
from studio.io.midi_ports import MidiPortError, PortPlayer, schedule


def melody(tempo: float = 60.0) -> Melody:  # 1 s per quarter note at 60 BPM
    notes = (Note(60, 0, 24, 90), Note(60, 24, 24), Note(64, 48, 48, 127))
    return Melody(notes, tempo, (4, 4), KeySignature(0))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class RecordingPort:
    def __init__(self, fail: bool = False) -> None:
        self.messages: list = []
        self.closed = False
        self.fail = fail

    def send(self, message) -> None:
        if self.fail:
            raise OSError("device unplugged")
        self.messages.append(message)

    def close(self) -> None:
        self.closed = True


def test_schedule_times_notes_offs_first_and_follows_tempo_and_start() -> None:
    events = schedule(melody())
    assert [(e.seconds, e.kind, e.note) for e in events] == [
        (0.0, "note_on", 60), (1.0, "note_off", 60), (1.0, "note_on", 60), (2.0, "note_off", 60),
        (2.0, "note_on", 64), (4.0, "note_off", 64)]
    assert events[0].velocity == 90 and events[4].velocity == 127
    assert [e.seconds for e in schedule(melody(), tempo_scale=2.0)][-1] == 2.0
    later = schedule(melody(), start_tick=24)
    assert later[0].seconds == 0.0 and len(later) == 4  # the note already sounding is left out
    with pytest.raises(ValueError):
        schedule(melody(), tempo_scale=0)


def test_port_player_sends_what_is_due_and_silences_on_stop() -> None:
    clock, port = Clock(), RecordingPort()
    player = PortPlayer(port, channel=2, clock=clock)
    player.start(schedule(melody()))
    assert player.send_due() == 1 and port.messages[0].type == "note_on" and port.messages[0].channel == 2
    clock.now = 2.5
    assert player.send_due() == 4 and not player.finished
    player.stop()  # the E is sounding: note off, then all notes off
    assert [m.type for m in port.messages[-2:]] == ["note_off", "control_change"]
    assert port.messages[-2].note == 64 and port.messages[-1].control == midi_ports.ALL_NOTES_OFF
    sent = len(port.messages)
    player.stop()
    assert len(port.messages) == sent  # nothing sounds: nothing to send
    player.close()
    assert port.closed
    with pytest.raises(ValueError):
        PortPlayer(port, channel=16)


def test_a_failing_port_raises_a_port_error() -> None:
    player = PortPlayer(RecordingPort(fail=True), clock=Clock())
    player.start(schedule(melody()))
    with pytest.raises(MidiPortError, match="stopped taking messages"):
        player.send_due()


def test_without_a_backend_listing_and_opening_say_what_to_install(monkeypatch) -> None:
    def missing():
        raise ImportError("No module named 'rtmidi'")

    monkeypatch.setattr(midi_ports, "_mido", lambda: types.SimpleNamespace(get_output_names=missing))
    with pytest.raises(MidiPortError, match=r"python-rtmidi.*midi-ports"):
        midi_ports.output_names()
    with pytest.raises(MidiPortError, match="python-rtmidi"):
        midi_ports.open_output("Synth")


def test_a_backend_without_a_midi_service_says_so_not_to_install_it(monkeypatch) -> None:
    def no_service():
        raise OSError("MidiOutAlsa::initialize: error creating ALSA sequencer client object.")

    monkeypatch.setattr(midi_ports, "_mido", lambda: types.SimpleNamespace(get_output_names=no_service,
                                                                            get_input_names=no_service))
    for listing in (midi_ports.output_names, midi_ports.input_names):
        with pytest.raises(MidiPortError, match="MIDI service is not available.*ALSA") as caught:
            listing()
        assert "python-rtmidi" not in str(caught.value)


def test_open_output_matches_a_unique_start_of_the_name(monkeypatch) -> None:
    opened = []
    fake = types.SimpleNamespace(get_output_names=lambda: ["Synth A:0", "Synth B:0", "DAW in"],
                                 open_output=lambda name: opened.append(name) or RecordingPort())
    monkeypatch.setattr(midi_ports, "_mido", lambda: fake)
    midi_ports.open_output("DAW")
    assert opened == ["DAW in"]
    with pytest.raises(MidiPortError, match="several"):
        midi_ports.open_output("Synth")
    with pytest.raises(MidiPortError, match=r"'Piano' is not a MIDI output port here \(ports: 'Synth A:0'"):
        midi_ports.open_output("Piano")


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    midi_ports.add_arguments(parser)
    return parser.parse_args(argv)


def test_cli_lists_plays_and_names_bad_files(monkeypatch, tmp_path, capsys) -> None:
    port = RecordingPort()
    monkeypatch.setattr(midi_ports, "output_names", lambda: ["DAW in"])
    monkeypatch.setattr(midi_ports, "open_output", lambda name: port)
    monkeypatch.setattr(midi_ports.time, "sleep", lambda s: None)
    assert midi_ports.run_midi_out(_args("--list")) == 0 and capsys.readouterr().out.strip() == "DAW in"
    good = tmp_path / "tune.mid"
    good.write_bytes(write_midi(melody(tempo=1000.0)))  # fast: played in real time (0.12 s)
    assert midi_ports.run_midi_out(_args(str(good), "--port", "DAW", "--channel", "3", "--tempo", "200")) == 0
    assert [m.type for m in port.messages].count("note_on") == 3 and port.closed
    assert {m.channel for m in port.messages} == {2}
    bad = tmp_path / "broken.mid"
    bad.write_text("not midi")
    assert midi_ports.run_midi_out(_args(str(good), str(bad), "--port", "DAW")) == 2
    assert "broken.mid" in capsys.readouterr().err
    assert midi_ports.run_midi_out(_args(str(good))) == 2  # no port
    assert midi_ports.run_midi_out(_args("--list", "--tempo", "20")) == 2


def test_cli_without_a_backend_exits_1_with_the_hint(monkeypatch, capsys) -> None:
    def missing() -> list[str]:
        raise MidiPortError(midi_ports.BACKEND_HINT)

    monkeypatch.setattr(midi_ports, "output_names", missing)
    assert midi_ports.run_midi_out(_args("--list")) == 1
    assert "python-rtmidi" in capsys.readouterr().err


def _played(recorder, clock, notes) -> None:
    """Feed (pitch, start s, end s) notes to a recorder as a keyboard would."""
    import mido

    timeline = sorted([(s, mido.Message("note_on", note=p, velocity=70)) for p, s, _ in notes]
                      + [(e, mido.Message("note_off", note=p)) for p, _, e in notes], key=lambda x: x[0])
    for when, message in timeline:
        clock.now = when
        recorder(message)


def test_a_recording_becomes_a_midi_file_that_starts_at_the_first_note() -> None:
    from studio.io.midi import read_midi

    clock = Clock()
    recorder = midi_ports.Recorder(clock)
    with pytest.raises(MidiPortError, match="nothing was recorded"):
        recorder.midi_bytes()
    recorder(types.SimpleNamespace(type="control_change"))  # ignored
    _played(recorder, clock, [(60, 3.0, 3.5), (62, 3.5, 4.0), (64, 4.0, 5.0)])  # 0.5 s = a quarter at 120 BPM
    assert recorder.notes == 3
    melody = read_midi("take.mid", recorder.midi_bytes(tempo_bpm=120))
    assert [(n.pitch, n.start, n.duration) for n in melody.notes] == [(60, 0, 24), (62, 24, 24), (64, 48, 48)]
    assert melody.tempo_bpm == pytest.approx(120)
    recorder.clear()
    assert recorder.notes == 0


def test_cli_records_from_a_port_into_a_file(monkeypatch, tmp_path, capsys) -> None:
    from studio.io.midi import read_midi

    port = RecordingPort()
    clock = Clock()
    captured = {}

    def opener(name, callback):
        captured["callback"] = callback
        return port

    def play_while_waiting(seconds: float) -> None:
        recorder = captured["callback"]
        recorder._clock = clock
        _played(recorder, clock, [(67, 0.0, 0.5), (69, 0.5, 1.0)])

    monkeypatch.setattr(midi_ports, "open_input", opener)
    out = tmp_path / "take.mid"
    parser = argparse.ArgumentParser()
    midi_ports.add_record_arguments(parser)
    args = parser.parse_args(["--port", "Keys", "--out", str(out), "--seconds", "5"])
    assert midi_ports.run_midi_record(args, sleep=play_while_waiting) == 0 and port.closed
    assert [n.pitch for n in read_midi(str(out), out.read_bytes()).notes] == [67, 69]
    assert "2 notes written" in capsys.readouterr().err
    silent = parser.parse_args(["--port", "Keys", "--out", str(tmp_path / "none.mid"), "--seconds", "1"])
    assert midi_ports.run_midi_record(silent, sleep=lambda s: None) == 1
    assert "nothing was recorded" in capsys.readouterr().err and not (tmp_path / "none.mid").exists()
    assert midi_ports.run_midi_record(parser.parse_args(["--port", "Keys"])) == 2
