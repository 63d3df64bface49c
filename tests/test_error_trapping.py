"""Trapping HTTP errors (``TRAP_HTTP_EXCEPTIONS``, ``TRAP_BAD_REQUEST_ERRORS``), what a
missing key's page says, WSGI applications as return values, and the checks on
``register_error_handler``'s argument."""

from __future__ import annotations

import pytest

from microwsgi import abort, request
from microwsgi.exceptions import BadRequest, BadRequestKeyError, NotFound


@pytest.fixture
def routes(app):
    app.add_url_rule("/key", "key", lambda: request.form["missing_key"])
    app.add_url_rule("/abort400", "abort400", lambda: abort(400))
    app.add_url_rule("/abort404", "abort404", lambda: abort(404))
    return app


def test_by_default_http_errors_are_answered(routes, client) -> None:
    assert client.get("/key").status_code == 400
    assert client.get("/abort400").status_code == 400
    assert client.get("/abort404").status_code == 404


def test_trap_http_exceptions_raises_every_http_error_in_a_test(routes, client) -> None:
    routes.config.update(TESTING=True, TRAP_HTTP_EXCEPTIONS=True)
    with pytest.raises(NotFound):
        client.get("/abort404")
    with pytest.raises(BadRequest):
        client.get("/abort400")


def test_a_trapped_error_without_test_mode_is_a_logged_500(routes, client, caplog) -> None:
    routes.config["TRAP_HTTP_EXCEPTIONS"] = True
    assert client.get("/abort404").status_code == 500
    assert "NotFound" in caplog.text


def test_a_handler_for_the_trapped_class_still_answers(routes, client) -> None:
    routes.config.update(TESTING=True, TRAP_HTTP_EXCEPTIONS=True)
    routes.errorhandler(NotFound)(lambda error: "handled")
    response = client.get("/abort404")
    assert (response.status_code, response.text) == (404, "handled")


def test_trap_bad_request_errors_raises_bad_requests_only(routes, client) -> None:
    routes.config.update(TESTING=True, TRAP_BAD_REQUEST_ERRORS=True)
    with pytest.raises(BadRequest):
        client.get("/abort400")
    with pytest.raises(KeyError) as caught:
        client.get("/key")
    assert "missing_key" in caught.value.get_description()  # named, for the developer
    assert client.get("/abort404").status_code == 404


def test_trap_bad_request_errors_false_answers_even_in_debug(routes, client) -> None:
    routes.config.update(TESTING=True, DEBUG=True, TRAP_BAD_REQUEST_ERRORS=False)
    assert client.get("/key").status_code == 400


def test_in_debug_a_missing_key_is_trapped_and_an_abort_is_not(routes, client) -> None:
    routes.config.update(TESTING=True, DEBUG=True)
    with pytest.raises(BadRequestKeyError):
        client.get("/key")
    assert client.get("/abort400").status_code == 400


def test_in_debug_the_trapped_key_shows_on_the_debug_page(routes, client) -> None:
    routes.config["DEBUG"] = True
    response = client.get("/key")
    assert response.status_code == 500  # the debug page, with the traceback
    assert "missing_key" in response.text


def test_a_missing_key_page_does_not_name_the_key_in_production(routes, client) -> None:
    response = client.get("/key")
    assert response.status_code == 400
    assert "missing_key" not in response.text
    assert "missing a required value" in response.text


def test_show_exception_names_the_key() -> None:
    error = BadRequestKeyError("token")
    assert "token" not in error.description
    error.show_exception = True
    assert "'token'" in error.description
    assert "token" in error.get_description()


def test_propagate_exceptions_false_answers_500_even_in_test_mode(app, client) -> None:
    app.config.update(TESTING=True, PROPAGATE_EXCEPTIONS=False)
    app.route("/")(lambda: 1 / 0)
    assert client.get("/").status_code == 500


# -- WSGI applications as return values ------------------------------------------------------


def test_a_view_may_return_an_http_exception(app, client) -> None:
    app.route("/")(lambda: NotFound("no memo 7"))
    response = client.get("/")
    assert response.status_code == 404
    assert "no memo 7" in response.text


def test_a_view_may_return_a_wsgi_application(app, client) -> None:
    def legacy_app(environ, start_response):
        start_response("202 Accepted", [("Content-Type", "text/plain"), ("X-Legacy", "1")])
        return [b"from ", environ["PATH_INFO"].encode()]

    app.route("/old")(lambda: legacy_app)
    response = client.get("/old")
    assert (response.status_code, response.text) == (202, "from /old")
    assert response.headers["X-Legacy"] == "1"


def test_a_callable_that_is_not_a_wsgi_app_is_a_clear_type_error(app, client) -> None:
    app.testing = True
    app.route("/")(lambda: lambda: None)
    with pytest.raises(TypeError, match="called as a WSGI application and failed"):
        client.get("/")


def test_an_http_exception_is_a_wsgi_application() -> None:
    statuses: list[str] = []
    body = NotFound()({"REQUEST_METHOD": "GET"}, lambda status, headers: statuses.append(status))
    assert [status[:3] for status in statuses] == ["404"]
    assert b"Not Found" in b"".join(body)


# -- what register_error_handler accepts ------------------------------------------------------


def test_an_instance_is_refused_with_the_fix(app) -> None:
    with pytest.raises(TypeError, match=r"ValueError\(\) is an instance, not a class"):
        app.register_error_handler(ValueError(), lambda error: "")


def test_a_class_that_is_not_an_exception_is_refused(app) -> None:
    with pytest.raises(ValueError, match="'list' is not a subclass of Exception"):
        app.register_error_handler(list, lambda error: "")
    with pytest.raises(ValueError, match="'KeyboardInterrupt' is not a subclass of Exception"):
        app.register_error_handler(KeyboardInterrupt, lambda error: "")
