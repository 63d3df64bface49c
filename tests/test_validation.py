"""Requests checked against the schemas an operation declares (``microwsgi.validation``).

Each kind of problem has its test, with the status and the exact message a
client gets; the checked values the view receives are asserted too.
"""

from __future__ import annotations

import functools
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

import pytest

from microwsgi import App, MethodView, abort, request
from microwsgi.formparser import UploadedFile
from microwsgi.openapi import operation
from microwsgi.validation import RequestValidationError

BODY_MESSAGE = "The request body is invalid: see 'errors' for each field."
QUERY_MESSAGE = "The request query string is invalid: see 'errors' for each field."
FORM_MESSAGE = "The request form is invalid: see 'errors' for each field."


@dataclass
class Label:
    name: Annotated[str, {"minLength": 1}]


@dataclass
class MemoIn:
    title: Annotated[str, {"minLength": 1, "maxLength": 10}]
    body: str = ""
    labels: list[str] = field(default_factory=list)
    priority: int | None = None
    owner: Label | None = None


@pytest.fixture
def app() -> App:
    app = App(__name__)
    app.config["SECRET_KEY"] = "test key"

    @app.post("/memos")
    @operation(body=MemoIn)
    def create_memo() -> Any:
        return {"body": request.validated_body, "args": request.validated_args}, 201

    @app.route("/plain", methods=["GET", "POST"])
    def plain() -> Any:
        return {"body": request.validated_body, "args": request.validated_args}

    return app


def problem(response: Any) -> tuple[int, str, dict[str, str]]:
    """The status, message and errors of a JSON error answer."""
    assert response.headers["Content-Type"] == "application/json"
    payload = json.loads(response.data)
    assert set(payload) == {"code", "name", "message", "errors"}
    assert payload["code"] == response.status_code
    return response.status_code, payload["message"], payload["errors"]


# -- JSON bodies ------------------------------------------------------------------


def test_a_valid_body_reaches_the_view_with_its_defaults(client):
    response = client.post("/memos", json={"title": "Groceries", "labels": ["home"]})
    assert response.status_code == 201
    assert response.json == {
        "body": {
            "title": "Groceries",
            "labels": ["home"],
            "body": "",
            "priority": None,
            "owner": None,
        },
        "args": None,
    }


def test_a_missing_field_is_reported_under_its_own_name(client):
    response = client.post("/memos", json={"body": "text"})
    assert problem(response) == (422, BODY_MESSAGE, {"title": "is required"})
    assert json.loads(response.data)["name"] == "Unprocessable Content"


def test_a_wrong_type_is_reported_with_the_type_wanted(client):
    response = client.post("/memos", json={"title": 5, "priority": "high", "owner": "kim"})
    assert problem(response) == (
        422,
        BODY_MESSAGE,
        {
            "title": "must be a string",
            "priority": "must be an integer or null",
            "owner": "must be an object or null",
        },
    )


def test_an_extra_field_is_refused_when_the_schema_forbids_it(client):
    response = client.post("/memos", json={"title": "A", "colour": "red", "size": 3})
    assert problem(response) == (
        422,
        BODY_MESSAGE,
        {"colour": "is not allowed", "size": "is not allowed"},
    )


def test_nested_fields_are_named_by_a_dotted_path(client):
    response = client.post(
        "/memos", json={"title": "A", "labels": ["ok", 7], "owner": {"name": ""}}
    )
    assert problem(response)[2] == {
        "labels.1": "must be a string",
        "owner.name": "must be at least 1 character long",
    }


