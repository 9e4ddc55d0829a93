"""Checkpoints: a report resumed from one equals the report walked from the habit's start.

A checkpoint may only ever save time, never change a score: every test compares the resumed report
with a complete one, including after the kinds of history change that must invalidate it.
"""

from __future__ import annotations

import binascii
import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.builders import event
from tests.helpers.clock import FakeClock
from trayhabit.core import fold as fold_module
from trayhabit.core import jsontext
from trayhabit.core.checkpoint import Charts, Checkpoint, pack_milestones, pack_outcomes
from trayhabit.core.model import EventKind, Outcome, Schedule
from trayhabit.core.report import HabitReport
from trayhabit.core.schedule import Timeline
from trayhabit.core.score_cache import CACHE_DIR, CACHE_FILE, CHARTS_FILE
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = date(2025, 1, 6)  # a Monday; the history crosses two DST changes
RULES = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=WEEKLY;BYDAY=MO,WE,FR",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYDAY=1MO",
    "FREQ=DAILY;UNTIL=20260301T000000",
]


@pytest.mark.parametrize("rule", RULES)
def test_occurrences_after_a_known_one_are_those_of_the_whole_schedule(rule):
    timeline = Timeline(Schedule(rule, time(2, 30), START), STOCKHOLM, time(4))
    whole = list(itertools.islice(timeline, 500))  # all of it for the rule with UNTIL
    for index in (0, 1, 17, 200, len(whole) - 2):
        wall = datetime.combine(whole[index].key, time(2, 30))
        expected = whole[index + 1 : index + 61]
        assert list(itertools.islice(timeline.after(wall), len(expected))) == expected


@pytest.mark.parametrize("rule", RULES)
def test_a_timeline_anchored_at_an_occurrence_finds_the_same_windows(rule):
    schedule = Schedule(rule, time(9), START)
    plain = Timeline(schedule, STOCKHOLM, time(4))
    known = list(itertools.islice(plain, 30))[-1]
    anchored = Timeline(schedule, STOCKHOLM, time(4), anchor=datetime.combine(known.key, time(9)))
    for days in (40, 200, 400, 700):
        instant = datetime.combine(START + timedelta(days=days), time(12), STOCKHOLM)
        assert anchored.containing(instant) == plain.containing(instant)
        assert anchored.upcoming(instant, 3) == plain.upcoming(instant, 3)


# -- the service: resumed reports against complete ones ---------------------------------------------


