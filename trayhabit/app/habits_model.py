"""The one bridge between the Qt layer and the core's use cases.

Windows, the tray and the reminder driver call the methods here, never the store. Each write goes
through :class:`~trayhabit.core.service.HabitService` and returns the :class:`Change` it made; the
model brings its cached reports up to date for exactly the habits that change touches (a check-off
re-scores its own habit, once) and passes the change on in ``changed``, so that each view redraws
only what it shows of them. A refusal (a :class:`UserError`) goes back to whoever asked: to the
initiator that asked (a window shows it on its own message line), or else as ``error_raised``
for the app to show. This is the shape of Anki's ``CollectionOp``: one call, its success seen by
everyone, its failure by whoever asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from trayhabit.app.background import BackgroundWorker, Outcome, Task
from trayhabit.core.changes import Change, ChangeKind
from trayhabit.core.errors import UserError
from trayhabit.core.model import Habit
from trayhabit.core.presence import Absence
from trayhabit.core.progress import stop_if_cancelled
from trayhabit.core.report import HabitReport
from trayhabit.core.service import HabitService, LoginEntry
from trayhabit.core.settings import Settings

if TYPE_CHECKING:
    # Only the types: the iCalendar reader, the import and export code and the sync engine are
    # loaded when first used, not at start-up.
    from trayhabit.core.ical import CalendarPlan
    from trayhabit.core.service_transfer import ExportResult
    from trayhabit.core.sync import SyncReport
    from trayhabit.core.transfer import ImportResult

T = TypeVar("T")


class Initiator(Protocol):
    """Who started an operation (a window): shown its refusals, and told apart in ``changed``."""

    def show_error(self, message: str) -> None:
        """Show the refusal of an operation this initiator started, in the user's words."""


