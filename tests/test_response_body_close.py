"""A streamed body is closed even when it was read into memory, replaced or dropped.

PEP 3333 has the server call the body iterable's ``close()`` once the response
is done. That is what ends a ``stream_with_context`` generator's request
context (and runs its teardown functions), closes a file sent by
``send_file`` and runs a generator's ``finally``. Reading the body with
``get_data()`` (a test with ``buffered=False``, an ``after_request`` hook),
replacing it with ``set_data()`` or answering 304 in ``make_conditional``
used to drop the iterable, and its ``close()`` with it.
"""

from __future__ import annotations

import gc
import io
import warnings
from collections.abc import Iterator
from typing import Any
from wsgiref.validate import validator

import pytest
from werkzeug.test import Client as WerkzeugClient

from microwsgi import App, Response, request, send_file, stream_with_context


class Body:
    """A streamed body that records whether it was closed."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = chunks
        self.closed = 0

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.chunks)

    def close(self) -> None:
        self.closed += 1


@pytest.mark.parametrize("read", ["get_data", "data", "text", "make_sequence", "freeze"])
def test_a_body_read_into_memory_is_still_closed(read: str) -> None:
    body = Body(b"a", b"b")
    response = Response(body)
    value = getattr(response, read)
    if callable(value):
        value()
    assert response.get_data() == b"ab"
    assert body.closed == 0
    response.close()
    assert body.closed == 1


def test_a_replaced_body_is_still_closed() -> None:
    body = Body(b"a")
    response = Response(body)
    response.set_data(b"other")
    response.close()
    assert (response.get_data(), body.closed) == (b"other", 1)


def test_a_body_dropped_for_a_304_is_still_closed() -> None:
    body = Body(b"a")
    response = Response(body, headers={"ETag": '"v1"'})
    environ = {"REQUEST_METHOD": "GET", "HTTP_IF_NONE_MATCH": '"v1"'}
    response.make_conditional(environ)
    assert response.status_code == 304
    response.close()
    assert body.closed == 1


def test_a_response_closes_itself_at_the_end_of_a_with_block() -> None:
    body = Body(b"a")
    with Response(body) as response:
        assert response.get_data() == b"a"
    assert body.closed == 1


def streaming_app() -> tuple[App, list[str]]:
    app = App(__name__)
    events: list[str] = []

    @app.teardown_request
    def record_teardown(error: BaseException | None) -> None:
        events.append("teardown")

    @app.route("/stream")
    def stream() -> Response:
        def generate() -> Iterator[str]:
            try:
                yield "path="
                yield request.path
            finally:
                events.append("generator closed")

        return Response(stream_with_context(generate()))

    @app.route("/file")
    def file() -> Response:
        return send_file(io.BytesIO(b"0123456789"), mimetype="application/octet-stream")

    return app, events


class RecordClose:
    """WSGI middleware that records how often the server closed the app's iterable."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.closed = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        recorder = self
        body = self.app(environ, start_response)

        class Recorded:
            def __iter__(self) -> Iterator[bytes]:
                return iter(body)

            def close(self) -> None:
                body.close()
                recorder.closed += 1

        return Recorded()


def test_an_unbuffered_test_response_read_whole_is_closed() -> None:
    """The example: ``buffered=False``, ``get_data()``, ``close()`` under the validator."""
    app, _ = streaming_app()
    recorder = RecordClose(validator(app.wsgi_app))
    app.wsgi_app = recorder  # type: ignore[method-assign]
    response = app.test_client().get("/file", buffered=False)
    assert response.get_data() == b"0123456789"
    assert recorder.closed == 0  # the response is not done yet
    response.close()
    assert recorder.closed == 1
    response.close()  # closing twice closes the app's iterable once
    assert recorder.closed == 1


def test_an_unbuffered_test_response_closes_in_a_with_block() -> None:
    app, events = streaming_app()
    with app.test_client().get("/stream", buffered=False) as response:
        assert response.text == "path=/stream"
    assert events == ["generator closed", "teardown"]


@pytest.mark.parametrize("path", ["/stream", "/file"])
def test_a_hook_that_reads_a_streamed_body_leaves_it_to_be_closed(path: str) -> None:
    """An ``after_request`` hook that reads the body (to log or sign it, say)."""
    app, events = streaming_app()
    read: list[bytes] = []

    @app.after_request
    def read_body(response: Response) -> Response:
        read.append(response.get_data())
        return response

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        answer = WerkzeugClient(validator(app)).get(path)
        assert answer.get_data() == read[0]
        answer.close()
        del answer
        gc.collect()
    if path == "/stream":
        assert events == ["generator closed", "teardown"]
