"""The use cases: add, check off, skip, undo, graduate, relapse, remove, configure, start at login.

Each use case validates everything first, then writes in one store transaction, and returns a
:class:`Change` that says what changed, so a caller (the command line, or the Qt bridge) decides what
to redraw. A write that makes a graduated habit's relapse due (a check-off, skip or undo on it, a new
schedule, a score setting) gives the reminder back in the same transaction and names the habit in
``Change.relapsed``. Export, import and sync are use cases of the same service, written in
:mod:`trayhabit.core.service_transfer`. Nothing here reads the clock except through the
:class:`~trayhabit.core.clock.Clock` it is given.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Protocol

from trayhabit.core import days
from trayhabit.core.changes import SCORE_SETTINGS, Change, ChangeKind
from trayhabit.core.checkpoint import CUTOFF_MARGIN, cutoff_key
from trayhabit.core.clock import Clock
from trayhabit.core.days import local_day
from trayhabit.core.history import (
    active_marks,
    latest_check_off,
    latest_mark,
    notes_by_occurrence,
    settle_occurrence,
)
from trayhabit.core.hlc import next_stamp, parse_stamp
from trayhabit.core.i18n import _
from trayhabit.core.ids import new_id
from trayhabit.core.limits import MAX_NOTE
from trayhabit.core.model import MAX_NAME_LENGTH as MAX_NAME_LENGTH  # noqa: PLC0414 (re-exported for the windows)
from trayhabit.core.model import Event, EventKind, Habit, Occurrence, State
from trayhabit.core.presence import Absence
from trayhabit.core.progress import CancelCheck, Progress
from trayhabit.core.report import HabitReport
from trayhabit.core.schedule import Timeline, make_schedule, normalize_rule
from trayhabit.core.score_cache import CheckpointCache
from trayhabit.core.service_caldav import CalDAVUseCases
from trayhabit.core.service_support import (
    ServiceError,
    apply_due_relapses,
    clean_name,
    find_habit,
    habits_in,
    put_state,
    refuse_duplicate_name,
    show_time,
)
from trayhabit.core.service_transfer import TransferUseCases
from trayhabit.core.settings import SETTING_STAMPS, SPECS, Settings, parse_setting
from trayhabit.core.stepwise import reports_at_hand, walk_in_steps
from trayhabit.core.store import HOT_SPAN, Store, StoreTransaction, StoreView

__all__ = ["MAX_NAME_LENGTH", "HabitService", "LoginEntry", "ServiceError"]

# How far back an undo first looks for the check-off or skip to take back: the months the store reads
# at start-up, so that an undo reads no older month unless the habit has had no mark since.
UNDO_LOOKBACK = HOT_SPAN


class LoginEntry(Protocol):
    """What starts TrayHabit at login on this system (:class:`trayhabit.autostart.Autostart`, or a fake)."""

    def set_enabled(self, enabled: bool) -> None:
        """Add or remove the entry; raise a :class:`~trayhabit.core.errors.UserError` saying why not."""


class HabitService(TransferUseCases, CalDAVUseCases):
    """The use cases on one store, with the time from one clock: the one way in to the store."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._cache = CheckpointCache(store.data_dir)

    # -- reading -----------------------------------------------------------------------------------

    def settings(self) -> Settings:
        """The settings in force."""
        with self.store.reading() as view:
            return Settings(view.settings())

    def today(self) -> date:
        """The local day it is now: the date, with days starting at the day boundary (04:00 by default)."""
        return days.today(self.clock, self.settings().day_boundary)

    def day_start(self, day: date) -> datetime:
        """The instant the local *day* begins (its day boundary), in the clock's zone."""
        return days.day_start(day, self.clock.tz, self.settings().day_boundary)

    def habits(self, *, include_archived: bool = True) -> list[Habit]:
        """Every habit not deleted, in the person's order (see :meth:`reorder`)."""
        with self.store.reading() as view:
            return habits_in(view, include_archived=include_archived)

    def notes(self, reference: str, since: date) -> dict[date, str]:
        """The notes on the habit's check-offs of the occurrences from the local day *since* on."""
        start = self.day_start(since)
        with self.store.reading() as view:
            habit = find_habit(view, reference)
            # A check-off, and a note on it, is recorded once its occurrence's window has opened.
            first = self._timeline(view, habit).containing(start)
            opened = first.opens if first is not None else start
            _before, docs = view.events_since(habit.id, cutoff_key(opened - CUTOFF_MARGIN))
            notes = notes_by_occurrence(Event.from_doc(doc) for doc in docs)
        return {key: note for key, note in notes.items() if key >= since}

    def find(self, reference: str) -> Habit:
        """The habit named by *reference*: its id, its name (any case) or a unique id prefix."""
        with self.store.reading() as view:
            return find_habit(view, reference)

    def report(self, habit: Habit, *, complete: bool = False) -> HabitReport:
        """The habit's score, history and next reminder as of now.

        Its ``settled`` and ``curve`` cover the last weeks at least; *complete* asks for the whole
        history (the score curve and calendar of the habits window, exports).
        """
        with self.store.reading() as view:
            report = self._cache.evaluate(
                view, habit, self.clock.now(), self.clock.tz, Settings(view.settings()), complete=complete
            )
        self._cache.save()
        return report

    def reports(
        self, *, include_archived: bool = True, only: Collection[str] | None = None
    ) -> list[HabitReport]:
        """Reports for every habit (or those of the ids *only*), in the person's order (each as
        :meth:`report` gives it)."""
        now = self.clock.now()
        with self.store.reading() as view:
            settings = Settings(view.settings())
            # Together: the histories to walk from the start (a new score setting, a first sync)
            # read each month once for all of them, not once a habit.
            habits = habits_in(view, include_archived=include_archived)
            if only is not None:
                habits = [habit for habit in habits if habit.id in only]
            reports = self._cache.evaluate_all(view, habits, now, self.clock.tz, settings)
        self._cache.save()
        return reports

    def reports_at_hand(self, only: Collection[str]) -> tuple[list[HabitReport], frozenset[str]]:
        """The reports of the habits *only* that come quickly, and the ids of those whose whole
        history must be walked first: for :meth:`walked_reports`, on a worker thread (see
        :mod:`trayhabit.core.stepwise`)."""
        return reports_at_hand(self.store, self._cache, only, self.clock.now(), self.clock.tz)

    def walked_reports(
        self, only: Collection[str], *, progress: Progress | None = None, cancelled: CancelCheck | None = None
    ) -> list[HabitReport]:
        """The reports of the habits *only*, their histories walked while the store's lock is held
        a month at a time, so that another thread's reads and writes go on meanwhile."""
        now = self.clock.now()
        return walk_in_steps(
            self.store, self._cache, only, now, self.clock.tz, progress=progress, cancelled=cancelled
        )

    # -- habits ------------------------------------------------------------------------------------

    def add_habit(
        self, name: str, rule: str, at: time | None, *, why: str = "", start: date | None = None
    ) -> Change:
        """Create a learning habit. Without *start*, its first reminder is the next one still ahead."""
        name = clean_name(name)
        rule, at = normalize_rule(rule, at)
        now = self.clock.now()
        with self.store.writing() as tx:
            settings = Settings(tx.settings())
            refuse_duplicate_name(tx, name)
            if start is None:
                start = _default_start(rule, at, now, self.clock, settings)
            schedule = make_schedule(rule, at, start)
            habit = Habit(
                id=new_id(),
                name=name,
                why=why.strip(),
                schedule=schedule,
                created_at=now,
                updated_at=now,
                updated_by=tx.device_id,
            )
            tx.put_habit(habit.to_doc())
        return Change(ChangeKind.ADDED, habit)

    def update_habit(
        self,
        reference: str,
        *,
        name: str | None = None,
        rule: str | None = None,
        at: time | None = None,
        why: str | None = None,
        start: date | None = None,
    ) -> Change:
        """Edit a habit; what is left None stays as it was. History stays with the habit."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = find_habit(tx, reference)
            new_name = habit.name if name is None else clean_name(name)
            if new_name.casefold() != habit.name.casefold():
                refuse_duplicate_name(tx, new_name, except_id=habit.id)
            new_rule, new_at = normalize_rule(
                rule if rule is not None else habit.schedule.rrule,
                at if at is not None else habit.schedule.at,
            )
            schedule = make_schedule(new_rule, new_at, start if start is not None else habit.schedule.start)
            rescheduled = schedule != habit.schedule
            habit = habit.with_changes(
                name=new_name,
                why=habit.why if why is None else why.strip(),
                schedule=schedule,
                updated_at=next_stamp(now, [habit.updated_at]),
                updated_by=tx.device_id,
            )
            tx.put_habit(habit.to_doc())
            # Another schedule settles the history anew: a graduated habit may have slipped under it.
            relapsed = self._relapses(tx, now, [habit.id] if rescheduled else [])
        return Change(ChangeKind.UPDATED, habit, relapsed=relapsed)

    def reorder(self, habit_ids: Sequence[str]) -> Change:
        """Put the habits *habit_ids* in this order, in the places they hold among all habits.

        The habits not named (archived ones hidden from a list, say) keep their places. Every habit
        is numbered anew, 0, 1, 2...; only those whose number changed are written, their places
        stamped (``position_at``) but not their documents, so sync merges a place on its own: per
        habit, the last order set wins, and an edit made elsewhere meanwhile stays (see
        :func:`~trayhabit.core.lww.merged`). Two computers that reorder at once therefore end with
        the same numbers, hence one order (equal numbers fall back on the id, see
        :func:`~trayhabit.core.service_support.habits_in`).
        """
        wanted = [habit_id.strip() for habit_id in habit_ids]
        if len(set(wanted)) != len(wanted):
            raise ServiceError(_("A habit can have only one place in the order."))
        now = self.clock.now()
        with self.store.writing() as tx:
            habits = habits_in(tx, include_archived=True)
            by_id = {habit.id: habit for habit in habits}
            for habit_id in wanted:
                if habit_id not in by_id:
                    raise ServiceError(
                        _("There is no habit “{reference}”; `trayhabit list` shows the habits.").format(
                            reference=habit_id
                        )
                    )
            named = set(wanted)
            queue = iter(wanted)
            order = [next(queue) if habit.id in named else habit.id for habit in habits]
            changed: list[Habit] = []
            for number, habit_id in enumerate(order):
                habit = by_id[habit_id]
                if habit.position == float(number):
                    continue
                stamps = [stamp for stamp in (habit.position_at, habit.updated_at) if stamp is not None]
                habit = habit.with_changes(position=float(number), position_at=next_stamp(now, stamps))
                tx.put_habit(habit.to_doc())
                changed.append(habit)
        return Change(ChangeKind.REORDERED, habit_ids=frozenset(habit.id for habit in changed))

    def graduate(self, reference: str, *, force: bool = False) -> Change:
        """Retire the reminder; refused with the reason unless graduation is suggested or forced."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = find_habit(tx, reference)
            if habit.state is not State.LEARNING:
                raise ServiceError(
                    _("“{name}” is {state}; only a habit that is still learning can graduate.").format(
                        name=habit.name, state=habit.state.value
                    )
                )
            report = self._evaluate(tx, habit, now)
            if not report.graduation.suggested and not force:
                raise ServiceError(
                    _("Not yet: {reason} (Use --force to retire the reminder anyway.)").format(
                        reason=report.graduation.reason
                    )
                )
            reason = report.graduation.reason if report.graduation.suggested else _("Retired by request.")
            habit = put_state(tx, habit, State.GRADUATED, now, reason, graduated_score=report.score)
        return Change(ChangeKind.GRADUATED, habit)

    def archive(self, reference: str) -> Change:
        """Stop tracking a habit but keep it and its history."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = find_habit(tx, reference)
            habit = put_state(tx, habit, State.ARCHIVED, now, habit.state_reason)
        return Change(ChangeKind.ARCHIVED, habit)

    def restore(self, reference: str) -> Change:
        """Track an archived habit again, with its reminder on."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = find_habit(tx, reference)
            if habit.state is not State.ARCHIVED:
                raise ServiceError(_("“{name}” is not archived.").format(name=habit.name))
            refuse_duplicate_name(tx, habit.name, except_id=habit.id)
            habit = put_state(tx, habit, State.LEARNING, now)
        return Change(ChangeKind.RESTORED, habit)

    def remove(self, reference: str) -> Change:
        """Delete a habit. Recorded as a deletion (so merged stores agree), not erased."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = find_habit(tx, reference)
            habit = habit.with_changes(
                deleted_at=now, updated_at=next_stamp(now, [habit.updated_at]), updated_by=tx.device_id
            )
            tx.put_habit(habit.to_doc())
        return Change(ChangeKind.REMOVED, habit)

    def changes_on_disk(self) -> Change:
        """What other processes (the command line, a sync engine, a restore) changed in the store
        since this one last read it; empty after this process's own writes, which it never reads back."""
        found = self.store.take_disk_changes()
        return Change(
            ChangeKind.RELOADED,
            habit_ids=frozenset(found.defined | found.recorded),
            definitions=bool(found.defined),
            events=bool(found.recorded),
            settings=frozenset(found.settings),
        )

    def apply_relapses(self) -> Change:
        """Give the graduated habits that relapsed as time passed their reminder back, with the reason.

        For when only time passed (at start, when the day turns): a write that makes a relapse due
        applies it itself. The change names the habits in ``relapsed`` (empty when none relapsed);
        nothing is written when no habit is graduated.
        """
        now = self.clock.now()
        with self.store.reading() as view:
            graduated = [h.id for h in habits_in(view, include_archived=False) if h.state is State.GRADUATED]
        if not graduated:
            return Change(ChangeKind.RELAPSED)
        with self.store.writing() as tx:
            relapsed = self._relapses(tx, now, graduated)
        return Change(ChangeKind.RELAPSED, relapsed=relapsed)

    # -- check-offs --------------------------------------------------------------------------------

    def check_off(self, reference: str, at: datetime | None = None, *, note: str = "") -> Change:
        """Record that the user did the habit, now or at an earlier time *at* (a back-fill), with a
        short *note* if given ("called Acme")."""
        note = clean_note(note)
        now = self.clock.now()
        at = now if at is None else at
        if at > now:
            raise ServiceError(
                _("{at} is in the future; a check-off can only be now or earlier.").format(at=show_time(at))
            )
        with self.store.writing() as tx:
            habit, occurrence, events = self._unmarked_occurrence(
                tx, reference, at, _("“{name}” has no occurrence at {at}: it starts on {start}.")
            )
            event = self._event(
                tx, habit, EventKind.DONE, at=at, now=now, occurrence=occurrence.key, note=note
            )
            fired = [e.at for e in events if e.kind is EventKind.FIRED and e.occurrence == occurrence.key]
            held = [e.at for e in events if e.kind is EventKind.HELD and e.occurrence == occurrence.key]
            outcome = settle_occurrence(
                occurrence, event, min(fired, default=None), now, min(held, default=None)
            ).outcome
            tx.add_event(event.to_doc())
            relapsed = self._relapses(tx, now, [habit.id])  # a late check-off is a slip
        return Change(ChangeKind.CHECKED_OFF, habit, event, outcome, relapsed=relapsed)

    def skip(self, reference: str) -> Change:
        """Say the open occurrence does not apply (holiday, sick).

        Beyond the allowance of skips among recent occurrences, the skip counts as missed.
        """
        now = self.clock.now()
        with self.store.writing() as tx:
            habit, occurrence, _events = self._unmarked_occurrence(
                tx, reference, now, _("“{name}” has no open occurrence to skip: it starts on {start}.")
            )
            event = self._event(tx, habit, EventKind.SKIP, at=now, now=now, occurrence=occurrence.key)
            tx.add_event(event.to_doc())
            report = self._evaluate(tx, habit, now)
            # A skip beyond the allowance counts as missed: a graduated habit may relapse by it.
            relapsed = self._relapses(tx, now, [habit.id])
        over_cap = report.current is not None and report.current.skip_over_cap
        return Change(
            ChangeKind.SKIPPED,
            habit,
            event,
            report.current.outcome if report.current else None,
            over_cap,
            relapsed=relapsed,
        )

    def undo(self, reference: str, *, occurrence: date | None = None) -> Change:
        """Take back the latest check-off or skip of the habit, recorded as an event of its own.

        Only the mark recorded last can be taken back: with *occurrence* (the one a person unticked),
        the undo is refused when the latest mark is of another occurrence, rather than take back
        that one instead.
        """
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = find_habit(tx, reference, for_check_off=True)
            # The latest mark is nearly always recent; the whole history is read only when it is not.
            # An undo is recorded after its target, so the recent events hold every undo of a recent mark.
            _before, docs = tx.events_since(habit.id, cutoff_key(now - UNDO_LOOKBACK))
            target = latest_mark(Event.from_doc(doc) for doc in docs)
            if target is None:
                target = latest_mark(Event.from_doc(doc) for doc in tx.events(habit.id))
            if target is None:
                raise ServiceError(_("“{name}” has no check-off or skip to undo.").format(name=habit.name))
            if occurrence is not None and target.occurrence != occurrence:
                raise ServiceError(
                    _(
                        "A later check-off or skip of “{name}” ({day}) comes first: undo takes that one back."
                    ).format(name=habit.name, day=target.occurrence.isoformat() if target.occurrence else "?")
                )
            event = self._event(
                tx, habit, EventKind.UNDO, at=now, now=now, occurrence=target.occurrence, target=target.id
            )
            tx.add_event(event.to_doc())
            # Taking back a check-off can leave a closed occurrence missed: a slip.
            relapsed = self._relapses(tx, now, [habit.id])
        return Change(ChangeKind.UNDONE, habit, event, undone=target, relapsed=relapsed)

    def add_note(self, reference: str, text: str, *, occurrence: date | None = None) -> Change:
        """Put a note on the habit's latest check-off (of *occurrence*, if given); an empty *text*
        takes the note away. Recorded as an event of its own, like an undo, so merged stores agree."""
        note = clean_note(text)
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = find_habit(tx, reference, for_check_off=True)
            _before, docs = tx.events_since(habit.id, cutoff_key(now - UNDO_LOOKBACK))
            target = latest_check_off((Event.from_doc(doc) for doc in docs), occurrence)
            if target is None:
                target = latest_check_off((Event.from_doc(doc) for doc in tx.events(habit.id)), occurrence)
            if target is None:
                raise ServiceError(_("“{name}” has no check-off to put a note on.").format(name=habit.name))
            event = self._event(
                tx,
                habit,
                EventKind.NOTE,
                at=now,
                now=now,
                occurrence=target.occurrence,
                target=target.id,
                note=note,
            )
            tx.add_event(event.to_doc())
        return Change(ChangeKind.NOTED, habit, event)

    def record_reminder(
        self, habit_id: str, occurrence_key: date, *, fired: bool, held: Absence | None = None
    ) -> Change:
        """Record that the reminder of an occurrence was shown (*fired*), suppressed as beaten, or
        held because the person was not there (*held* says why; *fired* is then ignored)."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = find_habit(tx, habit_id)
            kind = EventKind.HELD if held is not None else EventKind.FIRED if fired else EventKind.BEATEN
            event = self._event(
                tx, habit, kind, at=now, now=now, occurrence=occurrence_key, reason=held.value if held else ""
            )
            tx.add_event(event.to_doc())
            # A reminder shown turns a later check-off from pre-emptive into reminded.
            relapsed = self._relapses(tx, now, [habit.id])
        return Change(ChangeKind.REMINDER_RECORDED, habit, event, relapsed=relapsed)

    # -- settings ----------------------------------------------------------------------------------

    def set_setting(self, key: str, text: str) -> Change:
        """Change one setting from the user's text, validated against its declaration."""
        key, value = parse_setting(key, text)
        if key == "sync_folder" and value:
            from trayhabit.core.sync import check_sync_folder

            check_sync_folder(Path(value), self.store.data_dir)
        with self.store.writing() as tx:
            changes = {key: value}
            if SPECS[key].shared:
                stamps = dict(tx.settings().get(SETTING_STAMPS) or {})
                # After the stamp the setting has, even one from a computer whose clock runs ahead.
                previous = stamps.get(key)
                seen = [parse_stamp(previous[0])] if isinstance(previous, list) and previous else []
                stamp = next_stamp(self.clock.now(), seen)
                stamps[key] = [stamp.astimezone(UTC).isoformat(), tx.device_id]
                changes[SETTING_STAMPS] = stamps
            tx.set_settings(changes)
            # A score setting judges every graduated habit's record anew.
            relapsed = self._relapses(tx, self.clock.now()) if key in SCORE_SETTINGS else ()
        return Change(ChangeKind.SETTINGS, settings=frozenset({key}), relapsed=relapsed)

    def set_start_at_login(self, enabled: bool, login: LoginEntry) -> Change:
        """Start TrayHabit at login, or not: the system's login entry first, then the setting.

        When the system refuses (a :class:`~trayhabit.core.errors.UserError` from *login*, saying
        why), the setting stays as it was, so it never claims an entry that is not there.
        """
        login.set_enabled(enabled)
        return self.set_setting("start_at_login", "true" if enabled else "false")

    # -- helpers -----------------------------------------------------------------------------------

    def _timeline(self, view: StoreView, habit: Habit) -> Timeline:
        settings = Settings(view.settings())
        anchors = self._cache.anchors(habit, settings, self.clock.tz)
        return Timeline(habit.schedule, self.clock.tz, settings.day_boundary, anchors)

    def _unmarked_occurrence(
        self, tx: StoreTransaction, reference: str, instant: datetime, no_occurrence: str
    ) -> tuple[Habit, Occurrence, list[Event]]:
        """The habit, the occurrence whose window holds *instant*, and the habit's events since it opened.

        Refused when there is no such occurrence (*no_occurrence* says why, with the habit's
        {name}, the {at} asked for and its {start}) or when it is already checked off or skipped.
        """
        habit = find_habit(tx, reference, for_check_off=True)
        occurrence = self._timeline(tx, habit).containing(instant)
        if occurrence is None:
            raise ServiceError(
                no_occurrence.format(
                    name=habit.name, at=show_time(instant), start=habit.schedule.start.isoformat()
                )
            )
        # Only events recorded since the window opened can mark it (or say its reminder fired).
        _before, docs = tx.events_since(habit.id, cutoff_key(occurrence.opens - CUTOFF_MARGIN))
        events = [Event.from_doc(doc) for doc in docs]
        _refuse_marked(habit, events, occurrence)
        return habit, occurrence, events

    def _relapses(
        self, tx: StoreTransaction, now: datetime, habit_ids: Iterable[str] | None = None
    ) -> tuple[Habit, ...]:
        """Apply in *tx* the relapses its changes made due among *habit_ids* (None: every habit)."""
        return apply_due_relapses(tx, self._cache, now, self.clock.tz, habit_ids)

    def _evaluate(self, view: StoreView, habit: Habit, now: datetime) -> HabitReport:
        return self._cache.evaluate(view, habit, now, self.clock.tz, Settings(view.settings()))

    @staticmethod
    def _event(
        view: StoreView,
        habit: Habit,
        kind: EventKind,
        *,
        at: datetime,
        now: datetime,
        occurrence: date | None,
        target: str | None = None,
        note: str = "",
        reason: str = "",
    ) -> Event:
        return Event(
            id=new_id(),
            habit_id=habit.id,
            kind=kind,
            at=at,
            recorded_at=now.astimezone(UTC),
            occurrence=occurrence,
            target=target,
            device=view.device_id,
            note=note,
            reason=reason,
        )


