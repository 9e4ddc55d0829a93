"""Calendar files in and out: each producer's real-world format becomes the habit a user expects,
TrayHabit's own export passes a strict reader and comes back as the same habits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from icalendar.parser import Contentline, Contentlines

from tests.helpers.builders import habit
from trayhabit.core.describe import describe_schedule
from trayhabit.core.ical import CalendarFileError, CalendarPlan, export_ics, read_calendar
from trayhabit.core.model import Schedule, State
from trayhabit.core.schedule import Timeline

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ical"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
NEW_YORK = ZoneInfo("America/New_York")
# A Wednesday in November, before every fixture's series begins.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STOCKHOLM)


def plan(
    name: str, *, zone: ZoneInfo = STOCKHOLM, now: datetime = NOW, names: tuple[str, ...] = ()
) -> CalendarPlan:
    return read_calendar((FIXTURES / name).read_bytes(), name, zone=zone, now=now, existing_names=names)


def reminders(schedule: Schedule, zone: ZoneInfo = STOCKHOLM, count: int = 10) -> list[datetime]:
    """The first reminders of a schedule as the user's clock shows them."""
    return [o.reminder.astimezone(zone) for o in islice(Timeline(schedule, zone, time(4)), count)]


def skipped(result: CalendarPlan) -> dict[str, str]:
    return {item.name: item.reason for item in result.skipped}


# -- what each producer writes ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.ics")))
def test_fixtures_are_written_as_calendar_programs_write_them(name: str):
    """CRLF line ends and lines folded at 75 octets, as RFC 5545 and the producers do."""
    data = (FIXTURES / name).read_bytes()
    if name == "not-a-calendar.ics":
        return
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    if name == "outlook-tasks.ics":
        assert any(line.startswith(b" ") for line in lines), "Outlook's long lines are folded"


def test_an_outlook_task_becomes_a_habit_at_its_reminder_time():
    result = plan("outlook-tasks.ics")
    (planned,) = result.habits
    assert planned.name == "Följ upp skickade offerter"
    assert planned.why.startswith("Affärer avslutas när man följer upp.")
    assert planned.component == "VTODO"
    # DTSTART 09:00 in "W. Europe Standard Time", alarm 15 minutes before.
    assert planned.schedule == Schedule("FREQ=WEEKLY;BYDAY=MO", time(8, 45), date(2026, 11, 30))
    assert planned.notes == ()
    assert reminders(planned.schedule, count=2) == [
        datetime(2026, 11, 30, 8, 45, tzinfo=STOCKHOLM),
        datetime(2026, 12, 7, 8, 45, tzinfo=STOCKHOLM),
    ]
    assert "does not repeat" in skipped(result)["Kundmöte med Andersson AB"]


def test_a_calendar_in_another_time_zone_reminds_at_the_same_moment_and_says_so():
    (planned,) = plan("outlook-tasks.ics", zone=NEW_YORK, now=NOW.astimezone(NEW_YORK)).habits
    # 08:45 in Berlin/Stockholm (CET) is 02:45 in New York (EST).
    assert planned.schedule.at == time(2, 45)
    assert any("W. Europe Standard Time (Europe/Berlin)" in note for note in planned.notes)


def test_a_google_event_keeps_its_end_in_utc_and_says_what_is_dropped():
    result = plan("google.ics")
    (planned,) = result.habits
    assert planned.name == "Planera veckan"
    assert planned.why == "Veckans tre viktigaste saker, innan mejlen tar över."
    assert planned.schedule.at == time(7, 50)  # TRIGGER:-P0DT0H10M0S before 08:00
    everything = reminders(planned.schedule, count=100)
    # UNTIL=20270329T065959Z is 08:59:59 Stockholm summer time: the Monday after the DST change is the last.
    assert everything[-1] == datetime(2027, 3, 29, 7, 50, tzinfo=STOCKHOLM)
    assert len(everything) == 18
    assert datetime(2026, 12, 28, 7, 50, tzinfo=STOCKHOLM) in everything  # the EXDATE is not honoured...
    notes = " ".join(planned.notes)
    assert "EXDATE" in notes  # ...and the preview says so,
    assert "1 occurrence changed in the calendar" in notes  # as it does for the moved 7 December.
    assert "does not repeat" in skipped(result)["Lunch med Karin"]


