"""A request attribute that fails when first read outside the view still gives the client a 4xx.

``request.path``, ``args``, ``full_path``, ``url``, ``host`` and ``script_root``
are checked when first read. That first read may happen in an ``after_request``
hook, an error handler, a ``teardown_request`` function or while the session is
saved. Wherever it happens: the client gets the 4xx the first failure deserves,
a second read raises the same kind of error, nothing leaves the WSGI callable,
and no hook runs twice.
"""

from __future__ import annotations

import logging
from wsgiref.validate import validator

import pytest

from microwsgi import App, request, session
from microwsgi.exceptions import BadRequest
from microwsgi.testing import build_environ, run_wsgi_app


def call(app, path="/", **kwargs):
    """Call the app through ``wsgiref.validate``; ``(status code, headers, body)``."""
    environ_overrides = kwargs.pop("environ_overrides", None)
    environ = build_environ(app, path, environ_overrides=environ_overrides, **kwargs)
    status, headers, body = run_wsgi_app(validator(app), environ)
    return int(status.split()[0]), dict(headers), body


@pytest.fixture
def app(app):
    app.add_url_rule("/", "home", lambda: "home")
    app.add_url_rule("/<name>", "named", lambda name: name)
    return app


def test_after_request_hook_reading_full_path_of_a_non_utf8_path_is_400(app):
    seen = []

    @app.after_request
    def access_log(response):
        seen.append(request.full_path)
        return response

    status, _, body = call(app, "/%ED")
    assert status == 400
    assert b"UTF-8" in body
    assert seen == []  # the hook failed: it logged nothing, and it did not run again


def test_after_request_hook_reading_args_of_a_bad_query_is_400(app):
    @app.after_request
    def track(response):
        response.headers["X-Source"] = request.args.get("utm_source", "")
        return response

    assert call(app, "/?utm_source=%FF")[0] == 400
    assert call(app, "/?utm_source=mail")[1]["X-Source"] == "mail"


def test_error_handler_rendering_request_url_with_an_invalid_host_keeps_the_400(app):
    @app.route("/where")
    def where():
        return request.url

    @app.errorhandler(400)
    def bad_request(error):
        return f"bad request to {request.url}", 400

    status, _, body = call(app, "/where", headers={"Host": "a b"})
    assert status == 400
    assert b"Host" in body  # the default page of the first failure, which names the header


def test_error_handler_of_a_404_that_fails_on_the_host_keeps_the_404(app):
    @app.errorhandler(404)
    def not_found(error):
        return f"nothing at {request.url}"

    assert call(app, "/a/b/c", headers={"Host": "a b"})[0] == 404


def test_teardown_reading_the_path_of_a_non_utf8_path_does_not_escape(app, caplog):
    seen = []

    @app.teardown_request
    def read_path(exc):
        seen.append("teardown ran")
        request.path  # noqa: B018 - raises BadRequest: the path is not UTF-8

    with caplog.at_level(logging.ERROR):
        status, _, _ = call(app, "/%FF")
    assert status == 400
    assert seen == ["teardown ran"]
    assert "A teardown_request function failed" in caplog.text


def test_a_failing_teardown_does_not_stop_the_others(app, caplog):
    calls = []
    app.teardown_request(lambda exc: calls.append("first registered"))

    @app.teardown_request
    def broken(exc):
        raise RuntimeError("teardown failed")

    app.teardown_appcontext(lambda exc: calls.append("app"))
    with caplog.at_level(logging.ERROR):
        assert call(app, "/")[0] == 200
    assert calls == ["first registered", "app"]
    assert "teardown failed" in caplog.text


def test_teardown_appcontext_that_raises_is_logged_not_raised(app, caplog):
    @app.teardown_appcontext
    def broken(exc):
        raise RuntimeError("app teardown failed")

    with caplog.at_level(logging.ERROR):
        assert call(app, "/")[0] == 200
        with app.app_context():
            pass
    assert caplog.text.count("A teardown_appcontext function failed") == 2


def test_a_script_name_that_is_not_utf8_with_a_view_using_the_session_is_400(app):
    @app.route("/count")
    def count():
        session["n"] = session.get("n", 0) + 1
        return str(session["n"])

    status, headers, _ = call(app, "/count", environ_overrides={"SCRIPT_NAME": "/\xff"})
    assert status == 400
    assert "Set-Cookie" not in headers


