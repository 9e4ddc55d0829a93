"""The subcommands of ``trayhabit``: each takes the service and the parsed arguments, prints what a
user asked for (or JSON with ``--json``) and returns the exit status.

Imported only when a subcommand runs, so that starting the tray app does not load them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from trayhabit.core import jsontext
from trayhabit.core.changes import Change
from trayhabit.core.clock import Clock
from trayhabit.core.days import format_time_of_day, parse_time_of_day
from trayhabit.core.describe import count_label, describe_schedule, held_label, outcome_label, weekday_names
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _, format_decimal, ngettext
from trayhabit.core.ical import CalendarPlan
from trayhabit.core.model import Outcome, State
from trayhabit.core.report import HabitReport
from trayhabit.core.schedule import WEEKDAY_CODES, rule_from_every
from trayhabit.core.service import HabitService
from trayhabit.core.service_transfer import read_import_file
from trayhabit.core.settings import SPECS, Settings, parse_setting
from trayhabit.core.transfer import is_calendar
from trayhabit.exits import EXIT_OK

# -- the subcommands --------------------------------------------------------------------------------


def _add(service: HabitService, args: argparse.Namespace) -> int:
    start = _parse_date(args.start) if args.start else None
    at = parse_time_of_day(args.at) if args.at else None
    if args.every:
        rule = rule_from_every(args.every, args.on, start or service.today())
    else:
        if args.on:
            raise UserError(_("--on goes with --every; put the days in the RRULE's BYDAY instead."))
        rule = args.rrule
    change = service.add_habit(args.name, rule, at, why=args.why, start=start)
    assert change.habit is not None
    report = service.report(change.habit)
    if args.json:
        _print_json(habit_json(report))
    else:
        print(
            _("Added “{name}”: {schedule}.").format(
                name=change.habit.name, schedule=describe_schedule(change.habit.schedule)
            )
        )
        print(_("Next reminder: {when}.").format(when=_when(report.next_reminder, report)))
        _say_past_occurrences(report)
        print(_("Check it off before the reminder whenever you can: that is what builds the habit."))
    return EXIT_OK


def _say_past_occurrences(report: HabitReport) -> None:
    """A start date in the past makes every occurrence since then missed: say so, rather than let the
    score start from a row of misses the person never saw coming."""
    missed = sum(entry.outcome is Outcome.MISSED for entry in report.settled)
    if not missed:
        return
    print(
        ngettext(
            "The start date {start} puts {n} occurrence in the past; it counts as missed unless you "
            "record it afterwards: trayhabit done “{name}” --at YYYY-MM-DDTHH:MM.",
            "The start date {start} puts {n} occurrences in the past; they count as missed unless you "
            "record them afterwards: trayhabit done “{name}” --at YYYY-MM-DDTHH:MM.",
            missed,
        ).format(start=report.habit.schedule.start.isoformat(), n=missed, name=report.habit.name)
    )


def _list(service: HabitService, args: argparse.Namespace) -> int:
    report_relapses(service.apply_relapses(), json=args.json)
    reports = service.reports(include_archived=args.all)
    if args.json:
        _print_json([habit_json(report) for report in reports])
        return EXIT_OK
    if not reports:
        print(
            _(
                'No habits yet. Add one, e.g.: trayhabit add "Follow up sent quotes" --every week --on fri --at 15:00'
            )
        )
        return EXIT_OK
    rows = [(_("ID"), _("NAME"), _("STATE"), _("SCORE"), _("NOW"), _("NEXT REMINDER"))]
    for report in reports:
        rows.append(
            (
                report.habit.id[:8],
                report.habit.name,
                _state_label(report.habit.state),
                format_decimal(report.score),
                _current_label(report),
                _when(report.next_reminder, report),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return EXIT_OK


def _done(service: HabitService, args: argparse.Namespace) -> int:
    at = _parse_datetime(args.at, service.clock) if args.at else None
    change = service.check_off(args.habit, at, note=args.note)
    return _after_mark(
        service,
        args,
        change,
        _("Checked off “{name}” ({how}).").format(
            name=change.habit.name if change.habit else "", how=outcome_label(change.outcome)
        ),
    )


def _skip(service: HabitService, args: argparse.Namespace) -> int:
    change = service.skip(args.habit)
    assert change.habit is not None
    if change.over_skip_cap:
        allowed = service.settings().max_skips
        message = ngettext(
            "Skipped “{name}”, but it counts as missed: only {n} skip is allowed among recent occurrences.",
            "Skipped “{name}”, but it counts as missed: only {n} skips are allowed among recent occurrences.",
            allowed,
        ).format(name=change.habit.name, n=allowed)
    else:
        message = _("Skipped “{name}” this time; the score is unchanged.").format(name=change.habit.name)
    return _after_mark(service, args, change, message)


def _undo(service: HabitService, args: argparse.Namespace) -> int:
    change = service.undo(args.habit)
    assert change.habit is not None and change.undone is not None
    what = _("check-off") if change.undone.kind.value == "done" else _("skip")
    day = change.undone.occurrence.isoformat() if change.undone.occurrence else ""
    return _after_mark(
        service,
        args,
        change,
        _("Took back the {what} of “{name}” for {day}.").format(what=what, name=change.habit.name, day=day),
    )


def _after_mark(service: HabitService, args: argparse.Namespace, change: Change, message: str) -> int:
    assert change.habit is not None
    report_relapses(change, json=args.json)
    report = service.report(change.habit)
    if args.json:
        payload = habit_json(report)
        payload["event"] = change.event.to_doc() if change.event else None
        payload["outcome"] = change.outcome.value if change.outcome else None
        _print_json(payload)
    else:
        print(message)
        print(
            _("Score {score}. Next reminder: {when}.").format(
                score=format_decimal(report.score), when=_when(report.next_reminder, report)
            )
        )
    return EXIT_OK


def _show(service: HabitService, args: argparse.Namespace) -> int:
    report_relapses(service.apply_relapses(), json=args.json)
    report = service.report(service.find(args.habit))
    if args.json:
        _print_json(habit_json(report))
        return EXIT_OK
    habit = report.habit
    counts = ", ".join(count_label(outcome, report.counts[outcome]) for outcome in Outcome)
    if report.held:
        counts += "; " + held_label(report.held)
    lines = [
        f"{habit.name}  [{_state_label(habit.state)}]  id {habit.id}",
        _("  Why:            {why}").format(why=habit.why) if habit.why else None,
        _("  Schedule:       {schedule}, from {start}").format(
            schedule=describe_schedule(habit.schedule), start=habit.schedule.start.isoformat()
        ),
        _("  Now:            {status}").format(status=_current_label(report)),
        _("  Next reminder:  {when}").format(when=_when(report.next_reminder, report)),
        _(
            "  Score:          {score} of 1 (the weighted share of recent times you did it before the reminder; "
            "times after the reminder count 40%)"
        ).format(score=format_decimal(report.score)),
        _("  Recent:         {counts} (the last {m})").format(m=report.recent, counts=counts),
        _("  To raise it:    check it off before the reminder: {up} (after the reminder: {reminded})").format(
            up=format_decimal(report.if_preemptive), reminded=format_decimal(report.if_reminded)
        )
        if habit.state is State.LEARNING
        else None,
        _("  Streak:         {current} (best {best})").format(
            current=streak_label(report.streak.current), best=report.streak.best
        ),
        _("  Graduation:     {reason}").format(reason=report.graduation.reason),
    ]
    print("\n".join(line for line in lines if line is not None))
    return EXIT_OK


def _export(service: HabitService, args: argparse.Namespace) -> int:
    if args.events and args.format != "ics":
        raise UserError(_("--events goes with --format ics."))
    if args.tasks and args.format != "ics":
        raise UserError(_("--tasks goes with --format ics."))
    if args.tasks and args.events:
        raise UserError(_("--tasks and --events exclude each other: a calendar file holds one or the other."))
    result = service.export(args.format, tasks=args.tasks, path=Path(args.output) if args.output else None)
    habits, events = result.habits, result.events
    if args.output:
        # Said on the terminal, so that a person knows the file is there and what is in it; when the
        # export itself goes to stdout, nothing else does.
        what = ngettext("{n} habit", "{n} habits", habits).format(n=habits)
        if args.format != "ics":
            what = _("{habits} and {events}").format(
                habits=what, events=ngettext("{n} event", "{n} events", events).format(n=events)
            )
        print(_("Wrote {what} to {file}.").format(what=what, file=args.output))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
    return EXIT_OK


def _import(service: HabitService, args: argparse.Namespace) -> int:
    path = Path(args.file)
    data = read_import_file(path)
    if is_calendar(data, path.name):
        return _import_calendar(service, args, data, path.name)
    result = service.import_file(data, path.name)
    report_relapses(result.change, json=args.json)
    if args.json:
        _print_json(
            {
                "habits_added": result.habits_added,
                "habits_updated": result.habits_updated,
                "events_added": result.events_added,
            }
        )
    else:
        print(
            _("Imported {file}: {added}, {updated}, {events}.").format(
                file=path.name,
                added=ngettext("{n} habit added", "{n} habits added", result.habits_added).format(
                    n=result.habits_added
                ),
                updated=ngettext("{n} updated", "{n} updated", result.habits_updated).format(
                    n=result.habits_updated
                ),
                events=ngettext("{n} event added", "{n} events added", result.events_added).format(
                    n=result.events_added
                ),
            )
        )
    return EXIT_OK


def _import_calendar(service: HabitService, args: argparse.Namespace, data: bytes, filename: str) -> int:
    """Preview what a calendar file gives, then create the habits: at once when every item can
    become one, after the user's yes (or --yes) when some are skipped."""
    plan = service.plan_calendar_import(data, filename)
    refusal = plan.refusal()
    if refusal is not None:
        if len(plan.skipped) > 1 and not args.json:
            _print_plan(plan)
        raise UserError(refusal)
    if not args.json:
        _print_plan(plan)
    if plan.skipped and not args.yes:
        if args.json or not sys.stdin.isatty():
            raise UserError(_("Nothing was created: add --yes to create these habits without being asked."))
        question = (
            _("Create this habit? [y/N] ")
            if len(plan.habits) == 1
            else _("Create these {n} habits? [y/N] ").format(n=len(plan.habits))
        )
        if not _confirm(question):
            raise UserError(_("Nothing was created."))
    created_habits = service.import_calendar(plan).created
    if args.json:
        created = [
            {**habit_json(service.report(habit)), "notes": list(planned.notes)}
            for habit, planned in zip(created_habits, plan.habits, strict=True)
        ]
        _print_json(
            {
                "file": filename,
                "created": created,
                "skipped": [{"name": item.name, "reason": item.reason} for item in plan.skipped],
            }
        )
    else:
        print(
            ngettext(
                "Created {n} habit from {file}.", "Created {n} habits from {file}.", len(created_habits)
            ).format(n=len(created_habits), file=filename)
        )
    return EXIT_OK


