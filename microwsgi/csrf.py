"""CSRF protection: refuse form posts that another site made the browser send.

Flask counterpart: none in Flask itself; ``CSRFProtect`` of the Flask-WTF
extension does this job, and this module keeps its names.

The attack: a page on ``evil.example`` holds a form that posts to
``yourbank.example/transfer`` and submits it with JavaScript. The browser
sends the user's cookies along, so without a check the bank sees a logged-in
user asking for a transfer.

The idea to take away: the defence is a secret the other site cannot read.
Each session holds a random token. Every form of ours carries it in a hidden
field (``csrf_token()`` in a template), every script sends it in the
``X-CSRF-Token`` header, and a hook that runs before every POST, PUT, PATCH
and DELETE compares what came with the request to what the session holds.
``evil.example`` can make the browser *send* a request but cannot *read* our
pages, so it cannot know the token.

    csrf = CSRFProtect(app)          # or CSRFProtect() and later csrf.init_app(app)

    <form method="post">
      <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
      ...

The token put into pages is not the session's token itself but that token
signed with a key derived from ``SECRET_KEY`` and stamped with the time it
was made. So a token from a page expires after ``CSRF_TIME_LIMIT`` seconds
(a stolen copy does not stay useful), rotating ``SECRET_KEY`` keeps tokens
made under a key in ``SECRET_KEY_FALLBACKS`` working, and
``rotate_csrf_token()`` (call it at login) makes every older token invalid.

Settings (``app.config``), with their defaults:

``CSRF_ENABLED`` (True)
    Turn the check off with False, for example in the tests of views that do
    not care about it. It stays on when ``TESTING`` is set: a test suite that
    posts forms should post them with their tokens, as a browser would.
``CSRF_FIELD_NAME`` ("csrf_token")
    The form field that carries the token.
``CSRF_HEADER_NAME`` ("X-CSRF-Token")
    The header that carries it, for JavaScript and API clients.
``CSRF_TIME_LIMIT`` (3600)
    How many seconds a token stays valid; None for as long as the session.
``CSRF_CHECK_ORIGIN`` (False)
    Also require the ``Origin`` header (or, when a browser sends none, the
    ``Referer``) to name this site or one of ``CSRF_TRUSTED_ORIGINS``.
    Off by default because behind a proxy the app sees the proxy's host
    unless ``ProxyFix`` restores the real one.
``CSRF_TRUSTED_ORIGINS`` ([])
    Other origins allowed to post, such as ``"https://admin.example.com"``.

A failed check raises ``CSRFError``, a ``BadRequest`` (400) whose description
says what was wrong. Give it a page of your own with
``@app.errorhandler(CSRFError)``.

Views that must accept posts from other sites (a payment provider's
webhook) are exempted with ``@csrf.exempt``; so can a whole blueprint
(``csrf.exempt(api_blueprint)``) whose clients authenticate with a token
header instead of a cookie. Only cookies make CSRF possible.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from .exceptions import BadRequest
from .globals import _request_ctx, current_app
from .sessions import dump_signed, load_signed, signing_keys

if TYPE_CHECKING:
    from .app import App
    from .blueprints import Blueprint

T = TypeVar("T")

#: The settings ``init_app`` adds to ``app.config`` unless already set.
DEFAULT_SETTINGS: dict[str, Any] = {
    "CSRF_ENABLED": True,
    "CSRF_FIELD_NAME": "csrf_token",
    "CSRF_HEADER_NAME": "X-CSRF-Token",
    "CSRF_TIME_LIMIT": 3600,
    "CSRF_CHECK_ORIGIN": False,
    "CSRF_TRUSTED_ORIGINS": [],
}

#: Methods that change things and so must prove they come from our own pages.
PROTECTED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: Where the session keeps the raw token.
SESSION_KEY = "_csrf_token"

# Tokens are signed with their own key, so no session cookie can pass for a token.
_SALT = b"microwsgi.csrf"


class CSRFError(BadRequest):
    """The request's CSRF token was missing, forged, expired or for another session."""

    description = "The CSRF token is missing or invalid."


