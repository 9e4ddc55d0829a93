"""The store's backups: by generation, so a damaged file comes back as it was, and by day.

Two kinds in ``backups/`` of the data folder, each named by the file it keeps (its *stem*:
``trayhabit``, ``journal``, ``events-2026-11``) and the UTC time it was taken::

    generations/trayhabit/20261201T214500123456Z.json   a generation: the file exactly as a commit
                                                        wrote it
    trayhabit.20261201T080000000000Z.json               a daily copy: the file as it was before the
                                                        day's first change

Each file's generations have a folder of their own, so that a check-off, which writes one, lists a few
names, not the hundreds of daily copies that ten years of months leave.

Every commit that writes a store file writes the same bytes as a new generation right after it, and
keeps the last :data:`GENERATIONS`. The newest generation is the file as it was last acknowledged, so a
file damaged on disk afterwards (a bad sector, a truncating hand edit, ``echo > trayhabit.json``) is
restored without losing even the last change, the journal's newest check-offs included; the older
generations reach back a few changes in case the damage was written by TrayHabit itself. The daily
copies (``backup_count`` of them) reach back days.

Names with another dot before the stamp (``trayhabit.schema1.<stamp>.json``, the copy taken before a
migration) are kept out of both rotations.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trayhabit.core.atomic import fsync_dir, write_atomic

#: How many generations of each file are kept: the file as last written and the two before.
GENERATIONS = 3
STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_BACKUP_FILE = re.compile(r"^(?P<stem>[^.]+)\.(?P<stamp>\d{8}T\d{12}Z)\.json$")
_GENERATION_FILE = re.compile(r"^(?P<stamp>\d{8}T\d{12}Z)\.json$")
GENERATIONS_DIR = "generations"


def stamp(moment: datetime) -> str:
    """A UTC time as it stands in backup names."""
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


@dataclass(frozen=True)
class Backup:
    """One backup file: where it is, when it was taken, and whether it is a generation."""

    path: Path
    taken_at: datetime
    generation: bool


class Backups:
    """The ``backups/`` folder of one data folder (see the module).

    *now* gives the current time; *count* is how many daily copies to keep (0: none, and no
    generations either), *interval* how far apart daily copies are taken.
    """

    def __init__(self, folder: Path, *, count: int, interval: timedelta, now: Callable[[], datetime]) -> None:
        self.folder = folder
        self._count = count
        self._interval = interval
        self._now = now

    def listing(self, stem: str) -> list[Backup]:
        """The backups of the file with this stem, both kinds, oldest first."""
        found = self._daily(stem) + self._generations(stem)
        found.sort(key=lambda backup: (backup.taken_at, backup.generation, backup.path.name))
        return found

    def _daily(self, stem: str) -> list[Backup]:
        return [Backup(path, taken_at, False) for path, taken_at in _scan(self.folder, _BACKUP_FILE, stem)]

    def _generations(self, stem: str) -> list[Backup]:
        found = [
            Backup(path, taken_at, True)
            for path, taken_at in _scan(self._generations_folder(stem), _GENERATION_FILE)
        ]
        found.sort(key=lambda backup: backup.taken_at)
        return found

    def _generations_folder(self, stem: str) -> Path:
        return self.folder / GENERATIONS_DIR / stem

    def keep_daily(self, path: Path, stem: str) -> None:
        """Copy *path* (as it is, sound) in as a daily backup if the newest one is too old; prune."""
        if self._count == 0:
            return
        now = self._now().astimezone(UTC)
        daily = sorted(self._daily(stem), key=lambda backup: (backup.taken_at, backup.path.name))
        newest = daily[-1].taken_at if daily else None
        # A newest backup "from the future" means the clock was set back: take a new one rather than
        # none until the clock catches up.
        if newest is not None and newest <= now and now - newest < self._interval:
            return
        _ensure_folder(self.folder)
        target = self.folder / f"{stem}.{stamp(now)}.json"
        write_atomic(target, path.read_bytes())
        daily = [backup for backup in daily if backup.path != target]
        daily.append(Backup(target, now, False))
        self._prune(daily, self._count)

    def keep_generation(self, stem: str, data: bytes) -> None:
        """Write *data*, the bytes just written to the file of *stem*, as its newest generation."""
        if self._count == 0:
            return
        folder = self._generations_folder(stem)
        _ensure_folder(self.folder)
        _ensure_folder(folder.parent)
        _ensure_folder(folder)
        now = self._now().astimezone(UTC)
        generations = self._generations(stem)
        if generations and generations[-1].taken_at >= now:
            # Two commits within one tick of the clock, or a clock set back: keep the order of writing.
            now = generations[-1].taken_at + timedelta(microseconds=1)
        target = folder / f"{stamp(now)}.json"
        # Not fsynced: the file itself was just written durably, and a power cut can cost only this
        # copy (a torn one is never seen: the write is atomic, and a copy that is empty or old is passed
        # over as a backup). Its fsync cost a check-off more on a long journal than on a short one.
        write_atomic(target, data, durable=False)
        generations.append(Backup(target, now, True))
        self._prune(generations, GENERATIONS)

    def _prune(self, backups: list[Backup], keep: int) -> None:
        # No fsync of the folder: a pruned backup that comes back after a power cut does no harm.
        for backup in backups[: max(0, len(backups) - keep)]:
            backup.path.unlink(missing_ok=True)


def _scan(folder: Path, pattern: re.Pattern[str], stem: str | None = None) -> list[tuple[Path, datetime]]:
    """The files of *folder* whose names match *pattern* (and name *stem*, where the pattern has a
    ``stem`` group), with the time in their ``stamp`` group."""
    found: list[tuple[Path, datetime]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                match = pattern.match(entry.name)
                # The stem first: the daily copies of every month share one folder, and parsing each
                # one's time at every check-off cost more than the rest of the listing.
                if match is None or (stem is not None and match.group("stem") != stem):
                    continue
                try:
                    taken_at = datetime.strptime(match.group("stamp"), STAMP_FORMAT).replace(tzinfo=UTC)
                except ValueError:
                    continue  # digits that are no time (a month 13): not one of ours
                found.append((Path(entry.path), taken_at))
    except FileNotFoundError:
        return []
    return found


def _ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir()
    except FileExistsError:
        if not folder.is_dir():
            raise
    else:
        fsync_dir(folder.parent)
