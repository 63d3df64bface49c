"""Schemathesis against the generated OpenAPI document, logged in with a bearer token.

For each operation it generates requests from the document's schemas (valid
ones, and some that break them) and checks every answer: no 5xx, a status the
document lists, and a body and headers that match the document's schemas.

``MEMO_SCHEMATHESIS_EXAMPLES`` sets the number of examples per operation
(default 15, so CI stays quick); a longer run:
``MEMO_SCHEMATHESIS_EXAMPLES=500 .venv/bin/python -m pytest tests/memo/test_schemathesis.py``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import APIUser, tiny_png, upload

EXAMPLES = int(os.environ.get("MEMO_SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def logged_in(app, client) -> APIUser:
    user = APIUser(client, "fuzz", "퍼즈")
    # Some objects with small ids, so generated ids sometimes name real ones.
    for number in range(3):
        user.create_memo(title=f"memo {number}", labels=f"label {number}")
    user.post(
        "/api/memos",
        data={"title": "img", "content": "", "linked_image": upload(tiny_png(), "a.png")},
    )
    return user


def test_the_api_keeps_its_document(app, logged_in: APIUser, capsys) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    calls = {"count": 0}
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17

    for api_operation in operations:

        @given(case=api_operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case: Any) -> None:
            calls["count"] += 1
            case.call_and_validate(headers=logged_in.headers, checks=CHECKS)

        try:
            exercise()
        except (Exception, BaseExceptionGroup) as failure:  # every operation, not the first only
            failures[api_operation.label] = f"{type(failure).__name__}: {failure}"[:2000]

    with capsys.disabled():
        print(
            f"\nschemathesis: {len(operations)} operations, {calls['count']} requests, "
            f"{len(failures)} failing"
        )
    assert failures == {}
