"""Plain-language descriptions of schedules and outcomes, for people rather than parsers."""

from __future__ import annotations

from trayhabit.core.days import format_time_of_day
from trayhabit.core.i18n import _, ngettext
from trayhabit.core.model import Outcome, Schedule
from trayhabit.core.schedule import WEEKDAY_CODES


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


def _ordinal(number: int) -> str:
    if number == -1:
        return _("last")
    if number < 0:
        return _("{n}. from last").format(n=-number)
    return {1: _("first"), 2: _("second"), 3: _("third"), 4: _("fourth"), 5: _("fifth")}.get(
        number, str(number)
    )


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("{items} and {last}").format(items=", ".join(words[:-1]), last=words[-1])


def describe_schedule(schedule: Schedule) -> str:
    """E.g. "every Monday at 09:00", "every 3 days at 07:30"; the RRULE itself when unusual.

    A rule that ends says so: "every day at 07:25, 30 times in all", "every Monday at 07:50, until
    2027-03-29" (rules from calendar files often end).
    """
    parts = dict(chunk.split("=", 1) for chunk in schedule.rrule.split(";"))
    when = format_time_of_day(schedule.at)
    count = parts.pop("COUNT", None)
    until = parts.pop("UNTIL", None)
    described = _describe_repeat(parts, when)
    if described is None:
        return _("{rule} at {time}").format(rule=schedule.rrule, time=when)
    if count is not None and count.isdigit():
        return ngettext("{schedule}, {n} time in all", "{schedule}, {n} times in all", int(count)).format(
            schedule=described, n=int(count)
        )
    if until is not None and until[:8].isdigit():
        day = f"{until[:4]}-{until[4:6]}-{until[6:8]}"
        return _("{schedule}, until {date}").format(schedule=described, date=day)
    if count is not None or until is not None:
        return _("{rule} at {time}").format(rule=schedule.rrule, time=when)
    return described


def _describe_repeat(parts: dict[str, str], when: str) -> str | None:
    """The words for a rule's repeat (its end taken out), or None when it has no simple wording."""
    freq = parts.pop("FREQ")
    interval = int(parts.pop("INTERVAL", "1"))
    names = weekday_names()
    days = parts.pop("BYDAY", "")
    if freq == "DAILY" and not parts and not days:
        if interval == 1:
            return _("every day at {time}").format(time=when)
        return ngettext("every {n} day at {time}", "every {n} days at {time}", interval).format(
            n=interval, time=when
        )
    if freq == "WEEKLY" and not parts and days and all(day in names for day in days.split(",")):
        codes = days.split(",")
        if codes == ["MO", "TU", "WE", "TH", "FR"] and interval == 1:
            return _("every weekday at {time}").format(time=when)
        listed = _join([names[code] for code in codes])
        if interval == 1:
            return _("every {days} at {time}").format(days=listed, time=when)
        return _("every {n} weeks on {days} at {time}").format(n=interval, days=listed, time=when)
    if freq == "MONTHLY" and interval == 1 and not days and set(parts) <= {"BYMONTHDAY", "BYSETPOS"}:
        month_days = [int(day) for day in parts.get("BYMONTHDAY", "").split(",") if day]
        if parts.get("BYSETPOS") == "1" and month_days[1:] == [-1]:
            return _("monthly on day {day} (or the last day of shorter months) at {time}").format(
                day=month_days[0], time=when
            )
        if month_days and "BYSETPOS" not in parts:
            words = [_("the last day") if day == -1 else str(day) for day in month_days]
            return _("monthly on day {days} at {time}").format(days=_join(words), time=when)
    if freq == "MONTHLY" and interval == 1 and days and not parts:
        words = []
        for code in days.split(","):
            number, weekday = code[:-2], code[-2:]
            if weekday not in names or not number.lstrip("+-").isdigit():
                break
            words.append(_("the {ordinal} {day}").format(ordinal=_ordinal(int(number)), day=names[weekday]))
        else:
            return _("monthly on {days} at {time}").format(days=_join(words), time=when)
    return None