def test_a_union_is_blamed_where_the_branch_of_the_values_type_refused_it():
    """The example: the memo API's labels, "a string or a list of strings", sent as
    ["ok", 7] was "labels: must be a string", the other branch's view of the list."""
    app = App(__name__)
    names = {"type": "string", "maxLength": 5}
    schema = {
        "type": "object",
        "properties": {
            "labels": {"anyOf": [names, {"type": "array", "items": names}]},
            "size": {"oneOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]},
        },
    }

    @app.post("/things")
    @operation(body=schema)
    def things() -> str:
        return "ok"

    client = app.test_client()
    assert problem(client.post("/things", json={"labels": ["ok", 7]}))[2] == {
        "labels.1": "must be a string"
    }
    assert problem(client.post("/things", json={"labels": ["ok", "toolong"]}))[2] == {
        "labels.1": "must be at most 5 characters long"
    }
    assert problem(client.post("/things", json={"labels": "toolong"}))[2] == {
        "labels": "must be at most 5 characters long"
    }
    assert problem(client.post("/things", json={"labels": 7}))[2] == {
        "labels": "must be a string or an array"
    }
    assert problem(client.post("/things", json={"size": 0}))[2] == {"size": "must be at least 1"}
    assert client.post("/things", json={"labels": ["ok"], "size": None}).status_code == 200


def test_a_body_that_is_not_an_object_is_reported_under_the_empty_path(client):
    assert problem(client.post("/memos", json=["A"])) == (
        422,
        BODY_MESSAGE,
        {"": "must be an object"},
    )
    null = client.post("/memos", data=b"null", content_type="application/json")
    assert problem(null)[2] == {"": "must be an object"}


def test_every_problem_is_reported_at_once(client):
    errors = problem(client.post("/memos", json={"title": "far too long a title", "x": 1}))[2]
    assert errors == {"title": "must be at most 10 characters long", "x": "is not allowed"}


def test_errors_are_json_even_for_a_client_that_prefers_html(client):
    response = client.post("/memos", json={}, headers={"Accept": "text/html"})
    assert problem(response) == (422, BODY_MESSAGE, {"title": "is required"})


def test_broken_json_is_a_400_in_the_same_shape(client):
    response = client.post("/memos", data=b'{"title": ', content_type="application/json")
    status, message, errors = problem(response)
    assert (status, errors) == (400, {})
    assert message.startswith("The body is not valid JSON")
    not_utf8 = client.post("/memos", data=b'{"title": "\xff"}', content_type="application/json")
    assert problem(not_utf8)[:2] == (400, "The JSON body is not valid UTF-8 text.")


@dataclass
class Comment:
    text: str
    replies: list[Comment] = field(default_factory=list)


def test_a_body_nested_too_deeply_is_a_422_not_a_crash(app, client):
    @app.post("/comments")
    @operation(body=Comment)
    def comment() -> str:
        return "ok"

    def nested(levels: int) -> bytes:
        # Each level is an object and a list: two levels of JSON.
        text = '{"text": "a", "replies": [' * levels + '{"text": "b"}' + "]}" * levels
        return text.encode()

    fine = client.post("/comments", data=nested(31), content_type="application/json")
    assert fine.status_code == 200
    for levels in (33, 200, 400):
        deep = client.post("/comments", data=nested(levels), content_type="application/json")
        assert problem(deep) == (
            422,
            "The request body is nested more than 64 levels deep; send a flatter structure.",
            {"": "is nested more than 64 levels deep"},
        )


# -- media types ---------------------------------------------------------------------


def test_a_wrong_media_type_is_a_415_naming_the_accepted_types(client):
    response = client.post("/memos", data={"title": "A"})
    assert problem(response) == (
        415,
        "The body must be sent as application/json, not as 'application/x-www-form-urlencoded'.",
        {},
    )
    assert response.headers["Accept-Post"] == "application/json"
    text = client.post("/memos", data=b"title=A", content_type="text/plain; charset=utf-8")
    assert problem(text)[1].endswith("not as 'text/plain'.")


def test_a_body_without_a_content_type_is_a_415(client):
    response = client.post("/memos", data=b'{"title": "A"}')
    assert problem(response)[:2] == (
        415,
        "The body must be sent as application/json, not as a body without a Content-Type.",
    )


def test_no_body_at_all_is_a_422_when_the_body_is_required(client):
    assert problem(client.post("/memos")) == (
        422,
        "The request has no body; send one as application/json.",
        {"": "is required"},
    )


def test_an_optional_body_may_be_left_out(app, client):
    @app.post("/ping")
    @operation(body={"type": "object"}, body_required=False)
    def ping() -> Any:
        return {"body": request.validated_body}

    assert client.post("/ping").json == {"body": None}
    assert client.post("/ping", json={"a": 1}).json == {"body": {"a": 1}}
    assert problem(client.post("/ping", json=[1]))[2] == {"": "must be an object"}


def test_patch_names_its_accepted_types_in_accept_patch(app, client):
    @app.patch("/memos/<int:memo_id>")
    @operation(body={"application/merge-patch+json": {"type": "object"}})
    def patch_memo(memo_id: int) -> Any:
        return {"id": memo_id, "body": request.validated_body}

    response = client.patch("/memos/3", json={"title": "A"})
    assert problem(response)[0] == 415
    assert response.headers["Accept-Patch"] == "application/merge-patch+json"
    merged = client.patch(
        "/memos/3", data=b'{"title": "B"}', content_type="application/merge-patch+json"
    )
    assert merged.json == {"id": 3, "body": {"title": "B"}}


def test_wildcard_media_types_accept_any_subtype_and_check_only_the_type(app, client):
    @app.put("/avatar")
    @operation(body={"image/*": {"type": "string", "format": "binary"}})
    def avatar() -> Any:
        return {"size": len(request.get_data()), "body": request.validated_body}

    assert client.put("/avatar", data=b"\x89PNG", content_type="image/png").json == {
        "size": 4,
        "body": None,
    }
    assert problem(client.put("/avatar", data=b"x", content_type="text/plain"))[0] == 415


def test_methods_without_a_body_are_not_checked(app, client):
    @app.route("/search", methods=["GET", "POST"])
    @operation(body={"type": "object", "required": ["q"]})
    def search() -> Any:
        return {"body": request.validated_body}

    assert client.get("/search").json == {"body": None}
    assert client.head("/search").status_code == 200
    assert client.options("/search").status_code == 200
    assert problem(client.post("/search", json={}))[2] == {"q": "is required"}


# -- query strings ---------------------------------------------------------------------


@dataclass
class Page:
    page: Annotated[int, {"minimum": 1}] = 1
    size: Annotated[int, {"maximum": 50}] = 20
    tag: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    done: bool | None = None
    ratio: float | None = None


@pytest.fixture
def search(app: App) -> App:
    @app.get("/memos")
    @operation(query=Page)
    def list_memos() -> Any:
        return {"args": request.validated_args, "body": request.validated_body}

    return app


def test_query_parameters_are_converted_to_their_declared_types(search, client):
    response = client.get("/memos?page=2&tag=a&tag=b&ids=3&ids=4&done=true&ratio=0.5")
    assert response.json == {
        "args": {
            "page": 2,
            "tag": ["a", "b"],
            "ids": [3, 4],
            "done": True,
            "ratio": 0.5,
            "size": 20,
        },
        "body": None,
    }
    # Every top-level default is filled in, None included.
    assert client.get("/memos").json["args"] == {
        "page": 1,
        "size": 20,
        "done": None,
        "ratio": None,
    }


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("page=abc", {"page": "must be an integer"}),
        ("page=0", {"page": "must be at least 1"}),
        ("size=51", {"size": "must be at most 50"}),
        ("page=1.5", {"page": "must be an integer"}),
        ("ids=1&ids=x", {"ids.1": "must be an integer"}),
        ("done=maybe", {"done": "must be a boolean or null"}),
        ("ratio=nan", {"ratio": "must be a number or null"}),
        ("page=1&page=2", {"page": "must be given once, not 2 times"}),
        ("sort=name", {"sort": "is not allowed"}),
        ("page=" + "9" * 5000, {"page": "must be an integer"}),
    ],
)
def test_a_bad_query_parameter_is_a_422_naming_it(search, client, query, errors):
    assert problem(client.get(f"/memos?{query}")) == (422, QUERY_MESSAGE, errors)


