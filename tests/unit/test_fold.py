"""A history folded month by month gives the checkpoint, and so the report, of the whole-history walk.

The fold (trayhabit.core.fold) never holds a whole history; these tests compare what it makes with
what :func:`checkpoint_of` makes from the report of all the events at once, on years of generated
history: a schedule changed since the events were recorded, skips, undos (some of marks months old),
back-fills (some older than the fold waits for), reminders fired and beaten, and history imported
with old recording times.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.builders import event, habit
from tests.helpers.clock import FakeClock
from trayhabit.core.checkpoint import Checkpoint, anchored, cutoff_key, fingerprint
from trayhabit.core.fold import fold_history
from trayhabit.core.model import Event, EventKind, Habit, State
from trayhabit.core.report import checkpoint_of, evaluate
from trayhabit.core.service import HabitService
from trayhabit.core.settings import Settings
from trayhabit.core.store import Store

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = date(2023, 1, 2)
# The schedule the events were recorded under, and those the habit may have now.
RECORDED_UNDER = "FREQ=DAILY"
RULES = ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=DAILY;INTERVAL=2", "FREQ=MONTHLY;BYMONTHDAY=3"]


def _history(seed: int, days: int) -> list[Event]:
    """*days* of a daily habit's events from START, drawn from *seed*."""
    rng = random.Random(seed)
    events: list[Event] = []
    marks: list[Event] = []
    for offset in range(days):
        day = START + timedelta(days=offset)
        reminder = datetime.combine(day, time(9), STOCKHOLM)
        if rng.random() < 0.7:
            events.append(event(EventKind.FIRED, reminder, day, id=f"fired-{seed}-{offset}"))
        elif rng.random() < 0.5:
            # Held while the person was away: a check-off after it still counts in full.
            events.append(event(EventKind.HELD, reminder, day, id=f"held-{seed}-{offset}"))
        roll = rng.random()
        if roll < 0.15:
            continue  # missed
        kind = EventKind.SKIP if roll < 0.22 else EventKind.DONE
        at = reminder + timedelta(hours=rng.choice((-2, -1, 1, 3, 11)))
        # Mostly recorded as it happens; some back-filled days, weeks or months later (an import).
        delay = rng.choice([timedelta(0)] * 12 + [timedelta(days=1), timedelta(days=12), timedelta(days=50)])
        if rng.random() < 0.01:
            delay = timedelta(days=rng.randrange(100, 400))
        key = None if rng.random() < 0.05 else day  # an old import names no occurrence
        mark = event(kind, at, key, recorded_at=at + delay, id=f"mark-{seed}-{offset}")
        if key is None:
            mark = replace(mark, occurrence=None)
        events.append(mark)
        marks.append(mark)
        if kind is EventKind.DONE and at < reminder and rng.random() < 0.3:
            events.append(event(EventKind.BEATEN, reminder, day, id=f"beaten-{seed}-{offset}"))
        if rng.random() < 0.04 and marks:
            # An undo of this mark or an older one: at once, or weeks or a year later.
            target = rng.choice(marks[-60:]) if rng.random() < 0.8 else rng.choice(marks)
            later = rng.choice(
                (timedelta(minutes=5), timedelta(days=20), timedelta(days=90), timedelta(days=380))
            )
            events.append(
                event(
                    EventKind.UNDO,
                    target.recorded_at + later,
                    recorded_at=target.recorded_at + later,
                    target=target.id,
                    id=f"undo-{seed}-{offset}",
                )
            )
    return events


def _months(events: list[Event]) -> Iterator[tuple[str, list[Event]]]:
    """The events by month of recording, oldest first, each month's in recorded order: as the
    store's view gives them."""
    ordered = sorted(events, key=lambda each: (each.recorded_at, each.id))
    by_month: dict[str, list[Event]] = {}
    for each in ordered:
        by_month.setdefault(cutoff_key(each.recorded_at)[:7], []).append(each)
    return iter(sorted(by_month.items()))


