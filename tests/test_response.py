"""The Response class on its own: status, headers, body, cookies, WSGI hand-over."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest

from microwsgi import Response, redirect
from microwsgi.testing import build_environ, run_wsgi_app


def call(response, method="GET"):
    return run_wsgi_app(response, {"REQUEST_METHOD": method})


def test_defaults_are_200_html_and_empty():
    response = Response()
    assert response.status == "200 OK"
    assert response.mimetype == "text/html"
    assert response.data == b""


@pytest.mark.parametrize(
    ("given", "line"),
    [
        (201, "201 CREATED"),
        (HTTPStatus.NO_CONTENT, "204 NO CONTENT"),
        ("404", "404 NOT FOUND"),
        ("404 Nope", "404 Nope"),
        (299, "299 UNKNOWN"),
    ],
)
def test_status_in_every_form(given, line):
    assert Response("x", given).status == line


@pytest.mark.parametrize("bad", [99, 1000, "abc", "", "OK 200"])
def test_invalid_status_is_refused(bad):
    with pytest.raises(ValueError):
        Response("x", bad)


def test_status_and_status_code_stay_in_step():
    response = Response()
    response.status_code = 404
    assert response.status == "404 NOT FOUND"
    response.status = "201 CREATED"
    assert response.status_code == 201


def test_mimetype_adds_charset_for_text_only():
    assert Response("x", mimetype="text/plain").content_type == "text/plain; charset=utf-8"
    assert Response("x", mimetype="application/pdf").content_type == "application/pdf"
    assert Response("x", content_type="text/csv").content_type == "text/csv"


def test_header_value_with_newline_is_refused():
    response = Response("x")
    with pytest.raises(ValueError):
        response.headers["X-Evil"] = "a\r\nSet-Cookie: stolen=1"


def test_header_name_with_space_is_refused():
    with pytest.raises(ValueError):
        Response("x").headers["Bad Name"] = "v"


def test_int_header_value_becomes_text():
    response = Response("x")
    response.headers["MY_HEADER"] = 1234
    assert response.headers["MY_HEADER"] == "1234"


def test_set_data_updates_content_length():
    response = Response("short")
    response.set_data("a longer body")
    assert response.headers["Content-Length"] == "13"


def test_streamed_body_is_sent_piece_by_piece():
    produced = []

    def pieces():
        for piece in ("a", "b", "c"):
            produced.append(piece)
            yield piece

    response = Response(pieces())
    assert response.is_streamed
    _status, headers, body = call(response)
    assert body == b"abc"
    assert produced == ["a", "b", "c"]
    assert "Content-Length" not in dict(headers)


def test_generator_is_closed_after_sending():
    closed = []

    def pieces():
        try:
            yield b"a"
            yield b"b"
        finally:
            closed.append(True)

    call(Response(pieces()))
    assert closed == [True]


def test_call_on_close_runs_after_the_body():
    closed = []
    response = Response("x")
    response.call_on_close(lambda: closed.append(1))
    call(response)
    assert closed == [1]


def test_head_request_gets_headers_and_no_body():
    _status, headers, body = call(Response("hello"), method="HEAD")
    assert body == b""
    assert dict(headers)["Content-Length"] == "5"


@pytest.mark.parametrize("code", [204, 304])
def test_no_body_for_204_and_304(code):
    assert call(Response("ignored", code))[2] == b""


def test_get_data_of_a_stream_can_be_read_twice():
    response = Response(iter(["a", "b"]))
    assert response.get_data() == b"ab"
    assert response.get_data(as_text=True) == "ab"


def test_get_json_only_for_json_unless_forced():
    assert Response('{"a": 1}').get_json() is None
    assert Response('{"a": 1}').get_json(force=True) == {"a": 1}
    assert Response('{"a": 1}', mimetype="application/json").json == {"a": 1}
    assert Response("{", mimetype="application/json").get_json(silent=True) is None


def test_set_cookie_writes_every_attribute():
    response = Response()
    response.set_cookie(
        "theme", "dark", max_age=60, path="/app", domain="example.com",
        secure=True, httponly=True, samesite="Lax",
    )  # fmt: skip
    header = response.headers["Set-Cookie"]
    for part in ("theme=dark", "Max-Age=60", "Path=/app", "Domain=example.com",
                 "Secure", "HttpOnly", "SameSite=Lax"):  # fmt: skip
        assert part in header


def test_delete_cookie_expires_it():
    response = Response()
    response.delete_cookie("theme")
    header = response.headers["Set-Cookie"]
    assert header.startswith("theme=")
    assert "Max-Age=0" in header


def test_set_cookie_partitioned_adds_partitioned_and_secure():
    response = Response()
    response.set_cookie("embed", "1", partitioned=True, samesite="None")
    assert response.headers["Set-Cookie"] == "embed=1; Path=/; Secure; SameSite=None; Partitioned"


def test_delete_cookie_accepts_every_attribute_it_was_set_with():
    response = Response()
    response.delete_cookie(
        "embed", path="/app", domain="example.com", secure=True, httponly=True,
        samesite="None", partitioned=True,
    )  # fmt: skip
    header = response.headers["Set-Cookie"]
    for part in ("embed=;", "Max-Age=0", "Path=/app", "Domain=example.com", "Secure",
                 "HttpOnly", "SameSite=None", "Partitioned"):  # fmt: skip
        assert part in header


def test_set_cookie_accepts_werkzeugs_arguments_by_name():
    import inspect

    from werkzeug.wrappers import Response as WerkzeugResponse

    for method in ("set_cookie", "delete_cookie"):
        ours = inspect.signature(getattr(Response, method)).parameters
        theirs = inspect.signature(getattr(WerkzeugResponse, method)).parameters
        assert list(theirs) == list(ours)


def test_max_cookie_size_is_4093_outside_an_app_and_the_config_inside():
    from microwsgi import App

    assert Response().max_cookie_size == 4093
    app = App(__name__)
    app.config["MAX_COOKIE_SIZE"] = 100
    with app.app_context():
        assert Response().max_cookie_size == 100
        with pytest.warns(UserWarning, match="cookie is too large"):
            Response().set_cookie("a", "x" * 200)


def test_vary_adds_each_name_once_in_one_header():
    response = Response("x")
    response.vary.add("Accept-Encoding")
    response.vary.add("cookie")
    response.vary.add("Cookie")  # already there, whatever its case
    response.vary.update(["Accept-Language", "Accept-Encoding"])
    assert response.headers.get_all("Vary") == ["Accept-Encoding, cookie, Accept-Language"]
    assert "COOKIE" in response.vary


def test_vary_reads_the_header_a_view_set():
    response = Response("x", headers={"Vary": "Accept-Encoding,Origin"})
    assert list(response.vary) == ["Accept-Encoding", "Origin"]


def test_assigning_a_header_set_property():
    response = Response("x")
    response.allow = ["GET", "HEAD"]
    assert response.headers["Allow"] == "GET, HEAD"
    response.content_language = "ko"
    assert list(response.content_language) == ["ko"]
    response.allow = None
    assert "Allow" not in response.headers


def test_emptying_a_header_set_removes_the_header():
    response = Response("x", headers={"Vary": "Cookie"})
    vary = response.vary
    vary.discard("cookie")
    assert "Vary" not in response.headers
    with pytest.raises(KeyError):
        vary.remove("Origin")


def test_two_cookies_are_two_headers():
    response = Response()
    response.set_cookie("a", "1")
    response.set_cookie("b", "2")
    assert len(response.headers.getlist("Set-Cookie")) == 2


def test_redirect_sets_location_and_302():
    response = redirect("/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert 'href="/login"' in response.text


def test_redirect_with_code():
    assert redirect("/x", 303).status_code == 303


def test_redirect_percent_encodes_non_ascii_and_newlines():
    response = redirect("/검색?q=a b\r\nSet-Cookie: x=1")
    location = response.headers["Location"]
    assert location.startswith("/%EA%B2%80%EC%83%89?q=a%20b%0D%0ASet-Cookie")
    assert "\n" not in location


def test_redirect_escapes_html_in_body():
    assert "<script>" not in redirect('/"><script>').text


def test_repr_shows_size_and_status():
    assert repr(Response("abc", 201)) == "<Response 3 bytes [201 CREATED]>"


# -- a mimetype is a header value: checked like any other -----------------------


@pytest.mark.parametrize(
    "mimetype",
    [
        "text/plain\r\nSet-Cookie: session=attacker",  # header injection
        "application/octet-stream\nX-Injected: 1",
        "text/plain\x00",
        "text/김",  # no Latin-1 form: a server cannot send it
    ],
)
@pytest.mark.parametrize("body", ["text", b"bytes", ["an", "iterable"]])
def test_a_mimetype_that_is_no_header_value_is_refused(mimetype, body) -> None:
    # The constructor builds Content-Type itself, without Headers' check: the
    # mimetype is checked there, whichever kind of body it comes with.
    with pytest.raises(ValueError, match="Invalid value for header 'Content-Type'"):
        Response(body, mimetype=mimetype)


def test_send_file_with_a_mimetype_from_the_request_cannot_inject_headers() -> None:
    import io

    from microwsgi import App, request, send_file

    app = App(__name__)
    app.logger.disabled = True

    @app.get("/download")
    def download():
        return send_file(io.BytesIO(b"data"), mimetype=request.args["type"])

    client = app.test_client()
    response = client.get("/download", query_string={"type": "text/plain\r\nSet-Cookie: a=b"})
    assert response.status_code == 500
    assert "Set-Cookie" not in response.headers
    assert client.get("/download?type=text/csv").headers["Content-Type"] == (
        "text/csv; charset=utf-8"
    )


# -- direct_passthrough (Werkzeug's name), for the server's file wrapper -------------


class _ServerFileWrapper:
    """What a server puts in ``environ["wsgi.file_wrapper"]`` (PEP 3333)."""

    def __init__(self, file: Any, block_size: int = 8192) -> None:
        self.file = file

    def __iter__(self) -> Any:
        return iter(lambda: self.file.read(4), b"")

    def close(self) -> None:
        self.file.close()


def test_direct_passthrough_hands_the_servers_file_wrapper_back_untouched() -> None:
    import io

    from werkzeug.wsgi import wrap_file

    from microwsgi import App, request

    app = App(__name__)
    opened: list[Any] = []

    @app.route("/report")
    def report() -> Response:
        wrapper = wrap_file(request.environ, io.BytesIO(b"report body"))
        opened.append(wrapper)
        return Response(wrapper, mimetype="text/plain", direct_passthrough=True)

    environ = build_environ(path="/report")
    environ["wsgi.file_wrapper"] = _ServerFileWrapper
    statuses: list[str] = []
    body = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    assert statuses == ["200 OK"]
    assert body is opened[0]  # the server recognises its own object: sendfile
    assert b"".join(body) == b"report body"
    body.close()
    assert opened[0].file.closed
    # The test client reads it like any body.
    assert app.test_client().get("/report").data == b"report body"


def test_direct_passthrough_still_runs_call_on_close() -> None:
    closed: list[str] = []
    response = Response(iter([b"a", b"b"]), direct_passthrough=True)
    assert response.direct_passthrough is True
    response.call_on_close(lambda: closed.append("done"))
    body = response(build_environ(), lambda *args: None)
    assert b"".join(body) == b"ab"
    body.close()
    assert closed == ["done"]


def test_without_direct_passthrough_text_chunks_are_encoded() -> None:
    response = Response(iter(["é", b"!"]))
    assert response.direct_passthrough is False
    body = response(build_environ(), lambda *args: None)
    assert list(body) == ["é".encode(), b"!"]
