"""The benchmark suite still runs, and its five apps still give the same answers.

Nothing here asserts a time: times depend on the machine. What can rot is the
suite itself (an app that no longer answers like the others, a report that
no longer renders), so the suite is run in its smoke mode and its parts are
checked on fixed inputs.

Flask, Bottle and Falcon come from the ``bench`` extra; without them the tests
that need all five apps are skipped, with the reason.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

# The benchmarks live beside the package, not in it: make them importable however
# pytest was started.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import endtoend, inprocess, run
from benchmarks.apps import APP_MODULES, load_app_module
from benchmarks.scenarios import (
    SCENARIOS,
    environ_template,
    fresh_environ,
    http_request_head,
    request_body,
    same_body,
    upload_pieces,
    upload_scenario,
)

CHECKED = (*SCENARIOS, upload_scenario(inprocess.CHECKED_UPLOAD_SIZE))


@pytest.fixture(scope="module")
def benchmark_apps():
    for package in ("flask", "bottle", "falcon"):
        pytest.importorskip(package, reason="the bench extra: pip install -e '.[bench]'")
    return {name: load_app_module(name).app for name in APP_MODULES}


@pytest.mark.parametrize("scenario", CHECKED, ids=[scenario.name for scenario in CHECKED])
def test_all_five_apps_give_the_expected_answer(benchmark_apps, scenario):
    template, body = environ_template(scenario), request_body(scenario)
    answers = {
        name: inprocess.call_app(app, fresh_environ(template, body))
        for name, app in benchmark_apps.items()
    }
    assert {name: answer.status[:3] for name, answer in answers.items()} == dict.fromkeys(
        answers, str(scenario.status)
    )
    wrong = [name for name, answer in answers.items() if not same_body(scenario, answer.body)]
    assert wrong == [], f"{wrong} answered {scenario.name} differently from {scenario.body!r}"


def test_the_answer_check_names_an_app_that_answers_wrongly():
    def wrong_app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"something else"]

    problems = inprocess.check_answers({"wrong": wrong_app}, SCENARIOS[:1])
    assert problems == ["wrong hello: body b'something else', expected b'Hello, World!'"]


def test_json_answers_are_compared_as_values_not_spacing():
    json_scenario = next(scenario for scenario in SCENARIOS if scenario.json_response)
    respaced = b'{"message":"Hello, World!","id":42,"tags":["fast","small"]}\n'
    assert same_body(json_scenario, respaced)
    assert not same_body(json_scenario, b'{"message": "Hello"}')


def test_the_streamed_upload_is_as_long_as_its_content_length():
    scenario = upload_scenario(200_000)
    head = http_request_head(scenario, "localhost").decode()
    announced = int(head.split("Content-Length: ")[1].split("\r\n")[0])
    assert sum(len(piece) for piece in upload_pieces(200_000)) == announced


def test_wrk_report_is_read():
    report = """Running 3s test @ http://127.0.0.1:8000/
  1 threads and 8 connections
  Latency Distribution
     50%  127.00us
     99%    1.50ms
  76302 requests in 3.10s, 6.19MB read
  Non-2xx or 3xx responses: 2
Requests/sec:  24617.19
"""
    assert endtoend.parse_wrk_report(report) == endtoend.WrkReport(76302, 24617.19, 1.5, 2)


def test_smoke_run_writes_the_tables_and_the_chart(benchmark_apps, tmp_path, capsys):
    assert run.main(["--smoke", "--output", str(tmp_path)]) == 0
    text = (tmp_path / "results.md").read_text()
    for scenario in SCENARIOS:
        assert f"| {scenario.title} |" in text
    assert "| scenario | bare | microwsgi | flask | bottle | falcon |" in text
    assert "| microwsgi |" in text  # the import-time table
    assert "endtoend: not in smoke mode" in text
    if importlib.util.find_spec("matplotlib") is not None:
        assert (tmp_path / "results.png").read_bytes().startswith(b"\x89PNG")
