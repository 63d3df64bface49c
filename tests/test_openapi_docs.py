"""The first example of ``docs/openapi.md`` runs, and does what the guide says it does.

The code is taken from the guide itself, so the guide cannot drift from the
framework.
"""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "openapi.md"


def _first_example() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## A first example", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found is not None, "docs/openapi.md lost its first example"
    return found.group(1)


@pytest.fixture
def example() -> Any:
    module = types.ModuleType("openapi_guide_example")
    module.__file__ = str(GUIDE)
    sys.modules[module.__name__] = module  # dataclasses look their module up by name
    try:
        exec(compile(_first_example(), str(GUIDE), "exec"), module.__dict__)
        yield module
    finally:
        del sys.modules[module.__name__]


def test_the_guides_example_creates_reads_and_refuses(example):
    client = example.app.test_client()
    created = client.post("/memos/", json={"title": "Groceries", "labels": ["home"]})
    assert created.status_code == 201
    assert created.json == {"title": "Groceries", "body": "", "labels": ["home"], "id": 1}
    assert client.get("/memos/1").json == created.json
    assert client.get("/memos/2").status_code == 404

    refused = client.post("/memos/", json={"title": ""})
    assert refused.status_code == 422
    assert json.loads(refused.data) == {
        "code": 422,
        "name": "Unprocessable Content",
        "message": "The request body is invalid: see 'errors' for each field.",
        "errors": {"title": "must be at least 1 character long"},
    }


def test_the_guides_example_document_says_what_the_guide_shows(example):
    response = example.app.test_client().get("/openapi.json")
    document = json.loads(response.data)
    validate(document)
    assert document["paths"]["/memos/{memo_id}"] == {
        "get": {
            "tags": ["memos"],
            "summary": "Read one memo.",
            "description": "404 if there is no memo with this id.",
            "operationId": "memos.read",
            "parameters": [
                {
                    "name": "memo_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 0},
                }
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Memo"}}
                    },
                },
                "404": {"description": "Not Found"},
            },
        }
    }
    assert document["components"]["schemas"]["Memo"]["required"] == ["title"]
    assert example.app.test_client().get("/docs").status_code == 200
