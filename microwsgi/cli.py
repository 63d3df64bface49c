"""The ``microwsgi`` command: find the app, then run it, list its routes or open a shell.

Flask counterpart: ``flask/cli.py`` (``flask run``, ``flask routes``, ``flask shell``).

The idea to take away: a command-line tool for a web framework is mostly
about *finding the app object*. Everything after that is a small function of
the app: ``run`` hands it to a server, ``routes`` prints ``app.url_map``,
``shell`` pushes an app context and starts Python's interactive console.

How the app is found (the first rule that applies wins):

1. ``--app TARGET``, where TARGET is ``module``, ``module:name`` or
   ``module:factory(args)`` (``module`` may be a dotted name or a path to a
   ``.py`` file). The arguments of a factory are Python literals, read with
   ``ast.literal_eval``: nothing in them is ever executed.
2. The ``MICROWSGI_APP`` environment variable, with the same forms.
3. ``wsgi.py``, else ``app.py``, in the current folder.

Inside the module, a name given after ``:`` is used; otherwise a variable
``app`` or ``application``, else the only ``App`` in the module, else a
factory function ``create_app`` or ``make_app`` called without arguments.
The current folder is put first on ``sys.path``, so ``--app hello`` finds
``./hello.py``.

Exit status: 0 on success; 1 when the app's own code raised (its traceback is
shown); 2 for a usage error: bad arguments, no app found, or a file named
``microwsgi.py`` hiding the package.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from .app import App

#: Where the microwsgi package itself lives, to tell it apart from a file that hides it.
_PACKAGE_DIR = Path(__file__).resolve().parent
_DEFAULT_MODULES = ("wsgi", "app")
_VARIABLE_NAMES = ("app", "application")
_FACTORY_NAMES = ("create_app", "make_app")

EXIT_OK = 0
EXIT_APP_FAILED = 1
EXIT_USAGE = 2


class NoAppError(Exception):
    """The app could not be found; the message says what was looked for and how to fix it."""


# -- finding the app ---------------------------------------------------------


def load_app(target: str | None = None) -> App:
    """The app named by ``target``, ``MICROWSGI_APP``, or ``wsgi.py``/``app.py`` here.

    Raises ``NoAppError`` when there is none. An exception raised by the
    app's own module (or factory) while it loads is not caught.
    """
    cwd = Path.cwd()
    _check_not_shadowed(cwd)
    if target is None:
        target = os.environ.get("MICROWSGI_APP") or None
    if target is None:
        target = _default_module(cwd)

    module_part, expression = _split_target(target)
    module_name = _prepare_import(module_part, cwd)
    module = _import_module(module_name)
    if expression is None:
        return find_app(module)
    return _app_from_expression(module, expression)


def find_app(module: ModuleType) -> App:
    """The app a module offers: ``app``/``application``, the only App, or a factory's."""
    notes = []
    for name in _VARIABLE_NAMES:
        value = getattr(module, name, None)
        if isinstance(value, App):
            return value
        if value is not None:
            notes.append(f"'{name}' is {_describe(value)}, not a microwsgi App")

    apps = {
        id(value): (name, value) for name, value in vars(module).items() if isinstance(value, App)
    }
    if len(apps) == 1:
        return next(iter(apps.values()))[1]
    if len(apps) > 1:
        names = ", ".join(sorted(f"{module.__name__}:{name}" for name, _ in apps.values()))
        raise NoAppError(
            f"Module '{module.__name__}' holds several apps ({names}). Say which one "
            f"with --app, e.g. --app {module.__name__}:app."
        )

    for name in _FACTORY_NAMES:
        factory = getattr(module, name, None)
        if inspect.isfunction(factory):
            return _call_factory(factory, (), {}, f"{module.__name__}:{name}")

    details = "".join(f"\n  ({note})" for note in notes)
    raise NoAppError(
        f"No microwsgi app found in module '{module.__name__}' ({_origin(module)}). "
        f"Looked for a variable named 'app' or 'application', any microwsgi App, and a "
        f"factory function 'create_app' or 'make_app'.{details}\n"
        f"Create one with 'app = App(__name__)', or name it: "
        f"--app {module.__name__}:<variable> or --app '{module.__name__}:<factory>()'."
    )


def _default_module(cwd: Path) -> str:
    for name in _DEFAULT_MODULES:
        if (cwd / f"{name}.py").is_file() or (cwd / name / "__init__.py").is_file():
            return name
    raise NoAppError(
        f"No app to load: there is no --app option, MICROWSGI_APP is not set, and there is "
        f"no wsgi.py or app.py in the current folder ({cwd}).\n"
        f"Name the app's module: 'microwsgi --app hello run' for hello.py, or "
        f"'export MICROWSGI_APP=hello'."
    )


