"""Property-based fuzzing: no generated request makes the app answer 5xx, hang or break WSGI.

Hypothesis builds requests the way attackers and unlucky clients do: paths and
queries of arbitrary bytes and broken percent-escapes, absurd headers
(``Host``, ``Cookie``, ``Accept``, ``Range``, ``If-*``, ``Content-Type``),
any method, and bodies that are JSON (deep, with lone surrogates, NaN),
urlencoded, multipart (well formed or not) or chunked. They go to an app that
uses every feature and whose hooks read every request attribute: an access-log
``after_request`` hook, a ``teardown_request`` hook and error handlers that
render ``request.url``. The app is wrapped in ``wsgiref.validate.validator``.

For every request: the status is below 500 unless the view raises on purpose
(``/boom``), nothing escapes the WSGI callable, the validator finds nothing
wrong, the body can be read to its end, and the whole request takes under 2 s
of CPU time.

CI runs ``FUZZ_EXAMPLES`` examples (a few thousand, well under a minute). A
long campaign: ``MICROWSGI_FUZZ_EXAMPLES=100000 .venv/bin/python -m pytest
tests/test_fuzz.py -q``.
"""

from __future__ import annotations

import io
import json
import logging
import os
import time
import warnings
from typing import Any
from wsgiref.validate import WSGIWarning, validator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microwsgi import App, request, send_from_directory, session
from microwsgi.proxy_fix import ProxyFix

FUZZ_EXAMPLES = int(os.environ.get("MICROWSGI_FUZZ_EXAMPLES", "4000"))
#: CPU seconds one request may take, hooks and body included.
TIME_LIMIT = 2.0

# -- the app ------------------------------------------------------------------

ATTRIBUTES = (
    "method", "path", "full_path", "script_root", "url", "base_url", "url_root", "host_url",
    "host", "scheme", "args", "query_string", "cookies", "headers", "content_type",
    "mimetype", "mimetype_params", "content_length", "accept_mimetypes", "is_json",
    "remote_addr", "user_agent", "referrer", "routing_path", "endpoint", "blueprint",
)  # fmt: skip


def _read_every_attribute() -> list[str]:
    """What an access-log hook might read: every request attribute, as text."""
    seen = []
    for name in ATTRIBUTES:
        value = getattr(request, name)
        if name == "headers":
            value = list(value.items())
        seen.append(repr(value))
    return seen


def make_app(static_folder: str) -> App:
    app = App(__name__, static_folder=static_folder, static_url_path="/static")
    app.config["SECRET_KEY"] = "fuzz-secret"
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.logger.setLevel(logging.CRITICAL)  # the 500s of /boom are expected

    @app.route("/")
    def index():
        return {"args": request.args.to_dict(flat=False)}

    @app.route("/items", methods=["GET", "POST"])
    def items():
        if request.method == "POST":
            return {"form": request.form.to_dict(flat=False), "files": list(request.files)}, 201
        return {"items": [1, 2]}

    @app.route("/items/<int:item_id>", methods=["GET", "PUT", "DELETE"])
    def item(item_id):
        return {"id": item_id, "values": request.values.to_dict()}

    @app.route("/price/<float:amount>")
    def price(amount):
        return {"amount": amount}

    @app.route("/user/<name>/")
    def user(name):
        return f"<p>{name}</p>"

    @app.route("/files/<path:name>")
    def files(name):
        return send_from_directory(static_folder, name)

    @app.route("/json", methods=["POST", "PUT", "PATCH"])
    def echo_json():
        return {"json": request.get_json()}

    @app.route("/body", methods=["POST", "PUT"])
    def body():
        return {"size": len(request.get_data()), "text": request.get_data(as_text=True)[:20]}

    @app.route("/session", methods=["GET", "POST"])
    def use_session():
        session["visits"] = session.get("visits", 0) + 1
        session["last"] = request.args.get("note", "")
        return {"visits": session["visits"]}

    @app.route("/clear")
    def clear():
        session.clear()
        return "cleared"

    @app.route("/header")
    def header():
        return "ok", {"X-Echo": request.headers.get("X-Echo", "")[:50].isalnum() and "yes"}

    @app.route("/boom", methods=["GET", "POST"])
    def boom():
        raise RuntimeError("this view fails on purpose")

    @app.before_request
    def before():
        request.method  # noqa: B018 - touched as a real hook would

    @app.after_request
    def access_log(response):
        response.headers["X-Seen"] = str(len(_read_every_attribute()))
        return response

    @app.teardown_request
    def teardown(exc):
        _read_every_attribute()

    for code in (400, 404, 405, 413, 415, 416, 500):
        app.register_error_handler(code, lambda error: f"error at {request.url}")
    return app


