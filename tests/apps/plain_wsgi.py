"""A WSGI application without any framework: one function (PEP 3333).

uWSGI serves it with ``--module tests.apps.plain_wsgi:application``, the
same way it serves a microwsgi app: a server only ever calls
``application(environ, start_response)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    body = f"A plain WSGI app saw {environ['PATH_INFO']}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
