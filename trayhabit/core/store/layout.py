"""Where things are in a data folder: file names, the months' files, and how a file is recognised.

The layout (schema version 3) is described in :mod:`trayhabit.core.store`. A month is "YYYY-MM" of
an event's ``recorded_at`` in UTC; a file is recognised as unchanged by its :data:`Signature`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

MAIN_FILE = "trayhabit.json"
JOURNAL_FILE = "journal.json"
EVENTS_DIR = "events"
BACKUPS_DIR = "backups"
LOCK_FILE = ".lock"

#: The schema of the files this TrayHabit writes; it reads every older one (see migrations).
SCHEMA_VERSION = 3

MAIN_STEM = "trayhabit"
JOURNAL_STEM = "journal"
#: The journal's key in the event index, where the other keys are months.
JOURNAL_KEY = "journal"
# Events the journal holds at most: big enough that folding it into the months' files is rare (every few
# days with fifty habits), small enough that rewriting it at each check-off costs next to nothing.
JOURNAL_LIMIT = 200
# Files that only save time (score checkpoints, which months hold which habits): losing them is safe.
CACHE_DIR = "cache"
PARTITION_FILE = re.compile(r"^(\d{4}-\d{2})\.json$")
MONTH_PREFIX = re.compile(r"\d{4}-\d{2}")
# The months of events read at start-up; older ones are read when something asks for them (a report
# with the whole history, an export), so years of history cost neither time nor memory until then.
# Three weeks and a bit: what a report resumed from its checkpoint reads for a daily habit (see
# trayhabit.core.checkpoint.keep_for), so most of the month this is the current month's file alone.
HOT_SPAN = timedelta(days=23)
# Months before the hot span that stay in memory once read (a weekly habit's checkpoint reaches back
# about four months); beyond that, reading old months is taken as a one-off (see loader.evict_old_months).
KEEP_OLD_MONTHS = 6

#: (st_ino, st_mtime_ns, st_size) of a file as last loaded or written.
Signature = tuple[int, int, int]


def signature_of(stat: os.stat_result) -> Signature:
    """The signature of a file from its ``stat``."""
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def stat_signature(path: Path) -> Signature | None:
    """The signature of the file at *path*, or ``None`` when there is none."""
    try:
        return signature_of(path.stat())
    except FileNotFoundError:
        return None


def month_of_instant(instant: datetime) -> str:
    """The partition ("YYYY-MM") of an instant: its UTC month."""
    return instant.astimezone(UTC).strftime("%Y-%m")


def month_of(doc: Mapping[str, Any]) -> str:
    """The partition ("YYYY-MM") that holds an event: the month of its UTC ``recorded_at``."""
    month: str = doc["recorded_at"][:7]
    return month


def partition_path(data_dir: Path, month: str) -> Path:
    """The file of *month*'s events in the data folder *data_dir*."""
    return data_dir / EVENTS_DIR / f"{month}.json"


def partition_meta(month: str) -> dict[str, Any]:
    """The "meta" document of *month*'s events file."""
    return {"schema_version": SCHEMA_VERSION, "partition": month}


def journal_meta() -> dict[str, Any]:
    """The "meta" document of the journal."""
    return {"schema_version": SCHEMA_VERSION, "journal": True}
