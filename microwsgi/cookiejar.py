"""The browser's side of cookies: which cookies it keeps, and which it sends back.

Werkzeug counterpart: the ``Cookie`` class and the cookie handling of
``werkzeug.test.Client``; the rules are RFC 6265 section 5 (the user agent's
part), which is what browsers do.

The idea to take away: a server only *offers* cookies (``Set-Cookie``); the
browser decides. It keeps each cookie under its name, domain and path, and
with every request it sends the cookies whose domain and path cover the URL
and that have not expired, the most specific path first:

- **domain**: a cookie set without ``Domain`` goes back to exactly the host
  that set it; with ``Domain=example.com`` to that host and every name under
  it. A host cannot set a cookie for another site: ``a.example`` setting
  ``Domain=b.example`` is ignored.
- **path**: ``Path=/shop`` covers ``/shop`` and ``/shop/cart``, not
  ``/shopping``. Without ``Path``, the directory of the URL that set it.
- **expiry**: ``Max-Age`` (seconds, it wins) or ``Expires`` (a date); one in
  the past deletes the cookie, which is how a server deletes one. Without
  either, the cookie lasts as long as the browser (here: the jar).

The value is stored exactly as the server wrote it, quotes and escapes
included, and sent back the same way, so the server reads back what it set.

The test client keeps one ``CookieJar``. Like Werkzeug's, and unlike a
browser, it sends a ``Secure`` cookie over plain HTTP too: tests run over
``http://`` while the app's configuration (``SESSION_COOKIE_SECURE``) is
meant for production.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from .http import parse_cookie, parse_http_date
from .wire import PATH_SAFE, split_host


class Cookie:
    """One kept cookie (RFC 6265 section 5.3), with Werkzeug's attribute names.

    ``value`` is the value as the server sent it (quoted, escaped), which is
    what goes back in the ``Cookie`` header; ``decoded_value`` is what the app
    reads from ``request.cookies``. ``domain`` is the host the cookie goes to,
    ``origin_only`` is true for a cookie set without ``Domain`` (it goes to
    exactly that host; with ``Domain``, to the names under it too).
    ``expires`` is an aware UTC ``datetime``, or None for a cookie that lasts
    as long as the jar.
    """

    def __init__(
        self,
        key: str,
        value: str,
        *,
        domain: str,
        path: str,
        origin_only: bool = True,
        expires: datetime | None = None,
        max_age: int | None = None,
        secure: bool = False,
        http_only: bool = False,
        same_site: str | None = None,
        partitioned: bool = False,
    ) -> None:
        self.key, self.value = key, value
        self.domain, self.path, self.origin_only = domain, path, origin_only
        self.expires, self.max_age = expires, max_age
        self.secure, self.http_only = secure, http_only
        self.same_site, self.partitioned = same_site, partitioned
        #: When it was first stored: older cookies are sent first (RFC 6265 5.4).
        self.created = time.monotonic_ns()

    @property
    def decoded_key(self) -> str:
        """The cookie's name (Werkzeug's attribute; a name is a token: nothing to decode)."""
        return self.key

    @property
    def decoded_value(self) -> str:
        """The value as the app reads it (quotes and escapes undone)."""
        return str(parse_cookie(f"{self.key}={self.value}").get(self.key, ""))

    def expired(self, now: float) -> bool:
        """Whether the cookie has expired at ``now`` (seconds since the epoch)."""
        return self.expires is not None and self.expires.timestamp() <= now

    def matches(self, host: str, path: str) -> bool:
        """Whether it goes with a request to ``host`` (lower case, no port) and ``path``."""
        if self.origin_only:
            if host != self.domain:
                return False
        elif not domain_matches(host, self.domain):
            return False
        return path_matches(path, self.path)

    def __repr__(self) -> str:
        return f"<Cookie {self.key}={self.value!r} domain={self.domain} path={self.path}>"


def domain_matches(host: str, domain: str) -> bool:
    """RFC 6265 5.1.3: ``host`` is ``domain`` or a name under it (never for an IP address)."""
    if host == domain:
        return True
    return host.endswith("." + domain) and not _is_ip_address(host)


def _is_ip_address(host: str) -> bool:
    return host.startswith("[") or host.replace(".", "").isdigit()


def path_matches(request_path: str, cookie_path: str) -> bool:
    """RFC 6265 5.1.4: the same path, or one under it (``/a`` covers ``/a/b``, not ``/ab``)."""
    if request_path == cookie_path:
        return True
    return request_path.startswith(cookie_path) and (
        cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"
    )


def default_path(request_path: str) -> str:
    """RFC 6265 5.1.4: the path of a cookie set without ``Path``: the request
    path up to its last ``/`` (``/shop/cart`` -> ``/shop``), or ``/``."""
    directory = request_path.rpartition("/")[0]
    return directory if directory.startswith("/") else "/"


#: ``Max-Age``'s value (RFC 6265 5.2.2): an optional "-" and ASCII digits, nothing else.
_DELTA_SECONDS_RE = re.compile(r"-?[0-9]+")
#: More digits than any age a datetime can hold: the rest are dropped before int().
_MAX_AGE_DIGITS = 12
_LATEST_TIMESTAMP = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()


def parse_set_cookie(header: str, host: str, request_path: str, now: float) -> Cookie | None:
    """A ``Set-Cookie`` header from ``host`` as a browser reads it (RFC 6265 5.2, 5.3).

    Returns None for a cookie the browser ignores: no name, or a ``Domain``
    that ``host`` is not under. A cookie whose ``Max-Age`` or ``Expires`` is
    past comes back expired, which tells the jar to delete it. Attributes it
    does not know, or cannot read (a date that is not a date), are skipped.
    """
    pair, _, attribute_text = header.partition(";")
    key, equals, value = pair.partition("=")
    key, value = key.strip(), value.strip()
    if not equals or not key:
        return None
    domain = ""
    path = None
    expires: datetime | None = None
    max_age: int | None = None
    flags: set[str] = set()
    same_site = None
    for attribute in attribute_text.split(";"):
        name, _, attribute_value = attribute.partition("=")
        name, attribute_value = name.strip().lower(), attribute_value.strip()
        if name == "domain" and attribute_value:
            domain = attribute_value.lstrip(".").lower()
        elif name == "path":
            path = attribute_value if attribute_value.startswith("/") else None
        elif name == "expires":
            expires = parse_http_date(attribute_value) or expires
        elif name == "max-age" and _DELTA_SECONDS_RE.fullmatch(attribute_value):
            # Any number of ASCII digits (RFC 6265 5.2.2), so int() is given no more
            # than it can read, and no Unicode digit ("²" is isdigit() too).
            digits = attribute_value.lstrip("-").lstrip("0")[:_MAX_AGE_DIGITS] or "0"
            max_age = -int(digits) if attribute_value.startswith("-") else int(digits)
        elif name == "samesite":
            same_site = attribute_value
        elif name in ("secure", "httponly", "partitioned"):
            flags.add(name)
    if domain and not domain_matches(host, domain):
        return None  # a site may not set cookies for another one
    if max_age is not None:  # Max-Age wins over Expires
        # The latest moment a datetime holds stands for "later than that" (a cookie
        # kept for centuries is kept as long as the jar anyway).
        moment = min(now + max_age, _LATEST_TIMESTAMP) if max_age > 0 else 0
        expires = datetime.fromtimestamp(moment, UTC)
    return Cookie(
        key,
        value,
        domain=domain or host,
        path=path or default_path(request_path),
        origin_only=not domain,
        expires=expires,
        max_age=max_age,
        secure="secure" in flags,
        http_only="httponly" in flags,
        same_site=same_site,
        partitioned="partitioned" in flags,
    )


def request_host_and_path(environ: Mapping[str, Any]) -> tuple[str, str]:
    """The host (lower case, no port) and the path (as sent: percent-encoded, with
    the mount point) a request went to, which is what cookies are matched against."""
    host = str(environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or "localhost")
    host = split_host(host)[0].lower()
    target = environ.get("REQUEST_URI")
    if target:
        path = str(target).partition("?")[0]
    else:
        raw = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")).encode("latin-1")
        path = quote(raw, safe=PATH_SAFE + "%")
    return host, path or "/"


class CookieJar:
    """The cookies a browser keeps, by ``(domain, path, name)``."""

    def __init__(self) -> None:
        self._cookies: dict[tuple[str, str, str], Cookie] = {}

    def get(self, key: str, domain: str, path: str) -> Cookie | None:
        """The cookie ``key`` kept for ``domain`` and ``path``; None if none or expired."""
        cookie = self._cookies.get((domain, path, key))
        if cookie is not None and cookie.expired(time.time()):
            del self._cookies[(domain, path, key)]
            return None
        return cookie

    def delete(self, key: str, domain: str, path: str) -> None:
        """Forget the cookie with this name, domain and path, if the jar has it."""
        self._cookies.pop((domain, path, key), None)

    def keep(self, cookie: Cookie, now: float | None = None) -> None:
        """Store ``cookie`` in place of the one with its name, domain and path; an
        expired one just deletes that."""
        now = time.time() if now is None else now
        storage_key = (cookie.domain, cookie.path, cookie.key)
        old = self._cookies.pop(storage_key, None)
        if cookie.expired(now):
            return
        if old is not None:
            cookie.created = old.created  # RFC 6265 5.3 step 11: it keeps its place
        self._cookies[storage_key] = cookie

    def receive(self, environ: Mapping[str, Any], set_cookie_headers: list[str]) -> None:
        """Take the ``Set-Cookie`` headers of the response to the request ``environ``."""
        if not set_cookie_headers:
            return
        host, path = request_host_and_path(environ)
        now = time.time()
        for header in set_cookie_headers:
            cookie = parse_set_cookie(header, host, path, now)
            if cookie is not None:
                self.keep(cookie, now)

    def header_for(self, environ: Mapping[str, Any]) -> str:
        """The ``Cookie`` header for the request ``environ`` (RFC 6265 5.4): every
        cookie that matches, longest path first, then oldest first; "" for none."""
        if not self._cookies:
            return ""
        host, path = request_host_and_path(environ)
        now = time.time()
        for storage_key in [k for k, cookie in self._cookies.items() if cookie.expired(now)]:
            del self._cookies[storage_key]
        matching = [cookie for cookie in self._cookies.values() if cookie.matches(host, path)]
        matching.sort(key=lambda cookie: (-len(cookie.path), cookie.created))
        return "; ".join(f"{cookie.key}={cookie.value}" for cookie in matching)

    def __iter__(self) -> Any:
        return iter(list(self._cookies.values()))

    def __len__(self) -> int:
        return len(self._cookies)

    def __repr__(self) -> str:
        return f"<CookieJar {list(self._cookies.values())!r}>"
