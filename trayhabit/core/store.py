"""The data store: TinyDB files written atomically, with migrations, backups, recovery and a file lock.

Layout of a data folder (schema version 2)::

    trayhabit.json        tables "meta" (schema_version, device_id, created_at), "habits", "settings"
    events/YYYY-MM.json   one file per month of ``recorded_at`` (UTC): tables "meta", "events"
    backups/              rotating copies: trayhabit.<UTC stamp>.json, events-YYYY-MM.<UTC stamp>.json
    .lock                 the file lock that serialises every process using the folder

Events are append-only and split by month, so recording a check-off rewrites only the current month's
file, never years of history. Every file is replaced as a whole with an atomic, durable write (see
:mod:`trayhabit.core.atomic`), so a kill at any moment leaves each file old or new, never broken.

A commit writes the touched event files first and ``trayhabit.json`` last, one atomic write each. A
commit that spans several files (an import, say) can be cut by a kill between two of them; as an event
whose id is already stored is skipped, repeating the import completes it without doubling anything.

Every read and write holds the lock and first reloads the files another process changed (the app and
the command line share the folder), detected by their inode, modification time and size.
"""

from __future__ import annotations

import copy
import os
import re
import threading
import uuid
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from stat import S_ISREG
from typing import Any, ClassVar, Protocol

import orjson
from tinydb import TinyDB, where
from tinydb.storages import Storage

from trayhabit.core.atomic import copy_atomic, fsync_dir, is_temp_name, write_atomic
from trayhabit.core.digest import stable_digest
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _
from trayhabit.core.locking import FileLock, LockTimeoutError

MAIN_FILE = "trayhabit.json"
EVENTS_DIR = "events"
BACKUPS_DIR = "backups"
LOCK_FILE = ".lock"

_MAIN_STEM = "trayhabit"
_PARTITION_FILE = re.compile(r"^(\d{4}-\d{2})\.json$")
_MONTH_PREFIX = re.compile(r"\d{4}-\d{2}")
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
# The months of events read at start-up; older ones are read when something asks for them (a report
# with the whole history, an export), so years of history cost neither time nor memory until then.
HOT_SPAN = timedelta(days=92)
# <stem>.<stamp>.json; stems hold no dot, so the pre-migration copies (trayhabit.schema1.<stamp>.json)
# stay out of the rotation and are kept.
_BACKUP_FILE = re.compile(r"^(?P<stem>[^.]+)\.(?P<stamp>\d{8}T\d{12}Z)\.json$")

#: (st_ino, st_mtime_ns, st_size) of a file as last loaded or written.
Signature = tuple[int, int, int]


class StoreError(UserError):
    """A problem with the data folder; ``str(error)`` is one line that tells the user what to do."""


class NewerSchemaError(StoreError):
    """A file was written by a newer TrayHabit; it is refused and left exactly as it is."""


class StoreLockedError(StoreError):
    """Another process held the data folder's lock for longer than the store would wait."""


class _InvalidError(ValueError):
    """A file parsed, or not, into something other than the structure its schema describes."""


class _DamagedError(StoreError):
    """A file that was sound when loaded turned out damaged while writing (not expected under the lock)."""


# --- The TinyDB storage --------------------------------------------------------------------------------


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _stat_signature(path: Path) -> Signature | None:
    try:
        return _signature(path.stat())
    except FileNotFoundError:
        return None