def _print_plan(plan: CalendarPlan) -> None:
    print(_("{file}:").format(file=plan.filename))
    if plan.habits:
        print(
            ngettext("  {n} habit to create:", "  {n} habits to create:", len(plan.habits)).format(
                n=len(plan.habits)
            )
        )
        for planned in plan.habits:
            print(
                _("    + {name}: {schedule}, from {start}").format(
                    name=planned.name,
                    schedule=describe_schedule(planned.schedule),
                    start=planned.schedule.start.isoformat(),
                )
            )
            if planned.why:
                print(_("      Why: {why}").format(why=" ".join(planned.why.split())))
            for note in planned.notes:
                print(f"      ! {note}")
    if plan.skipped:
        print(
            ngettext("  {n} item skipped:", "  {n} items skipped:", len(plan.skipped)).format(
                n=len(plan.skipped)
            )
        )
        for item in plan.skipped:
            print(f"    - {item.name}: {item.reason}")


def _confirm(question: str) -> bool:
    """Ask a yes/no question on the terminal; anything but yes (or end of input) is no."""
    try:
        answer = input(question)
    except EOFError:
        print()
        return False
    return answer.strip().casefold() in {"y", "yes", _("y").casefold(), _("yes").casefold()}


def _graduate(service: HabitService, args: argparse.Namespace) -> int:
    change = service.graduate(args.habit, force=args.force)
    assert change.habit is not None
    if args.json:
        _print_json(habit_json(service.report(change.habit)))
    else:
        print(
            _(
                "Retired the reminder of “{name}”. It is still tracked, and the reminder comes back if the habit slips."
            ).format(name=change.habit.name)
        )
    return EXIT_OK


