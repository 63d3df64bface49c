"""The results as Markdown tables, as a PNG chart, and checked against the targets.

``Results`` holds whatever sections ran (a section that did not run holds
``None`` and its reason in ``skipped``). ``markdown`` turns it into the text
of ``results.md``; ``chart`` draws ``results.png`` with matplotlib (imported
only here, only when a chart is wanted); ``targets`` compares the figures
with the goals of the benchmark issue.

Every figure is shown beside its ratio to the bare WSGI callable and to
Flask: absolute times on a shared machine drift from run to run, ratios
measured in the same run drift much less.

The idea to take away: a benchmark's output is an argument; show the numbers
it rests on, what they are relative to, and whether the goal was met.
"""

from __future__ import annotations

import contextlib
import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from .endtoend import LoadFigure
from .importtime import ImportFigure
from .memory import COUNTED_REQUESTS, UPLOAD_SIZE, MemoryFigure
from .scenarios import SCENARIOS_BY_NAME

MIB = 1024  # kB per MiB, for /proc figures


@dataclass
class Results:
    apps: list[str]
    command: str
    smoke: bool
    inprocess: dict[str, dict[str, float]] | None = None
    routing: str | None = None
    imports: dict[str, ImportFigure] | None = None
    endtoend: dict[int, dict[str, dict[str, LoadFigure]]] | None = None
    memory: dict[str, MemoryFigure] | None = None
    skipped: dict[str, str] = field(default_factory=dict)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))


def _ratio(value: float, base: float | None) -> str:
    if base is None or base <= 0:
        return "-"
    return f"{value / base:.2f}x"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _versions(apps: list[str]) -> str:
    names = {"microwsgi": "microwsgi", "flask": "Flask", "bottle": "bottle", "falcon": "falcon"}
    found = []
    for app in apps:
        if app in names:
            try:
                found.append(f"{names[app]} {metadata.version(names[app])}")
            except metadata.PackageNotFoundError:
                found.append(f"{names[app]} (version unknown)")
    with contextlib.suppress(metadata.PackageNotFoundError):
        found.append(f"uWSGI {metadata.version('uWSGI')}")
    return ", ".join(found)


# -- the sections --------------------------------------------------------------


def _inprocess_lines(results: Results, figures: dict[str, dict[str, float]]) -> list[str]:
    apps = [app for app in results.apps if all(app in row for row in figures.values())]
    lines = [
        "## 1. In-process dispatch",
        "",
        "The WSGI callable called directly with a prepared environ (a fresh copy per call, "
        "prepared outside the clock); median of interleaved rounds. All apps were first "
        "checked to answer every scenario with the same status and body.",
        "",
        "Microseconds per request (lower is better):",
        "",
    ]
    rows = [
        [SCENARIOS_BY_NAME[name].title, *(f"{row[app]:.2f}" for app in apps)]
        for name, row in figures.items()
    ]
    lines += _table(["scenario", *apps], rows)
    for base in ("bare", "flask"):
        if base not in apps:
            continue
        lines += ["", f"Time as a multiple of {base}'s:", ""]
        rows = [
            [SCENARIOS_BY_NAME[name].title, *(_ratio(row[app], row[base]) for app in apps)]
            for name, row in figures.items()
        ]
        lines += _table(["scenario", *apps], rows)
    return lines


def _import_lines(results: Results, figures: dict[str, ImportFigure]) -> list[str]:
    flask = figures.get("flask")
    lines = [
        "## 3. Import time",
        "",
        '`python -X importtime -c "import X"`, cumulative time of `X`, median of fresh '
        "interpreters. (The bare callable imports nothing, so it has no ratio here.)",
        "",
    ]
    rows = [
        [
            name,
            f"{figure.milliseconds:.1f}",
            _ratio(figure.milliseconds, flask.milliseconds if flask else None),
            str(figure.modules),
            ", ".join(figure.loaded_lazy_dependencies) or "neither",
        ]
        for name, figure in figures.items()
    ]
    lines += _table(["import", "ms", "x flask", "modules loaded", "jinja2 / werkzeug loaded"], rows)
    return lines


