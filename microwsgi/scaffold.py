"""Registering views, hooks and error handlers: shared by ``App`` and ``Blueprint``.

Flask counterpart: ``flask/sansio/scaffold.py``.

The idea to take away: decorators such as ``@app.route`` and
``@app.before_request`` do nothing at request time. They only *record* a
function in a table: a URL rule in the router, a hook in a list, an error
handler in a dict. The request path (``app.py``) later reads those tables.

Every table is keyed by *scope*: ``None`` for the whole app, or a blueprint's
name, so that a blueprint's hooks run only for that blueprint's requests. An
``App`` registers into the ``None`` scope; a ``Blueprint`` collects into its
own tables and copies them into the app, under its name, when registered.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from .exceptions import HTTPException, counterpart, default_exceptions

if TYPE_CHECKING:
    from .cli import AppGroup
    from .response import Response

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
#: A blueprint name such as "admin" or "admin.users", or None for the app itself.
Scope = str | None
ErrorHandler = Callable[[Any], Any]
#: ``f(endpoint, view_args)``; ``view_args`` may be changed in place.
UrlValuePreprocessor = Callable[[str, dict[str, Any]], None]
#: ``f(endpoint, values)``; ``values`` (``url_for``'s arguments) may be changed in place.
UrlDefaultsFunction = Callable[[str, dict[str, Any]], None]


class Scaffold:
    """Decorators and tables common to an application and a blueprint."""

    name: str

    def __init__(
        self,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        root_path: str | None = None,
    ) -> None:
        self.import_name = import_name
        #: The folder that relative paths (templates, static files, config files) start from.
        self.root_path = root_path if root_path is not None else _find_root_path(import_name)
        self.static_folder = static_folder
        self.static_url_path = static_url_path
        self.template_folder = template_folder

        #: endpoint -> view function.
        self.view_functions: dict[str, Callable[..., Any]] = {}
        #: scope -> status code (None for "any") -> exception class -> handler.
        self.error_handler_spec: dict[Scope, dict[int | None, dict[type[BaseException], Any]]] = (
            defaultdict(lambda: defaultdict(dict))
        )
        self.before_request_funcs: dict[Scope, list[Callable[[], Any]]] = defaultdict(list)
        self.after_request_funcs: dict[Scope, list[Callable[[Any], Any]]] = defaultdict(list)
        self.teardown_request_funcs: dict[Scope, list[Callable[[Any], Any]]] = defaultdict(list)
        self.template_context_processors: dict[Scope, list[Callable[[], dict[str, Any]]]] = (
            defaultdict(list)
        )
        #: scope -> ``f(endpoint, view_args)`` run before the ``before_request`` hooks.
        #: Plain dicts, filled only on registration: an app without any costs nothing.
        self.url_value_preprocessors: dict[Scope, list[UrlValuePreprocessor]] = {}
        #: scope -> ``f(endpoint, values)`` run by ``url_for`` before building.
        self.url_default_functions: dict[Scope, list[UrlDefaultsFunction]] = {}

    # -- command line and files ----------------------------------------------

    @cached_property
    def cli(self) -> AppGroup:
        """The Click group of this app's (or blueprint's) own commands.

        ``@app.cli.command("init-db")`` adds ``microwsgi init-db``, run inside
        an app context; ``app.cli.add_command(group)`` adds a Click command or
        group made elsewhere. Created on first use, so an app without commands
        never imports Click.
        """
        from .cli import AppGroup

        return AppGroup(name=self.name)

    @property
    def jinja_loader(self) -> Any:
        """The Jinja loader of this app's (or blueprint's) own templates.

        By default a ``jinja2.FileSystemLoader`` of ``template_folder`` (``None``
        without a folder), which is what the app's ``TemplateLoader`` reads,
        by hand, in ``templating.py``. Assign another loader to find the
        templates elsewhere, as in Flask::

            app.jinja_loader = jinja2.ChoiceLoader(
                [app.jinja_loader, jinja2.FileSystemLoader("/srv/theme")]
            )

        An assigned loader is asked in this scaffold's turn (the app's, then
        each blueprint's in registration order); ``None`` gives no templates.
        """
        if "_jinja_loader" in self.__dict__:
            return self.__dict__["_jinja_loader"]
        if self.template_folder is None:
            return None
        import jinja2

        return jinja2.FileSystemLoader(os.path.join(self.root_path, self.template_folder))

    @jinja_loader.setter
    def jinja_loader(self, loader: Any) -> None:
        self.__dict__["_jinja_loader"] = loader

    def open_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = None
    ) -> IO[Any]:
        """Open a file of the app's (or blueprint's) source folder for reading.

        ``resource`` is relative to ``root_path``: ``app.open_resource("schema.sql")``.
        ``mode`` is ``"rb"`` (the default), ``"r"`` or ``"rt"``; anything that
        writes raises ``ValueError`` (write to the instance folder instead, with
        ``open_instance_resource``). The name is not checked: never build it
        from request data (``send_from_directory`` is for that).
        """
        if mode not in ("r", "rt", "rb"):
            raise ValueError(
                f"open_resource() opens files for reading only (mode 'r', 'rt' or 'rb'), "
                f"not {mode!r}. Files the app writes belong in the instance folder: "
                f"app.open_instance_resource({resource!r}, {mode!r})."
            )
        path = os.path.join(self.root_path, resource)
        if mode == "rb":
            return open(path, mode)
        return open(path, mode, encoding=encoding)

    # -- routes -------------------------------------------------------------

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Callable[..., Any] | None = None,
        provide_automatic_options: bool | None = None,
        **options: Any,
    ) -> None:
        """Register ``view_func`` for the URL ``rule`` under ``endpoint`` (the function's
        name by default); what ``@route`` calls. ``options`` are the router's
        ``Rule`` arguments (``methods``, ``defaults``, ``subdomain``, ``host``,
        ``strict_slashes``, ...). ``App`` and ``Blueprint`` each implement it: the
        app adds the rule now, a blueprint records it for ``register``.
        """
        raise NotImplementedError

    def route(self, rule: str, **options: Any) -> Callable[[F], F]:
        """Register the decorated function for the URL ``rule``.

        ``@app.route("/user/<int:user_id>", methods=["GET", "POST"])``. The
        endpoint (the name ``url_for`` uses) is the function's name unless
        ``endpoint=`` is given.
        """

        if not isinstance(rule, str):
            raise _needs_its_argument("route", "the URL rule", "'/path'", rule)

        def decorator(view_func: F) -> F:
            endpoint = options.pop("endpoint", None)
            self.add_url_rule(rule, endpoint, _registered(view_func, "route"), **options)
            return view_func

        return decorator

    def get(self, rule: str, **options: Any) -> Callable[[F], F]:
        """``route(rule, methods=["GET"])``."""
        return self._method_route("GET", rule, options)

    def post(self, rule: str, **options: Any) -> Callable[[F], F]:
        """``route(rule, methods=["POST"])``."""
        return self._method_route("POST", rule, options)

    def put(self, rule: str, **options: Any) -> Callable[[F], F]:
        """``route(rule, methods=["PUT"])``."""
        return self._method_route("PUT", rule, options)

    def patch(self, rule: str, **options: Any) -> Callable[[F], F]:
        """``route(rule, methods=["PATCH"])``."""
        return self._method_route("PATCH", rule, options)

    def delete(self, rule: str, **options: Any) -> Callable[[F], F]:
        """``route(rule, methods=["DELETE"])``."""
        return self._method_route("DELETE", rule, options)

    def _method_route(self, method: str, rule: str, options: dict[str, Any]) -> Callable[[F], F]:
        if "methods" in options:
            raise TypeError(
                f"Use route() to give 'methods'; {method.lower()}() sets it to {method}."
            )
        if not isinstance(rule, str):
            raise _needs_its_argument(method.lower(), "the URL rule", "'/path'", rule)
        return self.route(rule, methods=[method], **options)

    def endpoint(self, endpoint: str) -> Callable[[F], F]:
        """Attach a view to an endpoint registered earlier with ``add_url_rule`` and no view."""
        if not isinstance(endpoint, str):
            raise _needs_its_argument("endpoint", "the endpoint's name", "'index'", endpoint)

        def decorator(view_func: F) -> F:
            self.view_functions[endpoint] = _registered(view_func, "endpoint")
            return view_func

        return decorator

    # -- static files -----------------------------------------------------------

    @property
    def has_static_folder(self) -> bool:
        """Whether this app (or blueprint) serves static files (``static_folder`` is set)."""
        return self.static_folder is not None

    def send_static_file(self, filename: str) -> Response:
        """The view of the ``static`` endpoint: ``filename`` from ``static_folder``,
        cached for ``get_send_file_max_age(filename)`` seconds."""
        from .files import serve_static

        return serve_static(self, filename)

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """How long (seconds) a browser may keep a static file without asking again.

        ``SEND_FILE_MAX_AGE_DEFAULT`` (seconds or a ``timedelta``); ``None``
        means ``no-cache`` (revalidate with the ETag each time). Override it in
        a subclass to choose per file, e.g. a year for fingerprinted names.
        """
        from .globals import current_app

        value = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
        if isinstance(value, timedelta):
            return int(value.total_seconds())
        return value  # type: ignore[no-any-return]

    # -- URL processors -------------------------------------------------------

    def url_value_preprocessor(self, f: F) -> F:
        """Run ``f(endpoint, values)`` before the ``before_request`` hooks of a request
        that matched a rule; ``values`` is ``request.view_args``, which ``f`` may change.

        The usual pair with ``url_defaults``: take a value every URL carries
        (``/<lang_code>/...``) out of the view arguments and into ``g``::

            @app.url_value_preprocessor
            def pull_lang_code(endpoint, values):
                g.lang_code = values.pop("lang_code", None)
        """
        self.url_value_preprocessors.setdefault(None, []).append(
            _registered(f, "url_value_preprocessor")
        )
        return f

    def url_defaults(self, f: F) -> F:
        """Run ``f(endpoint, values)`` in ``url_for`` before building; ``f`` may add to
        ``values`` (the keyword arguments given to ``url_for``)::

            @app.url_defaults
            def add_lang_code(endpoint, values):
                if app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
                    values.setdefault("lang_code", g.lang_code)
        """
        self.url_default_functions.setdefault(None, []).append(_registered(f, "url_defaults"))
        return f

    # -- request hooks --------------------------------------------------------

    def before_request(self, f: F) -> F:
        """Run ``f()`` before each request. If it returns a value, that is the response
        and the view is not called (useful for login checks)."""
        self.before_request_funcs[None].append(_registered(f, "before_request"))
        return f

    def after_request(self, f: F) -> F:
        """Run ``f(response)`` on every response the app sends, error pages included
        (a 404, a 405, the 500 of an unhandled exception); it must return a response,
        the same or another. It is skipped only when an exception propagates out of
        the app (``PROPAGATE_EXCEPTIONS``, on in testing mode). Functions run in the
        reverse order of registration, a blueprint's before the app's."""
        self.after_request_funcs[None].append(_registered(f, "after_request"))
        return f

    def teardown_request(self, f: F) -> F:
        """Run ``f(exc)`` when the request context is popped, even after an error;
        ``exc`` is the unhandled exception or None. Its return value is ignored."""
        self.teardown_request_funcs[None].append(_registered(f, "teardown_request"))
        return f

    def context_processor(self, f: F) -> F:
        """Run ``f()`` before rendering a template; the dict it returns is added to the
        template's variables."""
        self.template_context_processors[None].append(_registered(f, "context_processor"))
        return f

    # -- error handlers -------------------------------------------------------

    def errorhandler(self, code_or_exception: int | type[BaseException]) -> Callable[[F], F]:
        """Handle an HTTP status or an exception class with the decorated function.

        ``@app.errorhandler(404)`` or ``@app.errorhandler(ValueError)``. The
        handler receives the exception and returns a response like a view.
        A handler for a status that returns a body with no status keeps that
        status (Flask would send 200).
        """
        _exception_class_and_code(code_or_exception)  # a bad argument fails on this line

        def decorator(f: F) -> F:
            self.register_error_handler(code_or_exception, f)
            return f

        return decorator

    def register_error_handler(
        self, code_or_exception: int | type[BaseException], f: ErrorHandler
    ) -> None:
        """The non-decorator form of ``errorhandler``."""
        exc_class, code = _exception_class_and_code(code_or_exception)
        self.error_handler_spec[None][code][exc_class] = _registered(f, "errorhandler")


