"""Smoke mode: ``meta-creation-studio --smoke-test`` proves that a build of the studio works.

It opens the real main window (offscreen unless ``QT_QPA_PLATFORM`` names another platform),
imports the shipped demo samples of each domain through the window's own import task, asks
the window's generation controller for one work per domain through the real task runner (the
shipped meta-trained models, torch, the worker thread; the melody after a few adaptation steps,
so autograd and the optimiser are exercised too), checks what arrives, prints one line
and returns the exit status: 0 and ``smoke-test ok: ...``, or 1 and ``smoke-test failed:
<reason>`` on the first failure or after ``timeout_s``.

The window speaks the system's language (``LANG``), as on a first launch; a translation that
does not load is a failure. Nothing of the user's is touched: settings and autosaves go to a
temporary folder that is removed afterwards. The desktop bundle's slow test and ``make bundle`` run it on the built app.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Slot
from PySide6.QtWidgets import QApplication

from studio import engine
from studio.core.samples import Domain
from studio.io.recovery import RecoveryStore
from studio.tasks import TaskHandle
from studio.ui.dialogs import ScriptedPrompts
from studio.ui.i18n import Translators, resolve, saved_choice, setup_language
from studio.ui.main_window import MainWindow
from studio.ui.settings import APPLICATION, ORGANIZATION

_IMPORTED_AT = time.time()
DEFAULT_TIMEOUT_S = 180.0  # a cold bundle on a busy 2-core machine loads torch and two models
DOMAINS: tuple[Domain, ...] = (Domain.PAINTING, Domain.MELODY)
ADAPT_STEPS = 3  # the melody is adapted, not only generated: torch's autograd and optimiser load too



@dataclass
class SmokeReport:
    """What a smoke run saw: the steps that passed, and the failure (None when it passed)."""

    window_shown_s: float = 0.0
    steps: list[str] = field(default_factory=list)
    failure: str | None = None
    started: float = field(default_factory=time.perf_counter)

    def line(self) -> str:
        """The one line the smoke mode prints."""
        done = "; ".join(self.steps)
        if self.failure is not None:
            return f"smoke-test failed: {self.failure}" + (f" (after: {done})" if done else "")
        total = time.perf_counter() - self.started
        return f"smoke-test ok: window shown in {self.window_shown_s:.2f} s; {done}; {total:.1f} s in all"


class SmokeRun(QObject):
    """Drives one window through import and generate for each domain, one step at a time.

    Each step starts a task and waits for its handle's ending; ``sig_finished`` moves on,
    ``sig_failed`` or ``sig_cancelled`` ends the run. The window applies a task's result in its
    own slots, connected before ours, so the project is up to date when ours runs.
    """

    def __init__(self, window: MainWindow, app: QApplication, domains: Sequence[Domain],
                 timeout_s: float, screenshot: str | None = None) -> None:
        super().__init__(window)
        self.window, self.app = window, app
        self.domains = list(domains)
        self.report = SmokeReport()
        self.screenshot = screenshot
        self._step_started = 0.0
        self._doing = "starting"
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)
        self._timer.start(int(timeout_s * 1000))
        self._timeout_s = timeout_s

    # -- steps ---------------------------------------------------------------------------------

    def start(self) -> None:
        self._next_domain()

    def _next_domain(self) -> None:
        if not self.domains:
            return self._finish()
        domain = self.domains[0]
        if not engine.demo_sample_paths(domain):
            return self._fail(f"no demo {domain.plural} are installed (looked in {engine.DEMO_DIRS[domain]})")
        if not engine.generator_available(domain):
            return self._fail(f"no meta-trained {domain.value} model is installed")
        self._doing = f"importing the demo {domain.plural}"
        self._watch(self.window.files.load_demo(domain), self._imported)

    def _watch(self, handle: TaskHandle | None, then: Callable[[object], None]) -> None:
        if handle is None:
            return self._fail(f"the window started no task while {self._doing}")
        self._step_started = time.perf_counter()
        handle.sig_finished.connect(then)
        handle.sig_failed.connect(self._task_failed)
        handle.sig_cancelled.connect(self._task_cancelled)

    @Slot(object)
    def _imported(self, _result: object) -> None:
        domain = self.domains[0]
        project = self.window.session.project
        expected = len(engine.demo_sample_paths(domain))
        if project.domain is not domain or len(project.samples) != expected:
            return self._fail(f"{len(project.samples)} of {expected} demo {domain.plural} were imported")
        self.report.steps.append(f"{expected} demo {domain.plural} imported in {self._elapsed():.1f} s")
        controls = self.window.melody_controls if domain is Domain.MELODY else self.window.painting_controls
        controls.count.setValue(1)
        if domain is Domain.MELODY:  # a few gradient steps: autograd and the optimiser work in this build
            self._doing = f"adapting to the demo {domain.plural} ({ADAPT_STEPS} steps) and generating one"
            self._watch(self.window.generation.adapt(engine.adaptation_methods(domain=domain)[0].name, "steps",
                                                     ADAPT_STEPS), self._generated)
        else:
            self._doing = f"generating one {domain.value}"
            self._watch(self.window.generation.generate(), self._generated)

    @Slot(object)
    def _generated(self, _result: object) -> None:
        domain = self.domains.pop(0)
        works = list(self.window.session.project.gallery)
        if not works:
            return self._fail(f"generating a {domain.value} put nothing in the gallery")
        problem = _work_problem(works[-1], domain)
        if problem:
            return self._fail(problem)
        model = works[-1].provenance.get("model", "?")
        adapted = self.window.generation.current_model() if domain is Domain.MELODY else None
        if domain is Domain.MELODY and (adapted is None or adapted.steps < 1):
            return self._fail(f"adapting to the demo {domain.plural} took no gradient step")
        how = f"adapted {adapted.steps} steps ({adapted.method}) and " if adapted is not None else ""
        self.report.steps.append(f"{how}1 {domain.value} generated by {model} in {self._elapsed():.1f} s")
        self._next_domain()

    # -- endings -------------------------------------------------------------------------------

    def _elapsed(self) -> float:
        return time.perf_counter() - self._step_started

    @Slot(str, str)
    def _task_failed(self, message: str, details: str) -> None:
        last = details.strip().splitlines()[-1] if details.strip() else ""
        self._fail(f"{self._doing}: {message}" + (f" [{last}]" if last and last not in message else ""))

    @Slot()
    def _task_cancelled(self) -> None:
        self._fail(f"the task was cancelled while {self._doing}")

    @Slot()
    def _timed_out(self) -> None:
        self._fail(f"timed out after {self._timeout_s:g} s while {self._doing}")

    def _fail(self, reason: str) -> None:
        if self.report.failure is None:
            self.report.failure = reason
        self._end(1)

    def _finish(self) -> None:
        if self.screenshot:
            if not self.window.grab().save(self.screenshot):
                return self._fail(f"could not write the screenshot {self.screenshot}")
            self.report.steps.append(f"screenshot {self.screenshot}")
        self._end(0)

    def _end(self, code: int) -> None:
        self._timer.stop()
        self.app.exit(code)


def _work_problem(work: object, domain: Domain) -> str | None:
    """Why a generated work is not a real one, or None."""
    if domain is Domain.MELODY:
        melody = getattr(work, "melody", None)
        if melody is None or not melody.notes:
            return "the generated melody has no notes"
        return None
    shape = tuple(getattr(getattr(work, "image", None), "shape", ()))
    if len(shape) != 3 or shape[2] != 3 or min(shape[:2]) < 16:
        return f"the generated painting is not an RGB image of at least 16 x 16 pixels (shape {shape})"
    return None


def process_started_at() -> float:
    """When this process began, as a ``time.time()`` stamp: read from /proc on Linux (to 10 ms),
    else the moment this module was imported."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat, open("/proc/uptime", encoding="ascii") as up:
            started_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])  # field 22, starttime
            uptime = float(up.read().split()[0])
        return time.time() - (uptime - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return _IMPORTED_AT


def run(domains: Sequence[Domain] = DOMAINS, timeout_s: float = DEFAULT_TIMEOUT_S,
        screenshot: str | None = None, t0: float | None = None) -> int:
    """Run the smoke test in this process and print its line; the exit status (0 passed, 1 failed).

    ``t0`` (a ``time.time()`` stamp, default ``STUDIO_T0`` or the process's start) is when the
    launch began, for the "window shown in" figure."""
    start = t0 if t0 is not None else float(os.environ.get("STUDIO_T0") or process_started_at())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0] if sys.argv else "studio"])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    with tempfile.TemporaryDirectory(prefix="studio-smoke-") as state:
        settings = QSettings(str(Path(state) / "settings.ini"), QSettings.Format.IniFormat)
        translators = Translators()
        wanted = resolve(saved_choice(settings))  # the system's language: nothing is saved in a fresh state
        language = setup_language(app, settings, translators)
        if language != wanted:
            print(f"smoke-test failed: the {wanted} translation did not load (is studio/ui/translations/"
                  f"studio_{wanted}.qm built? python -m studio.ui.i18n build)", flush=True)
            return 1
        window = MainWindow(prompts=ScriptedPrompts(), settings=settings,
                            recovery=RecoveryStore(Path(state) / "recovery"))
        smoke = SmokeRun(window, app, domains, timeout_s, screenshot)
        window.show()
        smoke.report.window_shown_s = time.time() - start
        smoke.report.steps.append(f"language {language}")
        QTimer.singleShot(0, smoke.start)
        try:
            code = app.exec()
        finally:
            window.runner.shutdown()
        print(smoke.report.line(), flush=True)
        window.deleteLater()
    return code if smoke.report.failure is None else 1
