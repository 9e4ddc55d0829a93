"""The habits window's "Import from calendar…": choose a calendar file, preview it, create its habits.

:class:`CalendarImportSteps` is the part of :class:`~trayhabit.app.windows.habits.HabitsWindow` that
asks for the file, has the model read it on the worker, shows
:class:`~trayhabit.app.windows.calendar_import.CalendarImportDialog` and opens the first habit made.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from trayhabit.app.background import Task
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import window_title
from trayhabit.app.windows.task_progress import TaskProgress
from trayhabit.core.model import Habit

if TYPE_CHECKING:
    # Type checkers see the widget the steps are mixed into; at run time it is a plain mixin.
    from PySide6.QtWidgets import QWidget as _Mixin

    from trayhabit.core.ical import CalendarPlan
else:
    _Mixin = object


class CalendarImportSteps(_Mixin):
    """Making habits of a calendar file's recurring tasks and events, from the habits window.

    A mixin of :class:`~trayhabit.app.windows.habits.HabitsWindow`, whose state it shares.
    """

    _model: HabitsModel
    _import_calendar: QPushButton
    _task_progress: TaskProgress

    def _on_import_calendar_clicked(self) -> None:
        if not self._settle_unsaved():
            return
        chosen, _chosen_filter = QFileDialog.getOpenFileName(
            self,
            window_title(self.tr("Import from calendar")),
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation),
            ";;".join((self.tr("Calendar files (*.ics)"), self.tr("All files (*)"))),
        )
        if not chosen:
            return
        self._follow(self._model.plan_calendar_import(Path(chosen), by=self, on_done=self._preview_calendar))

    def _preview_calendar(self, plan: CalendarPlan) -> None:
        from trayhabit.app.windows.calendar_import import CalendarImportDialog

        dialog = CalendarImportDialog(plan, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._create_from_calendar(dialog.plan))
        dialog.open()

    def _create_from_calendar(self, plan: CalendarPlan) -> None:
        self._follow(
            self._model.import_calendar(
                plan, by=self, on_done=lambda created: self._created_from_calendar(plan, created)
            )
        )

    def _created_from_calendar(self, plan: CalendarPlan, created: list[Habit]) -> None:
        if not created:
            return
        self._open(created[0].id)
        self._say(
            self.tr("Created {n} habits from {file}.").format(n=len(created), file=plan.filename)
            if len(created) > 1
            else self.tr("Created “{name}” from {file}.").format(name=created[0].name, file=plan.filename)
        )

    def _follow(self, task: Task) -> None:
        """Show *task*'s progress under the list, the import button off until it ends."""
        self._import_calendar.setEnabled(False)
        task.finished.connect(lambda: self._import_calendar.setEnabled(True))
        self._task_progress.follow(task)

    # What this part calls on the rest of the window, for type checkers. Kept last in the class:
    # pyside6-lupdate loses the class's translation context after a def inside an if.
    if TYPE_CHECKING:

        def show_error(self, message: str) -> None: ...
        def _settle_unsaved(self) -> bool: ...
        def _open(self, habit_id: str) -> None: ...
        def _say(self, text: str, *, error: bool = False) -> None: ...
