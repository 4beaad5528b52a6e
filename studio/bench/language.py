"""Language: what the Chinese window costs at start-up, against the English one in the same run.

Launches ``python main.py`` (``STUDIO_EXIT_AFTER_SHOW=1``, as :mod:`studio.bench.cold_start`)
interleaved in three settings: English; Chinese (the translator from the built .qm, Qt's own
translations, and the system's CJK font if any); Chinese with the bundled CJK font registered
(``--font-dir``, else the ``noto-cjk-sans-otc`` package when installed; skipped when neither
is there). Each launch has its own settings file choosing the language in View > Language.
Reports the median seconds to the first shown window and each Chinese setting's difference
from English, and, measured apart inside fresh processes (free of interpreter and import noise,
which on a busy machine hides a few tens of ms), the milliseconds
:func:`studio.ui.i18n.setup_language` takes and those to build, show and paint the main window
in that language. Goal: Chinese adds at most 0.1 s to the first window.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from studio.bench.cold_start import ROOT, launch
from studio.errors import StudioError

# In a fresh process (fonts are registered once per process): the ms setup_language takes, then
# the ms to build and show the main window and lay it out (where longer or CJK text would cost).
_PROBE_SCRIPT = """
import sys, time
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from studio.ui import i18n, settings
from studio.ui.main_window import MainWindow
store = settings.make_settings()
t0 = time.perf_counter()
language = i18n.setup_language(app, store, i18n.Translators())
t1 = time.perf_counter()
window = MainWindow(settings=store)
window.show()
app.processEvents()
window.grab()
t2 = time.perf_counter()
print(f"probe-ms {1000 * (t1 - t0):.2f} {1000 * (t2 - t1):.2f} {language}", flush=True)
window.runner.shutdown()
"""


def _probe_ms(env: dict[str, str], timeout: float) -> tuple[float, float]:
    """(language set-up ms, window build-show-paint ms) in a fresh process."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", _PROBE_SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=timeout)
    line = next((x for x in out.stdout.splitlines() if x.startswith("probe-ms ")), None)
    if line is None:
        raise StudioError(f"the language probe failed: {out.stderr.strip()[-2000:]}")
    return float(line.split()[1]), float(line.split()[2])

DESCRIPTION = "Seconds to the first window in Chinese vs English, with and without a bundled CJK font (goal <= +0.1 s)"
GOAL_EXTRA_S = 0.1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=7, help="measured launches of each setting (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured launches first, to warm the file cache")
    parser.add_argument("--font-dir", default="", help="a folder with a CJK font file to register (default: the "
                        "noto-cjk-sans-otc package, if installed)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a launch counts as hung")
    parser.add_argument("--quick", action="store_true", help="3 runs, no warm-up")


def _bundled_font_dir(given: str) -> str | None:
    if given:
        return given if Path(given).is_dir() else None
    try:
        import noto_cjk_sans_otc  # type: ignore[import-not-found]
    except ImportError:
        return None
    return str(Path(str(noto_cjk_sans_otc.FONT_PATH)).parent)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from studio.ui import i18n

    if args.quick:
        args.runs, args.warmup = 3, 0
    if not i18n.qm_path(i18n.CHINESE).is_file():
        i18n.build()  # as `make setup` does
    base = {**os.environ, "STUDIO_EXIT_AFTER_SHOW": "1", "PYTHONUNBUFFERED": "1"}
    if not (base.get("DISPLAY") or base.get("WAYLAND_DISPLAY")):
        base["QT_QPA_PLATFORM"] = "offscreen"
    base.pop("STUDIO_FONT_DIR", None)
    font_dir = _bundled_font_dir(args.font_dir)
    with tempfile.TemporaryDirectory(prefix="bench-language-") as tmp:
        settings: dict[str, list[tuple[str, str]]] = {
            "English": [("STUDIO_LANGUAGE", i18n.ENGLISH)],
            "Chinese": [("STUDIO_LANGUAGE", i18n.CHINESE)],
        }
        if font_dir:
            settings["Chinese + bundled CJK font"] = [("STUDIO_LANGUAGE", i18n.CHINESE), ("STUDIO_FONT_DIR", font_dir)]
        envs = {}
        for n, (name, pairs) in enumerate(settings.items()):
            ini = Path(tmp) / f"settings-{n}.ini"
            values = dict(pairs)
            ini.write_text(f"[view]\nlanguage={values.pop('STUDIO_LANGUAGE')}\n", encoding="utf-8")
            envs[name] = {**base, **values, "STUDIO_SETTINGS_PATH": str(ini),
                          "STUDIO_RECOVERY_DIR": str(Path(tmp) / f"recovery-{n}")}
        shown: dict[str, list[float]] = {name: [] for name in envs}
        setup: dict[str, list[float]] = {name: [] for name in envs}
        build: dict[str, list[float]] = {name: [] for name in envs}
        for i in range(args.warmup + args.runs):
            for name, env in envs.items():
                outcome = launch([sys.executable, str(ROOT / "main.py")], env, True, args.timeout)
                setup_ms, window_ms = _probe_ms(env, args.timeout)
                if i >= args.warmup:
                    shown[name].append(outcome["shown_s"])
                    setup[name].append(setup_ms)
                    build[name].append(window_ms)
    if not shown["English"]:
        raise StudioError("no measured launch: --runs must be at least 1")
    english = statistics.median(shown["English"])
    english_probe = statistics.median(setup["English"]) + statistics.median(build["English"])
    rows = []
    for name, times in shown.items():
        median = statistics.median(times)
        rows.append({"setting": name, "median_s": round(median, 3), "min_s": round(min(times), 3),
                     "max_s": round(max(times), 3), "over_english_s": round(median - english, 3),
                     "setup_language_median_ms": round(statistics.median(setup[name]), 1),
                     "window_build_median_ms": round(statistics.median(build[name]), 1),
                     "probe_over_english_ms": round(statistics.median(setup[name]) + statistics.median(build[name])
                                                    - english_probe, 1)})
    worst = max(r["over_english_s"] for r in rows)
    worst_probe_s = max(r["probe_over_english_ms"] for r in rows) / 1000
    return {
        "benchmark": "language",
        "runs": args.runs,
        "warmup_runs": args.warmup,
        "qt_platform": base.get("QT_QPA_PLATFORM", "default"),
        "system_cjk_font": bool(_system_cjk_font()),
        "bundled_font_dir": font_dir,
        "goal_extra_s": GOAL_EXTRA_S,
        "goal_met": worst <= GOAL_EXTRA_S,
        "probe_goal_met": worst_probe_s <= GOAL_EXTRA_S,  # set-up + window in-process: less noise
        "settings": rows,
    }


def _system_cjk_font() -> bool:
    import subprocess

    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


if __name__ == "__main__":
    import json

    parser = argparse.ArgumentParser(description=DESCRIPTION)
    add_arguments(parser)
    print(json.dumps(run(parser.parse_args()), indent=2))
