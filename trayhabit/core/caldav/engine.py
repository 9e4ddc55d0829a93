"""One CalDAV sync: down (completions, edits and deletions made on the server come in), then up
(each tracked habit's task written where it changed, the tasks of archived and deleted habits removed).

Deletion goes both ways: a habit archived or deleted here has its task removed; a task deleted on
the server (it was there at the last sync that ended well, and is gone) stops the tracking of its
habit here, archived with its history, when the deletion is the later change (the habit was not
edited here since that sync); otherwise its task is written again.

Down comes first, so that up writes with the ETags just read (If-Match): a task changed on the
server between the two is not overwritten, the write is refused (a conflict) and the next sync reads
it again. Everything the engine writes to the store goes through the service
(:class:`~trayhabit.core.service_caldav.CalDAVUseCases`): check-offs by
:meth:`record_completions`, edits by ``update_habit``, so the usual rules (last writer wins,
relapses, one transaction each) hold.

A completion counts once, and only once: its event id is made from the habit, the occurrence and
``caldav`` (:func:`completion_event_id`), so reading it again, or on a second computer that shares
the sync folder, adds nothing; and an occurrence already checked off (or skipped) here is left as it
is. Whatever the engine does not understand on the server (other tasks, other properties of a
habit's task) it leaves as it found it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from trayhabit.core import lww
from trayhabit.core.caldav.completions import Completion, completions, related_to
from trayhabit.core.caldav.items import (
    SeriesView,
    fingerprint,
    habit_id_of,
    habit_task,
    merged_task,
    read_series,
    todos,
    uid_of,
)
from trayhabit.core.caldav.remote import ConflictError, RemoteItem, TaskList
from trayhabit.core.caldav.state import SyncState, TaskState
from trayhabit.core.changes import Change, ChangeKind
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _
from trayhabit.core.model import Habit
from trayhabit.core.schedule import ScheduleError, normalize_rule

if TYPE_CHECKING:
    from trayhabit.core.service import HabitService

log = logging.getLogger(__name__)


@dataclass
class SyncCounts:
    """What one sync did: tasks written and removed, check-offs and edits taken in, and problems."""

    sent: int = 0
    removed: int = 0
    checked_off: int = 0
    edited: int = 0
    archived: int = 0
    errors: list[str] = field(default_factory=list)
    change: Change = field(default_factory=lambda: Change(ChangeKind.SYNCED))


@dataclass
class _Task:
    """A habit's task as found on the server: the resource holding its series, and its components."""

    item: RemoteItem
    own: list[Any]
    series_todo: Any | None


