"""The factory's configuration: environments, secrets, the database URL, SQLite's settings."""

from __future__ import annotations

import os
import stat
import threading
from datetime import timedelta

import pytest
from sqlalchemy import text

from examples.memo import create_app, migrate
from examples.memo.config import TestingConfig
from examples.memo.db import Database, get_database, normalize_url


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("MEMO_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"MEMO_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_takes_its_settings_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MEMO_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    monkeypatch.setenv("MEMO_TRASH_RETENTION_DAYS", "30")
    app = create_app()
    assert app.config["SECRET_KEY"] == "k" * 64
    assert app.config["TRASH_RETENTION_DAYS"] == 30
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["DATABASE_AUTO_UPGRADE"] is False
    assert app.debug is False
    get_database(app).dispose()


def test_unknown_environment_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("MEMO_ENV", "staging")
    with pytest.raises(ValueError, match="MEMO_ENV"):
        create_app()


def test_a_config_class_can_be_passed(tmp_path) -> None:
    class Mine(TestingConfig):
        DATABASE_URL = f"sqlite:///{tmp_path}/mine.db"
        MEMOS_PER_PAGE = 5

    app = create_app(Mine)
    assert app.config["MEMOS_PER_PAGE"] == 5 and app.testing
    get_database(app).dispose()


def test_development_keeps_a_generated_secret_in_the_instance_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("MEMO_SECRET_KEY", raising=False)
    import examples.memo as memo_package

    monkeypatch.setattr(memo_package, "instance_folder", lambda app: str(tmp_path / "instance"))
    first = create_app({"MEMO_ENV": "development"})
    second = create_app({"MEMO_ENV": "development"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    mode = stat.S_IMODE(os.stat(tmp_path / "instance" / "secret_key").st_mode)
    assert mode == 0o600
    assert get_database(first).url == f"sqlite:///{tmp_path}/instance/memo.sqlite3"
    for app in (first, second):
        get_database(app).dispose()


def test_development_creates_the_database_on_the_first_request(monkeypatch, tmp_path) -> None:
    path = tmp_path / "fresh.sqlite3"
    app = create_app(
        {"MEMO_ENV": "development", "SECRET_KEY": "dev", "DATABASE_URL": f"sqlite:///{path}"}
    )
    assert not path.exists() or migrate.current_revision(get_database(app)) is None
    response = app.test_client().post(
        "/api/users", json={"user_id": "kim", "user_name": "k", "password": "long password"}
    )
    assert response.status_code == 201
    assert migrate.current_revision(get_database(app)) == migrate.head_revision()
    get_database(app).dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u@h:5433/db", "postgresql+psycopg://u@h:5433/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_postgresql_urls_use_psycopg_3(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


def test_every_sqlite_connection_uses_wal_and_a_busy_timeout(tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path}/w.db", busy_timeout_ms=4321)
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 4321
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("SELECT lower('ÄRGER')")).scalar() == "ärger"
    database.dispose()


def test_concurrent_writers_on_sqlite_wait_instead_of_failing(tmp_path) -> None:
    """Eight threads with their own connections write at once: none sees 'database is locked'."""
    url = f"sqlite:///{tmp_path}/busy.db"
    app = create_app({"MEMO_ENV": "testing", "DATABASE_URL": url})
    migrate.upgrade(get_database(app))
    client = app.test_client()
    client.post(
        "/api/users", json={"user_id": "kim", "user_name": "k", "password": "long password"}
    )
    token = client.post("/api/auth", json={"user_id": "kim", "password": "long password"}).json[
        "access_token"
    ]
    statuses: list[int] = []
    barrier = threading.Barrier(8, timeout=30)

    def write() -> None:
        own = app.test_client()
        barrier.wait()
        for number in range(5):
            response = own.post(
                "/api/memos",
                json={"title": f"{number}", "content": "c", "labels": f"shared,{number}"},
                headers={"Authorization": f"Bearer {token}"},
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [201] * 40
    listing = client.get("/api/memos", headers={"Authorization": f"Bearer {token}"})
    assert listing.headers["X-Total-Count"] == "40"
    get_database(app).dispose()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        # The examples: every log-in was a 500; a plain origin became a list of characters.
        ("MEMO_JWT_EXPIRATION_DELTA", "abc", "JWT_EXPIRATION_DELTA .* positive duration"),
        ("MEMO_JWT_EXPIRATION_DELTA", "0", "JWT_EXPIRATION_DELTA"),
        ("MEMO_JWT_LEEWAY", "-1", "JWT_LEEWAY .* not negative duration"),
        ("MEMO_MAX_IMAGE_SIZE", "big", "MAX_IMAGE_SIZE .* whole number of at least 1"),
        ("MEMO_MAX_IMAGE_PIXELS", "1.5", "MAX_IMAGE_PIXELS"),
        ("MEMO_MEMOS_PER_PAGE", "0", "MEMOS_PER_PAGE"),
        ("MEMO_MEMOS_PER_PAGE", "500", "MEMOS_PER_PAGE .* at most 100"),
        ("MEMO_TRASH_RETENTION_DAYS", "true", "TRASH_RETENTION_DAYS"),
        ("MEMO_TRASH_RETENTION_DAYS", "99999999", "TRASH_RETENTION_DAYS .* at most 36525"),
        ("MEMO_IDEMPOTENCY_KEY_LIFETIME", '"a day"', "IDEMPOTENCY_KEY_LIFETIME"),
        ("MEMO_CORS_ORIGINS", '{"a": 1}', "CORS_ORIGINS .* list of texts"),
    ],
)
def test_a_setting_of_the_wrong_type_stops_the_app_as_it_starts(
    monkeypatch, tmp_path, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=message) as refused:
        create_app({"MEMO_ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert f"({variable} in the environment)" in str(refused.value)


def test_durations_may_be_seconds_and_lists_one_text_with_commas(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MEMO_JWT_EXPIRATION_DELTA", "600")
    monkeypatch.setenv("MEMO_IDEMPOTENCY_KEY_LIFETIME", "3600.5")
    monkeypatch.setenv("MEMO_CORS_ORIGINS", "https://app.example, https://admin.example")
    monkeypatch.setenv("MEMO_JWT_AUTH_HEADER_PREFIX_ALIASES", "JWT")
    app = create_app({"MEMO_ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["JWT_EXPIRATION_DELTA"] == timedelta(minutes=10)
    assert app.config["IDEMPOTENCY_KEY_LIFETIME"] == timedelta(seconds=3600.5)
    assert app.config["CORS_ORIGINS"] == ["https://app.example", "https://admin.example"]
    assert app.config["JWT_AUTH_HEADER_PREFIX_ALIASES"] == ["JWT"]
    migrate.upgrade(get_database(app))
    client = app.test_client()
    allowed = client.options(
        "/api/memos",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example"
    refused = client.options(
        "/api/memos", headers={"Origin": "h", "Access-Control-Request-Method": "GET"}
    )
    assert "Access-Control-Allow-Origin" not in refused.headers
    get_database(app).dispose()