@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("1", True), ("on", True), ("YES", True), ("false", False), ("0", False),
     ("off", False), ("no", False), ("", None)],
)  # fmt: skip
def test_booleans_are_read_from_the_words_forms_use(search, client, text, value):
    assert client.get(f"/memos?done={text}").json["args"]["done"] is value


def test_an_open_query_schema_keeps_undeclared_parameters_as_text(app, client):
    @app.get("/open")
    @operation(query={"type": "object", "properties": {"n": {"type": "integer"}}})
    def open_query() -> Any:
        return {"args": request.validated_args}

    assert client.get("/open?n=1&_=123&x=a&x=b").json == {
        "args": {"n": 1, "_": "123", "x": ["a", "b"]}
    }


def test_query_and_body_are_checked_together(app, client):
    @app.post("/both")
    @operation(query=Page, body={"type": "object", "required": ["a"]})
    def both() -> Any:
        return {"args": request.validated_args, "body": request.validated_body}

    assert client.post("/both?page=3", json={"a": 1}).json == {
        "args": {"page": 3, "size": 20, "done": None, "ratio": None},
        "body": {"a": 1},
    }
    assert problem(client.post("/both?page=x", json={"a": 1}))[1] == QUERY_MESSAGE
    assert problem(client.post("/both", json={}))[2] == {"a": "is required"}


