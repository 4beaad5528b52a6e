"""Start the GUI: ``main(argv)`` builds the application and the main window and runs the loop.

Cold start is kept fast: torch is never imported here; it is warmed up in the worker after
the window shows, and only when a meta-trained generator is installed.

Environment: ``STUDIO_EXIT_AFTER_SHOW=1`` prints ``first-window-shown <seconds>
torch-imported=<bool>`` once the first window is on screen and quits (seconds from the
``STUDIO_T0`` time.time() stamp if set, else from this module's import);
``STUDIO_SETTINGS_PATH`` and ``STUDIO_RECOVERY_DIR`` move settings and autosaves elsewhere.
"""

from __future__ import annotations

import time

_IMPORTED_AT = time.time()

import argparse  # noqa: E402 - the stamp above must come first
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import Mapping  # noqa: E402

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from studio import engine  # noqa: E402
from studio.core.samples import Domain  # noqa: E402
from studio.ui import settings as keys  # noqa: E402
from studio.ui.i18n import Translators, setup_language, translate  # noqa: E402
from studio.ui.main_window import MainWindow  # noqa: E402
from studio.ui.settings import APPLICATION, ORGANIZATION  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="meta-creation-studio", description="Open the studio window.")
    parser.add_argument("project", nargs="?", help="a project file (.mcs) to open")
    parser.add_argument("--no-demo", action="store_true", help="do not open on the demo samples at first launch")
    return parser.parse_known_args(argv)[0]  # Qt's own options (-platform ...) are Qt's


def no_display_problem(env: Mapping[str, str], argv: list[str]) -> str | None:
    """Why no window can open here, or None. On Linux with no display server and no platform
    chosen, Qt aborts the process with a misleading hint about xcb libraries instead."""
    if not sys.platform.startswith("linux") or "-platform" in argv:
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return ("error: no display (DISPLAY and WAYLAND_DISPLAY are unset), so the studio window cannot open. "
            "Run it in a desktop session, over `ssh -X`, or under `xvfb-run`; the headless commands work "
            "anywhere (python main.py --help).")


def _report_first_window(app: QApplication) -> None:
    start = float(os.environ.get("STUDIO_T0") or _IMPORTED_AT)
    print(f"first-window-shown {time.time() - start:.3f} torch-imported={'torch' in sys.modules}", flush=True)
    app.quit()


def _warm_up_when_idle(window: MainWindow) -> None:
    """Import torch in the worker once no other task runs (a new task would cancel the warm-up)."""
    from studio.tasks import warm_up_torch

    runner = window.runner

    def start_if_idle(busy: bool = False) -> None:
        if not busy and not runner.is_busy():
            runner.sig_busy_changed.disconnect(start_if_idle)
            runner.start(translate("App", "Loading the learning engine"), warm_up_torch)

    runner.sig_busy_changed.connect(start_if_idle)
    start_if_idle(runner.is_busy())


def main(argv: list[str] | None = None) -> int:
    """Run the studio on ``argv`` (like ``sys.argv``: the program name first); the exit status."""
    argv = list(sys.argv if argv is None else argv) or ["meta-creation-studio"]
    existing = QApplication.instance()
    problem = None if existing else no_display_problem(os.environ, argv)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(QIcon(str(engine.ASSETS_DIR / "icon.png")))  # drawn by packaging/make_icon.py
    app.setDesktopFileName("meta-creation-studio")  # the .desktop entry (packaging/linux): its icon on Wayland
    args = parse_args((argv if existing else app.arguments())[1:])  # Qt took its own options
    translators = Translators()
    settings = keys.make_settings()
    setup_language(app, settings, translators)  # before any widget: the window is built in its language
    window = MainWindow(settings=settings)
    window.show()
    if os.environ.get("STUDIO_EXIT_AFTER_SHOW") == "1":
        QTimer.singleShot(0, lambda: _report_first_window(app))
    else:
        def after_show() -> None:
            window.startup(args.project, demo=not args.no_demo)
            if any(engine.generator_available(d) for d in Domain):
                _warm_up_when_idle(window)

        QTimer.singleShot(0, after_show)
    try:
        return app.exec()
    finally:
        window.runner.shutdown()


if __name__ == "__main__":
    sys.exit(main())
