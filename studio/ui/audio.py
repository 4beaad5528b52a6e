"""Melody playback: the preview synth through QtMultimedia, and a playhead that follows it.

QtMultimedia is imported lazily, at the first Play, because it is heavy and because it may
not load at all (on a machine without ``libpulse`` ``import PySide6.QtMultimedia`` fails).
When it cannot load, or the system has no audio output, :class:`Player` says so ONCE
(``sig_notice`` with :data:`NO_AUDIO_MESSAGE`, which the window shows in its status bar) and
plays silently: the playhead still moves, so the piano roll still shows the timing, and MIDI
export still works.

The playhead follows a clock (``time.monotonic`` by default; tests pass a fake one) from the
moment the audio starts, advanced by a ~30 Hz QTimer that emits ``sig_position``.

With a MIDI output set (:meth:`Player.set_midi_output`, a :class:`~studio.io.midi_ports.PortPlayer`)
the melody goes to that port instead of the synth, sent by a 2 ms timer; if the port fails the
player says so (``sig_notice``) and goes back to the built-in synth.

A melody that carries chords plays them softly under the line (:func:`render_preview`), unless
:meth:`Player.set_play_chords` turned that off: block chords at a low velocity, voiced below the
melody, in a gentler tone than the melody's (a fundamental and a quiet octave, swelling in
over 30 ms and fading slowly) so they sit behind it; through a MIDI port they go to the same
channel at the same low velocity.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from studio.core.melody import Melody, Note
from studio.domains.melody.synth import RELEASE_S, VOICE_PEAK, frequency, mix_notes, render
from studio.io.midi_ports import Event, MidiPortError, PortPlayer, schedule
from studio.ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:  # QtMultimedia loads lazily: it fails on systems without libpulse
    from PySide6.QtCore import QBuffer
    from PySide6.QtMultimedia import QAudioDevice

NO_AUDIO_MESSAGE = QT_TRANSLATE_NOOP("Player", "No audio output: playback is off; MIDI export still works")
TEMPO_RANGE = (50, 200)  # percent of the melody's own tempo
POSITION_INTERVAL_MS = 33
MIDI_INTERVAL_MS = 2  # how often due MIDI messages are sent (their timing jitter)
_FORMATS = ((22050, 1), (44100, 1), (44100, 2), (48000, 1), (48000, 2))  # tried in this order
CHORD_VELOCITY = 32  # the chords' velocity under the melody (whose notes are usually 64..100)
CHORD_GAIN = 0.4  # the built-in synth's chords, on top of the velocity: about 8 dB under a melody
CHORD_LOWEST, CHORD_HIGHEST = 40, 67  # the chords' register: E2 .. G4, below the melody where it can be
CHORD_OCTAVE = 0.2  # the chords' tone: the fundamental and this much of its octave, nothing higher
CHORD_DECAY = 0.8  # per second: the chords fade slowly, like a soft pad
PEAK = 0.95  # the preview is scaled down when melody and chords together would pass this
CHORD_ATTACK_S = 0.03  # the chords swell in over this (the melody's notes strike in 5 ms)


def chord_voices(melody: Melody) -> list[Melody]:
    """The melody's chords as block-chord voices: voice ``i`` holds the ``i``-th lowest tone of
    every chord, each a monophonic :class:`Melody` with the melody's tempo and meter.

    Each chord is voiced in close position from its root (a slash bass an octave lower), placed
    as high as fits under the melody's lowest note within E2..G4; chords are cut at the melody's
    end, "no chord" spans are silent. A melody without chords or notes gives no voices."""
    if not melody.chords or not melody.notes:
        return []
    end = melody.length_ticks
    ceiling = max(CHORD_LOWEST + 14, min(CHORD_HIGHEST, melody.pitch_range[0] - 1))
    columns: list[list[Note]] = []
    for span in melody.chords:
        if span.chord is None or span.start >= end:
            continue
        chord = span.chord
        # the ninth of a 9 chord (folded to 2 in QUALITIES) sounds above the octave
        steps = sorted(i + (12 if i == 2 and chord.quality == "9" else 0) for i in chord.intervals)
        root = CHORD_LOWEST + (chord.root - CHORD_LOWEST) % 12
        while root + 12 + steps[-1] <= ceiling:
            root += 12
        pitches = [root + s for s in steps]
        if chord.bass is not None:
            bass = root - 12 + (chord.bass - root) % 12
            pitches = [bass] + [p for p in pitches if p % 12 != chord.bass]
        duration = min(span.end, end) - span.start
        for i, pitch in enumerate(sorted(pitches)):
            while len(columns) <= i:
                columns.append([])
            columns[i].append(Note(pitch, span.start, duration, CHORD_VELOCITY))
    return [replace(melody, notes=tuple(notes), chords=(), name="", key=None) for notes in columns]


def _soft_tone(pitch: int, length: int, sample_rate: int) -> np.ndarray:
    """``length`` samples of the chords' gentle tone at full velocity (times :data:`CHORD_GAIN`),
    float32, no attack or release: the fundamental and a quiet octave (:data:`CHORD_OCTAVE`),
    fading slowly."""
    t = np.arange(length, dtype=np.float32) / np.float32(sample_rate)
    x = np.float32(2.0 * np.pi * frequency(pitch)) * t
    sine = np.sin(x)
    out = sine * (np.float32(1.0) + np.float32(2.0 * CHORD_OCTAVE) * np.cos(x))  # sin x + a sin 2x
    out *= np.exp(np.float32(-CHORD_DECAY) * t)
    out *= np.float32(CHORD_GAIN * VOICE_PEAK / (1.0 + CHORD_OCTAVE))
    return np.asarray(out, dtype=np.float32)


def _backing(melody: Melody, sample_rate: int, tempo_scale: float, length: int) -> np.ndarray:
    """The chord voices of ``melody`` mixed as float32 PCM (full scale 1.0), ``length`` samples:
    :func:`_soft_tone` once per pitch, each chord note a slice of it with a slow
    :data:`CHORD_ATTACK_S` swell and the synth's release."""
    swell_n = max(1, round(CHORD_ATTACK_S * sample_rate))
    swell = (0.5 - 0.5 * np.cos(np.pi * np.arange(swell_n) / swell_n)).astype(np.float32)
    notes = [note for voice in chord_voices(melody) for note in voice.notes]
    return mix_notes(notes, melody.seconds_per_tick(tempo_scale), sample_rate, length, _soft_tone, swell)


