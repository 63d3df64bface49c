"""The response: a status, headers and a body, and how it is handed to WSGI.

Werkzeug counterpart: ``werkzeug.wrappers.Response`` (which Flask subclasses).

The idea to take away: a WSGI response is three things given to the server in
a fixed order: ``start_response(status_line, header_list)``, then an iterable
of ``bytes`` for the body. ``Response`` is a convenient, checked way to build
those three things; ``__call__`` hands them over. Everything else here
(cookies, JSON, redirects) is a way to fill in headers and body correctly.

A body given as ``str`` or ``bytes`` is sent in one piece with a
``Content-Length``. A body given as any other iterable (a generator, say) is
*streamed*: the server sends each piece as it is produced, with no
``Content-Length``, so a large export never has to sit in memory.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from html import escape
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .datastructures import Headers, HeaderSet
from .globals import _context_var
from .http import dump_cookie
from .wire import URL_SAFE, has_control_character

if TYPE_CHECKING:
    from werkzeug.datastructures import ResponseCacheControl

#: The ways a status may be given: 404, HTTPStatus.NOT_FOUND, "404 NOT FOUND", "404".
StatusLike = int | str | HTTPStatus
HeadersLike = Headers | Mapping[str, Any] | Iterable[tuple[str, Any]]

# Text types get "; charset=utf-8" added to their Content-Type; a browser guessing the
# charset of a page is how mojibake (and some XSS tricks) happen.
_TEXT_MIMETYPES = {"application/javascript", "application/ecmascript", "application/xml"}


#: ``Response.max_cookie_size`` outside an app context (and ``MAX_COOKIE_SIZE``'s default).
DEFAULT_MAX_COOKIE_SIZE = 4093


def _header_set_property(name: str, doc: str) -> Any:
    """A property that reads header ``name`` as a ``HeaderSet`` and writes changes back."""

    def get(self: Response) -> HeaderSet:
        def write_back(names: HeaderSet) -> None:
            if names:
                self.headers[name] = names.to_header()
            else:
                self.headers.remove(name)

        return HeaderSet.from_header(self.headers.get(name), on_update=write_back)

    def set(self: Response, value: str | Iterable[str] | None) -> None:
        if not value:
            self.headers.remove(name)
        elif isinstance(value, str):
            self.headers[name] = value
        else:
            self.headers[name] = HeaderSet(value).to_header()

    return property(get, set, doc=doc)


_STANDARD_STATUS_LINES = {int(s): f"{int(s)} {s.phrase.upper()}" for s in HTTPStatus}


def _status_line(status: StatusLike) -> tuple[int, str]:
    """``(code, "code REASON")`` for any accepted way of giving a status."""
    if type(status) is int and status in _STANDARD_STATUS_LINES:  # the usual case, made cheap
        return status, _STANDARD_STATUS_LINES[status]
    if isinstance(status, int):  # HTTPStatus is an int too
        code, reason = int(status), None
    elif isinstance(status, str):
        code_text, _, reason = status.strip().partition(" ")
        if not code_text.isdigit():
            raise ValueError(f"Invalid status {status!r}: it must start with a number, e.g. '404'.")
        code = int(code_text)
    else:
        raise TypeError(f"Status must be an int, HTTPStatus or str, not {type(status).__name__}.")
    if not 100 <= code <= 999:
        raise ValueError(f"Invalid status code {code}: it must be between 100 and 999.")
    if not reason:
        try:
            reason = HTTPStatus(code).phrase.upper()
        except ValueError:
            reason = "UNKNOWN"
    elif has_control_character(reason) or not reason.isascii():
        # The reason phrase goes on the status line: a CR or LF would inject headers.
        raise ValueError(
            f"Invalid status {status!r}: the reason phrase may hold printable ASCII only."
        )
    return code, f"{code} {reason}"


def _encode(text: str) -> bytes:
    """``text`` as UTF-8. A lone surrogate (half of a pair, e.g. from a client's JSON
    ``"\\ud800"``) has no UTF-8 form: it is sent as U+FFFD, the replacement
    character, as browsers' encoders do, instead of failing the response."""
    try:
        return text.encode()
    except UnicodeEncodeError:
        # Through UTF-16: a pair split in two code points becomes its character again.
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").encode()


