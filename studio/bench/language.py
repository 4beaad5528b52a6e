"""Language: what the Chinese window costs at start-up, against the English one in the same run.

Launches ``python main.py`` (``STUDIO_EXIT_AFTER_SHOW=1``, as :mod:`studio.bench.cold_start`)
interleaved in three settings: English; Chinese (the translator from the built .qm, Qt's own
translations, and the system's CJK font if any); Chinese with the bundled CJK font registered
(``--font-dir``, else the ``noto-cjk-sans-otc`` package when installed; skipped when neither
is there). Each launch has its own settings file choosing the language in View > Language.
Reports the median seconds to the first shown window and each Chinese setting's difference
from English, and, measured apart in fresh processes (so the window's own start-up noise on a
busy machine does not hide it), the milliseconds :func:`studio.ui.i18n.setup_language` itself
takes. Goal: Chinese adds at most 0.1 s to the first window.
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

# Times setup_language in a fresh process (fonts are registered once per process) and prints the ms.
_SETUP_SCRIPT = """
import sys, time
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from studio.ui import i18n, settings
t0 = time.perf_counter()
language = i18n.setup_language(app, settings.make_settings(), i18n.Translators())
print(f"setup-ms {1000 * (time.perf_counter() - t0):.2f} {language}")
"""


def _setup_ms(env: dict[str, str], timeout: float) -> float:
    import subprocess

    out = subprocess.run([sys.executable, "-c", _SETUP_SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=timeout)
    line = next((x for x in out.stdout.splitlines() if x.startswith("setup-ms ")), None)
    if out.returncode != 0 or line is None:
        raise StudioError(f"the language set-up probe failed: {out.stderr.strip()[-2000:]}")
    return float(line.split()[1])

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
        for i in range(args.warmup + args.runs):
            for name, env in envs.items():
                outcome = launch([sys.executable, str(ROOT / "main.py")], env, True, args.timeout)
                ms = _setup_ms(env, args.timeout)
                if i >= args.warmup:
                    shown[name].append(outcome["shown_s"])
                    setup[name].append(ms)
    if not shown["English"]:
        raise StudioError("no measured launch: --runs must be at least 1")
    english = statistics.median(shown["English"])
    rows = []
    for name, times in shown.items():
        median = statistics.median(times)
        rows.append({"setting": name, "median_s": round(median, 3), "min_s": round(min(times), 3),
                     "max_s": round(max(times), 3), "over_english_s": round(median - english, 3),
                     "setup_language_median_ms": round(statistics.median(setup[name]), 1),
                     "setup_language_max_ms": round(max(setup[name]), 1)})
    worst = max(r["over_english_s"] for r in rows)
    worst_setup_s = max(r["setup_language_median_ms"] for r in rows) / 1000
    return {
        "benchmark": "language",
        "runs": args.runs,
        "warmup_runs": args.warmup,
        "qt_platform": base.get("QT_QPA_PLATFORM", "default"),
        "system_cjk_font": bool(_system_cjk_font()),
        "bundled_font_dir": font_dir,
        "goal_extra_s": GOAL_EXTRA_S,
        "goal_met": worst <= GOAL_EXTRA_S,
        "setup_goal_met": worst_setup_s <= GOAL_EXTRA_S,  # the set-up alone, free of start-up noise
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
