"""Reaching the CalDAV server: log in, find (or make) the task list, and say plainly what went wrong.

Every request has a timeout (the ``caldav_timeout`` setting) and verifies the server's certificate.
Whatever fails (a wrong password, an address that is no CalDAV server, a list without tasks, a
certificate this computer does not trust, a server away or too slow, an error answer) comes out as
a :class:`~trayhabit.core.caldav.account.CalDAVError` with one translatable sentence
(:func:`explain`). The ``caldav`` library and its HTTP stack are imported here, on first use only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from trayhabit.core.caldav.account import Account, CalDAVError, check_url
from trayhabit.core.caldav.remote import CalDAVTaskList
from trayhabit.core.i18n import _

log = logging.getLogger(__name__)


class MissingListError(CalDAVError):
    """The account's task list is not on the server."""


def open_list(account: Account, password: str, *, timeout: float, create: bool = False) -> CalDAVTaskList:
    """Log in and open the account's task list (made when *create* and it is not there).

    A :class:`CalDAVError` saying why not, when the server cannot be used.
    """
    check_url(account.url)
    client = _client(account, password, timeout)
    try:
        with explained(account):
            return CalDAVTaskList(_find_list(client, account, create=create), account.list_name)
    except BaseException:
        client.close()
        raise


def task_lists(account: Account, password: str, *, timeout: float) -> list[str]:
    """Log in and name the lists on the server that can hold tasks (for the person to choose one).

    A :class:`CalDAVError` saying why not, when the server cannot be used.
    """
    check_url(account.url)
    client = _client(account, password, timeout)
    try:
        with explained(account):
            names = [
                calendar.get_display_name() or ""
                for calendar in client.principal().get_calendars()
                if "VTODO" in calendar.get_supported_components()
            ]
            if not names and not client.supports_caldav():
                raise CalDAVError(
                    _("{host} is not a CalDAV server, or not at this address.").format(host=_host(account))
                )
    finally:
        client.close()
    return sorted({name for name in names if name}, key=str.casefold)


def _find_list(client: Any, account: Account, *, create: bool) -> Any:
    """The account's list as a ``caldav.Calendar`` (made when *create* and it is not there)."""
    principal = client.principal()
    for calendar in principal.get_calendars():
        if (calendar.get_display_name() or "") == account.list_name:
            if "VTODO" not in calendar.get_supported_components():
                raise CalDAVError(
                    _("The list “{name}” on {host} cannot hold tasks; choose another list.").format(
                        name=account.list_name, host=_host(account)
                    )
                )
            return calendar
    # No list by that name: a web server that is no CalDAV server gets this far too.
    if not client.supports_caldav():
        raise CalDAVError(
            _("{host} is not a CalDAV server, or not at this address.").format(host=_host(account))
        )
    if not create:
        raise MissingListError(
            _("There is no list “{name}” on {host}; it may have been deleted there.").format(
                name=account.list_name, host=_host(account)
            )
        )
    from caldav.lib.error import DAVError

    try:
        return principal.make_calendar(name=account.list_name, supported_calendar_component_set=["VTODO"])
    except DAVError as error:
        log.info("caldav: making the list %r failed: %s", account.list_name, error)
        raise CalDAVError(
            _("{host} does not let TrayHabit make a task list; choose an existing list with --list.").format(
                host=_host(account)
            )
        ) from None


def _client(account: Account, password: str, timeout: float) -> Any:
    from caldav import DAVClient

    client: Any = DAVClient  # the library's type hints make it a mere object

    # Basic authentication over TLS (or to this computer), as every provider's app passwords expect:
    # it spares the unauthenticated request that finding out would cost. No DNS discovery: the
    # person gave the address, and a discovered one could lead elsewhere.
    return client(
        url=account.url,
        username=account.user,
        password=password,
        auth_type="basic",
        timeout=int(max(1, round(timeout))),
        ssl_verify_cert=True,
        enable_rfc6764=False,
    )


@contextmanager
def explained(account: Account, *, in_list: bool = False) -> Iterator[None]:
    """Turn a failure of the ``caldav`` library, the network or the server's XML inside into a
    :class:`CalDAVError` (*in_list*: see :func:`explain`). Anything else is a bug, and goes on up."""
    from caldav.lib.error import DAVError
    from caldav.lib.http_sync import requests
    from lxml.etree import LxmlError  # type: ignore[import-untyped]  # caldav reads the XML with lxml; no stubs

    try:
        yield
    except (DAVError, requests.exceptions.RequestException, OSError, LxmlError) as error:
        explanation = explain(error, account, in_list=in_list)
        log.info("caldav: %s: %r", explanation, error)
        raise explanation from None


def explain(error: BaseException, account: Account, *, in_list: bool = False) -> CalDAVError:
    """One sentence for the person about *error*, met while talking to *account*'s server (*in_list*:
    while reading or writing its task list, where a 404 means the list is gone)."""
    from caldav.lib import error as dav
    from caldav.lib.http_sync import requests

    host = _host(account)
    exceptions = requests.exceptions
    if isinstance(error, dav.AuthorizationError):
        return CalDAVError(
            _("{host} did not accept the user name or password (an app password may be needed).").format(
                host=host
            )
        )
    if isinstance(error, exceptions.SSLError):
        if "CERTIFICATE_VERIFY_FAILED" in str(error) or "certificate" in str(error).lower():
            return CalDAVError(
                _(
                    "The certificate of {host} is not trusted by this computer; the connection was refused."
                ).format(host=host)
            )
        return CalDAVError(_("No secure connection could be made to {host}.").format(host=host))
    if isinstance(error, exceptions.Timeout | TimeoutError):
        return CalDAVError(_("{host} did not answer in time; try again later.").format(host=host))
    if isinstance(error, exceptions.ConnectionError | OSError):  # refused, no route, no such host
        return CalDAVError(
            _("{host} cannot be reached; check the address and the network.").format(host=host)
        )
    if isinstance(error, dav.DAVError):
        status = error.status if isinstance(error.status, int) else None
        # 501: the server knows no WebDAV methods (a plain web server): no CalDAV server, below.
        if status is not None and status >= 500 and status != 501:
            return CalDAVError(
                _("{host} answered with an error ({status}); try again later.").format(
                    host=host, status=status
                )
            )
        if in_list and status == 404:
            return CalDAVError(
                _("The task list is no longer on {host}; it may have been deleted there.").format(host=host)
            )
        return CalDAVError(_("{host} is not a CalDAV server, or not at this address.").format(host=host))
    return CalDAVError(_("{host} is not a CalDAV server, or not at this address.").format(host=host))


def _host(account: Account) -> str:
    return urlsplit(account.url).hostname or account.url
