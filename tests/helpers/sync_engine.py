"""Computers sharing a sync folder, and a sync engine between them, for the sync tests.

Each :class:`Machine` has its own data folder, clock and *its own copy* of the sync folder, as with
Syncthing or Dropbox: nothing is shared on disk. :class:`SyncEngine` copies files from one machine's
copy to another's, one file at a time, in any order, late, truncated, or as a conflict copy: what a
real engine may do.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from tests.helpers.clock import FakeClock
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store
from trayhabit.core.sync import SyncReport


class Machine:
    """One computer: a store in its data folder, a clock, and its copy of the sync folder."""

    def __init__(self, root: Path, name: str, now: datetime) -> None:
        self.name = name
        self.data_dir = root / name / "data"
        self.sync_dir = root / name / "Sync"
        self.sync_dir.mkdir(parents=True, exist_ok=True)
        self.clock = FakeClock(now)
        store = Store(self.data_dir, clock=self.clock)
        store.open()
        self.service = HabitService(store, self.clock)
        self.service.set_setting("sync_folder", str(self.sync_dir))

    def clone(self, name: str) -> Machine:
        """An exact copy of this machine (same device id, same files) beside it, under *name*."""
        root = self.data_dir.parent.parent
        shutil.copytree(self.data_dir.parent, root / name)
        return Machine(root, name, self.clock.now())

    @property
    def device_id(self) -> str:
        with self.service.store.reading() as view:
            return view.device_id

    def sync(self) -> SyncReport:
        report = self.service.sync()
        assert report is not None
        return report

    def state(self) -> tuple[object, ...]:
        """Everything two converged machines must agree on: habits, events, shared settings, scores."""
        from trayhabit.core.sync import setting_stamps

        with self.service.store.reading() as view:
            habits = sorted(view.habits(), key=lambda doc: doc["id"])
            events = sorted(view.events(), key=lambda doc: doc["id"])
            shared = {key: stamp["value"] for key, stamp in setting_stamps(view.settings()).items()}
        scores = sorted((report.habit.id, report.score) for report in self.service.reports())
        return habits, events, shared, scores

    def own_files(self) -> list[Path]:
        """The files this machine wrote into its copy of the sync folder."""
        folder = self.sync_dir / "devices" / self.device_id
        return sorted(path for path in folder.rglob("*") if path.is_file())


class SyncEngine:
    """Moves files between machines' copies of the sync folder."""

    @staticmethod
    def files(source: Machine, of: Machine | None = None) -> list[Path]:
        """The files in *source*'s copy under the devices folder (of one device if *of* is given)."""
        base = source.sync_dir / "devices"
        if of is not None:
            base = base / of.device_id
        return sorted(path for path in base.rglob("*") if path.is_file())

    @staticmethod
    def deliver(source: Machine, target: Machine, paths: Iterable[Path]) -> None:
        """Copy *paths* (in *source*'s copy) to the same place in *target*'s copy."""
        for path in paths:
            destination = target.sync_dir / path.relative_to(source.sync_dir)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)

    def deliver_all(self, source: Machine, target: Machine) -> None:
        """Everything *source*'s copy holds of *source*'s own device."""
        self.deliver(source, target, self.files(source, of=source))

    def exchange(self, *machines: Machine) -> None:
        """Every machine syncs, every machine's files reach every other, and every machine syncs again."""
        for machine in machines:
            machine.sync()
        for source in machines:
            for target in machines:
                if target is not source:
                    self.deliver_all(source, target)
        for machine in machines:
            machine.sync()

    @staticmethod
    def deliver_truncated(source: Machine, target: Machine, path: Path, keep: int) -> None:
        """Write only the first *keep* bytes of *path* at its place in *target*'s copy (in place)."""
        destination = target.sync_dir / path.relative_to(source.sync_dir)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(path.read_bytes()[:keep])

    @staticmethod
    def deliver_as(source: Machine, target: Machine, path: Path, name: str) -> Path:
        """Copy *path* to *target*'s copy under another name in the same folder (a conflict copy)."""
        destination = (target.sync_dir / path.relative_to(source.sync_dir)).with_name(name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        return destination
