"""The command line in plain words (issue 20): schedules, counts, confirmations and what it wrote."""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.unit.test_cli import STOCKHOLM, Cli, _Terminal
from trayhabit.core import i18n


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    yield Cli(tmp_path / "data", capsys)
    # `config language sv` holds for the whole process: later tests expect the environment's language.
    i18n.set_language("system")


def test_a_quarterly_habit_is_described_in_words_and_only_json_keeps_the_rule(cli: Cli):
    added = cli.ok(
        "add", "Quarterly review", "--rrule", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "--at", "09:30"
    )
    assert "Added “Quarterly review”: every 3 months on the 15th at 09:30." in added.out
    shown = cli.ok("show", "Quarterly review").out
    assert "every 3 months on the 15th at 09:30" in shown
    assert "FREQ" not in added.out + shown
    assert (
        cli.ok("show", "Quarterly review", "--json").json()["rrule"]
        == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"
    )


def test_a_rule_without_plain_words_is_a_custom_rule_on_the_command_line(cli: Cli):
    cli.ok("config", "language", "sv")
    added = cli.ok("add", "Årsgenomgång", "--rrule", "FREQ=YEARLY;BYYEARDAY=100", "--at", "09:30")
    assert "en egen regel kl. 09:30" in added.out
    assert "FREQ" not in added.out + cli.ok("show", "Årsgenomgång").out


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Not enough history yet: 1 of the 14 occurrences it needs is settled.",
                "Before the reminder 0 of 1 recent time; 1 is needed.",
                "1 missed among the last 14; none may be missed.",
            ],
        ),
        (
            "sv",
            [
                "Inte tillräckligt med historik än: 1 av de 14 tillfällen som behövs är avgjort.",
                "Före påminnelsen 0 av 1 gång på sistone; 1 behövs.",
                "1 missat bland de senaste 14; inget får missas.",
            ],
        ),
    ],
)
def test_the_graduation_reason_counts_in_the_right_number(cli: Cli, language: str, expected: list[str]):
    cli.ok("config", "language", language)
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00", "--start", "2026-11-24")  # 24th missed
    reason = cli.ok("show", "Stretch", "--json").json()["graduation"]["reason"]
    for sentence in expected:
        assert sentence in reason


def test_an_unknown_frequency_is_refused_as_unknown_not_as_too_frequent(cli: Cli):
    unknown = cli("add", "X", "--rrule", "FREQ=SOMETIMES", "--at", "09:00")
    assert unknown.code == 1
    assert unknown.err == (
        "trayhabit: FREQ=SOMETIMES is not a frequency TrayHabit knows: use DAILY, WEEKLY, MONTHLY or YEARLY.\n"
    )
    hourly = cli("add", "X", "--rrule", "FREQ=HOURLY", "--at", "09:00")
    assert hourly.code == 1 and "at most once a day" in hourly.err


def test_a_setting_error_ends_with_one_full_stop(cli: Cli):
    refused = cli("config", "day_boundary", "25:00")
    assert refused.code == 1
    assert refused.err.rstrip().endswith("minutes 00-59.")
    assert ".." not in refused.err


def test_import_counts_what_it_added_in_the_right_number(cli: Cli, tmp_path: Path):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00", "--start", "2026-11-25")
    cli.ok("done", "Stretch")
    exported = tmp_path / "one.json"
    cli.ok("export", "-o", str(exported))
    other = Cli(tmp_path / "other", cli.capsys)
    assert other.ok("import", str(exported)).out == (
        "Imported one.json: 1 habit added, 0 updated, 1 event added.\n"
    )


def test_internal_settings_are_left_out_of_the_unknown_setting_message(cli: Cli):
    refused = cli("config", "nosuch")
    assert refused.code == 1
    assert "snooze_minutes" in refused.err and "welcomed" not in refused.err
    assert "welcomed" not in cli.ok("config").out and "welcomed" not in cli.ok("config", "--json").out


