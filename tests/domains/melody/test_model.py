"""The melody network: shapes, the padded loss, features shared by training and sampling,
stored models (round trip, mismatches) and, when shipped, the real weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from studio.domains.melody.model import (
    STYLE_FEATURES, Cursor, MelodyNet, MelodyNetConfig, build_batch, sequence_features, sequence_loss,
    style_features,
)
from studio.domains.melody.representation import VOCAB, GrammarState, encode, is_valid
from studio.domains.melody.weights import load_model, save_model
from studio.model_registry import MODELS_DIR
from studio.errors import CheckpointError

from .conftest import TINY, tune


def test_forward_shapes_and_padding_is_ignored() -> None:
    torch.manual_seed(0)
    seqs = [encode(tune(1, bars=2)), encode(tune(2, bars=4))]
    inputs, targets = build_batch(seqs, style_features(seqs))
    assert inputs[0].shape == targets.shape == (2, max(map(len, seqs)) - 1)
    assert inputs[4].shape == (2, STYLE_FEATURES)
    model = MelodyNet(TINY)
    logits = model(*inputs)
    assert logits.shape == (*targets.shape, VOCAB.size)
    short = len(seqs[0]) - 1
    alone = sequence_loss(model(*(t[:1, :short] for t in inputs[:4]), inputs[4][:1]), targets[:1, :short])
    padded = sequence_loss(logits[:1], targets[:1])
    assert torch.allclose(alone, padded, atol=1e-5)  # PAD targets add nothing


def test_style_features_are_shares() -> None:
    features = style_features([encode(tune(3))])
    assert features.shape == (STYLE_FEATURES,)
    assert np.isclose(features[:VOCAB.size].sum(), 1.0) and np.isclose(features[VOCAB.size:].sum(), 1.0)
    assert not style_features([]).any()


def test_cursor_agrees_with_the_grammar_positions() -> None:
    melody = tune(4, bars=3, meter=(6, 8), pickup=12)
    tokens = encode(melody)
    assert is_valid(tokens)
    grammar, cursor = GrammarState((6, 8)), Cursor((6, 8))
    for token in tokens[:-1]:
        grammar.push(token)
        cursor.push(token)
        position, remaining = cursor.ids()
        if grammar.in_pickup:
            assert position >= 150 and remaining == 150
        else:
            assert position == grammar.position and remaining == grammar.bar - grammar.position
    positions, _, progress = sequence_features(tokens, (6, 8), 3)
    assert len(positions) == len(tokens) - 1 and progress[-1] == 1.0


def test_config_round_trip_and_validation() -> None:
    assert MelodyNetConfig.from_dict(TINY.to_dict()) == TINY
    with pytest.raises(ValueError, match="hidden"):
        MelodyNetConfig(hidden=0)


def test_stored_model_round_trip_and_mismatch(tmp_path: Path) -> None:
    model = MelodyNet(TINY)
    save_model(tmp_path / "m", dict(model.named_parameters()), TINY, {"adapt": {"lr": 0.1}})
    loaded, params, meta_lrs, card = load_model(tmp_path / "m")
    assert meta_lrs is None and card["config"] == TINY.to_dict()
    assert all(torch.equal(params[n], p) for n, p in model.named_parameters())
    bigger = MelodyNet(MelodyNetConfig(embed=8, position_embed=4, hidden=20, style=8, style_hidden=8))
    save_model(tmp_path / "bad", dict(bigger.named_parameters()), TINY, {})
    with pytest.raises(CheckpointError, match="do not fit"):
        load_model(tmp_path / "bad")
    with pytest.raises(CheckpointError):
        load_model(tmp_path / "missing")


@pytest.mark.skipif(not (MODELS_DIR / "melody-reptile.json").exists(), reason="shipped weights not built")
def test_shipped_weights_load_and_write_complete_bars() -> None:
    from studio.domains.melody.sampling import Plan, sample_sequences

    model, params, _, card = load_model(MODELS_DIR / "melody-reptile")
    assert card["steps"] > 0 and "command" in card and "metrics" in card
    phrases = [encode(tune(s)) for s in (1, 2)]
    tokens = sample_sequences(model, style_features(phrases), [Plan((3, 4), "minor", 4, seed=1)])[0]
    assert is_valid(tokens, (3, 4)) and tokens.count(VOCAB.BAR) - 1 == 4
