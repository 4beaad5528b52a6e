"""Meta-training and the multi-task baseline on a tiny corpus: each method runs, checkpoints
resume exactly, exported models load with their card, and the command writes a model."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import pytest
import torch

from studio.domains.melody.corpus import EpisodeSampler, load_corpus
from studio.domains.melody.options import TrainSettings
from studio.domains.melody.train import EpisodeTasks, adapted_query_loss, heldout_episodes, train
from studio.domains.melody.train_cli import add_train_arguments, run_train
from studio.domains.melody.weights import load_model, save_model

from .conftest import TINY

SMALL = TrainSettings(iterations=2, meta_batch=2, inner_steps=1, support=(2, 3), query=2)


@pytest.mark.parametrize("method", ["reptile", "fomaml", "metasgd", "multitask"])
def test_every_method_trains(tiny_corpus: Path, method: str) -> None:
    corpus = load_corpus(tiny_corpus)
    params, meta_lrs, steps, metrics = train(corpus, dataclasses.replace(SMALL, method=method), TINY)
    assert steps == (SMALL.gradient_evaluations() if method == "multitask" else 2)
    assert (meta_lrs is not None) == (method == "metasgd")
    assert all(torch.isfinite(p).all() for p in params.values()) and metrics


@pytest.mark.parametrize("method", ["reptile", "multitask"])
def test_training_on_the_cache_mixture(tiny_corpus: Path, method: str) -> None:
    corpus = load_corpus(tiny_corpus)
    settings = dataclasses.replace(SMALL, method=method, cache_loss=0.5)
    params, _, _, metrics = train(corpus, settings, TINY)
    assert all(torch.isfinite(p).all() for p in params.values()) and metrics
    task = EpisodeTasks(EpisodeSampler(corpus, "train", (2, 3), 2, 4), 0.5).sample(torch.Generator())
    assert task.support_y.dim() == 3 and task.query_y.shape[-1] == 3  # (id, share, share * p_cache)


def test_resume_continues_exactly(tiny_corpus: Path, tmp_path: Path) -> None:
    corpus = load_corpus(tiny_corpus)
    straight, _, _, _ = train(corpus, dataclasses.replace(SMALL, iterations=3), TINY)
    stem = str(tmp_path / "run")
    train(corpus, dataclasses.replace(SMALL, iterations=2), TINY, stem)
    resumed, _, steps, _ = train(corpus, dataclasses.replace(SMALL, iterations=3), TINY, stem, resume=True)
    assert steps == 3
    assert all(torch.allclose(straight[n], resumed[n], atol=1e-6) for n in straight)


def test_multitask_resume(tiny_corpus: Path, tmp_path: Path) -> None:
    corpus = load_corpus(tiny_corpus)
    settings = dataclasses.replace(SMALL, method="multitask", iterations=1)  # 2 gradient evaluations
    stem = str(tmp_path / "mt")
    _, _, first, _ = train(corpus, settings, TINY, stem, checkpoint_every=1)
    _, _, total, _ = train(corpus, dataclasses.replace(settings, iterations=2), TINY, stem, resume=True)
    assert (first, total) == (2, 4)


def test_episode_tasks_are_reproducible_and_padded(tiny_corpus: Path) -> None:
    tasks = EpisodeTasks(EpisodeSampler(load_corpus(tiny_corpus), "train", (2, 3), 2, 8, seed=0))
    a = tasks.sample(torch.Generator().manual_seed(4))
    b = tasks.sample(torch.Generator().manual_seed(4))
    assert torch.equal(a.support_y, b.support_y)
    assert a.support_x[0].shape[1] == a.query_x[0].shape[1]  # one length, so Reptile can concatenate


def test_heldout_loss_drops_with_adaptation(tiny_corpus: Path) -> None:
    from studio.domains.melody.model import MelodyNet

    corpus = load_corpus(tiny_corpus)
    torch.manual_seed(0)
    model = MelodyNet(TINY)
    params = dict(model.named_parameters())
    episodes = heldout_episodes(corpus, 1, support=2, query=1)
    assert adapted_query_loss(model, params, episodes, 3, 0.5) < adapted_query_loss(model, params, episodes, 0, 0.5)


def test_metasgd_rates_round_trip(tmp_path: Path) -> None:
    from studio.domains.melody.model import MelodyNet

    params = dict(MelodyNet(TINY).named_parameters())
    rates = {n: torch.full_like(p, 0.02) for n, p in params.items()}
    save_model(tmp_path / "m", params, TINY, {}, rates)
    _, _, loaded, _ = load_model(tmp_path / "m")
    assert loaded is not None and set(loaded) == set(params)


def test_the_command_writes_a_model_with_its_card(tiny_corpus: Path, tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_train_arguments(parser)
    args = parser.parse_args(["--corpus", str(tiny_corpus), "--iterations", "1", "--meta-batch", "1",
                              "--inner-steps", "1", "--embed", "8", "--hidden", "16", "--run-dir",
                              str(tmp_path / "runs"), "--out", str(tmp_path / "model"), "--eval-episodes", "1",
                              "--adapt-steps", "1", "--no-select-adaptation", "--support", "2", "3", "--query", "2"])
    assert run_train(args) == 0
    card = json.loads((tmp_path / "model.json").read_text())
    assert card["steps"] == 1 and card["command"].startswith("python main.py train-melody")
    assert "heldout_query_loss_1_steps" in card["metrics"] and card["data"]["heldout_tasks"] == ["other:held"]
    load_model(tmp_path / "model")


def test_adaptation_is_selected_on_training_tasks(tiny_corpus: Path) -> None:
    from studio.domains.melody.model import MelodyNet
    from studio.domains.melody.train import select_adaptation

    torch.manual_seed(0)
    model = MelodyNet(TINY)
    lr, steps, table = select_adaptation(model, dict(model.named_parameters()), load_corpus(tiny_corpus),
                                         lrs=(0.1, 0.5), steps=(1, 3), episodes=1)
    assert (lr, steps) in {(0.1, 1), (0.1, 3), (0.5, 1), (0.5, 3)}
    assert table[f"lr={lr},steps={steps}"] == min(v for k, v in table.items() if not k.endswith("steps=0"))


def test_a_fresh_run_can_start_from_other_weights(tiny_corpus: Path, tmp_path: Path) -> None:
    corpus = load_corpus(tiny_corpus)
    stem = str(tmp_path / "mt")
    first, _, _, _ = train(corpus, dataclasses.replace(SMALL, method="multitask", iterations=1), TINY, stem)
    zero_steps = dataclasses.replace(SMALL, iterations=0)
    started, _, steps, _ = train(corpus, zero_steps, TINY, init=stem)
    assert steps == 0 and all(torch.equal(first[n], started[n]) for n in first)
