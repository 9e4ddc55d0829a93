"""The same habits on every computer, through a folder another program keeps in sync.

TrayHabit runs no server: it rides on the file-sync engines people already use (Syncthing, Dropbox,
OneDrive, iCloud Drive, Nextcloud). Each computer keeps its own store in its data folder, which stays
the fallback whenever the sync folder is away, and writes into the sync folder only files of its own,
under its device id (the store's, made once per data folder)::

    <sync folder>/devices/<device id>/device.json          which computer this is
    <sync folder>/devices/<device id>/habits.json          every habit (a deleted one marked so) and
                                                          the shared settings, with when and by which
                                                          device each was last changed
    <sync folder>/devices/<device id>/events/YYYY-MM.json  the store's events of each month
    <sync folder>/devices/<device id>/journal.json         (written by TrayHabit 0.1; still read)
    <sync folder>/archive/<device id>/...                  conflict copies, once merged

Two computers never write the same file, so a sync engine sees no conflict in normal use. Each one
reads the other devices' files and merges them into its own store:

- events (check-offs, skips, undos, reminders shown) by their unique ids: a set union;
- habits last-writer-wins per habit, ordered by (``updated_at``, ``updated_by``) and then by the
  document itself, so that every computer picks the same one; deleting a habit is a change like any
  other (``deleted_at``), never an absence;
- the shared settings (the score's parameters and the day boundary) last-writer-wins per key, the
  same way.

A union and a total order make the merge commutative, associative and idempotent: whatever order the
files arrive in, and however often, every computer ends with the same habits, history and scores.
Nothing is taken away because a file is missing or shorter.

Another computer's file is read document by document (:mod:`trayhabit.core.syncfiles`): a habit, a
setting or an event that fails its check is left out and reported once, naming the computer and why
("habit 3 of laptop-anna: its schedule is not a rule"); the rest of the file is merged. A file that
cannot be used at all (not JSON, too large, not TrayHabit's layout) is reported as unreadable, once,
and read again when it changes; only a file that changes while it is read, or changed in the last few
seconds (by its modification time against the clock sync is given), is "still being synced".

A change is stamped after the stamp its document has already (:mod:`trayhabit.core.hlc`), so a
computer whose clock runs ahead cannot make its changes win over later ones forever; a stamp that
arrives more than a few minutes ahead of this computer's clock is logged, naming the computer.

Conflict copies a sync engine makes anyway (Dropbox "conflicted copy", Syncthing ``.sync-conflict-``,
OneDrive ``-COMPUTERNAME``) are read, merged and then moved into ``archive/``, never deleted.

What was read and written is remembered in ``<data folder>/cache/sync.json``
(:mod:`trayhabit.core.syncbooks`: files read by their size and time, months written by the store's
revision of them), so a sync reads and writes only what changed. Deleting that file costs one full
read and write, nothing else. The merge rules are in :mod:`trayhabit.core.syncmerge`.
"""

from __future__ import annotations

import logging
import os
import platform
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from trayhabit.core import jsontext, lww
from trayhabit.core.atomic import fsync_dir
from trayhabit.core.changes import Change, ChangeKind
from trayhabit.core.errors import UserError
from trayhabit.core.hlc import AHEAD_WARNING
from trayhabit.core.i18n import _
from trayhabit.core.progress import CancelCheck, Progress, stop_if_cancelled
from trayhabit.core.progress import report as report_progress
from trayhabit.core.settings import SETTING_STAMPS
from trayhabit.core.store import NewerSchemaError, Store, StoreTransaction
from trayhabit.core.syncbooks import Bookkeeping, FileStamp, file_stamp
from trayhabit.core.syncfiles import (
    FORMAT_NAME,
    FORMAT_VERSION,
    UnreadableFileError,
    computer_name,
    parse_events_file,
    parse_habits_file,
    read_file,
)
from trayhabit.core.synclayout import (
    ARCHIVE_DIR,
    DEVICE_FILE,
    DEVICES_DIR,
    EVENTS_DIR,
    HABITS_FILE,
    JOURNAL_FILE,
    Found,
    claimed_elsewhere,
    conflict_original,
    device_files,
    exists_as,
    write_if_changed,
)
from trayhabit.core.syncmerge import NEVER, habit_order, setting_order, setting_stamps

