"""Sending melodies to a MIDI output port (a DAW, a hardware or software synth) through mido.

Ports need a MIDI backend: python-rtmidi, the optional ``[midi-ports]`` extra
(``pip install -e '.[midi-ports]'``). Without it :func:`output_names` and :func:`open_output`
raise :class:`MidiPortError` saying so; the built-in preview synth and MIDI export work anyway.

* :func:`schedule` turns a melody into timed ``note_on`` / ``note_off`` messages (seconds from
  a start tick, at a tempo scale), note-offs first at equal times so a repeated note re-sounds;
* :class:`PortPlayer` sends a schedule against a clock: :meth:`~PortPlayer.send_due` sends what
  is due (a caller's timer, or :func:`play_blocking`, calls it), :meth:`~PortPlayer.stop`
  silences every sounding note (note-offs, then "all notes off");
* :func:`run_midi_out` is ``python main.py midi-out``: list the ports, or play MIDI files on one;
* :class:`Recorder` collects what a MIDI keyboard plays on an input port (:func:`open_input`
  calls it from the port's thread) and writes it as a MIDI file, which is then imported like
  any other (:func:`run_midi_record` is ``python main.py midi-record``).

This module never imports Qt; the window's player drives a :class:`PortPlayer` from a timer.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from studio.core.melody import Melody
from studio.errors import StudioError

BACKEND_HINT = "MIDI ports need python-rtmidi: pip install -e '.[midi-ports]'"
ALL_NOTES_OFF = 123  # control change number
VELOCITY_RANGE = (1, 127)


class MidiPortError(StudioError):
    """A MIDI port could not be listed or opened (no backend, unknown name, device refused)."""


class OutputPort(Protocol):
    """What a mido output port offers (tests pass a recorder)."""

    def send(self, message: Any) -> None: ...

    def close(self) -> None: ...


def _mido():
    import mido

    return mido


def _port_error(exc: Exception) -> MidiPortError:
    """What went wrong, in words a user can act on: no backend installed, or no MIDI service."""
    if isinstance(exc, ImportError):
        return MidiPortError(f"{BACKEND_HINT} ({exc})")
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return MidiPortError(f"the system's MIDI service is not available ({reason}); on Linux the ALSA "
                         "sequencer (/dev/snd/seq) is needed")


def output_names() -> list[str]:
    """The system's MIDI output ports. Raises MidiPortError without a backend or a MIDI service."""
    try:
        return list(_mido().get_output_names())
    except (ImportError, OSError, RuntimeError) as exc:
        raise _port_error(exc) from exc


def open_output(name: str) -> OutputPort:
    """Open the output port called ``name`` (a unique start of the name is enough).

    Raises MidiPortError naming the port when it is unknown, ambiguous or refuses to open.
    """
    chosen = _match(name, output_names(), "output")
    try:
        return _mido().open_output(chosen)
    except (OSError, RuntimeError) as exc:
        raise MidiPortError(f"the MIDI port {chosen!r} could not be opened ({exc})") from exc


RECORDINGS_DIR_ENV = "STUDIO_RECORDINGS_DIR"


def recordings_dir() -> Path:
    """Where the window keeps keyboard recordings: ``$STUDIO_RECORDINGS_DIR``, else
    ``$XDG_DATA_HOME/meta-creation-studio/recordings``, else ``~/.local/share/...``."""
    override = os.environ.get(RECORDINGS_DIR_ENV)
    if override:
        return Path(override)
    data = os.environ.get("XDG_DATA_HOME", "")
    base = Path(data) if os.path.isabs(data) else Path.home() / ".local" / "share"
    return base / "meta-creation-studio" / "recordings"


def input_names() -> list[str]:
    """The system's MIDI input ports (keyboards). Raises MidiPortError as :func:`output_names`."""
    try:
        return list(_mido().get_input_names())
    except (ImportError, OSError, RuntimeError) as exc:
        raise _port_error(exc) from exc


def open_input(name: str, callback: Callable[[Any], None]) -> OutputPort:
    """Open the input port ``name`` (exact or a unique start); ``callback(message)`` is called
    from the port's own thread for every message. Raises MidiPortError as :func:`open_output`."""
    chosen = _match(name, input_names(), "input")
    try:
        return _mido().open_input(chosen, callback=callback)
    except (OSError, RuntimeError) as exc:
        raise MidiPortError(f"the MIDI port {chosen!r} could not be opened ({exc})") from exc


def _match(name: str, names: list[str], kind: str) -> str:
    matches = [n for n in names if n == name] or [n for n in names if n.startswith(name)]
    if len(matches) != 1:
        listed = ", ".join(repr(n) for n in names) or "none"
        why = "matches several ports" if matches else f"is not a MIDI {kind} port here"
        raise MidiPortError(f"{name!r} {why} (ports: {listed})")
    return matches[0]