def _remove(service: HabitService, args: argparse.Namespace) -> int:
    habit = service.find(args.habit)  # an unknown habit is refused before any question
    if not args.yes:
        # As `import` asks before it creates: a removal is asked for on a terminal, and a script must
        # say --yes, so that a wrong name in a script never removes a habit silently.
        if args.json or not sys.stdin.isatty():
            raise UserError(
                _("Nothing was removed: add --yes to remove “{name}” without being asked.").format(
                    name=habit.name
                )
            )
        if not _confirm(_("Remove “{name}” and its history? [y/N] ").format(name=habit.name)):
            raise UserError(_("Nothing was removed."))
    change = service.remove(habit.id)
    assert change.habit is not None
    if args.json:
        _print_json({"id": change.habit.id, "name": change.habit.name, "removed": True})
    else:
        print(_("Removed “{name}”.").format(name=change.habit.name))
    return EXIT_OK


def _config(service: HabitService, args: argparse.Namespace) -> int:
    if args.key == "start_at_login" and args.value is not None:
        from trayhabit.autostart import Autostart, default_command

        _key, enabled = parse_setting(args.key, args.value)
        report_relapses(
            service.set_start_at_login(bool(enabled), Autostart(default_command())), json=args.json
        )
    elif args.key is not None and args.value is not None:
        report_relapses(service.set_setting(args.key, args.value), json=args.json)
    settings = service.settings()
    if args.key is not None and args.key not in SPECS:
        service.set_setting(args.key, "")  # raises the one clear message for an unknown key
    keys = [args.key] if args.key is not None else [key for key, spec in SPECS.items() if not spec.internal]
    if args.json:
        _print_json({key: _json_setting(settings, key) for key in keys})
    elif args.key is not None:
        print(SPECS[args.key].format(settings[args.key]))
    else:
        for key in keys:
            print(f"{key} = {SPECS[key].format(settings[key])}    # {SPECS[key].translated_description()}")
    return EXIT_OK


