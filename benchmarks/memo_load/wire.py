"""One simulated user's HTTP connection: keep-alive, cookies, timing, and what went wrong.

Each load client owns one ``Connection`` and uses it from one thread, one
request at a time, as a browser tab or a phone app does. It speaks HTTP/1.1
with keep-alive (``http.client``); when the server closes the connection
after a response (uWSGI's plain ``http-socket`` does after every one), the
next request opens a new one.

A request ends in one of three ways, and the difference matters to the
caller: a ``Reply`` (any status, 5xx included), ``TransportError`` (the
connection was refused, reset or closed before a complete response: the
request may or may not have been carried out), or ``Hung`` (no complete
response within the timeout: what the load test counts as a hung request).
"""

from __future__ import annotations

import http.client
import io
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart


class TransportError(Exception):
    """No complete response: refused, reset, or closed mid-response."""


class Hung(TransportError):
    """No complete response within the client's timeout."""


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    #: Seconds from sending the request to reading the last byte of the body.
    latency: float

    def json(self) -> Any:
        import json

        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class Body:
    """A request body and its ``Content-Type``."""

    data: bytes
    content_type: str


def json_body(value: Any) -> Body:
    import json

    return Body(json.dumps(value, ensure_ascii=False).encode(), "application/json")


def form_body(fields: Mapping[str, str]) -> Body:
    return Body(urlencode(fields).encode(), "application/x-www-form-urlencoded")


def multipart_body(fields: Mapping[str, str], files: Mapping[str, tuple[str, bytes, str]]) -> Body:
    """``files`` maps a field name to ``(filename, bytes, media type)``."""
    values: dict[str, Any] = dict(fields)
    for name, (filename, data, media_type) in files.items():
        values[name] = FileStorage(io.BytesIO(data), filename=filename, content_type=media_type)
    boundary, data = encode_multipart(values)
    return Body(data, f"multipart/form-data; boundary={boundary}")


@dataclass
class Connection:
    """HTTP to one origin (``http://host:port``), with a cookie jar of its own."""

    base_url: str
    timeout: float
    cookies: dict[str, str] = field(default_factory=dict)
    #: False: ask the server to close the connection after each response. uWSGI's
    #: plain ``http-socket`` closes it anyway, without saying so in the response.
    keep_alive: bool = True

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(
                f"The load client speaks plain http://host:port, not {self.base_url!r}"
            )
        self.host = parts.hostname
        self.port = parts.port or 80
        self._connection: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: Body | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Send one request and read the whole response; see the module docstring for errors."""
        all_headers = dict(headers or {})
        if not self.keep_alive:
            all_headers["Connection"] = "close"
        if body is not None:
            all_headers["Content-Type"] = body.content_type
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self.host, self.port, timeout=self.timeout
            )
        connection = self._connection
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body.data if body else None, headers=all_headers)
            response = connection.getresponse()
            data = response.read()
        except TimeoutError as error:
            self.close()
            raise Hung(f"{method} {path}: no response within {self.timeout} s") from error
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise TransportError(f"{method} {path}: {type(error).__name__}: {error}") from error
        latency = time.perf_counter() - started
        if response.will_close or not self.keep_alive:
            self.close()
        self._keep_cookies(response.headers)
        return Reply(response.status, response.headers, data, latency)

    def _keep_cookies(self, headers: http.client.HTTPMessage) -> None:
        for line in headers.get_all("Set-Cookie") or ():
            jar: SimpleCookie = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
