"""``docs/cli.md`` names every option of the ``microwsgi`` command and of its built-in commands.

The guide is where a user looks an option up; an option added to ``cli.py``
without a word there is one they never learn about.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from microwsgi.cli import cli

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _commands() -> list[tuple[str, click.Command]]:
    context = click.Context(cli)
    built_in = ["run", "routes", "openapi", "shell"]
    commands = [(name, cli.get_command(context, name)) for name in built_in]
    return [("microwsgi", cli), *[(name, command) for name, command in commands if command]]


@pytest.mark.parametrize("name, command", _commands(), ids=lambda value: str(value))
def test_every_option_is_named_in_the_guide(name, command):
    guide = GUIDE.read_text(encoding="utf-8")
    missing = [
        parameter.opts
        for parameter in command.params
        if isinstance(parameter, click.Option)
        and not any(
            re.search(re.escape(option) + r"(?![\w-])", guide)
            for option in parameter.opts + parameter.secondary_opts
        )
    ]
    assert not missing, f"docs/cli.md does not name these options of {name}: {missing}"
