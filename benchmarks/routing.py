"""Routing benchmark: how long one match takes as the number of rules grows.

For 10, 100, 1,000 and 5,000 rules, each router gets the same rules
(``/api/res<i>/<int:id>/items/<name>``, written in its own syntax) and is asked
to match a path for the *last* rule registered, the worst place for a router
that tries its rules one by one. microwsgi is measured beside Flask (a
Werkzeug ``Map``, bound once outside the timing, as Flask does per request),
Bottle (``bottle.Router``) and Falcon (``falcon.routing.CompiledRouter``), in
the same process and run.

Each figure is the best of several timed runs, in microseconds per match.
The ratios show how the figure grows from 10 rules and how microwsgi compares.

    python benchmarks/routing.py           # the full run (about two minutes)
    python benchmarks/routing.py --smoke   # 10 and 100 rules, a few iterations (a second)

Bottle and Falcon take seconds to *register* 5,000 rules (Bottle rebuilds its
combined regexes on every addition); that set-up is not timed.

The idea to take away: a router whose cost depends on the number of rules
makes every request of a large application slower; a tree of segments does not.
"""

from __future__ import annotations

import argparse
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from microwsgi.routing import Router

SIZES = (10, 100, 1_000, 5_000)


def path_for_last(size: int) -> str:
    return f"/api/res{size - 1}/42/items/widget"


def microwsgi_matcher(size: int) -> Callable[[str], object]:
    router = Router()
    for number in range(size):
        router.add(f"/api/res{number}/<int:id>/items/<name>", f"res{number}")
    return lambda path: router.match(path, "GET")


def flask_matcher(size: int) -> Callable[[str], object]:
    from werkzeug.routing import Map, Rule

    url_map = Map(
        [
            Rule(f"/api/res{number}/<int:id>/items/<name>", endpoint=f"res{number}")
            for number in range(size)
        ]
    )
    adapter = url_map.bind("localhost")
    return lambda path: adapter.match(path, "GET")


def bottle_matcher(size: int) -> Callable[[str], object]:
    import bottle

    router = bottle.Router()
    for number in range(size):
        router.add(f"/api/res{number}/<id:int>/items/<name>", "GET", f"res{number}")
    return lambda path: router.match({"PATH_INFO": path, "REQUEST_METHOD": "GET"})


def falcon_matcher(size: int) -> Callable[[str], object]:
    from falcon.routing import CompiledRouter

    class Resource:
        def on_get(self, req: object, resp: object, **params: object) -> None:
            pass

    router = CompiledRouter()
    for number in range(size):
        router.add_route(f"/api/res{number}/{{id:int}}/items/{{name}}", Resource())
    return router.find


MATCHERS: dict[str, Callable[[int], Callable[[str], object]]] = {
    "microwsgi": microwsgi_matcher,
    "flask": flask_matcher,
    "bottle": bottle_matcher,
    "falcon": falcon_matcher,
}


def time_match(match: Callable[[str], object], path: str, number: int, repeat: int) -> float:
    """Best time of ``repeat`` runs of ``number`` matches, in microseconds per match."""
    if match(path) is None:
        raise RuntimeError(f"benchmark setup is wrong: {path} matched nothing")
    runs = timeit.repeat(lambda: match(path), number=number, repeat=repeat)
    return min(runs) / number * 1e6


Results = dict[str, dict[int, float]]


def run(sizes: tuple[int, ...], number: int, repeat: int) -> Results:
    """Time every installed router at every size; a missing framework is left out."""
    results: Results = {}
    for name, make in MATCHERS.items():
        try:
            figures = {
                size: time_match(make(size), path_for_last(size), number, repeat) for size in sizes
            }
        except ImportError as error:
            print(f"({name} left out: {error})", file=sys.stderr)
            continue
        results[name] = figures
    return results


def report(results: Results) -> str:
    sizes = tuple(results["microwsgi"])
    smallest, largest = sizes[0], sizes[-1]
    growth = f"{largest}/{smallest}"
    lines = [
        "Match time for the last-registered rule, microseconds (lower is better)",
        "",
        f"{'router':<10}" + "".join(f"{f'{size:,} rules':>14}" for size in sizes) + f"{growth:>11}",
    ]
    for name, figures in results.items():
        row = "".join(f"{figures[size]:>11.2f} µs" for size in sizes)
        lines.append(f"{name:<10}{row}{figures[largest] / figures[smallest]:>10.2f}x")
    lines += ["", "microwsgi's time divided by each router's (below 1: microwsgi is faster)", ""]
    ours = results["microwsgi"]
    for name, figures in results.items():
        if name != "microwsgi":
            ratios = "".join(f"{ours[size] / figures[size]:>13.2f}x" for size in sizes)
            lines.append(f"{'vs ' + name:<10}{ratios}")
    lines += ["", *targets(results)]
    return "\n".join(lines)


def targets(results: Results) -> list[str]:
    """The two targets of the routing issue, when this run measured what they need."""
    ours = results["microwsgi"]
    lines = []
    if 10 in ours and 5_000 in ours:
        growth = ours[5_000] / ours[10]
        verdict = "met" if growth <= 1.5 else "MISSED"
        lines.append(f"target 5,000 rules within 1.5x of 10 rules: {growth:.2f}x, {verdict}")
    if 1_000 in ours and "falcon" in results:
        theirs = results["falcon"][1_000]
        verdict = "met" if ours[1_000] < theirs else "MISSED"
        lines.append(
            f"target below Falcon at 1,000 rules: {ours[1_000]:.2f} µs vs {theirs:.2f} µs, "
            f"{verdict}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="10 and 100 rules, a few iterations: checks that it runs, measures nothing",
    )
    options = parser.parse_args(argv)
    if options.smoke:
        print(report(run((10, 100), number=20, repeat=1)))
    else:
        print(report(run(SIZES, number=20_000, repeat=7)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