class HabitsModel(QObject):
    """Reports for every habit, cached until something changes, and the use cases that change them.

    Signals:
        changed(Change, Initiator | None): habits, events or settings changed, here or in another
            process; the change says which (see :mod:`trayhabit.core.changes`), and the initiator
            who asked for it (None: the tray, a reminder, another process), so that a window can
            leave the redraw after its own operation to the operation's own code.
        error_raised(str): a use case started with no initiator was refused; the message says why.
        notice(str): something the user should be told (a relapse, a restored backup).
        suggestion(str, str, str): the core suggests a step for a habit: its id, the step
            ("graduate" to retire the reminder, "archive" to stop tracking) and why. Each is
            raised once per session; the app asks and the user decides.
    """

    changed = Signal(object, object)
    error_raised = Signal(str)
    notice = Signal(str)
    repaired = Signal(object)
    suggestion = Signal(str, str, str)

    def __init__(self, service: HabitService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._reports: list[HabitReport] | None = None
        self._settings: Settings | None = None
        self._suggested: set[tuple[str, str]] = set()
        # Runs the long use cases (sync, import, export, calendars) off the UI thread.
        self.worker = BackgroundWorker(self)
        # How many habits have been scored since the model was made (each report computed once per
        # change that touches it); the tests and the benchmark read it.
        self.scored = 0
        # Whole histories are walked on the worker (a new schedule on a ten-year habit, a score
        # setting, a first sync): the habits whose reports wait for a walk (shown as they were
        # meanwhile, or not at all when they have none yet), those being walked now, those to walk
        # next, and those touched again during their walk (looked at again when it ends).
        self._stale: set[str] = set()
        self._walking: frozenset[str] = frozenset()
        self._to_walk: set[str] = set()
        self._walk_again: set[str] = set()

    # -- reading ----------------------------------------------------------------------------------

    @property
    def service(self) -> HabitService:
        """The use cases (for the rare caller that needs the clock or the data folder)."""
        return self._service

    @property
    def data_dir(self) -> Path:
        """The folder the store lives in."""
        return self._service.store.data_dir

    def now(self) -> datetime:
        """The current time from the app's clock."""
        return self._service.clock.now()

    def reports(self, *, include_archived: bool = False, include_stale: bool = True) -> list[HabitReport]:
        """A report per habit (archived ones on request), in the person's order. A habit whose
        history is being walked on the worker has its report of before (unless *include_stale* is
        False: the reminder driver plans only on scores that are up to date), or none if it never
        had one; :meth:`is_scoring` says which, and ``changed`` comes when their scores are in."""
        if self._reports is None:
            self._reports = []
            self._rescore(frozenset(habit.id for habit in self._service.habits(include_archived=True)))
        return [
            r
            for r in self._reports
            if (include_archived or r.habit.is_active) and (include_stale or r.habit.id not in self._stale)
        ]

    def is_scoring(self, habit_id: str | None = None) -> bool:
        """Whether the habit *habit_id* (or any habit) waits for its history to be walked."""
        return habit_id in self._stale if habit_id is not None else bool(self._stale)

    def report(self, habit_id: str) -> HabitReport | None:
        """The report of one habit, or None if it is gone; its history covers the last weeks at least."""
        return next((r for r in self.reports(include_archived=True) if r.habit.id == habit_id), None)

    def settings(self) -> Settings:
        """The settings in force."""
        if self._settings is None:
            self._settings = self._service.settings()
        return self._settings

    # -- writing ----------------------------------------------------------------------------------

    def add_habit(
        self,
        name: str,
        rule: str,
        at: time | None,
        *,
        why: str = "",
        start: date | None = None,
        by: Initiator | None = None,
    ) -> Habit | None:
        """Create a habit; None (and the refusal to *by*) when refused."""
        change = self._run(lambda: self._service.add_habit(name, rule, at, why=why, start=start), by=by)
        return change.habit if change else None

    def update_habit(
        self,
        habit_id: str,
        *,
        name: str | None = None,
        rule: str | None = None,
        at: time | None = None,
        why: str | None = None,
        start: date | None = None,
        by: Initiator | None = None,
    ) -> Habit | None:
        """Edit a habit; None (and the refusal to *by*) when refused."""
        change = self._run(
            lambda: self._service.update_habit(habit_id, name=name, rule=rule, at=at, why=why, start=start),
            by=by,
        )
        return change.habit if change else None

    def check_off(
        self, habit_id: str, at: datetime | None = None, *, by: Initiator | None = None
    ) -> Change | None:
        """Check the open occurrence off now, or back-fill an earlier one at *at*."""
        return self._run(lambda: self._service.check_off(habit_id, at), by=by)

    def reorder(self, habit_ids: list[str], *, by: Initiator | None = None) -> Change | None:
        """Put the habits in this order (the person dragged one, or moved it with the keyboard)."""
        return self._run(lambda: self._service.reorder(habit_ids), by=by)

    def add_note(
        self, habit_id: str, text: str, *, occurrence: date | None = None, by: Initiator | None = None
    ) -> Change | None:
        """Put a note on the habit's latest check-off (of *occurrence*, if given); empty: none."""
        return self._run(lambda: self._service.add_note(habit_id, text, occurrence=occurrence), by=by)

    def notes(self, habit_id: str, since: date) -> dict[date, str]:
        """The notes on the habit's check-offs from the day *since* on (none if it is gone)."""
        return self._run(lambda: self._service.notes(habit_id, since), mutates=False) or {}

    def skip(self, habit_id: str, *, by: Initiator | None = None) -> Change | None:
        """Skip the open occurrence."""
        return self._run(lambda: self._service.skip(habit_id), by=by)

    def undo(
        self, habit_id: str, *, occurrence: date | None = None, by: Initiator | None = None
    ) -> Change | None:
        """Take back the latest check-off or skip (refused unless it is of *occurrence*, if given)."""
        return self._run(lambda: self._service.undo(habit_id, occurrence=occurrence), by=by)

    def graduate(self, habit_id: str, *, force: bool = False, by: Initiator | None = None) -> Change | None:
        """Retire the reminder (the user accepted the suggestion, or insists)."""
        return self._run(lambda: self._service.graduate(habit_id, force=force), by=by)

    def archive(self, habit_id: str, *, by: Initiator | None = None) -> Change | None:
        """Stop tracking a habit, keeping its history."""
        return self._run(lambda: self._service.archive(habit_id), by=by)

    def restore(self, habit_id: str, *, by: Initiator | None = None) -> Change | None:
        """Track an archived habit again."""
        return self._run(lambda: self._service.restore(habit_id), by=by)

    def remove(self, habit_id: str, *, by: Initiator | None = None) -> Change | None:
        """Delete a habit (the caller has asked the user to confirm)."""
        return self._run(lambda: self._service.remove(habit_id), by=by)

    def set_setting(self, key: str, text: str, *, by: Initiator | None = None) -> bool:
        """Change one setting from the user's text; False (and the refusal to *by*) when refused."""
        return self._run(lambda: self._service.set_setting(key, text), by=by) is not None

    def set_start_at_login(self, enabled: bool, login: LoginEntry) -> Change:
        """Start TrayHabit at login, or not: the login entry, then the setting (see
        :meth:`HabitService.set_start_at_login`). The :class:`UserError` of a system that refuses
        goes to the caller, the settings window, which shows it beside its check box."""
        change = self._service.set_start_at_login(enabled, login)
        self.apply(change)
        return change

    def record_reminder(
        self, habit_id: str, occurrence: date, *, fired: bool, held: Absence | None = None
    ) -> None:
        """Record that a reminder was shown, suppressed because the occurrence was done, or held
        because the person was not there (*held* says why)."""
        self._run(lambda: self._service.record_reminder(habit_id, occurrence, fired=fired, held=held))

    def export_to(
        self,
        path: Path,
        file_format: str,
        *,
        tasks: bool = False,
        by: Initiator | None = None,
        on_done: Callable[[ExportResult], None] | None = None,
    ) -> Task:
        """Write an export (``json``, ``csv`` or ``ics``) to *path* on the worker; an ``ics`` file
        holds calendar events, or tasks when *tasks* is set. *on_done* hears of it when written."""
        return self.run_long(
            self.tr("Exporting to {file}").format(file=path.name),
            lambda task: self._service.export(file_format, tasks=tasks, path=path, progress=task.report),
            mutates=False,
            by=by,
            on_done=on_done,
        )

    def import_from(
        self,
        path: Path,
        *,
        by: Initiator | None = None,
        on_done: Callable[[ImportResult], None] | None = None,
    ) -> Task:
        """Merge a JSON or CSV export into the store, on the worker; cancellable until its write
        begins. *on_done* gets the result, whose ``change`` says what came in (applied here first)."""
        from trayhabit.core.service_transfer import read_import_file

        def work(task: Task) -> ImportResult:
            task.report(0, 0, self.tr("Reading {file}").format(file=path.name))
            data = read_import_file(path)
            stop_if_cancelled(task.is_cancelled)
            return self._service.import_file(
                data, path.name, progress=task.report, cancelled=task.is_cancelled
            )

        return self.run_long(
            self.tr("Importing {file}").format(file=path.name),
            work,
            by=by,
            cancellable=True,
            on_done=on_done,
        )

    def sync(self) -> SyncReport | None:
        """Merge the other computers' changes from the sync folder and write this one's (see
        :mod:`trayhabit.core.sync`); None when sync is off. The report's ``change`` says what came in.

        Unlike the other use cases, a failure raises :class:`UserError` to the caller, the sync
        driver, which shows it as a status and tries again by itself rather than interrupting the user.
        """
        report = self._service.sync()
        if report is not None and not report.change.is_empty:
            self.apply(report.change)
        return report

    def sync_in_background(self, on_end: Callable[[Task], None]) -> Task:
        """Sync as :meth:`sync` does, on the worker's thread; what came in is applied here, on the
        UI thread, then *on_end(task)* is told how it went (the task's ``result`` is the
        :class:`SyncReport` or None; a refusal is the task's ``error``, for the sync driver to show).
        """

        def ended(task: Task) -> None:
            try:
                report = task.result if task.outcome is Outcome.DONE else None
                if report is not None and not report.change.is_empty:  # type: ignore[attr-defined]
                    self.apply(report.change)  # type: ignore[attr-defined]
            finally:
                on_end(task)

        # Cancellable between its steps (each is written and recorded): the app does, when it quits.
        return self.worker.submit(
            self.tr("Syncing"),
            lambda task: self._service.sync(progress=task.report, cancelled=task.is_cancelled),
            cancellable=True,
            on_end=ended,
        )

    # -- CalDAV (the work is on the worker: every call goes over the network) -------------------------

    def caldav_sync_in_background(self, on_end: Callable[[Task], None], *, by: Initiator) -> Task:
        """Sync with the CalDAV account's task list on the worker; the change it brought is applied
        here with *by* (the CalDAV driver, which so tells its own syncs' changes from the others'),
        a refusal goes to *by*, then *on_end(task)* (the task's ``result`` is the
        :class:`~trayhabit.core.service_caldav.CalDAVSyncResult`)."""
        return self.run_long(
            self.tr("Syncing with the CalDAV server"),
            lambda _task: self._service.caldav_sync(),
            by=by,
            on_end=on_end,
        )

    def caldav_lists(
        self,
        url: str,
        user: str,
        password: str,
        *,
        by: Initiator | None = None,
        on_done: Callable[[list[str]], None] | None = None,
        on_end: Callable[[Task], None] | None = None,
    ) -> Task:
        """Test the connection on the worker and name the server's task lists (*on_done* gets them);
        nothing is kept. What went wrong goes to *by* in one sentence."""
        return self.run_long(
            self.tr("Testing the connection"),
            lambda _task: self._service.caldav_lists(url, user, password),
            mutates=False,
            by=by,
            on_done=on_done,
            on_end=on_end,
        )

    def caldav_connect(
        self,
        url: str,
        user: str,
        password: str,
        list_name: str,
        *,
        by: Initiator | None = None,
        on_end: Callable[[Task], None] | None = None,
    ) -> Task:
        """Connect the account on the worker (the list is made when it is not there; the password
        goes to the credential store, the rest to the settings, whose change is applied here)."""
        return self.run_long(
            self.tr("Connecting to the CalDAV server"),
            lambda _task: self._service.caldav_connect(url, user, password, list_name),
            by=by,
            on_end=on_end,
        )

    def caldav_disconnect(
        self, *, by: Initiator | None = None, on_end: Callable[[Task], None] | None = None
    ) -> Task:
        """Forget the account and its password, on the worker (the credential store may be slow to
        answer); the tasks stay on the server."""
        return self.run_long(
            self.tr("Disconnecting from the CalDAV server"),
            lambda _task: self._service.caldav_disconnect(),
            by=by,
            on_end=on_end,
        )

    def plan_calendar_import(
        self,
        path: Path,
        *,
        by: Initiator | None = None,
        on_done: Callable[[CalendarPlan], None] | None = None,
    ) -> Task:
        """Read the calendar file at *path* on the worker and say what importing it would create and
        skip (*on_done* gets the plan); nothing is written, so it can be cancelled at any time. A file
        that cannot be read or is not an iCalendar file is refused to *by* (or ``error_raised``).
        """
        from trayhabit.core.service_transfer import read_import_file

        def work(task: Task) -> CalendarPlan:
            task.report(0, 0, self.tr("Reading {file}").format(file=path.name))
            data = read_import_file(path)
            plan = self._service.plan_calendar_import(data, path.name, progress=task.report)
            stop_if_cancelled(task.is_cancelled)  # nothing was written: no preview for a cancelled read
            return plan

        return self.run_long(
            self.tr("Reading {file}").format(file=path.name),
            work,
            mutates=False,
            by=by,
            cancellable=True,
            on_done=on_done,
        )

    def import_calendar(
        self,
        plan: CalendarPlan,
        *,
        by: Initiator | None = None,
        on_done: Callable[[list[Habit]], None] | None = None,
    ) -> Task:
        """Create the habits of a plan the user confirmed, on the worker; *on_done* gets them (none
        when refused: the refusal goes to *by*)."""
        return self.run_long(
            self.tr("Creating habits from {file}").format(file=plan.filename),
            lambda _task: self._service.import_calendar(plan),
            by=by,
            on_done=None if on_done is None else lambda result: on_done(list(result.created)),
        )

    def today(self) -> date:
        """The local day it is now, with the day boundary (see :meth:`HabitService.today`)."""
        return self._service.today()

    def day_start(self, day: date) -> datetime:
        """The instant the local *day* begins (its day boundary)."""
        return self._service.day_start(day)

    @property
    def zone(self) -> tzinfo:
        """The time zone of the app's clock, in which times are shown."""
        return self._service.clock.tz

    def refresh_from_disk(self) -> None:
        """Take in what another process changed in the store's files (the folder watcher saw them
        change); nothing at all when the change was this app's own write."""
        if not self._take(self._service.changes_on_disk):
            # A damaged file found by this read is still news, though nothing else was.
            for repair in self._service.store.take_notices():
                self.repaired.emit(repair)

    def reload(self) -> None:
        """Read everything again (another process changed the store, or time moved on) and say so."""
        self.apply_relapses()
        self.apply(Change.of_everything())

    def apply(self, change: Change, by: Initiator | None = None) -> None:
        """Bring the cached reports and settings up to date with *change*, then say ``changed``
        (with *by*, who made it, so that a window redraws after its own operation its own way).

        Only the habits the change touches are scored again, each once; a change of a setting every
        score depends on (or of unknown scope) scores them all, when they are next asked for.
        """
        if change.settings or change.everything:
            self._settings = None
        if self._reports is not None:
            if change.rescores_all:
                self._rescore(frozenset(habit.id for habit in self._service.habits(include_archived=True)))
            elif change.habit_ids:
                self._rescore(change.habit_ids)
        # After the first read, which is where a damaged file is found and repaired.
        for repair in self._service.store.take_notices():
            self.repaired.emit(repair)
        for habit in change.relapsed:
            self.notice.emit(
                self.tr("“{name}” has its reminder back. {reason}").format(
                    name=habit.name, reason=habit.state_reason
                )
            )
        self.changed.emit(change, by)
        self._raise_suggestions(None if change.rescores_all else change.habit_ids)

    def _rescore(self, habit_ids: frozenset[str]) -> None:
        """Score again the habits *habit_ids*, keeping the others' reports; drop the deleted ones.

        What comes quickly is scored here (resumed from checkpoints, short histories); the habits
        whose whole history must be walked keep their old reports, marked stale, and are walked on
        the worker (see :meth:`_walked`). A habit being walked now is looked at again when its walk ends.
        """
        assert self._reports is not None
        self._walk_again |= habit_ids & self._walking
        asked = habit_ids - self._walking
        fresh_list, long = self._service.reports_at_hand(asked) if asked else ([], frozenset())
        fresh = {report.habit.id: report for report in fresh_list}
        self.scored += len(fresh)
        self._stale -= fresh.keys()
        self._stale |= long
        self._put(fresh, gone=asked - fresh.keys() - long)
        if long:
            self._to_walk |= long
            self._walk_next()

    def _put(self, fresh: dict[str, HabitReport], *, gone: frozenset[str] = frozenset()) -> None:
        """Keep the reports *fresh* in place of the habits' old ones, in the person's order; drop
        the reports of habits that no longer exist (among *gone*, those asked for and not found)."""
        assert self._reports is not None
        kept = {r.habit.id: r for r in self._reports if r.habit.id not in fresh and r.habit.id not in gone}
        reports: list[HabitReport] = []
        for habit in self._service.habits(include_archived=True):
            report = fresh.get(habit.id) or kept.get(habit.id)
            if report is not None and report.habit != habit:
                # Its score waits for a walk: its name and state are shown as they are already.
                report = replace(report, habit=habit)
            if report is not None:
                reports.append(report)
        self._reports = reports

    def _walk_next(self) -> None:
        """Walk the histories waiting for it on the worker, unless a walk runs already."""
        if self._walking or not self._to_walk:
            return
        walking = self._walking = frozenset(self._to_walk)
        self._to_walk.clear()
        self.run_long(
            self.tr("Scoring the history of %n habit(s)", "", len(walking)),
            lambda task: self._service.walked_reports(
                walking, progress=task.report, cancelled=task.is_cancelled
            ),
            mutates=False,
            on_done=self._walked,
            on_end=self._walk_ended,
        )

    def _walked(self, reports: list[HabitReport]) -> None:
        """Take in the scores the worker's walk brought, and say so."""
        walking = self._walking
        self.scored += len(reports)
        if self._reports is not None:
            self._put({report.habit.id: report for report in reports}, gone=walking)
        self._stale -= walking - self._walk_again - self._to_walk
        self.changed.emit(Change(ChangeKind.SCORED, habit_ids=walking), None)
        self._raise_suggestions(walking)

    def _walk_ended(self, _task: Task) -> None:
        """After a walk (done, refused or crashed): look again at the habits touched during it,
        then walk what waits. A walk that failed leaves its habits as they were shown, stale."""
        self._walking = frozenset()
        again, self._walk_again = frozenset(self._walk_again), set()
        if again and self._reports is not None:
            self._rescore(again)
            # Those the walk's checkpoints serve now are scored already: say so, as for a walk.
            scored = again - self._stale
            if scored:
                self.changed.emit(Change(ChangeKind.SCORED, habit_ids=scored), None)
                self._raise_suggestions(scored)
        self._walk_next()

    # -- long work, off the UI thread ----------------------------------------------------------------

    def run_long(
        self,
        label: str,
        use_case: Callable[[Task], T],
        *,
        mutates: bool = True,
        by: Initiator | None = None,
        cancellable: bool = False,
        on_done: Callable[[T], None] | None = None,
        on_end: Callable[[Task], None] | None = None,
    ) -> Task:
        """Run *use_case(task)* on the worker's thread, then here, on the UI thread, do what
        :meth:`_run` does with its outcome: apply the change it carries (when it *mutates*) and say
        ``changed`` with *by*, or send its refusal to *by* (or ``error_raised``). Then
        *on_done(result)* (when it succeeded) and *on_end(task)* (always: done, refused, cancelled or
        crashed). The use case gets the task's ``report`` and ``is_cancelled`` as its ``progress``
        and ``cancelled``; *label* says what it is, in the user's words, until it reports more.
        """

        def ended(task: Task) -> None:
            try:
                if task.outcome is Outcome.DONE:
                    if mutates:
                        self.apply(_change_of(task.result), by)
                    if on_done is not None:
                        on_done(task.result)  # type: ignore[arg-type]  # what use_case returned
                elif task.outcome is Outcome.REFUSED:
                    self._refuse(task.error, by)
            finally:
                if on_end is not None:
                    on_end(task)

        return self.worker.submit(label, use_case, cancellable=cancellable, on_end=ended)

    # -- helpers ------------------------------------------------------------------------------------

    def _refuse(self, message: str, by: Initiator | None) -> None:
        """Send a refusal to whoever asked: *by*, or else the app (``error_raised``)."""
        if by is not None:
            by.show_error(message)
        else:
            self.error_raised.emit(message)

    def _run(
        self, use_case: Callable[[], T], *, mutates: bool = True, by: Initiator | None = None
    ) -> T | None:
        try:
            result = use_case()
        except UserError as error:
            self._refuse(str(error), by)
            return None
        if mutates:
            self.apply(_change_of(result), by)
        return result

    def _raise_suggestions(self, habit_ids: frozenset[str] | None) -> None:
        """Tell the app, once per habit and step, that the core suggests retiring or archiving
        (of the habits *habit_ids*, or of every habit)."""
        for report in self.reports():
            if habit_ids is not None and report.habit.id not in habit_ids:
                continue
            graduation = report.graduation
            step = (
                "graduate"
                if graduation.suggested
                else "archive"
                if graduation.stop_tracking_suggested
                else ""
            )
            if step and (report.habit.id, step) not in self._suggested:
                self._suggested.add((report.habit.id, step))
                self.suggestion.emit(report.habit.id, step, graduation.reason)

    def apply_relapses(self) -> None:
        """Give back the reminders of graduated habits that relapsed as time passed (the reminder
        driver asks whenever it wakes; a write that makes a relapse due applies it itself)."""
        self._take(self._service.apply_relapses)

    def _take(self, news: Callable[[], Change]) -> bool:
        """Apply the change *news* finds, which no window asked for; whether there was any."""
        try:
            change = news()
        except UserError as error:
            self.error_raised.emit(str(error))
            return False
        if change.is_empty:
            return False
        self.apply(change)
        return True


def _change_of(result: object) -> Change:
    """The change a use case's result carries (a result with none, of unknown scope: everything)."""
    if isinstance(result, Change):
        return result
    carried: object = getattr(result, "change", None)
    if isinstance(carried, Change):
        return carried
    return Change.of_everything()
