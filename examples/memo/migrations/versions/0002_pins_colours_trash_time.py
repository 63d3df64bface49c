"""Keep's pins and colours, and the time a memo went to the trash.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

Existing memos become unpinned, of the default colour; those already in the
trash are dated now, so ``purge-trash`` gives them the full retention period.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from examples.memo.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("memos") as batch:
        batch.add_column(
            sa.Column("is_pinned", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("color", sa.String(length=20), nullable=False, server_default="default")
        )
        batch.add_column(sa.Column("deleted_at", UTCDateTime(), nullable=True))
        batch.drop_index("ix_memos_listing")
        batch.create_index("ix_memos_listing", ["user_id", "is_deleted", "is_pinned", "created_at"])
    op.execute(
        sa.text("UPDATE memos SET deleted_at = updated_at WHERE is_deleted = :yes").bindparams(
            yes=True
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("memos") as batch:
        batch.drop_index("ix_memos_listing")
        batch.create_index("ix_memos_listing", ["user_id", "is_deleted", "created_at"])
        batch.drop_column("deleted_at")
        batch.drop_column("color")
        batch.drop_column("is_pinned")
