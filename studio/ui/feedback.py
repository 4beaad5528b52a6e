"""Where the window tells the user things: status-bar messages and the one problems dialog.

Controllers receive a :class:`Messages` (this module's :class:`Feedback` in the window, a fake
in tests) instead of the window. :meth:`Feedback.watch` is the one place every task failure
flows to: the window connects it to :attr:`TaskRunner.sig_task_added`, so a failing task, started
by a controller or not, is shown exactly once; controllers only tidy up after their own.
"""

from __future__ import annotations

import functools
from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QStatusBar, QWidget

from studio.tasks import TaskHandle
from studio.ui.dialogs import ErrorListDialog

Rows = list[tuple[str, str]]  # (file, reason) rows of the problems dialog


class Messages(Protocol):
    """What a controller may tell the user."""

    def show_message(self, text: str, timeout_ms: int = 0) -> None:
        """A transient status line (0: until the next one)."""
        ...

    def show_problems(self, title: str, summary: str, rows: Rows, details: str = "", rich: bool = False) -> None:
        """A failure: the status bar points to the non-modal problems dialog, which lists it."""
        ...


class Feedback(QObject):
    """:class:`Messages` over a status bar and a lazily made :class:`ErrorListDialog`."""

    def __init__(self, status_bar: QStatusBar, dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self._status_bar = status_bar
        self._dialog_parent = dialog_parent
        self._error_dialog: ErrorListDialog | None = None

    @property
    def error_dialog(self) -> ErrorListDialog:
        if self._error_dialog is None:
            self._error_dialog = ErrorListDialog(self._dialog_parent)
        return self._error_dialog

    def has_shown_problems(self) -> bool:
        return self._error_dialog is not None

    def close(self) -> None:
        if self._error_dialog is not None:
            self._error_dialog.close()

    @Slot(str)
    def show_message(self, text: str, timeout_ms: int = 0) -> None:
        self._status_bar.showMessage(text, timeout_ms)

    def show_problems(self, title: str, summary: str, rows: Rows, details: str = "", rich: bool = False) -> None:
        self._status_bar.showMessage(self.tr("{title}: see the problems window").format(title=title), 15000)
        self.error_dialog.show_problems(title, summary, rows, details, rich)

    @Slot(object)
    def watch(self, handle: TaskHandle) -> None:
        """Show ``handle``'s failure, if it fails, as "<label> failed"."""
        handle.sig_failed.connect(functools.partial(self._task_failed, handle.label))

    def _task_failed(self, label: str, message: str, details: str) -> None:
        self.show_problems(self.tr("{task} failed").format(task=label),
                           self.tr("{task} failed: {reason}").format(task=label, reason=message), [], details)