# -- forms and multipart uploads ----------------------------------------------------------


@dataclass
class Profile:
    name: str
    age: int
    height: float | None = None
    admin: bool = False
    nickname: str | None = None
    tags: list[str] = field(default_factory=list)
    scores: list[int] = field(default_factory=list)
    photo: UploadedFile | None = None
    attachments: list[UploadedFile] = field(default_factory=list)


@pytest.fixture
def profiles(app: App) -> App:
    @app.post("/profiles")
    @operation(
        body=Profile,
        body_media_types=["application/x-www-form-urlencoded", "multipart/form-data"],
    )
    def create_profile() -> Any:
        body = request.validated_body
        photo = body.pop("photo", None)
        attachments = body.pop("attachments", [])
        return {
            "body": body,
            "photo": [photo.filename, photo.read().decode()] if photo is not None else None,
            "attachments": [upload.filename for upload in attachments],
        }

    return app


def test_form_fields_are_converted_to_the_declared_types(profiles, client):
    response = client.post(
        "/profiles",
        data={
            "name": "Kim",
            "age": "41",
            "height": "1.75",
            "admin": "on",
            "nickname": "",
            "tags": ["a", "b"],
            "scores": ["3", "5"],
        },
    )
    assert response.status_code == 200
    assert response.json == {
        "body": {
            "name": "Kim",
            "age": 41,
            "height": 1.75,
            "admin": True,
            "nickname": "",
            "tags": ["a", "b"],
            "scores": [3, 5],
        },
        "photo": None,
        "attachments": [],
    }


def test_an_empty_form_field_that_is_not_text_counts_as_missing_or_null(profiles, client):
    body = client.post("/profiles", data={"name": "Kim", "age": "3", "height": ""}).json["body"]
    assert body["height"] is None  # "number or null": an empty input is null
    errors = problem(client.post("/profiles", data={"name": "Kim", "age": ""}))[2]
    assert errors == {"age": "is required"}  # an empty required number is missing


def test_bad_form_fields_are_a_422(profiles, client):
    response = client.post(
        "/profiles", data={"age": "old", "admin": "perhaps", "scores": ["1", "two"], "x": "1"}
    )
    assert problem(response) == (
        422,
        FORM_MESSAGE,
        {
            "age": "must be an integer",
            "admin": "must be a boolean",
            "scores.1": "must be an integer",
            "name": "is required",
            "x": "is not allowed",
        },
    )


