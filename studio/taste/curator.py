"""The RL² curator: a recurrent policy, meta-trained over simulated people, that picks a gallery.

Role: issue 18's curator. Before a gallery of ``n_show`` works the studio drafts more candidates;
the curator chooses which to show. It is RL² (Duan et al. 2016, as in :mod:`studio.meta.rl2`): a
GRU whose hidden state is its belief about this person, updated once per gallery from a summary of
what the person did with the last one, meta-trained by advantage actor-critic over simulated
people and rounds (:mod:`studio.taste.train_curator`), so that it learns how much to trust the
taste model after one, two, three galleries and when to try works the model is unsure of.

Each round it sees, per candidate (all scale-free, so one agent serves both domains):
the taste model's score (z-scored and ranked among the candidates), p_like and uncertainty
(:class:`studio.taste.model.TasteModel` fitted on the kept, rejected and samples so far);
distances in the taste embedding to the nearest kept, rejected and sample work (divided by the
candidates' median pairwise distance) and their difference; the distance of its settings to the
nearest kept work's; a logistic regression's probability on the interpretable features (a
non-metric second opinion it may weigh).
It picks the gallery sequentially without replacement: each pick's logits also see the distance
to the works already picked for this gallery and how far the gallery is filled, so it can trade
a likely like for a different kind of work. A skip connection adds ``score_gain`` x the score's
z-score to every logit, so an untrained policy is the prototype ranking and training learns
what to change about it.

The GRU reads, after each gallery, a summary of what the person did: how the kept and
rejected works ranked under the taste model, how sure the model was of them, how alike the kept
works are and how far they lie from the rejected ones. The liked share itself is never an input
(a real person never reports it).

Weights: ``models/taste-curator.safetensors`` + ``.json`` (config, training data, command, steps,
metrics, the embedder it was trained with). :func:`load_curator` raises a CheckpointError naming
the file when they are missing or do not fit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import torch
from torch import Tensor, nn

from studio.errors import CheckpointError, StudioError
from studio.meta.checkpoint import check_matches, load_checkpoint, paths, save_checkpoint
from studio.model_registry import model_stem
from studio.taste.baselines import SAMPLE_WEIGHT, LogisticChooser, fit_taste_model, identity_for, view_embedder
from studio.taste.simulate import RoundView

FORMAT_KIND = "taste-curator"
NAME = "taste-curator"
STATIC = 12  # per-candidate inputs of a round (see round_inputs)
SUMMARY = 9  # the feedback summary of one gallery (see feedback_summary)
_LOGISTIC = LogisticChooser()
FAR = 2.0  # "no such work yet" distance (distances are in units of the candidates' median distance)


@dataclass(frozen=True)
class CuratorConfig:
    """The recurrent policy."""

    hidden: int = 48  # GRU state size
    mlp: int = 48  # per-candidate scorer width
    score_gain: float = 2.0  # initial weight of the skip connection from the score's z-score
    max_rounds: int = 5  # the round input saturates here


class CuratorPolicy(nn.Module):
    """GRU over galleries + a per-candidate scorer applied pick by pick (no numpy, batched)."""

    def __init__(self, config: CuratorConfig = CuratorConfig()) -> None:
        super().__init__()
        self.config = config
        h = config.hidden
        self.gru = nn.GRUCell(SUMMARY + 1, h)
        last = nn.Linear(config.mlp, 1)
        nn.init.zeros_(last.weight)  # start as the prototype ranking
        nn.init.zeros_(last.bias)
        self.scorer = nn.Sequential(nn.Linear(h + STATIC + 3, config.mlp), nn.Tanh(), last)
        self.score_gain = nn.Parameter(torch.tensor(float(config.score_gain)))

    def initial_state(self, batch: int) -> Tensor:
        return torch.zeros(batch, self.config.hidden)

    def observe(self, state: Tensor, summary: Tensor, happened: Tensor) -> Tensor:
        """Fold one gallery's feedback ``summary`` ``(B, SUMMARY)`` into the state (``happened``
        ``(B,)`` 1 for a real gallery)."""
        return self.gru(torch.cat([summary, happened.unsqueeze(1)], 1), state)

    def logits(self, state: Tensor, static: Tensor, near_chosen: Tensor, filled: float, mask: Tensor) -> Tensor:
        """Logits ``(B, M)`` of the next pick: ``static`` ``(B, M, STATIC)``, ``near_chosen``
        ``(B, M)`` distance to the works already picked, ``mask`` ``(B, M)`` True where pickable."""
        b, m, _ = static.shape
        extra = torch.stack([near_chosen, torch.full_like(near_chosen, filled),
                             (near_chosen < FAR).float()], 2)
        x = torch.cat([state.unsqueeze(1).expand(b, m, -1), static, extra], 2)
        out = self.scorer(x).squeeze(2) + self.score_gain * static[:, :, 0]
        return out.masked_fill(~mask, -1e9)


@dataclass(frozen=True)
class RoundInputs:
    """What the policy sees of one round's candidates (numpy; see round_inputs)."""

    static: np.ndarray  # (M, STATIC) float32
    dist: np.ndarray  # (M, M) float32 pairwise embedding distance, in units of the median
    score: np.ndarray  # (M,) the taste model's raw scores
    uncertainty: np.ndarray  # (M,)
    dist_raw: np.ndarray  # (M, M) pairwise embedding distance as it is

    def summary(self, shown: Sequence[int] | np.ndarray, kept: Sequence[int], rejected: Sequence[int]) -> np.ndarray:
        """:func:`feedback_summary` of the gallery of candidates ``shown`` (kept / rejected index into it).
        With a fixed embedder this is :func:`gallery_summary`'s value without refitting the model."""
        rows = np.asarray(shown, np.int64)
        sub = self.dist_raw[np.ix_(rows, rows)].astype(np.float64)
        return feedback_summary(self.score[rows].astype(np.float64), self.uncertainty[rows].astype(np.float64),
                                _scaled(sub), kept, rejected)


