"""Seed 002's raw WSGI apps (examples/raw_wsgi/), called as a WSGI server calls them."""

from __future__ import annotations

import io
from typing import Any

from examples.raw_wsgi import wsgi1, wsgi2
from microwsgi.testing import build_environ, run_wsgi_app

JSON = "application/json; charset=utf-8"


def call(app: Any, path: str = "/", **kwargs: Any) -> tuple[str, dict[str, str], bytes]:
    status, headers, body = run_wsgi_app(app, build_environ(None, path, **kwargs))
    return status, dict(headers), body


def test_wsgi1_answers_every_path_with_its_greeting():
    for path in ("/", "/anything", "/a/b"):
        assert call(wsgi1.application, path)[::2] == ("200 OK", b"Hello World wsgi1")


def test_wsgi1_sends_content_type_and_length():
    _, headers, body = call(wsgi1.application)
    assert headers == {"Content-Type": "text/html", "Content-Length": str(len(body))}


def test_wsgi1_logs_the_request_line_to_wsgi_errors():
    errors = io.StringIO()
    call(wsgi1.application, "/where", method="POST", environ_overrides={"wsgi.errors": errors})
    assert errors.getvalue() == "POST /where\n"


def test_wsgi2_greets_the_name_in_the_json_body():  # the seed's curl command
    status, _, body = call(
        wsgi2.application,
        "/60162176",
        method="POST",
        data=b'{"name":"JongHyun"}',
        content_type=JSON,
    )
    assert (status, body) == ("200 OK", b"Hello World JongHyun")


def test_wsgi2_reads_utf8_names():
    status, _, body = call(
        wsgi2.application, method="POST", data='{"name":"종현"}'.encode(), content_type=JSON
    )
    assert (status, body.decode()) == ("200 OK", "Hello World 종현")


def test_wsgi2_escapes_the_name_in_its_html():
    _, _, body = call(wsgi2.application, method="POST", data=b'{"name":"<b>"}', content_type=JSON)
    assert body == b"Hello World &lt;b&gt;"


def test_wsgi2_reads_no_more_than_content_length():
    environ = build_environ(None, "/", method="POST", data=b'{"name":"Kim"}', content_type=JSON)
    environ["wsgi.input"] = io.BytesIO(b'{"name":"Kim"}' + b"trailing bytes of the next request")
    status, _, body = run_wsgi_app(wsgi2.application, environ)
    assert (status, body) == ("200 OK", b"Hello World Kim")


def test_wsgi2_without_a_body_is_400():
    status, headers, body = call(wsgi2.application)
    assert status == "400 Bad Request"
    assert b"JSON body" in body
    assert headers["Content-Length"] == str(len(body))


def test_wsgi2_with_broken_json_is_400():
    status, _, _ = call(wsgi2.application, method="POST", data=b"not json", content_type=JSON)
    assert status == "400 Bad Request"


def test_wsgi2_with_a_body_that_is_not_utf8_is_400():
    status, _, _ = call(wsgi2.application, method="POST", data=b'{"name":"\xff"}')
    assert status == "400 Bad Request"


def test_wsgi2_with_a_json_array_is_400():
    status, _, body = call(wsgi2.application, method="POST", data=b"[1]", content_type=JSON)
    assert status == "400 Bad Request"
    assert b'"name" string' in body


def test_wsgi2_without_a_name_is_400():
    status, _, _ = call(wsgi2.application, method="POST", data=b'{"nom":"x"}', content_type=JSON)
    assert status == "400 Bad Request"


def test_wsgi2_with_a_name_that_is_not_a_string_is_400():
    status, _, _ = call(wsgi2.application, method="POST", data=b'{"name":7}', content_type=JSON)
    assert status == "400 Bad Request"


def test_wsgi2_with_a_bad_content_length_is_400():
    status, _, _ = call(wsgi2.application, environ_overrides={"CONTENT_LENGTH": "many"})
    assert status == "400 Bad Request"


def test_wsgi2_refuses_a_body_over_the_limit_before_reading_it():
    environ = build_environ(None, "/", method="POST")
    environ["CONTENT_LENGTH"] = str(wsgi2.MAX_BODY_BYTES + 1)
    environ["wsgi.input"] = io.BytesIO(b"")  # nothing to read: the app must not try
    status, _, _ = run_wsgi_app(wsgi2.application, environ)
    assert status == "413 Content Too Large"
