"""After a run: the database, read directly, compared with the clients' ledgers.

The rules are in ``ledger.py``. Each finding is a sentence naming the
account and the memo, grouped by kind:

``lost``
    an acknowledged create that is not in the database (and was not deleted);
``duplicated``
    a memo in the database that no client acknowledged: a retried create
    that ran twice, or a write the server did without answering it;
``resurrected``
    a memo whose acknowledged delete did not stick;
``wrong``
    a memo whose stored version or fields are not those of the last
    acknowledged answer (a lost update, or one applied twice);
``keys``
    an idempotency key stored for no acknowledged create, or for another memo.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import create_engine, select

from examples.memo.db import normalize_url
from examples.memo.models import IdempotencyKey, Label, Memo, MemoImage, User, memo_labels

from .ledger import AccountLedger, State

KINDS = ("lost", "duplicated", "resurrected", "wrong", "keys")


def stored_memos(connection: Any, user_pk: int) -> dict[int, tuple[int, State, str | None]]:
    """memo id -> (version, state, image's SHA-256) of one user's memos, as stored."""
    rows = connection.execute(
        select(
            Memo.id, Memo.version, Memo.title, Memo.content, Memo.color,
            Memo.is_pinned, Memo.is_deleted, MemoImage.sha256,
        )
        .outerjoin(MemoImage, MemoImage.memo_id == Memo.id)
        .where(Memo.user_id == user_pk)
    ).all()  # fmt: skip
    labels: dict[int, list[str]] = {}
    for memo_id, name in connection.execute(
        select(memo_labels.c.memo_id, Label.content)
        .join(Label, Label.id == memo_labels.c.label_id)
        .where(Label.user_id == user_pk)
    ):
        labels.setdefault(memo_id, []).append(name)
    return {
        row.id: (
            row.version,
            {
                "title": row.title,
                "content": row.content,
                "color": row.color,
                "is_pinned": bool(row.is_pinned),
                "is_deleted": bool(row.is_deleted),
                "labels": tuple(sorted(labels.get(row.id, []))),
                "image": row.sha256 is not None,
            },
            row.sha256,
        )
        for row in rows
    }


def verify(database_url: str, accounts: Iterable[AccountLedger]) -> dict[str, list[str]]:
    """Every finding, by kind (see the module docstring); all lists empty when nothing is wrong."""
    findings: dict[str, list[str]] = {kind: [] for kind in KINDS}
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as connection:
            for account in accounts:
                user_pk = connection.scalar(select(User.id).where(User.user_id == account.user_id))
                if user_pk is None:
                    if account.memos:
                        findings["lost"].append(f"{account.user_id}: the account itself")
                    continue
                _compare(account, user_pk, connection, findings)
    finally:
        engine.dispose()
    return findings


def _compare(
    account: AccountLedger, user_pk: int, connection: Any, findings: dict[str, list[str]]
) -> None:
    name = account.user_id
    stored = stored_memos(connection, user_pk)
    for memo_id, record in sorted(account.memos.items()):
        if record.deleted:
            if memo_id in stored:
                findings["resurrected"].append(f"{name}: memo {memo_id} was deleted, is back")
            continue
        if memo_id not in stored:
            findings["lost"].append(f"{name}: memo {memo_id} (v{record.version}) is missing")
            continue
        version, state, image_sha256 = stored[memo_id]
        if version != record.version or state != record.state:
            findings["wrong"].append(
                f"{name}: memo {memo_id} is v{version} {state}, "
                f"the last answer was v{record.version} {record.state} ({record.source})"
            )
        elif image_sha256 != record.image_sha256:
            findings["wrong"].append(
                f"{name}: memo {memo_id} has image {image_sha256}, "
                f"the last upload acknowledged was {record.image_sha256}"
            )
    for memo_id in sorted(set(stored) - set(account.memos)):
        findings["duplicated"].append(
            f"{name}: memo {memo_id} {stored[memo_id][1]['title']!r} was never acknowledged"
        )
    keys = dict(
        connection.execute(
            select(IdempotencyKey.key, IdempotencyKey.response_body).where(
                IdempotencyKey.user_id == user_pk
            )
        ).all()
    )
    for key, memo_id in account.creates.items():
        if key not in keys:
            findings["keys"].append(f"{name}: key {key} of memo {memo_id} is not stored")
        elif json.loads(keys[key])["id"] != memo_id:
            findings["keys"].append(f"{name}: key {key} answers another memo than {memo_id}")
    for key in sorted(set(keys) - set(account.creates)):
        findings["keys"].append(f"{name}: key {key} is stored for no acknowledged create")
