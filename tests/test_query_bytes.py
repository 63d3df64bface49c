"""The query string is bytes: written back into a URL, a header or a log line, it is never
taken for Latin-1 text.

PEP 3333 servers hand ``QUERY_STRING`` (and the path) to the app as Latin-1
text standing for the bytes the client sent. A raw UTF-8 ``é`` (bytes C3 A9)
arrives as the two characters ``"Ã©"``; encoding those again would encode each
byte twice.
"""

from __future__ import annotations

import logging
from wsgiref.validate import validator

import pytest

from microwsgi import request
from microwsgi.testing import build_environ, run_wsgi_app

RAW_E_ACUTE = "é".encode().decode("latin-1")  # what a server puts in the environ for raw "é"


def call(app, path="/", query=None, **overrides):
    environ = build_environ(app, path)
    if query is not None:
        environ["QUERY_STRING"] = query
        environ.pop("REQUEST_URI", None)
    environ.update(overrides)
    status, headers, body = run_wsgi_app(validator(app), environ)
    return int(status.split()[0]), dict(headers), body


@pytest.fixture
def app(app):
    app.add_url_rule("/somepath/", "somepath", lambda: "here")
    app.add_url_rule("/fp", "fp", lambda: request.full_path)
    app.add_url_rule("/url", "url", lambda: request.url)
    app.add_url_rule("/args", "args", lambda: request.args["q"])
    return app


def test_trailing_slash_redirect_encodes_each_query_byte_once(app):
    status, headers, _ = call(app, "/somepath", query=RAW_E_ACUTE)
    assert status == 308
    assert headers["Location"] == "/somepath/?%C3%A9"


def test_trailing_slash_redirect_keeps_an_encoded_query_as_sent(app):
    status, headers, _ = call(app, "/somepath", query="q=%C3%A9&x=a+b")
    assert status == 308
    assert headers["Location"] == "/somepath/?q=%C3%A9&x=a+b"


def test_merged_slashes_redirect_encodes_each_query_byte_once(app):
    app.add_url_rule("/a/b", "ab", lambda: "ab")
    status, headers, _ = call(app, "/a//b", query="q=" + RAW_E_ACUTE)
    assert status == 308
    assert headers["Location"] == "/a/b?q=%C3%A9"


def test_redirect_keeps_the_mount_prefix_encoded_once(app):
    prefix = "/café".encode().decode("latin-1")
    status, headers, _ = call(app, "/somepath", query=RAW_E_ACUTE, SCRIPT_NAME=prefix)
    assert status == 308
    assert headers["Location"] == "/caf%C3%A9/somepath/?%C3%A9"


def test_full_path_decodes_a_raw_utf8_query_like_args(app):
    assert call(app, "/fp", query="q=" + RAW_E_ACUTE)[2].decode() == "/fp?q=é"
    assert call(app, "/args", query="q=" + RAW_E_ACUTE)[2].decode() == "é"


def test_full_path_keeps_percent_escapes_as_sent(app):
    # As in Flask: the query is text, its escapes are not decoded.
    assert call(app, "/fp", query="q=%C3%A9")[2] == b"/fp?q=%C3%A9"


def test_full_path_of_a_query_that_is_not_utf8_is_400(app):
    assert call(app, "/fp", query="q=\xff")[0] == 400


def test_url_percent_encodes_raw_query_bytes(app):
    body = call(app, "/url", query="q=" + RAW_E_ACUTE)[2].decode()
    assert body == "http://localhost/url?q=%C3%A9"


def test_the_log_line_of_an_error_shows_the_path_as_utf8(app, caplog):
    @app.route("/caf\u00e9/boom")
    def boom():
        raise RuntimeError("boom")

    path = "/café/boom".encode().decode("latin-1")
    with caplog.at_level(logging.ERROR):
        assert call(app, "/", PATH_INFO=path)[0] == 500
    assert "on /café/boom [GET]" in caplog.text


def test_the_log_line_of_a_path_that_is_not_utf8_shows_the_bytes(app, caplog):
    @app.before_request
    def boom():
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR):
        assert call(app, "/", PATH_INFO="/\xff")[0] == 500
    assert "on /\\xff [GET]" in caplog.text