def _exception_class_and_code(
    code_or_exception: int | type[BaseException],
) -> tuple[type[Exception], int | None]:
    """``404`` -> ``(NotFound, 404)``; ``ValueError`` -> ``(ValueError, None)``.

    One of Werkzeug's classes stands for its counterpart here
    (``werkzeug.exceptions.NotFound`` -> ``(NotFound, 404)``), so a handler
    registered for it answers that status whoever raised it.

    Raises ``ValueError`` for a status code without an exception class and
    for a class that is not an ``Exception`` (the app never catches
    ``KeyboardInterrupt`` and its kin), ``TypeError`` for anything else.
    """
    if isinstance(code_or_exception, int):
        try:
            exc_class: type[BaseException] = default_exceptions[code_or_exception]
        except KeyError:
            raise ValueError(
                f"{code_or_exception} is not a status code with a known exception class. "
                "Use a subclass of HTTPException with that code instead, and register "
                "the subclass."
            ) from None
    elif isinstance(code_or_exception, type):
        exc_class = counterpart(code_or_exception)
    elif isinstance(code_or_exception, BaseException):
        raise TypeError(
            f"{type(code_or_exception).__name__}() is an instance, not a class. Register "
            f"the class: errorhandler({type(code_or_exception).__name__})."
        )
    elif callable(code_or_exception):
        raise _needs_its_argument(
            "errorhandler", "a status code or exception class", "404", code_or_exception
        )
    else:
        raise TypeError(f"{code_or_exception!r} is neither a status code nor an exception class.")
    if not issubclass(exc_class, Exception):
        raise ValueError(
            f"'{exc_class.__name__}' is not a subclass of Exception. Error handlers answer "
            "exceptions raised by a view or a hook."
        )
    if issubclass(exc_class, HTTPException) and exc_class is not HTTPException:
        return exc_class, exc_class.code
    werkzeug_exceptions = sys.modules.get("werkzeug.exceptions")
    if werkzeug_exceptions is not None and issubclass(
        exc_class, werkzeug_exceptions.HTTPException
    ):  # an app's own subclass of one of Werkzeug's: by its status, as ours are
        return exc_class, getattr(exc_class, "code", None)
    return exc_class, None


