"""The ``microwsgi`` command: find the app, then run one of its commands.

Flask counterpart: ``flask/cli.py`` (``flask run``, ``flask routes``,
``flask shell``, ``app.cli``, ``FlaskGroup``, ``ScriptInfo``).

The idea to take away: a command-line tool for a web framework is mostly
about *finding the app object*. Everything after that is a small function of
the app: ``run`` hands it to a server, ``routes`` prints ``app.url_map``,
``openapi`` prints the API description generated from it (``openapi.py``),
``shell`` pushes an app context and starts Python's interactive console. The
commands are Click commands, as Flask's are, so an app adds its own with
``@app.cli.command("init-db")`` and a Flask app's commands run unchanged::

    @app.cli.command("init-db")
    @click.option("--drop", is_flag=True)
    def init_db(drop):            # runs inside an app context: current_app, g work
        ...

    $ microwsgi --app shop init-db --drop

How the app is found (the first rule that applies wins):

1. ``--app TARGET`` (before or after a built-in command's name), where TARGET
   is ``module``, ``module:name`` or ``module:factory(args)``; ``module`` may
   be a dotted name or a path to a ``.py`` file. The arguments of a factory
   are Python literals, read with ``ast.literal_eval``: nothing in them is
   ever executed.
2. The ``MICROWSGI_APP`` environment variable, else Flask's ``FLASK_APP``,
   with the same forms.
3. ``wsgi.py``, else ``app.py``, in the current folder.

Inside the module, a name given after ``:`` is used; otherwise a variable
``app`` or ``application``, else the only ``App`` in the module, else a
factory function ``create_app`` or ``make_app`` called without arguments.
The module's folder is put first on ``sys.path``, so ``--app hello`` finds
``./hello.py``. ``run`` also serves a plain WSGI callable (a function
``application(environ, start_response)``, or middleware wrapping an app);
the other commands need a microwsgi ``App``.

Environment files: before the app is loaded, ``.env``, ``.microwsgienv`` and
Flask's ``.flaskenv`` (the nearest of each, looking up from the current
folder) are read with python-dotenv, if it is installed
(``pip install 'microwsgi[dotenv]'``). A variable already set in the
environment is never replaced; between files, ``--env-file FILE`` wins over
``.env``, which wins over ``.microwsgienv``, which wins over ``.flaskenv``.
``MICROWSGI_SKIP_DOTENV=1`` (or ``FLASK_SKIP_DOTENV=1``) skips the three.

Debug mode is the command's decision, as in Flask: ``--debug``, or
``MICROWSGI_DEBUG=1`` (else ``FLASK_DEBUG``), turns it on; without them it
is off, whatever the app's own ``DEBUG`` setting says.

Exit status: 0 on success; 1 when the app's own code raised (its traceback is
shown, from its first frame: the loader's and Click's frames are left out);
2 for a usage error: bad arguments, no app found, or a file named
``microwsgi.py`` hiding the package.

How this file is laid out, top to bottom:

- **Finding the app**: ``NoAppError``, ``load_app``, ``find_best_app``,
  ``locate_app``, ``prepare_import``, then the reading of a target
  (``module:factory(args)``) and the checks made before a factory is called.
- **Environment files**: ``load_dotenv``.
- **Click's plumbing**: ``ScriptInfo`` (the app, loaded once per command
  line), ``with_appcontext``, ``AppGroup``, the ``--app``, ``--debug``,
  ``--env-file`` and ``--version`` options, and ``MicrowsgiGroup``
  (``FlaskGroup``), the group that adds the app's own commands to the
  built-in ones.
- **The built-in commands**: ``run`` (with its option types), ``shell``,
  ``routes``, ``openapi``.
- ``cli``, the group the ``microwsgi`` script runs, and ``main``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import platform
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from functools import update_wrapper
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from .app import App
from .globals import current_app
from .helpers import get_debug_flag, get_load_dotenv
from .serving import RUN_FROM_CLI_ENV

if TYPE_CHECKING:
    import ssl

#: Where the microwsgi package itself lives, to tell it apart from a file that hides it.
_PACKAGE_DIR = Path(__file__).resolve().parent
_DEFAULT_MODULES = ("wsgi", "app")
_VARIABLE_NAMES = ("app", "application")
_FACTORY_NAMES = ("create_app", "make_app")
#: The environment variables that name the app, the first one set wins.
APP_ENV_VARS = ("MICROWSGI_APP", "FLASK_APP")
#: The environment files read before the app loads, the first one listed wins.
DOTENV_FILES = (".env", ".microwsgienv", ".flaskenv")

EXIT_OK = 0
EXIT_APP_FAILED = 1
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., Any])
WSGICallable = Callable[..., Any]


class NoAppError(click.UsageError):
    """The app could not be found; the message says what was looked for and how to fix it.

    A Click usage error, so the command exits with status 2 and the message.
    Flask's name for it, ``NoAppException``, is the same class.
    """


NoAppException = NoAppError


class AppImportError(NoAppError):
    """Importing the app's module raised an ``ImportError`` from inside the module.

    A ``NoAppError`` (Flask's ``locate_app`` raises ``NoAppException`` here
    too), but the fault is in the app's code, not in how it was named: the
    command exits with status 1 and shows the module's own traceback.
    """

    exit_code = EXIT_APP_FAILED

    def __init__(self, module_name: str, error: ImportError) -> None:
        trace = "".join(traceback.format_exception(type(error), error, _user_traceback(error)))
        super().__init__(
            f"loading the app failed: importing {module_name!r} raised an ImportError "
            f"inside the module. The traceback of its code:\n{trace.rstrip()}"
        )

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", file=file or sys.stderr)


# -- finding the app ---------------------------------------------------------


def load_app(target: str | None = None) -> App:
    """The app named by ``target``, ``MICROWSGI_APP``/``FLASK_APP``, or ``wsgi.py``/``app.py``.

    Raises ``NoAppError`` when there is none. An exception raised by the
    app's own module (or factory) while it loads is not caught. The app's
    ``debug`` flag is left as the app set it (``ScriptInfo.load_app``, which
    the command uses, applies ``--debug`` and ``MICROWSGI_DEBUG``).
    """
    if target is None:
        target = _target_from_environment()
    app = _load_target(target, wsgi_callable_ok=False)
    assert isinstance(app, App)
    return app


def _target_from_environment() -> str | None:
    for name in APP_ENV_VARS:
        value = os.environ.get(name)
        if value:
            return value
    return None


def _load_target(target: str | None, *, wsgi_callable_ok: bool) -> App | WSGICallable:
    cwd = Path.cwd()
    _check_not_shadowed(cwd)
    if target is None:
        target = _default_module(cwd)
    module_part, expression = _split_target(target)
    if _looks_like_a_path(module_part):
        _check_file_exists(module_part, cwd)
    module_name = prepare_import(module_part)
    app = locate_app(module_name, expression, wsgi_callable_ok=wsgi_callable_ok)
    assert app is not None
    return app


def find_best_app(module: ModuleType, *, wsgi_callable_ok: bool = False) -> App:
    """The app a module offers: ``app``/``application``, the only App, or a factory's.

    With ``wsgi_callable_ok`` (for ``run``), a variable ``app`` or
    ``application`` that is any WSGI callable is accepted too. Raises
    ``NoAppError`` saying what was looked for; an exception raised by a
    factory is not caught.
    """
    notes = []
    for name in _VARIABLE_NAMES:
        value = getattr(module, name, None)
        if isinstance(value, App):
            return value
        if value is None:
            continue
        if wsgi_callable_ok and _is_wsgi_callable(value):
            return value  # type: ignore[no-any-return]
        notes.append(f"'{name}' is {_describe(value)}, not a microwsgi App{_wsgi_hint(value)}")

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
            return _call_factory(factory, (), {}, f"{module.__name__}:{name}", wsgi_callable_ok)

    details = "".join(f"\n  ({note})" for note in notes)
    raise NoAppError(
        f"No microwsgi app found in module '{module.__name__}' ({_origin(module)}). "
        f"Looked for a variable named 'app' or 'application', any microwsgi App, and a "
        f"factory function 'create_app' or 'make_app'.{details}\n"
        f"Create one with 'app = App(__name__)', or name it: "
        f"--app {module.__name__}:<variable> or --app '{module.__name__}:<factory>()'."
    )


def locate_app(
    module_name: str,
    app_name: str | None,
    raise_if_not_found: bool = True,
    *,
    wsgi_callable_ok: bool = False,
) -> App | None:
    """Import ``module_name`` and find the app in it (``app_name``: a name or a factory call).

    Raises ``NoAppError`` when the module does not exist (or returns None,
    with ``raise_if_not_found=False``) and ``AppImportError`` when the module
    exists but an import inside it fails. Any other exception raised by the
    module's code is not caught.
    """
    try:
        importlib.import_module(module_name)
    except ImportError as exc:
        if not _is_missing_module(exc, module_name):
            raise AppImportError(module_name, exc) from None
        if not raise_if_not_found:
            return None
        first = module_name.split(".")[0]
        raise NoAppError(
            f"Could not import '{module_name}': there is no module of that name in the "
            f"current folder ({Path.cwd()}) or on the Python path. Check the spelling, run "
            f"the command from the folder that holds {first}.py, or give a path: "
            f"--app path/to/{module_name.split('.')[-1]}.py."
        ) from None
    module = sys.modules[module_name]
    if app_name is None:
        return find_best_app(module, wsgi_callable_ok=wsgi_callable_ok)
    return _app_from_expression(module, app_name.strip(), wsgi_callable_ok)


def _is_missing_module(error: ImportError, module_name: str) -> bool:
    """Whether ``error`` says ``module_name`` itself (or a parent package) does not exist.

    Anything else, such as a missing import *inside* the module, is the
    module's own error.
    """
    missing = error.name if isinstance(error, ModuleNotFoundError) else None
    if missing is None:
        return False
    return module_name == missing or module_name.startswith(missing + ".")


def prepare_import(path: str) -> str:
    """The module name to import for ``path``, with its folder put first on ``sys.path``.

    ``hello`` and ``hello.py`` -> ``hello`` (from the current folder);
    ``src/shop/app.py`` -> ``shop.app`` when ``src/shop`` is a package, with
    ``src`` first on the path; ``shop.app`` stays a dotted name. Nothing is
    imported, and a path that does not exist is not an error here (the
    import reports it). Raises ``NoAppError`` when the folder holds a
    ``microwsgi.py`` that would hide the framework.
    """
    full = os.path.realpath(path)
    stem, extension = os.path.splitext(full)
    if extension == ".py":
        full = stem
    if os.path.basename(full) == "__init__":
        full = os.path.dirname(full)
    names = []
    folder = full
    while True:
        folder, name = os.path.split(folder)
        names.append(name)
        if not os.path.isfile(os.path.join(folder, "__init__.py")):
            break
    _check_not_shadowed(Path(folder))
    if sys.path[:1] != [folder]:
        sys.path.insert(0, folder)
    return ".".join(reversed(names))


def _default_module(cwd: Path) -> str:
    for name in _DEFAULT_MODULES:
        if (cwd / f"{name}.py").is_file() or (cwd / name / "__init__.py").is_file():
            return name
    raise NoAppError(
        f"No app to load: there is no --app option, neither MICROWSGI_APP nor FLASK_APP "
        f"is set, and there is no wsgi.py or app.py in the current folder ({cwd}).\n"
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


def _looks_like_a_path(module_part: str) -> bool:
    return module_part.endswith(".py") or "/" in module_part or os.sep in module_part


def _check_file_exists(module_part: str, cwd: Path) -> None:
    path = (cwd / module_part).resolve()
    if path.suffix == ".py":
        path = path.with_suffix("")
    if path.name == "__init__":
        path = path.parent
    if not (path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()):
        raise NoAppError(f"--app {module_part!r}: there is no such file ({path}.py).")


def _app_from_expression(module: ModuleType, expression: str, wsgi_callable_ok: bool) -> App:
    """``name`` or ``factory(literal args)`` looked up (and called) in ``module``."""
    where = f"{module.__name__}:{expression}"
    name, args, kwargs = _parse_expression(expression, where)
    try:
        value = getattr(module, name)
    except AttributeError:
        raise NoAppError(
            f"Module '{module.__name__}' ({_origin(module)}) has no attribute '{name}'."
        ) from None
    if isinstance(value, App):
        if args is not None:
            raise NoAppError(f"'{module.__name__}:{name}' is an App; it cannot be called.")
        return value
    if args is None and wsgi_callable_ok and _is_wsgi_callable(value, factory_first=True):
        return value  # type: ignore[no-any-return]
    # A bare function name is a factory too: "--app hello:create_app" calls it.
    if args is not None or inspect.isfunction(value):
        _check_factory(value, f"{module.__name__}:{name}")
        return _call_factory(value, args or (), kwargs or {}, where, wsgi_callable_ok)
    raise NoAppError(
        f"'{where}' is {_describe(value)}, not a microwsgi App{_wsgi_hint(value)}. Point "
        f"--app at the App instance (app = App(__name__)) or at a factory that returns one."
    )


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


def _check_factory(value: Any, where: str) -> None:
    """Refuse to call ``value`` unless it can be an app's factory: a Python function
    (``def``) that is not part of Python's standard library.

    The target names what is called, so without this rule ``builtins:exec('...')``,
    ``os:system('...')`` or ``pdb:run('...')`` would run the code written in the
    target itself, which the literal-only arguments are there to prevent (the
    target may come from ``MICROWSGI_APP`` or an ``.env`` file, not only from the
    command line). Flask calls Python functions only, too; importing the module
    the target names still runs that module, as ``python -m`` would.
    """
    if not inspect.isfunction(value):
        kind = "" if callable(value) else "; it cannot be called"
        raise NoAppError(
            f"'{where}' is {_describe(value)}, not a factory function{kind}. A factory is a "
            f"Python function of your app that returns it (def create_app(): ...)."
        )
    package = str(getattr(value, "__module__", None) or "").partition(".")[0]
    if package in sys.stdlib_module_names:
        raise NoAppError(
            f"'{where}' is a function of Python's standard library ({package}), not a "
            f"factory of your app; it is not called. A factory is a Python function of "
            f"your app that returns it (def create_app(): ...)."
        )


def _call_factory(
    factory: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    where: str,
    wsgi_callable_ok: bool = False,
) -> App:
    # The arguments are checked against the signature first, so that a factory that
    # needs arguments is explained, while a TypeError raised *inside* it propagates.
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
    if isinstance(app, App) or (wsgi_callable_ok and app is not None and callable(app)):
        return app  # type: ignore[no-any-return]
    raise NoAppError(f"The factory '{where}' returned {_describe(app)}, not a microwsgi App.")


def _is_wsgi_callable(value: Any, *, factory_first: bool = False) -> bool:
    """Whether ``value`` can be served as ``value(environ, start_response)``.

    With ``factory_first``, a function that can be called without arguments
    is a factory (Flask's rule for ``module:name``), not a WSGI callable.
    """
    if isinstance(value, App) or not callable(value):
        return False
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        return True  # a builtin or C type without a signature: trust it
    if factory_first and inspect.isfunction(value):
        try:
            signature.bind()
        except TypeError:
            pass
        else:
            return False
    try:
        signature.bind({}, lambda *args: None)
    except TypeError:
        return False
    return True


def _wsgi_hint(value: Any) -> str:
    if _is_wsgi_callable(value):
        return (
            "; 'microwsgi run' serves a plain WSGI callable, but 'routes', 'shell' and "
            "the app's own commands need a microwsgi App"
        )
    return ""


def _describe(value: Any) -> str:
    kind = type(value).__name__
    return f"an {kind}" if kind[:1].lower() in "aeiou" else f"a {kind}"


def _origin(module: ModuleType) -> str:
    return getattr(module, "__file__", None) or "built in"


def _user_traceback(exc: BaseException) -> TracebackType | None:
    """The traceback from the first frame of the user's code: not this file, not
    Click's, not importlib's."""
    tb = exc.__traceback__
    while tb is not None and _is_loader_frame(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return tb


_CLICK_DIR = Path(click.__file__).parent
_IMPORTLIB_DIR = Path(importlib.__file__).parent


def _is_loader_frame(filename: str) -> bool:
    if filename == __file__ or filename.startswith("<frozen importlib"):
        return True
    parent = Path(filename).parent
    return parent in (_IMPORTLIB_DIR, _CLICK_DIR)


# -- environment files ---------------------------------------------------------


def load_dotenv(path: str | os.PathLike[str] | None = None, load_defaults: bool = True) -> bool:
    """Set environment variables from ``.env``-style files; True if any file set one.

    With ``load_defaults``, the nearest ``.env``, ``.microwsgienv`` and
    ``.flaskenv`` (looking from the current folder up) are read; ``path``, if
    given and a file, is read last and wins over them. Between files, the
    first listed wins; a variable already in ``os.environ`` is never
    replaced. The files are read as UTF-8 by python-dotenv; without it
    installed nothing is read, and a tip is printed if such files exist.
    """
    try:
        import dotenv
    except ImportError:
        present = [name for name in DOTENV_FILES if os.path.isfile(name)]
        if path is not None or present:
            click.secho(
                f" * Tip: {', '.join(present) or os.fspath(path or '')} "
                f"{'is' if len(present) <= 1 else 'are'} not read: the package "
                "python-dotenv is not installed. pip install 'microwsgi[dotenv]'",
                fg="yellow",
                err=True,
            )
        return False

    values: dict[str, str | None] = {}
    if load_defaults:
        for name in reversed(DOTENV_FILES):  # lowest precedence first; later ones overwrite
            found = dotenv.find_dotenv(name, usecwd=True)
            if found:
                values.update(dotenv.dotenv_values(found, encoding="utf-8"))
    if path is not None and os.path.isfile(path):
        values.update(dotenv.dotenv_values(path, encoding="utf-8"))

    for key, value in values.items():
        if value is not None and key not in os.environ:
            os.environ[key] = value
    return bool(values)


# -- the app, for the commands -------------------------------------------------


class ScriptInfo:
    """What a command needs to load the app: how it is named, and the app once loaded.

    The group creates one per command line and passes it down as Click's
    context object (``click.get_current_context().obj``). ``create_app``, a
    function returning the app, takes precedence over ``app_import_path``
    (the ``--app`` value). ``load_app()`` loads the app once and returns the
    same object afterwards.
    """

    def __init__(
        self,
        app_import_path: str | None = None,
        create_app: Callable[..., Any] | None = None,
        set_debug_flag: bool = True,
        load_dotenv_defaults: bool = True,
    ) -> None:
        self.app_import_path = app_import_path
        self.create_app = create_app
        #: Free space for a group or a command to keep data about this command line.
        self.data: dict[Any, Any] = {}
        #: Whether ``load_app`` sets ``app.debug`` from ``--debug`` / ``MICROWSGI_DEBUG``.
        self.set_debug_flag = set_debug_flag
        #: Whether the group reads ``.env``, ``.microwsgienv`` and ``.flaskenv``.
        self.load_dotenv_defaults = get_load_dotenv(load_dotenv_defaults)
        self._loaded_app: App | WSGICallable | None = None

    def load_app(self) -> App:
        """The app, loaded on first call. Raises ``NoAppError`` if there is none."""
        app = self._load(wsgi_callable_ok=False)
        if not isinstance(app, App):
            raise NoAppError(
                f"'{self.app_import_path}' is {_describe(app)}, not a microwsgi App"
                f"{_wsgi_hint(app)}."
            )
        return app

    def load_wsgi_app(self) -> App | WSGICallable:
        """The app for ``run``: a microwsgi ``App`` or any WSGI callable."""
        return self._load(wsgi_callable_ok=True)

    def _load(self, *, wsgi_callable_ok: bool) -> App | WSGICallable:
        if self._loaded_app is not None:
            return self._loaded_app
        try:
            if self.create_app is not None:
                app = self.create_app()
                if not isinstance(app, App) and not (wsgi_callable_ok and callable(app)):
                    raise NoAppError(
                        f"The create_app function returned {_describe(app)}, not a microwsgi App."
                    )
            else:
                app = _load_target(self.app_import_path, wsgi_callable_ok=wsgi_callable_ok)
        except NoAppError:
            raise
        except Exception as exc:
            # Marks the error for main(), which says "loading the app failed".
            exc._microwsgi_while_loading = True  # type: ignore[attr-defined]
            raise
        if self.set_debug_flag and isinstance(app, App):
            app.debug = get_debug_flag()
        self._loaded_app = app
        return app


pass_script_info = click.make_pass_decorator(ScriptInfo, ensure=True)


def with_appcontext(f: F) -> F:
    """Run the decorated Click command (and its subcommands) inside the app's context.

    Commands registered on ``app.cli`` or a blueprint's ``cli`` get this
    automatically; it is for commands added to a group of your own. The app
    is loaded through the ``ScriptInfo`` of the command line, unless an app
    context is active already.
    """

    @click.pass_context
    def decorator(ctx: click.Context, /, *args: Any, **kwargs: Any) -> Any:
        if not current_app:
            app = ctx.ensure_object(ScriptInfo).load_app()
            ctx.with_resource(app.app_context())
        return ctx.invoke(f, *args, **kwargs)

    return update_wrapper(decorator, f)  # type: ignore[return-value]


class AppGroup(click.Group):
    """A Click group whose commands run inside an app context: ``app.cli`` is one.

    ``@group.command()`` wraps the command in ``with_appcontext`` (pass
    ``with_appcontext=False`` not to); ``@group.group()`` makes another
    ``AppGroup``. Otherwise it is Click's ``Group``.
    """

    def command(self, *args: Any, **kwargs: Any) -> Any:
        """Click's ``Group.command``, with the command run in an app context."""
        wrap_in_context = kwargs.pop("with_appcontext", True)

        def decorator(f: Callable[..., Any]) -> click.Command:
            if wrap_in_context:
                f = with_appcontext(f)
            return super(AppGroup, self).command(*args, **kwargs)(f)  # type: ignore[no-any-return]

        return decorator

    def group(self, *args: Any, **kwargs: Any) -> Any:
        """Click's ``Group.group``, making an ``AppGroup``."""
        kwargs.setdefault("cls", AppGroup)
        return super().group(*args, **kwargs)


# -- the group's options ---------------------------------------------------------


def _set_app(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.ensure_object(ScriptInfo).app_import_path = value
    return value


_APP_HELP = (
    "The app: 'module', 'module:name' or 'module:factory(args)'; module may be a path "
    "to a .py file. Default: $MICROWSGI_APP, else $FLASK_APP, else wsgi.py or app.py here."
)

# Eager, so that the app is known when --help lists its commands. (--help is eager
# too, so this option must come before it.)
_app_option = click.Option(
    ["-A", "--app"],
    metavar="TARGET",
    help=_APP_HELP,
    envvar=list(APP_ENV_VARS),
    show_envvar=False,
    is_eager=True,
    expose_value=False,
    callback=_set_app,
)
# The same option after a built-in command's name ("microwsgi run --app hello"). It
# reads no environment variable, so it never overrides a --app given before the name.
_command_app_option = click.Option(
    ["-A", "--app"],
    metavar="TARGET",
    help=_APP_HELP,
    is_eager=True,
    expose_value=False,
    callback=_set_app,
)


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool | None:
    source = ctx.get_parameter_source(param.name or "debug")
    if source in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP):
        return None  # not given: leave MICROWSGI_DEBUG / FLASK_DEBUG as they are
    # Through the environment rather than the ScriptInfo, so that a factory can read
    # it, and so that the reloader's copy of the process inherits it.
    os.environ["MICROWSGI_DEBUG"] = "1" if value else "0"
    return value


_debug_option = click.Option(
    ["--debug/--no-debug"],
    help="Debug mode: tracebacks in the browser and the reloader. "
    "Default: $MICROWSGI_DEBUG, else $FLASK_DEBUG, else off.",
    envvar=["MICROWSGI_DEBUG", "FLASK_DEBUG"],
    expose_value=False,
    callback=_set_debug,
)


def _load_env_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    try:
        import dotenv  # noqa: F401
    except ImportError:
        if value is not None:
            raise click.BadParameter(
                "reading an environment file needs python-dotenv: pip install 'microwsgi[dotenv]'",
                ctx=ctx,
                param=param,
            ) from None
    info = ctx.ensure_object(ScriptInfo)
    if value is not None or info.load_dotenv_defaults:
        load_dotenv(value, load_defaults=info.load_dotenv_defaults)
    return value


# Eager and first, so that the files are read before --app and --debug look at the
# environment.
_env_file_option = click.Option(
    ["-e", "--env-file"],
    type=click.Path(exists=True, dir_okay=False),
    help="Read environment variables from this file too; it wins over .env, "
    ".microwsgienv and .flaskenv, and the real environment wins over all of them. "
    "Needs python-dotenv.",
    is_eager=True,
    expose_value=False,
    callback=_load_env_file,
)


def get_version(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """The ``--version`` option: the versions of Python, microwsgi, Werkzeug and Click."""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    from . import __version__

    click.echo(
        f"Python {platform.python_version()}\n"
        f"microwsgi {__version__}\n"
        f"Werkzeug {version('werkzeug')}\n"
        f"Click {version('click')}",
        color=ctx.color,
    )
    ctx.exit()


_version_option = click.Option(
    ["--version"],
    help="Show the versions of microwsgi, Python, Werkzeug and Click.",
    expose_value=False,
    callback=get_version,
    is_flag=True,
    is_eager=True,
)


class MicrowsgiGroup(AppGroup):
    """The ``microwsgi`` command: built-in commands plus the app's own (``app.cli``).

    Flask's name for it is ``FlaskGroup``. To give a project its own command
    with a fixed app (``./manage.py``)::

        cli = MicrowsgiGroup(create_app=create_app)
        if __name__ == "__main__":
            cli()

    ``add_default_commands``: add ``run``, ``shell``, ``routes`` and ``openapi``.
    ``create_app``: a function returning the app, instead of ``--app``.
    ``add_version_option``: add ``--version``. ``load_dotenv``: read ``.env``,
    ``.microwsgienv`` and ``.flaskenv``. ``set_debug_flag``: set the app's
    ``debug`` from ``--debug`` / ``MICROWSGI_DEBUG``. Other keyword arguments
    go to Click's ``Group``.

    Commands installed by other packages under the ``microwsgi.commands``
    entry point group are added too.
    """

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: Callable[..., Any] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: Any,
    ) -> None:
        params: list[click.Parameter] = list(extra.pop("params", None) or ())
        # The options work through callbacks rather than a group callback, so that a
        # project's own group callback does not lose them. --env-file comes first so
        # that its files are read before --app looks at the environment.
        params.extend((_env_file_option, _app_option, _debug_option))
        if add_version_option:
            params.append(_version_option)
        extra.setdefault("context_settings", {})
        # MICROWSGI_RUN_PORT=8000 sets "run --port", and so on for every option.
        extra["context_settings"].setdefault("auto_envvar_prefix", "MICROWSGI")
        super().__init__(params=params, **extra)
        self.create_app = create_app
        self.load_dotenv = load_dotenv
        self.set_debug_flag = set_debug_flag
        if add_default_commands:
            self.add_command(run_command)
            self.add_command(shell_command)
            self.add_command(routes_command)
            self.add_command(openapi_command)
        self._loaded_plugin_commands = False

    def _load_plugin_commands(self) -> None:
        if self._loaded_plugin_commands:
            return
        from importlib.metadata import entry_points

        for entry_point in entry_points(group="microwsgi.commands"):
            self.add_command(entry_point.load(), entry_point.name)
        self._loaded_plugin_commands = True

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load_plugin_commands()
        # Built-in and plugin commands work even when the app does not load.
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        info = ctx.ensure_object(ScriptInfo)
        try:
            app = info.load_app()
        except NoAppError as exc:
            click.secho(f"Error: {exc.format_message()}\n", err=True, fg="red")
            return None
        # The app's commands, their options' callbacks included, run in its context.
        if not current_app or current_app._get_current_object() is not app:  # type: ignore[attr-defined]
            ctx.with_resource(app.app_context())
        return app.cli.get_command(ctx, cmd_name)  # type: ignore[no-any-return]

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        names = set(super().list_commands(ctx))
        info = ctx.ensure_object(ScriptInfo)
        # --help still works when the app does not load: the error is shown above it.
        try:
            names.update(info.load_app().cli.list_commands(ctx))
        except NoAppError as exc:
            click.secho(f"Error: {exc.format_message()}\n", err=True, fg="red")
        except Exception:
            click.secho(f"{traceback.format_exc()}\n", err=True, fg="red")
        return sorted(names)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # While a command runs, an app.run() left at the top of the app's module (outside
        # 'if __name__ == "__main__":') must not start a server and block the command.
        previous = os.environ.get(RUN_FROM_CLI_ENV)
        os.environ[RUN_FROM_CLI_ENV] = "true"
        if "obj" not in extra and "obj" not in self.context_settings:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app,
                set_debug_flag=self.set_debug_flag,
                load_dotenv_defaults=self.load_dotenv,
            )
        try:
            ctx = super().make_context(info_name, args, parent=parent, **extra)
        except BaseException:
            _restore_environ(RUN_FROM_CLI_ENV, previous)
            raise
        # Put back as it was when the command ends (it matters when a test invokes it).
        ctx.call_on_close(lambda: _restore_environ(RUN_FROM_CLI_ENV, previous))
        return ctx

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as error:
            # "No such command 'init-dbb'." -> add the commands whose names are close.
            name = args[0] if args else ""
            if "No such command" not in error.message or name.startswith("-"):
                raise
            import difflib

            # The built-in commands, and the app's if it loaded (get_command, which
            # failed just now, has already said why it did not).
            names = set(super().list_commands(ctx))
            loaded = ctx.ensure_object(ScriptInfo)._loaded_app
            if isinstance(loaded, App):
                names.update(loaded.cli.list_commands(ctx))
            close = difflib.get_close_matches(name, sorted(names), n=3)
            if not close:
                raise
            raise click.UsageError(
                f"{error.message} Did you mean {' or '.join(map(repr, close))}?", ctx
            ) from None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if (not args and self.no_args_is_help) or (
            len(args) == 1 and args[0] in self.get_help_option_names(ctx)
        ):
            # The help is printed before the options are processed: read the env files
            # and --app's environment variables now, so it lists the app's commands.
            _env_file_option.handle_parse_result(ctx, {}, [])
            _app_option.handle_parse_result(ctx, {}, [])
        return super().parse_args(ctx, args)


