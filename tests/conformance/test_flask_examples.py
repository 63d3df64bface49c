"""Flask's example apps and their own tests, run on microwsgi after changing only imports.

The README promises that a Flask program runs after changing its import
lines. Flask's source distribution ships two apps with pytest suites that
show what that means for real code: the tutorial's blog (``flaskr``: an app
factory, blueprints, sessions, flashed messages, templates, SQLite through
``g`` and ``teardown_appcontext``, a Click command tested with
``app.test_cli_runner()``) and the JavaScript example (JSON from forms and
fetch bodies, ``template_rendered``). Each is copied from the sdist that
``scripts/flask_conformance.py`` downloads and caches (never into this
repository), its ``flask`` imports are turned into ``microwsgi`` imports,
and its suite must pass whole, with its own ``filterwarnings = error``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: ``from flask import x`` and ``from flask.cli import y`` name microwsgi's modules;
#: ``import flask`` binds microwsgi to the name ``flask``.
_FROM_FLASK = re.compile(r"^(\s*)from flask(\.[\w.]+)? import ", re.MULTILINE)
_IMPORT_FLASK = re.compile(r"^(\s*)import flask$", re.MULTILINE)


def _conformance_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "flask_conformance", ROOT / "scripts" / "flask_conformance.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def port_imports(source: str) -> str:
    """``source`` with its Flask import lines changed to microwsgi's, and nothing else."""
    source = _FROM_FLASK.sub(lambda m: f"{m[1]}from microwsgi{m[2] or ''} import ", source)
    return _IMPORT_FLASK.sub(lambda m: f"{m[1]}import microwsgi as flask", source)


def test_port_imports_changes_only_flask_import_lines() -> None:
    source = (
        "from flask import Flask\n"
        "from flask.cli import with_appcontext\n"
        "    from flask import g\n"
        "import flask\n"
        "import flask_sqlalchemy\n"
        "from flask_login import login_user\n"
        "x = 'from flask import y'\n"
    )
    assert port_imports(source) == (
        "from microwsgi import Flask\n"
        "from microwsgi.cli import with_appcontext\n"
        "    from microwsgi import g\n"
        "import microwsgi as flask\n"
        "import flask_sqlalchemy\n"
        "from flask_login import login_user\n"
        "x = 'from flask import y'\n"
    )


@pytest.fixture(scope="module")
def flask_sdist() -> Path:
    script = _conformance_script()
    return Path(script.fetch_flask_tests(script.FLASK_VERSION, script.DEFAULT_CACHE)).parent


@pytest.mark.parametrize(("example", "tests"), [("tutorial", 24), ("javascript", 8)])
def test_flask_example_passes_its_own_tests(
    flask_sdist: Path, tmp_path: Path, example: str, tests: int
) -> None:
    app_dir = tmp_path / example
    shutil.copytree(flask_sdist / "examples" / example, app_dir)
    ported = 0
    for path in app_dir.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if port_imports(text) != text:
            path.write_text(port_imports(text), encoding="utf-8")
            ported += 1
    assert ported > 0
    env = dict(os.environ, PYTHONPATH=str(app_dir), PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-header"],
        cwd=app_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"{tests} passed" in output, output
    assert "flask" not in {name.split(".")[0] for name in _imported_modules(app_dir)}


def _imported_modules(app_dir: Path) -> set[str]:
    """The top-level names the ported example imports (to prove none is Flask)."""
    names: set[str] = set()
    for path in app_dir.rglob("*.py"):
        for match in re.finditer(
            r"^\s*(?:from|import) ([\w.]+)", path.read_text(encoding="utf-8"), re.MULTILINE
        ):
            names.add(match[1])
    return names
