"""The studio's main window: sample bin, gallery, inspector and adaptation docks, menus.

Long work (imports) runs in the :class:`~studio.tasks.TaskRunner`; its results land as ONE
undoable command, so the project is never half-imported. Every failure, from a worker or a
file operation, is shown in one place: the status bar plus the non-modal problems dialog.
Questions that block (unsaved changes, file choosers) go through :class:`~studio.ui.dialogs.Prompts`.
Adaptation, generation and refinement are the :class:`~studio.ui.generation.GenerationController`'s;
the Melody or the Painting dock (and the Paintings menu) shows for the project's kind of samples;
melody playback is the :class:`~studio.ui.audio.Player`'s (its playhead drives the inspector's
piano roll and the playing gallery card).
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QWidget

from studio import engine
from studio.core.samples import Domain, Sample
from studio.core.works import Work
from studio.errors import MixedDomainError, ProjectError, StudioError
from studio.io.project_file import SUFFIX as PROJECT_SUFFIX
from studio.io.recovery import RecoveryStore, default_recovery_dir
from studio.progress import Progress
from studio.tasks import TaskRunner
from studio.ui import settings as keys
from studio.ui.actions import build_actions
from studio.ui.audio import Player
from studio.ui.commands import ImportSamplesCommand
from studio.ui.dialogs import ErrorListDialog, Prompts
from studio.ui.panels.adaptation_panel import AdaptationPanel
from studio.ui.panels.gallery_panel import GalleryPanel
from studio.ui.generation import GenerationController
from studio.ui.panels.inspector import InspectorPanel
from studio.ui.panels.melody_controls import MelodyControlsPanel
from studio.ui.panels.painting_controls import PaintingControlsPanel
from studio.ui.painting_actions import PaintingActions, build_painting_actions
from studio.ui.panels.sample_bin import SampleBin, local_paths
from studio.ui.session import ProjectSession
from studio.ui.window_edit import EditCommands
from studio.ui.window_files import FileCommands
from studio.ui.window_play import PlaybackCommands

APP_TITLE = "Meta-Creation Studio"
DEFAULT_THUMB = 80


def _scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area: a controls panel keeps its height in a short dock."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll


@dataclass(frozen=True)
class _Import:
    paths: tuple[str, ...]
    mark_clean: bool  # the project was empty and unmodified: its result is the new baseline


def _import_task(paths: tuple[str, ...], domain: Domain | None, progress: Progress) -> engine.ImportReport:
    return engine.import_samples(paths, progress, domain)


class MainWindow(FileCommands, EditCommands, PlaybackCommands, QMainWindow):
    """See the module docstring. The owner calls ``runner.shutdown()`` after the event loop."""

    def __init__(self, runner: TaskRunner | None = None, prompts: Prompts | None = None,
                 settings: QSettings | None = None, recovery: RecoveryStore | None = None,
                 player: Player | None = None) -> None:
        super().__init__()
        self.runner = runner if runner is not None else TaskRunner(self)
        self.player = player if player is not None else Player(self)
        self.prompts = prompts or Prompts()
        self.settings = settings if settings is not None else keys.make_settings()
        self.recent = keys.RecentFiles(self.settings)
        self.session = ProjectSession(recovery or RecoveryStore(default_recovery_dir()), self)
        self._imports: dict[int, _Import] = {}  # import tasks not yet ended
        self._error_dialog: ErrorListDialog | None = None
        self._thumb_size = keys.int_setting(self.settings, keys.KEY_THUMB_SIZE, DEFAULT_THUMB)
        self.setAcceptDrops(True)
        self.setObjectName("MainWindow")
        self._build_panels()
        self.actions = build_actions(self)
        self.painting_actions: PaintingActions = build_painting_actions(self)
        self._wire()
        self.generation = GenerationController(self)
        self._wire_melody()
        self._restore_window_state()
        self.zoom(0)
        self._refresh_title()
        self._refresh_actions()
        self.statusBar().showMessage("Drop paintings or MIDI melodies on the window to begin.")

    # -- construction ----------------------------------------------------------------------------

    def _build_panels(self) -> None:
        s = self.session
        self.gallery_panel = GalleryPanel(s.gallery_model)
        self.setCentralWidget(self.gallery_panel)
        self.sample_bin = SampleBin(s.sample_model)
        self.adaptation_panel = AdaptationPanel(self.runner)
        self.inspector = InspectorPanel()
        self.melody_controls = MelodyControlsPanel()
        self.painting_controls = PaintingControlsPanel()
        self._docks = [
            self._dock("Samples", self.sample_bin, Qt.DockWidgetArea.LeftDockWidgetArea),
            self._dock("Adaptation", self.adaptation_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            self._dock("Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea),
            self._dock("Melody", _scrolled(self.melody_controls), Qt.DockWidgetArea.RightDockWidgetArea),
            self._dock("Painting", _scrolled(self.painting_controls), Qt.DockWidgetArea.RightDockWidgetArea),
        ]
        self.tabifyDockWidget(self._docks[3], self._docks[4])  # one of the two shows, by the project's kind
        self.resizeDocks(self._docks[:1] + self._docks[2:3], [300, 380], Qt.Orientation.Horizontal)
        self.resizeDocks(self._docks[:2], [420, 320], Qt.Orientation.Vertical)
        self.resizeDocks(self._docks[2:4], [400, 380], Qt.Orientation.Vertical)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower()}")
        dock.setWidget(widget)
        dock.setToolTip(f"The {title.lower()} panel (View menu shows or hides it)")
        self.addDockWidget(area, dock)
        return dock

    def docks(self) -> list[QDockWidget]:
        return list(self._docks)

    def selected_works(self) -> list[Work]:
        model = self.session.gallery_model
        return [model.work_at(r) for r in self.gallery_panel.selected_rows()]

    def selected_samples(self) -> list[Sample]:
        model = self.session.sample_model
        return [model.sample_at(r) for r in self.sample_bin.selected_rows()]

    def _wire(self) -> None:
        a, s = self.actions, self.session
        self.sample_bin.set_actions([a.import_, a.delete, a.move_up, a.move_down],
                                    [a.import_, a.delete, a.move_up, a.move_down, a.select_all, a.export])
        self.gallery_panel.set_actions([a.play, a.keep, a.reject, a.remove_works, a.export],
                                       [a.play, a.keep, a.reject, a.remove_works, a.export, a.export_kept])
        for action in (a.keep, a.reject, a.play):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.gallery_panel.addAction(action)
        self.inspector.addAction(a.play)
        self.sample_bin.view.sig_files_dropped.connect(self.files_dropped)
        self.sample_bin.view.sig_rows_dropped.connect(self._move_rows_to)
        self.sample_bin.view.selectionModel().selectionChanged.connect(self._sample_selection_changed)
        self.gallery_panel.view.selectionModel().selectionChanged.connect(self._work_selection_changed)
        for model in (s.sample_model, s.gallery_model):
            for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
                signal.connect(self._contents_changed)
        s.gallery_model.dataChanged.connect(self._contents_changed)
        s.sig_modified_changed.connect(self._refresh_title)
        s.sig_project_replaced.connect(self._project_replaced)
        s.sig_autosave_failed.connect(lambda text: self.statusBar().showMessage(f"Autosave failed: {text}", 10000))
        r = self.runner
        r.sig_partial.connect(self._on_task_partial)
        r.sig_finished.connect(self._on_task_finished)
        r.sig_cancelled.connect(self._on_task_cancelled)
        r.sig_failed.connect(self._on_task_failed)

    def _wire_melody(self) -> None:
        self.gallery_panel.sig_card_action.connect(self._card_action)
        self.gallery_panel.view.sig_drag_failed.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.inspector.sig_play_requested.connect(self.play_selected)
        self.inspector.sig_tempo_changed.connect(self.player.set_tempo_scale)
        self.inspector.sig_bars_selected.connect(lambda _bars: self.generation.refresh())
        self.inspector.sig_mask_changed.connect(lambda _any: self.generation.refresh())
        # one variation closeness, shown in the painting controls and in the inspector
        self.inspector.closeness.setValue(self.painting_controls.closeness.value())
        self.inspector.closeness.valueChanged.connect(self.painting_controls.closeness.setValue)
        self.painting_controls.closeness.valueChanged.connect(self.inspector.closeness.setValue)
        self.player.sig_notice.connect(self._audio_notice)
        self.player.sig_playing_changed.connect(self._playing_changed)
        self.player.sig_position.connect(self._play_position)
        self.generation.refresh()

    # -- start-up ----------------------------------------------------------------------------------

    def startup(self, project_path: str | None = None, demo: bool = True) -> None:
        """After show: offer a crashed session's work, then open ``project_path`` or, on the very
        first launch, the demo paintings."""
        first_launch = not keys.bool_setting(self.settings, keys.KEY_DEMO_OFFERED)
        self.settings.setValue(keys.KEY_DEMO_OFFERED, True)
        try:
            if self.session.restore_pending(lambda info: self.prompts.ask_restore(self, info)):
                self.statusBar().showMessage("Restored the autosaved project; save it to keep it.")
                return
        except ProjectError as exc:
            self.show_problems("Restore failed", f"The autosave could not be restored: {exc.reason}",
                               [(exc.path or "", exc.reason)])
            self.session.recovery.discard()
        if project_path:
            self.open_path(project_path)
        elif demo and first_launch:
            self.load_demo(Domain.PAINTING)

    # -- importing -----------------------------------------------------------------------------------

    @Slot(list)
    def import_paths(self, paths: list[str], mark_clean: bool = False) -> int:
        """Import files and folders in the worker; their samples arrive as one undoable command.

        A new task cancels the running one, so an import still running is folded into this
        one rather than lost (dropping two batches quickly imports both).
        """
        paths = [str(p) for p in paths]
        running = list(self._imports.values())
        self._imports.clear()  # superseded: their cancellation is not news to the user
        merged = tuple(dict.fromkeys([p for job in running for p in job.paths] + paths))
        mark_clean = mark_clean and all(job.mark_clean for job in running)
        label = f"Importing {Path(merged[0]).name}" if len(merged) == 1 else f"Importing {len(merged)} items"
        task_id = self.runner.start(label, functools.partial(_import_task, merged, self.session.project.domain))
        self._imports[task_id] = _Import(merged, mark_clean)
        self.statusBar().showMessage(f"{label}\u2026")
        return task_id

    @Slot(list)
    def files_dropped(self, paths: list[str]) -> None:
        """A dropped project file opens (after asking about unsaved changes); anything else imports."""
        if len(paths) == 1 and str(paths[0]).lower().endswith(PROJECT_SUFFIX) and Path(paths[0]).is_file():
            self.open_path(str(paths[0]))
        else:
            self.import_paths(paths)

    def is_importing(self, task_id: int | None = None) -> bool:
        """Whether import ``task_id`` (or any import) has yet to end and be applied."""
        return bool(self._imports) if task_id is None else task_id in self._imports

    def import_dialog(self) -> None:
        paths = self.prompts.import_paths(self, str(self.settings.value(keys.KEY_LAST_DIR, str(Path.home()))))
        if paths:
            self.settings.setValue(keys.KEY_LAST_DIR, str(Path(paths[0]).parent))
            self.import_paths(paths)

    def _finish_import(self, report: engine.ImportReport, mark_clean: bool) -> None:
        model = self.session.sample_model
        seen = {s.digest: s for s in model.sample_set}
        domain = model.sample_set.domain
        accepted: list[Sample] = []
        problems: list[StudioError] = list(report.errors)
        for sample in report.samples:
            if sample.digest in seen:
                problems.append(StudioError(f"same content as \u201c{seen[sample.digest].name}\u201d, "
                                            "already in this project; skipped", sample.path))
                continue
            if domain is not None and sample.domain is not domain:  # the set changed while importing
                problems.append(MixedDomainError(
                    f"is a {sample.domain.value}, but this set holds {domain.plural}; paintings and "
                    "melodies are never mixed in one set (File > New starts a new project)", sample.path))
                continue
            domain = domain or sample.domain
            seen[sample.digest] = sample
            accepted.append(sample)
        was_clean = not self.session.is_modified()
        if accepted:
            self.session.push(ImportSamplesCommand(model, accepted))
            if mark_clean and was_clean:
                self.session.mark_clean()
        message = f"Imported {len(accepted)} sample{'s' if len(accepted) != 1 else ''}"
        if problems:
            message += f"; {len(problems)} file{'s' if len(problems) != 1 else ''} not imported (see the list)"
        if report.skipped:
            message += f"; ignored {len(report.skipped)} other file{'s' if len(report.skipped) != 1 else ''} in folders"
        self.statusBar().showMessage(message, 15000)
        if problems:
            self._show_import_problems(problems, len(accepted))

    def _show_import_problems(self, problems: list[StudioError], imported: int) -> None:
        mixed = [p for p in problems if isinstance(p, MixedDomainError)]
        parts = []
        if mixed:
            names = html.escape(", ".join(Path(p.path or "?").name for p in mixed))
            kind = self.session.project.domain
            held = f"This project holds {kind.plural}" if kind else "The first file fixed this import's kind"
            parts.append(f"<b>Paintings and melodies cannot be mixed in one project.</b> {held}, so "
                         f"{len(mixed)} file{'s were' if len(mixed) != 1 else ' was'} refused: {names}. "
                         "Start a new project (File > New) to work with them.")
        others = len(problems) - len(mixed)
        if others:
            parts.append(f"{others} file{'s' if others != 1 else ''} could not be imported; the reasons are below.")
        parts.append(f"{imported} sample{'s' if imported != 1 else ''} imported.")
        self.show_problems("Import problems", "<br><br>".join(parts),
                           [(p.path or "", p.reason) for p in problems], rich=True)

    # -- one place for problems --------------------------------------------------------------------

    @property
    def error_dialog(self) -> ErrorListDialog:
        if self._error_dialog is None:
            self._error_dialog = ErrorListDialog(self)
        return self._error_dialog

    def show_problems(self, title: str, summary: str, rows: list[tuple[str, str]], details: str = "",
                      rich: bool = False) -> None:
        """Status bar + the non-modal problems dialog: where every failure is reported."""
        self.statusBar().showMessage(f"{title}: see the problems window", 15000)
        self.error_dialog.show_problems(title, summary, rows, details, rich)

    # -- task results (runner signals, main thread) ---------------------------------------------------

    @Slot(int, object)
    def _on_task_partial(self, task_id: int, result: object) -> None:
        if task_id in self._imports and isinstance(result, Sample):
            self.statusBar().showMessage(f"Read {result.name}\u2026")

    @Slot(int, object)
    def _on_task_finished(self, task_id: int, result: object) -> None:
        if task_id in self._imports and isinstance(result, engine.ImportReport):
            self._finish_import(result, self._imports.pop(task_id).mark_clean)

    @Slot(int)
    def _on_task_cancelled(self, task_id: int) -> None:
        if self._imports.pop(task_id, None) is not None:
            self.statusBar().showMessage("Import cancelled; no samples were added.", 10000)

    @Slot(int, str, str)
    def _on_task_failed(self, task_id: int, message: str, details: str) -> None:
        if self.generation.owns(task_id):
            return  # the generation controller reports its own tasks' failures
        what = "Import" if self._imports.pop(task_id, None) is not None else "Task"
        self.show_problems(f"{what} failed", f"{what} failed: {message}", [], details)

    # -- window state ---------------------------------------------------------------------------------

    def _refresh_title(self, *_: object) -> None:
        self.setWindowTitle(f"{self.session.display_name()}[*] \u2014 {APP_TITLE}")
        self.setWindowModified(self.session.is_modified())

    def _refresh_actions(self) -> None:
        a = self.actions
        has_samples = bool(self.sample_bin.selected_rows())
        has_works = bool(self.gallery_panel.selected_rows())
        for action in (a.move_up, a.move_down):
            action.setEnabled(has_samples)
        for action in (a.keep, a.reject, a.remove_works):
            action.setEnabled(has_works)
        a.delete.setEnabled(has_samples or has_works)
        samples, works = self.export_selection()
        a.export.setEnabled(bool(samples or works))
        a.export_kept.setEnabled(bool(self.session.gallery_model.gallery.kept()))
        a.play.setEnabled(self.inspector.current_melody() is not None)

    def _contents_changed(self, *_: object) -> None:
        domain = self.session.project.domain
        self.adaptation_panel.set_domain(domain)
        if domain is not None and domain is not getattr(self, "_shown_domain", None):
            self._shown_domain = domain  # the Melody panel is of no use to a paintings project, and so on
            engine.preload(domain)  # torch and the weights load while the user looks at the samples
            self._docks[3].setVisible(domain is Domain.MELODY)
            self._docks[4].setVisible(domain is Domain.PAINTING)
            self._docks[3 if domain is Domain.MELODY else 4].raise_()
        self.painting_actions.menu.menuAction().setVisible(domain is not Domain.MELODY)
        self._refresh_actions()
        rows = self.gallery_panel.selected_rows()
        if not self.sample_bin.selected_rows() and not rows:
            self.inspector.show_nothing()
        elif rows and self.inspector.current_work() is not None:
            work = self.session.gallery_model.work_at(rows[0])
            if work != self.inspector.current_work() or work.melody is not self.inspector.current_work().melody:
                self.inspector.show_work(work)  # e.g. kept, or its bars regenerated in place
        self.gallery_panel.view.set_empty_hint(self._gallery_hint())
        self.generation.refresh()

    def refresh_painting_actions(self, reasons: dict[str, str | None]) -> None:
        """Enable the Paintings menu's actions as the controller's ``reasons`` say."""
        self.painting_actions.set_availability(reasons)
        has_picture = self.inspector.preview.source() is not None
        self.painting_actions.fit.setEnabled(has_picture)
        self.painting_actions.brush.setEnabled(self.inspector.brush_button.isEnabled())
        self.painting_actions.clear_mask.setEnabled(self.inspector.has_mask())

    def show_shortcuts(self):
        """The shortcuts dialog, with the Paintings menu's actions too."""
        from studio.ui.dialogs import ShortcutsDialog

        dialog = ShortcutsDialog(self.actions.all() + self.painting_actions.all(), self)
        dialog.show()
        return dialog

    def _gallery_hint(self) -> str:
        from studio.ui.panels.gallery_panel import empty_hint

        return empty_hint(self.session.project.domain, [d for d in Domain if engine.generator_available(d)])

    def _project_replaced(self) -> None:
        self._imports.clear()
        self.player.stop()
        self.generation.project_replaced()
        self.adaptation_panel.apply_settings(self.session.project.settings.get("adaptation") or {})
        self._contents_changed()
        self._refresh_title()

    def _restore_window_state(self) -> None:
        geometry = self.settings.value(keys.KEY_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 780)
        state = self.settings.value(keys.KEY_STATE)
        if state is not None:
            self.restoreState(state)

    def save_window_state(self) -> None:
        self.settings.setValue(keys.KEY_GEOMETRY, self.saveGeometry())
        self.settings.setValue(keys.KEY_STATE, self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard_changes():
            event.ignore()
            return
        self.runner.cancel()
        self.player.stop()
        self.player.set_midi_output(None)  # closes the port
        self.gallery_panel.view.drag_folder.cleanup()
        self.save_window_state()
        self.session.finish()
        if self._error_dialog is not None:
            self._error_dialog.close()
        event.accept()

    # -- files dropped anywhere on the window --------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.source() is self.gallery_panel.view:
            event.ignore()  # a card dragged out and back: not an import (the sample bin takes it)
        elif local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.files_dropped(paths)
        else:
            event.ignore()
