"""The Progress tab of the habits window: score and what it means, counts, curve, calendar, graduation.

DESIGN section 3: the app explains the score where it shows it, and about retiring the reminder it
only asks; the user decides, with one click here.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.formatting import format_score
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.charts import OUTCOME_COLOURS, OutcomeCalendar, ScoreCurve
from trayhabit.app.windows.schedule_preview import plain_reminder_time
from trayhabit.app.windows.theme import error_colour, tint
from trayhabit.core.days import local_day
from trayhabit.core.describe import count_label, held_label
from trayhabit.core.model import Outcome, State
from trayhabit.core.report import HabitReport


class _Swatch(QWidget):
    """A small square in an outcome's colour: the counts double as the calendar's key."""

    def __init__(self, outcome: Outcome, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._outcome = outcome
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        side = round(self.fontMetrics().height() * 0.8)
        return QSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(OUTCOME_COLOURS[self._outcome])
        side = min(self.width(), self.height(), self.sizeHint().width())
        painter.drawRoundedRect(
            QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side), 3, 3
        )


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def _wrapping(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class HabitProgress(QWidget):
    """One habit's score with its explanation, counts over the last m, curve, calendar and graduation.

    The panel only shows; the user's answers to the graduation offer go out as signals, and the
    window acts on them through the model.

    Signals:
        retire_requested(str): the user accepted retiring the reminder of this habit (its id).
        stop_tracking_requested(str): the user accepted archiving this graduated habit (its id).
    """

    retire_requested = Signal(str)
    stop_tracking_requested = Signal(str)

    def __init__(self, model: HabitsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._habit_id: str | None = None
        self._curve = ScoreCurve()
        self._calendar = OutcomeCalendar()

        curve_box = QVBoxLayout()
        curve_box.addWidget(_heading(self.tr("Score over time")))
        curve_box.addWidget(self._curve, 1)
        middle = QHBoxLayout()
        middle.setSpacing(self.fontMetrics().averageCharWidth() * 3)
        middle.addLayout(self._build_counts())
        middle.addLayout(curve_box, 1)

        layout = QVBoxLayout(self)
        layout.setSpacing(self.fontMetrics().height())
        layout.addLayout(self._build_score())
        layout.addWidget(self._build_graduation())
        layout.addLayout(middle)
        layout.addWidget(_heading(self.tr("Outcomes in the last 20 weeks")))
        layout.addWidget(self._calendar)
        layout.addStretch(1)

        self._retire.clicked.connect(self._on_retire_clicked)
        self._stop.clicked.connect(self._on_stop_clicked)

    def _build_score(self) -> QHBoxLayout:
        self._score = QLabel()
        self._score.setObjectName("score")
        score_font = QFont(self._score.font())
        score_font.setBold(True)
        if score_font.pointSizeF() > 0:
            score_font.setPointSizeF(score_font.pointSizeF() * 2.2)
        self._score.setFont(score_font)
        self._score.setAccessibleName(self.tr("Habit-formation score"))
        self._explanation = _wrapping()
        self._raise = _wrapping()
        self._next = _wrapping()
        self._streak = _wrapping()
        self._streak.setObjectName("streak")
        self._streak.setAccessibleName(self.tr("Streak"))
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(_heading(self.tr("Habit-formation score")))
        text.addWidget(self._explanation)
        text.addWidget(self._raise)
        text.addWidget(self._streak)
        text.addWidget(self._next)
        row = QHBoxLayout()
        row.setSpacing(self.fontMetrics().averageCharWidth() * 2)
        row.addWidget(self._score, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        return row

    def _build_graduation(self) -> QFrame:
        """The relapse notice, the reason, and the offers the user may accept."""
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setAccessibleName(self.tr("Graduation"))
        self._graduation_title = _heading("")
        self._relapse = _wrapping()
        self._relapse.setObjectName("relapse_notice")
        tint(self._relapse, error_colour)
        self._relapse.setAccessibleName(self.tr("Relapse notice"))
        self._reason = _wrapping()
        self._reason.setObjectName("graduation_reason")
        self._reason.setAccessibleName(self.tr("Graduation reason"))
        self._decide = _wrapping()
        self._retire = QPushButton(self.tr("&Retire the reminder"))
        self._retire.setObjectName("retire")
        retire_font = QFont(self._retire.font())
        retire_font.setBold(True)
        self._retire.setFont(retire_font)
        self._retire.setAccessibleDescription(
            self.tr(
                "Stops the reminders of this habit; it is still tracked and the reminder returns on a relapse."
            )
        )
        self._stop = QPushButton(self.tr("&Stop tracking (archive)"))
        self._stop.setObjectName("stop_tracking")
        buttons = QHBoxLayout()
        buttons.addWidget(self._retire)
        buttons.addWidget(self._stop)
        buttons.addStretch(1)
        layout = QVBoxLayout(frame)
        layout.addWidget(self._graduation_title)
        layout.addWidget(self._relapse)
        layout.addWidget(self._reason)
        layout.addWidget(self._decide)
        layout.addLayout(buttons)
        return frame

    def _build_counts(self) -> QVBoxLayout:
        """Counts per class over the last m occurrences; the swatches are the calendar's key too."""
        self._counts_title = _heading("")
        self._counts_title.setObjectName("counts_title")
        grid = QGridLayout()
        grid.setHorizontalSpacing(self.fontMetrics().averageCharWidth())
        self._count_labels: dict[Outcome, QLabel] = {}
        for row, outcome in enumerate(OUTCOME_COLOURS):
            # One label with number and words: languages such as Swedish inflect the words by number.
            count = QLabel(count_label(outcome, 0))
            grid.addWidget(_Swatch(outcome), row, 0)
            grid.addWidget(count, row, 1)
            self._count_labels[outcome] = count
        grid.setColumnStretch(2, 1)
        # Beside the classes, not one of them: reminders that waited while the person was away.
        self._held = QLabel()
        self._held.setObjectName("held_count")
        self._held.setWordWrap(True)
        self._held.hide()
        box = QVBoxLayout()
        box.addWidget(self._counts_title)
        box.addLayout(grid)
        box.addWidget(self._held)
        box.addStretch(1)
        return box

    # -- public -----------------------------------------------------------------------------------

    def curve(self) -> ScoreCurve:
        """The score curve."""
        return self._curve

    def calendar(self) -> OutcomeCalendar:
        """The calendar of outcomes."""
        return self._calendar

    def text(self) -> str:
        """Everything the panel says, as plain text (for tests and the accessible summary)."""
        labels = [self._score, self._explanation, self._raise, self._streak, self._next]
        labels += [self._graduation_title]
        labels += [self._relapse, self._reason, self._decide, self._counts_title]
        parts = [label.text() for label in labels if label.isVisibleTo(self) and label.text()]
        parts += [label.text() for label in self._count_labels.values()]
        if self._held.isVisibleTo(self):
            parts.append(self._held.text())
        return "\n".join(parts)

    def show_report(self, report: HabitReport) -> None:
        """Show *report*, the standing of one habit."""
        habit = report.habit
        self._habit_id = habit.id
        settings = self._model.settings()
        zone = self._model.zone
        today = local_day(report.as_of, zone, settings.day_boundary)
        counts = report.counts
        considered = sum(counts.values())
        preemptive = counts[Outcome.PREEMPTIVE]

        score = format_score(report.score)
        self._score.setText(score)
        # One string per grammatical case (as the tray's "1 reminder waiting"): English and Swedish both
        # have one form for 1 and one for the rest, and the English text needs no catalogue of its own.
        if considered == 0:
            summary = self.tr("Score {score}; nothing settled yet").format(score=score)
        elif considered == 1:
            summary = (
                self.tr("Score {score}; the one settled time was before the reminder")
                if preemptive
                else self.tr("Score {score}; the one settled time was not before the reminder")
            ).format(score=score)
        else:
            summary = self.tr("Score {score}; {done} of the last {count} before the reminder").format(
                score=score, done=preemptive, count=considered
            )
        self._score.setAccessibleDescription(summary)
        self.setAccessibleDescription(summary)
        self._explanation.setText(
            self.tr(
                "The weighted share of recent times you did it before the reminder; "
                "after-reminder times count {percent} %."
            ).format(percent=round(settings.credit_reminded * 100))
        )
        self._raise.setText(
            self.tr(
                "One more time before the reminder makes it {up}; after the reminder, {reminded}."
            ).format(up=format_score(report.if_preemptive), reminded=format_score(report.if_reminded))
        )
        streak = report.streak
        self._streak.setText(
            self.tr("Streak: {current} in a row before the reminder (best {best}).").format(
                current=streak.current, best=streak.best
            )
            if streak.best
            else self.tr("Streak: none yet; each time in a row before the reminder adds one.")
        )
        self._next.setText(self._next_text(report, today))

        self._show_graduation(report, today)

        if considered == 0:
            self._counts_title.setText(self.tr("No settled occurrences yet"))
        elif considered == 1:
            self._counts_title.setText(
                self.tr("The one settled so far (graduation looks at the last {recent})").format(
                    recent=report.recent
                )
            )
        elif considered < report.recent:
            self._counts_title.setText(
                self.tr("The {count} settled so far (graduation looks at the last {recent})").format(
                    count=considered, recent=report.recent
                )
            )
        else:
            self._counts_title.setText(self.tr("The last {recent} occurrences").format(recent=report.recent))
        for outcome, label in self._count_labels.items():
            label.setText(count_label(outcome, counts[outcome]))
        self._held.setText(held_label(report.held))
        self._held.setVisible(report.held > 0)

        self._curve.set_curve(
            report.score_points,
            graduation=settings.graduation_score,
            relapse=settings.relapse_score,
        )
        self._calendar.set_history(report.outcome_days, report.current, today)
        first_day = self._calendar.first_day()
        self._calendar.set_notes(lambda: self._model.notes(habit.id, first_day))

    # -- slots ------------------------------------------------------------------------------------

    def _on_retire_clicked(self) -> None:
        if self._habit_id is not None:
            self.retire_requested.emit(self._habit_id)

    def _on_stop_clicked(self) -> None:
        if self._habit_id is not None:
            self.stop_tracking_requested.emit(self._habit_id)

    # -- helpers ----------------------------------------------------------------------------------

    def _next_text(self, report: HabitReport, today: date) -> str:
        state = report.habit.state
        if state is State.ARCHIVED:
            return self.tr("Archived: no reminders, and the habit is not tracked.")
        if state is State.GRADUATED:
            return self.tr("The reminder is retired; the habit is tracked silently.")
        if report.next_reminder is None:
            return self.tr("No reminders ahead: the schedule has ended.")
        when = report.next_reminder.astimezone(self._model.zone)
        return self.tr("Next reminder: {when}.").format(when=plain_reminder_time(when, today))

    def _show_graduation(self, report: HabitReport, today: date) -> None:
        habit = report.habit
        graduation = report.graduation
        relapsed = habit.state is State.LEARNING and bool(habit.state_reason)
        self._relapse.setVisible(relapsed)
        if relapsed:
            self._relapse.setText(self._relapse_text(habit.state_changed_at, habit.state_reason, today))
        self._reason.setText(graduation.reason)
        offer_retire = graduation.suggested and habit.state is State.LEARNING
        offer_stop = habit.state is State.GRADUATED and graduation.stop_tracking_suggested
        self._retire.setVisible(offer_retire)
        self._stop.setVisible(offer_stop)
        if offer_retire:
            self._graduation_title.setText(self.tr("The habit looks formed"))
            self._decide.setText(
                self.tr(
                    "TrayHabit suggests retiring the reminder; you decide. The habit stays tracked quietly, "
                    "and if it slips the reminder comes back and TrayHabit tells you why."
                )
            )
        elif offer_stop:
            self._graduation_title.setText(self.tr("Reminder retired"))
            self._decide.setText(
                self.tr(
                    "No relapse since the reminder was retired. You can stop tracking the habit; "
                    "archiving keeps its history, and you can restore it at any time."
                )
            )
        else:
            titles = {
                State.LEARNING: self.tr("Retiring the reminder"),
                State.GRADUATED: self.tr("Reminder retired"),
                State.ARCHIVED: self.tr("Archived"),
            }
            self._graduation_title.setText(titles[habit.state])
            self._decide.setText("")
        self._decide.setVisible(bool(self._decide.text()))

    def _relapse_text(self, when: datetime | None, reason: str, today: date) -> str:
        day = when.astimezone(self._model.zone).date() if when is not None else None
        if day is None:
            return self.tr("The reminder came back. {reason}").format(reason=reason)
        if day == today:
            return self.tr("The reminder came back today. {reason}").format(reason=reason)
        return self.tr("The reminder came back on {day}. {reason}").format(day=day.isoformat(), reason=reason)