def _check_not_shadowed(folder: Path) -> None:
    """Refuse a ``microwsgi.py`` (or foreign ``microwsgi/``) that would hide the package.

    Python imports from the script's or current folder first, so such a file
    is what ``from microwsgi import App`` gets in ``python app.py``, under
    uWSGI and in ``python -m microwsgi``. It fails there with a puzzling
    "cannot import name" error, so it is refused here, where it can be named.
    """
    shadow_file = folder / "microwsgi.py"
    shadow_dir = folder / "microwsgi"
    if shadow_file.is_file():
        shadow, kind = shadow_file, "file"
    elif (shadow_dir / "__init__.py").is_file() and shadow_dir.resolve() != _PACKAGE_DIR:
        # (A folder without __init__.py is a namespace package: it loses to the real one.)
        shadow, kind = shadow_dir, "folder"
    else:
        return
    raise NoAppError(
        f"The {kind} {shadow} has the same name as the microwsgi package. Python finds it "
        f"first, so 'from microwsgi import App' (in 'python yourapp.py', under uWSGI, and "
        f"in 'python -m microwsgi') imports that {kind} instead of the framework.\n"
        f"Rename it{' (for example to app.py)' if kind == 'file' else ''}, and delete the "
        f"{folder / '__pycache__'} folder."
    )


# Split at the first ":" that is not part of a Windows drive ("C:\...").
_TARGET_SPLIT_RE = re.compile(r":(?![\\/])")


def _split_target(target: str) -> tuple[str, str | None]:
    parts = _TARGET_SPLIT_RE.split(target.strip(), maxsplit=1)
    module_part = parts[0]
    expression = parts[1].strip() if len(parts) == 2 else None
    if not module_part:
        raise NoAppError(f"--app {target!r} names no module. Use 'module' or 'module:name'.")
    return module_part, expression or None


def _prepare_import(module_part: str, cwd: Path) -> str:
    """The module name to import, with its folder put first on ``sys.path``.

    ``hello`` -> ``hello`` (from the current folder); ``src/shop/app.py``
    -> ``shop.app`` when ``src/shop`` is a package, with ``src`` on the path.
    """
    if not module_part.endswith(".py") and "/" not in module_part and os.sep not in module_part:
        _put_first_on_path(str(cwd))
        return module_part

    path = (cwd / module_part).resolve()
    if path.suffix == ".py":
        path = path.with_suffix("")
    if path.name == "__init__":
        path = path.parent
    if not (path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()):
        raise NoAppError(f"--app {module_part!r}: there is no such file ({path}.py).")
    names = [path.name]
    folder = path.parent
    while (folder / "__init__.py").is_file():
        names.append(folder.name)
        folder = folder.parent
    _check_not_shadowed(folder)
    _put_first_on_path(str(folder))
    return ".".join(reversed(names))


def _put_first_on_path(folder: str) -> None:
    if sys.path[:1] != [folder]:
        sys.path.insert(0, folder)


def _import_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        # Only "this module does not exist" is ours to explain; a missing import
        # *inside* the module is the module's own error, shown with its traceback.
        if exc.name is None or not (name == exc.name or name.startswith(exc.name + ".")):
            raise
        raise NoAppError(
            f"Could not import '{name}': there is no module of that name in the current "
            f"folder ({Path.cwd()}) or on the Python path. Check the spelling, run the "
            f"command from the folder that holds {name.split('.')[0]}.py, or give a path: "
            f"--app path/to/{name.split('.')[-1]}.py."
        ) from None


def _app_from_expression(module: ModuleType, expression: str) -> App:
    """``name`` or ``factory(literal args)`` looked up (and called) in ``module``."""
    where = f"{module.__name__}:{expression}"
    name, args, kwargs = _parse_expression(expression, where)
    try:
        value = getattr(module, name)
    except AttributeError:
        raise NoAppError(
            f"Module '{module.__name__}' ({_origin(module)}) has no attribute '{name}'."
        ) from None
    # A bare function name is a factory too: "--app hello:create_app" calls it.
    if args is not None or inspect.isfunction(value):
        if not callable(value):
            raise NoAppError(
                f"'{module.__name__}:{name}' is {_describe(value)}; it cannot be "
                f"called as a factory."
            )
        return _call_factory(value, args or (), kwargs or {}, where)
    if not isinstance(value, App):
        raise NoAppError(
            f"'{where}' is {_describe(value)}, not a microwsgi App. Point --app at the "
            f"App instance (app = App(__name__)) or at a factory that returns one."
        )
    return value


