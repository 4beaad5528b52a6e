"""The preview-synth benchmark runs and reports every row (its timing goal is read in the docs)."""

from __future__ import annotations

import argparse

from studio.bench import synth


def test_a_quick_run_reports_the_three_rows_and_the_goal():
    result = synth.run(argparse.Namespace(runs=1, rate=8000))
    assert result["notes"] > 30 and result["chords"] == 24
    assert set(result["rows"]) == {"melody alone (synth.render, baseline)", "preview, chords on",
                                   "preview, chords off"}
    assert all(row["median_ms"] > 0 for row in result["rows"].values())
    assert isinstance(result["goal_met"], bool)