def test_an_apple_event_keeps_its_count_and_ignores_apples_placeholder_alarm():
    result = plan("apple.ics")
    (planned,) = result.habits
    assert planned.name == "Stretcha rygg och nacke"
    # The ACTION:NONE alarm of 1976 is Apple's "no alarm" marker; the real one is 5 minutes before.
    assert planned.schedule.at == time(7, 25)
    everything = reminders(planned.schedule, count=100)
    assert len(everything) == 30
    assert everything[-1].date() == date(2026, 12, 30)
    assert planned.notes == ()
    assert "all day" in skipped(result)["Mammas födelsedag"]


def test_the_preview_says_when_a_series_ends():
    (google,) = plan("google.ics").habits
    (apple,) = plan("apple.ics").habits
    assert describe_schedule(google.schedule) == "every Monday at 07:50, until 2027-03-29"
    assert describe_schedule(apple.schedule) == "every day at 07:25, 30 times"


def test_a_thunderbird_task_reminds_half_an_hour_before_and_mentions_its_exdate():
    (planned,) = plan("thunderbird.ics").habits
    assert planned.component == "VTODO"
    assert planned.schedule == Schedule("FREQ=WEEKLY;BYDAY=MO,WE,FR", time(16, 0), date(2026, 11, 30))
    assert planned.why == "Tom inkorg på fredag eftermiddag – lugn helg."
    assert any("EXDATE" in note for note in planned.notes)


def test_reminders_stay_at_eight_local_time_across_the_spring_dst_change():
    (planned,) = plan("stockholm-dst.ics").habits
    assert planned.name == "Morgonpromenad åt ån"
    assert planned.why == "Frisk luft före jobbet – då går förmiddagen lättare."
    local = reminders(planned.schedule)
    assert [r.time() for r in local] == [time(8, 0)] * 5
    assert [r.date() for r in local] == [date(2027, 3, day) for day in (26, 27, 28, 29, 30)]
    # The clocks go forward on 28 March: the same wall time is an hour earlier in UTC from then on.
    assert [r.astimezone(UTC).hour for r in local] == [7, 7, 6, 6, 6]


def test_a_series_that_began_long_ago_starts_at_its_next_reminder_and_keeps_its_end():
    later = datetime(2026, 12, 10, 12, 0, tzinfo=STOCKHOLM)
    (stretch,) = plan("apple.ics", now=later).habits
    # 30 daily reminders from 1 December: those up to 10 December at 07:25 are past.
    assert stretch.schedule.start == date(2026, 12, 11)
    assert stretch.schedule.rrule == "FREQ=DAILY;COUNT=20"
    assert reminders(stretch.schedule, count=100)[-1].date() == date(2026, 12, 30)
    (inbox,) = plan("thunderbird.ics", now=later).habits
    assert inbox.schedule.start == date(2026, 12, 11)  # a Friday: the series keeps its days
    ended = plan("apple.ics", now=datetime(2027, 1, 5, tzinfo=STOCKHOLM))
    assert "ended on 2026-12-30" in skipped(ended)["Stretcha rygg och nacke"]


def test_items_whose_name_is_taken_are_skipped_not_duplicated():
    result = plan("thunderbird.ics", names=("RENSA INKORGEN",))
    assert result.habits == ()
    assert "already have a habit" in skipped(result)["Rensa inkorgen"]


