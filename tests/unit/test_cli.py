"""The command line as a user drives it (DESIGN section 6), with a fake clock and a temp data folder."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
from trayhabit.cli import main

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=STOCKHOLM)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


class Cli:
    """Runs ``trayhabit`` in-process against one data folder, with a clock the test moves."""

    def __init__(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data_dir = data_dir
        self.capsys = capsys
        self.clock = FakeClock(WEDNESDAY)

    def __call__(self, *args: str) -> Result:
        try:
            code = main(["--data-dir", str(self.data_dir), *args], clock=self.clock)
        except SystemExit as exit_:  # argparse: --help, --version and usage errors
            code = int(exit_.code or 0)
        out, err = self.capsys.readouterr()
        return Result(code, out, err)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.code == 0, result.err
        return result

    def snapshot(self) -> dict[str, bytes]:
        """Every file of the store, byte for byte (the lock file aside: locking may create it; and the
        log, which is not the store)."""
        return {
            str(path.relative_to(self.data_dir)): path.read_bytes()
            for path in sorted(self.data_dir.rglob("*"))
            if path.is_file() and path.name != ".lock" and path.parts[len(self.data_dir.parts)] != "logs"
        }


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "data", capsys)


QUOTES = (
    "add",
    "Follow up sent quotes",
    "--every",
    "week",
    "--on",
    "mon",
    "--at",
    "09:00",
    "--why",
    "Deals close on follow-up",
)


def test_a_weekly_habit_is_added_pre_empted_shown_and_exported(cli: Cli, tmp_path: Path):
    added = cli.ok(*QUOTES, "--json").json()
    assert added["name"] == "Follow up sent quotes"
    assert added["state"] == "learning"
    assert added["next_reminder"] == "2026-11-30T09:00:00+01:00"

    cli.clock.set(datetime(2026, 11, 27, 15, 30, tzinfo=STOCKHOLM))  # Friday, before Monday's reminder
    done = cli.ok("done", "follow up SENT quotes", "--json").json()
    assert done["outcome"] == "preemptive"

    shown = cli.ok("show", added["id"], "--json").json()
    assert shown["current"]["status"] == "preemptive"
    # Monday's reminder is suppressed: the next one to fire is the Monday after.
    assert shown["next_reminder"] == "2026-12-07T09:00:00+01:00"
    assert set(shown["counts"]) == {"preemptive", "reminded", "late", "missed", "skipped"}
    assert shown["graduation"]["suggested"] is False
    assert shown["graduation"]["reason"]

    cli.clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=STOCKHOLM))  # the window has closed: settled
    shown = cli.ok("show", "Follow up sent quotes", "--json").json()
    assert shown["counts"]["preemptive"] == 1
    assert shown["score"] == pytest.approx(1 - 2 ** (-1 / (24 / 7**0.5)), abs=1e-6)

    out = tmp_path / "export.json"
    cli.ok("export", "-o", str(out))
    exported = json.loads(out.read_text())
    assert [h["name"] for h in exported["habits"]] == ["Follow up sent quotes"]
    assert [e["kind"] for e in exported["events"]] == ["done"]

    human = cli.ok("show", "Follow up sent quotes").out
    assert "every Monday at 09:00" in human
    assert "Deals close on follow-up" in human


def test_a_check_off_after_the_reminder_time_counts_as_reminded(cli: Cli):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00")
    cli.clock.set(datetime(2026, 11, 26, 9, 30, tzinfo=STOCKHOLM))
    assert cli.ok("done", "Stretch", "--json").json()["outcome"] == "reminded"


def test_list_shows_every_habit_as_json_and_as_a_table(cli: Cli):
    cli.ok(*QUOTES)
    cli.ok(
        "add", "Follow up after a customer meeting", "--rrule", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0"
    )
    listed = cli.ok("list", "--json").json()
    assert [item["name"] for item in listed] == [
        "Follow up sent quotes",
        "Follow up after a customer meeting",
    ]
    assert listed[1]["at"] == "16:00"
    table = cli.ok("list").out
    assert "Follow up after a customer meeting" in table and "learning" in table


def test_skip_then_undo_then_done(cli: Cli):
    cli.ok("add", "Stretch", "--every", "day", "--at", "18:00")
    cli.clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=STOCKHOLM))
    assert cli.ok("skip", "Stretch", "--json").json()["outcome"] == "skipped"
    undone = cli.ok("undo", "Stretch")
    assert "Took back the skip" in undone.out
    assert cli.ok("done", "Stretch", "--json").json()["outcome"] == "preemptive"


def test_a_back_fill_into_a_closed_window_is_late(cli: Cli):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00", "--start", "2026-11-20")
    result = cli.ok("done", "Stretch", "--at", "2026-11-22T08:00", "--json").json()
    assert result["outcome"] == "late"


def test_graduate_is_refused_with_the_reason_unless_forced(cli: Cli):
    cli.ok(*QUOTES)
    refused = cli("graduate", "Follow up sent quotes")
    assert refused.code == 1
    assert "Not yet" in refused.err and "--force" in refused.err
    graduated = cli.ok("graduate", "Follow up sent quotes", "--force", "--json").json()
    assert graduated["state"] == "graduated"
    assert graduated["next_reminder"] is None


def test_a_graduated_habit_that_relapses_gets_its_reminder_back(cli: Cli):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00", "--start", "2026-11-25")
    cli.ok("graduate", "Stretch", "--force")
    cli.clock.set(datetime(2026, 11, 28, 12, 0, tzinfo=STOCKHOLM))  # two days missed since
    shown = cli.ok("show", "Stretch", "--json").json()
    assert shown["state"] == "learning"
    assert "twice in a row" in shown["state_reason"]
    assert shown["next_reminder"] is not None


def test_remove_hides_the_habit_and_frees_its_name(cli: Cli):
    cli.ok(*QUOTES)
    cli.ok("remove", "Follow up sent quotes", "--yes")
    assert cli.ok("list", "--json").json() == []
    cli.ok(*QUOTES)


def test_config_reads_and_changes_settings(cli: Cli):
    assert cli.ok("config", "snooze_minutes").out.strip() == "10"
    cli.ok("config", "snooze_minutes", "15")
    assert cli.ok("config", "--json").json()["snooze_minutes"] == 15
    cli.ok("config", "day_boundary", "3:30")
    assert cli.ok("config", "day_boundary").out.strip() == "03:30"


def test_json_export_and_import_round_trip_losslessly(cli: Cli, tmp_path: Path, capsys):
    cli.ok(*QUOTES)
    cli.ok("add", "Stretch", "--every", "3-days", "--at", "07:15:30", "--why", "Rygg och nacke – må bättre")
    cli.clock.set(datetime(2026, 11, 27, 15, 30, tzinfo=STOCKHOLM))
    cli.ok("done", "Follow up sent quotes")
    cli.ok("skip", "Stretch")
    cli.ok("config", "snooze_minutes", "20")
    for fmt in ("json", "csv"):
        exported = tmp_path / f"all.{fmt}"
        cli.ok("export", "--format", fmt, "-o", str(exported))
        other = Cli(tmp_path / f"other-{fmt}", capsys)
        other.clock = cli.clock
        result = other.ok("import", str(exported), "--json").json()
        assert result == {"habits_added": 2, "habits_updated": 0, "events_added": 2}
        assert other.ok("list", "--json").json() == cli.ok("list", "--json").json()
        again = tmp_path / f"again.{fmt}"
        other.ok("export", "--format", fmt, "-o", str(again))
        if fmt == "json":
            first, second = json.loads(exported.read_text()), json.loads(again.read_text())
            assert first["habits"] == second["habits"] and first["events"] == second["events"]
            assert second["settings"]["snooze_minutes"] == 20
        else:
            assert exported.read_text() == again.read_text()
        # Importing the same file again adds nothing.
        assert other.ok("import", str(exported), "--json").json()["events_added"] == 0


def test_csv_export_says_how_each_check_off_counted(cli: Cli, tmp_path: Path):
    cli.ok(*QUOTES)
    cli.clock.set(datetime(2026, 11, 27, 15, 30, tzinfo=STOCKHOLM))
    cli.ok("done", "Follow up sent quotes")
    text = cli.ok("export", "--format", "csv").out
    header, *rows = text.splitlines()
    assert header.startswith("record,habit_id,name")
    assert rows[0].startswith("habit,")
    assert rows[1].startswith("event,") and rows[1].endswith(",preemptive")


def test_data_dir_comes_from_the_option_then_the_environment(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("TRAYHABIT_DATA_DIR", str(tmp_path / "from-env"))
    clock = FakeClock(WEDNESDAY)
    assert main(["add", "A", "--every", "day", "--at", "09:00"], clock=clock) == 0
    # --data-dir after the subcommand wins over the environment.
    assert (
        main(
            ["add", "B", "--every", "day", "--at", "09:00", "--data-dir", str(tmp_path / "opt")], clock=clock
        )
        == 0
    )
    capsys.readouterr()
    assert main(["list", "--json"], clock=clock) == 0
    assert [h["name"] for h in json.loads(capsys.readouterr().out)] == ["A"]
    assert main(["--data-dir", str(tmp_path / "opt"), "list", "--json"], clock=clock) == 0
    assert [h["name"] for h in json.loads(capsys.readouterr().out)] == ["B"]


def test_version(cli: Cli):
    from trayhabit import __version__

    assert cli("--version").out.strip() == f"trayhabit {__version__}"


# -- bad input: one clear line on stderr, a non-zero exit, and the store byte-for-byte unchanged ---------

BAD_INPUT = [
    pytest.param(
        ("add", "follow UP sent quotes", "--every", "day", "--at", "09:00"),
        "already a habit",
        id="add-duplicate-name",
    ),
    pytest.param(("add", "X", "--every", "day", "--at", "25:00"), "not a time", id="add-bad-time"),
    pytest.param(("add", "X", "--every", "day", "--at", "9"), "not a time", id="add-time-without-minutes"),
    pytest.param(("add", "X", "--rrule", "FREQ=SOMETIMES", "--at", "09:00"), "FREQ", id="add-bad-rrule"),
    pytest.param(("add", "X", "--rrule", "FREQ=HOURLY", "--at", "09:00"), "once a day", id="add-sub-daily"),
    pytest.param(("add", "X", "--rrule", "FREQ=DAILY"), "--at", id="add-no-time"),
    pytest.param(("add", "X", "--every", "fortnight", "--at", "09:00"), "not a repeat", id="add-bad-every"),
    pytest.param(
        ("add", "X", "--every", "week", "--on", "funday", "--at", "09:00"), "day of the week", id="add-bad-on"
    ),
    pytest.param(
        ("add", "X", "--every", "day", "--at", "09:00", "--start", "2026-13-01"),
        "not a date",
        id="add-bad-start",
    ),
    pytest.param(("add", "  ", "--every", "day", "--at", "09:00"), "needs a name", id="add-empty-name"),
    pytest.param(
        ("add", "X", "--every", "day", "--at", "09:00", "--start", "9999-12-31"),
        "before the year 9000",
        id="add-start-too-far-ahead",
    ),
    pytest.param(("add", "X", "--at", "09:00"), "--rrule", id="add-no-schedule"),
    pytest.param(("done", "Nope"), "no habit", id="done-unknown"),
    pytest.param(
        ("done", "Follow up sent quotes", "--at", "yesterday"), "not a date and time", id="done-bad-time"
    ),
    pytest.param(("done", "Follow up sent quotes", "--at", "2026-11-25T23:00"), "future", id="done-future"),
    pytest.param(
        ("done", "Follow up sent quotes", "--at", "2026-11-01T10:00"), "starts on", id="done-before-start"
    ),
    pytest.param(
        ("done", "Follow up sent quotes", "--at", "2026-02-30T10:00"),
        "not a date and time",
        id="done-impossible-date",
    ),
    pytest.param(("undo", "Follow up sent quotes"), "nothing|no check-off", id="undo-nothing"),
    pytest.param(("undo", "Nope"), "no habit", id="undo-unknown"),
    pytest.param(("skip", "Nope"), "no habit", id="skip-unknown"),
    pytest.param(("show", "Nope"), "no habit", id="show-unknown"),
    pytest.param(("show",), "required", id="show-missing-argument"),
    pytest.param(("graduate", "Follow up sent quotes"), "Not yet", id="graduate-not-suggested"),
    pytest.param(("graduate", "Nope", "--force"), "no habit", id="graduate-unknown"),
    pytest.param(("remove", "Nope"), "no habit", id="remove-unknown"),
    pytest.param(("config", "no_such_setting"), "no setting", id="config-unknown-key"),
    pytest.param(("config", "snooze_minutes", "soon"), "whole number", id="config-bad-value"),
    pytest.param(("config", "day_boundary", "27:00"), "day_boundary", id="config-bad-time"),
    pytest.param(("export", "--format", "xml"), "invalid choice", id="export-bad-format"),
    pytest.param(("export", "--events"), "--format ics", id="export-events-without-ics"),
    pytest.param(("export", "--tasks"), "--format ics", id="export-tasks-without-ics"),
    pytest.param(
        ("export", "--format", "ics", "--tasks", "--events"), "one or the other", id="export-tasks-and-events"
    ),
    pytest.param(("import", "/nonexistent/file.json"), "Cannot read", id="import-missing-file"),
    pytest.param(("frobnicate",), "invalid choice", id="unknown-command"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_changes_nothing_and_says_why_in_one_line(cli: Cli, args: tuple[str, ...], message: str):
    import re

    cli.ok(*QUOTES)
    before = cli.snapshot()
    result = cli(*args)
    assert result.code != 0
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert re.search(message, lines[0], re.IGNORECASE), lines[0]
    assert cli.snapshot() == before


def test_a_second_check_off_of_one_occurrence_is_refused(cli: Cli):
    cli.ok(*QUOTES)
    cli.ok("done", "Follow up sent quotes")
    before = cli.snapshot()
    result = cli("done", "Follow up sent quotes")
    assert result.code == 1 and "already checked off" in result.err
    assert cli.snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"{not json", "not valid JSON", id="malformed-json"),
        pytest.param(b'{"habits": []}', "not a TrayHabit export", id="not-an-export"),
        pytest.param(b"name,when\nx,y\n", "CSV", id="foreign-csv"),
        pytest.param(b"\xff\xfe\x00garbage", "UTF-8|CSV", id="binary"),
    ],
)
def test_a_malformed_import_file_changes_nothing(cli: Cli, tmp_path: Path, content: bytes, message: str):
    import re

    cli.ok(*QUOTES)
    before = cli.snapshot()
    bad = tmp_path / ("bad.json" if content.startswith(b"{") else "bad.csv")
    bad.write_bytes(content)
    result = cli("import", str(bad))
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1
    assert re.search(message, result.err), result.err
    assert cli.snapshot() == before


def test_an_import_with_one_bad_habit_or_a_name_clash_imports_nothing(cli: Cli, tmp_path: Path, capsys):
    cli.ok(*QUOTES)
    exported = tmp_path / "export.json"
    cli.ok("export", "-o", str(exported))
    other = Cli(tmp_path / "other", capsys)
    other.ok("add", "Stretch", "--every", "day", "--at", "08:00")
    other.ok(*QUOTES)  # same name, different habit
    before = other.snapshot()
    clash = other("import", str(exported))
    assert clash.code == 1 and "already has a different one" in clash.err
    assert other.snapshot() == before

    document = json.loads(exported.read_text())
    document["habits"][0]["rrule"] = "FREQ=NEVER"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    before = cli.snapshot()
    result = cli("import", str(broken))
    assert result.code == 1 and "habit 1" in result.err
    assert cli.snapshot() == before


def test_without_a_desktop_session_the_app_says_it_needs_one(tmp_path: Path):
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["TRAYHABIT_DATA_DIR"] = str(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "trayhabit"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "needs a desktop session" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "data").exists()  # nothing created just to say so


def test_config_start_at_login_writes_the_login_entry(cli: Cli, tmp_path: Path, monkeypatch):
    import configparser

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    entry = tmp_path / "config" / "autostart" / "trayhabit.desktop"
    cli.ok("config", "start_at_login", "true")
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(entry)
    assert "trayhabit" in parser["Desktop Entry"]["Exec"]
    cli.ok("config", "start_at_login", "false")
    assert not entry.exists()


def test_internal_settings_are_not_listed(cli: Cli):
    assert "welcomed" not in cli.ok("config").out


def test_two_computers_share_habits_through_a_sync_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    laptop, desktop = Cli(tmp_path / "laptop", capsys), Cli(tmp_path / "desktop", capsys)
    folders = {cli: tmp_path / f"{name}-Sync" for cli, name in ((laptop, "laptop"), (desktop, "desktop"))}
    assert desktop("sync").err == (
        "trayhabit: Sync is off: choose a folder with `trayhabit config sync_folder PATH` first.\n"
    )
    for cli, folder in folders.items():
        folder.mkdir()
        cli.ok("config", "sync_folder", str(folder))
    laptop.ok(*QUOTES)
    laptop.ok("done", "Follow up sent quotes")
    # The sync engine's part: the laptop's files reach the desktop's copy of the folder.
    shutil.copytree(folders[laptop] / "devices", folders[desktop] / "devices", dirs_exist_ok=True)
    listed = desktop.ok("list", "--json").json()  # every command takes in the others' changes first
    assert [habit["name"] for habit in listed] == ["Follow up sent quotes"]
    assert listed[0]["current"]["status"] != "open"
    shown = desktop.ok("show", "Follow up sent quotes", "--json").json()
    assert shown == laptop.ok("show", "Follow up sent quotes", "--json").json()
    report = desktop.ok("sync", "--json").json()
    assert report["available"] is True
    assert len(report["devices"]) == 1
    assert report["events_added"] == 0  # taken in already by `list`


def test_a_sync_folder_that_is_away_is_reported_and_nothing_fails(tmp_path: Path, cli: Cli):
    folder = tmp_path / "Sync"
    folder.mkdir()
    cli.ok("config", "sync_folder", str(folder))
    shutil.rmtree(folder)  # a drive taken away
    cli.ok(*QUOTES)
    out = cli.ok("sync").out
    assert out.startswith(f"The sync folder {folder} is not there")
    assert cli("config", "sync_folder", str(tmp_path / "nowhere")).err == (
        f"trayhabit: Setting sync_folder cannot be “{tmp_path / 'nowhere'}”: {tmp_path / 'nowhere'} is not an "
        "existing folder.\n"
    )


# -- calendar files -----------------------------------------------------------------------------------

ICAL = Path(__file__).parent.parent / "fixtures" / "ical"


class _Terminal:
    """Standard input as a terminal where the user types *answer*."""

    def __init__(self, answer: str) -> None:
        self.answer = answer

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        return self.answer


def test_an_outlook_task_is_previewed_confirmed_and_becomes_a_habit(cli: Cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Terminal("j\n"))
    cli.ok("config", "language", "sv")
    result = cli.ok("import", str(ICAL / "outlook-tasks.ics"))
    assert "+ Följ upp skickade offerter" in result.out
    assert "- Kundmöte med Andersson AB" in result.out
    assert "Skapa den här vanan? [j/N]" in result.out
    (created,) = cli.ok("list", "--json").json()
    assert created["name"] == "Följ upp skickade offerter"
    assert created["rrule"] == "FREQ=WEEKLY;BYDAY=MO"
    assert created["at"] == "08:45"
    assert created["next_reminder"] == "2026-11-30T08:45:00+01:00"
    assert created["why"].startswith("Affärer avslutas")


def test_answering_no_to_the_preview_creates_nothing(cli: Cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Terminal("\n"))
    cli.ok(*QUOTES)
    before = cli.snapshot()
    result = cli("import", str(ICAL / "mixed.ics"))
    assert result.code == 1
    assert "Create this habit? [y/N]" in result.out
    assert result.err.strip() == "trayhabit: Nothing was created."
    assert cli.snapshot() == before


def test_without_a_terminal_a_calendar_import_needs_yes(cli: Cli):
    cli.ok(*QUOTES)
    before = cli.snapshot()
    refused = cli("import", str(ICAL / "mixed.ics"))
    assert refused.code == 1 and "--yes" in refused.err and len(refused.err.strip().splitlines()) == 1
    assert "Veckomöte på månen" in refused.out  # the preview still shows what would happen
    assert cli.snapshot() == before
    done = cli.ok("import", str(ICAL / "mixed.ics"), "--yes", "--json").json()
    assert [habit["name"] for habit in done["created"]] == ["Följ upp efter kundmöte"]
    assert {item["name"] for item in done["skipped"]} == {
        "Veckomöte på månen",
        "Lunch med Karin",
        "Drick vatten",
    }
    assert [habit["name"] for habit in cli.ok("list", "--json").json()] == [
        "Follow up sent quotes",
        "Följ upp efter kundmöte",
    ]


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("not-a-calendar.ics", "not an iCalendar file"),
        ("broken-lines.ics", "cannot be read"),
        ("unknown-zone.ics", "time zone “Central Lunar Standard Time” is unknown"),
        ("unevaluable-rule.ics", "not a valid RRULE"),
    ],
)
def test_a_bad_calendar_file_gives_one_line_and_creates_nothing(cli: Cli, fixture: str, message: str):
    cli.ok(*QUOTES)
    before = cli.snapshot()
    result = cli("import", str(ICAL / fixture), "--yes")
    assert result.code == 1
    assert result.out == ""
    (line,) = result.err.strip().splitlines()
    assert message in line
    assert cli.snapshot() == before


def test_habits_exported_as_ics_import_back_into_a_new_store(cli: Cli, tmp_path: Path, capsys):
    cli.ok(*QUOTES)
    cli.ok("add", "Stretch", "--every", "3-days", "--at", "07:15:30", "--why", "Rygg och nacke – må bättre")
    # Events by default (what Outlook reads), tasks on request, and the old --events still accepted.
    for option, component in (((), "VEVENT"), (("--events",), "VEVENT"), (("--tasks",), "VTODO")):
        name = "-".join(("habits", *option))
        exported = tmp_path / f"{name}.ics"
        cli.ok("export", "--format", "ics", "-o", str(exported), *option)
        assert exported.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
        written = exported.read_text()
        assert written.count(f"BEGIN:{component}") == 2
        assert ("VTODO" if component == "VEVENT" else "VEVENT") not in written
        other = Cli(tmp_path / f"other{name}", capsys)
        other.clock = cli.clock
        other.ok("import", str(exported), "--yes")
        keys = ("name", "why", "rrule", "at", "start", "next_reminder")
        assert [{k: h[k] for k in keys} for h in other.ok("list", "--json").json()] == [
            {k: h[k] for k in keys} for h in cli.ok("list", "--json").json()
        ]
        # A second import skips them by name rather than doubling them.
        again = other("import", str(exported), "--yes")
        assert again.code == 1 and "already have a habit" in again.err


def test_a_calendar_whose_every_item_becomes_a_habit_needs_no_question(cli: Cli):
    # A script or a pipe: no terminal to ask on, and nothing to weigh up, so the habit is made.
    result = cli.ok("import", str(ICAL / "thunderbird.ics"))
    assert "1 habit to create" in result.out and "[y/N]" not in result.out
    assert len(cli.ok("list", "--json").json()) == 1


# --- A damaged store ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "told"),
    [
        ("en", "trayhabit: trayhabit.json was damaged (it is not valid JSON). TrayHabit restored it"),
        ("sv", "trayhabit: trayhabit.json var skadad (den är inte giltig JSON). TrayHabit återställde den"),
    ],
)
def test_garbage_over_the_main_file_on_the_first_day_loses_no_habit(
    cli: Cli, language: str, told: str
) -> None:
    cli.ok("config", "language", language)
    cli.ok(*QUOTES)
    (cli.data_dir / "trayhabit.json").write_bytes(b"garbage\n")
    result = cli.ok("list", "--json")
    assert [habit["name"] for habit in result.json()] == ["Follow up sent quotes"]
    (line,) = result.err.splitlines()  # one line, in the user's language
    assert line.startswith(told)
    assert cli.ok("list").err == ""  # told once


def test_a_wrongly_typed_habit_is_restored_not_a_traceback_on_every_command(cli: Cli) -> None:
    cli.ok(*QUOTES)
    main = json.loads((cli.data_dir / "trayhabit.json").read_text())
    main["habits"]["1"]["rrule"] = 5
    (cli.data_dir / "trayhabit.json").write_text(json.dumps(main))
    result = cli.ok("list", "--json")
    assert [habit["name"] for habit in result.json()] == ["Follow up sent quotes"]
    assert "habit 1: its schedule is not a rule" in result.err


def test_a_store_file_nested_a_hundred_thousand_levels_deep_is_restored(cli: Cli) -> None:
    cli.ok(*QUOTES)
    cli.ok("done", "Follow up sent quotes")
    (cli.data_dir / "journal.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    result = cli.ok("show", "Follow up sent quotes", "--json")
    assert "journal.json was damaged (it is nested more than 64 levels deep)" in result.err
    # The check-off was in the journal alone: it is back from the journal's newest generation.
    assert sum(result.json()["counts"].values()) == 1


def test_an_import_nested_a_hundred_thousand_levels_deep_is_refused_in_one_line(
    cli: Cli, tmp_path: Path
) -> None:
    cli.ok(*QUOTES)
    before = cli.snapshot()
    nested = tmp_path / "nested.json"
    nested.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    result = cli("import", str(nested))
    assert result.code == 1
    (line,) = result.err.splitlines()
    assert "nested.json" in line and "nested more than 64 levels deep" in line
    assert cli.snapshot() == before


def test_an_import_past_the_size_limit_is_refused_unread(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trayhabit.core.service_transfer

    cli.ok(*QUOTES)
    exported = tmp_path / "export.json"
    cli.ok("export", "-o", str(exported))
    monkeypatch.setattr(trayhabit.core.service_transfer, "MAX_IMPORT_FILE", 1024 * 1024)
    exported.write_bytes(exported.read_bytes() + b" " * (2 * 1024 * 1024))
    before = cli.snapshot()
    result = cli("import", str(exported))
    assert result.code == 1
    assert (
        result.err
        == "trayhabit: export.json is larger than TrayHabit reads (1 MiB at most); nothing was read from it.\n"
    )
    assert cli.snapshot() == before


def test_done_takes_a_note_and_show_gives_the_streak(cli: Cli, tmp_path: Path):
    cli.clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=STOCKHOLM))
    cli.ok("add", "Call a customer", "--every", "day", "--at", "09:00")
    for day in (23, 24, 25):
        cli.clock.set(datetime(2026, 11, day, 8, 0, tzinfo=STOCKHOLM))
        cli.ok("done", "Call a customer", "--note", "called Acme" if day == 25 else "")
    done = cli.ok("show", "Call a customer", "--json").json()
    assert done["streak"] == {"current": 3, "best": 3}
    assert "3 times in a row before the reminder (best 3)" in cli.ok("show", "Call a customer").out
    assert cli.ok("list", "--json").json()[0]["streak"] == {"current": 3, "best": 3}
    out = tmp_path / "export.csv"
    cli.ok("export", "--format", "csv", "-o", str(out))
    assert "called Acme" in out.read_text()


@pytest.mark.parametrize(
    ("every", "on", "rule", "words"),
    [
        ("2-weeks", "tue,thu", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "every 2 weeks on Tuesday and Thursday"),
        ("3-months", "2tue", "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU", "every 3 months on the second Tuesday"),
        ("year", "03-15", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15", "every year on 15 March"),
    ],
)
def test_add_every_n_weeks_months_and_years_as_the_habit_form_offers_them(cli: Cli, every, on, rule, words):
    added = cli.ok("add", "Review", "--every", every, "--on", on, "--at", "09:00")
    assert f"Added “Review”: {words} at 09:00." in added.out
    [habit] = cli.ok("list", "--json").json()
    assert habit["rrule"] == rule


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sets a pipe's size, which Linux alone can")
def test_output_piped_into_a_program_that_exits_early_ends_quietly(tmp_path: Path):
    import fcntl
    import os
    import subprocess

    from trayhabit.core.service import HabitService
    from trayhabit.core.store import Store

    clock = FakeClock(WEDNESDAY)
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    service = HabitService(store, clock)
    for number in range(100):
        service.add_habit(f"Habit number {number}", "FREQ=DAILY", time(9))
    # The smallest pipe (a page): the output does not fit, so the command is still writing when the
    # reader, like `head -1`, takes one line and closes its end.
    read_end, write_end = os.pipe()
    fcntl.fcntl(read_end, fcntl.F_SETPIPE_SZ, 4096)
    process = subprocess.Popen(
        [sys.executable, "-m", "trayhabit", "--data-dir", str(tmp_path / "data"), "list"],
        stdout=write_end,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    line = b""
    while not line.endswith(b"\n"):
        line += os.read(read_end, 1)
    os.close(read_end)
    _out, err = process.communicate()

    assert line.strip() and process.returncode in (0, 141)
    assert err == b""  # no "Broken pipe", no traceback
