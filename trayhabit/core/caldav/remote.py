"""The task list on the server as the sync sees it: items with an address (href), an ETag and their
iCalendar text, and the four writes it makes (create, update with If-Match, delete with If-Match).

:class:`TaskList` is the small interface the sync engine uses; :class:`CalDAVTaskList` implements it
with the ``caldav`` library (imported when a list is opened, see :mod:`trayhabit.core.caldav.connection`).
Every failure comes out as the library's or the HTTP library's exception; the connection module turns
it into one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class RemoteItem:
    """One calendar object resource on the server: where it is, its ETag and its iCalendar text."""

    href: str
    etag: str
    data: bytes


class ConflictError(Exception):
    """The server's copy changed since it was read (a 412 on If-Match); the next sync reads it anew."""


class TaskList(Protocol):
    """A task list on a CalDAV server."""

    @property
    def name(self) -> str:
        """The list's display name."""

    def items(self) -> list[RemoteItem]:
        """Every task on the list, completed ones too."""

    def create(self, data: bytes) -> tuple[str, str]:
        """Store a new task; its href and ETag (empty when the server gave none)."""

    def update(self, href: str, data: bytes, etag: str) -> str:
        """Replace the task at *href* if it still has *etag*; its new ETag. :class:`ConflictError` if not."""

    def delete(self, href: str, etag: str) -> None:
        """Remove the task at *href* if it still has *etag* (gone already is fine). :class:`ConflictError` if not."""

    def close(self) -> None:
        """Let go of the connection."""


class CalDAVTaskList:
    """A :class:`TaskList` over a ``caldav.Calendar``."""

    def __init__(self, calendar: Any, name: str) -> None:
        self._calendar = calendar
        self._name = name

    def close(self) -> None:
        """Close the client's connections (a server that keeps them alive would hold them open)."""
        self._calendar.client.close()

    @property
    def name(self) -> str:
        """The list's display name."""
        return self._name

    def items(self) -> list[RemoteItem]:
        """Every task on the list (one REPORT), completed ones too."""
        found = self._calendar.search(todo=True, include_completed=True)
        items = []
        for obj in found:
            raw = obj.raw_data if obj.raw_data is not None else obj.data
            data = raw.encode() if isinstance(raw, str) else bytes(raw)
            items.append(RemoteItem(str(obj.url), obj.etag or "", data))
        return items

    def create(self, data: bytes) -> tuple[str, str]:
        """Store a new task, refused by the server if its UID is taken."""
        from caldav import Todo

        obj = self._calendar.save_object(Todo, data.decode(), no_overwrite=True, increase_seqno=False)
        return str(obj.url), self._etag_of(obj)

    def update(self, href: str, data: bytes, etag: str) -> str:
        """Replace the task at *href* with If-Match on *etag*."""
        from caldav import Todo
        from caldav.lib.error import ETagMismatchError

        todo: Any = Todo  # the library's type hints make it a mere object
        obj = todo(self._calendar.client, url=href, data=data.decode(), parent=self._calendar)
        obj.props["{DAV:}getetag"] = etag
        try:
            obj.save(increase_seqno=False, precondition="etag")
        except ETagMismatchError:
            raise ConflictError(href) from None
        return self._etag_of(obj)

    def delete(self, href: str, etag: str) -> None:
        """Remove the task at *href* with If-Match on *etag*; a 404 means it is gone already."""
        from caldav import Todo
        from caldav.lib.error import ETagMismatchError, NotFoundError

        todo: Any = Todo  # the library's type hints make it a mere object
        obj = todo(self._calendar.client, url=href, parent=self._calendar)
        try:
            obj.delete(if_match=etag) if etag else obj.delete()
        except ETagMismatchError:
            raise ConflictError(href) from None
        except NotFoundError:
            return

    @staticmethod
    def _etag_of(obj: Any) -> str:
        """The ETag the server gave the write, or, when it gave none, the one it has now."""
        if not obj.etag:
            obj.load()
        return str(obj.etag or "")
