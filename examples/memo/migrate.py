"""Running the Alembic migrations in ``migrations/`` from Python (no ``alembic.ini`` needed).

``upgrade(database)`` brings a database to the newest revision (creating the
tables of an empty one), ``downgrade(database, "-1")`` undoes one revision.
The ``db`` commands and the development server's first request call these.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from .db import Database

MIGRATIONS_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")


def alembic_config(database: Database | None = None) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", MIGRATIONS_FOLDER)
    if database is not None:
        # ConfigParser treats % as interpolation; a password may contain one.
        config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


@contextmanager
def _migration_connection(database: Database) -> Iterator[Connection]:
    with database.engine.connect() as connection:
        if database.is_sqlite:
            # Batch migrations copy a table and drop the old one; with foreign keys
            # on, SQLite would cascade that DROP into memo_labels and memo_images.
            # The pragma works only outside a transaction, so set it on the raw one.
            raw = connection.connection.driver_connection
            raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            try:
                yield connection
            finally:
                connection.rollback()
                raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
        else:
            yield connection


def upgrade(database: Database, revision: str = "head") -> None:
    """Apply every revision up to ``revision`` (default: the newest)."""
    with _migration_connection(database) as connection:
        config = alembic_config(database)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


def downgrade(database: Database, revision: str = "-1") -> None:
    """Undo revisions down to ``revision`` (``"-1"``: one step; ``"base"``: all)."""
    with _migration_connection(database) as connection:
        config = alembic_config(database)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        connection.commit()


def current_revision(database: Database) -> str | None:
    """The revision the database is at; None for an empty database."""
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision in ``migrations/versions``."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def revisions() -> list[str]:
    """Every revision in ``migrations/versions``, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]
