"""On SQLite, a request holds the database's write lock only while it uses the database.

SQLite has one write lock for the whole database, and a request that writes
takes it with its first statement (``BEGIN IMMEDIATE``): every other writer,
in every process, waits for it up to the busy timeout, then fails with
"database is locked" (a 500). Under load, a request that kept the lock
while hashing or checking a password (scrypt, about 0.1 s of CPU by design)
or while reading its body made the others wait past that timeout. Each test
here looks, from another connection, whether the lock is free at the moment
the slow part runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from examples.memo import create_app, migrate, security
from examples.memo.api import memos
from examples.memo.db import Database, get_database
from microwsgi import App

from .conftest import PASSWORD, tiny_png, upload
from .test_pages import csrf_of


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    path = tmp_path / "memo.sqlite3"
    database = Database("sqlite:///" + str(path))
    migrate.upgrade(database)
    database.dispose()
    return path


@pytest.fixture
def app(sqlite_file: Path) -> Iterator[App]:
    app = create_app({"MEMO_ENV": "testing", "DATABASE_URL": "sqlite:///" + str(sqlite_file)})
    yield app
    get_database(app).dispose()


def write_lock_is_free(path: Path) -> bool:
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # database is locked
        return False
    finally:
        connection.close()


def watch(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, path: Path) -> list[bool]:
    """Replace ``module.name`` by a wrapper that notes whether the lock is free when it runs."""
    seen: list[bool] = []
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        seen.append(write_lock_is_free(path))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return seen


def register(client: Any, user_id: str = "kim") -> None:
    body = {"user_id": user_id, "user_name": "김", "password": PASSWORD}
    assert client.post("/api/users", json=body).status_code == 201


def test_registering_hashes_the_password_without_the_lock(
    app: App, sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = watch(monkeypatch, security, "generate_password_hash", sqlite_file)
    register(app.test_client())
    assert seen == [True]


def test_a_token_login_checks_the_password_without_the_lock(
    app: App, sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.test_client()
    register(client)
    seen = watch(monkeypatch, security, "check_password_hash", sqlite_file)
    for password in (PASSWORD, "a wrong password"):
        client.post("/api/auth", json={"user_id": "kim", "password": password})
    response = client.post("/api/auth", json={"user_id": "nobody", "password": PASSWORD})
    assert response.status_code == 401
    assert seen == [True, True, True]


def test_the_login_page_checks_the_password_without_the_lock(
    app: App, sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.test_client()
    register(client)
    seen = watch(monkeypatch, security, "check_password_hash", sqlite_file)
    token = csrf_of(client.get("/auth/login"))
    response = client.post(
        "/auth/login", data={"user_id": "kim", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303
    assert seen == [True]


def test_the_register_page_hashes_the_password_without_the_lock(
    app: App, sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.test_client()
    seen = watch(monkeypatch, security, "generate_password_hash", sqlite_file)
    token = csrf_of(client.get("/auth/register"))
    fields = {"user_id": "lee", "user_name": "이", "password": PASSWORD, "repassword": PASSWORD}
    response = client.post("/auth/register", data={**fields, "csrf_token": token})
    assert response.status_code == 303
    assert seen == [True]


@pytest.mark.parametrize("credentials", ["token", "session"])
def test_an_api_write_reads_its_body_without_the_lock(
    app: App, sqlite_file: Path, monkeypatch: pytest.MonkeyPatch, credentials: str
) -> None:
    """The caller is identified with a query; the body is read and checked after it."""
    client = app.test_client()
    register(client)
    headers: dict[str, str] = {}
    if credentials == "token":
        token = client.post("/api/auth", json={"user_id": "kim", "password": PASSWORD})
        headers["Authorization"] = "Bearer " + token.json["access_token"]
    else:
        form_token = csrf_of(client.get("/auth/login"))
        client.post("/auth/login", data={"user_id": "kim", "password": PASSWORD,
                                         "csrf_token": form_token})  # fmt: skip
        page = client.get("/")
        headers["X-CSRF-Token"] = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    seen = watch(monkeypatch, memos, "read_image", sqlite_file)
    response = client.post(
        "/api/memos",
        data={"title": "사진", "content": "c", "linked_image": upload(tiny_png(), "a.png")},
        headers=headers,
    )
    assert response.status_code == 201, response.json
    assert seen == [True]
