#!/usr/bin/env python3
"""Compile the gettext catalogues (``.po``) into the binary ``.mo`` files that ``gettext`` reads.

A small stand-in for GNU msgfmt, so that the build needs nothing beyond Python. Run from the
repository root (``make`` does it before ``run`` and ``test``):

    scripts/compile_messages.py

Untranslated and fuzzy entries are left out, so gettext falls back to the English text for them.
The ``.mo`` layout is the GNU one: a header, two tables of (length, offset) pairs for the original
and translated strings sorted by original, then the strings themselves, NUL-terminated.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_messages import ROOT, catalogues, read_po

MAGIC = 0x950412DE


def compile_po(po: Path, mo: Path) -> int:
    """Write *mo* from *po*; return the number of translated messages written."""
    header, entries = read_po(po)
    pairs: dict[bytes, bytes] = {b"": header.encode("utf-8")}
    for entry in entries.values():
        if not entry.translated:
            continue
        if entry.msgid_plural is None:
            original, translated = entry.msgid, entry.msgstr[0]
        else:
            # Plural forms are stored NUL-separated under "singular\0plural".
            original = f"{entry.msgid}\0{entry.msgid_plural}"
            translated = "\0".join(entry.msgstr)
        pairs[original.encode("utf-8")] = translated.encode("utf-8")
    keys = sorted(pairs)
    originals = b"".join(key + b"\0" for key in keys)
    translations = b"".join(pairs[key] + b"\0" for key in keys)
    count = len(keys)
    table_start = 7 * 4
    originals_start = table_start + 2 * 8 * count
    translations_start = originals_start + len(originals)
    original_table: list[int] = []
    translated_table: list[int] = []
    offset = 0
    for key in keys:
        original_table += [len(key), originals_start + offset]
        offset += len(key) + 1
    offset = 0
    for key in keys:
        translated_table += [len(pairs[key]), translations_start + offset]
        offset += len(pairs[key]) + 1
    data = struct.pack("<7I", MAGIC, 0, count, table_start, table_start + 8 * count, 0, 0)
    data += struct.pack(f"<{2 * count}I", *original_table)
    data += struct.pack(f"<{2 * count}I", *translated_table)
    data += originals + translations
    mo.parent.mkdir(parents=True, exist_ok=True)
    mo.write_bytes(data)
    return count - 1


def main() -> int:
    """Compile every catalogue next to its ``.po`` file."""
    for po in catalogues():
        mo = po.with_suffix(".mo")
        count = compile_po(po, mo)
        sys.stdout.write(f"{mo.relative_to(ROOT)}: {count} messages\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
