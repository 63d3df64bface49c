"""The test client: calling the app the way a WSGI server would, without a server.

Flask counterpart: ``flask/testing.py`` (on top of ``werkzeug.test``).

The idea to take away: a request is just a dict. ``build_environ`` fills in
the keys PEP 3333 requires (``REQUEST_METHOD``, ``PATH_INFO``,
``wsgi.input``, ...) the way a real server would, including percent-decoding
the path into ``PATH_INFO``. ``TestClient.open`` then calls
``app(environ, start_response)`` like a server, collects the body, and keeps
the cookies the app set for the next request, like a browser.

    client = app.test_client()
    response = client.post("/login", data={"user": "kim"}, follow_redirects=True)
    assert response.status_code == 200

Inside ``with client:`` the context of the last request stays pushed, so a
test can look at ``request``, ``session`` or ``g`` after the response.
"""

from __future__ import annotations

import contextlib
import io
import mimetypes
import secrets
import sys
import time
from collections.abc import Iterable, Mapping
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import quote, unquote_to_bytes, urlencode, urljoin, urlsplit

import click.testing

from .response import Response

if TYPE_CHECKING:
    from .app import App
    from .ctx import RequestContext

#: How many redirects ``follow_redirects`` follows before it gives up.
MAX_REDIRECTS = 20


