"""Melody pools: collections from a prepared corpus and lead-sheet folders, a real (tiny-model)
build that is resumable, and prepare-taste's handling of bad input."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from studio.cli import main
from studio.core.melody import KeySignature, Melody, Note
from studio.domains.melody.corpus import build_corpus
from studio.domains.melody.model import MelodyNet, MelodyNetConfig
from studio.domains.melody.weights import save_model
from studio.io.musicxml_write import write_musicxml
from studio.taste import melody_pools
from studio.taste.melody_features import SPEC
from studio.taste.melody_pools import (
    MelodyPoolBuilder, leadsheet_collections, melody_collections, music21_collections, pick_genuine,
)
from studio.taste.pools import load_pool, list_pools
from studio.taste.settings import MELODY_SETTINGS

pytestmark = pytest.mark.usefixtures("one_torch_thread")
D_MAJOR = KeySignature(2, "major")
TINY = MelodyNetConfig(embed=8, position_embed=4, hidden=16, style=8, style_hidden=8)


def tune(seed: int, bars: int = 16, meter: tuple[int, int] = (4, 4)) -> Melody:
    bar = Melody((), time_signature=meter).bar_ticks
    notes, cursor, step = [], 0, 0
    groups = ((12,), (12,), (24,), (6, 6), (12,), (24,), (8, 8, 8))
    scale = (0, 2, 4, 5, 7, 9, 11, 12)
    end = bars * bar
    while cursor < end:
        group = groups[(seed + step) % len(groups)]
        for length in group if sum(group) <= end - cursor else (end - cursor,):
            notes.append(Note(62 + scale[(seed * 3 + len(notes) * 5) % 8], cursor, length))
            cursor += length
        step += 1
    return Melody(tuple(notes), 100, meter, D_MAJOR, 0, f"tune {seed}")


def record(melody: Melody) -> dict:
    return {"title": melody.name, "tempo": None, "sharps": 2, "key": [2, "major"], "offgrid": 0,
            "segments": [{"meter": list(melody.time_signature), "pickup": 0,
                          "notes": [[n.pitch, n.start, n.duration] for n in melody.notes]}]}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    rows = []
    for i in range(5):
        rows.append(("col:reels", "col/a.abc", f"X{i}", record(tune(i))))
        rows.append(("other:held", "other/c.abc", f"X{i}", record(tune(20 + i, meter=(3, 4)))))
    build_corpus(out, rows, heldout=("other:held",), settings={"min_task_tunes": 2})
    return out


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("models")
    torch.manual_seed(0)
    save_model(folder / "melody-tiny", dict(MelodyNet(TINY).named_parameters()), TINY,
               {"method": "reptile", "adapt": {"lr": 0.1, "steps": 1, "clip": 5.0}, "steps": 0})
    return str(folder / "melody-tiny")


def test_music21_tasks_become_collections_with_their_split(corpus: Path) -> None:
    found = {c.name: c for c in music21_collections(corpus)}
    assert set(found) == {"col:reels", "other:held"}
    assert found["other:held"].split == "heldout" and found["col:reels"].split == "train"
    phrases = found["col:reels"].load()
    assert len(phrases) == 10 and all(m.bars == 8 for m, _ in phrases)
    assert len({t for _, t in phrases}) == 5  # the tune each phrase comes from


def test_leadsheet_folders(tmp_path: Path) -> None:
    for writer, songs in (("Stephen_Foster", 4), ("Jerome_Kern-Oscar_Hammerstein_II", 4),
                          ("Dorothy_Fields-Jerome_Kern", 4), ("One_Song", 1)):
        for k in range(songs):
            song = tmp_path / writer / f"Song_{k}"
            song.mkdir(parents=True)
            (song / f"Song_{k}.mxl").write_bytes(write_musicxml(tune(k, bars=32)))
    (tmp_path / "Stephen_Foster" / "Broken").mkdir()
    (tmp_path / "Stephen_Foster" / "Broken" / "Broken.mxl").write_bytes(b"not a score")
    notices: list[str] = []
    found = {c.name: c for c in leadsheet_collections(tmp_path, notices)}
    # a folder sharing a held-out writer and a one-song folder make no pool
    assert set(found) == {"leadsheets:Stephen_Foster", "leadsheets:Jerome_Kern-Oscar_Hammerstein_II"}
    assert found["leadsheets:Jerome_Kern-Oscar_Hammerstein_II"].split == "heldout"
    assert len(found["leadsheets:Stephen_Foster"].load()) == 16
    assert any("Broken.mxl" in n for n in notices)


def test_train_and_heldout_collections_interleave(corpus: Path) -> None:
    names = [c.split for c in melody_collections(corpus, None, [])]
    assert names == ["train", "heldout"]


def test_samples_come_from_different_tunes() -> None:
    found = [(tune(i), str(i // 3)) for i in range(15)]
    phrases, samples = pick_genuine(found, 12, np.random.default_rng(0))
    assert len(phrases) == 12 and len(samples) == 4
    tunes = {found[[id(m) for m, _ in found].index(id(phrases[i]))][1] for i in samples}
    assert len(tunes) == 4
    few = [(tune(i), "one") for i in range(6)]
    assert len(pick_genuine(few, 6, np.random.default_rng(0))[1]) == 4


def test_a_pool_build_with_the_generator_is_complete_and_resumes(corpus: Path, tiny_model: str,
                                                               tmp_path: Path) -> None:
    collection = next(c for c in music21_collections(corpus) if c.name == "col:reels")
    builder = MelodyPoolBuilder(tiny_model)
    report = builder.build(collection, tmp_path, genuine=8, drafts=4, group=3, seed=3)
    assert report.genuine == 8 and report.drafts == 4 and not report.skipped
    pool = load_pool(report.folder)
    assert pool.collection == "col:reels" and pool.split == "train" and len(pool) == 12
    assert pool.interp.shape == (12, SPEC.size) and pool.raw.shape == (12, SPEC.raw_size)
    assert pool.genuine.tolist() == [True] * 8 + [False] * 4
    assert pool.sample.sum() == 4 and not pool.sample[8:].any()
    assert np.isnan(pool.settings[:8]).all() and np.isfinite(pool.settings[8:]).all()
    assert pool.settings.shape[1] == len(MELODY_SETTINGS) and np.abs(pool.settings[8:]).max() <= 1
    assert (pool.seeds[:8] == -1).all() and len(set(pool.seeds[8:].tolist())) == 4
    assert all(pool.file(i).is_file() for i in range(12))
    assert np.isfinite(pool.interp).all() and np.isfinite(pool.raw).all()
    record = json.loads((report.folder / "build.json").read_text())
    assert len(record["settings"]) == 2 and record["drafts"] == 4  # groups of 3 and 1 drafts
    assert all(8 <= row < 12 for row in record["sample_copies"])
    assert (pool.settings[8] == pool.settings[10]).all() and (pool.settings[10] != pool.settings[11]).any()
    again = builder.build(collection, tmp_path, genuine=8, drafts=4, group=3, seed=3)
    assert again.skipped
    assert [p.collection for p in list_pools(tmp_path, "melody")] == ["col:reels"]


def test_prepare_taste_builds_and_skips(corpus: Path, tiny_model: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    args = ["prepare-taste", "--domain", "melody", "--root", str(tmp_path), "--melody-corpus", str(corpus),
            "--leadsheets", "none", "--melody-model", tiny_model, "--melody-genuine", "6", "--melody-drafts", "2",
            "--melody-per-setting", "2", "--split", "heldout", "--quiet"]
    assert main(args) == 0
    assert [p.collection for p in list_pools(tmp_path, "melody")] == ["other:held"]
    assert main(args) == 0
    assert "0 built, 1 already there" in capsys.readouterr().out


@pytest.mark.parametrize("option", ["--melody-corpus", "--leadsheets"])
def test_prepare_taste_names_a_missing_folder(tmp_path: Path, option: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    other = "--leadsheets" if option == "--melody-corpus" else "--melody-corpus"
    code = main(["prepare-taste", "--domain", "melody", "--root", str(tmp_path / "out"), option, str(missing),
                 other, "none"])
    assert code == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "error:" in err
    assert not (tmp_path / "out").exists()


def test_prepare_taste_rejects_bad_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["prepare-taste", "--domain", "melody", "--root", str(tmp_path), "--melody-corpus", "none",
            "--leadsheets", "none"]
    assert main([*base, "--melody-drafts", "0"]) == 2
    assert "--melody-drafts must be at least 1" in capsys.readouterr().err
    assert main([*base, "--limit", "0"]) == 2
    assert main([*base, "--melody-genuine", "3"]) == 2


def test_a_collection_with_too_few_phrases_is_skipped_with_a_notice(tiny_model: str, tmp_path: Path) -> None:
    small = melody_pools.MelodyCollection("tiny:set", "train", lambda: [(tune(1, bars=8), "a")] * 3)
    args = argparse.Namespace(melody_corpus="none", leadsheets="none", melody_genuine=6, melody_drafts=2,
                              melody_per_setting=1, melody_model=tiny_model, root=str(tmp_path), split="all",
                              collections=None, limit=None, overwrite=False, seed=0, notices=[])
    original = melody_pools.melody_collections
    try:
        melody_pools.melody_collections = lambda *a, **k: [small]  # type: ignore[assignment]
        assert melody_pools.build_melody_pools(args) == []
    finally:
        melody_pools.melody_collections = original
    assert "tiny:set left out" in args.notices[0] and "fewer than" in args.notices[0]