def _parse_expression(
    expression: str, where: str
) -> tuple[str, tuple[Any, ...] | None, dict[str, Any] | None]:
    """``"app"`` -> ``("app", None, None)``; ``"create_app('dev', debug=True)"`` -> a call."""
    try:
        node = ast.parse(expression, mode="eval").body
    except SyntaxError:
        node = None
    if isinstance(node, ast.Name):
        return node.id, None, None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        raise NoAppError(
            f"'{where}': after ':' give a variable name or a function call such as "
            f"create_app() or create_app('testing', debug=True)."
        )
    try:
        args = tuple(ast.literal_eval(arg) for arg in node.args)
        kwargs = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                raise ValueError("**")
            kwargs[keyword.arg] = ast.literal_eval(keyword.value)
    except ValueError:
        raise NoAppError(
            f"'{where}': the factory's arguments must be literals (strings, numbers, "
            f"True/False/None, lists, dicts), written out; they are never evaluated as code."
        ) from None
    return node.func.id, args, kwargs


def _call_factory(
    factory: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], where: str
) -> App:
    try:
        inspect.signature(factory).bind(*args, **kwargs)
    except TypeError as exc:
        raise NoAppError(
            f"Cannot call the factory '{where}': {exc}. Give its arguments in the target, "
            f"e.g. --app '{where.split('(')[0]}(\"production\")'."
        ) from None
    except ValueError:
        pass  # no signature to check (a builtin); just call it
    app = factory(*args, **kwargs)
    if not isinstance(app, App):
        raise NoAppError(f"The factory '{where}' returned {_describe(app)}, not a microwsgi App.")
    return app


def _describe(value: Any) -> str:
    kind = type(value).__name__
    return f"an {kind}" if kind[:1].lower() in "aeiou" else f"a {kind}"


def _origin(module: ModuleType) -> str:
    return getattr(module, "__file__", None) or "built in"


def _user_traceback(exc: BaseException) -> TracebackType | None:
    """The traceback from the first frame of the user's code: not this file, not importlib."""
    tb = exc.__traceback__
    while tb is not None and _is_loader_frame(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return tb


def _is_loader_frame(filename: str) -> bool:
    return (
        filename == __file__
        or filename.startswith("<frozen importlib")
        or Path(filename).parent == Path(importlib.__file__).parent
    )


# -- the commands ------------------------------------------------------------


def _run_command(app: Any, args: argparse.Namespace) -> int:
    from .serving import run_development_server

    if args.debug is not None and isinstance(app, App):
        app.debug = args.debug
    reload = args.reload if args.reload is not None else bool(getattr(app, "debug", False))
    run_development_server(
        app, args.host, args.port, use_reloader=reload, threaded=args.threads, from_cli=True
    )
    return EXIT_OK


def _routes_command(app: App, args: argparse.Namespace) -> int:
    rules = list(app.url_map.rules)
    if not rules:
        print("No routes were registered.")
        return EXIT_OK
    # HEAD and OPTIONS are on almost every rule, added automatically: they hide the rest.
    hidden = frozenset() if args.all_methods else frozenset(("HEAD", "OPTIONS"))
    rows = [(rule.endpoint, ", ".join(sorted(rule.methods - hidden)), rule.rule) for rule in rules]
    column = {"endpoint": 0, "methods": 1, "rule": 2}[args.sort]
    rows.sort(key=lambda row: (row[column], row))
    headers = ("Endpoint", "Methods", "Rule")
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(3)]
    for row in (headers, tuple("-" * width for width in widths), *rows):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return EXIT_OK


def _shell_command(app: App, args: argparse.Namespace) -> int:
    import code

    from .globals import g

    banner = (
        f"Python {sys.version.split()[0]} on {sys.platform}\n"
        f"App: {app.name} (debug mode: {'on' if app.debug else 'off'})\n"
        f"An application context is pushed: current_app and g work. Names: app, g."
    )
    namespace: dict[str, Any] = {"app": app, "g": g, "__name__": "__console__"}
    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup, encoding="utf-8") as file:
            exec(compile(file.read(), startup, "exec"), namespace)
    if sys.stdin.isatty():
        _enable_tab_completion(namespace)
    with app.app_context():
        code.interact(banner=banner, local=namespace, exitmsg="")
    return EXIT_OK


