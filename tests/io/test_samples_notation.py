"""Notation files as samples: sniffing, one sample per ABC tune, the import, inspect and export commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio import engine
from studio.cli import main
from studio.core.chords import Chord, ChordSpan
from studio.core.melody import Melody, Note
from studio.core.samples import Domain
from studio.errors import SampleLoadError
from studio.io.musicxml import read_musicxml
from studio.io.musicxml_write import write_musicxml
from studio.io.samples import load_sample, load_samples, read_samples, sniff

BOOK = """X:1
T:First
M:3/4
L:1/4
K:C
"C"C D E|"G7"G3|]

X:2
T:Second
M:4/4
L:1/8
K:Am
"Am"A2 B2 c2 d2|e8|]

X:3
T:Broken one
K:C
C ? D
"""

MELODY = Melody((Note(60, 0, 24), Note(64, 24, 24), Note(67, 48, 48)), 100.0, (4, 4), None, 0, "Lead",
                (), (ChordSpan(Chord(0), 0, 48), ChordSpan(Chord(7, "7"), 48, 48)))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"book": tmp_path / "book.abc", "xml": tmp_path / "lead.musicxml", "misnamed": tmp_path / "tune.mid",
             "not_abc": tmp_path / "notes.abc", "not_xml": tmp_path / "data.xml"}
    paths["book"].write_text(BOOK)
    paths["xml"].write_bytes(write_musicxml(MELODY))
    paths["misnamed"].write_bytes(write_musicxml(MELODY))
    paths["not_abc"].write_text("shopping list: eggs\n")
    paths["not_xml"].write_text("<config><a/></config>")
    return paths


def test_sniffing_by_content(files: dict[str, Path]) -> None:
    assert sniff(files["book"].read_bytes()) == "abc"
    assert sniff(files["xml"].read_bytes()) == "musicxml"
    assert sniff(b"PK\x03\x04....") == "musicxml"
    assert load_sample(files["misnamed"]).melody == read_musicxml(files["xml"])[0]  # content decides
    with pytest.raises(SampleLoadError, match="not ABC notation"):
        load_sample(files["not_abc"])
    with pytest.raises(SampleLoadError, match="not a MusicXML score"):
        load_sample(files["not_xml"])


def test_a_book_gives_one_sample_per_tune_each_stored_alone(files: dict[str, Path]) -> None:
    batch = read_samples(files["book"])
    assert [s.name for s in batch.samples] == ["First (book.abc X:1)", "Second (book.abc X:2)"]
    assert [s.facts.meter for s in batch.samples] == ["3/4", "4/4"]  # type: ignore[union-attr]
    assert len({s.digest for s in batch.samples}) == 2
    assert [e.reason.split(":")[0] for e in batch.errors] == ["tune X"]
    assert "X:3 (Broken one)" in batch.errors[0].reason
    # a project stores each tune's own text; it reopens as that tune, under the same name
    again = load_sample(files["book"], data=batch.samples[1].data)
    assert (again.name, again.melody) == (batch.samples[1].name, batch.samples[1].melody)
    assert again.melody is not None and again.melody.chords[0].chord == Chord(9, "m")
    with pytest.raises(SampleLoadError, match="holds 3 tunes"):
        load_sample(files["book"])
    with pytest.raises(SampleLoadError, match="X:3"):
        load_samples(files["book"])  # for callers with nowhere to show a partial import


def test_engine_import_keeps_good_tunes_and_names_the_bad_one(files: dict[str, Path]) -> None:
    report = engine.import_samples([files["book"], files["xml"]])
    assert [s.name for s in report.samples] == ["First (book.abc X:1)", "Second (book.abc X:2)", "lead.musicxml"]
    assert all(s.domain is Domain.MELODY for s in report.samples)
    assert len(report.errors) == 1 and "Broken one" in str(report.errors[0])
    assert engine.expand_paths([files["book"].parent])[0]  # .abc/.musicxml/.xml are found in folders


def test_inspect_shows_each_tune_and_its_chords(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(files["book"])]) == 2  # one tune refused
    out, err = capsys.readouterr()
    assert "First (book.abc X:1)" in out and "Second (book.abc X:2)" in out
    assert "chords   2: C G7" in out
    assert "X:3 (Broken one)" in err


def test_export_command_writes_lead_sheets(files: dict[str, Path], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sheets"
    assert main(["export", str(files["xml"]), "--out", str(out)]) == 0
    written = out / "Lead.musicxml"
    assert read_musicxml(written)[0] == MELODY
    assert main(["export", str(files["xml"]), "--out", str(out)]) == 2  # kept unless --overwrite
    assert "already exists" in capsys.readouterr().err
    assert main(["export", str(files["xml"]), "--out", str(out), "--overwrite"]) == 0
    single = tmp_path / "one.musicxml"
    assert main(["export", str(files["book"]), "--out", str(single)]) == 2  # two tunes need a folder
    assert not single.exists()
    assert main(["export", str(files["book"]), "--out", str(tmp_path / "tunes")]) == 2  # X:3 named
    assert sorted(p.name for p in (tmp_path / "tunes").iterdir()) == ["First.musicxml", "Second.musicxml"]


def test_a_project_keeps_each_tune_and_lead_sheet(files: dict[str, Path], tmp_path: Path) -> None:
    from studio.core.project import Project
    from studio.core.samples import SampleSet
    from studio.io.project_file import load_project, save_project

    samples = list(read_samples(files["book"]).samples) + [load_sample(files["xml"])]
    path = tmp_path / "tunes.mcs"
    save_project(Project(samples=SampleSet(samples), title="Tunes"), path)
    files["book"].unlink()  # the project holds the tunes' own text: the book is not needed
    again = list(load_project(path).samples)
    assert [s.name for s in again] == [s.name for s in samples]
    assert [s.melody for s in again] == [s.melody for s in samples]
    assert again[2].melody is not None and again[2].melody.chords == MELODY.chords
