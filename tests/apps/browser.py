"""What the browser tests share: Debian's Chromium driven by Playwright, and a server in a thread.

The browser is the system's Chromium (``apt-get install chromium``; ``scripts/test``
installs it), never one downloaded by Playwright. The flags keep it headless, quiet
and off the network: no background requests, component updates or sync, so that a
test which checks "the page asked no other host for anything" sees only the page's
own requests.

Importing this module skips the importing test module when Chromium or Playwright is
missing. ``serve`` runs a WSGI app with Werkzeug's development server on a free
loopback port, in a thread, for as long as the ``with`` block lasts.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Milliseconds Playwright waits for any one step before failing.
STEP_TIMEOUT_MS = 15_000

if not os.path.exists(CHROMIUM):
    pytest.skip(
        f"{CHROMIUM} is missing: install Chromium with 'apt-get install chromium'",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is missing: pip install -e '.[test]'"
)


@contextlib.contextmanager
def serve(app: Callable[..., Any], prefix: str = "") -> Iterator[str]:
    """Serve ``app`` (mounted under ``prefix``, if given) and yield its base URL.

    Outside the prefix the server answers 404, as a front server with only
    this app mounted would.
    """
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from werkzeug.serving import make_server

    served = DispatcherMiddleware(nothing_outside_the_mount, {prefix: app}) if prefix else app
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def nothing_outside_the_mount(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> list[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "0")])
    return []
