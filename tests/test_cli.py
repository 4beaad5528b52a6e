"""The headless CLI: help everywhere, inspect output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio import cli, engine
from studio.core.samples import Domain

ROOT = Path(__file__).resolve().parent.parent


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "inspect" in capsys.readouterr().out
    assert cli.main(["inspect", "--help"]) == 0
    assert cli.main(["bench", "--help"]) == 0


def test_every_benchmark_prints_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse formats each help text with %: a stray one (say "100 %") breaks ``--help``."""
    from studio import bench

    for name in bench.available():
        assert cli.main(["bench", name, "--help"]) == 0, name
        assert name.split("_")[0] in capsys.readouterr().out


def test_unknown_option_exits_two() -> None:
    assert cli.main(["inspect", "--frobnicate", "x.png"]) == 2


def test_inspect_json_describes_paintings_and_melodies(capsys: pytest.CaptureFixture[str]) -> None:
    paths = engine.demo_sample_paths(Domain.PAINTING)[:1] + engine.demo_sample_paths(Domain.MELODY)[:1]
    assert cli.main(["inspect", "--json", *paths]) == 0
    payload = json.loads(capsys.readouterr().out)
    kinds = {s["kind"]: s["facts"] for s in payload["samples"]}
    assert kinds["painting"]["width"] == 256 and kinds["painting"]["palette"]
    assert kinds["melody"]["meter"] and kinds["melody"]["bars"] > 0 and "key" in kinds["melody"]
    assert payload["errors"] == []


def test_inspect_text_and_bad_file_exit_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "ok.png"
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(good)
    bad = tmp_path / "broken.mid"
    bad.write_bytes(b"MThd\x00\x00")
    assert cli.main(["inspect", str(good), str(bad)]) == 2
    out, err = capsys.readouterr()
    assert "ok.png" in out and "palette" in out
    assert "broken.mid" in err and "error:" in err


def test_inspect_missing_file_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["inspect", "/nonexistent/nothing.png"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_main_py_runs_headless_in_a_subprocess() -> None:
    melody = engine.demo_sample_paths(Domain.MELODY)[0]
    result = subprocess.run([sys.executable, "main.py", "inspect", melody], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "tempo" in result.stdout


def test_unknown_command_is_refused_not_opened_as_a_project(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["bogus"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_one_bar_is_singular() -> None:
    from studio.core.melody import Melody, Note
    from studio.io.midi import load_midi_sample, write_midi

    sample = load_midi_sample("one.mid", write_midi(Melody((Note(60, 0, 24),))))
    assert "1 bar," in cli.format_sample(sample)
