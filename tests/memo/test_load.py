"""The memo app under load keeps every acknowledged write: on one server, and on two behind nginx.

One server: uWSGI with ``examples/memo/deploy/uwsgi.ini`` (4 processes x 2
threads) on SQLite in WAL mode, loaded over HTTP on loopback.

Two servers: PostgreSQL (the memo tests' throwaway server), two uWSGI
masters with the same ini on ports of their own, sharing ``SECRET_KEY`` and
``DATABASE_URL``, and nginx with ``examples/memo/deploy/nginx.conf`` in
front (``uwsgi_pass`` to an upstream of both). A user logged in through one
server is logged in on the other, an image uploaded through one is served by
the other, and one server is killed with SIGKILL halfway through the load.

The load generator and the check against the database are in
``benchmarks/memo_load/``. These tests run a short version (a few seconds,
16 clients); ``MEMO_LOAD_SECONDS=30 MEMO_LOAD_CLIENTS=32`` runs the long one,
and ``MEMO_LOAD_RESULTS=benchmarks/results`` writes its figures there.
Every server is started on a free loopback port and stopped, even when a
test fails.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shlex
import shutil
import signal
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from apps.servers import REPO_ROOT, Server, fetch, free_port, uwsgi_binary

from benchmarks.memo_load.images import png
from benchmarks.memo_load.ledger import AccountLedger
from benchmarks.memo_load.report import write_results
from benchmarks.memo_load.run import run_load, verdict
from benchmarks.memo_load.verify import verify
from benchmarks.memo_load.wire import Connection, form_body, json_body, multipart_body
from examples.memo import migrate
from examples.memo.db import Database

from .postgres import PostgresServer

DEPLOY = REPO_ROOT / "examples" / "memo" / "deploy"
UWSGI_INI = DEPLOY / "uwsgi.ini"
NGINX_SITE = DEPLOY / "nginx.conf"
#: Lines of the two files that the tests replace with free ports.
INI_SOCKET_LINE = "socket = 127.0.0.1:3031"
SITE_LISTEN_LINE = "listen 127.0.0.1:8080;"
SITE_UPSTREAM_LINES = ("server 127.0.0.1:3031 ", "server 127.0.0.1:3032 ")

LONG_SECONDS = os.environ.get("MEMO_LOAD_SECONDS")
SECONDS = float(LONG_SECONDS or 6)
CLIENTS = int(os.environ.get("MEMO_LOAD_CLIENTS", "16"))
RESULTS = os.environ.get("MEMO_LOAD_RESULTS")
#: Seconds after the kill during which requests that were in flight may fail.
KILL_GRACE = 5.0
STARTUP_TIMEOUT = 60.0


def _nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed; scripts/test installs it, CI must not skip this")
        pytest.skip("nginx is not installed: run bash scripts/test to install it")
    return found


def _app_environment(database_url: str, secret_key: str) -> dict[str, str]:
    env = {
        **os.environ,
        "MEMO_ENV": "production",
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
    }
    if not LONG_SECONDS:
        # The short runs register their users with a cheaper scrypt (still scrypt);
        # the long runs pay production's cost.
        env["MEMO_PASSWORD_HASH_METHOD"] = "scrypt:1024:8:1"
    return env


@dataclass
class AppServer:
    server: Server
    #: uWSGI's own HTTP port, to talk to this server without nginx.
    http_port: int
    #: The uwsgi-protocol socket nginx passes to.
    socket_port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"


def start_app_server(folder: Path, name: str, database_url: str, secret_key: str) -> AppServer:
    """The memo app under uWSGI with examples/memo/deploy/uwsgi.ini, on free ports."""
    folder.mkdir(parents=True, exist_ok=True)
    socket_port, http_port = free_port(), free_port()
    ini = UWSGI_INI.read_text(encoding="utf-8")
    assert INI_SOCKET_LINE in ini, "the test replaces this line of uwsgi.ini with a free port"
    ini_path = folder / f"{name}.ini"
    ini_path.write_text(ini.replace(INI_SOCKET_LINE, f"socket = 127.0.0.1:{socket_port}"))
    command = [
        uwsgi_binary(),
        "--ini", str(ini_path),
        # The copied ini lives elsewhere: work from the repository, as the original does.
        "--chdir", str(REPO_ROOT),
        "--http-socket", f"127.0.0.1:{http_port}",
    ]  # fmt: skip
    server = Server(
        command,
        folder / f"{name}.log",
        http_port,
        cwd=folder,
        env=_app_environment(database_url, secret_key),
    )
    try:
        server.wait_until_serving(STARTUP_TIMEOUT)
        _wait_until_answering(server, http_port)
    except BaseException:
        server.kill()
        raise
    return AppServer(server, http_port, socket_port)


def _wait_until_answering(server: Server, port: int) -> None:
    """Until every worker is forked and the app answers a page."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if "spawned uWSGI worker 4 " in server.log():
            reply = Connection(f"http://127.0.0.1:{port}", timeout=10).request("GET", "/auth/login")
            if reply.status == 200:
                return
            raise AssertionError(f"GET /auth/login: {reply.status}\n{server.log()[-3000:]}")
        if server.process.poll() is not None:
            raise AssertionError(f"uWSGI exited:\n{server.log()[-3000:]}")
        time.sleep(0.1)
    raise AssertionError(f"uWSGI's workers did not start:\n{server.log()[-3000:]}")


