"""Whatever exception the standard library raises on hostile input, the client gets a 4xx.

``int()`` refuses thousands of digits with ``ValueError``, ``float()`` turns
them into ``inf``, ``json`` recurses until ``RecursionError``, the date parser
overflows. Each place that parses a header, a query, a cookie or a body turns
those into the right 4xx (or, for a header that is only a hint, ignores it).
"""

from __future__ import annotations

from wsgiref.validate import validator

import pytest

from microwsgi import request
from microwsgi.testing import build_environ, run_wsgi_app


def call(app, path="/", overrides=None, validate=True, **kwargs):
    environ = build_environ(app, path, **kwargs)
    environ.update(overrides or {})
    # wsgiref's validator refuses a CONTENT_LENGTH that is not a number: a server
    # must not pass one on. The app must still cope with a server that does.
    status, headers, body = run_wsgi_app(validator(app) if validate else app, environ)
    return int(status.split()[0]), dict(headers), body


@pytest.fixture
def app(app):
    @app.route("/json", methods=["POST"])
    def echo_json():
        return {"got": request.get_json()}

    @app.route("/everything", methods=["GET", "POST"])
    def everything():
        for name in ("cookies", "accept_mimetypes", "content_length", "args", "form", "files"):
            getattr(request, name)
        return "ok"

    app.add_url_rule("/n/<int:n>", "int_view", lambda n: str(n))
    app.add_url_rule("/f/<float:x>", "float_view", lambda x: str(x))
    app.add_url_rule("/static-like", "file", lambda: "file")
    return app


def post_json(app, text):
    return call(app, "/json", method="POST", data=text, content_type="application/json")


def test_json_nested_a_thousand_deep_is_400_not_a_recursion_error(app):
    status, _, body = post_json(app, "[" * 1000 + "]" * 1000)
    assert status == 400
    assert b"nested too deeply" in body


def test_json_nested_deeper_than_the_c_stack_is_400(app):
    assert post_json(app, "[" * 100_000 + "]" * 100_000)[0] == 400


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}', "1e999", "[-1e400]"])
def test_json_nan_infinity_and_overflowing_numbers_are_400(app, text):
    status, _, body = post_json(app, text)
    assert status == 400
    assert b"not valid JSON" in body


def test_json_with_a_huge_integer_is_400(app):
    assert post_json(app, "1" * 5000)[0] == 400


def test_content_length_of_thousands_of_digits_is_413(app):
    overrides = {"CONTENT_LENGTH": "9" * 5000}
    status, _, _ = call(app, "/everything", overrides, validate=False)
    assert status == 413


def test_content_length_of_many_leading_zeros_is_its_value(app):
    with app.test_request_context(environ_overrides={"CONTENT_LENGTH": "0" * 5000 + "12"}):
        assert request.content_length == 12


@pytest.mark.parametrize("value", ["-1", "1e3", "0x10", "١٢", "12 13"])
def test_content_length_that_is_not_a_number_is_400(app, value):
    assert call(app, "/everything", {"CONTENT_LENGTH": value}, validate=False)[0] == 400


def test_an_int_route_with_thousands_of_digits_is_404(app):
    assert call(app, "/n/" + "9" * 5000)[0] == 404


def test_a_float_route_whose_value_overflows_is_404_not_infinity(app):
    assert call(app, "/f/" + "9" * 400 + ".5")[0] == 404


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("HTTP_ACCEPT", "text/html;q=1e999999, */*;q=nan"),
        ("HTTP_ACCEPT", "a/b;q=" + "9" * 5000),
        ("HTTP_COOKIE", 'a="\\777\\"; b=' + "\xff" * 10 + "; =; ;;"),
        ("HTTP_COOKIE", "a=" + "%" * 1000),
        ("HTTP_IF_MODIFIED_SINCE", "Mon, 01 Jan 99999999999 00:00:00 GMT"),
        ("HTTP_RANGE", "bytes=" + "9" * 5000 + "-"),
        ("QUERY_STRING", "a=" + "9" * 5000 + "&b=%"),
    ],
)
def test_absurd_headers_and_queries_never_give_a_500(app, header, value):
    assert call(app, "/everything", overrides={header: value})[0] in (200, 400)


def test_a_multipart_boundary_that_is_too_long_is_400(app):
    status, _, _ = call(
        app,
        "/everything",
        method="POST",
        data=b"x",
        content_type="multipart/form-data; boundary=" + "a" * 100,
    )
    assert status == 400


def test_get_json_silent_gives_none_for_deep_nesting(app):
    with app.test_request_context(
        method="POST", data="[" * 5000 + "]" * 5000, content_type="application/json"
    ):
        assert request.get_json(silent=True) is None


@pytest.mark.parametrize("port", ["9" * 5000, "99999", "0", "-1", "٣", ""])
def test_proxy_fix_ignores_an_absurd_forwarded_port_instead_of_raising(port):
    from microwsgi.proxy_fix import ProxyFix

    seen = {}

    def inner(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return []

    environ = {"HTTP_X_FORWARDED_PORT": port, "HTTP_HOST": "a.test", "SERVER_PORT": "80"}
    ProxyFix(inner, x_port=1)(environ, lambda *args: None)
    assert (seen["HTTP_HOST"], seen["SERVER_PORT"]) == ("a.test", "80")
