"""A pytest plugin that runs Flask's own test suite against microwsgi.

It is loaded with ``-p flask_shim`` by ``scripts/flask_conformance.py`` and
does three things before Flask's tests are collected:

1. **In ``shim`` mode**, it makes ``import flask`` (and ``flask.globals``,
   ``flask.testing``, ``flask.json.provider``, ...) give microwsgi's modules,
   so a test that says ``flask.Flask`` gets ``microwsgi.App``. A Flask module
   name maps to the microwsgi module of the same name unless ``_RENAMED``
   says otherwise; a name microwsgi does not have fails to import, and the
   tests that need it fail, which is what the count should say.
2. **In ``shim`` mode**, imports of ``werkzeug.routing`` made *by a test
   module* give ``microwsgi.routing``, so a test that monkeypatches
   ``RequestRedirect`` patches the class microwsgi raises. Werkzeug's own
   code, and every other ``werkzeug`` import, are left alone:
   ``werkzeug.exceptions`` is Werkzeug's, and ``pytest.raises(NotFound)``
   with it catches microwsgi's errors as it does in an app.
3. In both modes it records each test's outcome into the JSON file named by
   ``MICROWSGI_CONFORMANCE_RESULTS``, and fails a test that runs longer
   than ``MICROWSGI_CONFORMANCE_TEST_TIMEOUT`` seconds (a test that starts a
   real server must not hang the run).

In ``reference`` mode the real Flask runs the same tests: the tests that pass
there are the ones microwsgi is measured against.

Flask 3.1's tests import ``notset`` from ``_pytest.monkeypatch``, which newer
pytest releases renamed; the plugin restores the old name so that the suite
collects at all, whichever pytest is installed.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.abc
import importlib.machinery
import json
import os
import signal
import sys
import types
from collections.abc import Generator, Sequence
from typing import Any

import pytest

MODE = os.environ.get("MICROWSGI_CONFORMANCE_MODE", "shim")
RESULTS_FILE = os.environ.get("MICROWSGI_CONFORMANCE_RESULTS")
TEST_TIMEOUT = int(os.environ.get("MICROWSGI_CONFORMANCE_TEST_TIMEOUT", "30"))

#: Flask modules whose microwsgi counterpart has another name. Every other
#: ``flask.X`` is ``microwsgi.X``.
_RENAMED = {
    "flask": "microwsgi",
    "flask.debughelpers": "microwsgi.debug",
    "flask.sansio.app": "microwsgi.app",
    "flask.sansio.blueprints": "microwsgi.blueprints",
    "flask.sansio.scaffold": "microwsgi.scaffold",
}

#: The Werkzeug modules whose names a test means as microwsgi's.
_WERKZEUG_COUNTERPARTS = {
    "werkzeug.routing": "microwsgi.routing",
}


def _restore_pytest_notset() -> None:
    from _pytest import monkeypatch

    if not hasattr(monkeypatch, "notset"):
        from _pytest.compat import NOTSET  # type: ignore[attr-defined]

        monkeypatch.notset = NOTSET  # type: ignore[attr-defined]


# -- 1. ``flask`` is microwsgi ------------------------------------------------


def _counterpart(flask_name: str) -> str:
    return _RENAMED.get(flask_name, "microwsgi" + flask_name[len("flask") :])


class _FlaskModule(types.ModuleType):
    """``flask.X``: forwards every attribute to microwsgi's module.

    A separate module object rather than microwsgi's own, so that every
    ``flask.X`` can be a package (``flask.sansio`` has submodules that map to
    plain modules here) and so that the import system's bookkeeping on
    ``flask.X`` never touches microwsgi's modules.
    """

    def __init__(self, name: str, target: types.ModuleType) -> None:
        super().__init__(name, target.__doc__)
        self.__path__: list[str] = []
        self.__dict__["_target"] = target

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_target"], name)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(self.__dict__["_target"])) | set(self.__dict__))


class _FlaskFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "flask" and not fullname.startswith("flask."):
            return None
        try:
            counterpart = importlib.import_module(_counterpart(fullname))
        except ModuleNotFoundError:
            return None  # the import fails as "No module named flask.X"
        spec = importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        spec.loader_state = counterpart
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _FlaskModule(spec.name, spec.loader_state)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


# -- 2. a test's ``werkzeug.routing`` is microwsgi's --------------------------

_original_import = builtins.__import__


class _WerkzeugForTests(types.ModuleType):
    """The ``werkzeug`` a test module sees after ``import werkzeug.routing``."""

    def __init__(self) -> None:
        super().__init__("werkzeug")

    def __getattr__(self, name: str) -> Any:
        counterpart = _WERKZEUG_COUNTERPARTS.get(f"werkzeug.{name}")
        if counterpart is not None:
            return importlib.import_module(counterpart)
        return getattr(importlib.import_module("werkzeug"), name)


def _import_for_tests(
    name: str,
    globals: dict[str, Any] | None = None,
    locals: Any = None,
    fromlist: Sequence[str] = (),
    level: int = 0,
) -> Any:
    counterpart = _WERKZEUG_COUNTERPARTS.get(name) if level == 0 else None
    if counterpart is not None and _is_test_module(globals):
        _original_import(name, globals, locals, fromlist, level)  # Werkzeug's, as imported
        if fromlist:
            return importlib.import_module(counterpart)
        return _WerkzeugForTests()
    return _original_import(name, globals, locals, fromlist, level)


def _is_test_module(module_globals: dict[str, Any] | None) -> bool:
    if not module_globals:
        return False
    file = module_globals.get("__file__") or ""
    return os.path.basename(file).startswith(("test_", "conftest"))


def _install_shim() -> None:
    sys.meta_path.insert(0, _FlaskFinder())
    builtins.__import__ = _import_for_tests


# -- 3. outcomes and time limits ----------------------------------------------

_outcomes: dict[str, str] = {}
_messages: dict[str, str] = {}


def _timed_out(signum: int, frame: Any) -> None:
    raise TimeoutError(f"the test ran for more than {TEST_TIMEOUT} s")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    previous = signal.signal(signal.SIGALRM, _timed_out)
    signal.alarm(TEST_TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    nodeid = report.nodeid
    if report.failed:
        if _outcomes.get(nodeid) != "failed":
            _messages[nodeid] = _short_message(report)
        _outcomes[nodeid] = "failed"
    elif report.skipped and _outcomes.get(nodeid) != "failed":
        _outcomes[nodeid] = "skipped"
    elif report.when == "call" and report.passed and nodeid not in _outcomes:
        _outcomes[nodeid] = "passed"


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:  # a test file that cannot be imported
        _outcomes[report.nodeid] = "failed"
        _messages[report.nodeid] = _short_message(report)


def _short_message(report: Any) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def pytest_sessionfinish(session: pytest.Session) -> None:
    if RESULTS_FILE:
        with open(RESULTS_FILE, "w", encoding="utf-8") as f:
            json.dump({"outcomes": _outcomes, "messages": _messages}, f, indent=1)


_restore_pytest_notset()
if MODE == "shim":
    _install_shim()