def _enable_tab_completion(namespace: dict[str, Any]) -> None:
    try:
        import readline
        import rlcompleter
    except ImportError:  # not on every platform; the shell works without it
        return
    readline.set_completer(rlcompleter.Completer(namespace).complete)
    readline.parse_and_bind("tab: complete")


_COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "run": _run_command,
    "routes": _routes_command,
    "shell": _shell_command,
}


# -- the command line ---------------------------------------------------------


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return port


def _env_flag(name: str) -> bool | None:
    value = os.environ.get(name)
    if not value:
        return None
    return value.strip().lower() not in ("0", "false", "no", "off")


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``microwsgi`` command and its subcommands."""
    app_help = (
        "the app: 'module', 'module:name' or 'module:factory(args)'; module may be a "
        "path to a .py file (default: $MICROWSGI_APP, else wsgi.py or app.py here)"
    )
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run a microwsgi app, list its routes, or open a shell inside it.",
        epilog="Example: microwsgi --app hello run --debug   (serves ./hello.py's app)",
    )
    parser.add_argument("--app", metavar="TARGET", help=app_help)
    from . import __version__

    parser.add_argument(
        "--version",
        action="version",
        version=f"microwsgi {__version__} (Python {sys.version.split()[0]})",
    )
    # Accept --app after the command too ("microwsgi run --app hello"); SUPPRESS keeps the
    # subcommand from overwriting a value given before it.
    app_after_command = argparse.ArgumentParser(add_help=False)
    app_after_command.add_argument(
        "--app", metavar="TARGET", default=argparse.SUPPRESS, help=app_help
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser(
        "run",
        parents=[app_after_command],
        help="serve the app with the development server",
        description="Serve the app with Werkzeug's development server: threaded, a log line "
        "per request, restarting on code changes in debug mode. Not for production: "
        "use uWSGI or gunicorn there (docs/deploy.md).",
    )
    run.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; "
        "0.0.0.0 opens it to the network)",
    )
    run.add_argument("--port", type=_port, default=5000, help="port (default 5000)")
    run.add_argument(
        "--debug",
        action=argparse.BooleanOptionalAction,
        default=_env_flag("MICROWSGI_DEBUG"),
        help="debug mode: detailed errors and the reloader (default: $MICROWSGI_DEBUG, "
        "else the app's DEBUG setting)",
    )
    run.add_argument(
        "--reload",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="restart when a source file changes (default: on in debug mode)",
    )
    run.add_argument(
        "--threads",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="handle each request in its own thread (default: on)",
    )

    routes = commands.add_parser(
        "routes",
        parents=[app_after_command],
        help="list the app's URL rules",
        description="Print a table of every URL rule: its endpoint, methods and rule.",
    )
    routes.add_argument(
        "--sort",
        choices=("endpoint", "rule", "methods"),
        default="endpoint",
        help="the column to sort by (default: endpoint)",
    )
    routes.add_argument(
        "--all-methods",
        action="store_true",
        help="also show HEAD and OPTIONS, which are added to rules automatically",
    )

    commands.add_parser(
        "shell",
        parents=[app_after_command],
        help="open a Python shell inside an app context",
        description="Start an interactive Python shell with the app loaded and an "
        "application context pushed, so current_app and g work.",
    )
    return parser


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """The ``microwsgi`` command. Returns the exit status."""
    args = build_parser(prog).parse_args(argv)
    if args.command == "run":
        from .serving import RUN_FROM_CLI_ENV

        # Before the import, so an app.run() at the module's top level stands aside.
        os.environ[RUN_FROM_CLI_ENV] = "true"
    try:
        app: Any = load_app(args.app)
    except NoAppError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        print("Error: loading the app failed. The traceback of its code:", file=sys.stderr)
        traceback.print_exception(type(exc), exc, _user_traceback(exc), file=sys.stderr)
        if args.command != "run" or os.environ.get("WERKZEUG_RUN_MAIN") != "true":
            return EXIT_APP_FAILED
        # The reloader restarted us after an edit that broke the app: keep serving an
        # error page, and keep watching the files, so the next save can fix it.
        app = _app_that_failed_to_load(exc)
    return _COMMANDS[args.command](app, args)


def _app_that_failed_to_load(error: BaseException) -> Callable[..., Any]:
    message = "".join(traceback.format_exception_only(type(error), error)).strip()

    def failed_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = (
            f"The app failed to load: {message}\n"
            f"See the traceback in the terminal. Fix the code and save: the server reloads.\n"
        ).encode()
        start_response(
            "500 INTERNAL SERVER ERROR",
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]

    failed_app.debug = True  # type: ignore[attr-defined]
    return failed_app
