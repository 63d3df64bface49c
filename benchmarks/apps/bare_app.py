"""The floor: the benchmark's routes answered by one WSGI function and no framework.

Only the standard library: a dict for the fixed routes, ``str.split`` for
the ones with a number, ``urllib.parse`` and ``json`` for the bodies. It
checks no more than the other apps need to give the same answers, so the time
it takes is the least any framework could take.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from benchmarks.scenarios import NOT_FOUND_BODY, ROUTE_COUNT

_TEXT = [("Content-Type", "text/plain; charset=utf-8")]
_JSON = [("Content-Type", "application/json")]
_ROUTE_NAMES = frozenset(f"r{number}" for number in range(ROUTE_COUNT))
_READ_SIZE = 64 * 1024

Answer = tuple[str, list[tuple[str, str]], bytes]


def _read_body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def _hello(environ: dict[str, Any]) -> Answer:
    return "200 OK", _TEXT, b"Hello, World!"


def _json_answer(environ: dict[str, Any]) -> Answer:
    body = {"message": "Hello, World!", "id": 42, "tags": ["fast", "small"]}
    return "200 OK", _JSON, json.dumps(body).encode()


def _form(environ: dict[str, Any]) -> Answer:
    fields = parse_qs(_read_body(environ).decode())
    return "200 OK", _TEXT, f"{fields['name'][0]} likes {fields['lang'][0]}".encode()


def _items(environ: dict[str, Any]) -> Answer:
    item = json.loads(_read_body(environ))
    return "200 OK", _TEXT, f"{item['name']} x{item['count']}".encode()


def _upload(environ: dict[str, Any]) -> Answer:
    return "200 OK", _TEXT, str(_uploaded_file_size(environ)).encode()


def _uploaded_file_size(environ: dict[str, Any]) -> int:
    """The size of the one file in a multipart body, counted as the body streams past.

    Only what this benchmark sends is understood: one part, then the closing
    boundary. A few bytes are held back at the end of each chunk in case the
    boundary is split between two reads.
    """
    boundary = environ["CONTENT_TYPE"].partition("boundary=")[2].encode()
    delimiter = b"\r\n--" + boundary
    stream = environ["wsgi.input"]
    remaining = int(environ["CONTENT_LENGTH"])

    def read() -> bytes:
        nonlocal remaining
        chunk = stream.read(min(_READ_SIZE, remaining))
        remaining -= len(chunk)
        if not chunk:
            raise ValueError("the upload ended before its closing boundary")
        return bytes(chunk)

    buffer = read()
    while b"\r\n\r\n" not in buffer:  # the part's headers
        buffer += read()
    buffer = buffer.partition(b"\r\n\r\n")[2]
    size = 0
    while (end := buffer.find(delimiter)) < 0:
        keep = len(delimiter) - 1
        if len(buffer) > keep:
            size += len(buffer) - keep
            buffer = buffer[-keep:]
        buffer += read()
    while remaining:  # the closing boundary's tail
        read()
    return size + end


_FIXED_ROUTES: dict[tuple[str, str], Callable[[dict[str, Any]], Answer]] = {
    ("GET", "/"): _hello,
    ("GET", "/json"): _json_answer,
    ("POST", "/form"): _form,
    ("POST", "/items"): _items,
    ("POST", "/upload"): _upload,
}


def _route(environ: dict[str, Any]) -> Answer:
    method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
    handler = _FIXED_ROUTES.get((method, path))
    if handler is not None:
        return handler(environ)
    parts = path.split("/")
    if method == "GET" and len(parts) == 3 and parts[2].isdigit():
        name, number = parts[1], int(parts[2])
        if name == "user":
            return "200 OK", _TEXT, f"user {number}".encode()
        if name in _ROUTE_NAMES:
            return "200 OK", _TEXT, f"{name} {number}".encode()
    return "404 Not Found", _TEXT, NOT_FOUND_BODY


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    status, headers, body = _route(environ)
    start_response(status, [*headers, ("Content-Length", str(len(body)))])
    return [body]
