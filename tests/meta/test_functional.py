"""Parameter dicts, the functional forward pass and dict arithmetic."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from studio.meta import functional as F


def test_forward_matches_the_module_and_uses_the_given_params(tiny_model):
    x = torch.randn(4, 2, dtype=torch.float64)
    params = F.params_of(tiny_model)
    torch.testing.assert_close(F.forward(tiny_model, params, None, x), tiny_model(x))
    zero = {n: torch.zeros_like(p) for n, p in params.items()}
    assert torch.equal(F.forward(tiny_model, zero, {}, x), torch.zeros(4, 1, dtype=torch.float64))
    partial = {"2.bias": params["2.bias"] + 1.0}  # the others come from the module
    torch.testing.assert_close(F.forward(tiny_model, partial, None, x), tiny_model(x) + 1.0)
    with pytest.raises(ValueError, match=r"named \['2.bais'\]"):
        F.forward(tiny_model, {"2.bais": params["2.bias"]}, None, x)


def test_params_of_are_independent_leaves(tiny_model):
    params = F.params_of(tiny_model)
    for (name, p), q in zip(tiny_model.named_parameters(), params.values()):
        assert q is not p and q.is_leaf and q.requires_grad and torch.equal(p, q)
    assert not any(q.requires_grad for q in F.params_of(tiny_model, requires_grad=False).values())


def test_batch_norm_statistics_of_the_module_are_left_alone():
    model = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
    model.train()
    buffers = F.buffers_of(model)
    before = {n: b.clone() for n, b in model.named_buffers()}
    F.forward(model, F.params_of(model), buffers, torch.randn(8, 2) + 3.0)
    for name, value in model.named_buffers():
        assert torch.equal(value, before[name])
    assert not torch.equal(buffers["1.running_mean"], before["1.running_mean"])  # the clones moved


def test_select_and_default_head(tiny_model):
    names = list(F.params_of(tiny_model))
    assert F.select(names, ()) == names
    assert F.select(names, ("2",)) == ["2.weight", "2.bias"]
    assert F.select(names, ("2.",)) == ["2.weight", "2.bias"]
    assert F.select(["body.10.w", "body.1.w"], ("body.1",)) == ["body.1.w"]
    with pytest.raises(ValueError, match="no parameter"):
        F.select(names, ("head",))
    assert F.default_head(tiny_model) == ("2",)
    with pytest.raises(ValueError, match="head"):
        F.default_head(nn.Linear(2, 2))


def test_dict_arithmetic():
    a = {"w": torch.tensor([1.0, 2.0]), "b": torch.tensor(3.0)}
    b = {"w": torch.tensor([0.5, 0.5]), "b": torch.tensor(1.0)}
    assert torch.equal(F.sub(a, b)["w"], torch.tensor([0.5, 1.5]))
    assert torch.equal(F.add(a, {"b": torch.tensor(1.0)})["b"], torch.tensor(4.0))
    assert torch.equal(F.add(a, {"b": torch.tensor(1.0)})["w"], a["w"])
    assert torch.equal(F.scale(a, 2.0)["b"], torch.tensor(6.0))
    assert torch.equal(F.mean([a, b])["w"], torch.tensor([0.75, 1.25]))
    assert float(F.global_norm([torch.tensor([3.0]), torch.tensor([4.0])])) == 5.0
    with pytest.raises(ValueError):
        F.mean([])


def test_losses():
    logits = torch.tensor([[[10.0, -10.0], [-10.0, 10.0]]])
    assert float(F.cross_entropy(logits, torch.tensor([[0, 1]]))) < 1e-6
    assert float(F.mse_loss(torch.ones(3), torch.zeros(3))) == 1.0
