"""Deployment: the mounted test app under a real uWSGI, and once more under gunicorn.

uWSGI is started the way docs/deploy.md mounts an app: ``uwsgi --ini uwsgi.ini:mount
--manage-script-name --mount /prefix=tests.apps.mounted:app``, with the
ini's port replaced by a free one and 2 processes x 2 threads. gunicorn mounts
the same app with ``SCRIPT_NAME=/prefix``. Each test checks one thing a
mounted app must get right: every URL it makes carries the prefix.

uWSGI comes from the ``deploy`` extra (``pip install -e '.[deploy]'`` compiles
it); these tests are skipped only when no ``uwsgi`` program can be found.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from apps.servers import REPO_ROOT, START_TIMEOUT, Server, fetch, free_port, uwsgi_binary

PREFIX = "/prefix"
MOUNTED_APP = "tests.apps.mounted:app"
STATIC_FILE = REPO_ROOT / "tests" / "apps" / "static" / "hello.txt"
INI_SOCKET_LINE = "http-socket = 127.0.0.1:8080"


def start_uwsgi(folder: Path, *app_options: str) -> Server:
    """uWSGI with the repository's uwsgi.ini on a free port; by default the test app is
    mounted under /prefix, else ``app_options`` say what to serve."""
    port = free_port()
    ini = (REPO_ROOT / "uwsgi.ini").read_text(encoding="utf-8")
    assert INI_SOCKET_LINE in ini, "the test replaces this line of uwsgi.ini with a free port"
    test_ini = folder / "uwsgi.ini"
    test_ini.write_text(ini.replace(INI_SOCKET_LINE, f"http-socket = 127.0.0.1:{port}"))
    command = [
        uwsgi_binary(),
        # The [mount] section: the settings without the demo app, for --mount.
        "--ini", str(test_ini) + ("" if app_options else ":mount"),
        # The copied ini lives elsewhere: work from the repository as the original would.
        "--chdir", str(REPO_ROOT),
        "--master", "--processes", "2", "--threads", "2",
        *(app_options or ("--manage-script-name", "--mount", f"{PREFIX}={MOUNTED_APP}")),
    ]  # fmt: skip
    server = Server(command, folder / "uwsgi.log", port, cwd=folder)
    server.wait_until_serving()
    # The master opens the socket before it loads the app and forks the workers; until the
    # last worker exists, the log is incomplete and the master does not yet act on signals.
    _wait_for_line(server, "spawned uWSGI worker 2 ", timeout=START_TIMEOUT)
    return server


def start_gunicorn(folder: Path) -> Server:
    """gunicorn with the test app mounted at /prefix through the SCRIPT_NAME variable."""
    if importlib.util.find_spec("gunicorn") is None:
        pytest.skip("gunicorn is not installed: pip install -e '.[deploy]'")
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"127.0.0.1:{port}",
        "--workers", "2", "--threads", "2",
        "--graceful-timeout", "10",
        MOUNTED_APP,
    ]  # fmt: skip
    # XDG_RUNTIME_DIR: where newer gunicorns put their control socket (else in ~/.gunicorn).
    env = {**os.environ, "SCRIPT_NAME": PREFIX, "XDG_RUNTIME_DIR": str(folder)}
    server = Server(command, folder / "gunicorn.log", port, cwd=REPO_ROOT, env=env)
    server.wait_until_serving()
    return server


STARTERS = {"uwsgi": start_uwsgi, "gunicorn": start_gunicorn}


@pytest.fixture(scope="module", params=sorted(STARTERS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The test app under /prefix, served by each server in turn, shared by the module."""
    started = STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def uwsgi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    started = start_uwsgi(tmp_path_factory.mktemp("uwsgi-only"))
    try:
        yield started
    finally:
        started.stop()


def _links(server: Server) -> dict[str, str]:
    status, _, body = fetch(server.port, f"{PREFIX}/links")
    assert status == 200
    return json.loads(body)  # type: ignore[no-any-return]


# -- what every server must get right ----------------------------------------------


def test_routes_are_served_under_the_prefix(server: Server) -> None:
    status, _, body = fetch(server.port, f"{PREFIX}/")
    assert (status, body) == (200, b"The index of the mounted app.")


def test_the_app_sees_the_prefix_as_its_script_root(server: Server) -> None:
    assert _links(server)["script_root"] == PREFIX


def test_url_for_carries_the_prefix(server: Server) -> None:
    links = _links(server)
    assert links["index"] == f"{PREFIX}/"
    assert links["folder"] == f"{PREFIX}/folder/"


