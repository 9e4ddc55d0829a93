"""What another process changed on disk, as the store found it when it reloaded the files.

The app watches the data folder, and the folder changes whenever anyone writes, the app itself
included. Every file the store writes is recorded with its signature, so its own writes are never
read back; what a reload does read back was written by someone else (the command line, a sync
engine, a restore). While reloading, the store notes which habits those files changed (their
documents, or their events) and which settings, so that the app redraws exactly that, and nothing
at all after its own writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DiskChanges:
    """The habits and settings other processes changed, gathered since they were last taken."""

    #: Habits whose documents changed (added, edited, state changed, deleted).
    defined: set[str] = field(default_factory=set)
    #: Habits whose events changed (recorded, or a file of them replaced or gone).
    recorded: set[str] = field(default_factory=set)
    #: Keys of the settings that changed.
    settings: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.defined or self.recorded or self.settings)

    def note_documents(
        self,
        before: Mapping[str, Mapping[str, Any]],
        after: Mapping[str, Mapping[str, Any]],
    ) -> None:
        """Note the habits whose documents differ between *before* and *after* (by id)."""
        self.defined.update(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))

    def note_settings(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
        """Note the settings whose values differ between *before* and *after*."""
        self.settings.update(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))

    def note_events(self, before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]]) -> None:
        """Note the habits of the events one file held *before* and not *after*, or the reverse."""
        old = {doc["id"]: doc["habit_id"] for doc in before}
        new = {doc["id"]: doc["habit_id"] for doc in after}
        self.recorded.update(habit for event, habit in new.items() if event not in old)
        self.recorded.update(habit for event, habit in old.items() if event not in new)
