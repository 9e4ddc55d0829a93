"""Every rule TrayHabit accepts is put in words, in English and in Swedish, and never shown as RRULE text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time

import pytest

from trayhabit.core import i18n
from trayhabit.core.describe import describe_schedule, format_ordinal
from trayhabit.core.model import Schedule
from trayhabit.core.schedule import normalize_rule

# A Tuesday, 3 March: rules without their own day take it from here.
START = date(2026, 3, 3)

# (rule as a person might write it, English, Swedish): one row per rule shape.
SHAPES = [
    ("FREQ=DAILY", "every day at 09:30", "varje dag kl. 09:30"),
    ("FREQ=DAILY;INTERVAL=2", "every 2 days at 09:30", "varannan dag kl. 09:30"),
    ("FREQ=DAILY;INTERVAL=3", "every 3 days at 09:30", "var tredje dag kl. 09:30"),
    ("FREQ=DAILY;INTERVAL=21", "every 21 days at 09:30", "var 21:a dag kl. 09:30"),
    ("FREQ=DAILY;BYDAY=MO,WE", "every Monday and Wednesday at 09:30", "varje måndag och onsdag kl. 09:30"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday at 09:30", "varje vardag kl. 09:30"),
    ("FREQ=WEEKLY;BYDAY=FR", "every Friday at 09:30", "varje fredag kl. 09:30"),
    ("FREQ=WEEKLY", "every Tuesday at 09:30", "varje tisdag kl. 09:30"),
    (
        "FREQ=WEEKLY;BYDAY=TH,MO,FR",
        "every Monday, Thursday and Friday at 09:30",
        "varje måndag, torsdag och fredag kl. 09:30",
    ),
    (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
        "every 2 weeks on Monday and Thursday at 09:30",
        "varannan vecka på måndag och torsdag kl. 09:30",
    ),
    (
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TU,WE,TH,FR",
        "every 3 weeks on weekdays at 09:30",
        "var tredje vecka på vardagar kl. 09:30",
    ),
    ("FREQ=MONTHLY;BYMONTHDAY=15", "every month on the 15th at 09:30", "varje månad den 15:e kl. 09:30"),
    (
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
        "every 3 months on the 15th at 09:30",
        "var tredje månad den 15:e kl. 09:30",
    ),
    (
        "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1,22",
        "every 2 months on the 1st and 22nd at 09:30",
        "varannan månad den 1:a och 22:a kl. 09:30",
    ),
    ("FREQ=MONTHLY", "every month on the 3rd at 09:30", "varje månad den 3:e kl. 09:30"),
    (
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "every month on the last day at 09:30",
        "varje månad den sista dagen kl. 09:30",
    ),
    (
        "FREQ=MONTHLY;BYMONTHDAY=31,-1;BYSETPOS=1",
        "every month on the 31st (or the last day of shorter months) at 09:30",
        "varje månad den 31:a (eller sista dagen i kortare månader) kl. 09:30",
    ),
    (
        "FREQ=MONTHLY;BYDAY=2TU",
        "every month on the second Tuesday at 09:30",
        "varje månad den andra tisdagen kl. 09:30",
    ),
    (
        "FREQ=MONTHLY;BYDAY=-1FR",
        "every month on the last Friday at 09:30",
        "varje månad den sista fredagen kl. 09:30",
    ),
    (
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        "every month on the second Tuesday at 09:30",
        "varje månad den andra tisdagen kl. 09:30",
    ),
    (
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "every month on the last weekday at 09:30",
        "varje månad den sista vardagen kl. 09:30",
    ),
    (
        "FREQ=MONTHLY;INTERVAL=6;BYDAY=1MO",
        "every 6 months on the first Monday at 09:30",
        "var sjätte månad den första måndagen kl. 09:30",
    ),
    ("FREQ=YEARLY", "every year on 3 March at 09:30", "varje år den 3 mars kl. 09:30"),
    (
        "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24",
        "every year on 24 December at 09:30",
        "varje år den 24 december kl. 09:30",
    ),
    ("FREQ=YEARLY;INTERVAL=2", "every 2 years on 3 March at 09:30", "vartannat år den 3 mars kl. 09:30"),
    ("FREQ=YEARLY;INTERVAL=4", "every 4 years on 3 March at 09:30", "vart fjärde år den 3 mars kl. 09:30"),
    (
        "FREQ=YEARLY;BYMONTH=3;BYDAY=2TU",
        "every year on the second Tuesday of March at 09:30",
        "varje år den andra tisdagen i mars kl. 09:30",
    ),
    (
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1",
        "every year on the last day of February at 09:30",
        "varje år den sista dagen i februari kl. 09:30",
    ),
    (
        "FREQ=WEEKLY;BYDAY=MO;BYMONTH=6,7,8",
        "every Monday in June, July and August at 09:30",
        "varje måndag i juni, juli och augusti kl. 09:30",
    ),
    ("FREQ=DAILY;COUNT=10", "every day at 09:30, 10 times", "varje dag kl. 09:30, 10 gånger"),
    ("FREQ=DAILY;COUNT=1", "every day at 09:30, 1 time", "varje dag kl. 09:30, 1 gång"),
    (
        "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270630T235959Z",
        "every Monday at 09:30, until 2027-06-30",
        "varje måndag kl. 09:30, till och med 2027-06-30",
    ),
    # No plain wording: a custom rule, and no RRULE text.
    ("FREQ=YEARLY;BYYEARDAY=100", "a custom rule at 09:30", "en egen regel kl. 09:30"),
    ("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1,3", "a custom rule at 09:30", "en egen regel kl. 09:30"),
    ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "a custom rule at 09:30", "en egen regel kl. 09:30"),
]


@pytest.fixture(params=["en", "sv"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.set_language(request.param)
    try:
        yield request.param
    finally:
        i18n.set_language("system")


@pytest.mark.parametrize(("rule", "english", "swedish"), SHAPES, ids=[shape[0] for shape in SHAPES])
def test_every_rule_shape_is_put_in_words(language: str, rule: str, english: str, swedish: str) -> None:
    normalized, at = normalize_rule(rule, time(9, 30))
    words = describe_schedule(Schedule(normalized, at, START))
    assert words == (english if language == "en" else swedish)
    assert "FREQ" not in words and "BY" not in words and "=" not in words


@pytest.mark.parametrize(
    ("number", "english", "swedish"),
    [(1, "1st", "1:a"), (2, "2nd", "2:a"), (3, "3rd", "3:e"), (4, "4th", "4:e"), (11, "11th", "11:e"),
     (12, "12th", "12:e"), (13, "13th", "13:e"), (15, "15th", "15:e"), (21, "21st", "21:a"),
     (22, "22nd", "22:a"), (23, "23rd", "23:e"), (31, "31st", "31:a")],
)  # fmt: skip
def test_days_of_the_month_are_ordinals_in_both_languages(
    language: str, number: int, english: str, swedish: str
) -> None:
    assert format_ordinal(number) == (english if language == "en" else swedish)
