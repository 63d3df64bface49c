"""Run the benchmark suite: ``python -m benchmarks.run`` (or ``python benchmarks/run.py``).

Sections, in order (``--sections`` picks some):

1. ``inprocess``: the five apps' WSGI callables called directly (``inprocess.py``);
2. ``routing``: the router benchmark of ``benchmarks/routing.py``;
3. ``import``: ``python -X importtime`` for each framework (``importtime.py``);
4. ``endtoend``: each app under uWSGI, loaded by wrk (``endtoend.py``);
5. ``memory``: worker RSS over 40,000 requests and during a 100 MB upload
   (``memory.py``).

The peers (Flask, Bottle, Falcon) and matplotlib come from the ``bench``
extra; uWSGI and wrk are needed only for sections 4 and 5, which are skipped,
with the reason printed, when either is missing. Nothing is installed by the
suite itself.

``--smoke`` checks that everything still runs: every app is checked to give
the expected answers, sections 1 and 3 run a handful of iterations, and the
server sections are skipped. Results are written (``results.md`` and
``results.png``) to ``benchmarks/results/``, or to ``--output``; a smoke run
writes only when given ``--output``, so it never overwrites real figures.

The idea to take away: one command, one machine, one run, and every figure
beside the figures it is compared with.
"""

from __future__ import annotations

import argparse
import inspect
import signal
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the ``benchmarks`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import endtoend, importtime, inprocess, memory, report
from benchmarks.apps import APP_MODULES, load_app_module
from benchmarks.server import REPO_ROOT, find_uwsgi, find_wrk

SECTIONS = ("inprocess", "routing", "import", "endtoend", "memory")
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results"


def _print(line: str = "") -> None:
    print(line, flush=True)


def load_apps() -> tuple[dict[str, inprocess.WsgiApp], dict[str, str]]:
    """The importable apps, and for the others why they are missing."""
    apps: dict[str, inprocess.WsgiApp] = {}
    missing: dict[str, str] = {}
    for name in APP_MODULES:
        try:
            apps[name] = load_app_module(name).app
        except ImportError as error:
            missing[name] = str(error)
    return apps, missing


def _routing_figures() -> str:
    """The router benchmark's own report (``benchmarks/routing.py``), with fewer repeats
    than its own full run to keep the suite's total time down."""
    from benchmarks import routing

    arguments: dict[str, Any] = {"number": 5_000, "repeat": 5}
    if "sizes" in inspect.signature(routing.run).parameters:
        arguments["sizes"] = routing.SIZES
    return str(routing.report(routing.run(**arguments)))


def _server_tools_missing() -> str | None:
    missing = []
    if find_uwsgi() is None:
        missing.append("uwsgi (.venv/bin/pip install uwsgi)")
    if find_wrk() is None:
        missing.append("wrk (apt-get install -y wrk)")
    return ("needs " + " and ".join(missing)) if missing else None


def run(options: argparse.Namespace) -> report.Results:
    smoke = options.smoke
    sections = set(options.sections)
    apps, missing = load_apps()
    for name, reason in missing.items():
        _print(f"skipping the {name} app: {reason}")
    results = report.Results(
        apps=list(apps),
        command="python -m benchmarks.run" + (" --smoke" if smoke else ""),
        smoke=smoke,
    )

    _print("Checking that every app gives the expected answers...")
    problems = inprocess.check_answers(apps)
    if problems:
        raise SystemExit(
            "The apps do not all give the expected answers, so their times would not be "
            "comparable:\n  " + "\n  ".join(problems)
        )
    _print(f"  all {len(apps)} apps agree")

    if "inprocess" in sections:
        _print("\n1. In-process dispatch")
        settings = inprocess.SMOKE if smoke else inprocess.FULL
        results.inprocess = inprocess.measure(apps, settings, progress=_print)

    if "routing" in sections:
        if smoke:
            results.skipped["routing"] = "not in smoke mode (python benchmarks/routing.py --smoke)"
        else:
            _print("\n2. Routing alone (benchmarks/routing.py)")
            try:
                results.routing = _routing_figures()
                _print(results.routing)
            except (ImportError, AttributeError, TypeError) as error:
                results.skipped["routing"] = f"benchmarks/routing.py could not run: {error}"

    if "import" in sections:
        _print("\n3. Import time")
        figures = importtime.measure(1 if smoke else 7, REPO_ROOT, names=list(apps))
        results.imports = figures
        for name, figure in figures.items():
            _print(f"  {name:<10} {figure.milliseconds:6.1f} ms  {figure.modules} modules")

    tools_missing = "not in smoke mode" if smoke else _server_tools_missing()
    server_apps = list(apps)
    if "endtoend" in sections:
        if tools_missing:
            results.skipped["endtoend"] = tools_missing
        else:
            _print("\n4. End to end under uWSGI (wrk)")
            results.endtoend = endtoend.measure(server_apps, options.seconds, progress=_print)
    if "memory" in sections:
        if tools_missing:
            results.skipped["memory"] = tools_missing
        else:
            _print("\n5. Memory")
            results.memory = memory.measure(server_apps, progress=_print)

    for section, reason in results.skipped.items():
        _print(f"\nskipped {section}: {reason}")
    return results


def write(results: report.Results, output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    text = report.markdown(results)
    (output / "results.md").write_text(text)
    try:
        report.chart(results, output / "results.png")
    except ImportError:
        _print("no chart: matplotlib is missing (.venv/bin/pip install -e '.[bench]')")
    _print(f"\nwrote {output / 'results.md'}")


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds, so the uWSGI servers started are stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a few iterations, no servers")
    parser.add_argument("--output", type=Path, help=f"where to write (default {DEFAULT_OUTPUT})")
    parser.add_argument(
        "--sections",
        nargs="+",
        choices=SECTIONS,
        default=list(SECTIONS),
        help="which sections to run (default: all)",
    )
    parser.add_argument(
        "--seconds", type=int, default=3, help="length of one wrk run, whole seconds (default 3)"
    )
    options = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    results = run(options)
    output = options.output or (None if options.smoke else DEFAULT_OUTPUT)
    if output is not None:
        write(results, output)
    targets = [] if options.smoke else report.targets(results)
    if targets:
        _print("\nTargets")
        for name, met, evidence in targets:
            _print(f"  {'met   ' if met else 'MISSED'} {name}: {evidence}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
