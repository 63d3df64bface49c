"""Memos: list (with search, trash, labels and pages), create, read, change, delete; images.

Every query is filtered on ``g.user_id``: another user's memo is a 404, as
if it did not exist, so ids reveal nothing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from microwsgi import Response, current_app, g, request, url_for
from microwsgi.openapi import operation

from ..db import get_session
from ..images import ImageRefused, check_image
from ..models import (
    IDEMPOTENCY_KEY_MAX_LENGTH,
    LABEL_MAX_LENGTH,
    IdempotencyKey,
    Label,
    Memo,
    MemoImage,
    memo_labels,
    utcnow,
)
from . import bp
from .documentation import (
    ETAG_HEADER,
    IDEMPOTENCY_KEY,
    IF_NONE_MATCH_READ,
    LOCATION_HEADER,
    REPLAYED_HEADER,
    WRITE_PRECONDITIONS,
    WRITE_SECURITY,
    json_reply,
    replies,
)
from .errors import fail
from .representations import memo_etag, memo_json, no_content
from .schemas import MEMO, MEMO_CREATE, MEMO_QUERY, MEMO_UPDATE
from .text import validated_args, validated_body

MEMO_LIST = {"type": "array", "items": MEMO}
PAGE_HEADERS = {
    "X-Total-Count": {"description": "How many memos match.", "schema": {"type": "integer"}},
    "Link": {
        "description": 'The first, prev, next and last pages (RFC 8288): <url>; rel="next", ...',
        "schema": {"type": "string"},
    },
}
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")

MEMO_ID = "<int(min=1, max=2147483647):id>"


# -- reading ----------------------------------------------------------------


@bp.get("/memos")
@operation(
    query=MEMO_QUERY,
    responses=replies({200: json_reply("A page of memos.", MEMO_LIST, PAGE_HEADERS)}),
)
def list_memos() -> Response:
    """The user's memos, pinned first, then newest first, one page at a time.

    The total is in ``X-Total-Count``; the first, previous, next and last
    pages are in the ``Link`` header (RFC 8288).
    """
    args = validated_args()
    page = args.get("page", 1)
    per_page = args.get("per_page", current_app.config["MEMOS_PER_PAGE"])
    conditions = [Memo.user_id == g.user_id, Memo.is_deleted == args.get("is_deleted", False)]
    needle = args.get("needle")
    if needle:
        pattern = f"%{escape_like(needle)}%"
        conditions.append(
            or_(Memo.title.ilike(pattern, escape="\\"), Memo.content.ilike(pattern, escape="\\"))
        )
    if "label" in args:
        conditions.append(Memo.labels.any(Label.id == args["label"]))

    session = get_session()
    total = session.scalar(select(func.count()).select_from(Memo).where(*conditions)) or 0
    memos = session.scalars(
        select(Memo)
        .where(*conditions)
        .order_by(Memo.is_pinned.desc(), Memo.created_at.desc(), Memo.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
        .options(selectinload(Memo.labels), selectinload(Memo.image))
    ).all()

    response = current_app.json.response([memo_json(memo) for memo in memos])
    response.headers["X-Total-Count"] = str(total)
    links = page_links(page, per_page, total, args)
    if links:
        response.headers["Link"] = links
    return response


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards made literal: ``50%_off`` matches only itself."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def page_links(page: int, per_page: int, total: int, args: dict[str, Any]) -> str:
    """The ``Link`` header's value: first, prev, next and last pages (RFC 8288).

    The other query parameters the client sent are kept, so following
    ``next`` continues the same search.
    """
    last = max(1, -(-total // per_page))
    kept = {name: value for name, value in args.items() if name != "page" and name in request.args}
    for name, value in kept.items():
        if isinstance(value, bool):
            kept[name] = "true" if value else "false"
    relations = [("first", 1)]
    if 1 < page <= last + 1:
        relations.append(("prev", page - 1))
    if page < last:
        relations.append(("next", page + 1))
    relations.append(("last", last))
    return ", ".join(
        f'<{url_for("api.list_memos", page=number, **kept)}>; rel="{rel}"'
        for rel, number in relations
    )


@bp.get(f"/memos/{MEMO_ID}")
@operation(
    responses=replies(
        {
            200: json_reply("The memo.", MEMO, {"ETag": ETAG_HEADER}),
            304: {"description": "Not modified since the ETag in If-None-Match."},
        },
        404,
    ),
    parameters=[IF_NONE_MATCH_READ],
)
def get_memo(id: int) -> Response:
    """One memo. Its ``ETag`` can be sent back in ``If-Match`` to change it safely."""
    memo = owned_memo(id)
    etag = memo_etag(memo)
    if _matches(request.headers.get("If-None-Match"), etag, weak=True):
        response = Response(status=304)
    else:
        response = current_app.json.response(memo_json(memo))
    response.headers["ETag"] = etag
    return response


def owned_memo(id: int) -> Memo:
    memo = get_session().scalar(
        select(Memo)
        .where(Memo.id == id, Memo.user_id == g.user_id)
        .options(selectinload(Memo.labels), selectinload(Memo.image))
    )
    if memo is None:
        fail(404, f"There is no memo {id} among yours.")
    return memo


# -- creating -----------------------------------------------------------------


@bp.post("/memos")
@operation(
    security=WRITE_SECURITY,
    body=MEMO_CREATE,
    responses=replies(
        {
            201: json_reply(
                "The new memo.",
                MEMO,
                {
                    "Location": LOCATION_HEADER,
                    "ETag": ETAG_HEADER,
                    "Idempotent-Replayed": REPLAYED_HEADER,
                },
            )
        },
        body=True,
    ),
    parameters=[IDEMPOTENCY_KEY],
)
def create_memo() -> Response:
    """Write a new memo; labels new to the user are created.

    With an ``Idempotency-Key`` header, a retry with the same key and the same
    content gets the first answer again instead of making a second memo.
    """
    body = validated_body()
    labels = label_names(body.get("labels"))
    image = read_image(body.get("linked_image"))
    key = idempotency_key()
    session = get_session()
    fingerprint = ""
    if key is not None:
        fingerprint = _fingerprint(body, labels, image)
        replay = _replay(key, fingerprint)
        if replay is not None:
            return replay

    now = utcnow()
    memo = Memo(
        user_id=g.user_id,
        title=body["title"],
        content=body["content"],
        is_pinned=body.get("is_pinned", False),
        color=body.get("color", "default"),
        is_deleted=body.get("is_deleted", False),
        deleted_at=now if body.get("is_deleted") else None,
        created_at=now,
        updated_at=now,
    )
    memo.labels = resolve_labels(labels)
    if image is not None:
        memo.image = _image_row(*image)
    session.add(memo)
    session.flush()
    response = current_app.json.response(memo_json(memo))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_memo", id=memo.id)
    response.headers["ETag"] = memo_etag(memo)
    if key is not None:
        # The answer itself, byte for byte, with the headers that describe it.
        session.add(
            IdempotencyKey(
                user_id=g.user_id,
                key=key,
                fingerprint=fingerprint,
                status_code=response.status_code,
                response_body=response.get_data(as_text=True),
                location=response.headers["Location"],
                etag=response.headers["ETag"],
            )
        )
    try:
        session.commit()
    except IntegrityError:
        # Another copy of this request committed first with the same key.
        session.rollback()
        if key is not None:
            replay = _replay(key, fingerprint)
            if replay is not None:
                return replay
        raise
    return response


def idempotency_key() -> str | None:
    """The ``Idempotency-Key`` header (IETF httpapi draft), checked."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if key.startswith('"') and key.endswith('"') and len(key) >= 2:
        key = key[1:-1]  # the draft's examples quote it (a Structured Field string)
    if (
        not key
        or len(key) > IDEMPOTENCY_KEY_MAX_LENGTH
        or not key.isprintable()
        or not key.isascii()
    ):
        fail(
            400,
            "The Idempotency-Key header must be 1 to 255 printable ASCII characters.",
            {"Idempotency-Key": "is not a valid key"},
        )
    return key


