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
reach the error page run Python code on the server.
"""

from __future__ import annotations

import os
import sys
from typing import Any

#: Set by ``microwsgi run`` while it serves, so an ``app.run()`` in the imported module
#: (outside ``if __name__ == "__main__":``) does not start a second server.
RUN_FROM_CLI_ENV = "MICROWSGI_RUN_FROM_CLI"

_BANNER = """\
 * Serving microwsgi app {name!r} (debug mode: {debug}, reloader: {reloader})
 * In production, serve it with uWSGI or gunicorn instead (see docs/deploy.md)."""


def run_development_server(
    app: Any,
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    use_reloader: bool | None = None,
    threaded: bool = True,
    from_cli: bool = False,
    **options: Any,
) -> None:
    """Serve ``app`` on ``host:port`` until interrupted.

    ``host`` ``127.0.0.1`` accepts connections from this machine only; use
    ``0.0.0.0`` to let other machines on the network connect. The reloader is
    on when ``app.debug`` is, unless ``use_reloader`` says otherwise. Other
    ``options`` go to ``werkzeug.serving.run_simple`` (``ssl_context``,
    ``extra_files``, ...). ``from_cli`` is for ``microwsgi run``; when that
    command is serving, a call from ``app.run()`` returns at once.
    """
    from werkzeug.serving import is_running_from_reloader, run_simple

    if os.environ.get(RUN_FROM_CLI_ENV) == "true" and not from_cli:
        if not is_running_from_reloader():
            print(
                " * Ignoring app.run(): 'microwsgi run' is already serving this app. Put "
                "app.run() under 'if __name__ == \"__main__\":' so it runs only for "
                "'python yourfile.py'.",
                file=sys.stderr,
            )
        return

    debug = bool(getattr(app, "debug", False))
    if use_reloader is None:
        use_reloader = debug
    if "use_debugger" in options:
        raise TypeError(
            "run_development_server() does not accept use_debugger: Werkzeug's interactive "
            "debugger lets anyone who reaches an error page run code on this machine. "
            "Debug mode shows tracebacks without it."
        )
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
