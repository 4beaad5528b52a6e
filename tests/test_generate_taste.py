"""``generate --liked/--rejected`` (issue 18, point 5): curated works with taste in report.json, the
settings of an earlier curated run, exit 2 naming a bad file, and no change at all without the flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from studio.cli import main
from studio.engine import demo_sample_paths
from studio.core.samples import Domain
from tests.domains.painting.conftest import painting

pytestmark = pytest.mark.usefixtures("one_torch_thread")
MELODIES = demo_sample_paths(Domain.MELODY)[:3]
TIMES = ("seconds",)  # report keys with this in their name are timings


def run(out: Path, *extra: str, samples=MELODIES, count: int = 3, seed: int = 5) -> int:
    return main(["generate", "--samples", *samples, "--count", str(count), "--out", str(out), "--seed", str(seed),
                 "--steps", "0", "--threads", "1", *extra])


def untimed(report: dict) -> dict:
    return {k: v for k, v in report.items() if not any(t in k for t in TIMES)}


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("first") / "out"
    assert run(out) == 0
    return out


def test_without_the_flags_the_output_is_unchanged(first: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run(again) == 0
    a, b = (json.loads((d / "report.json").read_text()) for d in (first, again))
    assert "taste" not in a and all("taste" not in w for w in a["works"])
    assert untimed(a) == untimed(b)
    for entry in a["works"]:
        assert (first / entry["file"]).read_bytes() == (again / entry["file"]).read_bytes()


def test_liked_and_rejected_melodies_give_curated_works_and_taste_fields(first: Path, tmp_path: Path,
                                                                         capsys) -> None:
    out = tmp_path / "curated"
    code = run(out, "--liked", str(first / "001.mid"), str(first / "002.mid"), "--rejected", str(first / "003.mid"))
    assert code == 0, capsys.readouterr().err
    report = json.loads((out / "report.json").read_text())
    taste = report["taste"]
    assert taste["liked"] == [str(first / "001.mid"), str(first / "002.mid")]
    assert taste["rejected"] == [str(first / "003.mid")] and taste["chooser"]
    # 3 x 3 drafts asked; a draft copying a sample or a liked work is dropped before the choice
    assert 3 <= taste["drafts"] <= 9 and taste["drafts"] + taste["copies_dropped"] >= 9
    assert taste["learnt"] and taste["liked_settings_found"] == 0  # a plain run recorded no draft settings
    assert {"update_seconds", "choice_seconds", "draft_seconds"} <= set(taste)
    first_seeds = set(json.loads((first / "report.json").read_text())["seeds"])
    assert len(report["works"]) == 3 and not set(report["seeds"]) & first_seeds  # judged seeds never return
    for entry in report["works"]:
        assert set(entry["taste"]) == {"score", "p_like", "settings", "explanation"}
        assert (out / entry["file"]).is_file()
    # A work liked from this curated run lends the settings it was drafted with.
    out2 = tmp_path / "third"
    assert run(out2, "--liked", str(out / "001.mid"), seed=6) == 0
    assert json.loads((out2 / "report.json").read_text())["taste"]["liked_settings_found"] == 1


def test_rejected_alone_is_enough(first: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    assert run(out, "--rejected", str(first / "001.mid"), count=2) == 0
    assert json.loads((out / "report.json").read_text())["taste"]["liked"] == []


@pytest.mark.parametrize("case", ["missing", "wrong kind", "twice", "both", "corrupt", "folder"])
def test_a_bad_taste_file_exits_2_naming_it(case: str, first: Path, tmp_path: Path, capsys) -> None:
    good = str(first / "001.mid")
    if case == "missing":
        bad, args = str(tmp_path / "nowhere.mid"), ["--liked", str(tmp_path / "nowhere.mid")]
    elif case == "wrong kind":
        bad = str(tmp_path / "a.png")
        Image.fromarray(painting(0, (40, 40))).save(bad)
        args = ["--liked", bad]
    elif case == "twice":
        bad, args = good, ["--liked", good, good]
    elif case == "both":
        bad, args = good, ["--liked", good, "--rejected", good]
    elif case == "folder":
        bad, args = str(first), ["--liked", str(first)]
    else:
        bad = str(tmp_path / "broken.mid")
        Path(bad).write_bytes(b"MThd" + b"\x00" * 7)
        args = ["--rejected", bad]
    out = tmp_path / "o"
    assert run(out, *args) == 2
    err = capsys.readouterr().err
    assert Path(bad).name in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_a_corrupt_report_beside_a_liked_file_only_costs_its_hints(first: Path, tmp_path: Path) -> None:
    folder = tmp_path / "liked"
    folder.mkdir()
    (folder / "a.mid").write_bytes((first / "001.mid").read_bytes())
    (folder / "report.json").write_text("{not json")
    out = tmp_path / "o"
    assert run(out, "--liked", str(folder / "a.mid"), count=2) == 0
    notes = json.loads((out / "report.json").read_text())["taste"]["notes"]
    assert any("report.json could not be read" in n for n in notes)


def test_liked_and_rejected_paintings(tmp_path: Path) -> None:
    paths = []
    for i in range(4):
        path = tmp_path / f"p{i}.png"
        Image.fromarray(painting(i, (60, 80))).save(path)
        paths.append(str(path))
    out = tmp_path / "o"
    code = run(out, "--liked", paths[2], "--rejected", paths[3], samples=paths[:2], count=2, seed=1)
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["domain"] == "painting" and report["taste"]["drafts"] == 6
    assert set(report["works"][0]["taste"]["settings"]) == {"composition", "texture", "brushwork", "light", "warmth"}
    assert max(Image.open(out / "001.png").size) == report["size"]


def test_help_documents_the_flags(capsys) -> None:
    try:
        main(["generate", "--help"])
    except SystemExit:
        pass
    text = capsys.readouterr().out
    assert "--liked" in text and "--rejected" in text


def test_the_budget_counts_the_drafts_as_generation(first: Path, tmp_path: Path) -> None:
    out = tmp_path / "b"
    code = main(["generate", "--samples", *MELODIES, "--count", "2", "--out", str(out), "--seed", "2",
                 "--steps", "3", "--budget", "60", "--threads", "1", "--liked", str(first / "001.mid")])
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    taste = report["taste"]
    assert report["estimated_generation_seconds"] is not None
    assert 2 <= taste["drafts"] <= 6 and taste["drafts"] + taste["copies_dropped"] >= 6  # 3 x 2 asked
    assert len(report["works"]) == 2 and all("taste" in w for w in report["works"])