def _min_dist(a: np.ndarray, b: np.ndarray, scale: float) -> np.ndarray:
    if len(b) == 0:
        return np.full(len(a), FAR, np.float32)
    d = np.sqrt(np.maximum(((a[:, None, :] - b[None]) ** 2).sum(-1), 0.0)).min(1) / scale
    return np.minimum(d, FAR).astype(np.float32)


def _pairwise(x: np.ndarray) -> np.ndarray:
    sq = (x * x).sum(1)
    return np.sqrt(np.maximum(sq[:, None] + sq[None] - 2 * x @ x.T, 0.0))


def _scaled(dist: np.ndarray) -> np.ndarray:
    """Distances in units of their median off-diagonal value, clipped at FAR."""
    m = len(dist)
    off = dist[~np.eye(m, dtype=bool)] if m > 1 else np.ones(1)
    scale = float(np.median(off)) if off.size and np.median(off) > 1e-9 else 1.0
    return np.minimum(dist / scale, FAR)


def round_inputs(view: RoundView, embedder: Any = None, sample_weight: float = SAMPLE_WEIGHT,
                 full: bool = True) -> RoundInputs:
    """The per-candidate inputs of ``view``'s round (embedder None: the view's identity embedder);
    ``full=False`` leaves ``static`` at zeros (a gallery summary needs the rest only)."""
    from studio.taste.simulate import feedback_arrays

    emb = view_embedder(view, embedder)
    model = fit_taste_model(view, emb, sample_weight)
    scores = model.score(view.candidates_interp, view.candidates_raw)
    s = np.asarray(scores.score, np.float64)
    m = len(s)
    (k_i, k_r, k_s), (r_i, r_r, _) = feedback_arrays(view)
    e_c = emb.embed(view.candidates_interp, view.candidates_raw).astype(np.float64)
    dist = _pairwise(e_c)
    off = dist[~np.eye(m, dtype=bool)] if m > 1 else np.ones(1)
    scale = float(np.median(off)) if off.size and np.median(off) > 1e-9 else 1.0
    static = np.zeros((m, STATIC), np.float32)
    out = RoundInputs(static, np.minimum(dist / scale, FAR).astype(np.float32), s.astype(np.float32),
                      np.asarray(scores.uncertainty, np.float32), dist.astype(np.float32))
    if not full:
        return out
    static[:, 0] = (s - s.mean()) / (s.std() + 1e-6)
    static[:, 1] = np.argsort(np.argsort(s)) / max(1, m - 1)
    static[:, 2] = np.asarray(scores.p_like, np.float32)
    static[:, 3] = np.asarray(scores.uncertainty, np.float32)
    static[:, 4] = _min_dist(e_c, emb.embed(k_i, k_r).astype(np.float64), scale)
    static[:, 5] = _min_dist(e_c, emb.embed(r_i, r_r).astype(np.float64), scale)
    static[:, 6] = _min_dist(e_c, emb.embed(view.samples_interp, view.samples_raw).astype(np.float64), scale)
    settings = np.asarray(view.candidates_settings, np.float64)
    s_scale = max(1.0, np.sqrt(settings.shape[1])) if settings.ndim == 2 else 1.0
    static[:, 7] = _min_dist(settings, np.asarray(k_s, np.float64), s_scale) if settings.size else FAR
    static[:, 8] = float(len(k_i) > 0)
    static[:, 9] = min(view.round, 4) / 4.0
    logistic = _LOGISTIC.probabilities(view)  # a second, non-metric opinion the agent may weigh
    static[:, 10] = 0.5 if logistic is None else logistic
    static[:, 11] = static[:, 5] - static[:, 4]  # nearer a kept than a rejected work (the plain learner)
    return out