# -- tokens ---------------------------------------------------------------


def csrf_token() -> str:
    """The token for forms and scripts of this session (a template global).

    Makes the session's token on first use. Each call returns a freshly
    timestamped, signed copy of that token; all copies are valid together.
    """
    app = current_app
    session = _request_ctx().session
    raw = session.get(SESSION_KEY)
    if not isinstance(raw, str):
        if not app.secret_key:
            raise RuntimeError(_NO_SECRET_KEY)
        import secrets  # imported on first use, to keep `import microwsgi` fast

        raw = secrets.token_urlsafe(32)
        session[SESSION_KEY] = raw
    return dump_signed(raw, signing_keys(app, _SALT)[0])


def rotate_csrf_token() -> None:
    """Forget this session's token, so every token handed out so far stops working.

    Call it when the user logs in or out: a token an attacker obtained for
    the session before login must not work for the logged-in user.
    """
    _request_ctx().session.pop(SESSION_KEY, None)


def validate_csrf_token(token: str | None) -> None:
    """Raise ``CSRFError`` unless ``token`` is a valid token of the current session.

    The hook of ``CSRFProtect`` calls this; call it yourself to check a
    token that arrives some other way (inside a JSON body, say).
    """
    app = current_app
    if not app.secret_key:
        raise RuntimeError(_NO_SECRET_KEY)
    field, header = app.config.get("CSRF_FIELD_NAME"), app.config.get("CSRF_HEADER_NAME")
    if not token:
        raise CSRFError(
            f"The CSRF token is missing. Forms must send it in the {field!r} field "
            f'(<input type=hidden name={field} value="{{{{ csrf_token() }}}}">), '
            f"scripts in the {header!r} header."
        )
    keys = signing_keys(app, _SALT)
    time_limit = _seconds(app.config.get("CSRF_TIME_LIMIT", 3600))
    signed_value = load_signed(token, keys, time_limit)
    if signed_value is None:
        if time_limit is not None and load_signed(token, keys) is not None:
            raise CSRFError(
                "The CSRF token has expired. Reload the page to get a new one and send "
                "the form again."
            )
        raise CSRFError("The CSRF token is invalid: it was not made by this site.")
    session_token = _request_ctx().session.get(SESSION_KEY)
    if not isinstance(session_token, str):
        raise CSRFError(
            "The session holds no CSRF token: it has expired, or the browser did not "
            "send the session cookie. Reload the page and send the form again."
        )
    import hmac  # imported on first use, to keep `import microwsgi` fast

    if not isinstance(signed_value, str) or not hmac.compare_digest(signed_value, session_token):
        raise CSRFError(
            "The CSRF token belongs to another session. Reload the page to get a new one "
            "and send the form again."
        )


def _seconds(limit: int | float | timedelta | None) -> float | None:
    if isinstance(limit, timedelta):
        return limit.total_seconds()
    return limit


_NO_SECRET_KEY = (
    "CSRF protection needs app.config['SECRET_KEY']: the token is kept in the session "
    "and signed with that key. Set it from the environment, never in source code, e.g.\n"
    "    app.config['SECRET_KEY'] = os.environ['SECRET_KEY']\n"
    "and make a good key with: python -c 'import secrets; print(secrets.token_hex())'"
)


# -- the guard ------------------------------------------------------------


