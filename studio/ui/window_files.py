"""The window's File commands (a mixin of :class:`~studio.ui.main_window.MainWindow`): new, open,
save, recent files, export and the demo samples, each asking before unsaved work is lost."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from studio import engine
from studio.core.samples import Domain
from studio.errors import ProjectError
from studio.ui import settings as keys
from studio.ui.dialogs import suggested_project_path
from studio.ui.exporting import export_items

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow


class FileCommands:
    def _last_dir(self: MainWindow) -> str:
        return str(self.settings.value(keys.KEY_LAST_DIR, str(Path.home())))

    def confirm_discard_changes(self: MainWindow) -> bool:
        """True when the current project may be closed: saved, discarded, or unmodified."""
        if not self.session.is_modified():
            return True
        answer = self.prompts.confirm_unsaved(self, self.session.display_name())
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_project(self: MainWindow) -> bool:
        if not self.confirm_discard_changes():
            return False
        self.runner.cancel()
        self.session.new()
        self.statusBar().showMessage("New project.", 5000)
        return True

    def open_project_dialog(self: MainWindow) -> None:
        if not self.confirm_discard_changes():
            return
        path = self.prompts.open_project_path(self, self._last_dir())
        if path:
            self.open_path(path, confirmed=True)

    def open_path(self: MainWindow, path: str, confirmed: bool = False) -> bool:
        """Open ``path``; on failure show why and leave the current project untouched."""
        if not confirmed and not self.confirm_discard_changes():
            return False
        try:
            self.runner.cancel()
            self.session.open(path)
        except ProjectError as exc:
            self.show_problems("Could not open the project", f"The project could not be opened: {exc.reason}",
                               [(exc.path or str(path), exc.reason)])
            return False
        self.recent.add(path)
        self.settings.setValue(keys.KEY_LAST_DIR, str(Path(path).parent))
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def save(self: MainWindow) -> bool:
        return self.save_to(self.session.path) if self.session.path else self.save_as()

    def save_as(self: MainWindow) -> bool:
        suggestion = self.session.path or suggested_project_path(self._last_dir(), self.session.display_name())
        path = self.prompts.save_project_path(self, suggestion)
        return self.save_to(path) if path else False

    def save_to(self: MainWindow, path: str) -> bool:
        self.session.project.settings["adaptation"] = self.adaptation_panel.settings()
        self.session.project.settings["melody"] = self.melody_controls.settings()
        self.session.project.settings["painting"] = self.painting_controls.settings()
        try:
            self.session.save(path)
        except ProjectError as exc:
            self.show_problems("Could not save the project", f"The project was not saved: {exc.reason}",
                               [(exc.path or str(path), exc.reason)])
            return False
        self.recent.add(path)
        self.settings.setValue(keys.KEY_LAST_DIR, str(Path(path).parent))
        self._refresh_title()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def fill_recent_menu(self: MainWindow) -> None:
        menu = self.actions.recent_menu
        menu.clear()
        paths = self.recent.paths()
        for path in paths:
            action = QAction(Path(path).name, menu)
            action.setToolTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
            menu.addAction(action)
        if not paths:
            menu.addAction("No recent projects").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear Recent").triggered.connect(lambda _checked=False: self.recent.clear())

    # -- export ----------------------------------------------------------------------------------------

    def export_selection(self: MainWindow) -> tuple[list, list]:
        """(selected samples, selected works or else the kept works): what Export writes."""
        model = self.session.sample_model
        samples = [model.sample_at(r) for r in self.sample_bin.selected_rows()]
        gallery = self.session.gallery_model
        works = [gallery.work_at(r) for r in self.gallery_panel.selected_rows()] or gallery.gallery.kept()
        return samples, works

    def export_dialog(self: MainWindow) -> None:
        samples, works = self.export_selection()
        if not samples and not works:
            return
        folder = self.prompts.export_folder(self, self._last_dir())
        if folder:
            self.export_to(folder)

    def export_kept_dialog(self: MainWindow) -> None:
        if not self.session.gallery_model.gallery.kept():
            self.statusBar().showMessage("Nothing is kept yet: keep works with K or their \u2713 button.", 8000)
            return
        folder = self.prompts.export_folder(self, self._last_dir())
        if folder:
            self.export_to(folder, kept_only=True)

    def export_to(self: MainWindow, folder: str, kept_only: bool = False) -> list[Path]:
        """Write the selection (or, with ``kept_only``, every kept work) to ``folder``."""
        samples, works = ([], self.session.gallery_model.gallery.kept()) if kept_only else self.export_selection()
        written, errors = export_items(samples, works, folder)
        if errors:
            self.show_problems("Export problems", f"{len(errors)} item(s) could not be exported.",
                               [(e.path or "", e.reason) for e in errors])
        self.statusBar().showMessage(f"Exported {len(written)} file(s) to {folder}", 10000)
        return written

    # -- demo samples ------------------------------------------------------------------------------------

    def load_demo_paintings(self: MainWindow) -> None:
        self.load_demo(Domain.PAINTING)

    def load_demo_melodies(self: MainWindow) -> None:
        self.load_demo(Domain.MELODY)

    def load_demo(self: MainWindow, domain: Domain) -> int | None:
        """Import the bundled demo samples of ``domain``; asks for a new project if the open one
        holds the other kind. The task id, or None if nothing was started."""
        paths = engine.demo_sample_paths(domain)
        if not paths:
            self.statusBar().showMessage(f"No demo {domain.plural} are installed.", 10000)
            return None
        held = self.session.project.domain
        if held is not None and held is not domain:
            question = (f"This project holds {held.plural}, and one project holds one kind. Start a new "
                        f"project for the demo {domain.plural}?")
            if not self.prompts.ask_yes_no(self, f"Demo {domain.plural}", question) or not self.new_project():
                return None
        fresh = self.session.project.is_empty() and not self.session.is_modified()
        return self.import_paths(paths, mark_clean=fresh)
