"""The generate run's output folder: staged works appear all at once with the report last, a
failure leaves nothing, a folder that is not empty is refused, and --overwrite clears only what
the studio wrote."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from studio.core.atomic import TEMP_SUFFIX
from studio.errors import StudioError
from studio.io import output_folder as of
from studio.io.output_folder import OutputFolder, studio_files, work_name


def _run(folder: Path, names: list[str], overwrite: bool = False) -> list[str]:
    output = OutputFolder(folder, overwrite)
    output.prepare(names)
    for i, name in enumerate(names):
        output.stage(f"w{i}", name.encode())
    report = json.dumps({"works": [{"file": n} for n in names]}).encode()
    return output.commit([(f"w{i}", n) for i, n in enumerate(names)], report)


def test_names_are_numbered_with_at_least_three_digits() -> None:
    assert work_name(1, 12, "mid") == "001.mid"
    assert work_name(12, 1000, "png") == "0012.png"


def test_commit_moves_works_then_the_report_and_leaves_no_staging(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"  # parents are made
    assert _run(out, ["001.mid", "002.mid"]) == ["001.mid", "002.mid"]
    assert sorted(os.listdir(out)) == ["001.mid", "002.mid", "report.json"]
    assert (out / "002.mid").read_bytes() == b"002.mid"


def test_a_folder_that_is_not_empty_is_refused_unless_overwrite(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StudioError, match="not empty.*--overwrite.*empty folder") as info:
        OutputFolder(tmp_path).prepare(["001.mid"])
    assert info.value.path == str(tmp_path) and "notes.txt" in str(info.value)
    assert os.listdir(tmp_path) == ["notes.txt"]  # no staging folder was made


def test_overwrite_clears_only_what_the_studio_wrote(tmp_path: Path) -> None:
    _run(tmp_path, ["001.png", "002.png", "003.png"])
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "004.mid").write_bytes(b"an earlier melody run")
    (tmp_path / "12.png").write_bytes(b"not a studio name")
    (tmp_path / "keep").mkdir()
    (tmp_path / "005.png").mkdir()  # a folder with a work's name is never removed
    assert _run(tmp_path, ["001.png"], overwrite=True) == ["001.png"]
    assert sorted(os.listdir(tmp_path)) == ["001.png", "005.png", "12.png", "keep", "notes.txt", "report.json"]
    assert json.loads((tmp_path / "report.json").read_text())["works"] == [{"file": "001.png"}]


def test_the_files_an_old_report_lists_are_the_studios_but_never_outside_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "take-1.mid").write_bytes(b"x")
    (out / "report.json").write_text(json.dumps({"works": [{"file": "take-1.mid"}, {"file": "../precious.txt"},
                                                            {"file": "/etc/passwd"}, "junk", {"file": 3}]}))
    assert [p.name for p in studio_files(out)] == ["report.json", "take-1.mid"]
    (out / "report.json").write_text("{not json")
    assert [p.name for p in studio_files(out)] == ["report.json"]
    assert outside.read_text() == "keep"


def test_a_folder_named_like_a_work_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "001.mid").mkdir()
    with pytest.raises(StudioError, match="folder") as info:
        OutputFolder(tmp_path, overwrite=True).prepare(["001.mid"])
    assert info.value.path == str(tmp_path / "001.mid")
    assert os.listdir(tmp_path) == ["001.mid"]


def test_a_file_as_the_folder_and_an_unwritable_folder_are_refused(tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(StudioError, match="not a folder"):
        OutputFolder(file).prepare(["001.mid"])
    with pytest.raises(StudioError, match="cannot create"):
        OutputFolder(file / "below").prepare(["001.mid"])
    if os.path.exists("/dev/full"):
        with pytest.raises(StudioError, match="not a folder"):
            OutputFolder("/dev/full").prepare(["001.mid"])


def test_a_full_disk_while_staging_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    output = OutputFolder(out)
    output.prepare(["001.png", "002.png"])
    output.stage("a", b"1")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(of.os, "fsync", full)
    with pytest.raises(StudioError, match="No space left on device") as info:
        output.stage("b", b"2")
    assert info.value.path == str(out / "b")
    output.discard()
    assert not out.exists()  # the run made the folder: it goes too


def test_a_failed_commit_takes_back_the_works_already_moved(tmp_path: Path, monkeypatch) -> None:
    output = OutputFolder(tmp_path)
    output.prepare(["001.mid", "002.mid"])
    output.stage("a", b"1")
    output.stage("b", b"2")
    real = os.replace

    def replace(src, dst):
        if Path(dst).name == "report.json":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(src, dst)

    monkeypatch.setattr(of.os, "replace", replace)
    with pytest.raises(StudioError, match="report.json.*Input/output error|Input/output error"):
        output.commit([("a", "001.mid"), ("b", "002.mid")], b"{}")
    output.discard()
    assert os.listdir(tmp_path) == []  # the folder existed before: it stays, empty


def test_staging_folders_of_dead_runs_are_removed_and_do_not_count(tmp_path: Path) -> None:
    stale = tmp_path / f".generate.999999999.deadbeef{TEMP_SUFFIX}"  # no such process
    stale.mkdir()
    (stale / "work-1.mid").write_bytes(b"half")
    assert _run(tmp_path, ["001.mid"]) == ["001.mid"]
    assert sorted(os.listdir(tmp_path)) == ["001.mid", "report.json"]
