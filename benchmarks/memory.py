"""Memory: does a worker grow with use, and does a large upload stay out of memory?

Two figures per app, from one uWSGI worker (see ``server.py``), read from
Linux's ``/proc/<pid>/status``:

1. *Growth*: the worker's resident memory (``VmRSS``) after a warm-up of
   2,000 requests, then after 20,000 more requests cycling through every
   scenario on one keep-alive connection, then after 20,000 more again. A
   framework that keeps something per request (a cache without a bound, a
   reference cycle the collector never meets) grows in both batches; the
   allocator settling in grows once, in the first.
2. *Upload peak*: the highest resident memory while the worker receives a
   100 MB multipart upload that the client streams from its socket 64 KiB at
   a time. The kernel's high-water mark (``VmHWM``, reset just before through
   ``/proc/<pid>/clear_refs``) and a sampler reading ``VmRSS`` every few
   milliseconds both watch it; the higher is kept. A framework that streams
   the body stays near its idle size; one that buffers it grows by 100 MB.
   A 1 MB upload goes first, so that modules an app imports for its first
   upload count in its idle size, not in the peak.

The idea to take away: a request body is a stream; parse it as it arrives and
keep large files on disk, or one upload can cost as much memory as its size.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .scenarios import SCENARIOS, same_body, upload_pieces, upload_scenario
from .server import Server, connect, exchange, send_request, uwsgi_server

WARMUP_REQUESTS = 2_000
COUNTED_REQUESTS = 20_000
UPLOAD_SIZE = 100 * 1024 * 1024
#: A first, small upload, so that what an app imports for its first upload is not counted.
WARMUP_UPLOAD_SIZE = 1024 * 1024


@dataclass(frozen=True)
class MemoryFigure:
    before_kb: int  # RSS after the warm-up
    after_kb: int  # RSS after COUNTED_REQUESTS more
    after_twice_kb: int  # RSS after COUNTED_REQUESTS more again
    idle_kb: int  # RSS just before the upload
    upload_peak_kb: int  # highest RSS while receiving it
    wrong_answers: int  # requests answered with an unexpected status or body

    @property
    def growth_kb(self) -> int:
        """Growth over the first COUNTED_REQUESTS requests."""
        return self.after_kb - self.before_kb

    @property
    def second_growth_kb(self) -> int:
        """Growth over the next COUNTED_REQUESTS: a leak keeps growing, allocator noise
        does not."""
        return self.after_twice_kb - self.after_kb

    @property
    def upload_extra_kb(self) -> int:
        return self.upload_peak_kb - self.idle_kb


def _status_field(pid: int, field: str) -> int:
    """A ``kB`` figure from ``/proc/<pid>/status`` (``VmRSS``, ``VmHWM``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no {field} line.")


def _reset_peak(pid: int) -> bool:
    """Reset ``VmHWM`` to the current RSS (Linux 4.0+); False where that is not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class _RssSampler(threading.Thread):
    """Reads a process's RSS every few milliseconds and keeps the highest."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak_kb = max(self.peak_kb, _status_field(self.pid, "VmRSS"))
            time.sleep(0.002)

    def stop(self) -> int:
        self._stop_event.set()
        self.join(timeout=5)
        return self.peak_kb


def _send_requests(server: Server, count: int) -> int:
    """Send ``count`` requests cycling through the scenarios; the number answered wrongly."""
    wrong = 0
    with connect(server.port) as connection:  # one keep-alive connection, as a proxy keeps
        for number in range(count):
            scenario = SCENARIOS[number % len(SCENARIOS)]
            status, body = exchange(connection, scenario)
            if status != scenario.status or not same_body(scenario, body):
                wrong += 1
    return wrong


def _upload(server: Server, pid: int, size: int) -> tuple[int, int]:
    """Stream a ``size``-byte upload; return (idle RSS, peak RSS) of worker ``pid``."""
    scenario = upload_scenario(size)
    idle = _status_field(pid, "VmRSS")
    exact_peak = _reset_peak(pid)
    sampler = _RssSampler(pid)
    sampler.start()
    status, body = send_request(server.port, scenario, upload_pieces(size))
    sampled_peak = sampler.stop()
    if status != 200 or body != scenario.body:
        raise RuntimeError(f"The upload was answered {status} {body[:200]!r}")
    peak = max(sampled_peak, _status_field(pid, "VmHWM") if exact_peak else 0)
    return idle, peak


def measure_app(
    app_name: str, requests: int = COUNTED_REQUESTS, upload_size: int = UPLOAD_SIZE
) -> MemoryFigure:
    with uwsgi_server(app_name, processes=1) as server:
        (worker,) = server.worker_pids()
        wrong = _send_requests(server, WARMUP_REQUESTS)
        before = _status_field(worker, "VmRSS")
        wrong += _send_requests(server, requests)
        after = _status_field(worker, "VmRSS")
        wrong += _send_requests(server, requests)
        after_twice = _status_field(worker, "VmRSS")
        _upload(server, worker, WARMUP_UPLOAD_SIZE)
        idle, peak = _upload(server, worker, upload_size)
    return MemoryFigure(before, after, after_twice, idle, peak, wrong)


def measure(
    app_names: list[str], progress: Callable[[str], None] = lambda line: None
) -> dict[str, MemoryFigure]:
    """``{app name: MemoryFigure}``."""
    results = {}
    for name in app_names:
        figure = measure_app(name)
        results[name] = figure
        progress(
            f"  {name:<10} RSS {figure.before_kb / 1024:.1f} -> {figure.after_kb / 1024:.1f} -> "
            f"{figure.after_twice_kb / 1024:.1f} MiB after 2 x {COUNTED_REQUESTS:,} requests; "
            "upload peak "
            f"{figure.upload_extra_kb / 1024:+.2f} MiB over idle"
        )
    return results