class Recorder:
    """Collects note messages with their arrival times (thread-safe: the port's thread calls
    it) and writes them as a one-track MIDI file that starts at the first note."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._events: list[tuple[float, Any]] = []

    def __call__(self, message: Any) -> None:
        if getattr(message, "type", None) in ("note_on", "note_off"):
            with self._lock:
                self._events.append((self._clock(), message))

    @property
    def notes(self) -> int:
        """Notes played so far (note-ons with a velocity)."""
        with self._lock:
            return sum(m.type == "note_on" and m.velocity > 0 for _, m in self._events)

    def clear(self) -> None:
        with self._lock:
            self._events.clear()

    def midi_bytes(self, tempo_bpm: float = 120.0, time_signature: tuple[int, int] = (4, 4),
                   ticks_per_beat: int = 480) -> bytes:
        """The recording as a type 0 MIDI file at ``tempo_bpm`` (the first note on beat one).
        Raises MidiPortError when nothing was played."""
        mido = _mido()
        with self._lock:
            events = list(self._events)
        onsets = [t for t, m in events if m.type == "note_on" and m.velocity > 0]
        if not onsets:
            raise MidiPortError("nothing was recorded: no note was played")
        start = min(onsets)
        per_second = ticks_per_beat * tempo_bpm / 60.0
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo_bpm), time=0))
        track.append(mido.MetaMessage("time_signature", numerator=time_signature[0],
                                      denominator=time_signature[1], time=0))
        previous = 0
        for when, message in sorted(events, key=lambda e: e[0]):
            tick = max(0, round((when - start) * per_second))
            track.append(message.copy(channel=0, time=tick - previous))
            previous = tick
        track.append(mido.MetaMessage("end_of_track", time=0))
        midi = mido.MidiFile(type=0, ticks_per_beat=ticks_per_beat)
        midi.tracks.append(track)
        buffer = io.BytesIO()
        midi.save(file=buffer)
        return buffer.getvalue()


@dataclass(frozen=True)
class Event:
    """One message of a schedule: ``seconds`` after the start."""

    seconds: float
    kind: str  # "note_on" or "note_off"
    note: int
    velocity: int

    def message(self, channel: int) -> Any:
        return _mido().Message(self.kind, channel=channel, note=self.note, velocity=self.velocity)


def schedule(melody: Melody, tempo_scale: float = 1.0, start_tick: float = 0.0) -> list[Event]:
    """The melody's notes from ``start_tick`` on as timed events (a note already sounding at
    ``start_tick`` is left out), in time order with note-offs before note-ons at equal times."""
    if not tempo_scale > 0:
        raise ValueError(f"tempo_scale must be > 0, got {tempo_scale}")
    per_tick = melody.seconds_per_tick(tempo_scale)
    events = []
    for note in melody.notes:
        if note.start < start_tick:
            continue
        velocity = min(VELOCITY_RANGE[1], max(VELOCITY_RANGE[0], int(note.velocity)))
        events.append(Event((note.start - start_tick) * per_tick, "note_on", note.pitch, velocity))
        events.append(Event((note.end - start_tick) * per_tick, "note_off", note.pitch, 0))
    return sorted(events, key=lambda e: (e.seconds, e.kind == "note_on"))


class PortPlayer:
    """Sends one schedule at a time to a port, against ``clock`` (seconds)."""

    def __init__(self, port: OutputPort, channel: int = 0, clock: Callable[[], float] = time.monotonic,
                 name: str = "") -> None:
        if not 0 <= channel <= 15:
            raise ValueError(f"channel must be 0..15, got {channel}")
        self.port, self.channel, self._clock, self.name = port, channel, clock, name
        self._events: list[Event] = []
        self._next = 0
        self._started = 0.0
        self._sounding: set[int] = set()

    @property
    def finished(self) -> bool:
        return self._next >= len(self._events)

    def start(self, events: Sequence[Event]) -> None:
        """Silence what plays and start ``events`` now."""
        self.stop()
        self._events, self._next, self._started = list(events), 0, self._clock()

    def send_due(self) -> int:
        """Send every event whose time has come; returns how many were sent.

        Raises MidiPortError when the port fails (it was unplugged)."""
        elapsed = self._clock() - self._started
        sent = 0
        while self._next < len(self._events) and self._events[self._next].seconds <= elapsed:
            event = self._events[self._next]
            self._send(event.message(self.channel))
            if event.kind == "note_on":
                self._sounding.add(event.note)
            else:
                self._sounding.discard(event.note)
            self._next += 1
            sent += 1
        return sent

    def stop(self) -> None:
        """Forget the schedule and silence every sounding note."""
        self._events, self._next = [], 0
        if not self._sounding:
            return
        mido = _mido()
        try:
            for note in sorted(self._sounding):
                self._send(mido.Message("note_off", channel=self.channel, note=note, velocity=0))
            self._send(mido.Message("control_change", channel=self.channel, control=ALL_NOTES_OFF, value=0))
        finally:
            self._sounding.clear()

    def close(self) -> None:
        self.stop()
        self.port.close()

    def _send(self, message: Any) -> None:
        try:
            self.port.send(message)
        except (OSError, RuntimeError) as exc:
            raise MidiPortError(f"the MIDI port stopped taking messages ({exc})") from exc


def play_blocking(player: PortPlayer, events: Sequence[Event], tick_s: float = 0.002,
                  sleep: Callable[[float], None] = time.sleep) -> None:
    """Send ``events`` in real time and return when the last one is out (Ctrl+C silences and
    re-raises)."""
    player.start(events)
    try:
        while not player.finished:
            player.send_due()
            sleep(tick_s)
    except KeyboardInterrupt:
        player.stop()
        raise


# --- python main.py midi-out ---------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE.mid", help="MIDI files to play, one after another")
    parser.add_argument("--list", action="store_true", help="list the MIDI output ports and exit")
    parser.add_argument("--port", default=None, help="output port name (or a unique start of it)")
    parser.add_argument("--tempo", type=float, default=100.0, help="percent of each file's tempo (50-200)")
    parser.add_argument("--channel", type=int, default=1, help="MIDI channel 1-16 (default 1)")


def _print_ports(names: list[str], kind: str) -> int:
    print("\n".join(names) if names else f"no MIDI {kind} ports")
    return 0


def run_midi_out(args: argparse.Namespace) -> int:
    """List ports or play files; 0 on success, 2 for bad input, 1 when no port can be used."""
    from studio.errors import SampleLoadError
    from studio.io.midi import read_midi

    if not 50 <= args.tempo <= 200 or not 1 <= args.channel <= 16:
        print("error: --tempo must be 50-200 and --channel 1-16", file=sys.stderr)
        return 2
    try:
        if args.list:
            return _print_ports(output_names(), "output")
        if not args.files or not args.port:
            print("error: give MIDI files and --port NAME (or --list)", file=sys.stderr)
            return 2
        melodies = []
        for path in args.files:
            try:
                with open(path, "rb") as handle:
                    melodies.append(read_midi(path, handle.read()))
            except (OSError, SampleLoadError) as exc:
                print(f"error: {path}: {exc}", file=sys.stderr)
                return 2
        player = PortPlayer(open_output(args.port), args.channel - 1, name=args.port)
        try:
            for path, melody in zip(args.files, melodies):
                print(f"playing {path} on {args.port}", file=sys.stderr)
                play_blocking(player, schedule(melody, args.tempo / 100.0))
        except KeyboardInterrupt:
            return 130
        finally:
            player.close()
    except MidiPortError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


# --- python main.py midi-record ------------------------------------------------------------------

def add_record_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--list", action="store_true", help="list the MIDI input ports and exit")
    parser.add_argument("--port", default=None, help="input port name (or a unique start of it)")
    parser.add_argument("--out", default=None, metavar="FILE.mid", help="where to write the recording")
    parser.add_argument("--seconds", type=float, default=30.0, help="stop after this long (Ctrl+C stops sooner)")
    parser.add_argument("--tempo", type=float, default=120.0, help="tempo written into the file (BPM)")


def run_midi_record(args: argparse.Namespace, sleep: Callable[[float], None] = time.sleep) -> int:
    """Record from a MIDI input port into a file; 0 on success, 2 for bad input, 1 when no port
    can be used or nothing was played."""
    from studio.io.midi import read_midi

    if not 0 < args.seconds <= 3600 or not 20 <= args.tempo <= 300:
        print("error: --seconds must be in 0..3600 and --tempo in 20..300", file=sys.stderr)
        return 2
    try:
        if args.list:
            return _print_ports(input_names(), "input")
        if not args.port or not args.out:
            print("error: give --port NAME and --out FILE.mid (or --list)", file=sys.stderr)
            return 2
        recorder = Recorder()
        port = open_input(args.port, recorder)
        print(f"recording from {args.port} for {args.seconds:g} s (Ctrl+C stops)", file=sys.stderr)
        try:
            sleep(args.seconds)
        except KeyboardInterrupt:
            pass
        finally:
            port.close()
        data = recorder.midi_bytes(args.tempo)
        read_midi(args.out, data)  # refuse what would not import (e.g. a recording of only drums)
        with open(args.out, "wb") as handle:
            handle.write(data)
    except MidiPortError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (OSError, StudioError) as exc:
        print(f"error: {args.out}: {exc}", file=sys.stderr)
        return 1
    print(f"{recorder.notes} notes written to {args.out}", file=sys.stderr)
    return 0
