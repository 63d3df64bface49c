"""Werkzeug's HTTP exceptions, raised and handled by code written for Flask.

Flask's tutorial imports ``abort`` from ``werkzeug.exceptions``, and Flask
apps register handlers for ``werkzeug.exceptions.HTTPException``: both must
work here with only the ``flask`` imports changed. And the pages and
descriptions are Werkzeug's, word for word, for the tests that read them.
"""

from __future__ import annotations

import pytest
import werkzeug.exceptions as wz
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.wrappers import Response as WerkzeugResponse

from microwsgi import abort, jsonify
from microwsgi import exceptions as ours


def test_werkzeug_abort_in_a_view_is_its_status(app, client):
    @app.route("/post/<int:id>")
    def post(id):
        wz.abort(404, f"Post id {id} doesn't exist.")

    response = client.get("/post/2")
    assert response.status_code == 404
    assert response.text == (
        "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n"
        "<h1>Not Found</h1>\n<p>Post id 2 doesn&#39;t exist.</p>\n"
    )


def test_werkzeug_exception_raised_in_a_hook_is_its_status(app, client):
    @app.before_request
    def refuse():
        raise wz.Forbidden()

    app.route("/")(lambda: "never")
    assert client.get("/").status_code == 403


def test_werkzeug_exception_raised_by_an_after_request_hook_is_its_status(app, client):
    @app.after_request
    def refuse(response):
        raise wz.Conflict("late")

    app.route("/")(lambda: "x")
    response = client.get("/")
    assert response.status_code == 409
    assert "late" in response.text


def test_code_handler_receives_the_werkzeug_exception_that_was_raised(app, client):
    seen = []

    @app.errorhandler(404)
    def not_found(e):
        seen.append(e)
        return f"handled: {e.description}"

    @app.route("/")
    def index():
        raise wz.NotFound("gone fishing")

    response = client.get("/")
    assert (response.status_code, response.text) == (404, "handled: gone fishing")
    assert type(seen[0]) is wz.NotFound


def test_handler_registered_for_a_werkzeug_class_answers_every_such_error(app, client):
    @app.errorhandler(wz.NotFound)
    def not_found(e):
        return "werkzeug-class handler", 404

    app.route("/ours")(lambda: abort(404))
    assert client.get("/missing").text == "werkzeug-class handler"  # the router's 404
    assert client.get("/ours").text == "werkzeug-class handler"


def test_handler_for_werkzeug_http_exception_is_the_generic_handler(app, client):
    @app.errorhandler(wz.HTTPException)
    def any_http_error(e):
        return jsonify(code=e.code, name=e.name, description=e.description), e.code

    @app.route("/conflict")
    def conflict():
        abort(409)

    @app.route("/werkzeug-gone")
    def werkzeug_gone():
        wz.abort(410)

    assert client.get("/conflict").json["name"] == "Conflict"
    assert client.get("/missing").json["code"] == 404
    assert client.get("/werkzeug-gone").json["code"] == 410


def test_subclass_of_a_werkzeug_exception_finds_its_own_handler_first(app, client):
    class OutOfStock(wz.Conflict):
        description = "out of stock"

    @app.errorhandler(409)
    def conflict(e):
        return "any conflict", 409

    @app.errorhandler(OutOfStock)
    def out_of_stock(e):
        return f"sorry: {e.description}", 409

    @app.route("/buy")
    def buy():
        raise OutOfStock()

    @app.route("/edit")
    def edit():
        raise wz.Conflict()

    assert client.get("/buy").text == "sorry: out of stock"
    assert client.get("/edit").text == "any conflict"


def test_werkzeug_exception_with_a_status_we_have_no_class_for(app, client):
    class PaymentRequired(wz.HTTPException):
        code = 402
        description = "pay first"

    @app.route("/")
    def index():
        raise PaymentRequired()

    response = client.get("/")
    assert response.status_code == 402
    assert "pay first" in response.text


def test_werkzeug_abort_with_a_response_sends_that_response(app, client):
    @app.route("/")
    def index():
        wz.abort(WerkzeugResponse("short and stout", status=418, headers={"X-Pot": "tea"}))

    response = client.get("/")
    assert (response.status_code, response.text) == (418, "short and stout")
    assert response.headers["X-Pot"] == "tea"


