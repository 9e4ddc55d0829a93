"""Writing: a transaction's changes into the files, events first and the main file last, each file
replaced whole by one atomic write, with its backups kept (see :mod:`trayhabit.core.backups`).

Events of the current month go to the small journal; the commit that would overflow it, and the first
one of a new month, fold it into the months' files; events of earlier months (an import) go straight
to their months' files. Under the lock a file changes only through the store: one that changed
anyway (a program writing without the lock) is not overwritten.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, MutableMapping
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import where

from trayhabit.core import jsontext
from trayhabit.core.atomic import fsync_dir, write_atomic
from trayhabit.core.backups import Backups
from trayhabit.core.i18n import _
from trayhabit.core.store.checks import check_journal, check_main, check_partition
from trayhabit.core.store.codec import open_db
from trayhabit.core.store.errors import DamagedError
from trayhabit.core.store.files import EventsCheck, MainFile
from trayhabit.core.store.journal_tail import EVENTS_TABLE, JournalTail
from trayhabit.core.store.layout import (
    EVENTS_DIR,
    JOURNAL_FILE,
    JOURNAL_KEY,
    JOURNAL_STEM,
    MAIN_FILE,
    MAIN_STEM,
    SCHEMA_VERSION,
    Signature,
    journal_meta,
    month_of,
    month_of_instant,
    partition_meta,
    partition_path,
    signature_of,
    stat_signature,
)
from trayhabit.core.store.views import StoreTransaction


def ensure_dir(folder: Path, *, parents: bool = False) -> None:
    """Create *folder* unless it exists, durably."""
    try:
        # Another process may create it at the same moment (two starts before either holds the lock).
        folder.mkdir(parents=parents)
    except FileExistsError:
        if not folder.is_dir():
            raise
    else:
        fsync_dir(folder.parent)  # the new folder's entry must survive a power cut like its files


class Writer:
    """Writes transactions into the data folder *data_dir*, keeping *backups* of what it replaces."""

    def __init__(self, data_dir: Path, backups: Backups, journal_limit: int) -> None:
        self._dir = data_dir
        self._backups = backups
        self._journal_limit = journal_limit
        # The journal as last written here, while it is the file on disk (see journal_tail).
        self._journal_tail: JournalTail | None = None

    def commit(self, transaction: StoreTransaction, now: datetime) -> None:
        """Write *transaction*'s changes, made at *now*, and bring its state in line with the files."""
        state = transaction._state
        current = month_of_instant(now)
        in_journal = state.index.partition_size(JOURNAL_KEY)
        # Events of this month go to the journal, older ones (an import, say) to their months' files.
        # The journal is folded into the months' files by the commit that would overflow it and by the
        # first one of a new month, so it only ever holds this month's events: folding it then writes
        # no month before this one, which keeps the checkpoints of old history valid (see
        # month_revisions).
        recent = [doc for doc in transaction._new_events if month_of(doc) >= current]
        older = [doc for doc in transaction._new_events if month_of(doc) < current]
        folding = in_journal + len(recent) > self._journal_limit or (
            in_journal > 0 and min(state.index.months_in(JOURNAL_KEY)) < current
        )
        # The journal's events are copied out only to be folded: a check-off needs just their count.
        journal = state.index.partition_events(JOURNAL_KEY) if folding else []
        by_month: dict[str, list[dict[str, Any]]] = {}
        for doc in [*older, *journal, *recent] if folding else older:
            by_month.setdefault(month_of(doc), []).append(doc)
        # Events first, the main file last; the in-memory state follows each file as it is written, so it
        # matches the disk even if a later file fails.
        for month in sorted(by_month):
            state.warm_month(month)  # a month is written whole, so it must be read first
            signature, added = self.write_partition(
                month, by_month[month], expected=state.partition_signatures.get(month)
            )
            state.partition_signatures[month] = signature
            for doc in added:
                state.index.add(month, doc)
        if folding and journal:
            # Every event of the journal is in its month's file now: a kill before this line leaves them
            # in both, which reads as one event each, and the next fold finishes the work.
            state.journal_signature = self._clear_journal(expected=state.journal_signature)
            state.index.replace_partition(JOURNAL_KEY, [])
        elif recent and not folding:
            state.journal_signature = self._write_journal(recent, expected=state.journal_signature)
            for doc in recent:
                state.index.add(JOURNAL_KEY, doc)
        habits = transaction._changed_habits()
        settings = transaction._changed_settings()
        device_id = transaction._new_device_id
        if habits or settings or device_id:
            state.apply_main(
                self._write_main(habits, settings, device_id=device_id, expected=state.main_signature)
            )

    def write_partition(
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
        ensure_dir(self._dir / EVENTS_DIR)
        return self._add_events(
            partition_path(self._dir, month),
            f"events-{month}",
            partition_meta(month),
            lambda path, data: check_partition(path, month, data),
            docs,
            expected=expected,
            check_expected=check_expected,
        )

    def _write_journal(self, docs: list[dict[str, Any]], *, expected: Signature | None) -> Signature:
        """Add *docs* to the journal; returns its signature."""
        path = self._dir / JOURNAL_FILE
        tail, self._journal_tail = self._journal_tail, None
        if tail is not None and expected == tail.signature and stat_signature(path) == tail.signature:
            # No id to check against the file: a transaction admits only events the store lacks
            # (StoreTransaction.add_event), and while the file is the one written here, the store's
            # journal is that file.
            self._backups.keep_daily(path, JOURNAL_STEM)
            data = tail.with_events(docs)
            signature = signature_of(write_atomic(path, data))
            self._backups.keep_generation(JOURNAL_STEM, data)
            self._journal_tail = tail.after(docs, data, signature)
            return signature
        signature, _added = self._add_events(
            path, JOURNAL_STEM, journal_meta(), check_journal, docs, expected=expected, journal=True
        )
        return signature

    def _clear_journal(self, *, expected: Signature | None) -> Signature:
        """Empty the journal (its events are in the months' files); returns its signature."""
        path = self._dir / JOURNAL_FILE
        self._journal_tail = None
        self._check_unchanged(path, stat_signature(path), expected, True)
        self._backups.keep_daily(path, JOURNAL_STEM)
        data = jsontext.dumps({"meta": {"1": journal_meta()}})
        signature = signature_of(write_atomic(path, data))
        self._backups.keep_generation(JOURNAL_STEM, data)
        return signature

    def _add_events(
        self,
        path: Path,
        stem: str,
        meta: dict[str, Any],
        check: EventsCheck,
        docs: list[dict[str, Any]],
        *,
        expected: Signature | None,
        check_expected: bool = True,
        journal: bool = False,
    ) -> tuple[Signature, list[dict[str, Any]]]:
        """Add the events of *docs* whose ids the events file at *path* lacks (creating it with *meta*);
        returns its signature and the events added. *stem* names its backups, *check* validates it;
        for the *journal*, the bytes written are kept for the next commit to add to."""
        db, storage = open_db(path)
        with storage.deferred():
            try:
                data = storage.read()
                if data is not None and not check_expected:
                    check(path, data)
            except ValueError as error:
                raise DamagedError(
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
            db.table(EVENTS_TABLE, cache_size=0).insert_multiple(added)
        # The file as written, again among the backups: a check-off acknowledged now survives damage
        # to the file later (see trayhabit.core.backups).
        self._backups.keep_generation(stem, storage.written)
        assert storage.signature is not None
        if journal:
            written = storage.read()
            assert written is not None
            self._journal_tail = JournalTail.of(written, storage.written, storage.signature)
        return storage.signature, added

    def _write_main(
        self,
        habits: dict[str, dict[str, Any]],
        settings: dict[str, Any],
        *,
        device_id: str | None = None,
        expected: Signature,
    ) -> MainFile:
        path = self._dir / MAIN_FILE
        db, storage = open_db(path)
        with storage.deferred():
            try:
                data = storage.read()
                version = check_main(path, data) if data is not None else 0
            except ValueError as error:
                raise DamagedError(
                    _("{file} turned out damaged while saving; nothing more was written.").format(file=path)
                ) from error
            self._check_unchanged(path, storage.signature, expected, True)
            if version != SCHEMA_VERSION:
                raise DamagedError(
                    _("{file} changed unexpectedly while saving; try again.").format(file=path)
                )
            self._backups.keep_daily(path, MAIN_STEM)
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
        self._backups.keep_generation(MAIN_STEM, storage.written)
        data = storage.read()
        assert data is not None and storage.signature is not None
        return MainFile(data, storage.signature, SCHEMA_VERSION)

    def _check_unchanged(
        self, path: Path, found: Signature | None, expected: Signature | None, check: bool
    ) -> None:
        # Under the lock a file changes only through this store; a difference means a program wrote it
        # without the lock, and writing now could lose what it wrote.
        if check and found != expected:
            raise DamagedError(
                _("{file} was changed by another program while TrayHabit was saving; try again.").format(
                    file=path
                )
            )


def _replacing_with(doc: dict[str, Any]) -> Callable[[MutableMapping[str, Any]], None]:
    def replace(stored: MutableMapping[str, Any]) -> None:
        stored.clear()
        stored.update(copy.deepcopy(doc))

    return replace
