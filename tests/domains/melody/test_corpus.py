"""The melody corpus: building it from parsed records, loading it without music21, sampling
reproducible episodes, the catalog's task rules, and (when music21 is installed) parsing ABC."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.melody import KeySignature, Melody, Note
from studio.domains.melody import corpus_music21 as source
from studio.domains.melody.corpus import (
    CorpusError, EpisodeSampler, build_corpus, format_summary, load_corpus, main, prepare_corpus,
)
from studio.domains.melody.representation import (
    VOCAB, encode, is_valid, phrases, transposition_shift,
)
from studio.errors import Cancelled
from studio.progress import RecordingProgress

ROOT = Path(__file__).resolve().parents[3]
D_MAJOR = KeySignature(2, "major")


def tune(seed: int, bars: int = 10, meter: tuple[int, int] = (4, 4), pickup: int = 0) -> Melody:
    """A deterministic melody of ``bars`` bars (after an optional pickup) in D major."""
    bar = Melody((), time_signature=meter).bar_ticks
    notes, cursor, step = [], 0, 0
    groups = ((12,), (12,), (24,), (6, 6), (12,), (24,), (8, 8, 8))  # on the 16th grid between groups
    scale = (0, 2, 4, 5, 7, 9, 11, 12)
    if pickup:
        notes.append(Note(62 + seed % 5, 0, pickup))
        cursor = pickup
    end = pickup + bars * bar
    while cursor < end:
        group = groups[(seed + step) % len(groups)]
        for length in group if sum(group) <= end - cursor else (end - cursor,):
            notes.append(Note(62 + scale[(seed * 3 + len(notes) * 5) % 8], cursor, length))
            cursor += length
        step += 1
    return Melody(tuple(notes), 100, meter, D_MAJOR, pickup, f"tune {seed}")


def record(*melodies: Melody, key: list | None = (2, "major"), sharps: int | None = 2) -> dict:
    """What corpus_music21.parse_tunes returns for a tune made of these segments."""
    return {
        "title": melodies[0].name, "tempo": None, "sharps": sharps,
        "key": None if key is None else list(key), "offgrid": 0,
        "segments": [{"meter": list(m.time_signature), "pickup": m.pickup,
                      "notes": [[n.pitch, n.start, n.duration] for n in m.notes]} for m in melodies],
    }


def records() -> list[tuple[str, str, str, dict]]:
    out = []
    for i in range(5):
        out.append(("col:reels", "col/a.abc", f"X{i}", record(tune(i))))
        out.append(("col:jigs", "col/b.abc", f"X{i}", record(tune(10 + i, meter=(6, 8), pickup=12))))
        out.append(("other:held", "other/c.abc", f"X{i}", record(tune(20 + i, meter=(3, 4)))))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("corpus")
    summary = build_corpus(out, records(), heldout=("other:held",))
    return out, summary


def test_build_and_load_round_trip(built) -> None:
    out, summary = built
    corpus = load_corpus(out)
    assert corpus.tasks("train") == ["col:jigs", "col:reels"]
    assert corpus.tasks("heldout") == ["other:held"] and corpus.heldout == ("other:held",)
    assert summary.heldout == ("other:held",) and summary.tunes == 15
    melodies = corpus.melodies("col:jigs")
    assert [m.notes for m in melodies] == [tune(10 + i, meter=(6, 8), pickup=12).notes for i in range(5)]
    assert melodies[0].pickup == 12 and melodies[0].key == D_MAJOR and melodies[0].tempo_bpm == 120.0
    assert corpus.tune_tokens("col:jigs")[0] == encode(melodies[0])
    info = corpus.task_info("col:reels")
    assert (info.tunes, info.sources, info.split, info.tune_type) == (5, 5, "train", "reels")
    assert info.phrases == {4: 10, 8: 5, 16: 0}  # 10 bars: two 4-bar and one 8-bar phrase each
    phrase = corpus.phrases("col:jigs", 8)[0]
    assert phrase.tune.title == "tune 10" and is_valid(phrase.tokens)
    expected = phrases(melodies[0], 8)[0]
    assert phrase.melody().notes == expected.notes and phrase.melody().pickup == 12
    assert "col:reels" in format_summary(summary)
    with pytest.raises(ValueError, match="stored"):
        corpus.phrases("col:jigs", 5)
    with pytest.raises(KeyError):
        corpus.tunes("nope")
    with pytest.raises(ValueError):
        corpus.tasks("test")


def test_duplicates_errors_meter_changes_and_small_tasks(tmp_path: Path) -> None:
    same = tune(1)
    rows = [
        ("a:train", "g", "X1", record(same)),
        ("a:held", "g", "X2", record(same)),  # the same tune: kept in the held-out task
        ("a:held", "g", "X3", {"error": "no time signature (free meter)"}),
        ("a:held", "g", "X4", record(tune(2), tune(3, meter=(3, 4)))),  # a meter change
        ("a:tiny", "g", "X5", record(tune(4))),
        ("a:train", "g", "X6", record(tune(5))),
    ]
    summary = build_corpus(tmp_path, rows, heldout=("a:held",), settings={"min_task_tunes": 2})
    corpus = load_corpus(tmp_path)
    assert corpus.tasks() == ["a:held"]  # a:train lost its duplicate, a:tiny was too small
    assert [t.title for t in corpus.tunes("a:held")] == ["tune 1", "tune 2 part 1", "tune 2 part 2"]
    assert corpus.tunes("a:held")[2].time_signature == (3, 4)
    assert summary.skipped == {"exact duplicate of another tune": 1, "no time signature (free meter)": 1,
                               "task with fewer than 2 tunes": 2}


def test_key_from_the_signature_picks_major_or_relative_minor(tmp_path: Path) -> None:
    a_minor = Melody(tuple(Note(p, i * 24, 24) for i, p in enumerate(
        [69, 72, 76, 69, 71, 72, 74, 76, 69, 68, 69, 64, 69, 72, 71, 69])), time_signature=(4, 4), name="am")
    c_major = Melody(tuple(Note(p, i * 24, 24) for i, p in enumerate(
        [60, 64, 67, 60, 62, 64, 65, 67, 72, 71, 72, 67, 64, 62, 60, 60])), time_signature=(4, 4), name="c")
    rows = [("k:t", "g", "X1", record(a_minor, key=None, sharps=0)),
            ("k:t", "g", "X2", record(c_major, key=None, sharps=0)),
            ("k:t", "g", "X3", record(c_major, key=None, sharps=None))]
    build_corpus(tmp_path, rows, heldout=())
    keys = [t.key for t in load_corpus(tmp_path).tunes("k:t")]
    assert keys[:2] == [KeySignature(9, "minor"), KeySignature(0, "major")]


def test_episodes_are_reproducible_and_well_formed(built) -> None:
    corpus = load_corpus(built[0])
    sampler = EpisodeSampler(corpus, "train", support=(2, 3), query=2, bars=4, seed=5)
    again = EpisodeSampler(corpus, "train", support=(2, 3), query=2, bars=4, seed=5)
    episodes = [sampler.sample() for _ in range(20)]
    assert episodes == [again.sample_at(i) for i in range(20)]
    assert episodes != [EpisodeSampler(corpus, "train", (2, 3), 2, 4, seed=6).sample() for _ in range(20)]
    assert {e.task for e in episodes} == {"col:jigs", "col:reels"}
    for episode in episodes:
        assert 2 <= len(episode.support) <= 3 and len(episode.query) == 2
        pool = {tuple(p.tokens): p.tune.index for p in corpus.phrases(episode.task, 4)}
        support_tunes = {pool[tuple(s)] for s in episode.support}
        assert all(tuple(q) in pool for q in episode.query + episode.support)
        if len(support_tunes) <= 3:  # 5 tunes of 2 phrases: the query can avoid support tunes
            assert not support_tunes & {pool[tuple(q)] for q in episode.query}
    held = EpisodeSampler(corpus, "heldout", support=(4, 4), query=1, bars=4, seed=0).sample()
    assert held.task == "other:held" and len(held.support) == 4
    with pytest.raises(ValueError, match="no train task"):
        EpisodeSampler(corpus, "train", support=(3, 8), query=4, bars=16)
    kept_out = EpisodeSampler(corpus, "train", (2, 3), 2, 4, seed=5, exclude=("col:reels",))
    assert {kept_out.sample_at(i).task for i in range(20)} == {"col:jigs"}


def test_augmentation_transposes_whole_episodes(built) -> None:
    corpus = load_corpus(built[0])
    plain = EpisodeSampler(corpus, "train", (3, 3), 1, 4, seed=2)
    moved = EpisodeSampler(corpus, "train", (3, 3), 1, 4, seed=2, augment=True)
    changed = 0
    for step in range(30):
        a, b = plain.sample_at(step), moved.sample_at(step)
        assert a.task == b.task and len(a.support) == len(b.support)
        for x, y in zip(a.support + a.query, b.support + b.query):
            assert is_valid(y)
            deltas = {VOCAB.relative_pitch(q) - VOCAB.relative_pitch(p) for p, q in zip(x, y) if VOCAB.is_note(p)}
            assert len(deltas) == 1 and deltas.pop() in (-12, 0, 12)
            changed += x != y
    assert changed > 0
    assert transposition_shift(D_MAJOR, 10) == 12  # D -> C: the tonic's octave wraps


def test_load_errors_name_the_folder(built, tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="prepare-melodies"):
        load_corpus(tmp_path / "missing")
    out = tmp_path / "copy"
    out.mkdir()
    manifest = json.loads((built[0] / "corpus.json").read_text())
    (out / "corpus.safetensors").write_bytes((built[0] / "corpus.safetensors").read_bytes())
    manifest["vocabulary"] = manifest["vocabulary"][:-1]
    (out / "corpus.json").write_text(json.dumps(manifest))
    with pytest.raises(CorpusError, match="vocabulary"):
        load_corpus(out)
    (out / "corpus.safetensors").write_bytes(b"\x05\x00\x00\x00\x00\x00\x00\x00{bad}")
    with pytest.raises(CorpusError, match="damaged") as error:
        load_corpus(out)
    assert error.value.path == str(out)


def test_build_stops_when_asked(tmp_path: Path) -> None:
    progress = RecordingProgress()
    progress.request_stop()
    with pytest.raises(Cancelled):
        build_corpus(tmp_path, records(), heldout=(), progress=progress)


def test_loading_and_the_catalog_module_do_not_import_music21() -> None:
    code = ("import sys, studio.domains.melody.corpus, studio.domains.melody.corpus_music21, "
            "studio.domains.melody.representation; sys.exit('music21' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_tune_types_and_meters_from_abc_headers() -> None:
    assert source.tune_type("double jig", "") == "jig"
    assert source.tune_type("slipjig", "") == source.tune_type("", "The Slip Jig") == "slip-jig"
    assert source.tune_type(" REEL", "") == "reel" and source.tune_type("", "Miss Lyall -- Strathspey") == "strathspey"
    assert source.tune_type("", "Quick Step 71st. Regt.") == "march"
    assert source.tune_type("", "The Lads of the Village") is None
    assert source._abc_meter("X:1\nM:C|\nK:G\nabc|\n") == ((2, 2), False)
    assert source._abc_meter("X:1\nM: 6/8\nK:G\nabc|[M:9/8]abc|\n") == ((6, 8), True)
    assert source._abc_meter("X:1\nM: none\nK:G\nabc\n") == (None, False)


def test_segments_follow_bar_lines_and_pickups() -> None:
    notes = [[60, t, 12] for t in range(0, 24 * 17, 12)]
    measures = [(0, 24, (4, 4))] + [(24 + 96 * i, 96, (4, 4)) for i in range(4)]
    (one,) = source._segments(notes, measures)
    assert one["pickup"] == 24 and one["meter"] == [4, 4]
    joined = [(0, 24, (4, 4)), (24, 192, (4, 4)), (216, 72, (4, 4)), (288, 24, (4, 4)), (312, 96, (4, 4))]
    assert len(source._segments(notes, joined)) == 1  # a two-bar measure and a split bar are fine
    broken = [(0, 96, (4, 4)), (96, 96, (4, 4)), (192, 48, (4, 4)), (240, 96, (4, 4)), (336, 96, (4, 4))]
    first, second = source._segments(notes + [[60, 408, 24]], broken)
    assert first["pickup"] == 0 and second["pickup"] == 0 and second["notes"][0][1] == 0
    assert source._segments(notes, [(0, 12, (1, 8))] * 1) == []  # meters under 3/8 are dropped


def test_catalog_rules_on_a_small_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    essen, oneills = tmp_path / "essenFolksong", tmp_path / "oneills1850"
    essen.mkdir()
    oneills.mkdir()
    (essen / "han1.abc").write_text("X:1\nT: A\nM: 2/4\nK: C\nc2d2|e4|\n\nX:2\nT: B\nM: 2/4\nK: C\nc4|d4|\n")
    (essen / "test0.abc").write_text("X:1\nT: T\nM: 2/4\nK: C\nc4|\n")
    abc = "X: {n}\nT: T{n}\nB: O'Neill's {n}\n{r}M: 6/8\nK: G\nGAB|\n\n"
    (oneills / "0701-0710.abc").write_text(abc.format(n=701, r="") + abc.format(n=702, r="R:reel\n"))
    (oneills / "0701-0710_dup.abc").write_text(abc.format(n=701, r=""))
    monkeypatch.setattr(source, "MIN_TASK_TUNES", 1)
    tunes = source._essen(tmp_path) + source._oneills(tmp_path)
    assert [(t.task, t.key, t.title) for t in tunes] == [
        ("essen:han", "X1", "A"), ("essen:han", "X2", "B"),
        ("oneills:jig", "X701", "T701"), ("oneills:reel", "X702", "T702"),
    ]
    assert tunes[0].text.startswith("X:1") and "X:2" not in tunes[0].text
    assert tunes[2].group == "oneills1850/0701-0710.abc" and tunes[2].collection == "oneills"


def test_cli_rejects_a_bad_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--limit-per-task", "0", "--out", "unused"]) == 2
    assert "--limit-per-task" in capsys.readouterr().err


# --- with music21 (the [train] extra) ---------------------------------------------------------

ABC_TUNE = """X:1
T:Test Jig
R:jig
M:6/8
L:1/8
K:Ador
E|A2B c2d|(3efg a2ge|e2d c2B|A3-A2E|
A2B c2d|e2a g2e|d2B G2B|A3 A2|
"""


def test_parse_tunes_reads_pickups_triplets_ties_and_modes() -> None:
    pytest.importorskip("music21")
    jig = source.TuneSource("x:jig", "g", "X1", "Test Jig", "inline.abc", ABC_TUNE)
    free = source.TuneSource("x:jig", "g", "X2", "Free", "inline.abc", "X:2\nT:Free\nM:none\nL:1/8\nK:C\nCDE\n")
    (key1, parsed), (key2, failed) = source.parse_tunes([jig, free])
    assert key1 == "X1" and key2 == "X2" and "error" in failed
    assert parsed["key"] == [9, "minor"] and parsed["sharps"] == 1  # A dorian: one sharp
    (segment,) = parsed["segments"]
    assert segment["meter"] == [6, 8] and segment["pickup"] == 12
    notes = segment["notes"]
    assert notes[0] == [64, 0, 12] and [n[2] for n in notes[5:8]] == [8, 8, 8]
    tied = [n for n in notes if n[0] == 69 and n[2] == 60]
    assert tied  # A3-A2: one note of five eighths


def test_prepare_corpus_parses_caches_and_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("music21")
    jigs = [source.TuneSource("x:jig", "inline.abc", f"X{i}", f"Jig {i}", "inline.abc",
                              ABC_TUNE.replace("X:1", f"X:{i}").replace("E|A2B", f"E|{'ABcdeg'[i]}2B"))
            for i in range(4)]
    monkeypatch.setattr(source, "catalog", lambda root=None: jigs)
    monkeypatch.setattr(source, "HELDOUT_TASKS", ())
    monkeypatch.setattr(source, "MIN_TASK_TUNES", 2)
    progress = RecordingProgress()
    summary = prepare_corpus(tmp_path, limit_per_task=3, progress=progress, workers=0)
    assert summary.tunes == 3 and summary.tasks[0].name == "x:jig" and progress.fractions[-1] == 1.0
    assert (tmp_path / "cache" / "inline.abc.json").exists()
    again = RecordingProgress()
    prepare_corpus(tmp_path, limit_per_task=None, progress=again, workers=1)  # one more, in a worker
    assert any("3 tunes cached, 1 to parse" in m for m in again.messages)
    assert len(load_corpus(tmp_path).tunes("x:jig")) == 4
