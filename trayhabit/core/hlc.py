"""When an edit happened, for the last-writer-wins merge of sync: a hybrid logical clock.

Computers sharing a sync folder keep the latest change of each habit and each shared setting, by the
time stamp the change carries (see :mod:`trayhabit.core.sync`). A computer whose clock runs years
ahead stamps its changes years ahead; compared by time alone, such a change would beat every later
change from the other computers until their clocks caught up.

The rule here stops that. A change is stamped with this computer's time, or just after the newest
stamp the changed document already carries, whichever is later::

    stamp = max(now, newest stamp seen + 1 microsecond)

so a change made after seeing a stamp from the future still comes after it, and wins. Each document
keeps its own clock: the stamps seen are those of the document changed (a habit's ``updated_at``, a
shared setting's stamp), not of the whole store, so that one computer's wrong clock pushes into the
future only the documents it changed, not every later edit of every habit on every computer.

What the rule cannot undo is a change from the future that nobody has seen yet: it wins over the
changes made meanwhile elsewhere, as any later change would. Sync logs such a stamp, naming the
computer, when it arrives (:data:`AHEAD_WARNING`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

#: The smallest step of a stamp: ISO times in TrayHabit's files have microseconds.
TICK = timedelta(microseconds=1)
#: A stamp from another computer this far ahead of this computer's clock is logged when merged.
AHEAD_WARNING = timedelta(minutes=5)


def next_stamp(now: datetime, seen: Iterable[datetime | None]) -> datetime:
    """The stamp of a change made at *now* to a document whose stamps so far are *seen*.

    *now* when it is later than all of them, otherwise the newest of them plus :data:`TICK`, in
    *now*'s time zone. A stamp without a time zone counts as UTC; None (never stamped) is ignored.
    """
    newest = max((_aware(stamp) for stamp in seen if stamp is not None), default=None)
    if newest is None or now > newest:
        return now
    try:
        return (newest + TICK).astimezone(now.tzinfo)
    except OverflowError:
        return newest.astimezone(now.tzinfo)  # the end of the calendar: equal stamps, then by device


def parse_stamp(text: object) -> datetime | None:
    """A stamp as stored (ISO 8601 text), or None for no stamp or one that is not a time."""
    if not isinstance(text, str) or not text or len(text) > 64:
        return None
    try:
        return _aware(datetime.fromisoformat(text))
    except ValueError:
        return None


def _aware(stamp: datetime) -> datetime:
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
