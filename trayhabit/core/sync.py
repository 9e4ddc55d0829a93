"""The same habits on every computer, through a folder another program keeps in sync.

TrayHabit runs no server: it rides on the file-sync engines people already use (Syncthing, Dropbox,
OneDrive, iCloud Drive, Nextcloud). Each computer keeps its own store in its data folder, which stays
the fallback whenever the sync folder is away, and writes into the sync folder only files of its own,
under its device id (the store's, made once per data folder)::

    <sync folder>/devices/<device id>/device.json          which computer this is
    <sync folder>/devices/<device id>/habits.json          every habit (a deleted one marked so) and
                                                          the shared settings, with when and by which
                                                          device each was last changed
    <sync folder>/devices/<device id>/journal.json         copies of the store's events files
    <sync folder>/devices/<device id>/events/YYYY-MM.json
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
Nothing is taken away because a file is missing or shorter. A file that does not parse (half-synced,
truncated) is skipped with a warning and read again at the next sync. Conflict copies a sync engine
makes anyway (Dropbox "conflicted copy", Syncthing ``.sync-conflict-``, OneDrive ``-COMPUTERNAME``) are
read, merged and then moved into ``archive/``, never deleted.

What was read and written is remembered in ``<data folder>/cache/sync.json`` (by file size and time),
so a sync reads only what changed. Deleting that file costs one full read and write, nothing else.
"""

from __future__ import annotations

import logging
import os
import platform
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trayhabit.core import jsontext
from trayhabit.core.atomic import fsync_dir, write_atomic
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _
from trayhabit.core.model import Habit
from trayhabit.core.settings import SETTING_STAMPS, SPECS, SettingError, parse_setting
from trayhabit.core.store import (
    EVENTS_DIR,
    JOURNAL_FILE,
    NewerSchemaError,
    Store,
    StoreTransaction,
    StoreView,
    parse_events_file,
)

log = logging.getLogger(__name__)

FORMAT_NAME = "trayhabit-sync"
FORMAT_VERSION = 1
DEVICES_DIR = "devices"
ARCHIVE_DIR = "archive"
DEVICE_FILE = "device.json"
HABITS_FILE = "habits.json"
BOOKKEEPING_FILE = "sync.json"

_MONTH_FILE = re.compile(r"^\d{4}-\d{2}\.json$")
# What a sync engine adds to a file's stem when it keeps both versions of a conflict: Dropbox and
# Nextcloud " (conflicted copy ...)", Syncthing ".sync-conflict-...", OneDrive "-COMPUTERNAME",
# iCloud Drive " 2". Anything after the stem that starts with a space, dot, dash or underscore.
_CONFLICT_SEPARATORS = (" ", ".", "-", "_")

#: (st_mtime_ns, st_size): how a file in the sync folder is recognised as read already. No inode:
#: sync engines replace files, and a copied folder keeps times and sizes.
FileStamp = tuple[int, int]


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
    #: Files that did not parse, each with why; read again at the next sync.
    skipped: list[str] = field(default_factory=list)
    #: The device id this store had until this sync found another computer using it (a copied data
    #: folder), or "".
    renewed_from: str = ""

    @property
    def changed(self) -> bool:
        """Whether the local store took in anything from the other devices."""
        return bool(self.events_added or self.habits_changed or self.settings_changed)


# --- Merge rules -------------------------------------------------------------------------------------


def _instant(text: object) -> datetime:
    """An ISO time as an aware UTC instant (so that offsets compare right); the earliest if unset."""
    if isinstance(text, str) and text:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.min.replace(tzinfo=UTC)


def _canonical(value: object) -> bytes:
    return jsontext.dumps(value, sort_keys=True)


def habit_order(doc: dict[str, Any]) -> tuple[datetime, str, bytes]:
    """The key by which the last writer of a habit wins: when, which device, then the document."""
    return (
        _instant(doc.get("updated_at") or doc.get("created_at")),
        str(doc.get("updated_by") or ""),
        _canonical(doc),
    )


def setting_order(stamp: dict[str, Any]) -> tuple[datetime, str, bytes]:
    """The key by which the last writer of a shared setting wins (a stamp: value, changed_at, device)."""
    return (_instant(stamp.get("changed_at")), str(stamp.get("device") or ""), _canonical(stamp.get("value")))


