"""``python main.py generate`` (run with paintings; the melody side is also tested in
tests/domains/melody): files, report, seeds in the PNGs, bounds, atomic output, --overwrite,
the budget's split and exit code 2 with a message for bad input and every write error."""

from __future__ import annotations

import errno
import importlib
import inspect
import json
import os
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
    assert "--size must be in 64..2048" in capsys.readouterr().err


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


# --- one run for every domain: bounds, atomic output, write errors, budget, progress ------------------------

FAST = ["--count", "2", "--seed", "3", "--size", "64", "--steps", "0", "--threads", "1"]


@pytest.mark.parametrize("option, value, message", [
    ("--count", "0", "--count must be in 1..500"), ("--count", "501", "--count must be in 1..500"),
    ("--bars", "0", "--bars must be in 1..64"), ("--bars", "1000", "--bars must be in 1..64"),
    ("--size", "4096", "--size must be in 64..2048"), ("--budget", "0", "--budget must be a positive"),
    ("--budget", "inf", "--budget must be a positive"), ("--temperature", "9", "--temperature must be in"),
])
def test_bounds_exit_2_before_anything_is_written(pngs: list[str], tmp_path: Path, capsys, option: str,
                                                  value: str, message: str) -> None:
    code = main(["generate", "--samples", *pngs, "--out", str(tmp_path / "o"), option, value])
    assert code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_report_lists_exactly_the_files_written(pngs: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["generate", "--samples", *pngs, "--out", str(out), *FAST]) == 0
    report = json.loads((out / "report.json").read_text())
    assert _listing(out) == sorted([e["file"] for e in report["works"]] + ["report.json"])
    assert [e["file"] for e in report["works"]] == ["001.png", "002.png"]
    assert report["steps"] == 0 and report["method"] == "instant" and report["steps_taken"] == 0


def test_a_folder_that_is_not_empty_is_refused_and_overwrite_keeps_other_files(pngs: list[str], tmp_path: Path,
                                                                              capsys) -> None:
    out = tmp_path / "out"
    assert main(["generate", "--samples", *pngs, "--out", str(out), *FAST]) == 0
    before = (out / "001.png").read_bytes()
    (out / "notes.txt").write_text("mine")
    (out / "sketches").mkdir()
    capsys.readouterr()
    code = main(["generate", "--samples", *pngs, "--out", str(out), *FAST[:2], "--seed", "4", *FAST[4:]])
    assert code == 2
    err = capsys.readouterr().err
    assert "not empty" in err and "--overwrite" in err and str(out) in err and "Traceback" not in err
    assert (out / "001.png").read_bytes() == before  # refused: nothing touched
    code = main(["generate", "--samples", *pngs, "--out", str(out), "--overwrite", "--count", "1", "--seed", "4",
                 *FAST[4:]])
    assert code == 0
    assert _listing(out) == ["001.png", "notes.txt", "report.json", "sketches"]  # 002.png, the old run's, went
    assert (out / "001.png").read_bytes() != before
    assert [e["file"] for e in json.loads((out / "report.json").read_text())["works"]] == ["001.png"]


def test_a_folder_named_like_a_work_exits_2_naming_it(pngs: list[str], tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    (out / "001.png").mkdir(parents=True)  # was IsADirectoryError, exit 1
    code = main(["generate", "--samples", *pngs, "--out", str(out), "--overwrite", *FAST])
    err = capsys.readouterr().err
    assert code == 2 and str(out / "001.png") in err and "folder" in err and "Traceback" not in err
    assert _listing(out) == ["001.png"]


def test_a_full_disk_exits_2_and_leaves_nothing(pngs: list[str], tmp_path: Path, capsys, monkeypatch) -> None:
    """Was: /dev/full as a work's path gave OSError, exit 1, 001.mid left behind and no report."""
    from studio.io import output_folder

    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the second work
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output_folder.os, "fsync", fsync)
    out = tmp_path / "out"
    out.mkdir()
    code = main(["generate", "--samples", *pngs, "--out", str(out), *FAST])
    err = capsys.readouterr().err
    assert code == 2 and "No space left on device" in err and str(out) in err and "Traceback" not in err
    assert _listing(out) == []  # no 001.png, no report, no staging folder


