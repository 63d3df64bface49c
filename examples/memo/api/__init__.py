"""The JSON API under ``/api``: memos, labels, users and access tokens.

``init_app`` adds what every API request needs: ``identity.authenticate``
before the view, and JSON errors for everything under the prefix (a 404 for
an unknown API URL is JSON too, though it matched no API view).
"""

from __future__ import annotations

from microwsgi import App, Blueprint, request
from microwsgi.exceptions import HTTPException
from microwsgi.openapi import OpenAPI

bp = Blueprint("api", __name__, url_prefix="/api")

from . import labels, memos, tokens, users  # noqa: E402,F401  (they add routes to bp)
from .documentation import SECURITY, SECURITY_SCHEMES  # noqa: E402
from .errors import json_error_response  # noqa: E402
from .identity import authenticate  # noqa: E402


def init_app(app: App) -> None:
    """Register the blueprint, the authentication hook and the JSON error pages."""
    prefix = bp.url_prefix or "/api"
    # Before any other before_request hook, so that no request body is examined
    # (and no validation error tells anything) before the caller is known.
    app.before_request(authenticate)
    app.register_blueprint(bp)
    OpenAPI(
        app,
        title="Memo API",
        version="1.0",
        description=(
            "The memo app's API: memos with labels and images, search, pages, trash. "
            "Log in with POST /api/auth and the Authorize button (bearerAuth)."
        ),
        json_url=f"{prefix}/openapi.json",
        json_aliases=[f"{prefix}/swagger.json"],
        docs_url=f"{prefix}/docs",
        exclude_blueprints=["auth", "base"],
        security_schemes=SECURITY_SCHEMES,
        security=SECURITY,
    )

    def api_errors(exc: HTTPException):  # type: ignore[no-untyped-def]
        if exc.response is not None:
            return exc.response
        path = request.path
        if path == prefix or path.startswith(prefix + "/"):
            return json_error_response(exc)
        return exc.get_response(request.environ)

    app.register_error_handler(HTTPException, api_errors)
