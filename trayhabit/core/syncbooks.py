"""What a store has read from and written to a sync folder, kept in ``<data folder>/cache/sync.json``
so that a sync reads and writes only what changed (see :mod:`trayhabit.core.sync`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from trayhabit.core import jsontext
from trayhabit.core.atomic import write_atomic

log = logging.getLogger(__name__)

BOOKKEEPING_FILE = "sync.json"

#: (st_mtime_ns, st_size): how a file in the sync folder is recognised as read already. No inode:
#: sync engines replace files, and a copied folder keeps times and sizes.
FileStamp = tuple[int, int]


def file_stamp(path: Path) -> FileStamp:
    """The stamp of the file at *path* (raises FileNotFoundError when there is none)."""
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size)


@dataclass
class Bookkeeping:
    """What a store has read from and written to one sync folder (see the module's last paragraph)."""

    path: Path
    folder: str
    device: str = ""
    # name in the sync folder -> stamp when it was merged
    pulled: dict[str, FileStamp] = field(default_factory=dict)
    # name in the sync folder -> stamp when it was reported as unreadable: not read again until it changes
    reported: dict[str, FileStamp] = field(default_factory=dict)
    # name in the device's folder -> (the store's revision of what was written there, the copy's stamp)
    published: dict[str, tuple[str, FileStamp]] = field(default_factory=dict)
    _loaded: bytes = b""

    @classmethod
    def load(cls, data_dir: Path, folder: Path) -> Bookkeeping:
        """What was read from and written to *folder* by the store in *data_dir* (nothing if unknown)."""
        path = data_dir / "cache" / BOOKKEEPING_FILE
        books = cls(path, str(folder))
        try:
            raw = path.read_bytes()
            parsed = jsontext.loads(raw)
            if parsed.get("folder") != str(folder):
                return books  # another folder: start over
            books.device = str(parsed["device"])
            books.pulled = {name: (int(a), int(b)) for name, (a, b) in parsed["pulled"].items()}
            # A revision written by an older TrayHabit ([mtime, size] of a file) is no text: that
            # file is written once more.
            books.published = {
                name: (revision if isinstance(revision, str) else "", (int(c), int(d)))
                for name, (revision, (c, d)) in parsed["published"].items()
            }
            # Absent from a file written before unreadable files were remembered.
            books.reported = {name: (int(a), int(b)) for name, (a, b) in parsed.get("reported", {}).items()}
            books._loaded = raw
        except FileNotFoundError:
            pass
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            # Derived data: a damaged file costs one full read and write, nothing else.
            log.warning("sync: %s is damaged (%s); reading the sync folder afresh", path, error)
            books.pulled, books.reported, books.published = {}, {}, {}
        return books

    def reset_if_for(self, device: str) -> None:
        """Forget everything if it was written for another device id (a data folder replaced)."""
        if self.device != device:
            self.device, self.pulled, self.reported, self.published = device, {}, {}, {}

    def save(self) -> None:
        """Write the bookkeeping down if it changed since it was loaded or last saved."""
        data = jsontext.dumps(
            {
                "folder": self.folder,
                "device": self.device,
                "pulled": self.pulled,
                "reported": self.reported,
                "published": self.published,
            },
            sort_keys=True,
        )
        if data != self._loaded:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, data)
            self._loaded = data
