"""Seed 003's practice app (examples/practice/): routing practice, hooks, request data."""

from __future__ import annotations

import logging

import pytest

from examples.practice import create_app

HOOKS_OF_ONE_REQUEST = [
    "BEFORE_REQUEST",
    "g.test: True",
    "current_app: examples.practice, DEBUG False",
    "AFTER_REQUEST",
    "TEARDOWN_REQUEST",
    "TEARDOWN_APPCONTEXT",
]


@pytest.fixture
def app():
    return create_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def hook_log(caplog):
    """The messages the app logs, as a list that fills while the test runs."""
    caplog.set_level(logging.INFO, logger="examples.practice")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "examples.practice"]


# -- routing practice ------------------------------------------------------------


def test_index(client):
    assert client.get("/").text == "hello world!!!"


def test_name_variable_is_a_string(client):
    assert client.get("/text/name/hello").text == "Name is hello &lt;class &#39;str&#39;&gt;"


def test_name_variable_is_escaped(client):
    assert "<i>" not in client.get("/text/name/<i>x<i>").text


def test_id_variable_is_an_int(client):
    assert client.get("/text/id/7").text == "ID: 7"


def test_id_that_is_not_a_number_is_404(client):
    assert client.get("/text/id/seven").status_code == 404


def test_path_variable_keeps_slashes(client):
    assert client.get("/text/path/a/b/c").text == "a/b/c"


def test_jsonify_answers_json(client):
    response = client.get("/text/json")
    assert response.headers["Content-Type"] == "application/json"
    assert response.json == {"hello": "world"}


def test_redirect_goes_to_the_path_on_this_site(client):
    response = client.get("/text/redirect/text/json")
    assert response.status_code == 302
    assert response.headers["Location"] == "/text/json"


def test_redirect_follows_to_the_page(client):
    assert client.get("/text/redirect/text/json", follow_redirects=True).json == {"hello": "world"}


def test_redirect_never_leaves_the_site(client):
    for target in ("%2F%2Fevil.example", "%5C%5Cevil.example", "%2F%5Cevil.example"):
        response = client.get(f"/text/redirect/{target}")
        assert response.headers["Location"] == "/evil.example", target


def test_redirect_keeps_the_mount_prefix(client):
    response = client.get("/text/redirect/text/json", base_url="http://localhost/memo")
    assert response.headers["Location"] == "/memo/text/json"


def test_url_for_redirect_builds_the_path_url(client):
    response = client.get("/text/urlfor/a/b")
    assert response.status_code == 302
    assert response.headers["Location"] == "/text/path/a/b"


def test_url_for_redirect_keeps_the_mount_prefix(client):
    response = client.get("/text/urlfor/a/b", base_url="http://localhost/memo")
    assert response.headers["Location"] == "/memo/text/path/a/b"


# -- request hooks, g and current_app ---------------------------------------------


def test_hooks_run_in_order_around_a_request(client, hook_log):
    client.get("/")
    assert hook_log() == ["BEFORE_FIRST_REQUEST", *HOOKS_OF_ONE_REQUEST]


def test_before_first_request_runs_only_once(client, hook_log):
    client.get("/")
    client.get("/text/json")
    assert hook_log().count("BEFORE_FIRST_REQUEST") == 1
    assert hook_log().count("BEFORE_REQUEST") == 2


def test_hooks_run_for_a_404_too(client, hook_log):
    client.get("/nowhere")
    assert hook_log()[-6:] == HOOKS_OF_ONE_REQUEST


def test_after_request_never_logs_the_secret_key(app, client, hook_log):
    app.config["SECRET_KEY"] = "do-not-log-me"
    client.get("/")
    assert not any("do-not-log-me" in message for message in hook_log())


def test_view_sees_g_set_by_the_hook_and_current_app(client):
    assert client.get("/context").json == {
        "g.test": True,
        "current_app.name": "examples.practice",
        "DEBUG": False,
    }


# -- request data ---------------------------------------------------------------


def test_query_arrives_in_args(client):
    data = client.get("/hello?test=true&tag=a&tag=b").json
    assert data["path"] == "/hello"
    assert data["method"] == "GET"
    assert data["args"] == {"test": ["true"], "tag": ["a", "b"]}
    assert (data["form"], data["json"]) == ({}, None)


def test_form_body_arrives_in_form(client):
    data = client.post("/hello", data={"test": "true"}).json
    assert data["method"] == "POST"
    assert data["form"] == {"test": ["true"]}
    assert data["json"] is None


def test_json_body_arrives_in_json(client):
    data = client.put("/hello", json={"test": True}).json
    assert data["method"] == "PUT"
    assert (data["form"], data["json"]) == ({}, {"test": True})


def test_broken_json_body_is_reported_as_none_not_a_crash(client):
    response = client.post("/hello", data="{broken", content_type="application/json")
    assert (response.status_code, response.json["json"]) == (200, None)