log = logging.getLogger(__name__)


#: A file that does not parse and was modified this recently (by its time against the clock sync is
#: given) is taken to be still arriving: a sync engine writing it in place, or about to replace it.
SETTLING = timedelta(seconds=5)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: About how many documents one step of a merge writes in one transaction: the store's lock is held
#: for one step at a time, so the app's reads wait for a step, never for a whole long history.
STEP_EVENTS = 500


class _Read(Enum):
    """What came of reading one file."""

    MERGED = "merged"  # every document that passed its check is in the store
    UNREADABLE = "unreadable"  # reported; read again when it changes
    LATER = "later"  # still being synced, written by a newer TrayHabit, or gone: read again next time


@dataclass
class _Checked:
    """The documents of one file that passed their checks, read with no lock held, to be merged."""

    computer: str
    events: list[dict[str, Any]] = field(default_factory=list)
    habits: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """How many documents (at least one: a file costs a step something even when empty)."""
        return max(1, len(self.events) + len(self.habits) + len(self.settings))

    def pieces(self, first: int) -> list[_Checked]:
        """This file's documents in pieces to write a step each: *first* events in the first (to
        fill the step under way), :data:`STEP_EVENTS` in each after it; habits and settings, few,
        stay whole in the first."""
        if len(self.events) <= first:
            return [self]
        pieces = [_Checked(self.computer, self.events[:first], self.habits, self.settings)]
        for start in range(first, len(self.events), STEP_EVENTS):
            pieces.append(_Checked(self.computer, self.events[start : start + STEP_EVENTS]))
        return pieces


class SyncFolderError(UserError):
    """The sync folder cannot be used as asked (inside the data folder, say)."""


@dataclass
class SyncReport:
    """What one sync did, for the log, the settings window and ``trayhabit sync``."""

    folder: Path
    #: False when the folder was not there (a drive unmounted, a laptop offline): nothing happened.
    available: bool = True
    events_added: int = 0
    habits_changed: int = 0
    settings_changed: int = 0
    files_published: int = 0
    devices: list[str] = field(default_factory=list)
    #: Conflict copies merged and moved into the archive, as paths relative to the folder.
    archived: list[str] = field(default_factory=list)
    #: What was left out, one line each: documents that failed their check (named by computer and
    #: number, reported once), files that cannot be read (reported once while unchanged) and files
    #: still being synced.
    skipped: list[str] = field(default_factory=list)
    #: The device id this store had until this sync found another computer using it (a copied data
    #: folder), or "".
    renewed_from: str = ""
    #: The habits whose document or events were taken in, and the settings that changed.
    habit_ids: set[str] = field(default_factory=set)
    setting_keys: set[str] = field(default_factory=set)
    #: What the sync changed in the local store, for the views (empty when nothing came in), with
    #: the relapses it made due when the service ran it.
    change: Change = field(default_factory=lambda: Change(ChangeKind.SYNCED))

    @property
    def changed(self) -> bool:
        """Whether the local store took in anything from the other devices."""
        return bool(self.events_added or self.habits_changed or self.settings_changed)


# --- The sync -------------------------------------------------------------------------------------------


