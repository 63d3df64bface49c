"""Malformed requests get a clear 4xx, never a 500 and never a hang.

Each case goes through the whole app; a view that would reach the bad data
is registered so the error happens where a real app would meet it.
"""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from microwsgi import request
from microwsgi.testing import build_environ, run_wsgi_app


@pytest.fixture
def app(app):
    app.config["MAX_CONTENT_LENGTH"] = 1024

    @app.route("/")
    def index():
        return {"args": request.args.to_dict()}

    @app.route("/<name>")
    def named(name):
        return name

    @app.route("/form", methods=["POST"])
    def form():
        return {"form": request.form.to_dict(), "files": list(request.files)}

    @app.route("/json", methods=["POST"])
    def json_view():
        return {"json": request.get_json()}

    @app.route("/body", methods=["POST"])
    def body():
        return str(len(request.get_data()))

    @app.route("/header")
    def header():
        return "x", {"X-Reflect": request.args["v"]}

    return app


def status_of(app, path="/", method="GET", **kwargs):
    status, _headers, body = run_wsgi_app(app, build_environ(app, path, method=method, **kwargs))
    return int(status.split()[0]), body


def test_invalid_utf8_in_the_path_is_400(app):
    environ = build_environ(app, "/")
    environ["PATH_INFO"] = "/\xff\xfe"  # raw bytes ff fe, not UTF-8
    status, _, _body = run_wsgi_app(app, environ)
    assert status.startswith("400")


def test_malformed_percent_encoding_in_the_path_is_400(app):
    # Werkzeug's client, like uWSGI, passes the raw request target in REQUEST_URI.
    response = Client(app).get("/%zz")
    assert response.status_code == 400
    assert "percent" in response.text
    response.close()


@pytest.mark.parametrize("query", ["q=%zz", "q=%4", "q=%ff", "q=%C3%28"])
def test_bad_query_string_is_400(app, query):
    assert status_of(app, f"/?{query}")[0] == 400


def test_bad_query_string_does_not_matter_to_a_view_that_ignores_it(app):
    assert status_of(app, "/named?q=%zz")[0] == 200


def test_truncated_multipart_is_400(app):
    body = b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue'
    status, _ = status_of(
        app, "/form", "POST", data=body, content_type="multipart/form-data; boundary=B"
    )
    assert status == 400


def test_multipart_without_boundary_is_400(app):
    assert status_of(app, "/form", "POST", data=b"x", content_type="multipart/form-data")[0] == 400


def test_content_length_larger_than_the_body_is_400(app):
    status, _ = status_of(
        app, "/body", "POST", data=b"short", environ_overrides={"CONTENT_LENGTH": "100"}
    )
    assert status == 400


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "0x10"])
def test_invalid_content_length_is_400(app, length):
    status, _ = status_of(
        app, "/body", "POST", data=b"x", environ_overrides={"CONTENT_LENGTH": length}
    )
    assert status == 400


def test_body_over_max_content_length_is_413(app):
    assert status_of(app, "/body", "POST", data=b"x" * 2048)[0] == 413


def test_the_limit_is_read_from_config_when_the_body_is_read(app):
    app.config["MAX_CONTENT_LENGTH"] = 4096  # changed after the app was set up
    assert status_of(app, "/body", "POST", data=b"x" * 2048) == (200, b"2048")
    app.config["MAX_CONTENT_LENGTH"] = 100
    assert status_of(app, "/body", "POST", data=b"x" * 200)[0] == 413


def test_a_before_request_hook_may_raise_the_limit_for_one_route(app):
    @app.before_request
    def allow_large_uploads():
        if request.path == "/body":
            request.max_content_length = 10_000

    assert status_of(app, "/body", "POST", data=b"x" * 5000) == (200, b"5000")
    assert (
        status_of(app, "/json", "POST", data=b"1" * 5000, content_type="application/json")[0] == 413
    )


def test_form_over_max_content_length_is_413(app):
    assert status_of(app, "/form", "POST", data={"a": "x" * 2048})[0] == 413


def test_bad_json_is_400(app):
    assert status_of(app, "/json", "POST", data=b"{", content_type="application/json")[0] == 400


def test_json_with_invalid_utf8_is_400(app):
    body = b'{"a": "\xff"}'
    assert status_of(app, "/json", "POST", data=body, content_type="application/json")[0] == 400


def test_json_with_wrong_content_type_is_415(app):
    assert status_of(app, "/json", "POST", data=b"{}", content_type="text/plain")[0] == 415


def test_form_with_bad_percent_encoding_is_400(app):
    status, _ = status_of(
        app, "/form", "POST", data=b"a=%zz", content_type="application/x-www-form-urlencoded"
    )
    assert status == 400


def test_crlf_in_a_header_a_view_sets_fails_at_the_view(app):
    app.testing = True
    with pytest.raises(ValueError, match="X-Reflect"):
        status_of(app, "/header?v=a%0D%0ASet-Cookie:%20x=1")


def test_crlf_in_a_header_is_a_500_without_testing_and_no_header_is_sent(app):
    status, body = status_of(app, "/header?v=a%0D%0ASet-Cookie:%20x=1")
    assert status == 500
    assert b"Set-Cookie" not in body


def test_nothing_leaks_into_the_next_request_after_bad_input(app):
    status_of(app, "/?q=%zz")
    assert status_of(app, "/?q=ok")[1] == b'{"args":{"q":"ok"}}\n'