def _endtoend_lines(
    results: Results, figures: dict[int, dict[str, dict[str, LoadFigure]]]
) -> list[str]:
    lines = [
        "## 4. End to end under uWSGI",
        "",
        "`uwsgi --http-socket` on loopback (one connection per request), loaded by "
        "`wrk -t1 -c8`; median of interleaved rounds. *Worker CPU* is the uWSGI workers' "
        "CPU time per request served: when wrk (which shares the 2 cores) is the "
        "bottleneck, requests per second flatten out and this is the figure that still "
        "separates the apps.",
        "",
    ]
    header = [
        "workers",
        "scenario",
        "app",
        "req/s",
        "x bare",
        "x flask",
        "p99 ms",
        "worker CPU µs/req",
        "CPU x bare",
        "CPU x flask",
    ]
    rows = []
    for processes, by_scenario in figures.items():
        for scenario, by_app in by_scenario.items():
            bare, flask = by_app.get("bare"), by_app.get("flask")
            for app, figure in by_app.items():
                rps, cpu = figure.requests_per_second, figure.worker_cpu_us
                rows.append(
                    [
                        str(processes),
                        scenario,
                        app,
                        f"{rps:,.0f}",
                        _ratio(rps, bare.requests_per_second if bare else None),
                        _ratio(rps, flask.requests_per_second if flask else None),
                        f"{figure.p99_ms:.2f}",
                        f"{cpu:.1f}",
                        _ratio(cpu, bare.worker_cpu_us if bare else None),
                        _ratio(cpu, flask.worker_cpu_us if flask else None),
                    ]
                )
    lines += _table(header, rows)
    errors = {
        f"{processes}/{scenario}/{app}": figure.errors
        for processes, by_scenario in figures.items()
        for scenario, by_app in by_scenario.items()
        for app, figure in by_app.items()
        if figure.errors
    }
    if errors:
        lines += ["", f"wrk counted errors: {errors}"]
    return lines


def _memory_lines(results: Results, figures: dict[str, MemoryFigure]) -> list[str]:
    bare, flask = figures.get("bare"), figures.get("flask")
    lines = [
        "## 5. Memory",
        "",
        f"One uWSGI worker. RSS after a warm-up, after {COUNTED_REQUESTS:,} requests and "
        f"after {COUNTED_REQUESTS:,} more (all scenarios in turn, one keep-alive connection); "
        f"then the peak RSS while receiving a {UPLOAD_SIZE // (1024 * 1024)} MB multipart "
        "upload streamed from a client socket, over the RSS just before it. MiB.",
        "",
    ]
    header = [
        "app",
        "RSS warm",
        f"after {COUNTED_REQUESTS // 1000}k",
        f"after {2 * COUNTED_REQUESTS // 1000}k",
        "growth 1st / 2nd",
        "idle x bare",
        "idle x flask",
        "upload peak over idle",
        "wrong answers",
    ]
    rows = [
        [
            name,
            f"{figure.before_kb / MIB:.1f}",
            f"{figure.after_kb / MIB:.1f}",
            f"{figure.after_twice_kb / MIB:.1f}",
            f"{figure.growth_kb / MIB:+.2f} / {figure.second_growth_kb / MIB:+.2f}",
            _ratio(figure.idle_kb, bare.idle_kb if bare else None),
            _ratio(figure.idle_kb, flask.idle_kb if flask else None),
            f"{figure.upload_extra_kb / MIB:+.2f}",
            str(figure.wrong_answers),
        ]
        for name, figure in figures.items()
    ]
    lines += _table(header, rows)
    return lines


# -- targets ---------------------------------------------------------------------


