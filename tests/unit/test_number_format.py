"""The command line writes scores with the language's decimal separator; JSON keeps plain numbers.

Swedish writes "0,67" where English writes "0.67" (``trayhabit.core.i18n.format_decimal``): in the
human output of ``show``, ``list`` and ``done``, and in the graduation reason the core words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.unit.test_cli import STOCKHOLM, Cli
from trayhabit.core import i18n

# The decimal separator each language must show.
SEPARATORS = {"sv": ",", "en": "."}


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    yield Cli(tmp_path / "data", capsys)
    # The language setting switches the process-wide gettext language; the next test starts fresh.
    i18n.set_language("system")


def test_format_decimal_uses_the_languages_separator(cli: Cli) -> None:
    i18n.set_language("sv")
    assert i18n.format_decimal(2 / 3) == "0,67"
    assert i18n.format_decimal(0.5, places=1) == "0,5"
    i18n.set_language("en")
    assert i18n.format_decimal(2 / 3) == "0.67"
    assert i18n.format_decimal(1.0) == "1.00"


def _two_decimals(value: float, language: str) -> str:
    return f"{value:.2f}".replace(".", SEPARATORS[language])


@pytest.mark.parametrize("language", ["sv", "en"])
def test_show_list_and_done_write_the_score_in_the_languages_notation(cli: Cli, language: str) -> None:
    cli.ok("config", "language", language)
    cli.ok("add", "Stretch", "--every", "day", "--at", "09:00")  # from Thursday 26 November
    cli.clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=STOCKHOLM))
    cli.ok("done", "Stretch")
    cli.clock.set(datetime(2026, 11, 27, 9, 30, tzinfo=STOCKHOLM))
    done = cli.ok("done", "Stretch").out
    cli.clock.set(datetime(2026, 11, 28, 12, 0, tzinfo=STOCKHOLM))

    report = cli.ok("show", "Stretch", "--json").json()
    assert isinstance(report["score"], float) and 0 < report["score"] < 1
    score = _two_decimals(report["score"], language)
    of_one = {"sv": "Vanestyrka:          {} av 1", "en": "Score:          {} of 1"}[language]

    shown = cli.ok("show", "Stretch").out
    assert of_one.format(score) in shown
    # The graduation reason, worded by the core: the score and the 0.80 from which retiring is suggested.
    threshold = _two_decimals(0.8, language)
    assert threshold in shown and shown.count(score) >= 2

    listed = cli.ok("list").out.splitlines()[1].split()
    assert score in listed

    # After a check-off: "Score 0.xx. Next reminder: ..." (Friday's score, before Saturday's miss).
    word = {"sv": "Vanestyrka", "en": "Score"}[language]
    assert re.match(rf"{word} 0{re.escape(SEPARATORS[language])}\d\d\. ", done.splitlines()[-1])


def test_counts_take_the_grammatical_number_the_language_needs():
    from trayhabit.core import i18n
    from trayhabit.core.describe import count_label
    from trayhabit.core.model import Outcome

    try:
        i18n.set_language("sv")
        assert count_label(Outcome.MISSED, 1) == "1 missad"
        assert count_label(Outcome.MISSED, 7) == "7 missade"
        assert count_label(Outcome.SKIPPED, 0) == "0 överhoppade"
        i18n.set_language("en")
        assert count_label(Outcome.MISSED, 7) == "7 missed"
    finally:
        i18n.set_language("system")
