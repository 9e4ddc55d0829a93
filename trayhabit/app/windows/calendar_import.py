"""The preview of a calendar import: what will become a habit, what is skipped and why.

Shown by the habits window after the user picks an .ics file. Nothing is created until the user
presses *Create*; the window then asks the model to create the planned habits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.titles import window_title
from trayhabit.app.windows.screen_fit import fit_to_screen
from trayhabit.core.describe import describe_schedule

if TYPE_CHECKING:
    from trayhabit.core.ical import CalendarPlan


class CalendarImportDialog(QDialog):
    """Lists a :class:`~trayhabit.core.ical.CalendarPlan` and asks to go ahead.

    Signals: QDialog's ``accepted`` (the user pressed *Create*) and ``rejected``.
    """

    def __init__(self, plan: CalendarPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(window_title(self.tr("Import from calendar")))
        self.setObjectName("calendar_import")

        summary = QLabel()
        summary.setObjectName("summary")
        summary.setWordWrap(True)
        refusal = plan.refusal()
        if refusal is None:
            summary.setText(
                self.tr(
                    "{file}\n\nHabits to create: {created}\nItems skipped: {skipped}\n\n"
                    "Each habit reminds at the time of the item's first alarm, on the item's days."
                ).format(file=plan.filename, created=len(plan.habits), skipped=len(plan.skipped))
            )
        else:
            summary.setText(refusal)

        self._tree = QTreeWidget()
        self._tree.setObjectName("items")
        self._tree.setColumnCount(2)
        self._tree.setHeaderLabels([self.tr("Item"), self.tr("What happens")])
        self._tree.setAccessibleName(self.tr("Calendar items"))
        self._tree.setWordWrap(True)
        # Both columns share the width and long texts wrap: a 120-character name does not push the
        # second column out of view (nor make the list scroll sideways).
        self._tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Room for a few words a column at the dialog's smallest, the same in every language.
        self._tree.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)
        self._fill()

        buttons = QDialogButtonBox()
        if plan.habits:
            create = buttons.addButton(self.tr("&Create habits"), QDialogButtonBox.ButtonRole.AcceptRole)
            create.setObjectName("create")
            create.setDefault(True)
            cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setObjectName("cancel")
        else:
            close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
            close.setObjectName("close")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self._tree, 1)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        self.resize(fit_to_screen(self, QSize(metrics.averageCharWidth() * 100, metrics.height() * 24)))

    def _fill(self) -> None:
        if self.plan.habits:
            created = QTreeWidgetItem(self._tree, [self.tr("Will become habits")])
            created.setFirstColumnSpanned(True)
            for planned in self.plan.habits:
                schedule = self.tr("{schedule}, from {start}").format(
                    schedule=describe_schedule(planned.schedule), start=planned.schedule.start.isoformat()
                )
                item = QTreeWidgetItem(created, [planned.name, schedule])
                item.setToolTip(0, planned.why)
                if planned.why:
                    QTreeWidgetItem(item, [self.tr("Why"), planned.why])
                for note in planned.notes:
                    QTreeWidgetItem(item, [self.tr("Note"), note])
                item.setExpanded(True)
            created.setExpanded(True)
        if self.plan.skipped:
            skipped = QTreeWidgetItem(self._tree, [self.tr("Skipped")])
            skipped.setFirstColumnSpanned(True)
            for entry in self.plan.skipped:
                QTreeWidgetItem(skipped, [entry.name, entry.reason])
            skipped.setExpanded(True)
        first = self._tree.topLevelItem(0)
        if first is not None:
            self._tree.setCurrentItem(first)
        self._tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def rows(self) -> list[tuple[str, str]]:
        """Every row as (first column, second column), top to bottom, for a reader or a test."""
        result: list[tuple[str, str]] = []

        def walk(item: QTreeWidgetItem) -> None:
            result.append((item.text(0), item.text(1)))
            for index in range(item.childCount()):
                child = item.child(index)
                if child is not None:
                    walk(child)

        for index in range(self._tree.topLevelItemCount()):
            top = self._tree.topLevelItem(index)
            if top is not None:
                walk(top)
        return result
