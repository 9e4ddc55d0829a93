"""TrayHabit's calendar export read by others: Mozilla's ical.js (the parser behind web calendars
that honour a file's own VTIMEZONE) reminds at the same moments as TrayHabit for a year, north and
south, with and without daylight saving; and the file has the shapes Outlook's importer
([MS-OXCICAL]) takes in: one yearly rule per zone, events that leave the person free."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.helpers.builders import habit
from trayhabit.core.ical import export_ics
from trayhabit.core.model import Habit, State
from trayhabit.core.schedule import Timeline

HELPERS = Path(__file__).parent.parent / "helpers"
ICALJS = HELPERS / "icaljs"
EXPAND = HELPERS / "icaljs_expand.mjs"
ZONES = ("Europe/Stockholm", "America/New_York", "Australia/Sydney", "Asia/Kolkata")
# Early December: the year ahead holds both clock changes of every zone above.
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
YEAR_AHEAD = (NOW, NOW + timedelta(days=365))

HABITS = [
    habit("FREQ=DAILY", time(8, 0), date(2026, 12, 1), id="daily", name="Plan the day"),
    habit(
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        time(17, 0),
        date(2026, 12, 2),
        id="weekdays",
        name="Plan tomorrow",
    ),
    # Begun long ago: the reader walks the rule from an old start through the zone's changes.
    habit("FREQ=WEEKLY;BYDAY=FR", time(15, 30), date(2025, 3, 7), id="quotes", name="Follow up sent quotes"),
    habit("FREQ=DAILY;INTERVAL=3", time(7, 15, 30), date(2026, 12, 5), id="stretch", name="Stretch"),
    habit("FREQ=MONTHLY;BYMONTHDAY=1", time(9, 0), date(2027, 1, 1), id="monthly", name="Review the month"),
    # Late in the evening: the day in UTC is another one in Sydney and New York.
    habit("FREQ=WEEKLY;BYDAY=SU", time(23, 30), date(2026, 12, 6), id="late", name="Weekly review"),
    habit("FREQ=WEEKLY;BYDAY=TU", time(10, 0), date(2026, 1, 6), id="retired", state=State.GRADUATED),
]


def _reader_needs(what: str) -> None:
    """Fail in CI (where `make test` installs Node), skip with the reason on a machine without it."""
    message = f"the ical.js reader test needs {what} (Debian: apt-get install nodejs npm)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def node() -> str:
    """Node, with ical.js installed into tests/helpers/icaljs (the Makefile does it; else here)."""
    found = shutil.which("node")
    if found is None:
        _reader_needs("node")
    assert found is not None
    if not (ICALJS / "node_modules" / "ical.js" / "package.json").is_file():
        npm = shutil.which("npm")
        if npm is None:
            _reader_needs("npm")
        assert npm is not None
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=ICALJS, check=True, timeout=240
        )
    return found


def read_with_icaljs(node: str, path: Path) -> dict[str, object]:
    start, end = (int(moment.timestamp()) for moment in YEAR_AHEAD)
    done = subprocess.run(
        [node, str(EXPAND), str(path), str(start), str(end)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def trayhabit_reminders(item: Habit, zone: ZoneInfo) -> list[datetime]:
    """The instants TrayHabit reminds at in the year ahead."""
    start, end = YEAR_AHEAD
    found: list[datetime] = []
    for occurrence in Timeline(item.schedule, zone, time(4)).iter_from(start):
        if occurrence.reminder >= end:
            break
        if occurrence.reminder >= start:
            found.append(occurrence.reminder.astimezone(UTC))
    return found


@pytest.mark.parametrize("zone_name", ZONES)
def test_icaljs_reminds_at_trayhabits_moments_for_a_year(node: str, zone_name: str, tmp_path: Path):
    zone = ZoneInfo(zone_name)
    path = tmp_path / f"{zone_name.replace('/', '-')}.ics"
    path.write_bytes(export_ics(HABITS, zone=zone, now=NOW))

    read = read_with_icaljs(node, path)

    assert read["zones"] == [zone_name]
    events = read["events"]
    assert isinstance(events, dict)
    assert sorted(events) == sorted(f"{h.id}@trayhabit" for h in HABITS)
    for item in HABITS:
        entry = events[f"{item.id}@trayhabit"]
        assert entry["zone"] == zone_name  # the file's zone, not floating time
        theirs = [datetime.fromtimestamp(instant, UTC) for instant in entry["occurrences"]]
        ours = trayhabit_reminders(item, zone)
        assert len(ours) > 40 or item.id == "monthly"
        assert [t.astimezone(zone) for t in theirs] == [o.astimezone(zone) for o in ours], item.name
    # Both changes of the clock lie in the year compared (none in Kolkata): the test spans them.
    daily = [o.astimezone(zone).utcoffset() for o in trayhabit_reminders(HABITS[0], zone)]
    assert len(set(daily)) == (1 if zone_name == "Asia/Kolkata" else 2)


# -- the shapes Outlook's importer takes in ([MS-OXCICAL] 2.1.3.1.1.19, 2.1.3.1.1.20) -------------------

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def outlook_problems(data: bytes) -> list[str]:
    """What Outlook's iCalendar import would read otherwise than meant (empty when nothing)."""
    problems: list[str] = []
    calendar = icalendar.Calendar.from_ical(data)
    zones = {}
    for vtimezone in calendar.walk("VTIMEZONE"):
        tzid = str(vtimezone["TZID"])
        zones[tzid] = vtimezone
        standard = [part for part in vtimezone.subcomponents if part.name == "STANDARD"]
        daylight = [part for part in vtimezone.subcomponents if part.name == "DAYLIGHT"]
        if len(standard) != 1 or len(daylight) > 1:
            problems.append(f"{tzid}: {len(standard)} STANDARD and {len(daylight)} DAYLIGHT parts")
        for part in standard + daylight:
            where = f"{tzid} {part.name}"
            problems.extend(
                f"{where} lacks {key}"
                for key in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "RRULE")
                if key not in part
            )
            if "RDATE" in part:
                problems.append(f"{where} lists dates (RDATE)")
            if "RRULE" not in part:
                continue
            rule = part["RRULE"]
            if rule.get("FREQ") != ["YEARLY"]:
                problems.append(f"{where}: the rule is not yearly")
            if len(rule.get("BYMONTH", [])) != 1:
                problems.append(f"{where}: the rule names no single month")
            days = rule.get("BYDAY", [])
            occurrence = str(days[0])[:-2] if len(days) == 1 else ""
            if (
                len(days) != 1
                or str(days[0])[-2:] not in WEEKDAYS
                or occurrence not in {"1", "2", "3", "4", "-1"}
            ):
                problems.append(f"{where}: BYDAY {days} is not one weekday occurrence")
            if "BYMONTHDAY" in rule or set(rule) - {"FREQ", "BYMONTH", "BYDAY"}:
                problems.append(
                    f"{where}: the rule has more than FREQ, BYMONTH and BYDAY: {rule.to_ical()!r}"
                )
    for event in calendar.walk("VEVENT"):
        name = str(event.get("SUMMARY"))
        tzid = event["DTSTART"].params.get("TZID")
        if tzid not in zones:
            problems.append(f"{name}: DTSTART's zone {tzid} has no VTIMEZONE")
        if "DTEND" in event and event["DTEND"].params.get("TZID") != tzid:
            problems.append(f"{name}: DTEND is in another zone than DTSTART")
        if str(event.get("TRANSP")) != "TRANSPARENT":
            problems.append(f"{name}: not TRANSP:TRANSPARENT")
        if str(event.get("X-MICROSOFT-CDO-BUSYSTATUS")) != "FREE":
            problems.append(f"{name}: busy status is not FREE")
    return problems