def test_werkzeug_exceptions_keep_the_headers_their_status_requires(app, client):
    @app.route("/")
    def index():
        raise wz.MethodNotAllowed(valid_methods=["POST", "GET"])

    @app.route("/login")
    def login():
        raise wz.Unauthorized(www_authenticate=WWWAuthenticate("basic", {"realm": "shop"}))

    @app.route("/slow")
    def slow():
        raise wz.TooManyRequests(retry_after=30)

    assert client.get("/").headers["Allow"] == "GET, POST"
    challenge = str(WWWAuthenticate("basic", {"realm": "shop"}))
    assert client.get("/login").headers["WWW-Authenticate"] == challenge
    assert client.get("/slow").headers["Retry-After"] == "30"


def test_werkzeug_500_handler_gets_the_original_exception(app, client):
    app.testing = False

    @app.errorhandler(wz.InternalServerError)
    def server_error(e):
        return f"500 because of {type(e.original_exception).__name__}", 500

    @app.route("/")
    def index():
        return 1 / 0

    assert client.get("/").text == "500 because of ZeroDivisionError"


def test_error_handler_raising_a_werkzeug_error_falls_back_to_the_default_page(app, client):
    @app.errorhandler(404)
    def not_found(e):
        raise wz.BadRequest()

    response = client.get("/missing")
    assert response.status_code == 404
    assert "<title>404 Not Found</title>" in response.text


def test_other_exceptions_are_not_mistaken_for_http_errors(app, client):
    app.testing = True

    @app.route("/")
    def index():
        raise LookupError("not http")

    with pytest.raises(LookupError):
        client.get("/")


# -- the same classes, names and descriptions as Werkzeug's ------------------------


@pytest.mark.parametrize("code", sorted(wz.default_exceptions))
def test_every_werkzeug_status_has_a_class_with_its_name_and_description(code):
    theirs = wz.default_exceptions[code]()
    mine = ours.default_exceptions[code]()
    assert (mine.name, mine.description) == (theirs.name, theirs.description)
    assert ours.counterpart(type(theirs)) is ours.default_exceptions[code]
    assert isinstance(mine, type(theirs))


def test_abort_knows_every_werkzeug_status():
    for code in (417, 421, 424, 428, 505):
        with pytest.raises(ours.HTTPException) as caught:
            abort(code)
        assert caught.value.code == code


def test_the_501_class_has_werkzeugs_name_too():
    assert ours.NotImplemented is ours.NotImplementedHTTP
    assert ours.counterpart(wz.NotImplemented) is ours.NotImplementedHTTP


def test_description_page_escapes_as_werkzeug_and_breaks_lines(app, client):
    @app.route("/")
    def index():
        abort(400, 'it\'s <bad> & "wrong"\nsecond line')

    body = client.get("/").data
    assert body.endswith(b"<p>it&#39;s &lt;bad&gt; &amp; &#34;wrong&#34;<br>second line</p>\n")
    wz_body = wz.BadRequest('it\'s <bad> & "wrong"\nsecond line').get_response().get_data()
    assert body == wz_body


def test_teapot_page_names_it_as_werkzeug(app, client):
    app.route("/")(lambda: abort(418))
    assert client.get("/").data == wz.ImATeapot().get_response().get_data()


# -- our errors are instances of Werkzeug's classes, for code that asks ------------


def test_catch_all_handler_from_flasks_docs_passes_http_errors_through(app, client):
    # Flask's documentation ("Generic Exception Handlers"): a handler for Exception
    # that returns HTTP errors as they are. Ported by its imports, it must not turn
    # every 404 or 401 into a 500.
    @app.errorhandler(Exception)
    def handle(e):
        if isinstance(e, wz.HTTPException):
            return e
        return {"error": type(e).__name__}, 500

    @app.route("/private")
    def private():
        abort(401)

    @app.route("/broken")
    def broken():
        raise ValueError("bad")

    missing = client.get("/nope")
    assert (missing.status_code, missing.mimetype) == (404, "text/html")
    assert client.get("/private").status_code == 401
    assert client.post("/private").status_code == 405
    assert client.post("/private").headers["Allow"] == "GET, HEAD, OPTIONS"
    assert client.get("/broken").get_json() == {"error": "ValueError"}


