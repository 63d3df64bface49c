"""``app.config``: a dict of settings with loaders.

Flask counterpart: ``flask/config.py``.

The idea to take away: configuration is just a dictionary whose keys are
UPPER_CASE names. The loaders only decide *where* the upper-case names come
from: a mapping, an object or class (its upper-case attributes), a Python
file, a data file (JSON, TOML, ...), a file named by an environment
variable, or environment variables with a prefix.
"""

from __future__ import annotations

import importlib
import json
import os
import types
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import IO, Any

#: The settings every app starts with. Each is explained in docs/config.md.
DEFAULT_CONFIG: dict[str, Any] = {
    "DEBUG": False,
    "TESTING": False,
    "PROPAGATE_EXCEPTIONS": None,
    "TRAP_HTTP_EXCEPTIONS": False,
    "TRAP_BAD_REQUEST_ERRORS": None,
    "SECRET_KEY": None,
    "SECRET_KEY_FALLBACKS": [],
    "SERVER_NAME": None,
    "TRUSTED_HOSTS": None,
    "APPLICATION_ROOT": "/",
    "PREFERRED_URL_SCHEME": "http",
    "MAX_CONTENT_LENGTH": None,
    "MAX_FORM_MEMORY_SIZE": 500_000,
    "MAX_FORM_PARTS": 1_000,
    "JSON_AS_ASCII": False,
    "JSON_SORT_KEYS": False,
    "SESSION_COOKIE_NAME": "session",
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_COOKIE_PATH": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_PARTITIONED": False,
    "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
    "SESSION_REFRESH_EACH_REQUEST": True,
    "SEND_FILE_MAX_AGE_DEFAULT": None,
    "MAX_COOKIE_SIZE": 4093,
    "TEMPLATES_AUTO_RELOAD": None,
    "PROVIDE_AUTOMATIC_OPTIONS": True,
}


