"""Export and import files that were edited, damaged or written to harm: a clean answer every time.

The command line is driven as in test_cli.py; the CSV escaping is also checked as a property.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest

from tests.unit.test_cli import QUOTES, STOCKHOLM, Cli, cli  # noqa: F401 (cli is a fixture)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_a_csv_export_without_edit_times_imports_over_the_same_habit(cli: Cli, tmp_path: Path):
    # A spreadsheet user cleared the time columns; the habit is already in this store.
    cli.ok(*QUOTES)
    rows = _rows(cli.ok("export", "--format", "csv").out)
    rows[0]["created_at"] = rows[0]["updated_at"] = ""
    rows[0]["why"] = "Changed in the spreadsheet"
    edited = tmp_path / "edited.csv"
    _write_csv(edited, rows)
    before = cli.ok("list", "--json").json()

    result = cli("import", str(edited), "--json")

    assert result.code == 0, result.err
    # A version with no edit time is older than any edited one: the store's version stays.
    assert result.json() == {"habits_added": 0, "habits_updated": 0, "events_added": 0}
    assert cli.ok("list", "--json").json() == before
