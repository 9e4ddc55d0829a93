"""The command line in plain words (issue 20): schedules, counts, confirmations and what it wrote."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.test_cli import Cli
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
