"""The memo app's commands (Click): ``db upgrade``, ``db downgrade``, ``db current``,
``purge-trash`` and ``create-user``.

    microwsgi --app examples.memo db upgrade       # DATABASE_URL, to the newest revision
    microwsgi --app examples.memo purge-trash      # from cron, on any one server or on all
    microwsgi --app examples.memo create-user kim --name 김민지

``create_app`` adds them to ``app.cli``; each runs inside the app's context,
so ``current_app`` is the configured app.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import ParamSpec, TypeVar

import click
from alembic.util import CommandError as AlembicCommandError
from sqlalchemy import delete

from microwsgi import current_app
from microwsgi.cli import AppGroup, with_appcontext

from . import migrate
from .api.errors import APIError
from .config import MAX_RETENTION_DAYS
from .db import UNAVAILABLE_ERRORS, Database, get_database, get_session
from .models import IdempotencyKey, Memo, utcnow

P = ParamSpec("P")
R = TypeVar("R")


def _reports_database_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Run the command with ``_database_errors``; put it right above the ``def``."""

    @functools.wraps(command)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with _database_errors():
            return command(*args, **kwargs)

    return wrapped


@contextmanager
def _database_errors() -> Iterator[None]:
    """A database that cannot answer (its server down or refusing connections, SQLite's
    file out of reach or locked) as one line that names it, without its password, and exit
    status 1, rather than SQLAlchemy's traceback: a command run from cron or a deploy
    script is read by someone who needs the cause, not the stack."""
    try:
        yield
    except UNAVAILABLE_ERRORS as error:
        url = get_database().engine.url.render_as_string(hide_password=True)
        cause = str(getattr(error, "orig", None) or error).strip().splitlines()
        reason = cause[0] if cause else type(error).__name__
        raise click.ClickException(f"The database {url} is unavailable: {reason}") from None


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Create and change the database's schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@_reports_database_errors
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    database = get_database()
    _refuse_an_unknown_revision(database)
    with _alembic_errors():
        migrate.upgrade(database, revision)
    click.echo(f"The database is at revision {migrate.current_revision(database)}.")


# A relative revision such as -2 is an argument, not an unknown option.
@db_group.command("downgrade", context_settings={"ignore_unknown_options": True})
@click.argument("revision", default="-1")
@_reports_database_errors
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION (default: -1, one step; -2: two; 'base': all)."""
    database = get_database()
    _refuse_an_unknown_revision(database)
    with _alembic_errors():
        migrate.downgrade(database, revision)
    click.echo(f"The database is at revision {migrate.current_revision(database) or 'base'}.")


@contextmanager
def _alembic_errors() -> Iterator[None]:
    """Alembic's refusals (an unknown revision, a step below the first) as one line and exit
    status 1, as Click reports a bad argument, rather than a traceback."""
    try:
        yield
    except AlembicCommandError as error:
        known = ", ".join(migrate.revisions())
        raise click.ClickException(f"{error} (the revisions: {known}; or head, base, -1)") from None


@db_group.command("current")
@_reports_database_errors
def db_current() -> None:
    """Show the database's revision and the newest one."""
    database = get_database()
    _refuse_an_unknown_revision(database)
    current = migrate.current_revision(database)
    head = migrate.head_revision()
    state = "up to date" if current == head else "run 'db upgrade'"
    click.echo(f"current: {current or 'none (empty database)'}; newest: {head} ({state})")


def _refuse_an_unknown_revision(database: Database) -> None:
    """A database at a revision this code does not have was migrated by a newer release
    (the app was rolled back after its ``db upgrade``): say so, in one line and exit
    status 1, rather than advising ``db upgrade`` or blaming the revision as if typed."""
    current = migrate.current_revision(database)
    known = migrate.revisions()
    if current is not None and current not in known:
        raise click.ClickException(
            f"The database is at revision {current}, which this code does not have "
            f"(its newest is {known[-1]}): a newer release migrated it. Deploy that "
            f"release, or run its 'db downgrade {known[-1]}' first."
        )


def _schema_ready() -> None:
    """In development (``DATABASE_AUTO_UPGRADE``), create or upgrade the database first,
    as the development server does, so that a command works on a fresh checkout."""
    if current_app.config["DATABASE_AUTO_UPGRADE"]:
        database = get_database()
        _refuse_an_unknown_revision(database)
        migrate.upgrade(database)


@click.command("purge-trash")
@with_appcontext
@click.option(
    "--days",
    # A hundred years at most: further back than the calendar goes is an error, not a purge.
    type=click.IntRange(min=0, max=MAX_RETENTION_DAYS),
    default=None,
    help="Delete memos in the trash for longer than this (default: TRASH_RETENTION_DAYS).",
)
@_reports_database_errors
def purge_trash(days: int | None) -> None:
    """Delete memos that stayed in the trash too long, and expired idempotency keys.

    Safe to run from cron on several servers at once: each DELETE removes
    only what is still there.
    """
    _schema_ready()
    if days is None:
        days = int(current_app.config["TRASH_RETENTION_DAYS"])
    now = utcnow()
    session = get_session()
    memos = session.execute(
        delete(Memo).where(Memo.is_deleted.is_(True), Memo.deleted_at < now - timedelta(days=days))
    ).rowcount
    keys = session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.created_at < now - current_app.config["IDEMPOTENCY_KEY_LIFETIME"]
        )
    ).rowcount
    session.commit()
    click.echo(
        f"Purged {memos} memo(s) in the trash for more than {days} day(s) "
        f"and {keys} expired idempotency key(s)."
    )


@click.command("create-user")
@with_appcontext
@click.argument("user_id")
@click.option("--name", "user_name", help="The name shown (default: the user id).")
@click.password_option(help="Asked for when not given.")
@_reports_database_errors
def create_user(user_id: str, user_name: str | None, password: str) -> None:
    """Register the user USER_ID."""
    from .api.users import register_user

    _schema_ready()
    try:
        user = register_user(user_id, user_name or user_id, password)
    except APIError as error:
        problems = "; ".join(f"{field}: {problem}" for field, problem in error.errors.items())
        raise click.ClickException(f"{error.description} {problems}".strip()) from None
    click.echo(f"Created user {user.user_id!r} (id {user.id}).")


COMMANDS = (db_group, purge_trash, create_user)
