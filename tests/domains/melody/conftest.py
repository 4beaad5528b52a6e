"""Shared fixtures for the melody model, sampling, generator and training tests: a tiny
network saved as a stored model, sample clips, and a tiny prepared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from studio.core.melody import KeySignature, Melody, Note
from studio.core.samples import Sample
from studio.domains.melody.corpus import build_corpus
from studio.domains.melody.model import MelodyNet, MelodyNetConfig
from studio.domains.melody.weights import save_model
from studio.io.midi import load_midi_sample, write_midi

TINY = MelodyNetConfig(embed=8, position_embed=4, hidden=16, style=8, style_hidden=8)
TINY_NAME = "melody-tiny"


def tune(seed: int, bars: int = 8, meter: tuple[int, int] = (4, 4), pickup: int = 0,
         key: KeySignature = KeySignature(2, "major")) -> Melody:
    """A deterministic scale-based melody of ``bars`` bars (after an optional pickup)."""
    bar = Melody((), time_signature=meter).bar_ticks
    notes, cursor, step = [], 0, 0
    groups = ((12,), (12,), (24,), (6, 6), (12,), (24,), (8, 8, 8))
    scale = (0, 2, 4, 5, 7, 9, 11, 12)
    base = 60 + key.tonic
    if pickup:
        notes.append(Note(base + seed % 5, 0, pickup))
        cursor = pickup
    end = pickup + bars * bar
    while cursor < end:
        group = groups[(seed + step) % len(groups)]
        for length in group if sum(group) <= end - cursor else (end - cursor,):
            notes.append(Note(base + scale[(seed * 3 + len(notes) * 5) % 8], cursor, length))
            cursor += length
        step += 1
    return Melody(tuple(notes), 100, meter, key, pickup, f"tune {seed}")


def as_sample(melody: Melody, name: str) -> Sample:
    return load_midi_sample(f"/virtual/{name}.mid", write_midi(melody))


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``melody-tiny`` (random weights, 2 adaptation steps by default)."""
    folder = tmp_path_factory.mktemp("models")
    torch.manual_seed(0)
    model = MelodyNet(TINY)
    save_model(folder / TINY_NAME, dict(model.named_parameters()), TINY,
               {"method": "reptile", "adapt": {"lr": 0.1, "steps": 2, "clip": 5.0}, "steps": 0})
    return folder


@pytest.fixture(scope="session")
def samples() -> list[Sample]:
    """Three 4-bar clips in D major, 4/4."""
    return [as_sample(tune(seed, bars=4), f"clip{seed}") for seed in (1, 2, 3)]


def _record(melody: Melody) -> dict:
    return {"title": melody.name, "tempo": None, "sharps": 2, "key": [2, "major"], "offgrid": 0,
            "segments": [{"meter": list(melody.time_signature), "pickup": melody.pickup,
                          "notes": [[n.pitch, n.start, n.duration] for n in melody.notes]}]}


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A prepared corpus: two training tasks and one held-out task, 5 tunes of 17 bars each."""
    rows = []
    for i in range(5):
        rows.append(("col:reels", "col/a.abc", f"X{i}", _record(tune(i, bars=17))))
        rows.append(("col:jigs", "col/b.abc", f"X{i}", _record(tune(10 + i, bars=17, meter=(6, 8), pickup=12))))
        rows.append(("other:held", "other/c.abc", f"X{i}", _record(tune(20 + i, bars=17, meter=(3, 4)))))
    out = tmp_path_factory.mktemp("corpus")
    build_corpus(out, rows, heldout=("other:held",))
    return out


@pytest.fixture(autouse=True)
def _one_torch_thread(one_torch_thread: None) -> None:
    """Every melody test runs on one torch thread (the fixture lives in tests/conftest.py)."""
