"""Labels: the user's list, create (unique per user), read, rename, delete."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from microwsgi import Response, current_app, g, url_for
from microwsgi.openapi import operation

from ..db import get_session
from ..models import Label
from . import bp
from .documentation import BODY_TYPES, LOCATION_HEADER, WRITE_SECURITY, json_reply, replies
from .errors import fail
from .memos import bump_memos_with_label
from .representations import label_json, no_content
from .schemas import LABEL, LABEL_INPUT
from .text import validated_body

LABEL_ID = "<int(min=1, max=2147483647):id>"


@bp.get("/labels")
@operation(responses=replies({200: json_reply("Your labels.", {"type": "array", "items": LABEL})}))
def list_labels() -> Response:
    """The user's labels, oldest first."""
    labels = get_session().scalars(
        select(Label).where(Label.user_id == g.user_id).order_by(Label.id)
    )
    return current_app.json.response([label_json(label) for label in labels])


@bp.post("/labels")
@operation(
    security=WRITE_SECURITY,
    body=LABEL_INPUT,
    body_media_types=BODY_TYPES,
    responses=replies(
        {201: json_reply("The new label.", LABEL, {"Location": LOCATION_HEADER})}, 409, body=True
    ),
)
def create_label() -> Response:
    """Make a label; 409 when the user already has one with that name."""
    content = _content()
    session = get_session()
    label = Label(user_id=g.user_id, content=content)
    session.add(label)
    _commit_or_409(content)
    response = current_app.json.response(label_json(label))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_label", id=label.id)
    return response


@bp.get(f"/labels/{LABEL_ID}")
@operation(responses=replies({200: json_reply("The label.", LABEL)}, 404))
def get_label(id: int) -> Response:
    """One label."""
    return current_app.json.response(label_json(owned_label(id)))


@bp.put(f"/labels/{LABEL_ID}")
@operation(
    security=WRITE_SECURITY,
    body=LABEL_INPUT,
    body_media_types=BODY_TYPES,
    responses=replies({200: json_reply("The renamed label.", LABEL)}, 404, 409, body=True),
)
def rename_label(id: int) -> Response:
    """Rename a label; its memos show the new name. 409 if the name is taken."""
    label = owned_label(id)
    content = _content()
    if content != label.content:
        bump_memos_with_label(label.id)
        label.content = content
        _commit_or_409(content)
    return current_app.json.response(label_json(label))


@bp.delete(f"/labels/{LABEL_ID}")
@operation(security=WRITE_SECURITY, responses=replies({204: None}, 404))
def delete_label(id: int) -> Response:
    """Delete a label; its memos stay, without it."""
    label = owned_label(id)
    session = get_session()
    bump_memos_with_label(label.id)
    session.delete(label)
    session.commit()
    return no_content()


def owned_label(id: int) -> Label:
    label = get_session().scalar(select(Label).where(Label.id == id, Label.user_id == g.user_id))
    if label is None:
        fail(404, f"There is no label {id} among yours.")
    return label


def _content() -> str:
    body = validated_body()
    content = body["content"].strip()
    if not content:
        fail(422, "A label needs a name.", {"content": "is empty"})
    return content


def _commit_or_409(content: str) -> None:
    session = get_session()
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        fail(409, f"You already have a label named {content!r}.", {"content": "is taken"})
