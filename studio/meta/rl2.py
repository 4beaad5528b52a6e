"""RL² (Duan et al. 2016): a recurrent policy whose hidden state learns within an episode.

Role: the RL-based meta-learner that decides which generated work to show a user next. A GRU
reads, each round, the previous action (one-hot), the previous reward (like or not), the
features of the previously shown work (plain, and signed by the like: ``+f`` liked, ``-f``
not), the elapsed fraction of the episode and a first-round flag; its hidden state is the
agent's belief about this user. Each arm's logit is a small MLP of ``[hidden, features of
that arm]`` plus a linear "taste" read-out of the hidden state dotted with the arm's features
(equivariant to reordering the works), so the policy generalises over works it has never
seen. With ``observe_features=False`` it sees no features, as in the paper's bandit
experiments, and a linear head gives the logits.

Meta-training is advantage actor-critic (A2C) over batches of simulated users: undiscounted
generalised advantage estimates (GAE, lambda 0.9) from a value head, normalised advantages and
an entropy bonus annealed to zero. The value head predicts the reward-to-go *per round of the
episode*: with raw returns (up to the horizon) its gradient was 200 times the policy's and,
through the shared GRU and the gradient clipping, kept the policy from learning anything but
the population's average taste. ``expected_reward_returns`` replaces each sampled like in the
*returns* (never in the observations) by its probability, which the simulator knows: the
policy gradient stays unbiased (the like is independent of earlier actions given the shown
work) with much less variance.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from studio.meta.bandits import UserBatch, UserPrefConfig, sample_users
from studio.progress import NULL_PROGRESS, Progress, check_stop


@dataclass(frozen=True)
class RL2Config:
    """The recurrent policy."""

    n_arms: int = 10
    dim: int = 4  # work feature size
    hidden: int = 64  # GRU state size
    observe_features: bool = True


class RL2Policy(nn.Module):
    """GRU actor-critic over bandit rounds; :meth:`step` advances all episodes of a batch by one round."""

    def __init__(self, config: RL2Config = RL2Config()) -> None:
        super().__init__()
        self.config = config
        k, d, h = config.n_arms, config.dim, config.hidden
        in_dim = k + 1 + 2 + (2 * d if config.observe_features else 0)
        self.gru = nn.GRUCell(in_dim, h)
        if config.observe_features:
            self.arm_head = nn.Sequential(nn.Linear(h + d, h), nn.ReLU(), nn.Linear(h, 1))
            self.taste = nn.Linear(h, d)  # a linear read-out of the believed taste: logit += taste . f_k
        else:
            self.arm_head = nn.Linear(h, k)
        self.value_head = nn.Linear(h, 1)

    def initial_state(self, batch: int) -> Tensor:
        return torch.zeros(batch, self.config.hidden)

    def step(self, state: Tensor, features: Tensor, prev_action: Tensor | None, prev_reward: Tensor | None,
             t_frac: float) -> tuple[Tensor, Tensor, Tensor]:
        """One round: returns (new state ``(B, H)``, arm logits ``(B, K)``, value ``(B,)``).

        ``features`` ``(B, K, d)`` are the works on offer; ``prev_action``/``prev_reward`` are
        None in the first round of an episode; ``t_frac`` is the elapsed fraction of it. The
        value is the predicted reward-to-go divided by the horizon.
        """
        b, k = features.shape[0], self.config.n_arms
        first = prev_action is None
        parts = [torch.zeros(b, k) if first else F.one_hot(prev_action, k).float(),
                 torch.zeros(b, 1) if first else prev_reward.unsqueeze(1).float(),
                 torch.full((b, 1), t_frac), torch.full((b, 1), float(first))]
        if self.config.observe_features:
            shown = torch.zeros(b, self.config.dim) if first else features[torch.arange(b), prev_action]
            # Liked (+f) or not (-f): the product a GRU would otherwise have to learn to form.
            signed = shown if first else (2 * prev_reward.unsqueeze(1).float() - 1) * shown
            parts += [shown, signed]
        state = self.gru(torch.cat(parts, 1), state)
        if self.config.observe_features:
            per_arm = torch.cat([state.unsqueeze(1).expand(b, k, -1), features], 2)
            logits = self.arm_head(per_arm).squeeze(2) + torch.einsum("bkd,bd->bk", features, self.taste(state))
        else:
            logits = self.arm_head(state)
        return state, logits, self.value_head(state).squeeze(1)


class RL2Agent:
    """Plays :class:`RL2Policy` as a :class:`studio.meta.bandits.BanditPolicy` (no gradients)."""

    def __init__(self, policy: RL2Policy, horizon: int, greedy: bool = False, seed: int = 0) -> None:
        self.policy, self.horizon, self.greedy = policy, horizon, greedy
        self.name = "RL² (greedy)" if greedy else "RL² (sampled)"
        self.generator = torch.Generator().manual_seed(seed)

    def reset(self, users: UserBatch) -> None:
        self.start(users.features)

    def start(self, features: Tensor) -> None:
        """Begin new episodes (simulated or real users) over the works ``features`` ``(B, K, d)``."""
        self.features = features
        self.state = self.policy.initial_state(features.shape[0])
        self.prev: tuple[Tensor, Tensor] | None = None

    @torch.no_grad()
    def act(self, t: int) -> Tensor:
        a, r = self.prev if self.prev is not None else (None, None)
        self.state, logits, _ = self.policy.step(self.state, self.features, a, r, t / self.horizon)
        if self.greedy:
            return logits.argmax(1)
        return torch.multinomial(torch.softmax(logits, 1), 1, generator=self.generator).squeeze(1)

    def update(self, t: int, actions: Tensor, rewards: Tensor) -> None:
        """Tell the agent what each user did with the work shown in round ``t`` (1. liked, 0. not)."""
        self.prev = (actions, rewards)


@dataclass(frozen=True)
class A2CConfig:
    """Meta-training of the policy by advantage actor-critic."""

    updates: int = 1500
    batch: int = 128  # simulated users per update
    lr: float = 3e-3
    lr_end_fraction: float = 0.1  # the learning rate decays linearly to lr * this
    value_coef: float = 0.5
    entropy_start: float = 0.01  # linearly annealed to ``entropy_end``
    entropy_end: float = 0.0
    max_grad_norm: float = 1.0
    gae_lambda: float = 0.9  # 1: Monte-Carlo returns; below 1: GAE, bootstrapping from the value head
    expected_reward_returns: bool = True
    seed: int = 0


def _gae(rewards: Tensor, values: Tensor, lam: float) -> Tensor:
    """Generalised advantage estimates, undiscounted, episode ends after the last round."""
    next_values = torch.cat([values[:, 1:], torch.zeros_like(values[:, :1])], 1)
    deltas = rewards + next_values - values
    adv = torch.zeros_like(rewards)
    running = torch.zeros_like(rewards[:, 0])
    for t in range(rewards.shape[1] - 1, -1, -1):
        running = deltas[:, t] + lam * running
        adv[:, t] = running
    return adv


def rollout_loss(policy: RL2Policy, users: UserBatch, horizon: int, config: A2CConfig, entropy_coef: float,
                 generator: torch.Generator) -> tuple[Tensor, float]:
    """Play one batch of episodes with the stochastic policy; return the A2C loss and the mean regret."""
    b = users.size
    state = policy.initial_state(b)
    prev: tuple[Tensor, Tensor] | None = None
    logps, entropies, values, returns_src, gaps = [], [], [], [], []
    for t in range(horizon):
        a_prev, r_prev = prev if prev is not None else (None, None)
        state, logits, value = policy.step(state, users.features, a_prev, r_prev, t / horizon)
        log_probs = torch.log_softmax(logits, 1)
        actions = torch.multinomial(log_probs.exp().detach(), 1, generator=generator).squeeze(1)
        rewards = users.rewards(t, actions)
        logps.append(log_probs.gather(1, actions.unsqueeze(1)).squeeze(1))
        entropies.append(-(log_probs.exp() * log_probs).sum(1))
        values.append(value)
        expected = users.probs.gather(1, actions.unsqueeze(1)).squeeze(1)
        returns_src.append(expected if config.expected_reward_returns else rewards)
        gaps.append(users.gaps(actions))
        prev = (actions, rewards)
    rew = torch.stack(returns_src, 1)
    # The value head predicts the reward-to-go per round of the episode (in [0, 1]): unscaled
    # returns (up to ``horizon``) would make its gradient swamp the policy's in the shared GRU.
    value_t = torch.stack(values, 1)
    adv = _gae(rew, horizon * value_t.detach(), config.gae_lambda)
    returns = adv + horizon * value_t.detach()  # lambda-returns: the value head's targets
    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    loss = (-(torch.stack(logps, 1) * adv).mean() + config.value_coef * F.mse_loss(value_t, returns / horizon)
            - entropy_coef * torch.stack(entropies, 1).mean())
    return loss, float(torch.stack(gaps, 1).sum(1).mean())


def meta_train_rl2(policy: RL2Policy, users_config: UserPrefConfig, config: A2CConfig = A2CConfig(),
                   progress: Progress = NULL_PROGRESS) -> list[float]:
    """Meta-train ``policy`` in place on simulated users; returns the mean episode regret per update.

    Raises Cancelled when ``progress`` asks to stop, ValueError if the configs disagree.
    """
    if (policy.config.n_arms, policy.config.dim) != (users_config.n_arms, users_config.dim):
        raise ValueError("the policy's n_arms/dim must match the users' config")
    optimiser = torch.optim.Adam(policy.parameters(), lr=config.lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda u: 1.0 - (1.0 - config.lr_end_fraction) * u / max(1, config.updates - 1))
    generator = torch.Generator().manual_seed(config.seed)
    history: list[float] = []
    start = time.monotonic()
    for update in range(config.updates):
        check_stop(progress)
        frac = update / max(1, config.updates - 1)
        entropy_coef = config.entropy_start + frac * (config.entropy_end - config.entropy_start)
        users = sample_users(users_config, config.batch, generator)
        loss, regret = rollout_loss(policy, users, users_config.horizon, config, entropy_coef, generator)
        optimiser.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(policy.parameters(), config.max_grad_norm)
        optimiser.step()
        schedule.step()
        history.append(regret)
        progress.report_progress((update + 1) / config.updates,
                                 f"RL² update {update + 1}: regret {regret:.2f} ({time.monotonic() - start:.0f} s)")
    return history
