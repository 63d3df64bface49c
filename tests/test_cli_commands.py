"""The app's own commands (app.cli, blueprints' cli), env files, debug, shell -c, run's options."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import werkzeug.serving

from microwsgi import App, Blueprint, current_app
from microwsgi.cli import (
    AppGroup,
    AppImportError,
    MicrowsgiGroup,
    NoAppError,
    ScriptInfo,
    load_dotenv,
    main,
    prepare_import,
    run_command,
    with_appcontext,
)
from microwsgi.serving import RUN_FROM_CLI_ENV
from microwsgi.testing import CliRunner

#: Variables these tests set or that would change what they see.
_ENVIRONMENT = (
    "MICROWSGI_APP",
    "FLASK_APP",
    "MICROWSGI_DEBUG",
    "FLASK_DEBUG",
    "MICROWSGI_SKIP_DOTENV",
    "FLASK_SKIP_DOTENV",
    "FROM_ENV_FILE",
    "FROM_DOTENV",
    "FROM_MICROWSGIENV",
    "FROM_FLASKENV",
    RUN_FROM_CLI_ENV,
    "PYTHONSTARTUP",
)

WITH_COMMANDS = """\
import click
from microwsgi import App, current_app, g

app = App("shop")

@app.cli.command("init-db")
@click.option("--drop", is_flag=True, help="drop the tables first")
def init_db(drop):
    \"\"\"Create the tables.\"\"\"
    click.echo(f"init-db in {current_app.name}, drop={drop}")

@app.cli.command("debug-state")
def debug_state():
    click.echo(f"debug={current_app.debug}")

@app.cli.command("fail")
def fail():
    raise RuntimeError("the database is down")

from microwsgi.cli import AppGroup

db = AppGroup("db", help="Database commands.")

@db.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision):
    click.echo(f"upgrade to {revision} in {current_app.name}")

