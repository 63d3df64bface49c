"""Users: register (public), and read your own profile.

The registration route is added when the blueprint is registered, so that
its schema says the app's own ``PASSWORD_MIN_LENGTH`` (as ``tokens.py`` does
for its field names).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from microwsgi import Response, current_app, g, url_for
from microwsgi.openapi import operation

from ..db import end_transaction, get_session
from ..models import USER_ID_MAX_LENGTH, USER_NAME_MAX_LENGTH, User
from ..security import hash_password
from . import bp
from .documentation import BODY_TYPES, LOCATION_HEADER, PUBLIC, json_reply, replies
from .errors import fail
from .representations import user_json
from .schemas import USER, user_create_schema
from .text import nfc, validated_body


@bp.get("/users")
@operation(
    responses=replies({200: json_reply("A list holding you.", {"type": "array", "items": USER})})
)
def list_users() -> Response:
    """The users you may see: yourself only."""
    user = get_session().get(User, g.user_id)
    return current_app.json.response([user_json(user)] if user else [])


@bp.get("/users/<int(min=1, max=2147483647):id>")
@operation(responses=replies({200: json_reply("Your profile.", USER)}, 404))
def get_user(id: int) -> Response:
    """Your own profile; any other id is a 404."""
    if id != g.user_id:
        fail(404, f"There is no user {id} you can see.")
    user = get_session().get(User, id)
    if user is None:
        fail(404, f"There is no user {id} you can see.")
    return current_app.json.response(user_json(user))


def make_create_user_view(password_min_length: int) -> Any:
    """``POST /api/users``, documented with this app's ``PASSWORD_MIN_LENGTH``."""

    @operation(
        body=user_create_schema(password_min_length),
        body_media_types=BODY_TYPES,
        security=PUBLIC,
        responses=replies(
            {201: json_reply("The new account.", USER, {"Location": LOCATION_HEADER})},
            409,
            public=True,
            body=True,
        ),
    )
    def create_user() -> Response:
        """Register; 409 when the user id is taken."""
        body = validated_body(keep=("password",))
        user = register_user(body["user_id"], body["user_name"], body["password"])
        response = current_app.json.response(user_json(user))
        response.status_code = 201
        response.headers["Location"] = url_for("api.get_user", id=user.id)
        return response

    return create_user


@bp.record
def _add_create_user_route(state: Any) -> None:
    # Made when the blueprint is registered: the schema tells clients the app's own minimum.
    view = make_create_user_view(int(state.app.config["PASSWORD_MIN_LENGTH"]))
    state.add_url_rule("/users", "create_user", view, methods=["POST"])


def register_user(user_id: str, user_name: str, password: str) -> User:
    """Add a user; ``APIError`` 422 for a short password, 409 for a taken id.

    Shared by the API, the register page and the ``create-user`` command.
    """
    user_id, user_name = nfc(user_id).strip(), nfc(user_name).strip()
    errors = {}
    if not user_id:
        errors["user_id"] = "is empty"
    elif len(user_id) > USER_ID_MAX_LENGTH or any(c.isspace() or c == "\0" for c in user_id):
        errors["user_id"] = f"must be at most {USER_ID_MAX_LENGTH} characters, without spaces"
    if not user_name:
        errors["user_name"] = "is empty"
    elif len(user_name) > USER_NAME_MAX_LENGTH or "\0" in user_name:
        errors["user_name"] = f"must be at most {USER_NAME_MAX_LENGTH} characters"
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        errors["password"] = f"must be at least {minimum} characters"
    elif "\0" in password:
        errors["password"] = "contains a NUL character"
    if errors:
        fail(422, "The account could not be created.", errors)
    # Hashed before the transaction: scrypt takes a while, and on SQLite the
    # transaction of a write holds the lock every other writer waits for.
    end_transaction()
    password_hash = hash_password(password)
    session = get_session()
    if session.scalar(select(User.id).where(User.user_id == user_id)) is not None:
        fail(409, f"The user id {user_id!r} is taken.", {"user_id": "is taken"})
    user = User(user_id=user_id, user_name=user_name, password_hash=password_hash)
    session.add(user)
    try:
        session.commit()
    except IntegrityError:  # registered at the same moment by another request
        session.rollback()
        fail(409, f"The user id {user_id!r} is taken.", {"user_id": "is taken"})
    return user