@functools.lru_cache(maxsize=64)
def _content_type(mimetype: str) -> str:
    if mimetype.startswith("text/") or mimetype in _TEXT_MIMETYPES or mimetype.endswith("+xml"):
        return f"{mimetype}; charset=utf-8"
    return mimetype


class Response:
    """An HTTP response.

    ``Response("Hello")`` is a ``200 OK`` ``text/html`` page;
    ``Response(b"...", 201, {"X-Id": "7"}, mimetype="application/pdf")`` sets it all.
    """

    default_mimetype = "text/html"

    # Defaults as class attributes, so the common response sets only what it changes.
    _status_code = 200
    _status = "200 OK"
    _on_close: tuple[Callable[[], Any], ...] = ()  # see call_on_close
    _headers: Headers | None = None
    _plain_headers: tuple[str, str] = ("", "")

    def __init__(
        self,
        response: str | bytes | bytearray | Iterable[str | bytes] | None = None,
        status: StatusLike | None = None,
        headers: HeadersLike | None = None,
        mimetype: str | None = None,
        content_type: str | None = None,
    ) -> None:
        if status is not None:
            self._status_code, self._status = _status_line(status)
        self.response: Iterable[str | bytes]
        if headers is None and content_type is None:
            content_type = _content_type(mimetype or self.default_mimetype)
            if type(response) is str or type(response) is bytes:
                # The common case, made cheap: a body in one piece, and only the
                # two header values this code derives from it. The ``Headers``
                # object is built if someone asks for ``headers``; most
                # responses go out without anyone asking.
                body = _encode(response) if type(response) is str else response
                self.response = [body]
                self._plain_headers = (content_type, str(len(body)))
                return
            # Built by this code and known to be valid: no checks needed.
            self._headers = Headers._trusted([("Content-Type", content_type)])
        else:
            self._set_headers(headers, mimetype, content_type)
        if response is None:
            self.response = []
        elif isinstance(response, str | bytes | bytearray):
            self.set_data(response)
        else:
            self.response = response

    @property
    def headers(self) -> Headers:
        """The headers, case-insensitive; change them in place or assign a new ``Headers``."""
        if self._headers is None:
            self._headers = Headers._trusted(self._plain_header_list())
        return self._headers

    @headers.setter
    def headers(self, value: Headers) -> None:
        self._headers = value

    def _plain_header_list(self) -> list[tuple[str, str]]:
        content_type, content_length = self._plain_headers
        return [("Content-Type", content_type), ("Content-Length", content_length)]

    def _set_headers(
        self, headers: HeadersLike | None, mimetype: str | None, content_type: str | None
    ) -> None:
        self.headers = headers if isinstance(headers, Headers) else Headers(headers)
        if content_type is None:
            if mimetype is None and "Content-Type" not in self.headers:
                mimetype = self.default_mimetype
            if mimetype is not None:
                content_type = _content_type(mimetype)
        if content_type is not None:
            self.headers["Content-Type"] = content_type

    # -- status -------------------------------------------------------------

    @property
    def status(self) -> str:
        """The status line, e.g. ``"404 NOT FOUND"``. Assign an int, HTTPStatus or str."""
        return self._status

    @status.setter
    def status(self, value: StatusLike) -> None:
        self._status_code, self._status = _status_line(value)

    @property
    def status_code(self) -> int:
        """The status as a number. Assign an int, HTTPStatus or str."""
        return self._status_code

    @status_code.setter
    def status_code(self, value: StatusLike) -> None:
        self._status_code, self._status = _status_line(value)

    # -- body ---------------------------------------------------------------

    @property
    def is_streamed(self) -> bool:
        """True when the body is an iterable of unknown length (sent as it is produced)."""
        return not isinstance(self.response, list | tuple)

    def set_data(self, value: str | bytes | bytearray) -> None:
        body = _encode(value) if isinstance(value, str) else bytes(value)
        self.response = [body]
        self.headers._set_checked("Content-Length", str(len(body)))

    def get_data(self, as_text: bool = False) -> Any:
        """The whole body. A streamed body is consumed and kept, so it can be read again."""
        chunks = [_encode(chunk) if isinstance(chunk, str) else chunk for chunk in self.response]
        self.response = chunks
        body = b"".join(chunks)
        return body.decode() if as_text else body

    data = property(get_data, set_data, doc="The body as bytes (reading it buffers a stream).")

    @property
    def text(self) -> str:
        return str(self.get_data(as_text=True))

    @property
    def mimetype(self) -> str | None:
        """The Content-Type without parameters, lower case."""
        content_type = self.headers.get("Content-Type")
        return content_type.split(";", 1)[0].strip().lower() if content_type else None

    @mimetype.setter
    def mimetype(self, value: str) -> None:
        self.headers["Content-Type"] = _content_type(value)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")

    @content_type.setter
    def content_type(self, value: str) -> None:
        self.headers["Content-Type"] = value

    @property
    def content_length(self) -> int | None:
        value = self.headers.get("Content-Length")
        return int(value) if value and value.isdigit() else None

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @property
    def cache_control(self) -> ResponseCacheControl:
        """The ``Cache-Control`` header as an object (Werkzeug's ``ResponseCacheControl``):
        ``response.cache_control.max_age`` reads it (seconds, or None),
        ``response.cache_control.no_store = True`` rewrites the header."""
        from werkzeug.datastructures import ResponseCacheControl
        from werkzeug.http import parse_cache_control_header

        def write(control: Any) -> None:  # Werkzeug types it as its private base class
            header = control.to_header()
            if header:
                self.headers["Cache-Control"] = header
            else:
                self.headers.pop("Cache-Control", None)

        return parse_cache_control_header(
            self.headers.get("Cache-Control"), on_update=write, cls=ResponseCacheControl
        )

    @property
    def allow(self) -> HeaderSet:
        """The ``Allow`` header as a set of methods (``{"GET", "HEAD"}``); adding to it or
        removing from it rewrites the header. A 405 and an automatic OPTIONS reply set it."""

        def write(methods: HeaderSet) -> None:
            if methods:
                self.headers["Allow"] = methods.to_header()
            else:
                self.headers.pop("Allow", None)

        return HeaderSet.from_header(self.headers.get("Allow"), on_update=write)

    @allow.setter
    def allow(self, methods: Iterable[str] | None) -> None:
        header = HeaderSet(methods or ()).to_header()
        if header:
            self.headers["Allow"] = header
        else:
            self.headers.pop("Allow", None)

    @property
    def is_json(self) -> bool:
        mimetype = self.mimetype or ""
        return mimetype == "application/json" or (
            mimetype.startswith("application/") and mimetype.endswith("+json")
        )

    def get_json(self, force: bool = False, silent: bool = False) -> Any:
        """The body parsed as JSON, or None when it is not JSON (unless ``force``)."""
        if not (force or self.is_json):
            return None
        from .json import loads

        try:
            return loads(self.get_data())
        except ValueError:
            if silent:
                return None
            raise

    @property
    def json(self) -> Any:
        return self.get_json()

    # -- headers that hold a set of names ------------------------------------

    vary = _header_set_property(
        "Vary",
        'The request headers the response depends on (``response.vary.add("Cookie")``), '
        "so that caches keep one copy per value of each.",
    )
    content_language = _header_set_property(
        "Content-Language", "The languages of the audience the body is meant for."
    )

    # -- cookies ------------------------------------------------------------

    @property
    def max_cookie_size(self) -> int:
        """Warn about a ``Set-Cookie`` header longer than this many bytes (0: never).

        The app's ``MAX_COOKIE_SIZE`` inside an app context, else 4093, the
        size every browser in use accepts.
        """
        ctx = _context_var.get(None)
        if ctx is None:
            return DEFAULT_MAX_COOKIE_SIZE
        return int(ctx.app.config["MAX_COOKIE_SIZE"])

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: int | timedelta | None = None,
        expires: datetime | int | float | str | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Add a ``Set-Cookie`` header; the arguments are ``http.dump_cookie``'s.

        Sessions set ``HttpOnly`` and ``SameSite=Lax`` by default: script on
        the page cannot read the cookie, and other sites cannot make the
        browser send it with a form post.
        """
        self.headers.add(
            "Set-Cookie",
            dump_cookie(
                key,
                value,
                max_age=max_age,
                expires=expires,
                path=path,
                domain=domain,
                secure=secure,
                httponly=httponly,
                max_size=self.max_cookie_size,
                samesite=samesite,
                partitioned=partitioned,
            ),
        )

    def delete_cookie(
        self,
        key: str,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Tell the browser to forget a cookie.

        Give the ``path`` and ``domain`` it was set with: a browser keeps
        cookies by name, domain and path, so a deletion for another path
        leaves the cookie in place.
        """
        self.set_cookie(
            key,
            max_age=0,
            expires=0,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
            partitioned=partitioned,
        )

    # -- conditional requests -----------------------------------------------

    def make_conditional(
        self, request_or_environ: Any, accept_ranges: bool | str = False
    ) -> Response:
        """Answer the request's preconditions and ``Range`` from this response's
        ``ETag`` and ``Last-Modified``; returns ``self``, changed in place.

        The rules are those the static files follow (``http.evaluate_preconditions``,
        RFC 9110 13.2.2): a failed ``If-Match``/``If-Unmodified-Since`` raises
        ``PreconditionFailed`` (412); a matching ``If-None-Match`` or an
        ``If-Modified-Since`` not older than ``Last-Modified`` turns this into
        an empty ``304``. With ``accept_ranges`` (``True`` or a unit name, sent
        as ``Accept-Ranges``) a body held in memory answers a byte range with
        ``206`` (``416`` past its end). A streamed body is never sliced.
        """
        from .exceptions import PreconditionFailed
        from .http import evaluate_preconditions, parse_http_date, requested_range

        environ = getattr(request_or_environ, "environ", request_or_environ)
        headers = self.headers
        etag = headers.get("ETag")
        status = evaluate_preconditions(
            environ, etag, parse_http_date(headers.get("Last-Modified"))
        )
        if status == 412:
            raise PreconditionFailed(
                "The resource does not match the request's If-Match or If-Unmodified-Since."
            )
        if status == 304:
            self.status_code = 304
            self.response = []
            headers.remove("Content-Length")
            return self
        if not accept_ranges or self.is_streamed or self._status_code != 200:
            return self
        headers["Accept-Ranges"] = "bytes" if accept_ranges is True else str(accept_ranges)
        if str(environ.get("REQUEST_METHOD", "GET")).upper() not in ("GET", "HEAD"):
            return self
        body = self.get_data()
        byte_range = requested_range(environ, len(body), etag, headers.get("Last-Modified"))
        if byte_range is not None:
            start, end = byte_range
            self.set_data(body[start:end])
            self.status_code = 206
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{len(body)}"
        return self

    # -- WSGI ---------------------------------------------------------------

    @classmethod
    def from_app(cls, app: Callable[..., Any], environ: dict[str, Any]) -> Response:
        """The response the WSGI application ``app`` gives to ``environ``, read whole.

        Werkzeug's method of this name. ``App.make_response`` uses it when a view
        returns a WSGI application (an ``HTTPException``, another framework's app).
        Raises ``TypeError`` if ``app`` does not behave as PEP 3333 asks.
        """
        started: list[Any] = []
        written: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            if exc_info is not None and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers]
            return written.append  # the legacy write() callable

        body = app(environ, start_response)
        try:
            chunks = [*written, *body]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        if not started:
            raise TypeError(f"{app!r} returned without calling start_response().")
        status, headers = started
        return cls(b"".join(chunks), status, headers)

    def call_on_close(self, function: Callable[[], Any]) -> Callable[[], Any]:
        """Run ``function`` once the server has finished sending the body."""
        self._on_close = (*self._on_close, function)
        return function

    def close(self) -> None:
        close = getattr(self.response, "close", None)
        try:
            if close is not None:
                close()
        finally:
            for function in self._on_close:
                function()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Hand status, headers and body to the WSGI server."""
        code = self._status_code
        if self._headers is None:  # nobody asked for them: build the list straight away
            headers = self._plain_header_list()
        else:
            headers = self._headers.to_wsgi_list()
            if type(self.response) is list and "Content-Length" not in self._headers:
                # A body in memory has a known length; without the header a server
                # sends it chunked (the automatic OPTIONS answer, an empty 201).
                length = sum(len(_encode(c) if isinstance(c, str) else c) for c in self.response)
                headers.append(("Content-Length", str(length)))
        if code in (204, 304) or code < 200:
            # No content, so nothing to describe either (RFC 9110 8.6, 15.2, 15.3.5).
            headers = [(k, v) for k, v in headers if k.lower() not in _NO_CONTENT_HEADERS]
        start_response(self._status, headers)
        if environ.get("REQUEST_METHOD") == "HEAD" or code in (204, 304) or code < 200:
            # Headers only. Closing now still runs a streamed body's cleanup.
            self.close()
            return []
        body = self.response
        if not self._on_close and type(body) is list and len(body) == 1 and type(body[0]) is bytes:
            return body  # type: ignore[return-value]  # the common case: exactly what WSGI wants
        return _BodyIterator(self)

    def __repr__(self) -> str:
        size = "streamed" if self.is_streamed else f"{sum(map(len, self.response))} bytes"
        return f"<{type(self).__name__} {size} [{self._status}]>"


_NO_CONTENT_HEADERS = {"content-type", "content-length"}


class _BodyIterator:
    """The body as PEP 3333 wants it: bytes chunks, and a ``close()`` the server calls."""

    def __init__(self, response: Response) -> None:
        self._response = response
        self._chunks: Iterator[str | bytes] = iter(response.response)

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        chunk = next(self._chunks)
        return _encode(chunk) if isinstance(chunk, str) else bytes(chunk)

    def close(self) -> None:
        self._response.close()


def redirect(location: str, code: int = 302, Response: type[Response] | None = None) -> Response:
    """A response that sends the client to ``location`` (302 by default).

    Use 303 after a form POST ("see the result over there, with GET"), and 307
    or 308 to make the client repeat the same method and body. Non-ASCII
    characters in the location are percent-encoded; a CR or LF is refused by
    the headers, so a user-supplied location cannot inject headers.

    Inside an app context, and without a ``Response`` class given, the app's
    ``redirect`` method builds it (an app can override that method).
    """
    if Response is None:
        from .globals import _context_var

        ctx = _context_var.get(None)
        if ctx is not None:
            return ctx.app.redirect(location, code)
        Response = _ResponseClass
    location = quote(location, safe=URL_SAFE)
    html_location = escape(location)
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        "<h1>Redirecting...</h1>\n"
        f'<p>You should be redirected to <a href="{html_location}">{html_location}</a>.</p>\n'
    )
    response = Response(body, code)
    response.headers["Location"] = location
    return response


#: ``redirect``'s default class (its parameter named ``Response`` hides the class).
_ResponseClass = Response
