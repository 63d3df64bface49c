"""How the API shows its objects: the JSON of a memo, a label and a user.

The field names are the original app's (``hidekuma/gogglekaap``), plus
Keep's ``is_pinned`` and ``color``. Timestamps are ISO 8601 in UTC.
"""

from __future__ import annotations

from typing import Any

from microwsgi import Response, url_for

from ..models import Label, Memo, User


def memo_json(memo: Memo) -> dict[str, Any]:
    return {
        "id": memo.id,
        "user_id": memo.user_id,
        "title": memo.title,
        "content": memo.content,
        "linked_image": url_for("api.memo_image", id=memo.id) if memo.image else None,
        "is_deleted": memo.is_deleted,
        "is_pinned": memo.is_pinned,
        "color": memo.color,
        "labels": [{"id": label.id, "content": label.content} for label in memo.labels],
        "created_at": memo.created_at.isoformat(),
        "updated_at": memo.updated_at.isoformat(),
    }


def memo_etag(memo: Memo) -> str:
    """A strong entity tag for the memo's current version (RFC 9110, section 8.8.3)."""
    return f'"memo-{memo.id}-v{memo.version}"'


def label_json(label: Label) -> dict[str, Any]:
    return {
        "id": label.id,
        "user_id": label.user_id,
        "content": label.content,
        "created_at": label.created_at.isoformat(),
    }


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "user_id": user.user_id,
        "user_name": user.user_name,
        "created_at": user.created_at.isoformat(),
    }


def no_content() -> Response:
    """204 No Content: no body, so no ``Content-Type`` either."""
    response = Response(status=204)
    response.headers.remove("Content-Type")
    return response
