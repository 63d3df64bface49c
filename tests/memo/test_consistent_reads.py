"""A memo is read from one snapshot: its labels and image are those of the version its ETag names.

A memo is read with three statements (the memo, then its labels, then its
image). On PostgreSQL's default isolation (READ COMMITTED) each statement
sees what was committed when it started, so a change committed between them
gave an answer that never existed: the memo of version 3 with the labels of
version 4, under the ETag of version 3, which a client or cache then keeps
as version 3 (seen under load: a memo being deleted answered with no labels
and no image). Here another connection commits a change exactly between
the first statement and the labels'.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

from examples.memo.db import get_database
from microwsgi import App

from .conftest import APIUser


def change_between_statements(app: App, sql: list[str]) -> list[bool]:
    """Run ``sql`` on another connection, committed, just before the app loads labels."""
    database = get_database(app)
    done: list[bool] = []

    def before_cursor_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if done or "memo_labels" not in statement or not statement.lstrip().startswith("SELECT"):
            return
        done.append(True)
        with database.engine.connect() as other:
            for line in sql:
                other.execute(text(line))
            other.commit()

    event.listen(database.engine, "before_cursor_execute", before_cursor_execute)
    return done


@pytest.fixture
def memo(kim: APIUser) -> dict[str, Any]:
    return kim.create_memo(labels=["집", "work"])


def test_a_memo_read_during_a_label_change_is_one_version(
    app: App, kim: APIUser, memo: dict[str, Any]
) -> None:
    done = change_between_statements(
        app,
        [
            f"UPDATE memos SET version = version + 1 WHERE id = {memo['id']}",
            f"DELETE FROM memo_labels WHERE memo_id = {memo['id']}",
        ],
    )
    response = kim.get(f"/api/memos/{memo['id']}")
    assert done, "the change was not made between the statements"
    labels = [label["content"] for label in response.json["labels"]]
    assert (response.headers["ETag"], labels) in [
        (f'"memo-{memo["id"]}-v1"', ["집", "work"]),
        (f'"memo-{memo["id"]}-v2"', []),
    ]


def test_a_page_of_memos_read_during_a_delete_is_one_snapshot(
    app: App, kim: APIUser, memo: dict[str, Any]
) -> None:
    done = change_between_statements(app, [f"DELETE FROM memos WHERE id = {memo['id']}"])
    response = kim.get("/api/memos")
    assert done
    # Either the memo as it was, whole, or no memo: never the memo without its labels.
    assert [[label["content"] for label in m["labels"]] for m in response.json] in [
        [["집", "work"]],
        [],
    ]
