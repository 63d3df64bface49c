"""``POST /api/auth``: trade a user id and password for an access token.

The URL and the two field names are settings (``JWT_AUTH_URL_RULE``,
``JWT_AUTH_USERNAME_KEY``, ``JWT_AUTH_PASSWORD_KEY``), so the route is added
when the blueprint is registered, from the app's config.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from microwsgi import Response, current_app
from microwsgi.exceptions import Unauthorized
from microwsgi.openapi import operation

from ..db import end_transaction, get_session
from ..models import User
from ..security import check_password, issue_token
from . import bp
from .documentation import BODY_TYPES, PUBLIC, error_reply, json_reply, replies
from .schemas import TOKEN, credentials_schema
from .text import validated_body


def make_token_view(username_key: str, password_key: str) -> Any:
    @operation(
        body=credentials_schema(username_key, password_key),
        body_media_types=BODY_TYPES,
        security=PUBLIC,
        responses={
            **replies({200: json_reply("An access token.", TOKEN)}, public=True, body=True),
            401: error_reply(401),
        },
    )
    def token() -> Response:
        """Get an access token: send it back as ``Authorization: Bearer <token>``."""
        body = validated_body(keep=(password_key,))
        user = get_session().scalar(select(User).where(User.user_id == body[username_key]))
        end_transaction()  # scrypt takes a while: not while holding SQLite's write lock
        if not check_password(user, body[password_key]) or user is None:
            prefix = current_app.config["JWT_AUTH_HEADER_PREFIX"]
            raise Unauthorized(
                "Wrong user id or password.", www_authenticate=f'{prefix} realm="memo"'
            )
        return current_app.json.response({"access_token": issue_token(user.id)})

    return token


@bp.record
def _add_token_route(state: Any) -> None:
    config = state.app.config
    view = make_token_view(config["JWT_AUTH_USERNAME_KEY"], config["JWT_AUTH_PASSWORD_KEY"])
    state.add_url_rule(config["JWT_AUTH_URL_RULE"], "token", view, methods=["POST"])
