"""The check-off window (DESIGN section 4): what is open now, ticked off in one click or keypress.

It lists one row per tracked habit whose window is open, with the status of that occurrence and what
checking it off does to the score, and offers undo, skip and a back-fill of recently missed days.
Nothing here hints that a reminder is coming: the user opens this window, so a check-off before the
reminder is the user's own memory at work.

The window is put together from parts in their own modules: the list of rows (:mod:`.checkoff_list`),
the marks a row, a button or a key makes (:mod:`.checkoff_marks`) and the "Note…" and "Earlier…"
dialogs (:mod:`.checkoff_dialogs`). This module builds the window around them, keeps its buttons in
step with the selected habit and keeps up with the clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QHideEvent, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.datetime_text import when_text
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import window_title
from trayhabit.app.windows.backfill import BackfillDialog, missed_occurrences
from trayhabit.app.windows.checkoff_dialogs import CheckOffDialogs
from trayhabit.app.windows.checkoff_list import CheckOffList
from trayhabit.app.windows.checkoff_marks import CheckOffMarks, latest_check_off, latest_mark
from trayhabit.app.windows.checkoff_row import CheckOffRow
from trayhabit.app.windows.screen_fit import fit_to_screen
from trayhabit.app.windows.theme import secondary_color
from trayhabit.core.changes import Change
from trayhabit.core.model import Outcome
from trayhabit.core.report import HabitReport

# Cached reports older than this are recomputed when the window is brought up.
STALE_AFTER = timedelta(minutes=1)
# The window re-reads the reports when a shown reminder time passes or a window closes; it checks at
# least this often anyway (and QTimer cannot wait longer than about 24 days).
MAX_REFRESH_WAIT_MS = 60 * 60 * 1000


class CheckOffWindow(CheckOffList, CheckOffMarks, CheckOffDialogs, QWidget):
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

        # Said on a desktop without a tray (see explain_no_tray); first, where it is read first.
        self.tray_notice = QLabel(self)
        self.tray_notice.setObjectName("tray_notice")
        self.tray_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.tray_notice.setWordWrap(True)
        self.tray_notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.tray_notice.setMargin(self.fontMetrics().height() // 2)
        self.tray_notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tray_notice.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.tray_notice)
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

    def explain_no_tray(self) -> None:
        """Say, above the list, that this desktop has no tray, how to get one, and that reminders
        still come: the app opened this window because it has no icon to show."""
        self.tray_notice.setText(
            self.tr(
                "This desktop has no system tray, so TrayHabit shows this window instead; reminders "
                "still come as notifications. To get the tray icon on GNOME, install the “AppIndicator "
                "and KStatusNotifierItem Support” extension and log in again. Meanwhile, starting "
                "TrayHabit again brings this window back."
            )
        )
        self.tray_notice.show()

    def forget_no_tray(self) -> None:
        """Take the explanation back: a tray came after all (a panel that started late)."""
        self.tray_notice.hide()

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

    # -- pages and buttons ----------------------------------------------------------------------------

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

    # Here rather than with the list: PySide's tr() looks other strings up along the class's bases,
    # but a plural (%n) only in the context of the object's own class, not in a mixin's.
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

    # -- the status line ------------------------------------------------------------------------------

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

    def _on_habits_button_clicked(self) -> None:
        self.habits_requested.emit()

    def _on_add_button_clicked(self) -> None:
        self.habits_requested.emit()
