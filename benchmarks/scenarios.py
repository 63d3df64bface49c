"""The requests every benchmark sends, and the answers every application must give.

Each ``Scenario`` is one request (method, path, headers, body) and the status
and body all five applications in ``benchmarks/apps/`` must answer with. The
same definitions build a WSGI environ for the in-process benchmark and raw
HTTP bytes for the benchmarks that go through a server, so every section
measures the same work.

The upload is special: it is checked like the others, but only timed as a
memory figure, with a body of up to 100 MB streamed from a socket.

The idea to take away: a benchmark compares like with like only when each
contender is first shown to give the same answer to the same request.
"""

from __future__ import annotations

import io
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: How many ``/r<i>/<int:id>`` routes each app registers; the benchmark asks for the last.
ROUTE_COUNT = 1_000
#: The body every app answers for an unknown URL (each registers its own 404 handler).
NOT_FOUND_BODY = b"nothing here"
#: The boundary of the multipart upload.
UPLOAD_BOUNDARY = "benchmark-boundary-7d3f0a"
#: The size of one piece of the upload as the client sends it.
UPLOAD_CHUNK_SIZE = 64 * 1024

# Random bytes (fixed seed) so that no parser gets a lucky run of one repeated byte.
_UPLOAD_CHUNK = random.Random(7).randbytes(UPLOAD_CHUNK_SIZE)


@dataclass(frozen=True)
class Scenario:
    """One request and the answer expected from every application."""

    name: str  # short key, used in tables
    title: str  # what a reader sees
    method: str
    path: str
    status: int
    body: bytes  # the expected response body
    content_type: str | None = None  # of the request body
    request_body: bytes = b""
    json_response: bool = False  # compare bodies as parsed JSON (frameworks space it differently)
    headers: dict[str, str] = field(default_factory=dict)


_JSON_ANSWER = {"message": "Hello, World!", "id": 42, "tags": ["fast", "small"]}

#: The timed scenarios, in the order tables show them.
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("hello", "hello (GET / -> text)", "GET", "/", 200, b"Hello, World!"),
    Scenario("param", "parameter route (/user/<int:id>)", "GET", "/user/42", 200, b"user 42"),
    Scenario(
        "json",
        "JSON response",
        "GET",
        "/json",
        200,
        json.dumps(_JSON_ANSWER).encode(),
        json_response=True,
    ),
    Scenario(
        "form",
        "POST small form",
        "POST",
        "/form",
        200,
        b"Ada Lovelace likes python",
        content_type="application/x-www-form-urlencoded",
        request_body=b"name=Ada+Lovelace&lang=python",
    ),
    Scenario(
        "json_post",
        "POST small JSON",
        "POST",
        "/items",
        200,
        b"Ada x3",
        content_type="application/json",
        request_body=b'{"name": "Ada", "count": 3}',
    ),
    Scenario(
        "routes",
        f"last of {ROUTE_COUNT:,} dynamic routes",
        "GET",
        f"/r{ROUTE_COUNT - 1}/7",
        200,
        f"r{ROUTE_COUNT - 1} 7".encode(),
    ),
    Scenario("not_found", "404", "GET", "/no/such/page", 404, NOT_FOUND_BODY),
)

SCENARIOS_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}


def upload_scenario(file_size: int) -> Scenario:
    """A multipart POST of one file of ``file_size`` bytes; every app answers the size.

    Only the head and tail of the body are kept here (see ``upload_pieces``), so
    the 100 MB case never sits in the benchmark's own memory either.
    """
    return Scenario(
        "upload",
        f"multipart upload of {file_size:,} bytes",
        "POST",
        "/upload",
        200,
        str(file_size).encode(),
        content_type=f"multipart/form-data; boundary={UPLOAD_BOUNDARY}",
        headers={"Content-Length": str(_upload_length(file_size))},
    )


def _upload_head() -> bytes:
    return (
        f"--{UPLOAD_BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="data.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()


def _upload_tail() -> bytes:
    return f"\r\n--{UPLOAD_BOUNDARY}--\r\n".encode()


def _upload_length(file_size: int) -> int:
    return len(_upload_head()) + file_size + len(_upload_tail())


def upload_pieces(file_size: int) -> Iterator[bytes]:
    """The multipart body of ``upload_scenario(file_size)``, in pieces of at most 64 KiB."""
    yield _upload_head()
    remaining = file_size
    while remaining > 0:
        piece = _UPLOAD_CHUNK[: min(remaining, UPLOAD_CHUNK_SIZE)]
        remaining -= len(piece)
        yield piece
    yield _upload_tail()


def request_body(scenario: Scenario) -> bytes:
    """The whole request body (for the upload: built from its pieces; keep it small)."""
    if scenario.name == "upload":
        size = int(scenario.body)
        return b"".join(upload_pieces(size))
    return scenario.request_body


# -- as a WSGI environ ---------------------------------------------------------


def environ_template(scenario: Scenario) -> dict[str, Any]:
    """The environ a server such as uWSGI would build for ``scenario``, minus the input.

    Call ``fresh_environ`` to get one that can be handed to an application.
    """
    body_length = len(request_body(scenario))
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scenario.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": scenario.path,
        "QUERY_STRING": "",
        "REQUEST_URI": scenario.path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost:8000",
        "HTTP_USER_AGENT": "microwsgi-benchmark",
        "HTTP_ACCEPT": "*/*",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if scenario.content_type is not None:
        environ["CONTENT_TYPE"] = scenario.content_type
    if body_length or scenario.method == "POST":
        environ["CONTENT_LENGTH"] = str(body_length)
    return environ


def fresh_environ(template: dict[str, Any], body: bytes) -> dict[str, Any]:
    """A copy of ``template`` with a new ``wsgi.input`` holding ``body``.

    A copy per call, because applications may change the environ and read the input.
    """
    environ = dict(template)
    environ["wsgi.input"] = io.BytesIO(body)
    return environ


# -- as raw HTTP ---------------------------------------------------------------


def http_request_head(scenario: Scenario, host: str) -> bytes:
    """The request line and headers of ``scenario`` as a client sends them."""
    lines = [
        f"{scenario.method} {scenario.path} HTTP/1.1",
        f"Host: {host}",
        "User-Agent: microwsgi-benchmark",
    ]
    if scenario.content_type is not None:
        lines.append(f"Content-Type: {scenario.content_type}")
    if "Content-Length" in scenario.headers:
        lines.append(f"Content-Length: {scenario.headers['Content-Length']}")
    elif scenario.request_body or scenario.method == "POST":
        lines.append(f"Content-Length: {len(scenario.request_body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def same_body(scenario: Scenario, body: bytes) -> bool:
    """Whether ``body`` is the answer ``scenario`` expects (JSON compared as values)."""
    if scenario.json_response:
        try:
            return bool(json.loads(body) == json.loads(scenario.body))
        except ValueError:
            return False
    return body == scenario.body