def _fingerprint(body: dict[str, Any], labels: list[str], image: tuple[bytes, str] | None) -> str:
    content = {
        name: value for name, value in body.items() if name not in ("labels", "linked_image")
    }
    content["labels"] = labels
    content["image"] = hashlib.sha256(image[0]).hexdigest() if image else None
    text = json.dumps(["POST", request.path, content], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(key: str, fingerprint: str) -> Response | None:
    session = get_session()
    stored = session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == g.user_id, IdempotencyKey.key == key)
    )
    if stored is None:
        return None
    if stored.created_at < utcnow() - current_app.config["IDEMPOTENCY_KEY_LIFETIME"]:
        session.delete(stored)
        session.flush()
        return None
    if stored.fingerprint != fingerprint:
        fail(
            422,
            "This Idempotency-Key was already used for a different request; use a new key "
            "for new content.",
            {"Idempotency-Key": "was used for another request"},
        )
    response = current_app.response_class(
        stored.response_body, stored.status_code, mimetype="application/json"
    )
    if stored.location:
        response.headers["Location"] = stored.location
    if stored.etag:
        response.headers["ETag"] = stored.etag
    response.headers["Idempotent-Replayed"] = "true"
    return response


# -- changing -------------------------------------------------------------------


@bp.route(f"/memos/{MEMO_ID}", methods=["PUT", "PATCH"])
@operation(
    security=WRITE_SECURITY,
    body=MEMO_UPDATE,
    responses=replies(
        {200: json_reply("The memo as changed.", MEMO, {"ETag": ETAG_HEADER})}, 404, 412, body=True
    ),
    parameters=WRITE_PRECONDITIONS,
)
def update_memo(id: int) -> Response:
    """Change the fields sent, and only those.

    ``labels`` replaces the memo's labels; ``is_deleted`` true moves it to the
    trash and false restores it; ``linked_image`` replaces the image (a file in
    a multipart form) or, as JSON ``null``, removes it. With ``If-Match``, a memo
    changed since that ETag was read is not overwritten: the answer is 412.
    """
    body = validated_body()
    memo = owned_memo(id)
    check_if_match(memo)
    labels = label_names(body["labels"]) if "labels" in body else None
    image = read_image(body.get("linked_image"))
    changed = False
    for field in ("title", "content", "is_pinned", "color"):
        if field in body and getattr(memo, field) != body[field]:
            setattr(memo, field, body[field])
            changed = True
    if "is_deleted" in body and memo.is_deleted != body["is_deleted"]:
        memo.is_deleted = body["is_deleted"]
        memo.deleted_at = utcnow() if memo.is_deleted else None
        changed = True
    if labels is not None:
        new_labels = resolve_labels(labels)
        if [label.id for label in new_labels] != [label.id for label in memo.labels]:
            memo.labels = new_labels
            changed = True
    if image is not None:
        memo.image = _image_row(*image)
        changed = True
    elif "linked_image" in body and body["linked_image"] is None and memo.image is not None:
        memo.image = None  # JSON's null, as the memo shows "no image"
        changed = True
    if changed:
        memo.updated_at = utcnow()  # also makes SQLAlchemy bump and check the version
        _commit_or_412()
    response = current_app.json.response(memo_json(memo))
    response.headers["ETag"] = memo_etag(memo)
    return response