@pytest.mark.parametrize(("fmt", "said"), [("json", "1 habit and 1 event"), ("ics", "1 habit")])
def test_export_to_a_file_says_what_it_wrote(cli: Cli, tmp_path: Path, fmt: str, said: str):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00", "--start", "2026-11-25")
    cli.ok("done", "Stretch")
    target = tmp_path / f"out.{fmt}"
    assert cli.ok("export", "--format", fmt, "-o", str(target)).out == f"Wrote {said} to {target}.\n"
    assert target.exists()
    # To standard output, the export is all there is.
    assert cli.ok("export", "--format", "json").out.startswith("{")


def test_a_read_only_data_folder_is_named_in_the_message_not_a_temporary_file(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00")

    def refuse(target: Path, data: bytes) -> None:
        # What the system says when the folder is read-only (root ignores chmod 0500, so simulated).
        temp = target.with_name(f".{target.name}.4242.deadbeef.tmp")
        raise PermissionError(errno.EACCES, "Permission denied", str(temp))

    monkeypatch.setattr("trayhabit.core.store.codec.write_atomic", refuse)
    refused = cli("add", "Read", "--every", "day", "--at", "21:00")
    assert refused.code == 1
    assert f"its data folder {cli.data_dir}: the folder is not writable" in refused.err
    assert ".tmp" not in refused.err and "try again" not in refused.err


@pytest.mark.parametrize(("answer", "removed"), [("y\n", True), ("\n", False), ("n\n", False)])
def test_remove_asks_first_on_a_terminal(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, answer: str, removed: bool
):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00")
    monkeypatch.setattr("sys.stdin", _Terminal(answer))
    result = cli("remove", "stretch")
    assert "Remove “Stretch” and its history? [y/N]" in result.out
    assert result.code == (0 if removed else 1)
    assert [habit["name"] for habit in cli.ok("list", "--json").json()] == ([] if removed else ["Stretch"])
    if not removed:
        assert result.err == "trayhabit: Nothing was removed.\n"


def test_remove_without_a_terminal_needs_yes(cli: Cli):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00")
    before = cli.snapshot()
    refused = cli("remove", "Stretch")
    assert refused.code == 1
    assert (
        refused.err == "trayhabit: Nothing was removed: add --yes to remove “Stretch” without being asked.\n"
    )
    assert cli.snapshot() == before
    assert cli.ok("remove", "Stretch", "--yes").out == "Removed “Stretch”.\n"
    assert cli.ok("list", "--json").json() == []


def test_remove_in_swedish_asks_with_j_for_ja(cli: Cli, monkeypatch: pytest.MonkeyPatch):
    cli.ok("config", "language", "sv")
    cli.ok("add", "Stretcha", "--every", "day", "--at", "09:00")
    monkeypatch.setattr("sys.stdin", _Terminal("j\n"))
    result = cli.ok("remove", "Stretcha")
    assert "Ta bort ”Stretcha” och dess historik? [j/N]" in result.out


def test_a_forced_graduation_sticks_until_the_record_after_it_says_otherwise(cli: Cli):
    # One check-off before the reminder yesterday: a score of about 0.03.
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00", "--start", "2026-11-24")
    cli.ok("done", "Stretch", "--at", "2026-11-24T08:00")
    cli.clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=STOCKHOLM))
    graduated = cli.ok("graduate", "Stretch", "--force")
    assert "has its reminder back" not in graduated.out

    listed = cli.ok("list")
    assert "has its reminder back" not in listed.out
    assert "graduated" in listed.out
    shown = cli.ok("show", "Stretch", "--json").json()
    assert shown["state"] == "graduated" and shown["score"] < 0.05

    # Today's occurrence (reminded before the graduation) closes unchecked: it does not count.
    cli.clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=STOCKHOLM))
    assert cli.ok("show", "Stretch", "--json").json()["state"] == "graduated"

    # Two misses after the graduation: the usual relapse, with the usual reason.
    cli.clock.set(datetime(2026, 11, 28, 12, 0, tzinfo=STOCKHOLM))
    relapsed = cli.ok("list")
    assert "“Stretch” has its reminder back. Relapse: missed twice in a row" in relapsed.out
    assert cli.ok("show", "Stretch", "--json").json()["state"] == "learning"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_score_at_retirement_travels_with_an_export(cli: Cli, tmp_path: Path, fmt: str):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00", "--start", "2026-11-24")
    cli.ok("done", "Stretch", "--at", "2026-11-24T08:00")
    retired = cli.ok("graduate", "Stretch", "--force", "--json").json()["graduated_score"]
    assert 0 < retired < 0.05
    exported = tmp_path / f"habits.{fmt}"
    cli.ok("export", "--format", fmt, "-o", str(exported))
    other = Cli(tmp_path / "other", cli.capsys)
    other.ok("import", str(exported))
    assert other.ok("show", "Stretch", "--json").json()["graduated_score"] == pytest.approx(retired)


