"""Ids are never reused on SQLite: users, labels and memos get AUTOINCREMENT.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Without it SQLite gives a new row the largest id in the table plus one, so
the newest memo's id comes back after that memo is deleted. A memo's ETag is
its id and version (``"memo-31-v1"``), so the new memo 31 would answer to the
If-Match and If-None-Match of the deleted one: a stale edit would overwrite
it, a cached copy of the deleted memo would be "not modified", a replayed
Idempotency-Key would point at it. PostgreSQL's sequences never hand an id
out twice; nothing changes there.

SQLite cannot add AUTOINCREMENT to a table in place: each table is copied
into a new one declared with it (Alembic's batch mode), keeping its rows,
ids, constraints and indexes. The ids freed before this revision are
unknown; from here on each new id is larger than any seen since.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: Parents first; ``migrate.py`` turns SQLite's foreign keys off while tables are copied.
TABLES = ("users", "labels", "memos")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        # The copy is declared from the reflected table, which knows nothing of AUTOINCREMENT.
        with op.batch_alter_table(table, recreate="always"):
            pass
