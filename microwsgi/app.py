"""The application: one WSGI callable, and the path one request takes through it.

Flask counterpart: ``flask/app.py`` with ``flask/sansio/app.py``.

The idea to take away: a web application is a function
``app(environ, start_response)`` (PEP 3333). Everything a framework does
happens between receiving the ``environ`` dict and calling
``start_response``. Read ``wsgi_app`` and the methods it calls in order; they
are written in the order a request meets them:

1. ``wsgi_app``: build a ``RequestContext`` and push it, so that ``request``,
   ``session``, ``current_app`` and ``g`` work;
2. ``full_dispatch_request``: the ``before_first_request`` hooks (once),
   match the URL, the ``before_request`` hooks, the view;
3. ``make_response``: turn whatever the view returned into a ``Response``;
4. ``process_response``: ``after_this_request`` and ``after_request`` hooks,
   then save the session into a cookie;
5. back in ``wsgi_app``: ``response(environ, start_response)`` hands the
   result to the server, and popping the context runs the teardown hooks.

Errors leave that path at any step: ``handle_user_exception`` gives HTTP
errors and registered exception types to their error handlers, and
``handle_exception`` turns anything else into a logged ``500``.

Two things happen along the way only for apps that use them, and cost the
others (almost) nothing:

- **Signals** (``signals.py``): ``request_started``, ``request_finished``,
  ``got_request_exception`` and the tearing-down signals are sent at the
  points Flask sends them, once something has imported ``microwsgi.signals``
  and connected a receiver.
- **Async functions.** Calling an ``async def`` view, hook, error handler
  or teardown function gives a coroutine instead of its result. The app
  looks at what each function returned and runs a coroutine to its end with
  ``ensure_sync`` (asgiref, the ``async`` extra), then uses its result. It
  looks where that costs least: a view's return value reaches
  ``make_response``, which checks its type anyway, and a ``before_request``
  hook's is checked only when it is not ``None``; elsewhere it is one type
  comparison. (Flask instead passes every function through ``ensure_sync``
  before calling it, which asks ``inspect`` each time.)

How this file is laid out, top to bottom (the methods of ``App``, then a few
private helpers):

- **Making the app**: ``__init__``, the properties over ``config``
  (``debug``, ``testing``, ``secret_key``, ...), ``logger``, the instance
  folder.
- **Registering**: ``add_url_rule``, ``register_blueprint``,
  ``before_first_request``, ``teardown_appcontext`` (the other decorators
  are in ``scaffold.py``, shared with blueprints).
- **Contexts**: ``app_context``, ``request_context``,
  ``test_request_context``.
- **The path of one request**: ``__call__``, ``wsgi_app``,
  ``full_dispatch_request``, ``preprocess_request``, ``dispatch_request``,
  ``make_response``, ``process_response``: steps 1 to 5 above.
- **Errors**: ``handle_user_exception``, ``handle_http_exception``,
  ``handle_exception``, ``log_exception``.
- **Teardown**: ``do_teardown_request``, ``do_teardown_appcontext``.
- **Async**: ``ensure_sync``, ``async_to_sync``.
- **Building URLs**: ``url_for``, ``inject_url_defaults``,
  ``handle_url_build_error``.
- **Templates**: ``jinja_env`` and the ``template_*`` decorators (the
  rendering is in ``templating.py``).
- **Tools**: ``test_client``, ``test_cli_runner``, ``run``.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Coroutine, Iterable, Iterator, Mapping
from datetime import timedelta
from types import CoroutineType, MappingProxyType, ModuleType, TracebackType
from typing import IO, TYPE_CHECKING, Any, cast
from urllib.parse import quote

from .config import DEFAULT_CONFIG, Config
from .ctx import AppContext, AppGlobals, RequestContext
from .datastructures import Headers
from .exceptions import (
    Aborter,
    BadRequest,
    BadRequestKeyError,
    HTTPException,
    InternalServerError,
    NotFound,
    as_microwsgi_error,
    counterpart,
)
from .globals import _context_var, _request_ctx, _request_ctx_or_none
from .json import DefaultJSONProvider, JSONProvider
from .request import Request
from .response import Response
from .routing import BuildError, RequestRedirect, Router, Rule
from .scaffold import Scaffold, Scope, _registered, _template_decorator, find_package
from .sessions import SecureCookieSessionInterface, SessionInterface
from .wire import display_text, quote_query_bytes, split_host

if TYPE_CHECKING:
    import logging

    import jinja2

    from .blueprints import Blueprint
    from .sessions import Session
    from .templating import Environment
    from .testing import CliRunner, TestClient

#: Methods a redirect may turn into a GET without losing anything (no body).
_SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))

# What a view may return; make_response turns each into a Response.
ResponseValue = Any

# While the app handles a request, the current context is that request's. The
# steps of the request path read it with this, a plain C call, rather than with
# the checked ``_request_ctx()``, because every request takes them.
_this_request_context = cast("Callable[[], RequestContext]", _context_var.get)

# microwsgi.signals, once something imported it (it sets this): see signals.py.
_signals: ModuleType | None = None


class App(Scaffold):
    """A WSGI application. ``app = App(__name__)``; then ``@app.route(...)``.

    ``import_name`` is the name of the module that creates the app (pass
    ``__name__``); it locates the app's folder for templates and static files.
    """

    request_class = Request
    response_class = Response
    #: The class of ``app.url_map`` and of the rules ``add_url_rule`` makes (Flask's hooks).
    url_map_class = Router
    url_rule_class = Rule
    #: The class of ``app.json``, made when the app is created: set it on a subclass,
    #: or assign ``app.json`` an instance, to serialize JSON another way.
    json_provider_class: type[JSONProvider] = DefaultJSONProvider
    app_ctx_globals_class = AppGlobals
    config_class = Config
    aborter_class = Aborter
    #: The settings every app starts with (read-only; ``app.config`` is the app's copy).
    default_config: Mapping[str, Any] = MappingProxyType(DEFAULT_CONFIG)
    #: The class ``test_client()`` makes; None for ``microwsgi.testing.TestClient``.
    test_client_class: type[TestClient] | None = None
    #: The class ``test_cli_runner()`` makes; None for ``microwsgi.testing.CliRunner``.
    test_cli_runner_class: type[CliRunner] | None = None
    #: Loads and saves sessions. A class attribute, as in Flask, so a subclass can
    #: set its own; it keeps no state, so apps can share one.
    session_interface: SessionInterface = SecureCookieSessionInterface()
    #: The class of ``jinja_env``; ``None`` means ``templating.Environment``.
    jinja_environment: type[Environment] | None = None
    #: Keyword arguments for the Jinja environment (``{"trim_blocks": True}``), read
    #: once, when it is created.
    jinja_options: dict[str, Any] = {}

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: str | os.PathLike[str] | None = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: str | os.PathLike[str] | None = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ) -> None:
        super().__init__(import_name, static_folder, static_url_path, template_folder, root_path)
        if instance_path is None:
            instance_path = self.auto_find_instance_path()
        elif not os.path.isabs(instance_path):
            raise ValueError(
                f"instance_path must be absolute; {instance_path!r} is relative. Build it "
                "from a known folder, e.g. os.path.join(os.path.dirname(__file__), "
                "'instance'), or leave it out to use the default."
            )
        #: The folder for files that belong to this installation and not to the code:
        #: secrets, a local config file, an SQLite database. Not created automatically.
        self.instance_path = instance_path
        self.config = self.make_config(instance_relative_config)
        #: What ``abort(code)`` raises with inside this app's context; add codes to its
        #: ``mapping`` for HTTP exceptions of your own.
        self.aborter = self.make_aborter()
        #: Functions whose returned dicts add names to ``microwsgi shell``.
        self.shell_context_processors: list[Callable[[], dict[str, Any]]] = []
        self.url_map = self.url_map_class(host_matching=host_matching)
        self.subdomain_matching = subdomain_matching
        self.json: JSONProvider = self.json_provider_class(self)
        self.before_first_request_funcs: list[Callable[[], Any]] = []
        self.teardown_appcontext_funcs: list[Callable[[BaseException | None], Any]] = []
        #: ``f(error, endpoint, values)`` called in turn when ``url_for`` cannot
        #: build a URL; the first to return something other than ``None``
        #: gives the URL (see ``handle_url_build_error``).
        self.url_build_error_handlers: list[Callable[[BuildError, str, dict[str, Any]], Any]] = []
        #: Registered blueprints by name (see ``register_blueprint``).
        self.blueprints: dict[str, Blueprint] = {}
        #: Extensions keep their state for this app here, by name (as in Flask).
        self.extensions: dict[str, Any] = {}
        self._got_first_request = False
        self._first_request_lock = threading.Lock()
        self._logger: logging.Logger | None = None
        if static_folder is not None and bool(static_host) != host_matching:
            raise AssertionError(
                "static_host and host_matching go together: with host_matching=True every "
                "rule needs a host, so the static route needs static_host='example.com' "
                "(or static_folder=None); without host_matching, static_host means nothing."
            )
        if static_folder is not None:
            # Registered even when the folder does not exist yet, so url_for("static", ...)
            # works from the start. The view finds the app through current_app: a bound
            # method (self.send_static_file) would make the app refer to itself, and such a
            # cycle keeps a discarded app in memory until the garbage collector runs.
            folder_name = os.path.basename(os.fspath(static_folder).rstrip("\\/"))
            # "" is a path too: static_url_path="" serves the folder at the site's root.
            self.static_url_path = (
                static_url_path.rstrip("/") if static_url_path is not None else "/" + folder_name
            )
            self.add_url_rule(
                f"{self.static_url_path.rstrip('/')}/<path:filename>",
                "static",
                _send_static_file,
                host=static_host,
            )

    @property
    def subdomain_matching(self) -> bool:
        """Match rules' ``subdomain`` against the part of the host before
        ``SERVER_NAME`` (``"api"`` in ``api.example.com``). Off by default: then
        ``SERVER_NAME`` restricts nothing and only rules without a subdomain
        answer. (``host_matching`` is the router's, set when the app is made.)"""
        return self._subdomain_matching

    @subdomain_matching.setter
    def subdomain_matching(self, value: bool) -> None:
        self._subdomain_matching = value
        # One flag for the request path to test, instead of two.
        self._matches_by_host = bool(value) or self.url_map.host_matching

    @property
    def name(self) -> str:  # type: ignore[override]
        """The app's name: its module's name, or the script's file name when run directly."""
        if self.import_name == "__main__":
            main_file = getattr(sys.modules["__main__"], "__file__", None)
            if main_file:
                return os.path.splitext(os.path.basename(main_file))[0]
        return self.import_name

    # -- settings that live in config ----------------------------------------

    @property
    def debug(self) -> bool:
        """Debug mode: detailed error pages and template reloading. Never in production."""
        return bool(self.config["DEBUG"])

    @debug.setter
    def debug(self, value: bool) -> None:
        self.config["DEBUG"] = value
        env = self.__dict__.get("_jinja_env")  # templates reload in debug mode (templating.py)
        if env is not None and self.config.get("TEMPLATES_AUTO_RELOAD") is None:
            env.auto_reload = value

    @property
    def testing(self) -> bool:
        """Testing mode: unhandled exceptions reach the test instead of becoming 500s."""
        return bool(self.config["TESTING"])

    @testing.setter
    def testing(self, value: bool) -> None:
        self.config["TESTING"] = value

    @property
    def secret_key(self) -> str | bytes | None:
        """The key that signs session cookies. Keep it out of the source code."""
        return self.config["SECRET_KEY"]  # type: ignore[no-any-return]

    @secret_key.setter
    def secret_key(self, value: str | bytes | None) -> None:
        self.config["SECRET_KEY"] = value

    @property
    def permanent_session_lifetime(self) -> timedelta:
        """How long a permanent session lasts (``PERMANENT_SESSION_LIFETIME``).

        Assign a ``timedelta`` or a number of seconds; reading always gives a ``timedelta``.
        """
        lifetime = self.config["PERMANENT_SESSION_LIFETIME"]
        return lifetime if isinstance(lifetime, timedelta) else timedelta(seconds=lifetime)

    @permanent_session_lifetime.setter
    def permanent_session_lifetime(self, value: timedelta | int | float) -> None:
        self.config["PERMANENT_SESSION_LIFETIME"] = value

    @property
    def logger(self) -> logging.Logger:
        """The app's logger, ``logging.getLogger(app.name)``; unhandled exceptions go here.

        When logging is not configured at all, a handler that writes to the
        server's error stream (stderr outside a request) is added, so errors
        are never silently lost; see ``microwsgi/logging.py``.
        """
        if self._logger is None:
            from .logging import create_logger  # on first use: keeps `import microwsgi` fast

            self._logger = create_logger(self)
        return self._logger

    # -- configuration and files of this installation ---------------------------

    def make_config(self, instance_relative: bool = False) -> Config:
        """The app's ``config``: ``default_config`` in a ``config_class``.

        Relative file names given to its loaders start from ``root_path`` (the
        app's folder), or from ``instance_path`` with ``instance_relative``
        (``App(__name__, instance_relative_config=True)``).
        """
        root = self.instance_path if instance_relative else self.root_path
        return self.config_class(defaults=dict(self.default_config), root_path=root)

    def make_aborter(self) -> Aborter:
        """The app's ``aborter``: an instance of ``aborter_class``."""
        return self.aborter_class()

    def redirect(self, location: str, code: int = 302) -> Response:
        """The response ``redirect()`` returns inside this app's context (an instance of
        ``response_class``); override it to change every redirect of the app."""
        from .response import redirect

        return redirect(location, code, Response=self.response_class)

    def auto_find_instance_path(self) -> str:
        """The default ``instance_path``: ``instance/`` beside the app's module or top-level
        package, or ``PREFIX/var/NAME-instance`` when the app is installed (in a
        virtualenv's or the system's site-packages), where its own folder is not
        meant to be written to."""
        prefix, package_path = find_package(self.import_name)
        if prefix is None:
            return os.path.join(package_path, "instance")
        return os.path.join(prefix, "var", f"{self.name}-instance")

    def open_instance_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = "utf-8"
    ) -> IO[Any]:
        """Open a file in the instance folder, for reading or writing.

        ``resource`` is a path relative to ``instance_path``. It is not
        checked: never build it from request data. Text modes use
        ``encoding`` (UTF-8 by default).
        """
        path = os.path.join(self.instance_path, resource)
        if "b" in mode:
            return open(path, mode)
        return open(path, mode, encoding=encoding)

    def shell_context_processor(self, f: Callable[[], dict[str, Any]]) -> Callable[..., Any]:
        """Add the names in the dict ``f()`` returns to ``microwsgi shell``'s namespace."""
        self.shell_context_processors.append(f)
        return f

    def make_shell_context(self) -> dict[str, Any]:
        """The names ``microwsgi shell`` starts with: ``app``, ``g`` and the processors'."""
        from .globals import g

        namespace: dict[str, Any] = {"app": self, "g": g}
        for processor in self.shell_context_processors:
            namespace.update(processor())
        return namespace

    # -- registration ---------------------------------------------------------

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Callable[..., Any] | None = None,
        provide_automatic_options: bool | None = None,
        **options: Any,
    ) -> None:
        """Connect a URL rule to a view; ``@app.route`` calls this.

        ``options`` are those of ``Rule``: ``methods``, ``defaults``,
        ``strict_slashes``, ``subdomain``, ``host``, ``build_only``. The
        endpoint defaults to the view function's name. Registering the same
        view (or an equal bound method) for several rules is fine; another
        view for a taken endpoint is an ``AssertionError``.
        """
        self._check_setup_not_finished("add_url_rule")
        if endpoint is None:
            if view_func is None:
                raise ValueError(f"add_url_rule({rule!r}) needs an endpoint or a view function.")
            endpoint = view_func.__name__
        methods = options.pop("methods", None) or getattr(view_func, "methods", None)
        if isinstance(methods, str):
            raise TypeError(f"methods must be a list of strings such as ['POST'], not {methods!r}.")
        if provide_automatic_options is None:
            provide_automatic_options = getattr(view_func, "provide_automatic_options", None)
        if provide_automatic_options is None and not self.config["PROVIDE_AUTOMATIC_OPTIONS"]:
            provide_automatic_options = False
        existing = self.view_functions.get(endpoint)
        # "!=" rather than "is not": each `obj.method` is a new bound-method object,
        # and two of them are equal when they wrap the same function and object.
        if view_func is not None and existing is not None and existing != view_func:
            raise AssertionError(
                f"The endpoint {endpoint!r} already belongs to the view "
                f"{existing.__module__}.{existing.__qualname__}; it cannot also name "
                f"{view_func.__module__}.{view_func.__qualname__}. Give one of them another "
                f"name with endpoint='...' (or rename the function)."
            )
        self.url_map.add(
            self.url_rule_class(
                rule,
                endpoint,
                methods,
                provide_automatic_options=provide_automatic_options,
                **options,
            )
        )
        if view_func is not None:
            self.view_functions[endpoint] = view_func

    def register_blueprint(self, blueprint: Blueprint, **options: Any) -> None:
        """Add a blueprint's routes, hooks and handlers to the app.

        ``url_prefix=``, ``subdomain=`` and ``name=`` override the blueprint's
        own; ``url_defaults=`` adds defaults to its rules. The name must be
        unique, so the same blueprint can be registered twice only under two
        names.
        """
        self._check_setup_not_finished("register_blueprint")
        blueprint.register(self, options)

    def iter_blueprints(self) -> Iterator[Blueprint]:
        """The registered blueprints, in the order they were registered."""
        return iter(self.blueprints.values())

    def before_first_request(self, f: Callable[[], Any]) -> Callable[[], Any]:
        """Run ``f()`` once, before the first request this process handles.

        Flask removed this hook because its version could run twice when the
        first requests arrived together. Here a lock makes it run exactly once
        per process: concurrent first requests wait until it has finished. If
        it raises, that request fails and the next request tries again. Under
        a server with several worker *processes* (uWSGI ``processes = 4``),
        each process runs it once: use it for per-process set-up (a
        connection pool), not for work that must happen once in total (a
        database migration).
        """
        self._check_setup_not_finished("before_first_request")
        self.before_first_request_funcs.append(_registered(f, "before_first_request"))
        return f

    def teardown_appcontext(self, f: Callable[[BaseException | None], Any]) -> Callable[..., Any]:
        """Run ``f(exc)`` when the application context is popped (after every request,
        and at the end of ``with app.app_context():``)."""
        self.teardown_appcontext_funcs.append(_registered(f, "teardown_appcontext"))
        return f

    def _check_setup_not_finished(self, method: str) -> None:
        if self._got_first_request:
            raise AssertionError(
                f"The setup method {method!r} can no longer be called: the app has already "
                "handled its first request. Register routes and hooks when the app is "
                "created, before it serves requests, so that every worker process sees the "
                "same setup."
            )

    # -- contexts -------------------------------------------------------------

    def app_context(self) -> AppContext:
        """An application context: ``with app.app_context(): ...``."""
        return AppContext(self)

    def request_context(self, environ: dict[str, Any]) -> RequestContext:
        """A request context for a WSGI environ."""
        return RequestContext(self, environ)

    def test_request_context(self, *args: Any, **kwargs: Any) -> RequestContext:
        """A request context for a made-up request, for tests and the shell.

        Takes the test client's arguments: ``app.test_request_context("/x?a=1",
        method="POST", data={...})``.
        """
        from .testing import build_environ

        ctx = self.request_context(build_environ(self, *args, **kwargs))
        # As in Flask, the URL is matched at once, so that request.endpoint,
        # view_args and blueprint are there inside the block.
        ctx.match_request()
        return ctx

    # -- the path of one request ---------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """The WSGI entry point. Wrap ``app.wsgi_app`` to add middleware, not this."""
        return self.wsgi_app(environ, start_response)

    def wsgi_app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Handle one request, from environ to body iterable."""
        ctx = self.request_context(environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                response = self.full_dispatch_request()
            except Exception as exc:
                error = exc
                response = self.handle_exception(exc)
            except BaseException as exc:  # KeyboardInterrupt, SystemExit: let them go
                error = exc
                raise
            return response(environ, start_response)
        finally:
            preserve_context = environ.get("microwsgi.preserve_context")
            if preserve_context is not None:
                # The test client keeps the context for inspection and pops it later.
                preserve_context(ctx, error)
            else:
                ctx.pop(error)

    def full_dispatch_request(self) -> Response:
        """Hooks, routing and the view, with HTTP errors turned into responses.

        Many request attributes (``path``, ``args``, ``host``, ``url``, ...) are
        checked when first read, and raise ``BadRequest`` then. That read may
        happen anywhere: in the view, in a hook, in an error handler, while the
        session is saved. Wherever it happens, the client gets the 4xx the first
        failure deserves: ``process_response`` turns an HTTP error raised by an
        ``after_request`` hook into its response, an error handler that fails
        with an HTTP error falls back to the error's own page, and teardown
        functions cannot raise out of the app at all.
        """
        if not self._got_first_request:
            self._run_before_first_request_funcs()
        try:
            self._match_request(_this_request_context().request)
            if _signals is not None and _signals.request_started.receivers:
                _signals.request_started.send(self, _async_wrapper=self.ensure_sync)
            rv = self.preprocess_request()
            if rv is None:
                rv = self.dispatch_request()
        except Exception as exc:
            rv = self.handle_user_exception(exc)
        response = self.process_response(self.make_response(rv))
        if _signals is not None and _signals.request_finished.receivers:
            _signals.request_finished.send(self, _async_wrapper=self.ensure_sync, response=response)
        return response

    def _run_before_first_request_funcs(self) -> None:
        with self._first_request_lock:
            if self._got_first_request:  # another thread finished them while we waited
                return
            for func in self.before_first_request_funcs:
                rv = func()
                if type(rv) is CoroutineType:  # an async hook (see the module docstring)
                    self._run_coroutine(rv)
            self._got_first_request = True

    def _match_request(self, request: Request) -> None:
        """Ask the router which rule the URL names; keep a routing error for later.

        The error is raised in ``dispatch_request``, after the
        ``before_request`` hooks, so that those run even for a 404 (a logging
        hook sees every request). Only an app that matches by host, or limits
        its hosts, looks at the ``Host`` header here.
        """
        try:
            if self._matches_by_host or self.config["TRUSTED_HOSTS"] is not None:
                request.url_rule, request.view_args = self.url_map.match(
                    request.routing_path, request.method, self._routing_domain(request)
                )
            else:
                request.url_rule, request.view_args = self.url_map.match(
                    request.routing_path, request.method
                )
        except RequestRedirect as redirect_to:
            request.routing_exception = HTTPException(
                response=self._canonical_redirect(request, redirect_to.path)
            )
        except HTTPException as exc:
            request.routing_exception = exc

    def _routing_domain(self, request: Request) -> str | None:
        """The host part rules are matched against: a subdomain, a host, or ``None``.

        With ``host_matching`` it is the request's host (``"example.com"``,
        with a port unless it is the scheme's default). With
        ``subdomain_matching`` it is what comes before ``SERVER_NAME``
        (``"api"`` for ``api.example.com``, ``""`` for ``example.com``); a
        host that does not end in ``SERVER_NAME`` is a 404 (``NotFound``).
        Otherwise ``None``: the rules without a subdomain. Raises
        ``BadRequest`` for a host that is invalid or not in ``TRUSTED_HOSTS``.
        """
        trusted = self.config["TRUSTED_HOSTS"]
        if trusted is not None:
            request.trusted_hosts = trusted
        host = request.host.lower()
        if self.url_map.host_matching:
            return host
        if not self.subdomain_matching:
            return None
        subdomain = self._request_subdomain(request)
        if subdomain is None:
            raise NotFound(
                f"This application answers for {self.config['SERVER_NAME']} and its "
                "subdomains (SERVER_NAME), not for the host this request names."
            )
        return subdomain

    def _request_subdomain(self, request: Request) -> str | None:
        """``"api"`` for ``api.example.com`` under ``SERVER_NAME = "example.com"``; ``""``
        without ``SERVER_NAME``; ``None`` for a host outside it."""
        server_name = self.config["SERVER_NAME"]
        if not server_name:
            return ""
        server_name = _without_default_port(server_name.lower(), request.scheme)
        return _subdomain_of(request.host.lower(), server_name)

    def _canonical_redirect(self, request: Request, path: str) -> Response:
        """A 308 to the canonical form of the URL (added trailing slash, merged
        slashes, the shorter URL that a rule's defaults give).

        308 rather than 301 so that a POST is repeated as a POST with its body.
        The location keeps the mount prefix (SCRIPT_NAME) and the query string.
        In debug mode, a redirect that would lose a form (a 301 or 302 after a
        POST, if ``RequestRedirect.code`` was changed) is an error instead.
        """
        from .response import redirect

        location = quote(request.script_root) + path
        query = request.query_string
        if query:
            # The query's *bytes*, percent-encoded where they must be: decoding them
            # as text first would encode each byte of a UTF-8 character twice.
            location += "?" + quote_query_bytes(query)
        code = RequestRedirect.code
        if self.debug and code not in (307, 308) and request.method not in _SAFE_METHODS:
            from .debug import FormDataRoutingRedirect

            raise FormDataRoutingRedirect(request, location)
        return redirect(location, code, self.response_class)

    def preprocess_request(self) -> ResponseValue | None:
        """Run the ``url_value_preprocessor`` functions, then the ``before_request``
        hooks, the app's first; stop at the first hook that answers."""
        if self.url_value_preprocessors:
            self._preprocess_url_values()
        funcs = self.before_request_funcs
        if not funcs:  # no hooks anywhere: skip working out the scopes
            return None
        for scope in self._scopes_outermost_first():
            for func in funcs.get(scope, ()):
                rv = func()
                if rv is not None:
                    if type(rv) is CoroutineType:  # an async hook (see the module docstring)
                        rv = self._run_coroutine(rv)
                        if rv is None:
                            continue
                    return rv
        return None

    def _preprocess_url_values(self) -> None:
        """Give ``f(endpoint, view_args)`` a chance to take values out of the URL's.

        Only for a request that matched a rule: after a 404, 405 or redirect
        there are no values (Flask calls them with ``None``, and the usual
        ``values.pop(...)`` then fails with a 500 instead of the 404).
        """
        request = _this_request_context().request
        if request.url_rule is None or request.view_args is None:
            return
        for scope in self._scopes_outermost_first():
            for func in self.url_value_preprocessors.get(scope, ()):
                func(request.url_rule.endpoint, request.view_args)

    def dispatch_request(self) -> ResponseValue:
        """Call the view the URL matched, with the URL's variables as arguments."""
        request = _this_request_context().request
        if request.routing_exception is not None:
            raise request.routing_exception
        rule = request.url_rule
        if rule.provide_automatic_options and request.method == "OPTIONS":
            return self.make_default_options_response()
        return self.view_functions[rule.endpoint](**request.view_args)  # type: ignore[arg-type]

    def make_default_options_response(self) -> Response:
        """The automatic answer to OPTIONS: an empty 200 whose ``Allow`` lists the methods
        of every rule that matches the path (not only the rule that answered)."""
        request = _request_ctx().request
        domain = None
        if self._matches_by_host:
            domain = self._routing_domain(request)
        response = self.response_class()
        response.allow = sorted(self.url_map.allowed_methods(request.routing_path, domain))
        return response

    def make_response(self, rv: ResponseValue) -> Response:
        """Turn what a view returned into a ``Response``.

        ========================  ==============================================
        the view returned         the response
        ========================  ==============================================
        ``str`` or ``bytes``      that body, ``text/html``, status 200
        ``dict`` or ``list``      that value as JSON (``jsonify``)
        a ``Response``            itself
        an iterator/generator     a streamed body
        ``(body, status)``        ``status`` as int, ``HTTPStatus`` or str
        ``(body, headers)``       ``headers`` as a dict or a list of pairs
        ``(body, status, hdrs)``  both
        ========================  ==============================================
        """
        if type(rv) is str:  # the most common return values, answered first
            return self.response_class(rv)
        if type(rv) is dict:
            return self.json.response(rv)
        status = headers = None
        if type(rv) is tuple:
            if len(rv) == 3:
                rv, status, headers = rv
            elif len(rv) == 2:
                if isinstance(rv[1], Headers | dict | tuple | list):
                    rv, headers = rv
                else:
                    rv, status = rv
            else:
                raise TypeError(
                    f"{self._view_name()} returned a tuple of {len(rv)} items, but a tuple "
                    "must have the form (body, status), (body, headers) or "
                    "(body, status, headers)."
                )

        if isinstance(rv, str | bytes | bytearray):
            response = self.response_class(rv, status)
            status = None
        elif isinstance(rv, Response):
            response = rv
        elif isinstance(rv, dict | list):
            response = self.json.response(rv)
        elif isinstance(rv, Iterator):
            response = self.response_class(rv)
        elif rv is None:
            raise TypeError(
                f"{self._view_name()} did not return a valid response: it returned None, "
                "or ended without a return statement. Return a str, bytes, dict, list, "
                "Response, iterator, WSGI application, or a tuple with a status or headers."
            )
        elif type(rv) is CoroutineType:  # an async view's: see _response_of_coroutine
            response = self.make_response(self._response_of_coroutine(rv))
        elif callable(rv) and not isinstance(rv, type):  # a WSGI app, e.g. an HTTPException
            response = self._response_from_wsgi_app(rv)
        else:
            raise TypeError(
                f"{self._view_name()} did not return a valid response: it was a "
                f"{type(rv).__name__}. Return a str, bytes, dict, list, Response, iterator, "
                "WSGI application, or a tuple (body, status), (body, headers) or "
                "(body, status, headers)."
            )

        if status is not None:
            response.status = status
        if headers:
            _merge_headers(response.headers, headers)
        return response

    def _response_of_coroutine(self, coroutine: Coroutine[Any, Any, Any]) -> ResponseValue:
        """What an ``async def`` view returned: its coroutine, run to its end.

        The view is called like any other and gives a coroutine; this method,
        reached because ``make_response`` looks at the type of every return
        value anyway, runs it. So a plain view pays nothing for async support.
        An exception raised by the coroutine is the view's exception: it goes
        to the error handlers, as if the view had raised it.
        """
        try:
            return self._run_coroutine(coroutine)
        except Exception as exc:
            return self.handle_user_exception(exc)

    def _response_from_wsgi_app(self, wsgi_app: Callable[..., Any]) -> Response:
        try:
            return self.response_class.from_app(wsgi_app, _request_ctx().request.environ)
        except TypeError as error:
            raise TypeError(
                f"{self._view_name()} returned a {type(wsgi_app).__name__}, which was called "
                f"as a WSGI application and failed: {error}"
            ) from error

    def _view_name(self) -> str:
        ctx = _request_ctx_or_none()
        rule = ctx.request.url_rule if ctx is not None else None
        if rule is None:
            return "The handler"
        return f"The view function for {rule.endpoint!r}"

    def process_response(self, response: Response) -> Response:
        """Run the after-request hooks (``after_this_request`` ones, then the innermost
        scope and the last registered first), then save the session.

        Each step runs at most once per request, even when one fails: the steps
        still to run are kept on the request context. A step that raises an HTTP
        error (a hook reading ``request.full_path`` of a path that is not UTF-8)
        makes that error's response the response, and the remaining steps run on
        it. Any other exception leaves this method; ``handle_exception`` then
        builds the 500 and calls this again, which runs only the steps not yet run.
        """
        ctx = _this_request_context()
        steps = ctx._response_steps
        if steps is None:
            if (
                ctx._opened_session is None
                and ctx._after_request_functions is None
                and not self.after_request_funcs
                and "HTTP_COOKIE" not in ctx.request.environ
            ):
                return response  # the usual request: no hook, no session, no cookie
            steps = ctx._response_steps = self._response_steps(ctx)
        while steps:
            step = steps.pop()
            try:
                response = step(response)
                if type(response) is CoroutineType:  # an async hook (see the module docstring)
                    response = self._run_coroutine(response)
            except HTTPException as error:
                self._close_replaced(response)
                response = self._http_error_response(error)
            except Exception as exc:
                standing_for = as_microwsgi_error(exc)  # Werkzeug's, from code written for Flask
                self._close_replaced(response)  # another response answers, whichever it is
                if standing_for is None:
                    raise
                response = self._http_error_response(standing_for)
        return response

    def _close_replaced(self, response: Response) -> None:
        """Close a response that an error's response replaces before it was sent.

        Its body may hold a file (``send_file``) or a stream whose context
        waits for it to end (``stream_with_context``): closed now, rather than
        whenever the garbage collector reaches the exception's frames that
        still refer to it. A failure to close is logged, not raised: it must
        not hide the error being answered.
        """
        try:
            response.close()
        except Exception:
            self.logger.exception("Closing a response that an error replaced failed")

    def _response_steps(self, ctx: RequestContext) -> list[Callable[[Response], Response]]:
        """The steps of ``process_response`` for this request, the first to run *last*
        (so that ``pop()`` takes them in order)."""
        steps: list[Callable[[Response], Response]] = [self._save_session]
        funcs = self.after_request_funcs
        if funcs:
            for scope in self._scopes_outermost_first():
                steps.extend(funcs.get(scope, ()))
        if ctx._after_request_functions is not None:
            steps.extend(reversed(ctx._after_request_functions))
        return steps

    def _save_session(self, response: Response) -> Response:
        """The last step of ``process_response``: a request that used the session saves
        it, and one that carries the session cookie may refresh it."""
        ctx = _this_request_context()
        session = ctx._opened_session
        if session is None and "HTTP_COOKIE" in ctx.request.environ:
            session = self._session_to_refresh(ctx)
        if session is not None and not self.session_interface.is_null_session(session):
            self.session_interface.save_session(self, session, response)
        return response

    def _session_to_refresh(self, ctx: RequestContext) -> Session | None:
        """The session of a request whose view never used it, if its cookie must be re-sent.

        The session is opened on first use, so a request that never touches
        it costs nothing. But with ``SESSION_REFRESH_EACH_REQUEST`` a
        permanent session's cookie is sent again with every response, so that
        it expires a lifetime after the user's last visit: for that, a request
        that carries the session cookie opens the session here, unseen by the
        view (``session.accessed`` stays false, so no ``Vary: Cookie`` unless
        the cookie is sent).
        """
        if not self.config["SESSION_REFRESH_EACH_REQUEST"]:
            return None
        if self.session_interface.get_cookie_name(self) not in ctx.request.cookies:
            return None
        return ctx._open_session()

    def _scopes_outermost_first(self) -> tuple[Scope, ...]:
        """``None`` (the app), then the blueprints of the matched endpoint, outermost first.

        The endpoint ``"admin.users.edit"`` belongs to the blueprint
        ``"admin.users"`` nested in ``"admin"``, so its scopes are
        ``(None, "admin", "admin.users")``.
        """
        if not self.blueprints:
            return (None,)
        rule = _request_ctx().request.url_rule
        if rule is None:
            return (None,)
        parts = rule.endpoint.split(".")[:-1]
        return (None, *(".".join(parts[: i + 1]) for i in range(len(parts))))

    # -- errors ---------------------------------------------------------------

    def handle_user_exception(self, exc: Exception) -> ResponseValue:
        """An exception from a hook or a view: give it to its error handler, or re-raise.

        An HTTP error becomes its response (``handle_http_exception``) unless
        it is *trapped* (``trap_http_exception``): then it is treated as any
        other exception, and without a handler for its class it reaches
        ``handle_exception``, so that a test or the debug page sees it.
        """
        if not isinstance(exc, HTTPException):
            exc = as_microwsgi_error(exc) or exc  # werkzeug.exceptions.abort(404) and its kin
        if isinstance(exc, BadRequestKeyError) and (
            self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]
        ):
            exc.show_exception = True  # name the missing key in the page, for the developer
        if isinstance(exc, HTTPException) and not self.trap_http_exception(exc):
            return self.handle_http_exception(exc)
        handler = self._find_error_handler(exc)
        if handler is None:
            raise exc
        rv = self._call_error_handler(handler, exc)
        if isinstance(exc, HTTPException):  # trapped, yet handled: it keeps its status
            return _with_default_status(rv, exc.code)
        return rv

    def _call_error_handler(self, handler: Callable[[Any], Any], exc: Exception) -> Any:
        rv = handler(_as_raised(exc))
        if type(rv) is CoroutineType:  # an async handler (see the module docstring)
            rv = self._run_coroutine(rv)
        return rv

    def trap_http_exception(self, exc: Exception) -> bool:
        """Whether the HTTP error ``exc`` should be raised like a bug instead of answered.

        ``TRAP_HTTP_EXCEPTIONS`` traps every HTTP error. ``TRAP_BAD_REQUEST_ERRORS``
        traps every ``BadRequest``; when it is unset (``None``), debug mode traps
        ``BadRequestKeyError``, so that a missing form field in development shows
        a traceback that names it instead of a bare 400.
        """
        config = self.config
        if config["TRAP_HTTP_EXCEPTIONS"]:
            return True
        if not isinstance(exc, BadRequest):
            return False
        trap_bad_request = config["TRAP_BAD_REQUEST_ERRORS"]
        if trap_bad_request is None:
            return self.debug and isinstance(exc, BadRequestKeyError)
        return bool(trap_bad_request)

    def handle_http_exception(self, exc: HTTPException) -> ResponseValue:
        """An HTTP error: its error handler's answer (keeping the error's status and the
        headers the status requires), or its page.

        If the handler itself raises an HTTP error (typically because it read
        the same invalid request attribute, ``request.url`` say, that caused
        ``exc``), the client still gets ``exc``'s status, with its default page:
        the first failure is the one the client must hear about. Any other
        exception from the handler is a bug in the app and becomes a 500.
        """
        if exc.response is not None:  # abort(response) and canonical redirects
            return exc.response
        handler = self._find_error_handler(exc)
        if handler is None:
            return exc.get_response(_request_ctx().request.environ)
        try:
            rv = handler(_as_raised(exc))
            if type(rv) is CoroutineType:  # an async handler (see the module docstring)
                rv = self._run_coroutine(rv)
            rv = _with_default_status(rv, exc.code)
        except Exception as handler_error:
            if not isinstance(handler_error, HTTPException) and not as_microwsgi_error(
                handler_error
            ):
                raise  # a bug in the handler: a 500
            self.logger.info(
                f"The error handler for {exc.code} raised {handler_error!r}; "
                f"answering {exc.code} with its default page."
            )
            return exc.get_response(_request_ctx().request.environ)
        required = exc.get_headers()
        if not required:  # most errors: the handler's answer as it is
            return rv
        # What HTTP requires of the status (Allow on a 405, WWW-Authenticate on a 401,
        # Retry-After, Content-Range on a 416) stays, unless the handler set its own.
        response = self.make_response(rv)
        if response.status_code == exc.code:
            for name, value in required:
                if name not in response.headers:
                    response.headers.add(name, value)
        return response

    def _http_error_response(self, exc: HTTPException) -> Response:
        """The response for an HTTP error raised after the view (by a hook, or while
        saving the session), through its error handler as any other."""
        try:
            return self.make_response(self.handle_http_exception(exc))
        except HTTPException:
            return exc.get_response(_request_ctx().request.environ)

    def _find_error_handler(self, exc: BaseException) -> Callable[[Any], Any] | None:
        """The handler for ``exc``: blueprint before app, status code before "any",
        the most specific class first (``exc``'s class, then its bases).

        For an error that stands for a Werkzeug exception, the classes of that
        exception come first (an app's own subclass of Werkzeug's ``BadRequest``
        finds its handler), each of Werkzeug's as its counterpart here.
        """
        code = exc.code if isinstance(exc, HTTPException) else None
        codes = (code, None) if code is not None else (None,)
        classes: tuple[type, ...] = type(exc).__mro__
        raised = exc.werkzeug_exception if isinstance(exc, HTTPException) else None
        if raised is not None:
            classes = tuple(counterpart(cls) for cls in type(raised).__mro__) + classes
        for scope in reversed(self._scopes_outermost_first()):
            by_code = self.error_handler_spec.get(scope)
            if not by_code:
                continue
            for status in codes:
                handlers = by_code.get(status)
                if not handlers:
                    continue
                for cls in classes:
                    handler = handlers.get(cls)
                    if handler is not None:
                        return handler  # type: ignore[no-any-return]
        return None

    def handle_exception(self, exc: Exception) -> Response:
        """An exception nothing handled: log it and answer 500.

        With ``PROPAGATE_EXCEPTIONS`` (on by default when ``TESTING``), it is
        re-raised instead, so a failing test shows the real traceback. If the
        500 handler itself fails, a plain 500 page is sent.
        """
        if _signals is not None and _signals.got_request_exception.receivers:
            self._send_logging_failures(_signals.got_request_exception, exception=exc)
        propagate = self.config["PROPAGATE_EXCEPTIONS"]
        if propagate is None:
            propagate = self.testing
        if propagate:
            raise exc
        self.log_exception((type(exc), exc, exc.__traceback__))
        if self.debug:
            from .debug import render_debug_page

            return self._finalize_error_response(render_debug_page(exc, _request_ctx().request))
        server_error = InternalServerError(original_exception=exc)
        environ = _request_ctx().request.environ
        handler = self._find_error_handler(server_error)
        if handler is None:
            return self._finalize_error_response(server_error.get_response(environ))
        try:
            response = self.make_response(
                _with_default_status(self._call_error_handler(handler, server_error), 500)
            )
        except Exception as handler_error:
            self._log_error(handler_error, "The error handler for 500 failed")
            return server_error.get_response(environ)
        return self._finalize_error_response(response)

    def _finalize_error_response(self, response: Response) -> Response:
        """The after-request steps not run yet still run for a 500 (each at most once:
        see ``process_response``); one that fails is logged and the rest still run."""
        while True:
            try:
                response = self.process_response(response)
                break
            except Exception as hook_error:
                self._log_error(hook_error, "An after_request hook failed on the error response")
        if _signals is not None and _signals.request_finished.receivers:
            self._send_logging_failures(_signals.request_finished, response=response)
        return response

    def _send_logging_failures(self, signal: Any, **kwargs: Any) -> None:
        """Send ``signal`` while an error is being answered: the client still gets its
        500, so a failing receiver (an error reporter that cannot reach its service)
        is logged, not raised."""
        try:
            signal.send(self, _async_wrapper=self.ensure_sync, **kwargs)
        except Exception as receiver_error:
            self._log_error(receiver_error, f"A {signal.name.replace('-', '_')} receiver failed")

    def log_exception(
        self,
        exc_info: tuple[type[BaseException], BaseException, TracebackType | None] | BaseException,
    ) -> None:
        """Log an exception that no handler answered, before the 500 is sent.

        ``exc_info`` is ``sys.exc_info()``'s triple, as in Flask, so an override
        written for Flask (to send errors to a tracker, say) works unchanged; an
        exception alone is accepted too. The record names the request:
        ``"Exception on /path [GET]"``, with the traceback.
        """
        exc = exc_info[1] if isinstance(exc_info, tuple) else exc_info
        self._log_error(exc, "Exception")

    def _log_error(self, exc: BaseException, message: str) -> None:
        """Log ``exc`` with its traceback as ``"<message> on /path [METHOD]"``.

        The path is read from the environ, not from ``request.path``: logging a
        request must work for the very requests whose path is invalid. Errors
        that are not the request's own (a failing teardown function, a signal
        receiver, the 500 handler) are logged here, not through
        ``log_exception``, which an app may override for the request's errors.
        """
        environ = _request_ctx().request.environ
        path = display_text(f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}")
        where = f"{path or '/'} [{environ.get('REQUEST_METHOD', 'GET')}]"
        self.logger.error(f"{message} on {where}", exc_info=exc)

    # -- teardown -------------------------------------------------------------

    def do_teardown_request(self, exc: BaseException | None = None) -> None:
        """Run ``teardown_request`` functions, innermost scope and last registered first.

        Teardown functions release resources, so every one of them runs: one
        that raises is logged and the next still runs. Nothing a teardown
        function raises leaves the app (the response has been started by then;
        Flask lets it escape the WSGI callable).
        """
        funcs = self.teardown_request_funcs
        if funcs:
            for scope in reversed(self._scopes_outermost_first()):
                for func in reversed(funcs.get(scope, ())):
                    self._run_teardown(func, exc, "A teardown_request function failed")
        if _signals is not None and _signals.request_tearing_down.receivers:
            self._run_teardown(
                self._send_tearing_down(_signals.request_tearing_down),
                exc,
                "A request_tearing_down receiver failed",
            )

    def do_teardown_appcontext(self, exc: BaseException | None = None) -> None:
        """Run ``teardown_appcontext`` functions, last registered first; a failing one
        is logged and the others still run, as for ``do_teardown_request``."""
        for func in reversed(self.teardown_appcontext_funcs):
            self._run_teardown(func, exc, "A teardown_appcontext function failed")
        if _signals is not None and _signals.appcontext_tearing_down.receivers:
            self._run_teardown(
                self._send_tearing_down(_signals.appcontext_tearing_down),
                exc,
                "An appcontext_tearing_down receiver failed",
            )

    def _send_tearing_down(self, signal: Any) -> Callable[[BaseException | None], Any]:
        return lambda exc: signal.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    def _run_teardown(
        self, func: Callable[[BaseException | None], Any], exc: BaseException | None, what: str
    ) -> None:
        try:
            rv = func(exc)
            if type(rv) is CoroutineType:  # an async teardown function
                self._run_coroutine(rv)
        except Exception as teardown_error:
            ctx = _request_ctx_or_none()
            if ctx is not None:
                self._log_error(teardown_error, what)
            else:
                self.logger.error(what, exc_info=teardown_error)

    # -- async functions ------------------------------------------------------

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` itself, or, if it is an ``async def`` function, a plain function
        that runs it to its end (``async_to_sync``) and returns its result.

        Override it (with ``async_to_sync``) to run coroutines another way.
        """
        from inspect import iscoroutinefunction  # costly to import: only when needed

        if iscoroutinefunction(func):
            return self.async_to_sync(func)
        return func

    def async_to_sync(self, func: Callable[..., Coroutine[Any, Any, Any]]) -> Callable[..., Any]:
        """A plain function that runs the coroutine function ``func`` in an event loop.

        asgiref's ``async_to_sync`` does it, as in Flask: each call runs in an
        event loop of its own (in another thread when this one has none), with
        the contextvars copied in and out, so ``request`` and ``g`` work inside.
        Raises ``RuntimeError`` when asgiref is not installed.
        """
        try:
            from asgiref.sync import async_to_sync
        except ImportError:
            raise RuntimeError(
                f"{getattr(func, '__qualname__', func)!r} is an async function, and running "
                "one needs asgiref, which is not installed. Install microwsgi with its 'async' "
                "extra: pip install 'microwsgi[async]'."
            ) from None
        return async_to_sync(func)

    def _run_coroutine(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        """What an async view or hook returned, run to its end: its result."""
        try:
            run = self.ensure_sync(_result_of)
        except BaseException:
            coroutine.close()  # it will never run: say so quietly, not as "never awaited"
            raise
        return run(coroutine)

    # -- URLs -----------------------------------------------------------------

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        """The URL of an endpoint: ``url_for("user", user_id=7)`` -> ``"/user/7"``.

        Inside a request the URL starts with the request's ``SCRIPT_NAME``, so
        an app mounted under ``/prefix`` links to ``/prefix/...``. Outside a
        request it starts with ``APPLICATION_ROOT``, and ``_external=True``
        needs ``SERVER_NAME``. An endpoint starting with ``.`` is relative to
        the current request's blueprint. External URLs name ``SERVER_NAME``
        when it is set (else the request's host); a rule on another subdomain
        or host than the current one gives an external URL to it.

        The ``url_defaults`` functions may add values first. A ``BuildError``
        goes to ``handle_url_build_error``, whose handlers may still answer.
        """
        ctx = _request_ctx_or_none()
        request = ctx.request if ctx is not None else None
        if request is not None:
            if endpoint.startswith("."):
                rule = request.url_rule
                blueprint = rule.endpoint.rpartition(".")[0] if rule is not None else ""
                endpoint = f"{blueprint}{endpoint}" if blueprint else endpoint[1:]
            root = request.script_root
            scheme = request.scheme
            if _external is None:
                _external = _scheme is not None
        else:
            endpoint = endpoint.lstrip(".")
            root = self.config["APPLICATION_ROOT"] or "/"
            scheme = self.config["PREFERRED_URL_SCHEME"]
            if _external is None:
                _external = self.config["SERVER_NAME"] is not None
        if _scheme is not None:
            if not _external:
                raise ValueError("url_for(): '_scheme' needs '_external=True'.")
            scheme = _scheme

        if self.url_default_functions:
            self.inject_url_defaults(endpoint, values)
        try:
            rule, path = self.url_map.build_for(endpoint, values, method=_method)
        except BuildError as error:
            values.update(_anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external)
            return self.handle_url_build_error(error, endpoint, values)
        url = quote(root.rstrip("/")) + path
        if _anchor is not None:
            url += "#" + quote(_anchor, safe="/?!$&'()*+,;=:@%")
        host = None
        if rule.domain or self._matches_by_host:
            host = self._host_for_rule(rule, values, request)
        if _external or host is not None:
            url = f"{scheme}://{host or self._server_name(request)}{url}"
        return url

    def _server_name(self, request: Request | None) -> str:
        """The host external URLs name: ``SERVER_NAME`` (the canonical name, never a
        client's ``Host`` header when it is set), else the request's host."""
        server_name = self.config["SERVER_NAME"]
        if server_name and not self.url_map.host_matching:
            return _without_default_port(server_name, request.scheme if request else "http")
        if request is not None:
            return request.host
        if server_name:
            return str(server_name)
        raise RuntimeError(
            "url_for() cannot build an external URL outside a request without "
            "SERVER_NAME: there is no request to take the host from. Set "
            "app.config['SERVER_NAME'] (and PREFERRED_URL_SCHEME, APPLICATION_ROOT "
            "as needed), or build it inside app.test_request_context()."
        )

    def _host_for_rule(
        self, rule: Rule, values: dict[str, Any], request: Request | None
    ) -> str | None:
        """The host a URL for ``rule`` must name because it answers on another subdomain
        or host than the current one; ``None`` when the current host will do."""
        wanted = rule.build_domain(values)
        if self.url_map.host_matching:
            current = request.host.lower() if request else self.config["SERVER_NAME"]
            return wanted if wanted and wanted != current else None
        current = None
        if request is not None and self.subdomain_matching:
            current = self._request_subdomain(request)
        if current is None:
            current = self.url_map.default_subdomain
        if wanted == current:
            return None
        server_name = self._server_name(request)
        return f"{wanted}.{server_name}" if wanted else server_name

    def inject_url_defaults(self, endpoint: str, values: dict[str, Any]) -> None:
        """Let the ``url_defaults`` functions add values for ``endpoint`` (they change
        ``values`` in place): the app's first, then each blueprint's, outermost first.

        Works from the endpoint's name, so it works outside a request too.
        """
        names = endpoint.split(".")[:-1]
        scopes = (None, *(".".join(names[: i + 1]) for i in range(len(names))))
        for scope in scopes:
            for func in self.url_default_functions.get(scope, ()):
                func(endpoint, values)

    def handle_url_build_error(
        self, error: BuildError, endpoint: str, values: dict[str, Any]
    ) -> str:
        """Ask each of ``url_build_error_handlers`` for a URL; re-raise ``error`` if none gives one.

        A handler is ``f(error, endpoint, values) -> str | None``; ``values``
        also holds ``url_for``'s ``_anchor``, ``_method``, ``_scheme`` and
        ``_external``. A handler may raise a ``BuildError`` of its own, which
        replaces the one passed to the next handler and the one raised.
        """
        for handler in self.url_build_error_handlers:
            try:
                rv = handler(error, endpoint, values)
            except BuildError as raised:
                error = raised
            else:
                if rv is not None:
                    return rv  # type: ignore[no-any-return]
        if error is sys.exc_info()[1]:
            raise  # keeps the traceback of the url_for call being handled
        raise error

    # -- templates ------------------------------------------------------------

    @property
    def jinja_env(self) -> jinja2.Environment:
        """The Jinja2 environment, created on first use (see ``templating.py``)."""
        from .templating import get_jinja_env

        return get_jinja_env(self)

    def create_jinja_environment(self) -> jinja2.Environment:
        """Make the environment ``jinja_env`` returns; called once. Override to customise."""
        from .templating import create_environment

        return create_environment(self)

    def create_global_jinja_loader(self) -> jinja2.BaseLoader:
        """The loader of ``jinja_env``: the app's template folder, then each blueprint's."""
        from .templating import create_loader

        return create_loader(self)

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        """Whether a template is autoescaped: made from a string, or an HTML/XML/SVG file."""
        from .templating import select_autoescape

        return select_autoescape(filename)

    def update_template_context(self, context: dict[str, Any]) -> None:
        """Add the context processors' values to ``context`` in place (``render_template``'s
        own variables win)."""
        from .templating import update_template_context

        update_template_context(self, context)

    def template_filter(self, name: str | Callable[..., Any] | None = None) -> Any:
        """Register a Jinja filter: ``@app.template_filter()`` or ``@app.template_filter("x")``."""
        return _template_decorator(self.add_template_filter, name)

    def add_template_filter(self, f: Callable[..., Any], name: str | None = None) -> None:
        """Make ``f`` usable as ``{{ value|name }}``; ``name`` defaults to the function's name."""
        from .templating import add_template_filter

        add_template_filter(self, f, name)

    def template_global(self, name: str | Callable[..., Any] | None = None) -> Any:
        """Make a function callable in every template: ``@app.template_global()``."""
        return _template_decorator(self.add_template_global, name)

    def add_template_global(self, f: Callable[..., Any], name: str | None = None) -> None:
        """Make ``f`` callable as ``{{ name(...) }}`` in every template."""
        from .templating import add_template_global

        add_template_global(self, f, name)

    def template_test(self, name: str | Callable[..., Any] | None = None) -> Any:
        """Register a Jinja test (``{% if x is prime %}``): ``@app.template_test()``."""
        return _template_decorator(self.add_template_test, name)

    def add_template_test(self, f: Callable[..., Any], name: str | None = None) -> None:
        """Make ``f`` usable as ``{% if value is name %}``."""
        from .templating import add_template_test

        add_template_test(self, f, name)

    # -- conveniences ---------------------------------------------------------

    def test_client(self, use_cookies: bool = True, **kwargs: Any) -> TestClient:
        """A client that calls this app directly, without a server, for tests.

        An instance of ``test_client_class`` (``microwsgi.testing.TestClient``
        by default); ``kwargs`` go to it (``allow_subdomain_redirects=True``).
        Its responses are instances of ``response_class`` too, so a test can
        use what the app's own response class adds.
        """
        from .testing import TestClient

        cls = self.test_client_class or TestClient
        return cls(self, self.response_class, use_cookies=use_cookies, **kwargs)

    def test_cli_runner(self, **kwargs: Any) -> CliRunner:
        """A Click test runner for the app's commands: ``app.test_cli_runner().invoke(
        args=["init-db"])`` runs ``app.cli``'s ``init-db`` in an app context and
        returns Click's ``Result`` (``output``, ``exit_code``, ``exception``).
        ``kwargs`` go to ``click.testing.CliRunner``."""
        from .testing import CliRunner

        cls = self.test_cli_runner_class or CliRunner
        return cls(self, **kwargs)

    def run(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool | None = None,
        load_dotenv: bool = True,
        **options: Any,
    ) -> None:
        """Serve the app with the development server (Werkzeug's), for development only.

        ``host`` defaults to the host of ``SERVER_NAME``, else ``127.0.0.1``:
        only this machine can connect. Pass ``host="0.0.0.0"`` to accept
        connections from the network. ``port`` defaults to the port of
        ``SERVER_NAME``, else 5000. ``debug=True`` turns debug mode on, and
        with it the reloader (the server restarts when a source file changes);
        without ``debug``, ``MICROWSGI_DEBUG`` (else ``FLASK_DEBUG``) decides
        when set. ``load_dotenv`` reads ``.env``, ``.microwsgienv`` and
        ``.flaskenv`` first (see ``cli.py``). Other ``options`` go to
        ``werkzeug.serving.run_simple``; ``use_debugger=True`` is accepted
        with a warning and ignored (see ``serving.py``).

        While a ``microwsgi`` command has loaded the app, this returns at once,
        so an ``app.run()`` outside ``if __name__ == "__main__":`` does not
        block the command.
        """
        from .helpers import get_debug_flag, get_load_dotenv
        from .serving import cli_is_running, run_development_server

        if cli_is_running():
            run_development_server(self)  # explains why nothing is started, and returns
            return
        if get_load_dotenv(load_dotenv):
            from .cli import load_dotenv as load_env_files

            load_env_files()
            if os.environ.get("MICROWSGI_DEBUG") or os.environ.get("FLASK_DEBUG"):
                self.debug = get_debug_flag()
        if debug is not None:
            self.debug = bool(debug)

        server_name = self.config.get("SERVER_NAME") or ""
        name_host, _, name_port = server_name.partition(":")
        if not host:
            host = name_host or "127.0.0.1"
        if port is None:
            port = int(name_port) if name_port else 5000
        run_development_server(self, host, int(port), **options)


#: Flask's name for the same class, so ``from microwsgi import Flask`` works.
Flask = App


def _send_static_file(filename: str) -> Response:
    """The view of the app's ``static`` endpoint."""
    from .globals import current_app

    return current_app.send_static_file(filename)


async def _result_of(coroutine: Coroutine[Any, Any, Any]) -> Any:
    return await coroutine


def _without_default_port(host: str, scheme: str) -> str:
    """``"example.com:443"`` -> ``"example.com"`` for https (``request.host`` drops it too)."""
    name, port = split_host(host)
    return name if (scheme, port) in (("http", "80"), ("https", "443")) else host


def _subdomain_of(host: str, server_name: str) -> str | None:
    """``("api.example.com", "example.com")`` -> ``"api"``; ``""`` for the name itself;
    ``None`` when ``host`` is not ``server_name`` or one of its subdomains.

    Compared label by label, so ``badexample.com`` is not under ``example.com``.
    """
    labels, server_labels = host.split("."), server_name.split(".")
    if labels[-len(server_labels) :] != server_labels:
        return None
    return ".".join(label for label in labels[: -len(server_labels)] if label)


def _merge_headers(target: Headers, extra: Any) -> None:
    """Add a view's extra headers: a name given replaces that header; repeated names add."""
    items: Iterable[tuple[str, Any]] = extra.items() if isinstance(extra, dict) else extra
    seen: set[str] = set()
    for name, value in items:
        key = name.lower()
        if key in seen:
            target.add(name, value)
        else:
            target[name] = value
            seen.add(key)


def _as_raised(exc: Exception) -> Exception:
    """What an error handler receives: the exception the app raised, which for an error
    standing for a Werkzeug exception is that exception (as in Flask)."""
    raised = exc.werkzeug_exception if isinstance(exc, HTTPException) else None
    return raised if isinstance(raised, Exception) else exc


def _with_default_status(rv: ResponseValue, status: int) -> ResponseValue:
    """Give an error handler's return value the error's status unless it set one.

    ``return "not here"`` from a 404 handler is sent as a 404, not as a 200.
    A ``Response`` object is sent exactly as built.
    """
    if isinstance(rv, Response):
        return rv
    if type(rv) is tuple:
        if len(rv) == 2 and isinstance(rv[1], Headers | dict | tuple | list):
            return (rv[0], status, rv[1])
        return rv
    return (rv, status)
