"""The examples under real servers: uWSGI with two worker processes, and ``microwsgi run``.

The counter (seed 002, Test #13): under uWSGI with two worker processes of
one thread each, the global counter counts twice, once per process, and
the SQLite counter still counts once. uWSGI gives each new connection to
whichever idle worker takes it first, so plain sequential requests may all
land on one worker, or alternate. To make sure both workers serve, the test
sends part of a request and holds it: the worker that took it is busy
until the rest arrives, so the requests sent meanwhile go to the other one.
The uWSGI log, which names the worker process of every request, confirms it.

The calculator: mounted under a prefix by uWSGI (``--mount
/calc=examples.calculator:app``), where the raw request line lets an
encoded slash through as the divide operator; and served by the
``microwsgi`` command.
"""

from __future__ import annotations

import collections
import json
import os
import re
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from apps.servers import REPO_ROOT, Server, fetch, free_port, uwsgi_binary

from examples.counter import sqlite_counter

INI_SOCKET_LINE = "http-socket = 127.0.0.1:8080"
REQUESTS_BEFORE = 10
REQUESTS_WHILE_HELD = 5
#: Seconds to let a worker accept the held connection before the next requests.
SETTLE = 0.3


def start_uwsgi(folder: Path, *options: str, section: str = "") -> Server:
    """``uwsgi --ini uwsgi.ini[:SECTION] OPTIONS``, as the READMEs run it, on a free port."""
    port = free_port()
    ini = (REPO_ROOT / "uwsgi.ini").read_text(encoding="utf-8")
    assert INI_SOCKET_LINE in ini, "the test replaces this line of uwsgi.ini with a free port"
    test_ini = folder / "uwsgi.ini"
    test_ini.write_text(ini.replace(INI_SOCKET_LINE, f"http-socket = 127.0.0.1:{port}"))
    ini_argument = f"{test_ini}:{section}" if section else str(test_ini)
    command = [uwsgi_binary(), "--ini", ini_argument, "--chdir", str(REPO_ROOT), *options]
    env = {**os.environ, sqlite_counter.DATABASE_VARIABLE: str(folder / "counter.sqlite3")}
    server = Server(command, folder / "uwsgi.log", port, cwd=folder, env=env)
    server.wait_until_serving()
    return server


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start uWSGI with some options; every server started is stopped after the test."""
    started: list[Server] = []

    def serve(*options: str) -> Server:
        server = start_uwsgi(tmp_path, *options)
        started.append(server)
        return server

    yield serve
    for server in started:
        server.stop()


# -- the counter ---------------------------------------------------------------------


def serve_counter(serve: Callable[..., Server], target: str) -> Server:
    """The counter README's command: two processes of one thread each."""
    return serve("--module", target, "--processes", "2", "--threads", "1")


def count_with_both_workers(server: Server) -> list[int]:
    """Answers of /increase, in the order sent: some sequential, some while a worker is held."""
    answers = [_increase(server.port) for _ in range(REQUESTS_BEFORE)]
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as held:
        held.sendall(b"GET /increase HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
        time.sleep(SETTLE)
        answers += [_increase(server.port) for _ in range(REQUESTS_WHILE_HELD)]
        held.sendall(b"\r\n")  # the end of the headers: now the held worker answers
        answers.append(int(_read_body(held)))
    return answers


def _increase(port: int) -> int:
    status, _, body = fetch(port, "/increase", timeout=10)
    assert status == 200, body
    return int(body)


def _read_body(connection: socket.socket) -> bytes:
    received = b""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        chunk = connection.recv(4096)
        if not chunk:
            break
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), received
    return body


def workers_that_answered(server: Server, requests: int) -> set[str]:
    """The process ids uWSGI logged for the /increase requests.

    A worker writes its log line after sending the answer, so the test waits
    (a few seconds at most) until all ``requests`` lines are there.
    """
    deadline = time.monotonic() + 5
    while True:
        pids = re.findall(r"\[pid: (\d+)\|[^\n]*GET /increase", server.log())
        if len(pids) >= requests or time.monotonic() > deadline:
            return set(pids)
        time.sleep(0.05)


