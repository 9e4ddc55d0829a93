"""The formation score, graduation and relapse against DESIGN section 3's fixed values."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers.builders import event, habit
from trayhabit.core.model import EventKind, Outcome, State
from trayhabit.core.report import evaluate
from trayhabit.core.schedule import half_life
from trayhabit.core.score import ScoreParams, alpha, recent_span, score_series
from trayhabit.core.settings import Settings

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAILY_A = alpha(24.0)
PARAMS = ScoreParams()
START = date(2026, 1, 5)  # a Monday


def daily_history(kinds: list[str], *, start: date = START) -> tuple[list, datetime]:
    """Events for a daily 09:00 habit: "p" done at 08:00, "r" at 10:00, "s" skipped, "m" nothing."""
    events = []
    for offset, kind in enumerate(kinds):
        day = start + timedelta(days=offset)
        if kind == "p":
            events.append(event(EventKind.DONE, datetime.combine(day, time(8), STOCKHOLM)))
        elif kind == "r":
            events.append(event(EventKind.DONE, datetime.combine(day, time(10), STOCKHOLM)))
        elif kind == "s":
            events.append(event(EventKind.SKIP, datetime.combine(day, time(7), STOCKHOLM)))
    # The morning after the last day's window closed: every occurrence is settled.
    now = datetime.combine(start + timedelta(days=len(kinds)), time(5), STOCKHOLM)
    return events, now


def report_for(kinds: str, **habit_fields: object):
    events, now = daily_history(list(kinds))
    return evaluate(habit(start=START, **habit_fields), events, now, STOCKHOLM, Settings())


def test_a_daily_habit_pre_empted_66_days_running_scores_0_851():
    report = report_for("p" * 66)
    assert len(report.settled) == 66
    assert report.score == pytest.approx(0.851, abs=0.001)


def test_a_daily_habit_pre_empted_56_days_reaches_0_80():
    assert report_for("p" * 56).score == pytest.approx(0.80, abs=0.002)
    assert report_for("p" * 55).score < 0.80


def test_someone_who_always_waits_for_the_reminder_levels_off_at_0_40():
    report = report_for("r" * 400)
    assert report.score == pytest.approx(0.40, abs=0.0005)
    assert all(entry.outcome is Outcome.REMINDED for entry in report.settled)


def test_skips_leave_the_score_unchanged():
    before = report_for("p" * 10)
    after = report_for("p" * 10 + "s")
    assert after.score == before.score
    assert after.counts[Outcome.SKIPPED] == 1


def test_a_third_skip_within_the_recent_span_counts_as_missed():
    report = report_for("p" * 20 + "sss")
    outcomes = [entry.outcome for entry in report.settled[-3:]]
    assert outcomes == [Outcome.SKIPPED, Outcome.SKIPPED, Outcome.MISSED]
    assert report.settled[-1].skip_over_cap


def test_a_missed_day_lowers_the_score_and_counts_as_missed():
    report = report_for("p" * 10 + "m")
    assert report.score < report_for("p" * 10).score
    assert report.counts[Outcome.MISSED] == 1


def test_weekly_habits_use_their_own_half_life():
    h = half_life("FREQ=WEEKLY;BYDAY=MO", 24.0)
    assert h == pytest.approx(24 / math.sqrt(7))
    assert recent_span(h) == 6
    assert half_life("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 24.0) == pytest.approx(24 * math.sqrt(5 / 7))
    # 20 pre-empted weeks score what 20 occurrences at that half-life give, far above 20 daily ones.
    weekly = [Outcome.PREEMPTIVE] * 20
    assert score_series(weekly, alpha(h), PARAMS)[-1] == pytest.approx(1 - 2 ** (-20 / h))
    assert score_series(weekly, alpha(h), PARAMS)[-1] > score_series(weekly, DAILY_A, PARAMS)[-1]


def test_the_recent_span_of_a_daily_habit_is_14():
    assert recent_span(24.0) == 14


@given(st.lists(st.sampled_from(list(Outcome)), max_size=80), st.sampled_from(list(Outcome)))
def test_a_pre_emptive_check_off_never_lowers_the_score(history, other):
    """Whatever came before, pre-empting the next occurrence scores at least as well as anything else."""
    a = DAILY_A
    preempted = score_series([*history, Outcome.PREEMPTIVE], a, PARAMS)[-1]
    otherwise = score_series([*history, other], a, PARAMS)[-1]
    before = score_series(history, a, PARAMS)[-1] if history else 0.0
    assert preempted >= before
    assert preempted >= otherwise


@given(st.lists(st.sampled_from(list(Outcome)), min_size=1, max_size=60), st.data())
def test_turning_any_occurrence_into_a_pre_emptive_one_never_lowers_the_final_score(history, data):
    index = data.draw(st.integers(0, len(history) - 1))
    improved = [*history[:index], Outcome.PREEMPTIVE, *history[index + 1 :]]
    assert score_series(improved, DAILY_A, PARAMS)[-1] >= score_series(history, DAILY_A, PARAMS)[-1] - 1e-12


# -- graduation -------------------------------------------------------------------------------------


def test_graduation_is_suggested_after_steady_pre_emption():
    report = report_for("p" * 66)
    assert report.graduation.suggested
    assert "14 of the last 14" in report.graduation.reason


def test_graduation_is_not_suggested_below_the_score_threshold():
    report = report_for("p" * 40)
    assert not report.graduation.suggested
    assert "0.80" in report.graduation.reason


def test_graduation_is_not_suggested_with_a_recent_miss_despite_a_high_score():
    report = report_for("p" * 80 + "m" + "p" * 5)
    assert report.score >= 0.80
    assert not report.graduation.suggested
    assert "missed" in report.graduation.reason


def test_graduation_needs_80_percent_pre_emptive_among_the_recent_span():
    # 11 of the last 14 pre-empted (79%) is not enough, 12 (86%) is.
    not_enough = report_for("p" * 100 + "rrr" + "p" * 11)
    enough = report_for("p" * 100 + "rr" + "p" * 12)
    assert not not_enough.graduation.suggested and "11 of 14 recent times" in not_enough.graduation.reason
    assert enough.graduation.suggested


# -- relapse ----------------------------------------------------------------------------------------

GRADUATED_ON = datetime.combine(START + timedelta(days=70), time(5), STOCKHOLM)


def graduated_report(kinds: str):
    return report_for(kinds, state=State.GRADUATED, state_changed_at=GRADUATED_ON)


def test_a_graduated_habit_keeps_its_retired_reminder_while_pre_empted():
    report = graduated_report("p" * 70 + "p" * 5)
    assert not report.graduation.relapse
    assert report.next_reminder is None


def test_two_misses_in_a_row_bring_the_reminder_back():
    assert graduated_report("p" * 70 + "pmm").graduation.relapse
    assert not graduated_report("p" * 70 + "mpm").graduation.relapse


def test_three_missed_or_late_among_the_recent_span_bring_the_reminder_back():
    def with_late(offsets: tuple[int, ...]):
        events, now = daily_history(list("p" * 78))
        late_days = {START + timedelta(days=offset) for offset in offsets}
        events = [e for e in events if e.occurrence not in late_days]
        for day in late_days:
            # Back-filled at 06:00 the next morning, after the window closed at 04:00: late.
            next_morning = datetime.combine(day + timedelta(days=1), time(6), STOCKHOLM)
            events.append(
                event(EventKind.DONE, datetime.combine(day, time(12), STOCKHOLM), recorded_at=next_morning)
            )
        return evaluate(
            habit(state=State.GRADUATED, state_changed_at=GRADUATED_ON), events, now, STOCKHOLM, Settings()
        )

    three = with_late((71, 73, 75))
    assert [entry.outcome for entry in three.settled].count(Outcome.LATE) == 3
    assert three.graduation.relapse
    assert "3 missed or late" in three.graduation.reason
    two = with_late((71, 73))
    assert not two.graduation.relapse


def test_a_score_below_0_60_brings_the_reminder_back():
    report = graduated_report("r" * 70 + "pp")
    assert report.score < 0.60
    assert report.graduation.relapse
    assert "0.60" in report.graduation.reason


def test_after_the_recent_span_without_relapse_it_offers_to_stop_tracking():
    assert graduated_report("p" * 70 + "p" * 14).graduation.stop_tracking_suggested
    assert not graduated_report("p" * 70 + "p" * 13).graduation.stop_tracking_suggested


def test_a_reminder_retired_early_comes_back_by_score_only_below_where_it_stood():
    # Retired on request at about 0.35, far below the 0.60 relapse line (DESIGN section 3).
    at_retirement = report_for("r" * 70).score
    assert at_retirement < 0.60

    def retired_early(kinds: str):
        return report_for(
            kinds, state=State.GRADUATED, state_changed_at=GRADUATED_ON, graduated_score=at_retirement
        )

    # Nothing settled since: believed, whatever the score.
    assert not retired_early("r" * 70).graduation.relapse
    # Better since, though still below 0.60: believed.
    better = retired_early("r" * 70 + "pr")
    assert at_retirement < better.score < 0.60
    assert not better.graduation.relapse
    # Below where it stood: the reminder comes back, and says why.
    worse = retired_early("r" * 70 + "mr")
    assert worse.score < at_retirement
    assert worse.graduation.relapse
    assert "0.60" in worse.graduation.reason
