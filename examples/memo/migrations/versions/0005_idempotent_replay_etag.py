"""An idempotent replay answers with the first answer's ETag too.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

Keys stored before this revision have none; their replays go without it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(sa.Column("etag", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("etag")
