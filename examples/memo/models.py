"""The data: users, their memos, labels and images, and idempotency keys (SQLAlchemy 2 ORM).

Every table belongs to one user through ``user_id``, and every query in the
API filters on it: that is how one user never sees another's data.

The schema itself is created and changed by the Alembic revisions in
``migrations/versions/``, never by ``create_all``; ``tests/memo`` checks
that these classes and the newest revision describe the same tables.

Ids are never reused, on SQLite too (``sqlite_autoincrement``): a memo's ETag
is made of its id and version, and a memo created after another was deleted
must not answer to the deleted one's ETag.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Names for constraints and indexes, so that migrations can refer to them on
#: every database (SQLite does not name them by itself).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TITLE_MAX_LENGTH = 100
LABEL_MAX_LENGTH = 50
USER_ID_MAX_LENGTH = 50
USER_NAME_MAX_LENGTH = 50
IDEMPOTENCY_KEY_MAX_LENGTH = 255


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time, always handed back in UTC with its time zone.

    PostgreSQL stores ``timestamp with time zone``; SQLite has no such type
    and stores the UTC time as text. Either way Python sees an aware UTC
    ``datetime``, which JSON renders as ISO 8601 with ``+00:00``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime (use datetime.now(UTC)).")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}


class User(Base):
    __tablename__ = "users"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The login name (the original app's ``user_id``), unique.
    user_id: Mapped[str] = mapped_column(String(USER_ID_MAX_LENGTH), unique=True)
    user_name: Mapped[str] = mapped_column(String(USER_NAME_MAX_LENGTH))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


memo_labels = Table(
    "memo_labels",
    Base.metadata,
    Column("memo_id", ForeignKey("memos.id", ondelete="CASCADE"), primary_key=True),
    Column("label_id", ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True),
)


class Label(Base):
    __tablename__ = "labels"
    __table_args__ = (UniqueConstraint("user_id", "content"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    content: Mapped[str] = mapped_column(String(LABEL_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Memo(Base):
    __tablename__ = "memos"
    __table_args__ = (
        # The list query: one user's memos, trash or not, pinned first, newest first.
        Index("ix_memos_listing", "user_id", "is_deleted", "is_pinned", "created_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH))
    content: Mapped[str] = mapped_column(Text)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When the memo went to the trash; ``purge-trash`` deletes it some days later.
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    color: Mapped[str] = mapped_column(String(20), default="default")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Bumped by every change of what the API shows of the memo; the ETag is
    #: made from it, and SQLAlchemy's UPDATE checks it (optimistic locking), so
    #: two writers that both read version 3 cannot both write.
    version: Mapped[int] = mapped_column(Integer, default=1)

    labels: Mapped[list[Label]] = relationship(secondary=memo_labels, order_by=Label.id)
    image: Mapped[MemoImage | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}


class MemoImage(Base):
    """A memo's image, kept in the database so every app server can serve it."""

    __tablename__ = "memo_images"

    memo_id: Mapped[int] = mapped_column(
        ForeignKey("memos.id", ondelete="CASCADE"), primary_key=True
    )
    media_type: Mapped[str] = mapped_column(String(50))
    #: The bytes; deferred, so that listing memos does not load every image.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdempotencyKey(Base):
    """The answer to a ``POST`` sent with an ``Idempotency-Key`` header, kept for retries.

    The unique constraint on (user, key) is what makes a retry safe even when
    two copies of the request arrive at two servers at once: the memo and its
    key are committed in one transaction, so only one of them can commit.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(IDEMPOTENCY_KEY_MAX_LENGTH))
    #: A hash of the request's method, path and content: the same key with
    #: another request is an error, not a replay.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(255), default=None)
    #: The first answer's ``ETag`` (that of the memo as created), sent again with it.
    etag: Mapped[str | None] = mapped_column(String(100), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
