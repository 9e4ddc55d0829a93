"""The data store: TinyDB files written atomically, with migrations, backups, recovery and a file lock.

Layout of a data folder (schema version 3)::

    trayhabit.json        tables "meta" (schema_version, device_id, created_at), "habits", "settings"
    journal.json          the events recorded lately: tables "meta", "events"
    events/YYYY-MM.json   one file per month of ``recorded_at`` (UTC): tables "meta", "events"
    backups/              rotating copies: trayhabit.<UTC stamp>.json, journal.<UTC stamp>.json,
                          events-YYYY-MM.<UTC stamp>.json
    .lock                 the file lock that serialises every process using the folder

Events are append-only. New ones go to the small journal, so a check-off rewrites a file of a few
kilobytes whatever the size of the history. The commit that would take the journal past
:data:`JOURNAL_LIMIT` events, or the first one of a new month, folds the journal into the months' files
and starts it empty; events recorded for an earlier month (an import) go straight to their months'
files. (Schema 2 had no journal: every commit rewrote the current month's file.) Every file is replaced as a
whole with an atomic, durable write (see :mod:`trayhabit.core.atomic`), so a kill at any moment leaves
each file old or new, never broken.

A commit writes the touched event files first and ``trayhabit.json`` last, one atomic write each. A
commit that spans several files (an import, a fold of the journal) can be cut by a kill between two of
them; as an event whose id is already stored is skipped, and an event found in two files is one event,
nothing is lost or doubled: the next commit completes the work.

Every read and write holds the lock and first reloads the files another process changed (the app and
the command line share the folder), detected by their inode, modification time and size. The store
reads the time only from the :class:`~trayhabit.core.clock.Clock` it is given.

**Using it.** ``Store(data_dir, clock=clock)``, then :meth:`Store.open` once; read inside
``with store.reading() as view`` (a :class:`StoreView`) and change inside
``with store.writing() as tx`` (a :class:`StoreTransaction`). Besides habits, settings and events,
a view offers these to those who keep data derived from the events or walk all of them:

- :meth:`StoreView.month_revisions`: each month's revision (``{"YYYY-MM": text}``), which changes
  whenever an event of that month is stored or its file rewritten, and not when another month
  changes. Reading it reads no month. Revisions come from the files (modification time and size),
  so they hold across processes and restarts, and may be kept on disk. The score cache keeps a
  checkpoint while the revisions of the months before its cutoff are unchanged
  (:mod:`trayhabit.core.score_cache`).
- :meth:`StoreView.habit_months`: one habit's events month by month, oldest first, each month
  read for its turn and let go again before the next unless it was in memory already (a month
  within :data:`HOT_SPAN`, or read since). It walks ten years of history holding one month of the
  store's events, where :meth:`StoreView.events` reads them all at once: the score cache folds a
  history into a checkpoint this way (:mod:`trayhabit.core.fold`). :meth:`StoreView.habits_months`
  does the same for several habits in one walk, each month read once for all of them.
- :meth:`StoreView.event_months` and :meth:`StoreView.month_events`: the months that hold events,
  and one month's events of every habit, for walking a whole history in short steps, each month in
  a ``reading()`` block of its own so that other threads and processes get the lock in between
  (the exports do this; events are append-only, so the walk gives at least every event stored
  before it began).
- :meth:`StoreView.month_file_bytes`: a month's events as an events file of the store's own format
  (a "meta" table naming the month, an "events" table), what sync publishes for other computers
  when the month's revision differs from the one it last published (:mod:`trayhabit.core.sync`).

The modules, one part each: :mod:`.layout` (names and paths), :mod:`.errors`, :mod:`.codec` (the
atomic TinyDB storage and the in-memory event), :mod:`.checks` (structure checks), :mod:`.files`
(reading one file), :mod:`.index` (the event index), :mod:`.state`, :mod:`.views` (views and
transactions), :mod:`.loader` (hot and cold months), :mod:`.migrations`, :mod:`.recovery`,
:mod:`.writer`, and :mod:`.folder` (the :class:`Store` that ties them together).
"""

from trayhabit.core.store.codec import AtomicJSONStorage, StoredEvent, parse_sharing
from trayhabit.core.store.errors import NewerSchemaError, StoreError, StoreLockedError
from trayhabit.core.store.folder import Store
from trayhabit.core.store.layout import (
    BACKUPS_DIR,
    EVENTS_DIR,
    HOT_SPAN,
    JOURNAL_FILE,
    JOURNAL_LIMIT,
    LOCK_FILE,
    MAIN_FILE,
    SCHEMA_VERSION,
)
from trayhabit.core.store.migrations import MIGRATIONS, Migration, MigrationContext
from trayhabit.core.store.views import StoreTransaction, StoreView

__all__ = [
    "BACKUPS_DIR",
    "EVENTS_DIR",
    "HOT_SPAN",
    "JOURNAL_FILE",
    "JOURNAL_LIMIT",
    "LOCK_FILE",
    "MAIN_FILE",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AtomicJSONStorage",
    "Migration",
    "MigrationContext",
    "NewerSchemaError",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoreTransaction",
    "StoreView",
    "StoredEvent",
    "parse_sharing",
]
