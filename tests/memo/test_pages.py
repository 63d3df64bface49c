"""The pages: register, log in, log out, and the memo page, with CSRF and flashed errors."""

from __future__ import annotations

import re

import pytest

from .conftest import PASSWORD, register


def csrf_of(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def post_form(client, path: str, **fields: str):
    token = csrf_of(client.get(path))
    return client.post(path, data={**fields, "csrf_token": token})


@pytest.mark.parametrize("path", ["/auth", "/auth/"])
def test_auth_redirects_to_the_login_page(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["Location"] == "/auth/login"
    assert "Log in" in client.get(path, follow_redirects=True).text


def test_memo_page_sends_strangers_to_the_login_page(client) -> None:
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_register_logs_in_and_shows_the_memo_page(client) -> None:
    response = post_form(
        client,
        "/auth/register",
        user_id="kim",
        user_name="김민지",
        password=PASSWORD,
        repassword=PASSWORD,
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "김민지" in home.text
    assert re.search(r'<meta name="csrf-token" content="[^"]+">', home.text)
    assert "Welcome" in home.text  # the flashed greeting


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"user_id": "kim", "user_name": "김", "password": PASSWORD, "repassword": "other one"},
            "differ",
        ),
        (
            {"user_id": "kim", "user_name": "", "password": PASSWORD, "repassword": PASSWORD},
            "every field",
        ),
        (
            {"user_id": "kim", "user_name": "김", "password": "short", "repassword": "short"},
            "at least 8",
        ),
    ],
)
def test_register_errors_are_flashed_and_the_form_kept(client, fields, message) -> None:
    response = post_form(client, "/auth/register", **fields)
    assert response.status_code == 400
    assert message in response.text
    assert 'value="kim"' in response.text
    assert PASSWORD not in response.text


def test_register_a_taken_id_is_flashed(client) -> None:
    register(client)
    response = post_form(
        client,
        "/auth/register",
        user_id="kim",
        user_name="x",
        password=PASSWORD,
        repassword=PASSWORD,
    )
    assert response.status_code == 400 and "taken" in response.text


def test_login_and_logout(client) -> None:
    register(client)
    response = post_form(client, "/auth/login", user_id="kim", password=PASSWORD)
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    assert client.get("/auth/logout").status_code == 200  # a page with a button, not a logout
    assert client.get("/").status_code == 200
    assert post_form(client, "/auth/logout").status_code == 303
    assert client.get("/").status_code == 303
    assert client.get("/api/memos").status_code == 401


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


@pytest.mark.parametrize("method", ["HEAD", "head"])
def test_head_on_a_form_page_shows_the_page_and_never_does_what_its_post_does(
    client, method: str
) -> None:
    # HEAD is answered by the GET route's view, and CSRF protection lets it through as a
    # safe method: it must never register, log in or log out (it did all three).
    form = {"user_id": "lee", "user_name": "Lee", "password": PASSWORD, "repassword": PASSWORD}
    for path in ("/auth/register", "/auth/login"):
        page = client.get(path)
        head = client.open(path, method=method, data=form)
        assert (head.status_code, head.data) == (page.status_code, b"")
        assert head.headers["Content-Length"] == page.headers["Content-Length"]
        assert not _logged_in(client)
    token = client.post("/api/auth", json={"user_id": "lee", "password": PASSWORD})
    assert token.status_code == 401  # no account was made

    register(client)
    post_form(client, "/auth/login", user_id="kim", password=PASSWORD)
    head = client.open("/auth/logout", method=method)
    assert (head.status_code, head.data) == (200, b"")
    assert _logged_in(client)
    head = client.open("/auth/login", method=method, data={"user_id": "lee", "password": "x"})
    assert head.status_code == 303 and head.headers["Location"] == "/"
    assert _logged_in(client)


def test_wrong_password_is_flashed(client) -> None:
    register(client)
    response = post_form(client, "/auth/login", user_id="kim", password="wrong password")
    assert response.status_code == 400
    assert "Wrong user id or password" in response.text


def test_form_without_csrf_token_is_refused_with_a_flash(client) -> None:
    register(client)
    response = client.post("/auth/login", data={"user_id": "kim", "password": PASSWORD})
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "CSRF" in page.text
    assert client.get("/").status_code == 303  # not logged in


