"""Small functions views call (``make_response``, ``url_for``), and the debug switch.

Flask counterpart: ``flask/helpers.py``.

The idea to take away: these are thin wrappers that find the running app
through ``current_app`` and call its method. They exist so that a view can
say ``url_for("index")`` without having the ``app`` object at hand (a
blueprint in another module never imports the app).
"""

from __future__ import annotations

import os
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
    /,
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


#: Values of a yes/no environment variable that mean "no" (compared in lower case).
_FALSE_WORDS = frozenset(("0", "false", "no", "off"))


def _environ_flag(*names: str) -> bool | None:
    """The first of ``names`` set to a non-empty value, read as yes/no; None if none is set."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value.strip().lower() not in _FALSE_WORDS
    return None


def get_debug_flag() -> bool:
    """Whether the environment asks for debug mode: ``MICROWSGI_DEBUG``, else ``FLASK_DEBUG``.

    Empty or unset is False; ``0``, ``false``, ``no`` and ``off`` (any case)
    are False; any other value is True. The ``microwsgi`` command and
    ``app.run()`` read it; an app served by uWSGI or gunicorn does not.
    """
    return bool(_environ_flag("MICROWSGI_DEBUG", "FLASK_DEBUG"))


def get_load_dotenv(default: bool = True) -> bool:
    """Whether to read ``.env``-style files: False when ``MICROWSGI_SKIP_DOTENV`` (else
    ``FLASK_SKIP_DOTENV``) is set to a true value, ``default`` when neither is set."""
    skip = _environ_flag("MICROWSGI_SKIP_DOTENV", "FLASK_SKIP_DOTENV")
    return default if skip is None else not skip
