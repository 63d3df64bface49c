"""microwsgi: a WSGI micro-framework written from scratch to show how Flask works inside.

Start reading at ``app.py``: ``App.wsgi_app`` is the path of one request.
Every name a Flask quick-start imports is here under the same name, so
``from microwsgi import Flask, request, jsonify`` runs Flask-style code.
"""

from __future__ import annotations

from .app import App, Flask
from .blueprints import Blueprint
from .config import Config
from .csrf import CSRFError, CSRFProtect, csrf_token
from .ctx import after_this_request, has_app_context, has_request_context
from .exceptions import HTTPException, abort
from .files import send_file, send_from_directory
from .flash import flash, get_flashed_messages
from .globals import current_app, g, request, session
from .helpers import make_response, url_for
from .json import jsonify
from .request import Request
from .response import Response, redirect
from .templating import (
    Markup,
    escape,
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
    "csrf_token",
    "current_app",
    "escape",
    "flash",
    "g",
    "get_flashed_messages",
    "has_app_context",
    "has_request_context",
    "jsonify",
    "make_response",
    "redirect",
    "render_template",
    "render_template_string",
    "request",
    "send_file",
    "send_from_directory",
    "session",
    "stream_template",
    "stream_template_string",
    "url_for",
]
__version__ = "0.1.0"
