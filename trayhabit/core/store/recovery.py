"""Recovery: what the store does about a damaged, missing or half-written file, and the notices that
tell the user about it.

A damaged file is moved aside (``<name>.corrupt-<stamp>``, never deleted) and replaced by its newest
backup that reads; with none, by what still reads of it (see :mod:`trayhabit.core.salvage`). Each
repair becomes a :class:`~trayhabit.core.repairs.Repair` for the user.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from trayhabit.core.atomic import copy_atomic, fsync_dir, is_temp_name
from trayhabit.core.backups import GENERATIONS_DIR, Backup, Backups
from trayhabit.core.backups import stamp as _stamp
from trayhabit.core.i18n import _
from trayhabit.core.ids import new_hex_id
from trayhabit.core.limits import MAX_STORE_FILE, MAX_TOKEN, LimitError, read_limited
from trayhabit.core.repairs import Repair, RepairKind
from trayhabit.core.salvage import salvage
from trayhabit.core.store.checks import check_journal, check_main, check_partition, table_of
from trayhabit.core.store.codec import AtomicJSONStorage
from trayhabit.core.store.errors import DamagedError, NewerSchemaError
from trayhabit.core.store.files import (
    Damage,
    EventsCheck,
    MainFile,
    PartitionFile,
    load_events,
    load_main,
)
from trayhabit.core.store.layout import (
    BACKUPS_DIR,
    EVENTS_DIR,
    JOURNAL_STEM,
    MAIN_FILE,
    MAIN_STEM,
    SCHEMA_VERSION,
    journal_meta,
    month_of,
    partition_meta,
)
from trayhabit.core.validate import DocumentError, check_event, check_habit, check_settings

log = logging.getLogger(__name__)


@dataclass
class _SalvagedMain:
    """What still reads of a damaged main file (see :meth:`Recovery._salvage_main`)."""

    meta: dict[str, Any] = field(default_factory=dict)
    habits: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    set_aside: list[str] = field(default_factory=list)

    def data(self, version: int, now: datetime) -> dict[str, dict[str, Any]]:
        """A main file of schema *version* with what was found (a new device id if none was)."""
        meta = {
            "schema_version": version,
            "device_id": self.meta.get("device_id") or new_hex_id(),
            "created_at": self.meta.get("created_at") or now.isoformat(),
        }
        habits = {str(number): doc for number, doc in enumerate(self.habits.values(), 1)}
        return {"meta": {"1": meta}, "habits": habits, "settings": {"1": self.settings}}


class Recovery:
    """Repairs the files of the data folder *data_dir*; :attr:`notices` gathers what it did.

    Called with the store's lock held, like everything that touches the files.
    """

    def __init__(self, data_dir: Path, backups: Backups, now: Callable[[], datetime]) -> None:
        """*now* gives the current time in UTC (for the names of files moved aside)."""
        self._dir = data_dir
        self._backups = backups
        self._now_utc = now
        #: The repairs made since the store last handed them out, oldest first.
        self.notices: list[Repair] = []

    def remove_temp_files(self) -> None:
        """Remove the temporary files a write cut short left behind."""
        # Only at open and under the lock: every writer holds the lock, so none of these is being written.
        generations = self._dir / BACKUPS_DIR / GENERATIONS_DIR
        generation_folders: list[Path] = []
        try:
            with os.scandir(generations) as entries:
                generation_folders = [Path(entry.path) for entry in entries if entry.is_dir()]
        except FileNotFoundError:
            pass  # no generation written yet
        for folder in (self._dir, self._dir / EVENTS_DIR, self._dir / BACKUPS_DIR, *generation_folders):
            try:
                with os.scandir(folder) as entries:
                    leftovers = [Path(entry.path) for entry in entries if is_temp_name(entry.name)]
            except FileNotFoundError:
                continue
            for path in leftovers:
                path.unlink(missing_ok=True)

    # --- Recovery ------------------------------------------------------------------------------------

    def _newest_good_backup(
        self, stem: str, check: Callable[[Path, dict[str, Any]], object]
    ) -> Backup | None:
        """The newest backup of *stem*, generation or daily, that passes *check*."""
        for backup in reversed(self._backups.listing(stem)):
            try:
                data = AtomicJSONStorage(backup.path).read()
                if data is not None:
                    check(backup.path, data)
                    return backup
            except (ValueError, NewerSchemaError):
                continue  # damaged too, or from a newer version: try an older one
        return None

    def _move_aside(self, path: Path) -> Path:
        base = f"{path.name}.corrupt-{_stamp(self._now_utc())}"
        aside = path.with_name(base)
        counter = 1
        while aside.exists():
            counter += 1
            aside = path.with_name(f"{base}-{counter}")
        path.rename(aside)
        fsync_dir(path.parent)
        return aside

    @staticmethod
    def _damaged_bytes(path: Path) -> bytes:
        """A damaged file's bytes to salvage from; none when it is past the size limit."""
        try:
            return read_limited(path, MAX_STORE_FILE)
        except LimitError:
            return b""

    def _relative(self, path: Path) -> str:
        return path.relative_to(self._dir).as_posix()

    def _damage_repaired(self, kind: RepairKind, damage: Damage, aside: Path, **details: Any) -> Repair:
        """The repair of a damaged file, moved to *aside*; *details* as :class:`Repair` takes them."""
        return Repair(
            kind, self._relative(damage.path), self._dir, reason=damage.reason, aside=aside, **details
        )

    def _repaired(self, repair: Repair) -> None:
        log.info("repaired %s: %s", repair.file, repair.kind.value)
        self.notices.append(repair)

    def recover_main(self, damage: Damage) -> MainFile:
        """Move a damaged main file aside and restore its newest good backup; with none, keep every
        habit and setting of it that still reads (see trayhabit.core.salvage)."""
        path = damage.path
        found = self._salvage_main(self._damaged_bytes(path))
        backup = self._newest_good_backup(MAIN_STEM, check_main)
        aside = self._move_aside(path)
        if backup is not None:
            copy_atomic(backup.path, path)
            restored = self._reload_main_after_repair(path)
            lost = set(found.habits) - {doc["id"] for doc in table_of(restored.data, "habits").values()}
            self._repaired(
                self._damage_repaired(
                    RepairKind.RESTORED, damage, aside, restored_from=backup.taken_at, habits_lost=len(lost)
                )
            )
            return restored
        data = found.data(SCHEMA_VERSION, self._now_utc())
        storage = AtomicJSONStorage(path)
        storage.write(data)
        self._backups.keep_generation(MAIN_STEM, storage.written)
        self._repaired(
            self._damage_repaired(
                RepairKind.SALVAGED,
                damage,
                aside,
                set_aside=tuple(found.set_aside),
                kept=len(found.habits) + len(found.settings),
            )
        )
        return self._reload_main_after_repair(path)

    def _salvage_main(self, raw: bytes) -> _SalvagedMain:
        """The meta, habits and settings of a damaged main file that still read and pass their checks."""
        found = salvage(raw, ("meta", "habits", "settings"))
        result = _SalvagedMain()
        if not found.whole:
            result.set_aside.append(_("the part of the file that could not be read"))
        metas = list(found.tables.get("meta", {}).values())
        if metas and isinstance(device := metas[0].get("device_id"), str) and 0 < len(device) <= MAX_TOKEN:
            result.meta = {key: metas[0][key] for key in ("device_id", "created_at") if key in metas[0]}
        for doc_id, doc in found.tables.get("habits", {}).items():
            try:
                check_habit(doc)
            except DocumentError as error:
                result.set_aside.append(_("habit {n}: {reason}").format(n=doc_id, reason=error.reason))
            else:
                result.habits.setdefault(doc["id"], doc)
        for doc in list(found.tables.get("settings", {}).values())[:1]:
            for key, value in doc.items():
                try:
                    check_settings({key: value})
                except DocumentError as error:
                    result.set_aside.append(error.reason)
                else:
                    result.settings[key] = value
        return result

    def replace_missing_main(self, *, had_partitions: bool) -> MainFile:
        path = self._dir / MAIN_FILE
        backup = self._newest_good_backup(MAIN_STEM, check_main)
        if backup is not None:
            copy_atomic(backup.path, path)
            self._repaired(
                Repair(
                    RepairKind.MISSING_RESTORED,
                    self._relative(path),
                    self._dir,
                    restored_from=backup.taken_at,
                )
            )
            return self._reload_main_after_repair(path)
        if had_partitions:
            self._repaired(Repair(RepairKind.MISSING_STARTED, self._relative(path), self._dir))
        storage = AtomicJSONStorage(path)
        storage.write(_SalvagedMain().data(SCHEMA_VERSION, self._now_utc()))
        self._backups.keep_generation(MAIN_STEM, storage.written)
        return self._reload_main_after_repair(path)

    def _reload_main_after_repair(self, path: Path) -> MainFile:
        main = load_main(path)
        if not isinstance(main, MainFile):
            # The backup checked out a moment ago; failing now means the disk itself misbehaves.
            raise DamagedError(_("{file} could not be restored; check the disk.").format(file=path))
        return main

    def recover_partition(self, month: str, damage: Damage) -> PartitionFile | None:
        return self._recover_events(
            damage,
            f"events-{month}",
            lambda backup_path, data: check_partition(backup_path, month, data),
            partition_meta(month),
        )

    def recover_journal(self, damage: Damage) -> PartitionFile | None:
        return self._recover_events(damage, JOURNAL_STEM, check_journal, journal_meta())

    def _recover_events(
        self,
        damage: Damage,
        stem: str,
        check: EventsCheck,
        meta: dict[str, Any],
    ) -> PartitionFile | None:
        """Move a damaged events file aside and restore its newest good backup; with none, keep every
        event of it that still reads and passes its check."""
        path = damage.path
        raw = self._damaged_bytes(path)
        backup = self._newest_good_backup(stem, check)
        aside = self._move_aside(path)
        if backup is not None:
            copy_atomic(backup.path, path)
            repair = self._damage_repaired(RepairKind.RESTORED, damage, aside, restored_from=backup.taken_at)
        else:
            found = salvage(raw, ("events",))
            set_aside = [] if found.whole else [_("the part of the file that could not be read")]
            kept: dict[str, Any] = {}
            for doc_id, doc in found.tables.get("events", {}).items():
                try:
                    check_event(doc)
                    if check is check_journal or month_of(doc) == meta.get("partition"):
                        kept[str(len(kept) + 1)] = doc
                        continue
                    raise DocumentError(_("it belongs to another month"))
                except DocumentError as error:
                    set_aside.append(_("event {n}: {reason}").format(n=doc_id, reason=error.reason))
            storage = AtomicJSONStorage(path)
            storage.write({"meta": {"1": meta}, "events": kept})
            self._backups.keep_generation(stem, storage.written)
            repair = self._damage_repaired(
                RepairKind.SALVAGED, damage, aside, set_aside=tuple(set_aside), kept=len(kept)
            )
        self._repaired(repair)
        loaded = load_events(path, check)
        if not isinstance(loaded, PartitionFile):
            raise DamagedError(_("{file} could not be restored; check the disk.").format(file=path))
        return loaded