def test_dev_full_as_the_folder_or_behind_a_works_name(pngs: list[str], tmp_path: Path, capsys) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    assert main(["generate", "--samples", *pngs, "--out", "/dev/full", *FAST]) == 2
    assert "/dev/full: this is not a folder" in capsys.readouterr().err
    out = tmp_path / "out"
    out.mkdir()
    (out / "001.png").symlink_to("/dev/full")  # an earlier work's name pointing at a full disk
    assert main(["generate", "--samples", *pngs, "--out", str(out), "--overwrite", *FAST]) == 0
    assert not (out / "001.png").is_symlink() and _listing(out) == ["001.png", "002.png", "report.json"]


def test_proc_self_exits_2(pngs: list[str], capsys) -> None:
    """Was FileNotFoundError, exit 1."""
    if not os.path.isdir("/proc/self"):
        pytest.skip("no /proc here")
    assert main(["generate", "--samples", *pngs, "--out", "/proc/self", *FAST]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["generate", "--samples", *pngs, "--out", "/proc/self", "--overwrite", *FAST]) == 2
    err = capsys.readouterr().err
    assert "/proc/self" in err and "Traceback" not in err


def test_any_os_error_in_the_run_exits_2_and_leaves_nothing(pngs: list[str], tmp_path: Path, capsys,
                                                             monkeypatch) -> None:
    from studio.domains.painting import headless

    def broken(work):
        raise PermissionError(errno.EACCES, "Permission denied", "/some/cache")

    monkeypatch.setattr(headless, "encode", broken)
    out = tmp_path / "out"
    assert main(["generate", "--samples", *pngs, "--out", str(out), *FAST]) == 2
    err = capsys.readouterr().err
    assert "/some/cache: Permission denied" in err and "Traceback" not in err
    assert not out.exists()


