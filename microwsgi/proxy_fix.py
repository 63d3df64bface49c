"""Behind a reverse proxy: believe the ``X-Forwarded-*`` headers of the proxies you trust.

Werkzeug counterpart: ``werkzeug.middleware.proxy_fix.ProxyFix``.

The idea to take away: behind nginx, the app's TCP peer is nginx, and the
connection may be plain HTTP on a private port even though the browser spoke
HTTPS to ``example.com``. The proxy writes what it saw into headers
(``X-Forwarded-For: <client address>``, ``X-Forwarded-Proto: https``, ...).
But *any* client can send those headers too, so they may only be believed as
far as they were written by proxies you run. Each proxy *appends* to the
comma-separated list it received, so the last ``n`` values were written by the
``n`` proxies nearest to the app and everything before them came from the
client. ``ProxyFix`` takes the value ``n`` places from the right, where ``n``
is the number of trusted proxies you configure per header, and rewrites the
WSGI environ with it before the app sees it::

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

Then ``request.remote_addr``, ``request.scheme``, ``request.host`` and
``url_for(..., _external=True)`` describe the client's view of the request.

- ``X-Forwarded-For`` sets ``REMOTE_ADDR`` (trusted hops by default: 1);
- ``X-Forwarded-Proto`` sets ``wsgi.url_scheme`` (1);
- ``X-Forwarded-Host`` sets ``HTTP_HOST``, ``SERVER_NAME``, ``SERVER_PORT`` (0: ignored);
- ``X-Forwarded-Port`` sets the port in ``HTTP_HOST`` and ``SERVER_PORT`` (0);
- ``X-Forwarded-Prefix`` sets ``SCRIPT_NAME``, the path the app is mounted
  under as the client sees it (0).

A header with fewer values than the hops you trust is ignored (a proxy that
should have written one did not, so the values may all be the client's), as
is a header whose value is not a valid address, scheme, host, port or path.
Werkzeug passes such values through unchecked; here a forged
``X-Forwarded-Prefix: //evil.example`` could otherwise turn every
``url_for`` into a link to another site, so each value is validated first.
The original values are kept in ``environ["microwsgi.proxy_fix.orig"]``.

Trust no hop you do not run: with ``x_for=1`` and no proxy in front, a client
chooses its own ``remote_addr``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from .wire import HOST_RE, split_host

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: The characters a URL path may hold (RFC 3986 ``pchar`` and ``/``), escapes included.
_PATH_RE = re.compile(r"/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*")

#: The environ keys ProxyFix may change, saved before it changes them.
_SAVED_KEYS = (
    "REMOTE_ADDR",
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
)


class ProxyFix:
    """WSGI middleware that applies trusted ``X-Forwarded-*`` headers to the environ.

    Wrap the app's ``wsgi_app`` (not the app itself, so ``app`` keeps its
    methods): ``app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)``.
    Each number is how many proxies in front of the app set that header; 0
    means the header is ignored.
    """

    def __init__(
        self,
        app: WSGIApp,
        x_for: int = 1,
        x_proto: int = 1,
        x_host: int = 0,
        x_port: int = 0,
        x_prefix: int = 0,
    ) -> None:
        for name, hops in (
            ("x_for", x_for),
            ("x_proto", x_proto),
            ("x_host", x_host),
            ("x_port", x_port),
            ("x_prefix", x_prefix),
        ):
            if not isinstance(hops, int) or hops < 0:
                raise ValueError(
                    f"ProxyFix({name}={hops!r}): give the number of proxies in front of the "
                    "app that set this header, a whole number >= 0 (0 ignores the header)."
                )
        self.app = app
        self.x_for = x_for
        self.x_proto = x_proto
        self.x_host = x_host
        self.x_port = x_port
        self.x_prefix = x_prefix

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ["microwsgi.proxy_fix.orig"] = {key: environ.get(key) for key in _SAVED_KEYS}

        client = _trusted_value(environ, "HTTP_X_FORWARDED_FOR", self.x_for, _client_address)
        if client is not None:
            environ["REMOTE_ADDR"] = client

        scheme = _trusted_value(environ, "HTTP_X_FORWARDED_PROTO", self.x_proto, _scheme)
        if scheme is not None:
            environ["wsgi.url_scheme"] = scheme

        host = _trusted_value(environ, "HTTP_X_FORWARDED_HOST", self.x_host, _host)
        if host is not None:
            environ["HTTP_HOST"] = host
            name, host_port = split_host(host)
            environ["SERVER_NAME"] = name
            if host_port:
                environ["SERVER_PORT"] = host_port

        port = _trusted_value(environ, "HTTP_X_FORWARDED_PORT", self.x_port, _port)
        if port is not None:
            current_host = environ.get("HTTP_HOST")
            if current_host:
                environ["HTTP_HOST"] = f"{split_host(current_host)[0]}:{port}"
            environ["SERVER_PORT"] = port

        prefix = _trusted_value(environ, "HTTP_X_FORWARDED_PREFIX", self.x_prefix, _prefix)
        if prefix is not None:
            environ["SCRIPT_NAME"] = prefix

        return self.app(environ, start_response)


def _trusted_value(
    environ: dict[str, Any], key: str, hops: int, validate: Callable[[str], str | None]
) -> str | None:
    """The value ``hops`` places from the right of the header's list, if valid, else None."""
    if not hops:
        return None
    header = environ.get(key)
    if not header:
        return None
    values = header.split(",")
    if len(values) < hops:
        return None
    return validate(values[-hops].strip())


def _client_address(value: str) -> str | None:
    address = value[1:-1] if value.startswith("[") and value.endswith("]") else value
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None  # "unknown", an obfuscated name, or junk


def _scheme(value: str) -> str | None:
    scheme = value.lower()
    return scheme if scheme in ("http", "https") else None


def _host(value: str) -> str | None:
    if not HOST_RE.fullmatch(value):
        return None
    port = split_host(value)[1]
    if port and _port(port) is None:
        return None
    return value


def _port(value: str) -> str | None:
    # At most five digits before int(): thousands of digits make int() raise.
    if not (value.isascii() and value.isdigit() and len(value) <= 5) or not 0 < int(value) < 65536:
        return None
    return str(int(value))


def _prefix(value: str) -> str | None:
    """A path the app is mounted under, as a WSGI ``SCRIPT_NAME`` (decoded, latin-1)."""
    if not _PATH_RE.fullmatch(value):
        return None
    path = unquote_to_bytes(value).decode("latin-1")
    # "//host" or "/\host" at the start of a link is read by browsers as another site.
    if path.startswith(("//", "/\\")) or any(ord(char) < 32 or ord(char) == 127 for char in path):
        return None
    return path.rstrip("/")
