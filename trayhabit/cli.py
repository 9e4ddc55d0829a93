"""The ``trayhabit`` command: starts the tray app, or runs a subcommand on the same store.

Every subcommand works whether or not the app is running (the store serialises writers with a file
lock) and prints machine-readable output with ``--json``. Bad input exits with status 1 and one line
on stderr, before anything is written; usage errors exit with status 2. An unexpected error (a bug)
exits with status 70, its traceback in the data folder's log and one line naming that log on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from trayhabit import __version__
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import N_, _, set_language, translate_standard_library
from trayhabit.exits import EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_SOFTWARE, EXIT_USAGE

if TYPE_CHECKING:
    from trayhabit.core.applog import DataFolderLog
    from trayhabit.core.changes import Change
    from trayhabit.core.clock import Clock
    from trayhabit.core.service import HabitService

# argparse's own messages a user can meet (usage, help, errors), so that the catalogue carries them
# too; translate_standard_library() makes argparse find them there. Worded as in Python 3.11-3.13.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)

DATA_DIR_ENV = "TRAYHABIT_DATA_DIR"


def _terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it: $COLUMNS, the terminal, or 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, given the width it would otherwise import shutil (with bz2 and lzma) to
    find: argparse makes one for every argument it is given, so starting the tray app paid 3 ms."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_columns() - 2)  # argparse leaves 2 columns too


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr, like every other error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)  # the subcommands' parsers too
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_USAGE,
            _("trayhabit: {message} (see `{prog} --help`)\n").format(message=message, prog=self.prog),
        )


def default_data_dir() -> Path:
    """The per-user data folder of the platform (e.g. ~/.local/share/TrayHabit on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("TrayHabit", appauthor=False))


