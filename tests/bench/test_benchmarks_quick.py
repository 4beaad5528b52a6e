"""Smoke runs of the ui_lag, cold_start and import_samples benchmarks (tiny sizes, one run)."""

from __future__ import annotations

import argparse
import textwrap

import pytest

from studio.bench import cold_start, import_samples, ui_lag
from studio.errors import StudioError


def parsed(module, *argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert ui_lag.percentile(values, 50) == 50.0
    assert ui_lag.percentile(values, 99) == 99.0
    assert ui_lag.percentile([3.0], 99) == 3.0


def test_ui_lag_measures_idle_and_busy_phases(qapp):
    pytest.importorskip("torch")
    result = ui_lag.run(parsed(ui_lag, "--seconds", "0.3", "--runs", "1", "--threads", "1"))
    phases = {row["phase"]: row for row in result["phases"]}
    assert set(phases) == {"idle (baseline)", "torch_threads=1"}
    busy = phases["torch_threads=1"]
    assert busy["train_steps_per_s"] > 0
    assert 0 <= busy["p50_ms"] <= busy["p95_ms"] <= busy["p99_ms"] <= busy["max_ms"]
    assert isinstance(result["goal_met"], bool)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("first-window-shown 1.234 torch-imported=false\n", {"child_seconds": 1.234, "torch_imported": False}),
        ("first-window-shown torch-imported=True", {"child_seconds": None, "torch_imported": True}),
        ("first-window-shown", {"child_seconds": None, "torch_imported": None}),
        ("loading demo samples", None),
    ],
)
def test_parse_marker(line, expected):
    assert cold_start.parse_marker(line) == expected


STAND_IN = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication(sys.argv)
    label = QLabel("stand-in for the studio")
    label.show()
    if os.environ.get("STUDIO_EXIT_AFTER_SHOW") == "1" and "--silent" not in sys.argv:
        def shown():
            print("first-window-shown torch-imported=" + str("torch" in sys.modules).lower(), flush=True)
            app.quit()
        QTimer.singleShot(0, shown)
    else:
        QTimer.singleShot(0, app.quit)
    sys.exit(app.exec())
    """
)


def test_cold_start_times_a_stand_in_app(tmp_path):
    script = tmp_path / "standin.py"
    script.write_text(STAND_IN)
    result = cold_start.run(parsed(cold_start, "--runs", "1", "--warmup", "0", "--script", str(script)))
    rows = {row["command"]: row for row in result["commands"]}
    app = rows["studio: python standin.py"]
    assert app["torch_imported"] is False
    assert 0 < app["median_s"] <= app["exit_median_s"]
    assert rows["python -c pass"]["median_s"] > 0
    assert result["goal_met"] is (app["median_s"] <= cold_start.GOAL_S)


def test_cold_start_names_a_missing_marker(tmp_path):
    script = tmp_path / "silent.py"
    script.write_text(STAND_IN)
    plan = cold_start.commands(str(script))[-1]
    env = {**__import__("os").environ, "STUDIO_EXIT_AFTER_SHOW": "1", "QT_QPA_PLATFORM": "offscreen"}
    with pytest.raises(StudioError, match="STUDIO_EXIT_AFTER_SHOW"):
        cold_start.launch(plan[1] + ["--silent"], env, expect_marker=True, timeout=30)


def test_import_samples_smoke():
    result = import_samples.run(parsed(import_samples, "--runs", "1", "--scale", "0.1"))
    assert result["files"] == 8 and len(result["per_file"]) == 8
    assert result["import_8_files_s"] > 0 and result["baseline_bare_decode_8_files_s"] > 0
    assert {row["file"].rsplit(".", 1)[1] for row in result["per_file"]} == {"jpg", "png", "mid"}


def test_first_gallery_times_both_arms_in_fresh_processes():
    from studio.bench import first_gallery

    result = first_gallery.run(parsed(first_gallery, "--domain", "melody", "--runs", "1", "--count", "2",
                                      "--think", "0.05", "--threads", "1"))
    assert set(result["median"]) == {"cold", "preload"}
    for row in result["median"].values():
        assert 0 < row["first_work_s"] <= row["gallery_s"]
    assert result["table"][0].startswith("first gallery (melody, 2 works")
