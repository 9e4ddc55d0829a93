"""Real CalDAV servers for the tests (Radicale, Xandikos) on 127.0.0.1, and small HTTP servers that
misbehave (an error answer, no answer at all, no CalDAV).

Each server runs as a subprocess with its storage in the test's folder, on a free port, and is
waited for until it answers (polled, no fixed sleep); :meth:`CalDAVServer.stop` ends it.
"""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "alice"
PASSWORD = "correct horse"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class CalDAVServer:
    """A running CalDAV server: its address (ending in /), and the process to stop."""

    kind: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_radicale(folder: Path) -> CalDAVServer:
    """Radicale with htpasswd logins (plain text in tests), its collections in *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "radicale",
        f"--storage-filesystem-folder={folder / 'collections'}",
        "--auth-type=htpasswd",
        f"--auth-htpasswd-filename={users}",
        "--auth-htpasswd-encryption=plain",
        "--auth-delay=0",
        f"--server-hosts=127.0.0.1:{port}",
        "--logging-level=warning",
    ]
    return _started("radicale", command, port, folder / "server.log", f"http://127.0.0.1:{port}/")


def start_xandikos(folder: Path) -> CalDAVServer:
    """Xandikos (no logins of its own: it trusts the front server), its collections in *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "xandikos.web",
        "--port",
        str(port),
        "--listen-address",
        "127.0.0.1",
        "-d",
        str(folder / "collections"),
        "--defaults",
        "--current-user-principal",
        f"/{USER}",
    ]
    return _started("xandikos", command, port, folder / "server.log", f"http://127.0.0.1:{port}/")


def _started(kind: str, command: list[str], port: int, log: Path, url: str) -> CalDAVServer:
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ})
    server = CalDAVServer(kind, url, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{kind} exited: {log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.05)  # polling for the port, not waiting a fixed time
    server.stop()
    raise RuntimeError(f"{kind} did not start: {log.read_text()}")


class _Misbehaving(http.server.BaseHTTPRequestHandler):
    mode = "500"
    release: threading.Event

    def _answer(self) -> None:
        if self.mode == "hang":
            self.release.wait(30)
            return
        if self.mode == "html":
            body = b"<html><body>Welcome</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
        else:
            body = b"oops"
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PROPFIND = do_REPORT = do_PUT = do_OPTIONS = do_DELETE = _answer  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def misbehaving_server(mode: str) -> Iterator[str]:
    """A local HTTP server that answers every request with a 500 (*mode* "500"), a plain web page
    ("html"), or never ("hang"); yields its address."""
    release = threading.Event()
    handler = type("Handler", (_Misbehaving,), {"mode": mode, "release": release})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        release.set()
        server.shutdown()
        server.server_close()


@contextmanager
def self_signed_https_server(folder: Path) -> Iterator[str]:
    """A local HTTPS server whose certificate nobody trusts (made here, signed by itself); yields
    its address."""
    import ssl

    from tests.helpers.certificates import write_self_signed

    cert, key = write_self_signed(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    handler = type("Handler", (_Misbehaving,), {"mode": "html", "release": threading.Event()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
