#!/usr/bin/env python3
"""Extract the gettext messages of the core and the command line into the ``.po`` catalogues.

Debian's xgettext is not always installed, and the messages are plain ``_("...")``,
``N_("...")`` (marked now, translated where shown) and ``ngettext("...", "...", n)`` calls, so Python's own ``ast`` finds them. Run from the repository root:

    scripts/extract_messages.py            # update trayhabit/locale/*/LC_MESSAGES/trayhabit.po
    scripts/extract_messages.py --check    # exit 1 if a catalogue lacks a message or a translation

Updating keeps every existing translation, adds new messages with an empty translation and drops
messages the code no longer uses. Entries are sorted by message, so diffs stay small and stable.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "trayhabit" / "core", ROOT / "trayhabit" / "cli.py", ROOT / "trayhabit" / "commands.py")
LOCALE_DIR = ROOT / "trayhabit" / "locale"
DOMAIN = "trayhabit"


@dataclass
class Entry:
    """One message of a catalogue: its source text(s), translation(s) and where the code uses it."""

    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    references: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.msgid, self.msgid_plural)

    @property
    def translated(self) -> bool:
        return not self.fuzzy and all(self.msgstr)


def source_files() -> list[Path]:
    """The Python files whose messages go into the gettext catalogue."""
    files: list[Path] = []
    for source in SOURCES:
        files.extend(sorted(source.rglob("*.py")) if source.is_dir() else [source])
    return files


def extract(files: list[Path] | None = None) -> dict[tuple[str, str | None], Entry]:
    """Every ``_()`` / ``N_()`` / ``ngettext()`` message in *files*, keyed by (singular, plural)."""
    found: dict[tuple[str, str | None], Entry] = {}
    for path in files if files is not None else source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            # Only literal arguments: a message built at run time cannot be in a catalogue.
            strings = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
            texts = [text for text in strings[:2] if isinstance(text, str)]
            if node.func.id in ("_", "N_") and texts:
                key: tuple[str, str | None] = (texts[0], None)
            elif node.func.id == "ngettext" and len(texts) == 2:
                key = (texts[0], texts[1])
            else:
                continue
            entry = found.setdefault(key, Entry(key[0], key[1], ["", ""] if key[1] else [""]))
            # The file only, not the line: line numbers would churn the catalogue on every edit.
            reference = path.relative_to(ROOT).as_posix()
            if reference not in entry.references:
                entry.references.append(reference)
    return found


# -- reading and writing .po files -----------------------------------------------------------------


def _unquote(text: str) -> str:
    # A .po string is a C string literal; Python's literal syntax is close enough for the escapes we write.
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'


def read_po(path: Path) -> tuple[str, dict[tuple[str, str | None], Entry]]:
    """The header (the translation of the empty message) and the entries of a ``.po`` file."""
    entries: dict[tuple[str, str | None], Entry] = {}
    header = ""
    current: dict[str, str] = {}
    fuzzy = False
    last = ""

    def finish() -> None:
        nonlocal header, current, fuzzy
        if "msgid" in current:
            if current["msgid"] == "":
                header = current.get("msgstr", "")
            else:
                plural = current.get("msgid_plural")
                if plural is None:
                    msgstr = [current.get("msgstr", "")]
                else:
                    count = len([k for k in current if k.startswith("msgstr[")])
                    msgstr = [current.get(f"msgstr[{i}]", "") for i in range(max(count, 1))]
                entry = Entry(current["msgid"], plural, msgstr, fuzzy=fuzzy)
                entries[entry.key] = entry
        current, fuzzy = {}, False

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[last] += _unquote(line)
        else:
            keyword, _space, rest = line.partition(" ")
            last = keyword
            current[keyword] = _unquote(rest)
    return header, entries


def write_po(path: Path, header: str, entries: dict[tuple[str, str | None], Entry]) -> None:
    """Write a ``.po`` file, entries sorted by message so that the file is stable."""
    lines = ['msgid ""', 'msgstr ""']
    lines.extend(_quote(part) for part in header.splitlines(keepends=True))
    for key in sorted(entries, key=lambda k: (k[0], k[1] or "")):
        entry = entries[key]
        lines.append("")
        lines.extend(f"#: {ref}" for ref in entry.references)
        if entry.fuzzy:
            lines.append("#, fuzzy")
        if "{" in entry.msgid:
            lines.append("#, python-brace-format")
        elif "%" in entry.msgid:
            lines.append("#, python-format")
        lines.append(f"msgid {_quote(entry.msgid)}")
        if entry.msgid_plural is None:
            lines.append(f"msgstr {_quote(entry.msgstr[0])}")
        else:
            lines.append(f"msgid_plural {_quote(entry.msgid_plural)}")
            lines.extend(f"msgstr[{i}] {_quote(text)}" for i, text in enumerate(entry.msgstr))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def merge(
    existing: dict[tuple[str, str | None], Entry], found: dict[tuple[str, str | None], Entry]
) -> dict[tuple[str, str | None], Entry]:
    """The messages *found* in the code, with the translations that *existing* already has."""
    merged: dict[tuple[str, str | None], Entry] = {}
    for key, entry in found.items():
        old = existing.get(key)
        merged[key] = Entry(
            entry.msgid,
            entry.msgid_plural,
            list(old.msgstr) if old else list(entry.msgstr),
            list(entry.references),
            fuzzy=old.fuzzy if old else False,
        )
    return merged


def catalogues() -> list[Path]:
    """The ``.po`` files of every language."""
    return sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def problems(path: Path) -> list[str]:
    """What is wrong with one catalogue: messages missing, stale, untranslated or fuzzy."""
    _header, entries = read_po(path)
    found = extract()
    out = [f"{path.name}: missing {key[0]!r}" for key in found if key not in entries]
    out += [f"{path.name}: no longer used {key[0]!r}" for key in entries if key not in found]
    out += [f"{path.name}: untranslated {key[0]!r}" for key, e in entries.items() if not e.translated]
    return out


def main(argv: list[str] | None = None) -> int:
    """Update the catalogues (or only check them with ``--check``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="report problems; change nothing")
    args = parser.parse_args(argv)
    if args.check:
        found = [problem for path in catalogues() for problem in problems(path)]
        for problem in found:
            sys.stderr.write(problem + "\n")
        return 1 if found else 0
    found_entries = extract()
    for path in catalogues():
        header, existing = read_po(path)
        write_po(path, header, merge(existing, found_entries))
        untranslated = sum(1 for e in read_po(path)[1].values() if not e.translated)
        sys.stdout.write(
            f"{path.relative_to(ROOT)}: {len(found_entries)} messages, {untranslated} to translate\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