def test_a_refused_form_under_a_mount_prefix_comes_back_to_its_page(client) -> None:
    # Behind "uwsgi --mount /memo=...", the page is /memo/auth/login: the redirect
    # after a CSRF failure must not leave the app for the host's /auth/login.
    register(client)
    response = client.post(
        "/auth/login?next=/",
        data={"user_id": "kim", "password": PASSWORD},
        base_url="http://localhost/memo/",
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/memo/auth/login?next=/"


def test_a_csrf_token_from_before_login_is_useless_after(client) -> None:
    register(client)
    old_token = csrf_of(client.get("/auth/login"))
    client.post(
        "/auth/login", data={"user_id": "kim", "password": PASSWORD, "csrf_token": old_token}
    )
    response = client.post("/auth/logout", data={"csrf_token": old_token})
    assert client.get("/").status_code == 200  # still logged in: the old token was refused
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/", "/"),
        ("/?x=1", "/?x=1"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/api/memos", "/"),
        ("/auth/logout", "/"),
        ("/no/such/page", "/"),
    ],
)
def test_next_is_followed_only_to_local_get_pages(client, next_url: str, expected: str) -> None:
    register(client)
    token = csrf_of(client.get("/auth/login"))
    response = client.post(
        "/auth/login",
        query_string={"next": next_url},
        data={"user_id": "kim", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == expected


def test_memo_page_is_a_shell_that_its_scripts_fill_from_the_api(client) -> None:
    register(client, user_name="<b>김</b>")
    post_form(client, "/auth/login", user_id="kim", password=PASSWORD)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get("/").text).group(1)
    client.post(
        "/api/memos",
        json={"title": "<script>x</script>", "content": "안녕"},
        headers={"X-CSRF-Token": token},
    )
    page = client.get("/").text
    assert '<meta name="api-root" content="/api">' in page
    assert '<script type="module" src="/static/js/main.js"></script>' in page
    # Memos reach the page through the API and the DOM's text APIs, never in its HTML.
    assert "<script>x" not in page and "&lt;script&gt;" not in page and "안녕" not in page
    assert "&lt;b&gt;김&lt;/b&gt;" in page and "<b>김" not in page


def test_memo_page_under_a_mount_prefix_finds_the_api_under_it(client) -> None:
    register(client)
    base_url = "http://localhost/memo/"
    token = csrf_of(client.get("/auth/login", base_url=base_url))
    login = client.post(
        "/auth/login",
        base_url=base_url,
        data={"user_id": "kim", "password": PASSWORD, "csrf_token": token},
    )
    assert login.headers["Location"] == "/memo/"
    page = client.get("/", base_url=base_url).text
    assert '<meta name="api-root" content="/memo/api">' in page
    assert 'src="/memo/static/js/main.js"' in page


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register"])
def test_pages_send_a_strict_content_security_policy(client, path: str) -> None:
    headers = client.get(path).headers
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"  # no inline script, no eval
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' blob:"
    assert policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["require-trusted-types-for"] == "'script'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_memo_page_sends_the_policy_and_the_api_does_not_need_it(client) -> None:
    register(client)
    post_form(client, "/auth/login", user_id="kim", password=PASSWORD)
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]
    assert "Content-Security-Policy" not in client.get("/api/memos").headers
    # Swagger UI's page has needs of its own; the pages' policy is not forced on it.
    assert "trusted-types" not in client.get("/api/docs").headers.get("Content-Security-Policy", "")


def test_every_script_module_the_page_imports_is_served_as_javascript(client) -> None:
    """Follow main.js's imports: a module missing or served with the wrong type breaks the page."""
    seen: set[str] = set()
    waiting = ["main.js"]
    while waiting:
        name = waiting.pop()
        seen.add(name)
        response = client.get(f"/static/js/{name}")
        assert response.status_code == 200, name
        assert response.headers["Content-Type"].startswith("text/javascript"), name
        for imported in re.findall(r'^import .*? from "\./([\w-]+\.js)";$', response.text, re.M):
            if imported not in seen:
                waiting.append(imported)
    assert {"api.js", "board.js", "feed.js", "editor.js", "composer.js"} <= seen
    assert len(seen) >= 15


def test_session_cookie_is_httponly_and_samesite(client) -> None:
    register(client)
    response = post_form(client, "/auth/login", user_id="kim", password=PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "memo_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_register_with_too_long_an_id_is_flashed_not_a_server_error(client) -> None:
    response = post_form(
        client,
        "/auth/register",
        user_id="k" * 60,
        user_name="김",
        password=PASSWORD,
        repassword=PASSWORD,
    )
    assert response.status_code == 400 and "at most 50" in response.text


@pytest.mark.parametrize("field", ["user_id", "password"])
def test_login_with_a_nul_character_is_a_wrong_login(client, field: str) -> None:
    register(client)
    fields = {"user_id": "kim", "password": PASSWORD}
    fields[field] += "\x00"
    response = post_form(client, "/auth/login", **fields)
    assert response.status_code == 400 and "Wrong user id or password" in response.text
