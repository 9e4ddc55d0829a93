"""A whole history folded into a checkpoint month by month, never holding all of it.

Evaluating a habit from its start (a new schedule or score setting, no checkpoint yet) walks every
occurrence since it began: ten years of a daily habit, recorded in a hundred and twenty months of
events that hold every habit's. :func:`fold_histories` takes those months one at a time, oldest
first (:meth:`~trayhabit.core.store.StoreView.habits_months` reads each and lets it go again), for
every habit to walk at once (a new score setting walks them all), settles the
occurrences whose events have all been read, and folds them into a running checkpoint: the score,
the outcomes the skip allowance looks back on, a score a week for the chart and the outcomes of the
last months (:class:`~trayhabit.core.checkpoint.Checkpoint`). It holds one month of events, the
occurrences still open to events (two months or so), the last weeks of settled occurrences that
stay after the checkpoint (:func:`~trayhabit.core.checkpoint.keep_for`), and the packed charts. The
checkpoint is the one :func:`~trayhabit.core.report.checkpoint_of` makes from the whole-history
report; the report itself is then resumed from it, reading only the last weeks' events. A history
too short for a checkpoint comes back as its events (a few weeks' worth) for a walk from the start.

Events are kept by when they were recorded, and an event concerns an occurrence at or before that
time: a check-off in its window, one back-filled days later, an undo of an old mark. An occurrence
is settled once the months up to :data:`LAG` after its window closed are read. Whatever still
arrives for one settled already (a back-fill older than that, an undo of a mark folded in, history
imported out of order) is noted, and the months are walked once more with those events at hand
from the start and every undo known. The result is always that of the whole-history evaluation; the
second walk is as rare as such events.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo

from trayhabit.core.checkpoint import (
    MILESTONE_EVERY,
    OUTCOMES_SPAN,
    Charts,
    Checkpoint,
    keep_for,
    pack_milestones,
    pack_outcomes,
)
from trayhabit.core.history import marks_by_occurrence, note_fired, settle_in_order
from trayhabit.core.model import Event, EventKind, Habit, Occurrence, Outcome, Settled, State
from trayhabit.core.schedule import Timeline, half_life
from trayhabit.core.score import ScoreParams, Streak, alpha, recent_span, step
from trayhabit.core.settings import Settings

# How long after an occurrence's window closed its events are waited for before it is settled:
# more than the two weeks of misses the check-off window offers to back-fill.
LAG = timedelta(days=35)

#: A habit's events month by month, oldest first, as :meth:`StoreView.habit_months` gives them.
Months = Iterable[tuple[str, Iterable[Event]]]
#: Several habits' events month by month (:meth:`StoreView.habits_months`): each month once, with
#: the events of each habit asked for.
ManyMonths = Iterable[tuple[str, Mapping[str, Iterable[Event]]]]
#: What a fold gives for one habit: its checkpoint, or all its events when its history is too short
#: for one (they are few, and the report is walked from the start with them).
Folded = Checkpoint | list[Event]
_MARKS = (EventKind.DONE, EventKind.SKIP)


def fold_histories(
    habits: Sequence[Habit],
    months: Callable[[list[str]], ManyMonths],
    *,
    now: datetime,
    zone: tzinfo,
    settings: Settings,
    fingerprints: Mapping[str, str],
) -> dict[str, Folded]:
    """For each of *habits*, by id, the checkpoint its whole-history report as of *now* leads to
    (its ``fingerprint`` from *fingerprints*), or its events if it has too short a history for one.

    *months* gives the events of the habits whose ids it is given, month by month; it is called
    again for those that need a second walk (see the module's docstring). All the habits are folded
    in one walk: a new score setting reads ten years of months once, not once a habit.

    A checkpoint's ``history``, ``events_before`` and ``covered_since`` are left for the caller
    (see :func:`~trayhabit.core.checkpoint.anchored`): they depend on the store, not the events.
    """
    results: dict[str, Folded] = {}
    known: dict[str, tuple[frozenset[str], tuple[Event, ...]]] = {}
    pending = list(habits)
    while pending:
        walks = [
            _Walk(
                habit,
                now=now,
                zone=zone,
                settings=settings,
                fingerprint=fingerprints[habit.id],
                undone=known.get(habit.id, (frozenset(), ()))[0],
                late=known.get(habit.id, (frozenset(), ()))[1],
            )
            for habit in pending
        ]
        for month, by_habit in months([habit.id for habit in pending]):
            for walk in walks:
                walk.take_month(month, by_habit.get(walk.habit_id, ()))
        again: list[Habit] = []
        for habit, walk in zip(pending, walks, strict=True):
            result = walk.finish()
            if not walk.late and not walk.refolds:
                results[habit.id] = result
                continue
            # With every undo known and the late events at hand, nothing can arrive too late again.
            assert habit.id not in known, "a second walk of a history found late events"
            known[habit.id] = (frozenset(walk.undone), tuple(walk.late))
            again.append(habit)
        pending = again
    return results


def fold_history(
    habit: Habit,
    months: Callable[[], Months],
    *,
    now: datetime,
    zone: tzinfo,
    settings: Settings,
    fingerprint: str,
) -> Folded:
    """:func:`fold_histories` for one habit, whose events *months* gives."""

    def many(_ids: list[str]) -> ManyMonths:
        return ((month, {habit.id: events}) for month, events in months())

    return fold_histories(
        [habit], many, now=now, zone=zone, settings=settings, fingerprints={habit.id: fingerprint}
    )[habit.id]


class _Walk:
    """One walk over a habit's months: settles occurrences as their events are read, and folds them."""

    def __init__(
        self,
        habit: Habit,
        *,
        now: datetime,
        zone: tzinfo,
        settings: Settings,
        fingerprint: str,
        undone: frozenset[str],
        late: tuple[Event, ...],
    ) -> None:
        self._habit = habit
        self.habit_id = habit.id
        self._now = now
        self._fingerprint = fingerprint
        self._params = ScoreParams.from_settings(settings)
        h = half_life(habit.schedule.rrule, self._params.half_life_base)
        self._a = alpha(h)
        recent = recent_span(h)
        self._keep = keep_for(recent)
        self._source: Iterator[Occurrence] = iter(Timeline(habit.schedule, zone, settings.day_boundary))
        self._exhausted = False
        # Occurrences made but not settled, and the keys of every one made so far (a mark that names
        # one belongs to it; one that names none, to the window its time falls in).
        self._ahead: deque[Occurrence] = deque()
        self._keys = _Days()
        self._last_key: date | None = None
        self._settled_to: Occurrence | None = None
        # Events read whose occurrences are not settled yet.
        self._marks: dict[str, Event] = {}
        self._fired: dict[date, datetime] = {}
        self._held: dict[date, datetime] = {}
        self._beaten: set[date] = set()
        # Ids of the marks undone (known from the start on a second walk), and of the events read ahead.
        self.undone = set(undone)
        self._known_undone = undone
        self._read_ahead = {event.id for event in late}
        # Events that came after their occurrence was settled, and the undos whose mark was not
        # waiting to be settled (most likely settled already) and did not come later either:
        # either makes a second walk. Keeping the id of every mark settled would cost more than
        # the rare second walk.
        self.late: list[Event] = []
        self._unmatched: set[str] = set()
        self._skips: deque[Outcome] = deque(maxlen=max(recent - 1, 0))
        # Settled, not folded yet: the last ones stay after the checkpoint.
        self._tail: deque[Settled] = deque()
        # A graduated habit's occurrences since it graduated stay after the checkpoint (choose_point).
        changed = habit.state_changed_at
        self._graduated = changed.astimezone(UTC) if habit.state is State.GRADUATED and changed else None
        # The running checkpoint.
        self._score = 0.0
        self._count = 0
        self._recent: deque[Outcome] = deque(maxlen=max(recent - 1, 0))
        self._milestones = ""  # packed (see pack_milestones), as the checkpoint keeps them
        self._outcomes: deque[tuple[date, Outcome]] = deque()
        self._through: Occurrence | None = None
        self._streak = Streak()
        # Every event read, until the first occurrence is folded: a history too short for a
        # checkpoint is walked from the start with them.
        self._events: list[Event] | None = []
        for event in late:
            self._take(event)

    @property
    def refolds(self) -> bool:
        """Whether an undo may have taken back a mark settled already: the walk is made again."""
        return bool(self._unmatched)

    def take_month(self, month: str, events: Iterable[Event]) -> None:
        """Read the habit's events of *month* (the months come in order) and settle what it can."""
        for event in events:
            if event.id not in self._read_ahead:
                self._take(event)
        self._settle(month)

    def finish(self) -> Folded:
        """After the last month: the checkpoint (without what depends on the store), or every event
        read when the history is too short for one."""
        self._settle(None)
        self._fold_down_to(self._keep)
        checkpoint = self._checkpoint()
        if checkpoint is not None:
            return checkpoint
        assert self._events is not None
        return self._events

    # -- reading events -------------------------------------------------------------------------------

    def _take(self, event: Event) -> None:
        if self._events is not None:
            self._events.append(event)
        if event.kind is EventKind.UNDO:
            target = event.target
            if target:
                if self._marks.pop(target, None) is None and target not in self._known_undone:
                    self._unmatched.add(target)
                self.undone.add(target)
            return
        if event.kind in _MARKS:
            if event.id in self.undone:
                self._unmatched.discard(event.id)  # undone before it was read: never settled with
                return
            if self._is_settled(event):
                self.late.append(event)
            else:
                self._marks[event.id] = event
            return
        key = event.occurrence
        if key is None or event.kind not in (EventKind.FIRED, EventKind.HELD, EventKind.BEATEN):
            return
        if self._settled_to is not None and key <= self._settled_to.key:
            if key in self._keys:  # another key concerns no occurrence at all
                self.late.append(event)
        elif event.kind is EventKind.FIRED:
            note_fired(self._fired, event)
        elif event.kind is EventKind.HELD:
            note_fired(self._held, event)
        else:
            self._beaten.add(key)

    def _is_settled(self, mark: Event) -> bool:
        """Whether *mark* belongs to an occurrence settled already (or falls before the first)."""
        last = self._settled_to
        if last is None:
            return False
        if mark.occurrence is not None and self._is_key(mark.occurrence):
            return mark.occurrence <= last.key
        return mark.at < last.closes

    # -- the schedule ---------------------------------------------------------------------------------

    def _next(self) -> Occurrence | None:
        """Make the next occurrence whose window has opened; None when there is none."""
        if self._exhausted:
            return None
        occurrence = next(self._source, None)
        if occurrence is None or occurrence.opens > self._now:
            self._exhausted = True
            return None
        self._ahead.append(occurrence)
        self._keys.add(occurrence.key)
        self._last_key = occurrence.key
        return occurrence

    def _is_key(self, key: date) -> bool:
        """Whether *key* is an occurrence's (made up to there if need be)."""
        while self._last_key is None or self._last_key < key:
            if self._next() is None:
                break
        return key in self._keys

    # -- settling and folding -------------------------------------------------------------------------

    def _settle(self, month: str | None) -> None:
        """Settle the occurrences whose events are all read once *month* is (all when None)."""
        batch: list[Occurrence] = []
        while self._ahead or self._next() is not None:
            occurrence = self._ahead[0]
            if month is not None and _month_of(occurrence.closes + LAG) > month:
                break
            batch.append(self._ahead.popleft())
        if not batch:
            return
        keys = [mark.occurrence for mark in self._marks.values() if mark.occurrence is not None]
        if keys:
            self._is_key(max(keys))  # made up to there: a mark for a later occurrence waits for it
        marks = sorted(self._marks.values(), key=lambda event: (event.recorded_at, event.id))
        by_key = marks_by_occurrence(batch, marks, self._keys)
        history = settle_in_order(
            batch,
            by_key,
            fired=self._fired,
            beaten=self._beaten,
            held=self._held,
            now=self._now,
            last_outcomes=self._skips,
            max_skips=self._params.max_skips,
        )
        last = self._settled_to = batch[-1]
        self._tail.extend(history.settled)
        self._fold_down_to(self._keep)
        # Let go of what concerns settled occurrences only.
        for mark in marks:
            if self._is_settled(mark):
                del self._marks[mark.id]
        self._fired = {key: at for key, at in self._fired.items() if key > last.key}
        self._held = {key: at for key, at in self._held.items() if key > last.key}
        self._beaten = {key for key in self._beaten if key > last.key}

    def _fold_down_to(self, keep: int) -> None:
        """Fold settled occurrences into the running checkpoint while more than *keep* are left
        after it; a graduated habit's since it graduated stay (its rules look at all of them)."""
        while len(self._tail) > keep:
            entry = self._tail[0]
            if self._graduated is not None and entry.occurrence.reminder >= self._graduated:
                return
            self._tail.popleft()
            self._fold(entry)

    def _fold(self, entry: Settled) -> None:
        outcome = entry.outcome
        assert outcome is not None
        key = entry.occurrence.key
        self._score = step(self._score, self._params.credit(outcome), self._a)
        if self._count % MILESTONE_EVERY == 0:
            self._milestones += pack_milestones([(key, self._score)])
        self._count += 1
        if self._recent.maxlen:
            self._recent.append(outcome)
        self._outcomes.append((key, outcome))
        while self._outcomes[0][0] < key - OUTCOMES_SPAN:
            self._outcomes.popleft()
        self._streak = self._streak.after(outcome)
        self._through = entry.occurrence
        self._events = None

    def _checkpoint(self) -> Checkpoint | None:
        through = self._through
        if through is None:
            return None
        milestones = self._milestones
        if (self._count - 1) % MILESTONE_EVERY:
            milestones += pack_milestones([(through.key, self._score)])  # the last point, as thin() keeps it
        first_kept = through.key - OUTCOMES_SPAN
        return Checkpoint(
            fingerprint=self._fingerprint,
            through=through.key,
            wall=datetime.combine(through.key, self._habit.schedule.at),
            closes=through.closes,
            score=self._score,
            recent=tuple(self._recent),
            history="",
            events_before=0,
            run=self._streak.current,
            best_run=self._streak.best,
            charts=Charts(
                milestones,
                pack_outcomes(item for item in self._outcomes if item[0] >= first_kept),
            ),
        )


class _Days:
    """A set of dates as a bitmap from the first one added: the keys of ten years of a daily
    schedule in 460 bytes, where a set of dates takes 200 kB (and a walk may hold fifty)."""

    __slots__ = ("_bits", "_first")

    def __init__(self) -> None:
        self._first: int | None = None
        self._bits = bytearray()

    def add(self, day: date) -> None:
        ordinal = day.toordinal()
        if self._first is None:
            self._first = ordinal
        offset = ordinal - self._first
        if offset < 0:
            raise ValueError("days are added in order")
        if offset // 8 >= len(self._bits):
            self._bits.extend(bytes(offset // 8 + 1 - len(self._bits)))
        self._bits[offset // 8] |= 1 << (offset % 8)

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date) or self._first is None:
            return False
        offset = day.toordinal() - self._first
        return 0 <= offset < len(self._bits) * 8 and bool(self._bits[offset // 8] & (1 << (offset % 8)))


def _month_of(instant: datetime) -> str:
    """The month ("YYYY-MM", UTC) whose events file holds what is recorded at *instant*."""
    return instant.astimezone(UTC).strftime("%Y-%m")