def test_multipart_files_go_under_the_properties_declared_binary(profiles, client):
    response = client.post(
        "/profiles",
        data={
            "name": "Kim",
            "age": "7",
            "photo": (io.BytesIO(b"PNG bytes"), "me.png", "image/png"),
            "attachments": [(io.BytesIO(b"1"), "a.txt"), (io.BytesIO(b"2"), "b.txt")],
        },
    )
    assert response.status_code == 200
    assert response.json == {
        "body": {"name": "Kim", "age": 7, "height": None, "admin": False, "nickname": None},
        "photo": ["me.png", "PNG bytes"],
        "attachments": ["a.txt", "b.txt"],
    }


def test_an_empty_file_input_counts_as_no_file(profiles, client):
    response = client.post(
        "/profiles",
        data={"name": "Kim", "age": "7", "photo": (io.BytesIO(b""), "")},
    )
    assert response.json["photo"] is None


def test_files_and_text_in_each_others_place_are_refused(profiles, client):
    response = client.post(
        "/profiles",
        data={
            "name": (io.BytesIO(b"Kim"), "name.txt"),
            "age": "7",
            "photo": "not a file",
        },
    )
    assert problem(response)[2] == {
        "photo": "must be an uploaded file, not a text value",
        "name": "must be a text value, not an uploaded file",
    }


def test_a_required_file_and_its_media_type_are_checked(app, client):
    @app.post("/upload")
    @operation(
        body={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "image": {"type": "string", "contentMediaType": "image/*"},
                    "single": {"type": "string", "format": "binary"},
                },
                "required": ["image"],
            }
        }
    )
    def upload() -> Any:
        return {"name": request.validated_body["image"].filename}

    missing = client.post("/upload", data={"single": (io.BytesIO(b"1"), "1.bin")})
    assert problem(missing)[2] == {"image": "is required"}
    wrong = client.post(
        "/upload", data={"image": (io.BytesIO(b"%PDF"), "a.pdf", "application/pdf")}
    )
    assert problem(wrong)[2] == {"image": "must be a file of type image/*"}
    two = client.post(
        "/upload",
        data={
            "image": (io.BytesIO(b"GIF"), "a.gif", "image/gif"),
            "single": [(io.BytesIO(b"1"), "1.bin"), (io.BytesIO(b"2"), "2.bin")],
        },
    )
    assert problem(two)[2] == {"single": "must be one file, not 2"}
    good = client.post("/upload", data={"image": (io.BytesIO(b"GIF"), "a.gif", "image/gif")})
    assert good.json == {"name": "a.gif"}


# -- formats and the wording of each keyword ----------------------------------------------


@pytest.mark.parametrize(
    ("schema", "value", "message"),
    [
        ({"type": "string", "format": "date-time"}, "yesterday", "must be a valid date-time"),
        ({"type": "string", "format": "date"}, "2026-02-30", "must be a valid date"),
        ({"type": "string", "format": "uuid"}, "not-a-uuid", "must be a valid uuid"),
        ({"type": "string", "format": "email"}, "nobody", "must be a valid email"),
        ({"enum": ["a", "b"]}, "c", 'must be one of "a", "b"'),
        ({"const": 1}, 2, "must be 1"),
        ({"type": "integer", "exclusiveMinimum": 0}, 0, "must be greater than 0"),
        ({"type": "integer", "exclusiveMaximum": 9}, 9, "must be less than 9"),
        ({"type": "integer", "multipleOf": 5}, 7, "must be a multiple of 5"),
        ({"type": "string", "pattern": "^[a-z]+$"}, "A1", "must match the pattern ^[a-z]+$"),
        ({"type": "array", "minItems": 1}, [], "must have at least 1 item"),
        ({"type": "array", "maxItems": 2}, [1, 2, 3], "must have at most 2 items"),
        ({"type": "array", "uniqueItems": True}, [1, 1], "must not contain the same item twice"),
        ({"type": "object", "minProperties": 1}, {}, "must have at least 1 field"),
        ({"type": "string", "maxLength": 1}, "ab", "must be at most 1 character long"),
        ({"not": {"type": "string"}}, "a", 'must not match {"type": "string"}'),
    ],
)
def test_each_keyword_is_worded_for_people(app, client, schema, value, message):
    @app.post("/value")
    @operation(body={"type": "object", "properties": {"v": schema}})
    def check_value() -> str:
        return "ok"

    errors = problem(client.post("/value", json={"v": value}))[2]
    assert list(errors) == ["v"]
    assert errors["v"] == message


