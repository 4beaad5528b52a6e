"""``python main.py generate --samples A.png ... --guide PHOTO [--closeness 0..1]``: the stable
headless form of guided painting (issue 19, point 6): works follow the guide at its aspect ratio,
report.json records guide and closeness, and a bad guide exits 2 naming the file and the reason."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.cli import main
from studio.domains.painting.guided import guide_correlation

from .conftest import painting
from .test_guided import _photo

pytestmark = pytest.mark.usefixtures("one_torch_thread")
FAST = ["--count", "2", "--size", "64", "--steps", "0", "--seed", "1"]


@pytest.fixture
def pngs(tmp_path: Path) -> list[str]:
    paths = []
    for i in range(2):
        path = tmp_path / f"in{i}.png"
        Image.fromarray(painting(i, (60, 80))).save(path)
        paths.append(str(path))
    return paths


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "lake.jpg"
    Image.fromarray(_photo(60, 120)).save(path, quality=95)
    return path


def test_guided_generate_follows_the_guide_and_reports_it(pngs, photo, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["generate", "--samples", *pngs, "--out", str(out), "--guide", str(photo),
                 "--closeness", "0.8", *FAST]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["guide"]["name"] == "lake.jpg" and report["guide"]["width"] == 120
    assert report["closeness"] == 0.8
    guide = np.asarray(Image.open(photo).convert("RGB"))
    for entry in report["works"]:
        image = np.asarray(Image.open(out / entry["file"]).convert("RGB"))
        assert image.shape[:2] == (32, 64)  # the guide's 2:1
        assert guide_correlation(image, guide) > 0.8


def test_default_closeness_and_no_guide(pngs, photo, tmp_path):
    from studio.domains.painting.guide import DEFAULT_CLOSENESS

    assert main(["generate", "--samples", *pngs, "--out", str(tmp_path / "a"), "--guide", str(photo), *FAST]) == 0
    assert json.loads((tmp_path / "a" / "report.json").read_text())["closeness"] == DEFAULT_CLOSENESS
    assert main(["generate", "--samples", *pngs, "--out", str(tmp_path / "b"), *FAST]) == 0
    report = json.loads((tmp_path / "b" / "report.json").read_text())
    assert report["guide"] is None and report["closeness"] is None


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"just some text, not a picture\n" * 10, "bad.png"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "corrupt"),
])
def test_a_bad_guide_exits_2_naming_the_file_and_the_reason(pngs, tmp_path, capsys, content, reason):
    bad = tmp_path / "bad.png"
    bad.write_bytes(content)
    out = tmp_path / "out"
    assert main(["generate", "--samples", *pngs, "--out", str(out), "--guide", str(bad), *FAST]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and reason in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_guide_problems_exit_2(pngs, photo, tmp_path, capsys):
    base = ["generate", "--samples", *pngs, "--out", str(tmp_path / "o"), *FAST]
    assert main([*base, "--guide", str(tmp_path / "missing.jpg")]) == 2
    assert "missing.jpg" in capsys.readouterr().err
    tiny = tmp_path / "tiny.png"
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(tiny)
    assert main([*base, "--guide", str(tiny)]) == 2
    assert "tiny.png" in capsys.readouterr().err
    assert main([*base, "--guide", str(photo), "--closeness", "1.5"]) == 2
    assert "--closeness" in capsys.readouterr().err
    assert main([*base, "--closeness", "0.5"]) == 2
    assert "--guide" in capsys.readouterr().err
    assert main([*base, "--guide", str(photo), "--aspect", "1.0"]) == 2
    assert "--aspect" in capsys.readouterr().err


def test_a_guide_with_melodies_exits_2(photo, tmp_path, capsys):
    root = Path(__file__).resolve().parents[3]
    midi = sorted((root / "assets" / "demo").rglob("*.mid"))[0]
    assert main(["generate", "--samples", str(midi), "--out", str(tmp_path / "o"), "--guide", str(photo),
                 "--count", "1"]) == 2
    assert "--guide is for paintings" in capsys.readouterr().err