# -- checking what decorators are given ------------------------------------------
#
# A decorator that takes an argument, used bare (``@app.route`` above a def),
# receives the function as that argument and returns a decorator that is never
# called: nothing is registered, and nothing says so. Each decorator checks its
# argument instead, and the ones Flask allows both ways (``template_filter``
# and the other template decorators) accept both.


def _registered(f: T, decorator: str) -> T:
    """``f``, checked to be a function: what every registering method stores."""
    if not callable(f):
        raise TypeError(
            f"{decorator}() registers a function, and {f!r} is not callable. Use it as a "
            f"decorator above a def (@app.{decorator}), or pass the function itself."
        )
    return f


def _needs_its_argument(decorator: str, what: str, example: str, given: Any) -> TypeError:
    if callable(given):
        return TypeError(
            f"@{decorator} needs {what} in parentheses, as in @app.{decorator}({example}); "
            f"used bare above {getattr(given, '__name__', given)!r} it would register nothing."
        )
    return TypeError(
        f"{decorator}() needs {what}, as in @app.{decorator}({example}); got {given!r}."
    )


def _template_decorator(
    add: Callable[[Callable[..., Any], str | None], None], name: str | Callable[..., Any] | None
) -> Any:
    """``@x.template_filter`` and ``@x.template_filter("name")`` (and ``()``) alike.

    Used bare, the decorator receives the function itself as ``name``.
    """
    if callable(name):
        add(name, None)
        return name
    if name is not None and not isinstance(name, str):
        raise TypeError(f"A template function's name must be a string, not {name!r}.")

    def decorator(f: F) -> F:
        add(f, name)
        return f

    return decorator


