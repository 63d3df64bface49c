"""The test client: calling the app the way a WSGI server would, without a server.

Flask counterpart: ``flask/testing.py`` (``FlaskClient``, ``EnvironBuilder``),
on top of ``werkzeug.test`` (``Client``, ``EnvironBuilder``, ``TestResponse``).

The idea to take away: a request is just a dict. ``EnvironBuilder`` fills in
the keys PEP 3333 requires (``REQUEST_METHOD``, ``PATH_INFO``,
``wsgi.input``, ...) the way a real server would, including percent-decoding
the path into ``PATH_INFO``. ``TestClient.open`` then calls
``app(environ, start_response)`` like a server, collects the body, and plays
the browser: it keeps the cookies the app set and sends them back where a
browser would, and follows redirects when asked::

    client = app.test_client()
    response = client.post("/login", data={"user": "kim"}, follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == "/dashboard"   # where the redirects ended

Inside ``with client:`` the context of the last request stays pushed, so a
test can look at ``request``, ``session`` or ``g`` after the response;
``with client.session_transaction() as session:`` reads and changes the
session the client's cookie holds, as the app would see it.

The cookies are kept in a ``CookieJar`` (``cookiejar.py``) that follows RFC
6265 as browsers do: a cookie goes back only to its host (or, with
``Domain``, to the names under it), only under its path and only until it
expires, byte for byte as the app wrote it.

How this file is laid out, top to bottom:

- ``EnvironBuilder``: a request's arguments (path, base URL, query string,
  form, files, JSON, headers) turned into an environ, with the small
  encoding functions it uses after it (query strings, multipart bodies);
- ``build_environ`` and ``run_wsgi_app``: the same without a client;
- ``TestResponse``: the app's response class with ``request`` and
  ``history``;
- ``TestClient`` (``FlaskClient``): ``open`` and the method shortcuts,
  following redirects, the cookie jar, ``session_transaction`` and
  ``with client:``;
- ``CliRunner`` (``FlaskCliRunner``): running the app's commands in-process.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import mimetypes
import re
import secrets
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote, unquote_to_bytes, urlencode, urljoin, urlsplit

import click.testing

from .cookiejar import Cookie, CookieJar, parse_set_cookie, request_host_and_path
from .datastructures import Headers, MultiDict
from .http import dump_cookie
from .request import Request
from .response import Response
from .wire import PATH_SAFE, QUERY_SAFE, split_host

if TYPE_CHECKING:
    from .app import App
    from .ctx import RequestContext
    from .sessions import Session

#: How many redirects ``follow_redirects`` follows before it gives up.
MAX_REDIRECTS = 20
#: The statuses ``follow_redirects`` follows.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Characters a request path keeps as given: a URL path's, and "%" so that escapes stay.
_RAW_PATH_SAFE = PATH_SAFE + "%"

_werkzeug_version = ""


def _user_agent() -> str:
    """``Werkzeug/<version>``: the ``User-Agent`` Flask's test client sends, so tests
    that check it run unchanged (looked up once: it reads package metadata)."""
    global _werkzeug_version
    if not _werkzeug_version:
        import importlib.metadata

        _werkzeug_version = importlib.metadata.version("werkzeug")
    return f"Werkzeug/{_werkzeug_version}"


class ClientRedirectError(Exception):
    """``follow_redirects`` met the same redirect twice: the app redirects in a loop."""


# -- building the environ -------------------------------------------------------


class _FileField:
    """One file of a multipart form: its bytes are read when it is added, so the
    same body can be sent again (a 307/308 redirect replays it)."""

    __slots__ = ("content_type", "data", "filename")

    def __init__(self, data: bytes, filename: str, content_type: str) -> None:
        self.data, self.filename, self.content_type = data, filename, content_type

    def __repr__(self) -> str:
        return f"<file {self.filename!r} ({self.content_type}, {len(self.data)} bytes)>"


class EnvironBuilder:
    """Builds the WSGI environ of one request, as a server would for the same request.

    ``EnvironBuilder(app, "/search?q=kim", method="POST", data={"a": "1"})``;
    ``get_environ()`` gives the dict, ``get_request()`` a ``Request`` over it.
    The arguments are Flask's and Werkzeug's, in their order:

    - ``path``: the path with an optional query, or a full URL
      (``"https://example.com/x"`` also sets scheme and host).
    - ``base_url``: scheme, host and mount point, ``"http://localhost/shop/"``
      (the path part becomes ``SCRIPT_NAME``). By default it is made from the
      app's ``PREFERRED_URL_SCHEME`` (or ``url_scheme``), ``SERVER_NAME``
      (prefixed by ``subdomain``) and ``APPLICATION_ROOT``; give either
      ``base_url`` or ``subdomain``/``url_scheme``, not both.
    - ``query_string``: a string, or a mapping / pairs / ``MultiDict`` to encode;
      not together with a ``?`` in ``path`` (``ValueError``).
    - ``data``: a form (a mapping; a value that is a file object, a
      ``(file, filename[, content_type])`` tuple or a list of them makes it
      ``multipart/form-data``; a file may be given as bytes or as a path), or a
      raw body (``str``, ``bytes`` or a file-like object, read at once).
      ``json``: a value written as a JSON body with the app's JSON settings.
    - ``input_stream``: a stream the app reads the body from, as given (it is
      rewound for a redirect that replays the body); not with ``data``.
    - ``headers``, ``content_type``, ``content_length``, ``mimetype``,
      ``auth`` (``(user, password)`` for Basic, or a ready ``Authorization``
      value), ``errors_stream``, ``multithread``, ``multiprocess``, ``run_once``.
    - ``environ_base`` (keys put in first, which the builder's own values
      override) and ``environ_overrides`` (keys put in last, overriding all).

    Raises ``TypeError`` for ``data`` together with ``json`` or ``input_stream``.
    """

    server_protocol = "HTTP/1.1"
    wsgi_version = (1, 0)

    def __init__(
        self,
        app: App | None = None,
        path: str = "/",
        base_url: str | None = None,
        subdomain: str | None = None,
        url_scheme: str | None = None,
        query_string: str | bytes | Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        method: str = "GET",
        input_stream: IO[bytes] | None = None,
        content_type: str | None = None,
        content_length: int | None = None,
        errors_stream: IO[str] | None = None,
        multithread: bool = False,
        multiprocess: bool = False,
        run_once: bool = False,
        headers: Headers | Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        data: str | bytes | IO[bytes] | Mapping[str, Any] | None = None,
        environ_base: Mapping[str, Any] | None = None,
        environ_overrides: Mapping[str, Any] | None = None,
        mimetype: str | None = None,
        json: Any = None,
        auth: tuple[str, str] | str | None = None,
    ) -> None:
        if base_url is not None and (subdomain or url_scheme):
            raise TypeError("Pass either base_url or subdomain/url_scheme, not both.")
        self.app = app
        scheme = netloc = ""
        if "://" in path:
            url = urlsplit(path)
            if url.scheme and url.netloc:  # a full URL ("//x" is a path, not a host)
                scheme, netloc = url.scheme, url.netloc
                path = path.split(netloc, 1)[1]
        path, question_mark, query = path.partition("#")[0].partition("?")
        path_query = query if question_mark else None
        if base_url is None:
            base_url = self._default_base_url(scheme, netloc, subdomain, url_scheme)
        self.base_url = base_url
        if query_string is not None and path_query is not None:
            raise ValueError(
                "The query string is given twice, in the path and as query_string=; give it once."
            )
        #: The path as a browser sends it: percent-encoded where needed, escapes kept.
        self.path = _quote_path(path or "/")
        self.query_string = _encode_query(query_string if query_string is not None else path_query)
        self.method = method.upper()
        self.headers = Headers._trusted([(str(k), str(v)) for k, v in _pairs(headers)])
        self.errors_stream = errors_stream
        self.multithread, self.multiprocess, self.run_once = multithread, multiprocess, run_once
        self.environ_base = environ_base if environ_base else None
        self.environ_overrides = dict(environ_overrides) if environ_overrides else None
        if content_type is not None:
            self.content_type = content_type
        elif mimetype is not None:
            self.content_type = mimetype
        self.content_length = content_length
        #: Form fields and files of a form body; encoded by ``get_environ``.
        self.form = MultiDict()
        self.files = MultiDict()
        self.input_stream: IO[bytes] | None = None
        self._stream_start = 0
        self._to_close: list[IO[bytes]] = []
        self.closed = False
        if auth is not None:
            self.headers.set("Authorization", _authorization(auth))
        if json is not None:
            if data is not None:
                raise TypeError("Pass either data= or json=, not both.")
            data = self.json_dumps(json)
            if self.content_type is None:
                self.content_type = "application/json"
        if input_stream is not None:
            if data is not None:
                raise TypeError("Pass either data= or input_stream=, not both.")
            self._set_input_stream(input_stream)
        elif data is not None:
            self._set_data(data)

    def _default_base_url(
        self, scheme: str, netloc: str, subdomain: str | None, url_scheme: str | None
    ) -> str:
        """Flask's default: the app's scheme, server name and root, unless ``path`` has them."""
        app = self.app
        if app is None:
            host, root, preferred = "localhost", "", "http"
        else:
            config = app.config
            host = config.get("SERVER_NAME") or "localhost"
            root = (config.get("APPLICATION_ROOT") or "/").strip("/")
            preferred = config.get("PREFERRED_URL_SCHEME") or "http"
        if subdomain:
            host = f"{subdomain}.{host}"
        return f"{scheme or url_scheme or preferred}://{netloc or host}/{root}"

    # -- the URL's parts --------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``scheme://host/script_root/``."""
        return f"{self.url_scheme}://{self.host}{self.script_root}/"

    @base_url.setter
    def base_url(self, value: str | None) -> None:
        #: The mount point, percent-encoded, without a trailing slash ("" at the root).
        self.url_scheme, self.host, self.script_root = _split_base_url(value or "http://localhost/")

    @property
    def server_name(self) -> str:
        """``SERVER_NAME``: the host of the base URL, without its port."""
        return split_host(self.host)[0]

    @property
    def server_port(self) -> int:
        """``SERVER_PORT``: the base URL's port, else 443 for ``https`` and 80 for ``http``."""
        port = split_host(self.host)[1]
        if port.isdigit():
            return int(port)
        return 443 if self.url_scheme == "https" else 80

    @property
    def args(self) -> MultiDict:
        """The query string, decoded (read-only view; set ``query_string`` to change it)."""
        from .formparser import decode_urlencoded

        return MultiDict(decode_urlencoded(self.query_string.encode("latin-1"), "query string"))

    # -- the body -------------------------------------------------------------

    content_type: str | None = None

    @property
    def mimetype(self) -> str | None:
        """The content type without parameters, lower case."""
        if self.content_type is None:
            return None
        return self.content_type.partition(";")[0].strip().lower()

    @mimetype.setter
    def mimetype(self, value: str) -> None:
        self.content_type = value

    def _set_data(self, data: Any) -> None:
        if hasattr(data, "read"):
            data = data.read()
        if isinstance(data, str):
            data = data.encode()
        if isinstance(data, bytes | bytearray):
            self._set_input_stream(io.BytesIO(data))
            return
        for key, value in _form_items(data):
            if isinstance(value, tuple) or hasattr(value, "read"):
                self.add_file(key, *(value if isinstance(value, tuple) else (value,)))
            else:
                self.form.add(key, value if isinstance(value, str | bytes) else str(value))

    def _set_input_stream(self, stream: IO[bytes]) -> None:
        seekable = getattr(stream, "seekable", None)
        if seekable is None or not seekable():
            # A pipe or a generator-backed stream is read now, so that a replay has it too.
            stream = io.BytesIO(stream.read())
        # Sent as given, from where it stands now; rewound there for every replay.
        self.input_stream = stream
        self._stream_start = stream.tell()

    def add_file(
        self,
        name: str,
        file: IO[bytes] | bytes | str,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> None:
        """Add a file to the form: a file object, its bytes, or a path to open.

        The file is read now (and closed by ``close()``, as Werkzeug's builder
        does); ``filename`` defaults to the file's name (an uploaded file's
        ``filename``, Werkzeug's ``FileStorage`` included, else an open file's
        ``name``), ``content_type`` to the file's own, else to the type its
        extension suggests. The name is sent as given, directories and all, as
        Werkzeug's builder sends it: a browser sends only the last part, but a
        hostile client sends what it likes (``../../etc/passwd``), and a test
        of the app's ``secure_filename`` must be able to.
        """
        if isinstance(file, str):
            filename = filename or file
            with open(file, "rb") as opened:
                data = opened.read()
        elif isinstance(file, bytes | bytearray):
            data = bytes(file)
        else:
            data = file.read()
            if isinstance(data, str):
                data = data.encode()
            self._to_close.append(file)
            if filename is None:
                filename = getattr(file, "filename", None) or getattr(file, "name", None)
            if content_type is None:
                content_type = getattr(file, "content_type", None)
        # An empty name stays empty (a file input left blank sends filename="").
        filename = str("file" if filename is None else filename)
        if content_type is None:
            content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        if not filename and not data:
            content_type = "application/octet-stream"
        self.files.add(name, _FileField(data, filename, content_type))
        if self.content_type is None:
            self.content_type = "multipart/form-data"

    def _encoded_body(self) -> tuple[IO[bytes], int | None, str | None]:
        """The body stream, its length and its content type, encoded afresh each time."""
        content_type = self.content_type
        if self.input_stream is not None:
            stream = self.input_stream
            stream.seek(0, io.SEEK_END)
            length = stream.tell() - self._stream_start
            stream.seek(self._stream_start)
            return stream, length, content_type
        mimetype = self.mimetype
        if self.files or mimetype == "multipart/form-data":
            boundary = f"microwsgi-{secrets.token_hex(12)}"
            body = _encode_multipart(self.form, self.files, boundary)
            return io.BytesIO(body), len(body), f"multipart/form-data; boundary={boundary}"
        if self.form:
            body = urlencode(list(self.form.items(multi=True))).encode("ascii")
            return io.BytesIO(body), len(body), content_type or _URLENCODED
        return io.BytesIO(), None, content_type

    # -- the environ --------------------------------------------------------------

    def get_environ(self) -> dict[str, Any]:
        """The WSGI environ (PEP 3333), as a server would pass it for this request."""
        stream, length, content_type = self._encoded_body()
        if self.content_length is not None:
            length = self.content_length
        environ: dict[str, Any] = dict(self.environ_base) if self.environ_base else {}
        query = self.query_string
        server_name, port = split_host(self.host)
        environ.update(
            {
                "REQUEST_METHOD": self.method,
                # Servers give the decoded path, as Latin-1 text standing for the raw bytes.
                "SCRIPT_NAME": _wsgi_path(self.script_root),
                "PATH_INFO": _wsgi_path(self.path),
                "QUERY_STRING": query,
                # ... and most also pass the request target as it arrived (uWSGI,
                # gunicorn, Werkzeug), with the mount point, before decoding.
                "REQUEST_URI": self.script_root + self.path + (f"?{query}" if query else ""),
                "SERVER_NAME": server_name,
                "SERVER_PORT": port or ("443" if self.url_scheme == "https" else "80"),
                "SERVER_PROTOCOL": self.server_protocol,
                "HTTP_HOST": self.host,
                "wsgi.version": self.wsgi_version,
                "wsgi.url_scheme": self.url_scheme,
                "wsgi.input": stream,
                "wsgi.errors": self.errors_stream or sys.stderr,
                "wsgi.multithread": self.multithread,
                "wsgi.multiprocess": self.multiprocess,
                "wsgi.run_once": self.run_once,
            }
        )
        environ["RAW_URI"] = environ["REQUEST_URI"]
        if content_type is not None:
            environ["CONTENT_TYPE"] = content_type
        if length is not None and (length or content_type):
            environ["CONTENT_LENGTH"] = str(length)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                if key == "CONTENT_TYPE" and content_type is None:
                    environ[key] = value
                continue
            key = f"HTTP_{key}"
            if key in headers:
                # A header sent twice reaches the app as one value, joined as servers do.
                separator = "; " if key == "HTTP_COOKIE" else ", "
                headers[key] = f"{headers[key]}{separator}{value}"
            else:
                headers[key] = value
        environ.update(headers)  # over environ_base's defaults (the client's User-Agent)
        if self.environ_overrides:
            environ.update(self.environ_overrides)
        return environ

    def get_request(self, cls: type[Request] | None = None) -> Request:
        """A request object over ``get_environ()`` (the app's request class by default)."""
        if cls is None:
            cls = self.app.request_class if self.app is not None else Request
        return cls(self.get_environ())

    def json_dumps(self, obj: Any, **kwargs: Any) -> str:
        """``obj`` as JSON text, with the app's JSON settings (``app.json``)."""
        if self.app is not None:
            return self.app.json.dumps(obj, **kwargs)
        from .json import dumps

        return dumps(obj, **kwargs)

    def copy(self) -> EnvironBuilder:
        """An independent copy (its own headers, form and files), for a redirect."""
        new = copy.copy(self)
        new.headers = self.headers.copy()
        new.form = self.form.copy()
        new.files = self.files.copy()
        new._to_close = []
        return new

    @classmethod
    def from_environ(cls, environ: Mapping[str, Any], **kwargs: Any) -> EnvironBuilder:
        """A builder for the request ``environ`` describes; ``kwargs`` override what it says.

        Keys that are neither headers nor the request line (``REMOTE_ADDR``, a
        middleware's own keys) are kept, as ``environ_base``.
        """
        script_name = environ.get("SCRIPT_NAME", "").encode("latin-1")
        path_info = environ.get("PATH_INFO", "").encode("latin-1")
        script_root = quote(script_name, safe=_RAW_PATH_SAFE)
        path = quote(path_info, safe=_RAW_PATH_SAFE)
        # The raw target keeps what decoding lost (an encoded slash): use it when it
        # names the same path.
        target = str(environ.get("REQUEST_URI") or "").partition("?")[0]
        if target.startswith(script_root) and unquote_to_bytes(target) == script_name + path_info:
            path = target[len(script_root) :]
        host = environ.get("HTTP_HOST") or _server_host(environ)
        headers = [
            (key[5:].replace("_", "-").title(), str(value))
            for key, value in environ.items()
            if key.startswith("HTTP_") and key != "HTTP_HOST"
        ]
        described = {
            "REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "REQUEST_URI",
            "RAW_URI", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "CONTENT_TYPE",
            "CONTENT_LENGTH", "wsgi.version", "wsgi.url_scheme", "wsgi.input", "wsgi.errors",
            "wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once",
        }  # fmt: skip
        others = {
            key: value
            for key, value in environ.items()
            if key not in described and not key.startswith("HTTP_")
        }
        arguments: dict[str, Any] = {
            "path": path or "/",
            "base_url": f"{environ.get('wsgi.url_scheme', 'http')}://{host}{script_root}",
            "query_string": environ.get("QUERY_STRING", ""),
            "method": environ.get("REQUEST_METHOD", "GET"),
            "input_stream": environ.get("wsgi.input"),
            "content_type": environ.get("CONTENT_TYPE") or None,
            "errors_stream": environ.get("wsgi.errors"),
            "multithread": environ.get("wsgi.multithread", False),
            "multiprocess": environ.get("wsgi.multiprocess", False),
            "run_once": environ.get("wsgi.run_once", False),
            "headers": headers,
            "environ_base": others,
        }
        arguments.update(kwargs)
        return cls(**arguments)

    def close(self) -> None:
        """Close the file objects given as form files (Werkzeug's builder does too)."""
        if self.closed:
            return
        for file in self._to_close:
            with contextlib.suppress(Exception):  # a file that cannot close is not the test's
                file.close()
        self.closed = True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.method} {self.base_url.rstrip('/')}{self.path}>"


