"""The preview synth: length, pitch, no clipping, no clicks, tempo, WAV output and speed."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from studio.core.melody import Melody, Note
from studio.domains.melody.synth import (
    RELEASE_S, duration_seconds, frequency, pcm_to_wav, render, to_wav_bytes,
)


def scale(tempo: float = 120.0, velocity: int = 100) -> Melody:
    return Melody(tuple(Note(p, i * 24, 24, velocity) for i, p in enumerate([60, 62, 64, 65, 67, 69, 71, 72])), tempo)


@pytest.mark.parametrize("rate", [22050, 44100])
def test_render_has_the_melodys_length_plus_the_release(rate):
    m = scale()  # 8 quarter notes at 120 BPM: 4 s
    pcm = render(m, rate)
    assert pcm.dtype == np.int16 and pcm.ndim == 1
    assert duration_seconds(m) == pytest.approx(4.0 + RELEASE_S)
    assert len(pcm) == round((4.0 + RELEASE_S) * rate) + 1


def test_tempo_scale_plays_faster_or_slower():
    m = scale()
    assert len(render(m, 22050, 2.0)) == round((2.0 + RELEASE_S) * 22050) + 1
    assert len(render(m, 22050, 0.5)) == round((8.0 + RELEASE_S) * 22050) + 1
    assert m.seconds_per_tick(2.0) == pytest.approx(0.5 / 24 / 2)


def test_loud_dense_melodies_never_clip_and_edges_do_not_click():
    m = Melody(tuple(Note(p, i * 3, 3, 127) for i, p in enumerate([36, 96, 40, 100, 48, 108] * 20)), 200.0)
    pcm = render(m).astype(np.int32)
    assert np.abs(pcm).max() < 32767 * 0.95
    low = render(Melody((Note(45, 0, 48, 127),), 120.0)).astype(np.float64) / 32767
    assert abs(low[0]) < 1e-3 and abs(low[-1]) < 1e-3  # starts and ends at silence
    steepest_sine = 2 * np.pi * frequency(45) * 5 / 22050 * 0.5  # all harmonics at full swing, generously
    assert np.abs(np.diff(low)).max() < steepest_sine


def test_a_note_sounds_at_its_pitch():
    pcm = render(Melody((Note(69, 0, 96, 100),), 60.0), 22050).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(pcm[:22050] * np.hanning(22050)))
    assert np.argmax(spectrum) == pytest.approx(440, abs=2)  # 1 Hz bins


def test_wav_bytes_are_a_mono_16_bit_file():
    data = to_wav_bytes(scale(), 44100)
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 44100)
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    assert np.array_equal(frames, render(scale(), 44100))
    assert len(pcm_to_wav(np.zeros(0, dtype=np.int16), 22050)) == 44  # header only


def test_empty_melodies_and_bad_arguments():
    assert render(Melody(())).size == 0 and duration_seconds(Melody(())) == 0.0
    with pytest.raises(ValueError, match="sample_rate"):
        render(scale(), 1000)
    with pytest.raises(ValueError, match="tempo_scale"):
        render(scale(), 22050, 0.0)
