"""Passwords and access tokens.

Passwords are hashed with scrypt (Werkzeug's ``generate_password_hash``),
a memory-hard function: guessing a stolen hash costs the attacker memory as
well as time. Logging in with an unknown user id still checks a password
against a made-up hash, so the answer takes as long as for a known one and
does not tell which user ids exist.

Access tokens are JSON Web Tokens (RFC 7519) signed with HMAC-SHA256
(PyJWT). A token says who it is for (``sub``, the user's numeric id as a
string) and when it was issued (``iat``), from when (``nbf``) and until when
(``exp``) it is valid; ``JWT_LEEWAY`` absorbs small clock differences
between servers. The identity the app sees is that plain ``int``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from werkzeug.security import check_password_hash, generate_password_hash

from microwsgi import current_app
from microwsgi.sessions import derive_key

from .models import User

_JWT_SALT = b"memo.jwt"
#: The largest id an INTEGER primary key holds (PostgreSQL's 32-bit INTEGER).
MAX_USER_ID = 2**31 - 1
_dummy_hashes: dict[str, str] = {}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password(user: User | None, password: str) -> bool:
    """Whether ``password`` is ``user``'s; as slow for a missing user as for a real one."""
    if user is None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _dummy_hashes:
            _dummy_hashes[method] = generate_password_hash("not a password", method=method)
        check_password_hash(_dummy_hashes[method], password)
        return False
    return check_password_hash(user.password_hash, password)


def _signing_key() -> bytes | str:
    config = current_app.config
    if config.get("JWT_SECRET_KEY"):
        return config["JWT_SECRET_KEY"]  # type: ignore[no-any-return]
    # Derived, so that no token can be mistaken for a session cookie signature.
    return derive_key(config["SECRET_KEY"], _JWT_SALT)


def _seconds(value: timedelta | int | float) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def issue_token(user_id: int, now: datetime | None = None) -> str:
    """A signed access token for the user with primary key ``user_id``."""
    config = current_app.config
    now = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "iat": now,
        "nbf": now + timedelta(seconds=_seconds(config["JWT_NOT_BEFORE_DELTA"])),
        "exp": now + timedelta(seconds=_seconds(config["JWT_EXPIRATION_DELTA"])),
    }
    return jwt.encode(claims, _signing_key(), algorithm=config["JWT_ALGORITHM"])


def read_token(token: str) -> int:
    """The user id a valid token names; raises ``jwt.InvalidTokenError`` otherwise."""
    config = current_app.config
    claims = jwt.decode(
        token,
        _signing_key(),
        algorithms=[config["JWT_ALGORITHM"]],
        leeway=_seconds(config["JWT_LEEWAY"]),
        options={"require": ["exp", "iat", "nbf", "sub"]},
    )
    subject = claims["sub"]
    # ASCII digits only: str.isdigit() also takes "²" (int() refuses it) and "\u0661"
    # (int() reads it as 1), and an id past the INTEGER column cannot be looked up.
    if not (isinstance(subject, str) and subject.isascii() and subject.isdigit()):
        raise jwt.InvalidTokenError("The token's subject is not a user id.")
    user_id = int(subject) if len(subject) <= 12 else 0  # int() of a bounded text
    if not is_user_id(user_id):
        raise jwt.InvalidTokenError("The token's subject is not a user id.")
    return user_id


def is_user_id(value: object) -> bool:
    """Whether ``value`` can be a user's primary key: an ``int`` (not a ``bool``) from
    1 to the largest value an INTEGER column holds. Anything else cannot be looked
    up (SQLite raises ``OverflowError`` for a larger int), so it names no user."""
    return type(value) is int and 1 <= value <= MAX_USER_ID