def targets(results: Results) -> list[tuple[str, bool, str]]:
    """``(target, met, evidence)`` for each goal whose figures were measured."""
    checks: list[tuple[str, bool, str]] = []
    inprocess = results.inprocess
    if inprocess and all("microwsgi" in row and "falcon" in row for row in inprocess.values()):
        ratios = {name: row["microwsgi"] / row["falcon"] for name, row in inprocess.items()}
        worst = max(ratios, key=lambda name: ratios[name])
        checks.append(
            (
                "in-process: microwsgi at or below Falcon in every scenario",
                all(ratio <= 1.0 for ratio in ratios.values()),
                ", ".join(f"{name} {ratio:.2f}x" for name, ratio in ratios.items())
                + f" (worst: {worst})",
            )
        )
    if inprocess and "hello" in inprocess and {"microwsgi", "bare"} <= inprocess["hello"].keys():
        hello = inprocess["hello"]
        ratio = hello["microwsgi"] / hello["bare"]
        evidence = f"{ratio:.2f}x"
        if "falcon" in hello:
            evidence += f" (Falcon: {hello['falcon'] / hello['bare']:.2f}x)"
        checks.append(("in-process: hello within 3x of bare", ratio <= 3.0, evidence))
    if inprocess and "microwsgi" in inprocess.get("routes", {}):
        ratio = inprocess["routes"]["microwsgi"] / inprocess["param"]["microwsgi"]
        checks.append(
            (
                "routing: 1,000-route case within 1.3x of the parameter route",
                ratio <= 1.3,
                f"{ratio:.2f}x",
            )
        )
    imports = results.imports
    if imports and "microwsgi" in imports and "flask" in imports:
        ratio = imports["microwsgi"].milliseconds / imports["flask"].milliseconds
        checks.append(("import: at most a quarter of Flask's", ratio <= 0.25, f"{ratio:.2f}x"))
    if results.endtoend:
        ratios = {
            f"{processes}p {scenario}": by_app["microwsgi"].requests_per_second
            / by_app["bare"].requests_per_second
            for processes, by_scenario in results.endtoend.items()
            for scenario, by_app in by_scenario.items()
            if "microwsgi" in by_app and "bare" in by_app
        }
        capacity = {
            f"{processes}p {scenario}": by_app["bare"].worker_cpu_us
            / by_app["microwsgi"].worker_cpu_us
            for processes, by_scenario in results.endtoend.items()
            for scenario, by_app in by_scenario.items()
            if "microwsgi" in by_app and "bare" in by_app
        }
        if ratios:
            checks.append(
                (
                    "end to end: at least 80% of bare's requests per second",
                    all(ratio >= 0.8 for ratio in ratios.values()),
                    ", ".join(f"{key} {ratio:.0%}" for key, ratio in ratios.items())
                    + "; by worker CPU (capacity if the worker were the limit): "
                    + ", ".join(f"{key} {ratio:.0%}" for key, ratio in capacity.items()),
                )
            )
    memory = results.memory
    if memory and "microwsgi" in memory:
        figure = memory["microwsgi"]
        checks.append(
            (
                f"memory: no growth over {COUNTED_REQUESTS:,} requests",
                figure.second_growth_kb <= MIB,
                f"{figure.growth_kb / MIB:+.2f} MiB over the first batch, "
                f"{figure.second_growth_kb / MIB:+.2f} MiB over the second "
                "(met when the second stays under 1 MiB: a leak keeps growing)",
            )
        )
        checks.append(
            (
                "memory: upload peak within 20 MB of idle",
                figure.upload_extra_kb <= 20 * 1000 * 1000 / 1024,
                f"{figure.upload_extra_kb / MIB:+.2f} MiB",
            )
        )
    return checks


# -- the whole document ------------------------------------------------------------


def markdown(results: Results) -> str:
    lines = [
        "# microwsgi benchmark results",
        "",
        f"- run: `{results.command}`"
        + (" (smoke mode: the figures mean nothing)" if results.smoke else ""),
        f"- when: {results.started:%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {_cpu_count()} cores (shared), "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {_versions(results.apps)}",
        "",
        "![chart](results.png)",
        "",
    ]
    checks = targets(results)
    if checks:
        lines += ["## Targets", ""]
        lines += _table(
            ["target", "met", "figures"],
            [[name, "yes" if met else "**no**", evidence] for name, met, evidence in checks],
        )
        lines.append("")
    if results.inprocess:
        lines += [*_inprocess_lines(results, results.inprocess), ""]
    if results.routing:
        lines += [
            "## 2. Routing alone",
            "",
            "From `benchmarks/routing.py` (the router benchmark): one match of the "
            "last-registered rule as the number of rules grows.",
            "",
            "```",
            results.routing,
            "```",
            "",
        ]
    if results.imports:
        lines += [*_import_lines(results, results.imports), ""]
    if results.endtoend:
        lines += [*_endtoend_lines(results, results.endtoend), ""]
    if results.memory:
        lines += [*_memory_lines(results, results.memory), ""]
    if results.skipped:
        lines += ["## Not measured in this run", ""]
        lines += [f"- {section}: {reason}" for section, reason in results.skipped.items()]
        lines.append("")
    return "\n".join(lines)