def start_nginx(folder: Path, upstream_ports: tuple[int, int]) -> Server:
    """nginx with examples/memo/deploy/nginx.conf as its site, on a free port.

    The main configuration around the site is the test's own: nginx in the
    foreground, its logs, pid file and temporary files in ``folder``.
    """
    nginx = _nginx_binary()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # nginx's workers (not root) write request bodies there
    port = free_port()
    site = NGINX_SITE.read_text(encoding="utf-8")
    assert SITE_LISTEN_LINE in site, "the test replaces this line of nginx.conf with a free port"
    site = site.replace(SITE_LISTEN_LINE, f"listen 127.0.0.1:{port};")
    for line, upstream_port in zip(SITE_UPSTREAM_LINES, upstream_ports, strict=True):
        assert line in site, f"the test replaces {line!r} in nginx.conf with a free port"
        site = site.replace(line, f"server 127.0.0.1:{upstream_port} ")
    (folder / "memo.conf").write_text(site)
    shutil.copy("/etc/nginx/uwsgi_params", folder / "uwsgi_params")
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"""
{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    uwsgi_temp_path {folder}/uwsgi_temp;
    proxy_temp_path {folder}/proxy_temp;
    fastcgi_temp_path {folder}/fastcgi_temp;
    scgi_temp_path {folder}/scgi_temp;
    include {folder}/memo.conf;
}}
"""
    )
    command = [
        nginx,
        "-p",
        str(folder),
        "-c",
        str(folder / "nginx.conf"),
        "-e",
        str(folder / "error.log"),
    ]
    server = Server(command, folder / "nginx.out", port, cwd=folder)
    try:
        server.wait_until_serving(STARTUP_TIMEOUT)
    except BaseException:
        server.kill()
        raise
    return server


def group_cpu_seconds(group: int) -> float:
    """The CPU time (user and system) of the live processes of a process group, in seconds."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == group:  # pgrp; utime and stime are fields 14 and 15 of stat
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def database_handles(pid: int, *, path: Path | None = None, port: int | None = None) -> list[str]:
    """What process ``pid`` holds open of a database: the SQLite file, or TCP connections to
    the PostgreSQL server's port."""
    found, sockets = [], set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed meanwhile
            continue
        if path is not None and target.startswith(str(path)):
            found.append(target)
        if target.startswith("socket:["):
            sockets.add(target[len("socket:[") : -1])
    if port is not None:
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()  # local, remote (hex address:port), ..., inode
                if fields[9] in sockets and int(fields[2].rpartition(":")[2], 16) == port:
                    found.append(f"a connection to port {port}")
    return found


