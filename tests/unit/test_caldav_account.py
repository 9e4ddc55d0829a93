"""The CalDAV account's address rules, and the one sentence each failure becomes (no server)."""

from __future__ import annotations

import re
import socket

import pytest
from caldav.lib import error as dav
from caldav.lib.http_sync import requests

from trayhabit.core.caldav.account import Account, CalDAVError, check_url, is_local_host
from trayhabit.core.caldav.connection import explain

ACCOUNT = Account("https://dav.example.com/dav/", "anna")


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1"])
def test_this_computer_is_local(host: str) -> None:
    assert is_local_host(host)


@pytest.mark.parametrize("host", ["dav.example.com", "192.168.1.10", "localhost.example.com", "10.0.0.1"])
def test_other_computers_are_not(host: str) -> None:
    assert not is_local_host(host)


def test_https_anywhere_and_http_only_to_this_computer() -> None:
    assert check_url(" https://dav.example.com/dav/ ") == "https://dav.example.com/dav/"
    assert check_url("http://[::1]:5232/") == "http://[::1]:5232/"
    with pytest.raises(CalDAVError, match=r"unencrypted to 192\.168\.1\.10"):
        check_url("http://192.168.1.10/dav/")
    with pytest.raises(CalDAVError, match="is not a server address"):
        check_url("dav.example.com")
    with pytest.raises(CalDAVError, match="is not a server address"):
        check_url("ftp://dav.example.com/")


@pytest.mark.parametrize(
    ("error", "in_list", "sentence"),
    [
        (
            dav.AuthorizationError(status=401),
            False,
            "dav.example.com did not accept the user name or password",
        ),
        (socket.gaierror(-2, "Name or service not known"), False, "dav.example.com cannot be reached"),
        (requests.exceptions.ReadTimeout("read timed out"), False, "dav.example.com did not answer in time"),
        (
            requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] self-signed certificate"),
            False,
            "The certificate of dav.example.com is not trusted",
        ),
        (dav.ReportError(status=503), True, r"dav.example.com answered with an error \(503\)"),
        (dav.NotFoundError(status=404), True, "The task list is no longer on dav.example.com"),
        (dav.NotFoundError(status=404), False, "dav.example.com is not a CalDAV server"),
        (dav.PropfindError(status=501), False, "dav.example.com is not a CalDAV server"),
    ],
)
def test_each_failure_is_one_sentence(error: BaseException, in_list: bool, sentence: str) -> None:
    explanation = explain(error, ACCOUNT, in_list=in_list)
    assert re.match(sentence, str(explanation)), str(explanation)
    assert "\n" not in str(explanation)
