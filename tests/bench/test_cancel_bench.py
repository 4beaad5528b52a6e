"""``bench cancel``: the stop flag's latency is measured from setting it to adapt returning."""

from __future__ import annotations

import argparse
import time

import pytest

from studio.bench import cancel as bench
from studio.domains.base import AdaptedModel


class SlowToStop:
    """Takes 5 ms steps and, once asked to stop, ``lag_s`` seconds more before it returns."""

    def __init__(self, lag_s: float) -> None:
        self.lag_s = lag_s

    def adapt(self, samples, config, progress, preview_every_s=None):
        losses = []
        started = time.perf_counter()
        while not progress.should_stop():
            time.sleep(0.005)
            losses.append(1.0)
            progress.report_partial(1.0)
        time.sleep(self.lag_s)
        return AdaptedModel(None, "fake", "reptile", b"", len(losses), time.perf_counter() - started,
                            tuple(losses), (), True)


def parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.mark.parametrize("lag_s, within", [(0.0, True), (0.4, False)])
def test_latency_is_from_the_flag_to_the_return(monkeypatch, lag_s, within):
    monkeypatch.setattr(bench, "_load", lambda name, threads: (SlowToStop(lag_s), []))
    result = bench.run(parsed("--domains", "melody", "--stops", "3", "--max-delay", "0.5"))
    melody = result["domains"]["melody"]
    assert melody["measured"] == 3 and len(melody["all"]) == 3
    assert (melody["max_ms"] <= bench.GOAL_MS) is within
    assert lag_s * 1000 <= melody["median_ms"] <= lag_s * 1000 + 150
    assert result["table"][2].startswith("melody")


def test_budget_rows_time_adapt_on_one_painting_and_on_all(monkeypatch):
    class Sleeps:
        def adapt(self, samples, config, progress=None, preview_every_s=None):
            if config.time_budget_s is None or config.time_budget_s > 1:  # the warm-up, or a run to cancel
                while progress is not None and not progress.should_stop():
                    time.sleep(0.005)
            else:
                time.sleep(config.time_budget_s)
            return AdaptedModel(None, "fake", "reptile", b"", 1, 0.0, (1.0,), (), False)
    monkeypatch.setattr(bench, "_load", lambda name, threads: (Sleeps(), ["a", "b", "c"]))
    result = bench.run(parsed("--domains", "melody", "--stops", "1", "--max-delay", "0.05", "--budgets", "0.05"))
    rows = result["budgets"]
    assert [r["paintings"] for r in rows] == [1, 3] and all(0.05 <= r["seconds"] < 0.2 for r in rows)
    assert any(line.split()[:2] == ["1", "0.1"] for line in result["table"])
