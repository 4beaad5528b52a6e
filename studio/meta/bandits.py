"""Simulated users with hidden tastes, and the classical bandit baselines RL² is measured against.

Role: the environment of the RL-based meta-learner (:mod:`studio.meta.rl2`) and of
``python main.py bench rl2``. Each episode is one user looking at ``n_arms`` generated works
(the arms), each an abstract ``dim``-dimensional feature vector (think palette warmth,
contrast, texture, complexity), fixed for the episode. The user has a hidden preference
vector ``w ~ N(pref_mean, pref_std^2 I)`` - the population shares a taste, individuals vary
around it - and likes a shown work with probability ``sigmoid(beta * w . f)``. Each round
the studio shows one work and observes like (1) or not (0).

Regret is the pseudo-regret: the like-probability of the user's best work minus that of the
work shown, summed over the episode. Every policy sees the same users and the same uniform
noise (common random numbers), so differences between policies are not sampling luck.

Baselines (all vectorised over a batch of users):
* :class:`ThompsonBeta` - Beta(1, 1)-Bernoulli Thompson sampling per arm (ignores features).
* :class:`UCB1` - Auer et al. 2002 (ignores features; plays every arm once first).
* :class:`LogisticThompson` - Thompson sampling for the true model: it knows the features,
  ``beta`` and the population prior, with a Laplace-approximated posterior (a strong,
  model-aware baseline; RL² must learn all that from episodes).
* :class:`PriorGreedy` - always the work the average user likes most: the prior alone, no
  adaptation. :class:`RandomPolicy` - the regret ceiling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import torch
from torch import Tensor


@dataclass(frozen=True)
class UserPrefConfig:
    """The task distribution: how users, works and likes are drawn."""

    n_arms: int = 10  # works shown per episode
    dim: int = 4  # feature dimensions of a work
    horizon: int = 50  # rounds per episode
    beta: float = 2.0  # how sharply a user's taste decides a like
    pref_mean: tuple[float, ...] = (1.0, -0.5, 0.0, 0.0)  # the population's shared taste
    pref_std: float = 0.75  # how much individual users differ from it
    feature_std: float = 0.5  # spread of work features (per dimension)

    def __post_init__(self) -> None:
        if len(self.pref_mean) != self.dim:
            raise ValueError(f"pref_mean has {len(self.pref_mean)} entries; dim is {self.dim}")
        if self.n_arms < 2 or self.horizon < 1:
            raise ValueError("need at least 2 arms and 1 round")


@dataclass(frozen=True)
class UserBatch:
    """``B`` users: features ``(B, K, d)``, prefs ``(B, d)``, like-probabilities ``(B, K)``,
    and the uniform noise ``(B, T, K)`` that decides every possible like."""

    features: Tensor
    prefs: Tensor
    probs: Tensor
    noise: Tensor

    @property
    def size(self) -> int:
        return self.probs.shape[0]

    def rewards(self, t: int, actions: Tensor) -> Tensor:
        """Likes (0./1.) ``(B,)`` for showing work ``actions[b]`` to user ``b`` in round ``t``."""
        a = actions.unsqueeze(1)
        return (self.noise[:, t].gather(1, a) < self.probs.gather(1, a)).squeeze(1).float()

    def gaps(self, actions: Tensor) -> Tensor:
        """Per-round regret ``(B,)``: best like-probability minus that of the shown works."""
        return self.probs.max(1).values - self.probs.gather(1, actions.unsqueeze(1)).squeeze(1)


def sample_users(config: UserPrefConfig, batch: int, generator: torch.Generator) -> UserBatch:
    """Draw ``batch`` users, their works and their like-noise."""
    features = config.feature_std * torch.randn(batch, config.n_arms, config.dim, generator=generator)
    prefs = torch.tensor(config.pref_mean) + config.pref_std * torch.randn(batch, config.dim, generator=generator)
    probs = torch.sigmoid(config.beta * torch.einsum("bkd,bd->bk", features, prefs))
    noise = torch.rand(batch, config.horizon, config.n_arms, generator=generator)
    return UserBatch(features, prefs, probs, noise)


class BanditPolicy(Protocol):
    """A policy that plays a whole batch of episodes in lock-step."""

    def reset(self, users: UserBatch) -> None: ...

    def act(self, t: int) -> Tensor:
        """Arms ``(B,)`` to show in round ``t``."""

    def update(self, t: int, actions: Tensor, rewards: Tensor) -> None: ...


def run_episodes(users: UserBatch, policy: BanditPolicy, horizon: int) -> Tensor:
    """Play ``horizon`` rounds; returns the per-round regret ``(B, horizon)``."""
    policy.reset(users)
    regret = torch.empty(users.size, horizon)
    for t in range(horizon):
        actions = policy.act(t)
        policy.update(t, actions, users.rewards(t, actions))
        regret[:, t] = users.gaps(actions)
    return regret


def mean_ci(values: Tensor) -> tuple[float, float]:
    """Mean and 95% normal-approximation half-width of a 1-D tensor."""
    v = values.double()
    return float(v.mean()), float(1.96 * v.std() / math.sqrt(max(1, v.numel())))


class _Counts:
    def reset(self, users: UserBatch) -> None:
        self.pulls = torch.zeros_like(users.probs)
        self.likes = torch.zeros_like(users.probs)

    def update(self, t: int, actions: Tensor, rewards: Tensor) -> None:
        rows = torch.arange(actions.shape[0])
        self.pulls[rows, actions] += 1
        self.likes[rows, actions] += rewards


class ThompsonBeta(_Counts):
    """Beta(1, 1)-Bernoulli Thompson sampling on each arm's like-rate."""

    name = "Thompson (Beta-Bernoulli)"

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)

    def act(self, t: int) -> Tensor:
        draws = self.rng.beta(1.0 + self.likes.numpy(), 1.0 + (self.pulls - self.likes).numpy())
        return torch.from_numpy(draws.argmax(1))


