"""End to end: each app under uWSGI on loopback, loaded by ``wrk``.

For one worker process (one thread) and then two, a uWSGI server is started
for every app (see ``server.py``; one connection per request, as a proxy in
front of uWSGI usually makes them), each is warmed up for a second, then
loaded by ``wrk`` (one thread, 8 connections) for a fixed duration per
scenario, in rounds that alternate between the apps; the median round is
kept. The bare WSGI callable under the same uWSGI is the ceiling: no
framework can serve more than it.

Two kinds of figure come out of each run:

- what the client saw, from wrk's report: requests per second and the
  99th-percentile latency;
- what the server spent: the CPU time of the uWSGI workers (from
  ``/proc/<pid>/stat``) divided by the requests served, in microseconds.

The second matters on a small machine. wrk needs a core of its own, and
opening a connection per request costs the kernel more than a small app costs
Python; when the client is the bottleneck, every fast app shows the same
requests per second, and only the worker's CPU per request still tells them
apart (a saturated worker would serve ``1e6 / cpu_us`` requests per second).
With two workers, wrk and the workers share the same two cores.

The idea to take away: in-process figures say what the framework costs; end
to end says how much of a real request that cost is, next to the server and
the network stack, and whether the server or the client was the limit.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .scenarios import SCENARIOS_BY_NAME
from .server import Server, find_wrk, uwsgi_server

#: Scenarios loaded end to end (wrk sends GETs only).
SCENARIO_NAMES = ("hello", "param")
#: Worker processes per configuration.
PROCESS_COUNTS = (1, 2)
CONNECTIONS = 8

_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_REQUESTS = re.compile(r"(\d+) requests in")
_P99 = re.compile(r"^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkReport:
    requests: int
    requests_per_second: float
    p99_ms: float
    errors: int  # non-2xx answers and socket errors wrk counted


@dataclass(frozen=True)
class LoadFigure:
    requests_per_second: float
    p99_ms: float
    worker_cpu_us: float  # CPU time of the workers per request served
    errors: int


def run_wrk(url: str, seconds: int) -> WrkReport:
    """Load ``url`` for ``seconds`` and read wrk's report."""
    wrk = find_wrk()
    if wrk is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    completed = subprocess.run(
        [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    return parse_wrk_report(completed.stdout)


def parse_wrk_report(report: str) -> WrkReport:
    """The figures of ``wrk --latency``'s report."""
    rps, p99, count = _RPS.search(report), _P99.search(report), _REQUESTS.search(report)
    if rps is None or p99 is None or count is None:
        raise RuntimeError(f"Could not read wrk's report:\n{report}")
    errors = 0
    if non_2xx := _NON_2XX.search(report):
        errors += int(non_2xx[1])
    if socket_errors := _SOCKET_ERRORS.search(report):
        errors += sum(int(number) for number in socket_errors.groups())
    return WrkReport(int(count[1]), float(rps[1]), float(p99[1]) * _TO_MS[p99[2]], errors)


def _cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of ``pids`` so far."""
    total_ticks = 0
    for pid in pids:
        # The fields after the ")" that ends the command name; utime and stime are 14 and 15.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total_ticks += int(fields[11]) + int(fields[12])
    return total_ticks / os.sysconf("SC_CLK_TCK")


def load(server: Server, path: str, seconds: int) -> LoadFigure:
    """One wrk run against ``server``, with the workers' CPU time per request."""
    workers = server.worker_pids()
    cpu_before = _cpu_seconds(workers)
    report = run_wrk(f"http://{server.host}{path}", seconds)
    cpu_us = (_cpu_seconds(workers) - cpu_before) / max(report.requests, 1) * 1e6
    return LoadFigure(report.requests_per_second, report.p99_ms, cpu_us, report.errors)


def measure(
    app_names: list[str],
    seconds: int,
    rounds: int = 3,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[int, dict[str, dict[str, LoadFigure]]]:
    """``{processes: {scenario name: {app name: LoadFigure}}}``.

    All apps' servers run at once (idle workers cost no CPU) so that the
    rounds can alternate between apps; each app keeps its median round.
    """
    results: dict[int, dict[str, dict[str, LoadFigure]]] = {}
    for processes in PROCESS_COUNTS:
        results[processes] = {}
        with contextlib.ExitStack() as stack:
            servers = {
                name: stack.enter_context(uwsgi_server(name, processes, keepalive=False))
                for name in app_names
            }
            for scenario_name in SCENARIO_NAMES:
                path = SCENARIOS_BY_NAME[scenario_name].path
                for server in servers.values():
                    run_wrk(f"http://{server.host}{path}", 1)  # warm-up, not recorded
                runs: dict[str, list[LoadFigure]] = {name: [] for name in app_names}
                for _ in range(rounds):
                    for name, server in servers.items():
                        runs[name].append(load(server, path, seconds))
                figures = {name: _median_run(figures) for name, figures in runs.items()}
                results[processes][scenario_name] = figures
                for name, figure in figures.items():
                    progress(
                        f"  {processes} process(es) {scenario_name:<6} {name:<10} "
                        f"{figure.requests_per_second:>9,.0f} req/s  p99 {figure.p99_ms:.2f} ms  "
                        f"worker CPU {figure.worker_cpu_us:.1f} µs/request"
                        + (f"  ({figure.errors} errors)" if figure.errors else "")
                    )
    return results


def _median_run(runs: list[LoadFigure]) -> LoadFigure:
    """The run with the median requests per second (its other figures come with it)."""
    ordered = sorted(runs, key=lambda figure: figure.requests_per_second)
    return ordered[len(ordered) // 2]
