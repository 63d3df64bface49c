"""A throwaway PostgreSQL server for tests: initdb into a temporary folder, serve on a free
loopback port, stop and delete everything afterwards.

The binaries come from Debian's ``postgresql`` package (``/usr/lib/postgresql/<version>/bin``;
``scripts/test`` installs it when missing). PostgreSQL refuses to run as root, so when
the tests run as root the server runs as the ``postgres`` user the package creates
(or ``nobody`` if there is none), and the temporary folder is handed to that user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from apps.servers import free_port

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30


def find_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    candidates = []
    for folder in glob.glob("/usr/lib/postgresql/*/bin"):
        version = Path(folder).parent.name
        if version.isdigit() and os.access(Path(folder, "initdb"), os.X_OK):
            candidates.append((int(version), Path(folder)))
    return max(candidates)[1] if candidates else None


def _server_user() -> str | None:
    """Who runs the server: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError(
        "Running as root, and there is no 'postgres' or 'nobody' user to run PostgreSQL as."
    )


class PostgresServer:
    """``with PostgresServer() as server: server.url("memo_test")``."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.user = _server_user()
        self.folder = Path(tempfile.mkdtemp(prefix="microwsgi-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = 0
        self._running = False

    def _run(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            user=self.user,
            cwd=self.folder,
            env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self) -> None:
        if self.user is not None:
            shutil.chown(self.folder, self.user)
        init = self._run(
            "initdb", "-D", str(self.data), "-U", "memo", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
            timeout=START_TIMEOUT_S,
        )  # fmt: skip
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{init.stdout}\n{init.stderr}")
        for _attempt in range(3):  # a free port can be taken between probing and binding
            self.port = free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=50"
            )
            started = self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                "-w", "-t", str(START_TIMEOUT_S), "start",
                timeout=START_TIMEOUT_S + 10,
            )  # fmt: skip
            if started.returncode == 0:
                self._running = True
                return
            time.sleep(0.2)
        log = self.log.read_text() if self.log.exists() else ""
        raise RuntimeError(f"PostgreSQL did not start:\n{started.stderr}\n{log}")

    def create_database(self, name: str) -> str:
        """Create database ``name``; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(self._dsn("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def _dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=memo dbname={database}"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://memo@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self._running:
            self._run(
                "pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", timeout=STOP_TIMEOUT_S
            )
            self._running = False
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb).")
    with PostgresServer(bin_dir) as server:
        yield server