def test_a_budget_that_leaves_no_time_to_adapt_uses_the_instant_start(pngs: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(["generate", "--samples", *pngs, "--out", str(out), "--count", "2", "--size", "64",
                 "--steps", "50", "--budget", "0.01", "--threads", "1"])
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["steps"] == 0 and report["method"] == "instant" and report["budget_seconds"] == 0.01
    assert report["estimated_generation_seconds"] > 0 and report["adaptation_budget_seconds"] is None
    assert report["notes"][0].startswith("Budget:") and "longer than the budget" in report["notes"][0]


def test_the_budget_split_leaves_generation_its_estimate(pngs: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(["generate", "--samples", *pngs, "--out", str(out), "--count", "2", "--size", "64",
                 "--steps", "1", "--budget", "600", "--threads", "1"])
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["steps_taken"] == 1 and report["probe_seconds"] > 0
    from studio.generate_cli import ESTIMATE_MARGIN

    assert 0 < report["adaptation_budget_seconds"] < 600 - ESTIMATE_MARGIN * report["estimated_generation_seconds"]


class _FakeGenerator:
    """Works after a fixed set-up, one every ``per_work`` seconds, streamed or in one batch."""

    def __init__(self, fixed: float, per_work: float, streams: bool) -> None:
        self.fixed, self.per_work, self.streams = fixed, per_work, streams

    def instant(self, samples):
        return None

    def generate(self, adapted, samples, params, count, seed, progress, exclude_seeds=frozenset()):
        import time as clock

        from studio.core.samples import Domain
        from studio.core.works import Work

        clock.sleep(self.fixed)
        works = []
        for i in range(count):
            if self.streams and progress.should_stop():
                break
            clock.sleep(self.per_work)
            works.append(Work(Domain.MELODY, i))
            if self.streams:
                progress.report_partial(works[-1])
        for work in works if not self.streams else ():
            progress.report_partial(work)
        return works


class _FakeDomain:
    @staticmethod
    def encode(work) -> bytes:
        return b""


@pytest.mark.parametrize("streams", [True, False])
def test_the_generation_estimate_scales_a_probe(streams: bool) -> None:
    from studio.generate_cli import probe_generation

    generator = _FakeGenerator(0.05, 0.02, streams)
    probe = probe_generation(generator, _FakeDomain, [], None, 50, 0)
    estimate = probe.estimate
    assert [w.seed for w in probe.works] == ([0, 1] if streams else list(range(16)))
    real = 0.05 + 50 * 0.02
    if streams:  # two works timed, the rest extrapolated
        assert 0.8 * real < estimate < 1.5 * real
    else:  # a batch of 16 timed and scaled: on the safe side
        assert real <= estimate < 4 * real


def test_long_runs_print_progress_on_stderr(pngs: list[str], tmp_path: Path, capsys, monkeypatch) -> None:
    import studio.generate_cli as run

    monkeypatch.setattr(run, "PROGRESS_EVERY_S", 0.0)
    out = tmp_path / "out"
    assert main(["generate", "--samples", *pngs, "--out", str(out), "--count", "2", "--size", "64",
                 "--steps", "1", "--threads", "1"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert any(line.startswith("adapting: step 1") for line in lines)
    assert "writing 2/2" in "\n".join(lines) and all(line.endswith(" s") for line in lines)


def test_every_domain_supplies_the_same_small_part() -> None:
    from studio.generate_cli import DOMAIN_MODULES

    contract = {"EXTENSION", "DEFAULT_THREADS", "check_samples", "params", "load", "default_method", "encode",
                "work_fields", "report_fields"}
    for module in DOMAIN_MODULES.values():
        loaded = importlib.import_module(module)
        public = {n for n, v in vars(loaded).items() if not n.startswith("_")
                  and (n.isupper() or inspect.isfunction(v) and v.__module__ == module)}
        assert contract <= public, module
        assert public - contract <= {"DEFAULT_MODEL", "MODELS_DIR"}, module  # no run logic of its own


@pytest.mark.slow
def test_a_killed_run_leaves_nothing_a_later_run_mixes_in(pngs: list[str], tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time as clock

    out = tmp_path / "out"
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen([sys.executable, str(root / "main.py"), "generate", "--samples", *pngs, "--out",
                                str(out), "--count", "200", "--size", "64", "--steps", "0", "--threads", "1"],
                               cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = clock.monotonic() + 120
    while clock.monotonic() < deadline and not any(out.glob(".*/work-3.png")):
        clock.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == []  # only the dead run's staging
    assert main(["generate", "--samples", *pngs, "--out", str(out), *FAST]) == 0
    assert _listing(out) == ["001.png", "002.png", "report.json"]


def test_a_run_that_stays_instant_keeps_the_probes_works(pngs: list[str], tmp_path: Path) -> None:
    """The budget's probe paints from the instant start with the run's seeds: those works are the
    run's first ones, identical to a run without a budget."""
    budgeted, plain = tmp_path / "budgeted", tmp_path / "plain"
    common = ["--samples", *pngs, "--count", "3", "--size", "64", "--threads", "1", "--seed", "5"]
    assert main(["generate", *common, "--out", str(budgeted), "--steps", "50", "--budget", "0.01"]) == 0
    assert main(["generate", *common, "--out", str(plain), "--steps", "0"]) == 0
    for name in ("001.png", "002.png", "003.png"):
        assert (budgeted / name).read_bytes() == (plain / name).read_bytes()
    report = json.loads((budgeted / "report.json").read_text())
    assert report["seeds"] == json.loads((plain / "report.json").read_text())["seeds"]


def test_a_run_over_its_budget_says_where_the_time_went(pngs: list[str], tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["generate", "--samples", *pngs, "--out", str(out), *FAST, "--budget", "0.01"]) == 0
    note = json.loads((out / "report.json").read_text())["notes"][0]
    assert note.startswith("Budget: the run took") and "generating and writing" in note
    assert note in capsys.readouterr().out


def test_a_generate_run_from_the_shell_ends_without_the_interpreters_teardown(pngs: list[str], tmp_path: Path,
                                                                               monkeypatch) -> None:
    """Tearing down torch's modules took 1.4-2.1 s after the files were written: a generate run
    started from the shell ends the process itself (tests, calling main with arguments, do not)."""
    import sys

    import studio.cli as cli

    class Exited(Exception):
        pass

    def exit_now(code: int) -> None:
        raise Exited(code)

    monkeypatch.setattr(cli.os, "_exit", exit_now)
    monkeypatch.setattr(sys, "argv", ["main.py", "generate", "--samples", *pngs, "--out", str(tmp_path / "o"),
                                      "--count", "501"])
    with pytest.raises(Exited) as info:
        cli.main()
    assert info.value.args == (2,)
    assert main(["generate", "--samples", *pngs, "--out", str(tmp_path / "o"), "--count", "501"]) == 2


def test_the_generate_parser_imports_no_torch() -> None:
    import subprocess
    import sys

    code = ("import sys; from studio.cli import build_parser; "
            "build_parser('generate').parse_args(['generate', '--samples', 'a.mid', '--out', 'o']); "
            "sys.exit(1 if 'torch' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1]).returncode == 0
