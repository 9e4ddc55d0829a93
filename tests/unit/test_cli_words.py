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
