"""The RL² benchmark end to end on a tiny configuration."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import torch

from studio.bench import rl2
from studio.meta.checkpoint import load_checkpoint
from studio.meta.rl2 import RL2Config, RL2Policy


@pytest.fixture(autouse=True)
def restore_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def test_rl2_benchmark_reports_every_method_and_saves_the_policy(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    rl2.add_arguments(parser)
    args = parser.parse_args(["--quick", "--updates", "3", "--batch", "8", "--hidden", "8", "--test-users", "20",
                              "--horizon", "10", "--save", str(tmp_path), "--quiet"])
    result = rl2.run(args)
    names = [r["method"] for r in result["rows"]]
    assert names[:4] == ["RL² (sampled)", "RL² (greedy)", "Thompson (Beta-Bernoulli)", "UCB1"]
    assert all(0.0 <= r["regret"] <= 10.0 for r in result["rows"])
    assert {"regret@2", "regret@5"} <= set(result["rows"][0])
    assert len(result["table"]) == 3 + len(names)
    tensors, card = load_checkpoint(tmp_path / "rl2_users")
    policy = RL2Policy(RL2Config(**card["config"]))
    policy.load_state_dict(tensors)
    assert card["users"]["horizon"] == 10