class Walks:
    """How many times the score cache walked a habit's history from its start (month by month)."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def walks(monkeypatch) -> Walks:
    seen = Walks()
    fold = fold_module.fold_histories

    def counted(habits, *args, **kwargs):
        seen.count += len(habits)
        return fold(habits, *args, **kwargs)

    # The score cache takes it from its module when it first walks (not at start-up).
    monkeypatch.setattr(fold_module, "fold_histories", counted)
    return seen


def _service(tmp_path, now: datetime) -> tuple[HabitService, FakeClock]:
    clock = FakeClock(now)
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    return HabitService(store, clock), clock


def _record(service: HabitService, habit_id: str, kinds: list[str], first: date) -> None:
    """One event a day from *first*: 'p' done at 07:00 (before the 09:00 reminder), 'r' at 10:00,
    'l' back-filled the next day, 's' skipped, '-' nothing."""
    with service.store.writing() as tx:
        for offset, kind in enumerate(kinds):
            day = first + timedelta(days=offset)
            if kind == "-":
                continue
            hour = {"p": 7, "r": 10, "l": 12, "s": 8}[kind]
            at = datetime.combine(day, time(hour), STOCKHOLM)
            recorded = at + timedelta(days=1) if kind == "l" else at
            kind_ = EventKind.SKIP if kind == "s" else EventKind.DONE
            mark = event(
                kind_, at, day, recorded_at=recorded, habit_id=habit_id, id=f"{habit_id}-{day.isoformat()}"
            )
            tx.add_event(mark.to_doc())


def _same(resumed: HabitReport, complete: HabitReport) -> None:
    assert not resumed.complete and complete.complete
    assert resumed.score == complete.score
    assert resumed.counts == complete.counts
    assert resumed.graduation == complete.graduation
    assert resumed.streak == complete.streak  # carried in the checkpoint, never lost with the history
    assert resumed.current == complete.current
    assert resumed.next_reminder == complete.next_reminder
    assert (resumed.if_preemptive, resumed.if_reminded) == (complete.if_preemptive, complete.if_reminded)
    assert resumed.settled == complete.settled[-len(resumed.settled) :]
    assert resumed.curve == complete.curve[-len(resumed.curve) :]
    # What the Progress tab shows: the calendar's outcomes as they are, the curve thinned out before
    # the checkpoint but every point on the complete curve, from its first.
    assert resumed.outcome_days == complete.outcome_days[-len(resumed.outcome_days) :]
    assert set(resumed.score_points) <= set(complete.curve)
    assert resumed.score_points[0] == complete.curve[0]


outcome_days = st.lists(st.sampled_from("pppprrl-s"), min_size=150, max_size=260)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=outcome_days, later=st.lists(st.sampled_from("pprl-s"), min_size=1, max_size=80))
def test_a_resumed_report_equals_the_complete_one(tmp_path_factory, first, later):
    folder = tmp_path_factory.mktemp("store")
    start = date(2025, 3, 1)
    service, clock = _service(folder, datetime.combine(start, time(6), STOCKHOLM))
    habit = service.add_habit("Stretch", "FREQ=DAILY", time(9), start=start).habit
    assert habit is not None
    # Each stretch of days is recorded once it has passed, as the store keeps it then.
    clock.set(datetime.combine(start + timedelta(days=len(first)), time(6), STOCKHOLM))
    _record(service, habit.id, first, start)
    service.reports()  # leaves a checkpoint behind
    clock.advance(days=len(later), hours=5)
    _record(service, habit.id, later, start + timedelta(days=len(first)))
    resumed = service.report(habit)
    _same(resumed, service.report(habit, complete=True))


@pytest.fixture
def checkpointed(tmp_path, walks):
    """A daily habit with 200 days of history (every fifth day missed) and a checkpoint made."""
    start = date(2025, 3, 1)
    service, clock = _service(tmp_path, datetime.combine(start, time(6), STOCKHOLM))
    habit = service.add_habit("Stretch", "FREQ=DAILY", time(9), start=start).habit
    assert habit is not None
    clock.set(datetime.combine(start + timedelta(days=200), time(6), STOCKHOLM))
    _record(service, habit.id, list("pppr-" * 40), start)  # recorded over the days now past
    first = service.report(habit)
    assert walks.count == 1  # no checkpoint yet: walked from the start, leaving one
    _same(first, service.report(habit, complete=True))
    assert not service.report(habit).complete
    assert walks.count == 1
    return service, clock, habit


def test_a_new_name_or_why_keeps_the_checkpoint_and_a_new_time_does_not(checkpointed, walks):
    service, _clock, habit = checkpointed
    renamed = service.update_habit(habit.id, name="Stretch the back", why="Desk days").habit
    assert renamed is not None
    report = service.report(renamed)
    assert not report.complete  # a rename reads no old month
    assert report.score == service.report(renamed, complete=True).score
    assert walks.count == 1
    moved = service.update_habit(habit.id, at=time(10)).habit
    assert moved is not None
    _same(service.report(moved), service.report(moved, complete=True))
    assert walks.count == 2  # the history is judged against the new time


def test_the_checkpoint_survives_in_the_data_folder_for_the_next_run(checkpointed, tmp_path):
    service, clock, habit = checkpointed
    assert (tmp_path / "data" / CACHE_DIR / CACHE_FILE).is_file()
    again = HabitService(service.store, clock)  # another process, say
    _same(again.report(habit), again.report(habit, complete=True))


def test_a_damaged_cache_file_costs_only_time(checkpointed, tmp_path, walks):
    service, clock, habit = checkpointed
    (tmp_path / "data" / CACHE_DIR / CACHE_FILE).write_bytes(b'{"format": "trayhabit-checkpoints", "hab')
    fresh = HabitService(service.store, clock)
    report = fresh.report(habit)
    assert walks.count == 2
    assert report.score == service.report(habit, complete=True).score


def test_a_back_filled_check_off_of_a_covered_day_is_counted(checkpointed):
    service, _clock, habit = checkpointed
    missed = date(2025, 3, 1) + timedelta(days=34)  # a fifth day: nothing recorded, long covered
    before = service.report(habit).score
    service.check_off(habit.id, at=datetime.combine(missed, time(20), STOCKHOLM))  # late, recorded now
    resumed = service.report(habit)
    assert resumed.score == service.report(habit, complete=True).score
    assert resumed.score > before  # missed (0) became late (0.15)


def test_an_undo_of_a_covered_check_off_is_counted(checkpointed):
    service, clock, habit = checkpointed
    old = f"{habit.id}-{(date(2025, 3, 1) + timedelta(days=20)).isoformat()}"
    with service.store.writing() as tx:
        tx.add_event(
            event(EventKind.UNDO, clock.now(), habit_id=habit.id, id="undo-old", target=old).to_doc()
        )
    _same_scores(service, habit)


def test_a_note_on_a_covered_check_off_keeps_the_checkpoint(checkpointed):
    service, clock, habit = checkpointed
    day = date(2025, 3, 1) + timedelta(days=20)
    with service.store.writing() as tx:
        note = event(
            EventKind.NOTE, clock.now(), day, habit_id=habit.id, id="note-old", target=f"{habit.id}-{day}"
        )
        tx.add_event({**note.to_doc(), "note": "called Acme"})
    assert not service.report(habit).complete  # a note changes no outcome: nothing to walk again
    assert service.notes(habit.id, day) == {day: "called Acme"}
    _same_scores(service, habit)


def test_events_imported_into_covered_months_are_counted(checkpointed):
    service, _clock, habit = checkpointed
    # Another device's check-off of a covered day, recorded back then (as an import or sync brings it).
    day = date(2025, 3, 1) + timedelta(days=44)
    at = datetime.combine(day, time(7, 30), STOCKHOLM)
    with service.store.writing() as tx:
        tx.add_event(event(EventKind.DONE, at, day, habit_id=habit.id, id="imported").to_doc())
    _same_scores(service, habit)


def test_new_score_settings_make_a_new_walk(checkpointed, walks):
    service, _clock, habit = checkpointed
    before = service.report(habit).score
    service.set_setting("credit_reminded", "0.1")
    after = service.report(habit)
    assert walks.count == 2
    assert after.score < before
    _same(after, service.report(habit, complete=True))


def _same_scores(service: HabitService, habit) -> None:
    resumed = service.report(habit)
    complete = service.report(habit, complete=True)
    assert resumed.score == complete.score
    assert resumed.counts == complete.counts


def test_a_copied_data_folder_keeps_its_checkpoints(checkpointed, tmp_path):
    import shutil

    _service, clock, habit = checkpointed
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "data", copy)  # a backup restored, a folder synced to another machine
    store = Store(copy, clock=clock)
    store.open()
    moved = HabitService(store, clock)
    report = moved.report(habit)
    assert not report.complete
    assert report.score == moved.report(habit, complete=True).score


def test_without_the_charts_file_the_checkpoints_are_made_again(checkpointed, tmp_path, walks):
    service, clock, habit = checkpointed
    (tmp_path / "data" / CACHE_DIR / CHARTS_FILE).unlink()
    report = HabitService(service.store, clock).report(habit)
    assert walks.count == 2
    _same(report, service.report(habit, complete=True))


def test_charts_that_cannot_be_found_are_made_again_at_the_next_look(checkpointed, tmp_path, walks):
    service, clock, habit = checkpointed
    path = tmp_path / "data" / CACHE_DIR / CHARTS_FILE
    document = jsontext.loads(path.read_bytes())
    for entries in document["habits"].values():
        for entry in entries:
            entry["through"] = "1999-01-01"  # belongs to no checkpoint
    path.write_bytes(jsontext.dumps(document))
    fresh = HabitService(service.store, clock)
    first = fresh.report(habit)
    assert not first.complete
    assert first.score_points[0] != (habit.schedule.start, first.score_points[0][1])  # cut short
    again = fresh.report(habit)
    assert walks.count == 2  # evaluated from the start: its charts are whole again
    _same(again, fresh.report(habit, complete=True))
    assert fresh.report(habit).score_points == again.score_points


def test_another_process_saving_in_between_leaves_each_its_own_charts(checkpointed):
    service, clock, habit = checkpointed
    app = HabitService(service.store, clock)
    shown = app.report(habit)  # the app's report, resumed from the checkpoint as it was
    clock.advance(days=30)  # a month later the command line moves the checkpoint up and saves
    command_line = HabitService(service.store, clock)
    command_line.report(habit)  # a month past its checkpoint: moved up, and saved
    moved = command_line.report(habit).resumed_from
    assert moved is not None and shown.resumed_from is not None
    assert moved.through > shown.resumed_from.through
    complete = service.report(habit, complete=True)
    assert shown.score_points[0] == complete.curve[0]  # the app's chart, read after, still whole


def test_the_charts_are_read_when_shown_and_match_a_complete_report(checkpointed):
    service, clock, habit = checkpointed
    fresh = HabitService(service.store, clock)  # a new process: nothing read yet
    resumed = fresh.report(habit)
    assert not resumed.complete
    assert resumed.resumed_from is not None and not resumed.resumed_from.charts.at_hand
    complete = fresh.report(habit, complete=True)
    assert set(resumed.score_points) <= set(complete.curve)
    assert resumed.score_points[0] == complete.curve[0]
    assert resumed.outcome_days == complete.outcome_days[-len(resumed.outcome_days) :]


def test_an_undo_reaches_back_past_the_recent_months(checkpointed):
    service, clock, habit = checkpointed
    clock.advance(days=100)  # nothing recorded for a hundred days
    last = f"{habit.id}-{(date(2025, 3, 1) + timedelta(days=198)).isoformat()}"
    change = service.undo(habit.id)
    assert change.undone is not None and change.undone.id == last
    # And an undo after that takes back the mark before it, not the same one again.
    assert (
        service.undo(habit.id).undone.id
        == f"{habit.id}-{(date(2025, 3, 1) + timedelta(days=197)).isoformat()}"
    )


def test_an_undo_takes_back_todays_check_off_not_an_older_one(checkpointed):
    service, _clock, habit = checkpointed
    done = service.check_off(habit.id)
    assert service.undo(habit.id).undone.id == done.event.id


@pytest.mark.parametrize("rule", RULES)
def test_a_timeline_with_several_anchors_finds_the_same_windows(rule):
    schedule = Schedule(rule, time(9), START)
    plain = Timeline(schedule, STOCKHOLM, time(4))
    known = list(itertools.islice(plain, 400))
    walls = [
        datetime.combine(known[index].key, time(9))
        for index in (30, 200, len(known) - 5)
        if index < len(known)
    ]
    anchored = Timeline(schedule, STOCKHOLM, time(4), anchor=walls)
    for days in (10, 40, 199, 201, 400, 700):
        instant = datetime.combine(START + timedelta(days=days), time(12), STOCKHOLM)
        assert anchored.containing(instant) == plain.containing(instant)
        assert anchored.upcoming(instant, 3) == plain.upcoming(instant, 3)


def test_reports_leave_a_recent_anchor_and_back_fills_before_it_still_find_their_day(checkpointed):
    service, clock, habit = checkpointed
    clock.advance(days=30)
    service.reports()
    walls = service._cache.anchors(habit, service.settings(), STOCKHOLM)
    assert len(walls) == 2 and clock.now().replace(tzinfo=None) - max(walls) < timedelta(days=2)
    # A back-fill of two days ago: before the recent anchor, after the checkpoint's.
    two_days_ago = clock.now() - timedelta(days=2)
    change = service.check_off(habit.id, at=two_days_ago.replace(hour=20))
    assert change.event.occurrence == two_days_ago.date()
    _same_scores(service, habit)


@given(
    st.lists(st.tuples(st.dates(), st.floats(allow_nan=False)), max_size=30),
    st.lists(st.tuples(st.dates(), st.floats(allow_nan=False)), max_size=30),
    st.lists(st.tuples(st.dates(), st.sampled_from(list(Outcome))), max_size=30),
)
def test_packed_curves_and_outcomes_read_back_as_written(first, second, outcomes):
    # Packed texts join by concatenation: a checkpoint moved up appends to the milestones it had.
    joined = replace(_BLANK, charts=Charts(pack_milestones(first) + pack_milestones(second)))
    assert joined.milestones == [*first, *second]
    packed = replace(_BLANK, charts=Charts(outcomes=pack_outcomes(outcomes)))
    assert packed.outcomes == outcomes
    assert packed.outcome_count == len(outcomes)


def test_a_damaged_packed_record_costs_a_point_not_the_chart():
    packed = pack_milestones([(date(2025, 3, 1), 0.5), (date(2025, 3, 8), 0.6)])
    raw = bytearray(binascii.a2b_base64(packed))
    raw[0:4] = (0).to_bytes(4, "little")  # day 0 is no date
    damaged = replace(_BLANK, charts=Charts(binascii.b2a_base64(bytes(raw), newline=False).decode()))
    assert damaged.milestones == [(date(2025, 3, 8), 0.6)]


_BLANK = Checkpoint(
    fingerprint="",
    through=date(2025, 3, 1),
    wall=datetime(2025, 3, 1, 8),
    closes=datetime(2025, 3, 2, 8, tzinfo=UTC),
    score=0.0,
    recent=(),
    history="",
    events_before=0,
)
