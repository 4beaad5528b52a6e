"""The chord-conditioned melody network (issue 19 point 3): the chord input leaves the plain
network and its stored weights exactly as they were, chord classes line up with the events they
describe in training and in sampling, the lead-sheet tasks and the generator over such a model."""

from __future__ import annotations

import argparse
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from studio.bench import chords as bench
from studio.core.chord_text import parse_chords
from studio.core.chords import Chord
from studio.core.melody import KeySignature, Melody
from studio.domains.base import AdaptConfig
from studio.domains.melody.chord_features import (
    NO_CHORD, PlannedChords, build_chord_batch, chord_class, chord_table, extend_params, phrases_with_chords,
    sequence_chords,
)
from studio.domains.melody.chord_generator import ChordMelodyGenerator
from studio.domains.melody.leadsheet_corpus import ChordEpisodes, episode_task, load_leadsheet_tasks
from studio.domains.melody.model import (
    Cursor, MelodyNet, MelodyNetConfig, build_batch, sequence_features, sequence_loss, style_features,
)
from studio.domains.melody.params import MelodyParams
from studio.domains.melody.representation import VOCAB, encode
from studio.domains.melody.weights import load_model, save_model
from studio.errors import AdaptationError, StudioError
from studio.io.musicxml import write_musicxml
from tests.domains.melody.conftest import TINY, tune

ROOT = Path(__file__).resolve().parents[3]
CHORDED = replace(TINY, chord_embed=4)


def with_chords(melody: Melody, text: str = "C | F | G7 | C | Am | Dm | G7 | C") -> Melody:
    spans = parse_chords(text, melody.bar_ticks)
    return replace(melody, chords=tuple(type(s)(s.chord, s.start + melody.pickup, s.duration) for s in spans))


def test_old_cards_load_without_a_chord_input_and_compute_as_before() -> None:
    config = MelodyNetConfig.from_dict({k: v for k, v in TINY.to_dict().items() if k != "chord_embed"})
    assert config.chord_embed == 0
    torch.manual_seed(0)
    net = MelodyNet(config)
    assert not any(name.startswith("chords") for name in net.state_dict())
    tokens = encode(tune(1), KeySignature(2))
    inputs, _ = build_batch([tokens], style_features([tokens]))
    plain = net(*inputs)
    ignored = net(*inputs, torch.full_like(inputs[0], 7))  # a plain model never reads chords
    assert torch.equal(plain, ignored)


@pytest.mark.skipif(not (ROOT / "models" / "melody-reptile.json").exists(), reason="no shipped model")
def test_the_shipped_weights_still_load_exactly() -> None:
    model, params, _, card = load_model(ROOT / "models" / "melody-reptile")
    assert model.config.chord_embed == 0 and "chord_embed" not in card["config"]
    assert set(params) == set(model.state_dict())


def test_extended_weights_start_exactly_where_the_plain_model_is() -> None:
    torch.manual_seed(1)
    plain = MelodyNet(TINY)
    chorded = MelodyNet(CHORDED)
    chorded.load_state_dict(extend_params(dict(plain.named_parameters()), CHORDED))
    melody = with_chords(tune(2, key=KeySignature(0)))
    tokens = encode(melody, KeySignature(0))
    table = chord_table(melody.chords, 0)
    inputs, targets = build_chord_batch([tokens], [table], style_features([tokens]))
    assert torch.allclose(plain(*inputs[:5]), chorded(*inputs), atol=1e-6)
    # ...and the chord weights get a gradient, so training can make it read the chords
    sequence_loss(chorded(*inputs), targets).backward()
    assert chorded.gru.weight_ih_l0.grad[:, -4:].abs().sum() > 0


def test_chord_classes_are_relative_to_the_key() -> None:
    assert chord_class(None, 0) == NO_CHORD
    assert chord_class(Chord(0, ""), 0) == 1
    assert chord_class(Chord(7, "7"), 0) == 1 + 7 * 6 + 2
    assert chord_class(Chord(9, "7"), 2) == chord_class(Chord(7, "7"), 0)  # A7 in D = G7 in C
    assert chord_class(Chord(2, "m7"), 0) == chord_class(Chord(2, "m"), 0) != chord_class(Chord(2, ""), 0)


def test_every_note_sees_the_chord_sounding_where_it_starts() -> None:
    melody = with_chords(tune(3, pickup=24, key=KeySignature(0)))
    tokens = encode(melody, KeySignature(0))
    table = chord_table(tuple(type(s)(s.chord, s.start - 24, s.duration) for s in melody.chords), 0)
    ids = sequence_chords(tokens, (4, 4), table)
    cursor = Cursor((4, 4))
    for i, token in enumerate(tokens[:-1]):
        cursor.push(token)
        nxt = tokens[i + 1]
        if VOCAB.is_note(nxt):
            if cursor.in_pickup:
                assert ids[i] == NO_CHORD
            else:
                tick = cursor.bars * cursor.bar + cursor.cursor
                bar = tick // 96
                expected = ["C", "F", "G7", "C", "Am", "Dm", "G7", "C"][bar]
                chord = parse_chords(expected, 96)[0].chord
                assert ids[i] == chord_class(chord, 0), (i, tick)


def test_sampling_reads_the_same_chords_as_training() -> None:
    melody = with_chords(tune(4, key=KeySignature(0)))
    tokens = encode(melody, KeySignature(0))
    table = chord_table(melody.chords, 0)
    expected = sequence_chords(tokens, (4, 4), table)
    positions, _, progress = sequence_features(tokens, (4, 4), 8)
    planned = PlannedChords(MelodyNet(CHORDED), table, 8, (4, 4))
    got = planned.classes(torch.tensor(positions), torch.tensor(progress, dtype=torch.float32))
    assert got.tolist() == expected


