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
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote

from .datastructures import Headers, HeaderSet
from .globals import _context_var
from .http import dump_cookie
from .wire import URL_SAFE, check_header_value, has_control_character

if TYPE_CHECKING:
    from werkzeug.datastructures import (
        ContentRange,
        ContentSecurityPolicy,
        ResponseCacheControl,
        WWWAuthenticate,
    )

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


def _text_header_property(name: str, doc: str) -> Any:
    """A property for header ``name`` as text; assigning ``None`` removes it."""

    def get(self: Response) -> str | None:
        return self.headers.get(name)

    def set(self: Response, value: Any) -> None:
        if value is None:
            self.headers.pop(name, None)
        else:
            self.headers[name] = str(value)

    return property(get, set, doc=doc)


def _date_header_property(name: str, doc: str) -> Any:
    """A property for header ``name`` as an aware UTC ``datetime`` (``None`` when absent
    or not a date); assign a ``datetime``, a ``date``, a Unix time or ``None``."""

    def get(self: Response) -> datetime | None:
        from .http import parse_http_date

        return parse_http_date(self.headers.get(name))

    def set(self: Response, value: Any) -> None:
        if value is None:
            self.headers.pop(name, None)
        elif isinstance(value, str):
            self.headers[name] = value
        else:
            from .http import http_date

            self.headers[name] = http_date(value)

    return property(get, set, doc=doc)


def _seconds(value: timedelta | int | float) -> int:
    return int(value.total_seconds() if isinstance(value, timedelta) else value)


def _werkzeug_header_object_property(name: str, doc: str, parse: Callable[..., Any]) -> Any:
    """A property for header ``name`` as one of Werkzeug's header objects, made by
    ``parse(value, on_update)``; changing the object rewrites the header, assigning
    the object or a string sets it, assigning ``None`` removes it."""

    def get(self: Response) -> Any:
        def write_back(value: Any) -> None:
            setattr(self, prop_name, value)

        return parse(self.headers.get(name), write_back)

    def set(self: Response, value: Any) -> None:
        header = value if value is None or isinstance(value, str) else value.to_header()
        if header:
            self.headers[name] = header
        else:
            self.headers.pop(name, None)

    prop_name = name.lower().replace("-", "_")
    return property(get, set, doc=doc)


def _parse_content_range(value: str | None, on_update: Callable[..., Any]) -> ContentRange:
    from werkzeug.datastructures import ContentRange
    from werkzeug.http import parse_content_range_header

    parsed = parse_content_range_header(value, on_update)
    return parsed if parsed is not None else ContentRange(None, None, None, on_update=on_update)


def _parse_csp(value: str | None, on_update: Callable[..., Any]) -> ContentSecurityPolicy:
    from werkzeug.datastructures import ContentSecurityPolicy
    from werkzeug.http import parse_csp_header

    return parse_csp_header(value, on_update, ContentSecurityPolicy)


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
    """The ``Content-Type`` for ``mimetype``: text types get ``; charset=utf-8``.

    Checked as every header value is (``ValueError`` for a CR, LF or other
    control character, or a character outside Latin-1): the constructor puts
    it in the headers without ``Headers``' own check, and ``mimetype`` may
    come from the request (``send_file(f, mimetype=request.args["type"])``).
    Cached, so a valid media type is checked once per process.
    """
    if mimetype.startswith("text/") or mimetype in _TEXT_MIMETYPES or mimetype.endswith("+xml"):
        return check_header_value("Content-Type", f"{mimetype}; charset=utf-8")
    return check_header_value("Content-Type", mimetype)


