"""Run the clients against a server for a while, then check the database: ``run_load``.

The clients are threads of this process (one per simulated user, each with
its own connection); the main thread waits, runs the scheduled events (such
as killing an app server halfway), tells the clients to stop, waits for
each to finish the operation it is in (its retries included), and then
compares the database with their ledgers.

The result is a plain dict (it is written as JSON): the figures of
``stats.Recorder.summary``, the findings of ``verify.verify``, the failures
on the timeline, and the machine's load average before and after.
"""

from __future__ import annotations

import os
import resource
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from .client import GATEWAY_STATUSES, LoadClient
from .ledger import AccountLedger
from .stats import HUNG, Recorder
from .verify import verify

#: How long the clients get, after the stop, to finish the operation they are in.
FINISH_TIMEOUT = 120.0


def run_load(
    base_url: str,
    database_url: str,
    *,
    clients: int,
    seconds: float,
    timeout: float = 30.0,
    keep_alive: bool = True,
    events: Sequence[tuple[float, str, Callable[[], None]]] = (),
    seed: int = 15,
    ledgers: list[AccountLedger] | None = None,
    server_cpu_seconds: Callable[[], float] | None = None,
) -> dict[str, Any]:
    """Load ``base_url`` with ``clients`` users for ``seconds``, then verify ``database_url``.

    ``events`` are ``(seconds after the start, description, action)``,
    run in order by the main thread; the result says when each ran.
    ``ledgers``, a list, receives the accounts' ledgers (to verify again).
    ``server_cpu_seconds`` tells the server's CPU time so far, to report its
    part of the run's.
    ``clients`` must be even: two clients share each account. ``keep_alive``
    False sends ``Connection: close`` (for uWSGI's plain ``http-socket``).
    """
    if clients < 2 or clients % 2:
        raise ValueError("clients must be an even number, at least 2: two share each account")
    run_id = secrets.token_hex(3)
    accounts = [
        AccountLedger(user_id=f"load-{run_id}-{number}", password=secrets.token_urlsafe(12))
        for number in range(clients // 2)
    ]
    if ledgers is not None:
        ledgers.extend(accounts)
    recorder = Recorder()
    workers = [
        LoadClient(
            index,
            accounts[index // 2],
            base_url,
            recorder,
            timeout=timeout,
            keep_alive=keep_alive,
            seed=seed * 1000 + index,
        )
        for index in range(clients)
    ]
    load_before = os.getloadavg()
    client_cpu_before = _process_cpu_seconds()
    server_cpu_before = server_cpu_seconds() if server_cpu_seconds else 0.0
    stop = threading.Event()
    threads = [
        threading.Thread(target=worker.run, args=(stop,), name=f"load-client-{worker.index}")
        for worker in workers
    ]
    recorder.started = time.monotonic()
    for thread in threads:
        thread.start()
    happened = []
    for at, description, action in sorted(events, key=lambda event: event[0]):
        time.sleep(max(0.0, at - recorder.now()))
        happened.append({"at": round(recorder.now(), 2), "event": description})
        action()
    time.sleep(max(0.0, seconds - recorder.now()))
    stop.set()
    stopped_at = recorder.now()
    deadline = time.monotonic() + FINISH_TIMEOUT
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    elapsed = recorder.now()
    stuck = [thread.name for thread in threads if thread.is_alive()]
    load_after = os.getloadavg()
    client_cpu = _process_cpu_seconds() - client_cpu_before
    server_cpu = server_cpu_seconds() - server_cpu_before if server_cpu_seconds else None

    findings = verify(database_url, accounts)
    summary = recorder.summary(elapsed)
    failures = recorder.failures()
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "clients": clients,
        "accounts": len(accounts),
        "seconds": round(elapsed, 1),
        "stopped_at": round(stopped_at, 1),
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in load_after],
        # CPU seconds spent by the clients (this process), and by the app server if
        # measured: with the machine shared, CPU per request says more than time does.
        "client_cpu_seconds": round(client_cpu, 1),
        "server_cpu_seconds": None if server_cpu is None else round(server_cpu, 1),
        "events": happened,
        **summary,
        "acknowledged": {
            "creates": sum(len(account.creates) for account in accounts),
            "updates": sum(account.acknowledged_updates for account in accounts),
            "deletes": sum(
                1 for account in accounts for record in account.memos.values() if record.deleted
            ),
            "memos_kept": sum(
                1 for account in accounts for record in account.memos.values() if not record.deleted
            ),
        },
        "findings": findings,
        "problems": [problem for account in accounts for problem in account.problems],
        "client_errors": [worker.error for worker in workers if worker.error]
        + [f"{name} did not finish within {FINISH_TIMEOUT} s" for name in stuck],
        # The app's own 5xx answers; 502, 503 and 504 are a proxy's (nginx's) about a server.
        "server_errors": sum(
            1
            for sample in failures
            if isinstance(sample.status, int) and sample.status not in GATEWAY_STATUSES
        ),
        "proxy_errors": sum(1 for sample in failures if sample.status in GATEWAY_STATUSES),
        "hung": sum(1 for sample in failures if sample.status == HUNG),
        "timeline": _timeline(recorder),
        "unconfirmed": [
            {"at": round(at, 2), "answer": what} for at, what in recorder.unconfirmed_answers
        ],
        "failures": [
            {
                "at": round(sample.at, 2),
                "operation": sample.operation,
                "status": sample.status,
                **({"detail": sample.detail} if sample.detail else {}),
            }
            for sample in failures
        ],
    }


def _process_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timeline(recorder: Recorder) -> list[list[int]]:
    """``[answered, failed]`` tries in each second of the run (failed: 5xx or no answer)."""
    seconds: list[list[int]] = []
    for sample in recorder.samples:
        second = int(sample.at)
        while len(seconds) <= second:
            seconds.append([0, 0])
        failed = isinstance(sample.status, str) or sample.status >= 500
        seconds[second][1 if failed else 0] += 1
    return seconds


def verdict(result: dict[str, Any]) -> list[str]:
    """What is wrong with a run that must have lost nothing, in sentences (empty: nothing)."""
    wrong = [f"{kind}: {item}" for kind, items in result["findings"].items() for item in items]
    wrong += [f"problem: {problem}" for problem in result["problems"]]
    wrong += [f"client: {error}" for error in result["client_errors"]]
    return wrong
