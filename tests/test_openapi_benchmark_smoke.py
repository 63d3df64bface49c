"""The OpenAPI benchmark (``benchmarks/openapi.py``) still runs, and its apps answer alike.

No time is asserted: times depend on the machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import inprocess
from benchmarks import openapi as benchmark


def test_plain_and_validated_apps_give_the_same_answers():
    assert benchmark.check_answers(benchmark.plain_app(), benchmark.validated_app()) == []


def test_the_report_renders_its_three_tables():
    lines: list[str] = []
    benchmark.report(inprocess.SMOKE, out=lines.append)
    text = "\n".join(lines)
    assert "## Validation cost per request" in text
    assert "| POST JSON body, 3 fields |" in text
    assert "| hello (GET / -> text) |" in text
    assert "| 500 |" in text
