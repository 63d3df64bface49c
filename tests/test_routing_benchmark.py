"""The routing benchmark runs (``--smoke``: two sizes, a few iterations). No time is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "routing.py"


def test_routing_benchmark_smoke_run_prints_the_table():
    finished = subprocess.run(
        [sys.executable, str(BENCHMARK), "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    lines = finished.stdout.splitlines()
    assert any(line.startswith("microwsgi") and line.count("µs") == 2 for line in lines)
    assert any(line.startswith("flask") for line in lines)
