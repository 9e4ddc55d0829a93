"""One habit's standing at one moment: score, curve, counts, next reminder, graduation.

:func:`evaluate` is the single place that puts schedule, history and score together; the command
line, the tray and the windows all show what it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from itertools import chain

from trayhabit.core.checkpoint import (
    OUTCOMES_SPAN,
    Charts,
    Checkpoint,
    anchored,
    choose_point,
    keep_for,
    pack_milestones,
    pack_outcomes,
    recent_outcomes,
    thin,
)
from trayhabit.core.history import build_history
from trayhabit.core.model import Event, Habit, Occurrence, Outcome, Settled, State
from trayhabit.core.schedule import Timeline, half_life
from trayhabit.core.score import (
    Graduation,
    ScoreParams,
    Streak,
    alpha,
    count_outcomes,
    judge,
    recent_span,
    score_series,
    step,
    streak_of,
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
    # The checkpoint a resumed report starts from: ``settled`` and ``curve`` then hold only the
    # occurrences after it (the last weeks at least), and it knows what came before.
    resumed_from: Checkpoint | None = None
    # The runs of check-offs before the reminder, the current one and the longest (whole history).
    streak: Streak = field(default_factory=Streak)
    # How many of the last ``recent`` settled occurrences had their reminder held (the person was
    # away, locked, in Do Not Disturb or presenting when it came due): beside ``counts``.
    held: int = 0

    @property
    def complete(self) -> bool:
        """Whether ``settled`` and ``curve`` go back to the habit's start."""
        return self.resumed_from is None

    @property
    def lead(self) -> tuple[Outcome, ...]:
        """The outcomes before ``settled`` that the skip allowance still looks back on."""
        return self.resumed_from.recent if self.resumed_from is not None else ()

    @property
    def score_points(self) -> list[tuple[date, float]]:
        """The score curve for a chart: every settled occurrence since the checkpoint, and a point a
        week (of occurrences) before it."""
        earlier = self.resumed_from.milestones if self.resumed_from is not None else []
        return [*earlier, *self.curve]

    @property
    def outcome_days(self) -> list[tuple[date, Outcome]]:
        """The outcome of each settled occurrence of the last months at least, oldest first."""
        earlier = self.resumed_from.outcomes if self.resumed_from is not None else []
        settled = [
            (entry.occurrence.key, entry.outcome) for entry in self.settled if entry.outcome is not None
        ]
        return [*earlier, *settled]

    @property
    def reminder_waiting(self) -> bool:
        """Whether the open occurrence is unchecked and its reminder time has come; a reminder held
        and not yet shown is not waiting (a check-off now still counts as before the reminder)."""
        current = self.current
        if current is None or current.outcome is not None:
            return False
        if current.reminder_fired:
            return True
        return current.occurrence.reminder <= self.as_of and not current.reminder_held


def evaluate(
    habit: Habit,
    events: Iterable[Event],
    now: datetime,
    zone: tzinfo,
    settings: Settings,
    *,
    resume: Checkpoint | None = None,
) -> HabitReport:
    """The report for *habit* with its *events*, as of *now*.

    With *resume* (a checkpoint that :func:`trayhabit.core.checkpoint.still_valid` accepted), only
    the occurrences after it are walked, and *events* need only be those recorded from its cutoff.
    """
    params = ScoreParams.from_settings(settings)
    timeline = Timeline(habit.schedule, zone, settings.day_boundary)
    h = half_life(habit.schedule.rrule, params.half_life_base)
    a = alpha(h)
    recent = recent_span(h)
    history = build_history(timeline, events, now, recent, params.max_skips, resume=resume)
    outcomes = [entry.outcome for entry in history.settled if entry.outcome is not None]
    start = resume.score if resume is not None else 0.0
    series = score_series(outcomes, a, params, start)
    score = series[-1] if series else start
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
        resumed_from=resume,
        streak=streak_of(outcomes, _resumed_streak(resume)),
        held=sum(entry.reminder_held for entry in history.settled[-recent:]),
    )


def _resumed_streak(resume: Checkpoint | None) -> Streak | None:
    return Streak(resume.run, resume.best_run) if resume is not None else None


def checkpoint_of(
    report: HabitReport,
    fingerprint: str,
    events_around: Callable[[datetime], tuple[str, int, list[Event]]],
) -> Checkpoint | None:
    """A checkpoint some weeks back in *report*'s settled occurrences, or None when it has too few.

    *events_around* gives, for a cutoff instant, a digest of the store's revisions of the months
    before its month, how many of the habit's events in its month come before it, and those
    recorded from it on.
    """
    index = choose_point(
        report.habit,
        [entry.occurrence.reminder for entry in report.settled],
        keep_for(report.recent),
    )
    if index is None:
        return None
    point = report.settled[index]
    outcomes = [*report.lead, *(entry.outcome for entry in report.settled[: index + 1] if entry.outcome)]
    occurrence = point.occurrence
    streak = streak_of(
        (entry.outcome for entry in report.settled[: index + 1] if entry.outcome),
        _resumed_streak(report.resumed_from),
    )
    checkpoint = Checkpoint(
        fingerprint=fingerprint,
        through=occurrence.key,
        wall=datetime.combine(occurrence.key, report.habit.schedule.at),
        closes=occurrence.closes,
        score=report.curve[index][1],
        recent=recent_outcomes(outcomes, report.recent - 1),
        history="",
        events_before=0,
        run=streak.current,
        best_run=streak.best,
    )
    first_kept = occurrence.key - OUTCOMES_SPAN
    earlier = report.resumed_from.outcome_count if report.resumed_from is not None else 0
    return replace(
        anchored(checkpoint, *events_around(checkpoint.cutoff)),
        # Packed records join by concatenation: the earlier milestones need not be unpacked.
        charts=Charts(
            (report.resumed_from.packed_milestones if report.resumed_from is not None else "")
            + pack_milestones(thin(report.curve[: index + 1])),
            pack_outcomes(
                (key, outcome)
                for key, outcome in report.outcome_days[: earlier + index + 1]
                if key >= first_kept
            ),
        ),
    )


def next_reminder(
    habit: Habit, timeline: Timeline, current: Settled | None, now: datetime
) -> datetime | None:
    """The next reminder that will actually fire: after *now*, for an occurrence not yet checked off.

    None for a habit whose reminder is retired (graduated) or that is archived or deleted.
    """
    if habit.state is not State.LEARNING or habit.deleted_at is not None:
        return None
    if current is None:
        candidates: Iterable[Occurrence] = timeline.upcoming(now, 2)
    else:
        # From the open occurrence on: no walk from the habit's start (years of a daily habit).
        after = timeline.after(datetime.combine(current.occurrence.key, habit.schedule.at))
        candidates = chain([current.occurrence], after)
    for occurrence in candidates:
        if occurrence.reminder <= now:
            continue
        if current is not None and occurrence.key == current.occurrence.key and current.outcome is not None:
            continue  # checked off or skipped already: its reminder is suppressed
        return occurrence.reminder
    return None
