"""microwsgi: a WSGI micro-framework written from scratch to show how Flask works inside.

Start reading at ``app.py``: ``App.wsgi_app`` is the path of one request.
Every name a Flask quick-start imports is here under the same name, so
``from microwsgi import Flask, request, jsonify`` runs Flask-style code.

Flask counterpart: ``flask/__init__.py``; every public name it exports is here too.
The reading order of the other modules is the table "Where to read" in
README.md.
"""

from __future__ import annotations

from typing import Any

from .app import App, Flask
from .blueprints import Blueprint
from .config import Config
from .csrf import CSRFError, CSRFProtect, csrf_token
from .ctx import (
    after_this_request,
    copy_current_request_context,
    has_app_context,
    has_request_context,
)
from .exceptions import HTTPException, abort
from .files import send_file, send_from_directory
from .flash import flash, get_flashed_messages
from .globals import current_app, g, request, session
from .helpers import make_response, stream_with_context, url_for
from .json import jsonify
from .request import Request
from .response import Response, redirect
from .templating import (
    Markup,
    escape,
    get_template_attribute,
    render_template,
    render_template_string,
    stream_template,
    stream_template_string,
)
from .views import MethodView, View

__all__ = [
    "App",
    "Blueprint",
    "CSRFError",
    "CSRFProtect",
    "Config",
    "Flask",
    "HTTPException",
    "Markup",
    "MethodView",
    "Request",
    "Response",
    "View",
    "abort",
    "after_this_request",
    "appcontext_popped",
    "appcontext_pushed",
    "appcontext_tearing_down",
    "before_render_template",
    "copy_current_request_context",
    "csrf_token",
    "current_app",
    "escape",
    "flash",
    "g",
    "get_flashed_messages",
    "get_template_attribute",
    "got_request_exception",
    "has_app_context",
    "has_request_context",
    "jsonify",
    "make_response",
    "message_flashed",
    "redirect",
    "render_template",
    "render_template_string",
    "request",
    "request_finished",
    "request_started",
    "request_tearing_down",
    "send_file",
    "send_from_directory",
    "session",
    "stream_template",
    "stream_template_string",
    "stream_with_context",
    "template_rendered",
    "url_for",
]
__version__ = "0.1.0"

# The signals need blinker, which costs more to import than microwsgi itself:
# ``microwsgi.template_rendered`` imports them on first use (see signals.py).
_SIGNAL_NAMES = frozenset(
    {
        "appcontext_popped",
        "appcontext_pushed",
        "appcontext_tearing_down",
        "before_render_template",
        "got_request_exception",
        "message_flashed",
        "request_finished",
        "request_started",
        "request_tearing_down",
        "template_rendered",
    }
)


def __getattr__(name: str) -> Any:
    if name in _SIGNAL_NAMES:
        from . import signals

        return getattr(signals, name)
    raise AttributeError(f"module 'microwsgi' has no attribute {name!r}")