class UCB1(_Counts):
    """UCB1: each arm once, then the highest ``mean + sqrt(2 ln t / n)``."""

    name = "UCB1"

    def act(self, t: int) -> Tensor:
        k = self.pulls.shape[1]
        if t < k:
            return torch.full((self.pulls.shape[0],), t, dtype=torch.long)
        bonus = torch.sqrt(2.0 * math.log(t) / self.pulls)
        return (self.likes / self.pulls + bonus).argmax(1)


class LogisticThompson:
    """Thompson sampling with the true logistic model, features, ``beta`` and prior known.

    The posterior over a user's ``w`` is Laplace-approximated: a few Newton steps to the MAP
    from the previous one, covariance the inverse Hessian of the negative log-posterior.
    """

    name = "Logistic Thompson (knows features + prior)"

    def __init__(self, config: UserPrefConfig, seed: int = 0, newton_steps: int = 3) -> None:
        self.config = config
        self.generator = torch.Generator().manual_seed(seed)
        self.newton_steps = newton_steps

    def reset(self, users: UserBatch) -> None:
        b, d = users.size, self.config.dim
        self.features = users.features.double()
        self.mu0 = torch.tensor(self.config.pref_mean, dtype=torch.float64).expand(b, d)
        self.prec0 = torch.eye(d, dtype=torch.float64) / self.config.pref_std ** 2
        self.xs = torch.empty(b, 0, d, dtype=torch.float64)  # beta * features of shown works
        self.ys = torch.empty(b, 0, dtype=torch.float64)
        self.w = self.mu0.clone()
        self.hessian = self.prec0.expand(b, d, d).clone()

    def act(self, t: int) -> Tensor:
        chol = torch.linalg.cholesky(self.hessian)  # H = L L^T; w ~ N(w, H^-1) is w + L^-T z
        z = torch.randn(self.w.shape, generator=self.generator, dtype=torch.float64)
        w = self.w + torch.linalg.solve_triangular(chol.transpose(1, 2), z.unsqueeze(2), upper=True).squeeze(2)
        return torch.einsum("bkd,bd->bk", self.features, w).argmax(1)

    def update(self, t: int, actions: Tensor, rewards: Tensor) -> None:
        rows = torch.arange(actions.shape[0])
        x = self.config.beta * self.features[rows, actions]
        self.xs = torch.cat([self.xs, x.unsqueeze(1)], 1)
        self.ys = torch.cat([self.ys, rewards.double().unsqueeze(1)], 1)
        for _ in range(self.newton_steps):
            p = torch.sigmoid(torch.einsum("bnd,bd->bn", self.xs, self.w))
            grad = torch.einsum("bnd,bn->bd", self.xs, p - self.ys) + (self.w - self.mu0) @ self.prec0
            self.hessian = torch.einsum("bnd,bn,bne->bde", self.xs, p * (1 - p), self.xs) + self.prec0
            self.w = self.w - torch.linalg.solve(self.hessian, grad.unsqueeze(2)).squeeze(2)


class PriorGreedy:
    """Always shows the work the *average* user would like most (``argmax pref_mean . f``).

    Knows the population taste, learns nothing about the individual: what a policy gets from
    the prior alone, without adapting within the episode.
    """

    name = "Prior greedy (population taste, no adaptation)"

    def __init__(self, config: UserPrefConfig) -> None:
        self.mean = torch.tensor(config.pref_mean)

    def reset(self, users: UserBatch) -> None:
        self.choice = torch.einsum("bkd,d->bk", users.features, self.mean).argmax(1)

    def act(self, t: int) -> Tensor:
        return self.choice

    def update(self, t: int, actions: Tensor, rewards: Tensor) -> None:
        pass


class RandomPolicy:
    """Shows a uniformly random work every round: the regret ceiling."""

    name = "Random"

    def __init__(self, seed: int = 0) -> None:
        self.generator = torch.Generator().manual_seed(seed)

    def reset(self, users: UserBatch) -> None:
        self.shape = users.probs.shape

    def act(self, t: int) -> Tensor:
        return torch.randint(0, self.shape[1], (self.shape[0],), generator=self.generator)

    def update(self, t: int, actions: Tensor, rewards: Tensor) -> None:
        pass