def setting_stamps(settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The shared settings of a store's stored settings, each with its stamp (when, by which device)."""
    stamps = settings.get(SETTING_STAMPS)
    stamps = stamps if isinstance(stamps, dict) else {}
    result: dict[str, dict[str, Any]] = {}
    for key, value in settings.items():
        spec = SPECS.get(key)
        if spec is None or not spec.shared:
            continue
        stamp = stamps.get(key)
        changed_at, device = stamp if isinstance(stamp, list) and len(stamp) == 2 else ("", "")
        result[key] = {"value": value, "changed_at": changed_at, "device": device}
    return result


# --- Files in the sync folder -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    """A file in a device's folder: what it holds, and whether it is a sync engine's conflict copy."""

    path: Path
    name: str  # relative to the sync folder, with "/"
    kind: str  # "habits" or "events"
    conflict: bool


def _classify(relative: str) -> tuple[str, bool] | None:
    """(kind, is a conflict copy) of a file in a device folder by its name there; None: not ours."""
    folder, _sep, name = relative.rpartition("/")
    if not name.endswith(".json") or name.startswith("."):
        return None
    if folder == "":
        if name == HABITS_FILE:
            return "habits", False
        if name == JOURNAL_FILE:
            return "events", False
        for canonical, kind in ((HABITS_FILE, "habits"), (JOURNAL_FILE, "events")):
            if _is_conflict_copy(name, canonical):
                return kind, True
        return None
    if folder == EVENTS_DIR:
        if _MONTH_FILE.match(name):
            return "events", False
        stem = name[:7]
        if _MONTH_FILE.match(f"{stem}.json") and _is_conflict_copy(name, f"{stem}.json"):
            return "events", True
    return None


def _is_conflict_copy(name: str, canonical: str) -> bool:
    stem = canonical.removesuffix(".json")
    return name != canonical and name.startswith(stem) and name[len(stem)] in _CONFLICT_SEPARATORS


def _conflict_original(found: _Found) -> Path:
    """The name an events file must have to be read as such: its conflict copy's canonical name."""
    name = found.path.name
    if name.startswith(JOURNAL_FILE.removesuffix(".json")):
        return found.path.with_name(JOURNAL_FILE)
    return found.path.with_name(f"{name[:7]}.json")


def _device_files(device_dir: Path, device: str) -> Iterator[_Found]:
    for folder in (device_dir, device_dir / EVENTS_DIR):
        try:
            with os.scandir(folder) as entries:
                names = [entry.name for entry in entries if entry.is_file()]
        except (FileNotFoundError, NotADirectoryError):
            continue
        prefix = "" if folder == device_dir else f"{EVENTS_DIR}/"
        for name in sorted(names):
            kind = _classify(prefix + name)
            if kind is not None:
                yield _Found(folder / name, f"{DEVICES_DIR}/{device}/{prefix}{name}", *kind)


def _stamp(path: Path) -> FileStamp:
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size)


# --- The sync -------------------------------------------------------------------------------------------


