"""The structure checks of the store's files, glue to :mod:`trayhabit.core.validate`: a file that
fails them is damaged (see :mod:`trayhabit.core.store.recovery`), never half-read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from trayhabit.core.i18n import N_, _
from trayhabit.core.limits import MAX_EVENTS, MAX_HABITS, MAX_TOKEN
from trayhabit.core.store.errors import InvalidError, NewerSchemaError
from trayhabit.core.store.layout import MONTH_PREFIX, SCHEMA_VERSION
from trayhabit.core.validate import DocumentError, check_event, check_habit, check_settings


def table_of(data: dict[str, Any], name: str, *, required: bool = False) -> dict[str, dict[str, Any]]:
    """The documents of table *name*; a table TinyDB never wrote to is absent from the file, so empty."""
    table = data.get(name)
    if table is None and not required:
        return {}
    if not isinstance(table, dict):
        raise InvalidError(f"table {name!r} is missing or not an object")
    for doc_id, doc in table.items():
        # TinyDB turns document ids back into ints: anything else would break it later.
        if not doc_id.isdecimal() or len(doc_id) > 18 or not isinstance(doc, dict):
            raise InvalidError(f"table {name!r} holds a malformed document")
    return table


def only_doc(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = table_of(data, name, required=True)
    if len(table) != 1:
        raise InvalidError(f"table {name!r} must hold exactly one document")
    return next(iter(table.values()))


def schema_version_of(path: Path, data: dict[str, Any]) -> int:
    """The file's schema version; refuses a newer one before looking at anything else in it."""
    version = only_doc(data, "meta").get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidError("schema_version is missing or not a positive integer")
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            _(
                "{file} was written by a newer TrayHabit (schema {found}; this version reads up to "
                "{supported}). Update TrayHabit; the file was left untouched."
            ).format(file=path, found=version, supported=SCHEMA_VERSION)
        )
    return version


def event_table(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The "events" table, each document checked for what the index needs: in one pass, as there may
    be years of events to check at every start."""
    table = data.get("events")
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise InvalidError("table 'events' is not an object")
    _check_documents(table, check_event, MAX_EVENTS, _EVENT_WORDS)
    for doc_id, doc in table.items():
        if not MONTH_PREFIX.match(doc["recorded_at"]):
            raise InvalidError(f"event {doc_id}: recorded_at does not start with its month")
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
        raise InvalidError(too_many, _(too_many).format(n=limit))
    for doc_id, doc in table.items():
        if not (doc_id.isdecimal() and len(doc_id) <= 18):
            raise InvalidError("a document id is not a number")
        try:
            check(doc)
        except DocumentError as error:
            raise InvalidError(
                f"{doc_id}: {error.reason}", _(one).format(n=doc_id, reason=error.reason)
            ) from None


def check_main(path: Path, data: dict[str, Any]) -> int:
    """Validate a parsed ``trayhabit.json`` of any known schema; returns its schema version."""
    version = schema_version_of(path, data)
    device_id = only_doc(data, "meta").get("device_id")
    if version >= 2 and not (isinstance(device_id, str) and 0 < len(device_id) <= MAX_TOKEN):
        raise InvalidError("meta has no device_id")
    _check_documents(table_of(data, "habits"), check_habit, MAX_HABITS, _HABIT_WORDS)
    settings = table_of(data, "settings")
    if len(settings) > 1:
        raise InvalidError("table 'settings' holds more than one document")
    for doc in settings.values():
        try:
            check_settings(doc)
        except DocumentError as error:
            raise InvalidError(f"settings: {error.reason}", error.reason) from None
    if version == 1:
        event_table(data)
    return version


def _check_tables(data: dict[str, Any], *, events_required: bool) -> None:
    """An events file holds "meta" and "events" only; a month's file always has its events (the
    journal has none once folded). Anything else means a damaged key, not an empty month."""
    if not data.keys() <= {"meta", "events"}:
        raise InvalidError("an events file holds a table other than meta and events")
    if events_required and "events" not in data:
        raise InvalidError("an events file lacks its events table")


def check_partition(path: Path, month: str, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validate a parsed events partition for *month* ("YYYY-MM"); returns its events table."""
    # Partitions appeared with schema 2 and have not changed since: an older number in one is damage,
    # not something to migrate.
    if schema_version_of(path, data) < 2:
        raise InvalidError("an events file must have schema_version 2 or later")
    if only_doc(data, "meta").get("partition") != month:
        raise InvalidError("the events file's partition does not match its name")
    _check_tables(data, events_required=True)
    return event_table(data)


def check_journal(path: Path, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validate a parsed ``journal.json``; returns its events table."""
    if schema_version_of(path, data) < 3:
        raise InvalidError("the journal must have schema_version 3 or later")
    if only_doc(data, "meta").get("journal") is not True:
        raise InvalidError("the journal's meta does not say it is the journal")
    _check_tables(data, events_required=False)
    return event_table(data)


def check_new_event(doc: dict[str, Any]) -> None:
    """Refuse an event a transaction is given that could not be stored as it is."""
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
