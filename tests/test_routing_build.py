"""Building URLs: converters' to_url, query strings, rule choice and BuildError messages."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from werkzeug.routing import Map as WerkzeugMap
from werkzeug.routing import Rule as WerkzeugRule

from microwsgi.routing import BuildError, Router

SAMPLE_UUID = "1b3e1c9a-9f6a-4c8e-8d3e-2f0a7b6c5d4e"


def build(rule: str, values: dict[str, Any], **options: Any) -> str:
    router = Router()
    router.add(rule, "endpoint", **options)
    return router.build("endpoint", values)


BUILD_CASES = [
    ("/", {}, "/"),
    ("/user/<name>", {"name": "John Doe"}, "/user/John%20Doe"),
    ("/user/<name>", {"name": "Jos\u00e9"}, "/user/Jos%C3%A9"),
    ("/user/<name>", {"name": "a+b@c"}, "/user/a+b@c"),
    ("/user/<name>", {"name": "50%"}, "/user/50%25"),
    ("/user/<name>", {"name": "a?b#c"}, "/user/a%3Fb%23c"),
    ("/lang/<string(length=2):lang>", {"lang": "en"}, "/lang/en"),
    ("/post/<int:id>", {"id": 42}, "/post/42"),
    ("/post/<int(fixed_digits=4):id>", {"id": 42}, "/post/0042"),
    ("/t/<int(signed=True):n>", {"n": -3}, "/t/-3"),
    ("/p/<float:x>", {"x": 0.25}, "/p/0.25"),
    ("/files/<path:name>", {"name": "a/b c/\u00e9.txt"}, "/files/a/b%20c/%C3%A9.txt"),
    ("/o/<uuid:id>", {"id": uuid.UUID(SAMPLE_UUID)}, f"/o/{SAMPLE_UUID}"),
    ("/<any(news, blog):section>", {"section": "blog"}, "/blog"),
    ("/file/<name>.txt", {"name": "notes"}, "/file/notes.txt"),
    ("/caf\u00e9/<int:n>", {"n": 1}, "/caf%C3%A9/1"),
    ("/search", {"q": "a b"}, "/search?q=a+b"),
    ("/search", {"q": "caf\u00e9&x=1"}, "/search?q=caf%C3%A9%26x%3D1"),
    ("/search", {"tag": ["a", "b"], "page": 2}, "/search?tag=a&tag=b&page=2"),
    ("/search", {"z": 1, "a": 2}, "/search?z=1&a=2"),
    ("/search", {"q": None, "page": 1}, "/search?page=1"),
    ("/search", {"path": "/x:y"}, "/search?path=/x:y"),
    ("/user/<name>", {"name": "bob", "tab": ("a", None)}, "/user/bob?tab=a"),
]


@pytest.mark.parametrize(("rule", "values", "expected"), BUILD_CASES)
def test_build(rule: str, values: dict[str, Any], expected: str):
    assert build(rule, values) == expected


@pytest.mark.parametrize(("rule", "values", "expected"), BUILD_CASES)
def test_build_agrees_with_werkzeug_when_no_slash_is_in_a_value(rule, values, expected):
    url_map = WerkzeugMap([WerkzeugRule(rule, endpoint="endpoint")])
    assert url_map.bind("example.com").build("endpoint", values) == expected


def test_slash_in_a_string_value_is_encoded_so_the_url_round_trips():
    # Werkzeug (and so Flask) would build /user/a/b, which /user/<name> never matches.
    router = Router()
    router.add("/user/<name>", "user")
    url = router.build("user", {"name": "a/b"})
    assert url == "/user/a%2Fb"
    assert router.match(url, "GET")[1] == {"name": "a/b"}


@pytest.mark.parametrize(
    ("rule", "values"),
    [
        ("/user/<name>", {"name": "a/b"}),
        ("/user/<name>", {"name": "100% off"}),
        ("/user/<name>", {"name": "a%2Fb"}),
        ("/user/<name>", {"name": "\u65e5\u672c"}),
        ("/files/<path:p>", {"p": "dir/sub/file name.txt"}),
        ("/n/<int:a>/<float:b>", {"a": 7, "b": 2.5}),
        ("/<any('x y', z):v>", {"v": "x y"}),
        ("/o/<uuid:id>", {"id": uuid.UUID(SAMPLE_UUID)}),
    ],
)
def test_built_path_matches_back_to_the_same_values(rule: str, values: dict[str, Any]):
    """The app hands the router %2F and %25 still encoded and every other escape decoded."""
    router = Router()
    router.add(rule, "endpoint")
    url = router.build("endpoint", values)
    as_the_app_passes_it = _decode_except_slash_and_percent(url)
    assert router.match(as_the_app_passes_it, "GET")[1] == values


def _decode_except_slash_and_percent(url: str) -> str:
    from urllib.parse import unquote

    kept = url.replace("%2F", "\x00").replace("%25", "\x01")
    return unquote(kept).replace("\x00", "%2F").replace("\x01", "%25")


# -- which rule of the endpoint is used ------------------------------------------------


def test_rule_using_more_values_is_preferred():
    router = Router()
    router.add("/users/page/<int:page>", "users")
    router.add("/users/<sort>/page/<int:page>", "users")
    assert router.build("users", {"page": 3}) == "/users/page/3"
    assert router.build("users", {"page": 3, "sort": "name"}) == "/users/name/page/3"


DEFAULTS_RULES = [
    ("/users/", {"page": 1}),
    ("/users/page/<int:page>", None),
    ("/feed/", {"format": "html"}),
    ("/feed.<format>", None),
]


@pytest.mark.parametrize(
    ("endpoint", "values", "expected"),
    [
        # The rule whose defaults hold the values builds the short URL (the example).
        ("users", {}, "/users/"),
        ("users", {"page": 1}, "/users/"),
        ("users", {"page": 3}, "/users/page/3"),
        ("feed", {"format": "html"}, "/feed/"),
        ("feed", {"format": "rss"}, "/feed.rss"),
    ],
)
def test_defaults_build_the_short_url_as_werkzeug_does(endpoint, values, expected):
    router = Router()
    url_map = WerkzeugMap()
    for rule, defaults in DEFAULTS_RULES:
        name = "users" if rule.startswith("/users") else "feed"
        router.add(rule, name, defaults=defaults)
        url_map.add(WerkzeugRule(rule, endpoint=name, defaults=defaults))
    assert router.build(endpoint, values) == expected
    assert url_map.bind("example.com").build(endpoint, values) == expected


def test_default_values_are_not_repeated_in_the_query_string():
    assert build("/users/", {"page": 1}, defaults={"page": 1}) == "/users/"


def test_get_rule_preferred_when_no_method_is_given():
    router = Router()
    router.add("/submit", "form", ["POST"])
    router.add("/form", "form", ["GET"])
    assert router.build("form", {}) == "/form"


@pytest.mark.parametrize(
    ("method", "expected"), [("POST", "/submit"), ("GET", "/form"), ("post", "/submit")]
)
def test_method_picks_the_rule_that_accepts_it(method: str, expected: str):
    router = Router()
    router.add("/submit", "form", ["POST"])
    router.add("/form", "form", ["GET"])
    assert router.build("form", {}, method=method) == expected


def test_rules_of_equal_rank_are_tried_in_registration_order():
    router = Router()
    router.add("/first/<x>", "e")
    router.add("/second/<x>", "e")
    assert router.build("e", {"x": 1}) == "/first/1"


# -- BuildError ---------------------------------------------------------------------


def _router_for_errors() -> Router:
    router = Router()
    router.add("/", "index")
    router.add("/user/<name>", "user_profile")
    router.add("/user/<name>/post/<int:id>", "user_post")
    router.add("/edit", "edit", ["POST"])
    router.add("/feed/", "feed", defaults={"format": "html"})
    router.add("/<any(news, blog):section>", "section")
    return router


@pytest.mark.parametrize(
    ("endpoint", "values", "method", "fragments"),
    [
        ("user_profil", {}, None, ["no rule has this endpoint", "Did you mean 'user_profile'"]),
        ("user_profile", {}, None, ["'user_profile'", "rule '/user/<name>' needs 'name'"]),
        ("user_post", {"name": "a"}, None, ["values ['name']", "needs 'id'"]),
        ("user_post", {}, None, ["needs 'id' and 'name'"]),
        ("edit", {}, "GET", ["with method GET", "accepts OPTIONS, POST, not GET"]),
        ("feed", {"format": "rss"}, None, ["fixed to format='html'", "but format='rss'"]),
        ("section", {"section": "shop"}, None, ["'shop' is not one of 'news', 'blog'"]),
    ],
)
def test_build_error_says_what_is_wrong(endpoint, values, method, fragments):
    with pytest.raises(BuildError) as caught:
        _router_for_errors().build(endpoint, values, method=method)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_build_error_is_a_lookup_error_with_details():
    with pytest.raises(LookupError) as caught:
        _router_for_errors().build("indx", {"a": 1})
    error = caught.value
    assert isinstance(error, BuildError)
    assert (error.endpoint, error.values, error.suggestions) == ("indx", {"a": 1}, ["index"])


def test_none_values_count_as_missing():
    with pytest.raises(BuildError, match="needs 'name'"):
        _router_for_errors().build("user_profile", {"name": None})


# -- Werkzeug's BuildError catches ours, for code written for Flask -----------------


def test_werkzeug_build_error_catches_url_for_failures() -> None:
    import pickle

    import werkzeug.routing

    from microwsgi import App, url_for

    app = App(__name__)

    @app.route("/post/<int:post_id>")
    def post(post_id: int) -> str:
        return ""

    def link(endpoint: str, **values: Any) -> str:
        try:
            return url_for(endpoint, **values)
        except werkzeug.routing.BuildError:  # a nav menu's "#" for a missing page
            return "#"

    with app.test_request_context():
        assert link("post", post_id=3) == "/post/3"
        assert link("post") == "#"
        assert link("no_such_page") == "#"
        with pytest.raises(BuildError) as caught:
            url_for("post")
    error = caught.value
    assert isinstance(error, werkzeug.routing.BuildError) and isinstance(error, LookupError)
    assert type(error).__name__ == "BuildError"
    assert str(error).startswith("Could not build a URL for endpoint 'post'.")
    assert (error.endpoint, error.values, str(error.suggested)) == (
        "post",
        {},
        "/post/<int:post_id>",
    )
    twin = pickle.loads(pickle.dumps(error))
    assert type(twin) is type(error) and str(twin) == str(error)
