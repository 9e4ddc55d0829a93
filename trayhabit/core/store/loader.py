"""The hot/cold month loader: which months' files are read at a sync of the store with the disk.

The months from the hot horizon on (see :data:`~trayhabit.core.store.layout.HOT_SPAN`) are read at
once; older ones are only listed (cold) and read when something asks for them, then let go again once
many were read (:func:`evict_old_months`). Listing the events folder costs a stat per month of
history, so a listing is reused while the folder is unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from stat import S_ISREG

from trayhabit.core.store.files import Damage, PartitionFile, load_partition
from trayhabit.core.store.layout import (
    EVENTS_DIR,
    KEEP_OLD_MONTHS,
    PARTITION_FILE,
    Signature,
    partition_path,
    signature_of,
    stat_signature,
)
from trayhabit.core.store.state import State

# Listing events/ costs a stat per month of history at every read. The listing is reused while the
# folder's own signature is unchanged (files are added, replaced and removed by renames, which change
# it), but only once the folder's modification time is older than the last listing by this margin:
# time stamps are coarse (a clock tick, or seconds on some file systems), so a rename within the same
# tick as the listing could leave the signature as it was.
_LISTING_MARGIN_NS = 2_000_000_000
# A file edited in place (no rename) leaves the folder's signature alone: the loaded months are
# checked one by one at every read anyway, and the whole listing is taken again this often.
_LISTING_MAX_AGE_NS = 60_000_000_000

#: A month's file as read at a sync: its events, the damage found in it, or None when it is gone.
Loaded = PartitionFile | Damage | None


class MonthLoader:
    """Finds and reads the months' files of the data folder *data_dir*.

    *wall_ns* is the system clock in nanoseconds since the epoch (see
    :meth:`trayhabit.core.clock.Clock.wall_ns`), to compare with the folder's modification time.
    """

    def __init__(self, data_dir: Path, wall_ns: Callable[[], int]) -> None:
        self._dir = data_dir
        self._wall_ns = wall_ns
        # The events folder's signature when it was last listed, and until when (wall_ns()) that
        # listing may be reused while the signature stays the same.
        self._listing: tuple[Signature | None, int] | None = None

    def scan(self) -> dict[str, tuple[str, Signature]]:
        """The events files on disk: month -> (path, signature)."""
        found: dict[str, tuple[str, Signature]] = {}
        try:
            with os.scandir(self._dir / EVENTS_DIR) as entries:
                for entry in entries:
                    match = PARTITION_FILE.match(entry.name)
                    if match is None:
                        continue
                    try:
                        stat = entry.stat()
                    except FileNotFoundError:
                        continue
                    if S_ISREG(stat.st_mode):
                        found[match.group(1)] = (entry.path, signature_of(stat))
        except FileNotFoundError:
            pass  # no event recorded yet
        return found

    def read(
        self, state: State | None, horizon: str, *, opening: bool
    ) -> tuple[dict[str, Loaded], dict[str, Signature], set[str]]:
        """The partitions to load (read now, or found damaged), those left cold, and the loaded months
        whose files are gone; nothing is changed yet."""
        known = state.partition_signatures if state is not None else {}
        on_disk, listed = self._list(state, horizon, fresh=opening)
        partitions: dict[str, Loaded] = {}
        # Without a new listing, only the loaded months were looked at: the cold ones stay as they were.
        cold: dict[str, Signature] = {} if listed or state is None else dict(state.cold)
        for month, (path, signature) in on_disk.items():
            if month in known:
                if known[month] != signature:
                    partitions[month] = load_partition(month, Path(path))
            elif month < horizon or (state is not None and month in state.cold):
                cold[month] = signature  # read when something asks for that far back
            else:
                partitions[month] = load_partition(month, Path(path))
        gone = {month for month in known if month not in on_disk}
        return partitions, cold, gone

    def _list(
        self, state: State | None, horizon: str, *, fresh: bool
    ) -> tuple[dict[str, tuple[str, Signature]], bool]:
        """The events files on disk, month -> (path, signature), and whether the folder was listed.

        The folder is listed again only when it changed since the last listing (or that is too old to
        trust, see :data:`_LISTING_MARGIN_NS`); otherwise only the loaded months from *horizon* (the
        first month read at open) on are looked at, one by one, and returned with the older ones.
        """
        now_ns = self._wall_ns()  # the file system's clock, to compare with its time stamps
        folder_signature = stat_signature(self._dir / EVENTS_DIR)
        listing = self._listing
        if (
            not fresh
            and state is not None
            and listing is not None
            and listing[0] == folder_signature
            and now_ns < listing[1]
        ):
            # The recent months, which other processes write, are checked; older loaded ones are taken
            # as they were, like the cold ones, until the next listing.
            found: dict[str, tuple[str, Signature]] = {}
            for month, known in state.partition_signatures.items():
                if month < horizon:
                    found[month] = ("", known)
                    continue
                path = partition_path(self._dir, month)
                signature = stat_signature(path)
                if signature is not None:
                    found[month] = (str(path), signature)
            return found, False
        found = self.scan()
        trusted_until = 0
        if folder_signature is not None and folder_signature[1] < now_ns - _LISTING_MARGIN_NS:
            trusted_until = now_ns + _LISTING_MAX_AGE_NS
        # The folder's signature from before the listing: a change made during it shows at the next read.
        self._listing = (folder_signature, trusted_until)
        return found, True


def evict_old_months(state: State, horizon: str) -> None:
    """Let the months read on demand go again once a whole history has been read.

    A habit with a new schedule, an export or an undo of a months-old mark reads every month,
    ten years of them in a long history: hundreds of megabytes the tray would otherwise keep
    all day. The few months a weekly habit's checkpoint reaches back to stay (see
    :data:`~trayhabit.core.store.layout.KEEP_OLD_MONTHS`), so its looks do not read them again
    each time. *horizon* is the first month read at start-up.
    """
    old = [month for month in state.partition_signatures if month < horizon]
    if len(old) <= KEEP_OLD_MONTHS:
        return
    for month in old:
        state.cool_month(month)
