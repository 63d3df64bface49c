"""Every request of a load run: its operation, status and latency; and the figures made of them.

Each try of a request is one sample (a retry is a second sample), stamped
with the seconds since the run started, so that failures can be placed on
the timeline (before or after a server was killed). Percentiles are nearest
rank over all samples of an operation, in milliseconds.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: What a try that got no response counts as, in ``Sample.status``.
TRANSPORT_ERROR = "transport error"
HUNG = "hung"


@dataclass(frozen=True)
class Sample:
    operation: str
    #: An HTTP status code, or TRANSPORT_ERROR / HUNG.
    status: int | str
    latency: float
    #: Seconds since the run started, when the try ended.
    at: float
    #: What went wrong, for a try without a response.
    detail: str = ""


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values`` (``fraction`` 0.5 is the median); 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Recorder:
    """Collects the samples of every client thread."""

    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    #: Writes refused with 412 because the other client of the account wrote first.
    conflicts: Counter[str] = field(default_factory=Counter)
    #: (seconds since the start, what): answers taken on trust, as a proxy's retry explains them.
    unconfirmed_answers: list[tuple[float, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def now(self) -> float:
        return time.monotonic() - self.started

    def add(self, operation: str, status: int | str, latency: float, detail: str = "") -> None:
        sample = Sample(operation, status, latency, self.now(), detail)
        with self._lock:
            self.samples.append(sample)

    def conflict(self, operation: str) -> None:
        with self._lock:
            self.conflicts[operation] += 1

    def unconfirmed(self, what: str) -> None:
        with self._lock:
            self.unconfirmed_answers.append((self.now(), what))

    def failures(self) -> list[Sample]:
        """Tries answered with a 5xx, or with no response at all."""
        return [s for s in self.samples if isinstance(s.status, str) or s.status >= 500]

    def summary(self, seconds: float) -> dict[str, Any]:
        """Per operation: count, per second, p50/p99/max latency (ms), statuses."""
        by_operation: dict[str, list[Sample]] = {}
        for sample in self.samples:
            by_operation.setdefault(sample.operation, []).append(sample)
        operations = {}
        for name in sorted(by_operation):
            samples = by_operation[name]
            latencies = [s.latency * 1000 for s in samples if isinstance(s.status, int)]
            operations[name] = {
                "requests": len(samples),
                "per_second": round(len(samples) / seconds, 1),
                "p50_ms": round(percentile(latencies, 0.50), 1),
                "p99_ms": round(percentile(latencies, 0.99), 1),
                "max_ms": round(max(latencies, default=0.0), 1),
                "statuses": dict(sorted(Counter(str(s.status) for s in samples).items())),
            }
        everything = [s.latency * 1000 for s in self.samples if isinstance(s.status, int)]
        return {
            "requests": len(self.samples),
            "requests_per_second": round(len(self.samples) / seconds, 1),
            "p50_ms": round(percentile(everything, 0.50), 1),
            "p99_ms": round(percentile(everything, 0.99), 1),
            "operations": operations,
            "conflicts_412": dict(sorted(self.conflicts.items())),
        }
