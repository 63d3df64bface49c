"""PEP 3333 compliance: the app wrapped in ``wsgiref.validate.validator`` and driven
by Werkzeug's independent test client, with no validation error."""

from __future__ import annotations

import io
import warnings
from wsgiref.validate import validator

import pytest
from werkzeug.test import Client

from microwsgi import App, Response, abort, redirect, request, session


class BufferedClient(Client):
    """Werkzeug's client, reading and closing each body at once as a server does."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture
def validated_client():
    app = App(__name__)
    app.config["SECRET_KEY"] = "compliance"

    @app.route("/")
    def index():
        return "Hello"

    @app.route("/json", methods=["POST"])
    def echo_json():
        return {"got": request.get_json()}

    @app.route("/form", methods=["POST"])
    def form():
        upload = request.files.get("file")
        return {"name": request.form["name"], "file": upload.read().decode() if upload else None}

    @app.route("/stream")
    def stream():
        return iter(["a", "b", "c"])

    @app.route("/redirect")
    def go():
        return redirect("/")

    @app.route("/error")
    def error():
        abort(418)

    @app.route("/crash")
    def crash():
        raise RuntimeError("boom")

    @app.route("/session")
    def with_session():
        session["n"] = session.get("n", 0) + 1
        return str(session["n"])

    @app.route("/empty")
    def empty():
        return Response(status=204)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the validator reports problems as warnings too
        yield BufferedClient(validator(app))


def test_get(validated_client):
    response = validated_client.get("/")
    assert (response.status_code, response.text) == (200, "Hello")


def test_head(validated_client):
    response = validated_client.head("/")
    assert (response.status_code, response.data) == (200, b"")


def test_json_post(validated_client):
    assert validated_client.post("/json", json={"a": 1}).json == {"got": {"a": 1}}


def test_multipart_post(validated_client):
    response = validated_client.post(
        "/form", data={"name": "kim", "file": (io.BytesIO(b"content"), "a.txt")}
    )
    assert response.json == {"name": "kim", "file": "content"}


def test_streamed_body(validated_client):
    assert validated_client.get("/stream").text == "abc"


def test_redirect(validated_client):
    response = validated_client.get("/redirect", follow_redirects=True)
    assert response.text == "Hello"


def test_http_error(validated_client):
    assert validated_client.get("/error").status_code == 418


def test_not_found_and_method_not_allowed(validated_client):
    assert validated_client.get("/nowhere").status_code == 404
    assert validated_client.delete("/").status_code == 405


def test_unhandled_exception(validated_client):
    assert validated_client.get("/crash").status_code == 500


def test_session_cookie_round_trip(validated_client):
    assert validated_client.get("/session").text == "1"
    assert validated_client.get("/session").text == "2"


def test_no_content(validated_client):
    assert validated_client.get("/empty").status_code == 204


def test_options(validated_client):
    response = validated_client.options("/")
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
