"""Every deliberate difference from Flask that the conformance run lists is explained in the docs.

``tests/conformance/flask_expected_failures.txt`` lists the Flask tests that
fail on microwsgi on purpose; ``tests/conformance/test_flask_suite.py`` checks
that each still passes on Flask and still fails here. This test checks the
other half of the promise: each line points the reader at the section of
``docs/differences-from-flask.md`` that explains it, and that section exists.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "conformance" / "flask_expected_failures.txt"
GUIDE = ROOT / "docs" / "differences-from-flask.md"


def _deliberate() -> dict[str, str]:
    entries = {}
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        test_id, _, reason = line.partition("  ")
        if reason.strip().startswith("deliberate:"):
            entries[test_id] = reason
    return entries


def test_there_are_deliberate_differences_to_check():
    assert _deliberate()


def test_each_deliberate_difference_names_its_section_of_the_guide():
    sections = set(re.findall(r"^## (.+)$", GUIDE.read_text(encoding="utf-8"), re.MULTILINE))
    unexplained = {}
    for test_id, reason in _deliberate().items():
        found = re.search(r"docs/differences-from-flask\.md, ([^)]+)\)", reason)
        if found is None or found.group(1).strip() not in sections:
            unexplained[test_id] = reason
    assert not unexplained, (
        "each deliberate line ends '(docs/differences-from-flask.md, <section>)', "
        f"naming one of {sorted(sections)}: {unexplained}"
    )
