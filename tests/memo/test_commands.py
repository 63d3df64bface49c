"""The Click commands: db upgrade/downgrade/current, purge-trash, create-user."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, select, text, update

from examples.memo import create_app, migrate
from examples.memo.db import get_database, get_session
from examples.memo.models import IdempotencyKey, Memo, User, utcnow
from microwsgi.cli import cli

from .conftest import APIUser


def invoke(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=input, catch_exceptions=False)


def test_commands_are_on_app_cli(app) -> None:
    for name in ("db", "purge-trash", "create-user"):
        assert name in app.cli.commands


def test_create_user_asks_for_the_password_twice(app) -> None:
    result = invoke(
        app, "create-user", "kim", "--name", "김민지", input="long password\nlong password\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created user 'kim'" in result.output
    with app.app_context():
        user = get_session().scalar(select(User))
        assert (user.user_id, user.user_name) == ("kim", "김민지")


def test_create_user_refuses_a_taken_id(app, kim: APIUser) -> None:
    result = invoke(app, "create-user", "kim", "--password", "long password")
    assert result.exit_code == 1
    assert "taken" in result.output


def test_purge_trash_deletes_only_old_trash(app, kim: APIUser) -> None:
    old = kim.create_memo(title="old trash", is_deleted=True)
    recent = kim.create_memo(title="recent trash", is_deleted=True)
    kept = kim.create_memo(title="not in the trash")
    with app.app_context():
        session = get_session()
        session.execute(
            update(Memo).where(Memo.id == old["id"]).values(deleted_at=utcnow() - timedelta(days=8))
        )
        session.execute(
            update(Memo)
            .where(Memo.id == kept["id"])
            .values(created_at=utcnow() - timedelta(days=80))
        )
        session.commit()
    result = invoke(app, "purge-trash")
    assert result.exit_code == 0, result.output
    assert "Purged 1 memo(s)" in result.output
    assert kim.get(f"/api/memos/{old['id']}").status_code == 404
    assert kim.get(f"/api/memos/{recent['id']}").status_code == 200
    assert kim.get(f"/api/memos/{kept['id']}").status_code == 200
    again = invoke(app, "purge-trash", "--days", "0")
    assert "Purged 1 memo(s)" in again.output
    assert kim.get(f"/api/memos/{recent['id']}").status_code == 404


def test_purge_trash_forgets_expired_idempotency_keys(app, kim: APIUser) -> None:
    kim.post("/api/memos", json={"title": "t", "content": "c"}, headers={"Idempotency-Key": "k"})
    with app.app_context():
        session = get_session()
        session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(days=2)))
        session.commit()
    result = invoke(app, "purge-trash")
    assert "and 1 expired idempotency key(s)" in result.output


def test_trashing_through_the_api_records_when(app, kim: APIUser) -> None:
    memo = kim.create_memo()
    kim.patch(f"/api/memos/{memo['id']}", json={"is_deleted": True})
    with app.app_context():
        assert get_session().get(Memo, memo["id"]).deleted_at is not None
    kim.patch(f"/api/memos/{memo['id']}", json={"is_deleted": False})
    with app.app_context():
        assert get_session().get(Memo, memo["id"]).deleted_at is None


def test_db_commands_walk_the_revisions(app) -> None:
    head = migrate.head_revision()
    current = invoke(app, "db", "current")
    assert f"current: {head}" in current.output and "up to date" in current.output
    below = ScriptDirectory.from_config(migrate.alembic_config()).get_revision(head).down_revision
    down = invoke(app, "db", "downgrade")
    assert down.exit_code == 0 and f"revision {below}" in down.output
    assert "run 'db upgrade'" in invoke(app, "db", "current").output
    up = invoke(app, "db", "upgrade")
    assert up.exit_code == 0 and f"revision {head}" in up.output
    with app.app_context():
        assert migrate.current_revision(get_database()) == head


def test_db_commands_refuse_unknown_revisions_in_one_line(app) -> None:
    """Alembic's refusals are Click errors (exit status 1, no traceback), naming the revisions."""
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["db", "upgrade", "9999"])
    assert unknown.exit_code == 1 and unknown.exception is not None
    assert "Traceback" not in unknown.output
    assert "Can't locate revision identified by '9999'" in unknown.output
    assert f"the revisions: {', '.join(migrate.revisions())}" in unknown.output
    assert invoke(app, "db", "downgrade", "base").exit_code == 0
    below_base = runner.invoke(args=["db", "downgrade"])
    assert below_base.exit_code == 1 and "Error:" in below_base.output
    assert "Traceback" not in below_base.output
    assert invoke(app, "db", "upgrade").exit_code == 0


