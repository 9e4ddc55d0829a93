"""The store's state in memory: the main file's documents, the event index, and which months' files
are loaded (hot) or only known to be on disk (cold), with the signatures they were read with."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trayhabit.core.store.checks import only_doc, table_of
from trayhabit.core.store.files import MainFile
from trayhabit.core.store.index import EventIndex
from trayhabit.core.store.layout import JOURNAL_KEY, Signature
from trayhabit.core.store.month_habits import MonthHabits


@dataclass
class State:
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
    index: EventIndex = field(default_factory=EventIndex)
    # Reads one cold month into the index (set by the store, which knows how to repair a damaged one).
    loader: Callable[[str], None] | None = None
    # The folder the files are in.
    data_dir: Path = field(default_factory=Path)
    # Which habits each month's file holds (noted as months are read and let go), so that a walk of
    # one habit's history skips the cold months without its events (set by the store).
    month_habits: MonthHabits | None = None

    def warm(self, first_month: str | None = None) -> None:
        """Load the cold partitions from *first_month* on (all of them when None)."""
        for month in sorted(month for month in self.cold if first_month is None or month >= first_month):
            self.warm_month(month)

    def warm_month(self, month: str) -> None:
        """Load *month*'s partition if it is cold."""
        if month in self.cold and self.loader is not None:
            self.loader(month)

    def cool_month(self, month: str) -> None:
        """Let a loaded month's partition go again (it is read again when something asks for it)."""
        signature = self.partition_signatures.pop(month, None)
        if signature is not None:
            self.note_month(month, signature)
            self.cold[month] = signature
            self.index.drop_partition(month)

    def note_month(self, month: str, signature: Signature) -> None:
        """Note which habits loaded *month*'s file (as of *signature*) holds events of."""
        if self.month_habits is not None:
            self.month_habits.note(
                month, signature, {doc["habit_id"] for doc in self.index.partition_docs(month)}
            )

    def may_hold(self, month: str, habit_ids: Collection[str]) -> bool:
        """Whether cold *month* may hold events of any of *habit_ids* (see :class:`MonthHabits`)."""
        signature = self.cold.get(month)
        if signature is None or self.month_habits is None:
            return True
        return self.month_habits.may_hold(month, signature, habit_ids)

    def month_revisions(self) -> dict[str, str]:
        """Each month's revision, loaded or not (see :meth:`StoreView.month_revisions`).

        A month's revision is its file's modification time and size, and how many of the month's
        events wait in the journal. The journal only grows until it is folded into the months'
        files, which rewrites them, so its count per month is enough. Modification time and size,
        not the inode: a copied or synced folder keeps its revisions.
        """
        revisions = {
            month: f"{signature[1]:x}.{signature[2]:x}"
            for files in (self.partition_signatures, self.cold)
            for month, signature in files.items()
        }
        for month, count in self.index.months_in(JOURNAL_KEY).items():
            revisions[month] = f"{revisions.get(month, '')}+{count}"
        return revisions

    @classmethod
    def from_main(cls, main: MainFile) -> State:
        """The state of a store whose main file is *main* and whose events are not loaded yet."""
        state = cls(meta={}, habits={}, settings={}, main_signature=main.signature)
        state.apply_main(main)
        return state

    def apply_main(self, main: MainFile) -> None:
        """Take the meta, habits and settings of *main*, as loaded or written."""
        self.meta = dict(only_doc(main.data, "meta"))
        habits: dict[str, dict[str, Any]] = {}
        for doc in table_of(main.data, "habits").values():
            # Two documents with one id (a hand-edited file): the first one stands, as on every read.
            habits.setdefault(doc["id"], doc)
        self.habits = habits
        settings = table_of(main.data, "settings")
        self.settings = dict(next(iter(settings.values()))) if settings else {}
        self.main_signature = main.signature