_URLENCODED = "application/x-www-form-urlencoded"


# What a path or query may hold as it is: the characters quote() would leave alone.
_PLAIN_URL_TEXT = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/%?\[\]]*")


def _quote_path(path: str) -> str:
    """The path percent-encoded where a URL may not carry it as it is; escapes kept."""
    if _PLAIN_URL_TEXT.fullmatch(path) and "?" not in path:
        return path
    return quote(path, safe=_RAW_PATH_SAFE)


@functools.lru_cache(maxsize=64)
def _split_base_url(value: str) -> tuple[str, str, str]:
    """``(scheme, host, script_root)`` of a base URL; remembered, as tests repeat a few."""
    base = urlsplit(value)
    if base.query or base.fragment:
        raise ValueError(f"A base URL has no query or fragment: {value!r}.")
    host = base.netloc or "localhost"
    if not host.isascii():
        name, port = split_host(host)
        host = name.encode("idna").decode("ascii") + (f":{port}" if port else "")
    return base.scheme or "http", host, _quote_path(base.path).rstrip("/")


def _wsgi_path(path: str) -> str:
    """A percent-encoded path as PEP 3333 passes it: decoded, as Latin-1 text of the bytes."""
    if "%" not in path:
        return path  # plain ASCII: nothing to decode
    return unquote_to_bytes(path).decode("latin-1")


