"""Plain-language descriptions of schedules and outcomes, for people rather than parsers.

Every rule TrayHabit accepts is put in words where a person would say it that way ("every 3 months on
the 15th at 09:30", "var tredje månad den 15:e kl. 09:30"); a rule that has no plain wording is "a custom
rule", and only the habit's advanced fields (or ``--json``) show the RRULE itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from trayhabit.core.days import format_time_of_day
from trayhabit.core.i18n import _, current_language, ngettext
from trayhabit.core.model import Outcome, Schedule
from trayhabit.core.schedule import WEEKDAY_CODES

_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]


def weekday_names() -> dict[str, str]:
    """RRULE weekday codes to the names of the days, in the user's language."""
    names = (
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    )
    return dict(zip(WEEKDAY_CODES, names, strict=True))


def month_names() -> list[str]:
    """The names of the months, January first, in the user's language."""
    return [
        _("January"),
        _("February"),
        _("March"),
        _("April"),
        _("May"),
        _("June"),
        _("July"),
        _("August"),
        _("September"),
        _("October"),
        _("November"),
        _("December"),
    ]


def outcome_label(outcome: Outcome | None) -> str:
    """A short word for how an occurrence went."""
    labels = {
        Outcome.PREEMPTIVE: _("before the reminder"),
        Outcome.REMINDED: _("after the reminder"),
        Outcome.LATE: _("late"),
        Outcome.MISSED: _("missed"),
        Outcome.SKIPPED: _("skipped"),
        None: _("open"),
    }
    return labels[outcome]


def count_label(outcome: Outcome, count: int) -> str:
    """E.g. "3 missed": a count of one outcome, in the grammatical number the language needs."""
    phrases = {
        Outcome.PREEMPTIVE: ngettext("{n} before the reminder", "{n} before the reminder", count),
        Outcome.REMINDED: ngettext("{n} after the reminder", "{n} after the reminder", count),
        Outcome.LATE: ngettext("{n} late", "{n} late", count),
        Outcome.MISSED: ngettext("{n} missed", "{n} missed", count),
        Outcome.SKIPPED: ngettext("{n} skipped", "{n} skipped", count),
    }
    return phrases[outcome].format(n=count)


def held_label(count: int) -> str:
    """E.g. "2 reminders held until you were back": how many reminders were held (beside the counts)."""
    return ngettext(
        "{n} reminder held until you were back", "{n} reminders held until you were back", count
    ).format(n=count)


def format_ordinal(number: int) -> str:
    """A day of the month as an ordinal: "1st", "22nd", "15th" ("1:a", "22:a", "15:e" in Swedish)."""
    # English and Swedish split the numbers the same way (1, 21: st/:a; 2, 22: nd/:a; 3, 23: rd/:e;
    # 11-13 and the rest: th/:e), so one message per English suffix carries both.
    if number % 100 in (11, 12, 13):
        return _("{n}th").format(n=number)
    suffixes = {1: _("{n}st"), 2: _("{n}nd"), 3: _("{n}rd")}
    return suffixes.get(number % 10, _("{n}th")).format(n=number)


def describe_schedule(schedule: Schedule) -> str:
    """E.g. "every Monday at 09:00", "every 3 days at 07:30"; "a custom rule at 09:00" when the rule has
    no plain wording (never the RRULE itself).

    A rule that ends says so: "every day at 07:25, 30 times", "every Monday at 07:50, until 2027-03-29"
    (rules from calendar files often end).
    """
    described = schedule_in_words(schedule)
    if described is None:
        return _("a custom rule at {time}").format(time=format_time_of_day(schedule.at))
    return described


def schedule_in_words(schedule: Schedule) -> str | None:
    """The schedule in words, or None when its rule has no plain wording (a custom rule)."""
    try:
        parts = dict(chunk.split("=", 1) for chunk in schedule.rrule.split(";"))
    except ValueError:
        return None
    count = parts.pop("COUNT", None)
    until = parts.pop("UNTIL", None)
    # The week's first day changes only which weeks "every 2 weeks" picks, not how a person says it.
    parts.pop("WKST", None)
    try:
        repeat = _describe_repeat(parts, schedule.start)
    except ValueError:  # a number that is not one: the rule has no plain wording
        return None
    if repeat is None:
        return None
    described = _("{repeat} at {time}").format(repeat=repeat, time=format_time_of_day(schedule.at))
    if count is not None:
        if not count.isdigit():
            return None
        described = ngettext("{schedule}, {n} time", "{schedule}, {n} times", int(count)).format(
            schedule=described, n=int(count)
        )
    if until is not None:
        if len(until) < 8 or not until[:8].isdigit():
            return None
        day = f"{until[:4]}-{until[4:6]}-{until[6:8]}"
        described = _("{schedule}, until {date}").format(schedule=described, date=day)
    return described


