"""Routing seen through the application: redirects, methods, url_for, and two clients agreeing."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import Client as WerkzeugClient

from microwsgi import App, request, url_for
from microwsgi.routing import BuildError


def make_app() -> App:
    app = App(__name__)

    @app.route("/")
    def index() -> str:
        return "index"

    @app.route("/docs/")
    def docs() -> str:
        return "docs"

    @app.route("/form/", methods=["POST"])
    def form() -> str:
        return "got " + request.get_data().decode()

    @app.route("/user/<name>")
    def user(name: str) -> str:
        return f"user {name}"

    @app.route("/items/<int:item_id>", methods=["GET", "DELETE"])
    def item(item_id: int) -> str:
        return f"item {item_id} {request.method}"

    @app.route("/items/<name>", methods=["PUT"])
    def named_item(name: str) -> str:
        return f"named {name}"

    @app.route("/files/<path:name>")
    def files(name: str) -> str:
        return f"file {name}"

    @app.route("/a/b")
    def a_b() -> str:
        return "a/b"

    @app.route("/link/<name>")
    def link(name: str) -> str:
        return url_for("user", name=name, tab="posts")

    return app


@pytest.fixture
def routed_app() -> App:
    return make_app()


# -- redirects ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "options", "location"),
    [
        ("/docs", {}, "/docs/"),
        ("/docs?page=2&q=a+b", {}, "/docs/?page=2&q=a+b"),
        ("/docs", {"base_url": "http://localhost/prefix/"}, "/prefix/docs/"),
        ("/docs?x=1", {"base_url": "http://localhost/prefix/"}, "/prefix/docs/?x=1"),
        ("/a//b", {}, "/a/b"),
        ("/a//b?x=1", {"base_url": "http://localhost/prefix/"}, "/prefix/a/b?x=1"),
    ],
)
def test_canonical_redirect_is_308_keeping_query_and_script_name(
    routed_app, path, options, location
):
    response = routed_app.test_client().get(path, **options)
    assert response.status_code == 308
    assert response.headers["Location"] == location


def test_post_redirected_to_trailing_slash_keeps_method_and_body(routed_app):
    response = routed_app.test_client().post("/form", data=b"hello", follow_redirects=True)
    assert response.status_code == 200
    assert response.get_data() == b"got hello"


def test_rule_without_slash_requested_with_one_is_404(routed_app):
    assert routed_app.test_client().get("/a/b/").status_code == 404


# -- methods ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status", "allow"),
    [
        ("OPTIONS", "/", 200, "GET, HEAD, OPTIONS"),
        ("OPTIONS", "/items/1", 200, "DELETE, GET, HEAD, OPTIONS, PUT"),
        ("OPTIONS", "/items/x", 200, "OPTIONS, PUT"),
        ("POST", "/", 405, "GET, HEAD, OPTIONS"),
        ("POST", "/items/1", 405, "DELETE, GET, HEAD, OPTIONS, PUT"),
        ("GET", "/items/x", 405, "OPTIONS, PUT"),
        ("PATCH", "/docs/", 405, "GET, HEAD, OPTIONS"),
    ],
)
def test_options_and_405_list_exactly_the_allowed_methods(routed_app, method, path, status, allow):
    response = routed_app.test_client().open(path, method=method)
    assert response.status_code == status
    assert response.headers["Allow"] == allow


def test_head_answers_like_get_without_a_body(routed_app):
    client = routed_app.test_client()
    got, head = client.get("/items/3"), client.head("/items/3")
    assert head.status_code == 200
    assert head.get_data() == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]


def test_more_specific_rule_serves_the_request(routed_app):
    client = routed_app.test_client()
    assert client.get("/items/3").get_data() == b"item 3 GET"
    assert client.put("/items/3").get_data() == b"named 3"


def test_encoded_slash_reaches_the_view_inside_one_variable(routed_app):
    assert routed_app.test_client().get("/user/a%2Fb").get_data() == b"user a/b"


# -- url_for -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "endpoint", "values", "expected"),
    [
        ("http://localhost/", "user", {"name": "John Doe"}, "/user/John%20Doe"),
        ("http://localhost/", "user", {"name": "a/b"}, "/user/a%2Fb"),
        ("http://localhost/prefix/", "user", {"name": "bob"}, "/prefix/user/bob"),
        ("http://localhost/prefix/", "docs", {"q": ["a", "b"]}, "/prefix/docs/?q=a&q=b"),
        ("http://localhost/", "files", {"name": "x/y z.txt"}, "/files/x/y%20z.txt"),
        ("http://localhost/", "item", {"item_id": 7, "_anchor": "top"}, "/items/7#top"),
        ("http://localhost/", "item", {"item_id": 7, "_method": "DELETE"}, "/items/7"),
        ("http://localhost/", "named_item", {"name": "x", "_method": "PUT"}, "/items/x"),
        (
            "https://example.com/app/",
            "user",
            {"name": "bob", "_external": True},
            "https://example.com/app/user/bob",
        ),
        (
            "http://localhost/",
            "user",
            {"name": "bob", "_external": True, "_scheme": "https"},
            "https://localhost/user/bob",
        ),
    ],
)
def test_url_for_in_a_request_context(routed_app, base_url, endpoint, values, expected):
    with routed_app.test_request_context("/", base_url=base_url):
        assert url_for(endpoint, **values) == expected


def test_url_for_in_a_view_starts_with_script_name(routed_app):
    response = routed_app.test_client().get("/link/bob", base_url="http://localhost/prefix/")
    assert response.get_data() == b"/prefix/user/bob?tab=posts"


def test_url_for_in_app_context_uses_server_name(routed_app):
    routed_app.config.update(
        SERVER_NAME="example.com", APPLICATION_ROOT="/app", PREFERRED_URL_SCHEME="https"
    )
    with routed_app.app_context():
        assert url_for("user", name="bob") == "https://example.com/app/user/bob"
        assert url_for("user", name="bob", _external=False) == "/app/user/bob"


def test_url_for_unknown_endpoint_raises_build_error_with_suggestion(routed_app):
    with routed_app.test_request_context("/"), pytest.raises(BuildError, match="'docs'"):
        url_for("doc")


def test_url_for_missing_value_names_it(routed_app):
    with routed_app.test_request_context("/"), pytest.raises(BuildError, match="needs 'name'"):
        url_for("user")


def test_url_map_lists_rules_for_the_cli(routed_app):
    rule = next(rule for rule in routed_app.url_map.rules if rule.endpoint == "item")
    assert (rule.rule, sorted(rule.methods)) == (
        "/items/<int:item_id>",
        ["DELETE", "GET", "HEAD", "OPTIONS"],
    )


def test_custom_converter_through_url_map(routed_app):
    from microwsgi.routing import BaseConverter

    class ListConverter(BaseConverter):
        def to_python(self, value: str) -> list[str]:
            return value.split("+")

        def to_url(self, value: Any) -> str:
            return "+".join(value)

    routed_app.url_map.converters["list"] = ListConverter

    @routed_app.route("/tags/<list:tags>")
    def tags(tags: list[str]) -> dict[str, Any]:
        return {"tags": tags, "url": url_for("tags", tags=tags)}

    assert routed_app.test_client().get("/tags/a+b").get_json() == {
        "tags": ["a", "b"],
        "url": "/tags/a+b",
    }


# -- the same app through Werkzeug's client -------------------------------------------

SAME_ANSWERS = [
    ("GET", "/", {}),
    ("GET", "/docs", {"query_string": "page=2"}),
    ("GET", "/docs", {"base_url": "http://localhost/prefix/"}),
    ("GET", "/a//b", {}),
    ("GET", "/a/b/", {}),
    ("POST", "/form", {"data": b"x"}),
    ("POST", "/form/", {"data": b"x"}),
    ("GET", "/user/Jos%C3%A9", {}),
    ("GET", "/user/a%2Fb", {}),
    ("GET", "/user/100%25", {}),
    ("GET", "/files/a/b/c.txt", {}),
    ("GET", "/items/3", {}),
    ("HEAD", "/items/3", {}),
    ("DELETE", "/items/3", {}),
    ("PUT", "/items/3", {}),
    ("POST", "/items/3", {}),
    ("OPTIONS", "/items/3", {}),
    ("GET", "/items/x", {}),
    ("GET", "/missing", {}),
    ("GET", "/link/bob", {"base_url": "http://localhost/prefix/"}),
]


@pytest.mark.parametrize(("method", "path", "options"), SAME_ANSWERS)
def test_werkzeug_client_gets_the_same_answers(method: str, path: str, options: dict[str, Any]):
    ours = make_app().test_client().open(path, method=method, **options)
    theirs = WerkzeugClient(make_app()).open(path, method=method, **options)
    assert theirs.status_code == ours.status_code
    assert theirs.get_data() == ours.get_data()
    for name in ("Location", "Allow", "Content-Type"):
        assert theirs.headers.get(name) == ours.headers.get(name), name


# -- servers that do not pass the raw request target --------------------------------


def test_literal_percent_2f_in_a_value_survives_without_request_uri(routed_app):
    from microwsgi.testing import build_environ, run_wsgi_app

    environ = build_environ(routed_app, "/user/a%252Fb")  # the name is the text "a%2Fb"
    del environ["REQUEST_URI"]
    assert run_wsgi_app(routed_app, environ)[2] == b"user a%2Fb"


# -- debug help for redirects that would lose a form ----------------------------------


def test_debug_mode_refuses_a_routing_redirect_that_would_drop_a_form(monkeypatch):
    from microwsgi.debug import FormDataRoutingRedirect
    from microwsgi.routing import RequestRedirect

    app = make_app()
    app.debug = app.testing = True  # testing: the error reaches the test
    client = app.test_client()
    # 308, the router's code, keeps the body: fine in debug mode too.
    assert client.post("/form", data="x", follow_redirects=True).text == "got x"
    monkeypatch.setattr(RequestRedirect, "code", 301)
    with pytest.raises(FormDataRoutingRedirect, match="canonical URL 'http://localhost/form/'"):
        client.post("/form", data="x")
    assert client.get("/docs").status_code == 301  # a GET loses nothing
    app.debug = False
    assert client.post("/form", data="x").status_code == 301


def test_static_folder_with_a_trailing_slash_keeps_its_url_path():
    app = App(__name__, static_folder="static/")

    @app.route("/<path:path>")
    def catch_all(path: str) -> str:
        return path

    assert app.static_url_path == "/static"
    assert app.test_client().get("/catch/all").text == "catch/all"
