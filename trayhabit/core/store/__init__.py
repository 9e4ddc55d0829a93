"""The data store, as a package (see :mod:`trayhabit.core.store.folder`)."""

from trayhabit.core.store.folder import (
    BACKUPS_DIR,
    EVENTS_DIR,
    HOT_SPAN,
    JOURNAL_FILE,
    JOURNAL_LIMIT,
    MIGRATIONS,
    AtomicJSONStorage,
    MigrationContext,
    NewerSchemaError,
    Store,
    StoreError,
    StoreLockedError,
    StoreTransaction,
    StoreView,
    parse_sharing,
)

__all__ = [
    "BACKUPS_DIR",
    "EVENTS_DIR",
    "HOT_SPAN",
    "JOURNAL_FILE",
    "JOURNAL_LIMIT",
    "MIGRATIONS",
    "AtomicJSONStorage",
    "MigrationContext",
    "NewerSchemaError",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoreTransaction",
    "StoreView",
    "parse_sharing",
]