app.cli.add_command(db)
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty current folder and a clean environment; imported modules are forgotten."""
    monkeypatch.chdir(tmp_path)
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    saved_environ = dict(os.environ)
    saved_path = sys.path[:]
    saved_modules = set(sys.modules)
    yield tmp_path
    os.environ.clear()
    os.environ.update(saved_environ)
    sys.path[:] = saved_path
    for name in set(sys.modules) - saved_modules:
        del sys.modules[name]


def write(folder: Path, filename: str, source: str) -> None:
    path = folder / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- app.cli, through the microwsgi command -------------------------------------------


def test_an_apps_own_command_runs_with_its_options_in_an_app_context(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    status, out, _ = run_cli(capsys, "--app", "shop", "init-db", "--drop")
    assert (status, out) == (0, "init-db in shop, drop=True\n")


def test_a_group_added_to_app_cli_gives_nested_commands(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    status, out, _ = run_cli(capsys, "--app", "shop", "db", "upgrade", "42")
    assert (status, out) == (0, "upgrade to 42 in shop\n")


def test_help_lists_the_apps_commands_beside_the_built_in_ones(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    status, out, _ = run_cli(capsys, "--app", "shop", "--help")
    assert status == 0
    for name in ("init-db", "db", "run", "routes", "shell"):
        assert f"\n  {name} " in out
    assert "Create the tables." in out


def test_help_of_an_apps_command_shows_its_options(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    status, out, _ = run_cli(capsys, "--app", "shop", "init-db", "--help")
    assert status == 0
    assert "--drop" in out
    assert "drop the tables first" in out


def test_help_lists_the_apps_commands_when_the_environment_names_the_app(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    monkeypatch.setenv("MICROWSGI_APP", "shop")
    _, out, _ = run_cli(capsys, "--help")
    assert "init-db" in out


def test_help_still_works_when_the_app_does_not_load(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "app.py", "raise RuntimeError('broken at import')\n")
    status, out, err = run_cli(capsys, "--help")
    assert status == 0
    assert "Usage:" in out
    assert "RuntimeError: broken at import" in err


def test_an_apps_command_that_raises_exits_1_with_its_traceback(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    status, _, err = run_cli(capsys, "--app", "shop", "fail")
    assert status == 1
    assert "the command raised an exception" in err
    assert f'File "{workdir / "shop.py"}"' in err
    assert "RuntimeError: the database is down" in err
    assert "click" + os.sep not in err  # Click's and the loader's frames are left out


def test_unknown_command_without_an_app_says_how_to_name_the_app(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_cli(capsys, "init-db")
    assert status == 2
    assert "No such command 'init-db'" in err
    for way in ("--app", "MICROWSGI_APP", "FLASK_APP", "wsgi.py", "app.py"):
        assert way in err


def test_flask_app_environment_variable_names_the_app(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    monkeypatch.setenv("FLASK_APP", "shop")
    assert run_cli(capsys, "init-db")[:2] == (0, "init-db in shop, drop=False\n")


def test_microwsgi_app_wins_over_flask_app(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    write(workdir, "other.py", "from microwsgi import App\napp = App('other')\n")
    monkeypatch.setenv("FLASK_APP", "other")
    monkeypatch.setenv("MICROWSGI_APP", "shop")
    assert run_cli(capsys, "init-db")[0] == 0


def test_app_option_before_the_command_wins_over_the_environment(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    write(workdir, "other.py", "from microwsgi import App\napp = App('other')\n")
    monkeypatch.setenv("MICROWSGI_APP", "other")
    assert run_cli(capsys, "--app", "shop", "init-db")[0] == 0


# -- debug mode is the command's decision ------------------------------------------------


@pytest.mark.parametrize(
    ("args", "environment", "expected"),
    [
        ([], {}, "debug=False"),
        (["--debug"], {}, "debug=True"),
        (["--no-debug"], {"MICROWSGI_DEBUG": "1"}, "debug=False"),
        ([], {"MICROWSGI_DEBUG": "1"}, "debug=True"),
        ([], {"FLASK_DEBUG": "true"}, "debug=True"),
        ([], {"MICROWSGI_DEBUG": "off", "FLASK_DEBUG": "1"}, "debug=False"),
    ],
)
def test_debug_mode_comes_from_the_option_or_the_environment(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    environment: dict[str, str],
    expected: str,
) -> None:
    # The app asks for debug mode itself; only the command line decides.
    write(workdir, "shop.py", WITH_COMMANDS + "app.debug = True\n")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    status, out, _ = run_cli(capsys, "--app", "shop", *args, "debug-state")
    assert (status, out.strip()) == (0, expected)


# -- environment files ------------------------------------------------------------------


def test_env_files_name_the_app(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    write(workdir, ".microwsgienv", "MICROWSGI_APP=shop\n")
    assert run_cli(capsys, "init-db")[:2] == (0, "init-db in shop, drop=False\n")


def test_a_flask_projects_flaskenv_is_read(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    write(workdir, ".flaskenv", "FLASK_APP=shop\n")
    assert run_cli(capsys, "init-db")[0] == 0


def test_env_file_precedence(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(workdir, ".flaskenv", "FROM_FLASKENV=flaskenv\nFROM_MICROWSGIENV=flaskenv\n")
    write(workdir, ".microwsgienv", "FROM_MICROWSGIENV=microwsgienv\nFROM_DOTENV=microwsgienv\n")
    write(workdir, ".env", "FROM_DOTENV=dotenv\nFROM_ENV_FILE=dotenv\n")
    write(workdir, "extra.env", "FROM_ENV_FILE=extra\nFROM_FLASKENV=extra\n")
    monkeypatch.setenv("FROM_FLASKENV", "environment")
    assert load_dotenv(workdir / "extra.env") is True
    assert os.environ["FROM_FLASKENV"] == "environment"  # the real environment wins
    assert os.environ["FROM_ENV_FILE"] == "extra"  # then --env-file
    assert os.environ["FROM_DOTENV"] == "dotenv"  # then .env
    assert os.environ["FROM_MICROWSGIENV"] == "microwsgienv"  # then .microwsgienv


def test_env_files_are_found_in_a_parent_folder(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir, ".env", "FROM_DOTENV=parent\n")
    (workdir / "sub").mkdir()
    monkeypatch.chdir(workdir / "sub")
    assert load_dotenv()
    assert os.environ["FROM_DOTENV"] == "parent"


def test_env_file_option(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    write(workdir, "settings.env", "MICROWSGI_APP=shop\n")
    assert run_cli(capsys, "--env-file", "settings.env", "init-db")[0] == 0


def test_env_file_option_needs_an_existing_file(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_cli(capsys, "-e", "missing.env", "routes")
    assert status == 2
    assert "does not exist" in err


def test_skip_dotenv_variable(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    write(workdir, ".env", "MICROWSGI_APP=shop\n")
    monkeypatch.setenv("MICROWSGI_SKIP_DOTENV", "1")
    status = run_cli(capsys, "init-db")[0]
    assert status == 2
    assert "MICROWSGI_APP" not in os.environ


def test_without_python_dotenv_a_tip_is_shown(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dotenv", None)  # import dotenv fails
    write(workdir, ".env", "FROM_DOTENV=1\n")
    assert load_dotenv() is False
    assert "FROM_DOTENV" not in os.environ
    assert "pip install 'microwsgi[dotenv]'" in capsys.readouterr().err


# -- app.test_cli_runner() and AppGroup -------------------------------------------------


def test_test_cli_runner_invokes_the_apps_commands(app: App) -> None:
    @app.cli.command("greet")
    @click.argument("name")
    def greet(name: str) -> None:
        click.echo(f"hello {name} from {current_app.name}")

    result = app.test_cli_runner().invoke(args=["greet", "kim"])
    assert (result.exit_code, result.output) == (0, f"hello kim from {app.name}\n")


def test_test_cli_runner_reports_an_exception(app: App) -> None:
    @app.cli.command()
    def explode() -> None:
        raise ValueError("boom")

    result = app.test_cli_runner().invoke(args=["explode"])
    assert result.exit_code == 1
    assert isinstance(result.exception, ValueError)


def test_test_cli_runner_invokes_another_command_with_the_app_loaded(app: App) -> None:
    @click.command()
    @with_appcontext
    def which() -> None:
        click.echo(current_app.name)

    assert app.test_cli_runner().invoke(which).output == f"{app.name}\n"


def test_test_cli_runner_class_can_be_replaced(app: App) -> None:
    class MyRunner(CliRunner):
        pass

    app.test_cli_runner_class = MyRunner
    assert isinstance(app.test_cli_runner(), MyRunner)


def test_app_cli_is_named_after_the_app_and_made_on_first_use(app: App) -> None:
    assert "cli" not in app.__dict__
    assert app.cli.name == app.name
    assert app.cli is app.cli


def test_app_group_commands_can_opt_out_of_the_app_context() -> None:
    group = AppGroup("tools")

    @group.command(with_appcontext=False)
    def outside() -> None:
        click.echo(f"in a context: {bool(current_app)}")

    result = CliRunner(App("unused")).invoke(group, ["outside"], obj=ScriptInfo())
    assert result.output == "in a context: False\n"


def test_app_group_subgroups_are_app_groups(app: App) -> None:
    @app.cli.group()
    def users() -> None:
        """Manage users."""

    @users.command("create")
    def create() -> None:
        click.echo(f"creating in {current_app.name}")

    assert isinstance(users, AppGroup)
    assert app.test_cli_runner().invoke(args=["users", "create"]).output == (
        f"creating in {app.name}\n"
    )


def test_a_project_can_make_its_own_command_with_a_fixed_app() -> None:
    def create_app() -> App:
        app = App("managed")

        @app.cli.command()
        def hello() -> None:
            click.echo(f"hello from {current_app.name}")

        return app

    manage = MicrowsgiGroup(create_app=create_app, name="manage")
    result = click.testing.CliRunner().invoke(manage, ["hello"])
    assert (result.exit_code, result.output) == (0, "hello from managed\n")


# -- blueprints' commands -----------------------------------------------------------------


def _blueprint_with_command(name: str, **options: Any) -> Blueprint:
    blueprint = Blueprint(name, __name__, **options)

    @blueprint.cli.command("create-user")
    def create_user() -> None:
        click.echo(f"created in {current_app.name}")

    return blueprint


def test_a_blueprints_commands_are_grouped_under_its_name(app: App) -> None:
    app.register_blueprint(_blueprint_with_command("accounts"))
    result = app.test_cli_runner().invoke(args=["accounts", "create-user"])
    assert result.output == f"created in {app.name}\n"


def test_a_blueprints_cli_group_names_the_group(app: App) -> None:
    app.register_blueprint(_blueprint_with_command("accounts", cli_group="users"))
    assert app.test_cli_runner().invoke(args=["users", "create-user"]).exit_code == 0


def test_cli_group_none_puts_a_blueprints_commands_at_the_top(app: App) -> None:
    app.register_blueprint(_blueprint_with_command("accounts", cli_group=None))
    assert app.test_cli_runner().invoke(args=["create-user"]).exit_code == 0


def test_cli_group_given_at_registration_wins(app: App) -> None:
    app.register_blueprint(_blueprint_with_command("accounts"), cli_group="people")
    assert app.test_cli_runner().invoke(args=["people", "create-user"]).exit_code == 0


def test_a_blueprint_without_commands_adds_no_group(app: App) -> None:
    blueprint = Blueprint("quiet", __name__)
    assert blueprint.cli.commands == {}
    app.register_blueprint(blueprint)
    assert "quiet" not in app.cli.commands


def test_a_blueprint_whose_cli_was_never_used_does_not_touch_it(app: App) -> None:
    blueprint = Blueprint("untouched", __name__)
    app.register_blueprint(blueprint)
    assert "cli" not in blueprint.__dict__


# -- shell -----------------------------------------------------------------------------


def test_shell_c_runs_code_in_the_shell_context(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        workdir,
        "shop.py",
        """\
        from microwsgi import App

        app = App("shop")

        @app.shell_context_processor
        def more_names():
            return {"answer": 42}
        """,
    )
    code = "g.x = 1; print(app.name, answer, current_app.name)"
    status, out, _ = run_cli(
        capsys, "--app", "shop", "shell", "-c", "from microwsgi import current_app\n" + code
    )
    assert (status, out) == (0, "shop 42 shop\n")


def test_shell_c_that_raises_exits_1_with_the_traceback(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "app.py", "from microwsgi import App\napp = App('shop')\n")
    status, _, err = run_cli(capsys, "shell", "-c", "1 / 0")
    assert status == 1
    assert "ZeroDivisionError" in err
    assert "<shell -c>" in err


def test_shell_c_exit_status_is_the_codes_own(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "app.py", "from microwsgi import App\napp = App('shop')\n")
    assert run_cli(capsys, "shell", "-c", "import sys; sys.exit(3)")[0] == 3


def test_make_shell_context_has_app_g_and_the_processors_names(app: App) -> None:
    app.shell_context_processor(lambda: {"db": "the database"})
    namespace = app.make_shell_context()
    assert namespace["app"] is app
    assert namespace["db"] == "the database"
    assert "g" in namespace


# -- run ---------------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Werkzeug's server replaced by a recorder of what it was asked to serve."""
    calls: list[dict[str, Any]] = []

    def fake_run_simple(hostname: str, port: int, application: Any, **options: Any) -> None:
        calls.append({"host": hostname, "port": port, "app": application, **options})

    monkeypatch.setattr(werkzeug.serving, "run_simple", fake_run_simple)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    return calls


