"""The melody benchmark on a tiny corpus and tiny models: every method and metric is reported."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import torch

from studio.bench import melody as bench
from studio.core.melody import Melody, Note
from studio.domains.melody.corpus import build_corpus, load_corpus
from studio.domains.melody.markov import VariableOrderMarkov
from studio.domains.melody.metrics import is_copy
from studio.domains.melody.model import MelodyNet, MelodyNetConfig
from studio.domains.melody.train import save_model
from tests.domains.melody.conftest import _record, tune

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
    for method in bench.METHODS:
        assert 0.0 <= overall[method]["mean_oa"] <= 1.0 and 0.0 <= overall[method]["copy_rate"] <= 1.0
    assert set(result["goals"]) == {"beats_every_baseline_on_mean_oa", "beats_every_baseline_passing_copy_rule",
                                    "copy_rate_not_above_human", "median_under_5_s"}
    assert result["timing"]["1_threads"]["runs"] == 1 and result["method_comparison"] == {str(folder / "none"): {}}


def test_support_phrases_come_from_different_tunes(setup) -> None:
    corpus = load_corpus(setup[0])
    for episode in bench.bench_episodes(corpus, "other:held", 3, seed=0):
        assert len({p.tune.index for p in episode["support"]}) == 4
        assert len(episode["reference"]) == 6


def test_copy_filter_retries_with_the_next_seed_and_keeps_the_last_candidate() -> None:
    support = [tune(i, bars=8) for i in range(4)]
    novel = Melody(tuple(Note(40 + k * 7 % 11, k * 24, 24) for k in range(32)))
    assert not is_copy(novel, support)
    calls: list[tuple[int, int]] = []

    def draw(seed: int, attempt: int) -> Melody:  # copies on the first two candidates only
        calls.append((seed, attempt))
        return support[0] if attempt < 2 else novel
    kept, first_copies = bench._draw_set(draw, 2, support, seed=1)
    assert first_copies == 1.0 and kept == [novel, novel]
    assert calls == [(100_000, 0), (100_001, 1), (100_002, 2), (100_003, 0), (100_004, 1), (100_005, 2)]
    kept, _ = bench._draw_set(lambda s, a: support[1], 1, support, seed=0)
    assert kept == [support[1]]  # every candidate copies: the last one is kept (and counted)


def test_markov_backoff_obeys_the_copy_rule_where_plain_markov_cannot() -> None:
    support = [tune(i, bars=8) for i in range(4)]
    fitted = VariableOrderMarkov().fit(support, max_order=bench.MARKOV_ORDER)

    def markov(backoff: bool):
        return lambda s, a: fitted.generate(8, s, max_order=bench.MARKOV_ORDER - a if backoff else None)
    plain, _ = bench._draw_set(markov(False), 6, support, seed=0)
    backoff, _ = bench._draw_set(markov(True), 6, support, seed=0)
    plain_rate = sum(is_copy(m, support) for m in plain) / 6
    backoff_rate = sum(is_copy(m, support) for m in backoff) / 6
    assert plain_rate > 0.5 and backoff_rate < plain_rate