def test_werkzeug_classes_catch_our_errors(app):
    with pytest.raises(wz.NotFound) as caught:
        abort(404)
    assert isinstance(caught.value, ours.NotFound)
    with app.test_request_context("/?a=1"), pytest.raises(wz.BadRequestKeyError) as key_error:
        from microwsgi import request

        request.args["missing"]
    assert isinstance(key_error.value, KeyError)
    assert isinstance(key_error.value, ours.BadRequest)
    try:
        abort(501)
    except wz.NotImplemented as error:
        assert error.code == 501
    try:
        raise ours.MethodNotAllowed(["GET"])
    except wz.HTTPException as error:
        assert error.valid_methods == ["GET"]


def test_our_errors_keep_their_own_name_behaviour_and_page(app):
    error = ours.NotFound("no such post")
    assert type(error).__name__ == "NotFound"
    assert type(error).__module__ == "microwsgi.exceptions"
    assert repr(error) == "<NotFound '404: Not Found'>"
    assert str(error) == "404 Not Found: no such post"
    assert error.args == ("no such post",)
    response = error.get_response()
    assert type(response).__module__ == "microwsgi.response"
    assert response.status_code == 404
    assert response.get_data(as_text=True) == (
        "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n"
        "<h1>Not Found</h1>\n<p>no such post</p>\n"
    )
    assert type(ours.NotFound()) is type(error)  # one class, made once


def test_an_apps_subclass_is_a_werkzeug_error_too(app, client):
    class PostMissing(ours.NotFound):
        description = "That post does not exist."

    @app.route("/post")
    def post():
        raise PostMissing()

    error = PostMissing()
    assert isinstance(error, wz.NotFound) and isinstance(error, PostMissing)
    assert type(error).__qualname__ == PostMissing.__qualname__
    response = client.get("/post")
    assert response.status_code == 404
    assert "That post does not exist." in response.text


def test_our_errors_pickle_and_copy(app):
    import copy
    import pickle

    for error in (
        ours.NotFound("gone"),
        ours.MethodNotAllowed(["GET"]),
        ours.BadRequestKeyError("k"),
    ):
        for twin in (pickle.loads(pickle.dumps(error)), copy.copy(error)):
            assert type(twin) is type(error)
            assert (twin.args, twin.description) == (error.args, error.description)


@pytest.mark.parametrize("code", [400, 404, 405, 418, 500])
def test_get_body_is_the_page_as_werkzeug_writes_it(code):
    mine = ours.default_exceptions[code]("Line one\nand <two>")
    theirs = wz.default_exceptions[code]("Line one\nand <two>")
    assert mine.get_body() == theirs.get_body()
    assert mine.get_body({"HTTP_ACCEPT": "text/html"}, None) == theirs.get_body()


def test_get_body_is_the_json_page_for_a_client_that_prefers_json():
    body = ours.NotFound("gone").get_body({"HTTP_ACCEPT": "application/json"})
    assert body == '{"code": 404, "name": "Not Found", "description": "gone"}'


@pytest.mark.parametrize(
    ("mine", "theirs"),
    [
        (ours.MethodNotAllowed(["GET", "POST"]), wz.MethodNotAllowed(["GET", "POST"])),
        (ours.TooManyRequests(retry_after=3), wz.TooManyRequests(retry_after=3)),
        (ours.RequestedRangeNotSatisfiable(length=10), wz.RequestedRangeNotSatisfiable(length=10)),
        (
            ours.Unauthorized(www_authenticate="Basic realm=r"),
            wz.Unauthorized(www_authenticate=WWWAuthenticate("basic", {"realm": "r"})),
        ),
        (ours.NotFound(), wz.NotFound()),
    ],
)
def test_get_headers_takes_werkzeugs_arguments_and_gives_its_headers_but_the_type(mine, theirs):
    environ = {"REQUEST_METHOD": "GET"}
    expected = [(k, v) for k, v in theirs.get_headers(environ, None) if k != "Content-Type"]
    assert mine.get_headers(environ, None) == expected
    assert mine.get_headers() == expected