@bp.delete(f"/memos/{MEMO_ID}")
@operation(
    security=WRITE_SECURITY,
    responses=replies({204: None}, 404, 412),
    parameters=WRITE_PRECONDITIONS,
)
def delete_memo(id: int) -> Response:
    """Delete a memo for good (to move it to the trash, set ``is_deleted``)."""
    memo = owned_memo(id)
    check_if_match(memo)
    session = get_session()
    session.delete(memo)
    _commit_or_412()
    return no_content()


def check_if_match(memo: Memo) -> None:
    """Refuse with 412 a write whose preconditions fail (RFC 9110, 13.2.2, in its order).

    ``If-Match`` must name this version (13.1.1); ``If-None-Match`` must not
    (13.1.2): ``If-None-Match: *`` means "only if it does not exist", which a
    memo that exists fails, and a client that sends a version's ETag there
    asks for the change only if the memo has moved on from it.
    """
    etag = memo_etag(memo)
    header = request.headers.get("If-Match")
    if header is not None and not _matches(header, etag, weak=False):
        fail(
            412,
            "The memo has changed since you read it (its ETag no longer matches If-Match). "
            "Read it again and reapply your change.",
        )
    if _matches(request.headers.get("If-None-Match"), etag, weak=True):
        fail(412, "The memo exists in the version that If-None-Match names; nothing was changed.")


def _matches(header: str | None, etag: str, *, weak: bool) -> bool:
    """Whether an If-Match / If-None-Match list names ``etag``.

    If-Match uses the strong comparison (a weak tag never matches); If-None-Match
    the weak one (RFC 9110, section 8.8.3.2).
    """
    if header is None:
        return False
    if header.strip() == "*":
        return True
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate.startswith("W/"):
            if not weak:
                continue
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False


def _commit_or_412() -> None:
    session = get_session()
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        fail(412, "Someone changed or deleted the memo at the same time; read it again.")


# -- labels of a memo -----------------------------------------------------------


def label_names(value: str | list[str] | None) -> list[str]:
    """``"work,home,"`` or ``["work", "home"]`` -> ``["work", "home"]``: stripped, no empties,
    no repeats. A name longer than a label may be is a 422, under the field the client
    sent it in: ``labels`` for the string, ``labels.1`` for the list's second item."""
    if value is None:
        return []
    # Commas separate names in either spelling, so no label name holds a comma.
    sent = [("labels", value)] if isinstance(value, str) else list(enumerate(value))
    names: list[str] = []
    errors: dict[str, str] = {}
    for where, item in sent:
        for part in item.split(","):
            name = part.strip()
            if len(name) > LABEL_MAX_LENGTH:
                field = where if isinstance(where, str) else f"labels.{where}"
                errors[field] = f"holds a name longer than {LABEL_MAX_LENGTH} characters"
            elif name and name not in names:
                names.append(name)
    if errors:
        fail(422, "A label name is too long.", errors)
    return names


