"""Notices when files change in folders another process writes (the command line, a sync engine).

Files are replaced atomically (a rename), which a watch on the file itself would lose, so the
folders are watched. Changes come in bursts (a temp file, then the rename; a sync engine delivering
several files); they are coalesced into one ``changed`` after a short quiet period. The operating
system reports the changes (inotify, FSEvents, ReadDirectoryChangesW): nothing polls.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SETTLE_MS = 250


class FolderWatcher(QObject):
    """Watches some folders (not their subfolders); those that do not exist yet are taken up when
    one of the others changes, or at :meth:`set_folders`.

    Signals:
        changed(): something in the folders changed (perhaps by this process), or :meth:`nudge` was
            called; once per burst.
    """

    changed = Signal()

    def __init__(
        self, folders: Iterable[Path] = (), parent: QObject | None = None, *, settle_ms: int = SETTLE_MS
    ) -> None:
        super().__init__(parent)
        self._folders: list[Path] = []
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_watcher_directory_changed)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self.changed)
        self.set_folders(folders)

    def set_folders(self, folders: Iterable[Path]) -> None:
        """Watch these folders from now on, and no others."""
        self._folders = list(folders)
        self._watch_existing()

    def nudge(self) -> None:
        """Say ``changed`` after the quiet period, as if something had changed."""
        self._settle.start()

    def stop_pending(self) -> None:
        """Drop a ``changed`` still waiting for its quiet period."""
        self._settle.stop()

    def _watch_existing(self) -> None:
        wanted = {str(folder) for folder in self._folders if folder.is_dir()}
        current = set(self._watcher.directories())
        if current - wanted:
            self._watcher.removePaths(sorted(current - wanted))
        if wanted - current:
            self._watcher.addPaths(sorted(wanted - current))

    def _on_watcher_directory_changed(self, _path: str) -> None:
        self._watch_existing()  # a watched folder may have just been created, or removed
        self._settle.start()


class StoreWatcher(FolderWatcher):
    """Watches the data folder and its events folder.

    Signals:
        changed(): something in the store's folders changed (perhaps by this process).
    """

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__([data_dir, data_dir / "events"], parent)
