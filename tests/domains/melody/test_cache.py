"""The support cache: contexts, smoothed counts, and its share in sampling."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.domains.melody.cache import SupportCache, contexts
from studio.domains.melody.model import Cursor, MelodyNet, style_features
from studio.domains.melody.representation import VOCAB, encode, is_valid
from studio.domains.melody.sampling import Plan, SamplingControls, sample_sequences

from .conftest import TINY, tune


def _follow(tokens: list[int], meter=(4, 4)) -> Cursor:
    cursor = Cursor(meter)
    for token in tokens:
        cursor.push(token)
    return cursor


def test_contexts_run_from_general_to_specific_and_skip_the_header() -> None:
    tokens = encode(tune(1))
    assert contexts(tokens[:2], _follow(tokens[:2]), (4, 4)) == ()
    assert contexts(tokens[:3], _follow(tokens[:3]), (4, 4)) == (("h",),)  # the first head: no history yet
    head_at = next(i for i in range(4, len(tokens)) if VOCAB.is_note(tokens[i - 1]) and i > 8)
    chain = contexts(tokens[:head_at], _follow(tokens[:head_at]), (4, 4))
    assert chain[0] == ("d",) and all(chain[k] == chain[k + 1][:len(chain[k])] for k in range(len(chain) - 1))
    assert len(chain) == 5  # any, place, place + kind, + one and two previous durations
    after_duration = contexts(tokens[:head_at + 1], _follow(tokens[:head_at + 1]), (4, 4))
    assert after_duration[0] == ("h",) and len(after_duration) == 3


def test_distribution_follows_the_support_and_backs_off() -> None:
    support = [encode(tune(s)) for s in (1, 2)]
    cache = SupportCache(support)
    tokens = support[0]
    i = next(i for i in range(8, len(tokens)) if VOCAB.is_note(tokens[i - 1]))
    probs = cache.distribution(contexts(tokens[:i], _follow(tokens[:i]), (4, 4)))
    assert probs is not None and probs.sum() == pytest.approx(1.0)
    assert probs[tokens[i]] > 0.2  # the duration the support wrote here
    assert all(VOCAB.is_duration(t) for t in np.flatnonzero(probs))
    unseen = (("d",), ("d", (4, 4), False, 5), ("d", (4, 4), False, 5, "n"))  # an odd onset: only the fallback
    fallback = cache.distribution(unseen)
    assert fallback is not None and fallback.sum() == pytest.approx(1.0)
    assert SupportCache([]).empty and SupportCache([]).distribution(unseen) is None


def test_a_full_cache_share_writes_only_the_supports_durations() -> None:
    torch.manual_seed(3)
    net = MelodyNet(TINY)
    support = [encode(tune(s)) for s in (1, 2, 3)]
    features = style_features(support)
    seen = {t for seq in support for t in seq if VOCAB.is_duration(t)}
    plans = [Plan((4, 4), "major", 4, seed=s) for s in range(6)]
    plain = sample_sequences(net, features, plans)
    cached = sample_sequences(net, features, plans, SamplingControls(cache=SupportCache(support), cache_weight=1.0))
    for tokens in cached:
        assert is_valid(tokens, (4, 4))
    def strays(sequences) -> float:  # share of durations the support never wrote
        durations = [t for seq in sequences for t in seq if VOCAB.is_duration(t)]
        return sum(t not in seen for t in durations) / len(durations)

    # where no duration of the support fits the bar the network decides alone, so a few remain
    assert strays(cached) < 0.1 < strays(plain)
    with pytest.raises(ValueError, match="cache_weight"):
        SamplingControls(cache_weight=1.5)


def test_notes_of_pitch_classes_the_samples_never_play_are_penalised() -> None:
    support = [encode(tune(s)) for s in (1, 2)]  # D major scale tunes: relative classes 0 2 4 5 7 9 11
    bias = SupportCache(support).outside_bias("major", penalty=3.0)
    assert bias[VOCAB.note(1)] == -3.0 and bias[VOCAB.note(13)] == -3.0  # the flat second, any octave
    assert bias[VOCAB.note(0)] == 0 and bias[VOCAB.note(7)] == 0 and bias[VOCAB.duration(12)] == 0
    assert (SupportCache(support).outside_bias("minor") == SupportCache(support).outside_bias("major")).all()
    assert not SupportCache([]).outside_bias("major").any()


def test_mixture_targets_leave_each_support_phrase_out_and_the_loss_follows_the_mixture() -> None:
    from studio.domains.melody.cache import mixture_targets, target_probabilities
    from studio.domains.melody.model import build_batch, sequence_loss

    support = [encode(tune(s)) for s in (1, 2, 3)]
    query = [encode(tune(4))]
    _, targets = build_batch(support + query, style_features(support))
    mixed = mixture_targets(targets.numpy(), support + query, support, 0.5)
    assert mixed.shape == (*targets.shape, 3) and (mixed[..., 0] == targets.numpy()).all()
    others = target_probabilities(support[0], SupportCache(support[1:]))
    assert np.allclose(mixed[0, :len(others), 2], np.where(others >= 0, 0.5 * others, 0.0))
    assert (mixed[0, :2, 1] == 0).all() and (mixed[0, 3:len(others), 1] == 0.5).all()  # the header has no cache
    whole = target_probabilities(query[0], SupportCache(support))
    assert np.allclose(mixed[3, :len(whole), 2], np.where(whole >= 0, 0.5 * whole, 0.0))
    torch.manual_seed(0)
    logits = torch.randn(*targets.shape, VOCAB.size)
    plain, mixture = sequence_loss(logits, targets), sequence_loss(logits, torch.from_numpy(mixed))
    alone = sequence_loss(logits, torch.from_numpy(mixed * np.array([1, 0, 0], np.float32)))
    assert torch.isclose(alone, plain, atol=1e-5)  # share 0 everywhere: the plain cross-entropy
    assert mixture < plain  # the cache knows these phrases better than a random network
