"""Fixtures of the memo app's tests: every API test runs on SQLite and on PostgreSQL.

``database_url`` is parametrized over the two backends at session scope: the
schema is migrated once per backend, and each test starts from empty tables.
PostgreSQL is a real server started for the session (``postgres.py``); where
it is not installed the PostgreSQL half is skipped, except in CI (``CI`` set),
where that is a failure.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from benchmarks.memo_load.images import png
from examples.memo import create_app, migrate
from examples.memo.db import Database, get_database
from microwsgi import App

from .postgres import PostgresServer, running_server

TABLES = ("idempotency_keys", "memo_images", "memo_labels", "memos", "labels", "users")
PASSWORD = "correct horse"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        with running_server() as server:
            yield server
    except FileNotFoundError as missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} scripts/test installs it; CI must not skip these tests.")
        pytest.skip(f"{missing} Run bash scripts/test to install it.")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("sqlite") / "memo.sqlite3")
    else:
        url = request.getfixturevalue("postgres_server").create_database("memo_api")
    database = Database(url)
    migrate.upgrade(database)
    database.dispose()
    return url


@pytest.fixture
def app(database_url: str) -> Iterator[App]:
    app = create_app({"MEMO_ENV": "testing", "DATABASE_URL": database_url})
    database = get_database(app)
    with database.engine.begin() as connection:
        if database.is_sqlite:
            for table in TABLES:
                connection.execute(text(f"DELETE FROM {table}"))
            connection.execute(text("DELETE FROM sqlite_sequence"))  # as RESTART IDENTITY
        else:
            connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    yield app
    database.dispose()


@pytest.fixture
def client(app: App) -> Any:
    return app.test_client()


def register(client: Any, user_id: str = "kim", user_name: str = "김민지") -> dict[str, Any]:
    response = client.post(
        "/api/users", json={"user_id": user_id, "user_name": user_name, "password": PASSWORD}
    )
    assert response.status_code == 201, response.json
    return response.json  # type: ignore[no-any-return]


def token_for(client: Any, user_id: str = "kim") -> str:
    response = client.post("/api/auth", json={"user_id": user_id, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return response.json["access_token"]  # type: ignore[no-any-return]


class APIUser:
    """A registered user and a client that sends their bearer token."""

    def __init__(self, client: Any, user_id: str, user_name: str) -> None:
        self.client = client
        self.profile = register(client, user_id, user_name)
        self.token = token_for(client, user_id)
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)

    def create_memo(self, **fields: Any) -> dict[str, Any]:
        body = {"title": "제목", "content": "내용", **fields}
        response = self.post("/api/memos", json=body)
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[no-any-return]


@pytest.fixture
def kim(client: Any) -> APIUser:
    return APIUser(client, "kim", "김민지")


@pytest.fixture
def lee(app: App) -> APIUser:
    return APIUser(app.test_client(), "lee", "이서준")


def tiny_png(width: int = 1, height: int = 1) -> bytes:
    """A real PNG image (red pixels), built from its chunks."""
    return png(width, height)


def upload(data: bytes, filename: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), filename
