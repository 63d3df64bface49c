"""An app under uWSGI on a loopback port, and a tiny HTTP client to talk to it.

``uwsgi_server`` starts ``uwsgi --http11-socket`` for one of the benchmark
apps (uWSGI parses HTTP/1.1 itself, with keep-alive, and no proxy sits in
front), waits until its workers answer, and stops it afterwards, by its
process id. Every server of the suite runs with the same options, so the
only difference between two runs is the app.

Keep-alive matters: without it every request pays for a new TCP connection,
and on a small machine that cost (mostly the client's and the kernel's) hides
the difference between the apps.

The idea to take away: a fair end-to-end comparison fixes everything but the
one thing compared, including the server and how it is started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .apps import APP_MODULES
from .scenarios import SCENARIOS_BY_NAME, Scenario, http_request_head

REPO_ROOT = Path(__file__).resolve().parent.parent
_START_TIMEOUT = 30.0


def find_uwsgi() -> str | None:
    """The ``uwsgi`` of this virtualenv, else one on ``PATH``, else ``None``."""
    beside_python = Path(sys.executable).parent / "uwsgi"
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("uwsgi")


def find_wrk() -> str | None:
    return shutil.which("wrk")


@dataclass(frozen=True)
class Server:
    port: int
    master_pid: int

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the uWSGI master)."""
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        return [int(pid) for pid in children.read_text().split()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def uwsgi_server(app_name: str, processes: int, keepalive: bool = True) -> Iterator[Server]:
    """Run app ``app_name`` under uWSGI with ``processes`` single-threaded workers."""
    uwsgi = find_uwsgi()
    if uwsgi is None:
        raise RuntimeError("uwsgi is not installed: .venv/bin/pip install uwsgi")
    port = _free_port()
    command = [
        uwsgi,
        "--http11-socket" if keepalive else "--http-socket",
        f"127.0.0.1:{port}",
        "--chdir",
        str(REPO_ROOT),
        "--module",
        f"{APP_MODULES[app_name]}:app",
        "--virtualenv",
        sys.prefix,
        "--master",
        "--processes",
        str(processes),
        "--threads",
        "1",
        "--disable-logging",
        "--need-app",
        "--die-on-term",
        *([] if keepalive else ["--add-header", "Connection: close"]),
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            server = Server(port, process.pid)
            _wait_until_ready(server, processes, process, log)
            yield server
        finally:
            _stop(process)


def _wait_until_ready(
    server: Server, processes: int, process: subprocess.Popen[bytes], log: IO[bytes]
) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    hello = SCENARIOS_BY_NAME["hello"]
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"uWSGI exited with code {process.returncode}:\n{output}")
        with contextlib.suppress(OSError):
            if len(server.worker_pids()) == processes:
                status, _ = send_request(server.port, hello)
                if status == 200:
                    return
        time.sleep(0.05)
    raise RuntimeError(f"uWSGI did not answer on port {server.port} within {_START_TIMEOUT} s.")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # --die-on-term: the master stops its workers
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the group of this server only
        process.wait(timeout=5)


def connect(port: int) -> socket.socket:
    """A connection to the server on ``port``, to send requests on one after another."""
    return socket.create_connection(("127.0.0.1", port), timeout=60)


def exchange(
    connection: socket.socket, scenario: Scenario, body_pieces: Iterable[bytes] | None = None
) -> tuple[int, bytes]:
    """Send ``scenario`` on ``connection``; return the status code and the body.

    ``body_pieces`` streams a large body piece by piece instead of
    ``scenario.request_body``. Every app in the suite sends a
    ``Content-Length``, so the body is read to that length and the connection
    stays open for the next request.
    """
    host, port = connection.getpeername()[:2]
    head = http_request_head(scenario, f"{host}:{port}")
    if body_pieces is None:
        connection.sendall(head + scenario.request_body)
    else:
        connection.sendall(head)
        for piece in body_pieces:
            connection.sendall(piece)
    return _read_response(connection)


def send_request(
    port: int, scenario: Scenario, body_pieces: Iterable[bytes] | None = None
) -> tuple[int, bytes]:
    """``exchange`` on a new connection, closed afterwards."""
    with connect(port) as connection:
        return exchange(connection, scenario, body_pieces)


def _read_response(connection: socket.socket) -> tuple[int, bytes]:
    """Status code and body of one response that has a ``Content-Length``."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            raise ConnectionError(f"The server closed the connection mid-response: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    length = 0
    for line in header_lines:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    code = status_line.split(" ")[1] if " " in status_line else ""
    return (int(code) if code.isdigit() else 0), body
