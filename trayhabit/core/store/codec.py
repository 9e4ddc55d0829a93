"""How the store's files and events are held: the TinyDB storage that writes a file atomically, the
compact in-memory event, the parser that shares repeated values, and copies handed out to callers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from trayhabit.core import jsontext
from trayhabit.core.atomic import write_atomic
from trayhabit.core.i18n import _
from trayhabit.core.limits import MAX_STORE_FILE, too_large
from trayhabit.core.model import EVENT_FIELDS
from trayhabit.core.store.errors import InvalidError
from trayhabit.core.store.layout import Signature, signature_of


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
                self.signature = signature_of(stat)
                if len(raw) > MAX_STORE_FILE:
                    raise InvalidError("too large", str(too_large(self.path.name, MAX_STORE_FILE)))
                parsed = self._parse(raw)  # raises ValueError when the bytes are not JSON
                if not isinstance(parsed, dict):
                    raise InvalidError("the file is not a JSON object")
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
        self.signature = signature_of(write_atomic(self.path, self.written))


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
    TrayHabit's, a hand-edit) stays a dict. Views hand out plain dict copies (see :func:`plain`).
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
        return f"StoredEvent({plain(self)!r})"


# An event document as the index holds it: a StoredEvent, or a dict when it has other fields.
EventDoc = Mapping[str, Any]
_stored_values: Callable[[StoredEvent], tuple[Any, ...]] = attrgetter(*_EVENT_FIELDS)


def plain(doc: EventDoc) -> dict[str, Any]:
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


def open_db(path: Path) -> tuple[TinyDB, AtomicJSONStorage]:
    # A fresh TinyDB per commit, never a long-lived one: a Table caches the next document id and query
    # results, and both go stale as soon as another process writes the file. A stale next id would make
    # TinyDB overwrite a document another process inserted.
    db = TinyDB(path, storage=AtomicJSONStorage)
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    return db, storage


def normalised(doc: dict[str, Any]) -> dict[str, Any]:
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


def copies(docs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Copies of *docs* (dicts of their own) that share nothing mutable with them."""
    if _is_flat(docs):
        # A habit's years of events: ten times cheaper than a deep copy.
        return [plain(doc) for doc in docs]
    # Stored documents hold only JSON types, so a JSON round trip is an exact deep copy.
    result: list[dict[str, Any]] = jsontext.loads(jsontext.dumps([plain(doc) for doc in docs]))
    return result


# The order of a habit's events: (recorded_at, id). itemgetter, in C, sorts years of them 3x faster.
event_order: Callable[[EventDoc], tuple[str, str]] = itemgetter("recorded_at", "id")
