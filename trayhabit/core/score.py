"""The habit-formation score, graduation and relapse (DESIGN section 3): pure functions.

Over the settled occurrences in order, from ``S_0 = 0``::

    S_k = S_{k-1} + a * (c_k - S_{k-1})      a = 1 - 2^(-1/h)      h = base * sqrt(f)

``c_k`` is the credit of the occurrence's outcome (skips leave S unchanged) and ``f`` the number of
scheduled occurrences per day. In the long run S is the weighted share of recent times the user did
it before the reminder, with after-reminder times counting 40 %.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trayhabit.core.i18n import _, format_decimal, ngettext
from trayhabit.core.model import Habit, Outcome, Settled, State
from trayhabit.core.settings import Settings


@dataclass(frozen=True)
class ScoreParams:
    """The score's parameters; every one is a setting, with DESIGN's defaults."""

    credit_preemptive: float = 1.0
    credit_reminded: float = 0.4
    credit_late: float = 0.15
    half_life_base: float = 24.0
    graduation_score: float = 0.80
    graduation_share: float = 0.80
    relapse_score: float = 0.60
    max_skips: int = 2

    @classmethod
    def from_settings(cls, settings: Settings) -> ScoreParams:
        """The parameters in force."""
        return cls(
            credit_preemptive=settings.credit_preemptive,
            credit_reminded=settings.credit_reminded,
            credit_late=settings.credit_late,
            half_life_base=settings.half_life_base,
            graduation_score=settings.graduation_score,
            graduation_share=settings.graduation_preemptive_share,
            relapse_score=settings.relapse_score,
            max_skips=settings.max_skips,
        )

    def credit(self, outcome: Outcome) -> float | None:
        """``c_k`` for *outcome*; None for a skip, which leaves the score as it was."""
        credits: dict[Outcome, float | None] = {
            Outcome.PREEMPTIVE: self.credit_preemptive,
            Outcome.REMINDED: self.credit_reminded,
            Outcome.LATE: self.credit_late,
            Outcome.MISSED: 0.0,
            Outcome.SKIPPED: None,
        }
        return credits[outcome]


def alpha(half_life: float) -> float:
    """The smoothing factor ``a = 1 - 2^(-1/h)``: after h occurrences an old outcome weighs half."""
    return 1.0 - math.exp2(-1.0 / half_life)


def recent_span(half_life: float) -> int:
    """``m = max(6, round(0.6 h))``, the number of recent occurrences graduation and relapse look at."""
    return max(6, math.floor(0.6 * half_life + 0.5))  # round half up, not to even


def step(score: float, credit: float | None, a: float) -> float:
    """The score after one more settled occurrence."""
    return score if credit is None else score + a * (credit - score)


def score_series(
    outcomes: Iterable[Outcome], a: float, params: ScoreParams, start: float = 0.0
) -> list[float]:
    """The score after each outcome, from ``S_0 = 0`` (or *start*, resuming from a checkpoint)."""
    series: list[float] = []
    score = start
    for outcome in outcomes:
        score = step(score, params.credit(outcome), a)
        series.append(score)
    return series


def count_outcomes(outcomes: Iterable[Outcome]) -> dict[Outcome, int]:
    """How many of each outcome, every class present (zero where none)."""
    counts = dict.fromkeys(Outcome, 0)
    for outcome in outcomes:
        counts[outcome] += 1
    return counts


@dataclass(frozen=True)
class Streak:
    """Runs of check-offs before the reminder: the one going on now (``current``) and the longest.

    Counted over settled occurrences in order. A pre-emptive check-off adds one; a skip (within the
    allowance: a skip beyond it is settled as missed) neither adds nor breaks; a check-off after
    the reminder, a late one and a miss end the run.
    """

    current: int = 0
    best: int = 0

    def after(self, outcome: Outcome) -> Streak:
        """The runs after one more settled occurrence with *outcome*."""
        if outcome is Outcome.PREEMPTIVE:
            return Streak(self.current + 1, max(self.best, self.current + 1))
        if outcome is Outcome.SKIPPED:
            return self
        return Streak(0, self.best)


def streak_of(outcomes: Iterable[Outcome], start: Streak | None = None) -> Streak:
    """The runs after *outcomes*, from none (or *start*, resuming from a checkpoint)."""
    streak = start or Streak()
    for outcome in outcomes:
        streak = streak.after(outcome)
    return streak


@dataclass(frozen=True)
class Graduation:
    """Whether to suggest retiring the reminder, whether a graduated habit relapsed, and why."""

    suggested: bool
    reason: str
    relapse: bool = False
    stop_tracking_suggested: bool = False


def judge(
    habit: Habit, settled: Sequence[Settled], score: float, recent: int, params: ScoreParams
) -> Graduation:
    """Apply DESIGN section 3's graduation and relapse rules to a habit's settled occurrences."""
    if habit.state is State.ARCHIVED:
        return Graduation(False, _("Archived: no longer tracked."))
    if habit.state is State.GRADUATED:
        return _judge_graduated(habit, settled, score, recent, params)
    return _judge_learning(settled, score, recent, params)


def _judge_learning(settled: Sequence[Settled], score: float, recent: int, params: ScoreParams) -> Graduation:
    window = [entry.outcome for entry in settled[-recent:] if entry.outcome is not None]
    counts = count_outcomes(window)
    considered = len(window) - counts[Outcome.SKIPPED]
    needed = math.ceil(params.graduation_share * considered - 1e-9)
    problems: list[str] = []
    if len(window) < recent:
        problems.append(
            ngettext(
                "Not enough history yet: {settled} of the {recent} occurrences it needs is settled.",
                "Not enough history yet: {settled} of the {recent} occurrences it needs are settled.",
                len(window),
            ).format(settled=len(window), recent=recent)
        )
    if score < params.graduation_score:
        problems.append(
            _("The score is {score}; retiring the reminder is suggested from {threshold}.").format(
                score=format_decimal(score), threshold=format_decimal(params.graduation_score)
            )
        )
    if considered and counts[Outcome.PREEMPTIVE] < needed:
        done = counts[Outcome.PREEMPTIVE]
        # Two counts, each with its own grammatical number: "Before the reminder 0 of 1 recent time;
        # 1 is needed."
        problems.append(
            ngettext(
                "Before the reminder {done} of {count} recent time;",
                "Before the reminder {done} of {count} recent times;",
                considered,
            ).format(done=done, count=considered)
            + " "
            + ngettext("{needed} is needed.", "{needed} are needed.", needed).format(needed=needed)
        )
    if counts[Outcome.MISSED]:
        problems.append(
            ngettext(
                "{missed} missed among the last {recent}; none may be missed.",
                "{missed} missed among the last {recent}; none may be missed.",
                counts[Outcome.MISSED],
            ).format(missed=counts[Outcome.MISSED], recent=recent)
        )
    if problems:
        return Graduation(False, " ".join(problems))
    return Graduation(
        True,
        _(
            "Done before the reminder {done} of the last {count} times, none missed, score {score}: "
            "the habit looks formed, so you can retire the reminder."
        ).format(done=counts[Outcome.PREEMPTIVE], count=considered, score=format_decimal(score)),
    )


def _judge_graduated(
    habit: Habit, settled: Sequence[Settled], score: float, recent: int, params: ScoreParams
) -> Graduation:
    since = habit.state_changed_at
    after = [entry for entry in settled if since is None or entry.occurrence.reminder >= since]
    outcomes = [entry.outcome for entry in after if entry.outcome not in (None, Outcome.SKIPPED)]
    window = outcomes[-recent:]
    if len(outcomes) >= 2 and outcomes[-1] is Outcome.MISSED and outcomes[-2] is Outcome.MISSED:
        return Graduation(False, _("Relapse: missed twice in a row, so the reminder is back."), relapse=True)
    slips = sum(outcome in (Outcome.MISSED, Outcome.LATE) for outcome in window)
    if slips >= 3:
        return Graduation(
            False,
            _("Relapse: {slips} missed or late among the last {recent}, so the reminder is back.").format(
                slips=slips, recent=recent
            ),
            relapse=True,
        )
    # The score rule, too, waits for the record after retirement, and fires only below where the score
    # stood then: a reminder retired early (on request, at a low score) is not handed back at once.
    below_retirement = habit.graduated_score is None or score < habit.graduated_score
    if outcomes and score < params.relapse_score and below_retirement:
        return Graduation(
            False,
            _("Relapse: the score fell to {score} (below {threshold}), so the reminder is back.").format(
                score=format_decimal(score), threshold=format_decimal(params.relapse_score)
            ),
            relapse=True,
        )
    day = since.date().isoformat() if since else "?"
    if len(after) >= recent:
        return Graduation(
            False,
            _(
                "Reminder retired on {day}; {count} occurrences since without a relapse. You can stop tracking it."
            ).format(day=day, count=len(after)),
            stop_tracking_suggested=True,
        )
    return Graduation(
        False,
        _(
            "Reminder retired on {day}; the habit is tracked silently and the reminder returns on a relapse."
        ).format(day=day),
    )
