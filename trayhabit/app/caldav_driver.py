"""CalDAVDriver: keeps the habits and the CalDAV server's task list in step while the app runs.

When an account is connected (see :mod:`trayhabit.core.service_caldav`), it syncs at start, a few
seconds after a change here (debounced: a burst of edits is one sync), every few minutes while the app
runs (CalDAV has no push, so this is the one timer that polls; while the server is away it backs off,
doubling up to half an hour), and once just before a reminder is shown, so that a habit ticked off on
the phone does not nag at the desk. That last one has a short deadline: the reminder driver waits for
it at most :data:`DEADLINE_MS` and then shows the reminder anyway; a check-off the sync brings later
withdraws it.

Every sync runs on the model's worker (:mod:`trayhabit.app.background`), never on the UI thread,
with the account's timeout; what it changed goes to the model as the :class:`Change` it returned, so
the views redraw exactly that. With no account connected, no timer runs and nothing of the CalDAV
client, ``keyring`` or their HTTP and XML stacks is loaded.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from trayhabit.app.background import Outcome, Task
from trayhabit.app.habits_model import HabitsModel
from trayhabit.core.changes import Change, ChangeKind
from trayhabit.core.service_caldav import ACCOUNT_SETTINGS

if TYPE_CHECKING:
    from trayhabit.core.service_caldav import CalDAVStatus, CalDAVSyncResult

log = logging.getLogger(__name__)

# After a change here: one sync once the edits have settled.
DEBOUNCE_MS = 3_000
# While the app runs and the server answers: a sync this often, for what the phone did.
POLL_MS = 5 * 60_000
# While the server is away: the wait doubles from POLL_MS with each failure, up to this.
MAX_BACKOFF_MS = 30 * 60_000
# How long a due reminder waits for the sync before it: short, the reminder is shown anyway after it.
DEADLINE_MS = 5_000
# How long the answer of that sync holds for reminders that come due right after (by the app's clock).
ANSWER_HOLDS = timedelta(minutes=1)
# The change kinds that are no news for the server: the task shows neither reminders nor scores.
_NO_NEWS = frozenset({ChangeKind.REMINDER_RECORDED, ChangeKind.SCORED})


class CalDAVDriver(QObject):
    """Syncs with the CalDAV server when there is reason to, on the worker, and says how it went.

    Signals:
        status_changed(): a sync started or ended, or the account changed (the settings window
            redraws its status line from :meth:`status`).
        answered(): the sync that due reminders waited for ended, or its deadline passed; the
            reminder driver plans again (see :meth:`refresh`).
    """

    status_changed = Signal()
    answered = Signal()

    def __init__(self, model: HabitsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._connected = False
        self._running: Task | None = None
        self._again = False  # asked to sync while one ran: once more after it
        self._failures = 0  # syncs that failed in a row (the server away): the poll backs off
        # The answer of the sync before a reminder: when it came (app's clock) and whether it changed anything.
        self._answer: tuple[datetime, bool] | None = None
        self._poll = self._timer(POLL_MS)
        self._debounce = self._timer(DEBOUNCE_MS)
        self._deadline = self._timer(DEADLINE_MS)
        self._poll.timeout.connect(self.sync_now)
        self._debounce.timeout.connect(self.sync_now)
        self._deadline.timeout.connect(self._on_deadline_timeout)
        model.changed.connect(self._on_model_changed)

    def _timer(self, msecs: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(msecs)
        return timer

    # -- public -------------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """Whether an account is connected on this computer."""
        settings = self._model.settings()
        return bool(settings.caldav_url and settings.caldav_user)

    @property
    def running(self) -> bool:
        """Whether a sync runs on the worker."""
        return self._running is not None

    @property
    def failures(self) -> int:
        """How many syncs in a row failed (0 once one goes through)."""
        return self._failures

    @property
    def next_poll_ms(self) -> int | None:
        """In how many milliseconds the next sync comes by itself, or None when none is timed."""
        return self._poll.interval() if self._poll.isActive() else None

    def status(self) -> CalDAVStatus:
        """The account and how its last sync went (read from the sync's memory, no network)."""
        return self._model.service.caldav_status()

    def start(self) -> None:
        """Sync once now, if an account is connected, and keep syncing from then on."""
        self._connected = self.connected
        if self._connected:
            self.sync_now()

    def sync_now(self) -> None:
        """Sync at once, on the worker (one more after it when one runs already)."""
        self._debounce.stop()
        self._poll.stop()
        if not self.connected:
            return
        if self._running is not None:
            self._again = True
            return
        self._running = self._model.caldav_sync_in_background(self._on_sync_ended, by=self)
        self.status_changed.emit()

    def refresh(self) -> bool | None:
        """Before a reminder is shown: whether a sync just brought changes (False: nothing, or no
        account, or the server is away and not waited for), or None while the reminder waits for the
        sync this starts; ``answered`` comes when it ends or its deadline passes."""
        if not self.connected:
            return False
        now = self._model.now()
        if self._answer is not None and timedelta(0) <= now - self._answer[0] <= ANSWER_HOLDS:
            return self._answer[1]
        if self._deadline.isActive():
            return None
        if self._failures:
            return False  # the server is away: the reminder does not wait for it
        log.info("caldav: syncing before a reminder")
        if self._running is None:
            self.sync_now()  # one that runs already is waited for instead
        self._deadline.start()
        return None

    def show_error(self, message: str) -> None:
        """A sync was refused (the server away, a wrong password): the status says so; it is not
        shown in a box, for the driver tries again by itself."""
        log.warning("caldav: sync failed: %s", message)

    def stop(self) -> None:
        """No more syncs by themselves (the account was disconnected, or the app quits)."""
        for timer in (self._poll, self._debounce, self._deadline):
            timer.stop()
        self._failures = 0
        self._answer = None

    # -- slots --------------------------------------------------------------------------------------

    def _on_sync_ended(self, task: Task) -> None:
        self._running = None
        fresh = False
        if task.outcome is Outcome.DONE:
            result: CalDAVSyncResult = task.result  # type: ignore[assignment]  # what caldav_sync returned
            fresh = not result.change.is_empty
            self._failures = 0
            log.info(
                "caldav: synced: %d written, %d removed, %d check-offs, %d edits taken in, %d archived%s",
                result.sent,
                result.removed,
                result.checked_off,
                result.edited,
                result.archived,
                "".join(f"; {error}" for error in result.errors),
            )
        else:
            # Refused (the server away, a wrong password: said by show_error), a bug or cancelled.
            self._failures += 1
        if self._deadline.isActive():
            self._deadline.stop()
            self._answer = (self._model.now(), fresh)
            self.answered.emit()
        if self._again:
            self._again = False
            self.sync_now()
        elif self.connected:
            wait = POLL_MS if not self._failures else min(POLL_MS * 2**self._failures, MAX_BACKOFF_MS)
            self._poll.start(wait)
            if self._failures:
                log.info("caldav: next try in %d minutes", wait // 60_000)
        self.status_changed.emit()

    def _on_deadline_timeout(self) -> None:
        # The server is slow: the reminder is shown now; a check-off the sync brings later withdraws it.
        log.info("caldav: the sync before a reminder did not answer in time; showing it")
        self._answer = (self._model.now(), False)
        self.answered.emit()

    def _on_model_changed(self, change: Change, by: object) -> None:
        if by is self:
            return  # what a sync just brought in is on the server already
        account = change.settings & ACCOUNT_SETTINGS
        if change.everything or account:
            was, self._connected = self._connected, self.connected
            if was and not self._connected:
                self.stop()
                self.status_changed.emit()
                return
            if self._connected and (account or not was):
                self.sync_now()  # connected (or to another account or list): its first sync
                return
        if self._connected and change.kind not in _NO_NEWS and (change.definitions or change.events):
            self._debounce.start()
