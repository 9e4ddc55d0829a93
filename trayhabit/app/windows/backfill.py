"""The "Earlier…" dialog: mark a recently missed occurrence as done after all.

Its window has closed, so the core records the check-off honestly as late; the dialog says so, with
what a late check-off is worth, before the user confirms.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.datetime_text import when_text
from trayhabit.app.formatting import format_score
from trayhabit.app.titles import window_title
from trayhabit.app.windows.screen_fit import elided
from trayhabit.core.model import Outcome, Settled
from trayhabit.core.report import HabitReport

# How many missed occurrences to offer, newest first: about two weeks of a daily habit.
MAX_OFFERED = 14


def missed_occurrences(report: HabitReport) -> list[Settled]:
    """The habit's recent missed occurrences that nothing was recorded for, newest first.

    A skip beyond the allowance also counts as missed, but it is recorded; it is left out, since the
    core would refuse a check-off on top of it.
    """
    missed = [entry for entry in report.settled if entry.outcome is Outcome.MISSED and entry.event is None]
    return list(reversed(missed[-MAX_OFFERED:]))


class BackfillDialog(QDialog):
    """Pick one of a habit's recently missed occurrences to record as done (late).

    Signals: those of QDialog; after ``accepted``, :meth:`chosen` is the occurrence picked.
    """

    def __init__(
        self,
        report: HabitReport,
        now: datetime,
        zone: tzinfo,
        credits: tuple[float, float],
        parent: QWidget | None = None,
    ) -> None:
        """*credits* is what a late and a pre-emptive check-off are worth, for the explanation."""
        super().__init__(parent)
        self._entries = missed_occurrences(report)
        self._name = report.habit.name
        self._now = now
        self._zone = zone
        self._credit_late, self._credit_preemptive = credits
        # A long name is cut short in the title (the text below has it whole).
        self.setWindowTitle(
            window_title(self.tr("Earlier: {name}").format(name=elided(self, report.habit.name)))
        )

        intro = QLabel(
            self.tr(
                "Did “{name}” on a day you did not tick it off? Pick the day. Its window has closed, so "
                "it is recorded as done late."
            ).format(name=report.habit.name),
            self,
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)

        self.missed_list = QListWidget(self)
        self.missed_list.setAccessibleName(self.tr("Missed occurrences"))
        for entry in self._entries:
            item = QListWidgetItem(self._when(entry.occurrence.reminder), self.missed_list)
            item.setData(Qt.ItemDataRole.UserRole, entry.occurrence.key.isoformat())
        label = QLabel(self.tr("&Missed recently:"), self)
        label.setBuddy(self.missed_list)

        self.consequence = QLabel(self)
        self.consequence.setTextFormat(Qt.TextFormat.PlainText)
        self.consequence.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.confirm = self.buttons.addButton(
            self.tr("Mark &done (late)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        # Wide enough for the explanation to read as a paragraph, not a column; in characters, so
        # that it scales with the font.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.missed_list, 1)
        layout.addWidget(self.consequence)
        layout.addWidget(self.buttons)

        self.missed_list.currentRowChanged.connect(self._on_list_current_row_changed)
        # Enter reaches the default button (Mark done); a double click is the mouse's way to pick.
        self.missed_list.itemDoubleClicked.connect(self._on_list_item_double_clicked)
        if self._entries:
            self.missed_list.setCurrentRow(0)
        else:
            self.missed_list.setEnabled(False)
            self.missed_list.addItem(self.tr("Nothing missed lately."))
            self._on_list_current_row_changed(-1)

    def chosen(self) -> Settled | None:
        """The occurrence the user picked, if any."""
        row = self.missed_list.currentRow()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def _when(self, instant: datetime) -> str:
        return when_text(self.locale(), instant, self._now, self._zone)

    # -- slots ----------------------------------------------------------------------------------------

    def _on_list_current_row_changed(self, row: int) -> None:
        entry = self._entries[row] if 0 <= row < len(self._entries) else None
        self.confirm.setEnabled(entry is not None)
        if entry is None:
            self.consequence.setText(
                self.tr("Every recent occurrence of “{name}” is checked off, skipped or still open.").format(
                    name=self._name
                )
            )
            return
        self.consequence.setText(
            self.tr(
                "“{name}” will be recorded as done {when}, and counted as late: worth {late} in the "
                "score, where done before the reminder is worth {preemptive}."
            ).format(
                name=self._name,
                when=self._when(entry.occurrence.reminder),
                late=format_score(self._credit_late, self.locale()),
                preemptive=format_score(self._credit_preemptive, self.locale()),
            )
        )

    def _on_list_item_double_clicked(self, _item: QListWidgetItem) -> None:
        if self.chosen() is not None:
            self.accept()
