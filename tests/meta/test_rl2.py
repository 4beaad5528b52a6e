"""RL²: the recurrent policy's interface, equivariance, playing episodes and meta-training."""

from __future__ import annotations

import pytest
import torch

from studio.errors import Cancelled
from studio.meta.bandits import RandomPolicy, UserPrefConfig, run_episodes, sample_users
from studio.meta.rl2 import A2CConfig, RL2Agent, RL2Config, RL2Policy, _gae, meta_train_rl2, rollout_loss
from studio.progress import RecordingProgress

USERS = UserPrefConfig(horizon=20)


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.mark.parametrize("observe", [True, False])
def test_step_shapes_with_and_without_features(observe: bool) -> None:
    torch.manual_seed(0)
    policy = RL2Policy(RL2Config(hidden=8, observe_features=observe))
    users = sample_users(USERS, 3, torch.Generator().manual_seed(0))
    state, logits, value = policy.step(policy.initial_state(3), users.features, None, None, 0.0)
    assert state.shape == (3, 8) and logits.shape == (3, 10) and value.shape == (3,)
    a = logits.argmax(1)
    state2, _, _ = policy.step(state, users.features, a, users.rewards(0, a), 0.05)
    assert not torch.allclose(state, state2)


def test_arm_logits_follow_the_works_when_they_are_reordered() -> None:
    torch.manual_seed(0)
    policy = RL2Policy(RL2Config(hidden=8))
    users = sample_users(USERS, 2, torch.Generator().manual_seed(1))
    perm = torch.randperm(10, generator=torch.Generator().manual_seed(2))
    h = policy.initial_state(2)
    _, logits, _ = policy.step(h, users.features, None, None, 0.0)
    _, logits_perm, _ = policy.step(h, users.features[:, perm], None, None, 0.0)
    torch.testing.assert_close(logits_perm, logits[:, perm])


def test_advantages_are_reward_to_go_minus_value_without_bootstrapping() -> None:
    rewards = torch.tensor([[1.0, 0.0, 1.0]])
    values = torch.tensor([[0.5, 0.2, 0.7]])
    torch.testing.assert_close(_gae(rewards, values, 1.0), torch.tensor([[2.0, 1.0, 1.0]]) - values)
    # lambda 0: one-step temporal differences r_t + V_{t+1} - V_t (the episode ends after the last round)
    torch.testing.assert_close(_gae(rewards, values, 0.0), torch.tensor([[0.7, 0.5, 0.3]]))


def test_rollout_loss_backpropagates_into_every_parameter() -> None:
    torch.manual_seed(0)
    policy = RL2Policy(RL2Config(hidden=8))
    g = torch.Generator().manual_seed(0)
    loss, regret = rollout_loss(policy, sample_users(USERS, 4, g), USERS.horizon, A2CConfig(), 0.01, g)
    loss.backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in policy.parameters())
    assert 0.0 <= regret <= USERS.horizon


def test_meta_training_beats_random_choices() -> None:
    torch.manual_seed(0)
    policy = RL2Policy(RL2Config(hidden=16))
    progress = RecordingProgress()
    history = meta_train_rl2(policy, USERS, A2CConfig(updates=30, batch=64, lr=1e-2), progress)
    assert len(history) == 30 and progress.fractions[-1] == 1.0
    users = sample_users(USERS, 300, torch.Generator().manual_seed(99))
    trained = float(run_episodes(users, RL2Agent(policy, USERS.horizon, greedy=True), USERS.horizon).sum(1).mean())
    random = float(run_episodes(users, RandomPolicy(), USERS.horizon).sum(1).mean())
    assert trained < 0.75 * random, (trained, random)


def test_sampled_agent_is_reproducible_from_its_seed() -> None:
    torch.manual_seed(0)
    policy = RL2Policy(RL2Config(hidden=8))
    users = sample_users(USERS, 5, torch.Generator().manual_seed(3))
    a = run_episodes(users, RL2Agent(policy, USERS.horizon, seed=4), USERS.horizon)
    b = run_episodes(users, RL2Agent(policy, USERS.horizon, seed=4), USERS.horizon)
    torch.testing.assert_close(a, b)


def test_meta_training_checks_configs_and_stops_when_asked() -> None:
    with pytest.raises(ValueError, match="n_arms"):
        meta_train_rl2(RL2Policy(RL2Config(n_arms=5)), USERS, A2CConfig(updates=1))
    progress = RecordingProgress()
    progress.request_stop()
    with pytest.raises(Cancelled):
        meta_train_rl2(RL2Policy(), USERS, A2CConfig(updates=2), progress)


def test_agent_serves_a_real_user_from_features_alone() -> None:
    torch.manual_seed(0)
    agent = RL2Agent(RL2Policy(RL2Config(hidden=8)), horizon=5, greedy=True)
    agent.start(torch.randn(1, 10, 4))
    for t in range(5):
        shown = agent.act(t)
        assert shown.shape == (1,) and 0 <= int(shown) < 10
        agent.update(t, shown, torch.tensor([1.0 if t % 2 else 0.0]))