def _around(events: list[Event], habit_id: str):
    """What a checkpoint depends on in a store holding *events*, as the score cache tells it."""

    def around(instant: datetime) -> tuple[str, int, list[Event]]:
        key = cutoff_key(instant)
        mine = sorted((e for e in events if e.habit_id == habit_id), key=lambda e: (e.recorded_at, e.id))
        before = sum(1 for e in mine if key[:7] <= cutoff_key(e.recorded_at) < key)
        return "months", before, [e for e in mine if cutoff_key(e.recorded_at) >= key]

    return around


def _compare(
    subject: Habit, events: list[Event], now: datetime, values: Settings, walks: list[int]
) -> Checkpoint | None:
    """Fold *events* and compare with the whole-history walk; *walks* gets a 1 per walk of the months."""

    def months() -> Iterator[tuple[str, list[Event]]]:
        walks.append(1)
        return _months(events)

    key = fingerprint(subject, values, STOCKHOLM)
    around = _around(events, subject.id)
    whole = evaluate(subject, events, now, STOCKHOLM, values)
    expected = checkpoint_of(whole, key, around)
    folded = fold_history(subject, months, now=now, zone=STOCKHOLM, settings=values, fingerprint=key)
    if expected is None:
        # Too short for a checkpoint: every event, for a walk from the start.
        assert isinstance(folded, list)
        assert sorted(each.id for each in folded) == sorted(each.id for each in events)
        return None
    assert isinstance(folded, Checkpoint)
    got = anchored(folded, *around(folded.cutoff))
    assert got == expected
    assert got.charts.packed() == expected.charts.packed()
    # And the report resumed from it is the whole-history report's standing.
    resumed = evaluate(subject, around(got.cutoff)[2], now, STOCKHOLM, values, resume=got)
    assert resumed.score == whole.score
    assert resumed.counts == whole.counts
    assert resumed.graduation == whole.graduation
    assert resumed.current == whole.current
    assert resumed.settled == whole.settled[-len(resumed.settled) :]
    assert resumed.outcome_days == whole.outcome_days[-len(resumed.outcome_days) :]
    assert set(resumed.score_points) <= set(whole.curve)
    assert resumed.score_points[0] == whole.curve[0]
    return got


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    days=st.integers(0, 3 * 365),
    schedule=st.tuples(st.sampled_from(RULES), st.sampled_from([time(9), time(7, 30), time(21)])),
    graduated_after=st.none() | st.integers(0, 3 * 365),
    max_skips=st.integers(0, 3),
)
def test_a_history_folded_month_by_month_is_the_whole_history_walk(
    seed, days, schedule, graduated_after, max_skips
):
    events = _history(seed, days)
    subject = habit(*schedule, START)
    if graduated_after is not None:
        retired = datetime.combine(START + timedelta(days=graduated_after), time(12), STOCKHOLM)
        subject = subject.with_changes(state=State.GRADUATED, state_changed_at=retired, graduated_score=0.7)
    now = datetime.combine(START + timedelta(days=days), time(13), STOCKHOLM).astimezone(UTC)
    _compare(subject, events, now, Settings({"max_skips": max_skips}), [])


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_back_fills_and_undos_older_than_the_wait_are_folded_in(seed):
    # Three years of a daily habit with check-offs and undos recorded months late: the first walk
    # meets them after their days were settled and walks again with them at hand.
    events = _history(seed, 3 * 365)
    now = datetime.combine(START + timedelta(days=3 * 365), time(13), STOCKHOLM)
    walks: list[int] = []
    assert _compare(habit("FREQ=DAILY", time(9), START), events, now, Settings({}), walks) is not None
    assert len(walks) == 2


def test_a_history_without_late_events_is_walked_once():
    events = [
        e
        for e in _history(5, 2 * 365)
        if e.kind is not EventKind.UNDO and e.recorded_at - e.at < timedelta(days=20)
    ]
    now = datetime.combine(START + timedelta(days=2 * 365), time(13), STOCKHOLM)
    walks: list[int] = []
    assert _compare(habit("FREQ=DAILY", time(9), START), events, now, Settings({}), walks) is not None
    assert walks == [1]