class CSRFProtect:
    """Checks every POST, PUT, PATCH and DELETE of an app for a valid CSRF token.

    ``CSRFProtect(app)``, or ``csrf = CSRFProtect()`` at module level and
    ``csrf.init_app(app)`` inside an application factory.
    """

    def __init__(self, app: App | None = None) -> None:
        self._exempt_endpoints: set[str] = set()
        self._exempt_views: set[Callable[..., Any]] = set()
        self._exempt_blueprints: list[Blueprint] = []
        if app is not None:
            self.init_app(app)

    def init_app(self, app: App) -> None:
        """Add the settings' defaults and the check, as a ``before_request`` hook, to ``app``."""
        for key, value in DEFAULT_SETTINGS.items():
            app.config.setdefault(key, value)
        app.before_request(self._protect)

    def exempt(self, view: T) -> T:
        """Skip the check for a view: a function, an endpoint name, a view class or a blueprint.

        As a decorator, above or below ``@app.route``::

            @app.post("/webhooks/payment")
            @csrf.exempt
            def payment_webhook(): ...
        """
        from .blueprints import Blueprint

        if isinstance(view, str):
            self._exempt_endpoints.add(view)
        elif isinstance(view, Blueprint):
            self._exempt_blueprints.append(view)
        elif callable(view):
            self._exempt_views.add(view)
        else:
            raise TypeError(
                f"csrf.exempt() takes a view function, an endpoint name, a View class or a "
                f"Blueprint, not {view!r}."
            )
        return view

    def _protect(self) -> None:
        app = current_app
        request = _request_ctx().request
        if request.method not in PROTECTED_METHODS or not app.config.get("CSRF_ENABLED", True):
            return
        # An unmatched URL gets its 404 or 405 rather than a CSRF error.
        if request.url_rule is None or self._is_exempt(app, request.url_rule.endpoint):
            return
        if app.config.get("CSRF_CHECK_ORIGIN"):
            _check_origin(app, request)
        token = request.form.get(app.config["CSRF_FIELD_NAME"]) or request.headers.get(
            app.config["CSRF_HEADER_NAME"]
        )
        validate_csrf_token(token)

    def _is_exempt(self, app: App, endpoint: str) -> bool:
        if endpoint in self._exempt_endpoints:
            return True
        if self._exempt_views:
            exempt = self._exempt_views
            view: Any = app.view_functions.get(endpoint)
            # Also look through decorators made with functools.wraps, in either order.
            for _ in range(20):
                if view is None:
                    break
                if view in self._exempt_views or getattr(view, "view_class", None) in exempt:
                    return True
                view = getattr(view, "__wrapped__", None)
        if self._exempt_blueprints:
            # "admin.users.edit" lies in the blueprints registered as "admin" and "admin.users".
            parts = endpoint.split(".")[:-1]
            for depth in range(1, len(parts) + 1):
                blueprint = app.blueprints.get(".".join(parts[:depth]))
                if any(blueprint is exempt for exempt in self._exempt_blueprints):
                    return True
        return False


def _check_origin(app: App, request: Any) -> None:
    """Refuse a request whose ``Origin`` (or ``Referer``) names another site."""
    source = "Origin"
    claimed = request.headers.get("Origin")
    # "null" is what a sandboxed frame or a privacy-minded redirect sends: no origin at all.
    if not claimed or claimed == "null":
        source, claimed = "Referer", request.headers.get("Referer")
    if not claimed:
        raise CSRFError(
            "The request has neither an Origin nor a Referer header, so nothing shows that "
            "it comes from this site (CSRF_CHECK_ORIGIN is on)."
        )
    origin = _origin_of(claimed)
    allowed = {_origin_of(request.host_url)}
    allowed.update(_origin_of(trusted) for trusted in app.config.get("CSRF_TRUSTED_ORIGINS", ()))
    if origin not in allowed:
        raise CSRFError(
            f"The request comes from {origin!r} ({source} header), not from this site. If "
            "that site may post here, add it to app.config['CSRF_TRUSTED_ORIGINS']."
        )


def _origin_of(url: str) -> str:
    """``"HTTPS://Example.com:443/page"`` -> ``"https://example.com"``: scheme, host, port."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: matches nothing
        return url
    if ":" in host:
        host = f"[{host}]"
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"
