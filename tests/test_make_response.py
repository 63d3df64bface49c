"""What a view may return, and the response each return value becomes."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from microwsgi import App, Response, make_response
from microwsgi.datastructures import Headers


def test_str_becomes_html_200(app, client):
    app.route("/")(lambda: "Hello")
    response = client.get("/")
    assert response.status_code == 200
    assert response.status == "200 OK"
    assert response.text == "Hello"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Length"] == "5"


def test_bytes_body(app, client):
    app.route("/")(lambda: b"\x00\x01")
    assert client.get("/").data == b"\x00\x01"


def test_non_ascii_str_is_utf8_with_byte_length(app, client):
    app.route("/")(lambda: "안녕")
    response = client.get("/")
    assert response.data == "안녕".encode()
    assert response.headers["Content-Length"] == "6"


def test_dict_becomes_json(app, client):
    app.route("/")(lambda: {"a": 1, "name": "이름"})
    response = client.get("/")
    assert response.mimetype == "application/json"
    assert response.get_json() == {"a": 1, "name": "이름"}


def test_list_becomes_json(app, client):
    app.route("/")(lambda: [1, "two", None])
    assert client.get("/").get_json() == [1, "two", None]


def test_response_object_is_returned_as_is(app, client):
    app.route("/")(lambda: Response("made", 202, {"X-A": "1"}))
    response = client.get("/")
    assert (response.status_code, response.text, response.headers["X-A"]) == (202, "made", "1")


def test_generator_is_streamed_without_content_length(app, client):
    def stream():
        yield "a"
        yield b"b"

    app.route("/")(lambda: stream())
    response = client.get("/")
    assert response.text == "ab"
    assert "Content-Length" not in response.headers


@pytest.mark.parametrize(
    "status",
    [404, HTTPStatus.NOT_FOUND, "404 NOT FOUND", "404"],
    ids=["int", "HTTPStatus", "line", "code"],
)
def test_tuple_body_status_in_every_form(app, client, status):
    app.route("/")(lambda: ("gone", status))
    response = client.get("/")
    assert response.status_code == 404
    assert response.status == "404 NOT FOUND"


def test_custom_status_reason_is_kept(app, client):
    app.route("/")(lambda: ("x", "299 MY REASON"))
    assert client.get("/").status == "299 MY REASON"


def test_tuple_body_headers_dict(app, client):
    app.route("/")(lambda: ("x", {"X-Token": "abc"}))
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["X-Token"] == "abc"


def test_tuple_body_headers_list_keeps_repeated_names(app, client):
    app.route("/")(lambda: ("x", [("X-Tag", "a"), ("X-Tag", "b")]))
    assert client.get("/").headers.getlist("X-Tag") == ["a", "b"]


def test_tuple_headers_replace_a_header_the_body_set(app, client):
    app.route("/")(lambda: ("x", {"Content-Type": "text/plain"}))
    response = client.get("/")
    assert response.headers.getlist("Content-Type") == ["text/plain"]


def test_tuple_body_status_headers(app, client):
    app.route("/")(lambda: ({"ok": False}, 201, {"Location": "/x/1"}))
    response = client.get("/")
    assert response.status_code == 201
    assert response.headers["Location"] == "/x/1"
    assert response.get_json() == {"ok": False}


def test_tuple_with_response_object_and_status(app, client):
    app.route("/")(lambda: (Response("r"), 418))
    assert client.get("/").status_code == 418


def test_headers_object_in_tuple(app, client):
    app.route("/")(lambda: ("x", Headers([("X-A", "1")])))
    assert client.get("/").headers["X-A"] == "1"


def test_none_raises_type_error_naming_the_view(app, client):
    @app.route("/")
    def forgetful():
        pass

    app.testing = True
    with pytest.raises(TypeError, match=r"'forgetful'.*returned None"):
        client.get("/")


def test_unsupported_type_raises_type_error_listing_allowed_types(app, client):
    @app.route("/")
    def number():
        return 42

    app.testing = True
    with pytest.raises(TypeError, match=r"'number' did not return a valid response: it was a int"):
        client.get("/")


def test_four_tuple_is_refused(app, client):
    app.route("/")(lambda: ("a", 200, {}, "extra"))
    app.testing = True
    with pytest.raises(TypeError, match="tuple of 4 items"):
        client.get("/")


def test_bad_return_is_a_500_when_not_testing(app, client):
    app.route("/")(lambda: None)
    assert client.get("/").status_code == 500


def test_make_response_helper_with_status_and_header(app):
    with app.test_request_context():
        response = make_response("nope", HTTPStatus.NOT_FOUND)
        response.headers["MY_HEADER"] = 1234
    assert response.status_code == 404
    assert response.headers["MY_HEADER"] == "1234"


def test_make_response_helper_without_arguments_is_empty_200(app):
    with app.app_context():
        response = make_response()
    assert (response.status_code, response.data) == (200, b"")


def test_make_response_helper_with_headers_tuple(app):
    with app.app_context():
        response = make_response("x", 201, {"X-A": "b"})
    assert (response.status_code, response.headers["X-A"]) == (201, "b")


def test_head_sends_headers_without_body(app, client):
    app.route("/")(lambda: "Hello")
    response = client.head("/")
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["Content-Length"] == "5"


def test_flask_alias_is_the_same_class():
    from microwsgi import Flask

    assert Flask is App
