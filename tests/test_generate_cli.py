"""``python main.py generate`` with paintings (the melody side is tested in tests/domains/melody):
files, report, seeds in the PNGs, and exit code 2 naming the file for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.cli import main
from studio.io.png_text import decode_png_text
from studio.model_registry import MODELS_DIR
from tests.domains.painting.conftest import painting

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def pngs(tmp_path: Path) -> list[str]:
    paths = []
    for i in range(2):
        path = tmp_path / f"in{i}.png"
        Image.fromarray(painting(i, (60, 80))).save(path)
        paths.append(str(path))
    return paths


def test_generate_paintings_writes_pngs_and_a_report(pngs: list[str], tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    code = main(["generate", "--samples", *pngs, "--count", "2", "--out", str(out), "--seed", "7",
                 "--size", "64", "--steps", "1", "--threads", "1"])
    assert code == 0, capsys.readouterr().err
    report = json.loads((out / "report.json").read_text())
    assert report["domain"] == "painting" and report["count"] == 2 and report["steps_taken"] == 1
    assert report["early_stopping"] and report["steps"] in (0, 1)  # the weights of the better check
    card = json.loads((MODELS_DIR / "painting-reptile.json").read_text())["adapt"]
    assert report["check_margin"] == card["check_margin"]  # a kept checkpoint beats the start by that share
    assert report["method"] == "reptile" and len(report["seeds"]) == 2
    assert report["copy_guard"]  # and it refused nothing; a start kept by early stopping is said
    assert [n.split(":")[0] for n in report["notes"]] == ([] if report["steps"] else ["Early stopping"])
    for key in ("adaptation_seconds", "generation_seconds"):
        assert report[key] >= 0
    for entry, seed in zip(report["works"], report["seeds"]):
        data = (out / entry["file"]).read_bytes()
        assert decode_png_text(data)["seed"] == str(seed)
        image = np.asarray(Image.open(out / entry["file"]))
        assert max(image.shape[:2]) == 64


def test_generate_is_reproducible(pngs: list[str], tmp_path: Path) -> None:
    args = ["--samples", *pngs, "--count", "1", "--seed", "3", "--size", "64", "--steps", "0"]
    assert main(["generate", *args, "--out", str(tmp_path / "a")]) == 0
    assert main(["generate", *args, "--out", str(tmp_path / "b")]) == 0
    assert (tmp_path / "a" / "001.png").read_bytes() == (tmp_path / "b" / "001.png").read_bytes()


def test_bad_painting_exits_2_naming_the_file(pngs: list[str], tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    code = main(["generate", "--samples", pngs[0], str(broken), "--out", str(tmp_path / "o")])
    assert code == 2
    assert "broken.png" in capsys.readouterr().err


def test_bad_size_exits_2(pngs: list[str], tmp_path: Path, capsys) -> None:
    code = main(["generate", "--samples", *pngs, "--out", str(tmp_path / "o"), "--size", "5"])
    assert code == 2
    assert "long_side" in capsys.readouterr().err


def test_mixed_kinds_exit_2(pngs: list[str], tmp_path: Path, capsys) -> None:
    demo_midi = sorted((Path(__file__).resolve().parents[1] / "assets" / "demo").rglob("*.mid"))[0]
    code = main(["generate", "--samples", pngs[0], str(demo_midi), "--out", str(tmp_path / "o")])
    assert code == 2
    assert "mix paintings and melodies" in capsys.readouterr().err


def test_brushwork_and_texture_reach_the_paintings(pngs: list[str], tmp_path: Path, capsys) -> None:
    base = ["generate", "--samples", *pngs, "--count", "1", "--seed", "3", "--size", "64", "--steps", "0",
            "--threads", "1"]
    assert main([*base, "--out", str(tmp_path / "plain"), "--brushwork", "0"]) == 0
    assert main([*base, "--out", str(tmp_path / "brushed"), "--brushwork", "1", "--texture", "0.5"]) == 0
    report = json.loads((tmp_path / "brushed" / "report.json").read_text())
    assert report["brushwork"] == 1.0 and report["texture"] == 0.5
    assert decode_png_text((tmp_path / "plain" / "001.png").read_bytes())["seed"] == str(report["seeds"][0])
    assert (tmp_path / "plain" / "001.png").read_bytes() != (tmp_path / "brushed" / "001.png").read_bytes()
    capsys.readouterr()
    assert main([*base, "--out", str(tmp_path / "o"), "--brushwork", "2"]) == 2
    assert "--brushwork" in capsys.readouterr().err


def test_the_copy_guards_refusals_reach_the_report_and_the_terminal(pngs: list[str], tmp_path: Path, capsys,
                                                                    monkeypatch) -> None:
    from studio.domains.painting.copyguard import CopyGuard

    shares = iter([0.0, 0.3])  # the start, then the end of the one step: refused
    monkeypatch.setattr(CopyGuard, "share", lambda self, net, style: next(shares))
    out = tmp_path / "out"
    code = main(["generate", "--samples", pngs[0], "--count", "1", "--out", str(out), "--size", "64",
                 "--steps", "1", "--threads", "1"])  # one painting: no held-back sample, the guard alone
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["steps"] == 0 and report["steps_taken"] == 1 and not report["early_stopping"]
    assert len(report["notes"]) == 1 and "30.0%" in report["notes"][0]
    assert "Copy guard: 1 checkpoint refused" in capsys.readouterr().out
