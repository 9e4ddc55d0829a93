"""One habit's standing at one moment: score, curve, counts, next reminder, graduation.

:func:`evaluate` is the single place that puts schedule, history and score together; the command
line, the tray and the windows all show what it returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from trayhabit.core.history import build_history
from trayhabit.core.model import Event, Habit, Outcome, Settled, State
from trayhabit.core.schedule import Timeline, half_life
from trayhabit.core.score import (
    Graduation,
    ScoreParams,
    alpha,
    count_outcomes,
    judge,
    recent_span,
    score_series,
    step,
)
from trayhabit.core.settings import Settings


@dataclass(frozen=True)
class HabitReport:
    """Everything the surfaces show about one habit at one moment."""

    habit: Habit
    as_of: datetime
    score: float
    curve: list[tuple[date, float]]
    counts: dict[Outcome, int]
    recent: int
    half_life: float
    settled: list[Settled]
    current: Settled | None
    next_reminder: datetime | None
    graduation: Graduation
    # The score after one more pre-emptive / reminded check-off: "what would raise it".
    if_preemptive: float
    if_reminded: float

    @property
    def reminder_waiting(self) -> bool:
        """Whether the open occurrence is unchecked and its reminder time has come."""
        current = self.current
        return (
            current is not None
            and current.outcome is None
            and (current.reminder_fired or current.occurrence.reminder <= self.as_of)
        )


def evaluate(
    habit: Habit, events: Iterable[Event], now: datetime, zone: tzinfo, settings: Settings
) -> HabitReport:
    """The report for *habit* with its *events*, as of *now*."""
    params = ScoreParams.from_settings(settings)
    timeline = Timeline(habit.schedule, zone, settings.day_boundary)
    h = half_life(habit.schedule.rrule, params.half_life_base)
    a = alpha(h)
    recent = recent_span(h)
    history = build_history(timeline, events, now, recent, params.max_skips)
    outcomes = [entry.outcome for entry in history.settled if entry.outcome is not None]
    series = score_series(outcomes, a, params)
    score = series[-1] if series else 0.0
    return HabitReport(
        habit=habit,
        as_of=now,
        score=score,
        curve=[(entry.occurrence.key, value) for entry, value in zip(history.settled, series, strict=True)],
        counts=count_outcomes(outcomes[-recent:]),
        recent=recent,
        half_life=h,
        settled=history.settled,
        current=history.current,
        next_reminder=next_reminder(habit, timeline, history.current, now),
        graduation=judge(habit, history.settled, score, recent, params),
        if_preemptive=step(score, params.credit(Outcome.PREEMPTIVE), a),
        if_reminded=step(score, params.credit(Outcome.REMINDED), a),
    )


def next_reminder(
    habit: Habit, timeline: Timeline, current: Settled | None, now: datetime
) -> datetime | None:
    """The next reminder that will actually fire: after *now*, for an occurrence not yet checked off.

    None for a habit whose reminder is retired (graduated) or that is archived or deleted.
    """
    if habit.state is not State.LEARNING or habit.deleted_at is not None:
        return None
    for occurrence in timeline.upcoming(now, 2):
        if current is not None and occurrence.key == current.occurrence.key and current.outcome is not None:
            continue  # checked off or skipped already: its reminder is suppressed
        return occurrence.reminder
    return None