def feedback_summary(score: np.ndarray, uncertainty: np.ndarray, dist: np.ndarray,
                     kept: Sequence[int], rejected: Sequence[int]) -> np.ndarray:
    """``(SUMMARY,)`` float32 over one shown gallery: ``score``/``uncertainty`` of the shown works under
    the taste model fitted before it, ``dist`` their pairwise embedding distances (median units),
    the kept and rejected indices (into the shown works)."""
    n = len(score)
    out = np.zeros(SUMMARY, np.float32)
    if n == 0:
        return out
    kept, rejected = list(kept), list(rejected)
    z = (score - score.mean()) / (score.std() + 1e-6)
    rank = np.argsort(np.argsort(score)) / max(1, n - 1)
    if kept:
        out[0] = z[kept].mean()
        out[1] = rank[kept].mean()
        out[2] = uncertainty[kept].mean()
    if rejected:
        out[3] = z[rejected].mean()
        out[4] = rank[rejected].mean()
        out[5] = uncertainty[rejected].mean()
    if len(kept) > 1:
        sub = dist[np.ix_(kept, kept)]
        out[6] = sub[~np.eye(len(kept), dtype=bool)].mean()
    if kept and rejected:
        out[7] = dist[np.ix_(kept, rejected)].mean()
    out[8] = dist[~np.eye(n, dtype=bool)].mean() if n > 1 else 0.0
    return np.clip(out, -FAR * 2, FAR * 2)


def gallery_summary(view: RoundView, r: int, embedder: Any = None) -> np.ndarray:
    """:func:`feedback_summary` of the ``r``-th earlier gallery of ``view``: its shown works scored by
    the taste model fitted on what came before it (training and live use both go through here)."""
    fb = view.history[r]
    earlier = RoundView(view.domain, fb.shown_interp, fb.shown_raw, fb.shown_settings, view.samples_interp,
                        view.samples_raw, view.history[:r], len(fb.shown_interp))
    inputs = round_inputs(earlier, embedder, full=False)
    return inputs.summary(np.arange(len(fb.shown_interp)), fb.kept, fb.rejected)


