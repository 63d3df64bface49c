"""Small functions views call (``make_response``, ``url_for``, ``stream_with_context``),
and the debug switch.

Flask counterpart: ``flask/helpers.py``.

The idea to take away: most of these are thin wrappers that find the running
app through ``current_app`` and call its method. They exist so that a view
can say ``url_for("index")`` without having the ``app`` object at hand (a
blueprint in another module never imports the app).

``stream_with_context`` is the exception, and worth reading: a streamed body
is produced *after* the view has returned, when the request's context is no
longer current. It keeps that context for the stream (see its docstring).
"""

from __future__ import annotations

import contextvars
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, overload

from .globals import _context_var, current_app
from .response import Response

if TYPE_CHECKING:
    from .ctx import AppContext


def make_response(*args: Any) -> Response:
    """Build the response a view's return value would become, to change it before returning.

    ``make_response("Not here", HTTPStatus.NOT_FOUND)`` takes the same forms
    a view may return: ``(body)``, ``(body, status)``, ``(body, headers)`` or
    ``(body, status, headers)``. With no arguments, an empty 200 response.
    """
    if not args:
        return current_app.response_class()
    return current_app.make_response(args[0] if len(args) == 1 else args)


def url_for(
    endpoint: str,
    /,
    *,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    _external: bool | None = None,
    **values: Any,
) -> str:
    """The URL for ``endpoint`` with ``values``; see ``App.url_for``."""
    return current_app.url_for(
        endpoint,
        _anchor=_anchor,
        _method=_method,
        _scheme=_scheme,
        _external=_external,
        **values,
    )


#: Values of a yes/no environment variable that mean "no" (compared in lower case).
_FALSE_WORDS = frozenset(("0", "false", "no", "off"))


def _environ_flag(*names: str) -> bool | None:
    """The first of ``names`` set to a non-empty value, read as yes/no; None if none is set."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value.strip().lower() not in _FALSE_WORDS
    return None


def get_debug_flag() -> bool:
    """Whether the environment asks for debug mode: ``MICROWSGI_DEBUG``, else ``FLASK_DEBUG``.

    Empty or unset is False; ``0``, ``false``, ``no`` and ``off`` (any case)
    are False; any other value is True. The ``microwsgi`` command and
    ``app.run()`` read it; an app served by uWSGI or gunicorn does not.
    """
    return bool(_environ_flag("MICROWSGI_DEBUG", "FLASK_DEBUG"))


def get_load_dotenv(default: bool = True) -> bool:
    """Whether to read ``.env``-style files: False when ``MICROWSGI_SKIP_DOTENV`` (else
    ``FLASK_SKIP_DOTENV``) is set to a true value, ``default`` when neither is set."""
    skip = _environ_flag("MICROWSGI_SKIP_DOTENV", "FLASK_SKIP_DOTENV")
    return default if skip is None else not skip


@overload
def stream_with_context(generator_or_function: Iterable[Any]) -> Iterator[Any]: ...


@overload
def stream_with_context(
    generator_or_function: Callable[..., Iterable[Any]],
) -> Callable[..., Iterator[Any]]: ...


def stream_with_context(
    generator_or_function: Iterable[Any] | Callable[..., Iterable[Any]],
) -> Iterator[Any] | Callable[..., Iterator[Any]]:
    """Keep the current context while a streamed response body is produced.

    ``return Response(stream_with_context(rows()))``, or as a decorator on the
    generator function. Without it, a generator that reads ``request``,
    ``session`` or ``g`` fails: the server pulls the pieces after the view has
    returned and the context was popped.

    Each piece is produced inside a copy of the contextvars taken now (so the
    stream works whichever thread the server iterates it in), and the
    context's teardown functions wait until the stream has ended or was
    closed, so a database connection closed there stays open while the
    stream needs it. An exception raised by the stream is passed to them.

    Raises ``RuntimeError`` outside an application or request context.
    """
    try:
        pieces = iter(generator_or_function)  # type: ignore[arg-type]
    except TypeError:  # a generator function, used as a decorator
        function = generator_or_function

        @functools.wraps(function)  # type: ignore[arg-type]
        def streamed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            return stream_with_context(function(*args, **kwargs))  # type: ignore[operator]

        return streamed

    ctx = _context_var.get(None)
    if ctx is None:
        raise RuntimeError(
            "stream_with_context() needs the context it should keep, and none is active. "
            "Call it inside a view (or a 'with app.test_request_context():' block), where "
            "the request is current, and return the stream as the response body."
        )
    stream = _pieces_in_context(ctx, contextvars.copy_context(), pieces)
    next(stream)  # run it up to its first 'yield', so that closing it always tears down
    return stream


def _pieces_in_context(
    ctx: AppContext, saved: contextvars.Context, pieces: Iterator[Any]
) -> Iterator[Any]:
    ctx._stream_started()
    error: BaseException | None = None
    try:
        yield None  # the priming step taken by stream_with_context
        while True:
            try:
                piece = saved.run(next, pieces)
            except StopIteration:
                return
            yield piece
    except Exception as exc:
        error = exc
        raise
    finally:
        try:
            close = getattr(pieces, "close", None)  # stop the generator if the client left
            if close is not None:
                saved.run(close)
        finally:
            saved.run(ctx._stream_ended, error)
