"""Meta-training the painting generator: both methods run, checkpoints resume exactly, export
writes a loadable model with a card, held-out artists are refused, and the removed experiments
(Meta-SGD, smoothed noise) are refused with a pointer to research/README.md."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from studio.domains.painting.model import PaintNetConfig
from studio.domains.painting.objective import ObjectiveConfig
from studio.domains.painting.train import PaintTrainConfig, PaintTrainer, export
from studio.domains.painting.weights import load_model
from tests.domains.painting.conftest import painting

pytestmark = pytest.mark.usefixtures("one_torch_thread")
TINY = dict(objective=ObjectiveConfig(batch=1, crop=32, long_side=64, patches=128, directions=8),
            net=PaintNetConfig(channels=8, fine_channels=4, blocks=1), inner_steps=2, checkpoint_every=1)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("paintings")
    for a, artist in enumerate(("monet", "cezanne", "degas")):
        (base / artist).mkdir()
        for i in range(3):
            Image.fromarray(painting(10 * a + i, (60, 80))).save(base / artist / f"{i}.png")
    return base


@pytest.mark.parametrize("method", ["reptile", "multitask"])
def test_training_runs_checkpoints_and_resumes_identically(root: Path, tmp_path: Path, method: str):
    straight = PaintTrainer(PaintTrainConfig(method=method, steps=3, **TINY), root, tmp_path / "a")
    straight.train()
    first = PaintTrainer(PaintTrainConfig(method=method, steps=3, **TINY), root, tmp_path / "b")
    first.train(until=2)
    resumed = PaintTrainer(PaintTrainConfig(method=method, steps=3, **TINY), root, tmp_path / "b")
    assert resumed.step == 2
    resumed.train()
    for (name, p), q in zip(straight.net.named_parameters(), resumed.net.parameters()):
        assert torch.allclose(p, q, atol=1e-6), name
    assert straight.history or straight.step == 3


def test_reptile_moves_the_weights(root: Path, tmp_path: Path):
    trainer = PaintTrainer(PaintTrainConfig(steps=2, **TINY), root, tmp_path / "r")
    before = {n: p.detach().clone() for n, p in trainer.net.named_parameters()}
    trainer.train()
    assert any(not torch.equal(before[n], p) for n, p in trainer.net.named_parameters())


def test_export_writes_a_model_with_a_card(root: Path, tmp_path: Path):
    trainer = PaintTrainer(PaintTrainConfig(steps=1, **TINY), root, tmp_path / "run")
    trainer.train()
    export(tmp_path / "run", "exported", command="test", models_dir=tmp_path)
    net, params, card = load_model(tmp_path / "exported")
    assert card["steps"] == 1 and card["command"] == "test" and "degas" in card["data"]["held_out"]
    assert set(params) == {n for n, _ in net.named_parameters()}


def test_held_out_artists_are_never_trained_on(root: Path):
    from studio.domains.painting.dataset import TrainingTaskSampler

    sampler = TrainingTaskSampler(root, max_k=2)
    assert "degas" not in sampler.artists
    tasks = [sampler.sample(np.random.default_rng(i)) for i in range(20)]
    assert {t.artist for t in tasks} <= {"monet", "cezanne"}


def test_config_rejects_unknown_methods():
    with pytest.raises(ValueError, match="method"):
        PaintTrainConfig(method="maml")


def test_cli_trains_and_exports_with_the_adaptation_params(root: Path, tmp_path: Path, monkeypatch):
    import argparse

    from studio.domains.painting import train, train_cli

    parser = argparse.ArgumentParser()
    train_cli.add_train_arguments(parser)
    monkeypatch.setattr(train_cli, "MODELS_DIR", tmp_path)
    monkeypatch.setattr(train_cli, "PaintTrainConfig", lambda **kw: PaintTrainConfig(**{**kw, **TINY}))
    args = parser.parse_args(["--steps", "1", "--data", str(root), "--run", str(tmp_path / "run"),
                              "--export", "cli-model"])
    assert train_cli.run_train(args) == 0
    _, _, card = load_model(tmp_path / "cli-model")
    assert card["adapt"]["params"] == ["film_"] and card["steps"] == 1


def test_cli_can_start_from_stored_weights(root: Path, tmp_path: Path, monkeypatch):
    import argparse

    from studio.domains.painting import train, train_cli

    first = PaintTrainer(PaintTrainConfig(steps=1, **TINY), root, tmp_path / "first")
    first.train()
    parser = argparse.ArgumentParser()
    train_cli.add_train_arguments(parser)
    monkeypatch.setattr(train_cli, "PaintTrainConfig", lambda **kw: PaintTrainConfig(**{**kw, **TINY}))
    args = parser.parse_args(["--steps", "1", "--data", str(root), "--run", str(tmp_path / "second"),
                              "--init", str(tmp_path / "first")])
    seen = {}
    real = train.PaintTrainer.train

    def spy(self, *a, **kw):
        seen["params"] = {n: p.detach().clone() for n, p in self.net.named_parameters()}
        return real(self, *a, **kw)

    monkeypatch.setattr(train.PaintTrainer, "train", spy)
    assert train_cli.run_train(args) == 0
    for name, p in first.net.named_parameters():
        assert torch.equal(seen["params"][name], p.detach()), name


def test_cli_batch_reaches_the_objective_and_the_card_names_the_data(root: Path, tmp_path: Path, monkeypatch):
    import argparse

    from studio.domains.painting import train, train_cli

    parser = argparse.ArgumentParser()
    train_cli.add_train_arguments(parser)
    seen = {}

    def config(**kw):
        seen["objective"] = kw["objective"]
        tiny = {**TINY, "objective": ObjectiveConfig(**{**vars(TINY["objective"]), "batch": kw["objective"].batch})}
        return PaintTrainConfig(**{**kw, **tiny})

    monkeypatch.setattr(train_cli, "PaintTrainConfig", config)
    monkeypatch.setattr(train_cli, "MODELS_DIR", tmp_path)
    args = parser.parse_args(["--steps", "1", "--batch", "3", "--data", str(root), "--run", str(tmp_path / "run"),
                              "--export", "batched"])
    assert train_cli.run_train(args) == 0
    assert seen["objective"].batch == 3
    _, _, card = load_model(tmp_path / "batched")
    assert card["train"]["objective"]["batch"] == 3 and card["train"]["device"] == "cpu"
    assert card["data"]["root"] == str(root) and card["data"]["artists"] == {"monet": 3, "cezanne": 3}
    assert "--batch 3" in card["command"]


@pytest.mark.parametrize("flags, message", [(["--device", "no-such-device"], "not available"),
                                             (["--batch", "0"], "--batch")])
def test_cli_refuses_an_unusable_device_or_batch(root: Path, tmp_path: Path, flags, message):
    import argparse

    from studio.domains.painting import train, train_cli
    from studio.errors import StudioError

    parser = argparse.ArgumentParser()
    train_cli.add_train_arguments(parser)
    args = parser.parse_args(["--steps", "1", "--data", str(root), "--run", str(tmp_path / "run"), *flags])
    with pytest.raises(StudioError, match=message):
        train_cli.run_train(args)
    assert not (tmp_path / "run.json").exists()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_training_on_a_gpu_matches_the_cpu_draws(root: Path, tmp_path: Path):
    cpu = PaintTrainer(PaintTrainConfig(steps=2, **TINY), root, tmp_path / "cpu")
    gpu = PaintTrainer(PaintTrainConfig(steps=2, device="cuda", **TINY), root, tmp_path / "gpu")
    cpu.train()
    gpu.train()
    for (name, p), q in zip(cpu.net.named_parameters(), gpu.net.parameters()):
        assert torch.allclose(p, q.cpu(), atol=1e-3), name
    _, params, _ = load_model(tmp_path / "gpu")
    assert all(t.device.type == "cpu" for t in params.values())


def test_config_refuses_the_removed_meta_sgd_method():
    with pytest.raises(ValueError, match="reptile, multitask, got 'metasgd'"):
        PaintTrainConfig(method="metasgd")


@pytest.mark.parametrize("flags", [["--method", "metasgd"], ["--noise-smoothing", "1"], ["--learn-init"]])
def test_cli_no_longer_offers_the_removed_experiments(flags):
    import argparse

    from studio.domains.painting import train_cli

    parser = argparse.ArgumentParser()
    train_cli.add_train_arguments(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(flags)


def test_a_painting_meta_sgd_model_is_refused_with_a_pointer(tmp_path: Path):
    """A card asking for Meta-SGD steps, or weights carrying its learned step sizes, is refused
    by the loader (the generator, --init and export all read through it)."""
    from studio.domains.painting.generator import PaintingGenerator
    from studio.domains.painting.model import PaintNet
    from studio.domains.painting.weights import save_model
    from studio.errors import CheckpointError
    from studio.meta import checkpoint as ckpt

    net = PaintNet(TINY["net"])
    params = {n: p.detach() for n, p in net.named_parameters()}
    save_model(tmp_path / "card", params, net.config, {"adapt": {"optimizer": "meta-sgd", "steps": 5}})
    with pytest.raises(CheckpointError, match="Meta-SGD.*research/README.md") as caught:
        PaintingGenerator("card", tmp_path)
    assert "card" in str(caught.value.path)
    sizes = {"meta_lrs/film_in.weight": torch.ones_like(params["film_in.weight"])}
    ckpt.save_checkpoint(tmp_path / "sizes", {**params, **sizes}, {"kind": "painting-generator",
                                                                     "config": net.config.to_dict()})
    with pytest.raises(CheckpointError, match="Meta-SGD.*research/README.md"):
        load_model(tmp_path / "sizes")
    save_model(tmp_path / "plain", params, net.config, {"adapt": {"optimizer": "adam(beta1=0)"}})
    assert set(load_model(tmp_path / "plain")[1]) == set(params)


def test_a_checkpoint_of_a_smoothed_noise_network_is_refused_with_a_pointer(tmp_path: Path):
    from studio.domains.painting.model import PaintNet
    from studio.errors import CheckpointError
    from studio.meta import checkpoint as ckpt

    net = PaintNet(TINY["net"])
    ckpt.save_checkpoint(tmp_path / "smooth", {n: p.detach() for n, p in net.named_parameters()},
                         {"kind": "painting-generator", "config": {**net.config.to_dict(), "noise_smoothing": 1}})
    with pytest.raises(CheckpointError, match="noise_smoothing.*research/README.md"):
        load_model(tmp_path / "smooth")
