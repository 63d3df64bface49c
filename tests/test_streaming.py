"""``stream_with_context`` and ``copy_current_request_context``: a request's context
used after the view returned, or in another thread."""

from __future__ import annotations

import gc
import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from microwsgi import (
    App,
    Response,
    copy_current_request_context,
    g,
    request,
    send_file,
    session,
    stream_template_string,
    stream_with_context,
)
from microwsgi.exceptions import Forbidden
from microwsgi.testing import run_wsgi_app


def _environ(app: App, path: str) -> dict[str, Any]:
    from microwsgi.testing import build_environ

    return build_environ(app, path)


def test_a_streamed_generator_reads_the_request(app, client) -> None:
    @app.route("/")
    def index():
        def pieces():
            yield "Hello "
            yield request.args["name"]
            yield "!"

        return Response(stream_with_context(pieces()))

    assert client.get("/?name=World").text == "Hello World!"


def test_as_a_decorator_on_the_generator_function(app, client) -> None:
    @app.route("/")
    def index():
        @stream_with_context
        def pieces(greeting):
            yield greeting
            yield request.args["name"]

        return Response(pieces("Hi "))

    assert client.get("/?name=Ada").text == "Hi Ada"


def test_the_stream_sees_the_session_and_g(app, client) -> None:
    @app.route("/")
    def index():
        session["who"] = "Ada"
        g.count = 3

        @stream_with_context
        def pieces():
            yield f"{session['who']} {g.count}"

        return Response(pieces())

    assert client.get("/").text == "Ada 3"


def test_teardown_waits_until_the_stream_has_ended(app) -> None:
    events: list[str] = []

    @app.teardown_request
    def teardown_request(exc):
        events.append(f"teardown_request {exc!r}")

    @app.teardown_appcontext
    def teardown_app(exc):
        events.append("teardown_appcontext")

    @app.route("/")
    def index():
        def pieces():
            events.append("first piece")
            yield "a"
            events.append("second piece")
            yield "b"

        return Response(stream_with_context(pieces()))

    body = iter(app(_environ(app, "/"), lambda status, headers: None))
    assert events == []  # the view returned; nothing was torn down yet
    assert next(body) == b"a"
    assert next(body) == b"b"
    assert events == ["first piece", "second piece"]
    assert list(body) == []  # the end of the stream
    body.close()
    assert events == [
        "first piece",
        "second piece",
        "teardown_request None",
        "teardown_appcontext",
    ]


def test_an_error_in_the_stream_reaches_the_teardown_functions(app) -> None:
    seen: list[Any] = []
    app.teardown_request(seen.append)

    @app.route("/")
    def index():
        def pieces():
            yield "a"
            raise ValueError("broke while streaming")

        return Response(stream_with_context(pieces()))

    with pytest.raises(ValueError):
        run_wsgi_app(app, _environ(app, "/"))
    (error,) = seen
    assert isinstance(error, ValueError)


def test_a_stream_closed_early_still_tears_down_and_closes_the_generator(app) -> None:
    events: list[str] = []
    app.teardown_request(lambda exc: events.append("teardown"))

    @app.route("/")
    def index():
        def pieces():
            try:
                yield "a"
                yield "b"
            finally:
                events.append("generator closed")

        return Response(stream_with_context(pieces()))

    body = iter(app(_environ(app, "/"), lambda status, headers: None))
    assert next(body) == b"a"
    body.close()  # the client went away after the first piece
    assert events == ["generator closed", "teardown"]


def test_a_custom_close_of_the_wrapped_iterator_is_called(app, client) -> None:
    closed: list[bool] = []

    class Pieces:
        def __init__(self) -> None:
            self._pieces = iter(["x", "y"])

        def __iter__(self) -> Iterator[str]:
            return self

        def __next__(self) -> str:
            return next(self._pieces)

        def close(self) -> None:
            closed.append(True)

    app.route("/")(lambda: Response(stream_with_context(Pieces())))
    assert client.get("/").text == "xy"
    assert closed == [True]


