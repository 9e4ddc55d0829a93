"""Event and folder ids: random, and in the form every other tool reads as a UUID4."""

from __future__ import annotations

import uuid

from trayhabit.core.ids import new_hex_id, new_id


def test_ids_read_back_as_random_uuid4s_in_canonical_form():
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert str(parsed) == text  # lowercase, dashed: as str(uuid.uuid4()) writes it


def test_hex_ids_are_the_same_without_dashes():
    text = new_hex_id()
    assert len(text) == 32 and uuid.UUID(hex=text).version == 4 and uuid.UUID(hex=text).hex == text