def _server_host(environ: Mapping[str, Any]) -> str:
    name = environ.get("SERVER_NAME", "localhost")
    port = str(environ.get("SERVER_PORT", ""))
    default = "443" if environ.get("wsgi.url_scheme") == "https" else "80"
    return name if not port or port == default else f"{name}:{port}"


def _pairs(items: Any) -> Iterable[tuple[Any, Any]]:
    if items is None:
        return ()
    if isinstance(items, Headers):
        return items.items()
    if isinstance(items, Mapping):
        return items.items()
    return items  # type: ignore[no-any-return]


def _encode_query(query: Any) -> str:
    """A query string as URL text: bytes kept as they are, text percent-encoded where
    it must be, a mapping or pairs encoded as a form would be."""
    if query is None:
        return ""
    if isinstance(query, bytes):
        return query.decode("latin-1")
    if isinstance(query, str):
        return query if _PLAIN_URL_TEXT.fullmatch(query) else quote(query, safe=QUERY_SAFE)
    items = query.items(multi=True) if _is_multidict(query) else query
    if isinstance(items, Mapping):
        items = items.items()
    return urlencode(list(items), doseq=True)


def _is_multidict(data: Any) -> bool:
    """Whether ``data`` is a ``MultiDict``, ours or Werkzeug's, whose ``items()`` gives
    only the first value of each key (``items(multi=True)`` gives all)."""
    return isinstance(data, MultiDict) or (
        isinstance(data, Mapping) and callable(getattr(data, "getlist", None))
    )


