"""What RFC 9110 pins down: headers an error requires, empty bodies, ranges at their
edges, content negotiation and preconditions in the RFC's order."""

from __future__ import annotations

from wsgiref.validate import validator

import pytest

from microwsgi import Response, abort, request, send_file, session
from microwsgi.datastructures import MIMEAccept
from microwsgi.exceptions import PreconditionFailed
from microwsgi.http import parse_accept
from microwsgi.testing import build_environ, run_wsgi_app


def call(app, path="/", **kwargs):
    status, headers, body = run_wsgi_app(validator(app), build_environ(app, path, **kwargs))
    return int(status.split()[0]), headers, body


def header(headers, name):
    values = [v for k, v in headers if k.lower() == name.lower()]
    assert len(values) <= 1, values
    return values[0] if values else None


# -- an error handler's response keeps what the status requires (RFC 9110 15.5) ---


@pytest.fixture
def items_app(app):
    app.add_url_rule("/items", "items", lambda: "items", methods=["GET", "POST"])
    return app


def test_a_405_handler_returning_json_keeps_the_allow_header(items_app):
    items_app.errorhandler(405)(lambda error: ({"error": "method not allowed"}, 405))
    status, headers, _ = call(items_app, "/items", method="PUT")
    assert status == 405
    assert header(headers, "Allow") == "GET, HEAD, OPTIONS, POST"
    assert header(headers, "Content-Type") == "application/json"


def test_a_handler_that_sets_its_own_allow_keeps_it(items_app):
    items_app.errorhandler(405)(lambda error: ("no", 405, {"Allow": "GET"}))
    assert header(call(items_app, "/items", method="PUT")[1], "Allow") == "GET"


def test_a_handler_that_answers_another_status_gets_no_allow(items_app):
    items_app.errorhandler(405)(lambda error: ("moved", 404))
    status, headers, _ = call(items_app, "/items", method="PUT")
    assert status == 404
    assert header(headers, "Allow") is None


@pytest.mark.parametrize(
    ("code", "kwargs", "name", "value"),
    [
        (401, {"www_authenticate": 'Bearer realm="api"'}, "WWW-Authenticate", 'Bearer realm="api"'),
        (429, {"retry_after": 30}, "Retry-After", "30"),
        (503, {"retry_after": 120}, "Retry-After", "120"),
    ],
)
def test_handlers_keep_the_headers_their_error_carries(app, code, kwargs, name, value):
    app.route("/")(lambda: abort(code, **kwargs))
    app.errorhandler(code)(lambda error: {"error": error.code})
    status, headers, _ = call(app, "/")
    assert status == code
    assert header(headers, name) == value


def test_a_416_handler_keeps_content_range(app, tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"0123456789")
    app.route("/f")(lambda: send_file(path))
    app.errorhandler(416)(lambda error: "not that range")
    status, headers, _ = call(app, "/f", headers={"Range": "bytes=50-"})
    assert status == 416
    assert header(headers, "Content-Range") == "bytes */10"


# -- session deletion and empty bodies ---------------------------------------------


def test_deleting_the_session_cookie_repeats_every_attribute(app):
    app.config.update(
        SESSION_COOKIE_SAMESITE="None", SESSION_COOKIE_SECURE=True, SESSION_COOKIE_DOMAIN="a.test"
    )
    app.add_url_rule("/login", "login", lambda: (session.update(user="x"), "in")[1])
    app.add_url_rule("/logout", "logout", lambda: (session.clear(), "out")[1])
    client = app.test_client()
    site = "https://a.test/"  # the cookie's domain, over HTTPS as it is Secure
    client.get("/login", base_url=site)
    set_cookie = header(client.get("/login", base_url=site).headers.items(), "Set-Cookie")
    deletion = header(client.get("/logout", base_url=site).headers.items(), "Set-Cookie")
    for attribute in ("Domain=a.test", "Path=/", "Secure", "HttpOnly", "SameSite=None"):
        assert attribute in set_cookie
        assert attribute in deletion
    assert "Max-Age=0" in deletion


def test_the_session_cookie_path_under_a_non_ascii_mount_is_percent_encoded(app):
    app.add_url_rule("/login", "login", lambda: (session.update(user="x"), "in")[1])
    environ = build_environ(app, "/login")
    environ["SCRIPT_NAME"] = "/café".encode().decode("latin-1")
    _, headers, _ = run_wsgi_app(validator(app), environ)
    assert "Path=/caf%C3%A9;" in header(headers, "Set-Cookie") + ";"