def _find_root_path(import_name: str) -> str:
    """The folder of the module named ``import_name`` (or the working directory)."""
    module = sys.modules.get(import_name)
    module_file = getattr(module, "__file__", None)
    if module_file is None:
        try:
            spec = importlib.util.find_spec(import_name)
        except (ImportError, ValueError):
            spec = None
        module_file = spec.origin if spec is not None else None
    if module_file is None or module_file in ("built-in", "namespace"):
        return os.getcwd()
    return os.path.dirname(os.path.abspath(module_file))


def _package_path(import_name: str) -> str:
    """The folder on ``sys.path`` that the top-level package of ``import_name`` is found in.

    ``shop.web`` in ``/srv/site/shop/web.py`` -> ``/srv/site``. For a
    namespace package spread over several folders, the folder holding the
    named submodule. The current folder when the module cannot be found
    (``__main__``, an interactive session).
    """
    top_name = import_name.partition(".")[0]
    try:
        top_spec = importlib.util.find_spec(top_name)
    except (ImportError, ValueError):
        top_spec = None
    if top_spec is None:
        return os.getcwd()
    locations = top_spec.submodule_search_locations
    if not locations:  # a plain module: its folder
        return os.path.dirname(top_spec.origin or os.getcwd())
    if top_spec.origin not in (None, "namespace"):  # a package with __init__.py
        return os.path.dirname(os.path.dirname(top_spec.origin))
    # A namespace package: find which of its folders holds the module asked for.
    try:
        spec = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        spec = None
    chosen = locations[0]
    if spec is not None and spec.submodule_search_locations:
        inner = Path(os.path.commonpath(list(spec.submodule_search_locations)))
        chosen = next(
            (folder for folder in locations if inner.is_relative_to(folder)), locations[0]
        )
    elif spec is not None and spec.origin:
        chosen = next(
            (folder for folder in locations if Path(spec.origin).is_relative_to(folder)),
            locations[0],
        )
    return os.path.dirname(chosen)


def find_package(import_name: str) -> tuple[str | None, str]:
    """``(prefix, folder)``: the install prefix, if the package is installed, and its folder.

    The folder is the ``sys.path`` entry the package is imported from. The
    prefix is the folder holding ``lib/`` (``sys.prefix``, or a virtualenv's
    root) when the package lies in it or in a ``site-packages`` folder; it is
    None for a package imported from a project folder.
    """
    folder = _package_path(import_name)
    prefix = os.path.abspath(sys.prefix)
    if Path(folder).is_relative_to(prefix):
        return prefix, folder
    parent, name = os.path.split(folder)
    if name.lower() == "site-packages":
        grandparent, parent_name = os.path.split(parent)
        if parent_name.lower() == "lib":  # PREFIX/lib/site-packages (Windows)
            return grandparent, folder
        if os.path.basename(grandparent).lower() == "lib":  # PREFIX/lib/pythonX.Y/site-packages
            return os.path.dirname(grandparent), folder
        return parent, folder
    return None, folder
