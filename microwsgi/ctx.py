"""Application and request contexts: what ``push`` and ``pop`` mean.

Flask counterpart: ``flask/ctx.py``.

The idea to take away: a context is a plain object that is *made current* by
``push()`` (setting a ``ContextVar``, see ``globals.py``) and stops being
current at ``pop()`` (resetting the variable with the token ``set`` returned).
Contexts nest like a stack: pushing a request context also pushes an
application context when none for the same app is active, and popping it pops
that one again. ``pop`` is where the teardown functions run, always, with the
exception that ended the request (or ``None``).

``AppContext`` carries the app and ``g``; it lives as long as one request, or
as long as a ``with app.app_context():`` block in a script or a test.
``RequestContext`` carries the request and, opened lazily on first use, the
session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextvars import Token
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn

from .globals import _app_ctx_var, _request_ctx, _request_ctx_var

if TYPE_CHECKING:
    from .app import App
    from .request import Request
    from .response import Response
    from .sessions import Session

_sentinel: Any = object()


class AppGlobals:
    """The ``g`` object: a namespace for data that lives as long as the context.

    Typical use is caching a database connection for the length of a request.
    It behaves like an object (``g.user = ...``) with a few dict-like helpers.
    """

    def __getattr__(self, name: str) -> Any:
        # Only called for names never set: say where g's values come from.
        raise AttributeError(
            f"g has no attribute {name!r}: nothing set g.{name} in this context. "
            f"Set it first (e.g. in a before_request hook), or use g.get({name!r})."
        )

    if TYPE_CHECKING:  # tell type checkers that any attribute may be set on g

        def __setattr__(self, name: str, value: Any) -> None: ...

    def get(self, name: str, default: Any = None) -> Any:
        return self.__dict__.get(name, default)

    def pop(self, name: str, default: Any = _sentinel) -> Any:
        if default is _sentinel:
            return self.__dict__.pop(name)
        return self.__dict__.pop(name, default)

    def setdefault(self, name: str, default: Any = None) -> Any:
        return self.__dict__.setdefault(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self.__dict__

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __repr__(self) -> str:
        return f"<g {self.__dict__!r}>"


class AppContext:
    """Makes ``current_app`` and ``g`` available."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.g = app.app_ctx_globals_class()
        self._tokens: list[Token[AppContext]] = []

    def push(self) -> None:
        self._tokens.append(_app_ctx_var.set(self))

    def pop(self, exc: BaseException | None = None) -> None:
        """Run ``teardown_appcontext`` functions (on the outermost pop) and unbind."""
        try:
            if len(self._tokens) == 1 and self.app.teardown_appcontext_funcs:
                self.app.do_teardown_appcontext(exc)
        finally:
            current = _app_ctx_var.get(None)
            if current is not self:
                _popped_the_wrong_context(current, self)
            _app_ctx_var.reset(self._tokens.pop())

    def __enter__(self) -> AppContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc)


class RequestContext:
    """Makes ``request`` and ``session`` available, for one request."""

    def __init__(self, app: App, environ: dict[str, Any], request: Request | None = None) -> None:
        self.app = app
        self.request = request if request is not None else app.make_request(environ)
        self._session: Session | None = None
        self._after_request_functions: list[Callable[[Response], Response]] = []
        #: Flashed messages once read in this request (see ``flash.py``).
        self.flashes: list[tuple[str, str]] | None = None
        self._pushed_app_contexts: list[AppContext | None] = []
        self._tokens: list[Token[RequestContext]] = []

    @property
    def session(self) -> Session:
        """The session, loaded from the request's cookie the first time it is used.

        Loading lazily keeps requests that never touch ``session`` from paying
        for a signature check.
        """
        if self._session is None:
            interface = self.app.session_interface
            self._session = interface.open_session(self.app, self.request)
            if self._session is None:
                self._session = interface.make_null_session(self.app)
        return self._session

    @property
    def session_opened(self) -> bool:
        return self._session is not None

    def push(self) -> None:
        app_ctx = _app_ctx_var.get(None)
        if app_ctx is None or app_ctx.app is not self.app:
            app_ctx = self.app.app_context()
            app_ctx.push()
            self._pushed_app_contexts.append(app_ctx)
        else:
            self._pushed_app_contexts.append(None)
        self._tokens.append(_request_ctx_var.set(self))

    def pop(self, exc: BaseException | None = None) -> None:
        """Run ``teardown_request`` functions, close the request, unbind both contexts."""
        app_ctx = self._pushed_app_contexts.pop()
        try:
            if not self._tokens[1:]:
                self.app.do_teardown_request(exc)
                self.request.close()
        finally:
            current = _request_ctx_var.get(None)
            if current is not self:
                _popped_the_wrong_context(current, self)
            _request_ctx_var.reset(self._tokens.pop())
            if app_ctx is not None:
                app_ctx.pop(exc)

    def __enter__(self) -> RequestContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc)


def _popped_the_wrong_context(current: object, popping: object) -> NoReturn:
    raise AssertionError(
        f"Popped the wrong context ({popping!r} while {current!r} is current). "
        "Contexts must be popped in the reverse order they were pushed."
    )


def after_this_request(f: Callable[[Response], Response]) -> Callable[[Response], Response]:
    """Run ``f(response)`` after this request only; it must return a response.

    Useful inside a view to change the response it has not built yet, e.g. to
    set a cookie.
    """
    _request_ctx()._after_request_functions.append(f)
    return f


def has_request_context() -> bool:
    """True inside a request (or a ``test_request_context``)."""
    return _request_ctx_var.get(None) is not None


def has_app_context() -> bool:
    """True inside an application context."""
    return _app_ctx_var.get(None) is not None