def test_a_file_with_good_and_bad_items_plans_the_good_ones_and_gives_each_bad_ones_reason():
    result = plan("mixed.ics")
    assert [h.name for h in result.habits] == ["Följ upp efter kundmöte"]
    assert result.habits[0].schedule == Schedule("FREQ=WEEKLY;BYDAY=TU,TH", time(15, 30), date(2026, 12, 1))
    reasons = skipped(result)
    assert "Central Lunar Standard Time" in reasons["Veckomöte på månen"]
    assert "does not repeat" in reasons["Lunch med Karin"]
    assert "at most once a day" in reasons["Drick vatten"]
    assert result.refusal() is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("unknown-zone.ics", "time zone “Central Lunar Standard Time” is unknown"),
        ("broken-lines.ics", "“blir en egen rad utan kolon” cannot be read"),
        ("unevaluable-rule.ics", "not a valid RRULE: bysetpos"),
    ],
)
def test_a_file_whose_only_item_is_bad_is_refused_with_that_items_reason(name: str, message: str):
    result = plan(name)
    assert result.habits == ()
    refusal = result.refusal()
    assert refusal is not None and message in refusal and "\n" not in refusal


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Hej!\nDet h\xc3\xa4r \xc3\xa4r ingen kalender.\n", "not an iCalendar file"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nthis line has no colon\r\nEND:VCALENDAR\r\n",
            "not a valid iCalendar",
        ),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "not a valid iCalendar|no VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\nSUMMARY:\xff\xfe\r\nEND:VCALENDAR\r\n", "UTF-8"),
    ],
)
def test_a_file_that_is_not_icalendar_is_refused_whole(data: bytes, message: str):
    import re

    with pytest.raises(CalendarFileError, match=message) as raised:
        read_calendar(data, "x.ics", zone=STOCKHOLM, now=NOW)
    assert re.search(message, str(raised.value)) and "\n" not in str(raised.value)


def test_an_item_without_an_alarm_reminds_at_its_start():
    data = _calendar(
        "BEGIN:VEVENT",
        "UID:a",
        "DTSTAMP:20261120T000000Z",
        "DTSTART;TZID=Europe/Stockholm:20261201T171500",
        "RRULE:FREQ=DAILY",
        "SUMMARY:Planera morgondagen",
        "END:VEVENT",
    )
    (planned,) = read_calendar(data, "x.ics", zone=STOCKHOLM, now=NOW).habits
    assert planned.schedule.at == time(17, 15)
    assert any("no alarm" in note for note in planned.notes)


def test_an_alarm_the_evening_before_the_first_of_the_month_comes_on_the_months_last_day():
    data = _calendar(
        "BEGIN:VEVENT",
        "UID:a",
        "DTSTAMP:20261120T000000Z",
        "DTSTART;VALUE=DATE:20261201",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=1",
        "SUMMARY:Månadsrapport",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Påminnelse",
        "TRIGGER:-PT15H",
        "END:VALARM",
        "END:VEVENT",
    )
    (planned,) = read_calendar(data, "x.ics", zone=STOCKHOLM, now=NOW).habits
    local = reminders(planned.schedule, count=3)
    assert local == [
        datetime(2026, 11, 30, 9, 0, tzinfo=STOCKHOLM),
        datetime(2026, 12, 31, 9, 0, tzinfo=STOCKHOLM),
        datetime(2027, 1, 31, 9, 0, tzinfo=STOCKHOLM),
    ]


def test_an_alarm_on_another_day_that_trayhabit_cannot_follow_is_skipped_with_the_reason():
    data = _calendar(
        "BEGIN:VEVENT",
        "UID:a",
        "DTSTAMP:20261120T000000Z",
        "DTSTART;VALUE=DATE:20261201",
        "RRULE:FREQ=MONTHLY;BYDAY=1TU",
        "SUMMARY:Styrelsemöte",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Påminnelse",
        "TRIGGER:-PT15H",
        "END:VALARM",
        "END:VEVENT",
    )
    result = read_calendar(data, "x.ics", zone=STOCKHOLM, now=NOW)
    assert result.habits == ()
    assert "same days" in skipped(result)["Styrelsemöte"]


