"""The request: a lazy, read-only view of the WSGI environ.

Werkzeug counterpart: ``werkzeug.wrappers.Request`` (with
``werkzeug.sansio.request.Request``), which Flask subclasses as
``flask.Request``.

The idea to take away: a WSGI request is just a dict (the *environ*: CGI-style
keys such as ``PATH_INFO`` and ``QUERY_STRING``, plus ``wsgi.input``, a file
holding the body). ``Request`` turns those strings and bytes into convenient
values, and does each piece of work only when it is first asked for, then
keeps the result. A view that reads nothing costs nothing: building a
``Request`` stores the environ and a few limits, and no header, query string
or body is parsed until some code touches it.

Decisions that differ from Flask/Werkzeug, on purpose:

- **Strict decoding.** A path or query string that is not valid UTF-8, or has
  a malformed percent-escape (``%zz``, a lone ``%4``), is a 400 Bad Request.
  Werkzeug replaces such bytes with U+FFFD or keeps the escape as text, so the
  view silently sees something the client did not send.
- ``full_path`` has no trailing ``?`` when the query string is empty
  (Flask gives ``"/page?"``).
- A missing header (``request.headers['X-Token']``) answers 400, like a
  missing form field; Flask lets it become a 500.
- The body is read defensively: never past ``Content-Length`` (reading further
  blocks on a real server), a body that ends early is a 400 instead of a hang,
  and an unreadable ``Content-Length`` is a 400 instead of "no body".
- An encoded slash (``%2F``) inside a path segment stays distinguishable from a
  separator when the server tells us the raw request line; see ``routing_path``.
"""

from __future__ import annotations

import io
import json as _json
import re
from datetime import datetime
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Self
from urllib.parse import quote, unquote_to_bytes

from .config import DEFAULT_CONFIG
from .datastructures import EnvironHeaders, HeaderSet, ImmutableMultiDict, MIMEAccept
from .exceptions import (
    BadRequest,
    HTTPException,
    LengthRequired,
    RequestEntityTooLarge,
    SecurityError,
    UnsupportedMediaType,
)
from .formparser import (
    FORM_MIMETYPES,
    URLENCODED,
    decode_urlencoded,
    parse_form_data,
    parse_urlencoded_form,
)
from .globals import _context_var
from .http import parse_accept, parse_cookie, parse_http_date, parse_options_header
from .json import loads  # the app's JSON provider, as Flask uses
from .wire import (
    CHUNK_SIZE,
    HOST_RE,
    PATH_SAFE,
    check_percent_escapes,
    display_text,
    host_is_trusted,
    quote_query_bytes,
    split_host,
)

if TYPE_CHECKING:
    from werkzeug.datastructures import (
        Accept,
        Authorization,
        CharsetAccept,
        ETags,
        IfRange,
        LanguageAccept,
        Range,
        RequestCacheControl,
    )

_MISSING: Any = object()
_EMPTY = ImmutableMultiDict()  # shared by every request that has no such data: it is read-only
_FROM_CONFIG: Any = object()  # a limit nobody set on the request: the app's config decides


class cached_property:  # named like the functools original it replaces
    """Compute an attribute on first access and store it on the instance.

    ``functools.cached_property`` does the same but, on Python 3.11, takes a
    lock on every first access: a measurable cost when every request touches
    a few such attributes. A request object belongs to one thread, so no lock
    is needed. After the first access the value sits in the instance's
    ``__dict__`` and this descriptor is no longer consulted.
    """

    def __init__(self, func: Any) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


_READ_CHUNK_SIZE = CHUNK_SIZE
_DEFAULT_PORTS = {("http", "80"), ("https", "443"), ("ws", "80"), ("wss", "443")}
# "scheme://authority" at the start of an absolute-form request target.
_ABSOLUTE_FORM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://[^/]*")
_PERCENT_ESCAPE_RE = re.compile(rb"%([0-9A-Fa-f]{2})")


def _wsgi_bytes(value: str) -> bytes:
    """The bytes a PEP 3333 server meant: it hands them over as Latin-1 text.

    A character above U+00FF cannot come from such a server; it means a test
    harness put already-decoded text in the environ, so that text is kept.
    """
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def _decode_utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(
            f"The {what} is not valid UTF-8: {raw[:80]!r}. URLs carry text as UTF-8 "
            "bytes, percent-encoded (e.g. 'é' is %C3%A9); the client sent other bytes."
        ) from None


def _read_raw(raw: IO[bytes], size: int) -> bytes:
    """At most ``size`` bytes from ``wsgi.input``; a failing read is the client's 400."""
    try:
        return raw.read(size)[:size]
    except OSError as error:
        raise BadRequest(
            f"Reading the request body failed ({error}); the client probably disconnected."
        ) from error


def _read_exactly(raw: IO[bytes], length: int) -> bytes:
    """``length`` bytes from ``wsgi.input``; a body that ends sooner is a 400."""
    body = _read_raw(raw, length)
    if len(body) == length:  # the usual case: one read
        return body
    chunks, received = [body], len(body)
    while received < length and (chunk := _read_raw(raw, length - received)):
        chunks.append(chunk)
        received += len(chunk)
    if received < length:
        raise _body_ended_early(received, length)
    return b"".join(chunks)


