"""What describing and validating an API costs (``microwsgi.openapi``), in-process.

Run it with ``python -m benchmarks.openapi`` (about 20 seconds; ``--smoke``
only checks that it runs). It needs the ``openapi`` extra.

Three questions, each answered by a table:

1. **Per request**: the same view answered with and without ``@operation``
   (a JSON body of three fields, a query string of two parameters, a small
   form), and the price of a 422. "plain" reads ``request.get_json()`` /
   ``request.args`` itself and checks nothing; "validated" gets
   ``request.validated_body`` / ``validated_args``, checked by jsonschema.
2. **Nothing for the others**: "hello" on an app without OpenAPI and on the
   same app with an ``OpenAPI`` object serving its document and docs page:
   the hot path must not notice.
3. **The document**: milliseconds to build it for apps of 10, 100 and 500
   rules (it is built on each request to ``/openapi.json``).

Timing follows ``inprocess.py``: environs prepared before the clock starts,
rounds of each variant interleaved, the median round kept.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from microwsgi import App, request
from microwsgi.openapi import OpenAPI, operation
from microwsgi.testing import build_environ

from .inprocess import FULL, SMOKE, Settings, call_app

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class MemoIn:
    title: Annotated[str, {"minLength": 1, "maxLength": 200}]
    body: str = ""
    labels: list[str] = field(default_factory=list)


@dataclass
class Page:
    page: Annotated[int, {"minimum": 1}] = 1
    size: Annotated[int, {"minimum": 1, "maximum": 100}] = 20


@dataclass
class Signup:
    name: str
    age: int
    admin: bool = False


def plain_app() -> App:
    app = App(__name__)

    @app.route("/")
    def hello() -> str:
        return "Hello, World!"

    @app.post("/memos")
    def create() -> Any:
        return {"title": request.get_json()["title"]}

    @app.get("/memos")
    def search() -> Any:
        return {"page": int(request.args.get("page", 1))}

    @app.post("/signup")
    def signup() -> Any:
        return {"name": request.form["name"]}

    return app


def validated_app(serve: bool = True) -> App:
    app = App(__name__)

    @app.route("/")
    def hello() -> str:
        return "Hello, World!"

    @app.post("/memos")
    @operation(body=MemoIn)
    def create() -> Any:
        return {"title": request.validated_body["title"]}

    @app.get("/memos")
    @operation(query=Page)
    def search() -> Any:
        return {"page": request.validated_args["page"]}

    @app.post("/signup")
    @operation(body=Signup, body_media_types=["application/x-www-form-urlencoded"])
    def signup() -> Any:
        return {"name": request.validated_body["name"]}

    if serve:
        OpenAPI(app, title="Benchmark", version="1")
    return app


@dataclass(frozen=True)
class Request:
    name: str
    title: str
    path: str
    method: str = "GET"
    body: bytes = b""
    content_type: str | None = None
    status: int = 200


REQUESTS = (
    Request(
        "json", "POST JSON body, 3 fields", "/memos", "POST",
        b'{"title": "Groceries", "body": "milk", "labels": ["home", "weekly"]}',
        "application/json",
    ),
    Request("query", "GET query string, 2 parameters", "/memos?page=3&size=50"),
    Request(
        "form", "POST form, 3 fields", "/signup", "POST",
        b"name=Ada+Lovelace&age=36&admin=on", "application/x-www-form-urlencoded",
    ),
    Request(
        "invalid", "POST JSON body -> 422", "/memos", "POST",
        b'{"title": "", "colour": "red"}', "application/json", 422,
    ),
)  # fmt: skip


def _environ(app: App, req: Request) -> dict[str, Any]:
    environ = build_environ(
        app, req.path, method=req.method, data=req.body, content_type=req.content_type
    )
    return environ


def _fresh(template: dict[str, Any], body: bytes) -> dict[str, Any]:
    environ = dict(template)
    environ["wsgi.input"] = io.BytesIO(body)
    return environ


def _timed_round(app: WsgiApp, template: dict[str, Any], body: bytes, calls: int) -> float:
    environs = [_fresh(template, body) for _ in range(calls)]
    start = time.perf_counter()
    for environ in environs:
        result = app(environ, lambda status, headers, exc_info=None: None)
        for _chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return (time.perf_counter() - start) / calls


def _median_us(
    variants: dict[str, tuple[WsgiApp, dict[str, Any], bytes]], settings: Settings
) -> dict[str, float]:
    """Median µs per request of each variant, rounds interleaved."""
    calls = {}
    for name, (app, template, body) in variants.items():
        probe = _timed_round(app, template, body, max(settings.warmup_calls, 1))
        calls[name] = max(
            1, min(settings.max_calls, int(settings.round_seconds / max(probe, 1e-9)))
        )
    rounds: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(settings.rounds):
        for name, (app, template, body) in variants.items():
            gc.collect()
            rounds[name].append(_timed_round(app, template, body, calls[name]))
    return {name: statistics.median(times) * 1e6 for name, times in rounds.items()}


def check_answers(plain: App, validated: App) -> list[str]:
    """Each variant must give the status expected, and the same body as the other."""
    problems = []
    for req in REQUESTS:
        answers = {}
        for name, app in (("plain", plain), ("validated", validated)):
            answer = call_app(app, _fresh(_environ(app, req), req.body))
            answers[name] = answer
        expected = req.status
        if not answers["validated"].status.startswith(str(expected)):
            problems.append(f"{req.name}: validated answered {answers['validated'].status}")
        if expected == 200 and answers["plain"].body != answers["validated"].body:
            problems.append(f"{req.name}: the two answers differ")
    return problems


def request_costs(settings: Settings) -> list[tuple[str, float, float]]:
    plain, validated = plain_app(), validated_app()
    problems = check_answers(plain, validated)
    if problems:
        raise SystemExit("The apps do not answer alike:\n  " + "\n  ".join(problems))
    rows = []
    for req in REQUESTS:
        variants = {
            name: (app, _environ(app, req), req.body)
            for name, app in (("plain", plain), ("validated", validated))
        }
        figures = _median_us(variants, settings)
        rows.append((req.title, figures["plain"], figures["validated"]))
    return rows


def hello_costs(settings: Settings) -> tuple[float, float]:
    without, with_openapi = plain_app(), validated_app(serve=True)
    hello = Request("hello", "hello", "/")
    variants = {
        name: (app, _environ(app, hello), b"")
        for name, app in (("without", without), ("with", with_openapi))
    }
    figures = _median_us(variants, settings)
    return figures["without"], figures["with"]


def document_costs(
    settings: Settings, sizes: Iterable[int] = (10, 100, 500)
) -> list[tuple[int, float]]:
    rows = []
    for size in sizes:
        app = App(__name__)
        for number in range(size):
            view = operation(body=MemoIn, responses={201: MemoIn})(lambda **values: "")
            app.add_url_rule(f"/r{number}/<int:memo_id>", f"r{number}", view, methods=["POST"])
        openapi = OpenAPI(app, title="Size", version="1", docs_url=None)
        openapi.document()  # warm up
        times = []
        for _ in range(max(settings.rounds, 1)):
            start = time.perf_counter()
            openapi.document()
            times.append(time.perf_counter() - start)
        rows.append((size, statistics.median(times) * 1e3))
    return rows


def report(settings: Settings, out: Callable[[str], None] = print) -> None:
    out("## Validation cost per request (µs, in-process, median)\n")
    out("| request | plain | validated | added |")
    out("|---|---:|---:|---:|")
    for title, plain, validated in request_costs(settings):
        out(f"| {title} | {plain:.2f} | {validated:.2f} | {validated - plain:+.2f} |")
    without, with_openapi = hello_costs(settings)
    out("\n## The hot path with an OpenAPI object on the app (µs)\n")
    out("| request | app without OpenAPI | app with OpenAPI |")
    out("|---|---:|---:|")
    out(f"| hello (GET / -> text) | {without:.2f} | {with_openapi:.2f} |")
    out("\n## Building the document (ms, median)\n")
    out("| rules | ms |")
    out("|---:|---:|")
    for size, ms in document_costs(settings):
        out(f"| {size} | {ms:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="only check that it runs")
    options = parser.parse_args(argv)
    report(SMOKE if options.smoke else FULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
