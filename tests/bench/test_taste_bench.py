"""``bench taste`` on tiny pool folders built here (no runs/ data): every row, the comparisons, fidelity,
copies, spread and the table; its measures on crafted inputs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest

from studio.bench import taste as bench
from studio.core.melody import KeySignature, Melody, Note
from studio.errors import StudioError
from studio.taste import settings as taste_settings
from studio.taste.describe import describe_all
from studio.taste.pools import Pool, save_pool

SCALE = (0, 2, 4, 5, 7, 9, 11, 12, 14, 16)


def tune(rng: np.random.Generator, base: int, busy: float) -> Melody:
    """An 8-bar tune in C major: steps and leaps around ``base``, eighths when ``busy`` is high."""
    notes, t, degree = [], 0, int(rng.integers(0, 5))
    while t < 8 * 96:
        length = 12 if rng.random() < busy else int(rng.choice([24, 48]))
        length = min(length, 8 * 96 - t)
        degree = int(np.clip(degree + rng.choice([-2, -1, 1, 2, 3]), 0, len(SCALE) - 1))
        notes.append(Note(base + SCALE[degree], t, length))
        t += length
    return Melody(tuple(notes), 100.0, (4, 4), KeySignature(0))


def melody_pool(root: Path, name: str, seed: int, genuine: int = 16, drafts: int = 40) -> Pool:
    """A held-out melody pool folder: ``genuine`` tunes (4 samples) and ``drafts`` with settings."""
    from studio.io.midi import write_midi

    rng = np.random.default_rng(seed)
    folder = root / "melody" / name.replace(":", "_")
    folder.mkdir(parents=True)
    melodies = [tune(rng, 60, 0.3) for _ in range(genuine)]
    drafted = taste_settings.draft_settings("melody", drafts, rng)
    melodies += [tune(rng, 60 + int(s["register"]), 0.5 + 0.4 * s["density"]) for s in drafted]
    files = []
    for i, m in enumerate(melodies):
        (folder / f"{i:04d}.mid").write_bytes(write_midi(m))
        files.append(f"{i:04d}.mid")
    return saved_pool(root, "melody", name, genuine, [type("W", (), {"melody": m})() for m in melodies],
                      drafted, files)


def saved_pool(root: Path, domain: str, name: str, genuine: int, items: list, drafted: list, files: list) -> Pool:
    """``items`` (the first ``genuine`` real works, 4 of them the samples, then the ``drafted`` drafts)
    described and saved as a held-out pool whose rows name ``files``."""
    interp, raw = describe_all(items)
    n = len(items)
    settings = np.full((n, len(taste_settings.setting_ranges(domain))), np.nan, np.float32)
    settings[genuine:] = taste_settings.settings_vector(domain, drafted)
    pool = Pool(domain, name, "heldout", interp, raw, np.arange(n) < genuine, np.arange(n) < 4, settings,
                np.where(np.arange(n) < genuine, -1, np.arange(n)).astype(np.int64), tuple(files))
    save_pool(pool, root)
    return pool


@pytest.fixture(scope="module")
def pool_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("taste")
    melody_pool(root, "tiny:a", 1)
    melody_pool(root, "tiny:b", 2)
    return root


def parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_quick_run_reports_every_chooser_with_comparisons_fidelity_and_copies(pool_root: Path) -> None:
    args = parsed("--quick", "--domain", "melody", "--root", str(pool_root), "--show", "6", "--drafts", "18",
                  "--timing-runs", "1", "--quiet")
    args.json = True  # as `bench taste --json`: the rows carry each person's shares
    result = bench.run(args)
    d = result["domains"]["melody"]
    assert d["pools"] == ["tiny:a", "tiny:b"] and d["people_per_pool"] == 2
    assert json.loads(json.dumps(result)) == result  # plain JSON, as the CLI prints it
    table = d["tables"][0]
    names = [r["chooser"] for r in table["rows"]]
    assert names[:2] == [bench.CONTROL, bench.MORE]
    assert {"prototypes", "logistic regression", "nearest features"} <= set(names)
    for row in table["rows"]:
        assert len(row["liked"]) == len(row["liked_se"]) == len(row["spread"]) == 3
        assert all(0.0 <= v <= 1.0 for v in row["liked"])
        assert len(row["per_person"]) == row["people"] and all(len(p) == 4 for p in row["per_person"])
    control = table["rows"][0]
    assert control["lift"] == [0.0, 0.0, 0.0]
    oracle = next(r for r in table["rows"] if r["chooser"] == bench.ORACLE)
    assert oracle["liked"][0] >= control["liked"][0]  # the same first candidates, the best of them shown
    more = table["rows"][1]
    assert more["people"] == 2 and more["lift"][0] == 0.0  # gallery 1 is the control's own
    fid = d["fidelity"]
    assert fid["measure"] == "mean_oa" and [r["chooser"] for r in fid["rows"]][0] == bench.CONTROL
    for r in fid["rows"]:
        assert 0.0 < r["mean_oa"] <= 1.0 and 0.0 <= r["copy_samples"] <= 1.0
    assert any("More like these" in line for line in result["table"])
    timing = d["timing"]
    assert timing["count"] == 6 and timing["drafts"] == 18 and timing["plain_s"] > 0
    assert timing["total_s"] >= timing["drafting_s"] > 0 and isinstance(timing["goal_met"], bool)
    if bench.CURATOR in names:
        assert {v["vs"] for v in table["curator_vs"]} == set(names) - {bench.CURATOR, bench.ORACLE}
        assert isinstance(table["curator_beats_every_baseline"], bool)


def test_collections_pin_the_pools(pool_root: Path) -> None:
    assert [p.collection for p in bench.heldout_pools(pool_root, "melody", collections=["tiny:b"])] == ["tiny:b"]
    with pytest.raises(StudioError) as info:
        bench.heldout_pools(pool_root, "melody", collections=["essen:kinder"])
    assert "essen:kinder" in str(info.value) and "tiny:a tiny:b" in str(info.value)


def test_missing_pools_name_the_folder(tmp_path: Path) -> None:
    with pytest.raises(StudioError) as info:
        bench.heldout_pools(tmp_path, "painting")
    assert "prepare-taste" in str(info.value) and "painting" in str(info.value)


def test_spread_is_zero_for_identical_works_and_grows_with_variety() -> None:
    same = np.ones((4, 3))
    assert bench.spread(same, 0.0, np.ones(3)) == 0.0
    two = np.array([[0.0, 0.0, 0.0], [3.0, 4.0, 0.0]])
    assert bench.spread(two, 0.0, np.ones(3)) == pytest.approx(5.0)
    assert bench.spread(two, 0.0, np.array([1.0, 2.0, 1.0])) == pytest.approx(np.sqrt(9 + 4))


def test_versus_pairs_people_and_says_whether_the_curator_beats_by_more_than_its_se() -> None:
    def traces(values: list[list[float]]) -> list[bench.Trace]:
        return [bench.Trace(pool=0, person=i, liked=v) for i, v in enumerate(values)]

    curated = traces([[0.2, 0.6, 0.7], [0.3, 0.5, 0.8], [0.2, 0.7, 0.6]])
    weak = traces([[0.2, 0.2, 0.3], [0.3, 0.3, 0.2], [0.2, 0.2, 0.3]])
    close = traces([[0.2, 0.6, 0.7], [0.3, 0.5, 0.8], [0.2, 0.7, 0.6]])
    out = bench.versus(curated, {"weak": (weak, [0, 1, 2]), "same": (close, [0, 1, 2]),
                                 "subset": (weak[:1], [0])}, [1, 2])
    by = {v["vs"]: v for v in out}
    assert by["weak"]["beats"] and by["weak"]["diff"][0] == pytest.approx(0.3667, abs=1e-3)
    assert not by["same"]["beats"] and by["same"]["diff"] == [0.0, 0.0]
    assert by["subset"]["se"] == [0.0, 0.0]  # one person: no spread to measure


def test_table_formats_the_goal_lines() -> None:
    row = {"people": 4, "liked": [0.25, 0.5, 0.7], "liked_se": [0.02, 0.03, 0.03], "lift": [0.0, 0.25, 0.45],
           "lift_se": [0.0, 0.04, 0.05], "spread": [3.1, 2.5, 2.0], "drafts": 36}
    table = {"drafts": 36, "rows": [{**row, "chooser": bench.CONTROL}, {**row, "chooser": bench.CURATOR}],
             "curator_vs": [{"vs": bench.CONTROL, "diff": [0.25, 0.45], "se": [0.04, 0.05], "beats": True}],
             "curator_beats_every_baseline": True,
             "goals": {"lift_2": 0.3, "lift_3": 0.45, "lift_2_met": False, "lift_3_met": True}}
    result = {"rounds": 3, "show": 12, "domains": {"melody": {
        "pools": ["a"], "people_per_pool": 4, "families": ["both"], "embedder": False, "tables": [table],
        "fidelity": {"measure": "mean_oa", "galleries": "2-3", "rows": [
            {"chooser": bench.CURATOR, "mean_oa": 0.81, "control": 0.82, "diff": -0.01, "diff_se": 0.005,
             "within_goal": True, "copy_samples": 0.0, "copy_samples_control": 0.0, "copy_liked": 0.02,
             "copy_liked_control": 0.01, "people_per_pool": None}]},
        "timing": {"size": "8 bars", "threads": 1, "runs": 5, "count": 12, "drafts": 36, "plain_s": 0.8,
                   "update_s": 0.01, "choice_s": 0.02, "drafting_s": 1.1, "curated_s": 1.2, "total_s": 1.21,
                   "goal_s": 2.0, "goal_met": True, "chooser": "rl2"},
        "notes": ["a note"]}}}
    text = bench.format_table(result)
    assert "+0.250 ±0.040" in text and "(not met)" in text and "(met)" in text and "36 left after the copy guard" in text
    assert "RL² curator" in text and "0.810" in text and "12: 1.21 s (drafting 36: 1.10 s" in text and "goal 2 s: met" in text
    assert "Note: a note" in text


def painting_pool(root: Path, name: str, seed: int, genuine: int = 10, drafts: int = 30) -> Pool:
    """A held-out painting pool folder of small synthetic pictures (4 samples) and drafts with settings."""
    from PIL import Image

    from tests.domains.painting.conftest import painting

    rng = np.random.default_rng(seed)
    folder = root / "painting" / name.replace(":", "_").replace("#", "_")
    folder.mkdir(parents=True)
    drafted = taste_settings.draft_settings("painting", drafts, rng)
    images = [painting(seed * 100 + i, (48, 64)) for i in range(genuine)]
    images += [taste_settings.painting_post(painting(seed * 100 + 50 + i, (48, 64)), s) for i, s in enumerate(drafted)]
    files = []
    for i, image in enumerate(images):
        Image.fromarray(image).save(folder / f"{i:04d}.png")
        files.append(f"{i:04d}.png")
    return saved_pool(root, "painting", name, genuine,
                      [type("W", (), {"melody": None, "image": im})() for im in images], drafted, files)


@pytest.fixture(scope="module")
def painting_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("taste_paintings")
    painting_pool(root, "painting:tiny#0", 1)
    painting_pool(root, "painting:tiny#1", 2)
    return root


def test_paintings_report_swd_fidelity_and_patch_copies(painting_root: Path) -> None:
    result = bench.run(parsed("--quick", "--domain", "painting", "--root", str(painting_root), "--show", "6",
                              "--drafts", "18", "--fidelity-people", "1", "--more-like-these", "none",
                              "--timing-runs", "0", "--quiet"))
    d = result["domains"]["painting"]
    assert [r["chooser"] for r in d["tables"][0]["rows"]][0] == bench.CONTROL
    fid = d["fidelity"]
    assert fid["measure"] == "swd_ratio"
    assert [r["chooser"] for r in fid["rows"]][:2] == [bench.CONTROL, bench.CURATOR if any(
        r["chooser"] == bench.CURATOR for r in d["tables"][0]["rows"]) else "prototypes"]
    for r in fid["rows"]:
        assert r["swd_ratio"] > 0 and 0.0 <= r["copy_samples"] <= 1.0
    assert any("not run" in note for note in d["notes"])


@pytest.mark.slow
def test_paintings_more_like_these_and_timing_run_the_real_generator(painting_root: Path) -> None:
    result = bench.run(parsed("--quick", "--domain", "painting", "--root", str(painting_root), "--show", "6",
                              "--drafts", "18", "--fidelity-people", "1", "--timing-runs", "1", "--quiet"))
    d = result["domains"]["painting"]
    more = next(r for r in d["tables"][0]["rows"] if r["chooser"] == bench.MORE)
    assert more["people"] == 2 and len(more["liked"]) == 3
    assert d["timing"]["count"] == 6 and d["timing"]["plain_s"] > 0
