"""Every module opens with a map for the reader, and the maps of long files are in order.

Each module's docstring says what it does and which Flask or Werkzeug piece it
corresponds to (the word "counterpart" introduces it, or says there is none).
A long module whose docstring has a section "How this file is laid out" names
its classes and functions there in the order they are defined, so a reader
can skip to a section; the test fails when code moves and the map does not.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "microwsgi"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAP_HEADING = "How this file is laid out"


def _docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_every_module_says_what_it_is_and_its_flask_counterpart(path):
    docstring = _docstring(path)
    assert docstring, "a module opens with a docstring"
    assert "counterpart" in docstring.lower(), "name the Flask or Werkzeug piece (or say none)"


def _definition_lines(path: Path) -> dict[str, int]:
    """The line of each top-level class and function, and of each method of those classes."""
    lines: dict[str, int] = {}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            lines.setdefault(node.name, node.lineno)
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines.setdefault(member.name, member.lineno)
    return lines


MAPPED = [path for path in MODULES if MAP_HEADING in _docstring(path)]


def test_the_long_modules_have_a_map():
    mapped = {path.relative_to(PACKAGE).as_posix() for path in MAPPED}
    assert {"app.py", "cli.py", "testing.py"} <= mapped


@pytest.mark.parametrize("path", MAPPED, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_a_modules_map_names_its_code_in_the_order_it_is_written(path):
    section = _docstring(path).split(MAP_HEADING, 1)[1]
    defined = _definition_lines(path)
    named = [name for name in re.findall(r"``(\w+)``", section) if name in defined]
    assert len(named) >= 5, "the map names the file's classes and functions"
    first_mentions = list(dict.fromkeys(named))
    out_of_order = [
        (earlier, later)
        for earlier, later in itertools.pairwise(first_mentions)
        if defined[later] < defined[earlier]
    ]
    assert not out_of_order, f"named before a name defined above it: {out_of_order}"


def _public_definitions(path: Path) -> list[tuple[str, ast.AST]]:
    """Public top-level functions and classes, and the public methods of public classes."""
    found: list[tuple[str, ast.AST]] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and any(
            ast.unparse(decorator).endswith("overload") for decorator in node.decorator_list
        ):
            continue  # a typing.overload signature; the implementation follows it
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
            found.append((node.name, node))
            if isinstance(node, ast.ClassDef):
                found += [
                    (f"{node.name}.{member.name}", member)
                    for member in node.body
                    if isinstance(member, ast.FunctionDef) and not member.name.startswith("_")
                ]
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_public_functions_and_classes_of_a_module_have_docstrings(path):
    missing = [
        name
        for name, node in _public_definitions(path)
        if "." not in name and not ast.get_docstring(node)  # type: ignore[arg-type]
    ]
    assert not missing, f"say what these are for: {missing}"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_public_functions_and_methods_are_typed(path):
    untyped = []
    for name, node in _public_definitions(path):
        if not isinstance(node, ast.FunctionDef):
            continue
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        if "." in name and arguments and arguments[0].arg in ("self", "cls"):
            arguments = arguments[1:]
        arguments += [arg for arg in (node.args.vararg, node.args.kwarg) if arg is not None]
        if node.returns is None or any(arg.annotation is None for arg in arguments):
            untyped.append(name)
    assert not untyped, f"annotate the arguments and return type of: {untyped}"
