"""The smoke test's CalDAV round trip: a login that a server on this computer refuses.

Importing the ``caldav`` package proves little: it loads its client (``caldav.davclient``) and the
HTTP stack's backends only when first used, where a bundler's import scan cannot see them. So the
smoke test logs in the way a sync does, to a server it runs itself on 127.0.0.1 that answers every
request with 401, and expects the app to say that the server refused the login: a missing module,
or an HTTP stack that cannot send or read, fails it.
"""

from __future__ import annotations

import http.server
import threading


class _RefusingHandler(http.server.BaseHTTPRequestHandler):
    """Answers every request with 401, as a CalDAV server does to a wrong password."""

    def _refuse(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="smoke test"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_OPTIONS = do_PROPFIND = do_REPORT = _refuse  # noqa: N815 (http.server's names)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the smoke test prints one line per check."""


def refused_login() -> str:
    """Log in to a refusing server as a sync does; what the app said, or an error if it let us in."""
    from caldav.lib.error import AuthorizationError

    from trayhabit.core.caldav.account import Account, CalDAVError
    from trayhabit.core.caldav.connection import open_list

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RefusingHandler)
    thread = threading.Thread(target=server.serve_forever, name="smoke-caldav", daemon=True)
    thread.start()
    try:
        account = Account(f"http://127.0.0.1:{server.server_port}/dav/", "smoke-test")
        try:
            open_list(account, "not the password", timeout=10).close()
        except CalDAVError as error:
            # The app's sentence is in the user's language; the library's error it explains is not.
            if not isinstance(error.__context__, AuthorizationError):
                raise RuntimeError(f"the login failed otherwise than refused: {error}") from error
            return "refused by a server on this computer, as it should be"
        raise RuntimeError("a server that refuses every login let the smoke test in")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
