"""app.logger and microwsgi.logging: the default handler, the WSGI error stream, levels."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest

from microwsgi import App
from microwsgi.logging import default_handler, has_level_handler, wsgi_errors_stream
from microwsgi.testing import build_environ, run_wsgi_app


@pytest.fixture(autouse=True)
def unconfigured_logging(app: App, pytestconfig: pytest.Config) -> Iterator[None]:
    """Logging as in a program that never configured it.

    pytest's logging plugin adds capturing handlers to the root logger around
    each test; it is set aside for these tests.
    """
    plugin = pytestconfig.pluginmanager.unregister(name="logging-plugin")
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    root.handlers = []
    logger = logging.getLogger(app.name)
    logger.handlers, logger.level = [], logging.NOTSET
    yield
    root.handlers, root.level = saved_handlers, saved_level
    logger.handlers, logger.level = [], logging.NOTSET
    if plugin is not None:
        pytestconfig.pluginmanager.register(plugin, "logging-plugin")


def test_logger_is_named_after_the_app_and_gets_the_default_handler(app: App) -> None:
    assert app.logger.name == app.name
    assert app.logger.handlers == [default_handler]
    assert app.logger.level == logging.NOTSET


def test_debug_mode_lets_debug_messages_through(app: App) -> None:
    app.debug = True
    assert app.logger.level == logging.DEBUG


def test_configured_logging_gets_no_extra_handler(app: App) -> None:
    logging.getLogger().addHandler(logging.StreamHandler(io.StringIO()))
    assert app.logger.handlers == []


def test_errors_during_a_request_go_to_the_servers_error_stream(app: App) -> None:
    @app.route("/")
    def index() -> str:
        raise RuntimeError("the view failed")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    errors = io.StringIO()
    environ = build_environ(app, "/")
    environ["wsgi.errors"] = errors
    status, _, _ = run_wsgi_app(app, environ)
    assert status.startswith("500")
    logged = errors.getvalue()
    assert "ERROR in app: Exception on / [GET]" in logged  # %(module)s: where it was logged
    assert "RuntimeError: the view failed" in logged


def test_wsgi_errors_stream_is_stderr_outside_a_request(app: App) -> None:
    assert wsgi_errors_stream._get_current_object() is sys.stderr  # type: ignore[attr-defined]
    errors = io.StringIO()
    with app.request_context({**_minimal_environ(), "wsgi.errors": errors}):
        assert wsgi_errors_stream._get_current_object() is errors  # type: ignore[attr-defined]


def _minimal_environ() -> dict[str, object]:
    return build_environ(None, "/")


def test_has_level_handler_follows_propagation_and_levels() -> None:
    logger = logging.getLogger("microwsgi-test.child")
    assert not has_level_handler(logger)
    handler = logging.StreamHandler(io.StringIO())
    logging.getLogger().addHandler(handler)
    assert has_level_handler(logger)
    logger.propagate = False
    try:
        assert not has_level_handler(logger)
    finally:
        logger.propagate = True
    handler.setLevel(logging.ERROR)  # the logger's WARNING records would not pass
    assert not has_level_handler(logger)


def test_log_exception_overridden_as_in_flask_gets_sys_exc_info() -> None:
    """An override written for Flask, ``log_exception(self, exc_info)``, receives the
    triple; errors that are not the request's own (a failing teardown) do not
    reach it, and still reach the log."""
    received: list[tuple[object, ...]] = []

    class ReportingApp(App):
        def log_exception(self, exc_info):  # type: ignore[no-untyped-def,override]
            received.append(exc_info)

    reporting = ReportingApp(__name__)
    reporting.config["PROPAGATE_EXCEPTIONS"] = False

    @reporting.route("/")
    def index() -> str:
        raise KeyError("missing")

    @reporting.teardown_request
    def close_something(exc: BaseException | None) -> None:
        raise OSError("the teardown failed")

    errors = io.StringIO()
    environ = build_environ(reporting, "/")
    environ["wsgi.errors"] = errors
    status, _, _ = run_wsgi_app(reporting, environ)
    assert status.startswith("500")
    assert len(received) == 1
    exc_type, exc, traceback = received[0]
    assert exc_type is KeyError and isinstance(exc, KeyError) and traceback is not None
    logged = errors.getvalue()
    assert "A teardown_request function failed on / [GET]" in logged
    assert "OSError: the teardown failed" in logged
    assert "KeyError" not in logged  # the override replaced the default record


def test_log_exception_accepts_an_exception_alone(app: App) -> None:
    errors = io.StringIO()
    environ = build_environ(app, "/somewhere")
    environ["wsgi.errors"] = errors
    with app.request_context(environ):
        try:
            raise ValueError("by hand")
        except ValueError as exc:
            app.log_exception(exc)
            app.log_exception(sys.exc_info())  # type: ignore[arg-type]
    logged = errors.getvalue()
    assert logged.count("Exception on /somewhere [GET]") == 2
    assert logged.count("ValueError: by hand") == 2
