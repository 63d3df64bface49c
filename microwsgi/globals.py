"""The context-local names: ``current_app``, ``g``, ``request`` and ``session``.

Flask counterpart: ``flask/globals.py`` (with Werkzeug's ``LocalProxy``).

The idea to take away: ``request`` is not a global variable holding a
request. It is a small *proxy* object that, each time you touch it, asks a
``contextvars.ContextVar`` which request context is active *here* (in this
thread, or this greenlet, or this asyncio task) and forwards the operation to
that context's request. Two threads serving two requests see two different
requests through the very same ``request`` name.

One variable holds the current context (see ``ctx.py``): an application
context gives ``current_app`` and its per-context scratch space ``g``; a
request context, which is an application context too, adds the ``request``
being handled and its ``session``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from .app import App
    from .ctx import AppContext, AppGlobals, RequestContext
    from .request import Request
    from .sessions import Session

_context_var: ContextVar[AppContext] = ContextVar("microwsgi.context")

_NO_APP_CONTEXT = """\
Working outside of an application context.

This code needs to know which application is running (it used current_app or g,
or called something that does, such as url_for or render_template). Inside a view
that is set up for you. Elsewhere, push a context yourself:

    with app.app_context():
        ...
"""

_NO_REQUEST_CONTEXT = """\
Working outside of a request context.

This code used request or session, which exist only while a request is being
handled. In a view that is automatic. In a test or a script, build a request:

    with app.test_request_context("/path", method="POST"):
        ...

or send one through the test client (app.test_client().get("/path")).
"""


def _app_ctx() -> AppContext:
    try:
        return _context_var.get()
    except LookupError:
        raise RuntimeError(_NO_APP_CONTEXT) from None


def _request_ctx_or_none() -> RequestContext | None:
    """The current request context, or ``None`` outside a request."""
    ctx = _context_var.get(None)
    # None, or an application context without a request, has no "request".
    return ctx if hasattr(ctx, "request") else None  # type: ignore[return-value]


def _request_ctx() -> RequestContext:
    ctx = _request_ctx_or_none()
    if ctx is None:
        raise RuntimeError(_NO_REQUEST_CONTEXT)
    return ctx


class LocalProxy:
    """Forwards every operation to the object ``get_object()`` returns right now.

    Only what the names below need is forwarded: attributes, items, ``in``,
    iteration, ``len``, ``bool``, equality, calls and ``with`` (so that
    ``with app_ctx:`` pushes the current context again). ``bool(request)`` is
    False outside a request instead of raising, so ``if request:`` works as a
    test for "am I in a request?". The name is Werkzeug's, whose ``LocalProxy``
    Flask's globals are.
    """

    __slots__ = ("_get_object",)

    def __init__(self, get_object: Callable[[], Any]) -> None:
        object.__setattr__(self, "_get_object", get_object)

    def _get_current_object(self) -> Any:
        """The real object behind the proxy (to pass to code that checks types)."""
        return _get_object_of(self)()

    def __getattribute__(self, name: str) -> Any:
        # Every attribute is forwarded, so this replaces the normal lookup rather
        # than being its fallback (__getattr__): that would first fail the normal
        # lookup, raising and catching an AttributeError on every `request.x`,
        # which made each access three times slower. (It also forwards
        # __class__, so isinstance(request, Request) is true, as with Werkzeug's
        # LocalProxy.)
        if name == "_get_current_object":
            return object.__getattribute__(self, name)
        try:
            target = _get_object_of(self)()
        except RuntimeError:
            if name.startswith("__"):
                # Outside a context, introspection (isinstance, pytest's and
                # doctest's scans of a module's names) sees the proxy itself.
                return object.__getattribute__(self, name)
            raise
        return getattr(target, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(_get_object_of(self)(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(_get_object_of(self)(), name)

    def __getitem__(self, key: Any) -> Any:
        return _get_object_of(self)()[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        _get_object_of(self)()[key] = value

    def __delitem__(self, key: Any) -> None:
        del _get_object_of(self)()[key]

    def __contains__(self, key: Any) -> bool:
        return key in _get_object_of(self)()

    def __iter__(self) -> Iterator[Any]:
        return iter(_get_object_of(self)())

    def __len__(self) -> int:
        return len(_get_object_of(self)())

    def __bool__(self) -> bool:
        try:
            return bool(_get_object_of(self)())
        except RuntimeError:
            return False

    def __eq__(self, other: object) -> bool:
        return bool(_get_object_of(self)() == other)

    def __hash__(self) -> int:
        return hash(_get_object_of(self)())

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _get_object_of(self)()(*args, **kwargs)

    def __enter__(self) -> Any:
        return _get_object_of(self)().__enter__()

    def __exit__(self, *exc_info: Any) -> Any:
        return _get_object_of(self)().__exit__(*exc_info)

    def __repr__(self) -> str:
        try:
            return repr(_get_object_of(self)())
        except RuntimeError:
            return f"<{type(self).__name__} unbound>"


# Reads a proxy's own slot without going through its __getattribute__.
_get_object_of = LocalProxy._get_object.__get__  # type: ignore[attr-defined]


def _current_app() -> App:
    return _app_ctx().app


def _current_g() -> AppGlobals:
    return _app_ctx().g


# The proxies' lookups read the variable directly, as every use of a proxy pays for them.


def _current_request() -> Request:
    try:
        return _context_var.get().request  # type: ignore[attr-defined,no-any-return]
    except (LookupError, AttributeError):  # no context, or one without a request
        raise RuntimeError(_NO_REQUEST_CONTEXT) from None


def _current_session() -> Session:
    return _request_ctx().session


current_app: App = cast("App", LocalProxy(_current_app))
g: AppGlobals = cast("AppGlobals", LocalProxy(_current_g))
request: Request = cast("Request", LocalProxy(_current_request))
session: Session = cast("Session", LocalProxy(_current_session))

# The contexts themselves, under Flask's names, for code that needs more than the
# four names above (an extension that stores state on the context, a test that
# checks no context is left pushed: ``assert not request_ctx``).
app_ctx: AppContext = cast("AppContext", LocalProxy(_app_ctx))
request_ctx: RequestContext = cast("RequestContext", LocalProxy(_request_ctx))


class _ContextVarView:
    """Flask 3.1's ``_cv_app`` and ``_cv_request``: its two context variables,
    read from the one variable here, for code written against them (tests that
    check which context is current). Read-only: push a context to change it.
    """

    def __init__(self, name: str, read: Callable[[], AppContext | None]) -> None:
        self.name = name
        self._read = read

    def get(self, *default: Any) -> Any:
        """The current context, else ``default``; ``LookupError`` without a default."""
        ctx = self._read()
        if ctx is not None:
            return ctx
        if default:
            return default[0]
        raise LookupError(self.name)

    def __repr__(self) -> str:
        return f"<ContextVar view {self.name!r}>"


_cv_app = _ContextVarView("flask.app_ctx", lambda: _context_var.get(None))
_cv_request = _ContextVarView("flask.request_ctx", _request_ctx_or_none)
