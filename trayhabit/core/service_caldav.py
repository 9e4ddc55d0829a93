"""The service's CalDAV use cases: connect an account, sync with its task list, say how it stands,
and disconnect.

Part of :class:`trayhabit.core.service.HabitService` (which inherits them), written apart like
:mod:`trayhabit.core.service_transfer`. The work is in :mod:`trayhabit.core.caldav`, imported when a
use case runs: the tray app that never connects a server never loads ``caldav``, ``keyring`` or
their HTTP and XML stacks (see the package's docstring). A sync that cannot reach or read the server
changes nothing in the store, and the error is kept for :meth:`CalDAVUseCases.caldav_status`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, cast

from trayhabit.core.changes import Change, ChangeKind
from trayhabit.core.checkpoint import CUTOFF_MARGIN, cutoff_key
from trayhabit.core.clock import Clock
from trayhabit.core.history import active_marks
from trayhabit.core.i18n import _
from trayhabit.core.model import Event, EventKind, Habit, State
from trayhabit.core.schedule import Timeline
from trayhabit.core.score_cache import CheckpointCache
from trayhabit.core.service_support import apply_due_relapses, put_state
from trayhabit.core.settings import Settings
from trayhabit.core.store import Store, StoreView

if TYPE_CHECKING:
    from trayhabit.core.caldav.account import Account
    from trayhabit.core.caldav.completions import Completion
    from trayhabit.core.caldav.remote import TaskList
    from trayhabit.core.service import HabitService

#: The device named on check-offs that came from a CalDAV server.
CALDAV_DEVICE = "caldav"
#: The settings that say which account is connected (the password is in the credential store).
ACCOUNT_SETTINGS = frozenset({"caldav_url", "caldav_user", "caldav_list"})
# How many occurrences ahead the task's start is looked for (a habit checked off far ahead is rare).
_ANCHOR_LOOKAHEAD = 60


@dataclass(frozen=True)
class CalDAVSyncResult:
    """What a CalDAV sync did: the store's :class:`Change`, and how many tasks were written and
    removed, check-offs and edits taken in, the problems with single tasks (the sync went on), and
    how many habits are no longer tracked because their task was deleted on the server."""

    change: Change
    sent: int = 0
    removed: int = 0
    checked_off: int = 0
    edited: int = 0
    errors: tuple[str, ...] = ()
    archived: int = 0


@dataclass(frozen=True)
class CalDAVStatus:
    """How the CalDAV sync stands: the account (None when none is set), the last good sync, the last error."""

    url: str = ""
    user: str = ""
    list_name: str = ""
    last_sync: str = ""
    last_error: str = ""
    last_error_at: str = ""
    tasks: int = 0

    @property
    def connected(self) -> bool:
        """Whether an account is set."""
        return bool(self.url)


@dataclass(frozen=True)
class ConnectResult:
    """A connected account, and whether its task list was made for it."""

    url: str
    user: str
    list_name: str
    created: bool = False

    @property
    def change(self) -> Change:
        """What connecting changed in the store: the account's settings."""
        return Change(ChangeKind.SETTINGS, settings=ACCOUNT_SETTINGS)


