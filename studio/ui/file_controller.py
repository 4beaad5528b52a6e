"""The File commands: new, open, save, recent files, import, export and the demo samples.

:class:`FileController` receives what it uses (the project session, the task runner, the
prompts, the settings, the selection and a :class:`~studio.ui.feedback.Messages` sink) and
asks before unsaved work is lost. Imports run in the runner; their samples land as ONE
undoable command, so the project is never half-imported.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from studio import engine
from studio.core.samples import Domain, Sample
from studio.core.works import Work
from studio.errors import MixedDomainError, ProjectError, StudioError
from studio.io.project_file import SUFFIX as PROJECT_SUFFIX
from studio.progress import Progress
from studio.tasks import TaskHandle, TaskRunner
from studio.ui import settings as keys
from studio.ui.commands import ImportSamplesCommand
from studio.ui.dialogs import Prompts, suggested_project_path
from studio.ui.exporting import export_items
from studio.ui.feedback import Messages
from studio.ui.i18n import domain_plural, domain_singular
from studio.ui.selection import Selection
from studio.ui.session import ProjectSession


@dataclass(frozen=True)
class _Import:
    paths: tuple[str, ...]
    mark_clean: bool  # the project was empty and unmodified: its result is the new baseline


def _import_task(paths: tuple[str, ...], domain: Domain | None, progress: Progress) -> engine.ImportReport:
    return engine.import_samples(paths, progress, domain)


class FileController(QObject):
    """See the module docstring. ``panel_settings`` gives the panels' settings to save with the
    project (``{"adaptation": {...}, "melody": {...}, ...}``); ``parent`` is the dialogs' parent."""

    def __init__(self, session: ProjectSession, runner: TaskRunner, prompts: Prompts, settings: QSettings,
                 selection: Selection, messages: Messages, parent: QWidget,
                 panel_settings: Callable[[], dict[str, dict[str, Any]]] = dict) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.prompts = prompts
        self.settings = settings
        self.recent = keys.RecentFiles(settings)
        self.selection = selection
        self.messages = messages
        self._parent = parent
        self._panel_settings = panel_settings
        self._imports: dict[TaskHandle, _Import] = {}  # import tasks not yet ended
        session.sig_project_replaced.connect(self._forget_imports)

    def _last_dir(self) -> str:
        return str(self.settings.value(keys.KEY_LAST_DIR, str(Path.home())))

    def _remember(self, path: str) -> None:
        self.recent.add(path)
        self.settings.setValue(keys.KEY_LAST_DIR, str(Path(path).parent))

    # -- projects ----------------------------------------------------------------------------------

    def confirm_discard_changes(self) -> bool:
        """True when the current project may be closed: saved, discarded, or unmodified."""
        if not self.session.is_modified():
            return True
        answer = self.prompts.confirm_unsaved(self._parent, self.session.display_name())
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_project(self) -> bool:
        if not self.confirm_discard_changes():
            return False
        self.runner.cancel()
        self.session.new()
        self.messages.show_message(self.tr("New project."), 5000)
        return True

    def open_project_dialog(self) -> None:
        if not self.confirm_discard_changes():
            return
        path = self.prompts.open_project_path(self._parent, self._last_dir())
        if path:
            self.open_path(path, confirmed=True)

    def open_path(self, path: str, confirmed: bool = False) -> bool:
        """Open ``path``; on failure show why and leave the current project untouched."""
        if not confirmed and not self.confirm_discard_changes():
            return False
        self.runner.cancel()
        return self._file_step(path, self.session.open, self.tr("Could not open the project"),
                               self.tr("The project could not be opened: {reason}"), self.tr("Opened {path}"))

    def save(self) -> bool:
        return self.save_to(self.session.path) if self.session.path else self.save_as()

    def save_as(self) -> bool:
        suggestion = self.session.path or suggested_project_path(self._last_dir(), self.session.display_name())
        path = self.prompts.save_project_path(self._parent, suggestion)
        return self.save_to(path) if path else False

    def save_to(self, path: str) -> bool:
        self.session.project.settings.update(self._panel_settings())
        return self._file_step(path, self.session.save, self.tr("Could not save the project"),
                               self.tr("The project was not saved: {reason}"), self.tr("Saved {path}"))

    def _file_step(self, path: str, step: Callable[[str], None], title: str, failed: str, done: str) -> bool:
        """Open or save ``path`` with ``step``: on a ProjectError show why (``failed`` with its
        {reason}) and return False, else remember the path in the recent list and say ``done``
        (with its {path})."""
        try:
            step(path)
        except ProjectError as exc:
            self.messages.show_problems(title, failed.format(reason=exc.reason), [(exc.path or str(path), exc.reason)])
            return False
        self._remember(path)
        self.messages.show_message(done.format(path=path), 5000)
        return True

    @Slot()
    def _forget_imports(self) -> None:
        self._imports.clear()  # their results belong to the project just closed

    def fill_recent_menu(self, menu: QMenu) -> None:
        """List the recent projects in ``menu`` (before it shows)."""
        menu.clear()
        paths = self.recent.paths()
        for path in paths:
            action = QAction(Path(path).name, menu)
            action.setToolTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
            menu.addAction(action)
        if not paths:
            menu.addAction(self.tr("No recent projects")).setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction(self.tr("Clear Recent")).triggered.connect(lambda _checked=False: self.recent.clear())

    # -- importing -----------------------------------------------------------------------------------

    def import_paths(self, paths: Sequence[str | Path], mark_clean: bool = False) -> TaskHandle:
        """Import files and folders in the worker; their samples arrive as one undoable command.

        A new task cancels the running one, so an import still running is folded into this
        one rather than lost (dropping two batches quickly imports both).
        """
        running = list(self._imports.values())
        self._imports.clear()  # superseded: their cancellation is not news to the user
        merged = tuple(dict.fromkeys([p for job in running for p in job.paths] + [str(p) for p in paths]))
        mark_clean = mark_clean and all(job.mark_clean for job in running)
        label = (self.tr("Importing {name}").format(name=Path(merged[0]).name) if len(merged) == 1
                 else self.tr("Importing {n} items").format(n=len(merged)))
        handle = self.runner.start(label, functools.partial(_import_task, merged, self.session.project.domain))
        self._imports[handle] = _Import(merged, mark_clean)
        handle.connect_outcomes(self._import_partial, self._import_finished, self._import_cancelled,
                                self._import_failed)
        self.messages.show_message(f"{label}\u2026")
        return handle

    def files_dropped(self, paths: list[str]) -> None:
        """A dropped project file opens (after asking about unsaved changes); anything else imports."""
        if len(paths) == 1 and str(paths[0]).lower().endswith(PROJECT_SUFFIX) and Path(paths[0]).is_file():
            self.open_path(str(paths[0]))
        else:
            self.import_paths(paths)

    def is_importing(self, handle: TaskHandle | None = None) -> bool:
        """Whether import ``handle`` (or any import) has yet to end and be applied."""
        return bool(self._imports) if handle is None else handle in self._imports

    def import_dialog(self) -> None:
        paths = self.prompts.import_paths(self._parent, self._last_dir())
        if paths:
            self.settings.setValue(keys.KEY_LAST_DIR, str(Path(paths[0]).parent))
            self.import_paths(paths)

    def _import_partial(self, handle: TaskHandle, result: object) -> None:
        if handle in self._imports and isinstance(result, Sample):
            self.messages.show_message(self.tr("Read {name}\u2026").format(name=result.name))

    def _import_finished(self, handle: TaskHandle, result: object) -> None:
        job = self._imports.pop(handle, None)
        if job is not None and isinstance(result, engine.ImportReport):
            self._finish_import(result, job.mark_clean)

    def _import_cancelled(self, handle: TaskHandle) -> None:
        if self._imports.pop(handle, None) is not None:
            self.messages.show_message(self.tr("Import cancelled; no samples were added."), 10000)

    def _import_failed(self, handle: TaskHandle, message: str, details: str) -> None:  # noqa: ARG002
        self._imports.pop(handle, None)  # the failure itself is shown by the one place for task failures

    def _pick_from_books(self, report: engine.ImportReport) -> engine.ImportReport:
        """The report without the tunes left unticked in the picker of each book of over
        :data:`~studio.ui.tune_picker.PICK_ABOVE` tunes (a cancelled picker imports none of its book)."""
        from studio.ui.tune_picker import PICK_ABOVE

        books: dict[str, list[Sample]] = {}
        for sample in report.samples:
            books.setdefault(sample.path, []).append(sample)
        dropped: set[int] = set()
        for path, tunes in books.items():
            if len(tunes) > PICK_ABOVE:
                kept = {id(s) for s in self.prompts.pick_tunes(self._parent, path, tunes) or []}
                dropped.update(id(s) for s in tunes if id(s) not in kept)
        if not dropped:
            return report
        return replace(report, samples=tuple(s for s in report.samples if id(s) not in dropped))

    def _finish_import(self, report: engine.ImportReport, mark_clean: bool) -> None:
        report = self._pick_from_books(report)
        model = self.session.sample_model
        seen = {s.digest: s for s in model.sample_set}
        domain = model.sample_set.domain
        accepted: list[Sample] = []
        problems: list[StudioError] = list(report.errors)
        for sample in report.samples:
            if sample.digest in seen:
                problems.append(StudioError(self.tr("same content as \u201c{name}\u201d, already in this project; "
                                                    "skipped").format(name=seen[sample.digest].name), sample.path))
                continue
            if domain is not None and sample.domain is not domain:  # the set changed while importing
                problems.append(MixedDomainError(
                    self.tr("is a {kind}, but this set holds {held}; paintings and melodies are never mixed in "
                            "one set (File > New starts a new project)").format(
                        kind=domain_singular(sample.domain), held=domain_plural(domain)), sample.path))
                continue
            domain = domain or sample.domain
            seen[sample.digest] = sample
            accepted.append(sample)
        was_clean = not self.session.is_modified()
        if accepted:
            self.session.push(ImportSamplesCommand(model, accepted))
            if mark_clean and was_clean:
                self.session.mark_clean()
        message = (self.tr("Imported 1 sample") if len(accepted) == 1
                   else self.tr("Imported {n} samples").format(n=len(accepted)))
        if problems:
            message += (self.tr("; 1 file not imported (see the list)") if len(problems) == 1
                        else self.tr("; {n} files not imported (see the list)").format(n=len(problems)))
        if report.skipped:
            message += (self.tr("; ignored 1 other file in folders") if len(report.skipped) == 1
                        else self.tr("; ignored {n} other files in folders").format(n=len(report.skipped)))
        self.messages.show_message(message, 15000)
        if problems:
            self._show_import_problems(problems, len(accepted))

    def _show_import_problems(self, problems: list[StudioError], imported: int) -> None:
        mixed = [p for p in problems if isinstance(p, MixedDomainError)]
        parts = []
        if mixed:
            names = html.escape(", ".join(Path(p.path or "?").name for p in mixed))
            kind = self.session.project.domain
            held = (self.tr("This project holds {kind}").format(kind=domain_plural(kind)) if kind
                    else self.tr("The first file fixed this import's kind"))
            refused = (self.tr("1 file was refused: {names}").format(names=names) if len(mixed) == 1
                       else self.tr("{n} files were refused: {names}").format(n=len(mixed), names=names))
            parts.append(self.tr("<b>Paintings and melodies cannot be mixed in one project.</b> {held}, so "
                                 "{refused}. Start a new project (File > New) to work with them.").format(
                held=held, refused=refused))
        others = len(problems) - len(mixed)
        if others:
            parts.append(self.tr("1 file could not be imported; the reasons are below.") if others == 1
                         else self.tr("{n} files could not be imported; the reasons are below.").format(n=others))
        parts.append(self.tr("1 sample imported.") if imported == 1
                     else self.tr("{n} samples imported.").format(n=imported))
        self.messages.show_problems(self.tr("Import problems"), "<br><br>".join(parts),
                                    [(p.path or "", p.reason) for p in problems], rich=True)

    # -- export ----------------------------------------------------------------------------------------

    def export_selection(self) -> tuple[list[Sample], list[Work]]:
        """(selected samples, selected works or else the kept works): what Export writes."""
        works = self.selection.works() or self.session.gallery_model.gallery.kept()
        return self.selection.samples(), works

    def export_dialog(self) -> None:
        samples, works = self.export_selection()
        if not samples and not works:
            return
        folder = self.prompts.export_folder(self._parent, self._last_dir())
        if folder:
            self.export_to(folder)

    def export_kept_dialog(self) -> None:
        if not self.session.gallery_model.gallery.kept():
            self.messages.show_message(self.tr("Nothing is kept yet: keep works with K or their \u2713 button."), 8000)
            return
        folder = self.prompts.export_folder(self._parent, self._last_dir())
        if folder:
            self.export_to(folder, kept_only=True)

    def export_to(self, folder: str, kept_only: bool = False) -> list[Path]:
        """Write the selection (or, with ``kept_only``, every kept work) to ``folder``."""
        samples, works = ([], self.session.gallery_model.gallery.kept()) if kept_only else self.export_selection()
        written, errors = export_items(samples, works, folder)
        if errors:
            self.messages.show_problems(self.tr("Export problems"),
                                        self.tr("{n} item(s) could not be exported.").format(n=len(errors)),
                                        [(e.path or "", e.reason) for e in errors])
        self.messages.show_message(self.tr("Exported {n} file(s) to {folder}").format(n=len(written), folder=folder),
                                   10000)
        return written

    # -- demo samples ------------------------------------------------------------------------------------

    def load_demo(self, domain: Domain) -> TaskHandle | None:
        """Import the bundled demo samples of ``domain``; asks for a new project if the open one
        holds the other kind. The import's handle, or None if nothing was started."""
        paths = engine.demo_sample_paths(domain)
        if not paths:
            self.messages.show_message(self.tr("No demo {kind} are installed.").format(kind=domain_plural(domain)),
                                       10000)
            return None
        held = self.session.project.domain
        if held is not None and held is not domain:
            question = self.tr("This project holds {held}, and one project holds one kind. Start a new "
                               "project for the demo {kind}?").format(held=domain_plural(held),
                                                                      kind=domain_plural(domain))
            title = self.tr("Demo {kind}").format(kind=domain_plural(domain))
            if not self.prompts.ask_yes_no(self._parent, title, question) or \
                    not self.new_project():
                return None
        fresh = self.session.project.is_empty() and not self.session.is_modified()
        return self.import_paths(paths, mark_clean=fresh)
