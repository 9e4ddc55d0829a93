"""The check-off window's two dialogs: "Note…" on the latest check-off, and "Earlier…" for a missed time.

:class:`CheckOffDialogs` opens them window-modal (not blocking), and records what the user chose
when they close.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import window_title
from trayhabit.app.windows.backfill import BackfillDialog
from trayhabit.app.windows.checkoff_marks import latest_check_off
from trayhabit.core.limits import MAX_NOTE
from trayhabit.core.model import Outcome

if TYPE_CHECKING:
    # Type checkers see the widget this part is mixed into; at run time it is a plain mixin.
    from PySide6.QtWidgets import QWidget as _Mixin
else:
    _Mixin = object


class CheckOffDialogs(_Mixin):
    """The "Note…" and "Earlier…" dialogs of the check-off window, for the selected habit.

    A mixin of :class:`~trayhabit.app.windows.checkoff.CheckOffWindow`, whose state it shares.
    """

    _model: HabitsModel
    _selected: str | None
    _backfill: BackfillDialog | None
    _note_dialog: QInputDialog | None

    def backfill_dialog(self) -> BackfillDialog | None:
        """The "Earlier…" dialog while it is open."""
        return self._backfill

    def note_dialog(self) -> QInputDialog | None:
        """The "Note…" dialog while it is open."""
        return self._note_dialog

    def open_note(self) -> QInputDialog | None:
        """Ask for a note on the selected habit's latest check-off ("called Acme"); None when it has
        none. The note is saved when the dialog is accepted; an empty one takes it away."""
        report = self._model.report(self._selected) if self._selected else None
        latest = latest_check_off(report) if report is not None else None
        if report is None or latest is None:
            return None
        key = latest.occurrence.key
        dialog = QInputDialog(self)
        dialog.setWindowTitle(window_title(self.tr("Note")))
        dialog.setLabelText(
            self.tr("A short note on the check-off of “{name}” for {when}:").format(
                name=report.habit.name, when=self._when(latest.occurrence.reminder)
            )
        )
        dialog.setTextValue(self._model.notes(report.habit.id, key).get(key, ""))
        dialog.setOkButtonText(self.tr("Save"))
        dialog.setCancelButtonText(self.tr("Cancel"))
        line = dialog.findChild(QLineEdit)
        if line is not None:
            line.setMaxLength(MAX_NOTE)
            line.setAccessibleName(self.tr("Note"))
            line.setPlaceholderText(self.tr("e.g. called Acme"))
        habit_id = report.habit.id
        dialog.textValueSelected.connect(lambda text: self._save_note(habit_id, key, text))
        dialog.finished.connect(self._on_note_dialog_finished)
        self._note_dialog = dialog
        dialog.open()
        return dialog

    def _save_note(self, habit_id: str, key: date, text: str) -> None:
        report = self._model.report(habit_id)
        if self._model.add_note(habit_id, text, occurrence=key, by=self) is None or report is None:
            return
        name = report.habit.name
        if text.strip():
            self._say(self.tr("Noted on “{name}”.").format(name=name))
        else:
            self._say(self.tr("Took the note off “{name}”.").format(name=name))

    def open_backfill(self) -> BackfillDialog | None:
        """Open the "Earlier…" dialog for the selected habit (window-modal, not blocking)."""
        report = self._model.report(self._selected) if self._selected else None
        if report is None:
            return None
        settings = self._model.settings()
        dialog = BackfillDialog(
            report,
            self._model.now(),
            self._model.zone,
            (settings.credit_late, settings.credit_preemptive),
            self,
        )
        dialog.setProperty("habit_id", report.habit.id)
        dialog.finished.connect(self._on_backfill_finished)
        self._backfill = dialog
        dialog.open()
        return dialog

    def _on_note_dialog_finished(self, _result: int) -> None:
        if self._note_dialog is not None:
            self._note_dialog.deleteLater()
        self._note_dialog = None

    def _on_backfill_finished(self, result: int) -> None:
        dialog, self._backfill = self._backfill, None
        if dialog is None:
            return
        dialog.deleteLater()
        entry = dialog.chosen()
        habit_id = dialog.property("habit_id")
        if result != QDialog.DialogCode.Accepted.value or entry is None or not habit_id:
            return
        report = self._model.report(habit_id)
        at = entry.occurrence.reminder
        # At the occurrence's reminder time, so that the core files it under that occurrence; it is
        # recorded now, after the window closed, so the core counts it as late.
        change = self._model.check_off(habit_id, at=at, by=self)
        if change is None or report is None:
            return
        template = (
            self.tr("“{name}” recorded as done {when}, counted as late.")
            if change.outcome is Outcome.LATE
            else self.tr("“{name}” recorded as done {when}.")
        )
        self._say(template.format(name=report.habit.name, when=self._when(at)))

    # What this part calls on the rest of the window, for type checkers. Kept last in the class:
    # pyside6-lupdate loses the class's translation context after a def inside an if.
    if TYPE_CHECKING:

        def show_error(self, message: str) -> None: ...
        def _say(self, text: str, *, error: bool = False) -> None: ...
        def _when(self, instant: datetime) -> str: ...