def test_a_valid_date_time_passes(app, client):
    @app.post("/when")
    @operation(body={"type": "object", "properties": {"at": {"format": "date-time"}}})
    def when() -> Any:
        return request.validated_body

    assert client.post("/when", json={"at": "2026-11-24T09:30:00+09:00"}).status_code == 200


# -- where validation runs -----------------------------------------------------------------


def test_method_views_check_the_methods_that_declare_a_body(app, client):
    class Memo(MethodView):
        def get(self, memo_id: int) -> Any:
            return {"body": request.validated_body}

        @operation(body=MemoIn)
        def put(self, memo_id: int) -> Any:
            return {"id": memo_id, "title": request.validated_body["title"]}

    app.add_url_rule("/memos/<int:memo_id>", view_func=Memo.as_view("memo"))
    assert client.get("/memos/1").json == {"body": None}
    assert client.put("/memos/1", json={"title": "New"}).json == {"id": 1, "title": "New"}
    assert problem(client.put("/memos/1", json={}))[2] == {"title": "is required"}


def test_a_login_decorator_above_the_operation_answers_before_validation(app, client):
    def login_required(view: Any) -> Any:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if request.headers.get("Authorization") != "Bearer ok":
                abort(401)
            return view(*args, **kwargs)

        return wrapper

    @app.post("/private")
    @login_required
    @operation(body={"type": "object", "required": ["a"]})
    def private() -> Any:
        return request.validated_body

    assert client.post("/private", json={}).status_code == 401  # not a 422 to a stranger
    signed_in = {"Authorization": "Bearer ok"}
    assert problem(client.post("/private", json={}, headers=signed_in))[0] == 422
    assert client.post("/private", json={"a": 1}, headers=signed_in).json == {"a": 1}


def test_an_error_handler_can_answer_validation_errors_its_own_way(app, client):
    @app.errorhandler(422)
    def unprocessable(error: RequestValidationError) -> Any:
        return {"problems": sorted(error.errors)}

    response = client.post("/memos", json={"x": 1})
    assert response.status_code == 422
    assert response.json == {"problems": ["title", "x"]}


def test_validated_values_do_not_leak_into_the_next_request(client):
    assert client.post("/memos", json={"title": "A"}).status_code == 201
    assert client.post("/plain", json={"title": "A"}).json == {"body": None, "args": None}
    assert client.get("/plain?page=2").json == {"body": None, "args": None}


def test_a_schema_error_is_the_developers_and_surfaces_at_once(app):
    @app.post("/broken")
    @operation(body={"type": "no such type"})
    def broken() -> str:
        return ""

    app.testing = True
    from jsonschema.exceptions import SchemaError

    with pytest.raises(SchemaError):
        app.test_client().post("/broken", json={})


def test_the_view_called_outside_a_request_says_so():
    @operation(body={"type": "object"})
    def view() -> str:
        return ""

    with pytest.raises(RuntimeError, match="outside of a request context"):
        view()


def test_validation_passes_the_wsgi_validator_with_an_independent_client(app):
    import warnings
    from wsgiref.validate import validator

    from werkzeug.test import Client

    client = Client(validator(app))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        good = client.post("/memos", json={"title": "A"}, buffered=True)
        bad = client.post("/memos", data="title=A", buffered=True)
    assert good.status_code == 201
    assert good.get_json()["body"]["title"] == "A"
    assert bad.status_code == 415
    assert bad.get_json()["code"] == 415