def resolve_labels(names: list[str]) -> list[Label]:
    """The user's labels with these names, creating the missing ones, in the given order."""
    if not names:
        return []
    session = get_session()
    found = {
        label.content: label
        for label in session.scalars(
            select(Label).where(Label.user_id == g.user_id, Label.content.in_(names))
        )
    }
    for name in names:
        if name in found:
            continue
        try:
            # A savepoint: if a concurrent request creates the same label first,
            # only this insert is undone, and the label is read back instead.
            with session.begin_nested():
                label = Label(user_id=g.user_id, content=name)
                session.add(label)
        except IntegrityError:
            label = session.scalars(
                select(Label).where(Label.user_id == g.user_id, Label.content == name)
            ).one()
        found[name] = label
    return [found[name] for name in names]


def bump_memos_with_label(label_id: int) -> None:
    """A label's name shows in its memos: renaming or deleting it changes their ETags."""
    get_session().execute(
        update(Memo)
        .where(Memo.id.in_(select(memo_labels.c.memo_id).where(memo_labels.c.label_id == label_id)))
        .values(version=Memo.version + 1)
        .execution_options(synchronize_session=False)
    )


# -- images -----------------------------------------------------------------------


def read_image(upload: Any) -> tuple[bytes, str] | None:
    """The bytes and media type of an uploaded image; None when no file was chosen.

    400 when the bytes are not a whole PNG, JPEG, GIF or WebP image (cut short
    or damaged ones included), whatever the file is called; 413 when it is
    larger than ``MAX_IMAGE_SIZE``; 422 when it has more pixels than
    ``MAX_IMAGE_PIXELS``.
    """
    if upload is None:
        return None
    if isinstance(upload, str):
        fail(
            422,
            "An image must be sent as a file, in a multipart/form-data body.",
            {"linked_image": "must be a file"},
        )
    if not upload:  # a form's empty file input
        return None
    limit = current_app.config["MAX_IMAGE_SIZE"]
    data = upload.read(limit + 1)
    if len(data) > limit:
        fail(413, f"The image is larger than {limit} bytes.", {"linked_image": "is too large"})
    try:
        media_type = check_image(data, current_app.config["MAX_IMAGE_PIXELS"])
    except ImageRefused as refused:
        if refused.too_large:
            fail(422, f"The image {refused}.", {"linked_image": "has too many pixels"})
        fail(
            400,
            f"The file {refused} (judged by its content, not its name).",
            {"linked_image": "is not an image"},
        )
    return data, media_type


def _image_row(data: bytes, media_type: str) -> MemoImage:
    return MemoImage(
        media_type=media_type,
        data=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        created_at=datetime.now(UTC),
    )


@bp.get(f"/memos/{MEMO_ID}/image")
@operation(
    responses=replies(
        {
            200: {
                "description": "The image, with the media type its bytes show.",
                "content": {
                    kind: {"schema": {"type": "string", "format": "binary"}} for kind in IMAGE_TYPES
                },
            },
            304: {"description": "Not modified since the ETag in If-None-Match."},
        },
        404,
    ),
    parameters=[IF_NONE_MATCH_READ],
)
def memo_image(id: int) -> Response:
    """The memo's image, to its owner only."""
    memo = owned_memo(id)
    image = memo.image
    if image is None:
        fail(404, f"Memo {id} has no image.")
    etag = f'"{image.sha256[:32]}"'
    headers = {
        "ETag": etag,
        # Each use asks again, cheaply (304): the URL stays when the image changes.
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if _matches(request.headers.get("If-None-Match"), etag, weak=True):
        return Response(status=304, headers=headers)
    return Response(image.data, 200, headers=headers, mimetype=image.media_type)


@bp.delete(f"/memos/{MEMO_ID}/image")
@operation(
    security=WRITE_SECURITY,
    responses=replies({204: None}, 404, 412),
    parameters=WRITE_PRECONDITIONS,
)
def delete_memo_image(id: int) -> Response:
    """Remove the memo's image; ``linked_image`` becomes null."""
    memo = owned_memo(id)
    check_if_match(memo)
    if memo.image is not None:
        memo.image = None
        memo.updated_at = utcnow()
        _commit_or_412()
    return no_content()