PLAIN_WSGI = """\
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"plain"]
"""


@pytest.mark.parametrize("target", ["plain", "plain:application"])
def test_run_serves_a_plain_wsgi_callable(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    served: list[dict[str, Any]],
    target: str,
) -> None:
    write(workdir, "plain.py", PLAIN_WSGI)
    assert run_cli(capsys, "--app", target, "run")[0] == 0
    assert served[0]["app"] is sys.modules["plain"].application


def test_run_serves_middleware_wrapping_an_app(
    workdir: Path, capsys: pytest.CaptureFixture[str], served: list[dict[str, Any]]
) -> None:
    write(
        workdir,
        "wrapped.py",
        """\
        from microwsgi import App
        from microwsgi.proxy_fix import ProxyFix

        inner = App("inner")
        application = ProxyFix(inner)
        """,
    )
    assert run_cli(capsys, "--app", "wrapped:application", "run")[0] == 0
    assert served[0]["app"] is sys.modules["wrapped"].application


def test_routes_of_a_plain_wsgi_callable_says_only_run_serves_it(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "plain.py", PLAIN_WSGI)
    status, _, err = run_cli(capsys, "--app", "plain", "routes")
    assert status == 2
    assert "'microwsgi run' serves a plain WSGI callable" in err


def test_run_passes_its_options_to_the_server(
    workdir: Path, capsys: pytest.CaptureFixture[str], served: list[dict[str, Any]]
) -> None:
    write(workdir, "app.py", "from microwsgi import App\napp = App('shop')\n")
    (workdir / "extra.txt").write_text("x")
    status, _, _ = run_cli(
        capsys,
        "run",
        "--host",
        "0.0.0.0",
        "-p",
        "8123",
        "--without-threads",
        "--extra-files",
        "extra.txt",
        "--exclude-patterns",
        "*.tmp",
    )
    assert status == 0
    call = served[0]
    assert (call["host"], call["port"], call["threaded"]) == ("0.0.0.0", 8123, False)
    assert call["extra_files"] == ["extra.txt"]
    assert call["exclude_patterns"] == ["*.tmp"]
    assert call["use_reloader"] is False


