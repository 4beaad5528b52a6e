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