def _body_ended_early(received: int, length: int) -> BadRequest:
    return BadRequest(
        f"The request body ended after {received} bytes, but its Content-Length "
        f"announced {length}. The client disconnected, or sent a wrong Content-Length."
    )


def _undecoded_body() -> LengthRequired:
    """411 for a body framed by ``Transfer-Encoding`` (chunked) that the server passed on
    undecoded: no ``Content-Length`` and no ``wsgi.input_terminated`` (PEP 3333 then
    gives the app no way to find the body's end; uWSGI's ``http-socket`` does this).
    Reading it as empty would lose what the client sent without a word (RFC 9110,
    15.5.12: 411 asks for a ``Content-Length``)."""
    return LengthRequired(
        "The request body was sent with Transfer-Encoding (chunked), which this server "
        "does not decode for the application. Send the body with a Content-Length header."
    )


def _refuse_too_large(length: int | None, limit: int | None) -> None:
    """413 for a body whose announced length is over ``MAX_CONTENT_LENGTH``, before reading."""
    if length is not None and limit is not None and length > limit:
        raise RequestEntityTooLarge(
            f"The request body is {length} bytes; this application accepts at most "
            f"{limit} (MAX_CONTENT_LENGTH)."
        )


class _BodyStream(io.RawIOBase):
    """``wsgi.input`` limited to the body, so reading can never block past its end.

    With a known ``length`` it hands out at most that many bytes, and raises
    ``BadRequest`` if the input ends sooner (the client disconnected or lied
    about the length). With ``length=None`` (a chunked body the server has
    marked ``wsgi.input_terminated``) it reads to the end, raising
    ``RequestEntityTooLarge`` as soon as more than ``max_length`` bytes came.
    Each read fills the requested size unless the body ends first.
    """

    def __init__(self, raw: IO[bytes], length: int | None, max_length: int | None) -> None:
        super().__init__()
        self._raw = raw
        self._length = length
        self._max_length = max_length
        self._received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        wanted = len(view)
        if self._length is not None:
            wanted = min(wanted, self._length - self._received)
        elif self._max_length is not None:
            # One byte more than allowed is enough to know the body is too large.
            wanted = min(wanted, self._max_length - self._received + 1)
        filled = 0
        while filled < wanted:
            chunk = _read_raw(self._raw, wanted - filled)
            if not chunk:
                break
            view[filled : filled + len(chunk)] = chunk
            filled += len(chunk)
        self._received += filled
        if filled < wanted and self._length is not None:
            raise _body_ended_early(self._received, self._length)
        if self._max_length is not None and self._received > self._max_length:
            raise RequestEntityTooLarge(
                f"The request body is larger than the {self._max_length} bytes this "
                "application accepts (MAX_CONTENT_LENGTH)."
            )
        return filled

    def readall(self) -> bytes:
        # Read in chunks: allocating Content-Length bytes up front would let a
        # client that announces 10 GB and sends nothing exhaust our memory.
        chunks = []
        while chunk := self.read(_READ_CHUNK_SIZE):
            chunks.append(chunk)
        return b"".join(chunks)


class UserAgent(str):
    """The ``User-Agent`` header's text. It is a ``str``; ``.string`` is the same text,
    the name Werkzeug's ``UserAgent`` object gives it. No guessing of browser or
    platform from it is offered (Werkzeug stopped too: the header cannot be trusted)."""

    @property
    def string(self) -> str:
        """The ``User-Agent`` header as sent (``""`` when absent), Werkzeug's attribute name."""
        return str(self)


