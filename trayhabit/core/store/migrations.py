"""Migrations: the steps that bring a data folder of an older schema to the current one.

A step is a function from schema n to n + 1 in :data:`MIGRATIONS`; the store runs them in order at
open, after copying the main file aside, and writes the main file once per step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from trayhabit.core.ids import new_hex_id
from trayhabit.core.store.checks import event_table, table_of
from trayhabit.core.store.layout import month_of


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
    for doc in event_table(data).values():
        by_month.setdefault(month_of(doc), []).append(doc)
    # Partitions first: if a kill stops us here, the main file still holds every event and the next open
    # runs this step again; partitions skip the ids they already have.
    for month in sorted(by_month):
        context.write_events(month, by_month[month])
    meta_table = table_of(data, "meta")
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
    meta_table = table_of(data, "meta")
    meta_id, meta = next(iter(meta_table.items()))
    return {**data, "meta": {meta_id: {**meta, "schema_version": 3}}}


MIGRATIONS: dict[int, Migration] = {1: _migrate_1_to_2, 2: _migrate_2_to_3}


class CallbackContext:
    """A :class:`MigrationContext` made of the store's clock and its writer of months' files."""

    def __init__(
        self, now: Callable[[], datetime], write_events: Callable[[str, list[dict[str, Any]]], object]
    ) -> None:
        self._now = now
        self._write_events = write_events

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        return self._now()

    def write_events(self, month: str, docs: list[dict[str, Any]]) -> None:
        """Durably add *docs* to the events file of *month*, skipping ids it already holds."""
        self._write_events(month, docs)