# -- the requests -------------------------------------------------------------

# Text a server could put in the environ: Latin-1 characters standing for bytes.
LATIN1 = st.characters(max_codepoint=0xFF)
URL_PIECES = st.one_of(
    st.text(st.sampled_from("abc/-._~!$&'()*+,;=:@"), min_size=1, max_size=8),
    st.sampled_from(["%", "%2F", "%25", "%zz", "%4", "%ED", "%FF", "%C3%A9", "%00", "..", "//"]),
    st.text(LATIN1, min_size=1, max_size=4),
    st.sampled_from(["items", "items/7", "items/99999999999999999999", "user/x", "json"]),
    st.sampled_from(["files/a.txt", "files/empty.txt", "files/../x", "static/a.txt", "boom"]),
    st.sampled_from(["price/1.5", "price/" + "9" * 400 + ".5", "session", "clear", "header"]),
)
ROUTES = st.sampled_from(
    [
        "/", "/items", "/items/7", "/user/x/", "/user/x", "/json", "/body", "/session",
        "/clear", "/header", "/files/a.txt", "/files/empty.txt", "/static/a.txt",
        "/price/1.5", "/boom",
    ]
)  # fmt: skip
# Mostly the app's own routes (so views, forms and files are reached), else anything.
PATHS = st.one_of(
    ROUTES,
    ROUTES,
    st.tuples(ROUTES, URL_PIECES).map("".join),
    st.lists(URL_PIECES, max_size=6).map(lambda pieces: "/" + "/".join(pieces)),
)
QUERIES = st.one_of(
    st.just(""),
    st.lists(URL_PIECES, max_size=5).map("&".join),
    st.lists(st.tuples(URL_PIECES, URL_PIECES), max_size=4).map(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)
    ),
)
METHODS = st.one_of(
    st.sampled_from(["GET", "POST"]),
    st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
    st.text(st.sampled_from("ABCXYZ-_!"), min_size=1, max_size=8),
)
HEADER_VALUES = st.one_of(
    st.text(LATIN1, max_size=30),
    st.sampled_from(
        [
            "a b", "[::1]:80", "example.com:99999999", "ex\xe4mple", "localhost:", "",
            "text/html, */*", "application/json;q=0.5, text/*;q=nan", "*/*;q=1e999",
            "bytes=0-", "bytes=-0", "bytes=5-1", "bytes=0-1,2-3", "bytes=" + "9" * 30 + "-",
            '"abc"', 'W/"abc"', "*", "Mon, 01 Jan 99999 00:00:00 GMT", "Thu, 01 Jan 1970",
            'a="\\777"; b=%ff; session=x.y.z; =; ;', "9" * 5000, "1.2.3.4, 5.6.7.8",
            "https", "//evil.example", "/prefix/%ff",
        ]
    ),
)  # fmt: skip
HEADER_NAMES = st.sampled_from(
    [
        "HTTP_HOST", "HTTP_COOKIE", "HTTP_ACCEPT", "HTTP_RANGE", "HTTP_IF_RANGE",
        "HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
        "HTTP_IF_UNMODIFIED_SINCE", "HTTP_USER_AGENT", "HTTP_REFERER", "HTTP_X_ECHO",
        "HTTP_ORIGIN", "HTTP_X_CSRF_TOKEN", "REQUEST_URI", "HTTP_X_FORWARDED_FOR",
        "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
        "HTTP_X_FORWARDED_PREFIX",
    ]
)  # fmt: skip
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def bodies(draw: Any) -> tuple[bytes, str | None]:
    """A request body and its Content-Type."""
    kind = draw(st.sampled_from(["none", "json", "deep", "urlencoded", "multipart", "raw"]))
    if kind == "none":
        return b"", None
    if kind == "json":
        text = json.dumps(draw(JSON_VALUES), ensure_ascii=draw(st.booleans()))
        content_type = draw(st.sampled_from(["application/json", "application/x+json"]))
        return text.encode("utf-8", "surrogatepass"), content_type
    if kind == "deep":
        depth = draw(st.integers(1, 50_000))
        return ("[" * depth + "]" * depth).encode(), "application/json"
    if kind == "urlencoded":
        text = draw(QUERIES)
        return text.encode("latin-1"), "application/x-www-form-urlencoded"
    if kind == "multipart":
        boundary = draw(st.sampled_from(["B", "----x", "a" * 80, ""]))
        parts = []
        for name, filename, data in draw(
            st.lists(
                st.tuples(
                    st.text(LATIN1, max_size=6), st.none() | st.text(max_size=6), st.binary()
                ),
                max_size=3,
            )
        ):
            disposition = f'form-data; name="{name}"'
            if filename is not None:
                disposition += f'; filename="{filename}"'
            parts.append(
                f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode(
                    "utf-8", "surrogatepass"
                )
                + data
                + b"\r\n"
            )
        body = b"".join(parts)
        if draw(st.booleans()):
            body += f"--{boundary}--\r\n".encode()
        return body, f"multipart/form-data; boundary={boundary}"
    content_type = draw(st.one_of(st.none(), HEADER_VALUES))
    return draw(st.binary(max_size=200)), content_type