def test_a_csv_export_from_before_the_score_at_retirement_still_imports(cli: Cli, tmp_path: Path):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00", "--start", "2026-11-24")
    exported = tmp_path / "habits.csv"
    cli.ok("export", "--format", "csv", "-o", str(exported))
    rows = [line.split(",") for line in exported.read_text(encoding="utf-8").splitlines()]
    column = rows[0].index("graduated_score")
    older = tmp_path / "older.csv"
    older.write_text("\r\n".join(",".join(row[:column] + row[column + 1 :]) for row in rows) + "\r\n")
    other = Cli(tmp_path / "other", cli.capsys)
    other.ok("import", str(older))
    assert other.ok("show", "Stretch", "--json").json()["graduated_score"] is None


def test_an_import_with_an_impossible_score_at_retirement_is_refused(cli: Cli, tmp_path: Path):
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00")
    exported = tmp_path / "habits.json"
    cli.ok("export", "-o", str(exported))
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["habits"][0]["graduated_score"] = "high"
    exported.write_text(json.dumps(document), encoding="utf-8")
    other = Cli(tmp_path / "other", cli.capsys)
    refused = other("import", str(exported))
    assert refused.code == 1
    assert "graduated_score is not a score from 0 to 1" in refused.err


@pytest.mark.parametrize(
    ("start", "language", "said"),
    [
        (
            "2026-11-22",
            "en",
            "The start date 2026-11-22 puts 3 occurrences in the past; they count as missed unless you "
            "record them afterwards: trayhabit done “Stretch” --at YYYY-MM-DDTHH:MM.",
        ),
        (
            "2026-11-24",
            "en",
            "The start date 2026-11-24 puts 1 occurrence in the past; it counts as missed unless you "
            "record it afterwards: trayhabit done “Stretch” --at YYYY-MM-DDTHH:MM.",
        ),
        (
            "2026-11-22",
            "sv",
            "Startdatumet 2026-11-22 lägger 3 tillfällen i det förflutna; de räknas som missade om du inte "
            "registrerar dem i efterhand: trayhabit done ”Stretch” --at ÅÅÅÅ-MM-DDTHH:MM.",
        ),
        (
            "2026-11-24",
            "sv",
            "Startdatumet 2026-11-24 lägger 1 tillfälle i det förflutna; det räknas som missat om du inte "
            "registrerar det i efterhand: trayhabit done ”Stretch” --at ÅÅÅÅ-MM-DDTHH:MM.",
        ),
    ],
)
def test_a_start_date_in_the_past_says_how_many_occurrences_count_as_missed(
    cli: Cli, start: str, language: str, said: str
):
    # Wednesday 25 November, 10:00: today's 09:00 reminder has passed, but its window is still open.
    cli.ok("config", "language", language)
    added = cli.ok("add", "Stretch", "--every", "day", "--at", "09:00", "--start", start)
    assert said in added.out.splitlines()


def test_a_start_date_today_or_ahead_says_nothing_about_missed_occurrences(cli: Cli):
    today = cli.ok("add", "Stretch", "--every", "day", "--at", "09:00", "--start", "2026-11-25").out
    ahead = cli.ok("add", "Read", "--every", "day", "--at", "21:00", "--start", "2026-12-01").out
    assert "in the past" not in today + ahead
