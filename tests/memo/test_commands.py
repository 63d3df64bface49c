"""The Click commands: db upgrade/downgrade/current, purge-trash, create-user."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select, update

from examples.memo import commands, migrate
from examples.memo.db import get_database, get_session
from examples.memo.models import IdempotencyKey, Memo, User, utcnow

from .conftest import APIUser


def invoke(app, command, *args: str, input: str | None = None):
    with app.app_context():
        return CliRunner().invoke(command, list(args), input=input, catch_exceptions=False)


def test_commands_are_on_app_cli_when_it_exists(app) -> None:
    cli = getattr(app, "cli", None)
    if cli is None:
        return
    for name in ("db", "purge-trash", "create-user"):
        assert name in cli.commands


def test_create_user_asks_for_the_password_twice(app) -> None:
    result = invoke(
        app, commands.create_user, "kim", "--name", "김민지", input="long password\nlong password\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created user 'kim'" in result.output
    with app.app_context():
        user = get_session().scalar(select(User))
        assert (user.user_id, user.user_name) == ("kim", "김민지")


def test_create_user_refuses_a_taken_id(app, kim: APIUser) -> None:
    result = invoke(app, commands.create_user, "kim", "--password", "long password")
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
    result = invoke(app, commands.purge_trash)
    assert result.exit_code == 0, result.output
    assert "Purged 1 memo(s)" in result.output
    assert kim.get(f"/api/memos/{old['id']}").status_code == 404
    assert kim.get(f"/api/memos/{recent['id']}").status_code == 200
    assert kim.get(f"/api/memos/{kept['id']}").status_code == 200
    again = invoke(app, commands.purge_trash, "--days", "0")
    assert "Purged 1 memo(s)" in again.output
    assert kim.get(f"/api/memos/{recent['id']}").status_code == 404


def test_purge_trash_forgets_expired_idempotency_keys(app, kim: APIUser) -> None:
    kim.post("/api/memos", json={"title": "t", "content": "c"}, headers={"Idempotency-Key": "k"})
    with app.app_context():
        session = get_session()
        session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(days=2)))
        session.commit()
    result = invoke(app, commands.purge_trash)
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
    current = invoke(app, commands.db_group, "current")
    assert f"current: {head}" in current.output and "up to date" in current.output
    down = invoke(app, commands.db_group, "downgrade")
    assert down.exit_code == 0 and "revision 0002" in down.output
    assert "run 'db upgrade'" in invoke(app, commands.db_group, "current").output
    up = invoke(app, commands.db_group, "upgrade")
    assert up.exit_code == 0 and f"revision {head}" in up.output
    with app.app_context():
        assert migrate.current_revision(get_database()) == head