# -- patterns mean what JSON Schema says (ECMA-262), not what Python's re says ----


@pytest.fixture
def pattern_app() -> App:
    app = App(__name__)
    code = {"type": "string", "pattern": "^\\d{3}$"}

    @app.post("/accounts")
    @operation(
        body={
            "type": "object",
            "properties": {
                "user_id": {"type": "string", "pattern": "^[^\\s\\u0000]+$"},
                "slug": {"type": "string", "pattern": "^[\\w-]+$"},
                "line": {"type": "string", "pattern": "^.*$"},
                "code": {"$ref": "#/$defs/Code"},
                "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
                "extra": {
                    "type": "object",
                    "patternProperties": {"^x-[a-z]+$": {"type": "string"}},
                    "additionalProperties": False,
                },
                "const_is_data": {"const": {"pattern": "^a$"}},
            },
            "$defs": {"Code": code},
        },
        query={"type": "object", "properties": {"code": code}},
    )
    def create_account() -> Any:
        return {"body": request.validated_body, "args": request.validated_args}, 201

    return app


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("user_id", "alice\n"),  # Python's "$" matches before a final newline
        ("code", "123\n"),
        ("code", "١٢٣"),  # Python's \d matches every Unicode digit
        ("slug", "ünïcode"),  # and \w every Unicode letter
        ("line", "one\rtwo"),  # ECMA's "." stops at any line terminator
        ("line", "one\u2028two"),
    ],
)
def test_a_pattern_refuses_what_ecma_262_refuses(pattern_app, field, value):
    response = pattern_app.test_client().post("/accounts", json={field: value})
    status, _, errors = problem(response)
    assert status == 422
    assert list(errors) == [field]
    assert errors[field].startswith("must match the pattern ^")
    assert "\\Z" not in errors[field]  # the schema's pattern is quoted, not its translation


def test_patterns_in_lists_property_patterns_and_the_query_string(pattern_app):
    client = pattern_app.test_client()
    response = client.post("/accounts", json={"tags": ["ok", "bad\n"]})
    assert problem(response)[2] == {"tags.1": "must match the pattern ^[a-z]+$"}
    response = client.post("/accounts", json={"extra": {"x-ok": "1", "x-bad\n": "2"}})
    assert problem(response)[2] == {"extra.x-bad\n": "is not allowed"}
    assert problem(client.post("/accounts?code=%D9%A1%D9%A2%D9%A3", json={}))[2] == {
        "code": "must match the pattern ^\\d{3}$"
    }


def test_values_that_match_are_accepted(pattern_app):
    body = {
        "user_id": "alice",
        "slug": "a_b-1",
        "line": "",
        "code": "123",
        "tags": ["ok"],
        "extra": {"x-ok": "1"},
        "const_is_data": {"pattern": "^a$"},  # a const's keys are not rewritten
    }
    response = pattern_app.test_client().post("/accounts?code=007", json=body)
    assert response.status_code == 201, response.json
    assert response.json == {"body": body, "args": {"code": "007"}}


# -- input that cannot even be read -----------------------------------------------


def test_input_that_cannot_be_read_is_answered_as_json_too(app, search, client):
    """A malformed query string, a multipart body without a boundary or a body over
    MAX_CONTENT_LENGTH fail before any schema is consulted; the client of an
    operation with a schema still gets the JSON error shape, not an HTML page."""

    @app.post("/uploads")
    @operation(body={"multipart/form-data": {"type": "object"}})
    def upload() -> Any:
        return {"body": "reached"}

    malformed = client.get("/memos?page=%zz")
    assert problem(malformed)[0] == 400
    assert "percent-escape" in problem(malformed)[1]
    no_boundary = client.post("/uploads", data=b"x", content_type="multipart/form-data")
    status, message, errors = problem(no_boundary)
    assert (status, errors) == (400, {})
    assert "no boundary" in message
    app.config["MAX_CONTENT_LENGTH"] = 10
    too_large = client.post("/memos", json={"title": "a" * 50})
    assert problem(too_large)[0] == 413
    # The exception is still the app's to handle its own way.
    app.errorhandler(400)(lambda error: ({"handled": error.code}, 400))
    assert client.get("/memos?page=%zz").json == {"handled": 400}