class SyncFolder:
    """Merges the other devices' files in a sync folder into a store, and writes the store's own.

    A :meth:`sync` takes the store's lock in short steps (one step of the merge, one month
    published), never for the whole of a long history, so that the app's reads are not starved; the
    app runs it on its worker thread. Two syncs at once (the app's and ``trayhabit sync``) are
    harmless: the merge is idempotent, and the bookkeeping one of them loses costs only a file read or
    written again. *now* is this computer's clock: sync compares it with files' modification
    times (is a file still arriving?) and with the stamps of changes from other computers (is one
    ahead of this computer's clock?).
    """

    def __init__(
        self,
        store: Store,
        folder: Path,
        *,
        now: Callable[[], datetime],
        after_merge: Callable[[StoreTransaction, SyncReport], None] | None = None,
    ) -> None:
        self.store = store
        self.folder = folder
        self._now = now
        # Called in the merge's transaction with its report: the service applies there the
        # relapses the merge made due, so they are written with it, once.
        self._after_merge = after_merge
        self._computers: dict[str, str] = {}

    def sync(self, *, progress: Progress | None = None, cancelled: CancelCheck | None = None) -> SyncReport:
        """Take in what the other devices wrote, then write out what this store has; see the module.

        A folder that is not there is no error (a drive unmounted, a laptop offline): the store goes
        on alone and catches up at the first sync that finds the folder again. *progress* hears of
        each file read; *cancelled* is asked before each (see :mod:`trayhabit.core.progress`): the
        steps written by then stay, recorded as read, and the next sync takes in the rest.
        """
        report = SyncReport(self.folder)
        if not self.folder.is_dir():
            report.available = False
            return report
        try:
            self._sync(report, progress, cancelled)
        except OSError as error:
            raise SyncFolderError(
                _(
                    "TrayHabit could not use the sync folder {folder}: {reason}. The habits on this computer "
                    "are safe; they sync again once the folder can be used."
                ).format(folder=self.folder, reason=error.strerror or error)
            ) from error
        return report

    def _sync(self, report: SyncReport, progress: Progress | None, cancelled: CancelCheck | None) -> None:
        """Read and check the other devices' files without the store's lock, merge them in short
        steps (see :data:`STEP_EVENTS`), then publish this store's files month by month.

        A step that was written is recorded in the bookkeeping even when a later one fails, so that
        the next sync reads only what was not merged yet; a merge is idempotent, so reading a file
        again would be harmless too, only slower.
        """
        books = Bookkeeping.load(self.store.data_dir, self.folder)
        own = self._own_device_id(report)
        books.reset_if_for(own)
        todo: list[tuple[Found, FileStamp]] = []
        for found in self._others(own, report):
            try:
                stamp = file_stamp(found.path)
            except FileNotFoundError:
                continue  # gone since the listing: the next listing decides
            if books.reported.get(found.name) == stamp or (
                not found.conflict and books.pulled.get(found.name) == stamp
            ):
                continue  # read already, or reported as unreadable and unchanged since
            todo.append((found, stamp))
        try:
            self._merge_in_steps(todo, books, report, progress, cancelled)
        finally:
            books.save()
        self._publish(books, report)
        books.save()
        if report.changed or report.archived or report.skipped:
            log.info(
                "synced with %s: %d events, %d habits, %d settings taken in; %d conflict copies archived; "
                "%d files or documents left out",
                self.folder,
                report.events_added,
                report.habits_changed,
                report.settings_changed,
                len(report.archived),
                len(report.skipped),
            )

    def _own_device_id(self, report: SyncReport) -> str:
        """This store's device id, renewed first if another computer writes under it (a copied folder)."""
        with self.store.reading() as view:
            own = view.device_id
        if not claimed_elsewhere(self.folder / DEVICES_DIR / own / DEVICE_FILE):
            return own
        with self.store.writing() as tx:
            if tx.device_id == own:  # not renewed meanwhile by another process
                # This data folder was copied from another computer, which writes under the same id:
                # take a new one, and merge what that computer wrote as another device's.
                report.renewed_from = own
                log.warning(
                    "sync: device id %s is used by another computer too; this one is now %s",
                    own,
                    tx.renew_device_id(),
                )
            return tx.device_id

    def _merge_in_steps(
        self,
        todo: list[tuple[Found, FileStamp]],
        books: Bookkeeping,
        report: SyncReport,
        progress: Progress | None,
        cancelled: CancelCheck | None,
    ) -> None:
        """Merge the files *todo*: each is read and checked with no lock held, then the checked
        documents are written a step at a time, each step one short transaction of at most
        :data:`STEP_EVENTS` documents (a large file takes several); the service's ``after_merge``
        runs in the last one. A file is recorded as read once its last step is written."""
        step: list[tuple[Found, FileStamp, _Checked, bool]] = []
        size = 0
        for done, (found, stamp) in enumerate(todo):
            stop_if_cancelled(cancelled)  # the steps written so far are recorded; the rest waits
            computer = self._computer(found.name.split("/")[1])
            what = _("Reading {file} from {computer}").format(file=found.path.name, computer=computer)
            report_progress(progress, done, len(todo), what)
            checked = self._read_file(found, stamp, report)
            if checked is _Read.UNREADABLE:
                books.reported[found.name] = stamp
            if not isinstance(checked, _Checked):
                continue
            pieces = checked.pieces(max(1, STEP_EVENTS - size))
            for number, piece in enumerate(pieces):
                step.append((found, stamp, piece, number == len(pieces) - 1))
                size += piece.size
                if size >= STEP_EVENTS:
                    self._write_step(step, books, report, last=False)
                    step, size = [], 0
        report_progress(progress, len(todo), len(todo), _("Writing what came in"))
        if step or report.changed:
            self._write_step(step, books, report, last=True)
        else:
            report.change = _change_of(report)

    def _write_step(
        self,
        step: list[tuple[Found, FileStamp, _Checked, bool]],
        books: Bookkeeping,
        report: SyncReport,
        *,
        last: bool,
    ) -> None:
        """Write one step of checked documents in one transaction, then record the files whose last
        piece it held as read."""
        with self.store.writing() as tx:
            for _found, _stamp, piece, _whole in step:
                self._merge_checked(tx, piece, report)
            if last:
                report.change = _change_of(report)
                if self._after_merge is not None:
                    self._after_merge(tx, report)
        # The step is durable now: conflict copies can go, and what was read need not be read again.
        for found, stamp, _piece, whole in step:
            if not whole:
                continue
            books.reported.pop(found.name, None)
            if found.conflict:
                self._archive(found, report)
            else:
                books.pulled[found.name] = stamp

    # -- reading ---------------------------------------------------------------------------------------

    def _others(self, own: str, report: SyncReport) -> Iterator[Found]:
        """Every file to merge: the other devices' files, and conflict copies in any device's folder."""
        devices = self.folder / DEVICES_DIR
        try:
            with os.scandir(devices) as entries:
                names = sorted(
                    entry.name for entry in entries if entry.is_dir() and not entry.name.startswith(".")
                )
        except FileNotFoundError:
            return
        for device in names:
            if device != own:
                report.devices.append(device)
            for found in device_files(devices / device, device):
                if device != own or found.conflict:
                    yield found

    def _read_file(self, found: Found, stamp: FileStamp, report: SyncReport) -> _Checked | _Read:
        """Read one file and check its documents (no lock held); say in the report what was left out."""
        device = found.name.split("/")[1]
        computer = self._computer(device)
        checked = _Checked(computer)
        try:
            data = read_file(found.path)
            if found.kind == "events":
                name = conflict_original(found) if found.conflict else found.path
                month = None if name.name == JOURNAL_FILE else name.name.removesuffix(".json")
                label = found.name.removeprefix(f"{DEVICES_DIR}/{device}/")
                events = parse_events_file(data, month, computer, label)
                skipped = events.skipped
                checked.events = events.events
            else:
                habits = parse_habits_file(data, computer)
                skipped = habits.skipped
                checked.habits = habits.habits
                checked.settings = habits.settings
        except NewerSchemaError:
            self._skip(
                report,
                _("{file}: written by a newer TrayHabit; update TrayHabit on this computer.").format(
                    file=found.name
                ),
            )
            return _Read.LATER
        except UnreadableFileError as error:
            if self._still_changing(found.path, stamp):
                self._skip(
                    report,
                    _("{file} is still being synced; it will be read again.").format(file=found.name),
                )
                return _Read.LATER
            self._skip(
                report,
                _("{file} cannot be read: {reason}; it will be read again when it changes.").format(
                    file=found.name, reason=error.reason
                ),
            )
            return _Read.UNREADABLE
        except FileNotFoundError:
            return _Read.LATER  # gone between the listing and the read: the next listing decides
        for line in skipped:
            self._skip(report, line)
        return checked

    def _merge_checked(self, tx: StoreTransaction, checked: _Checked, report: SyncReport) -> None:
        """Merge one file's checked documents into *tx*."""
        for doc in checked.events:
            # add_event skips a known id, reading only the month that would hold it.
            if tx.add_event(doc):
                report.events_added += 1
                report.habit_ids.add(str(doc["habit_id"]))
        if checked.habits or checked.settings:
            ahead = self._merge_habits(tx, checked.habits, report)
            ahead = max(ahead, self._merge_settings(tx, checked.settings, report))
            self._warn_if_ahead(checked.computer, ahead)

    @staticmethod
    def _skip(report: SyncReport, line: str) -> None:
        log.warning("sync: %s", line)
        report.skipped.append(line)

    def _computer(self, device: str) -> str:
        """The name of the computer that writes *device*'s folder (read once a sync), for messages."""
        if device not in self._computers:
            path = self.folder / DEVICES_DIR / device / DEVICE_FILE
            self._computers[device] = computer_name(path, device)
        return self._computers[device]

    def _still_changing(self, path: Path, before: FileStamp) -> bool:
        """Whether a file that did not parse is still arriving: it changed while it was read, or its
        modification time is within :data:`SETTLING` of this computer's clock."""
        try:
            after = file_stamp(path)
        except FileNotFoundError:
            return True  # replaced under the read: the next listing sees the new one
        if after != before:
            return True
        now_ns = (self._now() - _EPOCH) // timedelta(microseconds=1) * 1000
        return abs(now_ns - after[0]) <= SETTLING // timedelta(microseconds=1) * 1000

    def _warn_if_ahead(self, computer: str, newest: datetime) -> None:
        """Log a change taken in whose stamp is well ahead of this computer's clock (see hlc)."""
        now = self._now()
        if newest - now > AHEAD_WARNING:
            log.warning(
                "sync: %s",
                _(
                    "a change from {computer} is stamped {stamp}, {minutes} minutes or more ahead of this "
                    "computer's clock; one of the clocks is wrong. Changes made after it still win."
                ).format(
                    computer=computer,
                    stamp=newest.astimezone(UTC).isoformat(timespec="seconds"),
                    minutes=int(AHEAD_WARNING.total_seconds() // 60),
                ),
            )

    @staticmethod
    def _merge_habits(tx: StoreTransaction, habits: list[dict[str, Any]], report: SyncReport) -> datetime:
        """Merge each habit by last writer wins; returns the newest stamp taken in."""
        newest = NEVER
        for doc in habits:
            keep = lww.merged(doc, tx.habit(doc["id"]))
            if keep is not None:
                tx.put_habit(keep)
                report.habits_changed += 1
                report.habit_ids.add(str(doc["id"]))
                newest = max(newest, habit_order(doc)[0], lww.position_order(doc)[0])
        return newest

    @staticmethod
    def _merge_settings(
        tx: StoreTransaction, settings: dict[str, dict[str, Any]], report: SyncReport
    ) -> datetime:
        """Merge each shared setting by last writer wins; returns the newest stamp taken in."""
        stored = tx.settings()
        local = setting_stamps(stored)
        stamps = dict(stored.get(SETTING_STAMPS) or {})
        changes: dict[str, Any] = {}
        newest = NEVER
        for key, stamp in settings.items():
            mine = local.get(key)
            order = setting_order(stamp)
            if mine is None or order > setting_order(mine):
                changes[key] = stamp["value"]
                stamps[key] = [stamp["changed_at"], stamp["device"]]
                newest = max(newest, order[0])
        if changes:
            tx.set_settings({**changes, SETTING_STAMPS: stamps})
            report.settings_changed += len(changes)
            report.setting_keys.update(changes)
        return newest

    def _archive(self, found: Found, report: SyncReport) -> None:
        """Move a merged conflict copy into the archive (never delete it)."""
        relative = found.name.removeprefix(f"{DEVICES_DIR}/")
        target = self.folder / ARCHIVE_DIR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        counter = 1
        while target.exists():
            counter += 1
            target = target.with_name(f"{found.path.name}.{counter}")
        try:
            found.path.replace(target)
        except FileNotFoundError:
            return  # another computer archived it first
        fsync_dir(target.parent)
        report.archived.append(found.name)

    # -- writing ---------------------------------------------------------------------------------------

    def _publish(self, books: Bookkeeping, report: SyncReport) -> None:
        """Write this store's files into its own device folder where they differ from what is there:
        the device and habits files from one short read, then each month from a read of its own,
        its file written with no lock held."""
        with self.store.reading() as view:
            device_id = view.device_id
            habits = {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "device_id": device_id,
                "habits": sorted(view.habits(), key=lambda doc: str(doc["id"])),
                "settings": setting_stamps(view.settings()),
            }
            revisions = view.month_revisions()
        own = self.folder / DEVICES_DIR / device_id
        (own / EVENTS_DIR).mkdir(parents=True, exist_ok=True)
        device = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "device_id": device_id,
            "name": platform.node(),
        }
        report.files_published += write_if_changed(own / DEVICE_FILE, jsontext.dumps(device, sort_keys=True))
        report.files_published += write_if_changed(own / HABITS_FILE, jsontext.dumps(habits, sort_keys=True))
        # A month is written again when the store's revision of it moved since it was last written.
        for month, revision in sorted(revisions.items()):
            name = f"{EVENTS_DIR}/{month}.json"
            target = own / name
            published = books.published.get(name)
            if published is not None and published[0] == revision and exists_as(target, published[1]):
                continue
            with self.store.reading() as view:
                # The month's bytes and its revision from the same read (it may have moved since
                # the listing: the next sync writes it again).
                written = view.month_revisions().get(month, revision)
                data = view.month_file_bytes(month)
            # Unless the copy there holds it already (the bookkeeping was lost, or written by
            # TrayHabit 0.1, which copied the months' files as they are): other computers then
            # need not read it again.
            report.files_published += write_if_changed(target, data)
            books.published[name] = (written, file_stamp(target))


def _change_of(report: SyncReport) -> Change:
    """What the merge of *report* changed in the local store, for the views."""
    return Change(
        ChangeKind.SYNCED,
        habit_ids=frozenset(report.habit_ids),
        definitions=bool(report.habits_changed),
        events=bool(report.events_added),
        settings=frozenset(report.setting_keys),
        counts={
            "habits": report.habits_changed,
            "events": report.events_added,
            "settings": report.settings_changed,
        },
    )


def check_sync_folder(folder: Path, data_dir: Path) -> None:
    """Refuse a sync folder that would mix with the data folder."""
    folder, data_dir = folder.resolve(), data_dir.resolve()
    if folder == data_dir or data_dir in folder.parents or folder in data_dir.parents:
        raise SyncFolderError(
            _(
                "The sync folder must be a folder of its own, apart from TrayHabit's data folder {data}; "
                "choose another one."
            ).format(data=data_dir)
        )
