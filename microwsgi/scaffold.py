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
from typing import Any, TypeVar

from .exceptions import HTTPException, default_exceptions

F = TypeVar("F", bound=Callable[..., Any])
#: A blueprint name such as "admin" or "admin.users", or None for the app itself.
Scope = str | None
ErrorHandler = Callable[[Any], Any]


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

    # -- routes -------------------------------------------------------------

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Callable[..., Any] | None = None,
        provide_automatic_options: bool | None = None,
        **options: Any,
    ) -> None:
        raise NotImplementedError

    def route(self, rule: str, **options: Any) -> Callable[[F], F]:
        """Register the decorated function for the URL ``rule``.

        ``@app.route("/user/<int:user_id>", methods=["GET", "POST"])``. The
        endpoint (the name ``url_for`` uses) is the function's name unless
        ``endpoint=`` is given.
        """

        def decorator(view_func: F) -> F:
            endpoint = options.pop("endpoint", None)
            self.add_url_rule(rule, endpoint, view_func, **options)
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
        return self.route(rule, methods=[method], **options)

    def endpoint(self, endpoint: str) -> Callable[[F], F]:
        """Attach a view to an endpoint registered earlier with ``add_url_rule`` and no view."""

        def decorator(view_func: F) -> F:
            self.view_functions[endpoint] = view_func
            return view_func

        return decorator

    # -- request hooks --------------------------------------------------------

    def before_request(self, f: F) -> F:
        """Run ``f()`` before each request. If it returns a value, that is the response
        and the view is not called (useful for login checks)."""
        self.before_request_funcs[None].append(f)
        return f

    def after_request(self, f: F) -> F:
        """Run ``f(response)`` after each successful request; it must return a response.
        Functions run in the reverse order of registration."""
        self.after_request_funcs[None].append(f)
        return f

    def teardown_request(self, f: F) -> F:
        """Run ``f(exc)`` when the request context is popped, even after an error;
        ``exc`` is the unhandled exception or None. Its return value is ignored."""
        self.teardown_request_funcs[None].append(f)
        return f

    def context_processor(self, f: F) -> F:
        """Run ``f()`` before rendering a template; the dict it returns is added to the
        template's variables."""
        self.template_context_processors[None].append(f)
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
        self.error_handler_spec[None][code][exc_class] = f


def _exception_class_and_code(
    code_or_exception: int | type[BaseException],
) -> tuple[type[BaseException], int | None]:
    """``404`` -> ``(NotFound, 404)``; ``ValueError`` -> ``(ValueError, None)``."""
    if isinstance(code_or_exception, int):
        try:
            exc_class: type[BaseException] = default_exceptions[code_or_exception]
        except KeyError:
            raise ValueError(
                f"{code_or_exception} is not a status code with a known exception class. "
                "Subclass HTTPException with that code and register the subclass instead."
            ) from None
    elif isinstance(code_or_exception, type) and issubclass(code_or_exception, BaseException):
        exc_class = code_or_exception
    else:
        raise TypeError(f"{code_or_exception!r} is neither a status code nor an exception class.")
    if issubclass(exc_class, HTTPException) and exc_class is not HTTPException:
        return exc_class, exc_class.code
    return exc_class, None


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