def test_an_after_request_hook_that_raises_runs_once(app, caplog):
    runs = []

    @app.after_request
    def broken(response):
        runs.append(1)
        raise RuntimeError("hook failed")

    with caplog.at_level(logging.ERROR):
        assert call(app, "/")[0] == 500
    assert runs == [1]


def test_hooks_after_a_failing_one_still_run_once_on_the_500(app, caplog):
    runs = []

    @app.after_request
    def last(response):  # registered first, so it runs last
        runs.append("last")
        response.headers["X-Logged"] = "yes"
        return response

    @app.after_request
    def broken(response):
        runs.append("broken")
        raise RuntimeError("hook failed")

    with caplog.at_level(logging.ERROR):
        status, headers, _ = call(app, "/")
    assert status == 500
    assert headers["X-Logged"] == "yes"
    assert runs == ["broken", "last"]


def test_hooks_after_one_that_raised_an_http_error_run_on_its_response(app):
    runs = []

    @app.after_request
    def access_log(response):  # registered first, so it runs last: sees the 400
        runs.append(response.status_code)
        return response

    @app.after_request
    def read_args(response):
        request.args  # noqa: B018 - raises BadRequest
        return response

    assert call(app, "/?q=%zz")[0] == 400
    assert runs == [400]


def test_the_error_handler_runs_for_an_http_error_raised_by_an_after_request_hook(app):
    @app.after_request
    def read_args(response):
        request.args  # noqa: B018 - raises BadRequest
        return response

    @app.errorhandler(400)
    def bad_request(error):
        return {"error": error.description}

    status, headers, body = call(app, "/?q=%zz")
    assert status == 400
    assert headers["Content-Type"] == "application/json"
    assert b"malformed percent-escape" in body


def test_a_hook_that_fails_in_a_500_handler_path_runs_once(app, caplog):
    runs = []

    @app.route("/boom")
    def boom():
        raise RuntimeError("view failed")

    @app.after_request
    def broken(response):
        runs.append(response.status_code)
        raise RuntimeError("hook failed")

    with caplog.at_level(logging.ERROR):
        assert call(app, "/boom")[0] == 500
    assert runs == [500]


@pytest.mark.parametrize(
    ("attribute", "path", "overrides"),
    [
        ("path", "/%FF", None),
        ("full_path", "/%FF", None),
        ("args", "/?a=%FF", None),
        ("full_path", "/", {"QUERY_STRING": "a=\xff"}),
        ("url", "/", {"HTTP_HOST": "a b"}),
        ("host", "/", {"HTTP_HOST": "a b"}),
        ("url_root", "/", {"HTTP_HOST": "a b"}),
        ("script_root", "/", {"SCRIPT_NAME": "/\xff"}),
        ("url", "/", {"SCRIPT_NAME": "/\xff"}),
    ],
)
def test_a_second_read_raises_the_same_kind_of_error(app, attribute, path, overrides):
    environ = build_environ(app, path, environ_overrides=overrides)
    with app.request_context(environ):
        with pytest.raises(BadRequest) as first:
            getattr(request, attribute)
        with pytest.raises(BadRequest) as second:
            getattr(request, attribute)
    assert type(first.value) is type(second.value)
    assert first.value.description == second.value.description


@pytest.mark.parametrize(
    ("path", "overrides"),
    [
        ("/%ED", None),
        ("/?q=%FF", None),
        ("/", {"HTTP_HOST": "a b"}),
        ("/", {"SCRIPT_NAME": "/\xff"}),
    ],
)
def test_every_hook_reading_every_attribute_gives_400_and_nothing_escapes(path, overrides):
    app = App(__name__)
    app.config["SECRET_KEY"] = "k"
    attributes = ["path", "full_path", "args", "url", "base_url", "host", "script_root"]

    def read_all():
        for name in attributes:
            getattr(request, name)

    app.add_url_rule("/", "home", lambda: "home")
    app.before_request(lambda: None)
    app.after_request(lambda response: (read_all(), response)[1])
    app.teardown_request(lambda exc: read_all())
    app.errorhandler(400)(lambda error: f"bad: {request.url}")
    app.errorhandler(500)(lambda error: f"broken: {request.url}")
    assert call(app, path, environ_overrides=overrides)[0] == 400


def test_teardown_exceptions_never_reach_the_test_client_either(app, caplog):
    app.testing = True

    @app.teardown_request
    def broken(exc):
        raise RuntimeError("teardown failed")

    with caplog.at_level(logging.ERROR):
        assert app.test_client().get("/").status_code == 200
    assert "teardown failed" in caplog.text