#: Flask's name for the group class.
FlaskGroup = MicrowsgiGroup


def _restore_environ(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


# -- run -------------------------------------------------------------------------


class _PortType(click.ParamType):
    name = "port"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            port = int(value)
        except (TypeError, ValueError):
            port = 0
        if not 0 < port < 65536:
            self.fail(f"{value!r} is not a port number (1-65535)", param, ctx)
        return port


class CertParamType(click.ParamType):
    """``--cert``: a certificate file, ``adhoc`` (a throw-away certificate made by
    the cryptography package), or the import name of an ``ssl.SSLContext``."""

    name = "path"

    def __init__(self) -> None:
        self.path_type = click.Path(exists=True, dir_okay=False, resolve_path=True)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            import ssl
        except ImportError:
            raise click.BadParameter(
                "--cert needs a Python built with the ssl module.", ctx, param
            ) from None
        try:
            return self.path_type(value, param, ctx)
        except click.BadParameter:
            text = click.STRING(value, param, ctx).lower()
            if text == "adhoc":
                try:
                    import cryptography  # noqa: F401
                except ImportError:
                    raise click.BadParameter(
                        "--cert adhoc makes a certificate with the cryptography package, "
                        "which is not installed: pip install cryptography",
                        ctx,
                        param,
                    ) from None
                return text
            context = _import_object(text)
            if isinstance(context, ssl.SSLContext):
                return context
            raise


def _import_object(dotted: str) -> Any:
    """``"package.module.name"`` (or a module), or None when it does not import."""
    module_name, _, attribute = dotted.rpartition(".")
    try:
        if not module_name:
            return importlib.import_module(dotted)
        module = importlib.import_module(module_name)
    except ImportError:
        try:
            return importlib.import_module(dotted)
        except ImportError:
            return None
    return getattr(module, attribute, None)


def _validate_key(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """``--key`` goes with a certificate file, and only with one; the two become a pair."""
    cert = ctx.params.get("cert")
    is_adhoc = cert == "adhoc"
    try:
        import ssl

        is_context = isinstance(cert, ssl.SSLContext)
    except ImportError:
        is_context = False
    if value is not None:
        if is_adhoc:
            raise click.BadParameter("--key is not used with --cert adhoc.", ctx, param)
        if is_context:
            raise click.BadParameter(
                "--key is not used when --cert names an SSLContext.", ctx, param
            )
        if not cert:
            raise click.BadParameter("--key needs --cert too.", ctx, param)
        ctx.params["cert"] = (cert, value)
    elif cert and not (is_adhoc or is_context):
        raise click.BadParameter("--cert with a certificate file needs --key.", ctx, param)
    return value


class SeparatedPathType(click.Path):
    """Paths separated by ``os.pathsep`` (``:``, or ``;`` on Windows), each one checked
    by ``click.Path``."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        convert_one = super().convert
        return [convert_one(item, param, ctx) for item in self.split_envvar_value(value)]


@click.command("run", short_help="Serve the app with the development server.")
@click.option(
    "--host",
    "-h",
    default="127.0.0.1",
    help="The address to listen on (default 127.0.0.1: this machine only; "
    "0.0.0.0 opens it to the network).",
)
@click.option("--port", "-p", type=_PortType(), default=5000, help="The port (default 5000).")
@click.option(
    "--cert",
    type=CertParamType(),
    is_eager=True,
    help="Serve HTTPS with this certificate file (with --key), 'adhoc', or an SSLContext's "
    "import name.",
)
@click.option(
    "--key",
    type=click.Path(exists=True, dir_okay=False, resolve_path=True),
    callback=_validate_key,
    expose_value=False,
    help="The private key file of --cert.",
)
@click.option(
    "--reload/--no-reload",
    default=None,
    help="Restart when a source file changes (default: on in debug mode).",
)
@click.option(
    "--debugger/--no-debugger",
    default=None,
    help="Accepted for Flask's command lines; Werkzeug's interactive debugger is never "
    "started (it runs code sent from a browser). Debug mode shows tracebacks without it.",
)
@click.option(
    "--threads/--no-threads",
    "--with-threads/--without-threads",
    default=True,
    help="Handle each request in its own thread (default: on).",
)
@click.option(
    "--extra-files",
    default=None,
    type=SeparatedPathType(),
    help=f"More files that trigger a reload when they change, separated by {os.pathsep!r}.",
)
@click.option(
    "--exclude-patterns",
    default=None,
    type=SeparatedPathType(),
    help=f"fnmatch patterns of files that never trigger a reload, separated by {os.pathsep!r}.",
)
@pass_script_info
def run_command(
    info: ScriptInfo,
    host: str,
    port: int,
    cert: ssl.SSLContext | tuple[str, str] | str | None,
    reload: bool | None,
    debugger: bool | None,
    threads: bool,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
) -> None:
    """Serve the app with Werkzeug's development server.

    Threaded, a log line per request, restarting on code changes in debug
    mode. Not for production: use uWSGI or gunicorn there (docs/deploy.md).
    """
    from werkzeug.serving import is_running_from_reloader

    from .serving import run_development_server

    try:
        app: Any = info.load_wsgi_app()
    except Exception as exc:
        if not is_running_from_reloader():
            raise
        # The reloader restarted us after an edit that broke the app: keep serving an
        # error page, and keep watching the files, so the next save can fix it.
        print("Error: loading the app failed. The traceback of its code:", file=sys.stderr)
        traceback.print_exception(type(exc), exc, _user_traceback(exc), file=sys.stderr)
        app = _app_that_failed_to_load(exc)
    if debugger:
        click.secho(
            " * --debugger is ignored: microwsgi never starts Werkzeug's interactive "
            "debugger, which runs code sent from the browser. Debug mode (--debug) shows "
            "the traceback page instead.",
            fg="yellow",
            err=True,
        )
    debug = bool(getattr(app, "debug", False))
    options: dict[str, Any] = {}
    if cert is not None:
        options["ssl_context"] = cert
    if extra_files:
        options["extra_files"] = extra_files
    if exclude_patterns:
        options["exclude_patterns"] = exclude_patterns
    run_development_server(
        app,
        host,
        port,
        use_reloader=debug if reload is None else reload,
        threaded=threads,
        from_cli=True,
        **options,
    )


run_command.params[:0] = [_command_app_option, _debug_option]


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


# -- shell -----------------------------------------------------------------------


@click.command("shell", short_help="Open a Python shell inside an app context.")
@click.option(
    "-c",
    "--command",
    "code_to_run",
    metavar="CODE",
    help="Run CODE (Python statements) in the shell's namespace and exit, as 'python -c' "
    "does; a traceback and status 1 if it raises.",
)
@with_appcontext
def shell_command(code_to_run: str | None) -> None:
    """Start an interactive Python shell with the app loaded and an application
    context pushed, so current_app and g work.

    Its names are the app's shell context: app and g, plus what the app's
    shell_context_processor functions return. Python's PYTHONSTARTUP file is
    run first, as in an interactive python.
    """
    import code

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    namespace: dict[str, Any] = {"__name__": "__console__", "__builtins__": __builtins__}
    if code_to_run is not None:
        namespace.update(app.make_shell_context())
        exec(compile(code_to_run, "<shell -c>", "exec"), namespace)
        return

    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup, encoding="utf-8") as file:
            exec(compile(file.read(), startup, "exec"), namespace)
    namespace.update(app.make_shell_context())
    banner = (
        f"Python {sys.version.split()[0]} on {sys.platform}\n"
        f"App: {app.name} (debug mode: {'on' if app.debug else 'off'})\n"
        f"Instance folder: {app.instance_path}\n"
        f"An application context is pushed: current_app and g work. "
        f"Names: {', '.join(sorted(name for name in namespace if not name.startswith('__')))}."
    )
    if sys.stdin.isatty():
        _enable_tab_completion(namespace)
    code.interact(banner=banner, local=namespace, exitmsg="")


shell_command.params.insert(0, _command_app_option)


def _enable_tab_completion(namespace: dict[str, Any]) -> None:
    try:
        import readline
        import rlcompleter
    except ImportError:  # not on every platform; the shell works without it
        return
    readline.set_completer(rlcompleter.Completer(namespace).complete)
    readline.parse_and_bind("tab: complete")


# -- routes ----------------------------------------------------------------------


@click.command("routes", short_help="List the app's URL rules.")
@click.option(
    "--sort",
    "-s",
    type=click.Choice(("endpoint", "methods", "domain", "rule", "match")),
    default="endpoint",
    help="The column to sort by (default: endpoint); 'domain' is the Subdomain (or "
    "Host) column; 'match' is the order in which rules were registered.",
)
@click.option(
    "--all-methods",
    is_flag=True,
    help="Also show HEAD and OPTIONS, which are added to rules automatically.",
)
@with_appcontext
def routes_command(sort: str, all_methods: bool) -> None:
    """Print a table of every URL rule: its endpoint, methods and rule, and its
    subdomain (or host, with host_matching) when some rule has one."""
    url_map = current_app.url_map
    rules = list(url_map.iter_rules())
    if not rules:
        click.echo("No routes were registered.")
        return
    # HEAD and OPTIONS are on almost every rule, added automatically: they hide the rest.
    hidden = frozenset() if all_methods else frozenset(("HEAD", "OPTIONS"))
    domains = [(rule.host if url_map.host_matching else rule.subdomain) or "" for rule in rules]
    headers = ["Endpoint", "Methods", "Rule"]
    columns = ["endpoint", "methods", "rule"]
    if any(domains):
        headers.insert(2, "Host" if url_map.host_matching else "Subdomain")
        columns.insert(2, "domain")
    rows: list[list[str]] = []
    for rule, domain in zip(rules, domains, strict=True):
        row = [rule.endpoint, ", ".join(sorted(rule.methods - hidden)), rule.rule]
        if any(domains):
            row.insert(2, domain)
        rows.append(row)
    if sort != "match" and sort in columns:
        column = columns.index(sort)
        rows.sort(key=lambda row: (row[column], row))
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(len(headers))]
    for row in (headers, ["-" * width for width in widths], *rows):
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


routes_command.params.insert(0, _command_app_option)


# -- openapi -----------------------------------------------------------------------


@click.command("openapi", short_help="Print the app's OpenAPI document.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    help="Write the document to FILE instead of standard output. The file is replaced "
    "only once the whole document is written.",
)
@click.option(
    "--indent",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Spaces per level of nesting; 0 writes the document on one line.",
)
@with_appcontext
def openapi_command(output: str, indent: int) -> None:
    """Print the app's OpenAPI 3.1 document as JSON (see docs/openapi.md).

    It is the document of the app's OpenAPI object, as served at its URL but
    without a request: ``servers`` is APPLICATION_ROOT when that is not "/".
    An app without an OpenAPI object is described with its name as title and
    version 0.0.0 (a note on standard error says so). Check the output into
    a client project, or diff it in review.
    """
    import json

    from .openapi import OpenAPI  # imported here: the other commands do not need it

    folder = os.path.dirname(os.path.abspath(output))
    if output != "-" and not os.path.isdir(folder):
        raise click.BadParameter(
            f"the folder {folder} does not exist; create it first.", param_hint="'--output'"
        )
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    openapi = app.extensions.get("openapi")
    if not isinstance(openapi, OpenAPI):
        click.echo(
            f"Note: the app has no OpenAPI object; describing it as {app.name!r}, version "
            "0.0.0. Create one with OpenAPI(app, title=..., version=...) from "
            "microwsgi.openapi.",
            err=True,
        )
        openapi = OpenAPI(title=app.name, version="0.0.0", json_url=None, docs_url=None)
    document = openapi.document(app)
    text = json.dumps(document, indent=indent or None, ensure_ascii=False) + "\n"
    with click.open_file(output, "w", encoding="utf-8", atomic=output != "-") as target:
        target.write(text)


openapi_command.params.insert(0, _command_app_option)


# -- the command line -------------------------------------------------------------

cli = MicrowsgiGroup(
    name="microwsgi",
    help="""\
Run a microwsgi app, list its routes, print its OpenAPI document, open a shell
inside it, or run the app's own commands (app.cli).

The app is named with --app, $MICROWSGI_APP (or Flask's $FLASK_APP), or found
in wsgi.py or app.py in the current folder.

Example: microwsgi --app hello run --debug   (serves ./hello.py's app)
""",
)


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """The ``microwsgi`` command. Returns the exit status (0, 1 or 2; see above)."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name=prog or "microwsgi")
    except SystemExit as exit_:
        code = exit_.code
        if code is None or isinstance(code, int):
            return code or EXIT_OK
        print(code, file=sys.stderr)
        return EXIT_APP_FAILED
    except Exception as exc:
        if getattr(exc, "_microwsgi_while_loading", False):
            print("Error: loading the app failed. The traceback of its code:", file=sys.stderr)
        else:
            print("Error: the command raised an exception. Its traceback:", file=sys.stderr)
        traceback.print_exception(type(exc), exc, _user_traceback(exc), file=sys.stderr)
        return EXIT_APP_FAILED
    return EXIT_OK
