"""The README's reading guide names every module of the package, and only modules that exist.

A learner finds a module through the table in "Where to read"; a module added
without a line there is invisible to them, and a line left behind by a renamed
module sends them to a file that is not there.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "microwsgi"


def _reading_guide() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Where to read" in text, "README.md lost its 'Where to read' section"
    return text.split("## Where to read", 1)[1].split("\n## ", 1)[0]


def _names_in_the_tables() -> set[str]:
    """The first cell of every table row, without its backquotes: ``routing/router.py``."""
    return set(re.findall(r"^\| `([^`]+)` \|", _reading_guide(), re.MULTILINE))


def _module_names() -> set[str]:
    """Each module as the README names it: a path under ``microwsgi/``, a package as ``name/``."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.endswith("/__init__.py"):
            relative = relative[: -len("__init__.py")]
        names.add(relative)
    return names


def test_every_module_has_a_line_in_the_reading_guide():
    missing = _module_names() - _names_in_the_tables()
    assert not missing, f"README.md's 'Where to read' does not name: {sorted(missing)}"


def test_every_line_of_the_reading_guide_names_a_module_that_exists():
    stale = _names_in_the_tables() - _module_names()
    assert not stale, f"README.md's 'Where to read' names missing modules: {sorted(stale)}"


def test_the_reading_guide_starts_with_the_wsgi_callable():
    first = re.search(r"^\| `([^`]+)` \|", _reading_guide(), re.MULTILINE)
    assert first is not None and first.group(1) == "app.py"


def test_the_extras_table_lists_every_extra_of_the_project():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| extra | adds |", 1)[1].split("\n\n", 1)[0]
    listed = set(re.findall(r"^\| `([a-z]+)` \|", table, re.MULTILINE))
    with open(ROOT / "pyproject.toml", "rb") as project:
        extras = set(tomllib.load(project)["project"]["optional-dependencies"])
    assert listed == extras