def test_global_counter_counts_once_per_process_under_two_workers(serve):
    server = serve_counter(serve, "examples.counter.global_counter:app")
    answers = count_with_both_workers(server)
    total = REQUESTS_BEFORE + REQUESTS_WHILE_HELD + 1
    assert len(workers_that_answered(server, total)) == 2
    # Two counters: each worker starts at 1, so some answers repeat and none reaches the total.
    repeated = [n for n, times in collections.Counter(answers).items() if times > 1]
    assert 1 in repeated, answers
    assert max(answers) < total, answers


def test_sqlite_counter_counts_once_in_all_under_two_workers(serve):
    server = serve_counter(serve, "examples.counter.sqlite_counter:app")
    answers = count_with_both_workers(server)
    total = REQUESTS_BEFORE + REQUESTS_WHILE_HELD + 1
    assert len(workers_that_answered(server, total)) == 2
    # One counter: every number from 1 to the total, each once; the held request came last.
    assert sorted(answers) == list(range(1, total + 1)), answers
    assert answers[:-1] == sorted(answers[:-1]), answers
    assert answers[-1] == total


# -- the calculator ------------------------------------------------------------------


@pytest.fixture(scope="module")
def mounted_calculator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One uWSGI for the calculator tests: ``uwsgi.ini:mount ... --mount /calc=...``."""
    server = start_uwsgi(
        tmp_path_factory.mktemp("calculator"),
        "--manage-script-name",
        "--mount",
        "/calc=examples.calculator:app",
        section="mount",
    )
    try:
        yield server
    finally:
        server.stop()


def test_calculator_api_answers_under_the_uwsgi_mount(mounted_calculator):
    status, _, body = fetch(mounted_calculator.port, "/calc/12/*/5")
    assert (status, json.loads(body)) == (200, {"num1": 12, "op": "*", "num2": 5, "result": 60})


def test_calculator_encoded_slash_divides_under_uwsgi(mounted_calculator):
    status, _, body = fetch(mounted_calculator.port, "/calc/12/%2F/5")
    assert (status, json.loads(body)["result"]) == (200, 2.4)


def test_calculator_page_links_carry_the_uwsgi_mount(mounted_calculator):
    status, _, body = fetch(mounted_calculator.port, "/calc/")
    assert status == 200
    urls = re.findall(r'(?:href|action)="(/[^"]*)"', body.decode())
    assert urls and all(url.startswith("/calc/") for url in urls), urls
    css_status, headers, _ = fetch(mounted_calculator.port, "/calc/static/calculator.css")
    assert css_status == 200 and headers["Content-Type"].startswith("text/css")


def test_calculator_form_keeps_recent_calculations_across_workers(mounted_calculator):
    """The list lives in a signed cookie, and the workers share the key the master made,
    so every page shows it, whichever worker serves it."""
    form = b"input1=6&operator=*&input2=7"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, answer_headers, _ = fetch(
        mounted_calculator.port, "/calc/post", method="POST", body=form, headers=headers
    )
    assert status == 200
    cookie = answer_headers["Set-Cookie"].split(";")[0]
    assert "Path=/calc" in answer_headers["Set-Cookie"]
    pages = [
        fetch(mounted_calculator.port, "/calc/", headers={"Cookie": cookie})[2] for _ in range(6)
    ]
    assert all(b"6 * 7 = 42" in page for page in pages)


def test_calculator_runs_with_the_microwsgi_command(tmp_path):
    port = free_port()
    command = [
        sys.executable, "-m", "microwsgi",
        "--app", "examples.calculator",
        "run", "--port", str(port),
    ]  # fmt: skip
    env = {**os.environ, "MICROWSGI_SECRET_KEY": "a key for this test"}
    server = Server(command, tmp_path / "run.log", port, cwd=REPO_ROOT, env=env)
    try:
        server.wait_until_serving()
        status, _, body = fetch(port, "/12/div/5")
        assert (status, json.loads(body)["result"]) == (200, 2.4)
        assert b"<form" in fetch(port, "/")[2]
    finally:
        server.stop()
