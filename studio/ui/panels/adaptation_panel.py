"""The adaptation panel: method, budget, Adapt; and the progress, ETA and Cancel of any task.

The method list comes from the engine's registry. Adapt stays disabled, with the reason in
its tooltip and the status line, while no meta-trained generator exists for the set's domain.
The progress part follows whatever the :class:`~studio.tasks.TaskRunner` runs (imports too);
the loss curve shows the adaptation's loss step by step (fed by the generation controller).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QProgressBar,
    QPushButton, QRadioButton, QSpinBox, QVBoxLayout, QWidget,
)

from studio import engine
from studio.core.samples import Domain
from studio.tasks import TaskHandle, TaskRunner
from studio.ui.i18n import QT_TRANSLATE_NOOP, domain_singular, progress_text, translate
from studio.ui.widgets.loss_curve import LossCurve


# What the gradient steps measurably buy, per domain (docs/BENCHMARKS.md), shown beside Adapt so
# nobody waits for steps that do not pay; Generate always uses the instant start until one adapts
STEPS_EFFECT = {
    Domain.PAINTING: QT_TRANSLATE_NOOP(
        "AdaptationPanel", "Steps do not measurably improve paintings over the instant start yet (SWD ratio "
        "+0.02 \u00b1 0.02 on held-out painters, better on 3 of 8 tasks); they can help with "
        "very unusual samples. Generate uses the instant start unless you adapt."),
}  # the English sources; the panel shows them translated

# The registry's method labels and descriptions, as the window shows them (the CLI keeps the registry's)
_METHODS = {
    "reptile": (QT_TRANSLATE_NOOP("AdaptationPanel", "Reptile"), QT_TRANSLATE_NOOP(
        "AdaptationPanel", "Gradient steps from a Reptile start (meta-trained by moving towards adapted weights).")),
    "anil": (QT_TRANSLATE_NOOP("AdaptationPanel", "ANIL (head only)"), QT_TRANSLATE_NOOP(
        "AdaptationPanel", "Adapts only the output head: fastest, keeps the learned features fixed.")),
    "fomaml": (QT_TRANSLATE_NOOP("AdaptationPanel", "First-order MAML"), QT_TRANSLATE_NOOP(
        "AdaptationPanel", "Gradient steps from a first-order-MAML start: cheaper meta-training, same adaptation.")),
    "hypernet": (QT_TRANSLATE_NOOP("AdaptationPanel", "Hypernetwork (instant)"), QT_TRANSLATE_NOOP(
        "AdaptationPanel", "No gradient steps: a hypernetwork maps the samples to weight modulations at once.")),
    "maml": (QT_TRANSLATE_NOOP("AdaptationPanel", "MAML (second order)"), QT_TRANSLATE_NOOP(
        "AdaptationPanel", "Gradient steps from a MAML-trained start; meta-gradients through the inner loop.")),
    "metasgd": (QT_TRANSLATE_NOOP("AdaptationPanel", "Meta-SGD"), QT_TRANSLATE_NOOP(
        "AdaptationPanel", "Gradient steps with learned per-parameter learning rates.")),
}


def method_text(name: str, label: str, description: str) -> tuple[str, str]:
    """A method's label and description in the window's language (the registry's English when new)."""
    known = _METHODS.get(name)
    if known is None or known != (label, description):
        return label, description  # the registry changed: its own words beat a stale translation
    return translate("AdaptationPanel", known[0]), translate("AdaptationPanel", known[1])


def unavailable_reason(domain: Domain | None) -> str | None:
    """Why Adapt cannot run for ``domain``, or None when it can."""
    if domain is None:
        return translate("AdaptationPanel", "Add a few samples first: adaptation learns their style.")
    if not engine.generator_available(domain):
        return translate("AdaptationPanel", "No meta-trained {kind} generator is installed yet, so there is nothing "
                         "to adapt; it arrives with the {kind} models.").format(kind=domain_singular(domain))
    return None


def format_eta(seconds: float) -> str:
    if seconds < 0:
        return ""
    if seconds < 60:
        return translate("AdaptationPanel", "about {s} s left").format(s=max(1, round(seconds)))
    return translate("AdaptationPanel", "about {m} min {s} s left").format(m=f"{seconds // 60:.0f}",
                                                                           s=f"{seconds % 60:02.0f}")


class AdaptationPanel(QWidget):
    """Emits ``sig_adapt_requested(method, budget_kind, budget)``; budget_kind is "steps" or "seconds"."""

    sig_adapt_requested = Signal(str, str, float)

    def __init__(self, runner: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._task: TaskHandle | None = None  # the newest task, whose signals this panel shows
        self.method = QComboBox()
        self.method.setToolTip(self.tr("How the meta-trained generator adapts to your samples"))
        self._fill_methods(None)
        self.method.currentIndexChanged.connect(self._method_changed)
        self.by_steps = QRadioButton(self.tr("Steps"))
        self.by_steps.setToolTip(self.tr("Stop after a fixed number of gradient steps (reproducible)"))
        self.by_time = QRadioButton(self.tr("Time"))
        self.by_time.setToolTip(self.tr("Stop after a wall-clock budget (as many steps as fit)"))
        self._budget_group = QButtonGroup(self)
        self._budget_group.addButton(self.by_steps)
        self._budget_group.addButton(self.by_time)
        self.steps = QSpinBox()
        self.steps.setRange(1, 5000)
        self.steps.setValue(50)
        self.steps.setSuffix(self.tr(" steps"))
        self.steps.setToolTip(self.tr("Number of adaptation steps"))
        self.seconds = QDoubleSpinBox()
        self.seconds.setRange(1.0, 3600.0)
        self.seconds.setDecimals(0)
        self.seconds.setValue(30.0)
        self.seconds.setSuffix(self.tr(" s"))
        self.seconds.setToolTip(self.tr("Time budget in seconds"))
        self.by_steps.toggled.connect(self._budget_changed)
        self.by_steps.setChecked(True)
        self.adapt_button = QPushButton(self.tr("Adapt"))
        self.adapt_button.clicked.connect(self._request_adapt)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setToolTip(self.tr("Progress of the running task"))
        self.eta = QLabel()
        self.eta.setToolTip(self.tr("Estimated time remaining"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the running task: an import adds nothing; generated works that "
                                              "already arrived stay in the gallery"))
        self.cancel_button.setEnabled(False)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        font = self.reason.font()
        font.setItalic(True)  # set apart, but at full contrast: it explains the disabled button
        self.reason.setFont(font)
        self.effect = QLabel()  # what the steps buy for the set's domain (STEPS_EFFECT)
        self.effect.setWordWrap(True)
        self.loss_curve = LossCurve()
        self.status = QLabel(self.tr("No task running."))
        self.status.setWordWrap(True)
        self.status.setToolTip(self.tr("What the running (or last) task is doing"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout()
        self.set_domain(None)
        if runner is not None:
            self.cancel_button.clicked.connect(runner.cancel)
            runner.sig_task_added.connect(self.watch)
            runner.sig_busy_changed.connect(self.cancel_button.setEnabled)
        self.setMinimumSize(220, 180)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Method"), self.method)
        steps_row, time_row = QHBoxLayout(), QHBoxLayout()
        steps_row.addWidget(self.by_steps)
        steps_row.addWidget(self.steps, 1)
        time_row.addWidget(self.by_time)
        time_row.addWidget(self.seconds, 1)
        form.addRow(self.tr("Budget"), steps_row)
        form.addRow("", time_row)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addWidget(self.adapt_button)
        layout.addWidget(self.reason)
        layout.addWidget(self.effect)
        layout.addWidget(self.loss_curve, 1)
        layout.addSpacing(4)
        layout.addLayout(progress_row)
        layout.addWidget(self.eta)
        layout.addWidget(self.status)

    # -- state ---------------------------------------------------------------------------------

    def _fill_methods(self, domain: Domain | None) -> None:
        """List the methods the installed model of ``domain`` supports (all registry methods when none is)."""
        current = self.method.currentData()
        blocker = QSignalBlocker(self.method)
        self.method.clear()
        for i, info in enumerate(engine.adaptation_methods(domain=domain)):
            label, description = method_text(info.name, info.label, info.description)
            self.method.addItem(label, info.name)
            self.method.setItemData(i, description, Qt.ItemDataRole.ToolTipRole)
        index = self.method.findData(current)
        self.method.setCurrentIndex(max(0, index))
        del blocker

    def set_domain(self, domain: Domain | None) -> None:
        """Enable Adapt only when a generator exists for ``domain``; otherwise say why not."""
        self._fill_methods(domain)
        reason = unavailable_reason(domain)
        self.adapt_button.setEnabled(reason is None)
        self.adapt_button.setToolTip(reason or self.tr("Adapt the meta-trained generator to your samples"))
        self.reason.setText(reason or "")
        self.reason.setVisible(reason is not None)
        source = STEPS_EFFECT.get(domain) if domain is not None and reason is None else None
        effect = translate("AdaptationPanel", source) if source is not None else None
        self.effect.setText(effect or "")
        self.effect.setVisible(effect is not None)
        if effect is not None:
            self.adapt_button.setToolTip(self.tr("Adapt the meta-trained generator to your samples. {effect}").format(
                effect=effect))

    def settings(self) -> dict[str, Any]:
        return {"method": self.method.currentData(), "budget": "steps" if self.by_steps.isChecked() else "seconds",
                "steps": self.steps.value(), "seconds": self.seconds.value()}

    def apply_settings(self, values: dict[str, Any]) -> None:
        index = self.method.findData(values.get("method"))
        if index >= 0:
            self.method.setCurrentIndex(index)
        (self.by_time if values.get("budget") == "seconds" else self.by_steps).setChecked(True)
        if isinstance(values.get("steps"), (int, float)):
            self.steps.setValue(int(values["steps"]))
        if isinstance(values.get("seconds"), (int, float)):
            self.seconds.setValue(float(values["seconds"]))

    @Slot(int)
    def _method_changed(self, index: int) -> None:
        self.method.setToolTip(str(self.method.itemData(index, Qt.ItemDataRole.ToolTipRole) or ""))

    @Slot(bool)
    def _budget_changed(self, by_steps: bool) -> None:
        self.steps.setEnabled(by_steps)
        self.seconds.setEnabled(not by_steps)

    @Slot()
    def _request_adapt(self) -> None:
        if self.by_steps.isChecked():
            self.sig_adapt_requested.emit(self.method.currentData(), "steps", float(self.steps.value()))
        else:
            self.sig_adapt_requested.emit(self.method.currentData(), "seconds", self.seconds.value())

    # -- task progress (the newest task's handle, main thread) -------------------------------------

    @Slot(object)
    def watch(self, handle: TaskHandle) -> None:
        """Show ``handle``'s progress from now on; the task it superseded is no longer shown."""
        old, self._task = self._task, handle
        if old is not None and not old.is_done():
            for signal, slot in self._slots(old):
                signal.disconnect(slot)
        for signal, slot in self._slots(handle):
            signal.connect(slot)

    def _slots(self, handle: TaskHandle) -> list[tuple[Any, Any]]:
        return [(handle.sig_started, self._on_started), (handle.sig_progress, self._on_progress),
                (handle.sig_eta, self._on_eta), (handle.sig_finished, self._on_finished),
                (handle.sig_cancelled, self._on_cancelled), (handle.sig_failed, self._on_failed)]

    def _label(self) -> str:
        return self._task.label if self._task is not None else ""

    @Slot()
    def _on_started(self) -> None:
        self.progress.setValue(0)
        self.eta.setText("")
        self.status.setText(f"{self._label()}\u2026")

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(1000 * fraction))
        if message:
            self.status.setText(progress_text(message))

    @Slot(float)
    def _on_eta(self, seconds: float) -> None:
        self.eta.setText(format_eta(seconds))

    def _ended(self, outcome: str) -> None:
        self.progress.setValue(0)
        self.eta.setText("")
        self.status.setText(self.tr("{task}: {outcome}").format(task=self._label(), outcome=outcome))

    @Slot(object)
    def _on_finished(self, result: object) -> None:  # noqa: ARG002
        self._ended(self.tr("done."))

    @Slot()
    def _on_cancelled(self) -> None:
        self._ended(self.tr("cancelled; nothing was changed."))

    @Slot(str, str)
    def _on_failed(self, message: str, details: str) -> None:  # noqa: ARG002
        self._ended(self.tr("failed: {reason}").format(reason=message))


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    task_runner = TaskRunner()
    panel = AdaptationPanel(task_runner)
    panel.set_domain(Domain.PAINTING)
    panel.show()
    code = app.exec()
    task_runner.shutdown()
    sys.exit(code)