def completion_event_id(habit_id: str, occurrence: date) -> str:
    """The id of the check-off a CalDAV completion of *occurrence* becomes: the same on every
    computer and at every reading, so the completion is stored once however often it arrives."""
    import hashlib

    digest = bytearray(hashlib.sha256(f"{habit_id}|{occurrence.isoformat()}|caldav".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # a name-based id (UUID version 5's layout)
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class CalDAVUseCases:
    """Connect, sync, status and disconnect, on the service's store (see the module's docstring)."""

    store: Store
    clock: Clock
    _cache: CheckpointCache

    # -- the use cases -----------------------------------------------------------------------------

    def caldav_connect(self, url: str, user: str, password: str, list_name: str = "") -> ConnectResult:
        """Check the account (log in, find or make the list), then keep it: the password in the
        system's credential store, the rest in the settings. Nothing is kept when the check fails."""
        from trayhabit.core.caldav.account import DEFAULT_LIST, Account, CalDAVError, check_url, save_password
        from trayhabit.core.caldav.connection import MissingListError, open_list

        url = check_url(url)
        user = user.strip()
        if not user:
            raise CalDAVError(_("A user name is needed to connect to a CalDAV server."))
        account = Account(url, user, list_name.strip() or DEFAULT_LIST)
        timeout = self._caldav_settings().caldav_timeout
        try:
            open_list(account, password, timeout=timeout).close()
            created = False
        except MissingListError:
            open_list(account, password, timeout=timeout, create=True).close()
            created = True
        save_password(account, password)
        with self.store.writing() as tx:
            tx.set_settings(
                {"caldav_url": account.url, "caldav_user": account.user, "caldav_list": account.list_name}
            )
        return ConnectResult(account.url, account.user, account.list_name, created)

    def caldav_lists(self, url: str, user: str, password: str) -> list[str]:
        """Log in with these (nothing is kept) and name the server's task lists, for the person to
        choose one; a :class:`~trayhabit.core.caldav.account.CalDAVError` saying why not."""
        from trayhabit.core.caldav.account import Account, CalDAVError, check_url
        from trayhabit.core.caldav.connection import task_lists

        url = check_url(url)
        if not user.strip():
            raise CalDAVError(_("A user name is needed to connect to a CalDAV server."))
        return task_lists(
            Account(url, user.strip()), password, timeout=self._caldav_settings().caldav_timeout
        )

    def caldav_sync(self, remote: TaskList | None = None) -> CalDAVSyncResult:
        """Sync the habits with the account's task list (*remote*: one opened already, for tests).

        When the server cannot be reached or read, nothing changes in the store; the error is kept
        for :meth:`caldav_status` and raised as a :class:`~trayhabit.core.caldav.account.CalDAVError`.
        """
        from trayhabit.core.caldav.account import CalDAVError, load_password
        from trayhabit.core.caldav.connection import explained, open_list
        from trayhabit.core.caldav.engine import Engine
        from trayhabit.core.caldav.state import SyncState

        account = self.caldav_account_or_fail()
        state = SyncState.load(self.store.data_dir, account.sync_key)
        opened = remote is None
        try:
            if remote is None:
                remote = open_list(
                    account, load_password(account), timeout=self._caldav_settings().caldav_timeout
                )
            try:
                with explained(account, in_list=True):
                    items = remote.items()
                # Always a HabitService: this class is one of its parts.
                counts = Engine(cast("HabitService", self), remote, state).run(items)
            finally:
                if opened:
                    remote.close()
        except CalDAVError as error:
            state.last_error = str(error)
            state.last_error_at = self.clock.now().astimezone(UTC).isoformat()
            state.save()
            raise
        now = self.clock.now().astimezone(UTC).isoformat()
        state.last_sync = now
        state.last_error = counts.errors[-1] if counts.errors else ""
        state.last_error_at = now if counts.errors else ""
        state.save()
        return CalDAVSyncResult(
            counts.change,
            counts.sent,
            counts.removed,
            counts.checked_off,
            counts.edited,
            tuple(counts.errors),
            counts.archived,
        )

    def caldav_status(self) -> CalDAVStatus:
        """The account set on this computer and how its last sync went."""
        from trayhabit.core.caldav.account import Account
        from trayhabit.core.caldav.state import SyncState

        account = Account.from_settings(self._caldav_settings())
        if account is None:
            return CalDAVStatus()
        state = SyncState.load(self.store.data_dir, account.sync_key)
        return CalDAVStatus(
            account.url,
            account.user,
            account.list_name,
            state.last_sync,
            state.last_error,
            state.last_error_at,
            len(state.tasks),
        )

    def caldav_disconnect(self) -> Change:
        """Forget the account: its password in the credential store, its settings, the sync's memory.
        The tasks stay on the server."""
        from trayhabit.core.caldav.account import Account, forget_password
        from trayhabit.core.caldav.state import SyncState

        account = Account.from_settings(self._caldav_settings())
        if account is not None:
            forget_password(account)
        with self.store.writing() as tx:
            tx.set_settings({"caldav_url": "", "caldav_user": "", "caldav_list": ""})
        SyncState.forget(self.store.data_dir)
        return Change(ChangeKind.SETTINGS, settings=ACCOUNT_SETTINGS)

    # -- for the sync engine -----------------------------------------------------------------------

    def caldav_account_or_fail(self) -> Account:
        """The account set on this computer; a CalDAVError when there is none."""
        from trayhabit.core.caldav.account import Account, CalDAVError

        account = Account.from_settings(self._caldav_settings())
        if account is None:
            raise CalDAVError(_("No CalDAV server is connected on this computer."))
        return account

    def all_habits(self) -> list[Habit]:
        """Every habit, archived and deleted ones too (their tasks are to be removed)."""
        with self.store.reading() as view:
            return [Habit.from_doc(doc) for doc in view.habits()]

    def caldav_timeline(self, habit: Habit) -> Timeline:
        """The habit's occurrences in the user's zone and days."""
        with self.store.reading() as view:
            return self._caldav_timeline(view, habit)

    def caldav_anchor(self, habit: Habit) -> date | None:
        """The occurrence a habit's task should stand at: the first whose window is still open or
        ahead and that is not checked off or skipped; None when the rule has ended."""
        now = self.clock.now()
        with self.store.reading() as view:
            timeline = self._caldav_timeline(view, habit)
            upcoming = []
            for occurrence in timeline.iter_from(now):
                upcoming.append(occurrence)
                if len(upcoming) >= _ANCHOR_LOOKAHEAD:
                    break
            if not upcoming:
                return None
            _before, docs = view.events_since(habit.id, cutoff_key(upcoming[0].opens - CUTOFF_MARGIN))
            marks = active_marks(Event.from_doc(doc) for doc in docs)
        marked = {mark.occurrence for mark in marks}
        for occurrence in upcoming:
            if occurrence.key not in marked and not any(occurrence.holds(mark.at) for mark in marks):
                return occurrence.key
        return upcoming[-1].key

    def archive_deleted_on_server(self, habit_id: str, seen_at: datetime | None) -> Change | None:
        """The habit's task is gone from the server, where the last sync that ended well saw it, at
        *seen_at*: stop tracking the habit here (archived, its history kept, with the reason) if
        the deletion is the later change, that is, if the habit was not edited here since then (the
        deletion, made on the server between *seen_at* and now, is then surely the later). None,
        and nothing changed, when the habit's edit here may be the later (or *seen_at* is not known):
        its task is written again, as last writer wins."""
        now = self.clock.now()
        with self.store.writing() as tx:
            doc = tx.habit(habit_id)
            if doc is None or seen_at is None:
                return None
            habit = Habit.from_doc(doc)
            edited = habit.updated_at
            if edited is not None and edited.tzinfo is None:
                edited = edited.replace(tzinfo=UTC)  # as the stamps count one without a zone
            if not habit.is_active or (edited is not None and edited > seen_at):
                return None
            habit = put_state(tx, habit, State.ARCHIVED, now, _("Its task was deleted on the CalDAV server."))
        return Change(ChangeKind.ARCHIVED, habit)

    def record_completions(self, habit_id: str, found: Iterable[Completion]) -> tuple[int, Change]:
        """Record the CalDAV completions *found* of a habit as check-offs, in one transaction: how
        many were new, and the change. An occurrence already checked off or skipped here, or a
        completion recorded before (its id, :func:`completion_event_id`), adds nothing."""
        now = self.clock.now()
        added: list[Event] = []
        with self.store.writing() as tx:
            doc = tx.habit(habit_id)
            if doc is None:
                return 0, Change(ChangeKind.SYNCED)
            habit = Habit.from_doc(doc)
            timeline = self._caldav_timeline(tx, habit)
            for completion in found:
                occurrence = timeline.by_key(completion.occurrence)
                if occurrence is None or completion.at > now:
                    continue
                _before, docs = tx.events_since(habit.id, cutoff_key(occurrence.opens - CUTOFF_MARGIN))
                marks = active_marks(Event.from_doc(doc) for doc in docs)
                if any(m.occurrence == occurrence.key or occurrence.holds(m.at) for m in marks):
                    continue
                at = completion.at.astimezone(self.clock.tz)
                event = Event(
                    id=completion_event_id(habit.id, occurrence.key),
                    habit_id=habit.id,
                    kind=EventKind.DONE,
                    at=at,
                    # When the phone recorded it: a completion made in the window and synced after
                    # it closed is not late.
                    recorded_at=completion.at.astimezone(UTC),
                    occurrence=occurrence.key,
                    device=CALDAV_DEVICE,
                )
                if tx.add_event(event.to_doc()):
                    added.append(event)
            relapsed = apply_due_relapses(tx, self._cache, now, self.clock.tz, [habit.id]) if added else ()
        if not added:
            return 0, Change(ChangeKind.SYNCED)
        change = Change(ChangeKind.SYNCED, habit, added[-1], habit_ids=frozenset({habit.id}), events=True)
        return len(added), change.with_relapses(relapsed)

    # -- helpers -----------------------------------------------------------------------------------

    def _caldav_settings(self) -> Settings:
        with self.store.reading() as view:
            return Settings(view.settings())

    def _caldav_timeline(self, view: StoreView, habit: Habit) -> Timeline:
        settings = Settings(view.settings())
        anchors = self._cache.anchors(habit, settings, self.clock.tz)
        return Timeline(habit.schedule, self.clock.tz, settings.day_boundary, anchors)