class Request:
    """The incoming request, parsed lazily from the WSGI ``environ``.

    After matching, the app sets ``url_rule``, ``view_args`` and, when matching
    failed, ``routing_exception``.
    """

    # Defaults as class attributes: the constructor stores only the environ,
    # and an attribute becomes the instance's own when it is first assigned.
    url_rule: Any = None
    view_args: dict[str, Any] | None = None
    routing_exception: HTTPException | None = None
    #: The query parameters and body checked against the operation's schemas, converted
    #: (see ``validation.py``); ``None`` when the view declares none.
    validated_args: dict[str, Any] | None = None
    validated_body: Any = None
    #: Host names ``host`` accepts (``".example.com"``: it and its subdomains);
    #: ``None`` accepts any. The app sets it from ``TRUSTED_HOSTS``.
    trusted_hosts: list[str] | None = None
    _cached_data: bytes | None = None
    _form: ImmutableMultiDict | None = None
    _files: ImmutableMultiDict | None = None
    _form_error: HTTPException | None = None
    _json: Any = _MISSING
    _body_read = False  # read in one piece by _read_small_body
    _path: str | None = None
    _max_content_length: int | None = _FROM_CONFIG
    _max_form_memory_size: int | None = _FROM_CONFIG
    _max_form_parts: int | None = _FROM_CONFIG

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        #: ``"GET"``, ``"POST"``, ... in upper case. Set here: every request is routed by it.
        self.method: str = environ.get("REQUEST_METHOD", "GET").upper()

    @classmethod
    def from_values(cls, *args: Any, **kwargs: Any) -> Self:
        """A request made from the arguments of ``testing.EnvironBuilder`` (path first),
        without an app: Werkzeug's helper for testing code that takes a request.

            request = Request.from_values("/search?q=kim", method="POST", data={"page": "2"})

        Limits that come from the app's config (``MAX_CONTENT_LENGTH``, ...) apply
        only inside an app context, as for any request.
        """
        from .testing import EnvironBuilder

        builder = EnvironBuilder(None, *args, **kwargs)
        try:
            return cls(builder.get_environ())
        finally:
            builder.close()

    # -- limits ---------------------------------------------------------------
    # As in Flask, each limit is read from the running app's config when the
    # body is read (so building a Request costs nothing for them), and can be
    # overridden for one request by assigning it, e.g. in a before_request hook
    # that allows a larger upload on one route. ``None`` means no limit.

    @property
    def max_content_length(self) -> int | None:
        """The largest body accepted, in bytes; a larger one is a 413.
        Default: the app's ``MAX_CONTENT_LENGTH`` (no limit)."""
        return _limit(self._max_content_length, "MAX_CONTENT_LENGTH")

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        """The most bytes of form fields kept in memory (files excepted); more is a 413.
        Default: the app's ``MAX_FORM_MEMORY_SIZE`` (500,000)."""
        return _limit(self._max_form_memory_size, "MAX_FORM_MEMORY_SIZE")

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value

    @property
    def max_form_parts(self) -> int | None:
        """The most parts a multipart form may have; more is a 413.
        Default: the app's ``MAX_FORM_PARTS`` (1,000)."""
        return _limit(self._max_form_parts, "MAX_FORM_PARTS")

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self._max_form_parts = value

    # -- the URL --------------------------------------------------------------

    @cached_property
    def script_root(self) -> str:
        """Where the app is mounted (``SCRIPT_NAME``, e.g. ``"/prefix"``), without a
        trailing slash; ``""`` at the root."""
        raw = _wsgi_bytes(self.environ.get("SCRIPT_NAME", ""))
        return _decode_utf8(raw, "mount path (SCRIPT_NAME)").rstrip("/")

    # Cached by hand in _path rather than with cached_property: every request
    # reads it (for routing), and this costs about half as much the first time.
    @property
    def path(self) -> str:
        """The path inside the app (``PATH_INFO``), decoded: ``"/user/josé"``.

        It always starts with exactly one ``/``: an empty path is ``"/"``, and
        leading slashes are collapsed (as in Werkzeug), so ``//evil.example``
        can never reach a redirect as a scheme-relative URL.
        """
        if self._path is None:
            path_info = self.environ.get("PATH_INFO", "")
            if not path_info.isascii():  # ASCII is the same in Latin-1 and UTF-8
                path_info = _decode_utf8(_wsgi_bytes(path_info), "path")
            self._path = "/" + path_info.lstrip("/")
        return self._path

    @property  # not cached: the router reads it once, and a cached_property costs more
    def routing_path(self) -> str:
        """The path the router matches: ``path``, except that an encoded ``/`` stays encoded.

        The server decodes ``%2F`` in ``PATH_INFO``, so ``/user/a%2Fb`` and
        ``/user/a/b`` look the same there, and ``/user/<name>`` could never
        receive a name containing ``/``. Many servers also pass the request
        target as sent, in ``REQUEST_URI`` (uWSGI, Apache) or ``RAW_URI``
        (Gunicorn). When it is present *and* decodes to exactly
        ``SCRIPT_NAME + PATH_INFO`` (if not, a middleware rewrote the path, and
        the environ wins), the path is taken from it instead: every escape is
        decoded except ``%2F`` and ``%25``, which stay as ``%2F`` and ``%25``.
        The router decodes those two inside the values it captures, so
        ``/user/a%2Fb`` matches ``/user/<name>`` with ``name == "a/b"``.
        (``%25`` must stay too: otherwise a literal ``%2F`` sent as ``%252F``
        would turn into an encoded slash.)

        Without a raw request target this is ``path``. A malformed escape in
        the raw target is a 400.
        """
        raw_target = self.environ.get("REQUEST_URI") or self.environ.get("RAW_URI")
        if not raw_target or "%" not in raw_target:  # nothing encoded, or no raw target known
            return self._decoded_path_for_router()
        raw_path = _ABSOLUTE_FORM_RE.sub("", raw_target.partition("?")[0]) or "/"
        if not raw_path.startswith("/"):
            return self._decoded_path_for_router()  # "*" (OPTIONS *), or not understood
        raw_bytes = _wsgi_bytes(raw_path)
        script_name = _wsgi_bytes(self.environ.get("SCRIPT_NAME", ""))
        path_info = _wsgi_bytes(self.environ.get("PATH_INFO", ""))
        if unquote_to_bytes(raw_bytes) != script_name + path_info:
            return self._decoded_path_for_router()
        check_percent_escapes(raw_bytes, "path")
        raw_app_path = _strip_raw_prefix(raw_bytes, script_name)
        if raw_app_path is None:
            return self._decoded_path_for_router()
        decoded = _PERCENT_ESCAPE_RE.sub(_decode_escape_except_slash, raw_app_path)
        return "/" + _decode_utf8(decoded, "path").lstrip("/")

    def _decoded_path_for_router(self) -> str:
        """``path`` in the router's convention, where a literal ``%`` is written ``%25``."""
        path = self.path
        return path.replace("%", "%25") if "%" in path else path

    @cached_property
    def query_string(self) -> bytes:
        """The raw query string, as bytes, without the ``?``."""
        return _wsgi_bytes(self.environ.get("QUERY_STRING", ""))

    @cached_property
    def full_path(self) -> str:
        """``path`` plus ``?`` and the query string when there is one: ``"/search?q=é"``.

        The query is decoded as UTF-8 (its percent-escapes stay as sent, as in
        Flask); bytes that are not UTF-8 are a 400, as for ``args``. Unlike
        Flask, no lone ``?`` is added when the query string is empty.
        """
        query = self.query_string
        if not query:
            return self.path
        text = query.decode("ascii") if query.isascii() else _decode_utf8(query, "query string")
        return f"{self.path}?{text}"

    @cached_property
    def scheme(self) -> str:
        """``"http"`` or ``"https"``, as the server saw the connection.

        Behind a proxy that terminates TLS this is ``"http"`` unless a
        middleware (like Werkzeug's ``ProxyFix``) rewrites the environ.
        """
        return str(self.environ.get("wsgi.url_scheme", "http"))

    @property
    def is_secure(self) -> bool:
        """Whether the request came over TLS: ``scheme`` is ``https`` or ``wss``."""
        return self.scheme in ("https", "wss")

    @cached_property
    def host(self) -> str:
        """The host the client asked for (``Host`` header, else the server's name), with
        the port unless it is the default one for the scheme. An invalid host is a 400."""
        host = self.environ.get("HTTP_HOST")
        if not host:
            host = f"{self.environ.get('SERVER_NAME', '')}:{self.environ.get('SERVER_PORT', '')}"
        if not HOST_RE.fullmatch(host):
            raise BadRequest(
                f"The Host header {host[:80]!r} is not a valid host name: it may hold "
                "letters, digits, '.', '-', an [IPv6] address and a ':port'."
            )
        if self.trusted_hosts is not None and not host_is_trusted(host, self.trusted_hosts):
            raise SecurityError(
                f"The host {host[:80]!r} is not one this application serves (TRUSTED_HOSTS)."
            )
        name, port = split_host(host)
        if host.endswith(":") or (port and (self.scheme, port) in _DEFAULT_PORTS):
            return name
        return host

    @cached_property
    def host_url(self) -> str:
        """``"https://example.com/"``"""
        return f"{self.scheme}://{self.host}/"

    @cached_property
    def url_root(self) -> str:
        """Where the app is mounted, as a full URL: ``"https://example.com/prefix/"``."""
        return f"{self.scheme}://{self.host}{quote(self.script_root, safe=PATH_SAFE)}/"

    @cached_property
    def base_url(self) -> str:
        """The full URL without the query string, percent-encoded."""
        path = quote(self.script_root + self.path, safe=PATH_SAFE)
        return f"{self.scheme}://{self.host}{path}"

    @cached_property
    def url(self) -> str:
        """The full URL, percent-encoded: ``"https://example.com/prefix/search?q=a%20b"``."""
        if not self.query_string:
            return self.base_url
        return f"{self.base_url}?{quote_query_bytes(self.query_string)}"

    @property
    def root_path(self) -> str:
        """Werkzeug's name for ``script_root``: where the app is mounted."""
        return self.script_root

    @property
    def root_url(self) -> str:
        """Werkzeug's name for ``url_root``: ``"https://example.com/prefix/"``."""
        return self.url_root

    @property
    def server(self) -> tuple[str, int | None] | None:
        """The server's address from ``SERVER_NAME`` and ``SERVER_PORT``: ``("0.0.0.0",
        8000)``; ``None`` when the server gave none."""
        name = self.environ.get("SERVER_NAME")
        if not name:
            return None
        port = str(self.environ.get("SERVER_PORT", ""))
        return name, int(port) if port.isdigit() else None

    @property
    def remote_addr(self) -> str | None:
        """The client's address as the server saw it (a proxy's, behind one)."""
        return self.environ.get("REMOTE_ADDR")

    @property
    def remote_user(self) -> str | None:
        """The user the server authenticated (``REMOTE_USER``), if it did."""
        return self.environ.get("REMOTE_USER")

    @property
    def access_route(self) -> list[str]:
        """The addresses the request came through, client first: ``X-Forwarded-For``'s
        list as the client and proxies wrote it (anyone can write it: trust it only
        behind a proxy that sets it, see ``ProxyFix``), else ``[remote_addr]``."""
        forwarded = self.environ.get("HTTP_X_FORWARDED_FOR")
        if forwarded:
            return [part.strip() for part in forwarded.split(",") if part.strip()]
        remote = self.remote_addr
        return [remote] if remote else []

    @cached_property
    def args(self) -> ImmutableMultiDict:
        """The query string's parameters: ``?tag=a&tag=b&q=`` gives ``tag`` twice and
        ``q`` as ``""``. ``+`` is a space. Malformed escapes or non-UTF-8 bytes: 400."""
        if not self.query_string:
            return _EMPTY
        return ImmutableMultiDict(decode_urlencoded(self.query_string, "query string"))

    # -- routing results ------------------------------------------------------

    @property
    def endpoint(self) -> str | None:
        """The endpoint of the matched rule, or ``None`` before or without a match."""
        return self.url_rule.endpoint if self.url_rule is not None else None

    @property
    def blueprint(self) -> str | None:
        """The blueprint part of ``endpoint`` (``"admin"`` for ``"admin.index"``), if any."""
        endpoint = self.endpoint
        if endpoint is None or "." not in endpoint:
            return None
        return endpoint.rpartition(".")[0]

    @property
    def blueprints(self) -> list[str]:
        """The blueprint of the matched endpoint and its parents, innermost first:
        ``["shop.admin", "shop"]`` for ``"shop.admin.index"``; ``[]`` without one."""
        name = self.blueprint
        if name is None:
            return []
        parts = name.split(".")
        return [".".join(parts[:end]) for end in range(len(parts), 0, -1)]

    # -- headers --------------------------------------------------------------

    @cached_property
    def headers(self) -> EnvironHeaders:
        """The request headers, case-insensitive; a missing one read with ``[]`` is a 400."""
        return EnvironHeaders(self.environ)

    @cached_property
    def cookies(self) -> ImmutableMultiDict:
        """The cookies the client sent."""
        return parse_cookie(self.environ.get("HTTP_COOKIE"))

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header as sent, or ``None``."""
        return self.environ.get("CONTENT_TYPE") or None

    @cached_property
    def _parsed_content_type(self) -> tuple[str, dict[str, str]]:
        return parse_options_header(self.content_type)

    @property
    def mimetype(self) -> str:
        """The media type without parameters, lower case: ``"application/json"``; ``""``
        if there is none."""
        content_type = self.environ.get("CONTENT_TYPE")
        if content_type and ";" not in content_type:  # no parameters: nothing to parse
            return content_type.strip().lower()
        return self._parsed_content_type[0].lower()

    @property
    def mimetype_params(self) -> dict[str, str]:
        """The ``Content-Type`` parameters: ``{"charset": "utf-8"}``."""
        return dict(self._parsed_content_type[1])

    @property  # not cached: computing it is cheaper than a cached_property's first access
    def content_length(self) -> int | None:
        """The ``Content-Length`` as an int, or ``None`` when absent; garbage is a 400."""
        value = self.environ.get("CONTENT_LENGTH")
        if value is None:
            return None
        if type(value) is str and len(value) < 19 and value.isdigit() and value.isascii():
            return int(value)  # the usual "348"
        value = str(value).strip()
        if not value:
            return None
        if not (value.isascii() and value.isdigit()):
            raise BadRequest(
                f"The Content-Length header {value[:40]!r} is not a number of bytes: "
                "it must be a non-negative whole number such as '348'."
            )
        digits = value.lstrip("0") or "0"
        if len(digits) > 18:  # int() of thousands of digits is slow, then refused
            raise RequestEntityTooLarge(
                f"The Content-Length header announces a body of {len(digits)} digits of "
                "bytes, more than any server accepts."
            )
        return int(digits)

    @property
    def user_agent(self) -> UserAgent:
        """The ``User-Agent`` header: a string (``""`` when absent), with Werkzeug's
        ``.string`` for code written against Flask."""
        return UserAgent(self.environ.get("HTTP_USER_AGENT", ""))

    @property
    def referrer(self) -> str | None:
        """The ``Referer`` header (sic, the HTTP spelling), or ``None``."""
        return self.environ.get("HTTP_REFERER")

    @cached_property
    def accept_mimetypes(self) -> MIMEAccept:
        """The ``Accept`` header, best first; ``"application/json" in accept_mimetypes``."""
        return parse_accept(self.environ.get("HTTP_ACCEPT"))

    # Werkzeug's typed headers, parsed by Werkzeug (imported on first use) into its
    # own objects, so that code written for Flask gets exactly the objects it knows.

    @cached_property
    def accept_languages(self) -> LanguageAccept:
        """``Accept-Language``: ``request.accept_languages.best_match(["en", "fr"])``."""
        from werkzeug.datastructures import LanguageAccept
        from werkzeug.http import parse_accept_header

        return parse_accept_header(self.environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)

    @cached_property
    def accept_charsets(self) -> CharsetAccept:
        """``Accept-Charset`` as Werkzeug's ``CharsetAccept``."""
        from werkzeug.datastructures import CharsetAccept
        from werkzeug.http import parse_accept_header

        return parse_accept_header(self.environ.get("HTTP_ACCEPT_CHARSET"), CharsetAccept)

    @cached_property
    def accept_encodings(self) -> Accept:
        """``Accept-Encoding`` (``"gzip" in request.accept_encodings``)."""
        from werkzeug.http import parse_accept_header

        return parse_accept_header(self.environ.get("HTTP_ACCEPT_ENCODING"))

    @cached_property
    def authorization(self) -> Authorization | None:
        """The ``Authorization`` header as Werkzeug's ``Authorization``:
        ``.type`` (``"basic"``, ``"bearer"``), ``.username`` and ``.password`` for
        Basic, ``.token`` for a token scheme; ``None`` when absent or unreadable."""
        from werkzeug.datastructures import Authorization

        return Authorization.from_header(self.environ.get("HTTP_AUTHORIZATION"))

    @cached_property
    def cache_control(self) -> RequestCacheControl:
        """The request's ``Cache-Control`` (``request.cache_control.no_cache``)."""
        from werkzeug.datastructures import RequestCacheControl
        from werkzeug.http import parse_cache_control_header

        return parse_cache_control_header(
            self.environ.get("HTTP_CACHE_CONTROL"), None, RequestCacheControl
        )

    @cached_property
    def if_match(self) -> ETags:
        """``If-Match`` as Werkzeug's ``ETags`` (``"v1" in request.if_match``)."""
        from werkzeug.http import parse_etags

        return parse_etags(self.environ.get("HTTP_IF_MATCH"))

    @cached_property
    def if_none_match(self) -> ETags:
        """``If-None-Match`` as Werkzeug's ``ETags``."""
        from werkzeug.http import parse_etags

        return parse_etags(self.environ.get("HTTP_IF_NONE_MATCH"))

    @cached_property
    def if_range(self) -> IfRange:
        """``If-Range`` as Werkzeug's ``IfRange`` (an entity tag or a date)."""
        from werkzeug.http import parse_if_range_header

        return parse_if_range_header(self.environ.get("HTTP_IF_RANGE"))

    @cached_property
    def range(self) -> Range | None:
        """``Range`` as Werkzeug's ``Range``; ``None`` when absent or unreadable."""
        from werkzeug.http import parse_range_header

        return parse_range_header(self.environ.get("HTTP_RANGE"))

    @property
    def if_modified_since(self) -> datetime | None:
        """``If-Modified-Since`` as an aware UTC ``datetime``; ``None`` if absent or bad."""
        return parse_http_date(self.environ.get("HTTP_IF_MODIFIED_SINCE"))

    @property
    def if_unmodified_since(self) -> datetime | None:
        """``If-Unmodified-Since`` as an aware UTC ``datetime``."""
        return parse_http_date(self.environ.get("HTTP_IF_UNMODIFIED_SINCE"))

    @property
    def date(self) -> datetime | None:
        """The request's ``Date`` as an aware UTC ``datetime``."""
        return parse_http_date(self.environ.get("HTTP_DATE"))

    @property
    def origin(self) -> str | None:
        """The ``Origin`` of a cross-site (or any CORS) request: ``"https://app.example"``."""
        return self.environ.get("HTTP_ORIGIN")

    @property
    def max_forwards(self) -> int | None:
        """``Max-Forwards`` as a number (``TRACE``, ``OPTIONS``)."""
        value = self.environ.get("HTTP_MAX_FORWARDS", "")
        return int(value) if value.isascii() and value.isdigit() else None

    @property
    def pragma(self) -> HeaderSet:
        """``Pragma`` as a set (``"no-cache" in request.pragma``)."""
        return HeaderSet.from_header(self.environ.get("HTTP_PRAGMA"))

    @property
    def content_encoding(self) -> str | None:
        """The coding applied to the body (``gzip``), which the app must undo itself."""
        return self.environ.get("HTTP_CONTENT_ENCODING")

    @property
    def content_md5(self) -> str | None:
        """The ``Content-MD5`` header (obsolete)."""
        return self.environ.get("HTTP_CONTENT_MD5")

    @property
    def access_control_request_headers(self) -> HeaderSet:
        """CORS preflight: the headers the real request will send."""
        return HeaderSet.from_header(self.environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"))

    @property
    def access_control_request_method(self) -> str | None:
        """CORS preflight: the method the real request will use."""
        return self.environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")

    # -- what the server says about itself (PEP 3333) -----------------------------

    @property
    def input_stream(self) -> IO[bytes]:
        """The server's body stream as it is (``wsgi.input``), without the limits
        ``stream`` applies; reading past ``Content-Length`` may block."""
        return self.environ["wsgi.input"]  # type: ignore[no-any-return]

    @property
    def is_multithread(self) -> bool:
        """``wsgi.multithread`` (PEP 3333): other threads may call the app at once."""
        return bool(self.environ.get("wsgi.multithread"))

    @property
    def is_multiprocess(self) -> bool:
        """``wsgi.multiprocess`` (PEP 3333): other processes may run copies of the app at once."""
        return bool(self.environ.get("wsgi.multiprocess"))

    @property
    def is_run_once(self) -> bool:
        """``wsgi.run_once`` (PEP 3333): the process serves only this request (CGI)."""
        return bool(self.environ.get("wsgi.run_once"))

    @property
    def want_form_data_parsed(self) -> bool:
        """Whether the body says what it is (a ``Content-Type``), and so may be a form."""
        return bool(self.environ.get("CONTENT_TYPE"))

    @property
    def is_json(self) -> bool:
        """Whether the body says it is JSON: ``application/json`` or ``application/*+json``."""
        mimetype = self.mimetype
        return mimetype == "application/json" or (
            mimetype.startswith("application/") and mimetype.endswith("+json")
        )

    # -- the body -------------------------------------------------------------

    @cached_property
    def stream(self) -> IO[bytes]:
        """The body as a file that ends where the body ends.

        Reading it consumes it; ``get_data()`` keeps a copy. A body larger than
        ``max_content_length`` is refused (413) here, before any of it is read.
        Without ``Content-Length`` the body is empty, unless the server set
        ``wsgi.input_terminated`` (it then ends the input itself, e.g. for a
        chunked upload); a ``Transfer-Encoding`` body the server did not decode
        is a 411 (``LengthRequired``), never read as empty.
        """
        if self._body_read:  # already read in one piece: nothing is left
            return io.BytesIO()
        return io.BufferedReader(self._limited_input(), _READ_CHUNK_SIZE)  # type: ignore[return-value]

    def _limited_input(self) -> _BodyStream:
        """``wsgi.input`` wrapped so it ends with the body; refuses too large a body (413)."""
        length = self.content_length
        limit = self.max_content_length
        _refuse_too_large(length, limit)
        if length is None and not self.environ.get("wsgi.input_terminated"):
            if self.environ.get("HTTP_TRANSFER_ENCODING"):
                raise _undecoded_body()
            length = 0
        raw = self.environ.get("wsgi.input")
        if raw is None:
            raw = io.BytesIO()
        return _BodyStream(raw, length, limit)

    def _read_small_body(self) -> bytes | None:
        """The whole body, read straight from ``wsgi.input``, when it is small, of
        known length, and unread.

        Most API and form bodies are a few hundred bytes; for them a file
        object with a 64 KiB buffer is work for nothing. Returns None when the
        body must go through ``stream`` instead.
        """
        length = self.content_length
        if length is None or length > _READ_CHUNK_SIZE or self._body_read:
            return None
        if "stream" in self.__dict__:  # someone holds the stream and may have read from it
            return None
        _refuse_too_large(length, self.max_content_length)
        self._body_read = True
        if not length:
            return b""
        raw = self.environ.get("wsgi.input")
        return _read_exactly(raw if raw is not None else io.BytesIO(), length)

    def get_data(
        self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False
    ) -> Any:
        """The whole body as bytes (``str`` with ``as_text``; not UTF-8 then is a 400).

        With ``cache`` the bytes are kept, so later calls, ``form`` and
        ``get_json`` can use them again. With ``parse_form_data`` a form body is
        parsed into ``form``/``files`` first and so is no longer here (as in
        Flask: ``request.data`` is empty for form posts).
        """
        if parse_form_data:
            self._load_form_data()
        data = self._cached_data
        if data is None:
            data = self._read_small_body()
            if data is None:
                data = self.stream.read()
            if cache:
                self._cached_data = data
        if as_text:
            return _decode_utf8(data, "request body")
        return data

    @property
    def data(self) -> bytes:
        """The body as bytes, unless it was a form (then see ``form``/``files``)."""
        return self.get_data(parse_form_data=True)  # type: ignore[no-any-return]

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """The body parsed as JSON.

        A request whose ``Content-Type`` is not JSON gets 415 Unsupported Media
        Type (``force=True`` parses anyway); a body that is not valid UTF-8 JSON
        gets 400. With ``silent=True`` both give ``None`` instead. Both failures
        go through ``on_json_loading_failed``, which a subclass may override.
        """
        if cache and self._json is not _MISSING:
            return self._json
        if not (force or self.is_json):
            if silent:
                return None
            value = self.on_json_loading_failed(None)
        else:
            data = self.get_data(cache=cache)
            try:
                # RFC 8259: JSON exchanged between systems is UTF-8, so nothing else is guessed.
                value = loads(data.decode("utf-8"))
            except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
                if silent:
                    return None
                if isinstance(error, RecursionError):
                    error = _NestedTooDeeply("the JSON body is nested too deeply to be read")
                value = self.on_json_loading_failed(error)
        if cache:
            self._json = value
        return value

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        """What ``get_json`` does when it cannot give JSON: ``e`` is the parse error,
        or ``None`` when the ``Content-Type`` is not JSON.

        Raises a 400 that says what is wrong with the body (or a 415 when ``e`` is
        ``None``). A subclass may raise its own error, or return a value for
        ``get_json`` to return instead (Werkzeug's and Flask's hook of this name).
        """
        if e is None:
            raise UnsupportedMediaType(
                f"Expected a JSON body, but the request's Content-Type is "
                f"{self.content_type or 'missing'!r}. Send 'Content-Type: application/json' "
                "with the body (or, in the app, use get_json(force=True))."
            )
        if isinstance(e, UnicodeDecodeError):
            raise BadRequest("The JSON body is not valid UTF-8 text.") from None
        if isinstance(e, _json.JSONDecodeError):
            raise BadRequest(
                f"The body is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}."
            ) from None
        if isinstance(e, _NestedTooDeeply):
            raise BadRequest(
                "The JSON body is nested too deeply to be read; send a flatter structure."
            ) from None
        raise BadRequest(f"The body is not valid JSON: {e}.") from None

    @property
    def json(self) -> Any:
        """``get_json()``: the parsed JSON body; 415 if it is not JSON, 400 if broken."""
        return self.get_json()

    # -- forms ----------------------------------------------------------------

    def _load_form_data(self) -> None:
        """Parse the body into ``form`` and ``files`` once, if it is a form.

        A failure is kept and raised again on the next access, instead of
        letting a second access see an empty form from the used-up stream.
        """
        if self._form is not None:
            return
        if self._form_error is not None:
            raise self._form_error
        mimetype = self.mimetype
        if mimetype not in FORM_MIMETYPES:
            self._form = self._files = _EMPTY
            return
        try:
            body = self._cached_data  # get_data() may have read the body already
            if body is None:
                body = self._read_small_body()
            if body is None:  # a large body: parsed as it streams in
                source: IO[bytes] = self.stream
                length = self.content_length
            elif mimetype == URLENCODED:  # the usual small form
                self._form = parse_urlencoded_form(body, self.max_form_memory_size)
                self._files = _EMPTY
                return
            else:
                source, length = io.BytesIO(body), len(body)
            self._form, self._files = parse_form_data(
                source,
                mimetype,
                self._parsed_content_type[1],
                length,
                max_form_memory_size=self.max_form_memory_size,
                max_form_parts=self.max_form_parts,
            )
        except HTTPException as error:
            self._form_error = error
            raise

    @property
    def form(self) -> ImmutableMultiDict:
        """Fields of a urlencoded or multipart form body (not the files)."""
        if self._form is None:
            self._load_form_data()
        return self._form  # type: ignore[return-value]

    @property
    def files(self) -> ImmutableMultiDict:
        """Uploaded files of a multipart body, as ``UploadedFile`` objects."""
        if self._files is None:
            self._load_form_data()
            if not self._files and self.form:  # a form without files: a missing enctype?
                from .debug import files_for_debugging

                self._files = files_for_debugging(self, self._files)  # type: ignore[arg-type]
        return self._files  # type: ignore[return-value]

    @cached_property
    def values(self) -> ImmutableMultiDict:
        """``args`` and ``form`` together (``args`` first); for GET only ``args``, as in
        Flask 2.3+, so a GET never reads a body."""
        if self.method == "GET":
            return self.args
        return ImmutableMultiDict([*self.args.items(multi=True), *self.form.items(multi=True)])

    # -- clean-up -------------------------------------------------------------

    def close(self) -> None:
        """Close the uploaded files' temporary storage. The app calls this at the end."""
        if self._files is not None:
            for _, upload in self._files.items(multi=True):
                upload.close()

    def __enter__(self) -> Request:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        # Built from the raw environ so that showing a bad request cannot itself fail.
        target = display_text(self.environ.get("PATH_INFO", "")) or "/"
        query = self.environ.get("QUERY_STRING")
        if query:
            target += "?" + display_text(query)
        return f"<{type(self).__name__} {self.environ.get('REQUEST_METHOD', 'GET')} {target!r}>"


class _NestedTooDeeply(ValueError):
    """A JSON body deeper than the parser's recursion allows, as the ``ValueError``
    ``on_json_loading_failed`` receives."""


def _limit(value: int | None, config_key: str) -> int | None:
    """A request's limit: its own if set, else the current app's config, else the default."""
    if value is not _FROM_CONFIG:
        return value
    ctx = _context_var.get(None)
    config = ctx.app.config if ctx is not None else DEFAULT_CONFIG
    return config[config_key]  # type: ignore[no-any-return]


def _strip_raw_prefix(raw_path: bytes, script_name: bytes) -> bytes | None:
    """Remove the part of the raw path that spells ``SCRIPT_NAME`` (maybe percent-encoded)."""
    if not script_name:
        return raw_path
    for position in range(1, len(raw_path) + 1):
        if position < len(raw_path) and raw_path[position : position + 1] != b"/":
            continue
        if unquote_to_bytes(raw_path[:position]) == script_name:
            return raw_path[position:]
    return None


def _decode_escape_except_slash(match: re.Match[bytes]) -> bytes:
    escape = match.group(1).upper()
    if escape in (b"2F", b"25"):
        return b"%" + escape
    return bytes([int(escape, 16)])
