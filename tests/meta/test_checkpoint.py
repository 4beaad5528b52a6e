"""Checkpoints: safetensors + JSON round trip and strict validation of every way they go wrong."""

from __future__ import annotations

import json
import struct

import pytest
import torch
from safetensors.torch import save_file

from studio.errors import CheckpointError
from studio.meta.checkpoint import check_matches, load_checkpoint, paths, save_checkpoint, split_prefix, with_prefix

TENSORS = {"params/w": torch.arange(6.0).view(2, 3), "optim/params/w/step": torch.tensor(3.0),
           "lrs": torch.ones(2, dtype=torch.float64)}


def test_round_trip_is_exact_and_not_pickle(tmp_path):
    stem = tmp_path / "sub" / "run"
    save_checkpoint(stem, TENSORS, {"step": 3, "config": {"lrs": (0.1, 0.2)}})
    weights, card_path = paths(stem)
    raw = weights.read_bytes()
    header_len = struct.unpack("<Q", raw[:8])[0]
    assert json.loads(raw[8:8 + header_len])["params/w"]["dtype"] == "F32"  # a safetensors header
    tensors, card = load_checkpoint(stem)
    assert card == {"step": 3, "config": {"lrs": [0.1, 0.2]}}
    assert set(tensors) == set(TENSORS)
    for name, value in TENSORS.items():
        assert torch.equal(tensors[name], value) and tensors[name].dtype == value.dtype
    assert json.loads(card_path.read_text())["tensors"]["params/w"] == {"dtype": "float32", "shape": [2, 3]}
    assert sorted(p.name for p in tmp_path.glob("**/*")) == ["run.json", "run.safetensors", "sub"]  # no temporaries


def test_missing_files_are_named(tmp_path):
    with pytest.raises(CheckpointError, match="not found") as info:
        load_checkpoint(tmp_path / "nothing")
    assert info.value.path.endswith("nothing.safetensors")
    save_checkpoint(tmp_path / "a", TENSORS, {})
    paths(tmp_path / "a")[1].unlink()
    with pytest.raises(CheckpointError, match="not found") as info:
        load_checkpoint(tmp_path / "a")
    assert info.value.path.endswith("a.json")


@pytest.mark.parametrize("card_text, message", [
    ("{not json", "readable JSON"),
    ("[1, 2]", "not a studio checkpoint"),
    ('{"format": "other"}', "not a studio checkpoint"),
    ('{"format": "studio-checkpoint", "version": 99}', "version 99"),
])
def test_bad_cards(tmp_path, card_text, message):
    save_checkpoint(tmp_path / "c", TENSORS, {})
    paths(tmp_path / "c")[1].write_text(card_text)
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(tmp_path / "c")


def test_corrupt_or_swapped_weights(tmp_path):
    save_checkpoint(tmp_path / "c", TENSORS, {})
    weights = paths(tmp_path / "c")[0]
    weights.write_bytes(weights.read_bytes()[:40])
    with pytest.raises(CheckpointError, match="corrupt"):
        load_checkpoint(tmp_path / "c")
    save_file({"params/w": torch.zeros(3, 2), "extra": torch.zeros(1)}, str(weights))
    with pytest.raises(CheckpointError, match=r"missing \['lrs', 'optim/params/w/step'\], unexpected \['extra'\], "
                                              r"different dtype/shape \['params/w'\]"):
        load_checkpoint(tmp_path / "c")


def test_cards_must_be_plain_json_without_reserved_keys(tmp_path):
    with pytest.raises(CheckpointError, match="plain JSON"):
        save_checkpoint(tmp_path / "c", TENSORS, {"x": {1, 2}})
    with pytest.raises(CheckpointError, match="plain JSON"):
        save_checkpoint(tmp_path / "c", TENSORS, {"x": float("nan")})
    with pytest.raises(CheckpointError, match="reserved"):
        save_checkpoint(tmp_path / "c", TENSORS, {"tensors": 1})
    assert not paths(tmp_path / "c")[0].exists()


def test_unwritable_location(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(CheckpointError, match="folder"):
        save_checkpoint(tmp_path / "file" / "c", TENSORS, {})


def test_helpers():
    ref = {"w": torch.zeros(2, 3)}
    check_matches({"w": torch.ones(2, 3)}, ref, "p")
    with pytest.raises(CheckpointError, match=r"wrong shape \['w'\]"):
        check_matches({"w": torch.ones(3, 2)}, ref, "p")
    with pytest.raises(CheckpointError, match=r"missing \['w'\], unexpected \['v'\]"):
        check_matches({"v": torch.ones(3, 2)}, ref, "p")
    assert split_prefix(with_prefix(ref, "params"), "params").keys() == ref.keys()
