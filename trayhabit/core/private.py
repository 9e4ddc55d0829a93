"""Private by default: the data folder readable by its owner only (POSIX).

Habits and their whys are personal, and other users of the same computer have no business reading
them. On Linux and macOS the data folder is created ``0700`` and the files TrayHabit writes are
created ``0600`` (:func:`trayhabit.core.atomic.write_atomic`, the log file, the lock file). A folder
made by an older TrayHabit (or by hand) with group or other bits is tightened once, when the store
opens it, together with the files it already holds, and the log says so.

On Windows nothing is done: the data folder lives in the user's own profile, which other users
cannot read already, and POSIX modes mean little there.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from trayhabit.core.atomic import fsync_dir

log = logging.getLogger(__name__)

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# Permission bits for anyone but the owner: any of them makes a folder or file "too open".
_OPEN_BITS = stat.S_IRWXG | stat.S_IRWXO
# The data folder's own subfolders whose files are tightened along with it (one level deep each).
SUBFOLDERS = ("events", "backups", "cache", "logs")


def applies() -> bool:
    """Whether modes are set here at all: on POSIX systems, not on Windows."""
    return os.name == "posix"


def make_private_dir(folder: Path) -> None:
    """Create *folder* (and its parents) if missing, the folder itself ``0700`` on POSIX; an existing
    folder with wider permissions is tightened with :func:`tighten`.

    Parents are created as the system's umask makes them: they are not TrayHabit's to restrict.
    """
    if not applies():
        folder.mkdir(parents=True, exist_ok=True)
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        # The umask may take more bits away, never add any: the folder is at most 0700 at birth.
        folder.mkdir(PRIVATE_DIR_MODE)
    except FileExistsError:
        if not folder.is_dir():
            raise
        tighten(folder)
    else:
        fsync_dir(folder.parent)  # the new folder's entry must survive a power cut like its files


def tighten(folder: Path) -> bool:
    """Make an existing *folder* ``0700`` and the files in it and in its :data:`SUBFOLDERS` ``0600``,
    if the folder is open to others; returns whether it was.

    Only the folder's own mode is looked at (one ``stat``), so a folder tightened once costs nothing
    later. A file or folder that cannot be changed (owned by someone else) is logged and left.
    """
    if not applies():
        return False
    mode = folder.stat().st_mode
    if not mode & _OPEN_BITS:
        return False
    _chmod(folder, PRIVATE_DIR_MODE)
    with os.scandir(folder) as entries:
        own_files = [Path(entry.path) for entry in entries if entry.is_file(follow_symlinks=False)]
    changed = sum(_restrict(path, PRIVATE_FILE_MODE) for path in own_files)
    for name in SUBFOLDERS:
        directory = folder / name
        if not directory.is_dir():
            continue
        changed += _restrict(directory, PRIVATE_DIR_MODE)
        # Everything below it (the backups' generations lie two levels down); links not followed.
        for root, folders, files in os.walk(directory):
            changed += sum(_restrict(Path(root, each), PRIVATE_DIR_MODE) for each in folders)
            for each in files:
                path = Path(root, each)
                if not path.is_symlink():
                    changed += _restrict(path, PRIVATE_FILE_MODE)
    log.info(
        "the data folder %s was open to other users (mode %03o); made it private (0700) and %d "
        "files and folders in it private too",
        folder,
        stat.S_IMODE(mode),
        changed,
    )
    return True


def _restrict(path: Path, mode: int) -> int:
    """Set *path* to *mode* if it has bits beyond it; 1 if it was changed, else 0."""
    current = stat.S_IMODE(path.stat(follow_symlinks=False).st_mode)
    if not current & ~mode & 0o777:
        return 0
    return 1 if _chmod(path, mode) else 0


def _chmod(path: Path, mode: int) -> bool:
    try:
        path.chmod(mode)
    except PermissionError as error:
        # Someone else's file in the folder (a shared folder chosen with --data-dir): not ours to
        # change, and no reason to refuse to start.
        log.warning("could not make %s private: %s", path, error.strerror or error)
        return False
    return True
