"""Meta-training the painting generator: both methods run, checkpoints resume exactly, export
writes a loadable model with a card, held-out artists are refused."""

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


@pytest.mark.parametrize("method", ["reptile", "multitask", "metasgd"])
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
    for name, sizes in straight.step_sizes().items():
        assert torch.allclose(sizes, resumed.step_sizes()[name], rtol=1e-5), name
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
    net, params, _, card = load_model(tmp_path / "exported")
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
    _, _, _, card = load_model(tmp_path / "cli-model")
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
    _, _, _, card = load_model(tmp_path / "batched")
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
    _, params, _, _ = load_model(tmp_path / "gpu")
    assert all(t.device.type == "cpu" for t in params.values())


def test_learned_step_sgd_steps_each_weight_by_its_own_size_and_sums_the_gradients():
    from studio.domains.painting.adaptation import LearnedStepSGD

    weight = torch.nn.Parameter(torch.tensor([1.0, 1.0]))
    opt = LearnedStepSGD([weight], [torch.tensor([0.1, 0.0])])
    for _ in range(2):
        opt.zero_grad()
        (weight * torch.tensor([2.0, 3.0])).sum().backward()
        opt.step()
    assert torch.allclose(weight.detach(), torch.tensor([0.6, 1.0]))
    assert torch.allclose(opt.state[weight]["grad_sum"], torch.tensor([4.0, 6.0]))
    with pytest.raises(ValueError, match="own shape"):
        LearnedStepSGD([weight], [torch.ones(3)])


@pytest.mark.parametrize("learn_init", [False, True])
def test_metasgd_learns_step_sizes_and_only_with_learn_init_the_weights(root: Path, tmp_path: Path, learn_init: bool):
    config = PaintTrainConfig(method="metasgd", steps=3, learn_init=learn_init, meta_lr=0.1, **TINY)
    trainer = PaintTrainer(config, root, tmp_path / "m")
    before = {n: p.detach().clone() for n, p in trainer.net.named_parameters()}
    trainer.train()
    sizes = trainer.step_sizes()
    assert set(sizes) == {n for n in before if n.startswith("film_")}
    assert any(not torch.allclose(s, torch.full_like(s, config.init_step)) for s in sizes.values())
    moved = {n for n, p in trainer.net.named_parameters() if not torch.equal(before[n], p.detach())}
    assert bool(moved) == learn_init  # the inner steps themselves are undone after every task
    assert len(trainer.gains) == 3 and all(np.isfinite(trainer.gains))


def test_metasgd_query_scores_the_supports_layouts_against_other_paintings(root: Path, tmp_path: Path):
    trainer = PaintTrainer(PaintTrainConfig(method="metasgd", steps=1, max_k=1, **TINY), root, tmp_path / "q")
    support, query = trainer._split_task(np.random.default_rng(3))
    assert len(support.images) == 1 and len(query.targets) == 2
    assert query.images == support.images and torch.equal(query.style, support.style)
    assert all(not any(t is s for s in support.targets) for t in query.targets)


def test_metasgd_export_carries_the_step_sizes_and_the_generator_takes_only_the_learned_steps(
        root: Path, tmp_path: Path, samples):
    from studio.domains.base import AdaptConfig
    from studio.domains.painting.generator import PaintingGenerator

    trainer = PaintTrainer(PaintTrainConfig(method="metasgd", steps=1, **TINY), root, tmp_path / "run")
    trainer.train()
    export(tmp_path / "run", "msgd", command="test", models_dir=tmp_path)
    _, _, sizes, card = load_model(tmp_path / "msgd")
    assert card["adapt"] == {"optimizer": "meta-sgd", "steps": 2, "params": ["film_"], "early_stopping": False}
    assert set(sizes) == set(trainer.step_sizes())
    generator = PaintingGenerator("msgd", tmp_path)
    generator.objective = TINY["objective"]
    adapted = generator.adapt(samples[:2], AdaptConfig(steps=50, seed=1))
    assert adapted.steps == 2 and len(adapted.losses) == 2
    assert adapted.method == "metasgd"  # the registry's default asked, the learned steps taken and named
    works = generator.generate(adapted, samples[:2], None, 1, seed=3)
    assert works[0].provenance["method"] == "metasgd"
    assert generator.adapt(samples[:2], AdaptConfig(method="metasgd", steps=1, seed=1)).method == "metasgd"
    by_time = generator.adapt(samples[:2], AdaptConfig(steps=None, time_budget_s=30, seed=1))
    assert by_time.steps == 2


