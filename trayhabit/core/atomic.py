"""Atomic, durable replacement of a file's whole contents.

A write goes to a temporary file in the target's folder, is flushed and fsynced, renamed over the target
with ``os.replace`` and then the folder is fsynced, so that a kill or a power cut at any moment leaves
either the old file or the new one, never a mix, and a write that returned is on disk (DESIGN section 5).

A writer killed between creating its temporary file and the rename leaves that file behind; its name
matches :func:`is_temp_name`, so the store can remove such leftovers when no writer can be running.

Every file written here is created readable and writable by its owner only (``0600`` on Linux and
macOS; see :mod:`trayhabit.core.private`): the store, its backups and caches, the sync folder's files
(the sync program runs as the same user) and exports alike.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

TEMP_SUFFIX = ".tmp"
# Owner only: habits and their whys are nobody else's business (Windows keeps only the write bit).
FILE_MODE = 0o600

# ".<target name>.<pid>.<random hex>.tmp": the leading dot hides it, the pid tells whose it was.
_TEMP_NAME = re.compile(r"^\..+\.\d+\.[0-9a-f]{8}\.tmp$")


def temp_name_for(target: Path) -> Path:
    """A fresh temporary path next to *target*, so that ``os.replace`` never crosses a file system."""
    # os.urandom rather than secrets, whose import loads hashlib and with it OpenSSL (4 MiB); a
    # name needs only to differ from another writer's, not to be unguessable.
    return target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")


def is_temp_name(name: str) -> bool:
    """Whether *name* is one :func:`temp_name_for` produces."""
    return _TEMP_NAME.match(name) is not None


def fsync_dir(folder: Path) -> None:
    """Make the entries of *folder* (a rename, a new or removed file) durable."""
    if sys.platform == "win32":
        # Windows cannot open a directory as a file, so it cannot be fsynced; NTFS journals the rename
        # itself, and MoveFileEx (behind os.replace) is as durable as Windows offers.
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(target: Path, data: bytes, *, durable: bool = True) -> os.stat_result:
    """Replace *target*'s contents with *data* atomically and durably; returns the new file's stat.

    With *durable* False the write is atomic but left to the system to flush (within seconds): for a
    second copy of a file written durably already, which a power cut may cost, but never tear.
    The temporary file is removed again if anything fails before the rename, and the error propagates.
    """
    temp = temp_name_for(target)
    # O_EXCL: never write into a file somebody else created under the same random name.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    replaced = False
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if durable:
                os.fsync(fd)
            stat = os.fstat(fd)
        finally:
            os.close(fd)
        temp.replace(target)
        replaced = True
    finally:
        if not replaced:
            temp.unlink(missing_ok=True)
    if durable:
        fsync_dir(target.parent)
    return stat


def copy_atomic(source: Path, target: Path) -> os.stat_result:
    """Copy *source* to *target* with :func:`write_atomic`: *target* is never seen half-written."""
    return write_atomic(target, source.read_bytes())