def test_db_downgrade_takes_a_relative_revision(app) -> None:
    head = migrate.head_revision()
    down = invoke(app, "db", "downgrade", "-2")
    assert down.exit_code == 0, down.output
    assert f"revision {migrate.revisions()[-3]}" in down.output
    assert f"revision {head}" in invoke(app, "db", "upgrade").output


def test_the_microwsgi_command_upgrades_the_database_of_database_url(tmp_path, monkeypatch) -> None:
    """``microwsgi --app examples.memo db upgrade``, as an operator types it."""
    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    monkeypatch.setenv("MEMO_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 64)
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(cli, ["--app", "examples.memo", "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"revision {migrate.head_revision()}" in result.output
    engine = create_engine(url)
    assert "memos" in inspect(engine).get_table_names()
    engine.dispose()
    down = CliRunner().invoke(cli, ["--app", "examples.memo", "db", "downgrade", "base"])
    assert down.exit_code == 0 and "revision base" in down.output


def test_the_command_line_lists_the_memo_commands() -> None:
    listing = subprocess.run(
        [sys.executable, "-m", "microwsgi", "--app", "examples.memo", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MEMO_ENV": "testing", "DATABASE_URL": "sqlite://"},
        check=False,
    )
    assert listing.returncode == 0, listing.stderr
    for name in ("db", "purge-trash", "create-user"):
        assert name in listing.stdout


def test_create_user_in_development_creates_the_database_first(tmp_path) -> None:
    from examples.memo import create_app

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    app = create_app({"MEMO_ENV": "development", "SECRET_KEY": "dev", "DATABASE_URL": url})
    result = invoke(app, "create-user", "kim", "--password", "long password")
    assert result.exit_code == 0, result.output
    assert migrate.current_revision(get_database(app)) == migrate.head_revision()
    get_database(app).dispose()


@pytest.mark.parametrize(
    "arguments",
    [
        ["db", "upgrade"],
        ["db", "downgrade"],
        ["db", "current"],
        ["purge-trash"],
        ["create-user", "kim", "--password", "long password"],
    ],
)
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_a_database_that_cannot_answer_is_one_line_that_names_it(
    arguments: list[str], backend: str, tmp_path
) -> None:
    """The example: purge-trash from cron while PostgreSQL was down printed SQLAlchemy's
    traceback; now one line names the database (not its password) and the cause."""
    if backend == "postgresql":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]  # nothing listens on it once it is closed
        url = f"postgresql://memo:secret-pw@127.0.0.1:{port}/memo"
        shown, cause = f"postgresql+psycopg://memo:***@127.0.0.1:{port}/memo", "connection"
    else:
        url = f"sqlite:///{tmp_path}/no/such/folder/memo.sqlite3"
        shown, cause = url, "unable to open database file"
    app = create_app({"MEMO_ENV": "development", "DATABASE_URL": url})
    result = app.test_cli_runner().invoke(args=arguments)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: The database {shown} is unavailable: ")
    assert cause in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "secret-pw" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("days", ["36526", "99999999"])
def test_purge_trash_refuses_a_retention_beyond_the_calendar(app, kim: APIUser, days: str) -> None:
    """The example: --days 99999999 reached before year 1 and raised OverflowError."""
    kim.create_memo(title="in the trash", is_deleted=True)
    result = app.test_cli_runner().invoke(args=["purge-trash", "--days", days])
    assert result.exit_code == 2
    assert f"Invalid value for '--days': {days} is not in the range 0<=x<=36525" in result.output
    kept = invoke(app, "purge-trash", "--days", "36525")
    assert kept.exit_code == 0
    assert "Purged 0 memo(s)" in kept.output


@pytest.mark.parametrize(
    "arguments",
    [["db", "current"], ["db", "upgrade"], ["db", "downgrade"], ["purge-trash"]],
)
def test_a_database_migrated_by_a_newer_release_is_named_as_such(
    tmp_path, arguments: list[str]
) -> None:
    """The example: after a rollback of the code, 'db current' advised 'db upgrade', 'db
    upgrade' blamed the revision as if it had been typed, purge-trash raised a traceback."""
    url = f"sqlite:///{tmp_path}/memo.sqlite3"
    app = create_app({"MEMO_ENV": "development", "DATABASE_URL": url})
    database = get_database(app)
    migrate.upgrade(database)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    result = app.test_cli_runner().invoke(args=arguments)
    assert result.exit_code == 1, result.output
    newest = migrate.head_revision()
    assert result.output.strip() == (
        f"Error: The database is at revision 0099, which this code does not have (its newest "
        f"is {newest}): a newer release migrated it. Deploy that release, or run its "
        f"'db downgrade {newest}' first."
    )
    assert migrate.current_revision(database) == "0099"
    database.dispose()
