"""Notices when another process (the command line, a sync engine) changes the data folder.

Files are replaced atomically (a rename), which a watch on the file itself would lose, so the
folders are watched. Changes come in bursts (a temp file, then the rename); they are coalesced into
one ``changed`` after a short quiet period. The operating system reports the changes (inotify,
FSEvents, ReadDirectoryChangesW): nothing polls.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SETTLE_MS = 250


class StoreWatcher(QObject):
    """Watches the data folder and its events folder.

    Signals:
        changed(): something in the store's folders changed (perhaps by this process).
    """

    changed = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folders = [data_dir, data_dir / "events"]
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_watcher_directory_changed)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.changed)
        self._watch_existing()

    def _watch_existing(self) -> None:
        missing = [str(f) for f in self._folders if f.is_dir() and str(f) not in self._watcher.directories()]
        if missing:
            self._watcher.addPaths(missing)

    def _on_watcher_directory_changed(self, _path: str) -> None:
        self._watch_existing()  # the events folder may have just been created
        self._settle.start()
