"""Simulated users and the bandit baselines: rewards, regret, and the baselines' known ordering."""

from __future__ import annotations

import pytest
import torch

from studio.meta.bandits import (UCB1, LogisticThompson, RandomPolicy, ThompsonBeta, UserPrefConfig, mean_ci,
                                 run_episodes, sample_users)

CFG = UserPrefConfig(horizon=40)


@pytest.fixture(scope="module")
def users():
    return sample_users(CFG, 200, torch.Generator().manual_seed(0))


def test_users_have_the_configured_shapes_and_valid_probabilities(users) -> None:
    assert users.features.shape == (200, 10, 4) and users.prefs.shape == (200, 4)
    assert users.probs.shape == (200, 10) and users.noise.shape == (200, 40, 10)
    assert 0.0 < float(users.probs.min()) and float(users.probs.max()) < 1.0
    expected = torch.sigmoid(CFG.beta * torch.einsum("bkd,bd->bk", users.features, users.prefs))
    torch.testing.assert_close(users.probs, expected)
    again = sample_users(CFG, 200, torch.Generator().manual_seed(0))
    torch.testing.assert_close(again.noise, users.noise)


def test_population_taste_is_shared(users) -> None:
    mean = users.prefs.mean(0)
    assert torch.allclose(mean, torch.tensor(CFG.pref_mean), atol=0.2)


def test_rewards_follow_the_shared_noise_and_gaps_are_regret(users) -> None:
    actions = torch.randint(0, 10, (200,), generator=torch.Generator().manual_seed(1))
    rows = torch.arange(200)
    r = users.rewards(3, actions)
    assert torch.equal(r, (users.noise[rows, 3, actions] < users.probs[rows, actions]).float())
    assert (users.gaps(actions) >= 0).all()
    assert torch.equal(users.gaps(users.probs.argmax(1)), torch.zeros(200))


def test_ucb1_plays_every_arm_once_first(users) -> None:
    policy = UCB1()
    policy.reset(users)
    for t in range(10):
        a = policy.act(t)
        assert (a == t).all()
        policy.update(t, a, users.rewards(t, a))
    assert (policy.pulls == 1).all()


def test_baselines_order_as_theory_says(users) -> None:
    regret = {p.name: float(run_episodes(users, p, CFG.horizon).sum(1).mean())
              for p in (RandomPolicy(), UCB1(), ThompsonBeta(), LogisticThompson(CFG))}
    r = list(regret.values())
    assert r[0] > r[1] > r[2] > r[3], regret  # random > UCB1 > Beta-Thompson > model-aware Thompson
    # Random's regret is the mean gap to the best arm, every round.
    gap = float((users.probs.max(1).values - users.probs.mean(1)).mean()) * CFG.horizon
    assert abs(r[0] - gap) < 0.1 * gap


def test_run_episodes_regret_shape_and_mean_ci(users) -> None:
    regret = run_episodes(users, ThompsonBeta(seed=3), 5)
    assert regret.shape == (200, 5)
    mean, half = mean_ci(regret.sum(1))
    assert half > 0 and mean == pytest.approx(float(regret.sum(1).mean()))


@pytest.mark.parametrize("kwargs", [{"pref_mean": (1.0, 0.0)}, {"n_arms": 1}, {"horizon": 0}])
def test_config_rejects_inconsistent_values(kwargs) -> None:
    with pytest.raises(ValueError):
        UserPrefConfig(**kwargs)