@pytest.fixture
def long_habit(tmp_path):
    """A service with a daily habit of three years, every month of it on disk and cold."""
    clock = FakeClock(datetime.combine(START, time(6), STOCKHOLM))
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    service = HabitService(store, clock)
    subject = service.add_habit("Stretch", "FREQ=DAILY", time(9), start=START).habit
    other = service.add_habit("Read", "FREQ=DAILY", time(21), start=START).habit
    assert subject is not None and other is not None
    clock.set(datetime.combine(START + timedelta(days=3 * 365), time(6), STOCKHOLM))
    with store.writing() as tx:
        for each in _history(11, 3 * 365):
            tx.add_event({**each.to_doc(), "habit_id": subject.id})
            tx.add_event({**each.to_doc(), "habit_id": other.id, "id": f"other-{each.id}"})
    reopened = Store(tmp_path / "data", clock=clock)
    reopened.open()
    return HabitService(reopened, clock), subject


def test_a_schedule_change_on_a_long_habit_reads_its_months_one_at_a_time(long_habit, monkeypatch):
    service, subject = long_habit
    store = service.store
    in_memory: list[int] = []  # how many months' files were in memory after each read of one
    with store.reading() as view:
        state = view._state
        cold = len(state.cold)
        hot = len(state.partition_signatures)
        assert cold > 30
        load = state.loader
        assert load is not None

        def counting(month: str) -> None:
            load(month)
            in_memory.append(len(state.partition_signatures))

        monkeypatch.setattr(state, "loader", counting)
    moved = service.update_habit(subject.id, rule="FREQ=WEEKLY;BYDAY=MO,WE,FR", at=time(8)).habit
    assert moved is not None
    report = service.report(moved)
    # Every old month was read, one at a time, and let go again: nothing of them stays behind.
    assert len(in_memory) >= cold
    assert max(in_memory) == hot + 1
    with store.reading() as view:
        assert len(view._state.cold) >= cold - 1  # the checkpoint's own month may stay, as at any look
        assert set(view._state.index.habit_months(subject.id)) <= set(view._state.partition_signatures) | {
            month for month in view._state.index.months_in("journal")
        }
    assert not report.complete  # resumed from the checkpoint the walk left
    whole = service.report(moved, complete=True)
    assert (report.score, report.counts, report.current) == (whole.score, whole.counts, whole.current)


def test_a_transaction_walks_its_own_new_events_in_their_months(long_habit):
    service, subject = long_habit
    with service.store.writing() as tx:
        day = START + timedelta(days=40)
        at = datetime.combine(day, time(7), STOCKHOLM)
        tx.add_event(event(EventKind.DONE, at, day, habit_id=subject.id, id="new-old").to_doc())
        found = [doc["id"] for _month, docs in tx.habit_months(subject.id) for doc in docs]
        assert "new-old" in found
        assert len(found) == len(set(found)) == len(tx.events(subject.id))


def test_a_new_score_setting_reads_each_month_once_for_every_habit(long_habit, monkeypatch):
    service, _subject = long_habit
    store = service.store
    reads: list[str] = []
    with store.reading() as view:
        state = view._state
        cold = len(state.cold)
        load = state.loader
        assert load is not None

        def counting(month: str) -> None:
            reads.append(month)
            load(month)

        monkeypatch.setattr(state, "loader", counting)
    service.set_setting("credit_reminded", "0.3")
    reports = service.reports()
    assert len(reports) == 2
    # Both habits walked together: each month read once a walk, and twice only because both
    # histories hold events recorded long after their day (so each is walked a second time).
    assert len(set(reads)) >= cold
    assert max(Counter(reads).values()) == 2
    for report in reports:
        whole = service.report(report.habit, complete=True)
        assert (report.score, report.counts, report.graduation) == (
            whole.score,
            whole.counts,
            whole.graduation,
        )
