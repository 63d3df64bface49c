"""The development server: Werkzeug's ``run_simple``, started the safe way.

Flask counterpart: ``Flask.run`` and ``flask run``.

The idea to take away: serving HTTP is not the framework's job. In
development a small threaded server is enough (Werkzeug's, which can also
restart itself when a source file changes); in production a real server such
as uWSGI or gunicorn imports the app and calls it. Both only ever call
``app(environ, start_response)``.

Werkzeug's interactive debugger is never switched on: it lets anyone who can
reach the page run Python code on the server.
"""

from __future__ import annotations

import sys
from typing import Any

_BANNER = """\
 * Serving microwsgi app {name!r} (debug: {debug})
 * This is a development server. Do not use it in production: run the app under
   uWSGI or gunicorn instead (see docs/deploy.md).
 * Listening on http://{host}:{port}/ (press CTRL+C to quit)"""


def run_development_server(app: Any, host: str, port: int, **options: Any) -> None:
    """Serve ``app`` on ``host:port`` until interrupted; reload on code changes in debug."""
    from werkzeug.serving import is_running_from_reloader, run_simple

    options.setdefault("use_reloader", app.debug)
    options.setdefault("threaded", True)
    options["use_debugger"] = False
    if not is_running_from_reloader():
        shown_host = f"[{host}]" if ":" in host else host
        print(
            _BANNER.format(name=app.name, debug=app.debug, host=shown_host, port=port),
            file=sys.stderr,
        )
    run_simple(host, port, app, **options)
