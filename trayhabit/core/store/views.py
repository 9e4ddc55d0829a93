"""Views and transactions: what callers read and change inside ``store.reading()`` and
``store.writing()``; every method returns copies, and a transaction's changes wait for its end."""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from trayhabit.core import jsontext
from trayhabit.core.digest import stable_digest
from trayhabit.core.i18n import _
from trayhabit.core.ids import new_hex_id
from trayhabit.core.store.checks import check_new_event
from trayhabit.core.store.codec import EventDoc, copies, event_order, normalised
from trayhabit.core.store.layout import JOURNAL_KEY, month_of, partition_meta, partition_path
from trayhabit.core.store.state import State
from trayhabit.core.validate import check_habit, check_settings


class StoreView:
    """A read-only look at the store while its lock is held; every method returns copies.

    Valid only inside the ``with store.reading()`` (or ``writing()``) block that produced it.
    """

    def __init__(self, state: State) -> None:
        self._state = state
        self._open = True
        # history_digest's answers: the months' revisions cannot change while the view is open.
        self._digests: dict[str, str] = {}

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
        return copies(self._habit_docs())

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
        return sorted(index.all_events(), key=event_order)

    def events(self, habit_id: str | None = None) -> list[dict[str, Any]]:
        """The events of one habit, or of all, sorted by (recorded_at, id)."""
        self._check_open()
        self._state.warm()
        return copies(self._event_docs(habit_id))

    def events_since(self, habit_id: str, recorded_at: str) -> tuple[int, list[dict[str, Any]]]:
        """The habit's events recorded from *recorded_at* (ISO text in UTC) on, sorted, and how many
        of its events in that month came before: what resuming from a checkpoint reads. Older
        months stay unread (see :meth:`month_revisions`)."""
        self._check_open()
        self._state.warm(recorded_at[:7])
        before, docs = self._recent_event_docs(habit_id, recorded_at)
        return before, copies(docs)

    def _recent_event_docs(self, habit_id: str, recorded_at: str) -> tuple[int, Sequence[EventDoc]]:
        return self._state.index.events_since(habit_id, recorded_at)

    def habit_months(self, habit_id: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """The habit's events month by month ("YYYY-MM" of ``recorded_at``, oldest first), each
        month's sorted: for walking a whole history without holding it. A month not in memory (cold)
        is read for its turn and let go again before the next, so this holds one month of the
        store's events at a time, where :meth:`events` would read every month at once. Months in
        which the habit has nothing may be left out. Use it inside the view's block only."""
        for month, by_habit in self.habits_months([habit_id]):
            yield month, by_habit[habit_id]

    def habits_months(
        self, habit_ids: Collection[str]
    ) -> Iterator[tuple[str, dict[str, list[dict[str, Any]]]]]:
        """As :meth:`habit_months` for several habits in one walk: each month once, with the events
        of each of *habit_ids* in it (an empty list for one that has none)."""
        for month in self.walk_months(habit_ids):
            found = self.habits_month(habit_ids, month)
            if any(found.values()):
                yield month, found

    def walk_months(self, habit_ids: Collection[str]) -> list[str]:
        """The months a walk of the histories of *habit_ids* reads, oldest first: those known to
        hold their events and the cold ones not known to hold none (see
        :class:`~trayhabit.core.store.month_habits.MonthHabits`)."""
        self._check_open()
        state = self._state
        months = {month for month in state.cold if state.may_hold(month, habit_ids)}
        for habit_id in habit_ids:
            months.update(state.index.habit_months(habit_id))
        months.update(self._pending_months(habit_ids))
        return sorted(months)

    def is_cold(self, month: str) -> bool:
        """Whether *month*'s file is only listed, not in memory (reading it costs a file read)."""
        self._check_open()
        return month in self._state.cold

    def habits_month(self, habit_ids: Collection[str], month: str) -> dict[str, list[dict[str, Any]]]:
        """The events of each of *habit_ids* recorded in *month*, sorted (an empty list for one
        that has none there); a cold month is read for this and let go again."""
        with self._month_in_memory(month):
            return {habit_id: copies(self._habit_month_docs(habit_id, month)) for habit_id in habit_ids}

    @contextmanager
    def _month_in_memory(self, month: str) -> Iterator[None]:
        """Hold *month*'s events in memory for the block: a cold month is read for it and let go
        again after, so that walking the months one at a time holds one of them at a time."""
        self._check_open()
        state = self._state
        was_cold = month in state.cold
        if was_cold:
            state.warm_month(month)
        try:
            yield
        finally:
            if was_cold:
                state.cool_month(month)

    def _pending_months(self, habit_ids: Collection[str] | None) -> set[str]:
        """Months of the habits' (every habit's when None) events not stored yet (a transaction's)."""
        return set()

    def _habit_month_docs(self, habit_id: str, month: str) -> Sequence[EventDoc]:
        return self._state.index.habit_month_events(habit_id, month)

    def event_months(self) -> list[str]:
        """The months ("YYYY-MM" of ``recorded_at`` in UTC) that hold stored events, oldest first;
        none of them is read to tell. With :meth:`month_events`, a whole history is walked in short
        steps: each month in a ``store.reading()`` block of its own, so that other threads and
        processes read and write in between (an export does this). Events are append-only, so such
        a walk gives at least every event stored before it began."""
        self._check_open()
        state = self._state
        months = {*state.partition_signatures, *state.cold, *state.index.months_in(JOURNAL_KEY)}
        months.update(self._pending_months(None))
        return sorted(months)

    def month_events(self, month: str) -> list[dict[str, Any]]:
        """Every habit's events recorded in *month* (see :meth:`event_months`), sorted by
        (recorded_at, id). A month not in memory (cold) is read for the call and let go again, so
        walking the months this way holds one of them at a time."""
        with self._month_in_memory(month):
            return copies(sorted(self._month_docs(month), key=event_order))

    def _month_docs(self, month: str) -> list[EventDoc]:
        return self._state.index.month_events(month)

    def month_revisions(self) -> dict[str, str]:
        """Each month's revision ("YYYY-MM" of ``recorded_at`` in UTC -> an opaque text): it changes
        whenever an event of that month is stored (or its file is rewritten: an import, a restored
        backup), and not when another month changes. Cheap: no month is read to tell it. The
        revisions outlive the process (they come from the files), so they may be kept on disk."""
        self._check_open()
        return self._state.month_revisions()

    def history_digest(self, before_month: str) -> str:
        """A digest of the revisions of the months before *before_month* ("YYYY-MM"): it changes
        whenever an event of one of them is stored (an import, a restored backup), without reading
        them. Worked out once per view (fifty habits' scores ask for it fifty times)."""
        digest = self._digests.get(before_month)
        if digest is None:
            revisions = sorted(item for item in self.month_revisions().items() if item[0] < before_month)
            # Change detection of the user's own files, not a defence against forgery: see core/digest.py.
            digest = self._digests[before_month] = stable_digest(repr(revisions).encode())
        return digest

    def month_file_bytes(self, month: str) -> bytes:
        """The stored events of *month*, as an events file of the store's own format ("meta" naming
        the month, then "events"): what another computer reads of this one's (see
        :mod:`trayhabit.core.sync`)."""
        self._check_open()
        state = self._state
        waiting: list[dict[str, Any]] = []
        if month in state.index.months_in(JOURNAL_KEY):
            waiting = [doc for doc in state.index.partition_events(JOURNAL_KEY) if month_of(doc) == month]
        if not waiting and (month in state.partition_signatures or month in state.cold):
            # The month's file holds them all: its bytes as they are, without reading it as events.
            return partition_path(state.data_dir, month).read_bytes()
        state.warm_month(month)
        events = {doc["id"]: doc for doc in [*state.index.partition_events(month), *waiting]}
        table = {str(number): doc for number, doc in enumerate(events.values(), 1)}
        return jsontext.dumps({"meta": {"1": partition_meta(month)}, "events": table})

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

    def __init__(self, state: State) -> None:
        super().__init__(state)
        self._new_habits: dict[str, dict[str, Any]] = {}
        self._new_events: list[dict[str, Any]] = []
        self._new_event_ids: set[str] = set()
        self._new_settings: dict[str, Any] = {}
        self._new_device_id: str | None = None

    def put_habit(self, doc: dict[str, Any]) -> None:
        """Store *doc* as the habit with ``doc["id"]``, replacing the whole document if it exists."""
        self._check_open()
        stored = normalised(doc)
        habit_id = stored.get("id")
        if not isinstance(habit_id, str) or not habit_id:
            raise ValueError(_("A habit needs a non-empty text id."))
        # A document that would not pass at the next load would make the whole file count as damaged.
        check_habit(stored)
        self._new_habits[habit_id] = stored

    def add_event(self, doc: dict[str, Any]) -> bool:
        """Append an event; returns ``False``, changing nothing, when its id is already stored."""
        self._check_open()
        stored = normalised(doc)
        check_new_event(stored)
        event_id = stored["id"]
        # An id is stored at most once, in the month of its recorded_at: only that month need be read.
        self._state.warm_month(month_of(stored))
        if event_id in self._state.index or event_id in self._new_event_ids:
            return False
        self._new_events.append(stored)
        self._new_event_ids.add(event_id)
        return True

    def set_settings(self, values: dict[str, Any]) -> None:
        """Merge *values* into the stored settings, key by key."""
        self._check_open()
        stored = normalised(values)
        check_settings(stored)
        self._new_settings.update(stored)

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
        return sorted([*stored, *new], key=event_order)

    def _recent_event_docs(self, habit_id: str, recorded_at: str) -> tuple[int, Sequence[EventDoc]]:
        before, stored = super()._recent_event_docs(habit_id, recorded_at)
        new = [doc for doc in self._new_events if doc["habit_id"] == habit_id]
        if not new:
            return before, stored
        month = recorded_at[:7]
        before += sum(1 for doc in new if month <= doc["recorded_at"] < recorded_at)
        since = [doc for doc in new if doc["recorded_at"] >= recorded_at]
        return before, sorted([*stored, *since], key=event_order)

    def _pending_months(self, habit_ids: Collection[str] | None) -> set[str]:
        return {
            month_of(doc) for doc in self._new_events if habit_ids is None or doc["habit_id"] in habit_ids
        }

    def _month_docs(self, month: str) -> list[EventDoc]:
        return [*super()._month_docs(month), *(doc for doc in self._new_events if month_of(doc) == month)]

    def _habit_month_docs(self, habit_id: str, month: str) -> Sequence[EventDoc]:
        stored = super()._habit_month_docs(habit_id, month)
        new = [doc for doc in self._new_events if doc["habit_id"] == habit_id and month_of(doc) == month]
        return sorted([*stored, *new], key=event_order) if new else stored

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
