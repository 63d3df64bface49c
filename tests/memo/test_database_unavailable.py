"""A database that cannot answer is a 503 with Retry-After, never a 500.

The examples: a PostgreSQL URL whose server refuses connections, and an
SQLite database whose write lock another process holds past the busy
timeout. Both are the service being unavailable for a moment, and the
client is told to retry (RFC 9110, 15.6.4), as JSON under ``/api``.
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

from examples.memo import create_app, migrate
from examples.memo.db import RETRY_AFTER_SECONDS, get_database

from .conftest import PASSWORD
from .test_pages import post_form


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once it is closed


def _assert_unavailable_json(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.mimetype == "application/json"
    assert response.json["code"] == 503
    assert response.json["name"] == "Service Unavailable"
    assert "database" in response.json["message"]


def test_a_postgresql_server_that_refuses_connections_is_a_503(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"postgresql://memo:secret@127.0.0.1:{_closed_port()}/memo"
    app = create_app({"MEMO_ENV": "testing", "DATABASE_URL": url})
    client = app.test_client()
    try:
        registration = client.post(
            "/api/users", json={"user_id": "kim", "user_name": "김민지", "password": PASSWORD}
        )
        _assert_unavailable_json(registration)
        _assert_unavailable_json(
            client.post("/api/auth", json={"user_id": "kim", "password": PASSWORD})
        )
        # A page is a page, with the same status and header.
        page = post_form(client, "/auth/login", user_id="kim", password=PASSWORD)
        assert page.status_code == 503
        assert page.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert "text/html" in page.headers["Content-Type"]
        # The operator reads the cause in the log.
        assert "The database is unavailable" in caplog.text
        assert "Connection refused" in caplog.text or "connection failed" in caplog.text
    finally:
        get_database(app).dispose()


def test_an_sqlite_lock_held_past_the_busy_timeout_is_a_503(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite3"
    app = create_app(
        {
            "MEMO_ENV": "testing",
            "DATABASE_URL": f"sqlite:///{path}",
            "SQLITE_BUSY_TIMEOUT_MS": 50,
        }
    )
    migrate.upgrade(get_database(app))
    client = app.test_client()
    registration = client.post(
        "/api/users", json={"user_id": "kim", "user_name": "김민지", "password": PASSWORD}
    )
    assert registration.status_code == 201
    token = client.post("/api/auth", json={"user_id": "kim", "password": PASSWORD}).json[
        "access_token"
    ]
    headers = {"Authorization": f"Bearer {token}"}
    other_process = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        other_process.execute("BEGIN IMMEDIATE")  # holds the write lock
        created = client.post("/api/memos", json={"title": "t", "content": "c"}, headers=headers)
        _assert_unavailable_json(created)
        # Reads go on: WAL readers do not wait for the writer.
        assert client.get("/api/memos", headers=headers).status_code == 200
    finally:
        other_process.execute("ROLLBACK")
        other_process.close()
    # Once the lock is free, the retry succeeds, and nothing was made twice.
    retried = client.post("/api/memos", json={"title": "t", "content": "c"}, headers=headers)
    assert retried.status_code == 201
    listed = client.get("/api/memos", headers=headers)
    assert listed.headers["X-Total-Count"] == "1"
    get_database(app).dispose()