def render_preview(melody: Melody, sample_rate: int = 22050, tempo_scale: float = 1.0,
                   chords: bool = True) -> np.ndarray:
    """The preview's PCM: the melody by :func:`~studio.domains.melody.synth.render`, with its
    chords (:func:`chord_voices`) in a soft tone underneath when ``chords`` is on; int16, mono, as long
    as the melody's own render. Raises ValueError as ``render`` does."""
    pcm = render(melody, sample_rate, tempo_scale)
    if not chords or not melody.chords or not len(pcm):
        return pcm
    mix = pcm.astype(np.float32) / np.float32(32767.0) + _backing(melody, sample_rate, tempo_scale, len(pcm))
    peak = float(np.abs(mix).max())
    if peak > PEAK:
        mix *= np.float32(PEAK / peak)
    return np.asarray(np.round(mix * np.float32(32767.0)), dtype=np.int16)


def preview_schedule(melody: Melody, tempo_scale: float = 1.0, start_tick: float = 0.0,
                     chords: bool = True) -> list[Event]:
    """:func:`~studio.io.midi_ports.schedule` of the melody and, when ``chords`` is on, of its
    chord voices, merged in time order (note-offs first at equal times)."""
    events = schedule(melody, tempo_scale, start_tick)
    if chords:
        for voice in chord_voices(melody):
            events += schedule(voice, tempo_scale, start_tick)
    return sorted(events, key=lambda e: (e.seconds, e.kind == "note_on"))


class AudioOutput(Protocol):
    """Where rendered PCM goes."""

    sample_rate: int

    def start(self, pcm: np.ndarray) -> None:
        """Play mono int16 ``pcm`` from its start, replacing anything playing.

        Raises OSError when the device refuses to open (the player then goes silent)."""

    def stop(self) -> None:
        """Stop at once (nothing happens if nothing plays)."""


class SilentOutput:
    """An output that plays nothing: with it the player only moves the playhead."""

    sample_rate = 22050

    def start(self, pcm: np.ndarray) -> None:  # noqa: ARG002 - nothing to play it on
        return None

    def stop(self) -> None:
        return None


