"""SyncDriver: keeps this computer's store and the sync folder in step while the app runs.

It syncs (see :mod:`trayhabit.core.sync`) at start, shortly after every change here (so the other
computers see it), and whenever the operating system reports a change in the sync folder's device
folders (a sync engine delivering another computer's files). Nothing polls: the one timer besides
the settle delay runs only while the folder is away or a file could not be read yet, to try again.

Each sync runs on the model's worker thread (:mod:`trayhabit.app.background`): the first pull of
another computer's years takes seconds, and the tray must answer meanwhile. A sync asked for while
one runs is not queued but coalesced: one more sync runs after it, however many were asked for.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from trayhabit.app.background import Outcome, Task
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.watcher import FolderWatcher
from trayhabit.core.changes import Change, ChangeKind
from trayhabit.core.errors import UserError
from trayhabit.core.store import EVENTS_DIR

if TYPE_CHECKING:
    from trayhabit.core.sync import SyncReport

log = logging.getLogger(__name__)

# Changes come in bursts (a sync engine delivers several files, the store writes several): one
# sync after they settle.
SETTLE_MS = 500
# While the folder is away (a drive unplugged) or a file is half-synced: try again this often.
RETRY_MS = 60_000


class SyncDriver(QObject):
    """Syncs when something changed, here or in the sync folder, and says how it went.

    Signals:
        status_changed(str): a sentence for the settings window about the last sync ("" when off),
            or about the one running ("Syncing… (3 of 72 files)").
        synced(SyncReport | None): a sync ended; its report, or None when sync is off or it failed.
    """

    status_changed = Signal(str)
    synced = Signal(object)

    def __init__(self, model: HabitsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._folder: Path | None = None
        self._status = ""
        self._running: Task | None = None
        self._again = False  # asked to sync while one ran: once more after it
        self._watcher = FolderWatcher(parent=self, settle_ms=SETTLE_MS)
        self._watcher.changed.connect(self.sync_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.sync_now)
        model.changed.connect(self._on_model_changed)

    @property
    def status(self) -> str:
        """The sentence about the last sync ("" when sync is off)."""
        return self._status

    @property
    def running(self) -> bool:
        """Whether a sync is running on the worker."""
        return self._running is not None

    def refresh(self) -> bool | None:
        """Sync now, before a reminder is shown, if sync is on; whether the other computers' changes
        changed anything here, or None when a sync is running on the worker (the reminder waits for
        its ``synced``). This one sync runs on the UI thread, for the reminder waits on its answer;
        it reads only the files that changed since the last sync, which the worker's syncs keep few.
        """
        if self._running is not None:
            return None
        if self._folder is None:
            return False
        self._watcher.stop_pending()
        self._retry.stop()
        try:
            report = self._model.sync()
        except UserError as error:
            self._failed(str(error))
            return False
        self._finished(report)
        return report is not None and report.changed

    def start(self) -> None:
        """Sync once now and watch the folder from then on."""
        self.sync_now()

    def sync_now(self) -> None:
        """Sync at once (the settle delay skipped), on the worker; ``synced`` says when it ended.

        While a sync runs, one more is run after it (however often this is called meanwhile).
        """
        self._watcher.stop_pending()
        self._retry.stop()
        if self._running is not None:
            self._again = True
            return
        if not self._model.settings().sync_folder:
            # Sync is off: nothing to run on the worker (nor to hold reminders back for).
            self._finished(None)
            self.synced.emit(None)
            return
        self._running = self._model.sync_in_background(self._on_sync_ended)
        self._running.progressed.connect(self._on_running_progressed)

    def _on_running_progressed(self, done: int, total: int, _what: str) -> None:
        if total:
            self._set_status(
                self.tr("Syncing… (%1 of %2 files)").replace("%1", str(done)).replace("%2", str(total))
            )

    def _on_sync_ended(self, task: Task) -> None:
        self._running = None
        report: SyncReport | None = None
        if task.outcome is Outcome.DONE:
            report = task.result  # type: ignore[assignment]  # what HabitService.sync returned
            self._finished(report)
        elif task.outcome is Outcome.REFUSED:
            self._failed(task.error)
        else:
            # A bug (shown by the crash hook), or cancelled at quit: try again later all the same.
            self._retry.start()
        self.synced.emit(report)
        if self._again:
            self._again = False
            self.sync_now()

    def _failed(self, message: str) -> None:
        log.warning("sync failed: %s", message)
        self._set_status(message)
        self._retry.start()

    def _finished(self, report: SyncReport | None) -> None:
        if report is None:
            self._folder = None
            self._watcher.set_folders([])
            self._set_status("")
            return
        self._folder = report.folder
        self._watcher.set_folders(self._folders_to_watch(report.folder))
        if not report.available or report.skipped:
            self._retry.start()
        self._set_status(self._describe(report))

    # -- watching ----------------------------------------------------------------------------------

    @staticmethod
    def _folders_to_watch(folder: Path) -> list[Path]:
        """The folder itself, its devices folder and each device's folder and events folder."""
        from trayhabit.core.synclayout import DEVICES_DIR  # here: loaded with the first sync

        found = [folder, folder / DEVICES_DIR]
        devices = folder / DEVICES_DIR
        if devices.is_dir():
            for device in sorted(devices.iterdir()):
                if device.is_dir():
                    found.extend([device, device / EVENTS_DIR])
        return found

    # -- status -------------------------------------------------------------------------------------

    def _describe(self, report: SyncReport) -> str:
        if not report.available:
            return self.tr(
                "The sync folder is not there (a drive not connected?). Your habits are kept on this "
                "computer and sync when it is back."
            )
        others = len(report.devices)
        if others == 0:
            text = self.tr("No other computer has synced into this folder yet.")
        elif others == 1:
            text = self.tr("In sync with one other computer.")
        else:
            text = self.tr("In sync with %1 other computers.").replace("%1", str(others))
        if report.skipped:
            text += " " + self.tr("Not everything the other computers wrote could be used: %1").replace(
                "%1", "; ".join(report.skipped)
            )
        return text

    def _set_status(self, text: str) -> None:
        if text != self._status:
            self._status = text
            self.status_changed.emit(text)

    # -- slots --------------------------------------------------------------------------------------

    def _on_model_changed(self, change: Change, _by: object) -> None:
        # A change here (to publish), or the sync folder setting itself changed; not what a sync
        # just brought in, which is already in the folder.
        if change.kind is ChangeKind.SYNCED:
            return
        if self._model.settings().sync_folder or self._folder is not None:
            self._watcher.nudge()
