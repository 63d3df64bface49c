"""The API's OpenAPI document: generated from the routes, served without logging in."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from examples.memo.db import get_database

EXPECTED_OPERATIONS = {
    ("/api/auth", "post"),
    ("/api/users", "get"),
    ("/api/users", "post"),
    ("/api/users/{id}", "get"),
    ("/api/memos", "get"),
    ("/api/memos", "post"),
    ("/api/memos/{id}", "get"),
    ("/api/memos/{id}", "put"),
    ("/api/memos/{id}", "patch"),
    ("/api/memos/{id}", "delete"),
    ("/api/memos/{id}/image", "get"),
    ("/api/memos/{id}/image", "delete"),
    ("/api/labels", "get"),
    ("/api/labels", "post"),
    ("/api/labels/{id}", "get"),
    ("/api/labels/{id}", "put"),
    ("/api/labels/{id}", "delete"),
}


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json


def test_the_document_is_valid_openapi_3_1(document: dict) -> None:
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_the_swagger_json_alias_serves_the_same_document(client, document: dict) -> None:
    assert client.get("/api/swagger.json").json == document


def test_every_api_operation_and_nothing_else_is_described(document: dict) -> None:
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert described == EXPECTED_OPERATIONS


def test_public_and_protected_operations(document: dict) -> None:
    paths = document["paths"]
    assert paths["/api/users"]["post"]["security"] == []
    assert paths["/api/auth"]["post"]["security"] == []
    assert {"bearerAuth": []} in document["security"]
    assert "401" in paths["/api/memos"]["get"]["responses"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["scheme"] == "bearer"


def test_writes_with_the_session_cookie_are_documented_with_the_csrf_header(document: dict) -> None:
    """The page's cookie reads; it writes only with X-CSRF-Token (the API answers 400 without)."""
    schemes = document["components"]["securitySchemes"]
    assert schemes["csrfToken"] == {**schemes["csrfToken"], "type": "apiKey", "in": "header"}
    assert schemes["csrfToken"]["name"] == "X-CSRF-Token"
    for path, item in document["paths"].items():
        for method, operation in item.items():
            security = operation.get("security", document["security"])
            if security == []:
                continue  # registering, logging in
            if method == "get":
                assert {"sessionCookie": []} in security, (path, method)
            else:
                assert {"sessionCookie": []} not in security, (path, method)
                assert {"sessionCookie": [], "csrfToken": []} in security, (path, method)
            assert {"bearerAuth": []} in security, (path, method)


def test_memo_bodies_are_accepted_as_json_forms_and_multipart(document: dict) -> None:
    content = document["paths"]["/api/memos"]["post"]["requestBody"]["content"]
    assert set(content) == {
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }
    multipart = content["multipart/form-data"]["schema"]
    properties = (
        multipart.get("properties") or document["components"]["schemas"]["MemoCreate"]["properties"]
    )
    assert properties["linked_image"]["format"] == "binary"


@pytest.mark.parametrize(
    ("path", "method"),
    [("/api/memos", "post"), ("/api/memos/{id}", "put"), ("/api/memos/{id}", "patch")],
)
def test_an_image_is_described_only_where_it_can_be_sent(
    document: dict, path: str, method: str
) -> None:
    """A file travels in a multipart form only: JSON takes null, a URL-encoded form nothing."""
    content = document["paths"][path][method]["requestBody"]["content"]
    field = "linked_image"
    assert content["multipart/form-data"]["schema"]["properties"][field]["format"] == "binary"
    assert content["application/json"]["schema"]["properties"][field]["type"] == "null"
    assert field not in content["application/x-www-form-urlencoded"]["schema"]["properties"]


def test_registration_documents_the_apps_own_password_minimum(database_url: str) -> None:
    """The schema says PASSWORD_MIN_LENGTH, and the API refuses what the schema refuses."""
    from examples.memo import create_app

    for minimum in (8, 12):
        app = create_app(
            {"MEMO_ENV": "testing", "DATABASE_URL": database_url, "PASSWORD_MIN_LENGTH": minimum}
        )
        client = app.test_client()
        document = client.get("/api/openapi.json").json
        for media_type in ("application/json", "multipart/form-data"):
            body = document["paths"]["/api/users"]["post"]["requestBody"]["content"][media_type]
            assert body["schema"]["properties"]["password"]["minLength"] == minimum
        short = {"user_id": "kim", "user_name": "k", "password": "p" * (minimum - 1)}
        response = client.post("/api/users", json=short)
        assert response.status_code == 422 and set(response.json["errors"]) == {"password"}
        get_database(app).dispose()


def test_the_list_documents_its_query_and_page_headers(document: dict) -> None:
    get = document["paths"]["/api/memos"]["get"]
    assert {p["name"] for p in get["parameters"]} >= {
        "page",
        "per_page",
        "needle",
        "is_deleted",
        "label",
    }
    assert set(get["responses"]["200"]["headers"]) == {"X-Total-Count", "Link"}


def test_the_docs_page_is_served(client) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "swagger" in page.text.lower()
    assert "/api/openapi.json" in page.text


def test_the_document_answers_cors_requests_from_listed_origins(database_url: str) -> None:
    from examples.memo import create_app
    from examples.memo.db import get_database

    app = create_app(
        {
            "MEMO_ENV": "testing",
            "DATABASE_URL": database_url,
            "CORS_ORIGINS": ["https://docs.example"],
        }
    )
    client = app.test_client()
    response = client.get("/api/openapi.json", headers={"Origin": "https://docs.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://docs.example"
    preflight = client.options(
        "/api/memos",
        headers={
            "Origin": "https://docs.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://docs.example"
    assert (
        preflight.headers["Access-Control-Allow-Headers"]
        == "authorization, content-type, idempotency-key"
    )
    simple = client.get("/api/memos", headers={"Origin": "https://docs.example"})
    assert simple.status_code == 401
    assert "X-Total-Count" in simple.headers["Access-Control-Expose-Headers"]
    other = client.get("/api/openapi.json", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    get_database(app).dispose()


def _headers(document: dict, path: str, method: str) -> list[str]:
    parameters = document["paths"][path][method].get("parameters", [])
    return [p["name"] for p in parameters if p["in"] == "header"]


def test_the_request_headers_the_api_reads_are_in_the_document(document: dict) -> None:
    """A client with only the document learns of Idempotency-Key and the conditional
    headers (they were in the README alone)."""
    assert _headers(document, "/api/memos", "post") == ["Idempotency-Key"]
    for method in ("put", "patch", "delete"):
        assert _headers(document, "/api/memos/{id}", method) == ["If-Match", "If-None-Match"]
    assert _headers(document, "/api/memos/{id}/image", "delete") == ["If-Match", "If-None-Match"]
    assert _headers(document, "/api/memos/{id}", "get") == ["If-None-Match"]
    assert _headers(document, "/api/memos/{id}/image", "get") == ["If-None-Match"]
    created = document["paths"]["/api/memos"]["post"]["responses"]["201"]["headers"]
    assert set(created) == {"Location", "ETag", "Idempotent-Replayed"}


def test_every_operation_documents_the_503_of_an_unavailable_database(document: dict) -> None:
    for path, item in document["paths"].items():
        if not path.startswith("/api/") or path.startswith("/api/docs"):
            continue
        for method, operation in item.items():
            if path in ("/api/openapi.json", "/api/swagger.json"):
                continue
            reply = operation["responses"]["503"]
            assert "Retry-After" in reply["headers"], (path, method)
