"""Import time: how long ``import X`` takes in a fresh interpreter.

Each figure is Python's own measurement: ``python -X importtime -c "import X"``
prints one line per module imported, with the time spent in it and in
everything it imported (the *cumulative* column). The cumulative time of the
line for ``X`` itself is its import time. A new interpreter is started for
each run so that nothing is already imported, and the median of the runs is
kept. Every run reads compiled bytecode (see ``_cached_bytecode_env``), as a
deployed application does.

The idea to take away: every module a framework imports at start-up is paid
for by every process that loads it, including each CLI call and each test
run; import what a request may need only when it first needs it.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: What is imported for each application (the bare callable imports nothing to speak of).
MODULES = {"microwsgi": "microwsgi", "flask": "flask", "bottle": "bottle", "falcon": "falcon"}
#: Packages microwsgi promises to import only when first needed.
LAZY_DEPENDENCIES = ("jinja2", "werkzeug")

# "import time:       317 |       1204 |   microwsgi.request"
_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


@dataclass(frozen=True)
class ImportFigure:
    milliseconds: float  # median cumulative import time
    modules: int  # modules the import loaded
    loaded_lazy_dependencies: tuple[str, ...]  # which of LAZY_DEPENDENCIES it loaded


def _one_run(module: str, cwd: Path, env: dict[str, str]) -> tuple[float, list[str]]:
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"'import {module}' failed:\n{completed.stderr[-2000:]}")
    # Lines come children first: the modules "import X" loaded are the nested lines
    # just before X's own top-level line (earlier top-level lines are start-up imports).
    nested: list[str] = []
    for line in completed.stderr.splitlines():
        found = _LINE.match(line)
        if found is None:
            continue
        name, top_level = found[4], len(found[3]) == 1
        if not top_level:
            nested.append(name)
        elif name == module:
            return int(found[2]) / 1000, [*nested, name]
        else:
            nested = []
    raise RuntimeError(f"'import {module}' printed no import time for {module}.")


def _cached_bytecode_env(pycache: str) -> dict[str, str]:
    """The environment with bytecode caching on, cached under ``pycache``.

    With ``PYTHONDONTWRITEBYTECODE`` set, a package installed from source
    (microwsgi, editable) would be compiled at every import while packages
    installed by pip come with their ``.pyc`` files: the comparison would time
    the compiler. A shared cache directory outside the source tree puts every
    package on the same footing, once a first, untimed run has filled it.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def measure_module(module: str, runs: int, cwd: Path, pycache: str) -> ImportFigure:
    env = _cached_bytecode_env(pycache)
    _one_run(module, cwd, env)  # fills the bytecode cache; not timed
    times = []
    loaded: list[str] = []
    for _ in range(runs):
        milliseconds, loaded = _one_run(module, cwd, env)
        times.append(milliseconds)
    lazy = tuple(
        dependency
        for dependency in LAZY_DEPENDENCIES
        if any(name == dependency or name.startswith(dependency + ".") for name in loaded)
    )
    return ImportFigure(statistics.median(times), len(loaded), lazy)


def measure(runs: int, cwd: Path, names: list[str] | None = None) -> dict[str, ImportFigure]:
    """``{app name: ImportFigure}`` for each importable framework."""
    with tempfile.TemporaryDirectory(prefix="import-bench-pycache-") as pycache:
        return {
            name: measure_module(module, runs, cwd, pycache)
            for name, module in MODULES.items()
            if names is None or name in names
        }