class QtAudioOutput:
    """A ``QAudioSink`` fed from a ``QBuffer`` holding the whole rendered melody."""

    def __init__(self, device: QAudioDevice, sample_rate: int, channels: int, parent: QObject | None = None) -> None:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink

        fmt = QAudioFormat()
        fmt.setSampleRate(sample_rate)
        fmt.setChannelCount(channels)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self.sample_rate = sample_rate
        self._channels = channels
        self._sink = QAudioSink(device, fmt, parent)
        self._buffer: QBuffer | None = None

    def start(self, pcm: np.ndarray) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        self.stop()
        data = np.asarray(pcm, dtype="<i2")
        if self._channels > 1:
            data = np.repeat(data[:, None], self._channels, axis=1)
        buffer = QBuffer()
        buffer.setData(QByteArray(data.tobytes()))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self._sink.start(buffer)
        error = self._sink.error()
        if error != type(error).NoError:
            self.stop()
            raise OSError(f"the audio device could not be opened ({error.name})")

    def stop(self) -> None:
        self._sink.stop()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer = None


def probe_output(parent: QObject | None = None) -> tuple[AudioOutput | None, str]:
    """The system's default audio output, or ``(None, why not)``; imports QtMultimedia."""
    try:
        from PySide6.QtMultimedia import QAudioFormat, QMediaDevices
    except ImportError as exc:  # e.g. libpulse.so.0 missing
        return None, f"QtMultimedia could not be loaded ({exc})"
    if not QMediaDevices.audioOutputs():
        return None, "the system lists no audio output device"
    device = QMediaDevices.defaultAudioOutput()
    if device.isNull():
        device = QMediaDevices.audioOutputs()[0]
    for rate, channels in _FORMATS:
        fmt = QAudioFormat()
        fmt.setSampleRate(rate)
        fmt.setChannelCount(channels)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if device.isFormatSupported(fmt):
            return QtAudioOutput(device, rate, channels, parent), ""
    return None, f"the audio device {device.description()!r} takes no 16-bit format the preview can give"


OutputFactory = Callable[[QObject | None], tuple[AudioOutput | None, str]]