def _caldav(service: HabitService, args: argparse.Namespace) -> int:
    from trayhabit.commands_caldav import run

    return run(service, args)


def _sync(service: HabitService, args: argparse.Namespace) -> int:
    report = service.sync()
    if report is None:
        raise UserError(_("Sync is off: choose a folder with `trayhabit config sync_folder PATH` first."))
    report_relapses(report.change, json=args.json)
    if args.json:
        _print_json(
            {
                "folder": str(report.folder),
                "available": report.available,
                "events_added": report.events_added,
                "habits_changed": report.habits_changed,
                "settings_changed": report.settings_changed,
                "files_written": report.files_published,
                "devices": report.devices,
                "archived": report.archived,
                "skipped": report.skipped,
            }
        )
        return EXIT_OK
    if not report.available:
        print(
            _(
                "The sync folder {folder} is not there (a drive not connected?). TrayHabit goes on with this "
                "computer's data and catches up when the folder is back."
            ).format(folder=report.folder)
        )
        return EXIT_OK
    devices = len(report.devices)
    print(
        _("Synced with {folder} ({devices}): {events}, {habits} and {settings} taken in; {files}.").format(
            folder=report.folder,
            devices=ngettext("{n} other computer", "{n} other computers", devices).format(n=devices),
            events=ngettext(
                "{n} check-in or reminder", "{n} check-ins and reminders", report.events_added
            ).format(n=report.events_added),
            habits=ngettext("{n} habit", "{n} habits", report.habits_changed).format(n=report.habits_changed),
            settings=ngettext("{n} setting", "{n} settings", report.settings_changed).format(
                n=report.settings_changed
            ),
            files=ngettext("{n} file written", "{n} files written", report.files_published).format(
                n=report.files_published
            ),
        )
    )
    for name in report.archived:
        print(_("Merged and archived the conflict copy {file}.").format(file=name))
    for reason in report.skipped:
        print(reason, file=sys.stderr)
    return EXIT_OK


COMMANDS: dict[str, Callable[[HabitService, argparse.Namespace], int]] = {
    "add": _add,
    "list": _list,
    "done": _done,
    "undo": _undo,
    "skip": _skip,
    "show": _show,
    "export": _export,
    "import": _import,
    "graduate": _graduate,
    "remove": _remove,
    "config": _config,
    "sync": _sync,
    "caldav": _caldav,
}


# -- output -----------------------------------------------------------------------------------------