class SyncFolder:
    """Merges the other devices' files in a sync folder into a store, and writes the store's own.

    Each :meth:`sync` holds the store's lock while it reads and merges, so the app and the command
    line never sync at once.
    """

    def __init__(self, store: Store, folder: Path) -> None:
        self.store = store
        self.folder = folder

    def sync(self) -> SyncReport:
        """Take in what the other devices wrote, then write out what this store has; see the module.

        A folder that is not there is no error (a drive unmounted, a laptop offline): the store goes
        on alone and catches up at the first sync that finds the folder again.
        """
        report = SyncReport(self.folder)
        if not self.folder.is_dir():
            report.available = False
            return report
        try:
            self._sync(report)
        except OSError as error:
            raise SyncFolderError(
                _(
                    "TrayHabit could not use the sync folder {folder}: {reason}. The habits on this computer "
                    "are safe; they sync again once the folder can be used."
                ).format(folder=self.folder, reason=error.strerror or error)
            ) from error
        return report

    def _sync(self, report: SyncReport) -> None:
        books = _Bookkeeping.load(self.store.data_dir, self.folder)
        merged: list[tuple[_Found, FileStamp]] = []
        with self.store.writing() as tx:
            if _claimed_elsewhere(self.folder / DEVICES_DIR / tx.device_id / DEVICE_FILE):
                # This data folder was copied from another computer, which writes under the same id:
                # take a new one, and merge what that computer wrote as another device's.
                report.renewed_from = tx.device_id
                log.warning(
                    "sync: device id %s is used by another computer too; this one is now %s",
                    report.renewed_from,
                    tx.renew_device_id(),
                )
            books.reset_if_for(tx.device_id)
            for found in self._others(tx.device_id, report):
                stamp = _stamp(found.path)
                if not found.conflict and books.pulled.get(found.name) == stamp:
                    continue
                if self._merge_file(tx, found, report):
                    merged.append((found, stamp))
        # The merge is durable now: conflict copies can go, and what was read need not be read again.
        for found, stamp in merged:
            if found.conflict:
                self._archive(found, report)
            else:
                books.pulled[found.name] = stamp
        with self.store.reading() as view:
            self._publish(view, books, report)
        books.save()
        if report.changed or report.archived or report.skipped:
            log.info(
                "synced with %s: %d events, %d habits, %d settings taken in; %d conflict copies archived; "
                "%d files skipped",
                self.folder,
                report.events_added,
                report.habits_changed,
                report.settings_changed,
                len(report.archived),
                len(report.skipped),
            )

    # -- reading ---------------------------------------------------------------------------------------

    def _others(self, own: str, report: SyncReport) -> Iterator[_Found]:
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
            for found in _device_files(devices / device, device):
                if device != own or found.conflict:
                    yield found

    def _merge_file(self, tx: StoreTransaction, found: _Found, report: SyncReport) -> bool:
        """Merge one file into *tx*; False (with the reason in the report) when it cannot be read."""
        try:
            data = found.path.read_bytes()
            if found.kind == "events":
                name = _conflict_original(found) if found.conflict else found.path
                self._merge_events(tx, parse_events_file(name, data), report)
            else:
                habits, settings = _parse_habits_file(data)
                self._merge_habits(tx, habits, report)
                self._merge_settings(tx, settings, report)
        except NewerSchemaError:
            report.skipped.append(
                _("{file}: written by a newer TrayHabit; update TrayHabit on this computer.").format(
                    file=found.name
                )
            )
            return False
        except (ValueError, KeyError, TypeError) as error:
            # Most likely still arriving (a sync engine writing it in place): read again next time.
            log.warning("sync: skipped %s, which cannot be read yet: %s", found.name, error)
            report.skipped.append(
                _("{file} cannot be read (perhaps it is still being synced); it will be read again.").format(
                    file=found.name
                )
            )
            return False
        except FileNotFoundError:
            return False  # gone between the listing and the read: the next listing decides
        return True

    @staticmethod
    def _merge_events(tx: StoreTransaction, events: list[dict[str, Any]], report: SyncReport) -> None:
        for doc in events:
            # add_event skips a known id, reading only the month that would hold it.
            report.events_added += tx.add_event(doc)

    @staticmethod
    def _merge_habits(tx: StoreTransaction, habits: list[dict[str, Any]], report: SyncReport) -> None:
        for doc in habits:
            local = tx.habit(doc["id"])
            if local is None or habit_order(doc) > habit_order(local):
                tx.put_habit(doc)
                report.habits_changed += 1

    @staticmethod
    def _merge_settings(
        tx: StoreTransaction, settings: dict[str, dict[str, Any]], report: SyncReport
    ) -> None:
        stored = tx.settings()
        local = setting_stamps(stored)
        stamps = dict(stored.get(SETTING_STAMPS) or {})
        changes: dict[str, Any] = {}
        for key, stamp in settings.items():
            mine = local.get(key)
            if mine is None or setting_order(stamp) > setting_order(mine):
                changes[key] = stamp["value"]
                stamps[key] = [stamp["changed_at"], stamp["device"]]
        if changes:
            tx.set_settings({**changes, SETTING_STAMPS: stamps})
            report.settings_changed += len(changes)

    def _archive(self, found: _Found, report: SyncReport) -> None:
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

    def _publish(self, view: StoreView, books: _Bookkeeping, report: SyncReport) -> None:
        """Write this store's files into its own device folder where they differ from what is there."""
        own = self.folder / DEVICES_DIR / view.device_id
        (own / EVENTS_DIR).mkdir(parents=True, exist_ok=True)
        device = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "device_id": view.device_id,
            "name": platform.node(),
        }
        report.files_published += _write_if_changed(own / DEVICE_FILE, _canonical(device))
        habits = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "device_id": view.device_id,
            "habits": sorted(view.habits(), key=lambda doc: str(doc["id"])),
            "settings": setting_stamps(view.settings()),
        }
        report.files_published += _write_if_changed(own / HABITS_FILE, _canonical(habits))
        for name, path, signature in view.event_files():
            target = own / name
            local = (signature[1], signature[2])
            published = books.published.get(name)
            if published is not None and published[0] == local and _exists_as(target, published[1]):
                continue
            written = write_atomic(target, path.read_bytes())
            books.published[name] = (local, (written.st_mtime_ns, written.st_size))
            report.files_published += 1


