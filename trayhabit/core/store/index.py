"""The event index: every loaded event, by file and by habit, each habit's events sorted on demand."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from trayhabit.core.store.codec import EventDoc, event_order, plain
from trayhabit.core.store.layout import month_of

_recorded_at: Callable[[EventDoc], str] = itemgetter("recorded_at")


class EventIndex:
    """Every loaded event, by file and by habit, with each habit's events sorted on demand.

    Files are keyed by month, and the journal by :data:`JOURNAL_KEY`. An event found in two files (a
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
            habit_months = self._by_habit[doc["habit_id"]]
            month_events = habit_months[month_of(doc)]
            del month_events[event_id]
            if not month_events:
                # Gone, not kept empty: a dict keeps the room it once had, and a walk through ten
                # years of months would leave a habit's every month behind (kilobytes each).
                del habit_months[month_of(doc)]
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
        if event_id in bucket:
            return  # the same id twice in one file (only a hand-edit does that): the first one stands
        # The count kept up to date rather than dropped: every commit asks it of the journal.
        months = self._months.get(key)
        if months is not None:
            month = month_of(doc)
            months[month] = months.get(month, 0) + 1
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
            insort(cached, doc, key=event_order)

    def _habit_month(self, doc: EventDoc) -> dict[str, EventDoc]:
        """The events of *doc*'s habit recorded in *doc*'s month."""
        return self._by_habit.setdefault(doc["habit_id"], {}).setdefault(month_of(doc), {})

    def _add_copy(self, key: str, bucket: dict[str, EventDoc], doc: EventDoc) -> None:
        """Note that file *key* holds an event already indexed from another file (or twice itself)."""
        event_id = doc["id"]
        if event_id in bucket or self._owner[event_id] == key:
            return  # the same id twice in one file (only a hand-edit does that): the first one stands
        bucket[event_id] = doc
        self._copies_in.setdefault(event_id, []).append(key)

    def partition_docs(self, key: str) -> list[EventDoc]:
        """The events file *key* holds, as they are kept (not to be changed)."""
        return list(self._by_partition.get(key, {}).values())

    def partition_size(self, key: str) -> int:
        """How many events file *key* holds."""
        return len(self._by_partition.get(key, {}))

    def partition_events(self, key: str) -> list[dict[str, Any]]:
        """The events file *key* holds, copies of events that stand elsewhere included: documents of
        their own, ready to be written."""
        return [plain(doc) for doc in self._by_partition.get(key, {}).values()]

    def months_in(self, key: str) -> dict[str, int]:
        """How many events file *key* holds for each month of their ``recorded_at``."""
        months = self._months.get(key)
        if months is None:
            months = self._months[key] = {}
            for doc in self._by_partition.get(key, {}).values():
                month = month_of(doc)
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
                (doc for docs in months for doc in docs.values()), key=event_order
            )
        return cached

    def habit_months(self, habit_id: str) -> list[str]:
        """The months of ``recorded_at`` in which the habit has loaded events."""
        return list(self._by_habit.get(habit_id, {}))

    def habit_month_events(self, habit_id: str, month: str) -> list[EventDoc]:
        """The habit's loaded events recorded in *month*, in (recorded_at, id) order; the index's own
        documents."""
        return sorted(self._by_habit.get(habit_id, {}).get(month, {}).values(), key=event_order)

    def month_events(self, month: str) -> list[EventDoc]:
        """Every habit's loaded events recorded in *month*, unsorted; the index's own documents."""
        return [doc for months in self._by_habit.values() for doc in months.get(month, {}).values()]

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
                key=event_order,
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