def worker_pids(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def _migrated(url: str) -> str:
    database = Database(url)
    migrate.upgrade(database)
    database.dispose()
    return url


def _record(name: str, result: dict[str, Any]) -> None:
    """Print the figures; with MEMO_LOAD_RESULTS, also write them there."""
    print(f"\n{name}: {result['requests']} requests, {result['requests_per_second']}/s, "
          f"{result['acknowledged']}, load {result['load_average_before']}")  # fmt: skip
    if RESULTS:
        command = (
            f"MEMO_LOAD_SECONDS={SECONDS:g} MEMO_LOAD_CLIENTS={CLIENTS} "
            f"MEMO_LOAD_RESULTS={RESULTS} nice .venv/bin/python -m pytest "
            f"tests/memo/test_load.py -k {shlex.quote(name)}"
        )
        write_results(Path(RESULTS), name, result, command)


def _assert_nothing_lost(result: dict[str, Any]) -> None:
    wrong = verdict(result)
    assert not wrong, "\n".join(wrong)
    assert result["hung"] == 0
    assert result["server_errors"] == 0
    assert result["acknowledged"]["creates"] > 0 and result["acknowledged"]["updates"] > 0


# -- one server ----------------------------------------------------------------------------


def test_single_server_on_sqlite_keeps_every_write(tmp_path: Path) -> None:
    url = _migrated("sqlite:///" + str(tmp_path / "memo.sqlite3"))
    app = start_app_server(tmp_path / "uwsgi", "single", url, secrets.token_hex(32))
    ledgers: list[AccountLedger] = []
    try:
        result = run_load(
            app.url, url, clients=CLIENTS, seconds=SECONDS, keep_alive=False, ledgers=ledgers,
            server_cpu_seconds=lambda: group_cpu_seconds(app.server.process.pid),
        )  # fmt: skip
        # uWSGI imported the app in the master, then forked: the master must hold no
        # connection, or the workers would share it. Each worker opened its own.
        master = app.server.process.pid
        database_file = tmp_path / "memo.sqlite3"
        assert database_handles(master, path=database_file) == []
        assert any(database_handles(pid, path=database_file) for pid in worker_pids(master))
    finally:
        app.server.stop()
    _record("single", result)
    _assert_nothing_lost(result)
    assert result["failures"] == []  # no 5xx, no refused or cut connection
    assert result["unconfirmed"] == []
    assert "database is locked" not in app.server.log()

    # The check itself finds a lost memo, a duplicate and a lost update.
    kept = [
        record.id for ledger in ledgers for record in ledger.memos.values() if not record.deleted
    ]
    with sqlite3.connect(tmp_path / "memo.sqlite3") as connection:
        connection.execute("DELETE FROM memos WHERE id = ?", (kept[0],))
        connection.execute(
            "INSERT INTO memos (user_id, title, content, is_deleted, is_pinned, color,"
            " created_at, updated_at, version) SELECT user_id, title, content, is_deleted,"
            " is_pinned, color, created_at, updated_at, version FROM memos WHERE id = ?",
            (kept[1],),
        )
        connection.execute("UPDATE memos SET title = 'overwritten' WHERE id = ?", (kept[2],))
    findings = verify(url, ledgers)
    assert [len(findings[kind]) for kind in ("lost", "duplicated", "wrong")] == [1, 1, 1]


# -- two servers behind nginx ----------------------------------------------------------------


@dataclass
class Cluster:
    database_url: str
    postgres_port: int
    first: AppServer
    second: AppServer
    nginx: Server

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx.port}"


