"""Signals: each one is sent at its point of the request path, to its receivers only.

The receivers are connected for one app (``signal.connected_to(receiver, app)``),
so a test never sees another test's requests.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import blinker
import pytest

import microwsgi
from microwsgi import (
    App,
    abort,
    flash,
    render_template_string,
    request,
    stream_template_string,
)
from microwsgi import signals as signals_module
from microwsgi.signals import (
    appcontext_popped,
    appcontext_pushed,
    appcontext_tearing_down,
    before_render_template,
    got_request_exception,
    message_flashed,
    request_finished,
    request_started,
    request_tearing_down,
    template_rendered,
)


class Recorder:
    """A receiver that writes down the signal's name and keyword arguments."""

    def __init__(self, log: list[tuple[str, dict[str, Any]]], name: str) -> None:
        self.log, self.name = log, name

    def __call__(self, sender: Any, **kwargs: Any) -> None:
        self.log.append((self.name, kwargs))


@pytest.fixture
def log() -> list[tuple[str, dict[str, Any]]]:
    return []


def _connect(stack: Any, app: App, log: list[Any], *signals: blinker.NamedSignal) -> None:
    for signal in signals:
        stack.enter_context(signal.connected_to(Recorder(log, signal.name), app))


@pytest.fixture
def connect(app: App, log: list[Any]) -> Iterator[Any]:
    from contextlib import ExitStack

    with ExitStack() as stack:
        yield lambda *signals: _connect(stack, app, log, *signals)


ALL = (
    appcontext_pushed,
    request_started,
    before_render_template,
    template_rendered,
    message_flashed,
    got_request_exception,
    request_finished,
    request_tearing_down,
    appcontext_tearing_down,
    appcontext_popped,
)


def test_the_signals_are_flasks_ten_under_flasks_names() -> None:
    names = {signal.name for signal in ALL}
    assert names == {
        "appcontext-pushed",
        "request-started",
        "before-render-template",
        "template-rendered",
        "message-flashed",
        "got-request-exception",
        "request-finished",
        "request-tearing-down",
        "appcontext-tearing-down",
        "appcontext-popped",
    }
    assert all(isinstance(signal, blinker.NamedSignal) for signal in ALL)
    assert microwsgi.request_started is request_started
    assert microwsgi.template_rendered is template_rendered
    # microwsgi/__init__.py lists the names again, to import blinker only on first use.
    assert set(signals_module.__all__) == microwsgi._SIGNAL_NAMES
    assert {name.replace("_", "-") for name in signals_module.__all__} == names


def test_a_request_sends_its_signals_in_order(app, client, log, connect) -> None:
    app.route("/")(lambda: render_template_string("{{ 1 + 1 }}"))
    connect(*ALL)

    response = client.get("/")

    assert response.text == "2"
    assert [name for name, _ in log] == [
        "appcontext-pushed",
        "request-started",
        "before-render-template",
        "template-rendered",
        "request-finished",
        "request-tearing-down",
        "appcontext-tearing-down",
        "appcontext-popped",
    ]
    finished = dict(log)["request-finished"]
    assert finished["response"].status_code == 200
    assert dict(log)["request-tearing-down"] == {"exc": None}


def test_request_started_comes_before_the_hooks_and_finished_after_them(app, client) -> None:
    calls: list[str] = []
    app.before_request(lambda: calls.append("before_request"))

    @app.route("/")
    def index():
        calls.append("view")
        return "ok"

    @app.after_request
    def after(response):
        calls.append("after_request")
        response.headers["X-After"] = "1"
        return response

    def finished(sender, response):
        calls.append(f"request_finished {response.headers['X-After']}")

    with (
        request_started.connected_to(lambda sender: calls.append("request_started"), app),
        request_finished.connected_to(finished, app),
    ):
        client.get("/")
    assert calls == [
        "request_started",
        "before_request",
        "view",
        "after_request",
        "request_finished 1",
    ]


def test_receivers_of_another_app_hear_nothing(app, client, log) -> None:
    other = App("other")
    app.route("/")(lambda: "ok")
    with request_started.connected_to(Recorder(log, "started"), other):
        client.get("/")
    assert log == []


def test_got_request_exception_carries_the_exception_before_the_500(app, client, log, connect):
    app.route("/")(lambda: 1 / 0)
    connect(got_request_exception, request_tearing_down)

    assert client.get("/").status_code == 500

    (_, raised), (_, torn_down) = log
    assert isinstance(raised["exception"], ZeroDivisionError)
    assert torn_down["exc"] is raised["exception"]


def test_got_request_exception_is_sent_before_the_exception_propagates(app, client, log, connect):
    app.testing = True
    app.route("/")(lambda: 1 / 0)
    connect(got_request_exception)
    with pytest.raises(ZeroDivisionError):
        client.get("/")
    assert [name for name, _ in log] == ["got-request-exception"]