def test_an_alarm_the_evening_before_a_weekly_item_moves_to_the_day_before():
    data = _calendar(
        "BEGIN:VEVENT",
        "UID:a",
        "DTSTAMP:20261120T000000Z",
        "DTSTART;VALUE=DATE:20261130",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "SUMMARY:Veckorapport",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Påminnelse",
        "TRIGGER:-PT6H",
        "END:VALARM",
        "END:VEVENT",
    )
    (planned,) = read_calendar(data, "x.ics", zone=STOCKHOLM, now=NOW).habits
    local = reminders(planned.schedule, count=2)
    assert local == [
        datetime(2026, 11, 29, 18, 0, tzinfo=STOCKHOLM),
        datetime(2026, 12, 6, 18, 0, tzinfo=STOCKHOLM),
    ]


def test_an_alarm_relative_to_a_tasks_due_time_counts_from_there():
    data = _calendar(
        "BEGIN:VTODO",
        "UID:a",
        "DTSTAMP:20261120T000000Z",
        "DTSTART;TZID=Europe/Stockholm:20261130T090000",
        "DUE;TZID=Europe/Stockholm:20261130T170000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "SUMMARY:Tidrapport",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Påminnelse",
        "TRIGGER;RELATED=END:-PT1H",
        "END:VALARM",
        "END:VTODO",
    )
    (planned,) = read_calendar(data, "x.ics", zone=STOCKHOLM, now=NOW).habits
    assert planned.schedule.at == time(16, 0)


def test_a_cancelled_series_is_skipped():
    data = _calendar(
        "BEGIN:VEVENT",
        "UID:a",
        "DTSTAMP:20261120T000000Z",
        "DTSTART;TZID=Europe/Stockholm:20261130T090000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "STATUS:CANCELLED",
        "SUMMARY:Veckomöte",
        "END:VEVENT",
    )
    result = read_calendar(data, "x.ics", zone=STOCKHOLM, now=NOW)
    assert skipped(result) == {"Veckomöte": "it is cancelled."}


def test_a_zone_only_an_earlier_file_described_is_still_unknown():
    event = [
        "BEGIN:VEVENT",
        "UID:a",
        "DTSTAMP:20261120T000000Z",
        "DTSTART;TZID=Kontorstid:20261130T090000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "SUMMARY:Veckomöte",
        "END:VEVENT",
    ]
    zone = [
        "BEGIN:VTIMEZONE",
        "TZID:Kontorstid",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    described = read_calendar(_calendar(*zone, *event), "a.ics", zone=STOCKHOLM, now=NOW)
    assert described.habits[0].schedule.at == time(9, 0)
    undescribed = read_calendar(_calendar(*event), "b.ics", zone=STOCKHOLM, now=NOW)
    assert "“Kontorstid” is unknown" in skipped(undescribed)["Veckomöte"]


def _calendar(*lines: str) -> bytes:
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN", *lines, "END:VCALENDAR"])
        + "\r\n"
    ).encode()


# -- TrayHabit's own export -----------------------------------------------------------------------------


HABITS = [
    habit(
        "FREQ=WEEKLY;BYDAY=MO",
        time(9, 0),
        date(2026, 11, 30),
        id="h1",
        name="Följ upp skickade offerter",
        why="Affärer avslutas när man följer upp",
    ),
    habit(
        "FREQ=DAILY;INTERVAL=3",
        time(7, 15, 30),
        date(2026, 11, 26),
        id="h2",
        name="Stretch",
        why="Rygg och nacke; må bättre, varje dag",
    ),
    habit(
        "FREQ=MONTHLY;BYMONTHDAY=31,-1;BYSETPOS=1",
        time(16, 0),
        date(2026, 12, 31),
        id="h3",
        name="Månadsrapport",
    ),
    habit(
        "FREQ=WEEKLY;BYDAY=TU,TH",
        time(15, 30),
        date(2026, 12, 1),
        id="h4",
        name="Graduated one",
        state=State.GRADUATED,
    ),
    habit("FREQ=DAILY", time(8, 0), date(2026, 11, 26), id="h5", name="Archived one", state=State.ARCHIVED),
]


