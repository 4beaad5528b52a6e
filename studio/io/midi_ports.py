"""Sending melodies to a MIDI output port (a DAW, a hardware or software synth) through mido.

Ports need a MIDI backend: python-rtmidi, the optional ``[midi-ports]`` extra
(``pip install -e '.[midi-ports]'``). Without it :func:`output_names` and :func:`open_output`
raise :class:`MidiPortError` saying so; the built-in preview synth and MIDI export work anyway.

* :func:`schedule` turns a melody into timed ``note_on`` / ``note_off`` messages (seconds from
  a start tick, at a tempo scale), note-offs first at equal times so a repeated note re-sounds;
* :class:`PortPlayer` sends a schedule against a clock: :meth:`~PortPlayer.send_due` sends what
  is due (a caller's timer, or :func:`play_blocking`, calls it), :meth:`~PortPlayer.stop`
  silences every sounding note (note-offs, then "all notes off");
* :func:`run_midi_out` is ``python main.py midi-out``: list the ports, or play MIDI files on one.

This module never imports Qt; the window's player drives a :class:`PortPlayer` from a timer.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


def output_names() -> list[str]:
    """The system's MIDI output ports. Raises MidiPortError without a backend."""
    try:
        return list(_mido().get_output_names())
    except (ImportError, OSError, RuntimeError) as exc:
        raise MidiPortError(f"{BACKEND_HINT} ({exc})") from exc


def open_output(name: str) -> OutputPort:
    """Open the output port called ``name`` (a unique start of the name is enough).

    Raises MidiPortError naming the port when it is unknown, ambiguous or refuses to open.
    """
    names = output_names()
    matches = [n for n in names if n == name] or [n for n in names if n.startswith(name)]
    if len(matches) != 1:
        listed = ", ".join(repr(n) for n in names) or "none"
        why = "matches several ports" if matches else "is not a MIDI output port here"
        raise MidiPortError(f"{name!r} {why} (ports: {listed})")
    try:
        return _mido().open_output(matches[0])
    except (OSError, RuntimeError) as exc:
        raise MidiPortError(f"the MIDI port {matches[0]!r} could not be opened ({exc})") from exc


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
    from studio.domains.melody.synth import seconds_per_tick  # numpy: only when playing

    if not tempo_scale > 0:
        raise ValueError(f"tempo_scale must be > 0, got {tempo_scale}")
    per_tick = seconds_per_tick(melody, tempo_scale)
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


def run_midi_out(args: argparse.Namespace) -> int:
    """List ports or play files; 0 on success, 2 for bad input, 1 when no port can be used."""
    from studio.errors import SampleLoadError
    from studio.io.midi import read_midi

    if not 50 <= args.tempo <= 200 or not 1 <= args.channel <= 16:
        print("error: --tempo must be 50-200 and --channel 1-16", file=sys.stderr)
        return 2
    try:
        if args.list:
            names = output_names()
            print("\n".join(names) if names else "no MIDI output ports")
            return 0
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