def _cpu_count() -> int:
    return os.cpu_count() or 0


def chart(results: Results, path: Path) -> None:
    """Draw the measured sections side by side into ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    panels = [
        panel
        for panel in (
            _inprocess_panel(results),
            _import_panel(results),
            _endtoend_panel(results),
            _memory_panel(results),
        )
        if panel is not None
    ]
    if not panels:
        return
    figure, axes = plt.subplots(len(panels), 1, figsize=(11, 3.6 * len(panels)), squeeze=False)
    for axis, (title, unit, groups, series) in zip(axes[:, 0], panels, strict=True):
        width = 0.8 / max(len(series), 1)
        for number, (label, values) in enumerate(series.items()):
            positions = [
                index + (number - (len(series) - 1) / 2) * width for index in range(len(groups))
            ]
            bars = axis.bar(positions, values, width, label=label, color=_COLORS.get(label))
            axis.bar_label(bars, fmt=_bar_label, fontsize=7, padding=1)
        axis.set_xticks(range(len(groups)), groups, fontsize=8)
        axis.set_title(title, fontsize=10)
        axis.set_ylabel(unit, fontsize=8)
        axis.legend(fontsize=8, ncols=min(len(series), 5))
        axis.margins(y=0.15)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


Panel = tuple[str, str, list[str], dict[str, list[float]]]
# One colour per app in every panel, whichever apps a panel shows.
_COLORS = {
    "bare": "#8c8c8c",
    "microwsgi": "#d62728",
    "flask": "#1f77b4",
    "bottle": "#2ca02c",
    "falcon": "#9467bd",
}


def _inprocess_panel(results: Results) -> Panel | None:
    figures = results.inprocess
    if not figures:
        return None
    apps = [app for app in results.apps if all(app in row for row in figures.values())]
    series = {app: [row[app] for row in figures.values()] for app in apps}
    return "In-process dispatch (lower is better)", "µs per request", list(figures), series


def _import_panel(results: Results) -> Panel | None:
    if not results.imports:
        return None
    names = list(results.imports)
    values = [figure.milliseconds for figure in results.imports.values()]
    return (
        "Import time (lower is better)",
        "ms",
        ["import"],
        {name: [value] for name, value in zip(names, values, strict=True)},
    )


def _endtoend_panel(results: Results) -> Panel | None:
    """Worker CPU per request: the figure that still separates apps when wrk is the limit."""
    figures = results.endtoend
    if not figures:
        return None
    groups = [
        f"{processes} worker{'s' if processes > 1 else ''}, {scenario}"
        for processes, by_scenario in figures.items()
        for scenario in by_scenario
    ]
    apps = [
        app
        for app in results.apps
        if any(app in by_app for by_scenario in figures.values() for by_app in by_scenario.values())
    ]
    series = {
        app: [
            by_app[app].worker_cpu_us if app in by_app else 0.0
            for by_scenario in figures.values()
            for by_app in by_scenario.values()
        ]
        for app in apps
    }
    title = "End to end under uWSGI + wrk: worker CPU per request (lower is better)"
    return title, "µs per request", groups, series


def _memory_panel(results: Results) -> Panel | None:
    figures = results.memory
    if not figures:
        return None
    groups = [
        f"RSS after {2 * COUNTED_REQUESTS // 1000}k requests",
        f"peak RSS during a {UPLOAD_SIZE // (1024 * 1024)} MB upload",
    ]
    series = {
        name: [figure.after_twice_kb / MIB, figure.upload_peak_kb / MIB]
        for name, figure in figures.items()
    }
    return "Worker memory (lower is better)", "MiB", groups, series


def _bar_label(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"