def _form_items(data: Any) -> Iterator[tuple[str, Any]]:
    items = data.items(multi=True) if _is_multidict(data) else data.items()
    for key, value in items:
        if isinstance(value, list):
            for item in value:
                yield key, item
        else:
            yield key, value


def _authorization(auth: tuple[str, str] | str) -> str:
    if isinstance(auth, str):
        return auth
    import base64

    user, password = auth
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def _encode_multipart(form: MultiDict, files: MultiDict, boundary: str) -> bytes:
    """A ``multipart/form-data`` body (RFC 7578): the fields, then the files."""
    out = io.BytesIO()
    for name, value in form.items(multi=True):
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{_quote_param(name)}"'
            "\r\n\r\n".encode()
        )
        out.write(value if isinstance(value, bytes) else str(value).encode())
        out.write(b"\r\n")
    for name, file in files.items(multi=True):
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{_quote_param(name)}"; '
            f'filename="{_quote_param(file.filename)}"\r\n'
            f"Content-Type: {file.content_type}\r\n\r\n".encode()
        )
        out.write(file.data)
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue()


def _quote_param(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "")


def build_environ(
    app: App | None = None,
    path: str = "/",
    base_url: str | None = None,
    method: str = "GET",
    **kwargs: Any,
) -> dict[str, Any]:
    """The environ of one request, with ``REMOTE_ADDR`` set as the client sets it:
    a shortcut for ``EnvironBuilder(app, path, base_url, method=method, ...).get_environ()``."""
    kwargs["environ_base"] = {"REMOTE_ADDR": "127.0.0.1", **(kwargs.get("environ_base") or {})}
    builder = EnvironBuilder(app, path, base_url, method=method, **kwargs)
    try:
        return builder.get_environ()
    finally:
        builder.close()