def test_a_meta_sgd_card_without_step_sizes_is_refused(tmp_path: Path):
    from studio.domains.painting.generator import PaintingGenerator
    from studio.domains.painting.model import PaintNet
    from studio.domains.painting.weights import save_model
    from studio.errors import CheckpointError

    net = PaintNet(TINY["net"])
    save_model(tmp_path / "bare", dict(net.named_parameters()), net.config, {"adapt": {"optimizer": "meta-sgd"}})
    with pytest.raises(CheckpointError, match="step sizes") as caught:
        PaintingGenerator("bare", tmp_path)
    assert "bare" in str(caught.value.path)
    save_model(tmp_path / "odd", dict(net.named_parameters()), net.config, {},
               step_sizes={"film_in.weight": torch.ones(2)})
    with pytest.raises(CheckpointError, match="film_in.weight"):
        load_model(tmp_path / "odd")


def test_metasgd_per_row_step_sizes_are_one_per_output_unit_and_resume(root: Path, tmp_path: Path):
    def config():
        return PaintTrainConfig(method="metasgd", steps=2, step_shape="row", meta_lr=0.1, **TINY)

    trainer = PaintTrainer(config(), root, tmp_path / "rows")
    trainer.train(until=1)
    sizes = trainer.step_sizes()
    weight = sizes["film_out.weight"]
    assert weight.shape == trainer.net.film_out.weight.shape
    assert torch.equal(weight, weight[:, :1].expand_as(weight)) and not torch.allclose(weight, weight[0, 0])
    resumed = PaintTrainer(config(), root, tmp_path / "rows")
    for name, t in resumed.log_steps.items():
        assert torch.allclose(t, trainer.log_steps[name].detach(), atol=1e-6), name
    with pytest.raises(ValueError, match="step_shape"):
        PaintTrainConfig(method="metasgd", step_shape="column")


def test_cli_refuses_bad_options_with_a_clear_error(root: Path, tmp_path: Path):
    import argparse

    from studio.domains.painting import train, train_cli
    from studio.errors import StudioError

    parser = argparse.ArgumentParser()
    train_cli.add_train_arguments(parser)
    args = parser.parse_args(["--method", "metasgd", "--query", "0", "--data", str(root), "--run", str(tmp_path / "r")])
    with pytest.raises(StudioError, match="query must be at least 1"):
        train_cli.run_train(args)
    assert not (tmp_path / "r.json").exists()


def test_cli_metasgd_adapt_params_choose_the_weights_its_steps_change(root: Path, tmp_path: Path, monkeypatch):
    import argparse

    from studio.domains.painting import train, train_cli

    parser = argparse.ArgumentParser()
    train_cli.add_train_arguments(parser)
    monkeypatch.setattr(train_cli, "MODELS_DIR", tmp_path)
    monkeypatch.setattr(train_cli, "PaintTrainConfig", lambda **kw: PaintTrainConfig(**{**kw, **TINY}))
    args = parser.parse_args(["--method", "metasgd", "--steps", "1", "--data", str(root), "--run",
                              str(tmp_path / "run"), "--adapt-params", "film_out", "--export", "msgd"])
    assert train_cli.run_train(args) == 0
    _, _, sizes, card = load_model(tmp_path / "msgd")
    assert set(sizes) == {"film_out.weight", "film_out.bias"} and card["adapt"]["params"] == ["film_out"]
    assert "--method metasgd" in card["command"]
