"""Who may call the API: bearer tokens, the session cookie with CSRF, and 401 otherwise."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from examples.memo import create_app
from examples.memo.security import issue_token

from .conftest import PASSWORD, APIUser, register

PROTECTED = [
    ("GET", "/api/memos"),
    ("POST", "/api/memos"),
    ("GET", "/api/memos/1"),
    ("PUT", "/api/memos/1"),
    ("PATCH", "/api/memos/1"),
    ("DELETE", "/api/memos/1"),
    ("GET", "/api/memos/1/image"),
    ("DELETE", "/api/memos/1/image"),
    ("GET", "/api/labels"),
    ("POST", "/api/labels"),
    ("GET", "/api/labels/1"),
    ("PUT", "/api/labels/1"),
    ("DELETE", "/api/labels/1"),
    ("GET", "/api/users"),
    ("GET", "/api/users/1"),
]


def test_every_protected_route_is_listed(app) -> None:
    listed = {(method, re.sub(r"/1(?=/|$)", "/<id>", path)) for method, path in PROTECTED}
    routed = set()
    for rule in app.url_map.rules:
        if rule.endpoint.startswith("api.") and rule.endpoint not in (
            "api.create_user",
            "api.token",
        ):
            for method in set(rule.methods) - {"HEAD", "OPTIONS"}:
                routed.add((method, re.sub(r"<[^>]+>", "<id>", rule.rule)))
    assert routed == listed


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_without_credentials_every_api_route_is_401_json(client, method: str, path: str) -> None:
    response = client.open(path, method=method, json={"title": "t", "content": "c"})
    assert response.status_code == 401
    assert response.json["code"] == 401
    assert response.json["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_from_post_api_auth_opens_the_api(client) -> None:
    user = APIUser(client, "kim", "김민지")
    response = client.get("/api/users", headers=user.headers)
    assert response.status_code == 200
    assert [u["user_id"] for u in response.json] == ["kim"]


def test_token_claims_are_standard(client, app) -> None:
    user = APIUser(client, "kim", "김민지")
    claims = jwt.decode(user.token, options={"verify_signature": False})
    assert claims["sub"] == str(user.profile["id"])
    assert claims["nbf"] == claims["iat"]
    assert claims["exp"] - claims["iat"] == 3600


def test_jwt_prefix_is_accepted_too(client) -> None:
    user = APIUser(client, "kim", "김민지")
    response = client.get("/api/memos", headers={"Authorization": f"JWT {user.token}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer not.a.token", "Basic a2ltOnB3", "Token abc", "Bearer " + "x" * 5000],
)
def test_a_bad_authorization_header_is_401(client, header: str) -> None:
    register(client)
    response = client.get("/api/memos", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json["code"] == 401


def test_wrong_password_or_unknown_user_gets_no_token(client) -> None:
    register(client)
    for body in (
        {"user_id": "kim", "password": "wrong password"},
        {"user_id": "nobody", "password": PASSWORD},
    ):
        response = client.post("/api/auth", json=body)
        assert response.status_code == 401
        assert "access_token" not in response.json


def test_token_request_without_fields_is_422(client) -> None:
    response = client.post("/api/auth", json={"user_id": "kim"})
    assert response.status_code == 422
    assert response.json["errors"] == {"password": "is required"}


def test_expired_token_is_refused_after_the_leeway(client, app) -> None:
    user = APIUser(client, "kim", "김민지")
    with app.app_context():
        old = issue_token(
            user.profile["id"], now=datetime.now(UTC) - timedelta(hours=1, seconds=30)
        )
        recent = issue_token(
            user.profile["id"], now=datetime.now(UTC) - timedelta(hours=1, seconds=-5)
        )
    expired = client.get("/api/memos", headers={"Authorization": f"Bearer {old}"})
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]
    assert (
        client.get("/api/memos", headers={"Authorization": f"Bearer {recent}"}).status_code == 200
    )


def test_token_signed_with_another_key_is_refused(client) -> None:
    user = APIUser(client, "kim", "김민지")
    forged = jwt.encode(
        {"sub": str(user.profile["id"]), "iat": 0, "nbf": 0, "exp": 2**40},
        "a guessed key, long enough for HS256!",
        algorithm="HS256",
    )
    assert (
        client.get("/api/memos", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    )


def test_unsigned_token_is_refused(client) -> None:
    user = APIUser(client, "kim", "김민지")
    claims = jwt.decode(user.token, options={"verify_signature": False})
    header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(claims).encode()).decode()
    response = client.get("/api/memos", headers={"Authorization": f"Bearer {header}.{payload}."})
    assert response.status_code == 401


def test_token_route_names_and_prefix_are_settings(database_url: str) -> None:
    app = create_app(
        {
            "MEMO_ENV": "testing",
            "DATABASE_URL": database_url,
            "JWT_AUTH_URL_RULE": "/login",
            "JWT_AUTH_USERNAME_KEY": "username",
            "JWT_AUTH_PASSWORD_KEY": "secret",
            "JWT_AUTH_HEADER_PREFIX": "Token",
            "JWT_AUTH_HEADER_PREFIX_ALIASES": (),
            "JWT_EXPIRATION_DELTA": timedelta(minutes=5),
        }
    )
    client = app.test_client()
    register(client, "park")
    assert client.post("/api/auth", json={"user_id": "park", "password": PASSWORD}).status_code in (
        404,
        405,
    )
    response = client.post("/api/login", json={"username": "park", "secret": PASSWORD})
    assert response.status_code == 200
    token = response.json["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 300
    assert client.get("/api/users", headers={"Authorization": f"Token {token}"}).status_code == 200
    assert client.get("/api/users", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_token_of_a_deleted_account_is_refused(client, app) -> None:
    user = APIUser(client, "kim", "김민지")
    from sqlalchemy import delete

    from examples.memo.db import get_database
    from examples.memo.models import User

    with get_database(app).session() as session:
        session.execute(delete(User))
        session.commit()
    assert client.get("/api/memos", headers=user.headers).status_code == 401


# -- the session cookie of the pages, with CSRF ----------------------------------


def logged_in_browser(app):
    client = app.test_client()
    register(client)
    page = client.get("/auth/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/auth/login", data={"user_id": "kim", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303
    home = client.get("/")
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', home.text)
    assert meta, home.text
    return client, meta.group(1)


def test_session_cookie_reads_without_csrf(app) -> None:
    client, _token = logged_in_browser(app)
    assert client.get("/api/memos").status_code == 200


def test_session_cookie_write_without_csrf_token_is_refused(app) -> None:
    client, _token = logged_in_browser(app)
    response = client.post("/api/memos", json={"title": "t", "content": "c"})
    assert response.status_code == 400
    assert "CSRF" in response.json["message"]
    assert client.get("/api/memos").headers["X-Total-Count"] == "0"


def test_session_cookie_write_with_a_forged_csrf_token_is_refused(app) -> None:
    client, token = logged_in_browser(app)
    response = client.post(
        "/api/memos",
        json={"title": "t", "content": "c"},
        headers={"X-CSRF-Token": token[:-4] + "AAAA"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("header", ["X-CSRF-Token", "X-CSRFToken"])
def test_session_cookie_write_with_the_pages_csrf_token_is_accepted(app, header: str) -> None:
    client, token = logged_in_browser(app)
    response = client.post(
        "/api/memos", json={"title": "t", "content": "c"}, headers={header: token}
    )
    assert response.status_code == 201


def test_the_pages_csrf_token_lasts_as_long_as_the_page_stays_open(app, monkeypatch) -> None:
    """A memo page left open all day still saves: its token expires with the session only."""
    client, token = logged_in_browser(app)
    eight_hours_later = time.time() + 8 * 3600
    monkeypatch.setattr(time, "time", lambda: eight_hours_later)
    response = client.post(
        "/api/memos", json={"title": "t", "content": "c"}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 201, response.json


def test_token_authenticated_writes_need_no_csrf_token(kim) -> None:
    assert kim.post("/api/memos", json={"title": "t", "content": "c"}).status_code == 201


def test_registration_is_public_and_needs_no_csrf_token(client) -> None:
    response = client.post(
        "/api/users", data={"user_id": "choi", "user_name": "최", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/users/{response.json['id']}"


def test_a_session_set_by_the_test_client_reads_the_api_like_the_original_tests(app) -> None:
    """The original app's tests log in by writing the session: ``session_transaction``."""
    client = app.test_client()
    user = register(client)
    with client.session_transaction() as session:
        session["user_id"] = user["id"]
    assert client.get("/api/users").json == [user]
    refused = client.post("/api/memos", json={"title": "t", "content": "c"})
    assert refused.status_code == 400  # a cookie-authenticated write still needs the CSRF token


