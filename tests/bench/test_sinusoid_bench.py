"""The sinusoid benchmark runs end to end and returns a complete, JSON-ready result."""

from __future__ import annotations

import argparse
import json

import pytest

from studio.bench import sinusoid


def run(*argv: str) -> dict:
    parser = argparse.ArgumentParser()
    sinusoid.add_arguments(parser)
    return sinusoid.run(parser.parse_args(list(argv)))


def test_tiny_run_has_every_row_and_the_published_numbers():
    result = run("--quick", "--iterations", "20", "--shots", "5", "--tasks", "40")
    json.dumps(result)
    assert [r["method"] for r in result["rows"]] == list(sinusoid.METHODS)
    assert result["iterations"] == 20 and result["one_model_per_k"]
    for row in result["rows"]:
        cell = row["shots"]["5"]
        assert cell["mse"] > 0 and cell["ci95"] > 0
    assert result["published"]["maml"]["10"] == [0.85, 0.14]
    assert "maml" in sinusoid.format_table(result) and result["table"][1].startswith("method")


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