def check_ics(data: bytes) -> list[str]:
    """What a strict reader finds wrong with an iCalendar file (empty when nothing is)."""
    problems: list[str] = []
    text = data.decode("utf-8")
    raw_lines = text.split("\r\n")
    if raw_lines[-1] != "" or any("\n" in line or "\r" in line for line in raw_lines):
        problems.append("lines must end with CRLF")
    problems.extend(f"longer than 75 octets: {line[:30]!r}" for line in raw_lines if len(line.encode()) > 75)
    for line in Contentlines.from_ical(text):
        if line:
            try:
                Contentline(line, strict=True).parts()
            except ValueError as error:
                problems.append(f"{line[:30]!r}: {error}")
    calendar = icalendar.Calendar.from_ical(text)
    problems.extend(f"VCALENDAR lacks {key}" for key in ("PRODID", "VERSION") if key not in calendar)
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    required = {
        "VTODO": ("UID", "DTSTAMP"),
        "VEVENT": ("UID", "DTSTAMP", "DTSTART"),
        "VALARM": ("ACTION", "TRIGGER"),
    }
    for part in calendar.walk():
        problems.extend(f"{part.name}: {name}: {error}" for name, error in part.errors)
        problems.extend(f"{part.name} lacks {key}" for key in required.get(part.name, ()) if key not in part)
        if part.name == "VALARM" and part.get("ACTION") == "DISPLAY" and "DESCRIPTION" not in part:
            problems.append("a DISPLAY alarm lacks DESCRIPTION")
        tzid = part["DTSTART"].params.get("TZID") if "DTSTART" in part and part.name != "STANDARD" else None
        if tzid and part.name in ("VTODO", "VEVENT") and tzid not in zones:
            problems.append(f"TZID {tzid} has no VTIMEZONE")
    return problems