def _default_start(rule: str, at: time, now: datetime, clock: Clock, settings: Settings) -> date:
    """Today (the local day), unless today's reminder has already passed: then tomorrow.

    So a new habit never starts with an occurrence that was missed before it existed.
    """
    today = local_day(now, clock.tz, settings.day_boundary)
    timeline = Timeline(make_schedule(rule, at, today), clock.tz, settings.day_boundary)
    first = next(iter(timeline), None)
    if first is not None and first.reminder <= now:
        return date.fromordinal(today.toordinal() + 1)
    return today


def clean_note(text: str) -> str:
    """A note with its spaces tidied (one line); refused when longer than the limit."""
    cleaned = " ".join(text.split())
    if len(cleaned) > MAX_NOTE:
        raise ServiceError(_("A note can have at most {n} characters.").format(n=MAX_NOTE))
    return cleaned


def _refuse_marked(habit: Habit, events: list[Event], occurrence: Occurrence) -> None:
    """Refuse a second check-off or skip of one occurrence: the user must undo the first."""
    for mark in active_marks(events):
        if mark.occurrence == occurrence.key or occurrence.holds(mark.at):
            if mark.kind is EventKind.SKIP:
                message = _("“{name}” is already skipped for {day}; undo it first.")
            else:
                message = _("“{name}” is already checked off for {day}; undo it first.")
            raise ServiceError(message.format(name=habit.name, day=occurrence.key.isoformat()))
