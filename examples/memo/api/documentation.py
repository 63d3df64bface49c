"""What the OpenAPI document says about the API beyond what the routes tell.

``openapi`` is set up in ``init_app``: the document at ``/api/openapi.json``
(and ``/api/swagger.json``, where Flask-RESTX served it), Swagger UI at
``/api/docs``, and the two ways of being allowed in (a write with the
session cookie also needs the CSRF header). ``replies(...)`` builds
an operation's ``responses`` from its success and the errors it can answer.
"""

from __future__ import annotations

from typing import Any

from .errors import error_name
from .schemas import ERROR

#: Every route with a body takes it as JSON, as a form, or as a form with files.
BODY_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
#: Every API route can answer 400 (a malformed request: a bad percent-escape, a
#: broken multipart body...) and, unless public, 401 (no caller); every route
#: that takes a body also 413 (a body over MAX_CONTENT_LENGTH).
BODY_ERRORS = (413,)

ERROR_MEANINGS = {
    400: (
        "The request is malformed (bad JSON, a CSRF token missing, "
        "a file that is not a whole image)."
    ),
    401: "No valid access token or session.",
    404: "Not found among your own objects.",
    409: "The name is taken.",
    412: "The memo changed since the ETag sent in If-Match (or is the one If-None-Match names).",
    413: "The image or the body is too large.",
    503: "The database cannot answer just now; retry after Retry-After seconds.",
}

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A token from POST /api/auth, sent as 'Authorization: Bearer <token>'.",
    },
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "memo_session",
        "description": (
            "The session of the logged-in pages. Writes must also send the page's CSRF "
            'token (<meta name="csrf-token">) in the X-CSRF-Token header (csrfToken).'
        ),
    },
    "csrfToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRF-Token",
        "description": (
            'The page\'s CSRF token (<meta name="csrf-token">), which every write made '
            "with the session cookie sends (X-CSRFToken is accepted too)."
        ),
    },
}
#: Reading: a bearer token, or the session cookie.
SECURITY = [{"bearerAuth": []}, {"sessionCookie": []}]
#: Changing data: a bearer token, or the session cookie *and* the page's CSRF token.
WRITE_SECURITY = [{"bearerAuth": []}, {"sessionCookie": [], "csrfToken": []}]
PUBLIC: list[dict[str, list[str]]] = []

ETAG_HEADER = {"description": "The memo's version, for If-Match.", "schema": {"type": "string"}}

# The request headers the memo routes read, so that a client learns of them from the document.
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "description": (
        "Change the memo only if it is still this version: the ETag of a GET (or *). "
        "Otherwise 412, and nothing changes (RFC 9110, 13.1.1)."
    ),
    "schema": {"type": "string"},
}
IF_NONE_MATCH_WRITE = {
    "name": "If-None-Match",
    "in": "header",
    "description": (
        "Change the memo only if it is no longer this version (* : never, as it exists). "
        "Otherwise 412 (RFC 9110, 13.1.2)."
    ),
    "schema": {"type": "string"},
}
IF_NONE_MATCH_READ = {
    "name": "If-None-Match",
    "in": "header",
    "description": "The ETag already held: 304 without a body while it is still current.",
    "schema": {"type": "string"},
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "description": (
        "Make the request safe to retry (IETF httpapi draft): a retry with the same key "
        "and the same content gets the first answer again (Idempotent-Replayed: true) "
        "instead of making a second memo; the same key with other content is a 422. "
        "Keys are kept for a day."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}
#: Conditional writes of a memo.
WRITE_PRECONDITIONS = (IF_MATCH, IF_NONE_MATCH_WRITE)
REPLAYED_HEADER = {
    "description": "true when this is the stored first answer to an Idempotency-Key retry.",
    "schema": {"type": "string", "enum": ["true"]},
}
LOCATION_HEADER = {"description": "The URL of what was created.", "schema": {"type": "string"}}
RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before retrying.",
    "schema": {"type": "integer"},
}


def error_reply(code: int) -> dict[str, Any]:
    return {
        "description": ERROR_MEANINGS.get(code, error_name(code)),
        "content": {"application/json": {"schema": ERROR}},
    }


def json_reply(
    description: str, schema: dict[str, Any], headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }
    if headers:
        reply["headers"] = headers
    return reply


def replies(
    success: dict[int, Any], *errors: int, public: bool = False, body: bool = False
) -> dict[int | str, Any]:
    """An operation's responses: its successes, then its errors.

    400 always, 401 unless ``public``, 413 with a ``body``, then ``errors``,
    and 503 always (the database cannot answer; see ``db.database_unavailable``).
    """
    result: dict[int | str, Any] = dict(success)
    codes = [400, *(() if public else (401,)), *(BODY_ERRORS if body else ()), *errors, 503]
    for code in sorted(set(codes)):
        result[code] = error_reply(code)
    result[503]["headers"] = {"Retry-After": RETRY_AFTER_HEADER}
    return result
