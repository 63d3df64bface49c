"""The microwsgi command: finding the app, routes, shell, run, and errors that say what to do."""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from apps.servers import REPO_ROOT, Server, fetch, free_port

from microwsgi.cli import NoAppError, load_app, main
from microwsgi.serving import RUN_FROM_CLI_ENV

HELLO = """\
from microwsgi import App

{name} = App(__name__)

@{name}.route("/")
def index():
    return "hello"
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty current folder; modules imported from it are forgotten afterwards."""
    monkeypatch.chdir(tmp_path)
    for name in ("MICROWSGI_APP", "MICROWSGI_DEBUG", RUN_FROM_CLI_ENV):
        monkeypatch.delenv(name, raising=False)
    saved_path = sys.path[:]
    saved_modules = set(sys.modules)
    yield tmp_path
    sys.path[:] = saved_path
    for name in set(sys.modules) - saved_modules:
        del sys.modules[name]


def write(folder: Path, filename: str, source: str) -> None:
    path = folder / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")


def run_cli(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- finding the app ------------------------------------------------------------


def test_module_target_finds_a_variable_named_app(workdir: Path) -> None:
    write(workdir, "hello.py", HELLO.format(name="app"))
    assert load_app("hello").import_name == "hello"


def test_module_target_finds_a_variable_named_application(workdir: Path) -> None:
    write(workdir, "hello.py", HELLO.format(name="application"))
    assert load_app("hello").import_name == "hello"


def test_module_target_finds_the_only_app_under_any_name(workdir: Path) -> None:
    write(workdir, "hello.py", HELLO.format(name="website"))
    assert load_app("hello").import_name == "hello"


def test_module_with_several_apps_asks_which_one(workdir: Path) -> None:
    write(workdir, "two.py", "from microwsgi import App\nfront = App('a')\nback = App('b')\n")
    with pytest.raises(NoAppError, match="two:back, two:front"):
        load_app("two")


def test_module_colon_name_picks_that_variable(workdir: Path) -> None:
    write(workdir, "two.py", "from microwsgi import App\nfront = App('a')\nback = App('b')\n")
    assert load_app("two:back").import_name == "b"


def test_create_app_factory_is_called_when_there_is_no_app_variable(workdir: Path) -> None:
    write(
        workdir,
        "factory.py",
        """\
        from microwsgi import App

        def create_app():
            return App("made by create_app")
        """,
    )
    assert load_app("factory").import_name == "made by create_app"


def test_make_app_factory_is_called_too(workdir: Path) -> None:
    write(
        workdir, "factory.py", "from microwsgi import App\ndef make_app():\n    return App('m')\n"
    )
    assert load_app("factory").import_name == "m"


def test_factory_call_receives_literal_arguments(workdir: Path) -> None:
    write(
        workdir,
        "factory.py",
        """\
        from microwsgi import App

        def create_app(name, debug=False, extra=None):
            app = App(name)
            app.debug = debug
            app.config["EXTRA"] = extra
            return app
        """,
    )
    app = load_app("factory:create_app('configured', debug=True, extra={'a': [1, 2]})")
    assert (app.import_name, app.debug, app.config["EXTRA"]) == ("configured", True, {"a": [1, 2]})


def test_factory_name_without_parentheses_is_called(workdir: Path) -> None:
    write(workdir, "factory.py", "from microwsgi import App\ndef build():\n    return App('b')\n")
    assert load_app("factory:build").import_name == "b"


def test_factory_arguments_are_never_executed(workdir: Path) -> None:
    write(
        workdir, "factory.py", "from microwsgi import App\ndef create_app(x):\n    return App(x)\n"
    )
    marker = workdir / "executed"
    with pytest.raises(NoAppError, match="literals"):
        load_app(f"factory:create_app(open({str(marker)!r}, 'w'))")
    assert not marker.exists()


@pytest.mark.parametrize(
    "target",
    [
        "builtins:exec(\"open({marker!r}, 'w')\")",
        "builtins:eval(\"open({marker!r}, 'w')\")",
        "os:system('touch {marker}')",
        "pdb:run(\"open({marker!r}, 'w')\")",
        "subprocess:run(['touch', {marker!r}])",
        "timeit:timeit(\"open({marker!r}, 'w')\", number=1)",
    ],
)
def test_target_naming_code_to_run_calls_nothing(workdir: Path, target: str) -> None:
    # The literal arguments must not be code in disguise: only a Python function
    # of the app is called, never a builtin or a standard library function.
    marker = str(workdir / "executed")
    with pytest.raises(NoAppError, match="not a factory"):
        load_app(target.format(marker=marker))
    assert not os.path.exists(marker)


def test_target_naming_a_standard_library_function_is_refused_without_arguments(
    workdir: Path,
) -> None:
    with pytest.raises(NoAppError, match="standard library \\(getpass\\)"):
        load_app("getpass:getuser")


def test_factory_missing_an_argument_is_explained(workdir: Path) -> None:
    write(
        workdir,
        "factory.py",
        "from microwsgi import App\ndef create_app(env):\n    return App(env)\n",
    )
    with pytest.raises(NoAppError, match="missing a required argument: 'env'"):
        load_app("factory")


def test_factory_returning_something_else_is_refused(workdir: Path) -> None:
    write(workdir, "factory.py", "def create_app():\n    return 'not an app'\n")
    with pytest.raises(NoAppError, match="returned a str, not a microwsgi App"):
        load_app("factory")


def test_name_that_is_not_an_app_is_refused(workdir: Path) -> None:
    write(workdir, "plain.py", "application = 42\n")
    with pytest.raises(NoAppError, match="'plain:application' is an int, not a microwsgi App"):
        load_app("plain:application")


def test_path_to_a_file_is_accepted(workdir: Path) -> None:
    write(workdir, "src/site/hello.py", HELLO.format(name="app"))
    assert load_app("src/site/hello.py").import_name == "hello"


def test_path_inside_a_package_imports_it_as_part_of_the_package(workdir: Path) -> None:
    write(workdir, "src/shop/__init__.py", "")
    write(workdir, "src/shop/web.py", HELLO.format(name="app"))
    assert load_app("src/shop/web.py:app").import_name == "shop.web"


def test_environment_variable_names_the_app(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(workdir, "hello.py", HELLO.format(name="app"))
    monkeypatch.setenv("MICROWSGI_APP", "hello:app")
    assert load_app().import_name == "hello"


def test_app_option_wins_over_the_environment_variable(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir, "hello.py", HELLO.format(name="app"))
    write(workdir, "other.py", "from microwsgi import App\napp = App('other')\n")
    monkeypatch.setenv("MICROWSGI_APP", "hello")
    assert load_app("other").import_name == "other"


@pytest.mark.parametrize("filename", ["wsgi.py", "app.py"])
def test_default_file_in_the_current_folder_is_found(workdir: Path, filename: str) -> None:
    write(workdir, filename, HELLO.format(name="app"))
    assert load_app().import_name == filename.removesuffix(".py")


def test_wsgi_py_is_preferred_to_app_py(workdir: Path) -> None:
    write(workdir, "wsgi.py", HELLO.format(name="app"))
    write(workdir, "app.py", HELLO.format(name="app"))
    assert load_app().import_name == "wsgi"


# -- errors ------------------------------------------------------------------------


def test_module_without_an_app_says_what_was_looked_for(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "empty.py", "x = 1\n")
    status, _, err = run_cli("--app", "empty", "routes", capsys=capsys)
    assert status == 2
    assert "No microwsgi app found in module 'empty'" in err
    for looked_for in ("'app'", "'application'", "'create_app'", "'make_app'"):
        assert looked_for in err


def test_plain_wsgi_function_named_app_is_pointed_out(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "plain.py", "def app(environ, start_response):\n    return []\n")
    status, _, err = run_cli("--app", "plain", "routes", capsys=capsys)
    assert status == 2
    assert "'app' is a function, not a microwsgi App" in err


def test_missing_module_is_named(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_cli("--app", "no_such_module", "routes", capsys=capsys)
    assert status == 2
    assert "Could not import 'no_such_module'" in err
    assert str(workdir) in err


def test_no_app_anywhere_lists_the_ways_to_name_one(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_cli("routes", capsys=capsys)
    assert status == 2
    for way in ("--app", "MICROWSGI_APP", "wsgi.py", "app.py"):
        assert way in err


def test_missing_attribute_is_named(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "hello.py", HELLO.format(name="app"))
    status, _, err = run_cli("--app", "hello:website", "routes", capsys=capsys)
    assert status == 2
    assert "has no attribute 'website'" in err


def test_broken_import_shows_the_modules_own_traceback(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "broken.py", "import os\n\nraise RuntimeError('the database is down')\n")
    status, _, err = run_cli("--app", "broken", "routes", capsys=capsys)
    assert status == 1
    assert f'File "{workdir / "broken.py"}", line 3, in <module>' in err
    assert "RuntimeError: the database is down" in err
    assert "cli.py" not in err  # the loader's own frames are left out


def test_missing_import_inside_the_module_is_not_called_a_missing_app(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "needs.py", "import package_that_is_not_installed\n")
    status, _, err = run_cli("--app", "needs", "routes", capsys=capsys)
    assert status == 1
    assert "No module named 'package_that_is_not_installed'" in err
    assert "needs.py" in err


def test_syntax_error_shows_file_and_line(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "typo.py", "def index(:\n    pass\n")
    status, _, err = run_cli("--app", "typo", "routes", capsys=capsys)
    assert status == 1
    assert "typo.py" in err
    assert "SyntaxError" in err


def test_file_named_microwsgi_py_is_detected_and_named(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "microwsgi.py", HELLO.format(name="app"))
    status, _, err = run_cli("--app", "microwsgi", "routes", capsys=capsys)
    assert status == 2
    assert str(workdir / "microwsgi.py") in err
    assert "same name as the microwsgi package" in err
    assert "Rename it" in err


def test_microwsgi_py_next_to_the_app_is_detected_too(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "app.py", HELLO.format(name="app"))
    write(workdir, "microwsgi.py", "")
    status, _, err = run_cli("routes", capsys=capsys)
    assert status == 2
    assert str(workdir / "microwsgi.py") in err


def test_microwsgi_py_in_a_files_folder_is_detected(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "site/hello.py", HELLO.format(name="app"))
    write(workdir, "site/microwsgi.py", "")
    status, _, err = run_cli("--app", "site/hello.py", "routes", capsys=capsys)
    assert status == 2
    assert str(workdir / "site" / "microwsgi.py") in err


def test_package_folder_named_microwsgi_is_detected(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "app.py", HELLO.format(name="app"))
    write(workdir, "microwsgi/__init__.py", "")
    status, _, err = run_cli("routes", capsys=capsys)
    assert status == 2
    assert f"The folder {workdir / 'microwsgi'} has the same name" in err


def test_folder_named_microwsgi_without_init_does_not_hide_the_package(workdir: Path) -> None:
    write(workdir, "app.py", HELLO.format(name="app"))
    (workdir / "microwsgi").mkdir()  # a namespace package loses to the real package
    assert load_app().import_name == "app"


# -- the command line ------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["run"], ["routes"], ["shell"]])
def test_help_is_available_on_every_command(
    workdir: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run_cli(*command, "--help", capsys=capsys)
    assert status == 0
    assert "Usage:" in out


def test_unknown_command_is_a_usage_error(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "app.py", HELLO.format(name="app"))
    status, _, err = run_cli("serve", capsys=capsys)
    assert status == 2
    assert "No such command 'serve'" in err


def test_missing_command_is_a_usage_error_that_shows_the_help(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_cli(capsys=capsys)
    assert status == 2
    assert "Commands:" in err


@pytest.mark.parametrize("port", ["http", "0", "70000"])
def test_invalid_port_is_a_usage_error(
    workdir: Path, port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_cli("run", "--port", port, capsys=capsys)
    assert status == 2
    assert "is not a port number" in err


def test_app_option_may_follow_the_command(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "hello.py", HELLO.format(name="app"))
    status, out, _ = run_cli("routes", "--app", "hello", capsys=capsys)
    assert status == 0
    assert "index" in out


def test_python_dash_m_microwsgi_runs_the_command(tmp_path: Path) -> None:
    import subprocess

    write(tmp_path, "hello.py", HELLO.format(name="app"))
    result = subprocess.run(
        [sys.executable, "-m", "microwsgi", "--app", "hello", "routes"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "MICROWSGI_APP": ""},
    )
    assert result.returncode == 0, result.stderr
    assert "index     GET      /" in result.stdout


# -- routes ------------------------------------------------------------------------

BLUEPRINTED = "tests.apps.blueprinted:create_app()"


def test_routes_lists_endpoints_methods_and_rules_of_blueprints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    status, out, _ = run_cli("--app", BLUEPRINTED, "routes", capsys=capsys)
    assert status == 0
    assert out == textwrap.dedent(
        """\
        Endpoint         Methods    Rule
        ---------------  ---------  --------------------------
        admin.dashboard  GET        /admin/
        admin.edit_user  GET, POST  /admin/users/<int:user_id>
        delete_item      DELETE     /items/<name>
        index            GET        /
        """
    )


def test_routes_can_be_sorted_by_rule(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    _, out, _ = run_cli("--app", BLUEPRINTED, "routes", "--sort", "rule", capsys=capsys)
    rules = [line.split()[-1] for line in out.splitlines()[2:]]
    assert rules == ["/", "/admin/", "/admin/users/<int:user_id>", "/items/<name>"]


def test_routes_can_be_sorted_by_methods(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    _, out, _ = run_cli("--app", BLUEPRINTED, "routes", "--sort", "methods", capsys=capsys)
    endpoints = [line.split()[0] for line in out.splitlines()[2:]]
    assert endpoints == ["delete_item", "admin.dashboard", "index", "admin.edit_user"]


def test_routes_all_methods_shows_head_and_options(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    _, out, _ = run_cli("--app", BLUEPRINTED, "routes", "--all-methods", capsys=capsys)
    rows = [re.split(r"\s{2,}", line) for line in out.splitlines()[2:]]
    methods = {endpoint: methods for endpoint, methods, _ in rows}
    assert methods["index"] == "GET, HEAD, OPTIONS"
    assert methods["delete_item"] == "DELETE, OPTIONS"


def test_routes_shows_subdomains_when_a_rule_has_one(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        workdir,
        "hosts.py",
        "from microwsgi import App\n"
        "app = App(__name__, static_folder=None, subdomain_matching=True)\n"
        "app.add_url_rule('/', 'index')\n"
        "app.add_url_rule('/', 'api_index', subdomain='api')\n",
    )
    status, out, _ = run_cli("--app", "hosts", "routes", "--sort", "domain", capsys=capsys)
    assert status == 0
    assert out == textwrap.dedent(
        """\
        Endpoint   Methods  Subdomain  Rule
        ---------  -------  ---------  ----
        index      GET                 /
        api_index  GET      api        /
        """
    )


def test_routes_shows_hosts_with_host_matching(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        workdir,
        "hosts.py",
        "from microwsgi import App\n"
        "app = App(__name__, static_folder=None, host_matching=True)\n"
        "app.add_url_rule('/', 'shop', host='shop.test')\n",
    )
    _, out, _ = run_cli("--app", "hosts", "routes", capsys=capsys)
    assert out.splitlines()[0].split() == ["Endpoint", "Methods", "Host", "Rule"]
    assert out.splitlines()[2].split() == ["shop", "GET", "shop.test", "/"]


def test_routes_of_an_app_without_rules(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        workdir, "bare.py", "from microwsgi import App\napp = App(__name__, static_folder=None)\n"
    )
    status, out, _ = run_cli("--app", "bare", "routes", capsys=capsys)
    assert (status, out) == (0, "No routes were registered.\n")


# -- shell -------------------------------------------------------------------------


def test_shell_runs_code_inside_an_app_context(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "hello.py", HELLO.format(name="app"))
    monkeypatch.delenv("PYTHONSTARTUP", raising=False)
    typed = (
        "from microwsgi import current_app\n"
        "g.seen = app.name\n"
        "print('name:', current_app.name, g.seen)\n"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    status, out, err = run_cli("--app", "hello", "shell", capsys=capsys)
    assert status == 0
    assert "name: hello hello" in out
    assert "App: hello" in err  # the banner


# -- run ---------------------------------------------------------------------------


def _start_cli_server(folder: Path, *args: str) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "microwsgi", *args, "--port", str(port)]
    env = {**os.environ, "MICROWSGI_APP": "", "PYTHONDONTWRITEBYTECODE": "1"}
    server = Server(command, folder / "server.log", port, cwd=folder, env=env)
    server.wait_until_serving()
    return server


def test_run_serves_requests_on_the_given_port(tmp_path: Path) -> None:
    write(tmp_path, "hello.py", HELLO.format(name="app"))
    server = _start_cli_server(tmp_path, "--app", "hello", "run", "--no-debug")
    try:
        status, headers, body = fetch(server.port, "/")
        assert (status, body) == (200, b"hello")
        assert headers["Content-Type"] == "text/html; charset=utf-8"
    finally:
        server.stop()
    log = server.log()
    assert "Serving microwsgi app 'hello'" in log
    assert "uWSGI or gunicorn" in log  # not for production
    assert '"GET / HTTP/1.1" 200' in log  # a log line per request


def test_run_ignores_app_run_at_the_top_of_the_module(tmp_path: Path) -> None:
    write(tmp_path, "app.py", HELLO.format(name="app") + "\napp.run(port=1)\n")
    server = _start_cli_server(tmp_path, "run")
    try:
        assert fetch(server.port, "/")[2] == b"hello"
    finally:
        server.stop()
    assert "Ignoring app.run()" in server.log()


def test_run_in_debug_mode_reloads_changed_code(tmp_path: Path) -> None:
    write(tmp_path, "app.py", HELLO.format(name="app"))
    server = _start_cli_server(tmp_path, "run", "--debug")
    try:
        assert fetch(server.port, "/")[2] == b"hello"
        time.sleep(1.1)  # the reloader compares modification times, to the second on some disks
        write(tmp_path, "app.py", HELLO.format(name="app").replace('"hello"', '"changed"'))
        body = b""
        deadline = time.monotonic() + 15
        while body != b"changed" and time.monotonic() < deadline:
            time.sleep(0.2)
            with contextlib.suppress(OSError):  # between the old server and the new one
                body = fetch(server.port, "/", timeout=2)[2]
        assert body == b"changed", server.log()
    finally:
        server.stop()
    assert "Detected change" in server.log()
