"""The use cases: add, check off, skip, undo, graduate, remove, configure, export and import.

Each use case validates everything first, then writes in one store transaction, and returns a
:class:`Change` that says what changed, so a caller (the command line, or the Qt bridge) decides what
to redraw. Nothing here reads the clock except through the :class:`~trayhabit.core.clock.Clock`
it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from trayhabit.core.checkpoint import CUTOFF_MARGIN, cutoff_key
from trayhabit.core.clock import Clock
from trayhabit.core.days import local_day
from trayhabit.core.errors import UserError
from trayhabit.core.history import active_marks, latest_mark, settle_occurrence
from trayhabit.core.hlc import next_stamp, parse_stamp
from trayhabit.core.i18n import _
from trayhabit.core.ids import new_id
from trayhabit.core.limits import MAX_CALENDAR_FILE, too_large
from trayhabit.core.model import MAX_NAME_LENGTH as MAX_NAME_LENGTH  # noqa: PLC0414 (re-exported for the windows)
from trayhabit.core.model import Event, EventKind, Habit, Occurrence, Outcome, State
from trayhabit.core.report import HabitReport
from trayhabit.core.schedule import Timeline, make_schedule, normalize_rule
from trayhabit.core.score_cache import CheckpointCache
from trayhabit.core.settings import SETTING_STAMPS, SPECS, Settings, parse_setting
from trayhabit.core.store import HOT_SPAN, Store, StoreTransaction, StoreView

if TYPE_CHECKING:
    # Only the types: the calendar reader and the sync engine are loaded when first used (most
    # people never sync; the tray should not carry the code all day).
    from trayhabit.core.ical import CalendarPlan
    from trayhabit.core.sync import SyncFolder, SyncReport

# How far back an undo first looks for the check-off or skip to take back: the months the store reads
# at start-up, so that an undo reads no older month unless the habit has had no mark since.
UNDO_LOOKBACK = HOT_SPAN


class ServiceError(UserError):
    """A use case refused: unknown habit, duplicate name, impossible time and the like."""


class ChangeKind(StrEnum):
    """What a use case changed."""

    ADDED = "added"
    UPDATED = "updated"
    CHECKED_OFF = "checked_off"
    SKIPPED = "skipped"
    UNDONE = "undone"
    GRADUATED = "graduated"
    RELAPSED = "relapsed"
    REMOVED = "removed"
    ARCHIVED = "archived"
    RESTORED = "restored"
    REMINDER_RECORDED = "reminder_recorded"
    SETTINGS = "settings"
    IMPORTED = "imported"


@dataclass(frozen=True)
class Change:
    """What a use case did: which habit, which event it recorded, and the outcome it implies."""

    kind: ChangeKind
    habit: Habit | None = None
    event: Event | None = None
    outcome: Outcome | None = None
    # For a skip beyond the allowance, which counts as missed.
    over_skip_cap: bool = False
    # For an undo: the event it took back.
    undone: Event | None = None
    counts: dict[str, int] | None = None


class HabitService:
    """The use cases on one store, with the time from one clock."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._cache = CheckpointCache(store.data_dir)

    # -- reading -----------------------------------------------------------------------------------

    def settings(self) -> Settings:
        """The settings in force."""
        with self.store.reading() as view:
            return Settings(view.settings())

    def habits(self, *, include_archived: bool = True) -> list[Habit]:
        """Every habit not deleted, in the order they were added."""
        with self.store.reading() as view:
            return _habits(view, include_archived=include_archived)

    def find(self, reference: str) -> Habit:
        """The habit named by *reference*: its id, its name (any case) or a unique id prefix."""
        with self.store.reading() as view:
            return _find(view, reference)

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

    def reports(self, *, include_archived: bool = True) -> list[HabitReport]:
        """Reports for every habit, in the order they were added (each as :meth:`report` gives it)."""
        now = self.clock.now()
        with self.store.reading() as view:
            settings = Settings(view.settings())
            reports = [
                self._cache.evaluate(view, habit, now, self.clock.tz, settings)
                for habit in _habits(view, include_archived=include_archived)
            ]
        self._cache.save()
        return reports

    # -- habits ------------------------------------------------------------------------------------

    def add_habit(
        self, name: str, rule: str, at: time | None, *, why: str = "", start: date | None = None
    ) -> Change:
        """Create a learning habit. Without *start*, its first reminder is the next one still ahead."""
        name = _clean_name(name)
        rule, at = normalize_rule(rule, at)
        now = self.clock.now()
        with self.store.writing() as tx:
            settings = Settings(tx.settings())
            _refuse_duplicate_name(tx, name)
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

    def plan_calendar_import(self, data: bytes, filename: str) -> CalendarPlan:
        """What importing the iCalendar file *data* would create and skip; nothing is written.

        Raises :class:`~trayhabit.core.ical.CalendarFileError` for a file that cannot be read at all.
        """
        from trayhabit.core.ical import read_calendar

        if len(data) > MAX_CALENDAR_FILE:
            raise too_large(filename, MAX_CALENDAR_FILE)
        with self.store.reading() as view:
            names = [habit.name for habit in _habits(view, include_archived=False)]
        return read_calendar(data, filename, zone=self.clock.tz, now=self.clock.now(), existing_names=names)

    def import_calendar(self, plan: CalendarPlan) -> list[Change]:
        """Create the habits of a confirmed calendar plan, all in one transaction.

        Refused, with nothing created, if one of their names has been taken since the plan was made,
        or if a habit's first reminder has passed meanwhile (it would start with a missed one).
        """
        now = self.clock.now()
        changes: list[Change] = []
        with self.store.writing() as tx:
            boundary = Settings(tx.settings()).day_boundary
            for planned in plan.habits:
                name = _clean_name(planned.name)
                _refuse_duplicate_name(tx, name)
                first = next(iter(Timeline(planned.schedule, self.clock.tz, boundary)), None)
                if first is not None and first.reminder <= now:
                    raise ServiceError(
                        _(
                            "The first reminder of “{name}” ({at}) has passed since the preview; import the file again."
                        ).format(name=name, at=_show(first.reminder.astimezone(self.clock.tz)))
                    )
                habit = Habit(
                    id=new_id(),
                    name=name,
                    why=planned.why.strip(),
                    schedule=make_schedule(
                        planned.schedule.rrule, planned.schedule.at, planned.schedule.start
                    ),
                    created_at=now,
                    updated_at=now,
                    updated_by=tx.device_id,
                )
                tx.put_habit(habit.to_doc())
                changes.append(Change(ChangeKind.ADDED, habit))
        return changes

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
            habit = _find(tx, reference)
            new_name = habit.name if name is None else _clean_name(name)
            if new_name.casefold() != habit.name.casefold():
                _refuse_duplicate_name(tx, new_name, except_id=habit.id)
            new_rule, new_at = normalize_rule(
                rule if rule is not None else habit.schedule.rrule,
                at if at is not None else habit.schedule.at,
            )
            schedule = make_schedule(new_rule, new_at, start if start is not None else habit.schedule.start)
            habit = habit.with_changes(
                name=new_name,
                why=habit.why if why is None else why.strip(),
                schedule=schedule,
                updated_at=next_stamp(now, [habit.updated_at]),
                updated_by=tx.device_id,
            )
            tx.put_habit(habit.to_doc())
        return Change(ChangeKind.UPDATED, habit)

    def graduate(self, reference: str, *, force: bool = False) -> Change:
        """Retire the reminder; refused with the reason unless graduation is suggested or forced."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = _find(tx, reference)
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
            habit = _put_state(tx, habit, State.GRADUATED, now, reason, graduated_score=report.score)
        return Change(ChangeKind.GRADUATED, habit)

    def archive(self, reference: str) -> Change:
        """Stop tracking a habit but keep it and its history."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = _find(tx, reference)
            habit = _put_state(tx, habit, State.ARCHIVED, now, habit.state_reason)
        return Change(ChangeKind.ARCHIVED, habit)

    def restore(self, reference: str) -> Change:
        """Track an archived habit again, with its reminder on."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = _find(tx, reference)
            if habit.state is not State.ARCHIVED:
                raise ServiceError(_("“{name}” is not archived.").format(name=habit.name))
            _refuse_duplicate_name(tx, habit.name, except_id=habit.id)
            habit = _put_state(tx, habit, State.LEARNING, now)
        return Change(ChangeKind.RESTORED, habit)

    def remove(self, reference: str) -> Change:
        """Delete a habit. Recorded as a deletion (so merged stores agree), not erased."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = _find(tx, reference)
            habit = habit.with_changes(
                deleted_at=now, updated_at=next_stamp(now, [habit.updated_at]), updated_by=tx.device_id
            )
            tx.put_habit(habit.to_doc())
        return Change(ChangeKind.REMOVED, habit)

    def apply_relapses(self) -> list[Change]:
        """Give graduated habits that relapsed their reminder back, with the reason."""
        now = self.clock.now()
        changes: list[Change] = []
        with self.store.writing() as tx:
            for graduated in _habits(tx, include_archived=False):
                if graduated.state is not State.GRADUATED:
                    continue
                graduation = self._evaluate(tx, graduated, now).graduation
                if graduation.relapse:
                    habit = _put_state(tx, graduated, State.LEARNING, now, graduation.reason)
                    changes.append(Change(ChangeKind.RELAPSED, habit))
        return changes

    # -- check-offs --------------------------------------------------------------------------------

    def check_off(self, reference: str, at: datetime | None = None) -> Change:
        """Record that the user did the habit, now or at an earlier time *at* (a back-fill)."""
        now = self.clock.now()
        at = now if at is None else at
        if at > now:
            raise ServiceError(
                _("{at} is in the future; a check-off can only be now or earlier.").format(at=_show(at))
            )
        with self.store.writing() as tx:
            habit, occurrence, events = self._unmarked_occurrence(
                tx, reference, at, _("“{name}” has no occurrence at {at}: it starts on {start}.")
            )
            event = self._event(tx, habit, EventKind.DONE, at=at, now=now, occurrence=occurrence.key)
            fired = [e.at for e in events if e.kind is EventKind.FIRED and e.occurrence == occurrence.key]
            outcome = settle_occurrence(occurrence, event, min(fired, default=None), now).outcome
            tx.add_event(event.to_doc())
        return Change(ChangeKind.CHECKED_OFF, habit, event, outcome)

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
        over_cap = report.current is not None and report.current.skip_over_cap
        return Change(
            ChangeKind.SKIPPED, habit, event, report.current.outcome if report.current else None, over_cap
        )

    def undo(self, reference: str) -> Change:
        """Take back the latest check-off or skip of the habit, recorded as an event of its own."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = _find(tx, reference, for_check_off=True)
            # The latest mark is nearly always recent; the whole history is read only when it is not.
            # An undo is recorded after its target, so the recent events hold every undo of a recent mark.
            _before, docs = tx.events_since(habit.id, cutoff_key(now - UNDO_LOOKBACK))
            target = latest_mark(Event.from_doc(doc) for doc in docs)
            if target is None:
                target = latest_mark(Event.from_doc(doc) for doc in tx.events(habit.id))
            if target is None:
                raise ServiceError(_("“{name}” has no check-off or skip to undo.").format(name=habit.name))
            event = self._event(
                tx, habit, EventKind.UNDO, at=now, now=now, occurrence=target.occurrence, target=target.id
            )
            tx.add_event(event.to_doc())
        return Change(ChangeKind.UNDONE, habit, event, undone=target)

    def record_reminder(self, habit_id: str, occurrence_key: date, *, fired: bool) -> Change:
        """Record that the reminder of an occurrence was shown (*fired*) or suppressed as beaten."""
        now = self.clock.now()
        with self.store.writing() as tx:
            habit = _find(tx, habit_id)
            kind = EventKind.FIRED if fired else EventKind.BEATEN
            event = self._event(tx, habit, kind, at=now, now=now, occurrence=occurrence_key)
            tx.add_event(event.to_doc())
        return Change(ChangeKind.REMINDER_RECORDED, habit, event)

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
        return Change(ChangeKind.SETTINGS)

    # -- sync --------------------------------------------------------------------------------------

    def sync_folder(self) -> SyncFolder | None:
        """The sync folder the settings name, or None when sync is off."""
        folder = str(self.settings()["sync_folder"])
        if not folder:
            return None
        from trayhabit.core.sync import SyncFolder

        return SyncFolder(self.store, Path(folder), now=self.clock.now)

    def sync(self) -> SyncReport | None:
        """Merge the other computers' changes from the sync folder and write this one's; None when off."""
        folder = self.sync_folder()
        return folder.sync() if folder is not None else None

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
        habit = _find(tx, reference, for_check_off=True)
        occurrence = self._timeline(tx, habit).containing(instant)
        if occurrence is None:
            raise ServiceError(
                no_occurrence.format(
                    name=habit.name, at=_show(instant), start=habit.schedule.start.isoformat()
                )
            )
        # Only events recorded since the window opened can mark it (or say its reminder fired).
        _before, docs = tx.events_since(habit.id, cutoff_key(occurrence.opens - CUTOFF_MARGIN))
        events = [Event.from_doc(doc) for doc in docs]
        _refuse_marked(habit, events, occurrence)
        return habit, occurrence, events

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
        )


def _put_state(
    tx: StoreTransaction,
    habit: Habit,
    state: State,
    now: datetime,
    reason: str = "",
    *,
    graduated_score: float | None = None,
) -> Habit:
    """Record a change of *habit*'s state, with why and when, and return the changed habit.

    *graduated_score*, the score when the reminder is retired, goes with a graduation; any other
    change of state clears it.
    """
    changed = habit.with_changes(
        state=state,
        state_reason=reason,
        state_changed_at=now,
        graduated_score=graduated_score,
        updated_at=next_stamp(now, [habit.updated_at]),
        updated_by=tx.device_id,
    )
    tx.put_habit(changed.to_doc())
    return changed


def _habits(view: StoreView, *, include_archived: bool) -> list[Habit]:
    habits = [Habit.from_doc(doc) for doc in view.habits()]
    return [
        habit
        for habit in habits
        if habit.deleted_at is None and (include_archived or habit.state is not State.ARCHIVED)
    ]


def _find(view: StoreView, reference: str, *, for_check_off: bool = False) -> Habit:
    reference = reference.strip()
    habits = _habits(view, include_archived=True)
    found = next((habit for habit in habits if habit.id == reference), None)
    if found is None:
        folded = reference.casefold()
        named = [habit for habit in habits if habit.name.casefold() == folded]
        # An archived habit may share its name with a newer one; the one in use wins.
        in_use = [habit for habit in named if habit.state is not State.ARCHIVED]
        candidates = in_use or named
        found = candidates[0] if candidates else None
    if found is None and len(reference) >= 4:
        prefixed = [habit for habit in habits if habit.id.startswith(reference.lower())]
        if len(prefixed) > 1:
            raise ServiceError(
                _("“{reference}” matches several habits; give more of the id or the full name.").format(
                    reference=reference
                )
            )
        found = prefixed[0] if prefixed else None
    if found is None:
        raise ServiceError(
            _("There is no habit “{reference}”; `trayhabit list` shows the habits.").format(
                reference=reference
            )
        )
    if for_check_off and found.state is State.ARCHIVED:
        raise ServiceError(_("“{name}” is archived; it is no longer tracked.").format(name=found.name))
    return found


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ServiceError(_("A habit needs a name."))
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ServiceError(_("A habit's name can have at most {n} characters.").format(n=MAX_NAME_LENGTH))
    return cleaned


def _refuse_duplicate_name(view: StoreView, name: str, *, except_id: str | None = None) -> None:
    folded = name.casefold()
    for habit in _habits(view, include_archived=False):
        if habit.name.casefold() == folded and habit.id != except_id:
            raise ServiceError(_("There is already a habit called “{name}”.").format(name=habit.name))


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


def _refuse_marked(habit: Habit, events: list[Event], occurrence: Occurrence) -> None:
    """Refuse a second check-off or skip of one occurrence: the user must undo the first."""
    for mark in active_marks(events):
        if mark.occurrence == occurrence.key or occurrence.holds(mark.at):
            if mark.kind is EventKind.SKIP:
                message = _("“{name}” is already skipped for {day}; undo it first.")
            else:
                message = _("“{name}” is already checked off for {day}; undo it first.")
            raise ServiceError(message.format(name=habit.name, day=occurrence.key.isoformat()))


def _show(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M")