def resolve_data_dir(option: str | None, environ: os._Environ[str] | dict[str, str] = os.environ) -> Path:
    """``--data-dir`` wins over ``TRAYHABIT_DATA_DIR``, which wins over the platform's folder."""
    if option:
        return Path(option).expanduser()
    if environ.get(DATA_DIR_ENV):
        return Path(environ[DATA_DIR_ENV]).expanduser()
    return default_data_dir()


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line."""
    # --data-dir on every subcommand too, with no default there, so it works before or after it.
    common = _Parser(add_help=False)
    common.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=_("the data folder to use")
    )
    json_option = _Parser(add_help=False)
    json_option.add_argument("--json", action="store_true", help=_("print machine-readable JSON"))

    parser = _Parser(
        prog="trayhabit",
        description=_("Turn reminders into habits. Without a subcommand, start the tray app."),
    )
    parser.add_argument("--version", action="version", version=f"trayhabit {__version__}")
    parser.add_argument(
        "--show",
        choices=("check-off", "habits", "settings"),
        help=_("with no subcommand: open this window of the app (starting the app if needed)"),
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=_("check that this installation can run (windows, store, notifications), then exit"),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help=_("the data folder (default: $TRAYHABIT_DATA_DIR or the platform's)"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str, *, json: bool = True) -> argparse.ArgumentParser:
        parents = [common, json_option] if json else [common]
        return commands.add_parser(name, help=help_text, description=help_text, parents=parents)

    add = command("add", _("add a habit"))
    add.add_argument("name", metavar="NAME")
    repeat = add.add_mutually_exclusive_group(required=True)
    repeat.add_argument("--rrule", metavar="RRULE", help=_("an RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=MO"))
    repeat.add_argument(
        "--every",
        metavar="REPEAT",
        help=_("day, weekday, week, month or year, or N of them (e.g. 3-days, 2-weeks)"),
    )
    add.add_argument(
        "--on",
        metavar="DAYS",
        help=_("with --every: days such as mon,wed (month: 1,15 or 1mon; year: 03-15)"),
    )
    add.add_argument("--at", metavar="HH:MM", help=_("the reminder time"))
    add.add_argument("--why", metavar="TEXT", default="", help=_("why this habit matters to you"))
    add.add_argument(
        "--start", metavar="YYYY-MM-DD", help=_("the first day (default: the next reminder ahead)")
    )

    listing = command("list", _("list the habits"))
    listing.add_argument("--all", action="store_true", help=_("include archived habits"))

    done = command("done", _("check a habit off (now, or at an earlier time)"))
    done.add_argument("habit", metavar="HABIT", help=_("the habit's id or name"))
    done.add_argument("--at", metavar="ISO-DATETIME", help=_("when you did it, e.g. 2026-11-27T08:15"))
    done.add_argument("--note", metavar="TEXT", default="", help=_("a short note, e.g. “called Acme”"))
    for name, help_text in (
        ("undo", _("take back the latest check-off or skip")),
        ("skip", _("skip the open occurrence")),
    ):
        command(name, help_text).add_argument("habit", metavar="HABIT", help=_("the habit's id or name"))
    show = command("show", _("show a habit's schedule, next reminder, score and graduation"))
    show.add_argument("habit", metavar="HABIT", help=_("the habit's id or name"))

    export = command("export", _("export every habit and its history"), json=False)
    export.add_argument("--format", choices=("json", "csv", "ics"), default="json", help=_("the file format"))
    export.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of standard output"))
    export.add_argument(
        "--tasks",
        action="store_true",
        help=_(
            "with --format ics: write each habit as a task (VTODO, for Thunderbird and task apps) instead of "
            "an event (VEVENT, for Outlook, Google and Apple Calendar)"
        ),
    )
    # Events are the default now; the old switch for them is still accepted so scripts keep working.
    export.add_argument("--events", action="store_true", help=argparse.SUPPRESS)
    imported = command(
        "import",
        _(
            "import a JSON or CSV export (merged; nothing is lost), or the recurring items of a calendar file (.ics)"
        ),
    )
    imported.add_argument("file", metavar="FILE")
    imported.add_argument(
        "-y",
        "--yes",
        action="store_true",
        help=_("calendar files: create the habits without asking (the preview is still printed)"),
    )

    graduate = command("graduate", _("retire a habit's reminder once the habit has formed"))
    graduate.add_argument("habit", metavar="HABIT", help=_("the habit's id or name"))
    graduate.add_argument("--force", action="store_true", help=_("retire it even though it is not suggested"))
    remove = command("remove", _("delete a habit"))
    remove.add_argument("habit", metavar="HABIT", help=_("the habit's id or name"))
    remove.add_argument("--yes", action="store_true", help=_("remove without asking"))
    config = command("config", _("show or change settings"))
    config.add_argument("key", metavar="KEY", nargs="?")
    config.add_argument("value", metavar="VALUE", nargs="?")
    command("sync", _("merge the other computers' changes from the sync folder now, and write this one's"))
    _add_caldav_commands(commands, [common, json_option])
    return parser


def _add_caldav_commands(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """``trayhabit caldav ...``, declared beside its actions."""
    from trayhabit.commands_caldav import add_parser

    add_parser(commands, parents)


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        try:
            return _main(argv, clock)
        finally:
            # Here rather than at exit, where a pipe closed early could only be reported as ignored.
            if sys.stdout is not None:  # None in a frozen app without a console
                sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """The program reading the output has exited early (``trayhabit list | head -1``): stop quietly,
    as a Unix tool that SIGPIPE ends does, with its status."""
    # What is still buffered would fail again when the interpreter flushes at exit: send it nowhere.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


def _main(argv: Sequence[str] | None, clock: Clock | None) -> int:
    translate_standard_library()
    if not (sys.argv[1:] if argv is None else argv):
        # The tray app as the desktop and the login entry start it: what argparse would find is
        # known, and building the parser of every subcommand costs 4 ms before the icon shows.
        return start_app(resolve_data_dir(None))
    args = build_parser().parse_args(argv)
    if args.smoke_test:
        from trayhabit.app.smoke import run_smoke_test

        return run_smoke_test()
    data_dir = resolve_data_dir(args.data_dir)
    if args.command is None:
        return start_app(data_dir, args.show)
    from trayhabit.core import applog

    with applog.command_line_logging(data_dir) as log_file:
        try:
            return _run_command(args, data_dir, clock)
        except BrokenPipeError:
            raise  # the reader of the output is gone, no bug: see main
        except Exception:  # noqa: BLE001 (a bug: its traceback goes to the log, the user gets one line)
            return _internal_error(log_file)


def _run_command(args: argparse.Namespace, data_dir: Path, clock: Clock | None) -> int:
    """Open the store and run the subcommand *args* names; errors the user can act on are one line."""
    # Imported here: starting the tray app needs none of it before its icon shows.
    from trayhabit.commands import COMMANDS, report_relapses
    from trayhabit.core.clock import SystemClock
    from trayhabit.core.service import HabitService
    from trayhabit.core.store import Store

    try:
        clock = clock or SystemClock()
        store = Store(data_dir, clock=clock)  # one clock for the store and the service
        repairs = store.open()
        service = HabitService(store, clock)
        # The language setting ("system", "en", "sv") wins over LANG once the store is open, so what
        # the store repaired while opening is told after it.
        set_language(service.settings().language)
        for repair in repairs:
            print(_("trayhabit: {notice}").format(notice=repair.message()), file=sys.stderr)
        if args.command == "sync":
            return COMMANDS[args.command](service, args)
        # With a sync folder: the other computers' changes first, this command's for them after.
        json = bool(getattr(args, "json", False))
        report_relapses(_sync_quietly(service), json=json)
        status = COMMANDS[args.command](service, args)
        report_relapses(_sync_quietly(service), json=json)
        return status
    except UserError as error:
        print(_("trayhabit: {message}").format(message=error), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        raise  # writing the output failed, not the data folder: see main
    except OSError as error:
        print(
            _("trayhabit: cannot use the data folder {dir}: {error}").format(
                dir=data_dir, error=error.strerror or error
            ),
            file=sys.stderr,
        )
        return EXIT_ERROR


def _internal_error(log_file: DataFolderLog) -> int:
    """Report the exception being handled, a bug: its traceback to the log, one line to the user.

    If the log cannot be written, the traceback goes to stderr instead: it must not be lost.
    """
    from trayhabit.core import applog

    exc_type, error, traceback = sys.exc_info()
    assert exc_type is not None and error is not None  # called from an except block
    if applog.log_crash(log_file, "the command line", (exc_type, error, traceback)):
        print(_("trayhabit: internal error, details in {file}").format(file=log_file.path), file=sys.stderr)
    else:
        import traceback as tracebacks

        tracebacks.print_exception(error, file=sys.stderr)
        print(_("trayhabit: internal error (shown above)"), file=sys.stderr)
    return EXIT_SOFTWARE


def _sync_quietly(service: HabitService) -> Change:
    """Sync if a sync folder is set; a problem with it is a warning, never the command's failure.

    Returns what the sync changed (its relapses are for the person to hear of).
    """
    from trayhabit.core.changes import Change, ChangeKind

    try:
        report = service.sync()
    except (UserError, OSError) as error:
        print(_("trayhabit: warning: could not sync: {error}").format(error=error), file=sys.stderr)
        return Change(ChangeKind.SYNCED)
    return report.change if report is not None else Change(ChangeKind.SYNCED)


def start_app(data_dir: Path, show: str | None = None) -> int:
    """Start the tray app, or explain why it cannot start here."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        print(
            _(
                "trayhabit: the tray app needs a desktop session, and none was found (DISPLAY and WAYLAND_DISPLAY "
                "are unset). The subcommands work without one: see `trayhabit --help`."
            ),
            file=sys.stderr,
        )
        return EXIT_ERROR
    from trayhabit.app.launch import run_app

    return run_app(data_dir, show=show, cache_dir=default_cache_dir)


def default_cache_dir() -> Path:
    """The per-user cache folder of the platform (e.g. ~/.cache/TrayHabit on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("TrayHabit", appauthor=False))


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
