"""``trayhabit caldav connect | status | sync | disconnect``: habits as tasks on a CalDAV server.

Each prints what happened (or JSON with ``--json``) and returns the exit status; a problem with the
server is one line on stderr and exit status 1 (a :class:`~trayhabit.core.errors.UserError` the
command line reports), with nothing changed in the store. Imported only when such a command runs.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _, ngettext
from trayhabit.exits import EXIT_OK

if TYPE_CHECKING:
    # The parser is built for every subcommand: what only the actions need is loaded by them.
    from trayhabit.core.service import HabitService


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], parents: list[argparse.ArgumentParser]
) -> None:
    """Add ``caldav`` and its four subcommands to the command line's parser."""
    caldav = commands.add_parser(
        "caldav",
        help=_("habits as tasks on a phone or calendar (CalDAV): connect, status, sync, disconnect"),
        description=_(
            "Habits as recurring tasks on a CalDAV server; a task completed there is a check-off here."
        ),
        parents=parents[:1],
    )
    actions = caldav.add_subparsers(dest="caldav_command", metavar="ACTION", required=True)
    connect = actions.add_parser(
        "connect", help=_("connect to a CalDAV server (asks for the password)"), parents=parents
    )
    connect.add_argument("url", metavar="URL", help=_("the server's address, e.g. https://example.com/dav/"))
    connect.add_argument("--user", metavar="NAME", required=True, help=_("your user name on the server"))
    connect.add_argument(
        "--list",
        metavar="NAME",
        default="",
        help=_("the task list to use (default: TrayHabit, made if needed)"),
    )
    connect.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input (for scripts)")
    )
    actions.add_parser(
        "status", help=_("show the server, the list, the last sync and the last error"), parents=parents
    )
    actions.add_parser("sync", help=_("sync the habits with the server now"), parents=parents)
    actions.add_parser(
        "disconnect", help=_("forget the server and its password (the tasks stay there)"), parents=parents
    )


def run(service: HabitService, args: argparse.Namespace) -> int:
    """Run ``trayhabit caldav ACTION``."""
    action = {"connect": _connect, "status": _status, "sync": _sync, "disconnect": _disconnect}
    return action[args.caldav_command](service, args)


def _connect(service: HabitService, args: argparse.Namespace) -> int:
    from trayhabit.core.caldav.account import check_url

    check_url(args.url)  # before asking for a password that would not be sent
    password = _password(args)
    result = service.caldav_connect(args.url, args.user, password, args.list)
    if args.json:
        _print_json(
            {"url": result.url, "user": result.user, "list": result.list_name, "created": result.created}
        )
        return EXIT_OK
    host = urlsplit(result.url).hostname or result.url
    if result.created:
        message = _("Connected to {host} as {user}; the list “{list}” was made for your habits.")
    else:
        message = _("Connected to {host} as {user}; your habits go to the list “{list}”.")
    print(message.format(host=host, user=result.user, list=result.list_name))
    print(
        _(
            "The password is kept in this computer's credential store. Run `trayhabit caldav sync` to sync now."
        )
    )
    return EXIT_OK


def _password(args: argparse.Namespace) -> str:
    """The password from standard input (``--password-stdin``) or asked on the terminal."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin is not None and sys.stdin.isatty():
        import getpass

        password = getpass.getpass(_("Password for {user}: ").format(user=args.user))
    else:
        raise UserError(
            _("No terminal to ask for the password on; give it on standard input with --password-stdin.")
        )
    if not password:
        raise UserError(_("The password is empty."))
    return password


def _status(service: HabitService, args: argparse.Namespace) -> int:
    status = service.caldav_status()
    if args.json:
        _print_json(
            {
                "connected": status.connected,
                "url": status.url,
                "user": status.user,
                "list": status.list_name,
                "last_sync": status.last_sync or None,
                "last_error": status.last_error or None,
                "last_error_at": status.last_error_at or None,
                "tasks": status.tasks,
            }
        )
        return EXIT_OK
    if not status.connected:
        print(_("No CalDAV server is connected on this computer."))
        return EXIT_OK
    print(_("Server: {url}").format(url=status.url))
    print(_("User: {user}").format(user=status.user))
    print(_("List: {list}").format(list=status.list_name))
    last = _local(service, status.last_sync) if status.last_sync else _("never")
    print(_("Last sync: {when}").format(when=last))
    if status.last_error:
        print(
            _("Last error ({when}): {error}").format(
                when=_local(service, status.last_error_at), error=status.last_error
            )
        )
    return EXIT_OK


def _sync(service: HabitService, args: argparse.Namespace) -> int:
    from trayhabit.commands import report_relapses

    result = service.caldav_sync()
    report_relapses(result.change, json=args.json)
    if args.json:
        _print_json(
            {
                "sent": result.sent,
                "removed": result.removed,
                "checked_off": result.checked_off,
                "edited": result.edited,
                "archived": result.archived,
                "errors": list(result.errors),
            }
        )
        return EXIT_OK
    print(
        _("Synced with the CalDAV server: {sent}, {removed}; {checked} and {edited} taken in.").format(
            sent=ngettext("{n} task written", "{n} tasks written", result.sent).format(n=result.sent),
            removed=ngettext("{n} removed", "{n} removed", result.removed).format(n=result.removed),
            checked=ngettext("{n} check-off", "{n} check-offs", result.checked_off).format(
                n=result.checked_off
            ),
            edited=ngettext("{n} edit", "{n} edits", result.edited).format(n=result.edited),
        )
    )
    if result.archived:
        print(
            ngettext(
                "{n} habit whose task was deleted on the server is no longer tracked (archived).",
                "{n} habits whose tasks were deleted on the server are no longer tracked (archived).",
                result.archived,
            ).format(n=result.archived)
        )
    for error in result.errors:
        print(_("trayhabit: warning: {error}").format(error=error), file=sys.stderr)
    return EXIT_OK


def _disconnect(service: HabitService, args: argparse.Namespace) -> int:
    service.caldav_disconnect()
    if args.json:
        _print_json({"connected": False})
    else:
        print(
            _("Disconnected: the server and its password are forgotten here; the tasks stay on the server.")
        )
    return EXIT_OK


def _local(service: HabitService, text: str) -> str:
    from trayhabit.core.service_support import show_time

    try:
        return show_time(datetime.fromisoformat(text).astimezone(service.clock.tz))
    except ValueError:
        return text


def _print_json(value: object) -> None:
    from trayhabit.core import jsontext

    print(jsontext.dumps(value, indent=2).decode())