def test_external_url_for_carries_host_and_prefix(server: Server) -> None:
    assert _links(server)["external"] == f"http://127.0.0.1:{server.port}{PREFIX}/"


def test_static_url_carries_the_prefix(server: Server) -> None:
    assert _links(server)["static"] == f"{PREFIX}/static/hello.txt"


def test_redirect_location_carries_the_prefix(server: Server) -> None:
    status, headers, _ = fetch(server.port, f"{PREFIX}/go")
    assert (status, headers["Location"]) == (302, f"{PREFIX}/")


def test_missing_trailing_slash_redirect_carries_the_prefix_and_query(server: Server) -> None:
    status, headers, _ = fetch(server.port, f"{PREFIX}/folder?page=2")
    assert (status, headers["Location"]) == (308, f"{PREFIX}/folder/?page=2")


def test_session_cookie_path_is_the_prefix(server: Server) -> None:
    _, headers, _ = fetch(server.port, f"{PREFIX}/login")
    assert "Path=/prefix;" in headers["Set-Cookie"] + ";"


def test_static_file_is_sent_through_the_servers_file_wrapper(server: Server) -> None:
    status, headers, body = fetch(server.port, _links(server)["static"])
    assert status == 200
    assert body == STATIC_FILE.read_bytes()
    assert headers["Content-Length"] == str(STATIC_FILE.stat().st_size)
    assert headers["X-File-Wrapper"] == "used"