@pytest.mark.parametrize("zone_name", [*ZONES, "Europe/Dublin", "America/Santiago", "Pacific/Auckland"])
def test_the_export_has_the_shapes_outlook_imports(zone_name: str):
    data = export_ics(HABITS, zone=ZoneInfo(zone_name), now=NOW)

    assert outlook_problems(data) == []
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.walk("VTODO") == []
    events = calendar.walk("VEVENT")
    assert len(events) == len(HABITS)
    learning = [event for event in events if str(event["UID"]) != "retired@trayhabit"]
    # A reminder for every habit still learning, at the event's start.
    assert all(
        [alarm["TRIGGER"].dt for alarm in event.walk("VALARM")] == [timedelta(0)] for event in learning
    )


def test_each_zones_rule_is_its_yearly_change():
    def parts(zone_name: str) -> dict[str, tuple[str, str, str, str]]:
        calendar = icalendar.Calendar.from_ical(export_ics(HABITS, zone=ZoneInfo(zone_name), now=NOW))
        (vtimezone,) = calendar.walk("VTIMEZONE")
        return {
            part.name: (
                part["RRULE"].to_ical().decode(),
                part["DTSTART"].dt.strftime("%H:%M"),
                part["TZOFFSETFROM"].to_ical(),
                part["TZOFFSETTO"].to_ical(),
            )
            for part in vtimezone.subcomponents
        }

    assert parts("Europe/Stockholm") == {
        "DAYLIGHT": ("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "02:00", "+0100", "+0200"),
        "STANDARD": ("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "03:00", "+0200", "+0100"),
    }
    assert parts("America/New_York") == {
        "DAYLIGHT": ("FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", "02:00", "-0500", "-0400"),
        "STANDARD": ("FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", "02:00", "-0400", "-0500"),
    }
    # Southern: summer time begins in October and ends in April.
    assert parts("Australia/Sydney") == {
        "DAYLIGHT": ("FREQ=YEARLY;BYDAY=1SU;BYMONTH=10", "02:00", "+1000", "+1100"),
        "STANDARD": ("FREQ=YEARLY;BYDAY=1SU;BYMONTH=4", "03:00", "+1100", "+1000"),
    }
    # No daylight saving: one part, and still a weekday in its rule (Outlook refuses one without).
    assert parts("Asia/Kolkata") == {
        "STANDARD": ("FREQ=YEARLY;BYDAY=1SU;BYMONTH=1", "00:00", "+0530", "+0530")
    }
