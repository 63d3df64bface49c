"""``app.logger``: where unhandled exceptions and your own messages are written.

Flask counterpart: ``flask/logging.py`` (the same names: ``wsgi_errors_stream``,
``has_level_handler``, ``default_handler``, ``create_logger``).

The idea to take away: a framework should log through the standard
``logging`` module and configure as little as possible. ``app.logger`` is
``logging.getLogger(app.name)``; the one thing added is a handler, and only
when nothing would otherwise print the app's errors (logging not configured
at all). That handler writes to ``wsgi_errors_stream``: during a request the
server's own error stream (``environ["wsgi.errors"]``, PEP 3333, which uWSGI
and gunicorn send to their log), elsewhere ``sys.stderr``. Once you configure
logging yourself (``logging.basicConfig``, ``dictConfig``, a handler on the
root logger), the default handler is not added: your configuration decides.
To remove it from a logger that already has it::

    from microwsgi.logging import default_handler
    app.logger.removeHandler(default_handler)
"""

from __future__ import annotations

import logging
import sys
from typing import IO, TYPE_CHECKING, cast

from .globals import LocalProxy, _request_ctx_or_none

if TYPE_CHECKING:
    from .app import App


def _wsgi_errors() -> IO[str]:
    ctx = _request_ctx_or_none()
    if ctx is not None:
        stream = ctx.request.environ.get("wsgi.errors")
        if stream is not None:
            return cast("IO[str]", stream)
    return sys.stderr


#: The error stream of the request being handled, else ``sys.stderr``; looked up
#: on each write, so one handler serves every request and thread.
wsgi_errors_stream: IO[str] = cast("IO[str]", LocalProxy(_wsgi_errors))


def has_level_handler(logger: logging.Logger) -> bool:
    """Whether a record at ``logger``'s effective level would reach some handler.

    Walks up the logger's parents as ``logging`` does (stopping where
    ``propagate`` is False) and looks for a handler whose level lets such a
    record through.
    """
    level = logger.getEffectiveLevel()
    current: logging.Logger | None = logger
    while current is not None:
        if any(handler.level <= level for handler in current.handlers):
            return True
        if not current.propagate:
            break
        current = current.parent
    return False


#: The handler ``app.logger`` gets when logging is not configured: it writes
#: ``[time] LEVEL in module: message`` to ``wsgi_errors_stream``.
default_handler = logging.StreamHandler(wsgi_errors_stream)
default_handler.setFormatter(
    logging.Formatter("[%(asctime)s] %(levelname)s in %(module)s: %(message)s")
)


def create_logger(app: App) -> logging.Logger:
    """The logger named after the app, with ``default_handler`` if nothing would print.

    In debug mode a logger with no level of its own is set to ``DEBUG``, so
    ``app.logger.debug(...)`` shows while developing.
    """
    logger = logging.getLogger(app.name)
    if app.debug and not logger.level:
        logger.setLevel(logging.DEBUG)
    if not has_level_handler(logger):
        logger.addHandler(default_handler)
    return logger
