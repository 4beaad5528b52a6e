"""The taste embedding: shapes, meta-training lowers the episode loss, save / load, bad files."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.errors import CheckpointError, StudioError
from studio.taste.embedding import (Embedder, TasteEmbedding, TasteEmbeddingConfig, generic_spec, identity_embedder,
                                    load_embedder, load_embedder_or_identity, save_embedder)
from studio.taste.people import TRAIN_FAMILIES, fit_standardiser, sample_person
from studio.taste.synthetic import synthetic_pools
from studio.taste.train_embedding import TrainConfig, _Trainer, auc, episodes_for, evaluate, make_episode

pytestmark = pytest.mark.usefixtures("one_torch_thread")
F, R = 10, 48


@pytest.fixture(scope="module")
def pools():
    return synthetic_pools(4, seed=11, interp_size=F, raw_size=R)


@pytest.fixture(scope="module")
def standardiser(pools):
    return fit_standardiser(pools)


def learned(standardiser, dim: int = 16) -> Embedder:
    torch.manual_seed(0)
    module = TasteEmbedding(TasteEmbeddingConfig(F, R, hidden=16, dim=dim))
    return Embedder("melody", generic_spec("melody", F, R), standardiser, module, (0.5, -1.0), np.zeros(dim))


def test_embedding_shapes_and_empty_input(pools, standardiser) -> None:
    e = learned(standardiser)
    assert e.embed(pools[0].interp[:5], pools[0].raw[:5]).shape == (5, 16)
    assert e.embed(np.zeros((0, F)), np.zeros((0, R))).shape == (0, 16)
    assert e.embed(np.zeros((0, 0)), np.zeros((0, 0))).dtype == np.float32
    with pytest.raises(ValueError):
        e.embed(pools[0].interp[:2, :3], pools[0].raw[:2])
    ident = identity_embedder("melody", standardiser, generic_spec("melody", F, R))
    assert ident.is_identity and ident.dim == F
    np.testing.assert_allclose(ident.embed(pools[0].interp, pools[0].raw),
                               standardiser.apply(pools[0].interp, pools[0].raw)[0])


def test_untrained_embedding_starts_from_the_interpretable_features(standardiser, pools) -> None:
    e = learned(standardiser, dim=F + 6)
    out = e.embed(pools[0].interp, pools[0].raw)
    zi = standardiser.apply(pools[0].interp, pools[0].raw)[0]
    assert np.corrcoef(out[:, 0], zi[:, 0])[0, 1] > 0.9


def test_a_short_meta_training_lowers_the_episode_loss(pools, standardiser) -> None:
    torch.manual_seed(0)
    module = TasteEmbedding(TasteEmbeddingConfig(F, R, hidden=32, dim=16, dropout=0.0))
    trainer = _Trainer(module, pools, standardiser, TrainConfig(steps=20, episodes_per_step=4, lr=5e-3, seed=0))
    rng = np.random.default_rng(0)
    fixed = []
    for i in range(24):
        pool_i = i % len(pools)
        person = sample_person(TRAIN_FAMILIES[i % len(TRAIN_FAMILIES)], pools[pool_i], standardiser, rng)
        fixed.append((pool_i, make_episode(pools[pool_i], person, 2, rng)))

    def loss() -> float:
        module.eval()
        with torch.no_grad():
            embs = [module(*z) for z in trainer.z]
            return float(np.mean([float(trainer.episode_loss(embs[k], ep)) for k, ep in fixed]))
    before = loss()
    for _ in range(20):
        trainer.step()
    assert loss() < before - 0.2


def test_evaluation_episodes_are_shared_and_auc_is_sane(pools, standardiser) -> None:
    a = episodes_for(pools[:1], ("linear",), standardiser, people=2)
    b = episodes_for(pools[:1], ("linear",), standardiser, people=2)
    assert [ep.query.tolist() for _, _, ep in a] == [ep.query.tolist() for _, _, ep in b]
    assert {k for _, k, _ in a} == {1, 2, 3}
    result = evaluate(identity_embedder("melody", standardiser, generic_spec("melody", F, R)), a)
    assert set(result) == {1, 2, 3} and all(0.0 <= row["auc"] <= 1.0 for row in result.values())
    assert auc(np.array([0.1, 0.9, 0.5]), np.array([False, True, False])) == 1.0
    assert auc(np.array([1.0, 1.0]), np.array([True, False])) == 0.5
    assert np.isnan(auc(np.array([1.0]), np.array([True])))


def test_save_and_load_round_trip(tmp_path, pools, standardiser) -> None:
    e = learned(standardiser)
    save_embedder(e, tmp_path / "taste", {"data": "synthetic", "command": "test", "steps": 0, "metrics": {}})
    again = load_embedder("melody", str(tmp_path / "taste"), spec=e.spec)
    np.testing.assert_allclose(again.embed(pools[1].interp, pools[1].raw), e.embed(pools[1].interp, pools[1].raw),
                               rtol=1e-6, atol=1e-6)
    assert again.calibration == e.calibration and again.dim == 16
    np.testing.assert_allclose(again.standardiser.raw_mean, standardiser.raw_mean)
    with pytest.raises(CheckpointError, match="painting"):
        load_embedder("painting", str(tmp_path / "taste"), spec=generic_spec("painting", F, R))


def test_a_corrupt_weights_file_names_the_file(tmp_path, standardiser) -> None:
    e = learned(standardiser)
    save_embedder(e, tmp_path / "bad", {})
    (tmp_path / "bad.safetensors").write_bytes(b"\x00garbage" * 10)
    with pytest.raises(CheckpointError, match="bad.safetensors"):
        load_embedder("melody", str(tmp_path / "bad"), spec=e.spec)


def test_weights_for_other_features_are_refused(tmp_path, standardiser) -> None:
    e = learned(standardiser)
    save_embedder(e, tmp_path / "old", {})
    newer = generic_spec("melody", F, R)
    newer = type(newer)(newer.domain, newer.names, newer.more, newer.less, newer.raw_size, version=newer.version + 1)
    with pytest.raises(CheckpointError, match="train-taste"):
        load_embedder("melody", str(tmp_path / "old"), spec=newer)


def test_missing_weights_fall_back_to_the_identity(tmp_path) -> None:
    pytest.importorskip("studio.taste.describe")
    with pytest.raises(StudioError):
        load_embedder("melody", str(tmp_path / "absent"))
    e = load_embedder_or_identity("melody", str(tmp_path / "absent"))
    assert e.is_identity and "absent" in e.card["fallback_reason"]


def test_the_identity_can_ship_with_its_standardiser_and_calibration(tmp_path, pools, standardiser) -> None:
    ident = identity_embedder("melody", standardiser, generic_spec("melody", F, R), calibration=(0.3, -1.2))
    save_embedder(ident, tmp_path / "ident", {"metrics": {}})
    again = load_embedder("melody", str(tmp_path / "ident"), spec=ident.spec)
    assert again.is_identity and again.calibration == (0.3, -1.2)
    np.testing.assert_allclose(again.embed(pools[0].interp, pools[0].raw), ident.embed(pools[0].interp, pools[0].raw))


@pytest.mark.parametrize("change", [{"config": None}, {"config": {"interp_size": 3}}, {"calibration": [1.0]},
                                    {"background": [0.0]}, {"kind": "something"},
                                    {"standardiser": {"interp_mean": [0.0], "interp_std": [1.0],
                                                      "raw_mean": [0.0], "raw_std": [1.0]}}])
def test_a_hand_edited_card_is_refused_with_the_file_named(tmp_path, standardiser, change) -> None:
    import json
    e = learned(standardiser)
    save_embedder(e, tmp_path / "edited", {})
    card_path = tmp_path / "edited.json"
    card = json.loads(card_path.read_text())
    card.update(change)
    card_path.write_text(json.dumps(card))
    with pytest.raises(CheckpointError, match="edited"):
        load_embedder("melody", str(tmp_path / "edited"), spec=e.spec)


def test_the_train_taste_command_trains_measures_and_writes_a_loadable_model(tmp_path, capsys) -> None:
    describe = pytest.importorskip("studio.taste.describe")
    from studio.cli import main
    from studio.taste.pools import save_pool

    spec = describe.spec_for("melody")
    sizes = {"interp_size": spec.size, "raw_size": spec.raw_size, "genuine": 24, "drafts": 48}
    for pool in synthetic_pools(3, split="train", seed=0, **sizes) + synthetic_pools(1, split="heldout", seed=50, **sizes):
        save_pool(pool, tmp_path / "pools")
    out = tmp_path / "taste-melody"
    code = main(["train-taste", "--domain", "melody", "--pools", str(tmp_path / "pools"), "--steps", "4",
                 "--eval-every", "2", "--eval-people", "1", "--out", str(out), "--work-dir", str(tmp_path / "work")])
    assert code == 0
    printed = capsys.readouterr().out
    assert "held-out pools x heldout families" in printed and "paired" in printed
    e = load_embedder("melody", str(out))
    assert e.card["metrics"]["heldout_families"]["paired_gain"]["3_galleries"]["episodes"] > 0
    assert "train-taste --domain melody" in e.card["command"]
    assert main(["train-taste", "--domain", "painting", "--pools", str(tmp_path / "pools")]) == 2  # no pools: a message
    assert "prepare-taste" in capsys.readouterr().err


def test_a_relative_embedding_reads_the_works_against_the_samples(pools, standardiser) -> None:
    from studio.taste.model import TasteModel

    torch.manual_seed(0)
    module = TasteEmbedding(TasteEmbeddingConfig(F, R, hidden=16, dim=16, relative=True))
    with torch.no_grad():
        module.mlp[-1].weight.mul_(10.0)
    e = Embedder("melody", generic_spec("melody", F, R), standardiser, module, (0.5, -1.0), np.zeros(16))
    assert e.relative
    works, samples = pools[0], pools[1]
    alone = e.embed(works.interp[:5], works.raw[:5])
    against = e.embed(works.interp[:5], works.raw[:5], samples_interp=samples.interp[:4])
    assert alone.shape == against.shape == (5, 16) and not np.allclose(alone, against)
    rows = (works.interp[10:13], works.raw[10:13])
    a = TasteModel.fit(e, rows, None, (samples.interp[:4], samples.raw[:4])).score(works.interp, works.raw).score
    b = TasteModel.fit(e, rows, None, (works.interp[:4], works.raw[:4])).score(works.interp, works.raw).score
    assert not np.allclose(a, b)
