"""The guestbook example: factory, blueprints, templates, login, flash and CSRF together."""

from __future__ import annotations

import re

import pytest

from examples.guestbook import create_app
from examples.guestbook.settings import ProductionConfig


@pytest.fixture
def app(tmp_path):
    return create_app("testing", DATABASE=str(tmp_path / "guestbook.sqlite3"))


@pytest.fixture
def client(app):
    return app.test_client()


def token_from(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the page has no CSRF token field"
    return match.group(1)


def register_and_login(client, username="kim", password="pw"):
    token = token_from(client.get("/auth/register").text)
    client.post("/auth/register", data={"username": username, "password": password,
                                        "csrf_token": token})  # fmt: skip
    token = token_from(client.get("/auth/login").text)
    return client.post(
        "/auth/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=True,
    )


def test_factory_applies_the_named_config(app):
    assert app.testing
    assert create_app("development", DATABASE=":memory:").debug


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("GUESTBOOK_SECRET_KEY", raising=False)
    assert ProductionConfig.SECRET_KEY is None
    with pytest.raises(RuntimeError, match="GUESTBOOK_SECRET_KEY"):
        create_app("production", DATABASE=str(tmp_path / "db"))


def test_production_takes_the_key_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GUESTBOOK_SECRET_KEY", '"from-the-environment"')
    app = create_app("production", DATABASE=str(tmp_path / "db"))
    assert app.secret_key == "from-the-environment"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_home_page_uses_the_layout_and_the_stylesheet(client):
    page = client.get("/").text
    assert '<link rel="stylesheet" href="/static/style.css">' in page
    assert "Nobody has signed yet." in page
    assert client.get("/static/style.css").mimetype == "text/css"


def test_register_log_in_and_see_the_welcome_flash_once(client):
    response = register_and_login(client)
    assert response.history[0].status_code == 303
    assert "Welcome, kim!" in response.text
    assert "Welcome, kim!" not in client.get("/").text


def test_wrong_password_is_refused_with_a_message(client):
    register_and_login(client)
    token = token_from(client.get("/auth/login").text)
    response = client.post(
        "/auth/login", data={"username": "kim", "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 400
    assert "Wrong username or password." in response.text


def test_signing_needs_a_login_and_returns_to_the_page_of_the_form(client):
    token = token_from(client.get("/auth/login").text)
    response = client.post(
        "/sign",
        data={"body": "hi", "csrf_token": token},
        headers={"Referer": "http://localhost/?page=2"},
    )
    assert response.status_code == 302
    # Not next=/sign: that URL takes only POST, and the redirect after login is a GET.
    assert response.headers["Location"] == "/auth/login?next=/?page%3D2"


def test_after_logging_in_from_a_refused_post_the_user_lands_on_a_page_not_a_405(client):
    token = token_from(client.get("/auth/register").text)
    client.post("/auth/register", data={"username": "kim", "password": "pw", "csrf_token": token})
    refused = client.post(
        "/sign", data={"body": "hi", "csrf_token": token}, headers={"Referer": "http://localhost/"}
    )
    login_url = refused.headers["Location"]
    token = token_from(client.get(login_url).text)
    response = client.post(
        login_url, data={"username": "kim", "password": "pw", "csrf_token": token}
    )
    assert response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert "Welcome, kim!" in page.text


@pytest.mark.parametrize(
    "referer", [None, "http://evil.example/", "https://localhost/", "http://localhost/other-app/"]
)
def test_a_refused_post_from_elsewhere_returns_to_the_index(client, referer):
    base = "http://localhost/guestbook"
    token = token_from(client.get("/auth/login", base_url=base).text)
    headers = {"Referer": referer} if referer else {}
    response = client.post("/sign", data={"body": "hi", "csrf_token": token}, headers=headers,
                           base_url=base)  # fmt: skip
    assert response.headers["Location"] == "/guestbook/auth/login"


def test_a_refused_get_returns_to_the_same_page_and_query(app, client):
    from examples.guestbook.auth import login_required

    @app.route("/mine")
    @login_required
    def mine() -> str:
        return "your entries"

    response = client.get("/mine?sort=new")
    assert response.headers["Location"] == "/auth/login?next=/mine?sort%3Dnew"


def test_login_under_a_mount_point_returns_inside_it(client):
    base = "http://localhost/guestbook"
    token = token_from(client.get("/auth/register", base_url=base).text)
    client.post("/auth/register", data={"username": "lee", "password": "pw", "csrf_token": token},
                base_url=base)  # fmt: skip
    token = token_from(client.get("/auth/login", base_url=base).text)
    response = client.post(
        "/auth/login?next=/",
        data={"username": "lee", "password": "pw", "csrf_token": token},
        base_url=base,
    )
    assert response.headers["Location"] == "/guestbook/"


def test_sign_the_book_and_read_it_escaped(client):
    register_and_login(client)
    token = token_from(client.get("/").text)
    response = client.post(
        "/sign", data={"body": "<script>alert(1)</script>", "csrf_token": token},
        follow_redirects=True,
    )  # fmt: skip
    assert "Thank you for signing!" in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text


def test_a_form_post_without_its_csrf_token_is_400(client):
    register_and_login(client)
    response = client.post("/sign", data={"body": "forged"})
    assert response.status_code == 400
    assert "Nobody has signed yet." in client.get("/").text


def test_a_token_from_before_login_is_no_longer_valid(client):
    old_token = token_from(client.get("/auth/register").text)
    register_and_login(client)
    assert client.post("/sign", data={"body": "x", "csrf_token": old_token}).status_code == 400


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/"])
def test_login_does_not_redirect_to_another_site(client, target):
    token = token_from(client.get("/auth/register").text)
    client.post("/auth/register", data={"username": "lee", "password": "pw", "csrf_token": token})
    token = token_from(client.get("/auth/login").text)
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"username": "lee", "password": "pw", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_logout_forgets_the_user(client):
    register_and_login(client)
    token = token_from(client.get("/").text)
    response = client.post("/auth/logout", data={"csrf_token": token}, follow_redirects=True)
    assert "Logged out." in response.text
    assert "Log in" in response.text


def test_links_carry_the_mount_prefix(client):
    page = client.get("/", base_url="http://localhost/guestbook").text
    assert 'href="/guestbook/static/style.css"' in page
    assert 'href="/guestbook/auth/login"' in page