class AtomicJSONStorage(Storage):
    """TinyDB storage for one JSON file: parsed with orjson, every write atomic and durable.

    The file is read and parsed once per instance; later reads return that state with the instance's own
    writes applied. That is safe only because an instance lives no longer than one load or one commit,
    under the store's lock, so no other process can change the file meanwhile. Unlike TinyDB's
    ``CachingMiddleware``, every write reaches the disk before the store reports it done: directly, or at
    the end of a :meth:`deferred` block, which lets a commit turn several table updates into the single
    atomic write that makes them all-or-nothing.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = Path(path)
        #: Signature of the file as read or last written here; ``None`` while it does not exist.
        self.signature: Signature | None = None
        self._data: dict[str, dict[str, Any]] | None = None
        self._read_done = False
        self._defer_depth = 0
        self._pending = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The file's tables, or ``None`` when it does not exist (TinyDB then starts it empty).

        Raises :class:`ValueError` when the file is not a JSON object.
        """
        if not self._read_done:
            try:
                with self.path.open("rb") as handle:
                    stat = os.fstat(handle.fileno())
                    raw = handle.read()
            except FileNotFoundError:
                self._data, self.signature = None, None
            else:
                # The signature comes from the very handle the bytes came from, so it describes them.
                self.signature = _signature(stat)
                parsed = orjson.loads(raw)  # orjson.JSONDecodeError is a ValueError
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
        self.signature = _signature(write_atomic(self.path, orjson.dumps(self._data)))


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
        if not doc_id.isdecimal() or not isinstance(doc, dict):
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
    for doc_id, doc in table.items():
        if not (
            doc_id.isdecimal()
            and isinstance(doc, dict)
            and isinstance(doc.get("id"), str)
            and isinstance(doc.get("habit_id"), str)
            and isinstance(recorded := doc.get("recorded_at"), str)
            and _MONTH_PREFIX.match(recorded)
        ):
            raise _InvalidError("an event lacks a string id, habit_id or recorded_at")
    return table


def _check_main(path: Path, data: dict[str, Any]) -> int:
    """Validate a parsed ``trayhabit.json`` of any known schema; returns its schema version."""
    version = _schema_version(path, data)
    if version >= 2 and not isinstance(_only_doc(data, "meta").get("device_id"), str):
        raise _InvalidError("meta has no device_id")
    for doc in _table(data, "habits").values():
        if not isinstance(doc.get("id"), str):
            raise _InvalidError("a habit has no string id")
    if len(_table(data, "settings")) > 1:
        raise _InvalidError("table 'settings' holds more than one document")
    if version == 1:
        _event_table(data)
    return version


