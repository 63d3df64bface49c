"""In-process dispatch: each app's WSGI callable called directly, as a server would.

No socket and no server: the benchmark builds the environ a server would
build (``scenarios.environ_template``), hands a fresh copy to the app with a
``start_response``, and consumes and closes the body iterable as PEP 3333
says a server must. What is left is the framework's own work per request.

Before anything is timed, ``check_answers`` sends every scenario to every app
and compares status and body with the expected ones, so the figures always
compare the same answers.

Timing: the environ copies for a round are prepared *before* the round's
clock starts, so copying them is not counted. Each round is one batch of calls
to one app; rounds of all apps are interleaved (app A, app B, ..., then
again) so that the machine's drift touches all of them alike, and the figure
kept is the median round. The garbage collector stays on: collecting the
cycles a framework creates is part of its cost.

The idea to take away: measure the framework, not the harness, and check the
answers before trusting the times.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .scenarios import (
    SCENARIOS,
    Scenario,
    environ_template,
    fresh_environ,
    request_body,
    same_body,
    upload_scenario,
)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: The upload checked in-process: big enough to leave memory (spooled files move to disk).
CHECKED_UPLOAD_SIZE = 700 * 1024


@dataclass(frozen=True)
class Settings:
    """How hard to measure. ``SMOKE`` only shows the code still runs."""

    rounds: int  # timed rounds per app and scenario; the median is kept
    round_seconds: float  # aim for rounds about this long
    max_calls: int  # ... but never more calls than this in one round (memory for environs)
    warmup_calls: int


FULL = Settings(rounds=15, round_seconds=0.04, max_calls=4_000, warmup_calls=200)
SMOKE = Settings(rounds=2, round_seconds=0.0, max_calls=5, warmup_calls=2)


@dataclass(frozen=True)
class Answer:
    status: str
    body: bytes


def call_app(app: WsgiApp, environ: dict[str, Any]) -> Answer:
    """One request as a server makes it: start_response, then every chunk, then close()."""
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return Answer(statuses[-1] if statuses else "", body)


def check_answers(
    apps: dict[str, WsgiApp], scenarios: Iterable[Scenario] | None = None
) -> list[str]:
    """Every way an app's answer differs from the expected one; empty when all agree.

    The timed scenarios are checked, and a multipart upload as well (it is
    timed only as a memory figure, but must give the same answer too).
    """
    if scenarios is None:
        scenarios = (*SCENARIOS, upload_scenario(CHECKED_UPLOAD_SIZE))
    problems = []
    for scenario in scenarios:
        template, body = environ_template(scenario), request_body(scenario)
        for name, app in apps.items():
            try:
                answer = call_app(app, fresh_environ(template, body))
            except Exception as error:  # report every app's failure, not only the first
                problems.append(f"{name} {scenario.name}: raised {error!r}")
                continue
            code = answer.status.split(" ", 1)[0]
            if code != str(scenario.status):
                problems.append(
                    f"{name} {scenario.name}: status {answer.status!r}, expected {scenario.status}"
                )
            if not same_body(scenario, answer.body):
                problems.append(
                    f"{name} {scenario.name}: body {answer.body[:80]!r}, "
                    f"expected {scenario.body[:80]!r}"
                )
    return problems


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    return None


def _timed_round(app: WsgiApp, template: dict[str, Any], body: bytes, calls: int) -> float:
    """Seconds per call for ``calls`` calls, each with its own prepared environ."""
    environs = [fresh_environ(template, body) for _ in range(calls)]
    start = time.perf_counter()
    for environ in environs:
        result = app(environ, _start_response)
        for _chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return (time.perf_counter() - start) / calls


def _calls_per_round(
    app: WsgiApp, template: dict[str, Any], body: bytes, settings: Settings
) -> int:
    probe = _timed_round(app, template, body, max(settings.warmup_calls, 1))
    wanted = int(settings.round_seconds / max(probe, 1e-9))
    return max(1, min(settings.max_calls, wanted))


def measure(
    apps: dict[str, WsgiApp],
    settings: Settings,
    scenarios: Iterable[Scenario] = SCENARIOS,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[str, dict[str, float]]:
    """Median microseconds per request, as ``{scenario name: {app name: µs}}``."""
    results: dict[str, dict[str, float]] = {}
    for scenario in scenarios:
        template, body = environ_template(scenario), request_body(scenario)
        calls = {
            name: _calls_per_round(app, template, body, settings) for name, app in apps.items()
        }
        rounds: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(settings.rounds):
            for name, app in apps.items():
                gc.collect()
                rounds[name].append(_timed_round(app, template, body, calls[name]))
        results[scenario.name] = {
            name: statistics.median(times) * 1e6 for name, times in rounds.items()
        }
        figures = "  ".join(f"{name} {us:.2f}" for name, us in results[scenario.name].items())
        progress(f"  {scenario.name:<10} µs/request: {figures}")
    return results
