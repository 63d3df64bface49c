"""Run Flask's own test suite against microwsgi and compare with the expected failures.

    python scripts/flask_conformance.py            # the score, per file and in total
    python scripts/flask_conformance.py -v         # ... and every failing test with its reason
    python scripts/flask_conformance.py --update-expected   # rewrite the list after a fix

Flask's source distribution on PyPI carries its test suite. This script
downloads it once (``pip download``, cached under
``~/.cache/microwsgi/flask-conformance``), then runs the suite twice with the
plugin in ``tests/conformance/flask_shim.py``:

1. against the real Flask (installed by the ``test`` extra): the tests that
   pass there are the measure;
2. against microwsgi, with ``flask`` and the tests' ``werkzeug.routing``
   imports made microwsgi's (``werkzeug.exceptions`` stays Werkzeug's: the
   errors microwsgi raises are instances of its classes).

Every test that passes on Flask but not on microwsgi must be listed in
``tests/conformance/flask_expected_failures.txt`` with its reason::

    test_basic.py::test_name  deliberate: why microwsgi answers otherwise (see docs/...)
    test_basic.py::test_other  not-yet: what is missing

The exit status is 1 when a test fails that is not listed (a regression) or
when a listed test passes (the list is stale: remove the line, or run with
``--update-expected``), else 0. Flask's tests are never copied into this
repository; they are fetched at run time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

FLASK_VERSION = "3.1.3"
ROOT = Path(__file__).resolve().parent.parent
PLUGIN_DIR = ROOT / "tests" / "conformance"
EXPECTED_FILE = PLUGIN_DIR / "flask_expected_failures.txt"
DEFAULT_CACHE = Path(
    os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "microwsgi", "flask-conformance"
)
#: Seconds: one whole run of the suite, and one test.
RUN_TIMEOUT = 600
TEST_TIMEOUT = 30
KINDS = ("deliberate", "not-yet")


def fetch_flask_tests(version: str, cache: Path) -> Path:
    """The ``tests`` folder of Flask's sdist, downloaded and unpacked once."""
    unpacked = cache / f"flask-{version}"
    if (unpacked / "tests" / "conftest.py").is_file():
        return unpacked / "tests"
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            f"flask=={version}",
            "--dest",
            str(cache),
        ],
        check=True,
        timeout=300,
    )
    with tarfile.open(cache / f"flask-{version}.tar.gz") as archive:
        archive.extractall(cache, filter="data")
    return unpacked / "tests"


