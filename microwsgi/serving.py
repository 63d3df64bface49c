"""The development server: Werkzeug's ``run_simple``, started the safe way.

Flask counterpart: ``Flask.run`` and the server half of ``flask run``.

The idea to take away: serving HTTP is not the framework's job. In
development a small threaded server is enough (Werkzeug's, which logs a line
per request and can restart itself when a source file changes); in
production a real server such as uWSGI or gunicorn imports the app and calls
it (see docs/deploy.md). Both only ever call ``app(environ, start_response)``.

How the reloader works: the process you start becomes a watcher that starts
a copy of itself (same command line) to serve, and starts a new copy whenever
a ``.py`` file it imported changes. So the app module is imported again in
each copy, and code at module level runs once per restart.

Werkzeug's interactive debugger is never switched on: it lets anyone who can
reach the error page run Python code on the server. Asking for it
(``app.run(use_debugger=True)``, ``microwsgi run --debugger``) is accepted, so
that Flask code runs, with a warning; debug mode's own error page shows the
traceback without a console (see ``debug.py``).
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

#: Set while a ``microwsgi`` command runs, so that an ``app.run()`` in the imported
#: module (outside ``if __name__ == "__main__":``) neither starts a second server
#: under ``microwsgi run`` nor blocks ``microwsgi routes`` or an app's own command.
RUN_FROM_CLI_ENV = "MICROWSGI_RUN_FROM_CLI"

_BANNER = """\
 * Serving microwsgi app {name!r} (debug mode: {debug}, reloader: {reloader})
 * In production, serve it with uWSGI or gunicorn instead (see docs/deploy.md)."""

_NO_INTERACTIVE_DEBUGGER = (
    "use_debugger=True is ignored: microwsgi never starts Werkzeug's interactive "
    "debugger, which lets anyone who reaches an error page run code on this machine. "
    "In debug mode the error page shows the traceback without it."
)


def cli_is_running() -> bool:
    """Whether a ``microwsgi`` command loaded this app (so ``app.run()`` must stand aside)."""
    return os.environ.get(RUN_FROM_CLI_ENV) == "true"


def run_development_server(
    app: Any,
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    use_reloader: bool | None = None,
    use_debugger: bool | None = None,
    threaded: bool = True,
    from_cli: bool = False,
    **options: Any,
) -> None:
    """Serve ``app`` on ``host:port`` until interrupted.

    ``host`` ``127.0.0.1`` accepts connections from this machine only; use
    ``0.0.0.0`` to let other machines on the network connect. The reloader is
    on when ``app.debug`` is, unless ``use_reloader`` says otherwise.
    ``use_debugger=True`` is accepted, with a warning, and ignored: see the
    module's docstring. Other ``options`` go to ``werkzeug.serving.run_simple``
    (``ssl_context``, ``extra_files``, ``exclude_patterns``, ...). ``from_cli``
    is for ``microwsgi run``; while a ``microwsgi`` command runs, a call from
    ``app.run()`` returns at once.
    """
    from werkzeug.serving import is_running_from_reloader, run_simple

    if cli_is_running() and not from_cli:
        if not is_running_from_reloader():
            print(
                " * Ignoring app.run(): a 'microwsgi' command loaded this app, and app.run() "
                "would start a server and block it. Put app.run() under "
                "'if __name__ == \"__main__\":' so it runs only for 'python yourfile.py'.",
                file=sys.stderr,
            )
        return

    debug = bool(getattr(app, "debug", False))
    if use_reloader is None:
        use_reloader = debug
    if use_debugger:
        warnings.warn(_NO_INTERACTIVE_DEBUGGER, stacklevel=3)
    if not is_running_from_reloader():
        print(
            _BANNER.format(
                name=getattr(app, "name", app),
                debug="on" if debug else "off",
                reloader="on" if use_reloader else "off",
            ),
            file=sys.stderr,
        )
    run_simple(host, port, app, use_reloader=use_reloader, threaded=threaded, **options)