@pytest.fixture(scope="module")
def cluster(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    url = _migrated(postgres_server.create_database(f"memo_load_{secrets.token_hex(4)}"))
    folder = tmp_path_factory.mktemp("cluster")
    secret_key = secrets.token_hex(32)
    started: list[Server] = []
    nginx_folder: Path | None = None
    try:
        first = start_app_server(folder / "first", "first", url, secret_key)
        started.append(first.server)
        second = start_app_server(folder / "second", "second", url, secret_key)
        started.append(second.server)
        # Not under pytest's folder, which only root may enter: nginx's workers run as nobody.
        nginx_folder = Path(tempfile.mkdtemp(prefix="microwsgi-nginx-"))
        nginx = start_nginx(nginx_folder, (first.socket_port, second.socket_port))
        started.append(nginx)
        yield Cluster(url, postgres_server.port, first, second, nginx)
    finally:
        for server in reversed(started):
            server.stop()
        if nginx_folder is not None:
            shutil.rmtree(nginx_folder, ignore_errors=True)


def _register_and_log_in(app: AppServer, user_id: str) -> tuple[Connection, str]:
    """Register through the API and log in through the page of ``app``: (connection, CSRF token)."""
    connection = Connection(app.url, timeout=30, keep_alive=False)
    password = "correct horse battery"
    created = connection.request(
        "POST", "/api/users",
        json_body({"user_id": user_id, "user_name": "둘", "password": password}),
    )  # fmt: skip
    assert created.status == 201, created.body
    page = connection.request("GET", "/auth/login")
    form_token = re.search(rb'name="csrf_token" value="([^"]+)"', page.body)
    assert form_token is not None
    fields = {"user_id": user_id, "password": password, "csrf_token": form_token.group(1).decode()}
    logged_in = connection.request("POST", "/auth/login", form_body(fields))
    assert logged_in.status == 303, logged_in.body
    home = connection.request("GET", "/")
    csrf = re.search(rb'<meta name="csrf-token" content="([^"]+)"', home.body)
    assert home.status == 200 and csrf is not None
    return connection, csrf.group(1).decode()


def test_a_session_from_one_server_is_valid_on_the_other(cluster: Cluster) -> None:
    on_first, csrf = _register_and_log_in(cluster.first, "kim-" + secrets.token_hex(3))
    on_second = Connection(cluster.second.url, 30, dict(on_first.cookies), keep_alive=False)
    page = on_second.request("GET", "/")
    assert page.status == 200, "the second server sent the logged-in user to the login page"
    me = on_second.request("GET", "/api/users")
    assert me.status == 200 and len(me.json()) == 1
    # A cookie-authenticated write with the CSRF token the first server made.
    created = on_second.request(
        "POST", "/api/memos", json_body({"title": "둘째 서버", "content": "c"}),
        {"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert created.status == 201, created.body


def test_an_image_uploaded_through_one_server_is_served_by_the_other(cluster: Cluster) -> None:
    on_first, csrf = _register_and_log_in(cluster.first, "lee-" + secrets.token_hex(3))
    image = png(40, 30, (10, 200, 30))
    body = multipart_body(
        {"title": "사진", "content": ""}, {"linked_image": ("a.png", image, "image/png")}
    )
    created = on_first.request("POST", "/api/memos", body, {"X-CSRF-Token": csrf})
    assert created.status == 201, created.body
    on_second = Connection(cluster.second.url, 30, dict(on_first.cookies), keep_alive=False)
    served = on_second.request("GET", created.json()["linked_image"])
    assert served.status == 200
    assert served.header("Content-Type") == "image/png"
    assert hashlib.sha256(served.body).digest() == hashlib.sha256(image).digest()


def test_a_request_with_the_large_headers_nginx_accepts_reaches_the_app(cluster: Cluster) -> None:
    # nginx takes up to 4 header lines of 8 KB (large_client_header_buffers); uWSGI's
    # default 4 KB buffer refused such a request, and nginx answered 502 (deploy/uwsgi.ini's
    # buffer-size). 18 KB of headers here, as a few large cookies make.
    headers = {
        "Cookie": "tracking=" + "x" * 6000,
        "X-Padding-A": "y" * 6000,
        "X-Padding-B": "z" * 6000,
    }
    status, _headers, body = fetch(cluster.nginx.port, "/auth/login", headers=headers)
    assert status == 200, body[:300]
    assert b"csrf_token" in body


def test_cluster_behind_nginx_keeps_every_write_when_a_server_is_killed(cluster: Cluster) -> None:
    second_group = cluster.second.server.process.pid
    second_cpu_at_kill: list[float] = []

    def kill_second_server() -> None:
        second_cpu_at_kill.append(group_cpu_seconds(second_group))
        os.killpg(second_group, signal.SIGKILL)

    def servers_cpu_seconds() -> float:
        second = second_cpu_at_kill[0] if second_cpu_at_kill else group_cpu_seconds(second_group)
        return group_cpu_seconds(cluster.first.server.process.pid) + second

    kill_at = SECONDS / 2
    result = run_load(
        cluster.url,
        cluster.database_url,
        clients=CLIENTS,
        seconds=SECONDS,
        events=[
            (kill_at, "uWSGI server 2 killed with SIGKILL (master and workers)", kill_second_server)
        ],
        server_cpu_seconds=servers_cpu_seconds,
    )
    _record("cluster", result)
    # No connection crossed the fork: the survivor's master holds none, its workers do.
    master, port = cluster.first.server.process.pid, cluster.postgres_port
    assert database_handles(master, port=port) == []
    assert any(database_handles(pid, port=port) for pid in worker_pids(master))
    _assert_nothing_lost(result)
    killed = result["events"][0]["at"]
    # Only requests in flight on the killed server may fail, and only with nginx's 502.
    late_or_early = [
        failure for failure in result["failures"]
        if not killed <= failure["at"] <= killed + KILL_GRACE
    ]  # fmt: skip
    assert late_or_early == []
    # A DELETE that nginx resent to the survivor after the killed server did it gets a 404.
    assert all(killed <= answer["at"] <= killed + KILL_GRACE for answer in result["unconfirmed"])
    assert {failure["status"] for failure in result["failures"]} <= {502}
    # nginx sent the rest to the survivor: every whole second after the kill had answers.
    after = result["timeline"][int(killed) + 1 : int(result["stopped_at"])]
    assert after and all(answered > 0 for answered, _failed in after), result["timeline"]


@pytest.mark.parametrize("path", [UWSGI_INI, NGINX_SITE], ids=["uwsgi.ini", "nginx.conf"])
def test_the_deployment_guide_quotes_the_files_the_tests_run(path: Path) -> None:
    guide = (REPO_ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") in guide, f"docs/deploy.md must quote {path} as is"