@pytest.mark.parametrize(
    "subject",
    [
        "9" * 30,  # past the INTEGER column: SQLite raised OverflowError (a 500)
        str(2**31),
        "²",  # str.isdigit() is true, int() raised ValueError (a 500)
        "\u0661",  # an Arabic-Indic one: int() read it as user 1
        "0",
        "-1",
        " 1",
    ],
)
def test_a_signed_token_whose_subject_is_not_a_user_id_is_401(client, app, subject) -> None:
    # Only a holder of the signing key can make such a token; the server must
    # still refuse it cleanly rather than fail, or read it as another user.
    user = APIUser(client, "kim", "김민지")
    assert user.profile["id"] == 1
    with app.app_context():
        from examples.memo.security import _signing_key

        now = datetime.now(UTC)
        token = jwt.encode(
            {"sub": subject, "iat": now, "nbf": now, "exp": now + timedelta(minutes=5)},
            _signing_key(),
            algorithm="HS256",
        )
    response = client.get("/api/memos", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json["message"] == "The access token is not valid."


@pytest.mark.parametrize("value", [True, 2**63, -1, 0, "1", 1.0])
def test_a_session_whose_user_id_is_not_an_id_is_not_logged_in(app, value) -> None:
    client = app.test_client()
    register(client)
    with client.session_transaction() as session:
        session["user_id"] = value
    assert client.get("/api/memos").status_code == 401
    page = client.get("/")
    assert page.status_code == 303  # to the login page
