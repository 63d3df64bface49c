"""The load runs' figures: ``memo_load.json`` and ``memo_load.md`` in ``benchmarks/results/``.

Each run (``single``: one uWSGI server on SQLite; ``cluster``: two behind
nginx on PostgreSQL, one killed halfway) replaces its own entry in the JSON
file, and the Markdown page is rewritten from all the entries, so the two
runs can be made one at a time.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path
from typing import Any

TITLES = {
    "single": "One server: uWSGI 4 processes x 2 threads, SQLite (WAL, busy timeout)",
    "cluster": "Two servers behind nginx, PostgreSQL, one server killed (SIGKILL) halfway",
}


def write_results(folder: Path, name: str, result: dict[str, Any], command: str) -> None:
    """Store ``result`` as run ``name`` (made by ``command``) and rewrite the Markdown page."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / "memo_load.json"
    runs = json.loads(json_path.read_text()) if json_path.exists() else {}
    runs[name] = {
        "command": command,
        "machine": f"{platform.machine()}, {_cpus()} cores (shared), Linux {platform.release()}",
        "python": platform.python_version(),
        **result,
    }
    json_path.write_text(json.dumps(runs, indent=2, ensure_ascii=False) + "\n")
    (folder / "memo_load.md").write_text(markdown(runs))


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def markdown(runs: dict[str, Any]) -> str:
    lines = [
        "# The memo app under load",
        "",
        "Written by `tests/memo/test_load.py` when run long (see `docs/deploy.md`,",
        '"Scaling out"). Two clients share each account; every acknowledged write is',
        "recorded by the clients and compared with the database afterwards.",
        "Latencies are per try, in milliseconds, as the client saw them.",
    ]
    for name in sorted(runs, key=lambda key: list(TITLES).index(key) if key in TITLES else 99):
        run = runs[name]
        acknowledged = run["acknowledged"]
        findings = run["findings"]
        lines += [
            "",
            f"## {TITLES.get(name, name)}",
            "",
            f"- command: `{run['command']}`",
            f"- when: {run['when']}; machine: {run['machine']}; Python {run['python']}",
            f"- load average (1, 5, 15 min) before: {_triple(run['load_average_before'])}, "
            f"after: {_triple(run['load_average_after'])}",
            f"- {run['clients']} clients ({run['accounts']} accounts) for {run['seconds']} s: "
            f"**{run['requests']} requests, {run['requests_per_second']} requests/s**, "
            f"p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms",
        ]
        cpu = f"- CPU: the clients {run['client_cpu_seconds']} s"
        if run.get("server_cpu_seconds") is not None:
            per_request = 1000 * run["server_cpu_seconds"] / max(1, run["requests"])
            cpu += (
                f", the uWSGI server(s) {run['server_cpu_seconds']} s "
                f"({per_request:.1f} ms per request, logins' scrypt included)"
            )
        lines.append(cpu)
        if run.get("timeline"):
            seconds = " ".join(
                str(answered) + (f" ({failed} failed)" if failed else "")
                for answered, failed in run["timeline"]
            )
            lines.append(
                f"- answers in each second: {seconds} (the first seconds are mostly the "
                "logins, and their scrypt)"
            )
        for event in run["events"]:
            lines.append(f"- at {event['at']} s: {event['event']}")
        failed = run["failures"]
        lines += [
            f"- acknowledged: {acknowledged['creates']} creates, {acknowledged['updates']} "
            f"updates, {acknowledged['deletes']} deletes; {acknowledged['memos_kept']} memos "
            "expected in the database",
            "- checked against the database: "
            + ", ".join(f"{len(items)} {kind}" for kind, items in findings.items())
            + f"; {len(run['problems'])} inconsistent answers; "
            f"{run['server_errors']} responses with 5xx from the app, "
            f"{run['proxy_errors']} 502/503/504 from nginx, {run['hung']} hung requests",
        ]
        if failed:
            statuses = sorted({str(failure["status"]) for failure in failed})
            lines.append(
                f"- tries that failed and were retried: {len(failed)} ({', '.join(statuses)}), "
                f"between {failed[0]['at']} s and {failed[-1]['at']} s; each was "
                "retried by its client"
            )
        for answer in run.get("unconfirmed", []):
            lines.append(
                f"- at {answer['at']} s: {answer['answer']} (nginx resent it after the "
                "server that deleted it died)"
            )
        if run["conflicts_412"]:
            conflicts = ", ".join(f"{op} {n}" for op, n in run["conflicts_412"].items())
            lines.append(f"- 412 because the account's other client wrote first: {conflicts}")
        lines += [
            "",
            "| operation | requests | per second | p50 ms | p99 ms | max ms | statuses |",
            "|---|---|---|---|---|---|---|",
        ]
        for operation, figures in run["operations"].items():
            statuses = ", ".join(f"{code}: {n}" for code, n in figures["statuses"].items())
            lines.append(
                f"| {operation} | {figures['requests']} | {figures['per_second']} | "
                f"{figures['p50_ms']} | {figures['p99_ms']} | {figures['max_ms']} | {statuses} |"
            )
    return "\n".join(lines) + "\n"


def _triple(values: list[float]) -> str:
    return " / ".join(f"{value:.2f}" for value in values)
