"""The RL² curator: policy shapes, the untrained policy is the prototype ranking, save / load, a tiny
meta-training run that learns, and missing or foreign weights -> a clear error."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest
import torch

from studio.errors import CheckpointError, StudioError
from studio.taste import people
from studio.taste.baselines import NoFeedback, PrototypeChooser, identity_for
from studio.taste.curator import (STATIC, SUMMARY, CuratorConfig, CuratorPolicy, RL2Curator, feedback_summary,
                                  gallery_summary, load_curator, pick, round_inputs, save_curator)
from studio.taste.simulate import RoundFeedback, RoundView, simulate
from studio.taste.synthetic import synthetic_pools
from studio.taste.train_curator import Oracle, TrainConfig, add_arguments, advantages, evaluate, returns_of, run, train

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def pools():
    return synthetic_pools(4, seed=1)


@pytest.fixture(scope="module")
def embedders(pools):
    return {"melody": identity_for("melody", people.fit_standardiser(pools))}


def _view(pool, history: int = 1) -> RoundView:
    drafts = np.flatnonzero(~pool.genuine)
    s = np.flatnonzero(pool.sample)
    hist = []
    for h in range(history):
        rows = drafts[40 + 12 * h: 52 + 12 * h]
        hist.append(RoundFeedback((pool.interp[rows], pool.raw[rows], pool.settings[rows]), [0, 1, 2], [9, 10, 11]))
    c = drafts[:36]
    return RoundView(pool.domain, pool.interp[c], pool.raw[c], pool.settings[c], pool.interp[s], pool.raw[s],
                     tuple(hist), 12)


def test_policy_shapes_and_picks_respect_the_mask() -> None:
    torch.manual_seed(0)
    policy = CuratorPolicy(CuratorConfig(hidden=8, mlp=8))
    state = policy.observe(policy.initial_state(3), torch.randn(3, SUMMARY), torch.ones(3))
    assert state.shape == (3, 8)
    static, dist = torch.randn(3, 20, STATIC), torch.rand(3, 20, 20)
    mask = torch.ones(3, 20, dtype=torch.bool)
    mask[1, 15:] = False
    assert policy.logits(state, static, torch.full((3, 20), 2.0), 0.0, mask).shape == (3, 20)
    for greedy in (True, False):
        picks, logp, ent = pick(policy, state, static, dist, mask, 12, torch.Generator().manual_seed(0), greedy)
        assert picks.shape == logp.shape == ent.shape == (3, 12)
        for row in picks.tolist():
            assert len(set(row)) == 12
        assert (picks[1] < 15).all() and (logp <= 0).all()


def test_round_inputs_and_summary_are_finite_and_scale_free(pools, embedders) -> None:
    view = _view(pools[0], history=2)
    inputs = round_inputs(view, embedders["melody"])
    assert inputs.static.shape == (36, STATIC) and inputs.dist.shape == (36, 36)
    assert np.isfinite(inputs.static).all() and np.isfinite(inputs.dist).all()
    scaled = RoundView(view.domain, view.candidates_interp * 3.0, view.candidates_raw, view.candidates_settings,
                       view.samples_interp * 3.0, view.samples_raw,
                       tuple(RoundFeedback((fb.shown_interp * 3.0, fb.shown_raw, fb.shown_settings), fb.kept,
                                           fb.rejected) for fb in view.history), 12)
    np.testing.assert_allclose(round_inputs(scaled).static[:, [0, 1, 4, 5, 6]],
                               round_inputs(view).static[:, [0, 1, 4, 5, 6]], atol=1e-3)
    summary = gallery_summary(view, 1, embedders["melody"])
    assert summary.shape == (SUMMARY,) and np.isfinite(summary).all()
    assert feedback_summary(np.zeros(0), np.zeros(0), np.zeros((0, 0)), [], []).shape == (SUMMARY,)


def test_training_summaries_equal_the_live_replay(pools, embedders) -> None:
    # training reads a gallery's summary off the round's inputs; live use replays it from the history
    view = _view(pools[3], history=1)
    inputs = round_inputs(view, embedders["melody"])
    shown = [5, 0, 33, 7, 12, 2, 30, 8, 21, 14, 9, 1]
    fb = RoundFeedback((view.candidates_interp[shown], view.candidates_raw[shown], view.candidates_settings[shown]),
                       [2, 4, 0], [11, 3, 6])
    later = RoundView(view.domain, view.candidates_interp, view.candidates_raw, view.candidates_settings,
                      view.samples_interp, view.samples_raw, view.history + (fb,), 12)
    np.testing.assert_allclose(inputs.summary(shown, fb.kept, fb.rejected),
                               gallery_summary(later, 1, embedders["melody"]), atol=1e-5)


def test_the_untrained_curator_is_the_prototype_ranking(pools, embedders) -> None:
    view = _view(pools[1], history=1)
    curator = RL2Curator(CuratorPolicy(), embedders)
    proto = PrototypeChooser(embedders["melody"])
    rng = np.random.default_rng(0)
    assert curator.choose(view, rng) == proto.choose(view, rng)


def test_save_and_load_round_trip(tmp_path, pools, embedders) -> None:
    torch.manual_seed(3)
    policy = CuratorPolicy(CuratorConfig(hidden=16, mlp=16))
    with torch.no_grad():
        for p in policy.parameters():
            p.add_(0.3 * torch.randn_like(p))
    stem = tmp_path / "curator"
    save_curator(policy, stem, {"embedder": "identity",
                                "standardisers": {"melody": embedders["melody"].standardiser.to_dict()},
                                "steps": 1})
    loaded = load_curator("melody", stem)
    view = _view(pools[2], history=2)
    rng = np.random.default_rng(0)
    assert loaded.choose(view, rng) == RL2Curator(policy, embedders).choose(view, rng)
    assert loaded.card["steps"] == 1 and loaded.name == "rl2"


def test_missing_or_foreign_weights_are_a_clear_error(tmp_path) -> None:
    with pytest.raises(CheckpointError, match="train-curator") as err:
        load_curator("melody", tmp_path / "nothing")
    assert isinstance(err.value, StudioError) and "nothing.safetensors" in str(err.value)
    stem = tmp_path / "other"
    save_curator(CuratorPolicy(CuratorConfig(hidden=8, mlp=8)), stem, {})
    card = json.loads((tmp_path / "other.json").read_text())
    card["kind"] = "taste-embedding"
    (tmp_path / "other.json").write_text(json.dumps(card))
    with pytest.raises(CheckpointError, match="not a taste curator"):
        load_curator("melody", stem)
    (tmp_path / "other.safetensors").write_bytes(b"garbage")
    with pytest.raises(CheckpointError):
        load_curator("melody", stem)


def test_returns_count_every_later_like() -> None:
    liked = np.zeros((1, 2, 4))
    liked[0, 0, 1] = 1
    liked[0, 1, 3] = 1
    np.testing.assert_allclose(returns_of(liked)[0], [[0.5, 0.5, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]])


def test_the_baseline_of_the_advantages_ignores_the_picks() -> None:
    # a person whose every candidate is liked: every pick earns what the baseline expects
    liked = np.ones((3, 2, 4))
    adv = advantages(liked, np.ones((3, 2)))
    np.testing.assert_allclose(adv, 0.0, atol=1e-6)
    liked[0, 0, 0] = 0.0  # a worse first pick than the round's candidates promise: negative advantage
    assert advantages(liked, np.ones((3, 2)))[0, 0, 0] < 0


def test_evaluate_compares_every_chooser_on_the_same_people(pools, embedders) -> None:
    rep = evaluate([NoFeedback(), PrototypeChooser(embedders["melody"]), Oracle()], pools[:2],
                   people.HELDOUT_FAMILIES, 3, rounds=2, standardisers={"melody": embedders["melody"].standardiser})
    assert rep["people"] == 6 and set(rep["choosers"]) == {"no feedback", "prototypes", "oracle (knows the taste)"}
    assert rep["choosers"]["no feedback"]["lift"] == [0.0, 0.0]
    oracle = rep["choosers"]["oracle (knows the taste)"]
    assert oracle["liked_share"][0] > rep["choosers"]["no feedback"]["liked_share"][0] + 0.2


def test_a_tiny_meta_training_run_learns_to_use_the_taste_model(pools, embedders) -> None:
    # from a policy that ignores the taste model (no skip connection): it must learn to use it
    torch.manual_seed(0)
    policy = CuratorPolicy(CuratorConfig(hidden=16, mlp=16, score_gain=0.0))
    val = synthetic_pools(2, seed=40)
    std = embedders["melody"].standardiser

    def liked_share() -> float:
        res = simulate(val, people.TRAIN_FAMILIES, RL2Curator(policy, embedders), 5, rounds=2, n_draft=24,
                       standardiser=std)
        return float(res.liked_share[:, 1].mean())
    before = liked_share()
    history = train(policy, pools, people.TRAIN_FAMILIES,
                    TrainConfig(updates=8, batch=6, rounds=(2, 2), n_draft=24, lr=2e-2), embedders)
    assert len(history) == 8 and all(0.0 <= h <= 1.0 for h in history)
    after = liked_share()
    assert after > before + 0.05, (before, after)
    none = simulate(val, people.TRAIN_FAMILIES, NoFeedback(), 5, rounds=2, n_draft=24, standardiser=std)
    assert after > float(none.liked_share[:, 1].mean())


def test_the_command_without_pools_exits_2(tmp_path, capsys) -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert run(parser.parse_args(["--root", str(tmp_path / "none")])) == 2
    assert "prepare-taste" in capsys.readouterr().out


def test_report_only_measures_the_stored_curator_on_held_out_pools(tmp_path, embedders) -> None:
    from studio.taste.pools import save_pool

    root = tmp_path / "pools"
    for pool in synthetic_pools(2, split="heldout", seed=60):
        save_pool(pool, root)
    stem = tmp_path / "curator"
    save_curator(CuratorPolicy(CuratorConfig(hidden=8, mlp=8)), stem,
                 {"embedder": "identity", "standardisers": {"melody": embedders["melody"].standardiser.to_dict()},
                  "data": {}})
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--root", str(root), "--out", str(stem), "--report-only", "--report-people", "2",
                              "--report-drafts", "24", "--domain", "melody"])
    assert run(args) == 0
    card = json.loads((tmp_path / "curator.json").read_text())
    report = card["metrics"]["heldout"]["melody"]["n_draft=24"]
    assert report["people"] == 4 and "rl2" in report["choosers"]
    assert report["choosers"]["prototypes"]["rl2_minus"] == [0.0, 0.0, 0.0]  # untrained: the prototype ranking
    assert "--report-only" in card["metrics"]["heldout_command"]
