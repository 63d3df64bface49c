"""Small functions views call: ``make_response`` and ``url_for``.

Flask counterpart: ``flask/helpers.py``.

The idea to take away: these are thin wrappers that find the running app
through ``current_app`` and call its method. They exist so that a view can
say ``url_for("index")`` without having the ``app`` object at hand (a
blueprint in another module never imports the app).
"""

from __future__ import annotations

from typing import Any

from .globals import current_app
from .response import Response


def make_response(*args: Any) -> Response:
    """Build the response a view's return value would become, to change it before returning.

    ``make_response("Not here", HTTPStatus.NOT_FOUND)`` takes the same forms
    a view may return: ``(body)``, ``(body, status)``, ``(body, headers)`` or
    ``(body, status, headers)``. With no arguments, an empty 200 response.
    """
    if not args:
        return current_app.response_class()
    return current_app.make_response(args[0] if len(args) == 1 else args)


def url_for(
    endpoint: str,
    *,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    _external: bool | None = None,
    **values: Any,
) -> str:
    """The URL for ``endpoint`` with ``values``; see ``App.url_for``."""
    return current_app.url_for(
        endpoint,
        _anchor=_anchor,
        _method=_method,
        _scheme=_scheme,
        _external=_external,
        **values,
    )
