"""The service's use cases that move habits in and out: export, import, calendars and sync.

Part of :class:`trayhabit.core.service.HabitService` (which inherits them), written apart so that
neither module grows past a few hundred lines. A calendar import writes in one transaction; a JSON
or CSV import and the sync, which may carry years of history, write in short steps (so that the
app's reads are not starved while they run on its worker thread), the last step applying the
relapses their changes made due. Each returns what changed: an
:class:`~trayhabit.core.transfer.ImportResult` or a :class:`~trayhabit.core.sync.SyncReport`, each
carrying a :class:`~trayhabit.core.changes.Change` that names the habits it touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trayhabit.core.changes import SCORE_SETTINGS, Change, ChangeKind
from trayhabit.core.clock import Clock
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _
from trayhabit.core.ids import new_id
from trayhabit.core.limits import MAX_CALENDAR_FILE, MAX_IMPORT_FILE, read_limited, too_large
from trayhabit.core.model import Habit
from trayhabit.core.progress import CancelCheck, Progress, report, stop_if_cancelled
from trayhabit.core.schedule import Timeline, make_schedule
from trayhabit.core.score_cache import CheckpointCache
from trayhabit.core.service_support import (
    ServiceError,
    apply_due_relapses,
    clean_name,
    habits_in,
    refuse_duplicate_name,
    show_time,
)
from trayhabit.core.settings import Settings
from trayhabit.core.store import Store, StoreTransaction

if TYPE_CHECKING:
    # Only the types: the file formats, the calendar reader and the sync engine are loaded when first
    # used (most people never sync; the tray should not carry the code all day).
    from trayhabit.core.ical import CalendarPlan
    from trayhabit.core.sync import SyncFolder, SyncReport
    from trayhabit.core.transfer import ImportResult

#: The formats :meth:`TransferUseCases.export` writes.
EXPORT_FORMATS = ("json", "csv", "ics")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file's bytes, how many habits and events they hold, and where.

    ``events`` is 0 for a calendar file, which carries the habits' schedules, not their history;
    ``path`` is None when the caller asked for the bytes only (``trayhabit export`` to stdout).
    """

    data: bytes
    habits: int
    events: int
    path: Path | None = None


#: How many events an import writes in one transaction (see :meth:`TransferUseCases.import_file`).
IMPORT_STEP = 500


def read_import_file(path: Path) -> bytes:
    """The bytes of a file to import, held to the import limit; a :class:`UserError` saying why not."""
    try:
        return read_limited(path, MAX_IMPORT_FILE, name=path.name)
    except OSError as error:
        raise UserError(
            _("Cannot read {file}: {error}.").format(file=path, error=error.strerror or error)
        ) from None


def _added_up(before: ImportResult, step: ImportResult) -> ImportResult:
    """What an import wrote in its steps so far, and one more step's."""
    counts = {
        key: (before.change.counts or {}).get(key, 0) + (step.change.counts or {}).get(key, 0)
        for key in ("habits", "events", "settings")
    }
    return replace(
        before,
        habits_added=before.habits_added + step.habits_added,
        habits_updated=before.habits_updated + step.habits_updated,
        events_added=before.events_added + step.events_added,
        change=replace(before.change.merged(step.change), counts=counts),
    )


