"""Who is calling the API: a bearer token, or the session cookie (with a CSRF token).

``authenticate`` runs before every API view. It sets ``g.user_id`` (a plain
``int``) or answers 401. Two ways in:

- ``Authorization: Bearer <token>`` (or ``JWT <token>``; the prefixes are
  settings), from ``POST /api/auth``. A browser never adds this header by
  itself, so such requests need no CSRF token.
- The session cookie of the pages. The browser sends it with every request,
  even one another site triggers, so a request that changes data must also
  carry the page's CSRF token in ``X-CSRF-Token`` (``X-CSRFToken``, the
  header Flask-WTF reads, is accepted too).

A token that is present but invalid is a 401 even when a session cookie
came along: the client asked to be someone, and that failed.
"""

from __future__ import annotations

import jwt

from microwsgi import current_app, g, request, session
from microwsgi.csrf import CSRFError, validate_csrf_token
from microwsgi.exceptions import Unauthorized

from ..db import end_transaction, get_session
from ..models import User
from ..security import is_user_id, read_token

#: Endpoints anyone may call: registering and getting a token.
PUBLIC_ENDPOINTS = frozenset({"api.create_user", "api.token"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADERS = ("X-CSRF-Token", "X-CSRFToken")


def authenticate() -> None:
    """Set ``g.user_id`` for an API request, or raise 401 (or 400 for a bad CSRF token)."""
    if request.blueprint != "api" or request.method == "OPTIONS":
        return  # a CORS preflight carries no credentials
    g.user_id = None
    user_id = _user_from_token()
    if user_id is None and "user_id" in session:
        user_id = session["user_id"]
        if request.method not in SAFE_METHODS and current_app.config["CSRF_ENABLED"]:
            _check_csrf()
    if user_id is not None:
        if not is_user_id(user_id) or get_session().get(User, user_id) is None:
            raise _unauthorized("The account of this token or session no longer exists.")
        g.user_id = user_id
        # The view reads and checks the body next: not while holding SQLite's write lock.
        end_transaction()
    elif request.endpoint not in PUBLIC_ENDPOINTS:
        raise _unauthorized(
            "Log in first: send 'Authorization: Bearer <token>' with a token from "
            "POST /api/auth, or the session cookie of the logged-in pages."
        )


def _user_from_token() -> int | None:
    header = request.headers.get("Authorization")
    if not header:
        return None
    config = current_app.config
    scheme, _, token = header.strip().partition(" ")
    prefixes = {config["JWT_AUTH_HEADER_PREFIX"], *config["JWT_AUTH_HEADER_PREFIX_ALIASES"]}
    if scheme.lower() not in {prefix.lower() for prefix in prefixes} or not token.strip():
        raise _unauthorized(
            f"The Authorization header must be '{config['JWT_AUTH_HEADER_PREFIX']} <token>'."
        )
    try:
        return read_token(token.strip())
    except jwt.ExpiredSignatureError:
        raise _unauthorized(
            "The access token has expired; get a new one.", "invalid_token"
        ) from None
    except jwt.InvalidTokenError:
        raise _unauthorized("The access token is not valid.", "invalid_token") from None


def _check_csrf() -> None:
    token = next((request.headers[name] for name in CSRF_HEADERS if name in request.headers), None)
    if token is None:
        raise CSRFError(
            "The CSRF token is missing. A request made with the session cookie must send "
            'the page\'s token (<meta name="csrf-token">) in the X-CSRF-Token header.'
        )
    validate_csrf_token(token)


def _unauthorized(message: str, error: str | None = None) -> Unauthorized:
    challenge = f'{current_app.config["JWT_AUTH_HEADER_PREFIX"]} realm="memo"'
    if error:
        challenge += f', error="{error}"'
    return Unauthorized(message, www_authenticate=challenge)
