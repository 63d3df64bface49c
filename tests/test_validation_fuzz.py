"""Property-based fuzzing of request validation: any body or query gets a 2xx or a clear 4xx.

Hypothesis sends validated operations arbitrary JSON (deep, wide, of every
type), arbitrary query strings and forms (any names, repeated, empty, of any
text), multipart uploads with files under any name, and any media type. For
every request: the status is 200/201 or one of 400, 413, 415, 422; an error
answer is the JSON shape ``{code, name, message, errors}`` with string
messages; a success means the view saw values that satisfy its schema; and
the request takes under 2 s. The app is wrapped in ``wsgiref.validate``.

``MICROWSGI_FUZZ_EXAMPLES`` sets the number of examples (a few hundred in CI).
"""

from __future__ import annotations

import io
import json
import os
import time
import warnings
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from wsgiref.validate import validator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from microwsgi import App, request
from microwsgi.formparser import UploadedFile
from microwsgi.openapi import operation
from microwsgi.testing import build_environ

EXAMPLES = int(os.environ.get("MICROWSGI_FUZZ_EXAMPLES", "300"))
TIME_LIMIT = 2.0
ERROR_STATUSES = {400, 413, 415, 422}


@dataclass
class Tag:
    name: Annotated[str, {"minLength": 1, "maxLength": 20}]


@dataclass
class Item:
    title: Annotated[str, {"minLength": 1, "maxLength": 50}]
    count: Annotated[int, {"minimum": 0}] = 0
    price: float | None = None
    done: bool = False
    kind: Literal["a", "b"] = "a"
    tags: list[Tag] = field(default_factory=list)
    parent: Item | None = None
    extra: dict[str, int] = field(default_factory=dict)


@dataclass
class Query:
    page: Annotated[int, {"minimum": 1}] = 1
    q: str | None = None
    ids: list[int] = field(default_factory=list)
    flag: bool | None = None


@dataclass
class Upload:
    name: str
    size: int | None = None
    file: UploadedFile | None = None
    more: list[UploadedFile] = field(default_factory=list)


def make_app() -> App:
    app = App(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024

    @app.post("/items")
    @operation(query=Query, body=Item)
    def create_item() -> Any:
        return {"body": request.validated_body, "args": request.validated_args}, 201

    @app.post("/uploads")
    @operation(
        body=Upload,
        body_media_types=["multipart/form-data", "application/x-www-form-urlencoded"],
    )
    def upload() -> Any:
        body = dict(request.validated_body)
        files = [body.pop("file", None), *body.pop("more", [])]
        body["files"] = [upload.filename for upload in files if upload is not None]
        return body

    return app


APP = make_app()
WRAPPED = validator(APP)


def _schema_checker(schema: Any) -> Draft202012Validator:
    from microwsgi.schemas import SchemaRegistry

    registry = SchemaRegistry()
    root = registry.object_schema(schema)
    root["components"] = {"schemas": registry.definitions}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


ITEM_CHECKER = _schema_checker(Item)
QUERY_CHECKER = _schema_checker(Query)


def call(environ: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    statuses: list[str] = []
    headers: dict[str, str] = {}

    def start_response(status: str, response_headers: list[Any], exc_info: Any = None) -> Any:
        statuses.append(status)
        headers.update(response_headers)
        return lambda data: None

    started = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = WRAPPED(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    assert time.monotonic() - started < TIME_LIMIT
    return int(statuses[0].split(" ", 1)[0]), headers, body


def check_error(status: int, headers: dict[str, str], body: bytes) -> None:
    assert status in ERROR_STATUSES, (status, body[:300])
    if status == 413:
        return  # refused by the body size limit, before any operation
    assert headers["Content-Type"] == "application/json", body[:300]
    payload = json.loads(body)
    assert set(payload) == {"code", "name", "message", "errors"}
    assert payload["code"] == status
    assert isinstance(payload["message"], str) and payload["message"]
    assert all(isinstance(key, str) for key in payload["errors"])
    assert all(isinstance(value, str) and value for value in payload["errors"].values())


# -- strategies -----------------------------------------------------------------

texts = st.text(max_size=30)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(texts, children, max_size=5),
    max_leaves=40,
)
field_names = st.sampled_from(
    ["title", "count", "price", "done", "kind", "tags", "parent", "extra", "name", "size",
     "file", "more", "page", "q", "ids", "flag", ""]
) | texts  # fmt: skip
item_like = st.fixed_dictionaries(
    {},
    optional={
        "title": texts | json_values,
        "count": st.integers() | json_values,
        "price": st.floats(allow_nan=False) | json_values,
        "done": st.booleans() | json_values,
        "kind": st.sampled_from(["a", "b", "c"]) | json_values,
        "tags": st.lists(st.fixed_dictionaries({"name": texts}) | json_values, max_size=3),
        "parent": json_values,
        "extra": st.dictionaries(texts, st.integers() | json_values, max_size=3),
    },
)
pairs = st.lists(
    st.tuples(field_names, texts | st.sampled_from(["", "0", "1", "true", "-5", "1.5", "x"])),
    max_size=8,
)
media_types = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "text/plain",
     "application/x-www-form-urlencoded", "multipart/form-data", "", "application/merge-patch+json"]
)  # fmt: skip


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    body=item_like | json_values,
    query=pairs,
    media_type=media_types,
    raw=st.booleans(),
)
def test_any_json_body_and_query_get_an_answer_that_keeps_the_contract(
    body: Any, query: list[tuple[str, str]], media_type: str, raw: bool
) -> None:
    data = json.dumps(body).encode() if not raw else json.dumps(body)[:-1].encode()
    environ = build_environ(
        APP, "/items", method="POST", query_string=urlencode(query), data=data,
        content_type=media_type or None,
    )  # fmt: skip
    status, headers, answer = call(environ)
    if status == 201:
        payload = json.loads(answer)
        assert list(ITEM_CHECKER.iter_errors(payload["body"])) == []
        assert list(QUERY_CHECKER.iter_errors(payload["args"])) == []
    else:
        check_error(status, headers, answer)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    fields=pairs,
    files=st.lists(
        st.tuples(field_names, st.binary(max_size=50), texts, st.sampled_from(["", "text/plain"])),
        max_size=4,
    ),
)
def test_any_form_or_upload_gets_an_answer_that_keeps_the_contract(
    fields: list[tuple[str, str]], files: list[tuple[str, bytes, str, str]]
) -> None:
    data: dict[str, Any] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name, content, filename, content_type in files:
        upload = (
            (io.BytesIO(content), filename, content_type)
            if content_type
            else (io.BytesIO(content), filename)
        )
        data.setdefault(name, []).append(upload)
    environ = build_environ(APP, "/uploads", method="POST", data=data)
    status, headers, answer = call(environ)
    if status == 200:
        payload = json.loads(answer)
        assert isinstance(payload["name"], str)
        assert payload.get("size") is None or isinstance(payload["size"], int)
        assert all(isinstance(name, str) for name in payload["files"])
    else:
        check_error(status, headers, answer)
