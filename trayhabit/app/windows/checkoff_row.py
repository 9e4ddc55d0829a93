"""One row of the check-off window: a habit's open occurrence, its status, its score and a check box.

The row only shows what a :class:`~trayhabit.core.report.HabitReport` says and reports what the user
did (a click, Space, Enter, an arrow key); the window decides what that means and asks the model.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QCheckBox, QFrame, QGridLayout, QLabel, QSizePolicy, QWidget

from trayhabit.app.datetime_text import when_text
from trayhabit.app.formatting import format_score
from trayhabit.app.windows.theme import box_frame_base, secondary_color
from trayhabit.core.model import Outcome, State
from trayhabit.core.report import HabitReport

# How far Home/End move: further than any list is long; the window clamps the step to its rows.
_FAR = 1_000_000
_STEPS = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_PageUp: -5,
    Qt.Key.Key_PageDown: 5,
    Qt.Key.Key_Home: -_FAR,
    Qt.Key.Key_End: _FAR,
}


class RowCheckBox(QCheckBox):
    """The row's check box. Its state is whatever the store recorded, never a local guess.

    A click or Space emits ``clicked`` without changing the state; the window asks the model, and
    the redraw on ``changed`` sets the state. So a refused check-off never looks done.

    Signals:
        moved(int): the user pressed an arrow, Page Up/Down, Home or End (rows to move, signed).
        activated(): the user pressed Enter or Return.
        focused(): the check box took keyboard focus.
    """

    moved = Signal(int)
    activated = Signal()
    focused = Signal()

    def nextCheckState(self) -> None:  # noqa: N802 (Qt's name)
        """Leave the state alone: the redraw from the model sets it."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Arrows move between rows, Enter checks off; everything else as for any check box."""
        key = Qt.Key(event.key())
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if plain and key in _STEPS:
            self.moved.emit(_STEPS[key])
            event.accept()
        elif plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated.emit()
            event.accept()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        """Say so, so that the row under the keyboard is the selected row."""
        super().focusInEvent(event)
        self.focused.emit()


