"""CORS: preflight and simple requests, per the Fetch standard's CORS protocol."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from werkzeug.test import Client

from microwsgi import App, abort
from microwsgi.cors import CORS, cross_origin

ORIGIN = "https://app.example"


def make_app(**options: object) -> App:
    app = App(__name__)

    @app.route("/api/items", methods=["GET", "POST", "PUT"])
    def items() -> dict[str, str]:
        return {"ok": "yes"}

    @app.route("/api/missing")
    def missing() -> str:
        abort(404)

    @app.route("/page")
    def page() -> str:
        return "a page"

    CORS(app, **options)  # type: ignore[arg-type]
    return app


def preflight(client, path: str = "/api/items", origin: str = ORIGIN, **headers: str):
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "Content-Type, Authorization",
            **headers,
        },
    )


def test_preflight_from_an_allowed_origin_allows_the_method_and_headers() -> None:
    app = make_app(origins=[ORIGIN], max_age=timedelta(minutes=10))
    response = preflight(app.test_client())
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type, Authorization"
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_preflight_from_another_origin_gets_no_cors_headers() -> None:
    app = make_app(origins=[ORIGIN])
    response = preflight(app.test_client(), origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers
    assert response.headers["Vary"].startswith("Origin")


def test_preflight_allows_only_the_listed_headers() -> None:
    app = make_app(origins=[ORIGIN], allow_headers=["Content-Type"])
    response = preflight(app.test_client())
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type"


def test_simple_request_gets_allow_origin_and_exposed_headers() -> None:
    app = make_app(origins=[ORIGIN], expose_headers=["Link", "X-Total-Count"])
    response = app.test_client().get("/api/items", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Expose-Headers"] == "Link, X-Total-Count"
    assert "Access-Control-Allow-Methods" not in response.headers


def test_request_without_origin_is_answered_without_cors_headers() -> None:
    response = make_app(origins=[ORIGIN]).test_client().get("/api/items")
    assert response.json == {"ok": "yes"}
    assert "Access-Control-Allow-Origin" not in response.headers


def test_origins_compare_case_insensitively_but_exactly() -> None:
    client = make_app(origins=["https://App.Example"]).test_client()
    ok = client.get("/api/items", headers={"Origin": "https://app.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://app.example"
    for other in ("https://app.example.evil", "http://app.example", "https://xapp.example"):
        refused = client.get("/api/items", headers={"Origin": other})
        assert "Access-Control-Allow-Origin" not in refused.headers, other


def test_a_string_origin_is_never_a_regular_expression() -> None:
    client = make_app(origins=["https://.*.example"]).test_client()
    response = client.get("/api/items", headers={"Origin": "https://a.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_compiled_pattern_matches_the_whole_origin() -> None:
    client = make_app(origins=[re.compile(r"https://[a-z]+\.example")]).test_client()
    ok = client.get("/api/items", headers={"Origin": "https://a.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://a.example"
    refused = client.get("/api/items", headers={"Origin": "https://a.example.evil"})
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_any_origin_is_echoed_unless_send_wildcard() -> None:
    echoed = make_app().test_client().get("/api/items", headers={"Origin": ORIGIN})
    assert echoed.headers["Access-Control-Allow-Origin"] == ORIGIN
    wildcard = make_app(send_wildcard=True).test_client()
    response = wildcard.get("/api/items", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Vary" not in response.headers


def test_credentials_are_announced_for_listed_origins() -> None:
    app = make_app(origins=[ORIGIN], supports_credentials=True)
    response = app.test_client().get("/api/items", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_credentials_with_any_origin_are_refused_at_setup() -> None:
    with pytest.raises(ValueError, match="supports_credentials"):
        make_app(supports_credentials=True)


def test_unknown_option_is_refused() -> None:
    with pytest.raises(ValueError, match="origin"):
        CORS(origin=ORIGIN)


def test_resources_limit_cors_to_matching_paths_with_their_own_options() -> None:
    app = make_app(resources={r"/api/": {"origins": [ORIGIN]}})
    client = app.test_client()
    api = client.get("/api/items", headers={"Origin": ORIGIN})
    assert api.headers["Access-Control-Allow-Origin"] == ORIGIN
    page = client.get("/page", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in page.headers
    assert "Vary" not in page.headers


def test_error_responses_carry_cors_headers_so_scripts_can_read_them() -> None:
    client = make_app(origins=[ORIGIN]).test_client()
    not_found = client.get("/api/missing", headers={"Origin": ORIGIN})
    assert not_found.status_code == 404
    assert not_found.headers["Access-Control-Allow-Origin"] == ORIGIN
    not_allowed = client.delete("/api/items", headers={"Origin": ORIGIN})
    assert not_allowed.status_code == 405
    assert not_allowed.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_settings_come_from_config() -> None:
    app = App(__name__)
    app.config.update(CORS_ORIGINS=[ORIGIN], CORS_EXPOSE_HEADERS="ETag")

    @app.get("/x")
    def x() -> str:
        return "x"

    CORS(app)
    response = app.test_client().get("/x", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Expose-Headers"] == "ETag"
    refused = app.test_client().get("/x", headers={"Origin": "https://other.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_cross_origin_gives_one_view_its_own_options() -> None:
    app = App(__name__)

    @app.route("/open", methods=["GET", "POST"])
    @cross_origin(origins=[ORIGIN], max_age=60)
    def open_view() -> str:
        return "open"

    @app.get("/closed")
    def closed() -> str:
        return "closed"

    CORS(app, resources=[])
    client = app.test_client()
    response = preflight(client, "/open", **{"Access-Control-Request-Method": "POST"})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Max-Age"] == "60"
    assert (
        client.get("/open", headers={"Origin": ORIGIN}).headers["Access-Control-Allow-Origin"]
        == ORIGIN
    )
    closed_response = client.get("/closed", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in closed_response.headers


def test_werkzeug_client_sees_the_same_preflight() -> None:
    app = make_app(origins=[ORIGIN])
    response = Client(app).options(
        "/api/items",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST", "PUT", "OPTIONS"}