def test_run_debug_turns_on_debug_mode_and_the_reloader(
    workdir: Path, capsys: pytest.CaptureFixture[str], served: list[dict[str, Any]]
) -> None:
    write(workdir, "app.py", "from microwsgi import App\napp = App('shop')\n")
    assert run_cli(capsys, "run", "--debug", "--no-threads")[0] == 0
    assert served[0]["app"].debug is True
    assert served[0]["use_reloader"] is True
    assert served[0].get("use_debugger", False) is False


def test_run_debugger_is_accepted_with_a_warning_and_never_started(
    workdir: Path, capsys: pytest.CaptureFixture[str], served: list[dict[str, Any]]
) -> None:
    write(workdir, "app.py", "from microwsgi import App\napp = App('shop')\n")
    status, _, err = run_cli(capsys, "run", "--debugger")
    assert status == 0
    assert "--debugger is ignored" in err
    assert served[0].get("use_debugger", False) is False


def test_run_port_from_the_environment(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    served: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(workdir, "app.py", "from microwsgi import App\napp = App('shop')\n")
    monkeypatch.setenv("MICROWSGI_RUN_PORT", "8124")
    assert run_cli(capsys, "run")[0] == 0
    assert served[0]["port"] == 8124


def test_run_cert_and_key_go_together(workdir: Path) -> None:
    (workdir / "cert.pem").write_text("x")
    (workdir / "key.pem").write_text("x")
    with pytest.raises(click.BadParameter, match="needs --key"):
        run_command.make_context("run", ["--cert", "cert.pem"])
    with pytest.raises(click.BadParameter, match="needs --cert"):
        run_command.make_context("run", ["--key", "key.pem"])
    ctx = run_command.make_context("run", ["--key", "key.pem", "--cert", "cert.pem"])
    assert ctx.params["cert"] == (str(workdir / "cert.pem"), str(workdir / "key.pem"))


def test_an_app_run_at_the_top_of_the_module_does_not_block_a_command(
    workdir: Path, capsys: pytest.CaptureFixture[str], served: list[dict[str, Any]]
) -> None:
    write(workdir, "app.py", "from microwsgi import App\napp = App('shop')\napp.run(port=1)\n")
    status, _, err = run_cli(capsys, "routes")
    assert status == 0
    assert served == []
    assert "Ignoring app.run()" in err
    assert RUN_FROM_CLI_ENV not in os.environ  # put back when the command ended


# -- loading, in Flask's words -------------------------------------------------------------


def test_an_import_error_inside_the_module_exits_1_with_its_traceback(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "needs.py", "import package_that_is_not_installed\n")
    status, _, err = run_cli(capsys, "--app", "needs", "routes")
    assert status == 1
    assert f'File "{workdir / "needs.py"}", line 1' in err
    assert "No module named 'package_that_is_not_installed'" in err


def test_an_import_error_inside_the_module_is_a_no_app_error_for_callers(workdir: Path) -> None:
    write(workdir, "needs.py", "import package_that_is_not_installed\n")
    with pytest.raises(NoAppError) as info:
        ScriptInfo("needs").load_app()
    assert isinstance(info.value, AppImportError)
    assert info.value.exit_code == 1


def test_script_info_loads_the_app_once(workdir: Path) -> None:
    write(workdir, "app.py", "from microwsgi import App\napp = App('shop')\n")
    info = ScriptInfo()
    assert info.load_app() is info.load_app()


@pytest.mark.parametrize(
    ("target", "module", "first_on_path"),
    [
        ("hello", "hello", "."),
        ("hello.py", "hello", "."),
        ("shop.web", "shop.web", "."),
        ("src/shop/web.py", "shop.web", "src"),
        ("src/shop/__init__.py", "shop", "src"),
        ("src/shop", "shop", "src"),
    ],
)
def test_prepare_import_names_the_module_and_puts_its_folder_first(
    workdir: Path, target: str, module: str, first_on_path: str
) -> None:
    write(workdir, "src/shop/__init__.py", "")
    write(workdir, "src/shop/web.py", "")
    assert prepare_import(target) == module
    assert sys.path[0] == str((workdir / first_on_path).resolve())


def test_version_names_microwsgi_and_its_libraries(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "--version")
    assert status == 0
    assert out.splitlines()[1].startswith("microwsgi ")
    assert "Werkzeug" in out
    assert "Click" in out


# -- routes ---------------------------------------------------------------------------------


def test_routes_shows_a_subdomain_column_when_a_rule_has_one() -> None:
    app = App("shop", static_folder=None, subdomain_matching=True)
    app.config["SERVER_NAME"] = "shop.test"
    app.add_url_rule("/", endpoint="home", view_func=lambda: "home")
    app.add_url_rule("/", endpoint="api_root", view_func=lambda: "api", subdomain="api")
    output = app.test_cli_runner().invoke(MicrowsgiGroup(create_app=lambda: app), ["routes"])
    lines = output.output.splitlines()
    assert lines[0].split() == ["Endpoint", "Methods", "Subdomain", "Rule"]
    assert lines[2].split() == ["api_root", "GET", "api", "/"]
    assert lines[3].split() == ["home", "GET", "/"]


def test_routes_shows_a_host_column_with_host_matching() -> None:
    app = App("shop", static_folder=None, host_matching=True)
    app.add_url_rule("/", endpoint="a", view_func=lambda: "a", host="a.test")
    app.add_url_rule("/", endpoint="b", view_func=lambda: "b", host="b.test")
    result = app.test_cli_runner().invoke(MicrowsgiGroup(create_app=lambda: app), ["routes"])
    assert result.output.splitlines()[0].split() == ["Endpoint", "Methods", "Host", "Rule"]
    assert "b.test" in result.output


def test_routes_without_subdomains_has_no_domain_column(app: App) -> None:
    app.add_url_rule("/", endpoint="home", view_func=lambda: "home")
    result = app.test_cli_runner().invoke(MicrowsgiGroup(create_app=lambda: app), ["routes"])
    assert result.output.splitlines()[0].split() == ["Endpoint", "Methods", "Rule"]


def test_routes_sort_match_is_the_order_rules_are_tried(app: App) -> None:
    app.add_url_rule("/z", endpoint="zeta", view_func=lambda: "z")
    app.add_url_rule("/a", endpoint="alpha", view_func=lambda: "a")
    result = app.test_cli_runner().invoke(
        MicrowsgiGroup(create_app=lambda: app), ["routes", "-s", "match"]
    )
    endpoints = [line.split()[0] for line in result.output.splitlines()[2:]]
    assert endpoints == [rule.endpoint for rule in app.url_map.iter_rules()]


def test_an_unknown_command_suggests_the_close_ones(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "shop.py", WITH_COMMANDS)
    status, _, err = run_cli(capsys, "--app", "shop", "init-dbb")
    assert status == 2
    assert "No such command 'init-dbb'. Did you mean 'init-db'?" in err
    status, _, err = run_cli(capsys, "--app", "shop", "rout")
    assert "Did you mean 'routes'?" in err


def test_an_unknown_command_without_an_app_says_why_once(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_cli(capsys, "rout")
    assert status == 2
    assert err.count("No app to load") == 1
    assert "Did you mean 'routes'?" in err


# -- the environment's switches ------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, False),
        ({"MICROWSGI_DEBUG": ""}, False),
        ({"MICROWSGI_DEBUG": "1"}, True),
        ({"MICROWSGI_DEBUG": "yes"}, True),
        ({"MICROWSGI_DEBUG": "Off"}, False),
        ({"MICROWSGI_DEBUG": "FALSE"}, False),
        ({"FLASK_DEBUG": "1"}, True),
        ({"FLASK_DEBUG": "no"}, False),
        ({"MICROWSGI_DEBUG": "0", "FLASK_DEBUG": "1"}, False),
        ({"MICROWSGI_DEBUG": "", "FLASK_DEBUG": "1"}, True),
    ],
)
def test_get_debug_flag(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: bool
) -> None:
    from microwsgi.helpers import get_debug_flag

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert get_debug_flag() is expected


@pytest.mark.parametrize(
    ("environment", "default", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"MICROWSGI_SKIP_DOTENV": "1"}, True, False),
        ({"MICROWSGI_SKIP_DOTENV": "0"}, False, True),
        ({"FLASK_SKIP_DOTENV": "true"}, True, False),
    ],
)
def test_get_load_dotenv(
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    default: bool,
    expected: bool,
) -> None:
    from microwsgi.helpers import get_load_dotenv

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert get_load_dotenv(default) is expected


def test_shell_banner_names_the_app_the_instance_folder_and_the_names(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    write(workdir, "app.py", "from microwsgi import App\napp = App('shop')\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO("print(app.name)\n"))
    status, out, err = run_cli(capsys, "shell")
    assert status == 0
    assert "shop" in out
    assert "App: shop (debug mode: off)" in err
    assert "Instance folder: " in err
    assert "Names: app, g." in err
