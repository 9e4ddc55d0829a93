"""The :class:`Store`: one data folder, opened once, then read and written under its lock.

It ties the package's parts together: at every read or write it syncs the in-memory state with the
files (:mod:`~trayhabit.core.store.loader`), repairs what it finds damaged
(:mod:`~trayhabit.core.store.recovery`), migrates an older schema
(:mod:`~trayhabit.core.store.migrations`) and writes a transaction's changes
(:mod:`~trayhabit.core.store.writer`).
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar, Literal

from trayhabit.core.atomic import copy_atomic, is_temp_name
from trayhabit.core.backups import Backups
from trayhabit.core.backups import stamp as _stamp
from trayhabit.core.clock import Clock, SystemClock
from trayhabit.core.i18n import _
from trayhabit.core.locking import FileLock, LockTimeoutError
from trayhabit.core.private import make_private_dir
from trayhabit.core.repairs import Repair
from trayhabit.core.store.checks import check_journal, schema_version_of
from trayhabit.core.store.codec import AtomicJSONStorage
from trayhabit.core.store.disk_changes import DiskChanges
from trayhabit.core.store.errors import StoreError, StoreLockedError
from trayhabit.core.store.files import Damage, MainFile, PartitionFile, load_events, load_main, load_partition
from trayhabit.core.store.layout import (
    BACKUPS_DIR,
    CACHE_DIR,
    HOT_SPAN,
    JOURNAL_FILE,
    JOURNAL_KEY,
    JOURNAL_LIMIT,
    LOCK_FILE,
    MAIN_FILE,
    MAIN_STEM,
    SCHEMA_VERSION,
    Signature,
    month_of_instant,
    partition_path,
    stat_signature,
)
from trayhabit.core.store.loader import Loaded, MonthLoader, evict_old_months
from trayhabit.core.store.migrations import MIGRATIONS, CallbackContext
from trayhabit.core.store.month_habits import FILE_NAME as MONTH_HABITS_FILE
from trayhabit.core.store.month_habits import MonthHabits
from trayhabit.core.store.recovery import Recovery
from trayhabit.core.store.state import State
from trayhabit.core.store.views import StoreTransaction, StoreView
from trayhabit.core.store.writer import Writer, ensure_dir


class Store:
    """The data folder of one user: habits, settings and events, shared safely between processes.

    Call :meth:`open` once first and show the user the notices it returns. Then read inside
    ``with store.reading() as view`` and change inside ``with store.writing() as tx``; both hold the
    folder's lock and first reload what another process changed. Notices that come up later (a file
    damaged while the app ran) wait in :meth:`take_notices`.

    One instance may be used from several threads; the blocks of one thread may nest.
    """

    SCHEMA_VERSION: ClassVar[int] = SCHEMA_VERSION

    def __init__(
        self,
        data_dir: Path,
        *,
        backup_count: int = 7,
        backup_interval: timedelta = timedelta(hours=24),
        lock_timeout: float = 10.0,
        journal_limit: int = JOURNAL_LIMIT,
        clock: Clock | None = None,
    ) -> None:
        """*clock* is the one the service that uses the store has (the system's when None): the store
        reads the time only from it."""
        if backup_count < 0:
            raise ValueError("backup_count must not be negative")
        if journal_limit < 0:
            raise ValueError("journal_limit must not be negative")
        self._dir = Path(data_dir)
        # The store needs UTC only: the system clock's zone need not be looked up.
        self._clock: Clock = clock if clock is not None else SystemClock(UTC)
        self._backups = Backups(
            self._dir / BACKUPS_DIR, count=backup_count, interval=backup_interval, now=self._now_utc
        )
        self._lock_timeout = lock_timeout
        # One FileLock per store: it is re-entrant per instance (and thread), so nested blocks cannot
        # deadlock. The thread lock keeps two threads of this process out of the in-memory state.
        self._file_lock = FileLock(
            self._dir / LOCK_FILE, timeout=lock_timeout, monotonic=self._clock.monotonic
        )
        self._thread_lock = threading.RLock()
        self._state: State | None = None
        self._loader = MonthLoader(self._dir, self._clock.wall_ns)
        self._recovery = Recovery(self._dir, self._backups, self._now_utc)
        self._writer = Writer(self._dir, self._backups, journal_limit)
        self._lock_depth = 0  # how many _locked() blocks of this store are open (they nest)
        self._disk_changes = DiskChanges()
        self._month_habits = MonthHabits(self._dir / CACHE_DIR / MONTH_HABITS_FILE)

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
                ensure_dir(self._dir, parents=True)
            with self._locked(), self._io_errors():
                self._sync(opening=True)
            return self.take_notices()

    def take_notices(self) -> list[Repair]:
        """The notices gathered since the last call (or since :meth:`open`), oldest first."""
        with self._thread_lock:
            recovery = self._recovery
            notices, recovery.notices = recovery.notices, []
            return notices

    def take_disk_changes(self) -> DiskChanges:
        """What other processes changed in the files since the last call: the files are reloaded
        first. Empty when only this store wrote (its own writes are not read back)."""
        with self.reading():
            changes, self._disk_changes = self._disk_changes, DiskChanges()
        return changes

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
                self._writer.commit(transaction, self._now_utc())

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
                if not self._lock_depth and self._state is not None:
                    # Let the months read on demand go again (see evict_old_months).
                    evict_old_months(self._state, self._hot_horizon())
                    self._month_habits.save()
                self._file_lock.release()

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

    def _refreshed(self) -> State:
        if self._state is None:
            raise RuntimeError("Store.open() must be called before reading or writing")
        with self._io_errors():
            self._sync(opening=False)
        assert self._state is not None
        return self._state

    def _now_utc(self) -> datetime:
        return self._clock.now().astimezone(UTC)

    def _hot_horizon(self) -> str:
        """The first month whose events are read at start-up (see :data:`HOT_SPAN`)."""
        return month_of_instant(self._now_utc() - HOT_SPAN)

    # --- Syncing with the files ------------------------------------------------------------------------

    def _sync(self, *, opening: bool) -> None:
        """Bring the in-memory state in line with the files; called with the lock held."""
        state = self._state
        # 1. Read what changed, touching nothing: a newer schema anywhere must leave every file as it is.
        main: MainFile | Damage | None
        main_path = self._dir / MAIN_FILE
        main_signature = stat_signature(main_path)
        if state is not None and main_signature is not None and main_signature == state.main_signature:
            main = None
            main_missing = False
        else:
            main = load_main(main_path)
            main_missing = main is None
        journal_path = self._dir / JOURNAL_FILE
        journal: PartitionFile | Damage | None = None
        journal_changed = state is None or stat_signature(journal_path) != state.journal_signature
        if journal_changed:
            journal = load_events(journal_path, check_journal)
        partitions, cold, gone = self._loader.read(state, self._hot_horizon(), opening=opening)

        # 2. Repair: leftovers, damaged or missing files, older schemas.
        recovery = self._recovery
        if opening:
            recovery.remove_temp_files()
        if main_missing:
            loaded_before = state is not None and bool(state.partition_signatures)
            main = recovery.replace_missing_main(had_partitions=bool(partitions or cold) or loaded_before)
        elif isinstance(main, Damage):
            main = recovery.recover_main(main)
        for month, loaded in list(partitions.items()):
            if isinstance(loaded, Damage):
                partitions[month] = recovery.recover_partition(month, loaded)
        if isinstance(journal, Damage):
            journal = recovery.recover_journal(journal)
        if main is not None and main.version < SCHEMA_VERSION:
            self._migrate(main)
            # The migration rewrote files: load them as written (the signatures recorded so far are old).
            self._sync(opening=False)
            return

        if not journal_changed:
            self._apply(main, False, partitions, cold, gone)
        else:
            self._apply(main, journal if isinstance(journal, PartitionFile) else None, partitions, cold, gone)

    def _apply(
        self,
        main: MainFile | None,
        journal: PartitionFile | Literal[False] | None,
        partitions: dict[str, Loaded],
        cold: dict[str, Signature],
        gone: set[str],
    ) -> None:
        """Step 3 of :meth:`_sync`: take in what was read (*journal* False: the journal is unchanged).

        What it reads back was written by another process (this one's writes are not read back):
        the habits and settings that differ are noted in :attr:`_disk_changes`.
        """
        state = self._state
        # At opening everything is new, and nobody needs telling: nothing is noted.
        changes = self._disk_changes if state is not None else DiskChanges()
        if state is None:
            assert main is not None
            state = self._state = State.from_main(main)
            state.loader = self._load_cold
            state.data_dir = self._dir
            state.month_habits = self._month_habits
        elif main is not None:
            habits, settings = state.habits, state.settings
            state.apply_main(main)
            changes.note_documents(habits, state.habits)
            changes.note_settings(settings, state.settings)
        index = state.index
        noting = changes is self._disk_changes
        if journal is not False:
            events = journal.events if journal else []
            if noting:
                changes.note_events(index.partition_docs(JOURNAL_KEY), events)
            index.replace_partition(JOURNAL_KEY, events)
            state.journal_signature = journal.signature if journal else None
        state.cold = cold
        for month, loaded in partitions.items():
            if isinstance(loaded, PartitionFile):
                if noting:
                    changes.note_events(index.partition_docs(month), loaded.events)
                index.replace_partition(month, loaded.events)
                state.partition_signatures[month] = loaded.signature
            else:
                gone.add(month)  # vanished between the listing and the read, or its damage left nothing
        for month in gone:
            changes.note_events(index.partition_docs(month), [])
            index.drop_partition(month)
            state.partition_signatures.pop(month, None)

    def _load_cold(self, month: str) -> None:
        """Read a partition left cold at the last sync (the lock is held: views live inside it)."""
        state = self._state
        assert state is not None
        with self._io_errors():
            loaded = load_partition(month, partition_path(self._dir, month))
            if isinstance(loaded, Damage):
                loaded = self._recovery.recover_partition(month, loaded)
        state.cold.pop(month, None)
        if isinstance(loaded, PartitionFile):
            state.index.replace_partition(month, loaded.events)
            state.partition_signatures[month] = loaded.signature
            state.note_month(month, loaded.signature)

    def _migrate(self, main: MainFile) -> None:
        data, version = main.data, main.version
        main_path, backups_dir = self._dir / MAIN_FILE, self._dir / BACKUPS_DIR
        ensure_dir(backups_dir)
        # Kept out of the rotation (its name has an extra dot), so the pre-migration file stays available.
        copy_atomic(main_path, backups_dir / f"{MAIN_STEM}.schema{version}.{_stamp(self._now_utc())}.json")
        context = CallbackContext(
            self._now_utc,
            lambda month, docs: self._writer.write_partition(
                month, docs, expected=None, check_expected=False
            ),
        )
        while version < SCHEMA_VERSION:
            data = MIGRATIONS[version](context, data)
            if schema_version_of(main_path, data) != version + 1:
                raise RuntimeError(f"migration from schema {version} did not produce schema {version + 1}")
            # One durable write per step: a kill between steps resumes from the last finished one.
            storage = AtomicJSONStorage(main_path)
            storage.write(data)
            self._backups.keep_generation(MAIN_STEM, storage.written)
            version += 1