def run_suite(tests: Path, mode: str, pytest_args: list[str]) -> dict[str, dict[str, str]]:
    """Run Flask's tests once in ``mode`` (``reference`` or ``shim``); their outcomes."""
    with tempfile.TemporaryDirectory(prefix="flask-conformance-") as scratch:
        results = Path(scratch, "results.json")
        env = dict(
            os.environ,
            MICROWSGI_CONFORMANCE_MODE=mode,
            MICROWSGI_CONFORMANCE_RESULTS=str(results),
            MICROWSGI_CONFORMANCE_TEST_TIMEOUT=str(TEST_TIMEOUT),
            PYTHONPATH=os.pathsep.join([str(PLUGIN_DIR), str(ROOT)]),
            PYTHONDONTWRITEBYTECODE="1",
        )
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "flask_shim",
            "-p",
            "no:cacheprovider",
            "-q",
            "--no-header",
            "--continue-on-collection-errors",
            "-o",
            "addopts=",
            "-W",
            "ignore",
            f"--rootdir={tests.parent}",
            str(tests),
            *pytest_args,
        ]
        subprocess.run(
            command,
            cwd=tests.parent,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        if not results.exists():
            raise SystemExit(f"The {mode} run of Flask's tests did not finish: {command}")
        data: dict[str, dict[str, str]] = json.loads(results.read_text(encoding="utf-8"))
        return data


def read_expected(path: Path) -> dict[str, str]:
    """The expected failures: ``{test id: "kind: reason"}``."""
    expected: dict[str, str] = {}
    if not path.exists():
        return expected
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        test_id, _, reason = line.partition("  ")
        reason = reason.strip()
        if reason.split(":", 1)[0] not in KINDS:
            raise SystemExit(
                f"{path}:{number}: each line is '<test id>  <kind>: <reason>' with two "
                f"spaces after the test id and a kind of {' or '.join(KINDS)}; got {line!r}"
            )
        expected[test_id] = reason
    return expected


def write_expected(path: Path, expected: dict[str, str]) -> None:
    header = (
        "# Flask 3.1.3 tests that pass on Flask and fail on microwsgi, one per line:\n"
        "#   <test id>  deliberate: <why microwsgi answers otherwise>\n"
        "#   <test id>  not-yet: <what is missing>\n"
        "# Checked by tests/conformance/test_flask_suite.py; rewritten by\n"
        "# `python scripts/flask_conformance.py --update-expected`.\n"
    )
    lines = [f"{test_id}  {reason}\n" for test_id, reason in sorted(expected.items())]
    path.write_text(header + "".join(lines), encoding="utf-8")


def _file_of(test_id: str) -> str:
    return test_id.split("::", 1)[0].removeprefix("tests/")


def _short_id(test_id: str) -> str:
    return test_id.removeprefix("tests/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flask-version", default=FLASK_VERSION)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--expected", type=Path, default=EXPECTED_FILE)
    parser.add_argument("--update-expected", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every failing test")
    parser.add_argument("--json", type=Path, help="write the per-test outcomes here")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (e.g. -k session)")
    args = parser.parse_args(argv)

    tests = fetch_flask_tests(args.flask_version, args.cache)
    reference = run_suite(tests, "reference", args.pytest_args)
    shim = run_suite(tests, "shim", args.pytest_args)

    measured = sorted(
        _short_id(t) for t, outcome in reference["outcomes"].items() if outcome == "passed"
    )
    shim_outcomes = {_short_id(t): o for t, o in shim["outcomes"].items()}
    shim_messages = {_short_id(t): m for t, m in shim["messages"].items()}
    passed = {t for t in measured if shim_outcomes.get(t) == "passed"}
    failed = [t for t in measured if t not in passed]

    per_file_total = Counter(_file_of(t) for t in measured)
    per_file_passed = Counter(_file_of(t) for t in passed)
    print(f"Flask {args.flask_version}'s test suite on microwsgi")
    for name in sorted(per_file_total):
        total, ok = per_file_total[name], per_file_passed[name]
        print(f"  {name:<32} {ok:>4} / {total:<4} {100 * ok / total:5.1f}%")
    percent = 100 * len(passed) / len(measured) if measured else 0.0
    print(f"  {'total':<32} {len(passed):>4} / {len(measured):<4} {percent:5.1f}%")
    print(f"  (the measure: the {len(measured)} tests that pass on the real Flask here)")

    def why_failed(test_id: str) -> str:
        if test_id in shim_messages:
            return shim_messages[test_id]
        module = test_id.split("::", 1)[0]
        if module in shim_messages:
            return f"its file failed to import: {shim_messages[module]}"
        return shim_outcomes.get(test_id, "not run")

    expected = read_expected(args.expected)
    selected = bool(args.pytest_args)  # a partial run cannot judge the whole list
    regressions = [t for t in failed if t not in expected]
    stale = [t for t in expected if t in passed or (not selected and t not in measured)]

    if args.verbose:
        print("\nFailing:")
        for test_id in failed:
            print(f"  {test_id}\n      {expected.get(test_id, 'NOT LISTED')}")
            print(f"      error: {why_failed(test_id)}")

    if args.update_expected:
        updated = {t: r for t, r in expected.items() if t not in stale}
        for test_id in regressions:
            updated[test_id] = f"not-yet: {why_failed(test_id)}"
        write_expected(args.expected, updated)
        print(f"\nRewrote {args.expected}: {len(regressions)} added, {len(stale)} removed.")
        return 0

    if args.json:
        args.json.write_text(json.dumps({"reference": reference, "shim": shim}, indent=1))
    status = 0
    if regressions:
        status = 1
        print(f"\n{len(regressions)} test(s) fail that are not in {args.expected.name}:")
        for test_id in regressions:
            print(f"  {test_id}\n      {why_failed(test_id)}")
    if stale and not selected:
        status = 1
        print(f"\n{len(stale)} test(s) in {args.expected.name} no longer fail; remove them:")
        for test_id in stale:
            print(f"  {test_id}")
    return status


if __name__ == "__main__":
    sys.exit(main())
