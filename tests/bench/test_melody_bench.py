"""The melody benchmark on a tiny corpus and tiny models: every method and metric is reported."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from studio.bench import melody as bench
from studio.core.melody import KeySignature, Melody, Note
from studio.domains.melody.corpus import build_corpus, load_corpus
from studio.domains.melody.markov import VariableOrderMarkov
from studio.domains.melody.metrics import is_copy
from studio.domains.melody.model import MelodyNet, MelodyNetConfig
from studio.domains.melody.weights import save_model
from tests.domains.melody.conftest import _record, tune

ROOT = Path(__file__).resolve().parents[2]
TINY = MelodyNetConfig(embed=8, position_embed=4, hidden=16, style=8, style_hidden=8)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("melody-bench")
    rows = [("col:reels", "a.abc", f"X{i}", _record(tune(i, bars=9))) for i in range(10)]
    rows += [("other:held", "b.abc", f"X{i}", _record(tune(20 + i, bars=9, meter=(3, 4)))) for i in range(10)]
    build_corpus(folder / "corpus", rows, heldout=("other:held",))
    torch.manual_seed(0)
    for name in ("meta", "multi"):
        model = MelodyNet(TINY)
        save_model(folder / name, dict(model.named_parameters()), TINY,
                   {"method": "reptile", "training_method": name, "steps": 1, "train_seconds": 0.0,
                    "adapt": {"lr": 0.1, "steps": 1, "clip": 5.0}})
    return folder / "corpus", folder


def test_every_method_is_scored(setup) -> None:
    corpus_dir, folder = setup
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    args = parser.parse_args(["--corpus", str(corpus_dir), "--model", str(folder / "meta"), "--multitask",
                              str(folder / "multi"), "--episodes", "1", "--count", "2", "--timing-runs", "1",
                              "--threads", "1", "--compare", str(folder / "none")])
    result = bench.run(args)
    overall = result["overall"]
    assert set(overall) == {*bench.METHODS, "human"}
    assert "ngram" in bench.METHODS and result["settings"]["cache_weight"] == bench.CACHE_WEIGHT > 0
    assert 0.0 <= overall["human"]["mean_oa"] <= 1.0 and "human" in result["adapted_minus"]
    for method in bench.METHODS:
        assert 0.0 <= overall[method]["mean_oa"] <= 1.0 and 0.0 <= overall[method]["copy_rate"] <= 1.0
    assert set(result["goals"]) == {"beats_every_baseline_on_mean_oa", "beats_every_baseline_passing_copy_rule",
                                    "copy_rate_not_above_human", "median_under_5_s"}
    assert result["timing"]["1_threads"]["runs"] == 1 and result["method_comparison"] == {str(folder / "none"): {}}


def test_compare_lists_every_model_of_a_folder_by_name(setup, tmp_path: Path) -> None:
    corpus_dir, _ = setup
    torch.manual_seed(1)
    for name in ("model-early", "model-late"):  # two models of one training method
        model = MelodyNet(TINY)
        save_model(tmp_path / name, dict(model.named_parameters()), TINY,
                   {"method": "reptile", "training_method": "multitask", "steps": 1, "train_seconds": 0.0,
                    "adapt": {"lr": 0.1, "steps": 1, "clip": 5.0}})
    result = bench.compare_methods(load_corpus(corpus_dir), str(tmp_path), episodes=1)
    assert set(result) == {"model-early", "model-late"}
    for row in result.values():
        assert row["training_method"] == "multitask"
        assert all(row[f"query_loss_{k}"] > 0 for k in (0, 5, 20))
    assert result["model-early"]["query_loss_0"] != result["model-late"]["query_loss_0"]


def test_support_phrases_come_from_different_tunes(setup) -> None:
    corpus = load_corpus(setup[0])
    for episode in bench.bench_episodes(corpus, "other:held", 3, seed=0):
        assert len({p.tune.index for p in episode["support"]}) == 4
        assert len(episode["reference"]) == 6


def test_human_ceiling_scores_held_back_tunes_against_the_others(monkeypatch) -> None:
    reference = [tune(i, bars=8) for i in range(10)]
    seen: list[tuple[list, list]] = []
    monkeypatch.setattr(bench, "overlap_report", lambda gen, ref: seen.append((gen, ref)) or {"mean_oa": 0.5})
    assert bench.human_overlap(reference, 16, seed=3) == {"mean_oa": 0.5}
    human, rest = seen[0]
    assert len(human) == 5 and len(rest) == 5  # at most half is held back
    assert sorted(map(id, human + rest)) == sorted(map(id, reference))  # a split: no tune on both sides
    bench.human_overlap(reference, 2, seed=3)
    assert len(seen[1][0]) == 2 and len(seen[1][1]) == 8
    keys = [KeySignature(11, "major"), KeySignature(5, "minor")]  # D major moves down 3, up 3
    bench.human_overlap(reference, 2, seed=3, keys=keys)
    moved, rest = seen[2]
    assert [m.key.tonic for m in moved] == [11, 5] and rest == seen[1][1]
    assert [m.notes[0].pitch - o.notes[0].pitch for m, o in zip(moved, seen[1][0])] == [-3, 3]


def test_copy_filter_retries_with_the_next_seed_and_keeps_the_last_candidate() -> None:
    support = [tune(i, bars=8) for i in range(4)]
    novel = Melody(tuple(Note(40 + k * 7 % 11, k * 24, 24) for k in range(32)))
    assert not is_copy(novel, support)
    calls: list[tuple[int, int]] = []

    def draw(seed: int, attempt: int, index: int) -> Melody:  # copies on the first two candidates only
        calls.append((seed, attempt, index))
        return support[0] if attempt < 2 else novel
    kept, first_copies = bench._draw_set(draw, 2, support, seed=1)
    assert first_copies == 1.0 and kept == [novel, novel]
    assert calls == [(100_000, 0, 0), (100_001, 1, 0), (100_002, 2, 0), (100_003, 0, 1), (100_004, 1, 1),
                     (100_005, 2, 1)]
    kept, _ = bench._draw_set(lambda s, a, i: support[1], 1, support, seed=0)
    assert kept == [support[1]]  # every candidate copies: the last one is kept (and counted)


def test_markov_backoff_obeys_the_copy_rule_where_plain_markov_cannot() -> None:
    support = [tune(i, bars=8) for i in range(4)]
    fitted = VariableOrderMarkov().fit(support, max_order=bench.MARKOV_ORDER)

    def markov(backoff: bool):
        return lambda s, a, i: fitted.generate(8, s, max_order=bench.MARKOV_ORDER - a if backoff else None)
    plain, _ = bench._draw_set(markov(False), 6, support, seed=0)
    backoff, _ = bench._draw_set(markov(True), 6, support, seed=0)
    plain_rate = sum(is_copy(m, support) for m in plain) / 6
    backoff_rate = sum(is_copy(m, support) for m in backoff) / 6
    assert plain_rate > 0.5 and backoff_rate < plain_rate


def _without_timings(value):
    """A bench result with its wall-clock fields left out (the only ones allowed to vary)."""
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if not k.endswith("_seconds")}
    return value


def test_a_fixed_seed_gives_the_same_numbers_in_every_process(tmp_path: Path) -> None:
    """Two processes with different string-hash seeds must agree to the last digit: the support's
    key and meter once came from iterating a set, so ties went a different way in each run.
    The held-out tunes alternate between keys (with modes) and meters so that ties are common."""
    keys = [KeySignature(2, "major"), KeySignature(9, "minor"), KeySignature(7, "major"), KeySignature(4, "minor")]
    rows = [("col:reels", "a.abc", f"X{i}", _record(tune(i, bars=9))) for i in range(6)]
    for i in range(10):
        record = _record(tune(20 + i, bars=9, meter=((3, 4), (2, 4))[i % 2]))
        record["key"] = [keys[i % 4].tonic, keys[i % 4].mode]
        rows.append(("other:held", "b.abc", f"X{i}", record))
    build_corpus(tmp_path / "corpus", rows, heldout=("other:held",))
    torch.manual_seed(1)
    for name in ("meta", "multi"):
        save_model(tmp_path / name, dict(MelodyNet(TINY).named_parameters()), TINY,
                   {"method": "reptile", "training_method": name, "steps": 1, "train_seconds": 0.0,
                    "adapt": {"lr": 0.1, "steps": 1, "clip": 5.0}})
    command = [sys.executable, "main.py", "bench", "melody", "--json", "--corpus", str(tmp_path / "corpus"),
               "--model", str(tmp_path / "meta"), "--multitask", str(tmp_path / "multi"), "--episodes", "2",
               "--count", "2", "--timing-runs", "0", "--threads", "1", "--seed", "3",
               "--plan", "majority"]  # the plan in which the support's majority key and meter matter
    results = []
    for hash_seed in ("1", "2"):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
                              env={**os.environ, "PYTHONHASHSEED": hash_seed})
        assert done.returncode == 0, done.stderr
        results.append(_without_timings(json.loads(done.stdout)))
    assert results[0] == results[1]
    assert results[0]["standard_errors"]["adapted"]["mean_oa"] >= 0.0
    assert set(results[0]["adapted_minus"]) == {*bench.METHODS[1:], "human"}


def test_support_slots_follow_each_clip_or_the_majority(setup) -> None:
    corpus = load_corpus(setup[0])
    support = bench.bench_episodes(corpus, "other:held", 1, seed=0)[0]["support"]
    clips = bench.support_slots(support, "clips")
    assert clips == [(p.tune.key, p.tune.time_signature) for p in support]
    majority = bench.support_slots(support, "majority")
    assert len(majority) == 1 and majority[0] in clips
    with pytest.raises(ValueError):
        bench.support_slots(support, "random")


def test_sampler_settings_reach_every_network_draw(setup, monkeypatch) -> None:
    seen: list = []
    original = bench.sample_sequences

    def spy(network, features, plans, controls, *rest, **kw):
        seen.append(controls)
        return original(network, features, plans, controls, *rest, **kw)
    monkeypatch.setattr(bench, "sample_sequences", spy)
    model, params, _, _ = bench.load_model(setup[1] / "meta")
    tokens = [list(p.tokens) for p in load_corpus(setup[0]).phrases("col:reels", 8)[:4]]
    slots = [(KeySignature(2, "major"), (4, 4))]
    for margin in (0, 3):
        draw = bench._network_sampler(model.config, params, bench.style_features(tokens), slots, 120.0, 8,
                                      (60, 72), None, temperature=0.8, top_p=0.9, range_margin=margin)
        draw(1)
    assert [(c.temperature, c.top_p) for c in seen] == [(0.8, 0.9)] * 2
    assert [c.pitch_range for c in seen] == [(60 - 62, 72 - 62), (57 - 62, 75 - 62)]