def build_environ(
    app: App | None = None,
    path: str = "/",
    base_url: str | None = None,
    method: str = "GET",
    *,
    query_string: str | bytes | Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    headers: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    data: str | bytes | Mapping[str, Any] | None = None,
    json: Any = None,
    content_type: str | None = None,
    environ_base: Mapping[str, Any] | None = None,
    environ_overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A WSGI environ for a request to ``path``.

    ``path`` may carry a query (``"/search?q=kim"``) or be a full URL.
    ``base_url`` (default: from the app's ``SERVER_NAME``, ``APPLICATION_ROOT``
    and ``PREFERRED_URL_SCHEME``, else ``http://localhost/``) gives the scheme,
    host and mount prefix (``SCRIPT_NAME``). ``data`` is a form (a dict; file
    values as ``(fileobj, filename[, content_type])`` make it multipart) or a
    raw body; ``json`` is serialized as a JSON body.
    """
    if base_url is None:
        base_url = _default_base_url(app)
    url = urlsplit(path)
    if url.scheme:  # a full URL such as a redirect's Location
        base_url = f"{url.scheme}://{url.netloc}"
        path = url.path
        url_query = url.query
    else:
        path, _, url_query = path.partition("?")
    base = urlsplit(base_url)
    scheme = base.scheme or "http"
    host = base.netloc or "localhost"
    script_name = base.path.rstrip("/")
    server_name, _, port = host.partition(":")
    if not port:
        port = "443" if scheme == "https" else "80"

    query = _encode_query(query_string) if query_string is not None else url_query
    body, body_type = _encode_body(data, json)
    content_type = content_type or body_type

    # A path given with spaces or non-ASCII text is sent percent-encoded, as a browser would.
    raw_path = quote(path or "/", safe="/%:@!$&'()*+,;=~")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method.upper(),
        # Servers give the decoded path, as latin-1 text standing for the raw bytes (PEP 3333).
        "SCRIPT_NAME": unquote_to_bytes(script_name).decode("latin-1"),
        "PATH_INFO": unquote_to_bytes(raw_path).decode("latin-1"),
        "QUERY_STRING": query,
        # ... and most also pass the request target as it arrived (uWSGI, Werkzeug: REQUEST_URI).
        "REQUEST_URI": quote(script_name, safe="/%") + raw_path + (f"?{query}" if query else ""),
        "SERVER_NAME": server_name,
        "SERVER_PORT": port,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body or content_type:
        environ["CONTENT_LENGTH"] = str(len(body))
    if content_type:
        environ["CONTENT_TYPE"] = content_type
    if environ_base:
        environ.update(environ_base)
    for name, value in _header_items(headers):
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = f"HTTP_{key}"
        if key in environ and key.startswith("HTTP_") and key != "HTTP_HOST":
            environ[key] = f"{environ[key]}, {value}"  # repeated headers are joined, as servers do
        else:
            environ[key] = str(value)
    if environ_overrides:
        environ.update(environ_overrides)
    return environ


def _default_base_url(app: App | None) -> str:
    if app is None:
        return "http://localhost/"
    config = app.config
    host = config["SERVER_NAME"] or "localhost"
    return f"{config['PREFERRED_URL_SCHEME']}://{host}{config['APPLICATION_ROOT'] or '/'}"


def _header_items(headers: Any) -> Iterable[tuple[str, Any]]:
    if headers is None:
        return ()
    if isinstance(headers, Mapping):
        return headers.items()
    return headers  # type: ignore[no-any-return]


def _encode_query(query: Any) -> str:
    if isinstance(query, bytes):
        return query.decode("latin-1")
    if isinstance(query, str):
        return query
    items = query.items(multi=True) if hasattr(query, "lists") else query
    if isinstance(items, Mapping):
        items = items.items()
    return urlencode(list(items), doseq=True)


def _encode_body(data: Any, json: Any) -> tuple[bytes, str | None]:
    """The body bytes and the content type they imply."""
    if json is not None:
        if data is not None:
            raise TypeError("Pass either data= or json=, not both.")
        from .json import dumps

        return dumps(json).encode(), "application/json"
    if data is None:
        return b"", None
    if isinstance(data, str):
        return data.encode(), None
    if isinstance(data, bytes | bytearray):
        return bytes(data), None
    fields = list(_form_items(data))
    if any(_is_file(value) for _, value in fields):
        boundary = f"microwsgi-{secrets.token_hex(12)}"
        return _encode_multipart(fields, boundary), f"multipart/form-data; boundary={boundary}"
    return urlencode([(k, str(v)) for k, v in fields]).encode(), "application/x-www-form-urlencoded"


def _form_items(data: Any) -> Iterable[tuple[str, Any]]:
    items = data.items(multi=True) if hasattr(data, "lists") else data.items()
    for key, value in items:
        if isinstance(value, list):
            for item in value:
                yield key, item
        else:
            yield key, value


def _is_file(value: Any) -> bool:
    return isinstance(value, tuple) or hasattr(value, "read")


def _encode_multipart(fields: list[tuple[str, Any]], boundary: str) -> bytes:
    """A ``multipart/form-data`` body (RFC 7578): one part per field, files with a filename."""
    out = io.BytesIO()
    for name, value in fields:
        out.write(f"--{boundary}\r\n".encode())
        if _is_file(value):
            file, filename, file_type = _file_parts(value)
            out.write(
                f'Content-Disposition: form-data; name="{_quote_param(name)}"; '
                f'filename="{_quote_param(filename)}"\r\n'
                f"Content-Type: {file_type}\r\n\r\n".encode()
            )
            out.write(file.read())
        else:
            out.write(
                f'Content-Disposition: form-data; name="{_quote_param(name)}"\r\n\r\n'.encode()
            )
            out.write(value if isinstance(value, bytes) else str(value).encode())
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue()


def _file_parts(value: Any) -> tuple[BinaryIO, str, str]:
    if isinstance(value, tuple):
        file, filename, *rest = value
        file_type = rest[0] if rest else None
    else:
        file, filename, file_type = value, getattr(value, "name", "file"), None
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    filename = str(filename).rsplit("/", 1)[-1]
    guessed = mimetypes.guess_type(filename)[0]
    return file, filename, file_type or guessed or "application/octet-stream"


def _quote_param(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "")


def run_wsgi_app(app: Any, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Call a WSGI app as a server does: returns status line, headers and the whole body."""
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if exc_info is not None and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [status, headers]
        return written.append  # the legacy write() callable

    app_iter = app(environ, start_response)
    try:
        chunks = written + list(app_iter)
    finally:
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()
    if not started:
        raise AssertionError("The application returned without calling start_response().")
    return started[0], started[1], b"".join(chunks)


class TestResponse(Response):
    """A response as the client received it, with the request that caused it."""

    __test__ = False  # not a pytest test class

    def __init__(self, body: bytes, status: str, headers: list[tuple[str, str]]) -> None:
        super().__init__(None, status, headers)
        self.response = [body]
        self.environ: dict[str, Any] = {}
        #: The responses of the redirects followed to get here, oldest first.
        self.history: list[TestResponse] = []


class Cookie:
    """One cookie in the client's jar."""

    def __init__(self, key: str, value: str, path: str, expires: float | None) -> None:
        self.key, self.value, self.path, self.expires = key, value, path, expires

    def matches(self, path: str) -> bool:
        return path == self.path or path.startswith(self.path.rstrip("/") + "/") or self.path == "/"

    def __repr__(self) -> str:
        return f"<Cookie {self.key}={self.value!r} path={self.path}>"


class TestClient:
    """Sends requests to the app and returns ``TestResponse`` objects."""

    __test__ = False  # not a pytest test class

    def __init__(self, app: App, use_cookies: bool = True) -> None:
        self.application = app
        self.use_cookies = use_cookies
        self._cookies: dict[tuple[str, str], Cookie] = {}
        self._preserve = False
        self._preserved: tuple[RequestContext, BaseException | None] | None = None

    # -- cookies ------------------------------------------------------------

    def get_cookie(self, key: str, path: str = "/") -> Cookie | None:
        return self._cookies.get((key, path))

    def set_cookie(self, key: str, value: str = "", path: str = "/") -> None:
        self._cookies[(key, path)] = Cookie(key, value, path, None)

    def delete_cookie(self, key: str, path: str = "/") -> None:
        self._cookies.pop((key, path), None)

    def _cookie_header(self, path: str) -> str | None:
        now = time.time()
        pairs = [
            f"{cookie.key}={cookie.value}"
            for cookie in self._cookies.values()
            if cookie.matches(path) and (cookie.expires is None or cookie.expires > now)
        ]
        return "; ".join(pairs) or None

    def _store_cookies(self, headers: list[tuple[str, str]], request_path: str) -> None:
        for name, value in headers:
            if name.lower() == "set-cookie":
                cookie = _parse_set_cookie(value, request_path)
                key = (cookie.key, cookie.path)
                if cookie.expires is not None and cookie.expires <= time.time():
                    self._cookies.pop(key, None)
                else:
                    self._cookies[key] = cookie

    # -- requests -----------------------------------------------------------

    def open(
        self,
        path: str = "/",
        method: str = "GET",
        *,
        follow_redirects: bool = False,
        **kwargs: Any,
    ) -> TestResponse:
        """Send one request (and, with ``follow_redirects``, the redirects it leads to).

        Keyword arguments are those of ``build_environ``: ``base_url``,
        ``query_string``, ``headers``, ``data``, ``json``, ``content_type``,
        ``environ_base``, ``environ_overrides``.
        """
        response = self._request(path, method, kwargs)
        history: list[TestResponse] = []
        while follow_redirects and response.status_code in (301, 302, 303, 307, 308):
            if len(history) >= MAX_REDIRECTS:
                raise AssertionError(f"More than {MAX_REDIRECTS} redirects; is there a loop?")
            history.append(response)
            location = urljoin(_request_url(response.environ), response.headers["Location"])
            if response.status_code in (307, 308):
                kwargs.pop("query_string", None)  # the location carries the query already
            else:  # 301/302/303: the browser follows with a GET and no body
                method = "HEAD" if method.upper() == "HEAD" else "GET"
                kwargs = {k: v for k, v in kwargs.items() if k in ("headers", "base_url")}
            kwargs.pop("base_url", None)
            response = self._request(location, method, kwargs)
        response.history = history
        return response

    def _request(self, path: str, method: str, kwargs: dict[str, Any]) -> TestResponse:
        environ = build_environ(self.application, path, method=method, **kwargs)
        if self.use_cookies:
            cookie_header = self._cookie_header(environ["SCRIPT_NAME"] + environ["PATH_INFO"])
            if cookie_header and "HTTP_COOKIE" not in environ:
                environ["HTTP_COOKIE"] = cookie_header
        self._pop_preserved_context()
        if self._preserve:
            environ["microwsgi.preserve_context"] = self._keep_context
        status, headers, body = run_wsgi_app(self.application, environ)
        if self.use_cookies:
            self._store_cookies(headers, environ["SCRIPT_NAME"] + environ["PATH_INFO"])
        response = TestResponse(body, status, headers)
        response.environ = environ
        return response

    def get(self, path: str = "/", **kwargs: Any) -> TestResponse:
        return self.open(path, "GET", **kwargs)

    def post(self, path: str = "/", **kwargs: Any) -> TestResponse:
        return self.open(path, "POST", **kwargs)

    def put(self, path: str = "/", **kwargs: Any) -> TestResponse:
        return self.open(path, "PUT", **kwargs)

    def patch(self, path: str = "/", **kwargs: Any) -> TestResponse:
        return self.open(path, "PATCH", **kwargs)

    def delete(self, path: str = "/", **kwargs: Any) -> TestResponse:
        return self.open(path, "DELETE", **kwargs)

    def head(self, path: str = "/", **kwargs: Any) -> TestResponse:
        return self.open(path, "HEAD", **kwargs)

    def options(self, path: str = "/", **kwargs: Any) -> TestResponse:
        return self.open(path, "OPTIONS", **kwargs)

    # -- keeping the last context -------------------------------------------

    def _keep_context(self, ctx: RequestContext, error: BaseException | None) -> None:
        self._preserved = (ctx, error)

    def _pop_preserved_context(self) -> None:
        if self._preserved is not None:
            ctx, error = self._preserved
            self._preserved = None
            ctx.pop(error)

    def __enter__(self) -> TestClient:
        if self._preserve:
            raise RuntimeError("This client is already in a 'with' block; they do not nest.")
        self._preserve = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._preserve = False
        self._pop_preserved_context()


def _request_url(environ: dict[str, Any]) -> str:
    path = quote((environ["SCRIPT_NAME"] + environ["PATH_INFO"]).encode("latin-1"), safe="/")
    query = f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else ""
    return f"{environ['wsgi.url_scheme']}://{environ['HTTP_HOST']}{path}{query}"


def _parse_set_cookie(header: str, request_path: str) -> Cookie:
    """Enough of RFC 6265's Set-Cookie parsing for tests: value, Path, Max-Age, Expires."""
    pair, *attributes = header.split(";")
    key, _, value = pair.strip().partition("=")
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    default_path = request_path.rsplit("/", 1)[0] or "/"
    path, expires = default_path, None
    for attribute in attributes:
        name, _, attr_value = attribute.strip().partition("=")
        name = name.lower()
        if name == "path" and attr_value.startswith("/"):
            path = attr_value
        elif name == "max-age" and attr_value.lstrip("-").isdigit():
            expires = time.time() + int(attr_value)
        elif name == "expires" and expires is None:
            with contextlib.suppress(TypeError, ValueError):
                expires = parsedate_to_datetime(attr_value).timestamp()
    return Cookie(key.strip(), value, path, expires)


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