# -- calling the app ------------------------------------------------------------


def run_wsgi_app(app: Any, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Call a WSGI app as a server does: returns status line, headers and the whole body."""
    status, headers, body = _call_app(app, environ, stream=False)
    return status, headers, b"".join(body)


def _call_app(
    app: Any, environ: dict[str, Any], stream: bool
) -> tuple[str, list[tuple[str, str]], Iterable[bytes]]:
    """Status, headers and body of one call; with ``stream`` the body is left unread.

    PEP 3333 lets an app call ``start_response`` as late as its first body
    chunk, so the body is read until it has been called.
    """
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if exc_info is not None and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [status, headers]
        return written.append  # the legacy write() callable

    app_iter = app(environ, start_response)
    chunks = iter(app_iter)
    try:
        while not started:
            written.append(next(chunks))
    except StopIteration:
        pass
    except BaseException:
        _close(app_iter)
        raise
    if not started:
        _close(app_iter)
        raise AssertionError("The application returned without calling start_response().")
    if stream:
        return started[0], started[1], _StreamedBody(written, chunks, app_iter)
    try:
        body = written + list(chunks)
    finally:
        _close(app_iter)
    return started[0], started[1], body


def _close(app_iter: Any) -> None:
    close = getattr(app_iter, "close", None)
    if close is not None:
        close()


class _StreamedBody:
    """A body read as the test reads it; ``close()`` closes the app's iterable once."""

    def __init__(self, first: list[bytes], rest: Iterator[bytes], app_iter: Any) -> None:
        self._first, self._rest, self._app_iter = first, rest, app_iter
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self._first
        self._first = []
        yield from self._rest

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _close(self._app_iter)


class TestResponse(Response):
    """A response as the client received it, with the request that caused it.

    ``request`` is that request (a ``Request`` over the environ that was
    sent); ``history`` holds the redirect responses followed to get here,
    oldest first.
    """

    __test__ = False  # not a pytest test class
    default_mimetype = None  # type: ignore[assignment]  # only the Content-Type the app sent

    def __init__(
        self,
        response: Iterable[bytes],
        status: str,
        headers: Headers | list[tuple[str, str]],
        request: Request | None = None,
        history: tuple[TestResponse, ...] = (),
    ) -> None:
        # What the app sent, taken as it is: no default Content-Type, no checks
        # (the app's Response checked its headers before sending them).
        self.status = status
        self.headers = headers if isinstance(headers, Headers) else Headers._trusted(headers)
        self.response = response if isinstance(response, _StreamedBody) else list(response)
        self._request = request
        self._request_environ: dict[str, Any] | None = None
        self._request_class: type[Request] = Request
        self.history = history

    @property
    def request(self) -> Request:
        """The request this response answers (made when first asked for)."""
        if self._request is None:
            if self._request_environ is None:
                raise AttributeError("This response was not made by the test client.")
            self._request = self._request_class(self._request_environ)
        return self._request

    @request.setter
    def request(self, value: Request) -> None:
        self._request = value

    @property
    def environ(self) -> dict[str, Any]:
        """The environ of ``request``."""
        return self.request.environ

    def close(self) -> None:
        """Close the body (a streamed one's iterable) and run ``call_on_close`` functions."""
        super().close()


# -- the client ---------------------------------------------------------------------


class TestClient:
    """Sends requests to the app and returns ``TestResponse`` objects (Flask's ``FlaskClient``).

    ``get``, ``post``, ``put``, ``patch``, ``delete``, ``head``, ``options``
    and ``trace`` take ``EnvironBuilder``'s arguments (``client.get("/",
    "http://example.com/shop/", query_string={"q": "kim"})``) and:

    - ``follow_redirects=True``: follow 301/302/303/307/308 as a browser does
      (``response.history`` holds the redirects). 307 and 308 repeat the
      method and the whole body (form, files, raw bytes) on every hop; the
      others become a ``GET`` (a ``HEAD`` stays ``HEAD``) without a body. The
      mount point is kept while the location is under it. A redirect to
      another host raises ``RuntimeError`` (to a subdomain, unless
      ``allow_subdomain_redirects``); a loop raises ``ClientRedirectError``.
    - ``buffered=False``: leave the body unread, to read a stream piece by
      piece from ``response.response``; call ``response.close()`` after. By
      default the body is read and the app's iterable closed before the
      method returns, as a server does.

    ``open()`` also takes an ``EnvironBuilder``, an environ dict or a
    ``Request`` to send. ``environ_base`` holds keys every request gets
    (``REMOTE_ADDR``, ``HTTP_USER_AGENT``), which a request's own arguments
    override.
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        application: Any,
        response_wrapper: type[Response] | None = None,
        use_cookies: bool = True,
        allow_subdomain_redirects: bool = False,
    ) -> None:
        self.application = application
        if response_wrapper in (None, Response, TestResponse):
            response_wrapper = TestResponse
        elif not issubclass(response_wrapper, TestResponse):  # type: ignore[arg-type]
            response_wrapper = type(
                f"Test{response_wrapper.__name__}",  # type: ignore[union-attr]
                (TestResponse, response_wrapper),
                {},
            )
        self.response_wrapper: type[TestResponse] = response_wrapper  # type: ignore[assignment]
        self._cookies: CookieJar | None = CookieJar() if use_cookies else None
        self.allow_subdomain_redirects = allow_subdomain_redirects
        self.environ_base: dict[str, Any] = {
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_USER_AGENT": _user_agent(),
        }
        #: True inside ``with client:``: the last request's context stays pushed.
        self.preserve_context = False
        self._preserved: list[tuple[RequestContext, BaseException | None]] = []
        from .app import App

        #: The app as a microwsgi ``App`` (its config, request class), or None
        #: when the client calls a plain WSGI callable.
        self._microwsgi_app: App | None = application if isinstance(application, App) else None

    @property
    def use_cookies(self) -> bool:
        return self._cookies is not None

    # -- cookies ----------------------------------------------------------------

    def _jar(self) -> CookieJar:
        if self._cookies is None:
            raise TypeError("Cookies are disabled. Create a client with 'use_cookies=True'.")
        return self._cookies

    def get_cookie(self, key: str, domain: str = "localhost", path: str = "/") -> Cookie | None:
        """The cookie ``key`` kept for ``domain`` and ``path``, or None (also when expired).

        ``cookie.decoded_value`` is the value as the app reads it; ``value``
        is the value as it travels (quoted when it holds spaces, ``;``, ...).
        """
        return self._jar().get(key, domain, path)

    def set_cookie(
        self,
        key: str,
        value: str = "",
        *,
        domain: str = "localhost",
        origin_only: bool = True,
        path: str = "/",
        **kwargs: Any,
    ) -> None:
        """Put a cookie in the jar, as if the app at ``domain`` had set it.

        ``origin_only=False`` sends it to the names under ``domain`` too (as a
        ``Domain`` attribute does). ``kwargs`` are ``Response.set_cookie``'s:
        ``max_age``, ``expires``, ``secure``, ``httponly``, ``samesite``,
        ``partitioned``. The value is quoted as the app's would be, and the app
        reads it back unchanged.
        """
        jar = self._jar()
        now = time.time()
        cookie = parse_set_cookie(dump_cookie(key, value, path=path, **kwargs), domain, path, now)
        assert cookie is not None  # dump_cookie wrote a valid one
        cookie.origin_only = origin_only
        jar.keep(cookie, now)

    def delete_cookie(self, key: str, *, domain: str = "localhost", path: str = "/") -> None:
        """Remove the cookie ``key`` kept for ``domain`` and ``path``, if there is one."""
        self._jar().delete(key, domain, path)

    def _add_cookies(self, environ: dict[str, Any]) -> None:
        """Put the jar's cookies for this request in its ``Cookie`` header."""
        header = self._cookies.header_for(environ) if self._cookies is not None else ""
        if header:
            given = environ.get("HTTP_COOKIE")
            # A Cookie header the test passed itself is kept, before the jar's cookies.
            environ["HTTP_COOKIE"] = f"{given}; {header}" if given else header

    # -- requests ---------------------------------------------------------------

    def open(
        self,
        *args: Any,
        buffered: bool | None = None,
        follow_redirects: bool = False,
        **kwargs: Any,
    ) -> TestResponse:
        """Send one request (and, with ``follow_redirects``, the redirects it leads to)."""
        builder = self._builder(args, kwargs)
        stream = buffered is False
        try:
            response = self._send(builder, stream)
            history: list[TestResponse] = []
            seen: set[tuple[str | None, int]] = set()
            while follow_redirects and response.status_code in REDIRECT_STATUSES:
                response.get_data()  # read and close it, so the app's cleanup runs
                response.close()
                hop = (response.location, response.status_code)
                if hop in seen:
                    raise ClientRedirectError(
                        f"Loop detected: a {response.status_code} redirect to "
                        f"{response.location} was already followed."
                    )
                if len(history) >= MAX_REDIRECTS:
                    raise ClientRedirectError(f"More than {MAX_REDIRECTS} redirects.")
                seen.add(hop)
                response.history = tuple(history)
                history.append(response)
                builder = self._redirected(builder, response)
                response = self._send(builder, stream)
            response.history = tuple(history)
            return response
        finally:
            builder.close()

    def _builder(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> EnvironBuilder:
        """The builder of the request ``open()``'s arguments describe."""
        if len(args) == 1 and not kwargs:
            given = args[0]
            if isinstance(given, EnvironBuilder):
                builder = given.copy()
                builder.environ_base = {**self.environ_base, **(builder.environ_base or {})}
                return builder
            if not isinstance(given, dict | Request) and callable(
                getattr(given, "get_environ", None)
            ):  # another builder, such as Werkzeug's: what it builds is sent
                given = given.get_environ()
            if isinstance(given, dict | Request):
                environ = given.environ if isinstance(given, Request) else given
                builder = EnvironBuilder.from_environ(environ, app=self._microwsgi_app)
                builder.environ_base = {**self.environ_base, **(builder.environ_base or {})}
                return builder
        given = kwargs.get("environ_base")
        # The builder copies environ_base into each environ: no copy needed here.
        kwargs["environ_base"] = {**self.environ_base, **given} if given else self.environ_base
        return EnvironBuilder(self._microwsgi_app, *args, **kwargs)

    def _send(self, builder: EnvironBuilder, stream: bool) -> TestResponse:
        environ = builder.get_environ()
        if self._cookies is not None:
            self._add_cookies(environ)
        self._pop_preserved_contexts()
        # The app gets a copy: middleware that changes the environ (ProxyFix, a
        # mount) must not change the request the response reports.
        app_environ = dict(environ)
        if self.preserve_context:
            app_environ["microwsgi.preserve_context"] = self._keep_context
        status, headers, body = _call_app(self.application, app_environ, stream)
        if self._cookies is not None:
            self._cookies.receive(
                environ, [value for name, value in headers if name.lower() == "set-cookie"]
            )
        response = self.response_wrapper(body, status, headers)
        response._request_environ = environ
        if self._microwsgi_app is not None:
            response._request_class = self._microwsgi_app.request_class
        return response

    def _redirected(self, builder: EnvironBuilder, response: TestResponse) -> EnvironBuilder:
        """The request a browser sends next, after ``response``, a redirect."""
        location = urljoin(_request_url(response.request.environ), response.location or "")
        url = urlsplit(location)
        to_host = split_host(url.netloc)[0].lower()
        from_host = builder.server_name.lower()
        if to_host != from_host:
            if not to_host.endswith("." + from_host):
                raise RuntimeError(
                    f"Following external redirects is not supported: {location!r} is on "
                    f"another host than {from_host!r}, which this client cannot reach."
                )
            if not self.allow_subdomain_redirects:
                raise RuntimeError(
                    f"Following subdomain redirects is not enabled ({location!r}); create the "
                    "client with allow_subdomain_redirects=True."
                )
        new = builder.copy()
        new.url_scheme, new.host = url.scheme, url.netloc
        path = quote(url.path or "/", safe=_RAW_PATH_SAFE)
        root = builder.script_root
        if root and (path == root or path.startswith(root + "/")):
            new.path = path[len(root) :] or "/"  # still under the mount point
        else:
            new.path, new.script_root = path, ""
        new.query_string = url.query
        if response.status_code not in (307, 308):
            if new.method != "HEAD":
                new.method = "GET"
            new.form, new.files = MultiDict(), MultiDict()
            new.input_stream = None
            new.content_type = new.content_length = None
            for name in ("Content-Type", "Content-Length", "Transfer-Encoding"):
                new.headers.remove(name)
        return new

    def get(self, *args: Any, **kwargs: Any) -> TestResponse:
        return self.open(*args, method="GET", **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> TestResponse:
        return self.open(*args, method="POST", **kwargs)

    def put(self, *args: Any, **kwargs: Any) -> TestResponse:
        return self.open(*args, method="PUT", **kwargs)

    def patch(self, *args: Any, **kwargs: Any) -> TestResponse:
        return self.open(*args, method="PATCH", **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> TestResponse:
        return self.open(*args, method="DELETE", **kwargs)

    def head(self, *args: Any, **kwargs: Any) -> TestResponse:
        return self.open(*args, method="HEAD", **kwargs)

    def options(self, *args: Any, **kwargs: Any) -> TestResponse:
        return self.open(*args, method="OPTIONS", **kwargs)

    def trace(self, *args: Any, **kwargs: Any) -> TestResponse:
        return self.open(*args, method="TRACE", **kwargs)

    # -- the session ------------------------------------------------------------

    @contextmanager
    def session_transaction(self, *args: Any, **kwargs: Any) -> Iterator[Session]:
        """Read and change the session the client's cookie holds, without a request::

            with client.session_transaction() as session:
                session["user_id"] = 7       # the next request is logged in

        The session is opened as the app would open it for a request made
        with ``args``/``kwargs`` (``test_request_context``'s arguments), and
        saved into the client's cookie when the block ends. Raises
        ``TypeError`` when cookies are disabled and ``RuntimeError`` when the
        app cannot open a session (no ``SECRET_KEY``).
        """
        self._jar()
        app = self.application
        ctx = app.test_request_context(*args, **kwargs)
        self._add_cookies(ctx.request.environ)
        interface = app.session_interface
        with ctx:
            session = interface.open_session(app, ctx.request)
        if session is None:
            raise RuntimeError(
                "Session backend did not open a session. The app's session interface "
                "returned None: with the default one, that means app.config['SECRET_KEY'] "
                "is not set."
            )
        yield session
        if interface.is_null_session(session):
            return
        response = app.response_class()
        with ctx:
            interface.save_session(app, session, response)
        self._jar().receive(ctx.request.environ, response.headers.getlist("Set-Cookie"))

    # -- keeping the last context -------------------------------------------------

    def _keep_context(self, ctx: RequestContext, error: BaseException | None) -> None:
        self._preserved.append((ctx, error))

    def _pop_preserved_contexts(self) -> None:
        while self._preserved:
            ctx, error = self._preserved.pop()
            ctx.pop(error)

    def __enter__(self) -> TestClient:
        if self.preserve_context:
            raise RuntimeError("This client is already in a 'with' block; they do not nest.")
        self.preserve_context = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.preserve_context = False
        self._pop_preserved_contexts()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.application!r}>"


def _request_url(environ: Mapping[str, Any]) -> str:
    """The URL a browser would have in its address bar for this request."""
    path = request_host_and_path(environ)[1]
    netloc = environ.get("HTTP_HOST") or _server_host(environ)
    query = environ.get("QUERY_STRING")
    return f"{environ.get('wsgi.url_scheme', 'http')}://{netloc}{path}" + (
        f"?{query}" if query else ""
    )


#: Flask's name for the test client class, so ``from flask.testing import FlaskClient``
#: style imports (and ``app.test_client_class = MyClient`` subclasses of it) work.
FlaskClient = TestClient


class CliRunner(click.testing.CliRunner):
    """Click's test runner, set up for one app's commands: ``app.test_cli_runner()``.

    ``runner.invoke(args=["init-db", "--drop"])`` runs the command of
    ``app.cli`` in an app context, in-process, with its output captured;
    ``invoke(some_command, args)`` runs another Click command the same way.
    Without an ``obj=``, the command's ``ScriptInfo`` loads this app.
    """

    def __init__(self, app: App, **kwargs: Any) -> None:
        self.app = app
        super().__init__(**kwargs)

    def invoke(  # type: ignore[override]
        self, cli: Any = None, args: Any = None, **kwargs: Any
    ) -> click.testing.Result:
        """Run ``cli`` (default: ``app.cli``) with ``args``; Click's ``Result``."""
        from .cli import ScriptInfo

        if cli is None:
            cli = self.app.cli
        if "obj" not in kwargs:
            kwargs["obj"] = ScriptInfo(create_app=lambda: self.app)
        return super().invoke(cli, args, **kwargs)


#: Flask's name for the CLI test runner.
FlaskCliRunner = CliRunner


__all__ = [
    "CliRunner",
    "ClientRedirectError",
    "Cookie",
    "EnvironBuilder",
    "FlaskCliRunner",
    "FlaskClient",
    "TestClient",
    "TestResponse",
    "build_environ",
    "run_wsgi_app",
]
