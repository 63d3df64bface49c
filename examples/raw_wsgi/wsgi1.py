"""Test #11: the smallest WSGI application, with no framework (PEP 3333).

    uwsgi --ini uwsgi.ini --module examples.raw_wsgi.wsgi1:application
    python -m examples.raw_wsgi.wsgi1          # the standard library's wsgiref server

A WSGI application is a callable that takes ``environ`` (a dict describing
the request) and ``start_response`` (a function to call with the status
line and headers), and returns the body as an iterable of bytes. Every
framework, microwsgi included, is a larger version of this function: see
``App.__call__`` in ``microwsgi/app.py``.

Changed from the seed: the body's length is sent as ``Content-Length``, and
the request line goes to ``wsgi.errors`` (the server's log) instead of
``print``, which a WSGI server may not show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    # 첫번째 인자는 HTTP request 관련 dict 임
    print(environ["REQUEST_METHOD"], environ["PATH_INFO"], file=environ["wsgi.errors"])

    body = b"Hello World wsgi1"
    status = "200 OK"
    headers = [("Content-Type", "text/html"), ("Content-Length", str(len(body)))]

    start_response(status, headers)  # HTTP response body 반환 전 start_response()를 호출함

    return [body]  # HTTP body 는 iterable 이어야 함


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    with make_server("127.0.0.1", 8080, application) as server:
        print("Serving on http://127.0.0.1:8080/ (Ctrl+C to stop)")
        server.serve_forever()
