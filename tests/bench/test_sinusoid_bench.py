"""The sinusoid benchmark runs end to end and returns a complete, JSON-ready result."""

from __future__ import annotations

import argparse
import json

import pytest
import torch

from studio.bench import sinusoid


def run(*argv: str) -> dict:
    parser = argparse.ArgumentParser()
    sinusoid.add_arguments(parser)
    return sinusoid.run(parser.parse_args(list(argv)))


def test_tiny_run_has_every_row_and_the_published_numbers():
    result = run("--quick", "--iterations", "20", "--shots", "5", "--tasks", "40")
    json.dumps(result)
    hypernet_rows = ["hypernet (no gradient step)", "hypernet + 1 step", "hypernet + 5 steps"]
    expected = [name for m in sinusoid.METHODS for name in (hypernet_rows if m == "hypernet" else [m])]
    assert [r["method"] for r in result["rows"]] == expected
    assert result["iterations"] == 20 and result["one_model_per_k"]
    for row in result["rows"]:
        cell = row["shots"]["5"]
        assert cell["mse"] > 0 and cell["ci95"] > 0
    assert result["published"]["maml"]["10"] == [0.85, 0.14]
    assert "maml" in sinusoid.format_table(result) and result["table"][1].startswith("method")


def test_hypernet_rows_alone_share_one_model_and_refining_lowers_the_error():
    result = run("--quick", "--methods", "hypernet", "--iterations", "30", "--shots", "5,10", "--tasks", "40",
                 "--inner-lr", "0.05")
    json.dumps(result)
    rows = result["rows"]
    assert [r["refine_steps"] for r in rows] == [0, 1, 5]
    assert rows[0]["method"] == "hypernet (no gradient step)" and rows[2]["method"] == "hypernet + 5 steps"
    for k in ("5", "10"):
        assert rows[0]["train_seconds"][k] == rows[2]["train_seconds"][k]  # the same trained model
        mse = [r["shots"][k]["mse"] for r in rows]
        assert mse[2] < mse[1] < mse[0], mse  # each extra step on the support set helps on the query
    assert all(line.startswith("hypernet") for line in result["table"][2:])


def test_hypernet_evaluation_uses_the_same_test_tasks_as_the_other_methods():
    """Untrained, the FiLM target and the SineMLP differ, but 0 steps must equal a direct forward pass."""
    args = argparse.Namespace(tasks=8, query=30, seed=0, inner_lr=0.01)
    target, hyper = sinusoid.FiLMMLP(), sinusoid.HyperNetwork()  # zero head: identity modulation
    tasks = sinusoid._test_tasks(5, args)
    with torch.no_grad():
        direct = ((target(tasks.query_x) - tasks.query_y) ** 2).mean((-2, -1))
    mse, ci = sinusoid.evaluate_hypernet(target, hyper, 5, args, [0])[0]
    assert mse == pytest.approx(float(direct.mean()), rel=1e-5)
    assert ci == pytest.approx(1.96 * float(direct.std()) / 8 ** 0.5, rel=1e-4)


@pytest.mark.parametrize("steps", ["", "1,-2", "one"])
def test_bad_hypernet_steps_are_refused(steps):
    with pytest.raises(ValueError, match="hypernet-steps"):
        run("--quick", "--methods", "hypernet", "--hypernet-steps", steps)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown methods"):
        run("--quick", "--methods", "maml,protonet")


@pytest.mark.slow
def test_quick_mode_learns_something():
    result = run("--quick")
    rows = {r["method"]: r for r in result["rows"]}
    assert result["seconds"] < 60
    for k in ("5", "10", "20"):
        assert rows["maml"]["shots"][k]["mse"] < rows["scratch"]["shots"][k]["mse"]
        assert rows["hypernet (no gradient step)"]["shots"][k]["mse"] < rows["scratch"]["shots"][k]["mse"]
