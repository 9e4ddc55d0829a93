"""The check-off window (DESIGN section 4): what is open now, ticked off in one click or keypress.

It lists one row per tracked habit whose window is open, with the status of that occurrence and what
checking it off does to the score, and offers undo, skip and a back-fill of recently missed days.
Nothing here hints that a reminder is coming: the user opens this window, so a check-off before the
reminder is the user's own memory at work.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QHideEvent, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.datetime_text import day_text, when_text
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import window_title
from trayhabit.app.windows.backfill import BackfillDialog, missed_occurrences
from trayhabit.app.windows.checkoff_row import CheckOffRow, secondary_color
from trayhabit.app.windows.screen_fit import fit_to_screen
from trayhabit.core.changes import Change
from trayhabit.core.history import latest_settled_mark
from trayhabit.core.limits import MAX_NOTE
from trayhabit.core.model import EventKind, Outcome, Settled
from trayhabit.core.report import HabitReport

# A habit whose reminder is further away than this is listed under "Later", collapsed: its window
# is open (a check-off now counts as before the reminder), but it is not what today is about.
LATER_AFTER = timedelta(days=14)
# Cached reports older than this are recomputed when the window is brought up.
STALE_AFTER = timedelta(minutes=1)
# The window re-reads the reports when a shown reminder time passes or a window closes; it checks at
# least this often anyway (and QTimer cannot wait longer than about 24 days).
MAX_REFRESH_WAIT_MS = 60 * 60 * 1000


def latest_mark(report: HabitReport) -> Settled | None:
    """The occurrence whose check-off or skip an undo would take back: the one recorded last."""
    return latest_settled_mark(report.settled)


def latest_check_off(report: HabitReport) -> Settled | None:
    """The occurrence whose check-off a note goes on: the check-off recorded last."""
    return latest_settled_mark(
        entry for entry in report.settled if entry.event is not None and entry.event.kind is EventKind.DONE
    )


class CheckOffWindow(QWidget):
    """The habits whose windows are open now, each with its status, score and a check box.

    Keyboard: arrows move between rows, Space toggles the check-off of the selected row, Enter checks
    it off, Ctrl+Z undoes the selected habit's latest check-off or skip, Alt+N puts a note on its
    latest check-off ("Note…"), Esc closes the window, and every button has an Alt mnemonic.

    Signals:
        habits_requested(): the user asked for the habits window (to add or edit habits).
    """

    habits_requested = Signal()

    def __init__(self, model: HabitsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._model = model
        self._rows: dict[str, CheckOffRow] = {}
        # Every listed habit, those open now first, then the later ones by reminder time.
        self._order: list[str] = []
        self._later: list[str] = []
        self._selected: str | None = None
        # Set while this window runs a use case, so that a refusal shows here, next to what caused it.
        self._backfill: BackfillDialog | None = None
        self._note_dialog: QInputDialog | None = None
        self._dimmed: list[QLabel] = []
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)

        self.setWindowTitle(window_title(self.tr("Check off")))
        self._build()
        metrics = self.fontMetrics()
        self.resize(fit_to_screen(self, QSize(metrics.averageCharWidth() * 80, metrics.height() * 34)))

        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        model.changed.connect(self._on_model_changed)
        self.refresh()

    # -- building -------------------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self.tr("Open now"), self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            self.tr(
                "Tick off what you have done. Done before its reminder, a habit counts in full: "
                "that is how a reminder turns into a habit."
            ),
            self,
        )
        intro.setWordWrap(True)
        self._dim(intro)

        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._build_list())
        self._pages.addWidget(self._build_empty())

        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Last action"))
        self.status_label.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(self._pages, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(self._build_buttons())

        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo.activated.connect(self._on_undo_shortcut_activated)
        close = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        close.activated.connect(self.close)

    def _build_list(self) -> QWidget:
        # The list: one card per open occurrence, in a scroll area. The rows take the keyboard focus
        # themselves, so the scroll area does not.
        self._list = QWidget(self)
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.setSpacing(6)
        self.later_toggle = QToolButton(self._list)
        self.later_toggle.setObjectName("later_toggle")
        self.later_toggle.setCheckable(True)
        self.later_toggle.setAutoRaise(True)
        self.later_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.later_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.later_toggle.setToolTip(
            self.tr("Habits whose reminder is more than two weeks away; ticked off now, they count in full")
        )
        self.later_toggle.toggled.connect(self._on_later_toggle_toggled)
        self.later_toggle.hide()
        self._list_layout.addWidget(self.later_toggle)
        self._list_layout.addStretch(1)
        self.list_area = QScrollArea(self)
        self.list_area.setWidgetResizable(True)
        self.list_area.setFrameShape(QFrame.Shape.NoFrame)
        self.list_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list_area.setWidget(self._list)
        self.list_area.setAccessibleName(self.tr("Open habits"))
        return self.list_area

    def _build_empty(self) -> QWidget:
        # The empty state: no habits at all, or none open right now.
        empty = QWidget(self)
        self.empty_label = QLabel(empty)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.empty_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.empty_label.setFont(font)
        self.empty_detail = QLabel(empty)
        self.empty_detail.setWordWrap(True)
        self.empty_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._dim(self.empty_detail)
        self.add_button = QPushButton(self.tr("&Add a habit…"), empty)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.empty_detail)
        empty_layout.addSpacing(self.fontMetrics().height())
        empty_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        return empty

    def _build_buttons(self) -> QHBoxLayout:
        self.undo_button = QPushButton(self.tr("&Undo"), self)
        self.skip_button = QPushButton(self.tr("&Skip"), self)
        self.earlier_button = QPushButton(self.tr("&Earlier…"), self)
        self.note_button = QPushButton(self.tr("&Note…"), self)
        self.note_button.clicked.connect(self._on_note_button_clicked)
        self.habits_button = QPushButton(self.tr("&Habits…"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.skip_button.setToolTip(self.tr("The selected habit does not apply this time (holiday, sick)"))
        self.close_button.setToolTip(self.tr("Close the window (Esc)"))
        self.habits_button.setToolTip(self.tr("Add, edit or retire habits"))
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.skip_button.clicked.connect(self._on_skip_button_clicked)
        self.earlier_button.clicked.connect(self._on_earlier_button_clicked)
        self.habits_button.clicked.connect(self._on_habits_button_clicked)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.undo_button, self.skip_button, self.earlier_button, self.note_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.habits_button)
        buttons.addWidget(self.close_button)
        return buttons

    def _dim(self, label: QLabel) -> None:
        if label not in self._dimmed:
            self._dimmed.append(label)
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, secondary_color(self.palette()))
        label.setPalette(palette)

    # -- public API -----------------------------------------------------------------------------------

    def show_and_focus(self, habit_id: str | None = None) -> None:
        """Bring the window up with *habit_id*'s row selected, or else the first unchecked one."""
        self._refresh_if_stale()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()
        target = habit_id if habit_id in self._rows else self._first_unchecked()
        if target is not None:
            self._select(target, focus=True)
        elif self._pages.currentIndex() == 1:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def habit_ids(self) -> list[str]:
        """The habits listed, in order: those open now, then the later ones (shown or collapsed)."""
        return list(self._order)

    def later_habit_ids(self) -> list[str]:
        """The habits listed under "Later" (reminder more than two weeks away), by reminder time."""
        return list(self._later)

    def row(self, habit_id: str) -> CheckOffRow | None:
        """The row of *habit_id*, if it is listed."""
        return self._rows.get(habit_id)

    def selected_habit_id(self) -> str | None:
        """The habit whose row is selected (the one Undo, Skip and Earlier act on)."""
        return self._selected

    def select_habit(self, habit_id: str) -> bool:
        """Select *habit_id*'s row and give it the keyboard focus; False if it is not listed."""
        if habit_id not in self._rows:
            return False
        self._select(habit_id, focus=True)
        return True

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

    def refresh(self, habit_ids: frozenset[str] | None = None) -> None:
        """Redraw from the model's reports, keeping the selection: the rows of *habit_ids* (and
        rows that come or go), or every row."""
        now = self._model.now()
        zone = self._model.zone
        reports = self._model.reports()
        open_reports = [report for report in reports if report.current is not None]
        soon = [report for report in open_reports if not _is_later(report, now)]
        later = sorted(
            (report for report in open_reports if _is_later(report, now)),
            key=_reminder_utc,
        )
        ids = [report.habit.id for report in soon + later]

        focus = QApplication.focusWidget()
        list_had_focus = focus is not None and self._list.isAncestorOf(focus)
        old_index = self._order.index(self._selected) if self._selected in self._order else 0
        for habit_id in [habit_id for habit_id in self._rows if habit_id not in ids]:
            row = self._rows.pop(habit_id)
            self._list_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        for report in open_reports:
            existing = self._rows.get(report.habit.id)
            if existing is not None and habit_ids is not None and report.habit.id not in habit_ids:
                continue  # untouched by the change: it shows what it showed
            row = existing or self._make_row(report.habit.id)
            row.show_report(report, now, zone)
        later_ids = [report.habit.id for report in later]
        if ids != self._order or later_ids != self._later:
            for habit_id in ids:
                self._list_layout.removeWidget(self._rows[habit_id])
            self._list_layout.removeWidget(self.later_toggle)
            widgets: list[QWidget] = [self._rows[habit_id] for habit_id in ids[: len(soon)]]
            widgets.append(self.later_toggle)
            widgets += [self._rows[habit_id] for habit_id in later_ids]
            for index, widget in enumerate(widgets):
                self._list_layout.insertWidget(index, widget)
            self._order = ids
            self._later = later_ids
            self._chain_tab_order()
        self._show_later_group()

        shown = self._shown_order()
        if self._selected not in shown:
            self._selected = shown[min(old_index, len(shown) - 1)] if shown else None
        self._select(self._selected, focus=list_had_focus and self._selected is not None)
        self._show_page(bool(self._model.reports(include_archived=True)), bool(ids))
        self._schedule_refresh(open_reports, now)

    def undo_selected(self) -> None:
        """Take back the selected habit's latest check-off or skip (Ctrl+Z)."""
        if self._selected is None:
            return
        report = self._model.report(self._selected)
        if report is None or latest_mark(report) is None:
            self._say(self.tr("Nothing to undo for the selected habit."))
            return
        self._undo(report)

    def skip_selected(self) -> None:
        """Skip the selected habit's open occurrence."""
        habit_id = self._selected
        report = self._model.report(habit_id) if habit_id else None
        if habit_id is None or report is None:
            return
        change = self._model.skip(habit_id, by=self)
        if change is None:
            return
        if change.over_skip_cap:
            allowed = self._model.settings().max_skips
            message = (
                self.tr("“{name}” skipped, but it counts as missed: only 1 skip counts among recent times.")
                if allowed == 1
                else self.tr(
                    "“{name}” skipped, but it counts as missed: only {n} skips count among recent times."
                )
            )
            self._say(message.format(name=report.habit.name, n=allowed))
        else:
            self._say(self.tr("“{name}” skipped; its score stays as it was.").format(name=report.habit.name))

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

    # -- events ---------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Start timing the next refresh (a reminder time or a window's end)."""
        super().showEvent(event)
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt's name)
        """No refreshes while nobody looks."""
        super().hideEvent(event)
        self._refresh_timer.stop()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Follow a theme change (light to dark) in the dimmed labels."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for label in self._dimmed:
                self._dim(label)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Closing only hides the window: the app lives on in the tray, and reopens it as it was."""
        self.status_label.hide()
        super().closeEvent(event)

    # -- rows and selection ---------------------------------------------------------------------------

    def _make_row(self, habit_id: str) -> CheckOffRow:
        row = CheckOffRow(habit_id, self._list)
        row.toggle_requested.connect(self._on_row_toggle_requested)
        row.check_off_requested.connect(self._on_row_check_off_requested)
        row.selected.connect(self._on_row_selected)
        row.moved.connect(self._on_row_moved)
        self._rows[habit_id] = row
        return row

    def _chain_tab_order(self) -> None:
        # New rows join the end of the Tab chain, after the buttons; put the list first. Only the
        # selected row's check box takes Tab focus (see CheckOffRow.set_selected).
        soon = [habit_id for habit_id in self._order if habit_id not in self._later]
        chain: list[QWidget] = [self._rows[habit_id].check_box for habit_id in soon]
        chain.append(self.later_toggle)
        chain += [self._rows[habit_id].check_box for habit_id in self._later]
        chain += [self.undo_button, self.skip_button, self.earlier_button, self.note_button]
        chain += [self.habits_button, self.close_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _select(self, habit_id: str | None, *, focus: bool) -> None:
        self._selected = habit_id
        for row_id, row in self._rows.items():
            row.set_selected(row_id == habit_id)
        selected = self._rows.get(habit_id) if habit_id else None
        if selected is not None:
            if focus:
                selected.check_box.setFocus(Qt.FocusReason.OtherFocusReason)
            self.list_area.ensureWidgetVisible(selected)
        self._update_actions()

    def _shown_order(self) -> list[str]:
        """The listed habits whose rows show (the later ones only while the group is open)."""
        if self.later_toggle.isChecked():
            return list(self._order)
        return [habit_id for habit_id in self._order if habit_id not in self._later]

    def _show_later_group(self) -> None:
        count = len(self._later)
        self.later_toggle.setVisible(bool(count))
        self.later_toggle.setText(self.tr("Later (%n)", "", count))
        self.later_toggle.setAccessibleName(
            self.tr("Later: %n habits whose reminder is weeks away", "", count)
        )
        expanded = self.later_toggle.isChecked()
        self.later_toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        for habit_id in self._later:
            self._rows[habit_id].setVisible(expanded)

    def _first_unchecked(self) -> str | None:
        for habit_id in self._shown_order():
            report = self._model.report(habit_id)
            if report is not None and report.current is not None and report.current.outcome is None:
                return habit_id
        shown = self._shown_order()
        return shown[0] if shown else None

    def _show_page(self, any_habits: bool, any_open: bool) -> None:
        self._pages.setCurrentIndex(0 if any_open else 1)
        for button in (self.undo_button, self.skip_button, self.earlier_button, self.note_button):
            button.setVisible(any_open)
        # With no habits at all, the empty page's own button leads to the habits window.
        self.habits_button.setVisible(any_habits)
        if not any_habits:
            self.empty_label.setText(self.tr("No habits yet — add one in Habits…"))
            self.empty_detail.setText(
                self.tr(
                    "Give a habit a schedule and a reminder time. Whenever you do it before the reminder, "
                    "tick it off here."
                )
            )
        elif not any_open:
            self.empty_label.setText(self.tr("Nothing to check off right now."))
            self.empty_detail.setText(self.tr("A habit shows up here as soon as its window opens."))

    def _update_actions(self) -> None:
        report = self._model.report(self._selected) if self._selected else None
        current = report.current if report else None
        self.skip_button.setEnabled(current is not None and current.outcome is None)
        latest = latest_mark(report) if report else None
        self.undo_button.setEnabled(latest is not None)
        if report is not None and latest is not None:
            what = (
                self.tr("skip")
                if latest.outcome is Outcome.SKIPPED or latest.skip_over_cap
                else self.tr("check-off")
            )
            self.undo_button.setToolTip(
                self.tr("Take back the {what} of “{name}” for {when} (Ctrl+Z)").format(
                    what=what, name=report.habit.name, when=self._when(latest.occurrence.reminder)
                )
            )
        else:
            self.undo_button.setToolTip(
                self.tr("Take back the selected habit's latest check-off or skip (Ctrl+Z)")
            )
        checked = latest_check_off(report) if report is not None else None
        self.note_button.setEnabled(checked is not None)
        self.note_button.setToolTip(
            self.tr("Put a short note on the check-off of “{name}” for {when} (Alt+N)").format(
                name=report.habit.name, when=self._when(checked.occurrence.reminder)
            )
            if report is not None and checked is not None
            else self.tr("Put a short note on the selected habit's latest check-off (Alt+N)")
        )
        self.earlier_button.setEnabled(report is not None and bool(missed_occurrences(report)))
        self.earlier_button.setToolTip(
            self.tr("Mark a recently missed time of “{name}” as done (counted as late)").format(
                name=report.habit.name
            )
            if report is not None
            else ""
        )

    # -- actions --------------------------------------------------------------------------------------

    def _toggle(self, habit_id: str) -> None:
        report = self._model.report(habit_id)
        current = report.current if report else None
        if report is None or current is None:
            return
        if current.outcome is None:
            self._check_off(habit_id)
            return
        latest = latest_mark(report)
        if (
            latest is None
            or latest.event is None
            or current.event is None
            or latest.event.id != current.event.id
        ):
            # Undo takes back the mark recorded last; that is not this one, so say what to do instead.
            self._say(
                self.tr("A later check-off of “{name}” comes first: Undo takes that one back.").format(
                    name=report.habit.name
                ),
                error=True,
            )
            return
        self._undo(report)

    def _check_off(self, habit_id: str) -> None:
        report = self._model.report(habit_id)
        current = report.current if report else None
        if report is None or current is None:
            return
        if current.outcome is not None:
            template = (
                self.tr("“{name}” is already skipped for {when}; Undo takes the skip back.")
                if current.outcome is Outcome.SKIPPED or current.skip_over_cap
                else self.tr("“{name}” is already checked off for {when}.")
            )
            self._say(template.format(name=report.habit.name, when=self._when(current.occurrence.reminder)))
            return
        change = self._model.check_off(habit_id, by=self)
        if change is None:
            return
        if change.outcome is Outcome.PREEMPTIVE:
            text = self.tr("“{name}” checked off before the reminder: it counts in full.")
        elif change.outcome is Outcome.REMINDED:
            text = self.tr("“{name}” checked off after the reminder.")
        else:
            text = self.tr("“{name}” checked off.")
        self._say(text.format(name=report.habit.name))

    def _undo(self, report: HabitReport) -> None:
        habit_id = report.habit.id
        change = self._model.undo(habit_id, by=self)
        if change is None:
            return
        undone = change.undone
        if undone is not None and undone.occurrence is not None:
            today = self._model.today()
            self._say(
                self.tr("Took back “{name}” for {day}.").format(
                    name=report.habit.name, day=day_text(self.locale(), undone.occurrence, today)
                )
            )
        else:
            self._say(self.tr("Took back the latest mark of “{name}”.").format(name=report.habit.name))

    def show_error(self, message: str) -> None:
        """Show the refusal of an action this window started, on its status line."""
        self._say(message, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        font = QFont(self.status_label.font())
        font.setBold(error)
        self.status_label.setFont(font)
        self.status_label.setText(text)
        self.status_label.show()

    def _when(self, instant: datetime) -> str:
        return when_text(self.locale(), instant, self._model.now(), self._model.zone)

    # -- keeping up with the clock --------------------------------------------------------------------

    def _refresh_if_stale(self) -> None:
        reports = self._model.reports()
        now = self._model.now().astimezone(UTC)
        if reports and now - reports[0].as_of.astimezone(UTC) >= STALE_AFTER:
            self._model.reload()  # emits changed, which redraws
        else:
            self.refresh()

    def _schedule_refresh(self, reports: list[HabitReport], now: datetime) -> None:
        """Time a re-read for when a shown status goes out of date: a reminder time, a window's end."""
        self._refresh_timer.stop()
        if not self.isVisible():
            return
        now = now.astimezone(UTC)
        instants = []
        for report in reports:
            current = report.current
            if current is None:
                continue
            instants.append(current.occurrence.closes)
            if current.outcome is None:
                instants.append(current.occurrence.reminder)
        ahead = [instant for instant in instants if instant > now]
        if not ahead:
            return
        # A second's margin, so that the re-read lands after the instant rather than just before it.
        wait_ms = int((min(ahead) - now).total_seconds() * 1000) + 1000
        self._refresh_timer.start(min(wait_ms, MAX_REFRESH_WAIT_MS))

    # -- slots ----------------------------------------------------------------------------------------

    def _on_model_changed(self, change: Change, _by: object) -> None:
        if change.definitions or change.events or change.rescores_all or "day_boundary" in change.settings:
            self.refresh(None if change.rescores_all else change.habit_ids)

    def _on_refresh_timer_timeout(self) -> None:
        self._model.reload()

    def _on_row_toggle_requested(self, habit_id: str) -> None:
        self._toggle(habit_id)

    def _on_row_check_off_requested(self, habit_id: str) -> None:
        self._check_off(habit_id)

    def _on_row_selected(self, habit_id: str) -> None:
        if habit_id != self._selected:
            self._select(habit_id, focus=False)

    def _on_row_moved(self, step: int) -> None:
        shown = self._shown_order()
        if not shown:
            return
        index = shown.index(self._selected) if self._selected in shown else 0
        if index + step >= len(shown) and self._later and not self.later_toggle.isChecked():
            self.later_toggle.setFocus(Qt.FocusReason.OtherFocusReason)  # down past the last: the group
            return
        index = max(0, min(len(shown) - 1, index + step))
        self._select(shown[index], focus=True)

    def _on_later_toggle_toggled(self, expanded: bool) -> None:
        self._show_later_group()
        if expanded and self._later:
            self._select(self._later[0], focus=self.later_toggle.hasFocus())
        elif not expanded and self._selected in self._later:
            shown = self._shown_order()
            self._select(shown[-1] if shown else None, focus=False)
            self.later_toggle.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_undo_button_clicked(self) -> None:
        self.undo_selected()

    def _on_undo_shortcut_activated(self) -> None:
        self.undo_selected()

    def _on_skip_button_clicked(self) -> None:
        self.skip_selected()

    def _on_earlier_button_clicked(self) -> None:
        self.open_backfill()

    def _on_note_button_clicked(self) -> None:
        self.open_note()

    def _on_note_dialog_finished(self, _result: int) -> None:
        if self._note_dialog is not None:
            self._note_dialog.deleteLater()
        self._note_dialog = None

    def _on_habits_button_clicked(self) -> None:
        self.habits_requested.emit()

    def _on_add_button_clicked(self) -> None:
        self.habits_requested.emit()

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


def _reminder_utc(report: HabitReport) -> datetime:
    current = report.current
    assert current is not None
    return current.occurrence.reminder.astimezone(UTC)


def _is_later(report: HabitReport, now: datetime) -> bool:
    """Whether *report*'s open occurrence reminds more than :data:`LATER_AFTER` from *now*."""
    return report.current is not None and _reminder_utc(report) - now.astimezone(UTC) > LATER_AFTER
