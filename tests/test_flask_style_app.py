"""A small app and its tests written the way Flask's documentation writes them.

Only the import lines differ from a Flask project (``from microwsgi import``
for ``from flask import``): the fixtures, the client calls and the
assertions are those of Flask's "Testing Flask Applications" chapter.
"""

from __future__ import annotations

import click
import pytest

from microwsgi import Flask, Response, redirect, request, session, url_for


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev")
    if test_config is not None:
        app.config.update(test_config)

    @app.route("/")
    def index():
        user = session.get("user_id")
        return f"Hello, {user}!" if user else "Hello, stranger!"

    @app.route("/auth/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            if request.form["password"] != "secret":
                return "Incorrect password.", 400
            session.clear()
            session["user_id"] = request.form["username"]
            return redirect(url_for("index"))
        return "<form method=post></form>"

    @app.route("/auth/logout")
    def logout():
        session.clear()
        return redirect(url_for("index"))

    @app.route("/theme")
    def theme():
        return request.cookies.get("theme", "light")

    @app.route("/remember")
    def remember():
        response = Response("remembered")
        response.set_cookie("theme", request.args["theme"], max_age=3600)
        return response

    @app.route("/api/echo", methods=["POST"])
    def echo():
        return {"got": request.get_json()}

    @app.cli.command("init-db")
    def init_db():
        click.echo("Initialized the database.")

    return app


@pytest.fixture
def app():
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username="test", password="secret"):
        return self._client.post("/auth/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.get("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def test_config():
    assert not create_app().testing
    assert create_app({"TESTING": True}).testing


def test_index_as_a_stranger(client):
    assert client.get("/").data == b"Hello, stranger!"


def test_login_page(client):
    assert client.get("/auth/login").status_code == 200


def test_login_sets_the_session(client, auth):
    response = auth.login()
    assert response.headers["Location"] == "/"
    with client:
        client.get("/")
        assert session["user_id"] == "test"


@pytest.mark.parametrize(("password", "message"), [("wrong", b"Incorrect password.")])
def test_login_validates_input(auth, password, message):
    response = auth.login(password=password)
    assert response.status_code == 400
    assert message in response.data


def test_logout_clears_the_session(client, auth):
    auth.login()
    with client:
        auth.logout()
        assert "user_id" not in session


def test_following_the_login_redirect(client):
    response = client.post(
        "/auth/login", data={"username": "kim", "password": "secret"}, follow_redirects=True
    )
    assert len(response.history) == 1
    assert response.request.path == "/"
    assert response.data == b"Hello, kim!"


def test_session_transaction_logs_in_without_the_form(client):
    with client.session_transaction() as sess:
        sess["user_id"] = "lee"
    assert client.get("/").data == b"Hello, lee!"


def test_cookie_set_by_the_test(client):
    client.set_cookie("theme", "dark", domain="localhost")
    assert client.get("/theme").data == b"dark"
    client.delete_cookie("theme", domain="localhost")
    assert client.get("/theme").data == b"light"


def test_cookie_set_by_the_app(client):
    client.get("/remember", query_string={"theme": "solarized dark"})
    assert client.get_cookie("theme").decoded_value == "solarized dark"
    assert client.get("/theme").data == b"solarized dark"


def test_json_round_trip(client):
    response = client.post("/api/echo", json={"a": [1, 2]})
    assert response.is_json
    assert response.get_json() == {"got": {"a": [1, 2]}}


def test_every_route_is_listed(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {"index", "login", "logout", "static"} <= endpoints


def test_init_db_command(runner):
    result = runner.invoke(args=["init-db"])
    assert "Initialized" in result.output


def test_request_context_for_a_helper(app):
    with app.test_request_context("/?next=/admin"):
        assert request.args["next"] == "/admin"
        assert url_for("login") == "/auth/login"


def test_this_file_passes_on_flask_too(tmp_path):
    """The same tests, with ``from flask import``, against the real Flask: the
    answers asserted here are Flask's, not only microwsgi's."""
    if Flask.__module__.startswith("flask"):
        pytest.skip("this is the copy running on Flask")
    import os
    import pathlib
    import subprocess
    import sys

    source = pathlib.Path(__file__).read_text(encoding="utf-8")
    copy = tmp_path / "test_on_flask.py"
    copy.write_text(source.replace("from microwsgi import", "from flask import"), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(copy)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},  # a bare pytest starts fast
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:]
    assert "15 passed" in result.stdout or "14 passed, 1 skipped" in result.stdout
