"""The API's errors: always JSON, always one shape.

    {"code": 422, "name": "Unprocessable Content",
     "message": "The memo could not be saved.", "errors": {"title": "is required"}}

``errors`` names each field that was wrong (dotted for nested ones:
``"labels.0"``) and is ``{}`` when no single field is to blame. The status is
the HTTP status; the headers an error needs (``Allow`` for 405,
``WWW-Authenticate`` for 401) are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, NoReturn

from microwsgi import Response, current_app
from microwsgi.exceptions import HTTPException

#: RFC 9110's name for 422 (Werkzeug still says "Unprocessable Entity").
_NAMES = {422: "Unprocessable Content", 413: "Content Too Large"}


class APIError(HTTPException):
    """An HTTP error with field errors; raise it with ``fail(...)``."""

    def __init__(self, code: int, message: str, errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.errors = dict(errors or {})


def fail(code: int, message: str, errors: Mapping[str, str] | None = None) -> NoReturn:
    """Stop the request with an API error: ``fail(409, "That label exists.", {"content": ...})``."""
    raise APIError(code, message, errors)


def error_name(code: int) -> str:
    """The reason phrase, as RFC 9110 words it."""
    if code in _NAMES:
        return _NAMES[code]
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def error_body(code: int, message: str, errors: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {
        "code": code,
        "name": error_name(code),
        "message": message,
        "errors": dict(errors or {}),
    }


def json_error_response(exc: HTTPException) -> Response:
    """The JSON response for any HTTP error raised while handling an API request."""
    code = exc.code
    errors = getattr(exc, "errors", None)
    response = current_app.json.response(error_body(code, exc.description, errors))
    response.status_code = code
    for name, value in exc.get_headers():
        response.headers[name] = value
    return response