@st.composite
def environs(draw: Any) -> dict[str, Any]:
    path, query, method = draw(PATHS), draw(QUERIES), draw(METHODS)
    body, content_type = draw(bodies())
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": draw(
            st.sampled_from(["", "", "", "", "", "", "/app", "/caf\xc3\xa9", "/\xff"])
        ),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": draw(st.sampled_from(["http", "https"])),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if draw(st.booleans()):  # the raw request target, as uWSGI and gunicorn pass it
        raw = path.encode("latin-1")
        environ["REQUEST_URI"] = raw.decode("latin-1") + (f"?{query}" if query else "")
    if draw(st.booleans()):
        environ["wsgi.input_terminated"] = True  # a chunked body: no Content-Length
    elif body:
        environ["CONTENT_LENGTH"] = str(len(body))
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    for name, value in draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=4)):
        if name != "HTTP_HOST" or draw(st.integers(0, 3)) == 0:  # mostly a valid Host
            environ[name] = value
    return environ


# -- the property --------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("static")
    (folder / "a.txt").write_bytes(b"0123456789")
    (folder / "empty.txt").write_bytes(b"")
    app = make_app(str(folder))
    # Behind ProxyFix trusting every X-Forwarded-* header: its parsing is fuzzed too.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)
    return validator(app)


def run(app: Any, environ: dict[str, Any]) -> tuple[int, bytes]:
    """Call the app as a server would: start_response once, iterate, close."""
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    iterable = app(environ, start_response)
    try:
        body = b"".join(iterable)
    finally:
        iterable.close()
    assert len(statuses) == 1, statuses
    return int(statuses[0][:3]), body


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(environ=environs())
def test_no_generated_request_gets_a_5xx_or_breaks_wsgi(fuzz_app: Any, environ: dict) -> None:
    path_info = environ["PATH_INFO"]
    started, started_cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("error", WSGIWarning)
        # About the environ this test made, not about the app: methods are generated.
        warnings.filterwarnings("ignore", "Unknown REQUEST_METHOD", WSGIWarning)
        status, _body = run(fuzz_app, environ)
    # The limit is on CPU time: on a shared machine a starved process can wait seconds
    # for a core, which says nothing about the app. A hang (nothing in this app can
    # block: the input is in memory) or runaway work uses CPU and is caught; the wall
    # clock only catches the extreme.
    cpu = time.process_time() - started_cpu
    assert cpu < TIME_LIMIT, f"{cpu:.2f} s of CPU for {path_info!r}"
    assert time.perf_counter() - started < 10 * TIME_LIMIT, path_info
    on_purpose = path_info.strip("/") == "boom"
    assert status < 500 or on_purpose, (status, environ)