# -- the repeat -----------------------------------------------------------------------------------


def _interval_number(number: int) -> str:
    """The number in "every {n} days": English writes the digits, Swedish the ordinal ("var tredje dag").

    Which one is a fact about the language, like its decimal separator, so it is decided here rather
    than in the catalogue; the ordinal words themselves are translated.
    """
    if current_language() == "en":
        return str(number)
    words = {
        3: _("third"),
        4: _("fourth"),
        5: _("fifth"),
        6: _("sixth"),
        7: _("seventh"),
        8: _("eighth"),
        9: _("ninth"),
        10: _("tenth"),
        11: _("eleventh"),
        12: _("twelfth"),
    }
    return words.get(number) or format_ordinal(number)


def _every(unit: str, interval: int) -> str:
    """ "every day", "every 2 weeks", "every 3 months" ("varje dag", "varannan vecka", "var tredje månad")."""
    if interval == 1:
        return {"DAILY": _("every day"), "WEEKLY": _("every week"), "MONTHLY": _("every month")}.get(
            unit, _("every year")
        )
    if interval == 2:
        # Swedish says "varannan" (and "vartannat år"), not a number: a message of its own.
        return {"DAILY": _("every 2 days"), "WEEKLY": _("every 2 weeks"), "MONTHLY": _("every 2 months")}.get(
            unit, _("every 2 years")
        )
    plurals = {
        "DAILY": ngettext("every {n} day", "every {n} days", interval),
        "WEEKLY": ngettext("every {n} week", "every {n} weeks", interval),
        "MONTHLY": ngettext("every {n} month", "every {n} months", interval),
    }
    phrase = plurals.get(unit, ngettext("every {n} year", "every {n} years", interval))
    return phrase.format(n=_interval_number(interval))


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("{items} and {last}").format(items=", ".join(words[:-1]), last=words[-1])


def _position(number: int) -> str | None:
    """ "first" ... "fifth", "last", "second-to-last": which one of its kind in a month; None beyond."""
    words = {
        1: _("first"),
        2: _("second"),
        3: _("third"),
        4: _("fourth"),
        5: _("fifth"),
        -1: _("last"),
        -2: _("second-to-last"),
    }
    return words.get(number)


def _nth_weekday(position: str, code: str) -> str:
    """ "the second Tuesday" ("den andra tisdagen"): one message per day, for the languages that
    inflect the day's name."""
    phrases = {
        "MO": _("the {ordinal} Monday"),
        "TU": _("the {ordinal} Tuesday"),
        "WE": _("the {ordinal} Wednesday"),
        "TH": _("the {ordinal} Thursday"),
        "FR": _("the {ordinal} Friday"),
        "SA": _("the {ordinal} Saturday"),
        "SU": _("the {ordinal} Sunday"),
    }
    return phrases[code].format(ordinal=position)


def _weekday_codes(text: str) -> list[str] | None:
    """Plain weekday codes ("MO,WE"), or None when any carries a number or is not a day."""
    codes = text.split(",")
    return codes if all(code in WEEKDAY_CODES for code in codes) else None


def _weekly(codes: list[str], interval: int) -> str:
    names = weekday_names()
    if interval == 1:
        if codes == list(WEEKDAY_CODES):
            return _every("DAILY", 1)
        if codes == _WEEKDAYS:
            return _("every weekday")
        return _("every {weekdays}").format(weekdays=_join([names[code] for code in codes]))
    days = _("weekdays") if codes == _WEEKDAYS else _join([names[code] for code in codes])
    return _("{every} on {weekdays}").format(every=_every("WEEKLY", interval), weekdays=days)


def _positions(days: str, setpos: str | None) -> list[str] | None:
    """ "the second Tuesday", "the last weekday" for BYDAY=2TU or BYDAY=MO,...,FR;BYSETPOS=-1."""
    if setpos is not None:
        codes = _weekday_codes(days)
        position = _position(int(setpos)) if setpos.lstrip("+-").isdigit() else None
        if codes is None or position is None:
            return None
        if len(codes) == 1:
            return [_nth_weekday(position, codes[0])]
        if codes == _WEEKDAYS:
            return [_("the {ordinal} weekday").format(ordinal=position)]
        if codes == list(WEEKDAY_CODES):
            return [_("the {ordinal} day").format(ordinal=position)]
        return None
    words = []
    for code in days.split(","):
        number, weekday = code[:-2], code[-2:]
        if weekday not in WEEKDAY_CODES or not number.lstrip("+-").isdigit():
            return None
        position = _position(int(number))
        if position is None:
            return None
        words.append(_nth_weekday(position, weekday))
    return words


def _month_day(number: int) -> str | None:
    if number == -1:
        return _("last day")
    if number == -2:
        return _("second-to-last day")
    return format_ordinal(number) if 1 <= number <= 31 else None


