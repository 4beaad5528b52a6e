"""The studio's main window: builds the panels, docks and menus, and the controllers that do the work.

The window itself only lays things out and wires them: the
:class:`~studio.ui.file_controller.FileController` (new, open, save, import, export, demo),
:class:`~studio.ui.edit_controller.EditController` (delete, reorder, keep / reject, zoom),
:class:`~studio.ui.playback_controller.PlaybackController` (play, MIDI ports, recording) and
:class:`~studio.ui.generation.GenerationController` (adapt, generate, refine) and
:class:`~studio.ui.taste_controller.TasteController` (the Taste panel, taste order and marks,
explanations, "Let the studio choose") each receive what
they use: the :class:`~studio.ui.session.ProjectSession`, the :class:`~studio.tasks.TaskRunner`,
the :class:`~studio.ui.selection.Selection`, the panels they read, the
:class:`~studio.ui.dialogs.Prompts` for questions that block, and the
:class:`~studio.ui.feedback.Feedback` (status bar plus the non-modal problems dialog), which is
also the one place every task failure is shown. The Melody or the Painting dock (and the
Paintings menu) shows for the project's kind of samples; the inspector follows the most recent
selection.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QSettings, Qt, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QScrollArea, QWidget

from studio import engine
from studio.core.samples import Domain
from studio.errors import ProjectError
from studio.io.recovery import RecoveryStore, default_recovery_dir
from studio.tasks import TaskRunner
from studio.ui import settings as keys
from studio.ui.actions import Actions, build_actions
from studio.ui.audio import Player
from studio.ui import accessibility, focus
from studio.ui.dialogs import Prompts
from studio.ui.edit_controller import EditController
from studio.ui.feedback import Feedback
from studio.ui.file_controller import FileController
from studio.ui.generation import GenerationController
from studio.ui.help_dialog import GettingStartedDialog, show_at_start
from studio.ui.melody_actions import MelodyActions, build_melody_actions
from studio.ui.painting_actions import PaintingActions, build_painting_actions
from studio.ui.panels.adaptation_panel import AdaptationPanel
from studio.ui.panels.gallery_panel import GalleryPanel, empty_hint
from studio.ui.panels.inspector import InspectorPanel
from studio.ui.panels.melody_controls import MelodyControlsPanel
from studio.ui.panels.painting_controls import PaintingControlsPanel
from studio.ui.panels.sample_bin import SampleBin, local_paths
from studio.ui.panels.taste_panel import TastePanel
from studio.ui.playback_controller import PlaybackController
from studio.ui.selection import Selection
from studio.ui.session import ProjectSession
from studio.ui.shortcuts_dialog import ShortcutsDialog
from studio.ui.taste_actions import TasteActions, build_taste_actions
from studio.ui.taste_controller import TasteController

APP_TITLE = "Meta-Creation Studio"  # the window shows MainWindow.tr(APP_TITLE)


def _scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area: a controls panel keeps its height in a short dock."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll


class MainWindow(QMainWindow):
    """See the module docstring. The owner calls ``runner.shutdown()`` after the event loop."""

    def __init__(self, runner: TaskRunner | None = None, prompts: Prompts | None = None,
                 settings: QSettings | None = None, recovery: RecoveryStore | None = None,
                 player: Player | None = None) -> None:
        super().__init__()
        self.runner = runner if runner is not None else TaskRunner(self)
        self.player = player if player is not None else Player(self)
        self.prompts = prompts or Prompts()
        self.settings = settings if settings is not None else keys.make_settings()
        self.session = ProjectSession(recovery or RecoveryStore(default_recovery_dir()), self)
        self._shown_domain: Domain | None = None
        self.setAcceptDrops(True)
        self.setObjectName("MainWindow")
        self._build_panels()
        self.feedback = Feedback(self.statusBar(), self)
        self.runner.sig_task_added.connect(self.feedback.watch)  # the one place task failures show
        self.selection = Selection(self.sample_bin, self.gallery_panel)
        self.files = FileController(self.session, self.runner, self.prompts, self.settings, self.selection,
                                    self.feedback, self, self._panel_settings)
        self.edit = EditController(self.session, self.selection, self.settings, self)
        self.playback = PlaybackController(self.player, self.session, self.inspector, self.gallery_panel,
                                           self.feedback, self.files.import_paths, self)
        self.melody_controls.chords.play_chords.toggled.connect(self.player.set_play_chords)  # chords under melodies
        self.generation = GenerationController(self.session, self.runner, self.selection, self.melody_controls,
                                               self.painting_controls, self.inspector, self.adaptation_panel,
                                               self.feedback, self)
        self.taste = TasteController(self.session, self.taste_panel, self.gallery_panel, self.inspector,
                                     self.feedback, self, busy=self.runner)
        self.generation.set_taste(self.taste.curation_snapshot, self.taste.gallery_made)
        self.panel_focus = focus.build_panel_focus(self)  # View > Go to Panel
        self.menu_actions: Actions = build_actions(self)
        self.painting_actions: PaintingActions = build_painting_actions(self)
        self.melody_actions: MelodyActions = build_melody_actions(  # the Paintings menu's twin
            self, self.melody_controls.buttons, lambda text: self.feedback.show_message(text, 10000))
        self.menuBar().insertMenu(self.painting_actions.menu.menuAction(), self.melody_actions.menu)
        self.taste_actions: TasteActions = build_taste_actions(self)  # the Taste menu, before Help
        self._wire()
        self.focus_ring = accessibility.apply_to_window(self)  # names for screen readers, the tab chain
        self._restore_window_state()
        self.edit.zoom(0)
        self._refresh_title()
        self._refresh_actions()
        self.generation.refresh()
        self.feedback.show_message(self.tr("Drop paintings or MIDI melodies on the window to begin."))

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
        self.taste_panel = TastePanel()
        self._docks = [
            self._dock("samples", self.tr("Samples"), self.sample_bin, Qt.DockWidgetArea.LeftDockWidgetArea),
            self._dock("adaptation", self.tr("Adaptation"), _scrolled(self.adaptation_panel),
                       Qt.DockWidgetArea.LeftDockWidgetArea),  # scrolls rather than squeezing its rows
            self._dock("inspector", self.tr("Inspector"), self.inspector, Qt.DockWidgetArea.RightDockWidgetArea),
            self._dock("melody", self.tr("Melody"), _scrolled(self.melody_controls),
                       Qt.DockWidgetArea.RightDockWidgetArea),
            self._dock("painting", self.tr("Painting"), _scrolled(self.painting_controls),
                       Qt.DockWidgetArea.RightDockWidgetArea),
            self._dock("taste", self.tr("Taste"), _scrolled(self.taste_panel), Qt.DockWidgetArea.LeftDockWidgetArea),
        ]
        self.tabifyDockWidget(self._docks[3], self._docks[4])  # one of the two shows, by the project's kind
        self.resizeDocks(self._docks[:1] + self._docks[2:3], [300, 380], Qt.Orientation.Horizontal)
        self.resizeDocks([self._docks[0], self._docks[1], self._docks[5]], [300, 260, 280], Qt.Orientation.Vertical)
        self.resizeDocks(self._docks[2:4], [400, 380], Qt.Orientation.Vertical)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        """A dock named ``dock-<name>`` (saved window layouts find it in any language)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        dock.setToolTip(self.tr("The {panel} panel (View menu shows or hides it)").format(panel=title))
        self.addDockWidget(area, dock)
        return dock

    def docks(self) -> list[QDockWidget]:
        return list(self._docks)

    def _panel_settings(self) -> dict[str, dict[str, Any]]:
        """The panels' settings, saved with the project."""
        return {"adaptation": self.adaptation_panel.settings(), "melody": self.melody_controls.settings(),
                "painting": self.painting_controls.settings()}

    def _wire(self) -> None:
        a, s = self.menu_actions, self.session
        self.sample_bin.set_actions([a.import_, a.delete, a.move_up, a.move_down],
                                    [a.import_, a.delete, a.move_up, a.move_down, a.select_all, a.export])
        self.gallery_panel.set_actions([a.play, a.keep, a.reject, a.remove_works, a.export],
                                       [a.play, a.keep, a.reject, a.remove_works, a.export, a.export_kept])
        for action in (a.keep, a.reject, a.play):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.gallery_panel.addAction(action)
        self.inspector.addAction(a.play)
        self.sample_bin.view.sig_files_dropped.connect(self.files.files_dropped)
        self.sample_bin.view.sig_rows_dropped.connect(self.edit.move_rows_to)
        self.sample_bin.view.selectionModel().selectionChanged.connect(self._sample_selection_changed)
        self.gallery_panel.view.selectionModel().selectionChanged.connect(self._work_selection_changed)
        self.gallery_panel.view.sig_drag_failed.connect(lambda text: self.feedback.show_message(text, 10000))
        for model in (s.sample_model, s.gallery_model):
            for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
                signal.connect(self._contents_changed)
        s.gallery_model.dataChanged.connect(self._contents_changed)
        s.sig_modified_changed.connect(self._refresh_title)
        s.sig_project_replaced.connect(self._project_replaced)
        s.sig_autosave_failed.connect(self._autosave_failed)
        self.generation.sig_painting_reasons.connect(self.refresh_painting_actions)
        self.inspector.sig_bars_selected.connect(lambda _bars: self.generation.refresh())
        self.inspector.sig_mask_changed.connect(lambda _any: self.generation.refresh())
        # one variation closeness, shown in the painting controls and in the inspector
        self.inspector.closeness.setValue(self.painting_controls.closeness.value())
        self.inspector.closeness.valueChanged.connect(self.painting_controls.closeness.setValue)
        self.painting_controls.closeness.valueChanged.connect(self.inspector.closeness.setValue)

    # -- start-up ----------------------------------------------------------------------------------

    def startup(self, project_path: str | None = None, demo: bool = True) -> None:
        """After show: offer a crashed session's work, then open ``project_path`` or, on the very
        first launch, the demo paintings; without a project, Getting Started unless turned off."""
        first_launch = not keys.bool_setting(self.settings, keys.KEY_DEMO_OFFERED)
        self.settings.setValue(keys.KEY_DEMO_OFFERED, True)
        try:
            if self.session.restore_pending(lambda info: self.prompts.ask_restore(self, info)):
                self.feedback.show_message(self.tr("Restored the autosaved project; save it to keep it."))
                return
        except ProjectError as exc:
            self.feedback.show_problems(self.tr("Restore failed"),
                                        self.tr("The autosave could not be restored: {reason}").format(
                                            reason=exc.reason), [(exc.path or "", exc.reason)])
            self.session.recovery.discard()
        if project_path:
            self.files.open_path(project_path)
        elif demo and first_launch:
            self.files.load_demo(Domain.PAINTING)
        if not project_path and show_at_start(self.settings):
            self.show_getting_started()  # its "Show at start" box turns this off

    # -- the inspector follows the most recent selection ------------------------------------------

    @Slot(QItemSelection, QItemSelection)
    def _sample_selection_changed(self, *_: object) -> None:
        samples = self.selection.samples()
        if samples:
            self.inspector.show_sample(samples[0])
        elif not self.selection.work_rows():
            self.inspector.show_nothing()
        self._selection_shown()

    @Slot(QItemSelection, QItemSelection)
    def _work_selection_changed(self, *_: object) -> None:
        works = self.selection.works()
        if works:
            self.inspector.show_work(works[0])
            self.taste.show_explanation()
        elif not self.selection.sample_rows():
            self.inspector.show_nothing()
        self._selection_shown()

    def _selection_shown(self) -> None:
        self.inspector.set_playing(self.playback.is_playing_shown())
        self._refresh_actions()
        self.generation.refresh()

    # -- window state ---------------------------------------------------------------------------------

    def _refresh_title(self, *_: object) -> None:
        app_title = self.tr("Meta-Creation Studio")
        self.setWindowTitle(f"{self.session.display_name()}[*] \u2014 {app_title}")
        self.setWindowModified(self.session.is_modified())

    def _refresh_actions(self) -> None:
        a = self.menu_actions
        has_samples = bool(self.selection.sample_rows())
        has_works = bool(self.selection.work_rows())
        for action in (a.move_up, a.move_down):
            action.setEnabled(has_samples)
        for action in (a.keep, a.reject, a.remove_works):
            action.setEnabled(has_works)
        a.delete.setEnabled(has_samples or has_works)
        samples, works = self.files.export_selection()
        a.export.setEnabled(bool(samples or works))
        a.export_kept.setEnabled(bool(self.session.gallery_model.gallery.kept()))
        a.play.setEnabled(self.inspector.current_melody() is not None)

    def _contents_changed(self, *_: object) -> None:
        domain = self.session.project.domain
        self.adaptation_panel.set_domain(domain)
        if domain is not None and domain is not self._shown_domain:
            self._shown_domain = domain  # the Melody panel is of no use to a paintings project, and so on
            engine.preload(domain)  # torch and the weights load while the user looks at the samples
            self._docks[3].setVisible(domain is Domain.MELODY)
            self._docks[4].setVisible(domain is Domain.PAINTING)
            self._docks[3 if domain is Domain.MELODY else 4].raise_()
        self.painting_actions.menu.menuAction().setVisible(domain is not Domain.MELODY)
        self.melody_actions.menu.menuAction().setVisible(domain is Domain.MELODY)  # the same keys
        self._refresh_actions()
        rows = self.selection.work_rows()
        shown = self.inspector.current_work()
        if not self.selection.sample_rows() and not rows:
            self.inspector.show_nothing()
        elif rows and shown is not None:
            work = self.session.gallery_model.work_at(rows[0])
            if work != shown or work.melody is not shown.melody:
                self.inspector.show_work(work)  # e.g. kept, or its bars regenerated in place
        self.gallery_panel.view.set_empty_hint(self._gallery_hint())
        self.generation.refresh()

    @Slot(dict)
    def refresh_painting_actions(self, reasons: dict[str, str | None]) -> None:
        """Enable the Paintings menu's actions as the generation controller's ``reasons`` say."""
        self.painting_actions.set_availability(reasons)
        has_picture = self.inspector.preview.source() is not None
        self.painting_actions.fit.setEnabled(has_picture)
        self.painting_actions.brush.setEnabled(self.inspector.brush_button.isEnabled())
        self.painting_actions.clear_mask.setEnabled(self.inspector.has_mask())

    @Slot(str)
    def _autosave_failed(self, text: str) -> None:
        self.feedback.show_message(self.tr("Autosave failed: {reason}").format(reason=text), 10000)

    def show_about(self) -> None:
        about = self.tr(
            "<h3>Meta-Creation Studio</h3><p>Learns the style of an artist or a musician from a few "
            "works, on a laptop, with meta-learning.</p><p>Import 3\u201310 paintings or melodies; the "
            "studio analyses each one (size, palette; key, tempo, meter, range). Where a meta-trained "
            "generator for them is installed, a few gradient steps adapt it to your samples and it "
            "creates new works.</p>")
        QMessageBox.about(self, self.tr("About Meta-Creation Studio"), about)

    def show_shortcuts(self) -> ShortcutsDialog:
        """The shortcuts dialog, read from the menu bar (the Paintings menu's too, when it shows)."""
        dialog = ShortcutsDialog(self.menuBar(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_getting_started(self) -> GettingStartedDialog:
        """Help > Getting Started: the two workflows with screenshots (not modal)."""
        dialog = GettingStartedDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _gallery_hint(self) -> str:
        return empty_hint(self.session.project.domain, [d for d in Domain if engine.generator_available(d)])

    def _project_replaced(self) -> None:
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
        if not self.files.confirm_discard_changes():
            event.ignore()
            return
        self.runner.cancel()
        self.taste.shutdown()
        self.playback.stop()
        self.gallery_panel.view.drag_folder.cleanup()
        self.save_window_state()
        self.session.finish()
        self.feedback.close()
        event.accept()

    # -- files dropped anywhere on the window --------------------------------------------------------

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent) -> None:
        if event.source() is self.gallery_panel.view:
            event.ignore()  # a card dragged out and back: not an import (the sample bin takes it)
        elif local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._accepts(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._accepts(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.files.files_dropped(paths)
        else:
            event.ignore()