class Config(dict[str, Any]):
    """A dict with ways to fill it. Only UPPER_CASE keys are taken by the loaders."""

    def __init__(
        self,
        defaults: Mapping[str, Any] | None = None,
        root_path: str | os.PathLike[str] = ".",
    ) -> None:
        super().__init__(defaults or {})
        #: The folder relative file names start from: the app's folder, or its instance
        #: folder with ``App(..., instance_relative_config=True)``.
        self.root_path = root_path

    def from_mapping(
        self,
        mapping: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        **kwargs: Any,
    ) -> bool:
        """Take the upper-case keys of ``mapping`` (a dict or ``(key, value)`` pairs) and
        ``kwargs``; other keys are ignored."""
        items = dict(mapping or ())
        items.update(kwargs)
        for key, value in items.items():
            if key.isupper():
                self[key] = value
        return True

    def from_file(
        self,
        filename: str | os.PathLike[str],
        load: Callable[[IO[Any]], Mapping[str, Any]],
        silent: bool = False,
        text: bool = True,
    ) -> bool:
        """Read a data file with ``load`` and take its upper-case keys.

        ``app.config.from_file("config.json", load=json.load)``, or
        ``from_file("config.toml", load=tomllib.load, text=False)`` (tomllib
        reads bytes). A relative name starts from ``root_path``. With
        ``silent=True`` a missing file returns False instead of raising
        ``OSError``.
        """
        path = os.path.join(self.root_path, filename)
        try:
            if text:
                with open(path, encoding="utf-8") as data_file:
                    data = load(data_file)
            else:
                with open(path, "rb") as data_file:
                    data = load(data_file)
        except OSError as error:
            if silent and isinstance(error, FileNotFoundError | IsADirectoryError):
                return False
            error.strerror = f"Unable to load configuration file ({error.strerror})"
            raise
        return self.from_mapping(data)

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """``from_pyfile`` of the file named by an environment variable.

        ``app.config.from_envvar("SHOP_SETTINGS")`` with
        ``SHOP_SETTINGS=/etc/shop/settings.py`` keeps a deployment's settings
        out of the code. Raises ``RuntimeError`` when the variable is not set,
        or returns False with ``silent=True`` (which also covers a missing file).
        """
        filename = os.environ.get(variable_name)
        if not filename:
            if silent:
                return False
            raise RuntimeError(
                f"The environment variable {variable_name!r} is not set, so no "
                f"configuration was loaded from it. Set it to the path of a settings file: "
                f"export {variable_name}=/path/to/settings.py"
            )
        return self.from_pyfile(filename, silent=silent)

    def from_object(self, obj: object | str) -> None:
        """Take the upper-case attributes of an object, class or module.

        A string is imported first: ``"myapp.settings.ProductionConfig"`` or
        ``"myapp.settings"``. Per-environment settings are usually classes that
        inherit from a base class and override a few names.
        """
        if isinstance(obj, str):
            obj = _import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_pyfile(self, filename: str | os.PathLike[str], silent: bool = False) -> bool:
        """Run a Python file and take the upper-case names it defines.

        A relative name is taken relative to the app's ``root_path``. With
        ``silent=True`` a missing file returns False instead of raising.
        """
        path = os.path.join(self.root_path, filename)
        module = types.ModuleType("config")
        module.__file__ = path
        try:
            with open(path, "rb") as config_file:
                exec(compile(config_file.read(), path, "exec"), module.__dict__)
        except OSError as error:
            if silent and isinstance(error, FileNotFoundError | IsADirectoryError):
                return False
            error.strerror = f"Unable to load configuration file ({error.strerror})"
            raise
        self.from_object(module)
        return True

    def from_prefixed_env(
        self, prefix: str | None = None, *, loads: Callable[[str], Any] = json.loads
    ) -> bool:
        """Take environment variables named ``PREFIX_KEY`` as ``KEY``.

        Without a ``prefix``, both ``FLASK_KEY`` and ``MICROWSGI_KEY`` are read
        (so a Flask deployment's variables work), and ``MICROWSGI_KEY`` wins
        when both are set. Values are parsed with ``loads`` (JSON) when they
        parse (``MICROWSGI_DEBUG=true`` gives ``True``, ``MICROWSGI_PORT=8000``
        gives ``8000``), otherwise kept as strings. A double underscore goes
        one level into a nested dict: ``MICROWSGI_DB__HOST`` sets
        ``config["DB"]["HOST"]``.
        """
        prefixes = ("FLASK", "MICROWSGI") if prefix is None else (prefix,)
        for each in prefixes:
            self._take_prefixed_env(f"{each}_", loads)
        return True

    def _take_prefixed_env(self, start: str, loads: Callable[[str], Any]) -> None:
        for name in sorted(os.environ):
            if not name.startswith(start):
                continue
            raw = os.environ[name]
            try:
                value: Any = loads(raw)
            except ValueError:
                value = raw
            key = name[len(start) :]
            if "__" not in key:
                self[key] = value
                continue
            target: dict[str, Any] = self
            *parents, last = key.split("__")
            for part in parents:
                child = target.setdefault(part, {})
                if not isinstance(child, dict):
                    raise ValueError(
                        f"{name} sets a key inside config[{part!r}], but that setting is "
                        f"{child!r}, not a dict. Remove one of the two environment variables."
                    )
                target = child
            target[last] = value

    def get_namespace(
        self, namespace: str, lowercase: bool = True, trim_namespace: bool = True
    ) -> dict[str, Any]:
        """The settings that start with ``namespace``, e.g. ``"MAIL_"``.

        ``get_namespace("MAIL_")`` turns ``MAIL_SERVER`` into ``{"server": ...}``,
        ready to pass as keyword arguments.
        """
        found = {}
        for key, value in self.items():
            if not key.startswith(namespace):
                continue
            name = key[len(namespace) :] if trim_namespace else key
            found[name.lower() if lowercase else name] = value
        return found

    def __repr__(self) -> str:
        return f"<Config {dict.__repr__(self)}>"


def _import_string(dotted: str) -> Any:
    """Import ``"package.module.Name"`` or ``"package.module"``."""
    try:
        return importlib.import_module(dotted)
    except ImportError:
        module_name, _, attribute = dotted.rpartition(".")
        if not module_name:
            raise
        module = importlib.import_module(module_name)
        try:
            return getattr(module, attribute)
        except AttributeError:
            raise ImportError(f"Module {module_name!r} has no attribute {attribute!r}") from None