def test_a_failing_got_request_exception_receiver_still_gets_the_client_its_500(
    app, caplog
) -> None:
    # An error reporter that cannot reach its service raises in its receiver: the
    # exception must not escape the WSGI callable, and the view's error is still
    # the one logged and (when testing) propagated.
    app.route("/")(lambda: 1 / 0)

    def reporter(sender: App, **extra: Any) -> None:
        raise ConnectionError("the error reporting service is down")

    with got_request_exception.connected_to(reporter, app):
        with caplog.at_level("ERROR", logger=app.logger.name):
            response = app.test_client().get("/")
        assert response.status_code == 500
        messages = [record.getMessage() for record in caplog.records]
        assert any("got_request_exception receiver failed" in m for m in messages)
        assert any(
            isinstance(record.exc_info[1], ZeroDivisionError)
            for record in caplog.records
            if record.exc_info
        )
        app.testing = True
        with pytest.raises(ZeroDivisionError):
            app.test_client().get("/")


def test_a_failing_appcontext_popped_receiver_is_logged_not_raised(app, caplog) -> None:
    # appcontext_popped is sent once the response is made: like a teardown function
    # that fails, a receiver that fails is logged and the response is still sent.
    app.route("/")(lambda: "made")

    def receiver(sender: App, **extra: Any) -> None:
        raise RuntimeError("the receiver failed")

    with (
        appcontext_popped.connected_to(receiver, app),
        caplog.at_level("ERROR", logger=app.logger.name),
    ):
        response = app.test_client().get("/")
        with app.app_context():
            pass
    assert (response.status_code, response.text) == (200, "made")
    failures = [r for r in caplog.records if "appcontext_popped receiver failed" in r.message]
    assert len(failures) == 2
    assert all(isinstance(r.exc_info[1], RuntimeError) for r in failures if r.exc_info)


def test_an_http_error_is_not_an_exception_to_report(app, client, log, connect) -> None:
    app.route("/")(lambda: abort(404))
    connect(got_request_exception, request_finished)
    assert client.get("/").status_code == 404
    assert [name for name, _ in log] == ["request-finished"]


def test_request_finished_is_sent_for_the_500_response_too(app, client, log, connect) -> None:
    app.route("/")(lambda: 1 / 0)
    connect(request_finished)
    client.get("/")
    assert dict(log)["request-finished"]["response"].status_code == 500


def test_message_flashed_carries_the_message_and_its_category(app, client, log, connect) -> None:
    @app.route("/")
    def index():
        flash("Saved.", "success")
        return "ok"

    connect(message_flashed)
    client.get("/")
    assert log == [("message-flashed", {"message": "Saved.", "category": "success"})]


def test_before_render_template_may_change_the_context(app, client) -> None:
    app.route("/")(lambda: render_template_string("{{ name }}", name="Ada"))

    def rename(sender, template, context):
        context["name"] = "Grace"

    with before_render_template.connected_to(rename, app):
        assert client.get("/").text == "Grace"


def test_template_rendered_carries_the_template_and_its_context(app, log, connect) -> None:
    connect(template_rendered)
    with app.test_request_context("/"):
        render_template_string("{{ x }}", x=7)
    ((_, sent),) = log
    assert sent["context"]["x"] == 7
    assert sent["template"].render(x=8) == "8"


def test_a_streamed_template_is_rendered_when_its_last_piece_was_made(app, client, log, connect):
    app.route("/")(lambda: app.response_class(stream_template_string("{{ 1 }}{{ 2 }}")))
    connect(before_render_template, template_rendered, request_tearing_down)
    assert client.get("/").text == "12"
    assert [name for name, _ in log] == [
        "before-render-template",
        "template-rendered",
        "request-tearing-down",
    ]


def test_an_app_context_sends_pushed_tearing_down_and_popped(app, log, connect) -> None:
    connect(appcontext_pushed, appcontext_tearing_down, appcontext_popped)
    with app.app_context():
        assert [name for name, _ in log] == ["appcontext-pushed"]
    assert log == [
        ("appcontext-pushed", {}),
        ("appcontext-tearing-down", {"exc": None}),
        ("appcontext-popped", {}),
    ]


def test_a_failing_tearing_down_receiver_is_logged_and_the_response_still_sent(
    app, client, caplog
) -> None:
    app.route("/")(lambda: "ok")

    def broken(sender, exc):
        raise RuntimeError("receiver broke")

    with request_tearing_down.connected_to(broken, app):
        assert client.get("/").text == "ok"
    assert "receiver broke" in caplog.text


def test_an_async_receiver_is_run_to_its_end(app, client) -> None:
    pytest.importorskip("asgiref")
    heard: list[str] = []

    async def receiver(sender, **kwargs):
        heard.append(request.path)

    app.route("/here")(lambda: "ok")
    with request_started.connected_to(receiver, app):
        client.get("/here")
    assert heard == ["/here"]


# -- free when nobody listens ----------------------------------------------------------


def test_import_microwsgi_loads_neither_the_signals_nor_blinker() -> None:
    code = (
        "import sys, microwsgi\nprint('blinker' in sys.modules, 'microwsgi.signals' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert output.split() == ["False", "False"]


def test_a_signal_without_receivers_is_never_sent(app, client, monkeypatch) -> None:
    # The signals module is loaded (this file imported it), but nobody listens.
    assert signals_module.request_started.receivers == {}

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a signal nobody listens to was sent")

    monkeypatch.setattr(blinker.NamedSignal, "send", refuse)
    app.add_url_rule("/", "page", lambda: render_template_string("{{ 1 }}"))
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    assert client.get("/").text == "1"
    assert client.get("/boom").status_code == 500
    with app.app_context():
        pass
