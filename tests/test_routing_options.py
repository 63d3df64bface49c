"""Automatic OPTIONS answers, 405s and ``response.allow``."""

from __future__ import annotations

import pytest

from microwsgi import App, Response, request


def test_options_lists_the_methods_of_every_rule_for_the_path(app, client):
    @app.route("/", methods=["GET", "POST"])
    def index() -> str:
        return "index"

    @app.route("/", methods=["PUT"])
    def index_put() -> str:
        return "put"

    response = client.open("/", method="OPTIONS")
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS, POST, PUT"
    assert sorted(response.allow) == ["GET", "HEAD", "OPTIONS", "POST", "PUT"]


def test_405_carries_allow(app, client):
    app.route("/more", methods=["GET", "POST"])(lambda: "more")
    response = client.delete("/more")
    assert response.status_code == 405
    assert sorted(response.allow) == ["GET", "HEAD", "OPTIONS", "POST"]


def test_provide_automatic_options_false_as_argument(app, client):
    app.add_url_rule("/", "index", lambda: request.method, provide_automatic_options=False)
    assert client.open("/", method="OPTIONS").status_code == 405
    response = client.post("/")
    assert response.status_code == 405
    assert sorted(response.allow) == ["GET", "HEAD"]


def test_provide_automatic_options_as_view_attribute(app, client):
    def index() -> str:
        return "index"

    index.provide_automatic_options = False  # type: ignore[attr-defined]
    app.route("/")(index)
    assert client.open("/", method="OPTIONS").status_code == 405

    other = App(__name__)

    def only_options() -> str:
        return "the view"

    only_options.provide_automatic_options = True  # type: ignore[attr-defined]
    other.route("/", methods=["OPTIONS"])(only_options)
    response = other.test_client().open("/", method="OPTIONS")
    assert (response.status_code, response.data) == (200, b"")
    assert list(response.allow) == ["OPTIONS"]


def test_options_in_methods_in_any_case_lets_the_view_answer(app, client):
    app.add_url_rule("/options", "options", lambda: "the view", methods=["options"])
    response = client.open("/options", method="OPTIONS")
    assert (response.status_code, response.text) == (200, "the view")


def test_response_allow_reads_and_writes_the_header():
    response = Response("x")
    assert len(response.allow) == 0
    response.allow.add("GET")
    response.allow.update(["head", "HEAD", "POST"])  # no repeats, whatever the case
    assert response.headers["Allow"] == "GET, head, POST"
    assert "Head" in response.allow
    response.allow.discard("post")
    assert response.headers["Allow"] == "GET, head"
    response.allow = ["PUT"]
    assert list(response.allow) == ["PUT"]
    response.allow.clear()
    assert "Allow" not in response.headers
    response.allow = []
    assert "Allow" not in response.headers


@pytest.mark.parametrize("value", ["GET,HEAD", " GET , HEAD ", "GET, HEAD,"])
def test_response_allow_parses_any_spacing(value):
    response = Response("x", headers={"Allow": value})
    assert list(response.allow) == ["GET", "HEAD"]
