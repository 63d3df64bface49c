"""An app meant to be mounted under a prefix: ``--mount /prefix=tests.apps.mounted:app``.

Every URL it generates, every redirect it sends and its session cookie must
carry the prefix the server mounts it under (``SCRIPT_NAME``). The tests in
``test_uwsgi.py`` serve it with uWSGI and gunicorn and request each route.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from microwsgi import App, redirect, request, session, url_for

app = App(__name__)
# A fixed key only because this is a test app; a real one reads it from the environment.
app.config["SECRET_KEY"] = "a test key, never use in production"


@app.route("/")
def index() -> str:
    return "The index of the mounted app."


@app.route("/links")
def links() -> dict[str, str]:
    return {
        "script_root": request.script_root,
        "index": url_for("index"),
        "external": url_for("index", _external=True),
        "folder": url_for("folder"),
        "static": url_for("static", filename="hello.txt"),
    }


@app.route("/go")
def go() -> Any:
    return redirect(url_for("index"))


@app.route("/folder/")
def folder() -> str:
    return "A rule that ends with a slash."


@app.post("/echo")
def echo() -> dict[str, Any]:
    return {"received": request.get_json(), "pid": os.getpid()}


@app.route("/login")
def login() -> str:
    session["user"] = "kim"
    return "Logged in."


@app.route("/slow")
def slow() -> str:
    # Holds a request open while a test shuts the server down; capped to bound the test.
    # The line tells the test that the request has reached a worker.
    print("slow request started", file=sys.stderr, flush=True)
    time.sleep(min(float(request.args.get("seconds", "1")), 5.0))
    return "Finished after the wait."


@app.route("/worker")
def worker() -> dict[str, int]:
    return {"pid": os.getpid(), "thread": threading.get_ident()}


def _report_file_wrapper(wsgi_app: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``X-File-Wrapper: used`` to responses whose body came from ``wsgi.file_wrapper``.

    The server can only send a file with ``sendfile`` when the app returns
    the very object its wrapper made, so the body is passed on untouched and
    a test can see from outside that the fast path was taken.
    """

    def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        server_wrapper = environ.get("wsgi.file_wrapper")
        if server_wrapper is None:
            return wsgi_app(environ, start_response)
        made: list[Any] = []

        def recording_wrapper(file: Any, block_size: int = 8192) -> Any:
            made.append(server_wrapper(file, block_size))
            return made[-1]

        def marking_start_response(status: str, headers: list[Any], *exc_info: Any) -> Any:
            if made:
                headers = [*headers, ("X-File-Wrapper", "used")]
            return start_response(status, headers, *exc_info)

        environ["wsgi.file_wrapper"] = recording_wrapper
        try:
            body = wsgi_app(environ, marking_start_response)
        finally:
            # Servers look at it again afterwards (gunicorn: isinstance(body, file_wrapper)).
            environ["wsgi.file_wrapper"] = server_wrapper
        if made and body is not made[-1]:
            app.logger.error("The file wrapper's object was not returned to the server.")
        return body

    return middleware


app.wsgi_app = _report_file_wrapper(app.wsgi_app)  # type: ignore[method-assign]
