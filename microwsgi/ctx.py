"""Application and request contexts: what ``push`` and ``pop`` mean.

Flask counterpart: ``flask/ctx.py``, as simplified in Flask 3.2, where the
two contexts were merged into one.

The idea to take away: a context is a plain object that is *made current* by
``push()`` (setting a ``ContextVar``, see ``globals.py``) and stops being
current at ``pop()`` (resetting the variable with the token ``set`` returned,
which brings back whatever was current before). ``pop`` is where the teardown
functions run, always, with the exception that ended the work (or ``None``).

There is one kind of context with two flavours:

* ``AppContext`` carries the app and ``g``. ``with app.app_context():``
  pushes one for a script, a CLI command or a test;
* ``RequestContext`` is an application context that also carries a request
  and, opened lazily on first use, the session. The app pushes one for every
  request, so each request has its own ``g``, even inside an outer
  ``with app.app_context():`` (as in Flask 3.2; before it, a request reused
  an active app context and its ``g``).

One variable and one object per request: pushing a request is one
``ContextVar.set``, which is part of why a request costs little.

Pushing sends the ``appcontext_pushed`` signal, popping sends
``appcontext_popped`` (both only once something listens: see ``signals.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextvars import Token
from types import CoroutineType, ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, NoReturn

from .globals import _context_var, _request_ctx, _request_ctx_or_none

if TYPE_CHECKING:
    from .app import App
    from .request import Request
    from .response import Response
    from .sessions import Session

_sentinel: Any = object()

# microwsgi.signals, once something imported it (it sets this): see signals.py.
_signals: ModuleType | None = None


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
        """``g.name``, or ``default`` when nothing was stored under ``name``."""
        return self.__dict__.get(name, default)

    def pop(self, name: str, default: Any = _sentinel) -> Any:
        """Remove ``g.name`` and return it; ``default`` when absent, else ``KeyError``."""
        if default is _sentinel:
            return self.__dict__.pop(name)
        return self.__dict__.pop(name, default)

    def setdefault(self, name: str, default: Any = None) -> Any:
        """``g.name``, after storing ``default`` there if nothing was."""
        return self.__dict__.setdefault(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self.__dict__

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __repr__(self) -> str:
        return f"<g {self.__dict__!r}>"


class AppContext:
    """Makes ``current_app`` and ``g`` available."""

    _g: AppGlobals | None = None
    # Streamed bodies made by stream_with_context (helpers.py) that are not finished,
    # and the teardown their context's pop left to them (see _stream_started).
    _open_streams = 0
    _deferred_teardown: tuple[BaseException | None] | None = None

    def __init__(self, app: App) -> None:
        self.app = app
        # One token per push: the same context may be pushed again while active.
        self._tokens: list[Token[AppContext]] = []

    @property
    def g(self) -> AppGlobals:
        """This context's ``g``, created when first used (most requests never use it)."""
        if self._g is None:
            self._g = self.app.app_ctx_globals_class()
        return self._g

    @g.setter
    def g(self, value: AppGlobals) -> None:
        self._g = value

    def push(self) -> None:
        """Make this context current (``request``, ``g``, ``current_app`` now reach it);
        a context can be pushed again while current, and each ``push`` needs its ``pop``.
        """
        self._tokens.append(_context_var.set(self))
        if _signals is not None and _signals.appcontext_pushed.receivers:
            _signals.appcontext_pushed.send(self.app, _async_wrapper=self.app.ensure_sync)

    def pop(self, exc: BaseException | None = None) -> None:
        """Run the teardown functions (on the outermost pop) and unbind."""
        current = _context_var.get(None)
        if current is not self:  # refused before anything is undone
            _popped_the_wrong_context(current, self)
        token = self._tokens.pop()
        try:
            if not self._tokens:
                self._teardown(exc)
        finally:
            _context_var.reset(token)
        if _signals is not None and _signals.appcontext_popped.receivers:
            # Sent after the response, as the teardown is: a failing receiver is
            # logged like a failing teardown function, never raised out of the app.
            popped = _signals.appcontext_popped
            self.app._run_teardown(
                lambda exc: popped.send(self.app, _async_wrapper=self.app.ensure_sync),
                None,
                "An appcontext_popped receiver failed",
            )

    def _teardown(self, exc: BaseException | None) -> None:
        if self.app.teardown_appcontext_funcs or _signals is not None:
            self.app.do_teardown_appcontext(exc)

    # -- streamed bodies (stream_with_context, in helpers.py) ----------------------
    #
    # While a stream made in this context is not finished, the teardown must wait
    # for it. Rather than have every pop() ask "is a stream open?", the first stream
    # hides the teardown method behind an instance attribute that only records the
    # error; the last stream to end removes it and runs the real teardown. A context
    # without streams pays nothing.

    def _stream_started(self) -> None:
        self._open_streams += 1
        if self._open_streams == 1:
            self._teardown = self._defer_teardown  # type: ignore[method-assign]

    def _defer_teardown(self, exc: BaseException | None) -> None:
        self._deferred_teardown = (exc,)

    def _stream_ended(self, error: BaseException | None) -> None:
        self._open_streams -= 1
        if self._open_streams:
            return
        del self._teardown  # the class's method again
        deferred = self._deferred_teardown
        if deferred is not None:  # the context was popped while the stream was sent
            self._deferred_teardown = None
            self._teardown(error or deferred[0])

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


