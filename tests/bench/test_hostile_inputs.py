"""Smoke run of the hostile-inputs benchmark: small inputs, one killed save, no baseline."""

from __future__ import annotations

import argparse

from studio.bench import hostile_inputs


def test_small_hostile_inputs_are_refused_and_killed_saves_leave_nothing_after_an_open():
    parser = argparse.ArgumentParser()
    hostile_inputs.add_arguments(parser)
    result = hostile_inputs.run(parser.parse_args(["--scale", "50", "--kills", "1", "--save-mb", "8"]))
    rows = result["inputs"]
    assert set(rows) == {"zeros-900-members.mcs", "running-status.mid", "tempo-changes.mid", "strip-1x60M.png"}
    for name in ("zeros-900-members.mcs", "tempo-changes.mid", "strip-1x60M.png"):
        assert rows[name]["current"]["outcome"].startswith("refused"), rows[name]
    for row in rows.values():
        current = row["current"]
        assert current["seconds"] >= 0 and current["peak_rss_mb"] >= current["imports_rss_mb"] > 0
    saves = result["killed_saves"]["current"]
    assert saves["open"] == "read" and saves["left_files_after_open"] == 0
