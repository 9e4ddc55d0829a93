"""The journal as this process last wrote it, so that a check-off adds its event without reading the
journal back and encoding it again.

The journal holds this month's events until it is folded into the months' files (see
:mod:`trayhabit.core.store.writer`); each commit replaces it whole, since every write is atomic
(a new file, renamed over the old). Through TinyDB that meant parsing the journal, adding the event
and encoding every event again: on the benchmark's store, whose journal holds two days of fifty
habits' events, a check-off cost a third more than on an empty one, and more each day of the month.

While the file on disk is still the one this process wrote (its signature unchanged: under the store's
lock nothing else writes it), the bytes written then are its contents exactly, and the new events'
text goes in before the closing braces: the same bytes TinyDB would have written, for the price of
copying them. Any other change to the file (another process, a repair, a fold) changes its signature,
and the next commit takes the TinyDB way again, which makes a new tail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trayhabit.core import jsontext
from trayhabit.core.store.layout import Signature

# The journal's table of events, which TinyDB writes after "meta" (the table it starts the file with).
EVENTS_TABLE = "events"
# A document whose last table is a non-empty one of events ends with the last event's, the table's and
# the document's closing braces.
_CLOSING = b"}}}"


@dataclass(frozen=True)
class JournalTail:
    """The journal's bytes as written (*data*), the file's *signature* then and the next TinyDB
    document id."""

    signature: Signature
    data: bytes
    next_id: int

    @classmethod
    def of(cls, document: Mapping[str, Any], data: bytes, signature: Signature) -> JournalTail | None:
        """The tail of a journal just written through TinyDB as *document* (the bytes *data*); None when
        its events are not the file's last table, or it has none, so no event can be spliced in."""
        tables = list(document)
        events = document.get(EVENTS_TABLE)
        if not tables or tables[-1] != EVENTS_TABLE or not isinstance(events, Mapping) or not events:
            return None
        if not data.endswith(_CLOSING):
            return None
        try:
            next_id = max(int(key) for key in events) + 1
        except ValueError:
            return None  # a document id that is no number: not TinyDB's own
        return cls(signature, data, next_id)

    def with_events(self, docs: Sequence[Mapping[str, Any]]) -> bytes:
        """The journal's bytes with *docs* added after its last event, numbered as TinyDB would."""
        entries = b",".join(
            b'"%d":%s' % (self.next_id + offset, jsontext.dumps(doc)) for offset, doc in enumerate(docs)
        )
        return b"".join((self.data[: -len(_CLOSING) + 1], b",", entries, b"}}"))

    def after(self, docs: Sequence[Mapping[str, Any]], data: bytes, signature: Signature) -> JournalTail:
        """The tail once *docs* were written, as the bytes *data*, leaving the file with *signature*."""
        return JournalTail(signature, data, self.next_id + len(docs))
