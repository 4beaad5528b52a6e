"""The melody describer: features move the right way, stay finite on degenerate melodies, and
match the spec's shape."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest

from studio.core.melody import KeySignature, Melody, Note
from studio.taste.melody_features import RAW_PARTS, SPEC, describe_melody, feature_words

C_MAJOR = KeySignature(0, "major")


def line(pitches: list[int], length: int = 12, gap: int = 0, meter: tuple[int, int] = (4, 4),
         key: KeySignature | None = C_MAJOR, start: int = 0) -> Melody:
    notes, t = [], start
    for p in pitches:
        notes.append(Note(p, t, length))
        t += length + gap
    return Melody(tuple(notes), 100, meter, key)


def value(melody: Melody, name: str) -> float:
    return float(describe_melody(melody).interp[SPEC.names.index(name)])


SCALE = [60, 62, 64, 65, 67, 65, 64, 62] * 8


def test_shape_and_spec() -> None:
    d = describe_melody(line(SCALE))
    assert SPEC.domain == "melody" and 10 <= SPEC.size <= 14
    assert d.interp.shape == (SPEC.size,) and d.raw.shape == (SPEC.raw_size,)
    assert d.interp.dtype == np.float32 and d.raw.dtype == np.float32
    assert SPEC.raw_size == sum(n for _, n in RAW_PARTS)
    assert len(set(SPEC.more + SPEC.less)) == 2 * SPEC.size  # every word is distinct
    assert feature_words("register") == ("higher", "lower")


def test_register_range_and_contour() -> None:
    low, high = line(SCALE), line([p + 7 for p in SCALE])
    assert value(high, "register") == pytest.approx(value(low, "register") + 7)
    assert value(line([60, 72] * 16), "range") == 12 and value(line([60, 62] * 16), "range") == 2
    rising, falling = line(list(range(55, 87))), line(list(range(86, 54, -1)))
    assert value(rising, "contour") > 20 and value(falling, "contour") < -20
    assert abs(value(line([60, 64, 67, 64] * 8), "contour")) < 3


def test_density_rests_and_note_lengths() -> None:
    busy, calm = line(SCALE[:32], length=6), line(SCALE[:16], length=24)
    assert value(busy, "density") == pytest.approx(16) and value(calm, "density") == pytest.approx(4)
    legato, airy = line(SCALE[:16], length=24), line(SCALE[:16], length=12, gap=12)
    assert value(legato, "rests") == 0 and value(airy, "rests") == pytest.approx(0.5, abs=0.05)
    assert value(legato, "rhythm") == 0  # one note length
    mixed = Melody(tuple(Note(60 + i % 3, 36 * i, (12, 24)[i % 2]) for i in range(16)), 100, (4, 4), C_MAJOR)
    assert value(mixed, "rhythm") == pytest.approx(1.0)


def test_steps_leaps_chromatic_and_ending() -> None:
    smooth, jumpy = line([60, 62, 64, 62] * 8), line([60, 67, 59, 69] * 8)
    assert value(smooth, "steps") == 1 and value(jumpy, "steps") == 0
    assert value(jumpy, "leaps") == 1 and value(smooth, "leaps") == 0
    assert value(line([60, 61, 63, 66] * 8), "chromatic") == pytest.approx(0.75)
    assert value(line([62, 64, 60]), "ending") == 1
    assert value(line([62, 60, 67]), "ending") == 0.5
    assert value(line([60, 64, 62]), "ending") == 0
    minor = line([57, 60, 69], key=KeySignature(9, "minor"))
    assert value(minor, "ending") == 1 and value(minor, "chromatic") == 0


def test_syncopation_and_repetition() -> None:
    square = line(SCALE[:32], length=12)
    # an eighth, then a quarter across the beat, ...: the pattern of a syncopated figure
    sync_notes, t = [], 0
    for i in range(16):
        for length in (12, 24, 12):
            sync_notes.append(Note(60 + i % 5, t, length))
            t += length
    syncopated = Melody(tuple(sync_notes), 100, (4, 4), C_MAJOR)
    assert value(square, "syncopation") == 0 and value(syncopated, "syncopation") > 0.3
    repeated = line([60, 62, 64, 60] * 8)
    rng = np.random.default_rng(0)
    varied = line([int(p) for p in rng.integers(55, 80, 32)])
    assert value(repeated, "repetition") > 0.8 and value(varied, "repetition") < 0.2


def test_compound_meter_beats() -> None:
    # 6/8: dotted-quarter beats; an eighth-quarter figure never crosses a beat
    notes, t = [], 0
    for i in range(16):
        for length in (24, 12):
            notes.append(Note(60 + i % 4, t, length))
            t += length
    jig = Melody(tuple(notes), 100, (6, 8), C_MAJOR)
    assert value(jig, "syncopation") == 0


@pytest.mark.parametrize("melody", [
    Melody(()), Melody((Note(60, 0, 24),)), line([60] * 20), line([127, 0]),
    line([60, 62], key=None), Melody((Note(60, 10, 1),), pickup=10),
    line([60, 64, 67] * 50, length=3, meter=(7, 8)),
])
def test_degenerate_melodies_give_finite_values_without_warnings(melody: Melody) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = describe_melody(melody)
    assert np.isfinite(d.interp).all() and np.isfinite(d.raw).all()
    assert d.interp.shape == (SPEC.size,) and d.raw.shape == (SPEC.raw_size,)


def test_raw_histograms_are_normalised_and_transposition_invariant() -> None:
    a = describe_melody(line(SCALE))
    b = describe_melody(line([p + 2 for p in SCALE], key=KeySignature(2, "major")))
    np.testing.assert_allclose(a.raw, b.raw, atol=1e-6)
    start = 0
    for _, size in RAW_PARTS[:4]:
        assert a.raw[start:start + size].sum() == pytest.approx(1.0)
        start += size


def test_the_describer_needs_no_torch_and_no_qt() -> None:
    import subprocess

    code = ("import sys; import studio.taste.melody_features, studio.taste.describe; "
            "print(any(m in sys.modules for m in ('torch', 'PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