def test_an_empty_field_is_null_where_only_null_can_be_empty(app, client):
    """``datetime | None``: the empty text is no date-time, so an empty input is null;
    ``str | None`` keeps the empty string, which is a string."""

    @dataclass
    class Event:
        name: str | None = None
        starts: datetime | None = None
        ends: Annotated[str | None, {"minLength": 1}] = None

    @app.post("/events")
    @operation(body=Event, body_media_types=["application/x-www-form-urlencoded"])
    def create_event() -> Any:
        return {"body": request.validated_body}

    @app.get("/events")
    @operation(query=Event)
    def list_events() -> Any:
        return {"args": request.validated_args}

    sent = {"name": "", "starts": "", "ends": ""}
    expected = {"name": "", "starts": None, "ends": None}
    assert client.post("/events", data=sent).json == {"body": expected}
    assert client.get("/events?name=&starts=&ends=").json == {"args": expected}
    refused = client.post("/events", data={"starts": "soon"})
    assert problem(refused)[2] == {"starts": "must be a valid date-time"}


@dataclass
class Size:
    width: int
    ratio: float = 1.0


@dataclass
class Order:
    quantity: int
    price: float
    size: Size | None = None
    counts: list[int] = field(default_factory=list)
    ref: int | str = 0
    extra: dict[str, int] = field(default_factory=dict)


def test_a_whole_float_where_an_integer_is_declared_reaches_the_view_as_an_int(app, client):
    """JSON Schema counts 1.0 as an integer; the view of a field declared ``int``
    gets ``1``, not a float (``range(1.0)`` would be a 500), wherever the field is:
    nested, in a list, in a union, behind a reference. Numbers stay as sent."""

    @app.post("/orders")
    @operation(body=Order)
    def create_order() -> Any:
        body = request.validated_body
        kinds = {
            "quantity": type(body["quantity"]).__name__,
            "price": type(body["price"]).__name__,
            "width": type(body["size"]["width"]).__name__,
            "ratio": type(body["size"]["ratio"]).__name__,
            "counts": [type(count).__name__ for count in body["counts"]],
            "ref": type(body["ref"]).__name__,
            "extra": type(body["extra"]["a"]).__name__,
        }
        return {"kinds": kinds, "range": len(range(body["quantity"]))}

    sent = {
        "quantity": 3.0,
        "price": 2.0,
        "size": {"width": 4.0, "ratio": 5.0},
        "counts": [1.0, 2],
        "ref": 6.0,
        "extra": {"a": 7.0},
    }
    assert client.post("/orders", json=sent).json == {
        "kinds": {
            "quantity": "int",
            "price": "float",
            "width": "int",
            "ratio": "float",
            "counts": ["int", "int"],
            "ref": "int",
            "extra": "int",
        },
        "range": 3,
    }
    refused = client.post("/orders", json={"quantity": 1.5, "price": 1})
    assert problem(refused)[2] == {"quantity": "must be an integer"}


def test_every_problem_inside_an_optional_object_is_reported(app, client):
    """``Size | None`` with two bad fields, a missing one and an extra one names
    all four, as ``Size`` alone would, not only the one the union picked."""

    @app.post("/boxes")
    @operation(body={"type": "object", "properties": {"size": Size | None}})
    def create_box() -> Any:
        return {"body": request.validated_body}

    sent = {"size": {"ratio": "wide", "depth": 1}}
    assert problem(client.post("/boxes", json=sent))[2] == {
        "size.width": "is required",
        "size.ratio": "must be a number",
        "size.depth": "is not allowed",
    }
    assert problem(client.post("/boxes", json={"size": 5}))[2] == {
        "size": "must be an object or null"
    }