def _monthly(parts: dict[str, str], interval: int, start: date) -> str | None:
    every = _every("MONTHLY", interval)
    days = parts.pop("BYDAY", None)
    month_days = parts.pop("BYMONTHDAY", None)
    setpos = parts.pop("BYSETPOS", None)
    if parts:
        return None
    if days is not None and month_days is None:
        codes = _weekday_codes(days)
        if codes is not None and setpos is None:
            # Every such weekday of the month: the same as every week, when every month counts.
            return _weekly(codes, 1) if interval == 1 else None
        positions = _positions(days, setpos)
        if positions is None:
            return None
        return _("{every} on {positions}").format(every=every, positions=_join(positions))
    if days is not None:
        return None
    numbers = [int(day) for day in month_days.split(",")] if month_days else [start.day]
    if setpos is not None:
        # The 29th-31st, or the last day of a shorter month (what `--every month` makes from such a date).
        if setpos != "1" or len(numbers) != 2 or numbers[1] != -1 or not 1 <= numbers[0] <= 31:
            return None
        return _("{every} on the {month_day} (or the last day of shorter months)").format(
            every=every, month_day=format_ordinal(numbers[0])
        )
    words = [_month_day(number) for number in numbers]
    if None in words:
        return None
    return _("{every} on the {month_days}").format(every=every, month_days=_join([w for w in words if w]))


def _yearly(parts: dict[str, str], interval: int, start: date) -> str | None:
    every = _every("YEARLY", interval)
    names = month_names()
    months_text = parts.pop("BYMONTH", None)
    days = parts.pop("BYDAY", None)
    month_days = parts.pop("BYMONTHDAY", None)
    setpos = parts.pop("BYSETPOS", None)
    if parts:
        return None
    if months_text is None:
        if days is not None or month_days is not None:
            return None  # then the days are of every month, or of the year: no plain wording
        months = [start.month]
    else:
        months = [int(month) for month in months_text.split(",")]
        if not all(1 <= month <= 12 for month in months):
            return None
    if days is not None:
        if month_days is not None:
            return None
        positions = _positions(days, setpos)
        if positions is None or len(positions) != 1 or len(months) != 1:
            return None
        where = _("{position} of {month}").format(position=positions[0], month=names[months[0] - 1])
        return _("{every} on {positions}").format(every=every, positions=where)
    if setpos is not None:
        return None
    numbers = [int(day) for day in month_days.split(",")] if month_days else [start.day]
    dates = []
    for month in months:
        for number in numbers:
            if number == -1:
                dates.append(_("the last day of {month}").format(month=names[month - 1]))
            elif 1 <= number <= 31:
                dates.append(_("{day} {month}").format(day=number, month=names[month - 1]))
            else:
                return None
    return _("{every} on {dates}").format(every=every, dates=_join(dates))


def _describe_repeat(parts: dict[str, str], start: date) -> str | None:
    """The words for a rule's repeat (its end taken out), or None when it has no plain wording."""
    freq = parts.pop("FREQ", "")
    interval = int(parts.pop("INTERVAL", "1"))
    if interval < 1:
        return None
    months = parts.pop("BYMONTH", None) if freq != "YEARLY" else None
    describe: dict[str, Callable[[], str | None]] = {
        "DAILY": lambda: _daily(parts, interval),
        "WEEKLY": lambda: _weekly_rule(parts, interval, start),
        "MONTHLY": lambda: _monthly(parts, interval, start),
        "YEARLY": lambda: _yearly(parts, interval, start),
    }
    if freq not in describe:
        return None
    repeat = describe[freq]()
    if repeat is None or months is None:
        return repeat
    # "every Monday in June, July and August": only when every period counts, or it reads as a riddle.
    numbers = [int(month) for month in months.split(",")]
    if interval != 1 or not all(1 <= month <= 12 for month in numbers):
        return None
    names = month_names()
    return _("{repeat} in {months}").format(repeat=repeat, months=_join([names[n - 1] for n in numbers]))


def _daily(parts: dict[str, str], interval: int) -> str | None:
    days = parts.pop("BYDAY", None)
    if parts:
        return None
    if days is None:
        return _every("DAILY", interval)
    codes = _weekday_codes(days)
    # FREQ=DAILY;BYDAY=MO,WE is the same as every Monday and Wednesday, when every day counts.
    return _weekly(codes, 1) if codes is not None and interval == 1 else None


def _weekly_rule(parts: dict[str, str], interval: int, start: date) -> str | None:
    days = parts.pop("BYDAY", None)
    if parts:
        return None
    codes = _weekday_codes(days) if days is not None else [WEEKDAY_CODES[start.weekday()]]
    if codes is None:
        return None
    # In the week's order, whatever order the rule lists them in.
    return _weekly(sorted(set(codes), key=WEEKDAY_CODES.index), interval)
