"""The calculator's pages and API: one blueprint, three views.

- ``GET /<num1>/<op>/<num2>``: the REST API of seed 002 Test #10, answering JSON.
- ``GET /``: the form.
- ``POST /post``: the form's target. A browser gets the page again, with the
  result or the error and what was typed; a JSON client gets JSON.

The idea to take away: one endpoint can serve people and programs. The
request says which it is: a JSON body (``request.is_json``), or an
``Accept`` header that prefers JSON to HTML, asks for JSON; a posted form
asks for a page. Every URL on the page comes from ``url_for``, so the app
works unchanged when a server mounts it under a prefix such as ``/calc``.
"""

from __future__ import annotations

from typing import Any

from microwsgi import Blueprint, render_template, request, session, url_for
from microwsgi.exceptions import BadRequest

from .arithmetic import (
    MAX_DIGITS,
    URL_SPELLING,
    Calculation,
    CalculationError,
    compute,
    format_number,
)

bp = Blueprint("calculator", __name__)

#: How many calculations the page remembers, newest first.
RECENT_LIMIT = 10

#: The form's fields, named as in the seed's HTML, mapped to the calculation's parts.
FORM_FIELDS = {"input1": "num1", "operator": "op", "input2": "num2"}


@bp.get("/<num1>/<op>/<num2>")
def calculate_get(num1: str, op: str, num2: str) -> Any:
    """``GET /12/*/5`` -> ``{"num1": 12, "op": "*", "num2": 5, "result": 60}``."""
    try:
        calculation = compute(num1, op, num2)
    except CalculationError as error:
        return error.as_json(), 400
    return calculation.as_json()


@bp.get("/")
def calculate_main() -> str:
    return _page(form={})


@bp.post("/post")
def calculate_post() -> Any:
    if request.is_json:
        return _calculate_for_json_client()
    form = {name: request.form.get(name, "") for name in FORM_FIELDS}
    wants_json = _prefers_json()
    try:
        calculation = compute(form["input1"], form["operator"], form["input2"])
    except CalculationError as error:
        if wants_json:
            return error.as_json(), 400
        return _page(form=form, error=error), 400
    if wants_json:
        return calculation.as_json()
    _remember(calculation)
    return _page(form=form, calculation=calculation)


@bp.app_errorhandler(BadRequest)
def unreadable_request(error: BadRequest) -> Any:
    """A request the framework could not read (a form or a path that is not UTF-8, a
    malformed body) answers in the calculator's own shape, like every other 400:
    ``error``, ``error_en`` and ``field`` (None: no one field was at fault), or the
    page with the error for a browser's form."""
    problem = CalculationError(
        None,
        "요청을 읽을 수 없습니다. 양식과 URL은 UTF-8로 보내야 합니다.",
        f"The request could not be read: {error.description}",
    )
    if request.method == "POST" and not request.is_json and not _prefers_json():
        return _page(form={}, error=problem), 400
    return problem.as_json(), 400


def _calculate_for_json_client() -> Any:
    """A JSON body ``{"input1": 12, "operator": "*", "input2": 5}``; numbers or strings."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return {
            "error": "요청 본문이 올바른 JSON 객체가 아닙니다.",
            "error_en": "The body must be a JSON object such as "
            '{"input1": 12, "operator": "*", "input2": 5}.',
            "field": None,
        }, 400
    try:
        calculation = compute(body.get("input1"), body.get("operator"), body.get("input2"))
    except CalculationError as error:
        return error.as_json(), 400
    return calculation.as_json()


def _prefers_json() -> bool:
    """True for ``Accept: application/json``; browsers and plain curl prefer HTML."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _remember(calculation: Calculation) -> None:
    """Put the calculation first in the session's list, keeping the newest few.

    The session is a signed cookie (``microwsgi/sessions.py``): the list
    travels with the browser, so any worker process can show it.
    """
    entry = [
        format_number(calculation.num1),
        calculation.op,
        format_number(calculation.num2),
        calculation.result_text,
    ]
    recent = [item for item in _valid_entries(session.get("recent")) if item != entry]
    session["recent"] = [entry, *recent][:RECENT_LIMIT]


def _page(
    form: dict[str, str],
    calculation: Calculation | None = None,
    error: CalculationError | None = None,
) -> str:
    recent = [
        {
            "text": f"{num1} {op} {num2} = {result}",
            "url": url_for(".calculate_get", num1=num1, op=URL_SPELLING.get(op, op), num2=num2),
        }
        for num1, op, num2, result in _valid_entries(session.get("recent"))
    ]
    invalid_field = next(
        (name for name, part in FORM_FIELDS.items() if error and error.field == part), None
    )
    return render_template(
        "calculator.html",
        form=form,
        calculation=calculation,
        error=error,
        invalid_field=invalid_field,
        recent=recent,
        max_digits=MAX_DIGITS,
        example_url=url_for(".calculate_get", num1="12", op="*", num2="5"),
        divide_url=url_for(".calculate_get", num1="12", op="div", num2="5"),
    )


def _valid_entries(stored: Any) -> list[list[str]]:
    """The session's list, skipping anything not shaped as we store it.

    The cookie is signed, so only this app could have written it; but an old
    version of the app might have stored another shape.
    """
    if not isinstance(stored, list):
        return []
    return [
        item
        for item in stored
        if isinstance(item, list) and len(item) == 4 and all(isinstance(s, str) for s in item)
    ]
