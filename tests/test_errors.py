"""HTTP errors, abort, error handlers, and what happens to unhandled exceptions."""

from __future__ import annotations

import logging

import pytest

from microwsgi import HTTPException, Response, abort, make_response, request
from microwsgi.exceptions import (
    BadRequest,
    Forbidden,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    TooManyRequests,
    Unauthorized,
    default_exceptions,
)


def test_abort_401_stops_the_view(app, client):
    reached = []

    @app.route("/login")
    def login():
        abort(401)
        reached.append(1)

    response = client.get("/login")
    assert response.status_code == 401
    assert "Unauthorized" in response.text
    assert reached == []


def test_abort_with_description_shows_it_escaped(app, client):
    app.route("/")(lambda: abort(403, "no <b>entry</b>"))
    response = client.get("/")
    assert response.status_code == 403
    assert "no &lt;b&gt;entry&lt;/b&gt;" in response.text


def test_abort_with_a_response_sends_it_unchanged(app, client):
    app.route("/")(lambda: abort(Response("custom", 402)))
    response = client.get("/")
    assert (response.status_code, response.text) == (402, "custom")


def test_abort_with_unknown_code_is_a_lookup_error():
    with pytest.raises(LookupError, match="abort\\(499\\)"):
        abort(499)


@pytest.mark.parametrize("code", sorted(default_exceptions))
def test_every_known_code_renders_its_own_status(app, client, code):
    app.route("/")(lambda: abort(code))
    response = client.get("/")
    assert response.status_code == code
    assert response.mimetype == "text/html"


def test_error_page_is_json_when_the_client_prefers_json(app, client):
    app.route("/")(lambda: abort(409, "taken"))
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.get_json() == {"code": 409, "name": "Conflict", "description": "taken"}


