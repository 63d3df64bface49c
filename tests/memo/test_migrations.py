"""The Alembic revisions: an empty database to the newest revision and back, on both backends."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from examples.memo import migrate
from examples.memo.db import Database
from examples.memo.models import Base

_numbers = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.create_database(f"migrations_{next(_numbers)}")
    database = Database(url)
    yield database
    database.dispose()


def table_names(database: Database) -> set[str]:
    return set(inspect(database.engine).get_table_names()) - {"alembic_version"}


def test_there_are_at_least_two_revisions() -> None:
    from alembic.script import ScriptDirectory

    revisions = list(ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions())
    assert len(revisions) >= 2


def test_upgrade_an_empty_database_to_head_and_back_down(empty_database: Database) -> None:
    assert migrate.current_revision(empty_database) is None
    migrate.upgrade(empty_database)
    assert migrate.current_revision(empty_database) == migrate.head_revision()
    assert table_names(empty_database) == {
        "users", "labels", "memos", "memo_labels", "memo_images", "idempotency_keys",
    }  # fmt: skip
    migrate.downgrade(empty_database, "base")
    assert migrate.current_revision(empty_database) is None
    assert table_names(empty_database) == set()


def test_the_models_match_the_newest_revision(empty_database: Database) -> None:
    migrate.upgrade(empty_database)
    with empty_database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_stepping_down_one_revision_keeps_the_data(empty_database: Database) -> None:
    migrate.upgrade(empty_database, "0001")
    with empty_database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, user_id, user_name, password_hash, created_at) "
                "VALUES (1, 'kim', 'k', 'x', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO memos (id, user_id, title, content, is_deleted, created_at, "
                "updated_at, version) "
                "VALUES (1, 1, 't', 'c', true, '2026-01-01 00:00:00', '2026-01-02 00:00:00', 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO labels (id, user_id, content, created_at) "
                "VALUES (1, 1, 'l', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(text("INSERT INTO memo_labels (memo_id, label_id) VALUES (1, 1)"))
    migrate.upgrade(empty_database)
    with empty_database.engine.connect() as connection:
        row = connection.execute(text("SELECT is_pinned, color, deleted_at FROM memos")).one()
    assert (bool(row.is_pinned), row.color) == (False, "default")
    assert row.deleted_at is not None  # trashed before 0002: dated by the migration
    migrate.downgrade(empty_database, "0001")
    with empty_database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM memo_labels")).scalar() == 1
        assert connection.execute(text("SELECT title FROM memos")).scalar() == "t"


def test_0004_keeps_the_rows_and_no_id_is_handed_out_twice(empty_database: Database) -> None:
    """SQLite's tables are copied into AUTOINCREMENT ones; rows, ids and links survive."""
    migrate.upgrade(empty_database, "0003")
    rows = [
        "INSERT INTO users (id, user_id, user_name, password_hash, created_at) "
        "VALUES (1, 'kim', 'k', 'x', '2026-01-01 00:00:00')",
        "INSERT INTO labels (id, user_id, content, created_at) "
        "VALUES (7, 1, 'l', '2026-01-01 00:00:00')",
        *(
            "INSERT INTO memos (id, user_id, title, content, is_deleted, is_pinned, color, "
            f"created_at, updated_at, version) VALUES ({number}, 1, 'm{number}', 'c', false, "
            "false, 'default', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"
            for number in (1, 2, 3)
        ),
        "INSERT INTO memo_labels (memo_id, label_id) VALUES (3, 7)",
        "INSERT INTO memo_images (memo_id, media_type, data, size, sha256, created_at) "
        "VALUES (3, 'image/png', 'x', 1, 'ab', '2026-01-01 00:00:00')",
    ]
    with empty_database.engine.begin() as connection:
        for row in rows:
            connection.execute(text(row))
        if not empty_database.is_sqlite:  # rows written with their ids leave the sequence behind
            connection.execute(text("SELECT setval(pg_get_serial_sequence('memos', 'id'), 3)"))
    migrate.upgrade(empty_database)
    with empty_database.engine.begin() as connection:
        assert connection.execute(text("SELECT * FROM memo_labels")).all() == [(3, 7)]
        assert connection.execute(text("SELECT memo_id FROM memo_images")).scalar() == 3
        connection.execute(text("DELETE FROM memos WHERE id = 3"))
        connection.execute(
            text(
                "INSERT INTO memos (user_id, title, content, is_deleted, is_pinned, color, "
                "created_at, updated_at, version) VALUES (1, 'new', 'c', false, false, "
                "'default', '2026-01-02 00:00:00', '2026-01-02 00:00:00', 1)"
            )
        )
        new_id = connection.execute(text("SELECT id FROM memos WHERE title = 'new'")).scalar()
    assert new_id == 4  # 3 was the deleted memo's: never again
    migrate.downgrade(empty_database, "0003")
    with empty_database.engine.connect() as connection:
        titles = connection.execute(text("SELECT title FROM memos ORDER BY id")).scalars().all()
    assert titles == ["m1", "m2", "new"]
