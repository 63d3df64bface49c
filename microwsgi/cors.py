"""Cross-origin resource sharing (CORS): letting pages of other sites call the app.

Flask counterpart: none in Flask itself; the Flask-CORS extension does this
job, and this module keeps its names (``CORS``, ``cross_origin``, the
``CORS_*`` settings and the keyword arguments).

The idea to take away: a browser lets a script on ``https://a.example`` read
a response from ``https://b.example`` only when that response says so, with
``Access-Control-Allow-Origin: https://a.example``. Before a request that a
plain HTML form could not have sent (a ``PUT``, a JSON body, an
``Authorization`` header), the browser first asks with a *preflight*: an
``OPTIONS`` request carrying ``Origin``, ``Access-Control-Request-Method``
and ``Access-Control-Request-Headers``, and sends the real request only if
the answer allows that origin, method and those headers (the Fetch
standard, section "CORS protocol"). CORS is therefore nothing but a few
response headers, added after the view has run:

    cors = CORS(app, resources={r"/api/.*": {"origins": ["https://app.example"]}})

or, for one view, ``@cross_origin(origins=[...])`` under ``@app.route``.

Settings (keyword arguments, per-resource options, or ``app.config`` keys
with the ``CORS_`` prefix, in that order of precedence), with their defaults:

``origins`` ("*")
    ``"*"``, an origin such as ``"https://app.example"``, a compiled
    ``re.Pattern`` (matched against the whole origin), or a list of those.
``methods`` (GET, HEAD, POST, OPTIONS, PUT, PATCH, DELETE)
    What a preflight may allow.
``allow_headers`` ("*")
    Request headers a preflight may allow; ``"*"`` allows what is asked.
``expose_headers`` (none)
    Response headers scripts may read besides the CORS-safelisted ones
    (``Link``, ``X-Total-Count``, ``ETag``, ``Location``, ...).
``supports_credentials`` (False)
    Allow cookies and HTTP authentication on cross-origin requests.
``max_age`` (none)
    Seconds (or a ``timedelta``) a browser may cache a preflight answer.
``send_wildcard`` (False)
    With ``origins="*"``, answer ``*`` rather than echoing the origin.
``vary_header`` (True)
    Add ``Vary: Origin`` when the answer depends on the origin, so caches
    keep one copy per origin.
``automatic_options`` (True)
    Answer preflights from the automatic ``OPTIONS`` response.

Two places where this module is stricter than Flask-CORS, both listed in
``docs/differences-from-flask.md``: an origin given as a string is always an
exact origin, never guessed to be a regular expression (pass
``re.compile(...)`` for a pattern); and ``supports_credentials=True`` with
``origins="*"`` is refused, because echoing every origin with credentials
would let any site read a logged-in user's data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from .globals import _request_ctx

if TYPE_CHECKING:
    from .app import App
    from .request import Request
    from .response import Response

F = TypeVar("F", bound=Callable[..., Any])

OriginSpec = str | re.Pattern[str]

#: The options and their defaults; ``app.config["CORS_<NAME>"]`` overrides a default.
DEFAULT_OPTIONS: dict[str, Any] = {
    "origins": "*",
    "methods": ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"],
    "allow_headers": "*",
    "expose_headers": None,
    "supports_credentials": False,
    "max_age": None,
    "send_wildcard": False,
    "vary_header": True,
    "automatic_options": True,
}

# Where a view decorated with @cross_origin keeps its options.
_VIEW_OPTIONS_ATTRIBUTE = "_cors_options"


class CORS:
    """Adds CORS headers to the responses of the paths listed in ``resources``.

    ``resources`` maps a regular expression, matched against the start of the
    request's path (``request.path``, without the mount prefix), to options
    for those paths; it may also be one such expression or a list of them,
    which then use the options given here. Without it every path is covered.
    The first expression that matches wins. ``CORS(app, ...)``, or
    ``cors = CORS(...)`` and later ``cors.init_app(app)`` in a factory.

    Raises ``ValueError`` for an unknown option or for credentials with ``"*"``.
    """

    def __init__(
        self,
        app: App | None = None,
        *,
        resources: Mapping[str, Mapping[str, Any]] | Iterable[str] | str | None = None,
        **options: Any,
    ) -> None:
        _check_option_names(options)
        self._resources_argument = resources
        self._options = options
        if app is not None:
            self.init_app(app)

    def init_app(self, app: App) -> None:
        """Read the settings of ``app.config`` and add the after-request hook to ``app``."""
        base = _merged(DEFAULT_OPTIONS, _config_options(app.config), self._options)
        resources = self._resources_argument
        if resources is None:
            resources = app.config.get("CORS_RESOURCES") or {r".*": {}}
        if isinstance(resources, str):
            resources = {resources: {}}
        elif not isinstance(resources, Mapping):
            resources = {pattern: {} for pattern in resources}
        compiled: list[tuple[re.Pattern[str], _Policy]] = []
        for pattern, options in resources.items():
            _check_option_names(options)
            compiled.append((re.compile(pattern), _Policy(_merged(base, options))))

        def add_cors_headers(response: Response) -> Response:
            request = _request_ctx().request
            policy = _view_policy(app, request)
            if policy is None:
                path = request.path
                policy = next((p for regex, p in compiled if regex.match(path)), None)
            if policy is not None:
                policy.apply(request, response)
            return response

        app.after_request(add_cors_headers)


def cross_origin(**options: Any) -> Callable[[F], F]:
    """Give one view its own CORS options; put it under ``@app.route``.

    It takes ``CORS``'s options. The app's ``CORS`` does the work, so an app
    whose CORS applies to decorated views only registers
    ``CORS(app, resources=[])``. Raises ``ValueError`` as ``CORS`` does.
    """
    _check_option_names(options)

    def decorator(view: F) -> F:
        setattr(view, _VIEW_OPTIONS_ATTRIBUTE, options)
        return view

    return decorator


class _Policy:
    """The options of one resource, checked and turned into header values once."""

    def __init__(self, options: dict[str, Any]) -> None:
        origins = options["origins"]
        if isinstance(origins, str | re.Pattern):
            origins = [origins]
        self.any_origin = "*" in origins
        self.exact_origins = {_normalize(o) for o in origins if isinstance(o, str) and o != "*"}
        self.pattern_origins = [o for o in origins if isinstance(o, re.Pattern)]
        self.credentials = bool(options["supports_credentials"])
        if self.credentials and self.any_origin:
            raise ValueError(
                "CORS: supports_credentials=True cannot be combined with origins='*': every "
                "site could then read the responses a logged-in user's browser receives. "
                "List the origins that may send credentials."
            )
        self.methods = ", ".join(m.upper() for m in _as_list(options["methods"]))
        allow_headers = _as_list(options["allow_headers"])
        self.allow_any_header = "*" in allow_headers
        self.allow_headers = {h.lower() for h in allow_headers}
        self.expose_headers = ", ".join(_as_list(options["expose_headers"]))
        max_age = options["max_age"]
        if isinstance(max_age, timedelta):
            max_age = int(max_age.total_seconds())
        self.max_age = str(int(max_age)) if max_age is not None else None
        self.send_wildcard = bool(options["send_wildcard"]) and self.any_origin
        self.vary = bool(options["vary_header"])
        self.automatic_options = bool(options["automatic_options"])

    def allows(self, origin: str) -> bool:
        if self.any_origin or _normalize(origin) in self.exact_origins:
            return True
        return any(pattern.fullmatch(origin) for pattern in self.pattern_origins)

    def apply(self, request: Request, response: Response) -> None:
        """Add the CORS headers this request earns (none when its origin is not allowed)."""
        if self.vary and not self.send_wildcard:
            _add_vary(response, "Origin")
        origin = request.headers.get("Origin")
        if origin is None or not self.allows(origin):
            return
        headers = response.headers
        headers["Access-Control-Allow-Origin"] = "*" if self.send_wildcard else origin
        if self.credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        requested_method = request.headers.get("Access-Control-Request-Method")
        if request.method == "OPTIONS" and requested_method is not None:
            if self.automatic_options:
                self._answer_preflight(request, response)
        elif self.expose_headers:
            headers["Access-Control-Expose-Headers"] = self.expose_headers

    def _answer_preflight(self, request: Request, response: Response) -> None:
        headers = response.headers
        headers["Access-Control-Allow-Methods"] = self.methods
        asked = request.headers.get("Access-Control-Request-Headers", "")
        names = [name.strip() for name in asked.split(",") if name.strip()]
        if self.allow_any_header:
            allowed = names
        else:
            allowed = [name for name in names if name.lower() in self.allow_headers]
        if allowed:
            headers["Access-Control-Allow-Headers"] = ", ".join(allowed)
        if self.max_age is not None:
            headers["Access-Control-Max-Age"] = self.max_age
        if self.vary:
            _add_vary(response, "Access-Control-Request-Method")
            _add_vary(response, "Access-Control-Request-Headers")


def _view_policy(app: App, request: Request) -> _Policy | None:
    """The policy of a view decorated with ``@cross_origin``, made once per view."""
    rule = request.url_rule
    if rule is None:
        return None
    view = app.view_functions.get(rule.endpoint)
    options = getattr(view, _VIEW_OPTIONS_ATTRIBUTE, None)
    if options is None:
        return None
    policy = getattr(view, "_cors_policy", None)
    if policy is None:
        policy = _Policy(_merged(DEFAULT_OPTIONS, _config_options(app.config), options))
        view._cors_policy = policy  # type: ignore[union-attr]
    return policy  # type: ignore[no-any-return]


def _config_options(config: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: config[f"CORS_{name.upper()}"]
        for name in DEFAULT_OPTIONS
        if f"CORS_{name.upper()}" in config
    }


def _merged(*layers: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update(layer)
    return merged


def _check_option_names(options: Mapping[str, Any]) -> None:
    unknown = sorted(set(options) - set(DEFAULT_OPTIONS))
    if unknown:
        raise ValueError(
            f"Unknown CORS option(s) {unknown}; the options are {sorted(DEFAULT_OPTIONS)}."
        )


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value)


def _normalize(origin: str) -> str:
    """Origins compare case-insensitively in scheme and host (RFC 6454, section 4)."""
    return origin.strip().rstrip("/").lower()


def _add_vary(response: Response, name: str) -> None:
    current = response.headers.get("Vary")
    if current is None:
        response.headers["Vary"] = name
    elif name.lower() not in {part.strip().lower() for part in current.split(",")}:
        response.headers["Vary"] = f"{current}, {name}"
