"""Test #12: reading the request body in a raw WSGI application.

    uwsgi --ini uwsgi.ini --module examples.raw_wsgi.wsgi2:application
    python -m examples.raw_wsgi.wsgi2

``environ["wsgi.input"]`` is the body as a stream. The app reads it, decodes
it as UTF-8 JSON, and greets the ``name`` it holds.

The seed's listing has its body outside the function (mis-indented), so it
does not even import. It also read the stream without a length and let every
mistake in the body crash the app into a 500. Fixed here, which is most of
the code a framework would otherwise write for you:

- read exactly ``CONTENT_LENGTH`` bytes (PEP 3333 says a server need not
  mark the end of the stream), refusing bodies over 1 MB with 413;
- a body that is not UTF-8 JSON, is not an object, or has no string
  ``name`` is a 400 that says what was wrong;
- the name is escaped before it goes into the HTML answer.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from typing import Any

MAX_BODY_BYTES = 1024 * 1024


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    print(environ["REQUEST_METHOD"], environ["PATH_INFO"], file=environ["wsgi.errors"])

    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _error(start_response, "400 Bad Request", "Content-Length is not a number.")
    if length > MAX_BODY_BYTES:
        return _error(
            start_response,
            "413 Content Too Large",
            f"The body is {length} bytes; at most {MAX_BODY_BYTES} are accepted.",
        )
    body_bytes = environ["wsgi.input"].read(length) if length > 0 else b""

    try:
        body_json = json.loads(body_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _error(
            start_response,
            "400 Bad Request",
            'Send a JSON body such as {"name": "JongHyun"} with Content-Type: application/json.',
        )
    name = body_json.get("name") if isinstance(body_json, dict) else None
    if not isinstance(name, str):
        return _error(
            start_response,
            "400 Bad Request",
            'The JSON body must be an object with a "name" string, such as {"name": "JongHyun"}.',
        )

    status = "200 OK"
    response = f"Hello World {html.escape(name)}".encode()
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(response))),
    ]
    start_response(status, headers)
    return [response]


def _error(start_response: Callable[..., Any], status: str, message: str) -> list[bytes]:
    body = f"{message}\n".encode()
    start_response(
        status,
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    with make_server("127.0.0.1", 8080, application) as server:
        print("Serving on http://127.0.0.1:8080/ (Ctrl+C to stop)")
        server.serve_forever()