def test_the_automatic_options_answer_has_content_length_zero(items_app):
    status, headers, body = call(items_app, "/items", method="OPTIONS")
    assert status == 200
    assert header(headers, "Content-Length") == "0"
    assert body == b""


def test_an_empty_response_with_headers_has_content_length_zero(app):
    app.route("/")(lambda: Response(status=201, headers={"Location": "/x"}))
    assert header(call(app, "/")[1], "Content-Length") == "0"


@pytest.mark.parametrize("code", [100, 103, 204])
def test_no_content_length_or_body_on_1xx_and_204(app, code):
    app.route("/")(lambda: Response("x", status=code))
    environ = build_environ(app, "/")
    status, headers, body = run_wsgi_app(app, environ)  # the validator refuses a 1xx itself
    assert status.startswith(str(code))
    assert header(headers, "Content-Length") is None
    assert header(headers, "Content-Type") is None
    assert body == b""


# -- byte ranges at the edges (RFC 9110 14) ---------------------------------------


@pytest.fixture
def files_app(app, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ten.txt").write_bytes(b"0123456789")
    app.route("/<name>")(lambda name: send_file(tmp_path / name, etag="v1"))
    return app


@pytest.mark.parametrize(
    ("name", "range_header", "status", "content_range", "body"),
    [
        ("empty.txt", "bytes=0-", 200, None, b""),
        ("empty.txt", "bytes=-5", 200, None, b""),
        ("empty.txt", "bytes=-0", 200, None, b""),
        ("ten.txt", "bytes=0-", 206, "bytes 0-9/10", b"0123456789"),
        ("ten.txt", "bytes=0-0", 206, "bytes 0-0/10", b"0"),
        ("ten.txt", "bytes=-3", 206, "bytes 7-9/10", b"789"),
        ("ten.txt", "bytes=-50", 206, "bytes 0-9/10", b"0123456789"),
        ("ten.txt", "bytes=5-100", 206, "bytes 5-9/10", b"56789"),
        ("ten.txt", "bytes=-0", 416, "bytes */10", None),
        ("ten.txt", "bytes=10-", 416, "bytes */10", None),
        ("ten.txt", "bytes=99-100", 416, "bytes */10", None),
        ("ten.txt", "bytes=0-1,4-5", 200, None, b"0123456789"),
        ("ten.txt", "bytes=5-1", 200, None, b"0123456789"),
        ("ten.txt", "items=0-1", 200, None, b"0123456789"),
    ],
)
def test_byte_ranges_at_the_edges(files_app, name, range_header, status, content_range, body):
    got_status, headers, got_body = call(files_app, f"/{name}", headers={"Range": range_header})
    assert got_status == status
    assert header(headers, "Content-Range") == content_range
    if body is not None:
        assert got_body == body


def test_a_stale_if_range_gets_the_whole_file(files_app):
    headers = {"Range": "bytes=0-1", "If-Range": '"v0"'}
    status, _, body = call(files_app, "/ten.txt", headers=headers)
    assert (status, body) == (200, b"0123456789")
    headers["If-Range"] = '"v1"'
    assert call(files_app, "/ten.txt", headers=headers)[:1] == (206,)


# -- preconditions (RFC 9110 13.2.2) -----------------------------------------------


@pytest.mark.parametrize(
    ("request_headers", "status"),
    [
        ({"If-Match": '"zzz"'}, 412),
        ({"If-Match": 'W/"v1"'}, 412),  # If-Match compares strongly
        ({"If-Match": '"v1"'}, 200),
        ({"If-Match": '"a", "v1"'}, 200),
        ({"If-Match": "*"}, 200),
        ({"If-Unmodified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}, 412),
        ({"If-Unmodified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, 200),
        ({"If-None-Match": '"v1"'}, 304),
        ({"If-None-Match": 'W/"v1"'}, 304),  # If-None-Match compares weakly
        ({"If-None-Match": '"other"'}, 200),
        ({"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, 304),
        ({"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}, 200),
        # The RFC's order: a failed If-Match wins over a matching If-None-Match ...
        ({"If-Match": '"zzz"', "If-None-Match": '"v1"'}, 412),
        # ... If-Match replaces If-Unmodified-Since, If-None-Match replaces If-Modified-Since.
        ({"If-Match": '"v1"', "If-Unmodified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}, 200),
        ({"If-None-Match": '"other"', "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, 200),
        # A failed precondition wins over a Range.
        ({"If-Match": '"zzz"', "Range": "bytes=0-1"}, 412),
        ({"If-Match": "not a tag"}, 412),
        ({"If-Unmodified-Since": "garbage"}, 200),
    ],
)
def test_send_file_evaluates_preconditions_in_the_rfcs_order(files_app, request_headers, status):
    assert call(files_app, "/ten.txt", headers=request_headers)[0] == status


def test_if_none_match_on_a_post_is_412(app, tmp_path):
    (tmp_path / "f").write_bytes(b"x")
    app.route("/f", methods=["POST"])(lambda: send_file(tmp_path / "f", etag="v1"))
    assert call(app, "/f", method="POST", headers={"If-None-Match": '"v1"'})[0] == 412


def test_send_file_with_an_etag_refuses_a_wrong_or_weak_if_match(app, tmp_path):
    (tmp_path / "f").write_bytes(b"x")
    app.route("/f")(lambda: send_file(tmp_path / "f", etag="abc"))
    assert call(app, "/f", headers={"If-Match": '"zzz"'})[0] == 412
    assert call(app, "/f", headers={"If-Match": 'W/"abc"'})[0] == 412
    assert call(app, "/f", headers={"If-Match": '"abc"'})[2] == b"x"


def test_an_empty_static_file_asked_for_bytes_0_is_200_empty(app, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "empty.txt").write_bytes(b"")
    app.static_folder = str(static)
    status, headers, body = call(app, "/static/empty.txt", headers={"Range": "bytes=0-"})
    assert (status, body, header(headers, "Content-Length")) == (200, b"", "0")


def test_static_files_answer_if_match_with_412(app, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "a.txt").write_bytes(b"a")
    app.static_folder = str(static)
    assert call(app, "/static/a.txt", headers={"If-Match": '"zzz"'})[0] == 412


def test_make_conditional_shares_the_rules(app):
    @app.route("/doc")
    def doc():
        response = Response("0123456789", mimetype="text/plain")
        response.headers["ETag"] = '"d1"'
        response.headers["Last-Modified"] = "Tue, 14 Nov 2023 22:13:20 GMT"
        return response.make_conditional(request, accept_ranges=True)

    assert call(app, "/doc")[2] == b"0123456789"
    status, headers, body = call(app, "/doc", headers={"If-None-Match": '"d1"'})
    assert (status, body, header(headers, "Content-Length")) == (304, b"", None)
    assert call(app, "/doc", headers={"If-Match": '"x"'})[0] == 412
    modified = {"If-Modified-Since": "Tue, 14 Nov 2023 22:13:20 GMT"}
    assert call(app, "/doc", headers=modified)[0] == 304
    status, headers, body = call(app, "/doc", headers={"Range": "bytes=2-4"})
    assert (status, body, header(headers, "Content-Range")) == (206, b"234", "bytes 2-4/10")
    assert header(headers, "Accept-Ranges") == "bytes"
    assert call(app, "/doc", headers={"Range": "bytes=20-"})[0] == 416


def test_make_conditional_raises_precondition_failed_outside_the_app():
    response = Response("x")
    response.headers["ETag"] = '"a"'
    with pytest.raises(PreconditionFailed):
        response.make_conditional({"REQUEST_METHOD": "PUT", "HTTP_IF_MATCH": '"b"'})


# -- content negotiation (RFC 9110 12.5.1) -----------------------------------------


@pytest.mark.parametrize(
    ("accept", "offers", "best"),
    [
        ("text/html, */*", ["application/json", "text/html"], "text/html"),
        ("*/*", ["application/json", "text/html"], "application/json"),
        ("text/*, */*", ["application/json", "text/html"], "text/html"),
        ("application/json, text/html", ["text/html", "application/json"], "text/html"),
        ("text/html;q=0.5, */*", ["text/html", "application/json"], "application/json"),
        ("text/html;q=0, */*", ["text/html", "application/json"], "application/json"),
        ("image/png", ["text/html", "application/json"], None),
    ],
)
def test_best_match_breaks_quality_ties_by_specificity_then_server_order(accept, offers, best):
    assert parse_accept(accept).best_match(offers) == best


def test_an_edge_browser_gets_the_html_error_page(app):
    status, headers, _ = call(app, "/missing", headers={"Accept": "text/html, */*"})
    assert status == 404
    assert header(headers, "Content-Type").startswith("text/html")


def test_an_api_client_gets_the_json_error_page(app):
    _, headers, _ = call(app, "/missing", headers={"Accept": "application/json, */*;q=0.1"})
    assert header(headers, "Content-Type") == "application/json"


def test_best_match_default_when_nothing_is_accepted():
    assert MIMEAccept([]).best_match(["text/html"], default="x") == "x"
