"""The development server: safe defaults for app.run(), and a script that serves itself."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
import werkzeug.serving
from apps.servers import REPO_ROOT, Server, fetch, free_port

from microwsgi import App
from microwsgi.serving import RUN_FROM_CLI_ENV, run_development_server


@pytest.fixture
def run_simple_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace Werkzeug's server with a recorder; the recorded calls are returned."""
    calls: list[dict[str, Any]] = []

    def fake_run_simple(hostname: str, port: int, application: Any, **options: Any) -> None:
        calls.append({"host": hostname, "port": port, "app": application, **options})

    monkeypatch.setattr(werkzeug.serving, "run_simple", fake_run_simple)
    monkeypatch.delenv(RUN_FROM_CLI_ENV, raising=False)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    return calls


def test_app_run_listens_on_loopback_port_5000_by_default(
    app: App, run_simple_calls: list[dict[str, Any]]
) -> None:
    app.run()
    assert run_simple_calls[0]["host"] == "127.0.0.1"
    assert run_simple_calls[0]["port"] == 5000
    assert run_simple_calls[0]["app"] is app


def test_app_run_is_threaded(app: App, run_simple_calls: list[dict[str, Any]]) -> None:
    app.run()
    assert run_simple_calls[0]["threaded"] is True


def test_reloader_is_off_without_debug(app: App, run_simple_calls: list[dict[str, Any]]) -> None:
    app.run()
    assert run_simple_calls[0]["use_reloader"] is False


def test_debug_turns_the_reloader_on(app: App, run_simple_calls: list[dict[str, Any]]) -> None:
    app.run(debug=True)
    assert app.debug is True
    assert run_simple_calls[0]["use_reloader"] is True


def test_werkzeug_debugger_is_never_switched_on(
    app: App, run_simple_calls: list[dict[str, Any]]
) -> None:
    app.run(debug=True)
    assert run_simple_calls[0].get("use_debugger", False) is False


def test_asking_for_the_werkzeug_debugger_is_accepted_with_a_warning_and_ignored(
    app: App, run_simple_calls: list[dict[str, Any]]
) -> None:
    with pytest.warns(UserWarning, match="run code on this machine"):
        app.run(use_debugger=True)
    assert run_simple_calls[0].get("use_debugger", False) is False


@pytest.mark.parametrize(
    ("host", "port", "server_name", "expected"),
    [
        (None, None, "example.test:8080", ("example.test", 8080)),
        ("localhost", None, "example.test:8080", ("localhost", 8080)),
        (None, 81, "example.test:8080", ("example.test", 81)),
        (None, None, "example.test", ("example.test", 5000)),
        ("localhost", 0, "example.test:8080", ("localhost", 0)),
    ],
)
def test_app_run_takes_missing_host_and_port_from_server_name(
    app: App,
    run_simple_calls: list[dict[str, Any]],
    host: str | None,
    port: int | None,
    server_name: str,
    expected: tuple[str, int],
) -> None:
    app.config["SERVER_NAME"] = server_name
    app.run(host, port)
    assert (run_simple_calls[0]["host"], run_simple_calls[0]["port"]) == expected


def test_app_run_takes_debug_from_the_environment(
    app: App, run_simple_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROWSGI_DEBUG", "1")
    app.run()
    assert app.debug is True
    assert run_simple_calls[0]["use_reloader"] is True


def test_app_run_debug_argument_wins_over_the_environment(
    app: App, run_simple_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app.run(debug=False)
    assert app.debug is False


def test_app_run_reads_env_files_unless_told_not_to(
    app: App,
    run_simple_calls: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MICROWSGI_DEBUG", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    (tmp_path / ".env").write_text("MICROWSGI_DEBUG=1\n", encoding="utf-8")
    try:
        app.run(load_dotenv=False)
        assert app.debug is False
        app.run()
        assert app.debug is True
    finally:
        os.environ.pop("MICROWSGI_DEBUG", None)  # set by the file


def test_banner_says_it_is_not_for_production(
    app: App, run_simple_calls: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    app.run()
    banner = capsys.readouterr().err
    assert "uWSGI or gunicorn" in banner
    assert "docs/deploy.md" in banner


def test_app_run_stands_aside_while_the_cli_serves(
    app: App,
    run_simple_calls: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(RUN_FROM_CLI_ENV, "true")
    app.run()
    assert run_simple_calls == []
    assert 'if __name__ == "__main__":' in capsys.readouterr().err


def test_the_cli_serves_even_while_its_flag_is_set(
    app: App, run_simple_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(RUN_FROM_CLI_ENV, "true")
    run_development_server(app, "127.0.0.1", 5001, from_cli=True)
    assert run_simple_calls[0]["port"] == 5001


def test_python_script_with_app_run_serves_requests(tmp_path: Path) -> None:
    port = free_port()
    script = REPO_ROOT / "tests" / "apps" / "script.py"
    server = Server([sys.executable, str(script), str(port)], tmp_path / "log", port, cwd=tmp_path)
    try:
        server.wait_until_serving()
        status, _, body = fetch(port, "/")
        assert (status, body) == (200, b"Hello from app.run()!")
    finally:
        server.stop()
    assert '"GET / HTTP/1.1" 200' in server.log()  # a log line per request