class Response:
    """An HTTP response.

    ``Response("Hello")`` is a ``200 OK`` ``text/html`` page;
    ``Response(b"...", 201, {"X-Id": "7"}, mimetype="application/pdf")`` sets it all.
    """

    default_mimetype = "text/html"

    # Defaults as class attributes, so the common response sets only what it changes.
    _passthrough = False  # see direct_passthrough
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
        direct_passthrough: bool = False,
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
            if direct_passthrough:
                self._passthrough = True

    @property
    def direct_passthrough(self) -> bool:
        """Hand the body iterable to the server as it is (Werkzeug's name), without
        the wrapper that encodes text chunks: for the server's ``wsgi.file_wrapper``
        (``werkzeug.wsgi.wrap_file``), which it sends with ``sendfile`` only when it
        gets that very object back. The iterable must then yield bytes. When
        ``call_on_close`` functions are registered the body is wrapped anyway, so
        that they run."""
        return self._passthrough

    @direct_passthrough.setter
    def direct_passthrough(self, value: bool) -> None:
        self._passthrough = bool(value)

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
        """Replace the body with ``value`` (text is encoded as UTF-8) and set
        ``Content-Length`` to its size in bytes.
        """
        body = _encode(value) if isinstance(value, str) else bytes(value)
        self._replace_body([body])
        self.headers._set_checked("Content-Length", str(len(body)))

    def get_data(self, as_text: bool = False) -> Any:
        """The whole body. A streamed body is consumed and kept, so it can be read again."""
        chunks = [_encode(chunk) if isinstance(chunk, str) else chunk for chunk in self.response]
        self._replace_body(chunks)
        body = b"".join(chunks)
        return body.decode() if as_text else body

    def _replace_body(self, body: list[bytes]) -> None:
        """Put ``body`` in place of the current one, whose ``close`` still runs at
        ``close()``.

        A streamed body may be a file or a generator whose ``finally`` ends a
        context (``stream_with_context``): PEP 3333 has the server close it once
        the response is done, and a body read into memory (or replaced) is still
        that body. Werkzeug keeps it the same way, through ``call_on_close``.
        """
        close = getattr(getattr(self, "response", None), "close", None)
        self.response = body
        if close is not None:
            self.call_on_close(close)

    data = property(get_data, set_data, doc="The body as bytes (reading it buffers a stream).")

    @property
    def text(self) -> str:
        """The whole body decoded from UTF-8 (reading it buffers a stream)."""
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
        """The ``Content-Type`` header as sent, parameters included; None when absent."""
        return self.headers.get("Content-Type")

    @content_type.setter
    def content_type(self, value: str) -> None:
        self.headers["Content-Type"] = value

    @property
    def content_length(self) -> int | None:
        """The ``Content-Length`` header in bytes; None when absent or not a number."""
        value = self.headers.get("Content-Length")
        return int(value) if value and value.isdigit() else None

    @property
    def location(self) -> str | None:
        """The ``Location`` header (a redirect's target), as sent."""
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

    # -- typed headers (Werkzeug's names; each reads and writes ``headers``) ----

    date = _date_header_property("Date", "When the response was made (``Date``).")
    expires = _date_header_property(
        "Expires", "When the response goes stale (``Expires``); ``Cache-Control`` wins."
    )
    last_modified = _date_header_property(
        "Last-Modified", "When the resource last changed (``Last-Modified``)."
    )
    content_encoding = _text_header_property(
        "Content-Encoding", "The coding applied to the body (``gzip``)."
    )
    content_location = _text_header_property(
        "Content-Location", "The URL of the representation sent."
    )
    content_md5 = _text_header_property("Content-MD5", "An MD5 digest of the body (obsolete).")
    accept_ranges = _text_header_property(
        "Accept-Ranges", "The range units the resource accepts (``bytes``)."
    )
    access_control_allow_origin = _text_header_property(
        "Access-Control-Allow-Origin", "CORS: the origin that may read the response (or ``*``)."
    )
    access_control_allow_headers = _header_set_property(
        "Access-Control-Allow-Headers", "CORS: the request headers a preflight allows."
    )
    access_control_allow_methods = _header_set_property(
        "Access-Control-Allow-Methods", "CORS: the methods a preflight allows."
    )
    access_control_expose_headers = _header_set_property(
        "Access-Control-Expose-Headers", "CORS: the response headers the page may read."
    )
    content_range = _werkzeug_header_object_property(
        "Content-Range",
        "The part of the body sent, as Werkzeug's ``ContentRange``.",
        _parse_content_range,
    )
    content_security_policy = _werkzeug_header_object_property(
        "Content-Security-Policy",
        "As Werkzeug's ``ContentSecurityPolicy`` (``csp.default_src = \"'self'\"``).",
        _parse_csp,
    )
    content_security_policy_report_only = _werkzeug_header_object_property(
        "Content-Security-Policy-Report-Only",
        "A policy that is reported on, not enforced; as ``content_security_policy``.",
        _parse_csp,
    )

    @property
    def mimetype_params(self) -> dict[str, str]:
        """The parameters of ``Content-Type`` (``{"charset": "utf-8"}``); changing the
        dict rewrites the header."""
        from werkzeug.datastructures import CallbackDict
        from werkzeug.http import dump_options_header

        from .http import parse_options_header

        def write_back(params: dict[str, str]) -> None:
            self.headers["Content-Type"] = dump_options_header(self.mimetype or "", params)

        _, params = parse_options_header(self.headers.get("Content-Type"))
        return CallbackDict(params, write_back)

    @property
    def age(self) -> timedelta | None:
        """How long the response has been in a cache (``Age``); assign seconds or a
        ``timedelta``."""
        value = self.headers.get("Age", "")
        return timedelta(seconds=int(value)) if value.isdigit() else None

    @age.setter
    def age(self, value: timedelta | int | None) -> None:
        if value is None:
            self.headers.pop("Age", None)
        else:
            self.headers["Age"] = str(_seconds(value))

    @property
    def retry_after(self) -> datetime | None:
        """When to try again (``Retry-After``), as an aware UTC ``datetime``; assign
        seconds, a ``timedelta`` or a ``datetime``."""
        value = self.headers.get("Retry-After", "")
        if value.isdigit():
            from datetime import UTC

            return datetime.now(UTC) + timedelta(seconds=int(value))
        from .http import parse_http_date

        return parse_http_date(value)

    @retry_after.setter
    def retry_after(self, value: datetime | timedelta | int | None) -> None:
        if value is None:
            self.headers.pop("Retry-After", None)
        elif isinstance(value, datetime):
            from .http import http_date

            self.headers["Retry-After"] = http_date(value)
        else:
            self.headers["Retry-After"] = str(_seconds(value))

    @property
    def access_control_allow_credentials(self) -> bool:
        """CORS: whether the page may read the response of a request with credentials."""
        return self.headers.get("Access-Control-Allow-Credentials") == "true"

    @access_control_allow_credentials.setter
    def access_control_allow_credentials(self, value: bool | None) -> None:
        if value:
            self.headers["Access-Control-Allow-Credentials"] = "true"
        else:
            self.headers.pop("Access-Control-Allow-Credentials", None)

    @property
    def access_control_max_age(self) -> int | None:
        """CORS: seconds a preflight's answer may be cached."""
        value = self.headers.get("Access-Control-Max-Age", "")
        return int(value) if value.isdigit() else None

    @access_control_max_age.setter
    def access_control_max_age(self, value: timedelta | int | None) -> None:
        if value is None:
            self.headers.pop("Access-Control-Max-Age", None)
        else:
            self.headers["Access-Control-Max-Age"] = str(_seconds(value))

    @property
    def www_authenticate(self) -> WWWAuthenticate:
        """The ``WWW-Authenticate`` challenge as Werkzeug's ``WWWAuthenticate`` (a Basic
        one when there is none); changing it, or assigning one, rewrites the header."""
        from werkzeug.datastructures import WWWAuthenticate

        challenge = WWWAuthenticate.from_header(self.headers.get("WWW-Authenticate"))
        if challenge is None:
            challenge = WWWAuthenticate("basic")

        def write_back(value: WWWAuthenticate) -> None:
            self.www_authenticate = value

        challenge._on_update = write_back  # how Werkzeug's own property hears of changes
        return challenge

    @www_authenticate.setter
    def www_authenticate(self, value: WWWAuthenticate | str | None) -> None:
        header = value if value is None or isinstance(value, str) else value.to_header()
        if header:
            self.headers["WWW-Authenticate"] = header
        else:
            self.headers.pop("WWW-Authenticate", None)

    # -- entity tags (RFC 9110 8.8.3) -------------------------------------------

    def get_etag(self) -> tuple[str, bool] | tuple[None, None]:
        """The ``ETag`` as ``(tag, weak)`` without its quotes, or ``(None, None)``."""
        value = (self.headers.get("ETag") or "").strip()
        if not value:
            return None, None
        weak = value.startswith(("W/", "w/"))
        if weak:
            value = value[2:]
        if value[:1] == value[-1:] == '"' and len(value) >= 2:
            value = value[1:-1]
        return value, weak

    def set_etag(self, etag: str, weak: bool = False) -> None:
        """Set the ``ETag`` to ``etag`` (quoted here; ``W/`` in front when ``weak``)."""
        if '"' in etag:
            raise ValueError(f"An entity tag cannot contain a double quote: {etag!r}.")
        self.headers["ETag"] = f'{"W/" if weak else ""}"{etag}"'

    def add_etag(self, overwrite: bool = False, weak: bool = False) -> None:
        """Set an ``ETag`` from a hash of the body (read whole), unless one is set and
        ``overwrite`` is false."""
        if overwrite or "ETag" not in self.headers:
            import hashlib

            self.set_etag(hashlib.sha1(self.get_data(), usedforsecurity=False).hexdigest(), weak)

    # -- the body as Werkzeug's response exposes it --------------------------------

    #: The status a response gets when none is given.
    default_status = 200

    @property
    def is_sequence(self) -> bool:
        """True when the body is held in memory (a list or tuple), not streamed."""
        return not self.is_streamed

    def make_sequence(self) -> None:
        """Read a streamed body into memory (it is then sent in one piece)."""
        self.get_data()

    def iter_encoded(self) -> Iterator[bytes]:
        """The body's pieces as bytes."""
        for chunk in self.response:
            yield _encode(chunk) if isinstance(chunk, str) else chunk

    def calculate_content_length(self) -> int | None:
        """The body's length in bytes, or ``None`` for a streamed body."""
        if self.is_streamed:
            return None
        return sum(len(chunk) for chunk in self.iter_encoded())

    def freeze(self) -> None:
        """Read the body into memory and set ``Content-Length``, so the response can be
        kept and sent again (a cache does this)."""
        self.set_data(self.get_data())

    @property
    def is_json(self) -> bool:
        """Whether the mimetype is ``application/json`` or ``application/*+json`` (RFC 6839)."""
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
        """The body parsed as JSON (``get_json()``); None when the mimetype is not JSON."""
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
            self._replace_body([])
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

    @classmethod
    def force_type(cls, response: Any, environ: dict[str, Any] | None = None) -> Response:
        """``response`` as an instance of this class: a ``Response`` of ours changes its
        class in place (as Werkzeug's does); any other WSGI application, another
        framework's response included, is called with ``environ`` and read whole."""
        if isinstance(response, Response):
            if not isinstance(response, cls):
                response.__class__ = cls
            return response
        if environ is None:
            raise TypeError(
                "Cannot convert a WSGI application into a response object without an "
                "environ: pass force_type(response, request.environ)."
            )
        return cls.from_app(response, environ)

    def get_wsgi_headers(self, environ: dict[str, Any]) -> Headers:
        """The headers that would be sent to ``environ`` (a copy)."""
        return self.headers.copy()

    def get_app_iter(self, environ: dict[str, Any]) -> Iterable[bytes]:
        """The body that would be sent to ``environ``: none for ``HEAD``, 1xx, 204, 304."""
        code = self._status_code
        if environ.get("REQUEST_METHOD") == "HEAD" or code in (204, 304) or code < 200:
            return ()
        return self.iter_encoded()

    def get_wsgi_response(
        self, environ: dict[str, Any]
    ) -> tuple[Iterable[bytes], str, list[tuple[str, str]]]:
        """``(body, status line, header list)`` as the server would get them."""
        return self.get_app_iter(environ), self._status, self.get_wsgi_headers(environ).items()

    def call_on_close(self, function: Callable[[], Any]) -> Callable[[], Any]:
        """Run ``function`` once the server has finished sending the body."""
        self._on_close = (*self._on_close, function)
        return function

    def close(self) -> None:
        """Close the body iterable and run the ``call_on_close`` functions; a WSGI
        server calls this once the body is sent (PEP 3333). The functions run even
        when closing the body raised.
        """
        close = getattr(self.response, "close", None)
        try:
            if close is not None:
                close()
        finally:
            for function in self._on_close:
                function()

    def __enter__(self) -> Self:
        """``with client.get(url, buffered=False) as response:`` closes it at the end."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

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
        if self._passthrough and not self._on_close:
            return body  # type: ignore[return-value]  # the server's file wrapper, say
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
