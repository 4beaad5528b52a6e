"""Describing works and samples of either domain through one entry point."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.melody import KeySignature, Melody, Note
from studio.core.samples import Domain
from studio.core.works import Work
from studio.errors import StudioError
from studio.io.midi import load_midi_sample, write_midi
from studio.taste.describe import describe_all, describe_work, spec_for
from studio.taste.melody_features import SPEC, describe_melody


def melody(shift: int = 0) -> Melody:
    return Melody(tuple(Note(60 + shift + (i * 5) % 9, 12 * i, 12) for i in range(24)), 100, (4, 4),
                  KeySignature(0, "major"))


def test_spec_for_each_domain() -> None:
    assert spec_for("melody") is SPEC and spec_for(Domain.MELODY) is SPEC
    assert spec_for("painting").domain == "painting"
    with pytest.raises(ValueError, match="unknown domain"):
        spec_for("poem")


def test_work_and_sample_of_the_same_melody_describe_alike() -> None:
    work = Work(Domain.MELODY, 1, melody=melody())
    sample = load_midi_sample("/virtual/a.mid", write_midi(melody()))
    a, b = describe_work(work), describe_work(sample)
    np.testing.assert_allclose(a.interp, describe_melody(melody()).interp)
    np.testing.assert_allclose(a.interp, b.interp, atol=1e-5)  # a MIDI round trip changes nothing
    np.testing.assert_allclose(a.raw, b.raw, atol=1e-5)


def test_describe_all_stacks_and_keeps_widths_when_empty() -> None:
    works = [Work(Domain.MELODY, i, melody=melody(i)) for i in range(3)]
    interp, raw = describe_all(works)
    assert interp.shape == (3, SPEC.size) and raw.shape == (3, SPEC.raw_size)
    assert interp[2, 0] > interp[0, 0]  # higher register
    empty_interp, empty_raw = describe_all([], "melody")
    assert empty_interp.shape == (0, SPEC.size) and empty_raw.shape == (0, SPEC.raw_size)


def test_a_painting_work_goes_to_the_painting_describer() -> None:
    image = np.full((32, 48, 3), 200, np.uint8)
    d = describe_work(Work(Domain.PAINTING, 1, image=image))
    assert d.interp.shape == (spec_for("painting").size,)


def test_an_item_without_content_is_a_clear_error() -> None:
    with pytest.raises(StudioError, match="no melody or picture"):
        describe_work(Work(Domain.MELODY, 1))
