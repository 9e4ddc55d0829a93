"""The data store: TinyDB files written atomically, with migrations, backups, recovery and a file lock.

Layout of a data folder (schema version 3)::

    trayhabit.json        tables "meta" (schema_version, device_id, created_at), "habits", "settings"
    journal.json          the events recorded lately: tables "meta", "events"
    events/YYYY-MM.json   one file per month of ``recorded_at`` (UTC): tables "meta", "events"
    backups/              rotating copies: trayhabit.<UTC stamp>.json, journal.<UTC stamp>.json,
                          events-YYYY-MM.<UTC stamp>.json
    .lock                 the file lock that serialises every process using the folder

Events are append-only. New ones go to the small journal, so a check-off rewrites a file of a few
kilobytes whatever the size of the history. The commit that would take the journal past
:data:`JOURNAL_LIMIT` events, or the first one of a new month, folds the journal into the months' files
and starts it empty; events recorded for an earlier month (an import) go straight to their months'
files. (Schema 2 had no journal: every commit rewrote the current month's file.) Every file is replaced as a
whole with an atomic, durable write (see :mod:`trayhabit.core.atomic`), so a kill at any moment leaves
each file old or new, never broken.

A commit writes the touched event files first and ``trayhabit.json`` last, one atomic write each. A
commit that spans several files (an import, a fold of the journal) can be cut by a kill between two of
them; as an event whose id is already stored is skipped, and an event found in two files is one event,
nothing is lost or doubled: the next commit completes the work.

Every read and write holds the lock and first reloads the files another process changed (the app and
the command line share the folder), detected by their inode, modification time and size.
"""

from __future__ import annotations

import copy
import errno
import json
import logging
import os
import re
import threading
import time
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import attrgetter, itemgetter
from pathlib import Path
from stat import S_ISREG
from typing import Any, ClassVar, Protocol

from tinydb import TinyDB, where
from tinydb.storages import Storage

from trayhabit.core import jsontext
from trayhabit.core.atomic import copy_atomic, fsync_dir, is_temp_name, write_atomic
from trayhabit.core.backups import GENERATIONS_DIR, Backup, Backups
from trayhabit.core.backups import stamp as _stamp
from trayhabit.core.digest import stable_digest
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import N_, _
from trayhabit.core.ids import new_hex_id
from trayhabit.core.limits import (
    MAX_EVENTS,
    MAX_HABITS,
    MAX_STORE_FILE,
    MAX_TOKEN,
    LimitError,
    read_limited,
    too_large,
)
from trayhabit.core.locking import FileLock, LockTimeoutError
from trayhabit.core.model import EVENT_FIELDS
from trayhabit.core.private import make_private_dir
from trayhabit.core.repairs import Repair, RepairKind
from trayhabit.core.salvage import salvage
from trayhabit.core.validate import DocumentError, check_event, check_habit, check_settings

MAIN_FILE = "trayhabit.json"
JOURNAL_FILE = "journal.json"
EVENTS_DIR = "events"
BACKUPS_DIR = "backups"
LOCK_FILE = ".lock"

_MAIN_STEM = "trayhabit"
_JOURNAL_STEM = "journal"
# The journal's key in the event index, where the other keys are months.
_JOURNAL = "journal"
# Events the journal holds at most: big enough that folding it into the months' files is rare (every few
# days with fifty habits), small enough that rewriting it at each check-off costs next to nothing.
JOURNAL_LIMIT = 200
_PARTITION_FILE = re.compile(r"^(\d{4}-\d{2})\.json$")
_MONTH_PREFIX = re.compile(r"\d{4}-\d{2}")
# The months of events read at start-up; older ones are read when something asks for them (a report
# with the whole history, an export), so years of history cost neither time nor memory until then.
# Three weeks and a bit: what a report resumed from its checkpoint reads for a daily habit (see
# trayhabit.core.checkpoint.keep_for), so most of the month this is the current month's file alone.
HOT_SPAN = timedelta(days=23)
# Months before the hot span that stay in memory once read (a weekly habit's checkpoint reaches back
# about four months); beyond that, reading old months is taken as a one-off (see Store._evict_old_months).
KEEP_OLD_MONTHS = 6
# Listing events/ costs a stat per month of history at every read. The listing is reused while the
# folder's own signature is unchanged (files are added, replaced and removed by renames, which change
# it), but only once the folder's modification time is older than the last listing by this margin:
# time stamps are coarse (a clock tick, or seconds on some file systems), so a rename within the same
# tick as the listing could leave the signature as it was.
_LISTING_MARGIN_NS = 2_000_000_000
# A file edited in place (no rename) leaves the folder's signature alone: the loaded months are
# checked one by one at every read anyway, and the whole listing is taken again this often.
_LISTING_MAX_AGE_NS = 60_000_000_000

#: (st_ino, st_mtime_ns, st_size) of a file as last loaded or written.
Signature = tuple[int, int, int]


class StoreError(UserError):
    """A problem with the data folder; ``str(error)`` is one line that tells the user what to do."""


class NewerSchemaError(StoreError):
    """A file was written by a newer TrayHabit; it is refused and left exactly as it is."""


class StoreLockedError(StoreError):
    """Another process held the data folder's lock for longer than the store would wait."""


class _InvalidError(ValueError):
    """A file parsed, or not, into something other than the structure its schema describes.

    ``str()`` is the detail for the log; ``reason``, when given, completes a sentence for the user
    ("habit 3: its schedule is not a rule"); without one the user reads that the file's structure is
    not TrayHabit's.
    """

    def __init__(self, detail: str, reason: str = "") -> None:
        super().__init__(detail)
        self.reason = reason


class _DamagedError(StoreError):
    """A file that was sound when loaded turned out damaged while writing (not expected under the lock)."""


log = logging.getLogger(__name__)


# --- The TinyDB storage --------------------------------------------------------------------------------


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _stat_signature(path: Path) -> Signature | None:
    try:
        return _signature(path.stat())
    except FileNotFoundError:
        return None


