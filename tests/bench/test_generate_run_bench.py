"""``bench generate-run``: the rows it prints (median of fresh runs against the budget), without
starting the real processes; one slow smoke run starts them."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from studio.bench import generate_run


def _report(adapt: float, notes: tuple[str, ...] = ()) -> dict:
    return {"adaptation_seconds": adapt, "adaptation_budget_seconds": 1.0, "steps_taken": 3,
            "generation_seconds": 0.5, "write_seconds": 0.1, "estimated_generation_seconds": 0.7,
            "model_load_seconds": 0.2, "probe_seconds": 0.3, "notes": list(notes)}


def test_a_row_keeps_the_median_run_and_judges_it_against_the_budget(monkeypatch, tmp_path: Path) -> None:
    runs = iter([(5.6, 0.1), (4.9, 0.2), (5.4, 0.3)])

    def fake(samples, out, extra):
        wall, adapt = next(runs)
        return {"wall": wall, "report": _report(adapt)}

    monkeypatch.setattr(generate_run, "_generate", fake)
    row = generate_run._row("melody budget 5", [], [], 3, tmp_path, 5.0)
    assert row["wall_s"] == 5.4 and row["adapt_s"] == 0.3 and row["walls_s"] == [5.6, 4.9, 5.4]
    assert row["wall/budget"] == 1.08 and row["within_10pct"] and not row["no_time_to_adapt"]
    monkeypatch.setattr(generate_run, "_generate",
                        lambda s, o, e: {"wall": 5.6, "report": _report(0.0, ("Budget: ... which leaves no time to adapt",))})
    row = generate_run._row("painting budget 5", [], [], 1, tmp_path, 5.0)
    assert not row["within_10pct"] and row["no_time_to_adapt"]


def test_the_bench_is_listed_under_its_hyphenated_name() -> None:
    from studio.cli import build_parser

    args = build_parser("bench").parse_args(["bench", "generate-run", "--quick"])
    assert args.bench_module is generate_run and args.quick


@pytest.mark.slow
def test_a_quick_run_measures_both_domains(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    generate_run.add_arguments(parser)
    result = generate_run.run(parser.parse_args(["--quick", "--melody-counts", "8", "--painting-counts", "4"]))
    assert {row["run"].split()[0] for row in result["rows"]} == {"melody", "painting"}
    assert all(row["wall_s"] > 0 for row in result["rows"])
    assert [t["count"] for t in result["throughput"]] == [8, 4]
