"""Which files in a sync folder are whose: the layout of a device's folder, and the conflict copies
sync engines make (see :mod:`trayhabit.core.sync`, which reads and writes them)."""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trayhabit.core import jsontext
from trayhabit.core.atomic import write_atomic
from trayhabit.core.limits import MAX_SYNC_FILE, read_limited
from trayhabit.core.syncbooks import FileStamp, file_stamp

DEVICES_DIR = "devices"
ARCHIVE_DIR = "archive"
DEVICE_FILE = "device.json"
HABITS_FILE = "habits.json"
# Where a device's events are in its folder: each month in a file of its own, as the store keeps
# them (events/YYYY-MM.json); TrayHabit 0.1 also wrote its journal (journal.json) there.
EVENTS_DIR = "events"
JOURNAL_FILE = "journal.json"

_MONTH_FILE = re.compile(r"^\d{4}-\d{2}\.json$")
# What a sync engine adds to a file's stem when it keeps both versions of a conflict: Dropbox and
# Nextcloud " (conflicted copy ...)", Syncthing ".sync-conflict-...", OneDrive "-COMPUTERNAME",
# iCloud Drive " 2". Anything after the stem that starts with a space, dot, dash or underscore.
_CONFLICT_SEPARATORS = (" ", ".", "-", "_")


@dataclass(frozen=True)
class Found:
    """A file in a device's folder: what it holds, and whether it is a sync engine's conflict copy."""

    path: Path
    name: str  # relative to the sync folder, with "/"
    kind: str  # "habits" or "events"
    conflict: bool


def classify(relative: str) -> tuple[str, bool] | None:
    """(kind, is a conflict copy) of a file in a device folder by its name there; None: not ours."""
    folder, _sep, name = relative.rpartition("/")
    if not name.endswith(".json") or name.startswith("."):
        return None
    if folder == "":
        if name == HABITS_FILE:
            return "habits", False
        if name == JOURNAL_FILE:
            return "events", False
        for canonical, kind in ((HABITS_FILE, "habits"), (JOURNAL_FILE, "events")):
            if _is_conflict_copy(name, canonical):
                return kind, True
        return None
    if folder == EVENTS_DIR:
        if _MONTH_FILE.match(name):
            return "events", False
        stem = name[:7]
        if _MONTH_FILE.match(f"{stem}.json") and _is_conflict_copy(name, f"{stem}.json"):
            return "events", True
    return None


def _is_conflict_copy(name: str, canonical: str) -> bool:
    stem = canonical.removesuffix(".json")
    return name != canonical and name.startswith(stem) and name[len(stem)] in _CONFLICT_SEPARATORS


def conflict_original(found: Found) -> Path:
    """The name an events file must have to be read as such: its conflict copy's canonical name."""
    name = found.path.name
    if name.startswith(JOURNAL_FILE.removesuffix(".json")):
        return found.path.with_name(JOURNAL_FILE)
    return found.path.with_name(f"{name[:7]}.json")


def device_files(device_dir: Path, device: str) -> Iterator[Found]:
    for folder in (device_dir, device_dir / EVENTS_DIR):
        try:
            with os.scandir(folder) as entries:
                names = [entry.name for entry in entries if entry.is_file()]
        except (FileNotFoundError, NotADirectoryError):
            continue
        prefix = "" if folder == device_dir else f"{EVENTS_DIR}/"
        for name in sorted(names):
            kind = classify(prefix + name)
            if kind is not None:
                yield Found(folder / name, f"{DEVICES_DIR}/{device}/{prefix}{name}", *kind)


def claimed_elsewhere(device_file: Path) -> bool:
    """Whether a device's ``device.json`` says another computer (by name) writes that folder."""
    try:
        claimed = jsontext.loads(read_limited(device_file, MAX_SYNC_FILE))
    except (FileNotFoundError, ValueError):
        return False  # not written yet, or half-synced: this computer's next write settles it
    return isinstance(claimed, dict) and claimed.get("name") not in (None, platform.node())


def exists_as(path: Path, stamp: FileStamp) -> bool:
    try:
        return file_stamp(path) == stamp
    except FileNotFoundError:
        return False


def write_if_changed(path: Path, data: bytes) -> int:
    """Write *data* to *path* unless it holds it already; 1 if written."""
    try:
        if path.read_bytes() == data:
            return 0
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return 1
