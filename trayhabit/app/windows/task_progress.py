"""TaskProgress: a window's line for long work it started: what is being done, a bar, and Cancel.

A window that starts long work (an import, an export, a calendar file read) on the model's worker
(:mod:`trayhabit.app.background`) shows it here while it runs, and disables its buttons that would
start more. Cancel is offered for work that can stop safely: the work asks whether it was cancelled
only before it writes (while it reads and checks), and then ends having changed nothing; a Cancel
that comes once the write has begun is too late, and the work ends as it would have.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from trayhabit.app.background import Task


class TaskProgress(QWidget):
    """Shows one running :class:`Task` at a time; hidden when none runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._task: Task | None = None
        self._label = QLabel()
        self._label.setObjectName("task_what")
        self._label.setWordWrap(True)
        self._bar = QProgressBar()
        self._bar.setObjectName("task_progress")
        self._cancel = QPushButton(self.tr("Cancel"))
        self._cancel.setObjectName("task_cancel")
        self._cancel.clicked.connect(self._on_cancel_clicked)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._bar, 1)
        row.addWidget(self._cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._label)
        layout.addLayout(row)
        self.setVisible(False)

    @property
    def task(self) -> Task | None:
        """The task shown, while it runs."""
        return self._task

    def follow(self, task: Task) -> None:
        """Show *task* until it ends."""
        self._task = task
        task.progressed.connect(self._on_task_progressed)
        task.finished.connect(self._on_task_finished)
        self._bar.setRange(0, 0)  # busy, until it says how far it is
        self._label.setText(task.label)
        self._cancel.setVisible(task.cancellable)
        self._cancel.setEnabled(True)
        self.setVisible(True)

    def _on_task_progressed(self, done: int, total: int, what: str) -> None:
        self._label.setText(what)
        if total:
            self._bar.setRange(0, total)
            self._bar.setValue(done)

    def _on_task_finished(self) -> None:
        self._task = None
        self.setVisible(False)

    def _on_cancel_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._cancel.setEnabled(False)
            self._label.setText(self.tr("Cancelling…"))