def test_phrases_keep_their_own_chords() -> None:
    melody = with_chords(tune(5, bars=16, key=KeySignature(0)), "C | F | G7 | C | Am | Dm | G7 | C | "
                                                                 "F | F | C | C | G | G | C | C")
    cuts = phrases_with_chords(melody, 8)
    assert len(cuts) == 2
    assert cuts[1][1][0].chord == Chord(5, "") and cuts[1][1][0].start == 0
    assert all(s.end <= 8 * 96 for _, spans in cuts for s in spans)


def write_leadsheets(root: Path, writers: dict[str, int]) -> None:
    for w, (writer, songs) in enumerate(writers.items()):
        for k in range(songs):
            folder = root / writer / f"song{k}"
            folder.mkdir(parents=True)
            melody = with_chords(tune(10 * w + k, bars=16, key=KeySignature(0)),
                                 " | ".join(["C", "F", "G7", "C"] * 4))
            with zipfile.ZipFile(folder / "song.mxl", "w") as archive:
                archive.writestr("META-INF/container.xml",
                                 '<?xml version="1.0"?><container><rootfiles><rootfile full-path="score.xml"/>'
                                 "</rootfiles></container>")
                archive.writestr("score.xml", write_musicxml(melody))
    (root / "Broken" / "bad").mkdir(parents=True)
    (root / "Broken" / "bad" / "bad.mxl").write_bytes(b"not a zip")


def test_lead_sheet_tasks_hold_out_the_bench_songwriters(tmp_path: Path) -> None:
    write_leadsheets(tmp_path, {"Writer_A": 2, "Writer_B": 2, "[Traditional]": 2, "Robert_Burns-[Traditional]": 2})
    tasks, skipped = load_leadsheet_tasks(tmp_path)
    assert set(tasks) == {"Writer_A", "Writer_B"} and skipped["unreadable"] == 1
    assert skipped["folders_sharing_a_writer"] == 1
    assert "Robert_Burns-[Traditional]" in load_leadsheet_tasks(tmp_path, strict=False)[0]
    assert all(len(p) == 4 for p in tasks.values())  # 2 songs x 2 phrases of 8 bars
    heldout, _ = load_leadsheet_tasks(tmp_path, "heldout")
    assert set(heldout) == {"[Traditional]"}
    episodes = ChordEpisodes(tasks)
    support, query = episodes.episode(3)
    assert len(query) == 2 and 2 <= len(support) <= 2
    task = episode_task(support, query)
    assert len(task.support_x) == 6 and int(task.support_x[5].max()) > 0
    with pytest.raises(StudioError, match="no lead sheets"):
        load_leadsheet_tasks(tmp_path / "missing")


def test_the_generator_follows_given_chords_with_a_chord_model(tmp_path: Path) -> None:
    torch.manual_seed(2)
    net = MelodyNet(CHORDED)
    save_model(tmp_path / "melody-chords-tiny", dict(net.named_parameters()), CHORDED,
               {"adapt": {"lr": 0.05, "steps": 2}})
    plain = MelodyNet(TINY)
    save_model(tmp_path / "melody-plain-tiny", dict(plain.named_parameters()), TINY, {})
    with pytest.raises(AdaptationError, match="no chord input"):
        ChordMelodyGenerator("melody-plain-tiny", tmp_path)
    samples = [bench.as_sample(with_chords(tune(k, key=KeySignature(0))), f"s{k}") for k in range(3)]
    samples.append(bench.as_sample(tune(7, key=KeySignature(0)), "no chords"))  # implied chords
    for steer in (True, False):
        generator = ChordMelodyGenerator("melody-chords-tiny", tmp_path, steer=steer)
        adapted = generator.adapt(samples, AdaptConfig(steps=2, seed=0))
        assert adapted.steps == 2
        chords = parse_chords("C | F | G7 | C", 96)
        works = generator.generate(adapted, samples, MelodyParams(bars=4, chords=chords), 3, 0)
        assert len(works) == 3 and all(w.melody.notes for w in works)
        assert all(w.provenance["chord_input"] and w.provenance["steered"] is steer for w in works)
        assert all(w.melody.chords and w.melody.chords[0].chord == Chord(0, "") for w in works)


def test_bench_takes_a_conditioned_model_option() -> None:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    assert parser.parse_args([]).conditioned is None
    assert parser.parse_args(["--conditioned", "runs/m"]).conditioned == "runs/m"


def test_bench_rows_for_a_conditioned_model(tmp_path: Path) -> None:
    from studio.domains.melody.generator import MelodyGenerator

    torch.manual_seed(3)
    save_model(tmp_path / "plain", dict(MelodyNet(TINY).named_parameters()), TINY, {"adapt": {"steps": 1}})
    save_model(tmp_path / "chorded", dict(MelodyNet(CHORDED).named_parameters()), CHORDED, {"adapt": {"steps": 1}})
    songs = [with_chords(tune(k, key=KeySignature(0))) for k in range(7)]
    extra = {"conditioned": ChordMelodyGenerator("chorded", tmp_path),
             "conditioned_net": ChordMelodyGenerator("chorded", tmp_path, steer=False)}
    row = bench.evaluate("w", songs, MelodyGenerator("plain", tmp_path), 3, 0, 0, extra)
    assert {"chords", "free", "markov_snap", "human", "conditioned", "conditioned_net"} <= set(row)
    assert 0.0 <= row["conditioned"]["ct_duration"] <= 1.0
    overall = bench._mean([row, row])
    assert overall["conditioned_net"]["mean_oa"] == row["conditioned_net"]["mean_oa"]