class TransferUseCases:
    """Export, import (TrayHabit's JSON and CSV, calendar files) and sync, on the service's store."""

    store: Store
    clock: Clock
    _cache: CheckpointCache

    # -- export ------------------------------------------------------------------------------------

    def export(
        self,
        file_format: str,
        *,
        tasks: bool = False,
        path: Path | None = None,
        progress: Progress | None = None,
    ) -> ExportResult:
        """Every habit as ``json`` (lossless), ``csv`` (for spreadsheets) or ``ics`` (a calendar file
        of events, or of tasks with *tasks*); written atomically to *path* when given. *progress*
        hears of each step (see :mod:`trayhabit.core.progress`).

        The store's lock is taken in short steps, so that the app's reads and check-offs go on while
        a long history is exported on its worker thread: the habits, the settings and the list of
        months in one step, then each month's events in a step of its own (one month held at a
        time). Events are append-only (an undo is an event of its own), so the file holds at least
        everything stored before the export began; an event stored meanwhile may be in it too (if
        its month is read after it), unless its habit was made meanwhile. A store that does not
        change meanwhile gives the bytes one step would have.
        """
        from trayhabit.core.transfer import csv_document, json_document

        if file_format not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {file_format!r}")  # callers offer only these
        now = self.clock.now()
        report(progress, 0, 2, _("Reading the habits and their history"))
        with self.store.reading() as view:
            habit_docs, settings, months = view.habits(), view.settings(), view.event_months()
        habits, events = len(habit_docs), 0
        steps = len(months) + 1  # each month's read, and the file's writing (or handing back)
        if file_format == "ics":
            from trayhabit.core.ical import export_ics

            # A calendar file carries the habits' schedules, not their check-offs: no month is read.
            data = export_ics(
                [Habit.from_doc(doc) for doc in habit_docs],
                zone=self.clock.tz,
                now=now,
                component="VTODO" if tasks else "VEVENT",
            )
        else:
            known = {doc["id"] for doc in habit_docs}

            def history() -> Iterator[list[dict[str, Any]]]:
                nonlocal events
                for number, month in enumerate(months):
                    report(progress, number, steps, _("Reading the habits and their history"))
                    with self.store.reading() as view:
                        docs = view.month_events(month)
                    # A habit made since the export began is not in the file: neither are its events.
                    docs = [doc for doc in docs if doc["habit_id"] in known]
                    events += len(docs)
                    yield docs

            if file_format == "json":
                data = json_document(habit_docs, history(), settings, now)
            else:
                data = csv_document(habit_docs, history(), settings, now, self.clock.tz).encode()
        if path is not None:
            from trayhabit.core.atomic import write_atomic

            report(progress, steps - 1, steps, _("Writing {file}").format(file=path.name))
            try:
                write_atomic(path, data)
            except OSError as error:
                raise UserError(
                    _("Cannot write {file}: {error}.").format(file=path, error=error.strerror or error)
                ) from None
        return ExportResult(data, habits, events, path)

    # -- import ------------------------------------------------------------------------------------

    def import_file(
        self,
        data: bytes,
        filename: str,
        *,
        progress: Progress | None = None,
        cancelled: CancelCheck | None = None,
    ) -> ImportResult:
        """Merge a TrayHabit export (JSON or CSV) into the store, in steps of :data:`IMPORT_STEP` events.

        The file is checked whole first (a bad one changes nothing); habits present on both sides
        keep the version changed last (:mod:`trayhabit.core.lww`, as sync does); events are added by
        id. The result's change names every habit added, updated or given events, and the graduated
        ones that relapsed by what came in. *progress* hears of each step; *cancelled* is asked
        before the write, the last moment stopping changes nothing (see :mod:`trayhabit.core.progress`).
        """
        from trayhabit.core.transfer import import_into, parse_import

        report(progress, 0, 0, _("Checking {file}").format(file=filename))
        habits, events, settings = parse_import(data, filename)
        stop_if_cancelled(cancelled)
        # Written in steps (the habits and settings with the first), so that the app's reads wait for
        # a step, not for years of history; the file is whole and checked by now, and a step that
        # fails leaves those before it, which importing the file again completes (by event id).
        # In the order recorded, as the store files them by month: a step then touches a month or two.
        history = sorted(events, key=lambda event: event.recorded_at)
        steps = [history[start : start + IMPORT_STEP] for start in range(0, len(history), IMPORT_STEP)] or [
            []
        ]
        result: ImportResult | None = None
        relapsed: tuple[Habit, ...] = ()
        for number, step in enumerate(steps):
            report(progress, number, len(steps), _("Adding what {file} holds").format(file=filename))
            with self.store.writing() as tx:
                first = number == 0
                done = import_into(tx, habits if first else (), step, settings if first else {})
                result = done if result is None else _added_up(result, done)
                if number == len(steps) - 1:
                    relapsed = self._relapses_after(tx, result.change)
        assert result is not None
        return replace(result, change=result.change.with_relapses(relapsed))

    def plan_calendar_import(
        self, data: bytes, filename: str, *, progress: Progress | None = None
    ) -> CalendarPlan:
        """What importing the iCalendar file *data* would create and skip; nothing is written.

        Raises :class:`~trayhabit.core.ical.CalendarFileError` for a file that cannot be read at all.
        """
        from trayhabit.core.ical import read_calendar

        report(progress, 0, 1, _("Reading {file}").format(file=filename))
        if len(data) > MAX_CALENDAR_FILE:
            raise too_large(filename, MAX_CALENDAR_FILE)
        with self.store.reading() as view:
            names = [habit.name for habit in habits_in(view, include_archived=False)]
        return read_calendar(data, filename, zone=self.clock.tz, now=self.clock.now(), existing_names=names)

    def import_calendar(self, plan: CalendarPlan) -> ImportResult:
        """Create the habits of a confirmed calendar plan, all in one transaction.

        Refused, with nothing created, if one of their names has been taken since the plan was made,
        or if a habit's first reminder has passed meanwhile (it would start with a missed one). The
        result's ``created`` holds the new habits in the plan's order.
        """
        from trayhabit.core.transfer import ImportResult

        now = self.clock.now()
        created: list[Habit] = []
        with self.store.writing() as tx:
            boundary = Settings(tx.settings()).day_boundary
            for planned in plan.habits:
                name = clean_name(planned.name)
                refuse_duplicate_name(tx, name)
                first = next(iter(Timeline(planned.schedule, self.clock.tz, boundary)), None)
                if first is not None and first.reminder <= now:
                    raise ServiceError(
                        _(
                            "The first reminder of “{name}” ({at}) has passed since the preview; import the file again."
                        ).format(name=name, at=show_time(first.reminder.astimezone(self.clock.tz)))
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
                created.append(habit)
        change = Change(
            ChangeKind.IMPORTED,
            habit_ids=frozenset(habit.id for habit in created),
            definitions=bool(created),
            counts={"habits": len(created), "events": 0, "settings": 0},
        )
        return ImportResult(len(created), 0, 0, change, tuple(created))

    # -- sync --------------------------------------------------------------------------------------

    def sync_folder(self) -> SyncFolder | None:
        """The sync folder the settings name, or None when sync is off."""
        with self.store.reading() as view:
            folder = Settings(view.settings()).sync_folder
        if not folder:
            return None
        from trayhabit.core.sync import SyncFolder

        return SyncFolder(self.store, Path(folder), now=self.clock.now, after_merge=self._after_sync_merge)

    def sync(
        self, *, progress: Progress | None = None, cancelled: CancelCheck | None = None
    ) -> SyncReport | None:
        """Merge the other computers' changes from the sync folder and write this one's; None when off.

        The report's ``change`` names the habits whose definition or events came in, the settings
        that changed, and the graduated habits that relapsed by them (in the merge's last
        transaction). *progress* hears of each file, and *cancelled* is asked before each (see
        :meth:`SyncFolder.sync <trayhabit.core.sync.SyncFolder.sync>`).
        """
        folder = self.sync_folder()
        return folder.sync(progress=progress, cancelled=cancelled) if folder is not None else None

    # -- helpers -----------------------------------------------------------------------------------

    def _after_sync_merge(self, tx: StoreTransaction, report: SyncReport) -> None:
        report.change = report.change.with_relapses(self._relapses_after(tx, report.change))

    def _relapses_after(self, tx: StoreTransaction, change: Change) -> tuple[Habit, ...]:
        """The relapses that what *change* took in made due, applied in *tx*: among its habits, or
        among every habit when a score setting changed."""
        if change.is_empty:
            return ()
        habit_ids = None if change.settings & SCORE_SETTINGS or change.everything else change.habit_ids
        return apply_due_relapses(tx, self._cache, self.clock.now(), self.clock.tz, habit_ids)