def test_the_stream_may_be_sent_from_another_thread(app) -> None:
    @app.route("/")
    def index():
        return Response(stream_with_context(iter([request.path, "|"])))

    @app.route("/lazy")
    def lazy():
        def pieces():
            yield request.path

        return Response(stream_with_context(pieces()))

    body = app(_environ(app, "/lazy"), lambda status, headers: None)
    received: list[bytes] = []
    sender = threading.Thread(target=lambda: received.extend(body))
    sender.start()
    sender.join(timeout=10)
    body.close()
    assert received == [b"/lazy"]


def test_no_context_is_left_current_while_the_stream_waits(app) -> None:
    from microwsgi.ctx import has_request_context

    @app.route("/")
    def index():
        return Response(stream_with_context(iter(["x"])))

    body = app(_environ(app, "/"), lambda status, headers: None)
    assert not has_request_context()  # the next request on this thread starts clean
    assert list(body) == [b"x"]
    body.close()


def test_stream_template_keeps_the_context_until_rendered(app, client) -> None:
    closed: list[str] = []

    @app.teardown_appcontext
    def close_db(exc):
        closed.append("db")

    @app.route("/")
    def index():
        g.db = "open"
        return Response(stream_template_string("{{ g.db }} {{ request.path }}"))

    assert client.get("/").text == "open /"
    assert closed == ["db"]


def test_outside_a_context_it_says_where_to_use_it() -> None:
    with pytest.raises(RuntimeError, match="inside a view"):
        stream_with_context(iter(["x"]))


# -- copy_current_request_context -------------------------------------------------------


def test_a_thread_started_by_the_view_sees_the_request(app, client) -> None:
    results: list[str] = []

    @app.route("/")
    def index():
        @copy_current_request_context
        def work():
            results.append(f"{request.args['job']} {session.get('user')}")

        session["user"] = "ada"
        worker = threading.Thread(target=work)
        worker.start()
        worker.join(timeout=10)
        return "started"

    assert client.get("/?job=7").text == "started"
    assert results == ["7 ada"]


def test_the_copy_has_its_own_g_and_does_not_close_the_request(app, client) -> None:
    closed: list[str] = []

    @app.route("/", methods=["POST"])
    def index():
        g.mine = "view"
        upload = request.files["f"]

        @copy_current_request_context
        def work():
            return g.get("mine", "fresh g")

        answer = work()
        closed.append(str(upload.stream.closed))  # still open for the view after the copy popped
        return answer

    from io import BytesIO

    response = client.post("/", data={"f": (BytesIO(b"data"), "a.txt")})
    assert response.text == "fresh g"
    assert closed == ["False"]


def test_copy_current_request_context_outside_a_request() -> None:
    with pytest.raises(RuntimeError, match="inside a view"):
        copy_current_request_context(lambda: None)


@pytest.mark.parametrize("error", [ValueError("a bug in the hook"), Forbidden()])
def test_a_response_an_error_replaces_is_closed_at_once(app, error) -> None:
    # An after_request hook that fails turns the view's response into an error
    # page. The view's response was never sent: its stream must end (so the
    # teardown runs) and its file must close now, not when the garbage collector
    # reaches the exception's frames (the 500's frames form a cycle).
    events: list[str] = []
    app.teardown_request(lambda exc: events.append("teardown"))
    app.logger.disabled = True
    upload = io.BytesIO(b"file body")

    @app.route("/stream")
    def stream():
        return Response(stream_with_context(iter(["a", "b"])))

    @app.route("/file")
    def file():
        return send_file(upload, mimetype="text/plain")

    @app.after_request
    def failing(response: Response) -> Response:
        raise error

    expected = 500 if isinstance(error, ValueError) else 403
    collecting = gc.isenabled()
    gc.disable()
    try:
        status, _, _ = run_wsgi_app(app, _environ(app, "/stream"))
        assert int(status[:3]) == expected
        assert events == ["teardown"]
        status, _, _ = run_wsgi_app(app, _environ(app, "/file"))
        assert int(status[:3]) == expected
        assert upload.closed
    finally:
        if collecting:
            gc.enable()