class CheckOffRow(QFrame):
    """A habit whose window is open now: name, why, reminder time, status, score, check box.

    Signals:
        toggle_requested(str): the check box was clicked or Space pressed (the habit's id).
        check_off_requested(str): Enter was pressed on the row (the habit's id).
        selected(str): the row was clicked or took focus (the habit's id).
        moved(int): an arrow, Page Up/Down, Home or End on the row (rows to move, signed).
    """

    toggle_requested = Signal(str)
    check_off_requested = Signal(str)
    selected = Signal(str)
    moved = Signal(int)

    def __init__(self, habit_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.habit_id = habit_id
        self._is_selected = False
        self.setObjectName("checkOffRow")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.check_box = RowCheckBox(self)
        self.check_box.setTristate(True)  # the partial state shows a skip
        self.name_label = QLabel(self)
        self.why_label = QLabel(self)
        self.when_label = QLabel(self)
        self.status_label = QLabel(self)
        self.score_label = QLabel(self)
        for label in (self.name_label, self.why_label, self.when_label, self.status_label, self.score_label):
            # Names and reasons are the user's text: never read them as HTML.
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.why_label.setWordWrap(True)
        self.score_label.setWordWrap(True)
        self.name_label.setWordWrap(True)
        bold = QFont(self.name_label.font())
        bold.setBold(True)
        self.name_label.setFont(bold)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        self.when_label.setAlignment(right)
        self.status_label.setAlignment(right)

        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 12, 8)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.check_box, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.name_label, 0, 1)
        grid.addWidget(self.when_label, 0, 2)
        grid.addWidget(self.why_label, 1, 1)
        grid.addWidget(self.status_label, 1, 2)
        grid.addWidget(self.score_label, 2, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self._apply_secondary_colors()

        self.check_box.clicked.connect(self._on_check_box_clicked)
        self.check_box.activated.connect(self._on_check_box_activated)
        self.check_box.moved.connect(self.moved)
        self.check_box.focused.connect(self._on_check_box_focused)

    # -- showing a report -----------------------------------------------------------------------------

    def show_report(self, report: HabitReport, now: datetime, zone: tzinfo) -> None:
        """Show the open occurrence of *report* as of *now*."""
        current = report.current
        if current is None:
            return
        habit = report.habit
        retired = habit.state is State.GRADUATED
        self.name_label.setText(habit.name)
        self.why_label.setText(habit.why)
        self.why_label.setVisible(bool(habit.why))
        when = when_text(self.locale(), current.occurrence.reminder, now, zone)
        if retired:
            self.when_label.setText(self.tr("Usual time {when}").format(when=when))
            self.when_label.setToolTip(self.tr("The reminder is retired; the habit is tracked silently."))
        else:
            self.when_label.setText(self.tr("Reminder {when}").format(when=when))
            self.when_label.setToolTip("")
        status, strong = self._status(report, retired)
        self.status_label.setText(status)
        font = QFont(self.status_label.font())
        font.setBold(strong)
        self.status_label.setFont(font)
        self.score_label.setText(self._score(report, retired))
        outcome = current.outcome
        if outcome is None:
            state = Qt.CheckState.Unchecked
        elif outcome is Outcome.SKIPPED or current.skip_over_cap:
            state = Qt.CheckState.PartiallyChecked
        else:
            state = Qt.CheckState.Checked
        self.check_box.setCheckState(state)
        self.check_box.setAccessibleName(habit.name)
        # The status as a screen reader says it: without the tick, which the check box's own checked
        # state already says (Orca would read it out as "check mark").
        spoken = status.removeprefix("✓").strip()
        self.check_box.setAccessibleDescription(
            "; ".join(part for part in (spoken, self.when_label.text(), self.score_label.text()) if part)
        )
        self.check_box.setToolTip(
            self.tr("Check “{name}” off (Space)").format(name=habit.name)
            if outcome is None
            else self.tr("Take it back (Space)")
        )

    def _status(self, report: HabitReport, retired: bool) -> tuple[str, bool]:
        """The status text, and whether it needs the user's attention (shown bold)."""
        current = report.current
        assert current is not None
        outcome = current.outcome
        if outcome is None:
            if not report.reminder_waiting:
                return (
                    self.tr("Before its usual time") if retired else self.tr("Before the reminder")
                ), False
            return (self.tr("Past its usual time") if retired else self.tr("Reminder waiting")), True
        if current.skip_over_cap:
            return self.tr("Skipped — counts as missed"), False
        labels = {
            Outcome.PREEMPTIVE: self.tr("✓ Done before the reminder"),
            Outcome.REMINDED: self.tr("✓ Done after the reminder"),
            Outcome.LATE: self.tr("✓ Done late"),
            Outcome.SKIPPED: self.tr("Skipped"),
            Outcome.MISSED: self.tr("Missed"),
        }
        return labels[outcome], False

    def _score(self, report: HabitReport, retired: bool) -> str:
        """The score and what the open occurrence does to it, e.g. one more before the reminder."""
        current = report.current
        assert current is not None
        locale = self.locale()
        score = format_score(report.score, locale)
        if current.outcome is None:
            if report.reminder_waiting:
                template = (
                    self.tr("Score {score} — done now, after its usual time: {next}")
                    if retired
                    else self.tr("Score {score} — done now, after the reminder: {next}")
                )
                text = template.format(score=score, next=format_score(report.if_reminded, locale))
            else:
                text = self.tr("Score {score} — one more before the reminder: {next}").format(
                    score=score, next=format_score(report.if_preemptive, locale)
                )
        elif current.outcome is Outcome.SKIPPED:
            text = self.tr("Score {score} — a skip leaves it as it was").format(score=score)
        else:
            # The open occurrence is the last settled one, so the curve's step before it is the score
            # without it.
            before = report.curve[-2][1] if len(report.curve) >= 2 else 0.0
            change = report.score - before
            if change >= 0.005:
                text = self.tr("Score {score} — up {change} with this one").format(
                    score=score, change=format_score(change, locale)
                )
            elif change <= -0.005:
                text = self.tr("Score {score} — down {change} with this one").format(
                    score=score, change=format_score(-change, locale)
                )
            else:
                text = self.tr("Score {score} — about the same with this one").format(score=score)
        if report.graduation.suggested:
            text = self.tr("{score} · ready to retire the reminder").format(score=text)
        return text

    # -- selection ----------------------------------------------------------------------------------------

    @property
    def is_selected(self) -> bool:
        """Whether this is the window's selected row."""
        return self._is_selected

    def set_selected(self, selected: bool) -> None:
        """Mark the row selected; only the selected row's check box is in the Tab chain."""
        self._is_selected = selected
        # A roving tab stop: the list is one stop in the Tab order, and arrows move inside it.
        self.check_box.setFocusPolicy(Qt.FocusPolicy.StrongFocus if selected else Qt.FocusPolicy.ClickFocus)
        self.update()

    # -- events -------------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        """A card per row; the selected one tinted with the theme's highlight colour."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        highlight = palette.color(QPalette.ColorRole.Highlight)
        if self._is_selected:
            fill = QColor(highlight)
            fill.setAlphaF(0.16)
            border = QColor(highlight)
        else:
            fill = palette.color(QPalette.ColorRole.Base)
            border = palette.color(QPalette.ColorRole.Mid)
            border.setAlphaF(0.5)
        painter.setPen(border)
        painter.setBrush(fill)
        radius = self.fontMetrics().height() / 3
        painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1).toRectF(), radius, radius)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        """A click anywhere on the row selects it (only the check box checks it off)."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.check_box.setFocus(Qt.FocusReason.MouseFocusReason)
            self.selected.emit(self.habit_id)
            event.accept()
            return
        super().mousePressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Follow a theme change (light to dark) in the dimmed labels."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_secondary_colors()

    def _apply_secondary_colors(self) -> None:
        dim = secondary_color(self.palette())
        for label in (self.why_label, self.when_label, self.score_label):
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, dim)
            label.setPalette(palette)
        # Fusion darkens the window colour for a check box's frame, which on a dark theme is the
        # colour this card is filled with: the frame gets the colour every box of the app gets.
        box = QPalette()
        box.setColor(QPalette.ColorRole.Window, box_frame_base(self.palette()))
        self.check_box.setPalette(box)

    # -- slots --------------------------------------------------------------------------------------------

    def _on_check_box_clicked(self) -> None:
        self.selected.emit(self.habit_id)
        self.toggle_requested.emit(self.habit_id)

    def _on_check_box_activated(self) -> None:
        self.check_off_requested.emit(self.habit_id)

    def _on_check_box_focused(self) -> None:
        self.selected.emit(self.habit_id)