def test_json_post_is_received(server: Server) -> None:
    sent = {"numbers": [1, 2.5], "name": "Zoë"}
    status, headers, body = fetch(
        server.port,
        f"{PREFIX}/echo",
        method="POST",
        body=json.dumps(sent).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["received"] == sent


def test_a_chunked_body_is_received_or_refused_with_411_never_read_as_empty(
    server: Server,
) -> None:
    # gunicorn decodes a chunked body (wsgi.input_terminated); uWSGI's http-socket passes
    # it on undecoded with no Content-Length, so the app cannot find its end: a 411 then
    # says so, where reading it as empty would blame the client's JSON or lose a form.
    sent = {"numbers": [1, 2.5], "name": "Zoë"}
    body = json.dumps(sent).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    status, _headers, answer = fetch(
        server.port,
        f"{PREFIX}/echo",
        method="POST",
        body=chunked,
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
    )
    if Path(server.args[0]).name == "uwsgi":
        assert status == 411
        assert b"Content-Length" in answer
    else:
        assert status == 200
        assert json.loads(answer)["received"] == sent


def test_a_server_that_closes_the_connection_says_so_in_the_response(server: Server) -> None:
    # RFC 9112, 9.6. uWSGI's http-socket closes after each response; without
    # "Connection: close" (uwsgi.ini's add-header) a keep-alive client sends its next
    # request on the closed connection and fails with "connection reset".
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.connect()
    connection.auto_open = False  # a silently closed connection must fail, not reopen
    try:
        for _ in range(3):
            connection.request("GET", f"{PREFIX}/")
            response = connection.getresponse()
            assert response.status == 200
            assert response.read()
            if response.will_close:
                break
            time.sleep(0.2)  # time for a close the response did not announce to arrive
    finally:
        connection.close()


def test_a_request_with_large_cookies_is_answered(server: Server) -> None:
    # 18 KB of headers, each line under the 8 KB that nginx and gunicorn take. uWSGI's
    # default 4 KB buffer reset the connection without an answer (uwsgi.ini's buffer-size).
    headers = {
        "Cookie": "tracking=" + "x" * 6000,
        "X-Padding-A": "y" * 6000,
        "X-Padding-B": "z" * 6000,
    }
    status, _headers, body = fetch(server.port, f"{PREFIX}/", headers=headers)
    assert status == 200
    assert body == b"The index of the mounted app."


def test_unknown_path_under_the_prefix_is_a_404(server: Server) -> None:
    assert fetch(server.port, f"{PREFIX}/no-such-page")[0] == 404


def test_log_has_no_error_lines(server: Server) -> None:
    for path in ("/", "/links", "/go", "/folder", "/login", "/static/hello.txt", "/missing"):
        fetch(server.port, PREFIX + path)
    fetch(server.port, f"{PREFIX}/echo", "POST", b"[1]", {"Content-Type": "application/json"})
    time.sleep(0.2)  # uWSGI writes a request's log line after the response
    assert _error_lines(server.log()) == []


# uWSGI marks serious trouble with "!!!"; these two are about how it was built
# or started (no PCRE library at build time; running as root in a container).
_HARMLESS_NOTICES = (
    "!!! no internal routing support, rebuild with pcre support !!!",
    "*** WARNING: you are running uWSGI as root !!! (use the --uid flag) ***",
)
_ERROR_LINE_RE = re.compile(
    r"Traceback|Error|error|ERROR|exception|Fatal|FATAL|!!!|DAMN|unable to|no app loaded|"
    r"\(HTTP/1\.\d 5\d\d\)|[Ss]egmentation",
)


def _error_lines(log: str) -> list[str]:
    return [
        line
        for line in log.splitlines()
        if _ERROR_LINE_RE.search(line) and line.strip() not in _HARMLESS_NOTICES
    ]


# -- uWSGI specifics -----------------------------------------------------------------


def test_uwsgi_runs_two_processes_of_two_threads(uwsgi: Server) -> None:
    log = uwsgi.log()
    assert "*** Operational MODE: preforking+threaded ***" in log
    assert re.search(r"spawned uWSGI worker 1 \(pid: \d+, cores: 2\)", log)
    assert re.search(r"spawned uWSGI worker 2 \(pid: \d+, cores: 2\)", log)


def test_uwsgi_mounts_the_app_at_the_prefix(uwsgi: Server) -> None:
    # The only app: uwsgi.ini's [mount] section loads no default app beside it.
    assert "WSGI app 0 (mountpoint='/prefix') ready" in uwsgi.log()
    assert "mountpoint='')" not in uwsgi.log()


def test_uwsgi_exits_when_the_mounted_app_fails_to_import(tmp_path: Path) -> None:
    """need-app in the [mount] section: a broken app stops uWSGI instead of being replaced."""
    (tmp_path / "broken_app.py").write_text("raise RuntimeError('the app is broken')\n")
    ini = (REPO_ROOT / "uwsgi.ini").read_text(encoding="utf-8")
    port = free_port()
    (tmp_path / "uwsgi.ini").write_text(
        ini.replace(INI_SOCKET_LINE, f"http-socket = 127.0.0.1:{port}")
    )
    result = subprocess.run(
        [
            uwsgi_binary(),
            "--ini",
            f"{tmp_path / 'uwsgi.ini'}:mount",
            "--chdir",
            str(REPO_ROOT),
            # A module outside the repository is found through --pythonpath (docs/deploy.md).
            "--pythonpath",
            str(tmp_path),
            "--manage-script-name",
            "--mount",
            f"{PREFIX}=broken_app:app",
        ],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert result.returncode != 0
    assert "RuntimeError: the app is broken" in result.stderr + result.stdout
    assert "no app loaded" in result.stderr + result.stdout


def test_uwsgi_logs_a_line_per_request(uwsgi: Server) -> None:
    fetch(uwsgi.port, f"{PREFIX}/links")
    _wait_for_line(uwsgi, f"GET {PREFIX}/links => generated")


def test_uwsgi_ini_module_can_be_replaced_by_a_plain_wsgi_app(tmp_path: Path) -> None:
    server = start_uwsgi(tmp_path, "--module", "tests.apps.plain_wsgi:application")
    try:
        status, _, body = fetch(server.port, "/anything?x=1")
    finally:
        server.stop()
    assert (status, body) == (200, b"A plain WSGI app saw /anything")


# -- stopping ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(STARTERS))
def test_sigterm_lets_the_request_in_flight_finish(name: str, tmp_path: Path) -> None:
    server = STARTERS[name](tmp_path)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            in_flight = pool.submit(fetch, server.port, f"{PREFIX}/slow?seconds=2")
            _wait_for_line(server, "slow request started")
            took = server.stop(signal.SIGTERM)
            status, _, body = in_flight.result(timeout=10)
    finally:
        server.kill()
    assert (status, body) == (200, b"Finished after the wait.")
    assert server.process.returncode == 0
    assert took < 8
    assert _error_lines(server.log()) == []  # shutting down included


def test_uwsgi_stops_at_once_on_sigint(tmp_path: Path) -> None:
    server = start_uwsgi(tmp_path)
    # uWSGI 2.0 now and then misses a SIGINT that arrives within milliseconds of
    # forking a threaded worker (the worker stays in epoll_wait and the master waits
    # for it): uWSGI's race at start-up, not the behaviour under test. A Ctrl+C comes
    # later than that; so does this one.
    time.sleep(1.0)
    try:
        took = server.stop(signal.SIGINT)
    finally:
        server.kill()
    assert server.process.returncode == 0
    assert took < 5
    assert "goodbye to uWSGI." in server.log()
    assert _error_lines(server.log()) == []


def _wait_for_line(server: Server, text: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in server.log():
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} did not appear in the log:\n{server.log()}")
        time.sleep(0.05)