@pytest.mark.parametrize("component", ["VTODO", "VEVENT"])
def test_the_export_passes_a_strict_reader(component: str):
    data = export_ics(HABITS, zone=STOCKHOLM, now=NOW, component=component)
    assert check_ics(data) == []
    calendar = icalendar.Calendar.from_ical(data)
    items = calendar.walk(component)
    assert [str(item["SUMMARY"]) for item in items] == [h.name for h in HABITS[:4]]  # not the archived one
    assert str(calendar.walk("VTIMEZONE")[0]["TZID"]) == "Europe/Stockholm"
    first = items[0]
    assert first["DTSTART"].dt == datetime(2026, 11, 30, 9, 0, tzinfo=STOCKHOLM)
    assert first["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO"
    assert str(first["DESCRIPTION"]) == "Affärer avslutas när man följer upp"
    assert str(first["UID"]) == "h1@trayhabit"
    (alarm,) = first.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(0)  # at the reminder time itself
    # The graduated habit's reminder is retired: its item carries no alarm.
    assert items[3].walk("VALARM") == []


@pytest.mark.parametrize("component", ["VTODO", "VEVENT"])
def test_exported_habits_import_back_as_the_same_habits(component: str):
    data = export_ics(HABITS, zone=STOCKHOLM, now=NOW, component=component)
    result = read_calendar(data, "trayhabit.ics", zone=STOCKHOLM, now=NOW)
    assert result.skipped == ()
    back = {h.name: (h.why, h.schedule) for h in result.habits}
    assert back == {h.name: (h.why, h.schedule) for h in HABITS[:4]}
    assert all(h.component == component for h in result.habits)
    # The graduated habit has no alarm: its reminder time comes from its start, and the preview says so.
    assert any("no alarm" in note for note in result.habits[3].notes)


def test_the_default_export_is_short_free_events_that_outlook_imports():
    calendar = icalendar.Calendar.from_ical(export_ics(HABITS, zone=STOCKHOLM, now=NOW))

    # Outlook reads no tasks (VTODO) at all: the default is events.
    assert calendar.walk("VTODO") == []
    first = calendar.walk("VEVENT")[0]
    assert str(first["UID"]) == "h1@trayhabit"  # the same UID as the tasks had: a new export updates
    assert first["DTSTART"].dt == datetime(2026, 11, 30, 9, 0, tzinfo=STOCKHOLM)
    assert first["DTEND"].dt == datetime(2026, 11, 30, 9, 15, tzinfo=STOCKHOLM)
    # A reminder, not a meeting: it leaves the person free in Outlook and Exchange.
    assert str(first["TRANSP"]) == "TRANSPARENT"
    assert str(first["X-MICROSOFT-CDO-BUSYSTATUS"]) == "FREE"
    assert str(first["DESCRIPTION"]) == "Affärer avslutas när man följer upp"
    assert [alarm["TRIGGER"].dt for alarm in first.walk("VALARM")] == [timedelta(0)]


def test_the_time_zone_is_one_yearly_rule_not_a_list_of_dates():
    data = export_ics(HABITS, zone=STOCKHOLM, now=NOW)
    (vtimezone,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")

    assert b"RDATE" not in data
    assert sorted(part.name for part in vtimezone.subcomponents) == ["DAYLIGHT", "STANDARD"]
    rules = {part.name: part["RRULE"].to_ical() for part in vtimezone.subcomponents}
    assert rules == {
        "DAYLIGHT": b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "STANDARD": b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    }
    # In force from before the first exported date, so a reader applies it to every time in the file.
    assert all(part["DTSTART"].dt.year < 2026 for part in vtimezone.subcomponents)


def test_the_export_starts_at_the_first_reminder_when_the_start_day_has_none():
    friday_start = habit("FREQ=WEEKLY;BYDAY=MO", time(9, 0), date(2026, 11, 27), name="Planera veckan")
    calendar = icalendar.Calendar.from_ical(export_ics([friday_start], zone=STOCKHOLM, now=NOW))
    # Calendar programs count DTSTART as an occurrence, so it must be the first Monday, not the Friday.
    assert calendar.walk("VEVENT")[0]["DTSTART"].dt == datetime(2026, 11, 30, 9, 0, tzinfo=STOCKHOLM)
    # TrayHabit reads its own start day back, so the habit comes back as it was.
    data = export_ics([friday_start], zone=STOCKHOLM, now=NOW)
    (back,) = read_calendar(data, "x.ics", zone=STOCKHOLM, now=NOW).habits
    assert back.schedule == friday_start.schedule


def test_without_a_named_time_zone_the_export_uses_floating_local_times():
    from datetime import timezone

    data = export_ics(HABITS[:1], zone=timezone(timedelta(hours=1)), now=NOW)
    assert check_ics(data) == []
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.walk("VTIMEZONE") == []
    assert calendar.walk("VEVENT")[0]["DTSTART"].dt == datetime(2026, 11, 30, 9, 0)
    assert calendar.walk("VEVENT")[0]["DTEND"].dt == datetime(2026, 11, 30, 9, 15)


def test_a_preview_confirmed_after_its_first_reminder_passed_creates_nothing(tmp_path: Path):
    from tests.helpers.clock import FakeClock
    from trayhabit.core.errors import UserError
    from trayhabit.core.service import HabitService
    from trayhabit.core.store import Store

    clock = FakeClock(datetime(2026, 11, 30, 8, 0, tzinfo=STOCKHOLM))  # Monday, before 08:45
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    service = HabitService(store, clock)
    preview = service.plan_calendar_import((FIXTURES / "outlook-tasks.ics").read_bytes(), "outlook-tasks.ics")
    assert preview.habits[0].schedule.start == date(2026, 11, 30)
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=STOCKHOLM))  # the user took an hour to confirm
    with pytest.raises(UserError, match="has passed since the preview"):
        service.import_calendar(preview)
    assert service.habits() == []
    # Planned again, the habit starts with the next Monday.
    again = service.plan_calendar_import((FIXTURES / "outlook-tasks.ics").read_bytes(), "outlook-tasks.ics")
    (created,) = service.import_calendar(again).created
    assert created.schedule.start == date(2026, 12, 7)