class RequestContext(AppContext):
    """An application context that also makes ``request`` and ``session`` available."""

    # What most requests never use is a class attribute, so that creating a
    # context per request does not pay for it: the first write makes it the
    # instance's own (``after_this_request`` and ``flash.py`` do that).
    _opened_session: Session | None = None
    _after_request_functions: list[Callable[[Response], Response]] | None = None
    # The after-request steps not run yet, once ``App.process_response`` has started:
    # kept here so that no step runs twice when the response is rebuilt after an error.
    _response_steps: list[Callable[[Response], Response]] | None = None
    #: Flashed messages once read in this request (see ``flash.py``).
    flashes: list[tuple[str, str]] | None = None

    def __init__(self, app: App, environ: dict[str, Any], request: Request | None = None) -> None:
        # AppContext.__init__'s two lines, written out: this runs once per request.
        self.app = app
        self._tokens = []
        self.request = request if request is not None else app.request_class(environ)

    def match_request(self) -> None:
        """Match the request's URL against the app's rules now (``request.url_rule``,
        ``view_args``, ``endpoint``; a routing error is kept in
        ``request.routing_exception``). The app does this for every request
        before its ``before_request`` hooks; call it to know the endpoint
        earlier, in a session interface say."""
        self.app._match_request(self.request)

    @property
    def session(self) -> Session:
        """The session, loaded from the request's cookie the first time it is used.

        Loading lazily keeps requests that never touch ``session`` from paying
        for a signature check. Using it sets ``session.accessed``: the
        response then depends on the cookie, and says so with ``Vary: Cookie``.
        """
        session = self._opened_session
        if session is None:
            session = self._open_session()
        session.accessed = True
        return session

    def _open_session(self) -> Session:
        """Open the session (once) without counting it as used by the view."""
        if self._opened_session is None:
            interface = self.app.session_interface
            session = interface.open_session(self.app, self.request)
            if session is None:
                session = interface.make_null_session(self.app)
            self._opened_session = session
        return self._opened_session

    @property
    def _session(self) -> Session:
        """Flask's name for the session object, for code written against Flask's
        context (it opens the session if needed, without marking it used)."""
        return self._open_session()

    def _teardown(self, exc: BaseException | None) -> None:
        """``teardown_request`` functions and closing the request, then the app's teardown."""
        app = self.app
        try:
            if app.teardown_request_funcs or _signals is not None:
                app.do_teardown_request(exc)
            self.request.close()
        finally:
            if app.teardown_appcontext_funcs or _signals is not None:
                app.do_teardown_appcontext(exc)

    def copy(self) -> RequestContext:
        """A context for the same request, to push in another thread or greenlet.

        It shares the request object and the session, and has its own ``g``.
        Popping it runs the teardown functions for it but does not close the
        request, which belongs to the original context.
        """
        return _RequestContextCopy(
            self.app, self.request.environ, self.request, self._open_session()
        )

    def __enter__(self) -> RequestContext:
        self.push()
        return self


class _RequestContextCopy(RequestContext):
    """What ``RequestContext.copy`` returns: the same request, not closed at the end."""

    def __init__(self, app: App, environ: dict[str, Any], request: Request, session: Session):
        super().__init__(app, environ, request)
        self._opened_session = session

    def _teardown(self, exc: BaseException | None) -> None:
        app = self.app
        try:
            if app.teardown_request_funcs or _signals is not None:
                app.do_teardown_request(exc)
        finally:
            if app.teardown_appcontext_funcs or _signals is not None:
                app.do_teardown_appcontext(exc)


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
    ctx = _request_ctx()
    if ctx._after_request_functions is None:
        ctx._after_request_functions = []
    ctx._after_request_functions.append(f)
    return f


def copy_current_request_context(f: Callable[..., Any]) -> Callable[..., Any]:
    """Let ``f`` run with the current request's context, later or in another thread.

    Decorate a function inside a view; calling it pushes a copy of the
    request context (``RequestContext.copy``) for the length of the call, so
    ``request`` and ``session`` work in a thread the view started::

        @copy_current_request_context
        def send_receipt():
            mail(to=session["email"], path=request.path)

        threading.Thread(target=send_receipt).start()

    An ``async def`` function is run to its end (see ``app.py``).
    Raises ``RuntimeError`` outside a request.
    """
    ctx = _request_ctx_or_none()
    if ctx is None:
        raise RuntimeError(
            "copy_current_request_context() needs a request to copy, and none is active. "
            "Use it inside a view function (or a 'with app.test_request_context():' block)."
        )
    copied = ctx.copy()

    @functools.wraps(f)
    def with_copied_context(*args: Any, **kwargs: Any) -> Any:
        with copied:
            rv = f(*args, **kwargs)
            if type(rv) is CoroutineType:
                rv = copied.app._run_coroutine(rv)
            return rv

    return with_copied_context


def has_request_context() -> bool:
    """True inside a request (or a ``test_request_context``)."""
    return isinstance(_context_var.get(None), RequestContext)


def has_app_context() -> bool:
    """True inside an application context (which every request context is)."""
    return _context_var.get(None) is not None
