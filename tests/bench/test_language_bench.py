"""The language benchmark launches the real app in English and in Chinese and reports both."""

from __future__ import annotations

import argparse

from studio.bench import language


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    language.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_language_bench_times_english_and_chinese_starts(tmp_path):
    result = language.run(_args("--runs", "1", "--warmup", "0", "--font-dir", str(tmp_path / "none")))
    settings = {row["setting"]: row for row in result["settings"]}
    assert set(settings) == {"English", "Chinese"}  # no font folder: the bundled-font arm is skipped
    assert settings["English"]["over_english_s"] == 0 and settings["Chinese"]["median_s"] > 0
    assert result["goal_met"] is (settings["Chinese"]["over_english_s"] <= language.GOAL_EXTRA_S)