class Player(QObject):
    """Plays one melody at a time, identified by a caller's ``key`` (a work id, a sample digest).

    Signals: ``sig_playing_changed(key, playing)``, ``sig_position(key, tick)`` (ticks from the
    melody's start, ~30 times a second while playing) and ``sig_notice(text)`` (once, when
    playback turns out to be silent).
    """

    sig_playing_changed = Signal(str, bool)
    sig_position = Signal(str, float)
    sig_notice = Signal(str)

    def __init__(self, parent: QObject | None = None, output_factory: OutputFactory = probe_output,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._factory = output_factory
        self._clock = clock
        self._output: AudioOutput | None = None
        self._silent = False
        self._reason = ""
        self._tempo_scale = 1.0
        self._play_chords = True
        self._melody: Melody | None = None
        self._key = ""
        self._start_tick = 0.0
        self._started_at = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(POSITION_INTERVAL_MS)
        self._timer.timeout.connect(self.update_position)
        self._midi: PortPlayer | None = None
        self._midi_timer = QTimer(self)
        self._midi_timer.setInterval(MIDI_INTERVAL_MS)
        self._midi_timer.timeout.connect(self.send_midi)

    # -- state -------------------------------------------------------------------------------------

    def audio_available(self) -> bool | None:
        """True with sound, False silent, None before the first Play (nothing probed yet)."""
        return None if self._output is None else not self._silent

    def silence_reason(self) -> str:
        return self._reason

    def is_playing(self, key: str | None = None) -> bool:
        return self._melody is not None and (key is None or key == self._key)

    def playing_key(self) -> str:
        return self._key if self._melody is not None else ""

    def tempo_scale(self) -> float:
        return self._tempo_scale

    def plays_chords(self) -> bool:
        return self._play_chords

    @Slot(bool)
    def set_play_chords(self, on: bool) -> None:
        """Play a melody's chords under it (on) or the melody alone; a playing melody goes on
        from where it is with the change."""
        on = bool(on)
        if on == self._play_chords:
            return
        self._play_chords = on
        if self._melody is not None:
            tick, melody, key = self.position(), self._melody, self._key
            self._start(melody, key, tick)

    @property
    def clock(self) -> Callable[[], float]:
        """The clock the playhead follows (a MIDI port player should use the same)."""
        return self._clock

    def midi_output(self) -> PortPlayer | None:
        return self._midi

    def set_midi_output(self, port: PortPlayer | None) -> None:
        """Play through ``port`` (None: the built-in synth); the previous port is closed."""
        if port is self._midi:
            return
        playing = self._melody is not None
        self.stop()
        if self._midi is not None:
            try:
                self._midi.close()
            except MidiPortError:
                pass  # it is going away anyway
        self._midi = port
        if playing:
            self.sig_notice.emit(self.tr("Playback stopped: the output changed"))

    def set_tempo_scale(self, scale: float) -> None:
        """Play at ``scale`` times the melody's tempo; a playing melody goes on from where it is."""
        low, high = TEMPO_RANGE
        scale = min(high / 100, max(low / 100, float(scale)))
        if scale == self._tempo_scale:
            return
        if self._melody is not None:
            tick, melody, key = self.position(), self._melody, self._key
            self._tempo_scale = scale
            self._start(melody, key, tick)
        else:
            self._tempo_scale = scale

    def position(self) -> float:
        """The playhead in ticks from the melody's start (0 when nothing plays)."""
        if self._melody is None:
            return 0.0
        elapsed = max(0.0, self._clock() - self._started_at)
        return self._start_tick + elapsed / self._melody.seconds_per_tick(self._tempo_scale)

    # -- control -----------------------------------------------------------------------------------

    def play(self, melody: Melody, key: str = "", start_tick: float = 0.0) -> None:
        """Play ``melody`` from ``start_tick``, stopping whatever played."""
        if self._melody is not None:
            self.stop()
        self._start(melody, key, max(0.0, float(start_tick)))
        self.sig_playing_changed.emit(key, True)
        self.sig_position.emit(key, self._start_tick)

    def toggle(self, melody: Melody, key: str = "") -> bool:
        """Stop if ``key`` plays, else play it; True if it plays afterwards."""
        if self.is_playing(key):
            self.stop()
            return False
        self.play(melody, key)
        return True

    def stop(self) -> None:
        if self._melody is None:
            return
        key = self._key
        self._timer.stop()
        self._midi_timer.stop()
        if self._midi is not None:
            try:
                self._midi.stop()
            except MidiPortError as exc:
                self._midi_failed(exc)
        if self._output is not None:
            self._output.stop()
        self._melody = None
        self._key = ""
        self.sig_playing_changed.emit(key, False)

    @Slot()
    def update_position(self) -> float:
        """Emit the playhead's position (the timer calls this); stop at the melody's end."""
        if self._melody is None:
            return 0.0
        tick = self.position()
        length = float(self._melody.length_ticks)
        if tick >= length + RELEASE_S / self._melody.seconds_per_tick(self._tempo_scale):
            self.sig_position.emit(self._key, length)
            self.stop()
            return length
        self.sig_position.emit(self._key, tick)
        return tick

    # -- internals ---------------------------------------------------------------------------------

    def _ensure_output(self) -> AudioOutput:
        if self._output is None:
            output, reason = self._factory(self)
            if output is None:
                self._go_silent(reason)
            else:
                self._output = output
        assert self._output is not None
        return self._output

    def _go_silent(self, reason: str) -> None:
        """Play silently from now on, and say so once."""
        self._output, self._silent, self._reason = SilentOutput(), True, reason
        self.sig_notice.emit(self.tr(NO_AUDIO_MESSAGE))

    @Slot()
    def send_midi(self) -> None:
        """Send the MIDI messages that are due (the 2 ms timer calls this)."""
        if self._midi is None:
            return
        try:
            self._midi.send_due()
        except MidiPortError as exc:
            self._midi_failed(exc)

    def _midi_failed(self, exc: MidiPortError) -> None:
        """The port went away: drop it and say so; the next Play uses the synth."""
        self._midi_timer.stop()
        self._midi = None
        self.sig_notice.emit(self.tr("MIDI output lost ({reason}); playback uses the built-in synth").format(
            reason=exc))

    def _start(self, melody: Melody, key: str, start_tick: float) -> None:
        self._melody, self._key, self._start_tick = melody, key, start_tick
        if self._midi is not None:
            self._midi.start(preview_schedule(melody, self._tempo_scale, start_tick, self._play_chords))
        else:
            output = self._ensure_output()
            if not self._silent:
                pcm = render_preview(melody, output.sample_rate, self._tempo_scale, self._play_chords)
                offset = round(start_tick * melody.seconds_per_tick(self._tempo_scale) * output.sample_rate)
                try:
                    output.start(pcm[offset:])
                except OSError as exc:  # the device went away or refuses: carry on without sound
                    self._go_silent(str(exc))
        self._started_at = self._clock()
        self._timer.start()
        if self._midi is not None:
            self._midi_timer.start()
            self.send_midi()