def habit_json(report: HabitReport) -> dict[str, Any]:
    """The JSON object of one habit for ``show --json`` and ``list --json``."""
    habit = report.habit
    current = report.current
    zone = report.as_of.tzinfo

    def local(instant: datetime) -> str:
        return instant.astimezone(zone).isoformat()

    return {
        "id": habit.id,
        "name": habit.name,
        "why": habit.why,
        "state": habit.state.value,
        "state_reason": habit.state_reason,
        "graduated_score": habit.graduated_score,
        "rrule": habit.schedule.rrule,
        "at": format_time_of_day(habit.schedule.at),
        "start": habit.schedule.start.isoformat(),
        "schedule": describe_schedule(habit.schedule),
        "next_reminder": local(report.next_reminder) if report.next_reminder else None,
        "score": round(report.score, 6),
        "half_life": round(report.half_life, 6),
        "recent": report.recent,
        "counts": {outcome.value: report.counts[outcome] for outcome in Outcome},
        # A field of its own, not in counts: a held reminder's occurrence has a class as well, and
        # the counts add up to the occurrences settled.
        "held": report.held,
        "streak": {"current": report.streak.current, "best": report.streak.best},
        "graduation": {
            "suggested": report.graduation.suggested,
            "reason": report.graduation.reason,
            "relapse": report.graduation.relapse,
            "stop_tracking_suggested": report.graduation.stop_tracking_suggested,
        },
        "current": None
        if current is None
        else {
            "occurrence": current.occurrence.key.isoformat(),
            "reminder": local(current.occurrence.reminder),
            "opens": local(current.occurrence.opens),
            "closes": local(current.occurrence.closes),
            "status": current.outcome.value if current.outcome else "open",
        },
        "created_at": local(habit.created_at) if habit.created_at else None,
    }


def _print_json(value: Any) -> None:
    print(jsontext.dumps(value, indent=2).decode())


def _json_setting(settings: Settings, key: str) -> Any:
    value = settings[key]
    return format_time_of_day(value) if isinstance(value, time) else value


def report_relapses(change: Change, *, json: bool = False) -> None:
    """Tell the person, once, which graduated habits *change* gave their reminder back, and why
    (not with ``--json``, whose output is the command's JSON alone)."""
    if json:
        return
    for habit in change.relapsed:
        print(
            _("“{name}” has its reminder back. {reason}").format(name=habit.name, reason=habit.state_reason)
        )


def streak_label(current: int) -> str:
    """The current run of check-offs before the reminder, in words."""
    return ngettext(
        "{n} time in a row before the reminder", "{n} times in a row before the reminder", current
    ).format(n=current)


def _state_label(state: State) -> str:
    return {State.LEARNING: _("learning"), State.GRADUATED: _("graduated"), State.ARCHIVED: _("archived")}[
        state
    ]


def _current_label(report: HabitReport) -> str:
    current = report.current
    if report.habit.state is State.ARCHIVED or current is None:
        return "-"
    if current.outcome is None:
        return _("reminder waiting") if report.reminder_waiting else _("open, before the reminder")
    return (
        _("done ({how})").format(how=outcome_label(current.outcome))
        if current.outcome is not Outcome.SKIPPED
        else _("skipped")
    )


def _when(instant: datetime | None, report: HabitReport) -> str:
    """A moment as the user reads it: weekday, date and time in their zone."""
    if instant is None:
        return _("none")
    local = instant.astimezone(report.as_of.tzinfo)
    day = weekday_names()[WEEKDAY_CODES[local.weekday()]]
    return f"{day} {local.strftime('%Y-%m-%d %H:%M')}"


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(_("“{text}” is not a date; write it as YYYY-MM-DD.").format(text=text)) from None


def _parse_datetime(text: str, clock: Clock) -> datetime:
    """An ISO date and time; without a UTC offset it is a wall-clock time in the user's zone."""
    from trayhabit.core.days import localize

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        try:
            value = datetime.combine(clock.now().date(), parse_time_of_day(text))
        except ValueError:
            raise UserError(
                _(
                    "“{text}” is not a date and time; write it as YYYY-MM-DDTHH:MM, e.g. 2026-11-27T08:15."
                ).format(text=text)
            ) from None
    if value.tzinfo is None:
        return localize(value, clock.tz)
    return value.astimezone(clock.tz)
