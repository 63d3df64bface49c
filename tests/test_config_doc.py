"""``docs/config.md``'s table of settings is ``App.default_config``: same keys, same defaults.

A reader sets ``MAX_FORM_MEMORY_SIZE`` or ``SESSION_COOKIE_SAMESITE`` from
what the table says; a default changed in the code and not in the table (or
a setting added without a row) misleads them.
"""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from microwsgi import App

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "config.md"


def _table() -> dict[str, str]:
    """``{key: the default column's text}`` from the table under "## The settings"."""
    text = GUIDE.read_text(encoding="utf-8")
    assert "## The settings" in text, "docs/config.md lost its table of settings"
    section = text.split("## The settings", 1)[1]
    return dict(re.findall(r"^\| `([A-Z_]+)` \| ([^|]+?) \|", section, re.MULTILINE))


def _value(cell: str) -> Any:
    if cell == "31 days":
        return timedelta(days=31)
    literal = re.fullmatch(r"`(.+)`", cell)
    assert literal is not None, f"a default is a Python literal in backquotes: {cell!r}"
    return ast.literal_eval(literal.group(1))


def test_the_table_has_a_row_for_every_setting_and_no_other():
    assert set(_table()) == set(App.default_config)


def test_each_default_in_the_table_is_the_apps():
    wrong = {
        key: (cell, App.default_config[key])
        for key, cell in _table().items()
        if key in App.default_config and _value(cell) != App.default_config[key]
    }
    assert not wrong, f"docs/config.md says (table, code): {wrong}"