class AtomicJSONStorage(Storage):
    """TinyDB storage for one JSON file: parsed by :mod:`trayhabit.core.jsontext` (or *parse*), every
    write atomic and durable.

    The file is read and parsed once per instance; later reads return that state with the instance's own
    writes applied. That is safe only because an instance lives no longer than one load or one commit,
    under the store's lock, so no other process can change the file meanwhile. Unlike TinyDB's
    ``CachingMiddleware``, every write reaches the disk before the store reports it done: directly, or at
    the end of a :meth:`deferred` block, which lets a commit turn several table updates into the single
    atomic write that makes them all-or-nothing.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, parse: Callable[[bytes], Any] = jsontext.loads
    ) -> None:
        """*parse* turns the file's bytes into its tables (see :func:`parse_sharing`)."""
        super().__init__()
        self.path = Path(path)
        self._parse = parse
        #: Signature of the file as read or last written here; ``None`` while it does not exist.
        self.signature: Signature | None = None
        self._data: dict[str, dict[str, Any]] | None = None
        self._read_done = False
        self._defer_depth = 0
        self._pending = False
        #: The bytes of the last write, for its backup generation.
        self.written = b""

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The file's tables, or ``None`` when it does not exist (TinyDB then starts it empty).

        Raises :class:`ValueError` when the file is not a JSON object.
        """
        if not self._read_done:
            try:
                with self.path.open("rb") as handle:
                    stat = os.fstat(handle.fileno())
                    # One byte past the limit is enough to refuse it (see trayhabit.core.limits).
                    raw = handle.read(MAX_STORE_FILE + 1)
            except FileNotFoundError:
                self._data, self.signature = None, None
            else:
                # The signature comes from the very handle the bytes came from, so it describes them.
                self.signature = _signature(stat)
                if len(raw) > MAX_STORE_FILE:
                    raise _InvalidError("too large", str(too_large(self.path.name, MAX_STORE_FILE)))
                parsed = self._parse(raw)  # raises ValueError when the bytes are not JSON
                if not isinstance(parsed, dict):
                    raise _InvalidError("the file is not a JSON object")
                self._data = parsed
            self._read_done = True
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace the file's contents with *data*, at once or at the end of the enclosing deferral."""
        self._data = data
        self._read_done = True
        if self._defer_depth:
            self._pending = True
        else:
            self._flush()

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Collect the writes made inside into one atomic write at the end; an exception writes nothing."""
        self._defer_depth += 1
        try:
            yield
        finally:
            self._defer_depth -= 1
        # Reached only when the block did not raise.
        if not self._defer_depth and self._pending:
            self._flush()

    def _flush(self) -> None:
        self._pending = False
        self.written = jsontext.dumps(self._data)
        self.signature = _signature(write_atomic(self.path, self.written))


# The fields of an event whose values repeat from one event to the next.
_REPEATED_FIELDS = ("habit_id", "kind", "occurrence", "device")
# The fields every event TrayHabit writes has (see trayhabit.core.model.Event.to_doc).
_EVENT_FIELDS = EVENT_FIELDS
_EVENT_FIELD_SET = frozenset(_EVENT_FIELDS)


class StoredEvent(Mapping[str, Any]):
    """An event document as the store keeps it in memory: a read-only mapping of the eight fields
    TrayHabit writes, held in slots.

    The store keeps the last weeks' events of every habit in memory all day. As dicts they cost
    272 bytes each besides their values; in slots, 96. A document with other fields (a newer
    TrayHabit's, a hand-edit) stays a dict. Views hand out plain dict copies (see :func:`_plain`).
    """

    __slots__ = _EVENT_FIELDS

    @classmethod
    def compact(cls, doc: dict[str, Any]) -> EventDoc:
        """*doc* as a StoredEvent when it has exactly the eight fields; else *doc* itself."""
        if len(doc) != len(_EVENT_FIELDS) or doc.keys() != _EVENT_FIELD_SET:
            return doc
        event = cls.__new__(cls)
        for name in _EVENT_FIELDS:
            object.__setattr__(event, name, doc[name])
        return event

    def __getitem__(self, key: str) -> Any:
        if key in _EVENT_FIELD_SET:
            return getattr(self, key)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(_EVENT_FIELDS)

    def __len__(self) -> int:
        return len(_EVENT_FIELDS)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a stored event does not change")

    def __repr__(self) -> str:
        return f"StoredEvent({_plain(self)!r})"


# An event document as the index holds it: a StoredEvent, or a dict when it has other fields.
EventDoc = Mapping[str, Any]
_stored_values: Callable[[StoredEvent], tuple[Any, ...]] = attrgetter(*_EVENT_FIELDS)


def _plain(doc: EventDoc) -> dict[str, Any]:
    """A dict copy of an event document (values are shared: events hold only strings and None)."""
    if type(doc) is StoredEvent:
        return dict(zip(_EVENT_FIELDS, _stored_values(doc), strict=True))
    return dict(doc)


def parse_sharing(raw: bytes) -> Any:
    """JSON like :func:`trayhabit.core.jsontext.loads`, for the event files the store keeps in
    memory: every event's repeated values (its habit, kind, day, device) are one shared string
    each, and each event with TrayHabit's eight fields is a :class:`StoredEvent`.

    The parser hands each object over as it is built, so a repeated value is dropped at once and its
    memory serves the next event: a month of fifty habits' events takes a third of what plain
    parsing leaves, and the parse never holds much more than that. About 6 ms for such a month.
    """
    shared: dict[str, str] = {}

    def share(doc: dict[str, Any]) -> EventDoc:
        for key in _REPEATED_FIELDS:
            value = doc.get(key)
            if type(value) is str:
                doc[key] = shared.setdefault(value, value)
        return StoredEvent.compact(doc)

    return jsontext.loads(raw, object_hook=share)


def _open_db(path: Path) -> tuple[TinyDB, AtomicJSONStorage]:
    # A fresh TinyDB per commit, never a long-lived one: a Table caches the next document id and query
    # results, and both go stale as soon as another process writes the file. A stale next id would make
    # TinyDB overwrite a document another process inserted.
    db = TinyDB(path, storage=AtomicJSONStorage)
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    return db, storage


# --- Structure checks ------------------------------------------------------------------------------------


def _table(data: dict[str, Any], name: str, *, required: bool = False) -> dict[str, dict[str, Any]]:
    """The documents of table *name*; a table TinyDB never wrote to is absent from the file, so empty."""
    table = data.get(name)
    if table is None and not required:
        return {}
    if not isinstance(table, dict):
        raise _InvalidError(f"table {name!r} is missing or not an object")
    for doc_id, doc in table.items():
        # TinyDB turns document ids back into ints: anything else would break it later.
        if not doc_id.isdecimal() or len(doc_id) > 18 or not isinstance(doc, dict):
            raise _InvalidError(f"table {name!r} holds a malformed document")
    return table


def _only_doc(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = _table(data, name, required=True)
    if len(table) != 1:
        raise _InvalidError(f"table {name!r} must hold exactly one document")
    return next(iter(table.values()))


def _schema_version(path: Path, data: dict[str, Any]) -> int:
    """The file's schema version; refuses a newer one before looking at anything else in it."""
    version = _only_doc(data, "meta").get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _InvalidError("schema_version is missing or not a positive integer")
    if version > Store.SCHEMA_VERSION:
        raise NewerSchemaError(
            _(
                "{file} was written by a newer TrayHabit (schema {found}; this version reads up to "
                "{supported}). Update TrayHabit; the file was left untouched."
            ).format(file=path, found=version, supported=Store.SCHEMA_VERSION)
        )
    return version


def _event_table(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The "events" table, each document checked for what the index needs: in one pass, as there may
    be years of events to check at every start."""
    table = data.get("events")
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise _InvalidError("table 'events' is not an object")
    _check_documents(table, check_event, MAX_EVENTS, _EVENT_WORDS)
    for doc_id, doc in table.items():
        if not _MONTH_PREFIX.match(doc["recorded_at"]):
            raise _InvalidError(f"event {doc_id}: recorded_at does not start with its month")
    return table


# How a table's documents are named to the user: past the limit, and one of them that fails its check.
_HABIT_WORDS = (N_("it holds more than {n} habits"), N_("habit {n}: {reason}"))
_EVENT_WORDS = (N_("it holds more than {n} events"), N_("event {n}: {reason}"))


def _check_documents(
    table: dict[str, Any], check: Callable[[Any], object], limit: int, words: tuple[str, str]
) -> None:
    """Every document of *table* passes *check* (see trayhabit.core.validate), *limit* of them at most."""
    too_many, one = words
    if len(table) > limit:
        raise _InvalidError(too_many, _(too_many).format(n=limit))
    for doc_id, doc in table.items():
        if not (doc_id.isdecimal() and len(doc_id) <= 18):
            raise _InvalidError("a document id is not a number")
        try:
            check(doc)
        except DocumentError as error:
            raise _InvalidError(
                f"{doc_id}: {error.reason}", _(one).format(n=doc_id, reason=error.reason)
            ) from None


def _check_main(path: Path, data: dict[str, Any]) -> int:
    """Validate a parsed ``trayhabit.json`` of any known schema; returns its schema version."""
    version = _schema_version(path, data)
    device_id = _only_doc(data, "meta").get("device_id")
    if version >= 2 and not (isinstance(device_id, str) and 0 < len(device_id) <= MAX_TOKEN):
        raise _InvalidError("meta has no device_id")
    _check_documents(_table(data, "habits"), check_habit, MAX_HABITS, _HABIT_WORDS)
    settings = _table(data, "settings")
    if len(settings) > 1:
        raise _InvalidError("table 'settings' holds more than one document")
    for doc in settings.values():
        try:
            check_settings(doc)
        except DocumentError as error:
            raise _InvalidError(f"settings: {error.reason}", error.reason) from None
    if version == 1:
        _event_table(data)
    return version


def _check_tables(data: dict[str, Any], *, events_required: bool) -> None:
    """An events file holds "meta" and "events" only; a month's file always has its events (the
    journal has none once folded). Anything else means a damaged key, not an empty month."""
    if not data.keys() <= {"meta", "events"}:
        raise _InvalidError("an events file holds a table other than meta and events")
    if events_required and "events" not in data:
        raise _InvalidError("an events file lacks its events table")


def _check_partition(path: Path, month: str, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validate a parsed events partition for *month* ("YYYY-MM"); returns its events table."""
    # Partitions appeared with schema 2 and have not changed since: an older number in one is damage,
    # not something to migrate.
    if _schema_version(path, data) < 2:
        raise _InvalidError("an events file must have schema_version 2 or later")
    if _only_doc(data, "meta").get("partition") != month:
        raise _InvalidError("the events file's partition does not match its name")
    _check_tables(data, events_required=True)
    return _event_table(data)


def _check_journal(path: Path, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validate a parsed ``journal.json``; returns its events table."""
    if _schema_version(path, data) < 3:
        raise _InvalidError("the journal must have schema_version 3 or later")
    if _only_doc(data, "meta").get("journal") is not True:
        raise _InvalidError("the journal's meta does not say it is the journal")
    _check_tables(data, events_required=False)
    return _event_table(data)


# --- Documents -----------------------------------------------------------------------------------------


def _normalised(doc: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of *doc* exactly as it will read back from the file (tuples become lists, ...)."""
    if not isinstance(doc, dict):
        raise TypeError(_("A document must be a dict, not {kind}.").format(kind=type(doc).__name__))
    # TypeError for anything JSON cannot hold, ValueError for NaN; they propagate as they are.
    result: dict[str, Any] = jsontext.loads(jsontext.dumps(doc))
    return result


def _is_flat(docs: Sequence[Mapping[str, Any]]) -> bool:
    """Whether no document holds a nested dict or list (TrayHabit's events hold none)."""
    for doc in docs:
        if type(doc) is StoredEvent:
            continue  # parsed from JSON text: its values are strings and None
        for value in doc.values():
            if type(value) is dict or type(value) is list:
                return False
    return True


def _copies(docs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Copies of *docs* (dicts of their own) that share nothing mutable with them."""
    if _is_flat(docs):
        # A habit's years of events: ten times cheaper than a deep copy.
        return [_plain(doc) for doc in docs]
    # Stored documents hold only JSON types, so a JSON round trip is an exact deep copy.
    result: list[dict[str, Any]] = jsontext.loads(jsontext.dumps([_plain(doc) for doc in docs]))
    return result


# The order of a habit's events: (recorded_at, id). itemgetter, in C, sorts years of them 3x faster.
_event_order: Callable[[EventDoc], tuple[str, str]] = itemgetter("recorded_at", "id")


_recorded_at: Callable[[EventDoc], str] = itemgetter("recorded_at")


def _month_of_instant(instant: datetime) -> str:
    """The partition ("YYYY-MM") of an instant: its UTC month."""
    return instant.astimezone(UTC).strftime("%Y-%m")


def _month_of(doc: EventDoc) -> str:
    """The partition ("YYYY-MM") that holds an event: the month of its UTC ``recorded_at``."""
    month: str = doc["recorded_at"][:7]
    return month


def _check_new_event(doc: dict[str, Any]) -> None:
    for key in ("id", "habit_id", "recorded_at"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            raise ValueError(_("An event needs a non-empty text {key}.").format(key=key))
    try:
        recorded = datetime.fromisoformat(doc["recorded_at"])
    except ValueError:
        recorded = None
    if recorded is None or recorded.utcoffset() != timedelta(0):
        # The partition is the first seven characters, which is the right month only in UTC.
        raise ValueError(
            _("An event's recorded_at must be an ISO 8601 time in UTC, not {value!r}.").format(
                value=doc["recorded_at"]
            )
        )
    check_event(doc)


class _EventIndex:
    """Every loaded event, by file and by habit, with each habit's events sorted on demand.

    Files are keyed by month, and the journal by :data:`_JOURNAL`. An event found in two files (a
    fold of the journal cut short by a kill, or a hand-edited file) is one event: the copy loaded
    first stands, and the event stays until the last file holding it is dropped.
    """

    def __init__(self) -> None:
        self._by_partition: dict[str, dict[str, EventDoc]] = {}
        # habit id -> month of recorded_at -> event id -> event: a check-off reads a few weeks of one
        # habit's events without sorting its years of them.
        self._by_habit: dict[str, dict[str, dict[str, EventDoc]]] = {}
        # event id -> the file whose copy stands; the other files holding the same id, if any.
        self._owner: dict[str, str] = {}
        self._copies_in: dict[str, list[str]] = {}
        # habit id -> its events sorted; file -> how many events it holds per month; both dropped when
        # they change.
        self._sorted: dict[str, list[EventDoc]] = {}
        self._months: dict[str, dict[str, int]] = {}

    def __contains__(self, event_id: str) -> bool:
        return event_id in self._owner

    def replace_partition(self, key: str, docs: list[EventDoc]) -> None:
        self.drop_partition(key)
        # add() inlined: this runs for every stored event at start-up.
        bucket: dict[str, EventDoc] = {}
        self._by_partition[key] = bucket
        owner, by_habit = self._owner, self._by_habit
        touched: set[str] = set()
        for doc in docs:
            event_id = doc["id"]
            if event_id in owner:
                self._add_copy(key, bucket, doc)
                continue
            owner[event_id] = key
            bucket[event_id] = doc
            habit_id = doc["habit_id"]
            habit_months = by_habit.get(habit_id)
            if habit_months is None:
                habit_months = by_habit[habit_id] = {}
            month = doc["recorded_at"][:7]
            month_events = habit_months.get(month)
            if month_events is None:
                month_events = habit_months[month] = {}
            month_events[event_id] = doc
            touched.add(habit_id)
        for habit_id in touched:
            self._sorted.pop(habit_id, None)

    def drop_partition(self, key: str) -> None:
        bucket = self._by_partition.pop(key, {})
        self._months.pop(key, None)
        for event_id, doc in bucket.items():
            others = self._copies_in.get(event_id)
            if self._owner[event_id] != key:
                assert others is not None
                others.remove(key)
                if not others:
                    del self._copies_in[event_id]
                continue
            del self._by_habit[doc["habit_id"]][_month_of(doc)][event_id]
            self._sorted.pop(doc["habit_id"], None)
            if not others:
                del self._owner[event_id]
                continue
            # Another file holds the event too: its copy stands from now on.
            heir = others.pop(0)
            if not others:
                del self._copies_in[event_id]
            self._owner[event_id] = heir
            heir_doc = self._by_partition[heir][event_id]
            self._habit_month(heir_doc)[event_id] = heir_doc
            self._sorted.pop(heir_doc["habit_id"], None)

    def add(self, key: str, doc: EventDoc) -> None:
        event_id = doc["id"]
        bucket = self._by_partition.setdefault(key, {})
        self._months.pop(key, None)
        if event_id in self._owner:
            self._add_copy(key, bucket, doc)
            return
        self._owner[event_id] = key
        bucket[event_id] = doc
        habit_id = doc["habit_id"]
        self._habit_month(doc)[event_id] = doc
        cached = self._sorted.get(habit_id)
        if cached is not None:
            # Kept up to date rather than dropped: the app's own check-off then costs no re-sort.
            insort(cached, doc, key=_event_order)

    def _habit_month(self, doc: EventDoc) -> dict[str, EventDoc]:
        """The events of *doc*'s habit recorded in *doc*'s month."""
        return self._by_habit.setdefault(doc["habit_id"], {}).setdefault(_month_of(doc), {})

    def _add_copy(self, key: str, bucket: dict[str, EventDoc], doc: EventDoc) -> None:
        """Note that file *key* holds an event already indexed from another file (or twice itself)."""
        event_id = doc["id"]
        if event_id in bucket or self._owner[event_id] == key:
            return  # the same id twice in one file (only a hand-edit does that): the first one stands
        bucket[event_id] = doc
        self._copies_in.setdefault(event_id, []).append(key)

    def partition_events(self, key: str) -> list[dict[str, Any]]:
        """The events file *key* holds, copies of events that stand elsewhere included: documents of
        their own, ready to be written."""
        return [_plain(doc) for doc in self._by_partition.get(key, {}).values()]

    def months_in(self, key: str) -> dict[str, int]:
        """How many events file *key* holds for each month of their ``recorded_at``."""
        months = self._months.get(key)
        if months is None:
            months = self._months[key] = {}
            for doc in self._by_partition.get(key, {}).values():
                month = _month_of(doc)
                months[month] = months.get(month, 0) + 1
        return months

    def sorted_events(self, habit_id: str) -> list[EventDoc]:
        """The habit's events in (recorded_at, id) order.

        The list and documents are the index's own: callers copy them before handing them out.
        """
        cached = self._sorted.get(habit_id)
        if cached is None:
            months = self._by_habit.get(habit_id, {}).values()
            cached = self._sorted[habit_id] = sorted(
                (doc for docs in months for doc in docs.values()), key=_event_order
            )
        return cached

    def events_since(self, habit_id: str, recorded_at: str) -> tuple[int, list[EventDoc]]:
        """The habit's events recorded from *recorded_at* on, sorted, and how many of its events in
        that month came before (see :meth:`StoreView.events_since`); the index's own documents."""
        month = recorded_at[:7]
        cached = self._sorted.get(habit_id)
        if cached is not None:
            docs = cached
            start = bisect_left(docs, month, key=_recorded_at)
        else:
            # Not sorted yet: sort only the months asked for, not the habit's whole history.
            months = self._by_habit.get(habit_id, {})
            docs = sorted(
                (doc for each, events in months.items() if each >= month for doc in events.values()),
                key=_event_order,
            )
            start = 0
        index = bisect_left(docs, recorded_at, lo=start, key=_recorded_at)
        return index - start, docs[index:]

    def all_events(self) -> list[EventDoc]:
        return [
            doc for months in self._by_habit.values() for docs in months.values() for doc in docs.values()
        ]

    def ids(self) -> set[str]:
        return set(self._owner)


@dataclass
class _State:
    """The store as last loaded or written, with the signatures of the files it came from."""

    meta: dict[str, Any]
    habits: dict[str, dict[str, Any]]
    settings: dict[str, Any]
    main_signature: Signature
    # The partitions loaded into the index, and those known on disk but not read yet (old months,
    # read when something asks for them); both by month, with their files' signatures.
    partition_signatures: dict[str, Signature] = field(default_factory=dict)
    cold: dict[str, Signature] = field(default_factory=dict)
    # The journal's signature as loaded or written; None while there is none.
    journal_signature: Signature | None = None
    index: _EventIndex = field(default_factory=_EventIndex)
    # Reads one cold month into the index (set by the store, which knows how to repair a damaged one).
    loader: Callable[[str], None] | None = None
    # The folder the files are in.
    data_dir: Path = field(default_factory=Path)

    def warm(self, first_month: str | None = None) -> None:
        """Load the cold partitions from *first_month* on (all of them when None)."""
        for month in sorted(month for month in self.cold if first_month is None or month >= first_month):
            self.warm_month(month)

    def warm_month(self, month: str) -> None:
        """Load *month*'s partition if it is cold."""
        if month in self.cold and self.loader is not None:
            self.loader(month)

    def history_digest(self, before_month: str) -> str:
        """A digest of the events recorded before *before_month*, loaded or not: it changes when the
        file of any of those months is written, so old history is known unchanged without reading it.

        The journal's events of those months count too. The journal only grows until it is folded
        into the months' files, which changes their signatures, so its count per month is enough.
        """
        # Modification time and size, not the inode: a copied or synced folder keeps its digest.
        signatures: list[tuple[str, int, int]] = sorted(
            (month, signature[1], signature[2])
            for month, signature in [*self.partition_signatures.items(), *self.cold.items()]
            if month < before_month
        )
        journal = self.index.months_in(_JOURNAL)
        signatures.extend(
            (_JOURNAL + month, count, 0) for month, count in sorted(journal.items()) if month < before_month
        )
        # Change detection of the user's own files, not a defence against forgery: see core/digest.py.
        return stable_digest(repr(signatures).encode())

    @classmethod
    def from_main(cls, main: _MainFile) -> _State:
        state = cls(meta={}, habits={}, settings={}, main_signature=main.signature)
        state.apply_main(main)
        return state

    def apply_main(self, main: _MainFile) -> None:
        self.meta = dict(_only_doc(main.data, "meta"))
        habits: dict[str, dict[str, Any]] = {}
        for doc in _table(main.data, "habits").values():
            # Two documents with one id (a hand-edited file): the first one stands, as on every read.
            habits.setdefault(doc["id"], doc)
        self.habits = habits
        settings = _table(main.data, "settings")
        self.settings = dict(next(iter(settings.values()))) if settings else {}
        self.main_signature = main.signature


@dataclass
class _MainFile:
    data: dict[str, Any]
    signature: Signature
    version: int


@dataclass
class _PartitionFile:
    events: list[EventDoc]
    signature: Signature


@dataclass
class _Damage:
    path: Path
    #: Why, as the end of a sentence for the user ("it is cut short").
    reason: str = ""


def _damage(path: Path, error: ValueError) -> _Damage:
    """The damage *error* found in *path*, with a reason the user can read."""
    log.info("%s is damaged: %s", path, error)
    if isinstance(error, _InvalidError):
        return _Damage(path, error.reason or _("its structure is not TrayHabit's"))
    if isinstance(error, json.JSONDecodeError):
        if not error.doc.strip():
            return _Damage(path, _("it is empty"))
        if error.pos >= len(error.doc.rstrip()) or error.msg.startswith("Unterminated string"):
            return _Damage(path, _("it is cut short"))
        return _Damage(path, _("it is not valid JSON"))
    if isinstance(error, UnicodeDecodeError):
        return _Damage(path, _("it is not valid JSON"))
    return _Damage(path, str(error))  # the nesting limit, already in the user's words


# --- Views ---------------------------------------------------------------------------------------------


class StoreView:
    """A read-only look at the store while its lock is held; every method returns copies.

    Valid only inside the ``with store.reading()`` (or ``writing()``) block that produced it.
    """

    def __init__(self, state: _State) -> None:
        self._state = state
        self._open = True

    def _check_open(self) -> None:
        if not self._open:
            raise RuntimeError("the store view was used after its with-block ended")

    def _close(self) -> None:
        self._open = False

    @property
    def device_id(self) -> str:
        """This data folder's id (a uuid4 in hex), made once when the folder was created."""
        self._check_open()
        device_id: str = self._state.meta["device_id"]
        return device_id

    def _habit_docs(self) -> list[dict[str, Any]]:
        return list(self._state.habits.values())

    def habits(self) -> list[dict[str, Any]]:
        """Every habit document, in the order the habits were first stored."""
        self._check_open()
        return _copies(self._habit_docs())

    def habit(self, habit_id: str) -> dict[str, Any] | None:
        """The habit document with this id, or ``None``."""
        self._check_open()
        for doc in self._habit_docs():
            if doc["id"] == habit_id:
                return copy.deepcopy(doc)
        return None

    def _event_docs(self, habit_id: str | None) -> Sequence[EventDoc]:
        index = self._state.index
        if habit_id is not None:
            return index.sorted_events(habit_id)
        return sorted(index.all_events(), key=_event_order)

    def events(self, habit_id: str | None = None) -> list[dict[str, Any]]:
        """The events of one habit, or of all, sorted by (recorded_at, id)."""
        self._check_open()
        self._state.warm()
        return _copies(self._event_docs(habit_id))

    def events_since(self, habit_id: str, recorded_at: str) -> tuple[int, list[dict[str, Any]]]:
        """The habit's events recorded from *recorded_at* (ISO text in UTC) on, sorted, and how many
        of its events in that month came before: what resuming from a checkpoint reads. Older
        months stay unread (see :meth:`history_digest`)."""
        self._check_open()
        self._state.warm(recorded_at[:7])
        before, docs = self._recent_event_docs(habit_id, recorded_at)
        return before, _copies(docs)

    def _recent_event_docs(self, habit_id: str, recorded_at: str) -> tuple[int, Sequence[EventDoc]]:
        return self._state.index.events_since(habit_id, recorded_at)

    def history_digest(self, before_month: str) -> str:
        """A digest of the event files of the months before *before_month* ("YYYY-MM"), which changes
        whenever one of them is written (an import, a restored backup), without reading them."""
        self._check_open()
        return self._state.history_digest(before_month)

    def event_files(self) -> list[tuple[str, Path, Signature]]:
        """The events files as loaded or listed: (name relative to the data folder, path, signature),
        the journal first; months not read yet are included without reading them."""
        self._check_open()
        state = self._state
        files: list[tuple[str, Path, Signature]] = []
        if state.journal_signature is not None:
            files.append((JOURNAL_FILE, state.data_dir / JOURNAL_FILE, state.journal_signature))
        for month, signature in sorted([*state.partition_signatures.items(), *state.cold.items()]):
            name = f"{EVENTS_DIR}/{month}.json"
            files.append((name, state.data_dir / EVENTS_DIR / f"{month}.json", signature))
        return files

    def event_ids(self) -> set[str]:
        """The ids of every stored event."""
        self._check_open()
        self._state.warm()
        return self._state.index.ids()

    def has_event(self, event_id: str) -> bool:
        """Whether an event with this id is stored."""
        self._check_open()
        self._state.warm()
        return event_id in self._state.index

    def settings(self) -> dict[str, Any]:
        """The stored settings (only the keys that were ever set; defaults live with the caller)."""
        self._check_open()
        return copy.deepcopy(self._state.settings)


class StoreTransaction(StoreView):
    """A view that also collects changes; they are written when the ``writing()`` block ends normally.

    Its read methods see its own pending changes. Nothing reaches the disk, or the store's other views,
    before the block ends; an exception in the block discards every change.
    """

    def __init__(self, state: _State) -> None:
        super().__init__(state)
        self._new_habits: dict[str, dict[str, Any]] = {}
        self._new_events: list[dict[str, Any]] = []
        self._new_event_ids: set[str] = set()
        self._new_settings: dict[str, Any] = {}
        self._new_device_id: str | None = None

    def put_habit(self, doc: dict[str, Any]) -> None:
        """Store *doc* as the habit with ``doc["id"]``, replacing the whole document if it exists."""
        self._check_open()
        stored = _normalised(doc)
        habit_id = stored.get("id")
        if not isinstance(habit_id, str) or not habit_id:
            raise ValueError(_("A habit needs a non-empty text id."))
        # A document that would not pass at the next load would make the whole file count as damaged.
        check_habit(stored)
        self._new_habits[habit_id] = stored

    def add_event(self, doc: dict[str, Any]) -> bool:
        """Append an event; returns ``False``, changing nothing, when its id is already stored."""
        self._check_open()
        stored = _normalised(doc)
        _check_new_event(stored)
        event_id = stored["id"]
        # An id is stored at most once, in the month of its recorded_at: only that month need be read.
        self._state.warm_month(_month_of(stored))
        if event_id in self._state.index or event_id in self._new_event_ids:
            return False
        self._new_events.append(stored)
        self._new_event_ids.add(event_id)
        return True

    def set_settings(self, values: dict[str, Any]) -> None:
        """Merge *values* into the stored settings, key by key."""
        self._check_open()
        normalised = _normalised(values)
        check_settings(normalised)
        self._new_settings.update(normalised)

    def renew_device_id(self) -> str:
        """Give the data folder a new device id (it turned out to be a copy of another computer's);
        returns it."""
        self._check_open()
        self._new_device_id = new_hex_id()
        return self._new_device_id

    @property
    def device_id(self) -> str:
        """This data folder's id, as it will be once this transaction is written."""
        return self._new_device_id or super().device_id

    def _habit_docs(self) -> list[dict[str, Any]]:
        docs = [self._new_habits.get(habit_id, doc) for habit_id, doc in self._state.habits.items()]
        docs.extend(doc for habit_id, doc in self._new_habits.items() if habit_id not in self._state.habits)
        return docs

    def _event_docs(self, habit_id: str | None) -> Sequence[EventDoc]:
        stored = super()._event_docs(habit_id)
        new = [doc for doc in self._new_events if habit_id is None or doc["habit_id"] == habit_id]
        if not new:
            return stored
        return sorted([*stored, *new], key=_event_order)

    def _recent_event_docs(self, habit_id: str, recorded_at: str) -> tuple[int, Sequence[EventDoc]]:
        before, stored = super()._recent_event_docs(habit_id, recorded_at)
        new = [doc for doc in self._new_events if doc["habit_id"] == habit_id]
        if not new:
            return before, stored
        month = recorded_at[:7]
        before += sum(1 for doc in new if month <= doc["recorded_at"] < recorded_at)
        since = [doc for doc in new if doc["recorded_at"] >= recorded_at]
        return before, sorted([*stored, *since], key=_event_order)

    def event_ids(self) -> set[str]:
        """The ids of every stored event and of those added in this transaction."""
        return super().event_ids() | self._new_event_ids

    def has_event(self, event_id: str) -> bool:
        """Whether an event with this id is stored or added in this transaction."""
        return event_id in self._new_event_ids or super().has_event(event_id)

    def settings(self) -> dict[str, Any]:
        """The stored settings with this transaction's changes merged in."""
        merged = super().settings()
        merged.update(copy.deepcopy(self._new_settings))
        return merged

    def _changed_habits(self) -> dict[str, dict[str, Any]]:
        return {key: doc for key, doc in self._new_habits.items() if self._state.habits.get(key) != doc}

    def _changed_settings(self) -> dict[str, Any]:
        current = self._state.settings
        return {
            key: value
            for key, value in self._new_settings.items()
            if key not in current or current[key] != value
        }


# --- Migrations ----------------------------------------------------------------------------------------


class MigrationContext(Protocol):
    """What a migration step may do besides returning the new contents of ``trayhabit.json``."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def write_events(self, month: str, docs: list[dict[str, Any]]) -> None:
        """Durably add *docs* to the events file of *month*, skipping ids it already holds."""
        ...


#: A step from schema n to n + 1: takes the parsed main file, returns its new contents (with the new
#: schema_version in "meta"). A step must be safe to run again after a kill part-way through it.
Migration = Callable[[MigrationContext, dict[str, Any]], dict[str, Any]]


def _migrate_1_to_2(context: MigrationContext, data: dict[str, Any]) -> dict[str, Any]:
    """Move the events out of ``trayhabit.json`` into one file per month of their ``recorded_at``."""
    by_month: dict[str, list[dict[str, Any]]] = {}
    for doc in _event_table(data).values():
        by_month.setdefault(_month_of(doc), []).append(doc)
    # Partitions first: if a kill stops us here, the main file still holds every event and the next open
    # runs this step again; partitions skip the ids they already have.
    for month in sorted(by_month):
        context.write_events(month, by_month[month])
    meta_table = _table(data, "meta")
    meta_id, meta = next(iter(meta_table.items()))
    new_meta = {
        **meta,
        "schema_version": 2,
        "device_id": meta.get("device_id") or new_hex_id(),
        "created_at": meta.get("created_at") or context.now().isoformat(),
    }
    migrated = {name: table for name, table in data.items() if name != "events"}
    migrated["meta"] = {meta_id: new_meta}
    return migrated


def _migrate_2_to_3(context: MigrationContext, data: dict[str, Any]) -> dict[str, Any]:
    """Schema 3 adds the journal: nothing to move, but a TrayHabit that knows no journal would miss the
    events in it, so the new number keeps such versions from opening the folder."""
    meta_table = _table(data, "meta")
    meta_id, meta = next(iter(meta_table.items()))
    return {**data, "meta": {meta_id: {**meta, "schema_version": 3}}}


MIGRATIONS: dict[int, Migration] = {1: _migrate_1_to_2, 2: _migrate_2_to_3}


class _StoreMigrationContext:
    def __init__(self, store: Store) -> None:
        self._store = store

    def now(self) -> datetime:
        return self._store._now_utc()

    def write_events(self, month: str, docs: list[dict[str, Any]]) -> None:
        self._store._write_partition(month, docs, expected=None, check_expected=False)


# --- The store -----------------------------------------------------------------------------------------


@dataclass
class _SalvagedMain:
    """What still reads of a damaged main file (see :meth:`Store._salvage_main`)."""

    meta: dict[str, Any] = field(default_factory=dict)
    habits: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    set_aside: list[str] = field(default_factory=list)

    def data(self, version: int, now: datetime) -> dict[str, dict[str, Any]]:
        """A main file of schema *version* with what was found (a new device id if none was)."""
        meta = {
            "schema_version": version,
            "device_id": self.meta.get("device_id") or new_hex_id(),
            "created_at": self.meta.get("created_at") or now.isoformat(),
        }
        habits = {str(number): doc for number, doc in enumerate(self.habits.values(), 1)}
        return {"meta": {"1": meta}, "habits": habits, "settings": {"1": self.settings}}


class Store:
    """The data folder of one user: habits, settings and events, shared safely between processes.

    Call :meth:`open` once first and show the user the notices it returns. Then read inside
    ``with store.reading() as view`` and change inside ``with store.writing() as tx``; both hold the
    folder's lock and first reload what another process changed. Notices that come up later (a file
    damaged while the app ran) wait in :meth:`take_notices`.

    One instance may be used from several threads; the blocks of one thread may nest.
    """

    SCHEMA_VERSION: ClassVar[int] = 3

    def __init__(
        self,
        data_dir: Path,
        *,
        backup_count: int = 7,
        backup_interval: timedelta = timedelta(hours=24),
        lock_timeout: float = 10.0,
        journal_limit: int = JOURNAL_LIMIT,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        if backup_count < 0:
            raise ValueError("backup_count must not be negative")
        if journal_limit < 0:
            raise ValueError("journal_limit must not be negative")
        self._journal_limit = journal_limit
        self._dir = Path(data_dir)
        self._backups = Backups(
            self._dir / BACKUPS_DIR, count=backup_count, interval=backup_interval, now=self._now_utc
        )
        self._lock_timeout = lock_timeout
        self._now = now or (lambda: datetime.now(UTC))
        # One FileLock per store: it is re-entrant per instance (and thread), so nested blocks cannot
        # deadlock. The thread lock keeps two threads of this process out of the in-memory state.
        self._file_lock = FileLock(self._dir / LOCK_FILE, timeout=lock_timeout)
        self._thread_lock = threading.RLock()
        self._state: _State | None = None
        self._notices: list[Repair] = []
        # The events folder's signature when it was last listed, and until when (time.time_ns()) that
        # listing may be reused while the signature stays the same.
        self._listing: tuple[Signature | None, int] | None = None
        self._lock_depth = 0  # how many _locked() blocks of this store are open (they nest)

    @property
    def data_dir(self) -> Path:
        """The folder that holds the store."""
        return self._dir

    # --- Public API -----------------------------------------------------------------------------------

    def open(self) -> list[Repair]:
        """Create the folder and files if missing, migrate, recover damaged files; returns notices.

        The notices are sentences for the user about what was repaired. Calling it again only reloads.
        Raises :class:`NewerSchemaError` when a file comes from a newer TrayHabit (nothing is changed)
        and :class:`StoreError` when ``trayhabit.json`` is damaged and no good backup exists.
        """
        with self._thread_lock:
            with self._io_errors():
                make_private_dir(self._dir)  # 0700 on POSIX; a folder open to others is tightened once
                self._ensure_dir(self._dir, parents=True)
            with self._locked(), self._io_errors():
                self._sync(opening=True)
            return self.take_notices()

    def take_notices(self) -> list[Repair]:
        """The notices gathered since the last call (or since :meth:`open`), oldest first."""
        with self._thread_lock:
            notices, self._notices = self._notices, []
            return notices

    @contextmanager
    def reading(self) -> Iterator[StoreView]:
        """Hold the lock and give a view of the store with other processes' changes loaded."""
        with self._locked():
            view = StoreView(self._refreshed())
            try:
                yield view
            finally:
                view._close()

    @contextmanager
    def writing(self) -> Iterator[StoreTransaction]:
        """Hold the lock and give a transaction; its changes are written durably when the block ends.

        If the block raises, nothing is written and the store stays as it was.
        """
        with self._locked():
            transaction = StoreTransaction(self._refreshed())
            try:
                yield transaction
            finally:
                transaction._close()
            with self._io_errors():
                self._commit(transaction)

    # --- Locking and errors ---------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            try:
                self._file_lock.acquire()
            except LockTimeoutError as error:
                raise StoreLockedError(
                    _(
                        "Another TrayHabit process is using {folder} and did not let go of it within "
                        "{seconds:g} seconds. Wait for it to finish or close it, then try again."
                    ).format(folder=self._dir, seconds=self._lock_timeout)
                ) from error
            except OSError as error:
                raise self._io_error(error) from error
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
                if not self._lock_depth:
                    self._evict_old_months()
                self._file_lock.release()

    def _evict_old_months(self) -> None:
        """Let the months read on demand go again once a whole history has been read.

        A habit with a new schedule, an export or an undo of a months-old mark reads every month,
        ten years of them in a long history: hundreds of megabytes the tray would otherwise keep
        all day. The few months a weekly habit's checkpoint reaches back to stay (see
        :data:`KEEP_OLD_MONTHS`), so its looks do not read them again each time.
        """
        state = self._state
        if state is None:
            return
        horizon = self._hot_horizon()
        old = [month for month in state.partition_signatures if month < horizon]
        if len(old) <= KEEP_OLD_MONTHS:
            return
        for month in old:
            state.cold[month] = state.partition_signatures.pop(month)
            state.index.drop_partition(month)

    def _io_error(self, error: OSError) -> StoreError:
        path = Path(error.filename) if error.filename is not None else self._dir
        if is_temp_name(path.name):
            # A temporary file is TrayHabit's own and gone again: the person can act only on its folder.
            path = path.parent
        reason = error.strerror or str(error)
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and path.is_dir():
            # Trying again changes nothing here: the folder's permissions (or a read-only disk) must.
            return StoreError(
                _(
                    "TrayHabit cannot save in its data folder {folder}: the folder is not writable ({reason}). "
                    "Nothing was lost; give your user account write access to the folder."
                ).format(folder=path, reason=reason)
            )
        return StoreError(
            _("TrayHabit could not read or write {path}: {reason}. Nothing was lost; try again.").format(
                path=path, reason=reason
            )
        )

    @contextmanager
    def _io_errors(self) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            raise self._io_error(error) from error

    def _refreshed(self) -> _State:
        if self._state is None:
            raise RuntimeError("Store.open() must be called before reading or writing")
        with self._io_errors():
            self._sync(opening=False)
        assert self._state is not None
        return self._state

    def _now_utc(self) -> datetime:
        return self._now().astimezone(UTC)

    def _hot_horizon(self) -> str:
        """The first month whose events are read at start-up (see :data:`HOT_SPAN`)."""
        return _month_of_instant(self._now_utc() - HOT_SPAN)

    # --- Paths ----------------------------------------------------------------------------------------

    @property
    def _main_path(self) -> Path:
        return self._dir / MAIN_FILE

    @property
    def _journal_path(self) -> Path:
        return self._dir / JOURNAL_FILE

    @property
    def _events_dir(self) -> Path:
        return self._dir / EVENTS_DIR

    @property
    def _backups_dir(self) -> Path:
        return self._dir / BACKUPS_DIR

    def _partition_path(self, month: str) -> Path:
        return self._events_dir / f"{month}.json"

    def _scan_partitions(self) -> dict[str, tuple[str, Signature]]:
        """The events files on disk: month -> (path, signature)."""
        found: dict[str, tuple[str, Signature]] = {}
        try:
            with os.scandir(self._events_dir) as entries:
                for entry in entries:
                    match = _PARTITION_FILE.match(entry.name)
                    if match is None:
                        continue
                    try:
                        stat = entry.stat()
                    except FileNotFoundError:
                        continue
                    if S_ISREG(stat.st_mode):
                        found[match.group(1)] = (entry.path, _signature(stat))
        except FileNotFoundError:
            pass  # no event recorded yet
        return found

    # --- Loading --------------------------------------------------------------------------------------

    def _load_main(self, path: Path) -> _MainFile | _Damage | None:
        """The parsed main file, or the damage found in it, or ``None`` when it does not exist."""
        storage = AtomicJSONStorage(path)
        try:
            data = storage.read()
            if data is None:
                return None
            version = _check_main(path, data)
        except ValueError as error:
            return _damage(path, error)
        assert storage.signature is not None
        return _MainFile(data, storage.signature, version)

    def _load_partition(self, month: str, path: Path) -> _PartitionFile | _Damage | None:
        return self._load_events(path, lambda path, data: _check_partition(path, month, data))

    @staticmethod
    def _load_events(
        path: Path, check: Callable[[Path, dict[str, Any]], dict[str, dict[str, Any]]]
    ) -> _PartitionFile | _Damage | None:
        """The events of a partition or the journal (*check* validates it), the damage found in it, or
        ``None`` when it does not exist."""
        storage = AtomicJSONStorage(path, parse=parse_sharing)
        try:
            data = storage.read()
            if data is None:
                return None
            events = check(path, data)
        except ValueError as error:
            return _damage(path, error)
        assert storage.signature is not None
        return _PartitionFile(list(events.values()), storage.signature)

    def _sync(self, *, opening: bool) -> None:
        """Bring the in-memory state in line with the files; called with the lock held."""
        state = self._state
        # 1. Read what changed, touching nothing: a newer schema anywhere must leave every file as it is.
        main: _MainFile | _Damage | None
        main_signature = _stat_signature(self._main_path)
        if state is not None and main_signature is not None and main_signature == state.main_signature:
            main = None
            main_missing = False
        else:
            main = self._load_main(self._main_path)
            main_missing = main is None
        journal: _PartitionFile | _Damage | None = None
        journal_changed = state is None or _stat_signature(self._journal_path) != state.journal_signature
        if journal_changed:
            journal = self._load_events(self._journal_path, _check_journal)
        partitions, cold, gone = self._read_partitions(state, opening=opening)

        # 2. Repair: leftovers, damaged or missing files, older schemas.
        if opening:
            self._remove_temp_files()
        if main_missing:
            loaded_before = state is not None and bool(state.partition_signatures)
            main = self._replace_missing_main(had_partitions=bool(partitions or cold) or loaded_before)
        elif isinstance(main, _Damage):
            main = self._recover_main(main)
        for month, loaded in list(partitions.items()):
            if isinstance(loaded, _Damage):
                partitions[month] = self._recover_partition(month, loaded)
        if isinstance(journal, _Damage):
            journal = self._recover_journal(journal)
        if main is not None and main.version < self.SCHEMA_VERSION:
            self._migrate(main)
            # The migration rewrote files: load them as written (the signatures recorded so far are old).
            self._sync(opening=False)
            return

        # 3. Apply.
        if state is None:
            assert main is not None
            state = self._state = _State.from_main(main)
            state.loader = self._load_cold
            state.data_dir = self._dir
        elif main is not None:
            state.apply_main(main)
        if journal_changed:
            journal_file = journal if isinstance(journal, _PartitionFile) else None
            state.index.replace_partition(_JOURNAL, journal_file.events if journal_file else [])
            state.journal_signature = journal_file.signature if journal_file else None
        state.cold = cold
        for month, loaded in partitions.items():
            if isinstance(loaded, _PartitionFile):
                state.index.replace_partition(month, loaded.events)
                state.partition_signatures[month] = loaded.signature
            else:
                gone.add(month)  # vanished between the listing and the read, or its damage left nothing
        for month in gone:
            state.index.drop_partition(month)
            state.partition_signatures.pop(month, None)

    def _read_partitions(
        self, state: _State | None, *, opening: bool
    ) -> tuple[dict[str, _PartitionFile | _Damage | None], dict[str, Signature], set[str]]:
        """The partitions to load (read now, or found damaged), those left cold, and the loaded months
        whose files are gone; nothing is changed yet."""
        known = state.partition_signatures if state is not None else {}
        horizon = self._hot_horizon()
        on_disk, listed = self._list_partitions(state, horizon, fresh=opening)
        partitions: dict[str, _PartitionFile | _Damage | None] = {}
        # Without a new listing, only the loaded months were looked at: the cold ones stay as they were.
        cold: dict[str, Signature] = {} if listed or state is None else dict(state.cold)
        for month, (path, signature) in on_disk.items():
            if month in known:
                if known[month] != signature:
                    partitions[month] = self._load_partition(month, Path(path))
            elif month < horizon or (state is not None and month in state.cold):
                cold[month] = signature  # read when something asks for that far back
            else:
                partitions[month] = self._load_partition(month, Path(path))
        gone = {month for month in known if month not in on_disk}
        return partitions, cold, gone

    def _list_partitions(
        self, state: _State | None, horizon: str, *, fresh: bool
    ) -> tuple[dict[str, tuple[str, Signature]], bool]:
        """The events files on disk, month -> (path, signature), and whether the folder was listed.

        The folder is listed again only when it changed since the last listing (or that is too old to
        trust, see :data:`_LISTING_MARGIN_NS`); otherwise only the loaded months from *horizon* (the
        first month read at open) on are looked at, one by one, and returned with the older ones.
        """
        now_ns = time.time_ns()  # the file system's clock, to compare with its time stamps
        folder_signature = _stat_signature(self._events_dir)
        listing = self._listing
        if (
            not fresh
            and state is not None
            and listing is not None
            and listing[0] == folder_signature
            and now_ns < listing[1]
        ):
            # The recent months, which other processes write, are checked; older loaded ones are taken
            # as they were, like the cold ones, until the next listing.
            found: dict[str, tuple[str, Signature]] = {}
            for month, known in state.partition_signatures.items():
                if month < horizon:
                    found[month] = ("", known)
                    continue
                path = self._partition_path(month)
                signature = _stat_signature(path)
                if signature is not None:
                    found[month] = (str(path), signature)
            return found, False
        found = self._scan_partitions()
        trusted_until = 0
        if folder_signature is not None and folder_signature[1] < now_ns - _LISTING_MARGIN_NS:
            trusted_until = now_ns + _LISTING_MAX_AGE_NS
        # The folder's signature from before the listing: a change made during it shows at the next read.
        self._listing = (folder_signature, trusted_until)
        return found, True

    def _load_cold(self, month: str) -> None:
        """Read a partition left cold at the last sync (the lock is held: views live inside it)."""
        state = self._state
        assert state is not None
        with self._io_errors():
            loaded = self._load_partition(month, self._partition_path(month))
            if isinstance(loaded, _Damage):
                loaded = self._recover_partition(month, loaded)
        state.cold.pop(month, None)
        if isinstance(loaded, _PartitionFile):
            state.index.replace_partition(month, loaded.events)
            state.partition_signatures[month] = loaded.signature

    def _remove_temp_files(self) -> None:
        # Only at open and under the lock: every writer holds the lock, so none of these is being written.
        generations = self._backups_dir / GENERATIONS_DIR
        generation_folders: list[Path] = []
        try:
            with os.scandir(generations) as entries:
                generation_folders = [Path(entry.path) for entry in entries if entry.is_dir()]
        except FileNotFoundError:
            pass  # no generation written yet
        for folder in (self._dir, self._events_dir, self._backups_dir, *generation_folders):
            try:
                with os.scandir(folder) as entries:
                    leftovers = [Path(entry.path) for entry in entries if is_temp_name(entry.name)]
            except FileNotFoundError:
                continue
            for path in leftovers:
                path.unlink(missing_ok=True)

    # --- Recovery ------------------------------------------------------------------------------------

    def _newest_good_backup(
        self, stem: str, check: Callable[[Path, dict[str, Any]], object]
    ) -> Backup | None:
        """The newest backup of *stem*, generation or daily, that passes *check*."""
        for backup in reversed(self._backups.listing(stem)):
            try:
                data = AtomicJSONStorage(backup.path).read()
                if data is not None:
                    check(backup.path, data)
                    return backup
            except (ValueError, NewerSchemaError):
                continue  # damaged too, or from a newer version: try an older one
        return None

    def _move_aside(self, path: Path) -> Path:
        base = f"{path.name}.corrupt-{_stamp(self._now_utc())}"
        aside = path.with_name(base)
        counter = 1
        while aside.exists():
            counter += 1
            aside = path.with_name(f"{base}-{counter}")
        path.rename(aside)
        fsync_dir(path.parent)
        return aside

    @staticmethod
    def _damaged_bytes(path: Path) -> bytes:
        """A damaged file's bytes to salvage from; none when it is past the size limit."""
        try:
            return read_limited(path, MAX_STORE_FILE)
        except LimitError:
            return b""

    def _relative(self, path: Path) -> str:
        return path.relative_to(self._dir).as_posix()

    def _damage_repaired(self, kind: RepairKind, damage: _Damage, aside: Path, **details: Any) -> Repair:
        """The repair of a damaged file, moved to *aside*; *details* as :class:`Repair` takes them."""
        return Repair(
            kind, self._relative(damage.path), self._dir, reason=damage.reason, aside=aside, **details
        )

    def _repaired(self, repair: Repair) -> None:
        log.info("repaired %s: %s", repair.file, repair.kind.value)
        self._notices.append(repair)

    def _recover_main(self, damage: _Damage) -> _MainFile:
        """Move a damaged main file aside and restore its newest good backup; with none, keep every
        habit and setting of it that still reads (see trayhabit.core.salvage)."""
        path = damage.path
        found = self._salvage_main(self._damaged_bytes(path))
        backup = self._newest_good_backup(_MAIN_STEM, _check_main)
        aside = self._move_aside(path)
        if backup is not None:
            copy_atomic(backup.path, path)
            restored = self._reload_main_after_repair(path)
            lost = set(found.habits) - {doc["id"] for doc in _table(restored.data, "habits").values()}
            self._repaired(
                self._damage_repaired(
                    RepairKind.RESTORED, damage, aside, restored_from=backup.taken_at, habits_lost=len(lost)
                )
            )
            return restored
        data = found.data(self.SCHEMA_VERSION, self._now_utc())
        storage = AtomicJSONStorage(path)
        storage.write(data)
        self._backups.keep_generation(_MAIN_STEM, storage.written)
        self._repaired(
            self._damage_repaired(
                RepairKind.SALVAGED,
                damage,
                aside,
                set_aside=tuple(found.set_aside),
                kept=len(found.habits) + len(found.settings),
            )
        )
        return self._reload_main_after_repair(path)

    def _salvage_main(self, raw: bytes) -> _SalvagedMain:
        """The meta, habits and settings of a damaged main file that still read and pass their checks."""
        found = salvage(raw, ("meta", "habits", "settings"))
        result = _SalvagedMain()
        if not found.whole:
            result.set_aside.append(_("the part of the file that could not be read"))
        metas = list(found.tables.get("meta", {}).values())
        if metas and isinstance(device := metas[0].get("device_id"), str) and 0 < len(device) <= MAX_TOKEN:
            result.meta = {key: metas[0][key] for key in ("device_id", "created_at") if key in metas[0]}
        for doc_id, doc in found.tables.get("habits", {}).items():
            try:
                check_habit(doc)
            except DocumentError as error:
                result.set_aside.append(_("habit {n}: {reason}").format(n=doc_id, reason=error.reason))
            else:
                result.habits.setdefault(doc["id"], doc)
        for doc in list(found.tables.get("settings", {}).values())[:1]:
            for key, value in doc.items():
                try:
                    check_settings({key: value})
                except DocumentError as error:
                    result.set_aside.append(error.reason)
                else:
                    result.settings[key] = value
        return result

    def _replace_missing_main(self, *, had_partitions: bool) -> _MainFile:
        path = self._main_path
        backup = self._newest_good_backup(_MAIN_STEM, _check_main)
        if backup is not None:
            copy_atomic(backup.path, path)
            self._repaired(
                Repair(
                    RepairKind.MISSING_RESTORED,
                    self._relative(path),
                    self._dir,
                    restored_from=backup.taken_at,
                )
            )
            return self._reload_main_after_repair(path)
        if had_partitions:
            self._repaired(Repair(RepairKind.MISSING_STARTED, self._relative(path), self._dir))
        storage = AtomicJSONStorage(path)
        storage.write(_SalvagedMain().data(self.SCHEMA_VERSION, self._now_utc()))
        self._backups.keep_generation(_MAIN_STEM, storage.written)
        return self._reload_main_after_repair(path)

    def _reload_main_after_repair(self, path: Path) -> _MainFile:
        main = self._load_main(path)
        if not isinstance(main, _MainFile):
            # The backup checked out a moment ago; failing now means the disk itself misbehaves.
            raise _DamagedError(_("{file} could not be restored; check the disk.").format(file=path))
        return main

    def _recover_partition(self, month: str, damage: _Damage) -> _PartitionFile | None:
        return self._recover_events(
            damage,
            f"events-{month}",
            lambda backup_path, data: _check_partition(backup_path, month, data),
            {"schema_version": self.SCHEMA_VERSION, "partition": month},
        )

    def _recover_journal(self, damage: _Damage) -> _PartitionFile | None:
        return self._recover_events(damage, _JOURNAL_STEM, _check_journal, self._journal_meta())

    def _recover_events(
        self,
        damage: _Damage,
        stem: str,
        check: Callable[[Path, dict[str, Any]], dict[str, dict[str, Any]]],
        meta: dict[str, Any],
    ) -> _PartitionFile | None:
        """Move a damaged events file aside and restore its newest good backup; with none, keep every
        event of it that still reads and passes its check."""
        path = damage.path
        raw = self._damaged_bytes(path)
        backup = self._newest_good_backup(stem, check)
        aside = self._move_aside(path)
        if backup is not None:
            copy_atomic(backup.path, path)
            repair = self._damage_repaired(RepairKind.RESTORED, damage, aside, restored_from=backup.taken_at)
        else:
            found = salvage(raw, ("events",))
            set_aside = [] if found.whole else [_("the part of the file that could not be read")]
            kept: dict[str, Any] = {}
            for doc_id, doc in found.tables.get("events", {}).items():
                try:
                    check_event(doc)
                    if check is _check_journal or _month_of(doc) == meta.get("partition"):
                        kept[str(len(kept) + 1)] = doc
                        continue
                    raise DocumentError(_("it belongs to another month"))
                except DocumentError as error:
                    set_aside.append(_("event {n}: {reason}").format(n=doc_id, reason=error.reason))
            storage = AtomicJSONStorage(path)
            storage.write({"meta": {"1": meta}, "events": kept})
            self._backups.keep_generation(stem, storage.written)
            repair = self._damage_repaired(
                RepairKind.SALVAGED, damage, aside, set_aside=tuple(set_aside), kept=len(kept)
            )
        self._repaired(repair)
        loaded = self._load_events(path, check)
        if not isinstance(loaded, _PartitionFile):
            raise _DamagedError(_("{file} could not be restored; check the disk.").format(file=path))
        return loaded

    # --- Migration ------------------------------------------------------------------------------------

    def _migrate(self, main: _MainFile) -> None:
        data, version = main.data, main.version
        self._ensure_dir(self._backups_dir)
        # Kept out of the rotation (its name has an extra dot), so the pre-migration file stays available.
        copy_atomic(
            self._main_path,
            self._backups_dir / f"{_MAIN_STEM}.schema{version}.{_stamp(self._now_utc())}.json",
        )
        context = _StoreMigrationContext(self)
        while version < self.SCHEMA_VERSION:
            data = MIGRATIONS[version](context, data)
            if _schema_version(self._main_path, data) != version + 1:
                raise RuntimeError(f"migration from schema {version} did not produce schema {version + 1}")
            # One durable write per step: a kill between steps resumes from the last finished one.
            storage = AtomicJSONStorage(self._main_path)
            storage.write(data)
            self._backups.keep_generation(_MAIN_STEM, storage.written)
            version += 1

    # --- Writing --------------------------------------------------------------------------------------

    def _commit(self, transaction: StoreTransaction) -> None:
        state = transaction._state
        current = _month_of_instant(self._now_utc())
        journal = state.index.partition_events(_JOURNAL)
        # Events of this month go to the journal, older ones (an import, say) to their months' files.
        # The journal is folded into the months' files by the commit that would overflow it and by the
        # first one of a new month, so it only ever holds this month's events: folding it then writes
        # no month before this one, which keeps the checkpoints of old history valid (see
        # history_digest).
        recent = [doc for doc in transaction._new_events if _month_of(doc) >= current]
        older = [doc for doc in transaction._new_events if _month_of(doc) < current]
        folding = len(journal) + len(recent) > self._journal_limit or (
            bool(journal) and min(state.index.months_in(_JOURNAL)) < current
        )
        by_month: dict[str, list[dict[str, Any]]] = {}
        for doc in [*older, *journal, *recent] if folding else older:
            by_month.setdefault(_month_of(doc), []).append(doc)
        # Events first, the main file last; the in-memory state follows each file as it is written, so it
        # matches the disk even if a later file fails.
        for month in sorted(by_month):
            state.warm_month(month)  # a month is written whole, so it must be read first
            signature, added = self._write_partition(
                month, by_month[month], expected=state.partition_signatures.get(month)
            )
            state.partition_signatures[month] = signature
            for doc in added:
                state.index.add(month, doc)
        if folding and journal:
            # Every event of the journal is in its month's file now: a kill before this line leaves them
            # in both, which reads as one event each, and the next fold finishes the work.
            state.journal_signature = self._clear_journal(expected=state.journal_signature)
            state.index.replace_partition(_JOURNAL, [])
        elif recent and not folding:
            state.journal_signature = self._write_journal(recent, expected=state.journal_signature)
            for doc in recent:
                state.index.add(_JOURNAL, doc)
        habits = transaction._changed_habits()
        settings = transaction._changed_settings()
        device_id = transaction._new_device_id
        if habits or settings or device_id:
            state.apply_main(
                self._write_main(habits, settings, device_id=device_id, expected=state.main_signature)
            )

    def _write_partition(
        self,
        month: str,
        docs: list[dict[str, Any]],
        *,
        expected: Signature | None,
        check_expected: bool = True,
    ) -> tuple[Signature, list[dict[str, Any]]]:
        """Add the events of *docs* whose ids *month*'s file lacks; returns its signature and those added.

        With *check_expected*, the file must be the one loaded (signature *expected*), which was checked
        then; without (a migration), it is checked here.
        """
        self._ensure_dir(self._events_dir)
        return self._add_events(
            self._partition_path(month),
            f"events-{month}",
            {"schema_version": self.SCHEMA_VERSION, "partition": month},
            lambda path, data: _check_partition(path, month, data),
            docs,
            expected=expected,
            check_expected=check_expected,
        )

    def _journal_meta(self) -> dict[str, Any]:
        return {"schema_version": self.SCHEMA_VERSION, "journal": True}

    def _write_journal(self, docs: list[dict[str, Any]], *, expected: Signature | None) -> Signature:
        """Add *docs* to the journal; returns its signature."""
        signature, _added = self._add_events(
            self._journal_path, _JOURNAL_STEM, self._journal_meta(), _check_journal, docs, expected=expected
        )
        return signature

    def _clear_journal(self, *, expected: Signature | None) -> Signature:
        """Empty the journal (its events are in the months' files); returns its signature."""
        path = self._journal_path
        self._check_unchanged(path, _stat_signature(path), expected, True)
        self._backups.keep_daily(path, _JOURNAL_STEM)
        data = jsontext.dumps({"meta": {"1": self._journal_meta()}})
        signature = _signature(write_atomic(path, data))
        self._backups.keep_generation(_JOURNAL_STEM, data)
        return signature

    def _add_events(
        self,
        path: Path,
        stem: str,
        meta: dict[str, Any],
        check: Callable[[Path, dict[str, Any]], dict[str, dict[str, Any]]],
        docs: list[dict[str, Any]],
        *,
        expected: Signature | None,
        check_expected: bool = True,
    ) -> tuple[Signature, list[dict[str, Any]]]:
        """Add the events of *docs* whose ids the events file at *path* lacks (creating it with *meta*);
        returns its signature and the events added. *stem* names its backups, *check* validates it."""
        db, storage = _open_db(path)
        with storage.deferred():
            try:
                data = storage.read()
                if data is not None and not check_expected:
                    check(path, data)
            except ValueError as error:
                raise _DamagedError(
                    _("{file} turned out damaged while saving; nothing more was written.").format(file=path)
                ) from error
            self._check_unchanged(path, storage.signature, expected, check_expected)
            present = {doc["id"] for doc in (data or {}).get("events", {}).values()}
            added: list[dict[str, Any]] = []
            for doc in docs:
                if doc["id"] not in present:
                    present.add(doc["id"])
                    added.append(doc)
            if not added:
                assert storage.signature is not None
                return storage.signature, added
            if data is None:
                storage.write({"meta": {"1": meta}})
            else:
                self._backups.keep_daily(path, stem)
            db.table("events", cache_size=0).insert_multiple(added)
        # The file as written, again among the backups: a check-off acknowledged now survives damage
        # to the file later (see trayhabit.core.backups).
        self._backups.keep_generation(stem, storage.written)
        assert storage.signature is not None
        return storage.signature, added

    @staticmethod
    def _ensure_dir(folder: Path, *, parents: bool = False) -> None:
        try:
            # Another process may create it at the same moment (two starts before either holds the lock).
            folder.mkdir(parents=parents)
        except FileExistsError:
            if not folder.is_dir():
                raise
        else:
            fsync_dir(folder.parent)  # the new folder's entry must survive a power cut like its files

    def _write_main(
        self,
        habits: dict[str, dict[str, Any]],
        settings: dict[str, Any],
        *,
        device_id: str | None = None,
        expected: Signature,
    ) -> _MainFile:
        path = self._main_path
        db, storage = _open_db(path)
        with storage.deferred():
            try:
                data = storage.read()
                version = _check_main(path, data) if data is not None else 0
            except ValueError as error:
                raise _DamagedError(
                    _("{file} turned out damaged while saving; nothing more was written.").format(file=path)
                ) from error
            self._check_unchanged(path, storage.signature, expected, True)
            if version != self.SCHEMA_VERSION:
                raise _DamagedError(
                    _("{file} changed unexpectedly while saving; try again.").format(file=path)
                )
            self._backups.keep_daily(path, _MAIN_STEM)
            table = db.table("habits", cache_size=0)
            for habit_id, doc in habits.items():
                if not table.update(_replacing_with(doc), where("id") == habit_id):
                    table.insert(doc)
            if device_id is not None:
                db.table("meta", cache_size=0).update({"device_id": device_id})
            if settings:
                table = db.table("settings", cache_size=0)
                stored = table.all()
                if stored:
                    table.update(settings, doc_ids=[stored[0].doc_id])
                else:
                    table.insert(settings)
        self._backups.keep_generation(_MAIN_STEM, storage.written)
        data = storage.read()
        assert data is not None and storage.signature is not None
        return _MainFile(data, storage.signature, self.SCHEMA_VERSION)

    def _check_unchanged(
        self, path: Path, found: Signature | None, expected: Signature | None, check: bool
    ) -> None:
        # Under the lock a file changes only through this store; a difference means a program wrote it
        # without the lock, and writing now could lose what it wrote.
        if check and found != expected:
            raise _DamagedError(
                _("{file} was changed by another program while TrayHabit was saving; try again.").format(
                    file=path
                )
            )


def _replacing_with(doc: dict[str, Any]) -> Callable[[MutableMapping[str, Any]], None]:
    def replace(stored: MutableMapping[str, Any]) -> None:
        stored.clear()
        stored.update(copy.deepcopy(doc))

    return replace