def pick(policy: CuratorPolicy, state: Tensor, static: Tensor, dist: Tensor, mask: Tensor, n_show: int,
         generator: torch.Generator | None = None, greedy: bool = True,
         first: list[Tensor] | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """Pick ``n_show`` candidates per episode, one after another: ``(picks (B, n), log-probs (B, n),
    entropies (B, n))``. ``dist`` ``(B, M, M)``; ``mask`` ``(B, M)`` the real candidates. ``first``,
    when given, receives the first pick's log-probabilities over all candidates ``(B, M)``."""
    b, m, _ = static.shape
    free = mask.clone()
    near = torch.full((b, m), FAR)
    rows = torch.arange(b)
    picks, logps, ents = [], [], []
    for k in range(n_show):
        logits = policy.logits(state, static, near, k / n_show, free)
        logp = torch.log_softmax(logits, 1)
        if first is not None and k == 0:
            first.append(logp)
        if greedy:
            a = logits.argmax(1)
        else:
            a = torch.multinomial(logp.exp().detach(), 1, generator=generator).squeeze(1)
        picks.append(a)
        logps.append(logp.gather(1, a.unsqueeze(1)).squeeze(1))
        ents.append(-(logp.exp() * logp.masked_fill(~free, 0.0)).sum(1))
        free = free.clone()
        free[rows, a] = False
        near = torch.minimum(near, dist[rows, a])
    return torch.stack(picks, 1), torch.stack(logps, 1), torch.stack(ents, 1)


class RL2Curator:
    """The meta-trained curator as a :class:`studio.taste.simulate.Chooser` (name "rl2").

    ``embedders`` maps a domain to the :class:`studio.taste.embedding.Embedder` whose space it
    measures distances and fits the taste model in; a domain missing there uses the identity
    embedder over the view's own statistics."""

    name = "rl2"
    uses_feedback = True

    def __init__(self, policy: CuratorPolicy, embedders: Mapping[str, Any] | None = None,
                 greedy: bool = True, card: Mapping[str, Any] | None = None) -> None:
        self.policy = policy.eval()
        self.embedders = dict(embedders or {})
        self.greedy = greedy
        self.card = dict(card or {})

    @torch.no_grad()
    def choose(self, view: RoundView, rng: np.random.Generator) -> list[int]:
        n = min(view.n_show, view.n_candidates)
        if n == 0:
            return []
        embedder = self.embedders.get(view.domain)
        state = self.policy.initial_state(1)
        for r in range(len(view.history)):  # replay the galleries so far through the GRU
            summary = gallery_summary(view, r, embedder)
            state = self.policy.observe(state, torch.from_numpy(summary).unsqueeze(0), torch.ones(1))
        inputs = round_inputs(view, embedder)
        generator = torch.Generator().manual_seed(int(rng.integers(2 ** 31)))
        picks, _, _ = pick(self.policy, state, torch.from_numpy(inputs.static).unsqueeze(0),
                           torch.from_numpy(inputs.dist).unsqueeze(0), torch.ones(1, view.n_candidates, dtype=torch.bool),
                           n, generator, self.greedy)
        return [int(i) for i in picks[0]]


def save_curator(policy: CuratorPolicy, path_stem: str | Path, card: Mapping[str, Any]) -> None:
    """Write the policy as ``<stem>.safetensors`` + ``<stem>.json`` (``card``: data, command, steps,
    metrics, ...)."""
    full = {**card, "kind": FORMAT_KIND, "config": asdict(policy.config),
            "inputs": {"static": STATIC, "summary": SUMMARY}}
    save_checkpoint(path_stem, policy.state_dict(), full)


def load_policy(name: str | Path | None = None) -> tuple[CuratorPolicy, dict[str, Any]]:
    """The stored policy and its card. Raises CheckpointError naming the file when missing or bad."""
    stem = model_stem(name or NAME)
    weights_path, card_path = paths(stem)
    if not weights_path.is_file() or not card_path.is_file():
        raise CheckpointError("the taste curator's weights are missing: train them with "
                              "`python main.py train-curator` (galleries fall back to the taste model's ranking)",
                              str(weights_path))
    tensors, card = load_checkpoint(stem)
    try:
        if card.get("kind") != FORMAT_KIND:
            raise ValueError(f"not a taste curator (kind {card.get('kind')!r})")
        inputs = card.get("inputs", {})
        if inputs.get("static") != STATIC or inputs.get("summary") != SUMMARY:
            raise ValueError(f"made for other inputs ({inputs}); this studio's curator reads "
                             f"{STATIC} per candidate and {SUMMARY} per gallery: retrain it")
        config = CuratorConfig(**card["config"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"the taste curator's card does not fit: {exc}", str(card_path)) from exc
    policy = CuratorPolicy(config)
    check_matches(tensors, policy.state_dict(), weights_path, "taste curator")
    policy.load_state_dict(tensors)
    return policy, card


def load_curator(domain: str, name: str | Path | None = None) -> RL2Curator:
    """The shipped curator ready for ``domain``, with the embedder its card says it was trained with
    (the domain's shipped embedding, or the identity). Raises CheckpointError (a StudioError) when
    the weights are missing or do not fit."""
    policy, card = load_policy(name)
    embedders: dict[str, Any] = {}
    if card.get("embedder", "identity") != "identity":
        from studio.taste.embedding import load_embedder

        try:
            embedders[domain] = load_embedder(domain)
        except StudioError:
            pass  # the identity over the view's statistics: the curator still works, a little less well
    elif domain in card.get("standardisers", {}):
        from studio.taste.people import Standardiser

        try:
            embedders[domain] = identity_for(domain, Standardiser.from_dict(card["standardisers"][domain]))
        except ValueError as exc:
            raise CheckpointError(f"the taste curator's {domain} standardiser is malformed: {exc}",
                                  str(paths(model_stem(name or NAME))[1])) from exc
    return RL2Curator(policy, embedders, card=card)