class Engine:
    """One sync of the service's habits with one task list."""

    def __init__(self, service: HabitService, remote: TaskList, state: SyncState) -> None:
        self.service = service
        self.remote = remote
        self.state = state
        self.counts = SyncCounts()
        self._hrefs: set[str] = set()

    def run(self, items: list[RemoteItem]) -> SyncCounts:
        """Sync with the list whose items are *items* (just read)."""
        tasks, others = _index(items)
        # A resource still there that could not be read is not a deletion.
        self._hrefs = {item.href for item in items}
        self._down(tasks, others)
        self._up(tasks)
        return self.counts

    # -- down ----------------------------------------------------------------------------------------

    def _down(self, tasks: dict[str, _Task], others: list[Any]) -> None:
        zone = self.service.clock.tz
        now = self.service.clock.now()
        for habit in self.service.habits(include_archived=False):
            task = tasks.get(habit.id)
            if task is None:
                remembered = self.state.tasks.get(habit.id)
                if remembered is not None and remembered.href not in self._hrefs:
                    self._take_deletion(habit)
                continue
            series = read_series(task.series_todo, zone) if task.series_todo is not None else None
            remembered = self.state.tasks.get(habit.id)
            last_anchor = _parse_wall(remembered.anchor) if remembered else None
            related = [todo for todo in others if related_to(todo, uid_of(habit.id), habit.name)]
            found = completions(
                habit,
                self.service.caldav_timeline(habit),
                own=task.own,
                related=related,
                series=series,
                last_anchor=last_anchor,
                now=now,
            )
            # A task of the same name completed before the habit existed is another matter.
            found = [
                c
                for c in found
                if c.pattern != "new-task" or habit.created_at is None or c.at >= habit.created_at
            ]
            if found:
                self._take_completions(habit, found)
            if series is not None:
                self._take_edit(habit, series)
                if remembered is not None:
                    remembered.anchor = series.anchor.isoformat()

    def _take_deletion(self, habit: Habit) -> None:
        """The habit's task, there at the last sync, is gone: deleted on the server (a phone, a
        calendar app). The habit is no longer tracked here if that is the later change; otherwise
        up writes its task again (see :meth:`CalDAVUseCases.archive_deleted_on_server`)."""
        seen_at = _parse_time(self.state.last_sync)
        change = self.service.archive_deleted_on_server(habit.id, seen_at)
        if change is None:
            log.info(
                "caldav: the task of %s was deleted on the server before its edit here; written again",
                habit.id,
            )
            return
        log.info("caldav: the task of %s was deleted on the server; the habit is archived", habit.id)
        self.state.tasks.pop(habit.id, None)
        self.counts.archived += 1
        self.counts.change = self.counts.change.merged(change)

    def _take_completions(self, habit: Habit, found: list[Completion]) -> None:
        taken, change = self.service.record_completions(habit.id, found)
        self.counts.checked_off += taken
        self.counts.change = self.counts.change.merged(change)

    def _take_edit(self, habit: Habit, series: SeriesView) -> None:
        """Take in an edit made on the server to the name, why, rule or time, if it is the last write."""
        try:
            rule, at = normalize_rule(series.rrule, series.at)
            own_rule, own_at = normalize_rule(habit.schedule.rrule, habit.schedule.at)
        except ScheduleError as error:
            self.counts.errors.append(
                _("“{name}”: the rule on the server cannot be read ({error}).").format(
                    name=habit.name, error=error
                )
            )
            return
        theirs = {"name": series.name.strip(), "why": series.why.strip(), "rrule": rule, "at": at.isoformat()}
        mine = {"name": habit.name, "why": habit.why, "rrule": own_rule, "at": own_at.isoformat()}
        if theirs == mine or not theirs["name"]:
            return
        local = habit.to_doc()
        incoming = {
            **local,
            **theirs,
            "updated_at": series.changed_at.isoformat() if series.changed_at else None,
            "updated_by": "caldav",
        }
        if not lww.wins(incoming, local):
            return  # TrayHabit's version is the later one: up writes it
        try:
            change = self.service.update_habit(
                habit.id,
                name=series.name,
                why=series.why,
                rule=rule if rule != own_rule else None,
                at=at if at != own_at else None,
            )
        except UserError as error:
            self.counts.errors.append(_("“{name}”: {error}").format(name=habit.name, error=error))
            return
        self.counts.edited += 1
        self.counts.change = self.counts.change.merged(change)

    # -- up ------------------------------------------------------------------------------------------

    def _up(self, tasks: dict[str, _Task]) -> None:
        habits = self.service.all_habits()
        for habit in habits:
            if habit.is_active:
                self._send(habit, tasks.get(habit.id))
        # The tasks of archived and deleted habits go; those of habits unknown here stay (another
        # computer's, not synced here yet).
        for habit in habits:
            if habit.is_active:
                continue
            task = tasks.get(habit.id)
            if task is not None:
                item = task.item

                def delete(item: RemoteItem = item) -> None:
                    self.remote.delete(item.href, item.etag)

                if not self._write(delete):
                    continue
                self.counts.removed += 1
            self.state.tasks.pop(habit.id, None)

    def _send(self, habit: Habit, task: _Task | None) -> None:
        anchor = self.service.caldav_anchor(habit)
        if anchor is None:
            return  # the rule has ended: nothing to show
        now = self.service.clock.now()
        ours = habit_task(habit, anchor, zone=self.service.clock.tz, now=now)
        wall = datetime.combine(anchor, habit.schedule.at)
        remembered = self.state.tasks.get(habit.id)
        if task is None:

            def create() -> None:
                href, etag = self.remote.create(ours)
                self._remember(habit, href, etag, wall)

            if self._write(create):
                self.counts.sent += 1
            return
        series = (
            read_series(task.series_todo, self.service.clock.tz) if task.series_todo is not None else None
        )
        up_to_date = (
            remembered is not None
            and remembered.sent == fingerprint(habit)
            and series is not None
            and series.anchor == wall
        )
        if up_to_date and remembered is not None:
            remembered.href, remembered.etag = task.item.href, task.item.etag
            return

        def update() -> None:
            etag = self.remote.update(task.item.href, merged_task(task.item.data, ours), task.item.etag)
            self._remember(habit, task.item.href, etag, wall)

        if self._write(update):
            self.counts.sent += 1

    def _remember(self, habit: Habit, href: str, etag: str, anchor: datetime) -> None:
        self.state.tasks[habit.id] = TaskState(
            href=href,
            etag=etag,
            sent=fingerprint(habit),
            name=habit.name,
            why=habit.why,
            rrule=habit.schedule.rrule,
            at=habit.schedule.at.isoformat(),
            anchor=anchor.isoformat(),
        )

    def _write(self, write: Callable[[], None]) -> bool:
        """Run one write; a conflict or a refusal of this one task is counted, and the sync goes on."""
        from trayhabit.core.caldav.connection import explained

        try:
            with explained(self.service.caldav_account_or_fail(), in_list=True):
                write()
        except ConflictError:
            self.counts.errors.append(
                _("A task changed on the server while TrayHabit wrote it; the next sync takes it in.")
            )
            return False
        except UserError as error:
            self.counts.errors.append(str(error))
            return False
        return True


def _index(items: list[RemoteItem]) -> tuple[dict[str, _Task], list[Any]]:
    """The habits' tasks by habit id, and the other tasks' components (for completions of kind (c))."""
    tasks: dict[str, _Task] = {}
    others: list[Any] = []
    for item in items:
        components = todos(item.data)
        for component in components:
            habit_id = habit_id_of(str(component.get("UID", "")))
            if habit_id is None:
                others.append(component)
                continue
            is_series = "RRULE" in component and "RECURRENCE-ID" not in component
            task = tasks.get(habit_id)
            if task is None:
                task = tasks[habit_id] = _Task(item, [], None)
            task.own.append(component)
            if is_series:
                task.item, task.series_todo = item, component
    return tasks, others


def _parse_time(text: str) -> datetime | None:
    """An aware time the sync's memory wrote (ISO, UTC), or None."""
    try:
        value = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return value if value is None or value.tzinfo is not None else None


def _parse_wall(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