def test_browser_accept_header_gets_html(app, client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/missing", headers={"Accept": accept})
    assert response.mimetype == "text/html"


def test_405_lists_allowed_methods(app, client):
    app.route("/", methods=["GET", "POST"])(lambda: "ok")
    response = client.delete("/")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS, POST"


def test_401_can_carry_www_authenticate():
    response = Unauthorized(www_authenticate='Basic realm="x"').get_response()
    assert response.headers["WWW-Authenticate"] == 'Basic realm="x"'


def test_429_can_carry_retry_after():
    assert TooManyRequests(retry_after=30).get_response().headers["Retry-After"] == "30"


def test_errorhandler_by_code(app, client):
    app.errorhandler(404)(lambda e: "page_not_found, 404")
    assert client.get("/nowhere").text == "page_not_found, 404"


def test_handler_without_status_keeps_the_error_status(app, client):
    # Seed 004's handler: Flask would send this with 200.
    @app.errorhandler(404)
    def page_not_found(error):
        return "page_not_found, 404"

    assert client.get("/nowhere").status_code == 404


def test_handler_with_headers_but_no_status_keeps_the_error_status(app, client):
    app.errorhandler(404)(lambda e: ("gone", {"X-Why": "moved"}))
    response = client.get("/nowhere")
    assert (response.status_code, response.headers["X-Why"]) == (404, "moved")


def test_handler_may_choose_another_status(app, client):
    app.errorhandler(404)(lambda e: ("see elsewhere", 410))
    assert client.get("/nowhere").status_code == 410


def test_handler_returning_a_response_object_is_sent_as_built(app, client):
    app.errorhandler(404)(lambda e: make_response("redirecting", 302))
    assert client.get("/nowhere").status_code == 302


def test_errorhandler_by_http_exception_class(app, client):
    app.errorhandler(Forbidden)(lambda e: "forbidden handled")
    app.route("/")(lambda: abort(403))
    response = client.get("/")
    assert (response.status_code, response.text) == (403, "forbidden handled")


def test_errorhandler_for_http_exception_catches_all_http_errors(app, client):
    app.errorhandler(HTTPException)(lambda e: f"generic {e.code}")
    app.route("/")(lambda: abort(403))
    assert client.get("/").text == "generic 403"
    assert client.get("/missing").text == "generic 404"
    assert client.get("/missing").status_code == 404


def test_code_handler_wins_over_generic_class_handler(app, client):
    app.errorhandler(HTTPException)(lambda e: "generic")
    app.errorhandler(404)(lambda e: "specific")
    assert client.get("/missing").text == "specific"


def test_handler_found_along_the_exception_class_hierarchy(app, client):
    class AppError(Exception):
        pass

    class PaymentError(AppError):
        pass

    app.errorhandler(AppError)(lambda e: (f"handled {type(e).__name__}", 402))

    @app.route("/")
    def pay():
        raise PaymentError()

    response = client.get("/")
    assert (response.status_code, response.text) == (402, "handled PaymentError")


def test_most_specific_class_handler_wins(app, client):
    class AppError(Exception):
        pass

    class PaymentError(AppError):
        pass

    app.errorhandler(AppError)(lambda e: "base")
    app.errorhandler(PaymentError)(lambda e: "specific")

    @app.route("/")
    def pay():
        raise PaymentError()

    assert client.get("/").text == "specific"


def test_register_error_handler_is_the_plain_form(app, client):
    app.register_error_handler(ValueError, lambda e: ("bad value", 400))

    @app.route("/")
    def index():
        raise ValueError

    assert client.get("/").status_code == 400


def test_registering_a_handler_for_an_unknown_code_explains(app):
    with pytest.raises(ValueError, match="Use a subclass of HTTPException with that code"):
        app.errorhandler(499)


def test_registering_something_that_is_not_an_exception_is_refused(app):
    with pytest.raises(TypeError):
        app.register_error_handler("oops", lambda e: "x")


def test_unhandled_exception_is_logged_and_becomes_500(app, client, caplog):
    @app.route("/")
    def index():
        raise ZeroDivisionError("boom")

    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        response = client.get("/")
    assert response.status_code == 500
    assert "boom" not in response.text  # no internals shown to the user
    record = caplog.records[-1]
    assert "Exception on / [GET]" in record.getMessage()
    assert record.exc_info[0] is ZeroDivisionError


def test_testing_mode_propagates_unhandled_exceptions(app, client):
    app.testing = True

    @app.route("/")
    def index():
        raise ZeroDivisionError("boom")

    with pytest.raises(ZeroDivisionError):
        client.get("/")


def test_propagate_exceptions_false_overrides_testing(app, client):
    app.testing = True
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.route("/")(lambda: 1 / 0)
    assert client.get("/").status_code == 500


def test_500_handler_receives_the_original_exception(app, client):
    @app.errorhandler(500)
    def server_error(error):
        assert isinstance(error, InternalServerError)
        return f"sorry: {type(error.original_exception).__name__}"

    app.route("/")(lambda: 1 / 0)
    response = client.get("/")
    assert (response.status_code, response.text) == (500, "sorry: ZeroDivisionError")


def test_failing_500_handler_still_yields_a_plain_500(app, client, caplog):
    @app.errorhandler(500)
    def broken_handler(error):
        raise RuntimeError("handler broke")

    app.route("/")(lambda: 1 / 0)
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        response = client.get("/")
    assert response.status_code == 500
    assert "Internal Server Error" in response.text
    assert any("handler for 500 failed" in r.getMessage() for r in caplog.records)


def test_failing_error_handler_for_another_error_becomes_500(app, client):
    app.errorhandler(404)(lambda e: 1 / 0)
    assert client.get("/missing").status_code == 500


def test_after_request_runs_on_500_responses(app, client):
    @app.after_request
    def tag(response):
        response.headers["X-Tag"] = "1"
        return response

    app.route("/")(lambda: 1 / 0)
    response = client.get("/")
    assert (response.status_code, response.headers["X-Tag"]) == (500, "1")


def test_missing_request_header_is_400_not_500(app, client):
    app.route("/")(lambda: request.headers["X-Missing"])
    response = client.get("/")
    assert response.status_code == 400
    assert "missing a required value" in response.text
    # Which header the app expects is for its developers (debug mode names it).
    assert "X-Missing" not in response.text


def test_missing_query_argument_is_400(app, client):
    app.route("/")(lambda: request.args["q"])
    assert client.get("/").status_code == 400


def test_missing_form_field_is_400(app, client):
    app.route("/", methods=["POST"])(lambda: request.form["name"])
    assert client.post("/", data={"other": "x"}).status_code == 400


def test_missing_key_error_is_still_a_key_error(app, client):
    @app.route("/")
    def index():
        try:
            return request.args["q"]
        except KeyError:
            return "default"

    assert client.get("/").text == "default"


def test_exception_repr_and_str_name_the_status():
    error = NotFound("no such memo")
    assert str(error) == "404 Not Found: no such memo"
    assert repr(error) == "<NotFound '404: Not Found'>"


def test_method_not_allowed_allow_header_is_sorted():
    response = MethodNotAllowed(["POST", "GET"]).get_response()
    assert response.headers["Allow"] == "GET, POST"


def test_bad_request_default_description():
    assert "could not understand" in BadRequest().description