def _check_partition(path: Path, month: str, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validate a parsed events partition for *month* ("YYYY-MM"); returns its events table."""
    # Partitions appeared with schema 2: an older number in one is damage, not something to migrate.
    if _schema_version(path, data) != Store.SCHEMA_VERSION:
        raise _InvalidError("an events file must have schema_version 2")
    if _only_doc(data, "meta").get("partition") != month:
        raise _InvalidError("the events file's partition does not match its name")
    return _event_table(data)


# --- Documents -----------------------------------------------------------------------------------------


def _normalised(doc: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of *doc* exactly as it will read back from the file (tuples become lists, ...)."""
    if not isinstance(doc, dict):
        raise TypeError(_("A document must be a dict, not {kind}.").format(kind=type(doc).__name__))
    # orjson raises a TypeError subclass for anything JSON cannot hold; it propagates as it is.
    result: dict[str, Any] = orjson.loads(orjson.dumps(doc))
    return result


def _is_flat(docs: list[dict[str, Any]]) -> bool:
    """Whether no document holds a nested dict or list (TrayHabit's events hold none)."""
    for doc in docs:
        for value in doc.values():
            if type(value) is dict or type(value) is list:
                return False
    return True


def _copies(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of *docs* that share nothing mutable with them."""
    if _is_flat(docs):
        # A habit's years of events: ten times cheaper than a deep copy.
        return [doc.copy() for doc in docs]
    # Stored documents hold only JSON types, so an orjson round trip is an exact deep copy.
    result: list[dict[str, Any]] = orjson.loads(orjson.dumps(docs))
    return result


# The order of a habit's events: (recorded_at, id). itemgetter, in C, sorts years of them 3x faster.
_event_order: Callable[[dict[str, Any]], tuple[str, str]] = itemgetter("recorded_at", "id")


_recorded_at: Callable[[dict[str, Any]], str] = itemgetter("recorded_at")


def _month_of_instant(instant: datetime) -> str:
    """The partition ("YYYY-MM") of an instant: its UTC month."""
    return instant.astimezone(UTC).strftime("%Y-%m")


def _month_of(doc: dict[str, Any]) -> str:
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


class _EventIndex:
    """Every loaded event, by partition and by habit, with each habit's events sorted on demand."""

    def __init__(self) -> None:
        self._by_partition: dict[str, dict[str, dict[str, Any]]] = {}
        self._by_habit: dict[str, dict[str, dict[str, Any]]] = {}
        self._partition_of: dict[str, str] = {}
        # habit id -> its events sorted; dropped when they change.
        self._sorted: dict[str, list[dict[str, Any]]] = {}

    def __contains__(self, event_id: str) -> bool:
        return event_id in self._partition_of

    def replace_partition(self, month: str, docs: list[dict[str, Any]]) -> None:
        self.drop_partition(month)
        # add() inlined: this runs for every stored event at start-up.
        bucket: dict[str, dict[str, Any]] = {}
        partition_of, by_habit = self._partition_of, self._by_habit
        touched: set[str] = set()
        for doc in docs:
            event_id = doc["id"]
            if event_id in partition_of:
                continue  # see add()
            partition_of[event_id] = month
            bucket[event_id] = doc
            habit_id = doc["habit_id"]
            habit_events = by_habit.get(habit_id)
            if habit_events is None:
                habit_events = by_habit[habit_id] = {}
            habit_events[event_id] = doc
            touched.add(habit_id)
        self._by_partition[month] = bucket
        for habit_id in touched:
            self._sorted.pop(habit_id, None)

    def drop_partition(self, month: str) -> None:
        for event_id, doc in self._by_partition.pop(month, {}).items():
            del self._partition_of[event_id]
            habit_id = doc["habit_id"]
            del self._by_habit[habit_id][event_id]
            self._sorted.pop(habit_id, None)

    def add(self, month: str, doc: dict[str, Any]) -> None:
        event_id = doc["id"]
        if event_id in self._partition_of:
            # The same id twice on disk (only a hand-edited file can do that): the first one stands.
            return
        self._partition_of[event_id] = month
        self._by_partition.setdefault(month, {})[event_id] = doc
        habit_id = doc["habit_id"]
        self._by_habit.setdefault(habit_id, {})[event_id] = doc
        cached = self._sorted.get(habit_id)
        if cached is not None:
            # Kept up to date rather than dropped: the app's own check-off then costs no re-sort.
            insort(cached, doc, key=_event_order)

    def sorted_events(self, habit_id: str) -> list[dict[str, Any]]:
        """The habit's events in (recorded_at, id) order.

        The list and documents are the index's own: callers copy them before handing them out.
        """
        cached = self._sorted.get(habit_id)
        if cached is None:
            cached = self._sorted[habit_id] = sorted(
                self._by_habit.get(habit_id, {}).values(), key=_event_order
            )
        return cached

    def all_events(self) -> list[dict[str, Any]]:
        return [doc for docs in self._by_partition.values() for doc in docs.values()]

    def ids(self) -> set[str]:
        return set(self._partition_of)


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
    index: _EventIndex = field(default_factory=_EventIndex)
    # Reads one cold month into the index (set by the store, which knows how to repair a damaged one).
    loader: Callable[[str], None] | None = None

    def warm(self, first_month: str | None = None) -> None:
        """Load the cold partitions from *first_month* on (all of them when None)."""
        for month in sorted(month for month in self.cold if first_month is None or month >= first_month):
            self.warm_month(month)

    def warm_month(self, month: str) -> None:
        """Load *month*'s partition if it is cold."""
        if month in self.cold and self.loader is not None:
            self.loader(month)

    def history_digest(self, before_month: str) -> str:
        """A digest of the files of the partitions before *before_month*, loaded or not: it changes
        when any of them is written, so old history is known unchanged without reading it."""
        # Modification time and size, not the inode: a copied or synced folder keeps its digest.
        signatures = sorted(
            (month, signature[1], signature[2])
            for month, signature in [*self.partition_signatures.items(), *self.cold.items()]
            if month < before_month
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
    events: list[dict[str, Any]]
    signature: Signature


@dataclass
class _Damage:
    path: Path


@dataclass
class _Backup:
    path: Path
    taken_at: datetime


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

    def _event_docs(self, habit_id: str | None) -> list[dict[str, Any]]:
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
        month = recorded_at[:7]
        self._state.warm(month)
        docs = self._event_docs(habit_id)
        start = bisect_left(docs, month, key=_recorded_at)
        index = bisect_left(docs, recorded_at, lo=start, key=_recorded_at)
        return index - start, _copies(docs[index:])

    def history_digest(self, before_month: str) -> str:
        """A digest of the event files of the months before *before_month* ("YYYY-MM"), which changes
        whenever one of them is written (an import, a restored backup), without reading them."""
        self._check_open()
        return self._state.history_digest(before_month)

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

    def put_habit(self, doc: dict[str, Any]) -> None:
        """Store *doc* as the habit with ``doc["id"]``, replacing the whole document if it exists."""
        self._check_open()
        stored = _normalised(doc)
        habit_id = stored.get("id")
        if not isinstance(habit_id, str) or not habit_id:
            raise ValueError(_("A habit needs a non-empty text id."))
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
        self._new_settings.update(_normalised(values))

    def _habit_docs(self) -> list[dict[str, Any]]:
        docs = [self._new_habits.get(habit_id, doc) for habit_id, doc in self._state.habits.items()]
        docs.extend(doc for habit_id, doc in self._new_habits.items() if habit_id not in self._state.habits)
        return docs

    def _event_docs(self, habit_id: str | None) -> list[dict[str, Any]]:
        stored = super()._event_docs(habit_id)
        new = [doc for doc in self._new_events if habit_id is None or doc["habit_id"] == habit_id]
        if not new:
            return stored
        return sorted([*stored, *new], key=_event_order)

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
        "device_id": meta.get("device_id") or uuid.uuid4().hex,
        "created_at": meta.get("created_at") or context.now().isoformat(),
    }
    migrated = {name: table for name, table in data.items() if name != "events"}
    migrated["meta"] = {meta_id: new_meta}
    return migrated


MIGRATIONS: dict[int, Migration] = {1: _migrate_1_to_2}


class _StoreMigrationContext:
    def __init__(self, store: Store) -> None:
        self._store = store

    def now(self) -> datetime:
        return self._store._now_utc()

    def write_events(self, month: str, docs: list[dict[str, Any]]) -> None:
        self._store._write_partition(month, docs, expected=None, check_expected=False)


# --- The store -----------------------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_STAMP_FORMAT)


def _human_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class Store:
    """The data folder of one user: habits, settings and events, shared safely between processes.

    Call :meth:`open` once first and show the user the notices it returns. Then read inside
    ``with store.reading() as view`` and change inside ``with store.writing() as tx``; both hold the
    folder's lock and first reload what another process changed. Notices that come up later (a file
    damaged while the app ran) wait in :meth:`take_notices`.

    One instance may be used from several threads; the blocks of one thread may nest.
    """

    SCHEMA_VERSION: ClassVar[int] = 2

    def __init__(
        self,
        data_dir: Path,
        *,
        backup_count: int = 7,
        backup_interval: timedelta = timedelta(hours=24),
        lock_timeout: float = 10.0,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        if backup_count < 0:
            raise ValueError("backup_count must not be negative")
        self._dir = Path(data_dir)
        self._backup_count = backup_count
        self._backup_interval = backup_interval
        self._lock_timeout = lock_timeout
        self._now = now or (lambda: datetime.now(UTC))
        # One FileLock per store: it is re-entrant per instance (and thread), so nested blocks cannot
        # deadlock. The thread lock keeps two threads of this process out of the in-memory state.
        self._file_lock = FileLock(self._dir / LOCK_FILE, timeout=lock_timeout)
        self._thread_lock = threading.RLock()
        self._state: _State | None = None
        self._notices: list[str] = []

    @property
    def data_dir(self) -> Path:
        """The folder that holds the store."""
        return self._dir

    # --- Public API -----------------------------------------------------------------------------------

    def open(self) -> list[str]:
        """Create the folder and files if missing, migrate, recover damaged files; returns notices.

        The notices are sentences for the user about what was repaired. Calling it again only reloads.
        Raises :class:`NewerSchemaError` when a file comes from a newer TrayHabit (nothing is changed)
        and :class:`StoreError` when ``trayhabit.json`` is damaged and no good backup exists.
        """
        with self._thread_lock:
            with self._io_errors():
                self._ensure_dir(self._dir, parents=True)
            with self._locked(), self._io_errors():
                self._sync(opening=True)
            return self.take_notices()

    def take_notices(self) -> list[str]:
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
            try:
                yield
            finally:
                self._file_lock.release()

    def _io_error(self, error: OSError) -> StoreError:
        where_ = error.filename if error.filename is not None else self._dir
        return StoreError(
            _("TrayHabit could not read or write {path}: {reason}. Nothing was lost; try again.").format(
                path=where_, reason=error.strerror or error
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

    # --- Paths ----------------------------------------------------------------------------------------

    @property
    def _main_path(self) -> Path:
        return self._dir / MAIN_FILE

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
        except ValueError:
            return _Damage(path)
        assert storage.signature is not None
        return _MainFile(data, storage.signature, version)

    def _load_partition(self, month: str, path: Path) -> _PartitionFile | _Damage | None:
        storage = AtomicJSONStorage(path)
        try:
            data = storage.read()
            if data is None:
                return None
            events = _check_partition(path, month, data)
        except ValueError:
            return _Damage(path)
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
        known = state.partition_signatures if state is not None else {}
        on_disk = self._scan_partitions()
        horizon = _month_of_instant(self._now_utc() - HOT_SPAN)
        partitions: dict[str, _PartitionFile | _Damage | None] = {}
        cold: dict[str, Signature] = {}
        for month, (path, signature) in on_disk.items():
            if month in known:
                if known[month] != signature:
                    partitions[month] = self._load_partition(month, Path(path))
            elif month < horizon or (state is not None and month in state.cold):
                cold[month] = signature  # read when something asks for that far back
            else:
                partitions[month] = self._load_partition(month, Path(path))
        gone = {month for month in known if month not in on_disk}

        # 2. Repair: leftovers, damaged or missing files, older schemas.
        if opening:
            self._remove_temp_files()
        if main_missing:
            main = self._replace_missing_main(had_partitions=bool(on_disk))
        elif isinstance(main, _Damage):
            main = self._recover_main(main)
        for month, loaded in list(partitions.items()):
            if isinstance(loaded, _Damage):
                partitions[month] = self._recover_partition(month, loaded)
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
        elif main is not None:
            state.apply_main(main)
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
        for folder in (self._dir, self._events_dir, self._backups_dir):
            try:
                with os.scandir(folder) as entries:
                    leftovers = [Path(entry.path) for entry in entries if is_temp_name(entry.name)]
            except FileNotFoundError:
                continue
            for path in leftovers:
                path.unlink(missing_ok=True)

    # --- Recovery ------------------------------------------------------------------------------------

    def _backups(self, stem: str) -> list[_Backup]:
        """The rotating backups of the file with this stem, oldest first."""
        found: list[_Backup] = []
        try:
            with os.scandir(self._backups_dir) as entries:
                for entry in entries:
                    match = _BACKUP_FILE.match(entry.name)
                    if match is None or match.group("stem") != stem:
                        continue
                    try:
                        taken_at = datetime.strptime(match.group("stamp"), _STAMP_FORMAT).replace(tzinfo=UTC)
                    except ValueError:
                        continue  # digits that are no time (a month 13): not one of ours
                    found.append(_Backup(Path(entry.path), taken_at))
        except FileNotFoundError:
            return []
        found.sort(key=lambda backup: (backup.taken_at, backup.path.name))
        return found

    def _newest_good_backup(
        self, stem: str, check: Callable[[Path, dict[str, Any]], object]
    ) -> _Backup | None:
        for backup in reversed(self._backups(stem)):
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

    def _recover_main(self, damage: _Damage) -> _MainFile:
        path = damage.path
        backup = self._newest_good_backup(_MAIN_STEM, _check_main)
        if backup is None:
            # Left in place, not moved aside: with no trayhabit.json the next start would begin an empty
            # store over the user's data. As it is, every start stops here until the user acts.
            raise StoreError(
                _(
                    "{file} is damaged and there is no good backup of it, so TrayHabit cannot open it. "
                    "The file was left untouched: restore it from a copy of your own, or move it away "
                    "to start with an empty list of habits."
                ).format(file=path)
            )
        aside = self._move_aside(path)
        copy_atomic(backup.path, path)
        self._notices.append(
            _("{file} was damaged; it was moved to {aside} and the backup of {time} restored.").format(
                file=path.name, aside=aside, time=_human_time(backup.taken_at)
            )
        )
        return self._reload_main_after_repair(path)

    def _replace_missing_main(self, *, had_partitions: bool) -> _MainFile:
        path = self._main_path
        backup = self._newest_good_backup(_MAIN_STEM, _check_main)
        if backup is not None:
            copy_atomic(backup.path, path)
            self._notices.append(
                _("{file} was missing; the backup of {time} was restored.").format(
                    file=path, time=_human_time(backup.taken_at)
                )
            )
            return self._reload_main_after_repair(path)
        if had_partitions:
            self._notices.append(
                _(
                    "{file} was missing; a new one was started, and the check-ins in {folder} were kept."
                ).format(file=path, folder=self._events_dir)
            )
        now = self._now_utc()
        data: dict[str, dict[str, Any]] = {
            "meta": {
                "1": {
                    "schema_version": self.SCHEMA_VERSION,
                    "device_id": uuid.uuid4().hex,
                    "created_at": now.isoformat(),
                }
            },
            "habits": {},
            "settings": {"1": {}},
        }
        storage = AtomicJSONStorage(path)
        storage.write(data)
        assert storage.signature is not None
        return _MainFile(data, storage.signature, self.SCHEMA_VERSION)

    def _reload_main_after_repair(self, path: Path) -> _MainFile:
        main = self._load_main(path)
        if not isinstance(main, _MainFile):
            # The backup checked out a moment ago; failing now means the disk itself misbehaves.
            raise _DamagedError(_("{file} could not be restored; check the disk.").format(file=path))
        return main

    def _recover_partition(self, month: str, damage: _Damage) -> _PartitionFile | None:
        path = damage.path
        backup = self._newest_good_backup(
            f"events-{month}", lambda backup_path, data: _check_partition(backup_path, month, data)
        )
        aside = self._move_aside(path)
        if backup is None:
            self._notices.append(
                _(
                    "{file} was damaged and has no good backup; it was moved to {aside}, and the check-ins "
                    "of {month} start empty."
                ).format(file=path.name, aside=aside, month=month)
            )
            return None
        copy_atomic(backup.path, path)
        self._notices.append(
            _(
                "{file} was damaged; it was moved to {aside} and the backup of {time} restored. Check-ins "
                "of {month} recorded after that time are missing."
            ).format(file=path.name, aside=aside, time=_human_time(backup.taken_at), month=month)
        )
        loaded = self._load_partition(month, path)
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
            AtomicJSONStorage(self._main_path).write(data)
            version += 1

    # --- Writing --------------------------------------------------------------------------------------

    def _commit(self, transaction: StoreTransaction) -> None:
        state = transaction._state
        by_month: dict[str, list[dict[str, Any]]] = {}
        for doc in transaction._new_events:
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
        habits = transaction._changed_habits()
        settings = transaction._changed_settings()
        if habits or settings:
            state.apply_main(self._write_main(habits, settings, expected=state.main_signature))

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
        path = self._partition_path(month)
        self._ensure_dir(self._events_dir)
        db, storage = _open_db(path)
        with storage.deferred():
            try:
                data = storage.read()
                if data is not None and not check_expected:
                    _check_partition(path, month, data)
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
                storage.write({"meta": {"1": {"schema_version": self.SCHEMA_VERSION, "partition": month}}})
            else:
                self._back_up(path, f"events-{month}")
            db.table("events", cache_size=0).insert_multiple(added)
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
        self, habits: dict[str, dict[str, Any]], settings: dict[str, Any], *, expected: Signature
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
            self._back_up(path, _MAIN_STEM)
            table = db.table("habits", cache_size=0)
            for habit_id, doc in habits.items():
                if not table.update(_replacing_with(doc), where("id") == habit_id):
                    table.insert(doc)
            if settings:
                table = db.table("settings", cache_size=0)
                stored = table.all()
                if stored:
                    table.update(settings, doc_ids=[stored[0].doc_id])
                else:
                    table.insert(settings)
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

    # --- Backups --------------------------------------------------------------------------------------

    def _back_up(self, path: Path, stem: str) -> None:
        """Copy *path* (as it is, sound) into backups/ if its newest backup is too old; prune old ones."""
        if self._backup_count == 0:
            return
        now = self._now_utc()
        backups = self._backups(stem)
        newest = backups[-1].taken_at if backups else None
        # A newest backup "from the future" means the clock was set back: take a new one rather than none
        # until the clock catches up.
        if newest is not None and newest <= now and now - newest < self._backup_interval:
            return
        self._ensure_dir(self._backups_dir)
        target = self._backups_dir / f"{stem}.{_stamp(now)}.json"
        copy_atomic(path, target)
        backups = [backup for backup in backups if backup.path != target]
        backups.append(_Backup(target, now))
        for old in backups[: max(0, len(backups) - self._backup_count)]:
            old.path.unlink(missing_ok=True)


def _replacing_with(doc: dict[str, Any]) -> Callable[[MutableMapping[str, Any]], None]:
    def replace(stored: MutableMapping[str, Any]) -> None:
        stored.clear()
        stored.update(copy.deepcopy(doc))

    return replace