def _claimed_elsewhere(device_file: Path) -> bool:
    """Whether a device's ``device.json`` says another computer (by name) writes that folder."""
    try:
        claimed = jsontext.loads(device_file.read_bytes())
    except (FileNotFoundError, ValueError):
        return False  # not written yet, or half-synced: this computer's next write settles it
    return isinstance(claimed, dict) and claimed.get("name") not in (None, platform.node())


def _exists_as(path: Path, stamp: FileStamp) -> bool:
    try:
        return _stamp(path) == stamp
    except FileNotFoundError:
        return False


def _write_if_changed(path: Path, data: bytes) -> int:
    """Write *data* to *path* unless it holds it already; 1 if written."""
    try:
        if path.read_bytes() == data:
            return 0
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return 1


def _parse_habits_file(data: bytes) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The habits and shared settings (with stamps) of a device's ``habits.json``, checked."""
    parsed = jsontext.loads(data)
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT_NAME:
        raise ValueError("not a TrayHabit sync file")
    version = parsed.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise NewerSchemaError(str(version))
    habits = parsed.get("habits")
    settings = parsed.get("settings")
    if not isinstance(habits, list) or not isinstance(settings, dict):
        raise ValueError("habits or settings missing")
    for doc in habits:
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            raise ValueError("a habit without an id")
        Habit.from_doc(doc)  # raises on a malformed habit
    checked: dict[str, dict[str, Any]] = {}
    for key, stamp in settings.items():
        spec = SPECS.get(key)
        if spec is None or not spec.shared:
            continue  # a setting this version does not know, or one that is not shared
        if not isinstance(stamp, dict) or "value" not in stamp:
            raise ValueError(f"setting {key} is malformed")
        value = stamp["value"]
        try:
            _key, value = parse_setting(key, value if isinstance(value, str) else spec.format(value))
        except SettingError as error:
            raise ValueError(str(error)) from None
        checked[key] = {
            "value": value,
            "changed_at": str(stamp.get("changed_at") or ""),
            "device": str(stamp.get("device") or ""),
        }
    return habits, checked


# --- What was read and written --------------------------------------------------------------------------


@dataclass
class _Bookkeeping:
    """What a store has read from and written to one sync folder (see the module's last paragraph)."""

    path: Path
    folder: str
    device: str = ""
    # name in the sync folder -> stamp when it was merged
    pulled: dict[str, FileStamp] = field(default_factory=dict)
    # name in the data folder -> (its (mtime, size) when copied, the copy's stamp)
    published: dict[str, tuple[FileStamp, FileStamp]] = field(default_factory=dict)
    _loaded: bytes = b""

    @classmethod
    def load(cls, data_dir: Path, folder: Path) -> _Bookkeeping:
        path = data_dir / "cache" / BOOKKEEPING_FILE
        books = cls(path, str(folder))
        try:
            raw = path.read_bytes()
            parsed = jsontext.loads(raw)
            if parsed.get("folder") != str(folder):
                return books  # another folder: start over
            books.device = str(parsed["device"])
            books.pulled = {name: (int(a), int(b)) for name, (a, b) in parsed["pulled"].items()}
            books.published = {
                name: ((int(a), int(b)), (int(c), int(d)))
                for name, ((a, b), (c, d)) in parsed["published"].items()
            }
            books._loaded = raw
        except FileNotFoundError:
            pass
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            # Derived data: a damaged file costs one full read and write, nothing else.
            log.warning("sync: %s is damaged (%s); reading the sync folder afresh", path, error)
            books.pulled, books.published = {}, {}
        return books

    def reset_if_for(self, device: str) -> None:
        """Forget everything if it was written for another device id (a data folder replaced)."""
        if self.device != device:
            self.device, self.pulled, self.published = device, {}, {}

    def save(self) -> None:
        data = jsontext.dumps(
            {
                "folder": self.folder,
                "device": self.device,
                "pulled": self.pulled,
                "published": self.published,
            },
            sort_keys=True,
        )
        if data != self._loaded:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, data)
            self._loaded = data


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
