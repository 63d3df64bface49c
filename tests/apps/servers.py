"""Start a real server in a child process, talk HTTP to it, and always stop it.

Used by the tests that run ``microwsgi run``, ``python script.py``, uWSGI and
gunicorn. Every wait is bounded in time; a server that does not stop when
asked is killed, with its whole process group (master and workers).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
#: How long a server may take to start answering, and to stop.
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0


class Server:
    """A server process writing its output to ``log_path``."""

    def __init__(self, args: Sequence[str], log_path: Path, port: int, **popen: object) -> None:
        self.args = list(args)
        self.log_path = log_path
        self.port = port
        with open(log_path, "wb") as log:
            # A session of its own: the server and its workers form a group we can stop.
            self.process = subprocess.Popen(
                self.args,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                **popen,  # type: ignore[call-overload]
            )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_until_serving(self, timeout: float = START_TIMEOUT) -> None:
        """Return once the port accepts connections; fail if the server dies or is slow."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"{self.args[0]} exited with status {self.process.returncode} before "
                    f"serving.\n--- its output ---\n{self.log()}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(
            f"{self.args[0]} did not accept connections on port {self.port} within "
            f"{timeout} s.\n--- its output ---\n{self.log()}"
        )

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> float:
        """Send ``sig`` to the server; wait for it to exit. Returns the seconds it took.

        Whatever is left of the group after the exit (or after ``timeout``) is killed.
        """
        started = time.monotonic()
        try:
            if self.process.poll() is None:
                self.process.send_signal(sig)
                self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        finally:
            elapsed = time.monotonic() - started
            self.kill()
        return elapsed

    def kill(self) -> None:
        """Kill the server's process group, whatever state it is in, and reap the server."""
        with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=STOP_TIMEOUT)


def uwsgi_binary() -> str:
    """The ``uwsgi`` program of this virtualenv (the ``deploy`` extra), else the one on
    ``PATH``; the calling test is skipped when there is none."""
    beside_python = Path(sys.executable).parent / "uwsgi"
    found = str(beside_python) if beside_python.is_file() else shutil.which("uwsgi")
    if found is None:
        pytest.skip("no uwsgi program found: install it with pip install -e '.[deploy]'")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(
    port: int,
    path: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10.0,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One HTTP request to 127.0.0.1:port, redirects not followed: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()
